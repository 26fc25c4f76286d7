/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_PRINT_H
#define OG_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <yajl/yajl_gen.h>
#include "og_format.h"
#include "og_record.h"

struct og_print_ctx {
	const struct og_syscall_desc *table; /* OG_SYSCALL_TABLE_SIZE entries, or NULL */
	int64_t boot_to_real_ns;	     /* added to ts_ns to print wall-clock time */
	/* Kernel stack id -> frames as text (NULL-terminated), or NULL. */
	const char *const *(*kstack)(void *arg, uint32_t id);
	void *kstack_arg;
};

/* "syscall", or the probe event's name: "malloc", "ssl_write", "gc"... */
const char *og_event_name(const struct og_event *ev);
const struct og_syscall_desc *og_print_desc(const struct og_print_ctx *ctx, const struct og_rec *r);
const char *og_event_syscall_name(const struct og_event *ev, char *buf, size_t size);

int og_print_text(FILE *out, const struct og_print_ctx *ctx, const struct og_event *ev);
int og_print_json(FILE *out, const struct og_print_ctx *ctx, const struct og_event *ev);

/* JSON building blocks shared by every tool's --json output. Strings are
 * written byte for byte as Latin-1 code points, so any bytes are valid. */
void og_json_str(yajl_gen g, const char *key, const char *value);
void og_json_u64(yajl_gen g, const char *key, uint64_t value);
void og_json_int(yajl_gen g, const char *key, long long value);
void og_json_bool(yajl_gen g, const char *key, bool value);
/* Prints the generator's buffer and a newline, then frees it. */
int og_json_line(FILE *out, yajl_gen g);

/* Building blocks, exposed for the unit tests. */
void og_print_escaped(FILE *out, const char *data, size_t len);
void og_print_open_flags(FILE *out, uint64_t flags);
void og_print_sockaddr(FILE *out, const void *sa, size_t len);
const char *og_errno_name(int e);

#endif
