/*
 * What the libFuzzer harnesses of tests/fuzz/ share: REQUIRE, which stops
 * the run on a broken contract so libFuzzer keeps the input (and says
 * which check it was, unlike a bare trap), and a reader that turns the
 * fuzzer's bytes into the fields of a structured input. A harness that
 * runs out of bytes reads zeros, so every input is a whole test.
 */
#ifndef TERN_FUZZ_H
#define TERN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond)                                                             \
	do {                                                                      \
		if (!(cond)) {                                                    \
			fprintf(stderr, "%s:%d: REQUIRE(%s) failed\n", __FILE__, __LINE__, \
				#cond);                                           \
			abort();                                                  \
		}                                                                 \
	} while (0)

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline uint64_t take(struct fuzz_in *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes && in->left; i++, in->left--)
		v |= (uint64_t)*in->p++ << (8 * i);
	return v;
}

static inline uint8_t take8(struct fuzz_in *in) { return (uint8_t)take(in, 1); }
static inline uint16_t take16(struct fuzz_in *in) { return (uint16_t)take(in, 2); }
static inline uint32_t take32(struct fuzz_in *in) { return (uint32_t)take(in, 4); }
static inline uint64_t take64(struct fuzz_in *in) { return take(in, 8); }

/* The access sizes a trapped load or store can have. */
static inline unsigned int take_size(struct fuzz_in *in)
{
	return 1u << (take8(in) & 3);
}

#endif
