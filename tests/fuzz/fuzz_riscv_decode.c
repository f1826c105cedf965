/*
 * libFuzzer harness for RISC-V's trap decoders: arch/riscv/mmio_decode.c
 * (the load or store that faulted on an emulated device, from the
 * instruction the guest ran or from htinst) and arch/riscv/trap_decode.c
 * (scause names and sstatus/hstatus fields for trap dumps). Instruction
 * words, htinst and the CSR values all come from the guest.
 *
 * Fed: records of (instruction word, htinst, a raw loaded value, a buffer
 * size); the instruction's low half alone is a compressed instruction.
 * Checked:
 *   - riscv_mmio_decode accepts only LOAD/STORE (32-bit) or C.LW/C.LD/
 *     C.SW/C.SD and their SP forms (quadrants 0 and 2), never C.LWSP/C.LDSP
 *     with rd 0; size 1/2/4/8, reg < 32 (x8-x15 for quadrant 0), len that
 *     of the encoding, stores never sign-extend; anything else -E_NOTSUP;
 *   - the htinst a hart reports for the same access (the transformed
 *     32-bit form: rs1 and offset zero, bit 1 clear if the original was
 *     compressed) decodes to the same access and length;
 *   - riscv_mmio_decode_htinst on any value: -E_NOTSUP without bit 0,
 *     else the same field rules, len from bit 1;
 *   - riscv_mmio_load_value keeps the bytes loaded and sign- or
 *     zero-extends the rest;
 *   - riscv_cause_name never NULL and NUL-terminated in a buffer of
 *     exactly its size; riscv_cause_is_guest_page_fault names exactly the
 *     three guest-page faults; riscv_format_sstatus/hstatus return the
 *     length of a terminated string that fits, in "[...]" when room.
 */
#include <string.h>
#include <tern/errno.h>
#include "fuzz.h"
#include "../../arch/riscv/include/arch/mmio_decode.h"
#include "../../arch/riscv/include/arch/trap_decode.h"

static void access_sane(const struct riscv_mmio_insn *d)
{
	REQUIRE(d->size == 1 || d->size == 2 || d->size == 4 || d->size == 8);
	REQUIRE(d->reg < 32 && riscv_reg_names[d->reg] != NULL);
	REQUIRE(d->len == 2 || d->len == 4);
	REQUIRE(!(d->store && d->sign_extend));
	REQUIRE(!(d->sign_extend && d->size == 8));
}

/* The transformed instruction of the privileged spec (htinst for a
 * load/store guest-page fault): the 32-bit encoding of the access with
 * rs1 and the offset zero; bit 1 clear when the original was 16-bit. */
static uint32_t transformed(const struct riscv_mmio_insn *d)
{
	uint32_t f3 = d->size == 1 ? 0 : d->size == 2 ? 1 : d->size == 4 ? 2 : 3;
	uint32_t t;

	if (d->store) {
		t = 0x23 | f3 << 12 | d->reg << 20;
	} else {
		if (!d->sign_extend && d->size < 8)
			f3 |= 4; /* LBU, LHU, LWU */
		t = 0x03 | f3 << 12 | d->reg << 7;
	}
	return d->len == 2 ? t & ~2u : t;
}

static void same_access(const struct riscv_mmio_insn *a, const struct riscv_mmio_insn *b)
{
	REQUIRE(a->store == b->store && a->sign_extend == b->sign_extend && a->size == b->size &&
		a->reg == b->reg && a->len == b->len);
}

static void check_insn(uint32_t insn)
{
	struct riscv_mmio_insn d, h;
	uint32_t lo = insn & 0xffff, quadrant = insn & 3;
	int rc = riscv_mmio_decode(insn, &d);

	REQUIRE(rc == 0 || rc == -E_NOTSUP);
	if (rc)
		return;
	access_sane(&d);
	REQUIRE(d.len == riscv_insn_len(insn));
	if (d.len == 4) {
		REQUIRE((insn & 0x7f) == 0x03 || (insn & 0x7f) == 0x23);
		REQUIRE(d.store == ((insn & 0x7f) == 0x23));
	} else {
		REQUIRE(quadrant == 0 || quadrant == 2);
		REQUIRE(d.size == 4 || d.size == 8);
		if (quadrant == 0)
			REQUIRE(d.reg >= 8 && d.reg < 16);
		else if (!d.store)
			REQUIRE(d.reg != 0);
		/* The upper half is not part of a 16-bit instruction. */
		REQUIRE(riscv_mmio_decode(lo | 0xabcd0000u, &h) == 0);
		same_access(&d, &h);
	}
	REQUIRE(riscv_mmio_decode_htinst(transformed(&d), &h) == 0);
	same_access(&d, &h);
}

static void check_htinst(uint64_t htinst)
{
	struct riscv_mmio_insn d;
	int rc = riscv_mmio_decode_htinst(htinst, &d);

	REQUIRE(rc == 0 || rc == -E_NOTSUP);
	if (!(htinst & 1))
		REQUIRE(rc == -E_NOTSUP);
	if (rc)
		return;
	access_sane(&d);
	REQUIRE(d.len == ((htinst & 2) ? 4u : 2u));
}

static void check_load_value(uint32_t insn, uint64_t raw)
{
	struct riscv_mmio_insn d;
	uint64_t v, kept, above;

	if (riscv_mmio_decode(insn, &d) || d.store)
		return;
	v = riscv_mmio_load_value(&d, raw);
	kept = d.size == 8 ? ~0ULL : (1ULL << (d.size * 8)) - 1;
	above = ~kept;
	REQUIRE((v & kept) == (raw & kept));
	if (d.sign_extend && (raw >> (d.size * 8 - 1)) & 1)
		REQUIRE((v & above) == above);
	else
		REQUIRE((v & above) == 0);
}

/* The fields in a buffer of exactly size bytes: the first size - 1
 * characters of what a roomy buffer gets, terminated, and that length. */
static void fields_fit(size_t (*fmt)(char *, size_t, uint64_t), char *buf, size_t size,
		       uint64_t csr)
{
	char full[512];
	size_t all = fmt(full, sizeof(full), csr), len = fmt(buf, size, csr);

	REQUIRE(all < sizeof(full) - 1 && strlen(full) == all);
	REQUIRE(full[0] == '[' && full[all - 1] == ']');
	REQUIRE(len == (all < size - 1 ? all : size - 1));
	REQUIRE(buf[len] == '\0' && memcmp(buf, full, len) == 0);
}

static void check_names(uint64_t scause, uint64_t csr, size_t size)
{
	char *buf = malloc(size);
	const char *name = riscv_cause_name(scause, buf, size);
	uint64_t code = scause & ~RISCV_SCAUSE_INTERRUPT;
	bool gpf = !(scause & RISCV_SCAUSE_INTERRUPT) && riscv_exception_name(code) &&
		   strstr(riscv_exception_name(code), "guest-page fault");

	REQUIRE(name != NULL);
	if (name == buf)
		REQUIRE(memchr(buf, '\0', size) != NULL);
	REQUIRE(riscv_cause_is_guest_page_fault(scause) == gpf);

	fields_fit(riscv_format_sstatus, buf, size, csr);
	fields_fit(riscv_format_hstatus, buf, size, csr);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	while (in.left) {
		uint32_t insn = take32(&in);
		uint64_t htinst = take64(&in), raw = take64(&in);
		size_t bufsize = 1 + take8(&in) % 80;

		check_insn(insn);
		check_insn(insn & 0xffff); /* as a compressed instruction, if it is one */
		check_htinst(htinst);
		check_load_value(insn, raw);
		check_names(htinst, raw, bufsize);
		/* A cause with the interrupt bit, from the same bits. */
		check_names(htinst | RISCV_SCAUSE_INTERRUPT, raw, bufsize);
	}
	return 0;
}
