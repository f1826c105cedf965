/*
 * tern_vsnprintf: the formatter behind printk and panic. Self-contained (no
 * libc, no floating point) so it runs in tern, in test guests and on the
 * host, where unit tests compare it with the C library's snprintf.
 */
#include <stdarg.h>
#include <tern/printk.h>

struct out {
	char *buf;
	size_t size;
	size_t len; /* characters the full output has, even past size */
};

static void emit(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void emit_n(struct out *o, char c, int n)
{
	while (n-- > 0)
		emit(o, c);
}

struct spec {
	bool left, zero, alt, plus, space;
	int width;
	int prec; /* -1: none */
};

static void emit_str(struct out *o, const struct spec *sp, const char *s)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (sp->prec < 0 || n < sp->prec))
		n++;
	if (!sp->left)
		emit_n(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		emit(o, s[i]);
	if (sp->left)
		emit_n(o, ' ', sp->width - n);
}

/* Unsigned magnitude v in base, with sign/prefix, width and precision. */
static void emit_num(struct out *o, const struct spec *sp, unsigned long long v, unsigned base,
		     bool upper, char sign)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	const char *prefix = "";

	if (v == 0 && sp->prec == 0) {
		n = 0; /* "%.0d" of 0 prints no digits */
	} else {
		do {
			tmp[n++] = digits[v % base];
			v /= base;
		} while (v);
	}
	if (sp->alt && base == 16 && n > 0 && !(n == 1 && tmp[0] == '0'))
		prefix = upper ? "0X" : "0x";
	if (sp->alt && base == 8 && (n == 0 || tmp[n - 1] != '0'))
		prefix = "0";

	int zeros = sp->prec > n ? sp->prec - n : 0;
	int plen = 0;
	while (prefix[plen])
		plen++;
	int total = n + zeros + plen + (sign ? 1 : 0);
	int pad = sp->width > total ? sp->width - total : 0;

	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!sp->left)
		emit_n(o, ' ', pad);
	if (sign)
		emit(o, sign);
	for (int i = 0; i < plen; i++)
		emit(o, prefix[i]);
	emit_n(o, '0', zeros);
	while (n)
		emit(o, tmp[--n]);
	if (sp->left)
		emit_n(o, ' ', pad);
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

static unsigned long long arg_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG: return va_arg(*ap, unsigned long);
	case LEN_LLONG: return va_arg(*ap, unsigned long long);
	case LEN_SIZE: return va_arg(*ap, size_t);
	case LEN_PTRDIFF: return (unsigned long long)va_arg(*ap, ptrdiff_t);
	case LEN_MAX: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static long long arg_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR: return (signed char)va_arg(*ap, int);
	case LEN_SHORT: return (short)va_arg(*ap, int);
	case LEN_LONG: return va_arg(*ap, long);
	case LEN_LLONG: return va_arg(*ap, long long);
	case LEN_SIZE: return (long long)va_arg(*ap, size_t);
	case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
	case LEN_MAX: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static const char *parse_length(const char *f, enum length *len)
{
	*len = LEN_INT;
	switch (*f) {
	case 'h':
		*len = f[1] == 'h' ? LEN_CHAR : LEN_SHORT;
		return f + (f[1] == 'h' ? 2 : 1);
	case 'l':
		*len = f[1] == 'l' ? LEN_LLONG : LEN_LONG;
		return f + (f[1] == 'l' ? 2 : 1);
	case 'z': *len = LEN_SIZE; return f + 1;
	case 't': *len = LEN_PTRDIFF; return f + 1;
	case 'j': *len = LEN_MAX; return f + 1;
	default: return f;
	}
}

int tern_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			emit(&o, *f);
			continue;
		}
		struct spec sp = { .prec = -1 };
		for (;; f++) {
			char c = f[1];
			if (c == '-') sp.left = true;
			else if (c == '0') sp.zero = true;
			else if (c == '#') sp.alt = true;
			else if (c == '+') sp.plus = true;
			else if (c == ' ') sp.space = true;
			else break;
		}
		f++;
		if (*f == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				sp.width = sp.width * 10 + (*f++ - '0');
		}
		if (*f == '.') {
			f++;
			sp.prec = 0;
			if (*f == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;
				f++;
			} else {
				while (*f >= '0' && *f <= '9')
					sp.prec = sp.prec * 10 + (*f++ - '0');
			}
		}
		enum length len;
		f = parse_length(f, &len);

		switch (*f) {
		case 'd':
		case 'i': {
			long long v = arg_signed(&ap, len);
			char sign = v < 0 ? '-' : sp.plus ? '+' : sp.space ? ' ' : 0;
			unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
			emit_num(&o, &sp, mag, 10, false, sign);
			break;
		}
		case 'u': emit_num(&o, &sp, arg_unsigned(&ap, len), 10, false, 0); break;
		case 'x': emit_num(&o, &sp, arg_unsigned(&ap, len), 16, false, 0); break;
		case 'X': emit_num(&o, &sp, arg_unsigned(&ap, len), 16, true, 0); break;
		case 'o': emit_num(&o, &sp, arg_unsigned(&ap, len), 8, false, 0); break;
		case 'p': {
			/* Always 0x and 16 digits: addresses line up in dumps. */
			struct spec ps = { .alt = false, .zero = true, .width = 16, .prec = -1 };
			emit(&o, '0');
			emit(&o, 'x');
			emit_num(&o, &ps, (uintptr_t)va_arg(ap, void *), 16, false, 0);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			if (!sp.left)
				emit_n(&o, ' ', sp.width - 1);
			emit(&o, c);
			if (sp.left)
				emit_n(&o, ' ', sp.width - 1);
			break;
		}
		case 's': emit_str(&o, &sp, va_arg(ap, const char *)); break;
		case '%': emit(&o, '%'); break;
		case '\0': f--; break; /* a lone '%' at the end: print nothing more */
		default:
			/* Unknown conversion: show it rather than guess at arguments. */
			emit(&o, '%');
			emit(&o, *f);
			break;
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int tern_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = tern_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
