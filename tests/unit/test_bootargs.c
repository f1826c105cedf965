#include <tern/bootargs.h>
#include "test.h"

TEST(bootargs_lookup)
{
	char v[16];
	const char *args = "  console=ttyS0 tern.selftest=guard  quiet tern.x=";

	CHECK(bootarg_get(args, "tern.selftest", v, sizeof(v)));
	CHECK_STR(v, "guard");
	CHECK(bootarg_get(args, "quiet", v, sizeof(v)));
	CHECK_STR(v, "");
	CHECK(bootarg_get(args, "tern.x", v, sizeof(v)));
	CHECK_STR(v, "");
	CHECK(bootarg_get(args, "console", v, sizeof(v)));
	CHECK_STR(v, "ttyS0");
	/* A prefix of a key is not the key. */
	CHECK(!bootarg_get(args, "tern", v, sizeof(v)));
	CHECK(!bootarg_get(args, "tern.selftes", v, sizeof(v)));
	CHECK(!bootarg_get("", "quiet", v, sizeof(v)));
	CHECK(!bootarg_get(NULL, "quiet", v, sizeof(v)));
}

TEST(bootargs_truncates_long_values)
{
	char v[4];

	CHECK(bootarg_get("k=abcdefgh", "k", v, sizeof(v)));
	CHECK_STR(v, "abc");
}
