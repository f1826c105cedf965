/*
 * What tern knows about the machine, all of it read from the host device
 * tree (core/platform_fdt.c). Nothing here is hard-coded per board.
 */
#ifndef TERN_PLATFORM_H
#define TERN_PLATFORM_H

#include <tern/types.h>

#define PLAT_MAX_MEM 16
#define PLAT_MAX_RESV 32
#define PLAT_MAX_CPUS 64
#define PLAT_MAX_REGS 4

struct mem_range {
	paddr_t base;
	uint64_t size;
};

struct plat_cpu {
	uint64_t hwid;          /* MPIDR affinity fields (arm64) or hart id (RISC-V) */
	const char *isa;        /* RISC-V "riscv,isa" string, NULL elsewhere */
	const char *enable_method; /* "psci", "spin-table", or NULL */
};

enum uart_kind { UART_NONE, UART_PL011, UART_NS16550 };

struct plat_uart {
	enum uart_kind kind;
	const char *compatible;
	const char *path;       /* node path, for messages */
	paddr_t base;
	uint64_t size;
	uint32_t reg_shift;     /* ns16550: register stride is 1 << reg_shift */
	uint32_t reg_io_width;  /* ns16550: access width in bytes (1 or 4) */
	uint32_t clock;         /* input clock in Hz, 0 if unknown */
	uint32_t irq[3];        /* its "interrupts" specifier, as in the DT */
	int nr_irq_cells;       /* 0: the DT gives it no interrupt */
};

enum intc_kind { INTC_NONE, INTC_GICV2, INTC_GICV3, INTC_PLIC, INTC_APLIC };

struct plat_intc {
	enum intc_kind kind;
	const char *compatible;
	struct mem_range regs[PLAT_MAX_REGS];
	unsigned int nr_regs;
};

enum psci_conduit { PSCI_CONDUIT_NONE, PSCI_CONDUIT_HVC, PSCI_CONDUIT_SMC };

struct platform {
	const void *fdt;
	paddr_t fdt_base;
	uint32_t fdt_size;
	const char *model;
	const char *bootargs;   /* /chosen/bootargs, "" if absent */
	paddr_t initrd_start;   /* /chosen linux,initrd-start/-end: tern's guest bundle */
	paddr_t initrd_end;     /* 0 and 0 when there is none */

	struct mem_range mem[PLAT_MAX_MEM];
	unsigned int nr_mem;
	struct mem_range resv[PLAT_MAX_RESV]; /* /memreserve/ and /reserved-memory */
	unsigned int nr_resv;

	struct plat_cpu cpus[PLAT_MAX_CPUS];
	unsigned int nr_cpus;   /* entries in cpus[] */

	struct plat_uart uart;
	struct plat_intc intc;
	uint64_t timer_freq;    /* Hz; 0 if the DT does not say (arm64: read CNTFRQ) */
	enum psci_conduit psci; /* arm64 host PSCI conduit */
};

/*
 * Parse the flattened device tree at fdt into p. Returns 0, or a negative
 * E_* code with *why set to a sentence naming the problem. A missing UART
 * is not an error here (p->uart.kind == UART_NONE): the caller decides.
 */
int platform_parse(const void *fdt, struct platform *p, const char **why);

/* The machine tern runs on, once parsed (tern_main sets it), for the code
 * that places guests on it. */
extern const struct platform *host_platform;

/* Small helpers over the parsed result. */
uint64_t platform_mem_total(const struct platform *p);
int platform_find_cpu(const struct platform *p, uint64_t hwid); /* index or -1 */
const char *intc_kind_name(enum intc_kind k);
const char *uart_kind_name(enum uart_kind k);

#endif
