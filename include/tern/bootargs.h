/* tern's own command line: /chosen/bootargs of the host DTB (QEMU -append). */
#ifndef TERN_BOOTARGS_H
#define TERN_BOOTARGS_H

#include <tern/types.h>

/*
 * Find "key=value" among space-separated words. Copies the value into out
 * (NUL-terminated, truncated to size) and returns true if key is present;
 * a bare "key" gives an empty value.
 */
bool bootarg_get(const char *args, const char *key, char *out, size_t size);

#endif
