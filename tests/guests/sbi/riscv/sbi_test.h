/*
 * The sbi guest: SBI calls from S-mode (VS-mode under tern), each checked
 * for its exact return value and its side effect. One file per extension
 * (or group); main.c runs them in order.
 */
#ifndef SBI_TEST_H
#define SBI_TEST_H

#include <guest.h>

/* What arch.h does not name already (SBI v2.0). */
#define SBI_EXT_DBCN 0x4442434eul

#define SBI_BASE_GET_MVENDORID 4
#define SBI_BASE_GET_MARCHID 5
#define SBI_BASE_GET_MIMPID 6

#define SBI_IPI_SEND_IPI 0

#define SBI_RFENCE_FENCE_I 0
#define SBI_RFENCE_SFENCE_VMA 1
#define SBI_RFENCE_SFENCE_VMA_ASID 2
#define SBI_RFENCE_HFENCE_GVMA_VMID 3
#define SBI_RFENCE_HFENCE_GVMA 4
#define SBI_RFENCE_HFENCE_VVMA_ASID 5
#define SBI_RFENCE_HFENCE_VVMA 6

#define SBI_HSM_HART_SUSPEND 3
#define SBI_HSM_STATE_SUSPENDED 4L
#define SBI_HSM_SUSPEND_RETENTIVE 0x00000000ul
#define SBI_HSM_SUSPEND_NON_RETENTIVE 0x80000000ul

#define SBI_SRST_TYPE_COLD_REBOOT 1
#define SBI_SRST_TYPE_WARM_REBOOT 2

#define SBI_DBCN_WRITE 0
#define SBI_DBCN_READ 1
#define SBI_DBCN_WRITE_BYTE 2

/* Legacy (v0.1) extensions: one EID per function, result in a0 only. */
#define SBI_LEGACY_SET_TIMER 0x00ul
#define SBI_LEGACY_PUTCHAR 0x01ul
#define SBI_LEGACY_GETCHAR 0x02ul
#define SBI_LEGACY_CLEAR_IPI 0x03ul
#define SBI_LEGACY_SEND_IPI 0x04ul
#define SBI_LEGACY_FENCE_I 0x05ul
#define SBI_LEGACY_SFENCE_VMA 0x06ul
#define SBI_LEGACY_SFENCE_VMA_ASID 0x07ul

/* sip / sie bits and the interrupt causes they go with. */
#define IRQ_SSI 1
#define IRQ_STI 5
#define SIP_SSIP (1ul << IRQ_SSI)
#define SIP_STIP (1ul << IRQ_STI)
#define SSTATUS_SIE (1ul << 1)

#define csr_read(csr)                                                          \
	({                                                                     \
		unsigned long __v;                                             \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v)::"memory");     \
		__v;                                                           \
	})
#define csr_set(csr, bits) __asm__ volatile("csrs " #csr ", %0" ::"r"(bits) : "memory")
#define csr_clear(csr, bits) __asm__ volatile("csrc " #csr ", %0" ::"r"(bits) : "memory")

#define local_irq_enable() csr_set(sstatus, SSTATUS_SIE)
#define local_irq_disable() csr_clear(sstatus, SSTATUS_SIE)

/*
 * Wait for cond by polling the time CSR, never by WFI: for the checks of
 * the SBI timer itself, which wait_until() would reprogram. Only while no
 * other hart needs to make progress for cond to become true.
 */
#define spin_until(cond, timeout_ms)                                           \
	({                                                                     \
		uint64_t __end = timer_now() + timer_freq() * (timeout_ms) / 1000; \
		bool __done;                                                   \
		while (!(__done = (cond)) && timer_now() < __end)             \
			__asm__ volatile("" ::: "memory");                    \
		__done;                                                        \
	})

static inline struct sbiret sbi_call0(unsigned long ext, unsigned long fid)
{
	return sbi_ecall(ext, fid, 0, 0, 0, 0, 0, 0);
}

static inline struct sbiret sbi_call1(unsigned long ext, unsigned long fid, unsigned long a0)
{
	return sbi_ecall(ext, fid, a0, 0, 0, 0, 0, 0);
}

static inline struct sbiret sbi_call2(unsigned long ext, unsigned long fid, unsigned long a0,
				      unsigned long a1)
{
	return sbi_ecall(ext, fid, a0, a1, 0, 0, 0, 0);
}

/* Legacy calls return their one value in a0, which sbi_ecall() reports as
 * .error; a6 (the function id) is ignored there. */
static inline long sbi_legacy(unsigned long ext, unsigned long a0, unsigned long a1,
			      unsigned long a2, unsigned long a3)
{
	return sbi_ecall(ext, 0, a0, a1, a2, a3, 0, 0).error;
}

/* Facts main.c gathers first and the checks share. */
struct sbi_env {
	unsigned long spec_major, spec_minor;
	unsigned long self; /* the boot hart's id */
	int other_cpu; /* index of a second hart in the DT, -1 if none */
	unsigned long other; /* its hart id */
	unsigned long absent; /* a hart id the DT does not list */
	bool has_h; /* the DT's riscv,isa names the H extension */
	unsigned long impl_id; /* BASE get_impl_id: 1 OpenSBI, 0x7465726e tern */
};

/* tern's implementation ID (docs/guest-abi/sbi.md): the guest then runs in
 * VS-mode, where some of QEMU 7.2's CSR views differ (see time.c). */
#define SBI_IMPL_TERN 0x7465726eUL
extern struct sbi_env env;

bool sbi_probe(unsigned long ext);
bool spec_at_least(unsigned long major, unsigned long minor);
const char *sbi_err_name(long code); /* "INVALID_PARAM" for -3 */
/* If addr is in one of the DT's /memory ranges: true, and that range. */
bool ram_range(uint64_t addr, uint64_t *base, uint64_t *end);

/* One interrupt handler for the guest: counts per hart and cause, clears the
 * source (sip.SSIP; sie.STIE for the timer) and records the time. */
#define MAX_HARTS 8
struct irq_counts {
	unsigned int ssi[MAX_HARTS];
	unsigned int sti[MAX_HARTS];
	unsigned int other;
	unsigned long last_cause;
	uint64_t sti_time; /* time CSR when the last timer interrupt was taken */
};
extern struct irq_counts irqs;
void irq_handler(unsigned long scause);
static inline unsigned int irq_load(const unsigned int *counter)
{
	return __atomic_load_n(counter, __ATOMIC_ACQUIRE);
}

void check_base(void);
void check_time(void);
void check_ipi(void);
void check_rfence(void);
void check_hsm(void);
void check_dbcn(void);
void check_fwft(void);
void check_legacy(void);
void check_srst(void);

/* ipi.c: the second hart sits in an interrupt loop, counting IPIs, while
 * IPI and RFENCE checks run; stops it again. */
bool ipi_receiver_start(void);
void ipi_receiver_stop(void);
/* While remote fences target it, the receiver spins instead of waiting
 * (see ipi.c). */
void ipi_receiver_spin(bool on);

#endif
