/*
 * Guest virtual memory, read as the guest sees it: HLV/HLVX translate
 * through the guest's own page tables (vsatp) and then G-stage, with the
 * guest's privilege (hstatus.SPVP). A fault on either stage traps into
 * tern's own vector while a flag is set; the handler skips the access and
 * the caller gets -E_FAULT (seed 001: one accessor that survives faults).
 * Only for the vCPU loaded on this hart.
 */
#include <arch/csr.h>
#include <arch/guest.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/vm.h>

static bool access_begin(bool supervisor)
{
	struct pcpu *cpu = this_cpu();

	cpu->arch.guest_access = true;
	cpu->arch.guest_access_faulted = false;
	if (supervisor)
		csr_set(hstatus, HSTATUS_SPVP);
	else
		csr_clear(hstatus, HSTATUS_SPVP);
	return true;
}

static int access_end(void)
{
	struct pcpu *cpu = this_cpu();

	cpu->arch.guest_access = false;
	return cpu->arch.guest_access_faulted ? -E_FAULT : 0;
}

/* Called by tern's trap handler for a load fault in HS-mode. */
bool riscv_guest_access_fault(void)
{
	struct pcpu *cpu = this_cpu();

	if (!cpu->arch.guest_access)
		return false;
	cpu->arch.guest_access_faulted = true;
	return true;
}

int riscv_guest_read_va(struct vcpu *v, uint64_t va, uint64_t *val, bool supervisor)
{
	uint64_t x = 0;

	if (va & 7)
		return -E_FAULT; /* a misaligned HLV could trap to firmware */
	access_begin(supervisor);
	/* hlv.d x, (va): 4 bytes, so a fault skips exactly it. */
	__asm__ volatile(".insn r 0x73, 4, 0x36, %0, %1, x0" : "+r"(x) : "r"(va) : "memory");
	*val = x;
	return access_end();
}

static int fetch_half(uint64_t pc, uint32_t *half)
{
	uint64_t x = 0;

	/* hlvx.hu x, (pc): reads with execute permission, as a fetch. */
	__asm__ volatile(".insn r 0x73, 4, 0x32, %0, %1, x3" : "+r"(x) : "r"(pc) : "memory");
	*half = (uint32_t)x & 0xffff;
	return 0;
}

int riscv_guest_fetch(struct vcpu *v, uint64_t pc, uint32_t *insn, unsigned int *len)
{
	uint32_t lo = 0, hi = 0;
	int err;

	/* The privilege the faulting code ran at, as the trap recorded it. */
	access_begin(v->arch.regs.hstatus & HSTATUS_SPVP);
	fetch_half(pc, &lo);
	err = access_end();
	if (err)
		return err;
	*len = (lo & 3) == 3 ? 4 : 2;
	if (*len == 4) {
		access_begin(v->arch.regs.hstatus & HSTATUS_SPVP);
		fetch_half(pc + 2, &hi);
		err = access_end();
		if (err)
			return err;
	}
	*insn = lo | (hi << 16);
	return 0;
}
