/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_PRINT_H
#define OG_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <yajl/yajl_gen.h>
#include "og_fds.h"
#include "og_format.h"
#include "og_record.h"
#include "og_json.h"
#include "og_print_signals.h"

/* The text's time column, as strace's -tt, -r and relative options. */
enum og_time_fmt {
	OG_TIME_DATE = 0,  /* 2026-12-05T04:54:11.123456Z: wall-clock UTC with its date */
	OG_TIME_CLOCK = 1, /* 04:54:11.123456: time of day, UTC (strace -tt) */
	OG_TIME_FIRST = 2, /* seconds since the first line printed */
	OG_TIME_DELTA = 3, /* seconds since the previous line printed (strace -r) */
};
/* The name of a format ("date", "clock", "first", "delta"), or its value
 * for a name (-1: unknown). */
const char *og_time_fmt_name(enum og_time_fmt f);
int og_time_fmt_parse(const char *name);
/* The lines printed so far, for OG_TIME_FIRST and OG_TIME_DELTA. */
struct og_time_state {
	bool started;
	uint64_t first_ns, prev_ns;
};

struct og_print_ctx {
	const struct og_syscall_desc *table; /* OG_SYSCALL_TABLE_SIZE entries, or NULL */
	int64_t boot_to_real_ns;	     /* added to ts_ns to print wall-clock time */
	enum og_time_fmt time_fmt;
	struct og_time_state *times; /* NULL: OG_TIME_FIRST and OG_TIME_DELTA print the date */
	/* Kernel stack id -> frames as text (NULL-terminated), or NULL. */
	const char *const *(*kstack)(void *arg, uint32_t id);
	void *kstack_arg;
	/* A crash record's unwound stack, or NULL (registers are printed). */
	const struct og_crash_stack *(*crash_stack)(void *arg, const struct og_rec *crash);
	void *crash_arg;
	bool host_pids; /* text: the host's pids, not the container's */
	/* The container's fd table: fd arguments and returned fds show what
	 * they were (strace -y), or NULL (--no-fd-paths, or none kept). */
	const struct og_fd_table *fds;
};

/* "syscall", "signal", "exit", "oom_kill", "crash", or the probe event's
 * name: "malloc", "ssl_write", "gc"... */
const char *og_event_name(const struct og_event *ev);
const struct og_syscall_desc *og_print_desc(const struct og_print_ctx *ctx, const struct og_rec *r);
const char *og_event_syscall_name(const struct og_event *ev, char *buf, size_t size);

int og_print_text(FILE *out, const struct og_print_ctx *ctx, const struct og_event *ev);
int og_print_json(FILE *out, const struct og_print_ctx *ctx, const struct og_event *ev);

/* Shared by the text printer (og_print.c) and the JSON one
 * (og_print_json.c); not for other callers. */
const struct og_cap *og_print_arg_cap(const struct og_event *ev, int arg);
bool og_print_struct_decoded(const struct og_event *ev, const struct og_syscall_desc *d, const struct og_cap *c,
			     char *buf, size_t size, yajl_gen g);
bool og_print_cap_shown(const struct og_event *ev, const struct og_cap *c);
bool og_print_ret_structs(const struct og_event *ev, const struct og_syscall_desc *d, char *buf, size_t size,
			  yajl_gen g);
bool og_print_fmt_signed(__u8 fmt);
__u8 og_print_cap_fmt(const struct og_syscall_desc *d, const struct og_cap *c);
bool og_print_arg_fd(const struct og_print_ctx *ctx, const struct og_rec *enter, __u8 fmt, uint64_t v, char *buf,
		     size_t size);
bool og_print_ret_fd(const struct og_print_ctx *ctx, const struct og_event *ev, const struct og_syscall_desc *d,
		     int64_t ret, char *buf, size_t size);
const struct og_crash_stack *og_print_crash_stack(const struct og_print_ctx *ctx, const struct og_event *ev);
size_t og_print_cap_text_len(const struct og_cap *c, __u8 fmt);

/* Building blocks, exposed for the unit tests. */
void og_print_sockaddr(FILE *out, const void *sa, size_t len);
const char *og_errno_name(int e);
/* CLOCK_REALTIME ns as RFC 3339 in UTC with digits (1..9) of the second:
 * "2026-12-05T04:54:11.123456Z". */
void og_print_wall_time(char *buf, size_t size, int64_t real_ns, int digits);

#endif
