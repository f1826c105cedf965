/* Parsing tern's command line. Pure string logic, unit-tested on the host. */
#include <string.h>
#include <tern/bootargs.h>

bool bootarg_get(const char *args, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);

	if (!args || klen == 0)
		return false;
	for (const char *w = args; *w;) {
		while (*w == ' ' || *w == '\t')
			w++;
		const char *end = w;
		while (*end && *end != ' ' && *end != '\t')
			end++;
		if ((size_t)(end - w) >= klen && strncmp(w, key, klen) == 0 &&
		    (w + klen == end || w[klen] == '=')) {
			const char *v = w + klen + (w + klen < end ? 1 : 0);
			size_t n = (size_t)(end - v);

			if (size) {
				if (n >= size)
					n = size - 1;
				memcpy(out, v, n);
				out[n] = '\0';
			}
			return true;
		}
		w = end;
	}
	return false;
}
