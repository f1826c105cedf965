/*
 * tern's own stage-1 tables. tern runs identity mapped (VA == PA), so the
 * MMU can be turned on in place. What is mapped, and how:
 *   text RX, rodata R, data and bss RW (never W and X together);
 *   the lowest page of every CPU stack left out, so an overflow faults;
 *   RAM (less tern's image and firmware reservations) RW, never executable;
 *   the console UART and the interrupt controller as device memory.
 * The tables are built with the MMU off (arm64: caches off too), so they and
 * the image are cleaned to memory before the walker reads them.
 */
#include <string.h>
#include <tern/arch.h>
#include <tern/cpu.h>
#include <tern/errno.h>
#include <tern/host_mmu.h>
#include <tern/page_alloc.h>
#include <tern/pgtable.h>
#include <tern/printk.h>
#include <tern/sections.h>

static struct pgtable host_pt;
static paddr_t tables_lo = ~(paddr_t)0, tables_hi;

static void *host_alloc_table(void *ctx, size_t size, paddr_t *pa)
{
	paddr_t p = pool_alloc(&tern_pool, &tern_account, size, size);

	if (!p)
		return NULL;
	memset((void *)(uintptr_t)p, 0, size);
	tables_lo = MIN(tables_lo, p);
	tables_hi = MAX(tables_hi, p + size);
	*pa = p;
	return (void *)(uintptr_t)p;
}

static void host_free_table(void *ctx, void *va, size_t size)
{
	pool_free(&tern_pool, &tern_account, (uintptr_t)va, size);
}

static void *host_phys_to_virt(void *ctx, paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}

static const struct pt_mm_ops host_mm_ops = {
	.alloc_table = host_alloc_table,
	.free_table = host_free_table,
	.phys_to_virt = host_phys_to_virt,
};

uintptr_t host_stack_guard(unsigned int cpu)
{
	return (uintptr_t)cpu_stacks[cpu];
}

static int map_identity(uintptr_t start, uintptr_t end, unsigned int prot, const char *what)
{
	int err;

	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	if (end <= start)
		return 0;
	err = pt_map(&host_pt, start, start, end - start, prot);
	if (err)
		pr_err("tern: cannot map %s [%#lx-%#lx): %s\n", what, (unsigned long)start,
		       (unsigned long)end, tern_strerror(err));
	return err;
}

/* Map [start, end) minus tern's image and every reservation. */
static int map_ram_range(const struct platform *p, uintptr_t start, uintptr_t end)
{
	uintptr_t img_lo = (uintptr_t)__image_start, img_hi = (uintptr_t)__image_end;

	if (end <= start)
		return 0;
	if (start < img_hi && img_lo < end) {
		int err = map_ram_range(p, start, img_lo);
		return err ? err : map_ram_range(p, img_hi, end);
	}
	for (unsigned int i = 0; i < p->nr_resv; i++) {
		uintptr_t lo = ALIGN_DOWN(p->resv[i].base, PAGE_SIZE);
		uintptr_t hi = ALIGN_UP(p->resv[i].base + p->resv[i].size, PAGE_SIZE);

		if (start < hi && lo < end) {
			int err = map_ram_range(p, start, lo > start ? lo : start);
			return err ? err : map_ram_range(p, hi < end ? hi : end, end);
		}
	}
	return map_identity(start, end, PT_RW, "RAM");
}

int host_mmu_init(const struct platform *p)
{
	int err = pt_init(&host_pt, arch_host_pt_format(p), &host_mm_ops);

	if (err)
		return err;
	err = map_identity((uintptr_t)__image_start, (uintptr_t)__text_end, PT_RX, "text");
	if (!err)
		err = map_identity((uintptr_t)__rodata_start, (uintptr_t)__rodata_end, PT_R, "rodata");
	if (!err)
		err = map_identity((uintptr_t)__data_start, (uintptr_t)__image_end, PT_RW, "data");
	for (unsigned int cpu = 0; !err && cpu < NR_CPUS; cpu++)
		err = pt_unmap(&host_pt, host_stack_guard(cpu), PAGE_SIZE);
	for (unsigned int i = 0; !err && i < p->nr_mem; i++)
		err = map_ram_range(p, ALIGN_UP(p->mem[i].base, PAGE_SIZE),
				    ALIGN_DOWN(p->mem[i].base + p->mem[i].size, PAGE_SIZE));
	if (!err && p->uart.kind != UART_NONE)
		err = map_identity(p->uart.base, p->uart.base + p->uart.size, PT_RW | PT_DEVICE,
				   "the UART");
	for (unsigned int i = 0; !err && i < p->intc.nr_regs; i++)
		err = map_identity(p->intc.regs[i].base,
				   p->intc.regs[i].base + p->intc.regs[i].size, PT_RW | PT_DEVICE,
				   "the interrupt controller");
	if (err)
		return err;

	arch_dcache_clean_inval((uintptr_t)__image_start,
				(size_t)(__image_end - __image_start));
	if (tables_hi > tables_lo)
		arch_dcache_clean_inval(tables_lo, tables_hi - tables_lo);
	arch_mmu_enable(host_pt.root_pa);
	return 0;
}

void host_mmu_enable_secondary(void)
{
	arch_mmu_enable(host_pt.root_pa);
}

bool host_mmu_is_mapped(uintptr_t va)
{
	return pt_lookup(&host_pt, va, NULL, NULL, NULL);
}
