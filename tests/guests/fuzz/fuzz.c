/*
 * A seeded campaign against the firmware and devices a guest sees (see
 * fuzz.h): argv "seed=N ops=M" (defaults 1 and 10000). The guest must come
 * through every operation (any trap it takes is one it provoked, and is
 * recorded), and the firmware must answer afterwards as it did before. The
 * e2e tests run it natively first (QEMU's PSCI, OpenSBI) and under tern,
 * which must print no error while it runs.
 */
#include <libfdt.h>
#include <string.h>

#include "fuzz.h"

static uint64_t state;
bool fuzz_tracing;
struct fuzz_op *fuzz_current;
uint64_t fuzz_ram_base, fuzz_ram_end;
uint8_t fuzz_scratch[FUZZ_SCRATCH_SIZE] __aligned(4096);
struct fuzz_region fuzz_regions[FUZZ_MAX_REGIONS];
unsigned int fuzz_nr_regions;

uint64_t fuzz_next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

uint64_t fuzz_pointer(void)
{
	switch (fuzz_below(8)) {
	case 0:
	case 1:
	case 2: /* in the scratch buffer, at any alignment */
		return (uintptr_t)fuzz_scratch + fuzz_below(FUZZ_SCRATCH_SIZE - FUZZ_SCRATCH_MARGIN);
	case 3: /* the last bytes of RAM and on past its end */
		return fuzz_ram_end - 1 - fuzz_below(16);
	case 4: /* past RAM */
		return fuzz_ram_end + fuzz_below(1ull << 32);
	case 5: /* below RAM */
		return fuzz_below(fuzz_ram_base);
	case 6:
		return 0;
	default:
		return fuzz_next();
	}
}

uint64_t fuzz_value(void)
{
	static const uint64_t edges[] = { 0, 1, 2, 3, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff,
					  0x80000000, 0xffffffff, 0x100000000ull, ~0ull,
					  ~0ull - 1, 1ull << 63 };

	switch (fuzz_below(5)) {
	case 0:
		return edges[fuzz_below(ARRAY_SIZE(edges))];
	case 1:
		return fuzz_below(64);
	case 2:
		return fuzz_pointer();
	case 3:
		return fuzz_next() & 0xffffffffu;
	default:
		return fuzz_next();
	}
}

uint64_t fuzz_device_address(void)
{
	uint64_t a;

	if (fuzz_nr_regions && fuzz_below(4) != 0) {
		const struct fuzz_region *r = &fuzz_regions[fuzz_below(fuzz_nr_regions)];

		/* Mostly registers near the start, where they are dense. */
		a = r->base + (fuzz_below(2) ? fuzz_below(0x1000) : fuzz_below(r->size));
	} else if (fuzz_below(2)) {
		a = fuzz_ram_end + fuzz_below(1ull << 34); /* nothing there, mostly */
	} else {
		a = fuzz_next() & ((1ull << 48) - 1);
	}
	return a;
}

/* Devices worth hitting: interrupt controllers and RTCs. Not flash,
 * fw-cfg or PCI (natively, QEMU's would DMA into the guest on a random
 * write), nor QEMU's test device (a write there powers the board off). */
static bool fuzzable(const void *fdt, int node)
{
	static const char *const compatible[] = {
		"arm,gic-v3", "arm,cortex-a15-gic", "riscv,plic0", "sifive,plic-1.0.0",
		"arm,pl031", "google,goldfish-rtc",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(compatible); i++)
		if (fdt_node_check_compatible(fdt, node, compatible[i]) == 0)
			return true;
	return false;
}

/* /memory and the devices under / and /soc, with 2-cell addresses and
 * sizes (QEMU virt's, and tern's). */
static void read_nodes(const void *fdt, int parent, int console)
{
	int node;

	fdt_for_each_subnode(node, fdt, parent) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg = NULL;
		int len = 0;

		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < 16)
			continue;
		if (type && !strcmp(type, "memory")) {
			if (!fuzz_ram_end) {
				fuzz_ram_base = (uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1]);
				fuzz_ram_end = fuzz_ram_base +
					       ((uint64_t)fdt32_to_cpu(reg[2]) << 32 | fdt32_to_cpu(reg[3]));
			}
			continue;
		}
		if (node == console || !fuzzable(fdt, node))
			continue;
		/* Every reg entry (a GICv3 has distributor and redistributors). */
		for (int i = 0; i + 16 <= len && fuzz_nr_regions < FUZZ_MAX_REGIONS; i += 16) {
			const fdt32_t *c = reg + i / 4;

			fuzz_regions[fuzz_nr_regions++] = (struct fuzz_region){
				(uint64_t)fdt32_to_cpu(c[0]) << 32 | fdt32_to_cpu(c[1]),
				(uint64_t)fdt32_to_cpu(c[2]) << 32 | fdt32_to_cpu(c[3]),
			};
		}
	}
}

static void read_dt(void)
{
	const void *fdt = guest_fdt();
	const char *stdout_path = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path",
					      NULL);
	const char *colon = stdout_path ? strchr(stdout_path, ':') : NULL;
	int console = !stdout_path ? -1 :
		      colon ? fdt_path_offset_namelen(fdt, stdout_path, (int)(colon - stdout_path)) :
			      fdt_path_offset(fdt, stdout_path);
	int soc = fdt_path_offset(fdt, "/soc");

	read_nodes(fdt, 0, console);
	if (soc >= 0)
		read_nodes(fdt, soc, console);
}

static unsigned long arg_value(int argc, char **argv, const char *key, unsigned long dflt)
{
	size_t n = strlen(key);

	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], key, n) && argv[i][n] == '=')
			return strtoul(argv[i] + n + 1, NULL, 0);
	return dflt;
}

int main(int argc, char **argv)
{
	unsigned long seed = arg_value(argc, argv, "seed", 1);
	unsigned long ops = arg_value(argc, argv, "ops", 10000), faults = 0;
	unsigned long trace_from = arg_value(argc, argv, "trace", ~0ul);
	char what[160];

	report_prefix_push("fuzz");
	read_dt();
	report(fuzz_ram_end > fuzz_ram_base && (uintptr_t)fuzz_scratch >= fuzz_ram_base &&
		       (uintptr_t)fuzz_scratch + FUZZ_SCRATCH_SIZE <= fuzz_ram_end,
	       "RAM [0x%llx, 0x%llx) holds the scratch buffer; %u device regions",
	       (unsigned long long)fuzz_ram_base, (unsigned long long)fuzz_ram_end, fuzz_nr_regions);
	fuzz_arch_setup();
	state = seed * 0x9e3779b97f4a7c15ull + 1;
	report_info("seed %lu, %lu operations", seed, ops);
	for (unsigned long i = 0; i < ops; i++) {
		struct fuzz_op *op = &fuzz_ops[fuzz_below(fuzz_nr_ops)];

		fuzz_current = op;
		fuzz_tracing = i >= trace_from;
		fuzz_trace("#%lu %s: ", i, op->name);
		op->run();
		fuzz_trace("done\n");
		op->count++;
	}
	printf("\n"); /* after whatever the calls wrote to the console */
	for (unsigned int i = 0; i < fuzz_nr_ops; i++) {
		report_info("%s: %lu runs, %lu traps taken", fuzz_ops[i].name, fuzz_ops[i].count,
			    fuzz_ops[i].faults);
		faults += fuzz_ops[i].faults;
	}
	report(true, "came through %lu operations (seed %lu, %lu traps taken)", ops, seed, faults);
	report(fuzz_arch_still_answers(what, sizeof(what)), "the firmware still answers: %s", what);
	report_prefix_pop();
	return 0;
}
