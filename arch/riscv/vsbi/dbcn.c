/*
 * SBI DBCN (debug console): write and read a buffer in guest physical
 * memory, write one byte. Output goes to tern's console like the guest's
 * UART output; input is what was typed for the VM and not yet taken by
 * its UART. A buffer outside the VM's RAM is INVALID_PARAM.
 *
 * The calls are non-blocking and may move fewer bytes than asked, saying
 * how many: tern moves at most WRITE_MAX per call, so that a guest asking
 * for megabytes holds its hart for one short call (a 4 MiB write once kept
 * a hart in tern, interrupts off, for 10.8 s) and loops for the rest.
 */
#include <arch/vsbi.h>
#include <tern/vm.h>
#include <tern/vuart.h>

enum { DBCN_WRITE, DBCN_READ, DBCN_WRITE_BYTE };
#define CHUNK 128
#define WRITE_MAX (2 * CHUNK)

static long dbcn_write(struct vcpu *v, uint64_t len, uint64_t gpa, uint64_t *done)
{
	char buf[CHUNK];

	if (!guest_ram_contains(v->vm, gpa, len))
		return SBI_ERR_INVALID_PARAM;
	if (len > WRITE_MAX)
		len = WRITE_MAX;
	for (uint64_t off = 0; off < len; off += CHUNK) {
		size_t n = len - off < CHUNK ? (size_t)(len - off) : CHUNK;

		guest_read(v->vm, gpa + off, buf, n);
		vsbi_console_write(v, buf, n);
	}
	*done = len;
	return SBI_SUCCESS;
}

static long dbcn_read(struct vcpu *v, uint64_t len, uint64_t gpa, uint64_t *done)
{
	uint8_t buf[CHUNK];
	size_t n;

	if (!guest_ram_contains(v->vm, gpa, len))
		return SBI_ERR_INVALID_PARAM;
	n = vuart_take_input(v->vm, buf, len < CHUNK ? (size_t)len : CHUNK);
	guest_write(v->vm, gpa, buf, n);
	*done = n;
	return SBI_SUCCESS;
}

static void dbcn_call(struct vcpu *v, struct fw_call *c)
{
	/* On RV64 base_addr_lo is the whole 64-bit address and base_addr_hi
	 * its bits 64 and up: any of those set is no guest RAM. */
	uint64_t gpa = c->arg[1], done = 0;
	bool high = c->arg[2] != 0;
	long err;
	char ch;

	switch (c->fn) {
	case DBCN_WRITE:
		err = high ? SBI_ERR_INVALID_PARAM : dbcn_write(v, c->arg[0], gpa, &done);
		break;
	case DBCN_READ:
		err = high ? SBI_ERR_INVALID_PARAM : dbcn_read(v, c->arg[0], gpa, &done);
		break;
	case DBCN_WRITE_BYTE:
		ch = (char)c->arg[0];
		vsbi_console_write(v, &ch, 1);
		err = SBI_SUCCESS;
		break;
	default:
		err = SBI_ERR_NOT_SUPPORTED;
		break;
	}
	c->ret[0] = (uint64_t)err;
	c->ret[1] = done;
}

FW_SERVICE(vsbi_dbcn_service) = {
	.name = "SBI DBCN",
	.sid = FW_SVC_SBI_DBCN,
	.abi = FW_ABI_SBI,
	.first = SBI_EXT_DBCN,
	.last = SBI_EXT_DBCN,
	.call = dbcn_call,
};
