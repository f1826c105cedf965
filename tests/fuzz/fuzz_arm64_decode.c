/*
 * libFuzzer harness for arm64's syndrome decoders: arch/arm64/mmio_decode.c
 * (a guest's stage-2 data abort turned into an MMIO access) and
 * arch/arm64/esr_decode.c (ESR/SPSR/FSC words for trap dumps). Every ESR,
 * HPFAR, FAR and register value is the guest's to choose.
 *
 * Fed: records of (ESR, a data/register word, an address word, a buffer
 * size), as many as the input holds.
 * Checked:
 *   - mmio_decode accepts exactly what its header says (ISV set, no
 *     stage-1 walk, no cache maintenance), with size 1/2/4/8 and Rt < 32;
 *   - the access esr_describe_iss prints for the same ISS (" of N bytes
 *     via xR") names the same size, register and width: the two decoders
 *     of one syndrome agree;
 *   - mmio_load_value keeps the bytes read, sign- or zero-extends them to
 *     the register's width and clears bits 63:32 of a W register;
 *     mmio_store_value keeps only the bytes stored;
 *   - s2_fault_is_translation agrees with esr_fsc_name's translation /
 *     access flag / permission fault with a level; s2_fault_ipa keeps the
 *     page from HPFAR.FIPA and the offset from FAR, below 2^56;
 *   - the name functions never return NULL; the describe functions keep
 *     snprintf's contract in a buffer of exactly the size given (ASan
 *     catches a byte past it).
 */
#include <string.h>
#include "fuzz.h"
#include "../../arch/arm64/include/arch/esr.h"
#include "../../arch/arm64/include/arch/mmio_decode.h"
#include "../../arch/arm64/include/arch/trap.h"

static uint64_t mask_of(unsigned int bytes)
{
	return bytes >= 8 ? ~0ULL : (1ULL << (bytes * 8)) - 1;
}

/* snprintf's contract for fn(buf, size, arg) in a heap buffer of exactly
 * size bytes, against the same call with room to spare. */
static void describe_fits(int (*fn)(char *, size_t, uint64_t), uint64_t arg, size_t size)
{
	char full[256];
	int len = fn(full, sizeof(full), arg);
	char *buf = malloc(size ? size : 1);

	REQUIRE(len >= 0 && (size_t)len < sizeof(full) && strlen(full) == (size_t)len);
	buf[0] = 'X';
	REQUIRE(fn(buf, size, arg) == len);
	if (size == 0) {
		REQUIRE(buf[0] == 'X'); /* nothing written */
	} else {
		size_t n = (size_t)len < size - 1 ? (size_t)len : size - 1;

		REQUIRE(buf[n] == '\0' && memcmp(buf, full, n) == 0);
	}
	free(buf);
}

/* What esr_describe_iss says about the access of a data abort with this
 * ISS, compared with mmio_decode's reading of it. */
static void describe_agrees(uint32_t iss, const struct mmio_insn *m)
{
	uint64_t esr = ((uint64_t)ESR_EC_DABT_LOW << ESR_EC_SHIFT) | ESR_IL | iss;
	char text[256], width, reg[8];
	unsigned int bytes, r;
	const char *via;

	esr_describe_iss(text, sizeof(text), esr);
	via = strstr(text, " byte");
	if (!(iss & DABT_ISV)) {
		REQUIRE(via == NULL); /* no access is described without ISV */
		return;
	}
	via = strstr(text, " of ");
	REQUIRE(via && sscanf(via, " of %u byte", &bytes) == 1);
	via = strstr(via, " via ");
	REQUIRE(via && sscanf(via, " via %7[a-z0-9]", reg) == 1);
	REQUIRE(bytes == m->size);
	width = reg[0];
	REQUIRE(width == (m->reg64 ? 'x' : 'w'));
	if (m->reg == 31)
		REQUIRE(strcmp(reg + 1, "zr") == 0);
	else
		REQUIRE(sscanf(reg + 1, "%u", &r) == 1 && r == m->reg);
}

static void check_values(const struct mmio_insn *m, uint64_t data)
{
	unsigned int width = m->reg64 ? 8 : 4;
	uint64_t v = mmio_load_value(m, data), kept = mask_of(m->size < width ? m->size : width);
	uint64_t above = mask_of(width) & ~mask_of(m->size);

	REQUIRE((v & kept) == (data & kept));
	REQUIRE((v & ~mask_of(width)) == 0); /* a W register's bits 63:32 are zero */
	if (m->sign_extend && m->size < width && (data >> (m->size * 8 - 1)) & 1)
		REQUIRE((v & above) == above);
	else
		REQUIRE((v & above) == 0);
	REQUIRE(mmio_store_value(m, data) == (data & mask_of(m->size)));
}

static void check_fault(uint32_t iss, uint64_t hpfar, uint64_t far)
{
	unsigned int level = 0;
	const char *name = esr_fsc_name(DABT_FSC(iss), &level);
	bool by_name = level <= 3 && (!strcmp(name, "translation fault") ||
				      !strcmp(name, "access flag fault") ||
				      !strcmp(name, "permission fault"));
	paddr_t ipa = s2_fault_ipa(hpfar, far);

	REQUIRE(name && (level <= 3 || level == ~0u));
	REQUIRE(esr_fsc_name(iss, NULL) == name);
	REQUIRE(s2_fault_is_translation(iss) == by_name);
	REQUIRE(ipa < (1ULL << 56) && (ipa & 0xfff) == (far & 0xfff));
	REQUIRE(ipa >> 12 == ((hpfar >> 4) & ((1ULL << 44) - 1)));
}

static int describe_iss(char *buf, size_t size, uint64_t esr)
{
	return esr_describe_iss(buf, size, esr);
}

static int describe_spsr(char *buf, size_t size, uint64_t spsr)
{
	return spsr_describe(buf, size, spsr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	while (in.left) {
		uint64_t esr = take64(&in), word = take64(&in), addr = take64(&in);
		size_t bufsize = take8(&in) % 96;
		uint32_t iss = ESR_ISS(esr);
		struct mmio_insn m;
		bool ok = mmio_decode(esr, &m);

		REQUIRE(ok == ((iss & DABT_ISV) && !(iss & (DABT_S1PTW | DABT_CM))));
		if (ok) {
			REQUIRE(m.size == 1 || m.size == 2 || m.size == 4 || m.size == 8);
			REQUIRE(m.reg < 32);
			REQUIRE(m.write == !!(iss & DABT_WNR));
			describe_agrees(iss, &m);
			check_values(&m, word);
		}
		check_fault(iss, word, addr);

		REQUIRE(esr_ec_name(ESR_EC(esr)) != NULL && esr_ec_name((unsigned int)word) != NULL);
		REQUIRE(trap_vector_name((unsigned int)addr) != NULL);
		describe_fits(describe_iss, esr, bufsize);
		describe_fits(describe_spsr, word, bufsize);
	}
	return 0;
}
