// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_json.h"
#include "og_util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* JSON strings must be UTF-8: bytes >= 0x80 become U+0080..U+00FF (Latin-1),
 * a lossless mapping; yajl escapes the control characters. */
void og_json_bytes(yajl_gen g, const char *data, size_t len)
{
	cleanup_free unsigned char *buf = malloc(2 * len + 1);
	size_t o = 0;

	if (!buf)
		return;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = data[i];
		if (c < 0x80) {
			buf[o++] = c;
		} else {
			buf[o++] = 0xc0 | (c >> 6);
			buf[o++] = 0x80 | (c & 0x3f);
		}
	}
	yajl_gen_string(g, buf, o);
}

void og_json_key(yajl_gen g, const char *k)
{
	yajl_gen_string(g, (const unsigned char *)k, strlen(k));
}

void og_json_str(yajl_gen g, const char *k, const char *v)
{
	og_json_key(g, k);
	og_json_bytes(g, v, strlen(v));
}

void og_json_int(yajl_gen g, const char *k, long long v)
{
	og_json_key(g, k);
	yajl_gen_integer(g, v);
}

void og_json_bool(yajl_gen g, const char *k, bool v)
{
	og_json_key(g, k);
	yajl_gen_bool(g, v);
}

void og_json_value_u64(yajl_gen g, uint64_t v)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%" PRIu64, v);
	yajl_gen_number(g, num, n);
}

void og_json_u64(yajl_gen g, const char *k, uint64_t v)
{
	og_json_key(g, k);
	og_json_value_u64(g, v);
}

int og_json_line(FILE *out, yajl_gen g)
{
	const unsigned char *buf;
	size_t len;

	yajl_gen_get_buf(g, &buf, &len);
	fwrite(buf, 1, len, out);
	fputc('\n', out);
	yajl_gen_free(g);
	return ferror(out) ? og_err(EIO, "write output") : 0;
}
