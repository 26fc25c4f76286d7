// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

static __thread char errbuf[1024];

/* The message: fmt's text, then ": " and tail (a cause, or the previous
 * message) cut to the buffer. Formatted aside: tail may be errbuf. */
static int set_errmsg(int errnum, const char *tail, const char *fmt, va_list ap)
{
	char tmp[sizeof(errbuf)];
	int n;

	if (errnum < 0)
		errnum = -errnum;
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	if (n >= 0 && (size_t)n < sizeof(tmp) && tail &&
	    snprintf(tmp + n, sizeof(tmp) - n, ": %s", tail) >= (int)(sizeof(tmp) - n))
		tmp[sizeof(tmp) - 1] = '\0';
	memcpy(errbuf, tmp, sizeof(errbuf));
	return -(errnum ? errnum : EINVAL);
}

int og_err(int errnum, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_errmsg(errnum, errnum ? strerror(errnum < 0 ? -errnum : errnum) : NULL, fmt, ap);
	va_end(ap);
	return r;
}

int og_err_wrap(int errnum, const char *fmt, ...)
{
	char prev[sizeof(errbuf)];
	va_list ap;
	int r;

	/* The last message already ends with its cause: context goes before. */
	memcpy(prev, og_errmsg(), strnlen(og_errmsg(), sizeof(prev) - 1) + 1);
	prev[sizeof(prev) - 1] = '\0';
	va_start(ap, fmt);
	r = set_errmsg(errnum, prev, fmt, ap);
	va_end(ap);
	return r;
}

void og_unescape_octal(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		/* \ooo is a byte: the first digit is 0 to 3. */
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' && r[3] >= '0' &&
		    r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

int og_parse_long(const char *s, long min, long max, const char *what, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno == ERANGE || v < min || v > max)
		return og_err(EINVAL, "%s '%s': expected a number from %ld to %ld", what, s, min, max);
	*out = v;
	return 0;
}

static og_warn_fn warn_fn;
static void *warn_arg;

void og_set_warn(og_warn_fn fn, void *arg)
{
	warn_fn = fn;
	warn_arg = arg;
}

void og_warn(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (warn_fn) {
		warn_fn(warn_arg, msg);
	} else {
		char line[4 * sizeof(msg)];

		/* Names from containers are in warnings: never a terminal's control. */
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, og_escape_line(line, sizeof(line), msg));
	}
}

const char *og_errmsg(void)
{
	return errbuf[0] ? errbuf : "unknown error";
}

int og_read_fd(int fd, const char *what, size_t max, char **out, size_t *len)
{
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap + 1);

	if (!buf)
		return og_err(ENOMEM, "read %s", what);
	for (;;) {
		ssize_t r;

		if (used == cap) {
			char *nbuf;

			if (cap >= max) {
				free(buf);
				return og_err(EFBIG, "read %s: larger than %zu bytes", what, max);
			}
			cap = cap * 2 > max ? max : cap * 2;
			nbuf = realloc(buf, cap + 1);
			if (!nbuf) {
				free(buf);
				return og_err(ENOMEM, "read %s", what);
			}
			buf = nbuf;
		}
		r = read(fd, buf + used, cap - used);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			return og_err(e, "read %s", what);
		}
		if (r == 0)
			break;
		used += r;
	}
	buf[used] = '\0';
	*out = buf;
	if (len)
		*len = used;
	return 0;
}

int og_read_file(const char *path, size_t max, char **out, size_t *len)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return og_err(errno, "open %s", path);
	return og_read_fd(fd, path, max, out, len);
}

int og_read_regular_fd(int fd, const char *what, size_t max, char **out, size_t *len)
{
	struct stat sb;

	if (fstat(fd, &sb) < 0)
		return og_err(errno, "stat %s", what);
	if (!S_ISREG(sb.st_mode))
		return og_err(EINVAL, "%s: not a regular file", what);
	if ((uint64_t)sb.st_size > max)
		return og_err(EFBIG, "%s: %lld bytes, more than %zu", what, (long long)sb.st_size, max);
	return og_read_fd(fd, what, max, out, len);
}

int og_read_regular_file(const char *path, size_t max, char **out, size_t *len)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0)
		return og_err(errno, "open %s", path);
	return og_read_regular_fd(fd, path, max, out, len);
}

/* How deep arrays and objects nest in text, outside strings (counting
 * stops past limit), and whether a string holds \u0000, which a yajl tree
 * would silently cut the string at. Malformed text is the parser's to
 * refuse. */
static unsigned json_prescan(const char *text, size_t len, unsigned limit, bool *nul)
{
	unsigned depth = 0, deepest = 0;
	bool in_string = false;

	*nul = false;
	for (size_t i = 0; i < len && deepest <= limit; i++) {
		char c = text[i];

		if (in_string) {
			if (c == '\\') {
				if (len - i >= 6 && text[i + 1] == 'u' && !memcmp(text + i + 2, "0000", 4))
					*nul = true;
				i++;
			} else if (c == '"') {
				in_string = false;
			}
		} else if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > deepest)
				deepest = depth;
		} else if ((c == ']' || c == '}') && depth > 0) {
			depth--;
		}
	}
	return deepest;
}

int og_json_parse(const char *json, size_t len, size_t max, const char *what, void **root)
{
	cleanup_free char *text = NULL;
	char errbuf[256] = "";
	bool nul;
	yajl_val v;

	*root = NULL;
	if (len > max)
		return og_err(EFBIG, "%s: %zu bytes, larger than the %zu accepted", what, len, max);
	text = malloc(len + 1);
	if (!text)
		return og_err(ENOMEM, "%s", what);
	memcpy(text, json, len);
	text[len] = '\0';
	if (strlen(text) != len)
		return og_err(EINVAL, "%s: NUL byte inside the JSON", what);
	if (json_prescan(text, len, OG_JSON_MAX_DEPTH, &nul) > OG_JSON_MAX_DEPTH)
		return og_err(EINVAL, "%s: arrays and objects nested more than %d deep", what, OG_JSON_MAX_DEPTH);
	if (nul)
		return og_err(EINVAL, "%s: a string holds \\u0000, which would be cut there", what);
	v = yajl_tree_parse(text, errbuf, sizeof(errbuf));
	if (!v) {
		/* yajl's message spans lines; keep the first. */
		char *nl = strchr(errbuf, '\n');
		if (nl)
			*nl = '\0';
		return og_err(EINVAL, "%s: malformed JSON (%s)", what, errbuf[0] ? errbuf : "parse error");
	}
	*root = v;
	return 0;
}

int og_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
	struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};

	return syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

int og_json_gen_value(void *gen, void *val)
{
	yajl_gen g = gen;
	yajl_val v = val;
	yajl_gen_status st = yajl_gen_status_ok;

	if (YAJL_IS_STRING(v))
		return yajl_gen_string(g, (const unsigned char *)v->u.string, strlen(v->u.string));
	if (YAJL_IS_NUMBER(v))
		return yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r));
	if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v))
		return yajl_gen_bool(g, YAJL_IS_TRUE(v));
	if (YAJL_IS_OBJECT(v)) {
		st = yajl_gen_map_open(g);
		for (size_t i = 0; st == yajl_gen_status_ok && i < v->u.object.len; i++) {
			st = yajl_gen_string(g, (const unsigned char *)v->u.object.keys[i],
					     strlen(v->u.object.keys[i]));
			if (st == yajl_gen_status_ok)
				st = og_json_gen_value(g, v->u.object.values[i]);
		}
		return st == yajl_gen_status_ok ? yajl_gen_map_close(g) : st;
	}
	if (YAJL_IS_ARRAY(v)) {
		st = yajl_gen_array_open(g);
		for (size_t i = 0; st == yajl_gen_status_ok && i < v->u.array.len; i++)
			st = og_json_gen_value(g, v->u.array.values[i]);
		return st == yajl_gen_status_ok ? yajl_gen_array_close(g) : st;
	}
	return yajl_gen_null(g);
}

struct unit {
	const char *name;
	uint64_t mult;
};

/* A whole number and one of units after it (what: "size", "duration"
 * for messages; expect and use: what a user should write). */
static int parse_with_unit(const char *s, const struct unit *units, size_t n, bool nocase, const char *what,
			   const char *expect, const char *use, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return og_err(EINVAL, "%s '%s': expected a number %s", what, s ? s : "", expect);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return og_err(errno, "%s '%s'", what, s);
	for (size_t i = 0; i < n; i++) {
		if ((nocase ? strcasecmp(end, units[i].name) : strcmp(end, units[i].name)) != 0)
			continue;
		if (v > UINT64_MAX / units[i].mult)
			return og_err(ERANGE, "%s '%s'", what, s);
		*out = v * units[i].mult;
		return 0;
	}
	return og_err(EINVAL, "%s '%s': unknown unit '%s' (use %s)", what, s, end, use);
}

int og_parse_size(const char *s, uint64_t *bytes)
{
	static const struct unit units[] = {
		{"", 1},
		{"b", 1},
		{"k", 1ULL << 10},
		{"kb", 1ULL << 10},
		{"kib", 1ULL << 10},
		{"m", 1ULL << 20},
		{"mb", 1ULL << 20},
		{"mib", 1ULL << 20},
		{"g", 1ULL << 30},
		{"gb", 1ULL << 30},
		{"gib", 1ULL << 30},
	};

	return parse_with_unit(s, units, sizeof(units) / sizeof(units[0]), true, "size",
			       "with an optional unit (KiB, MiB, GiB)", "KiB, MiB or GiB", bytes);
}

const char *og_format_size(char *buf, size_t size, uint64_t bytes)
{
	if (bytes >= (1ULL << 30) && bytes % (1ULL << 30) == 0)
		snprintf(buf, size, "%llu GiB", (unsigned long long)(bytes >> 30));
	else if (bytes >= (1ULL << 20) && bytes % (1ULL << 20) == 0)
		snprintf(buf, size, "%llu MiB", (unsigned long long)(bytes >> 20));
	else if (bytes >= (1ULL << 20))
		snprintf(buf, size, "%.1f MiB", bytes / 1048576.0);
	else if (bytes >= 1024)
		snprintf(buf, size, "%llu KiB", (unsigned long long)(bytes >> 10));
	else
		snprintf(buf, size, "%llu bytes", (unsigned long long)bytes);
	return buf;
}

int og_parse_duration_ms(const char *s, uint64_t *ms)
{
	static const struct unit units[] = {{"", 1000},	  {"ms", 1},	  {"s", 1000},
					    {"m", 60000}, {"h", 3600000}, {"d", 86400000}};

	return parse_with_unit(s, units, sizeof(units) / sizeof(units[0]), false, "duration", "with ms, s, m, h or d",
			       "ms, s, m, h or d", ms);
}

int og_parse_duration(const char *s, uint64_t *secs)
{
	uint64_t ms;
	int r = og_parse_duration_ms(s, &ms);

	if (r == 0)
		*secs = ms / 1000;
	return r;
}

static uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

char *og_put_uint(char *p, uint64_t v, int width)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";
	char d[24];
	int n = 0;

	/* Two digits a division: a ts_ns has 14. d holds them reversed. */
	for (; v >= 100; v /= 100) {
		d[n++] = pairs[2 * (v % 100) + 1];
		d[n++] = pairs[2 * (v % 100)];
	}
	if (v >= 10) {
		d[n++] = pairs[2 * v + 1];
		d[n++] = pairs[2 * v];
	} else {
		d[n++] = (char)('0' + v);
	}
	for (int i = n; i < width; i++)
		*p++ = ' ';
	while (n)
		*p++ = d[--n];
	return p;
}

char *og_put_int(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return og_put_uint(p, -(uint64_t)v, 0);
	}
	return og_put_uint(p, (uint64_t)v, 0);
}

char *og_put_hex(char *p, uint64_t v)
{
	char d[16];
	int n = 0;

	if (!v) {
		*p++ = '0';
		return p;
	}
	for (; v; v >>= 4)
		d[n++] = "0123456789abcdef"[v & 0xf];
	*p++ = '0';
	*p++ = 'x';
	while (n)
		*p++ = d[--n];
	return p;
}

char *og_put_frac(char *p, uint64_t frac, int digits)
{
	for (int i = digits - 1; i >= 0; i--, frac /= 10)
		p[i] = (char)('0' + frac % 10);
	return p + digits;
}

void og_advise_huge(void *p, size_t len)
{
	/* Rounded outwards: a large block is an mmap of its own, whose
	 * first and last pages are its own too; advice for all of it keeps
	 * it one mapping, which realloc can grow with mremap. */
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start = (uintptr_t)p & ~(page - 1);
	uintptr_t end = ((uintptr_t)p + len + page - 1) & ~(page - 1);

	if (len >= (4u << 20))
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
}

uint64_t og_realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

uint64_t og_boottime_ns(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

int og_mkdir_p(const char *path, unsigned mode)
{
	char buf[4096];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return og_err(ENAMETOOLONG, "mkdir %s", path);
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return og_err(errno, "mkdir %s", buf);
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return og_err(errno, "mkdir %s", buf);
	return 0;
}

int og_mkdir_open(const char *dir, unsigned mode, int flags, int *fd)
{
	int r = og_mkdir_p(dir, mode);

	if (r < 0)
		return r;
	*fd = open(dir, flags | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return *fd < 0 ? og_err(errno, "open directory %s", dir) : 0;
}

int og_write_fd(int fd, const char *what, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return og_err(w < 0 ? errno : EIO, "write %s", what);
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int og_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		return og_err(ENAMETOOLONG, "path '%s...' is too long", buf);
	return 0;
}

char *og_escape_field(char *dst, size_t size, const char *src, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (size_t i = 0; i < len && src[i] && n + 5 < size; i++) {
		unsigned char c = (unsigned char)src[i];

		/* Bytes past ASCII too: C1 controls (a CSI is 0x9b, or c2 9b
		 * in UTF-8) act on terminals as the C0 ones do. */
		if (c < 0x20 || c >= 0x7f || c == '\\') {
			dst[n++] = '\\';
			if (c == '\\') {
				dst[n++] = '\\';
			} else {
				dst[n++] = 'x';
				dst[n++] = hex[c >> 4];
				dst[n++] = hex[c & 15];
			}
		} else {
			dst[n++] = (char)c;
		}
	}
	dst[n] = '\0';
	return dst;
}

char *og_escape_line(char *dst, size_t size, const char *src)
{
	return og_escape_field(dst, size, src, SIZE_MAX);
}

void og_strfield_n(char *dst, size_t size, const char *src, size_t n)
{
	n = strnlen(src, n);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void og_strfield(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

const char *og_format_bytes(char *buf, size_t size, uint64_t bytes)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
	double v = bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, size, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, "%.1f %s", v, units[u]);
	return buf;
}

void og_print_escaped(FILE *out, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = data[i];

		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				fputc(c, out);
			else
				fprintf(out, "\\x%02x", c);
		}
	}
}
