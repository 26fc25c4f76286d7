// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_struct_emit.h"
#include "og_json.h"
#include "og_util.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

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

/* The family strace names, and whether it is shown field by field. */
bool og_sockaddr_known(const char *sa, size_t len)
{
	uint16_t fam;

	if (len < sizeof(fam))
		return false;
	memcpy(&fam, sa, sizeof(fam));
	return (fam == AF_INET && len >= sizeof(struct sockaddr_in)) ||
	       (fam == AF_INET6 && len >= sizeof(struct sockaddr_in6)) || fam == AF_UNIX;
}

void og_emit_sockaddr(struct og_emit *e, const char *sa, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	uint16_t fam;

	memcpy(&fam, sa, sizeof(fam));
	og_emit_map_open(e);
	if (fam == AF_INET) {
		struct sockaddr_in in;

		memcpy(&in, sa, sizeof(in));
		inet_ntop(AF_INET, &in.sin_addr, addr, sizeof(addr));
		og_emit_sym(e, "sa_family", "AF_INET");
		og_emit_call(e, "sin_port", "htons", ntohs(in.sin_port));
		og_emit_key(e, "sin_addr");
		og_emit_text(e, "inet_addr(\"%s\")", addr);
		og_emit_json_str(e, addr);
	} else if (fam == AF_INET6) {
		struct sockaddr_in6 in6;

		memcpy(&in6, sa, sizeof(in6));
		inet_ntop(AF_INET6, &in6.sin6_addr, addr, sizeof(addr));
		og_emit_sym(e, "sa_family", "AF_INET6");
		og_emit_call(e, "sin6_port", "htons", ntohs(in6.sin6_port));
		og_emit_call(e, "sin6_flowinfo", "htonl", ntohl(in6.sin6_flowinfo));
		/* strace's form for the address: a call, not key=value. */
		og_emit_text(e, ", inet_pton(AF_INET6, \"%s\", &sin6_addr)", addr);
		if (e->g) {
			og_json_key(e->g, "sin6_addr");
			og_emit_json_str(e, addr);
		}
		og_emit_u64(e, "sin6_scope_id", in6.sin6_scope_id);
	} else {
		size_t off = offsetof(struct sockaddr_un, sun_path), plen = len > off ? len - off : 0;
		const char *path = sa + off;

		if (plen > sizeof(((struct sockaddr_un *)0)->sun_path))
			plen = sizeof(((struct sockaddr_un *)0)->sun_path);
		og_emit_sym(e, "sa_family", "AF_UNIX");
		if (plen) {
			bool abstract = path[0] == '\0';
			size_t n = abstract ? plen - 1 : strnlen(path, plen);

			if (abstract)
				path++;
			og_emit_key(e, "sun_path");
			og_emit_text(e, "%s\"", abstract ? "@" : "");
			og_emit_escaped(e, path, n);
			og_emit_text(e, "\"");
			if (e->g) {
				char p[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];

				p[0] = '@';
				memcpy(p + abstract, path, n);
				og_json_bytes(e->g, p, n + abstract);
			}
		}
	}
	og_emit_map_close(e);
}
