/*
 * The guest-side fuzzer (tests/guests/fuzz): a seeded campaign of random
 * firmware calls, device and unmapped accesses and trapped system
 * registers / CSRs, with arguments that point into, across and past the
 * guest's RAM. The common part (fuzz.c) draws the numbers and runs the
 * loop; each arch gives its operations (<arch>/ops.c).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include "guest.h"

/* xorshift64*: small, and the same sequence for a seed everywhere. */
uint64_t fuzz_next(void);
static inline uint64_t fuzz_below(uint64_t n)
{
	return n ? fuzz_next() % n : 0;
}

/* trace=N: operations from number N on say what they do before they do
 * it, to find the one that goes wrong in a campaign. */
extern bool fuzz_tracing;
#define fuzz_trace(...)                          \
	do {                                     \
		if (fuzz_tracing)                \
			printf(__VA_ARGS__);     \
	} while (0)

/* The guest's RAM, from the DT, and a scratch buffer inside it: the only
 * RAM a call may be pointed at, so what tern writes there for a call
 * (DBCN reads, SSE attributes) never lands on the guest's own data. */
extern uint64_t fuzz_ram_base, fuzz_ram_end;
#define FUZZ_SCRATCH_SIZE 16384
#define FUZZ_SCRATCH_MARGIN 512 /* the most a call writes from its pointer */
extern uint8_t fuzz_scratch[FUZZ_SCRATCH_SIZE];

/* An address for a call: in the scratch buffer, across RAM's end, past it,
 * 0, misaligned, or anything at all. */
uint64_t fuzz_pointer(void);
/* A value for a call: small, boundary, random, or a pointer. */
uint64_t fuzz_value(void);

/* Device regions of the DT (reg of every node under /, /soc) that accesses
 * may go to; the console UART is left out (a write there could silence
 * the guest's own report). */
#define FUZZ_MAX_REGIONS 16
struct fuzz_region {
	uint64_t base, size;
};
extern struct fuzz_region fuzz_regions[FUZZ_MAX_REGIONS];
extern unsigned int fuzz_nr_regions;

/* An address for a device access: in one of those regions, in a hole of
 * the address map, or random. */
uint64_t fuzz_device_address(void);

/* The arch's operations and its check that the firmware still answers as
 * it did before the campaign. */
struct fuzz_op {
	const char *name;
	void (*run)(void);
	unsigned long count, faults; /* runs, and the exceptions they took */
};
extern struct fuzz_op fuzz_ops[];
extern const unsigned int fuzz_nr_ops;
/* The operation running now (traps it takes count to it). */
extern struct fuzz_op *fuzz_current;
void fuzz_arch_setup(void);
bool fuzz_arch_still_answers(char *what, size_t size);

/* Run one access or instruction that may trap: the trap is recorded (and
 * counted to the running operation), not fatal. */
#define FUZZ_GUARDED(stmt)                                                \
	do {                                                               \
		struct exception_record __r;                               \
		expect_exception();                                        \
		stmt;                                                      \
		__r = exception_result();                                  \
		if (__r.seen)                                              \
			fuzz_current->faults++;                            \
	} while (0)

#endif
