/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_STRUCT_EMIT_H
#define OG_STRUCT_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>

/*
 * A structure's text as strace writes it and, beside it, the same fields
 * as JSON (g not NULL): "key=value, " pieces and a map's keys from the
 * same calls. Text is cut at size and always terminated.
 */
struct og_emit {
	char *s;
	size_t size, len;
	yajl_gen g; /* NULL: text only */
	int fields; /* fields already written at this level */
};

struct og_bit_name {
	uint64_t bit;
	const char *name;
};

void og_emit_key(struct og_emit *e, const char *k);
void og_emit_int(struct og_emit *e, const char *k, int64_t v);
void og_emit_u64(struct og_emit *e, const char *k, uint64_t v);
void og_emit_sym(struct og_emit *e, const char *k, const char *v);
void og_emit_json_str(struct og_emit *e, const char *v);
void og_emit_map_open(struct og_emit *e);
void og_emit_map_close(struct og_emit *e);
uint32_t og_rd32(const char *p);
uint64_t og_rd64(const char *p);
void og_emit_escaped(struct og_emit *e, const char *p, size_t n);
void og_emit_call(struct og_emit *e, const char *k, const char *call, uint32_t v);
/* A flag set as strace prints it (t in strace's order) into buf. */
const char *og_emit_flags(const struct og_bit_name *t, size_t n, uint64_t v, char *buf, size_t size);
__attribute__((format(printf, 2, 3))) void og_emit_text(struct og_emit *e, const char *fmt, ...);

/* Whether a sockaddr of len bytes is of a family strace shows field by
 * field (AF_INET, AF_INET6, AF_UNIX), and it so. */
bool og_sockaddr_known(const char *sa, size_t len);
void og_emit_sockaddr(struct og_emit *e, const char *sa, size_t len);

#define OG_EMIT_FLAGS(t, v, buf) og_emit_flags(t, sizeof(t) / sizeof(t[0]), v, buf, sizeof(buf))

#endif
