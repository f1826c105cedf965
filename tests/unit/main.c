/* Runs every registered host unit test, or those named on the command line. */
#include <stdlib.h>
#include "test.h"

#define MAX_TESTS 1024

int unit_failures;
static const struct unit_test *tests[MAX_TESTS];
static int nr_tests;

void unit_register(const struct unit_test *t)
{
	if (nr_tests == MAX_TESTS) {
		fprintf(stderr, "too many unit tests (raise MAX_TESTS)\n");
		exit(2);
	}
	tests[nr_tests++] = t;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(const struct unit_test *const *)a)->name,
		      (*(const struct unit_test *const *)b)->name);
}

static int selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strncmp(name, argv[i], strlen(argv[i])) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	qsort(tests, nr_tests, sizeof(tests[0]), cmp_name);
	for (int i = 0; i < nr_tests; i++) {
		if (!selected(tests[i]->name, argc, argv))
			continue;
		unit_failures = 0;
		tests[i]->fn();
		printf("%s unit/%s\n", unit_failures ? "FAIL" : "PASS", tests[i]->name);
		if (unit_failures)
			failed++;
		else
			passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
