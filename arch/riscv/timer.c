/*
 * tern's S-mode timer on RISC-V, and the idle loop. One timer per hart
 * serves two clients: the scheduler's time slice and, for guests without
 * Sstc, the guest's SBI set_timer deadline; it is always programmed for
 * the earlier one. With Sstc tern writes stimecmp itself, otherwise it
 * asks its firmware (SBI TIME).
 */
#include <stdatomic.h>
#include <arch/csr.h>
#include <arch/guest.h>
#include <arch/sbi.h>
#include <arch/trap.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/platform.h>
#include <tern/vm.h>
#include <tern/vm_start.h>

#define CSR_STIMECMP 0x14d

static bool host_sstc;
static bool host_sstc_probed;
static uint64_t slice_deadline[NR_CPUS];
/* What the hart's timer holds, so that an unchanged deadline costs no
 * firmware call: programmed[] is valid once set[] is. */
static uint64_t programmed[NR_CPUS];
static bool programmed_set[NR_CPUS];

uint64_t arch_counter(void)
{
	return csr_read(time);
}

/* Sstc is used only when the DT says the harts have it and the firmware
 * let S-mode reach stimecmp (menvcfg.STCE): the probe tells. */
void riscv_timer_init(void)
{
	bool ok;

	if (host_sstc_probed)
		return;
	csr_read_probe(0x14d, &ok);
	host_sstc = ok;
	host_sstc_probed = true;
}

bool riscv_host_has_sstc(void)
{
	riscv_timer_init();
	return host_sstc;
}

void riscv_timer_program(uint64_t deadline)
{
	unsigned int id = this_cpu()->id;

	if (programmed_set[id] && programmed[id] == deadline)
		return;
	programmed[id] = deadline;
	programmed_set[id] = true;
	if (host_sstc)
		csr_write(0x14d, deadline);
	else
		sbi_ecall(SBI_EXT_TIME, 0, deadline, 0, 0);
}

/*
 * The timer interrupt was taken, or seen pending after idling: the compare
 * value that raised it is spent. Write it again even when programmed[]
 * already holds UINT64_MAX: the cache knows only what tern wrote, and a
 * timer interrupt left pending behind it (QEMU can raise STIP for the old
 * compare value just after tern wrote a new one) would otherwise never be
 * cleared, and every guest entry would trap straight back out.
 */
void riscv_timer_expired(void)
{
	programmed_set[this_cpu()->id] = false;
	riscv_timer_program(UINT64_MAX);
}

uint64_t riscv_slice_deadline(void)
{
	return slice_deadline[this_cpu()->id];
}

void riscv_slice_clear(void)
{
	slice_deadline[this_cpu()->id] = UINT64_MAX;
}

void arch_set_slice_timer(uint64_t us)
{
	uint64_t freq = host_platform->timer_freq;

	slice_deadline[this_cpu()->id] = us ? arch_counter() + us * freq / 1000000 : UINT64_MAX;
}

/* Interrupts that arrived while nothing ran a guest (sstatus.SIE is 0 in
 * tern: they are polled, never taken). */
static void handle_pending(void)
{
	uint64_t sip = csr_read(sip);

	if (sip & SIP_SEIP)
		riscv_plic_handle();
	if (sip & SIP_SSIP)
		csr_clear(sip, SIP_SSIP);
	if (sip & SIP_STIP)
		riscv_timer_expired();
}

void arch_idle(uint64_t deadline)
{
	riscv_timer_program(deadline);
	csr_write(sie, SIE_SSIE | SIE_STIE | SIE_SEIE);
	__asm__ volatile("wfi" : : : "memory");
	csr_write(sie, 0);
	handle_pending();
}

noreturn void arch_system_reset(void)
{
	/* SRST cold reboot; firmware without it leaves tern to stop. */
	sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, 1, SBI_SRST_REASON_NONE, 0);
	arch_system_off();
}
