// SPDX-License-Identifier: GPL-2.0-or-later
/* Captured structures as a ring holds them (og_decode_structs): any
 * format, kind, flags, length and room, a socklen beside a sockaddr, a
 * return value; the bytes as long as the capture says and no longer (the
 * record reader keeps a capture inside its record). Every format is tried
 * on every input, text and JSON, and so is what strace shows after the
 * return value (og_decode_struct_returned). */
#include "config.h"
#include "fuzz.h"
#include "og_decode_structs.h"
#include "og_record.h"

#include <stdalign.h>

struct cap_buf {
	alignas(8) struct og_cap cap;
	char data[OG_SOCKADDR_MAX * 2];
};

/* A capture from the input: kind, flags, len, size, then its bytes. */
static const struct og_cap *take(struct cap_buf *b, const uint8_t **data, size_t *size)
{
	size_t len;

	if (*size < 6)
		return NULL;
	memset(b, 0, sizeof(*b));
	b->cap.kind = (*data)[0] % 17;
	b->cap.count = (*data)[0] >> 3; /* a structure's window starts up to byte 31 */
	b->cap.flags = (*data)[1];
	b->cap.arg = ((*data)[1] >> 4) % OG_NARGS; /* the argument it came in (select's sets) */
	len = (*data)[2] % (sizeof(b->data) + 1);
	b->cap.size = (*data)[3] | (*data)[4] << 8;
	*data += 5;
	*size -= 5;
	if (len > *size)
		len = *size;
	b->cap.len = len;
	memcpy(b->data, *data, len);
	*data += len;
	*size -= len;
	return &b->cap;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cap_buf c, l;
	char text[OG_STRUCT_TEXT_MAX], again[OG_STRUCT_TEXT_MAX];
	struct og_struct_arg a = {};
	int64_t ret;

	if (size < 2)
		return 0;
	ret = (int8_t)data[0];
	a.returned = data[1] & 1;
	a.i386 = data[1] & 2;
	data += 2;
	size -= 2;
	a.ret = ret;
	a.cap = take(&c, &data, &size);
	a.len_cap = take(&l, &data, &size);
	for (int fmt = 0; fmt <= OG_FMT_LAST + 1; fmt++) {
		yajl_gen g = yajl_gen_alloc(NULL);
		bool ok;

		a.fmt = fmt;
		ok = og_decode_struct(&a, text, sizeof(text), NULL);
		FUZZ_ASSERT(strlen(text) < sizeof(text));
		FUZZ_ASSERT(ok || !text[0]);
		/* With JSON: the same answer, the same text, one whole value. */
		yajl_gen_map_open(g);
		yajl_gen_string(g, (const unsigned char *)"v", 1);
		FUZZ_ASSERT(og_decode_struct(&a, again, sizeof(again), g) == ok);
		FUZZ_ASSERT(strcmp(text, again) == 0);
		if (!ok)
			yajl_gen_null(g);
		FUZZ_ASSERT(yajl_gen_map_close(g) == yajl_gen_status_ok);
		yajl_gen_free(g);
		/* What follows the return value: the same answer and text with
		 * JSON, whole key-value pairs in a map. */
		g = yajl_gen_alloc(NULL);
		ok = og_decode_struct_returned(&a, text, sizeof(text), NULL);
		FUZZ_ASSERT(strlen(text) < sizeof(text) && (ok || !text[0]));
		yajl_gen_map_open(g);
		FUZZ_ASSERT(og_decode_struct_returned(&a, again, sizeof(again), g) == ok);
		FUZZ_ASSERT(strcmp(text, again) == 0);
		FUZZ_ASSERT(yajl_gen_map_close(g) == yajl_gen_status_ok);
		yajl_gen_free(g);
	}
	if (a.cap) {
		og_decode_sockaddr(og_cap_data(a.cap), a.cap->len, text, sizeof(text));
		FUZZ_ASSERT(strlen(text) < sizeof(text));
	}
	return 0;
}
