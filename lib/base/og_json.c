// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_json.h"
#include "og_util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), 0 when it is not one. */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
	unsigned char c = p[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf; /* the bounds of the second byte */

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (left < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

bool og_json_bytes(yajl_gen g, const char *data, size_t len)
{
	const unsigned char *in = (const unsigned char *)data;
	unsigned char small[256];
	cleanup_free unsigned char *big = NULL;
	unsigned char *buf = small;
	size_t o = 0, ascii = 0;
	bool exact = true;

	/* Mostly ASCII (names, paths, keys): as it is, nothing to replace. */
	while (ascii < len && in[ascii] < 0x80)
		ascii++;
	if (ascii == len) {
		yajl_gen_string(g, in, len);
		return true;
	}
	if (3 * len + 1 > sizeof(small))
		buf = big = malloc(3 * len + 1);
	if (!buf) {
		yajl_gen_string(g, (const unsigned char *)"", 0); /* the document stays whole */
		return false;
	}
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq(in + i, len - i);

		if (n) {
			memcpy(buf + o, in + i, n);
			o += n;
			i += n;
			continue;
		}
		/* U+FFFD for each byte that starts no valid sequence. */
		memcpy(buf + o, "\xef\xbf\xbd", 3);
		o += 3;
		i++;
		exact = false;
	}
	yajl_gen_string(g, buf, o);
	return exact;
}

void og_json_hex(yajl_gen g, const char *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	cleanup_free unsigned char *buf = malloc(2 * len + 1);

	if (!buf) {
		yajl_gen_string(g, (const unsigned char *)"", 0);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		buf[2 * i] = digits[(unsigned char)data[i] >> 4];
		buf[2 * i + 1] = digits[(unsigned char)data[i] & 0xf];
	}
	yajl_gen_string(g, buf, 2 * len);
}

void og_json_bytes_field(yajl_gen g, const char *k, const char *data, size_t len)
{
	char hk[128];

	og_json_key(g, k);
	if (og_json_bytes(g, data, len))
		return;
	snprintf(hk, sizeof(hk), "%s_hex", k);
	og_json_key(g, hk);
	og_json_hex(g, data, len);
}

void og_json_key(yajl_gen g, const char *k)
{
	yajl_gen_string(g, (const unsigned char *)k, strlen(k));
}

void og_json_str(yajl_gen g, const char *k, const char *v)
{
	og_json_bytes_field(g, k, v, strlen(v));
}

void og_json_value_int(yajl_gen g, long long v)
{
	char num[32];

	/* As yajl_gen_integer writes it, without its sprintf. */
	yajl_gen_number(g, num, (size_t)(og_put_int(num, v) - num));
}

void og_json_int(yajl_gen g, const char *k, long long v)
{
	og_json_key(g, k);
	og_json_value_int(g, v);
}

void og_json_bool(yajl_gen g, const char *k, bool v)
{
	og_json_key(g, k);
	yajl_gen_bool(g, v);
}

void og_json_value_u64(yajl_gen g, uint64_t v)
{
	char num[32];

	yajl_gen_number(g, num, (size_t)(og_put_uint(num, v, 0) - num));
}

void og_json_u64(yajl_gen g, const char *k, uint64_t v)
{
	og_json_key(g, k);
	og_json_value_u64(g, v);
}

/* One generator per thread for lines printed one after another: a
 * printer of a million records allocates it once. */
static __thread yajl_gen line_gen;

yajl_gen og_json_line_begin(void)
{
	if (!line_gen)
		return line_gen = yajl_gen_alloc(NULL);
	/* A line left unfinished (an error on the way) starts afresh too. */
	yajl_gen_clear(line_gen);
	yajl_gen_reset(line_gen, NULL);
	return line_gen;
}

int og_json_line_end(FILE *out, yajl_gen g)
{
	const unsigned char *buf;
	size_t len;

	yajl_gen_get_buf(g, &buf, &len);
	fwrite(buf, 1, len, out);
	fputc('\n', out);
	return ferror(out) ? og_err(EIO, "write output") : 0;
}

int og_json_line(FILE *out, yajl_gen g)
{
	int r = og_json_line_end(out, g);

	yajl_gen_free(g);
	return r;
}
