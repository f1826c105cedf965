/*
 * Guest virtual memory, read as the guest sees it: HLV/HLVX translate
 * through the guest's own page tables (vsatp) and then G-stage, with the
 * guest's privilege (hstatus.SPVP). A fault on either stage traps into
 * tern's own vector while a flag is set; the handler skips the access and
 * the caller gets -E_FAULT (seed 001: one accessor that survives faults).
 * A G-stage fault on RAM not touched yet populates it, as the guest's own
 * access would, and the access is tried again: the guest's page tables and
 * the data they lead to may each be a first touch. Only for the vCPU
 * loaded on this hart.
 */
#include <arch/csr.h>
#include <arch/guest.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/vm.h>

static void access_begin(struct pcpu *cpu, bool supervisor)
{
	cpu->arch.guest_access = true;
	cpu->arch.guest_access_faulted = false;
	cpu->arch.guest_access_gpa = ~0ULL;
	if (supervisor)
		csr_set(hstatus, HSTATUS_SPVP);
	else
		csr_clear(hstatus, HSTATUS_SPVP);
}

static int access_end(struct pcpu *cpu)
{
	cpu->arch.guest_access = false;
	return cpu->arch.guest_access_faulted ? -E_FAULT : 0;
}

/* Called by tern's trap handler for a load fault in HS-mode. */
bool riscv_guest_access_fault(uint64_t gpa)
{
	struct pcpu *cpu = this_cpu();

	if (!cpu->arch.guest_access)
		return false;
	cpu->arch.guest_access_faulted = true;
	cpu->arch.guest_access_gpa = gpa;
	return true;
}

/*
 * A guest-page fault in RAM is the first touch of its page: map it. The
 * local HFENCE.GVMA drops an invalid entry this hart may have cached (the
 * spec lets it); another hart that still has one faults once more and
 * lands here again, finding the page mapped.
 */
bool riscv_first_touch(struct vcpu *v, uint64_t gpa)
{
	/* -E_NOENT when gpa is not RAM. */
	if (vm_stage2_populate(v->vm, gpa) != 0)
		return false;
	hfence_gvma_gpa(gpa >> 2, v->vm->arch.vmid);
	return true;
}

/* A walk of Sv57 touches five table pages, then the data: more first
 * touches than that in one access is no walk. */
#define FIRST_TOUCHES_MAX 6

/* After a faulted access: whether it was a first touch of guest RAM, now
 * mapped, so the access is worth trying again. */
static bool populated(struct pcpu *cpu, struct vcpu *v)
{
	uint64_t gpa = cpu->arch.guest_access_gpa;

	return gpa != ~0ULL && riscv_first_touch(v, gpa);
}

/* The two accesses: each one 4-byte instruction, so a fault skips exactly
 * it and x keeps its 0. */
static uint64_t hlv_d(uint64_t va)
{
	uint64_t x = 0;

	__asm__ volatile(".insn r 0x73, 4, 0x36, %0, %1, x0" : "+r"(x) : "r"(va) : "memory");
	return x;
}

/* hlvx.hu and hlvx.wu: read with execute permission, as a fetch. */
static uint64_t hlvx_hu(uint64_t pc)
{
	uint64_t x = 0;

	__asm__ volatile(".insn r 0x73, 4, 0x32, %0, %1, x3" : "+r"(x) : "r"(pc) : "memory");
	return x;
}

static uint64_t hlvx_wu(uint64_t pc)
{
	uint64_t x = 0;

	__asm__ volatile(".insn r 0x73, 4, 0x34, %0, %1, x3" : "+r"(x) : "r"(pc) : "memory");
	return x;
}

/* One access with the guest's privilege, retried after each first touch
 * it takes. Always inlined, so that load is a direct call: an MMIO exit
 * fetches its instruction through here. */
static inline __attribute__((always_inline)) int
guest_access(struct vcpu *v, bool supervisor, uint64_t (*load)(uint64_t), uint64_t addr,
	     uint64_t *val)
{
	struct pcpu *cpu = this_cpu();

	for (unsigned int i = 0; i < FIRST_TOUCHES_MAX; i++) {
		uint64_t x;

		access_begin(cpu, supervisor);
		x = load(addr);
		if (access_end(cpu) == 0) {
			*val = x;
			return 0;
		}
		if (!populated(cpu, v))
			break;
	}
	return -E_FAULT;
}

int riscv_guest_read_va(struct vcpu *v, uint64_t va, uint64_t *val, bool supervisor)
{
	if (va & 7)
		return -E_FAULT; /* a misaligned HLV could trap to firmware */
	return guest_access(v, supervisor, hlv_d, va, val);
}

/* The privilege the faulting code ran at, as the trap recorded it. */
static bool fetch_priv(const struct vcpu *v)
{
	return v->arch.regs.hstatus & HSTATUS_SPVP;
}

static int fetch_half(struct vcpu *v, uint64_t pc, uint32_t *half)
{
	uint64_t x;

	if (guest_access(v, fetch_priv(v), hlvx_hu, pc, &x) != 0)
		return -E_FAULT;
	*half = (uint32_t)x & 0xffff;
	return 0;
}

int riscv_guest_fetch(struct vcpu *v, uint64_t pc, uint32_t *insn, unsigned int *len)
{
	uint32_t lo = 0, hi = 0;
	uint64_t x;

	/* A 4-byte aligned pc: one access holds the whole instruction (and
	 * cannot cross a page). A 2-byte one may: half by half. */
	if (!(pc & 3)) {
		if (guest_access(v, fetch_priv(v), hlvx_wu, pc, &x) != 0)
			return -E_FAULT;
		*insn = (uint32_t)x;
		*len = (*insn & 3) == 3 ? 4 : 2;
		if (*len == 2)
			*insn &= 0xffff;
		return 0;
	}
	if (fetch_half(v, pc, &lo) != 0)
		return -E_FAULT;
	*len = (lo & 3) == 3 ? 4 : 2;
	if (*len == 4 && fetch_half(v, pc + 2, &hi) != 0)
		return -E_FAULT;
	*insn = lo | (hi << 16);
	return 0;
}
