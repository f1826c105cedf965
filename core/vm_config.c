/*
 * One VM's settings from its vmN/config text in the guest bundle: lines of
 * "key = value", whole-line '#' comments and blank lines. The text comes
 * from the user, so every line is checked and the first problem is reported
 * with its line number; nothing here trusts a length or a terminator.
 */
#include <string.h>
#include <tern/compiler.h>
#include <tern/errno.h>
#include <tern/printk.h>
#include <tern/vm.h>
#include <tern/vm_config.h>

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define CONFIG_MIN_MEMORY (16 * MiB)
#define CONFIG_DEFAULT_MEMORY (256 * MiB)
#define CONFIG_PAGE 4096ULL

/* A value as it sits in the text: not NUL-terminated. */
struct span {
	const char *s;
	size_t n;
};

/* Each setter checks a value and stores it, or writes why not into problem.
 * The key name is part of every problem, so messages read on their own. */
typedef int (*config_setter)(struct vm_config *cfg, struct span v, char *problem, size_t size);

/* A user's value as a message shows it: quoted, cut at 40 characters so a
 * long line cannot push the rest of the message out, and copied, because
 * in the text nothing terminates it. */
struct shown {
	char s[48];
};

static struct shown show(struct span v)
{
	struct shown t;
	size_t n = MIN(v.n, 40);

	t.s[0] = '"';
	memcpy(t.s + 1, v.s, n);
	memcpy(t.s + 1 + n, v.n > 40 ? "\"..." : "\"", v.n > 40 ? 5 : 2);
	return t;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A decimal or 0x-hexadecimal number filling the whole span; false on
 * anything else, including overflow (a wrapped size must not pass). */
static bool parse_u64(struct span v, uint64_t *out)
{
	uint64_t x = 0;
	unsigned int base = 10;
	size_t i = 0;

	if (v.n > 2 && v.s[0] == '0' && (v.s[1] == 'x' || v.s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == v.n)
		return false;
	for (; i < v.n; i++) {
		int d = base == 16 ? hex_value(v.s[i]) : (is_digit(v.s[i]) ? v.s[i] - '0' : -1);

		if (d < 0 || x > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		x = x * base + (uint64_t)d;
	}
	*out = x;
	return true;
}

static int set_name(struct vm_config *cfg, struct span v, char *problem, size_t size)
{
	if (v.n >= sizeof(cfg->name)) {
		tern_snprintf(problem, size, "name %s is longer than %zu characters",
			      show(v).s, sizeof(cfg->name) - 1);
		return -E_INVAL;
	}
	/* The name appears in log lines and the guest's DT model: keep it to
	 * characters that need no quoting anywhere. */
	for (size_t i = 0; i < v.n; i++) {
		char c = v.s[i];

		if (!is_digit(c) && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    c != '.' && c != '_' && c != '-') {
			tern_snprintf(problem, size,
				      "name %s may only use letters, digits, '.', '_' and '-'",
				      show(v).s);
			return -E_INVAL;
		}
	}
	memcpy(cfg->name, v.s, v.n);
	cfg->name[v.n] = '\0';
	return 0;
}

static int set_vcpus(struct vm_config *cfg, struct span v, char *problem, size_t size)
{
	uint64_t n;

	if (!parse_u64(v, &n) || n < 1 || n > VM_MAX_VCPUS) {
		tern_snprintf(problem, size, "vcpus must be a number from 1 to %d, not %s",
			      VM_MAX_VCPUS, show(v).s);
		return -E_INVAL;
	}
	cfg->vcpus = (unsigned int)n;
	return 0;
}

static int set_memory(struct vm_config *cfg, struct span v, char *problem, size_t size)
{
	struct span digits = v;
	unsigned int shift = 0;
	uint64_t n;

	/* A binary suffix, as QEMU's -m takes it. None of k, m, g, t is a
	 * hex digit, so "0x..." sizes cannot be misread. */
	if (v.n > 1) {
		switch (v.s[v.n - 1]) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		case 't': case 'T': shift = 40; break;
		}
		if (shift)
			digits.n--;
	}
	if (!parse_u64(digits, &n)) {
		tern_snprintf(problem, size, "memory must be a size like 512M or 2G, not %s",
			      show(v).s);
		return -E_INVAL;
	}
	if (n > (UINT64_MAX >> shift)) {
		tern_snprintf(problem, size, "memory %s is too large", show(v).s);
		return -E_RANGE;
	}
	n <<= shift;
	if (n < CONFIG_MIN_MEMORY) {
		tern_snprintf(problem, size, "memory %s is less than the 16M minimum",
			      show(v).s);
		return -E_RANGE;
	}
	/* Guest RAM is mapped in whole pages. */
	if (n % CONFIG_PAGE) {
		tern_snprintf(problem, size, "memory %s is not a multiple of 4K",
			      show(v).s);
		return -E_INVAL;
	}
	cfg->mem_size = n;
	return 0;
}

static int set_cmdline(struct vm_config *cfg, struct span v, char *problem, size_t size)
{
	if (v.n >= sizeof(cfg->cmdline)) {
		tern_snprintf(problem, size, "cmdline is longer than %zu characters",
			      sizeof(cfg->cmdline) - 1);
		return -E_RANGE;
	}
	memcpy(cfg->cmdline, v.s, v.n);
	cfg->cmdline[v.n] = '\0';
	return 0;
}

static bool span_is(struct span v, const char *s)
{
	return v.n == strlen(s) && memcmp(v.s, s, v.n) == 0;
}

static int set_sbi(struct vm_config *cfg, struct span v, char *problem, size_t size)
{
	if (span_is(v, "v2")) {
		cfg->sbi = SBI_LEVEL_V2;
	} else if (span_is(v, "v0.1")) {
		cfg->sbi = SBI_LEVEL_V01;
	} else {
		tern_snprintf(problem, size, "sbi must be v0.1 or v2, not %s", show(v).s);
		return -E_INVAL;
	}
	return 0;
}

static const struct config_key {
	const char *key;
	config_setter set;
	bool may_be_empty;
} config_keys[] = {
	{ "name", set_name, false },
	{ "vcpus", set_vcpus, false },
	{ "memory", set_memory, false },
	{ "cmdline", set_cmdline, true }, /* "cmdline =" says: no arguments */
	{ "sbi", set_sbi, false },
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static struct span trim(struct span v)
{
	while (v.n && is_blank(v.s[0])) {
		v.s++;
		v.n--;
	}
	while (v.n && (is_blank(v.s[v.n - 1]) || v.s[v.n - 1] == '\r'))
		v.n--;
	return v;
}

static void config_defaults(struct vm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->vcpus = 1;
	cfg->mem_size = CONFIG_DEFAULT_MEMORY;
	cfg->sbi = SBI_LEVEL_V2;
}

static int line_error(struct bundle_error *err, unsigned int line, int rc, const char *problem)
{
	if (err)
		tern_snprintf(err->msg, sizeof(err->msg), "line %u: %s", line, problem);
	return rc;
}

/* One non-blank, non-comment line. seen[] holds the line each key was first
 * given on (0: not yet). */
static int parse_line(struct span l, unsigned int line, unsigned int *seen, struct vm_config *cfg,
		      struct bundle_error *err)
{
	char problem[sizeof(err->msg)];
	const char *eq = memchr(l.s, '=', l.n);
	struct span key, value;

	/* A stray control character (a NUL from a binary file given as the
	 * config, an escape sequence) would be copied into a name or the
	 * guest's command line: refuse it where it can still be pointed at. */
	for (size_t i = 0; i < l.n; i++) {
		unsigned char c = (unsigned char)l.s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			tern_snprintf(problem, sizeof(problem), "unexpected control character 0x%02x",
				      c);
			return line_error(err, line, -E_INVAL, problem);
		}
	}
	if (!eq)
		return line_error(err, line, -E_INVAL, "expected \"key = value\"");
	key = trim((struct span){ l.s, (size_t)(eq - l.s) });
	value = trim((struct span){ eq + 1, l.n - (size_t)(eq + 1 - l.s) });
	if (!key.n)
		return line_error(err, line, -E_INVAL, "expected \"key = value\"");

	for (size_t k = 0; k < ARRAY_SIZE(config_keys); k++) {
		const struct config_key *ck = &config_keys[k];
		int rc;

		if (!span_is(key, ck->key))
			continue;
		if (seen[k]) {
			tern_snprintf(problem, sizeof(problem), "%s given twice (first on line %u)",
				      ck->key, seen[k]);
			return line_error(err, line, -E_INVAL, problem);
		}
		seen[k] = line;
		if (!value.n && !ck->may_be_empty) {
			tern_snprintf(problem, sizeof(problem), "%s has no value", ck->key);
			return line_error(err, line, -E_INVAL, problem);
		}
		rc = ck->set(cfg, value, problem, sizeof(problem));
		return rc ? line_error(err, line, rc, problem) : 0;
	}
	tern_snprintf(problem, sizeof(problem),
		      "unknown key %s (known: name, vcpus, memory, cmdline, sbi)", show(key).s);
	return line_error(err, line, -E_INVAL, problem);
}

int vm_config_parse(const char *text, uint64_t len, struct vm_config *cfg, struct bundle_error *err)
{
	unsigned int seen[ARRAY_SIZE(config_keys)] = { 0 };
	const char *p = text, *end;
	unsigned int line = 0;

	config_defaults(cfg);
	if (err)
		err->msg[0] = '\0';
	/* No text (a VM without a config file) is all defaults; end is only
	 * computed from a real pointer, NULL + 0 being undefined. */
	if (!text)
		return len ? -E_INVAL : 0;
	end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct span l = { p, (size_t)((nl ? nl : end) - p) };
		int rc;

		line++;
		p = nl ? nl + 1 : end;
		l = trim(l);
		if (!l.n || l.s[0] == '#')
			continue;
		rc = parse_line(l, line, seen, cfg, err);
		if (rc)
			return rc;
	}
	return 0;
}
