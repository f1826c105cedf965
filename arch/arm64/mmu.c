/*
 * tern's own EL2 MMU: which table format the host needs, turning
 * translation on with W^X enforced by hardware, and cache maintenance for
 * tables written while caches were off.
 */
#include <arch/pte.h>
#include <arch/sysreg.h>
#include <arch/trap.h>
#include <generated/config.h>
#include <tern/arch.h>
#include <tern/cpu.h>

static unsigned int host_pa_bits(void)
{
	return arm64_parange_bits(ID_AA64MMFR0_PARANGE(read_sysreg(id_aa64mmfr0_el1)));
}

/*
 * The identity map must reach every physical address the host has, so the
 * input range follows PARange (capped by Kconfig): 3 levels cover 39 bits,
 * anything larger takes 4. A pure function of the CPU's ID register, so
 * every CPU derives the same answer without sharing state across the
 * caches-off boundary.
 */
static const struct pt_format *host_format(void)
{
	unsigned int pa = MIN(host_pa_bits(), (unsigned int)CONFIG_ARM64_PA_BITS_MAX);

	return pa <= 39 ? &arm64_s1_4k_l3_format : &arm64_s1_4k_l4_format;
}

const struct pt_format *arch_host_pt_format(const struct platform *p)
{
	(void)p;
	return host_format();
}

static uintptr_t dcache_line_size(void)
{
	return 4UL << CTR_DMINLINE(read_sysreg(ctr_el0));
}

/* Discard (not write back) cached copies of [base, base+size) everywhere
 * in the inner shareable domain. */
static void dcache_inval(uintptr_t base, size_t size)
{
	uintptr_t line = dcache_line_size();

	for (uintptr_t p = ALIGN_DOWN(base, line); p < base + size; p += line)
		__asm__ volatile("dc ivac, %0" : : "r"(p) : "memory");
	dsb(sy);
}

void arch_mmu_enable(paddr_t root)
{
	const struct pt_format *fmt = host_format();
	unsigned int ps = ID_AA64MMFR0_PARANGE(read_sysreg(id_aa64mmfr0_el1));
	struct pcpu *cpu = arch_this_cpu();
	uint64_t tcr, sctlr;

	if (!arm64_at_el2())
		return; /* arch_check_host() has said why */
	if (ps > 5)
		ps = 5; /* 48 bits, see arm64_parange_bits() */

	/*
	 * This CPU has run on its stack with caches off, so the live frames
	 * are in memory. Another CPU, already caching, may have pulled (by
	 * speculation) older copies of those lines; once this CPU caches, a
	 * coherent read could return them. Nobody else writes this stack, so
	 * discarding every cached copy is safe, but only while this CPU's own
	 * caches are still off.
	 */
	sctlr = read_sysreg(sctlr_el2);
	if (!(sctlr & SCTLR_M))
		dcache_inval((uintptr_t)cpu_stacks[cpu->id], STACK_SIZE);

	/* Table walks are cacheable and inner shareable, so tables that core
	 * writes with caches on (on any CPU) are seen without maintenance. */
	tcr = TCR_EL2_RES1 | TCR_T0SZ(arm64_s1_va_bits(fmt->geo)) | TCR_IRGN0_WBWA |
	      TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K | ((uint64_t)ps << TCR_PS_SHIFT);
	write_sysreg(mair_el2, MAIR_EL2_VALUE);
	write_sysreg(tcr_el2, tcr);
	write_sysreg(ttbr0_el2, root);
	isb();

	/* Nothing cached from before (firmware, an earlier boot) may survive. */
	dsb(ishst);
	__asm__ volatile("tlbi alle2" : : : "memory");
	dsb(ish);
	isb();

	/* WXN: a writable mapping is never executable, whatever the tables say.
	 * SA: a misaligned SP faults at once instead of corrupting frames. */
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_WXN | SCTLR_SA;
	sctlr &= ~SCTLR_EE;
	write_sysreg(sctlr_el2, sctlr);
	isb();

	arm64_cpu_mmu_on(cpu);
}

void arch_dcache_clean_inval(uintptr_t base, size_t size)
{
	uintptr_t line = dcache_line_size();
	uintptr_t p = ALIGN_DOWN(base, line);
	uintptr_t end = base + size;

	/* Clean+invalidate to the point of coherency, which is where a CPU
	 * with caches off (or a table walk) reads from. */
	for (; p < end; p += line)
		__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb(sy);
}

void arch_guest_image_sync(uintptr_t base, size_t size)
{
	arch_dcache_clean_inval(base, size);
	/* A reset reloads code where other code ran: no stale instructions
	 * may survive in any CPU's instruction cache. */
	__asm__ volatile("ic ialluis" : : : "memory");
	dsb(ish);
	isb();
}
