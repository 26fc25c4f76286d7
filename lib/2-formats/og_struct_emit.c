// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_struct_emit.h"
#include "og_json.h"
#include "og_util.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* og_decode_structs.c's writer: strace's text and the same fields as JSON
 * from one series of calls, so that the two never disagree. */
void og_emit_text(struct og_emit *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(e->s + e->len, e->size - e->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		e->len = e->len + (size_t)n < e->size ? e->len + (size_t)n : e->size - 1;
}

/* "key=" in text, the key in JSON. */
void og_emit_key(struct og_emit *e, const char *k)
{
	og_emit_text(e, "%s%s=", e->fields++ ? ", " : "", k);
	if (e->g)
		og_json_key(e->g, k);
}

void og_emit_int(struct og_emit *e, const char *k, int64_t v)
{
	og_emit_key(e, k);
	og_emit_text(e, "%" PRId64, v);
	if (e->g)
		yajl_gen_integer(e->g, v);
}

void og_emit_u64(struct og_emit *e, const char *k, uint64_t v)
{
	og_emit_key(e, k);
	og_emit_text(e, "%" PRIu64, v);
	if (e->g)
		og_json_value_u64(e->g, v);
}

/* A symbolic value: the same string in both. */
void og_emit_sym(struct og_emit *e, const char *k, const char *v)
{
	og_emit_key(e, k);
	og_emit_text(e, "%s", v);
	if (e->g)
		yajl_gen_string(e->g, (const unsigned char *)v, strlen(v));
}

void og_emit_json_str(struct og_emit *e, const char *v)
{
	if (e->g)
		yajl_gen_string(e->g, (const unsigned char *)v, strlen(v));
}

void og_emit_map_open(struct og_emit *e)
{
	og_emit_text(e, "{");
	e->fields = 0;
	if (e->g)
		yajl_gen_map_open(e->g);
}

void og_emit_map_close(struct og_emit *e)
{
	og_emit_text(e, "}");
	if (e->g)
		yajl_gen_map_close(e->g);
}

uint32_t og_rd32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

uint64_t og_rd64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

void og_emit_escaped(struct og_emit *e, const char *p, size_t n)
{
	char *m = NULL;
	size_t ml = 0;
	FILE *f = open_memstream(&m, &ml);

	if (!f)
		return;
	og_print_escaped(f, p, n);
	if (fclose(f) == 0)
		og_emit_text(e, "%s", m);
	free(m);
}

/* A number strace shows as the call that makes it (htons(80)); JSON: the number. */
void og_emit_call(struct og_emit *e, const char *k, const char *call, uint32_t v)
{
	og_emit_key(e, k);
	og_emit_text(e, "%s(%" PRIu32 ")", call, v);
	if (e->g)
		yajl_gen_integer(e->g, v);
}

/* A flag set as strace prints it: the names of the bits set, in the
 * table's order, the rest in hex, 0 when none. */
const char *og_emit_flags(const struct og_bit_name *t, size_t n, uint64_t v, char *buf, size_t size)
{
	struct og_emit f = {.s = buf, .size = size};
	uint64_t rest = v;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (rest & t[i].bit) {
			og_emit_text(&f, "%s%s", f.len ? "|" : "", t[i].name);
			rest &= ~t[i].bit;
		}
	}
	if (rest || !v)
		og_emit_text(&f, "%s%#" PRIx64, f.len ? "|" : "", rest);
	return buf;
}
