/* The few DT readings the runtime makes beyond what libfdt offers. */
#include <libfdt.h>
#include <string.h>

#include "lib.h"

bool fdt_node_enabled(const void *fdt, int node)
{
	const char *status = fdt_getprop(fdt, node, "status", NULL);

	return !status || !strcmp(status, "okay") || !strcmp(status, "ok");
}

/*
 * The first address in a node's "reg", in its parent's #address-cells (1 or
 * 2). Bus "ranges" are taken as identity: true of the virt boards (riscv's
 * /soc has an empty "ranges;"), and of the DTs tern builds for guests.
 */
bool fdt_reg_address(const void *fdt, int node, uint64_t *addr)
{
	int parent = fdt_parent_offset(fdt, node);
	int cells = parent >= 0 ? fdt_address_cells(fdt, parent) : -1;
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || cells < 1 || cells > 2 || len < cells * 4)
		return false;
	*addr = fdt32_to_cpu(reg[0]);
	if (cells == 2)
		*addr = (*addr << 32) | fdt32_to_cpu(reg[1]);
	return true;
}
