/*
 * The firmware-call registry: every interface tern offers guests through
 * HVC/SMC (SMCCC: arch calls, PSCI, SDEI, tern's vendor calls) or ECALL
 * (SBI extensions) is a service covering a range of IDs, one file per
 * service, collected by the linker. Dispatch, probing (SMCCC_ARCH_FEATURES,
 * PSCI_FEATURES, SBI probe_extension) and "not supported" answers all come
 * from this one table, so a service cannot be callable but unprobeable.
 */
#ifndef TERN_FWCALL_H
#define TERN_FWCALL_H

#include <tern/fw_errors.h>
#include <tern/types.h>
#include <tern/vcpu_next.h>

struct vcpu;

enum fw_abi { FW_ABI_SMCCC, FW_ABI_SBI };

struct fw_call {
	uint64_t id; /* SMCCC: function ID (w0). SBI: extension ID (a7) */
	uint64_t fn; /* SBI: function ID (a6). SMCCC: 0 */
	/* The six arguments where the guest left them, its saved registers
	 * (SMCCC: x1-x6, SBI: a0-a5), read in place rather than copied: the
	 * hot calls are a few dozen instructions, and a copy was a quarter of
	 * them. A service reads what it needs before it changes the vCPU's
	 * registers (a reset, an event completion). */
	const uint64_t *arg;
	/* The results, written back by the arch after the call (SMCCC: x0-x3,
	 * SBI: a0 error, a1 value; others untouched): kept apart from arg,
	 * as on RISC-V a0 is both the first argument and the error. */
	uint64_t ret[4];
	enum vcpu_next next;
};

/* Services a VM may be given; a VM's config picks a set (core/vm.c). */
enum fw_service_id {
	FW_SVC_SMCCC_ARCH,
	FW_SVC_PSCI,
	FW_SVC_SDEI,
	FW_SVC_TERN,
	FW_SVC_SBI_LEGACY,
	FW_SVC_SBI_BASE,
	FW_SVC_SBI_TIME,
	FW_SVC_SBI_IPI,
	FW_SVC_SBI_RFENCE,
	FW_SVC_SBI_HSM,
	FW_SVC_SBI_SRST,
	FW_SVC_SBI_DBCN,
	FW_SVC_SBI_SSE,
	FW_SVC_SBI_FWFT,
	FW_SVC_COUNT
};

/* The sets a VM is given (vm->services): every service linked into this
 * image (the arch's own: SMCCC ones on arm64, SBI ones on RISC-V), or for
 * a RISC-V VM configured with sbi = v0.1, the legacy extensions only. */
#define FW_SERVICES_ALL (~0u)
#define FW_SERVICES_SBI_V01 (1u << FW_SVC_SBI_LEGACY)

struct fw_service {
	const char *name;
	enum fw_service_id sid;
	enum fw_abi abi;
	/* SMCCC: function IDs with bit 30 (the SMC32/SMC64 convention bit)
	 * ignored, so one service answers both forms. SBI: extension IDs. */
	uint64_t first, last;
	/* Whether id is implemented (SMCCC: a function ID; SBI: the extension
	 * itself, with id its extension ID). NULL: every id in range is. */
	bool (*probe)(struct vcpu *v, uint64_t id);
	void (*call)(struct vcpu *v, struct fw_call *c);
};

/* Put a service in the linker-collected table (section "fw_services"). */
#define FW_SERVICE(var) \
	const struct fw_service var __attribute__((used, section("fw_services"), aligned(8)))

extern const struct fw_service __start_fw_services[], __stop_fw_services[];

/* SMCCC: bit 30 of a function ID selects the SMC64/HVC64 convention. The
 * error codes of every interface are in <tern/fw_errors.h>. */
#define SMCCC_CONV_64 (1u << 30)

/* Boot-time check of the table: overlapping ranges within an ABI are
 * tern's own bug. Returns 0 or -E_EXIST (and names the pair in *why). */
int fw_check_services(const struct fw_service *start, const struct fw_service *end,
		      const char **why);

/* At boot: check the table (fw_check_services) and build the index calls
 * are looked up in. 0, or -E_EXIST / -E_RANGE with the service named in
 * *why (an overlap, or a range the index cannot hold): tern's own bug. */
int fw_registry_init(const char **why);
/* The same for any table [start, end): what fw_find then looks in (tests). */
int fw_index_build(const struct fw_service *start, const struct fw_service *end, const char **why);

/* The service that owns id for this vCPU's VM, or NULL. */
const struct fw_service *fw_find(struct vcpu *v, enum fw_abi abi, uint64_t id);
/* Whether a function (SMCCC) or extension (SBI) is implemented for this VM. */
bool fw_probe(struct vcpu *v, enum fw_abi abi, uint64_t id);
/* Handle a call the arch decoded; unknown IDs get the ABI's "not supported". */
void fw_dispatch(struct vcpu *v, enum fw_abi abi, struct fw_call *c);
/* Whether the VM was given a service (from its config). */
bool vm_has_service(const struct vcpu *v, enum fw_service_id sid);

#endif
