/*
 * A small host unit-test framework. A test is a function declared with
 * TEST(name); CHECK* macros record failures and carry on, so one run shows
 * every broken expectation. The runner prints "PASS name" / "FAIL name" per
 * test and ends with "N passed, N failed".
 */
#ifndef TERN_UNIT_TEST_H
#define TERN_UNIT_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

extern int unit_failures; /* failures in the test that is running */

void unit_register(const struct unit_test *t);

#define TEST(name)                                                        \
	static void test_##name(void);                                    \
	static const struct unit_test unit_##name = { #name, test_##name }; \
	__attribute__((constructor)) static void reg_##name(void)         \
	{                                                                 \
		unit_register(&unit_##name);                              \
	}                                                                 \
	static void test_##name(void)

#define CHECK(cond)                                                               \
	do {                                                                      \
		if (!(cond)) {                                                    \
			printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			unit_failures++;                                          \
		}                                                                 \
	} while (0)

#define CHECK_EQ(a, b)                                                            \
	do {                                                                      \
		unsigned long long _a = (unsigned long long)(a);                  \
		unsigned long long _b = (unsigned long long)(b);                  \
		if (_a != _b) {                                                   \
			printf("  %s:%d: %s == %s failed: 0x%llx != 0x%llx\n", __FILE__, \
			       __LINE__, #a, #b, _a, _b);                         \
			unit_failures++;                                          \
		}                                                                 \
	} while (0)

#define CHECK_STR(a, b)                                                           \
	do {                                                                      \
		const char *_a = (a), *_b = (b);                                  \
		if (!_a || !_b || strcmp(_a, _b) != 0) {                          \
			printf("  %s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__, \
			       __LINE__, #a, #b, _a ? _a : "(null)", _b ? _b : "(null)"); \
			unit_failures++;                                          \
		}                                                                 \
	} while (0)

/* xorshift64* (Vigna): the random sequences the model tests replay, each
 * from a state of its own so that one test's sequence never depends on
 * another's. */
static inline uint64_t unit_rng(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

#endif
