/*
 * tern as a host PSCI client: starting the other CPUs, powering off and
 * resetting, through the conduit the host DT names (SMC under QEMU with
 * virtualization=on, HVC where firmware runs at EL2 beside tern's loader).
 */
#include <arch/psci.h>
#include <arch/sysreg.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/fw_errors.h>
#include <tern/sections.h>

#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008U
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009U
#define PSCI_0_2_FN64_CPU_ON 0xc4000003U

/* PSCI return codes: <tern/fw_errors.h>. */

/* The conduit, remembered from the platform for arch_system_off(), which
 * gets none. Written by the boot CPU only, from arch_check_host() and
 * arch_start_cpu(). */
static enum psci_conduit psci_conduit = PSCI_CONDUIT_NONE;

void arm64_psci_init(const struct platform *p)
{
	psci_conduit = p->psci;
}

static int64_t psci_call(enum psci_conduit conduit, uint32_t fid, uint64_t a1, uint64_t a2,
			 uint64_t a3)
{
	switch (conduit) {
	case PSCI_CONDUIT_SMC:
		return (int64_t)arm64_smc_call(fid, a1, a2, a3);
	case PSCI_CONDUIT_HVC:
		return (int64_t)arm64_hvc_call(fid, a1, a2, a3);
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/* The one place PSCI's error space becomes tern's. */
static int psci_to_errno(int64_t ret)
{
	switch (ret) {
	case PSCI_SUCCESS: return 0;
	case PSCI_NOT_SUPPORTED: return -E_NOTSUP;
	case PSCI_INVALID_PARAMETERS: return -E_INVAL;
	case PSCI_INVALID_ADDRESS: return -E_INVAL;
	case PSCI_DENIED: return -E_NOTSUP;
	case PSCI_DISABLED: return -E_NOTSUP;
	case PSCI_ALREADY_ON: return -E_EXIST;
	case PSCI_ON_PENDING: return -E_BUSY;
	case PSCI_NOT_PRESENT: return -E_NOENT;
	default: return -E_IO;
	}
}

int arch_start_cpu(struct pcpu *cpu, const struct platform *p)
{
	uint64_t target;

	arm64_psci_init(p);
	if (p->psci == PSCI_CONDUIT_NONE)
		return -E_NOTSUP;

	/*
	 * The new CPU starts with its MMU and caches off and reads its
	 * struct pcpu (stack_top first) and, in core C, whatever else tern
	 * wrote so far straight from memory: push tern's data and bss there.
	 */
	arch_dcache_clean_inval((uintptr_t)__data_start,
				(size_t)(__image_end - __data_start));

	/* Affinity fields only: QEMU 7.2 silently rejects a target with the
	 * MPIDR U/RES1 bit 31 set. tern runs identity mapped, so the entry's
	 * virtual address is its physical address. */
	target = cpu->hwid & MPIDR_HWID_MASK;
	return psci_to_errno(psci_call(p->psci, PSCI_0_2_FN64_CPU_ON, target,
				       (uintptr_t)arm64_secondary_entry, (uintptr_t)cpu));
}

noreturn void arch_system_off(void)
{
	psci_call(psci_conduit, PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	arch_cpu_halt(); /* no PSCI, or it refused */
}

noreturn void arch_system_reset(void)
{
	psci_call(psci_conduit, PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
	arch_cpu_halt(); /* no PSCI, or it refused */
}
