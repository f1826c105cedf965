/* Freestanding subset of <stdlib.h>: what libfdt and tern use. */
#ifndef TERN_LIBC_STDLIB_H
#define TERN_LIBC_STDLIB_H

#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);

#endif
