/*
 * RISC-V vCPUs: their reset state, loading them onto a hart and off it,
 * and one guest entry (arch_vcpu_enter). The VS-level CSRs are switched as one
 * list (RISCV_GUEST_CSRS); FP state only when it has to be (see
 * <arch/vcpu.h>); interrupts other harts raise for a vCPU arrive as atomic
 * hvip bits merged by the vCPU's own hart before each entry.
 */
#include <stdatomic.h>
#include <string.h>
#include <arch/csr.h>
#include <arch/fast_exit.h>
#include <arch/guest.h>
#include <arch/vsbi.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/vm.h>

/* Delegated straight to the guest: its own faults and calls from VU. */
#define HEDELEG_GUEST ((1UL << EXC_INSN_MISALIGNED) | (1UL << EXC_ILLEGAL_INSN) | \
		       (1UL << EXC_BREAKPOINT) | (1UL << EXC_ECALL_U) | \
		       (1UL << EXC_INSN_PAGE) | (1UL << EXC_LOAD_PAGE) | (1UL << EXC_STORE_PAGE))
#define HIDELEG_GUEST HVIP_VS_ALL

/* vstimecmp (0x24d) and henvcfg (0x60a) by number: the assembler may not
 * know their names. csr_read() stringifies, so the numbers are spelled out. */

struct hart_state {
	struct vcpu *loaded;
	struct vcpu *fp_owner;   /* whose FP registers the hart holds */
	struct vcpu *last[VM_MAX_VMS]; /* the VM's vCPU that ran here last */
	struct vm *last_vm;      /* the VM that ran here last */
	_Atomic uint32_t vmid_flushed; /* VMs whose G-stage TLB entries this hart dropped */
};

static struct hart_state harts[NR_CPUS];
/* Bumped whenever guest code was written: a hart that has not seen the
 * newest value runs FENCE.I before entering a guest (its instruction
 * cache may hold what was there before). */
static atomic_uint image_gen = 1;
static unsigned int image_seen[NR_CPUS];

void arch_guest_image_sync(uintptr_t base, size_t size)
{
	atomic_thread_fence(memory_order_seq_cst);
	atomic_fetch_add(&image_gen, 1);
}

static struct hart_state *hart(void)
{
	return &harts[this_cpu()->id];
}

struct vcpu *riscv_loaded_vcpu(void)
{
	return hart()->loaded;
}

#define CSR_SAVE(name) a->csr[GCSR_##name] = csr_read(name);
#define CSR_RESTORE(name) csr_write(name, a->csr[GCSR_##name]);

static void vcpu_load(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	struct vm *vm = v->vm;
	struct hart_state *h = hart();

	h->loaded = v;
	if (image_seen[this_cpu()->id] != atomic_load(&image_gen)) {
		image_seen[this_cpu()->id] = atomic_load(&image_gen);
		__asm__ volatile("fence.i" : : : "memory");
	}
	csr_write(hgatp, riscv_hgatp(vm));
	if (vm->arch.vmid == RISCV_VMID_SHARED && h->last_vm != vm) {
		/* VMs without a VMID of their own share one: what another
		 * left here is tagged as this one's. */
		hfence_gvma_all();
		hfence_vvma_all();
		h->vmid_flushed |= 1u << vm->id;
	}
	h->last_vm = vm;
	if (!(h->vmid_flushed & (1u << vm->id))) {
		/* Whatever ran before (firmware, a previous VM in this slot)
		 * may have left entries tagged with this VMID. */
		hfence_gvma_vmid(vm->arch.vmid);
		h->vmid_flushed |= 1u << vm->id;
	}
	/* Delegation first: vsie's bits of an interrupt hideleg does not
	 * delegate are read-only zero, so restoring vsie with hideleg still 0
	 * (arch_vcpu_put clears it) would keep whatever the last vCPU here
	 * enabled (the selftest guest's "sie: each hart keeps its own
	 * enables", two vCPUs on one hart). */
	csr_write(hedeleg, HEDELEG_GUEST);
	csr_write(hideleg, HIDELEG_GUEST);
	RISCV_GUEST_CSRS(CSR_RESTORE)
	if (vm->arch.sstc)
		csr_write(0x24d, a->vstimecmp);
	csr_write(0x60a, vm->arch.sstc ? HENVCFG_STCE : 0);
	csr_write(htimedelta, 0);
	/* VS-stage entries are tagged by VMID and ASID only: another vCPU of
	 * the same VM that ran here may have left translations this one must
	 * not see (its ASIDs mean other address spaces). */
	if (h->last[vm->id] != v) {
		hfence_vvma_all();
		h->last[vm->id] = v;
	}
	if (h->fp_owner != v) {
		csr_set(sstatus, SSTATUS_FS_INITIAL);
		riscv_fp_load(&a->fp);
		csr_clear(sstatus, SSTATUS_FS);
		h->fp_owner = v;
	}
}

static void fp_save_if_dirty(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	if ((a->regs.sstatus & SSTATUS_FS) != SSTATUS_FS_DIRTY)
		return;
	csr_set(sstatus, SSTATUS_FS_INITIAL);
	riscv_fp_save(&a->fp);
	csr_clear(sstatus, SSTATUS_FS);
	/* Saved: the guest's next FP write makes it dirty again. */
	a->regs.sstatus = (a->regs.sstatus & ~SSTATUS_FS) | SSTATUS_FS_CLEAN;
}

void arch_vcpu_put(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	riscv_timer_program(UINT64_MAX);
	RISCV_GUEST_CSRS(CSR_SAVE)
	if (v->vm->arch.sstc)
		a->vstimecmp = csr_read(0x24d);
	fp_save_if_dirty(v);
	csr_write(hgatp, 0);
	csr_write(hvip, 0);
	csr_write(hedeleg, 0);
	csr_write(hideleg, 0);
	hart()->loaded = NULL;
}

void riscv_vmid_flush_all(struct vm *vm)
{
	for (unsigned int i = 0; i < NR_CPUS; i++)
		atomic_fetch_and(&harts[i].vmid_flushed, ~(1u << vm->id));
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].running_on)
			vcpu_kick(&vm->vcpus[i]);
}

void arch_vcpu_init(struct vcpu *v)
{
	v->hwid = v->id;
	v->arch.fence_lock = (spinlock_t)SPINLOCK_INIT;
}

/*
 * The registers a hart starts with (HART_START, boot, a reset): a0 = hart
 * id, a1 = arg, at entry in VS-mode supervisor with interrupts off, the
 * MMU off. A hart resuming from a non-retentive suspend starts so too, but
 * it is the hart that slept (resume): the interrupt that woke it stays
 * pending, and its interrupt enables, timer and SSE events are its own.
 */
static void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg, bool resume)
{
	struct arch_vcpu *a = &v->arch;
	bool loaded = riscv_loaded_vcpu() == v;
	uint64_t hvip = a->csr[GCSR_hvip], vsie = a->csr[GCSR_vsie];

	memset(&a->regs.x, 0, sizeof(a->regs.x));
	a->regs.x[10] = v->hwid; /* a0: hart id, a1: the DT or opaque */
	a->regs.x[11] = arg;
	a->regs.sepc = entry;
	/* VS-mode supervisor, interrupts off in the guest; FP usable by the
	 * guest once it sets vsstatus.FS. */
	a->regs.sstatus = SSTATUS_SPP | SSTATUS_FS_INITIAL;
	a->regs.hstatus = HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VTW | HSTATUS_VSXL_64;
	memset(a->csr, 0, sizeof(a->csr));
	memset(&a->fp, 0, sizeof(a->fp));
	a->hsm_suspended = false;
	a->suspend_nonret = false;
	a->reset_done = true;
	a->regs_reset = true;
	if (resume) {
		a->csr[GCSR_hvip] = hvip;
		a->csr[GCSR_vsie] = vsie;
	} else {
		/* SSE attributes start over with the events (vcpu_events_reset
		 * follows every start). */
		a->vstimecmp = UINT64_MAX;
		a->sbi_timer = UINT64_MAX;
		atomic_store(&a->hvip_set, 0);
		atomic_store(&a->hvip_clear, 0);
		memset(&a->sse, 0, sizeof(a->sse));
		a->fwft_locked = 0;
	}
	if (loaded) {
		/* The vCPU loaded on this hart: the hardware holds what it
		 * enters with. */
		RISCV_GUEST_CSRS(CSR_RESTORE)
		if (v->vm->arch.sstc)
			csr_write(0x24d, a->vstimecmp);
		csr_set(sstatus, SSTATUS_FS_INITIAL);
		riscv_fp_load(&a->fp);
		csr_clear(sstatus, SSTATUS_FS);
	} else if (hart()->fp_owner == v) {
		hart()->fp_owner = NULL;
	}
}

void arch_vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	vcpu_reset(v, entry, arg, false);
}

void arch_vcpu_load(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	if (a->hsm_suspended) {
		/* Woken from an HSM suspend: a non-retentive one starts over
		 * at its resume address, as if the hart had been started. */
		a->hsm_suspended = false;
		if (a->suspend_nonret)
			vcpu_reset(v, a->resume_addr, a->resume_opaque, true);
	}
	vcpu_load(v);
}

/* The vCPU loaded on this hart merges the bits before its next entry by
 * itself; any other must be woken and made to leave the guest. */
static void notify(struct vcpu *v)
{
	if (riscv_loaded_vcpu() == v)
		return;
	vcpu_notify(v);
}

void riscv_vcpu_raise(struct vcpu *v, uint64_t bits)
{
	atomic_fetch_or(&v->arch.hvip_set, bits);
	notify(v);
}

void riscv_vcpu_lower(struct vcpu *v, uint64_t bits)
{
	atomic_fetch_or(&v->arch.hvip_clear, bits);
	if (riscv_loaded_vcpu() != v)
		vcpu_kick(v);
}

/* Up to this many pages a ranged request is done page by page. */
#define FENCE_PAGES_MAX 64

static void hfence_vvma_range(const struct riscv_fence_req *f)
{
	for (uint64_t off = 0; off < f->vma_size; off += 4096) {
		uint64_t va = f->vma_start + off;

		if (f->vma_has_asid)
			hfence_vvma_va_asid(va, f->vma_asid);
		else
			hfence_vvma_va(va);
	}
}

/* Carry out fences others asked of this vCPU (loaded on this hart); the
 * requests and their numbers are fence.c's. */
void riscv_fences_apply(struct vcpu *v)
{
	struct riscv_fence_req f;
	unsigned int seq;

	if (!riscv_fences_take(v, &f, &seq))
		return;
	if (f.fence_i)
		__asm__ volatile("fence.i" : : : "memory");
	if (f.vma_all) {
		hfence_vvma_all();
	} else if (f.vma_pending) {
		if (f.vma_size / 4096 > FENCE_PAGES_MAX) {
			if (f.vma_has_asid)
				hfence_vvma_asid(f.vma_asid);
			else
				hfence_vvma_all();
		} else {
			hfence_vvma_range(&f);
		}
	}
	riscv_fences_done(v, seq);
}

void riscv_vcpu_set_timer(struct vcpu *v, uint64_t deadline)
{
	struct arch_vcpu *a = &v->arch;

	/* Setting the timer clears a pending timer interrupt (SBI TIME). */
	csr_clear(hvip, HVIP_VSTIP);
	if (v->vm->arch.sstc) {
		a->vstimecmp = deadline;
		csr_write(0x24d, deadline);
	} else {
		a->sbi_timer = deadline;
		a->entry_work = true; /* tern's timer is programmed at entry */
	}
}

/* Before an entry: interrupts from other harts, the SBI timer, the vPLIC
 * output, fences, and tern's own timer for whichever comes first. */
static void prepare_entry(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	/* Plain loads first: the atomic exchanges cost more, and there is
	 * usually nothing another hart raised. */
	uint64_t set = atomic_load_explicit(&a->hvip_set, memory_order_relaxed) ?
			       atomic_exchange(&a->hvip_set, 0) : 0;
	uint64_t clear = atomic_load_explicit(&a->hvip_clear, memory_order_relaxed) ?
				 atomic_exchange(&a->hvip_clear, 0) : 0;
	uint64_t now = arch_counter(), deadline = riscv_slice_deadline();

	a->entry_work = false;

	/* An SSE event due preempts whatever the guest would run next. */
	riscv_sse_deliver(v);
	if (clear)
		csr_clear(hvip, clear);
	if (set)
		csr_set(hvip, set);
	if (!v->vm->arch.sstc) {
		if (a->sbi_timer <= now) {
			csr_set(hvip, HVIP_VSTIP);
			a->sbi_timer = UINT64_MAX;
		} else if (a->sbi_timer < deadline) {
			deadline = a->sbi_timer;
		}
	}
	if (riscv_vplic_pending(v))
		csr_set(hvip, HVIP_VSEIP);
	else
		csr_clear(hvip, HVIP_VSEIP);
	riscv_fences_apply(v);
	riscv_timer_program(deadline);
	csr_write(sie, SIE_SSIE | SIE_STIE | SIE_SEIE);
}

enum vcpu_next arch_vcpu_enter(struct vcpu *v)
{
	unsigned int kind;

	prepare_entry(v);
	kind = riscv_guest_enter(&v->arch.regs);
	csr_write(sie, 0);
	if (kind & GUEST_EXIT_HANDLED)
		return v->arch.fast_next; /* the fast path did the exit's work */
	v->arch.reset_done = false;
	return riscv_handle_exit(v);
}

/* The VS interrupts pending for a vCPU that is not running, against the
 * ones it enabled (vsie holds them at their S-level positions). */
bool arch_vcpu_irq_pending(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	uint64_t pending = a->csr[GCSR_hvip] | atomic_load(&a->hvip_set);
	uint64_t now = arch_counter();

	if (vcpu_event_due(v))
		return true; /* an SSE event is due: it wakes the vCPU */
	if (v->vm->arch.sstc ? a->vstimecmp <= now : a->sbi_timer <= now)
		pending |= HVIP_VSTIP;
	if (riscv_vplic_pending(v))
		pending |= HVIP_VSEIP;
	return (pending & (a->csr[GCSR_vsie] << 1) & HVIP_VS_ALL) != 0;
}

uint64_t arch_vcpu_timer_deadline(struct vcpu *v)
{
	return v->vm->arch.sstc ? v->arch.vstimecmp : v->arch.sbi_timer;
}

void arch_vm_reset(struct vm *vm)
{
	riscv_vplic_reset(vm);
}

bool arch_vm_starts_all_vcpus(const struct vm *vm)
{
	return vm->cfg.sbi == SBI_LEVEL_V01;
}
