// SPDX-License-Identifier: GPL-2.0-or-later
/* JSON strings from bytes the traced world chose (og_json_bytes_field):
 * the output is valid JSON and UTF-8 whatever the bytes, "s" holds them
 * exactly when no "s_hex" follows, and "s_hex" always holds them exactly. */
#include "config.h"
#include "fuzz.h"
#include "og_json.h"

#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

struct seen {
	const uint8_t *in;
	size_t len;
	int key; /* 0: "s", 1: "s_hex" */
	int strings;
	bool hex_seen;
	unsigned char *s; /* the value of "s" */
	size_t s_len;
};

static int on_key(void *arg, const unsigned char *k, size_t len)
{
	struct seen *v = arg;

	v->key = len == 5 && memcmp(k, "s_hex", 5) == 0;
	FUZZ_ASSERT(v->key || (len == 1 && k[0] == 's'));
	return 1;
}

static int hexval(unsigned char c)
{
	FUZZ_ASSERT((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

static int on_string(void *arg, const unsigned char *s, size_t len)
{
	struct seen *v = arg;

	v->strings++;
	if (!v->key) {
		v->s = malloc(len + 1);
		FUZZ_ASSERT(v->s);
		memcpy(v->s, s, len);
		v->s_len = len;
		return 1;
	}
	v->hex_seen = true;
	FUZZ_ASSERT(len == 2 * v->len);
	for (size_t i = 0; i < v->len; i++)
		FUZZ_ASSERT((hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1])) == v->in[i]);
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const yajl_callbacks cb = {.yajl_map_key = on_key, .yajl_string = on_string};
	struct seen v = {.in = data, .len = size};
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_handle h;
	const unsigned char *buf;
	size_t len;

	FUZZ_ASSERT(g);
	yajl_gen_map_open(g);
	og_json_bytes_field(g, "s", (const char *)data, size);
	yajl_gen_map_close(g);
	yajl_gen_get_buf(g, &buf, &len);
	/* yajl's parser checks UTF-8 (yajl_dont_validate_strings is off). */
	h = yajl_alloc(&cb, NULL, &v);
	FUZZ_ASSERT(h);
	FUZZ_ASSERT(yajl_parse(h, buf, len) == yajl_status_ok && yajl_complete_parse(h) == yajl_status_ok);
	FUZZ_ASSERT(v.strings == 1 + v.hex_seen && v.s);
	if (!v.hex_seen)
		FUZZ_ASSERT(v.s_len == size && memcmp(v.s, data, size) == 0);
	free(v.s);
	yajl_free(h);
	yajl_gen_free(g);
	return 0;
}
