/*
 * Benchmark guest: for each operation, N samples of one operation each,
 * less the median cost of an empty measurement, and prints
 *   BENCH name=<op> iterations=N median=M min=A max=B
 * in instructions. Arguments: "short" (10 iterations, for smoke tests),
 * "native" (no tern: skip what only tern offers), "ipi" / "switch" (run
 * only the two-vCPU op of that name; needs a second CPU).
 */
#include <libfdt.h>
#include <string.h>

#include "bench.h"

bool bench_native;

static uint64_t samples[1000];
static int iterations = 1000;

static void empty_op(void)
{
}

/* Shell sort: 1000 entries, no library. */
static void sort(uint64_t *v, int n)
{
	for (int gap = n / 2; gap > 0; gap /= 2)
		for (int i = gap; i < n; i++) {
			uint64_t x = v[i];
			int j = i;

			for (; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
}

static uint64_t time_call(void (*fn)(void))
{
	uint64_t t0 = bench_cycles();

	fn();
	return bench_cycles() - t0;
}

/* The median of n empty measurements: what the harness's own reads and
 * call cost, taken off every sample. */
static uint64_t empty_cycles, empty_ticks;

static uint64_t calibrate(bool ticks)
{
	for (int i = 0; i < iterations; i++) {
		if (ticks) {
			uint64_t t0 = bench_ticks();

			samples[i] = bench_ticks() - t0;
		} else {
			samples[i] = time_call(empty_op);
		}
	}
	sort(samples, iterations);
	return samples[iterations / 2];
}

/* Ticks to instructions: 1 ns per instruction under -icount shift=0. */
static uint64_t ticks_to_insns(uint64_t t)
{
	return t * 1000000000ull / timer_freq();
}

/* --- stage2_fault ----------------------------------------------------------------- */

#define PAGE 4096UL
#define TOUCH_PAGES 1001 /* the untimed round plus 1000 samples */

static uintptr_t touch_next, touch_end;

/* The /memory range holding this image, from the device tree. */
static bool my_ram(uint64_t *base, uint64_t *end)
{
	const void *fdt = guest_fdt();
	uint64_t me = (uintptr_t)&touch_next;
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0), node;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return false;
	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg;
		int len;

		if (!type || strcmp(type, "memory"))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		for (; reg && len >= 4 * (ac + sc); len -= 4 * (ac + sc)) {
			uint64_t b = 0, s = 0;

			for (int i = 0; i < ac; i++)
				b = b << 32 | fdt32_to_cpu(*reg++);
			for (int i = 0; i < sc; i++)
				s = s << 32 | fdt32_to_cpu(*reg++);
			if (me >= b && me - b < s) {
				*base = b;
				*end = b + s;
				return true;
			}
		}
	}
	return false;
}

/* The middle of RAM: above the image, its stack and the runtime's data,
 * below the device tree tern puts in RAM's last 2 MiB. */
const char *stage2_missing(void)
{
	uint64_t base, end;

	if (touch_end)
		return NULL;
	if (!my_ram(&base, &end))
		return "no /memory range holds the guest";
	touch_next = (uintptr_t)(base + (end - base) / 2);
	touch_end = touch_next + TOUCH_PAGES * PAGE;
	if ((uintptr_t)&touch_next >= touch_next || touch_end > end - (2UL << 20)) {
		touch_end = 0;
		return "RAM too small for 1001 untouched pages";
	}
	return NULL;
}

void op_stage2_fault(void)
{
	if (touch_next >= touch_end)
		return; /* cannot happen: the region holds every iteration */
	(void)*(volatile uint64_t *)touch_next;
	touch_next += PAGE;
}

static void run(const struct bench_op *op)
{
	uint64_t base = op->time_clock ? empty_ticks : empty_cycles;

	if (op->unmeasured) {
		printf("BENCH name=%s unmeasured reason=\"%s\"\n", op->name, op->unmeasured);
		report_skip("%s: %s", op->name, op->unmeasured);
		return;
	}
	if (op->missing && op->missing()) {
		printf("BENCH name=%s unmeasured reason=\"%s\"\n", op->name, op->missing());
		report_skip("%s: %s", op->name, op->missing());
		return;
	}
	if (bench_native && !op->native) {
		printf("BENCH name=%s unmeasured reason=\"no native form\"\n", op->name);
		report_skip("%s: no native form", op->name);
		return;
	}
	/* One untimed round first: anything lazily set up happens there. */
	for (int i = -1; i < iterations; i++) {
		uint64_t d = op->call ? time_call(op->call) : op->sample();

		d = d > base ? d - base : 0;
		if (op->time_clock)
			d = ticks_to_insns(d);
		if (i >= 0)
			samples[i] = d;
	}
	sort(samples, iterations);
	printf("BENCH name=%s iterations=%d median=%llu min=%llu max=%llu\n", op->name, iterations,
	       (unsigned long long)samples[iterations / 2], (unsigned long long)samples[0],
	       (unsigned long long)samples[iterations - 1]);
	report(samples[iterations / 2] > 0 && samples[iterations - 1] >= samples[0],
	       "%s: median %llu > 0", op->name, (unsigned long long)samples[iterations / 2]);
}

int main(int argc, char **argv)
{
	enum bench_mode mode = MODE_ONE;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "short"))
			iterations = 10;
		else if (!strcmp(argv[i], "native"))
			bench_native = true;
		else if (!strcmp(argv[i], "ipi"))
			mode = MODE_IPI;
		else if (!strcmp(argv[i], "switch"))
			mode = MODE_SWITCH;
	}
	report_prefix_push("bench");
	if (!bench_arch_setup()) {
		report(false, "no usable cycle counter");
		return 0;
	}
	empty_cycles = calibrate(false);
	empty_ticks = calibrate(true);
	printf("BENCH_INFO empty_cycles=%llu empty_ticks=%llu timer_hz=%llu cpus=%d\n",
	       (unsigned long long)empty_cycles, (unsigned long long)empty_ticks,
	       (unsigned long long)timer_freq(), cpu_count());
	if (mode != MODE_ONE && cpu_count() < 2) {
		report(false, "%s needs two CPUs, the DT has %d", mode == MODE_IPI ? "ipi" : "switch",
		       cpu_count());
		return 0;
	}
	if (!bench_arch_start(mode))
		return 0;
	for (int i = 0; i < bench_nr_ops; i++)
		if (bench_ops[i].mode == mode)
			run(&bench_ops[i]);
	bench_arch_stop(mode);
	report_prefix_pop();
	return 0;
}
