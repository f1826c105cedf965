/*
 * IPI and RFENCE. An IPI shows on the target as sip.SSIP: on the boot hart
 * (interrupts masked) by polling sip, on the second hart by its interrupt
 * handler counting. Remote fences have no effect to observe with the MMU
 * off; they are checked for their return values, to the same hart masks.
 */
#include "sbi_test.h"

#define TIMEOUT_MS 2000

/* hart_mask_base = -1: hart_mask is ignored, every hart is meant. */
#define ALL_HARTS (~0ul)

static bool ssip(void)
{
	return csr_read(sip) & SIP_SSIP;
}

static volatile bool receiver_ready, receiver_stop, receiver_spin, receiver_spinning;
/* The receiver runs from check_ipi() to the end of check_rfence(). */
static bool receiver_up;

/*
 * The second hart: takes supervisor software interrupts until told to stop.
 * Returning stops the hart (HART_STOP).
 *
 * It waits with wait_until() and sstatus.SIE clear, and takes what woke it
 * by opening sstatus.SIE for a moment after: an interrupt taken between
 * wait_until()'s arming of its timer and its WFI would leave the WFI
 * nothing to wake for. While remote fences are sent to it, it spins with
 * interrupts open instead: OpenSBI has the caller of a remote fence spin
 * in M-mode until the target has run its part, and under QEMU -icount (one
 * thread, vCPUs in turn) a target halted in WFI is then never woken.
 */
static void receiver(void *arg)
{
	csr_clear(sip, SIP_SSIP);
	csr_set(sie, SIP_SSIP);
	receiver_ready = true;
	cpu_wake_all();
	while (!receiver_stop) {
		if (receiver_spin) {
			receiver_spinning = true;
			local_irq_enable();
			while (receiver_spin && !receiver_stop)
				__asm__ volatile("" ::: "memory");
			local_irq_disable();
			receiver_spinning = false;
		} else {
			wait_until(receiver_stop || receiver_spin || (csr_read(sip) & SIP_SSIP),
				   1000);
			local_irq_enable();
			local_irq_disable();
		}
	}
	csr_clear(sie, SIP_SSIP);
}

void ipi_receiver_spin(bool on)
{
	receiver_spin = on;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!wait_until(receiver_spinning == on, TIMEOUT_MS))
		report(false, "IPI receiver (hart %lu) did not %s spinning", env.other,
		       on ? "start" : "stop");
}

bool ipi_receiver_start(void)
{
	long r;

	receiver_ready = false;
	receiver_stop = false;
	receiver_spin = false;
	receiver_spinning = false;
	r = cpu_start(env.other_cpu, receiver, NULL);
	if (r != SBI_SUCCESS) {
		report(false, "hart_start(%lu) for the IPI receiver = %ld (expected SUCCESS)",
		       env.other, r);
		return false;
	}
	if (!wait_until(receiver_ready, TIMEOUT_MS)) {
		report(false, "hart %lu did not come up to receive IPIs", env.other);
		return false;
	}
	return true;
}

static long hart_status(unsigned long hart)
{
	struct sbiret r = sbi_call1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hart);

	return r.error ? r.error : r.value;
}

void ipi_receiver_stop(void)
{
	receiver_stop = true;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	sbi_call2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, env.other);
	if (!wait_until(hart_status(env.other) == SBI_HSM_STATE_STOPPED, TIMEOUT_MS))
		report(false, "IPI receiver (hart %lu) did not stop: status %ld", env.other,
		       hart_status(env.other));
}

static long send_ipi(unsigned long mask, unsigned long base)
{
	return sbi_call2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, mask, base).error;
}

static void check_ipi_self(void)
{
	long r;

	csr_clear(sip, SIP_SSIP);
	r = send_ipi(1, env.self);
	report(r == SBI_SUCCESS, "send_ipi(mask 0x1, base %lu = self) = %ld (expected SUCCESS)",
	       env.self, r);
	report(spin_until(ssip(), TIMEOUT_MS), "sip.SSIP set on self");
	csr_clear(sip, SIP_SSIP);
	report(!ssip(), "csrc sip.SSIP clears it");

	/* The same hart named from base 0. */
	if (env.self < 64) {
		r = send_ipi(1ul << env.self, 0);
		report(r == SBI_SUCCESS && spin_until(ssip(), TIMEOUT_MS),
		       "send_ipi(mask 0x%lx, base 0) = %ld: sip.SSIP set", 1ul << env.self, r);
		csr_clear(sip, SIP_SSIP);
	}
}

/* The second hart counts what it takes. */
static void check_ipi_other(void)
{
	unsigned long other = env.other;
	unsigned int n = irq_load(&irqs.ssi[other]);
	long r;

	r = send_ipi(1, other);
	report(r == SBI_SUCCESS, "send_ipi(mask 0x1, base %lu) = %ld (expected SUCCESS)", other, r);
	report(wait_until(irq_load(&irqs.ssi[other]) == n + 1, TIMEOUT_MS),
	       "hart %lu took the IPI (%u)", other, irq_load(&irqs.ssi[other]) - n);
	report(!ssip(), "the boot hart got none");

	/* Every hart, the caller included. */
	n = irq_load(&irqs.ssi[other]);
	csr_clear(sip, SIP_SSIP);
	r = send_ipi(0, ALL_HARTS);
	report(r == SBI_SUCCESS, "send_ipi(mask 0, base -1: all harts) = %ld (expected SUCCESS)",
	       r);
	report(wait_until(irq_load(&irqs.ssi[other]) == n + 1, TIMEOUT_MS),
	       "all: hart %lu took the IPI", other);
	report(spin_until(ssip(), TIMEOUT_MS), "all: sip.SSIP set on the boot hart too");
	csr_clear(sip, SIP_SSIP);

	/* Both, by mask. */
	if (env.self < 64 && other < 64) {
		n = irq_load(&irqs.ssi[other]);
		r = send_ipi((1ul << env.self) | (1ul << other), 0);
		report(r == SBI_SUCCESS, "send_ipi(mask 0x%lx, base 0) = %ld (expected SUCCESS)",
		       (1ul << env.self) | (1ul << other), r);
		report(wait_until(irq_load(&irqs.ssi[other]) == n + 1, TIMEOUT_MS) &&
			       spin_until(ssip(), TIMEOUT_MS),
		       "both harts got it");
		csr_clear(sip, SIP_SSIP);
	}
}

/*
 * Hart ids the DT does not list: past the last hart, in the mask's first
 * bit (base = that id) or 64 further on, and next to a present hart in one
 * mask. The spec has INVALID_PARAM for all ("at least one hartid
 * constructed from hart_mask_base and hart_mask is not valid"). OpenSBI 1.1
 * agrees when no hart of the mask exists, but for a mask that also names
 * a present hart it drops the absent bits and returns SUCCESS (the present
 * hart gets the IPI): there both are accepted.
 */
static void check_ipi_invalid(void)
{
	long r;

	r = send_ipi(1, env.absent);
	report(r == SBI_ERR_INVALID_PARAM,
	       "send_ipi(mask 0x1, base %lu: no such hart) = %ld (expected INVALID_PARAM)",
	       env.absent, r);
	r = send_ipi(1, 64 + env.absent);
	report(r == SBI_ERR_INVALID_PARAM,
	       "send_ipi(mask 0x1, base %lu: no such hart) = %ld (expected INVALID_PARAM)",
	       64 + env.absent, r);
	if (env.absent < 64) {
		unsigned long mask = (1ul << env.self) | (1ul << env.absent);

		r = send_ipi(mask, 0);
		report(r == SBI_ERR_INVALID_PARAM || r == SBI_SUCCESS,
		       "send_ipi(mask 0x%lx, base 0: self and no such hart) = %ld (expected INVALID_PARAM, OpenSBI: SUCCESS)",
		       mask, r);
	}
	csr_clear(sip, SIP_SSIP);
}

void check_ipi(void)
{
	report_prefix_push("ipi");
	check_ipi_self();
	receiver_up = env.other_cpu >= 0 && ipi_receiver_start();
	if (receiver_up) {
		check_ipi_other();
		check_ipi_invalid();
		/* RFENCE next, with the receiver still up to be fenced. */
	} else {
		if (env.other_cpu < 0)
			report_skip("IPIs to a second hart: the DT lists one hart");
		check_ipi_invalid();
	}
	report_prefix_pop();
}

/* --- RFENCE ------------------------------------------------------------------ */

struct fence {
	unsigned long fid;
	const char *name;
	unsigned long start, size, id; /* id: ASID or VMID where taken */
	bool hyp; /* an HFENCE: needs the H extension on the targets */
};

static long rfence(const struct fence *f, unsigned long mask, unsigned long base)
{
	return sbi_ecall(SBI_EXT_RFENCE, f->fid, mask, base, f->start, f->size, f->id, 0).error;
}

static const struct fence fences[] = {
	{ SBI_RFENCE_FENCE_I, "remote_fence_i", 0, 0, 0, false },
	{ SBI_RFENCE_SFENCE_VMA, "remote_sfence_vma(all)", 0, 0, 0, false },
	{ SBI_RFENCE_SFENCE_VMA, "remote_sfence_vma(size -1)", 0, ~0ul, 0, false },
	{ SBI_RFENCE_SFENCE_VMA, "remote_sfence_vma(range)", 0x80200000, 0x3000, 0, false },
	{ SBI_RFENCE_SFENCE_VMA_ASID, "remote_sfence_vma_asid(all, asid 1)", 0, 0, 1, false },
	{ SBI_RFENCE_SFENCE_VMA_ASID, "remote_sfence_vma_asid(range, asid 1)", 0x80200000, 0x1000,
	  1, false },
	{ SBI_RFENCE_HFENCE_GVMA_VMID, "remote_hfence_gvma_vmid(all, vmid 1)", 0, 0, 1, true },
	{ SBI_RFENCE_HFENCE_GVMA, "remote_hfence_gvma(all)", 0, 0, 0, true },
	{ SBI_RFENCE_HFENCE_VVMA_ASID, "remote_hfence_vvma_asid(all, asid 1)", 0, 0, 1, true },
	{ SBI_RFENCE_HFENCE_VVMA, "remote_hfence_vvma(all)", 0, 0, 0, true },
};

/*
 * What a fence must return to valid targets. The HFENCEs are for a
 * hypervisor: with the H extension (QEMU's rv64 has it, and OpenSBI runs
 * the guest in HS-mode) SUCCESS; without (a guest of tern sees no H)
 * NOT_SUPPORTED, "one of the target harts doesn't support hypervisor
 * extension".
 */
static long fence_expect(const struct fence *f)
{
	return f->hyp && !env.has_h ? SBI_ERR_NOT_SUPPORTED : SBI_SUCCESS;
}

void check_rfence(void)
{
	bool other = receiver_up && env.other < 64;
	long r;

	report_prefix_push("rfence");
	if (receiver_up)
		ipi_receiver_spin(true);
	for (unsigned int i = 0; i < ARRAY_SIZE(fences); i++) {
		const struct fence *f = &fences[i];
		long want = fence_expect(f);

		r = rfence(f, 1, env.self);
		report(r == want, "%s to self = %ld (expected %s)", f->name, r, sbi_err_name(want));
		r = rfence(f, 0, ALL_HARTS);
		report(r == want, "%s to all = %ld (expected %s)", f->name, r, sbi_err_name(want));
		if (other) {
			r = rfence(f, 1ul << env.other, 0);
			report(r == want, "%s to hart %lu = %ld (expected %s)", f->name, env.other,
			       r, sbi_err_name(want));
		}
		/* As for send_ipi: only a base past every hart is refused by OpenSBI. */
		r = rfence(f, 1, 64 + env.absent);
		if (f->hyp && !env.has_h)
			/* Either check may come first: both codes are right. */
			report(r == SBI_ERR_NOT_SUPPORTED || r == SBI_ERR_INVALID_PARAM,
			       "%s to base %lu = %ld (expected NOT_SUPPORTED or INVALID_PARAM)",
			       f->name, 64 + env.absent, r);
		else
			report(r == SBI_ERR_INVALID_PARAM,
			       "%s to base %lu = %ld (expected INVALID_PARAM)", f->name,
			       64 + env.absent, r);
	}
	r = sbi_call0(SBI_EXT_RFENCE, 7).error;
	report(r == SBI_ERR_NOT_SUPPORTED, "RFENCE function 7 = %ld (expected NOT_SUPPORTED)", r);
	report_prefix_pop();
	if (receiver_up)
		ipi_receiver_stop();
	receiver_up = false;
}
