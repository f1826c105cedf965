/*
 * tern's own address translation on RISC-V: choosing Sv48 or Sv39, and
 * turning satp on. The tables themselves are built by core/ with the
 * generic walker and the encoders of pte.c.
 */
#include <tern/arch.h>
#include <tern/compiler.h>
#include <tern/cpu.h>
#include <tern/page_alloc.h>
#include <tern/printk.h>
#include <arch/csr.h>
#include <arch/pte.h>

/* satp.MODE of tern's tables, chosen once by arch_host_pt_format(). */
static unsigned long host_satp_mode;

/* The probe's one-entry Sv48 root; only used with interrupts masked. */
static pte_t sv48_probe_root[512] __aligned(PAGE_SIZE);

#define SV48_ROOT_SHIFT 39 /* each Sv48 root entry maps 512 GiB */

/*
 * Whether this hart implements Sv48. The privileged spec makes a satp
 * write with an unsupported MODE have no effect at all, so writing mode 9
 * and reading it back tells. But a supported mode takes effect on the very
 * next fetch, so the write goes through a root whose single 512 GiB leaf
 * identity-maps the region this code (and its stack) runs in, and satp is
 * set back to bare right after the read. So it runs with the MMU off, once,
 * before tern's tables exist (arch_host_pt_format caches the answer).
 */
static bool hart_has_sv48(void)
{
	uintptr_t here = (uintptr_t)&hart_has_sv48;
	uintptr_t region = ALIGN_DOWN(here, 1ULL << SV48_ROOT_SHIFT);
	unsigned int index = (here >> SV48_ROOT_SHIFT) & 511;
	unsigned long probe, readback;

	/* Above 2^47 an identity mapping is not a canonical Sv48 address. */
	if (here >> 47)
		return false;
	sv48_probe_root[index] = riscv_sv48_format.leaf(region, PT_RWX, false);
	probe = ((unsigned long)SATP_MODE_SV48 << SATP_MODE_SHIFT) |
		((uintptr_t)sv48_probe_root >> PAGE_SHIFT);
	__asm__ volatile("sfence.vma\n\t"
			 "csrw satp, %1\n\t"
			 "csrr %0, satp\n\t"
			 "csrw satp, zero\n\t"
			 "sfence.vma"
			 : "=&r"(readback)
			 : "r"(probe)
			 : "memory");
	sv48_probe_root[index] = 0;
	return (readback >> SATP_MODE_SHIFT) == SATP_MODE_SV48;
}

const struct pt_format *arch_host_pt_format(const struct platform *p)
{
	if (!host_satp_mode)
		host_satp_mode = hart_has_sv48() ? SATP_MODE_SV48 : SATP_MODE_SV39;
	return host_satp_mode == SATP_MODE_SV48 ? &riscv_sv48_format : &riscv_sv39_format;
}

void arch_mmu_enable(paddr_t root)
{
	unsigned long satp = (host_satp_mode << SATP_MODE_SHIFT) |
			     ((root >> PAGE_SHIFT) & SATP_PPN_MASK);

	if (!host_satp_mode)
		panic("arch_mmu_enable before arch_host_pt_format chose a translation mode");
	/* sfence.vma before: the walker must see the tables core just wrote;
	 * after: nothing translated under the old satp survives. ASID 0 and
	 * global leaves: tern has one address space per hart. */
	__asm__ volatile("sfence.vma\n\t"
			 "csrw satp, %0\n\t"
			 "sfence.vma"
			 :
			 : "r"(satp)
			 : "memory");
	/* A hart without the boot hart's mode ignores the write entirely. */
	if (csr_read(satp) != satp)
		panic("hart %lu refused satp 0x%016lx (Sv%u): its harts differ in MMU modes",
		      (unsigned long)arch_this_cpu()->hwid, satp,
		      host_satp_mode == SATP_MODE_SV48 ? 48u : 39u);
}

/*
 * Nothing to do: RISC-V page-table walks are coherent with the data caches
 * (the sfence.vma in arch_mmu_enable orders the stores), and cache-block
 * maintenance (Zicbom) is not assumed to exist: QEMU 7.2 has none.
 */
void arch_dcache_clean_inval(uintptr_t base, size_t size)
{
}
