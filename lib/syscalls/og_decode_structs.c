// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_decode_structs.h"
#include "og_decode.h"
#include "og_struct_emit.h"
#include "og_json.h"
#include "og_record.h"
#include "og_signals.h"
#include "og_util.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

/*
 * One decoder per structure type (the argument's OG_FMT_*), each writing
 * strace's text and, beside it, the same fields as JSON through one
 * emitter, so that the two never disagree. A decoder first checks that the
 * capture holds what it reads, then writes: it never leaves half a value.
 * Layouts are x86_64's (the kernel's, not glibc's where they differ:
 * struct sigaction).
 */

/* What a decoder gets: the capture's bytes, checked to hold the bytes it
 * reads; they start at byte skip of the structure (a window of it, the
 * capture's count: og_format.h). */
struct view {
	const struct og_struct_arg *a;
	const char *d;
	size_t len;
	size_t skip;
};

/* The structure's byte off, in a window that holds it. */
static const char *at(const struct view *v, size_t off)
{
	return v->d + (off - v->skip);
}

typedef void (*struct_fn)(struct og_emit *e, const struct view *v);
typedef bool (*struct_ok_fn)(const struct view *v);

/* A signal's name as strace writes it in a set: without "SIG"; 32 is
 * RTMIN, 33.. RT_1..; glibc's names for the rest (SIGIO for 29). */
static const char *set_signal_name(int sig, char *buf, size_t size)
{
	const char *n;

	if (sig == 29)
		return "IO";
	if (sig == 32)
		return "RTMIN";
	if (sig > 32 && sig <= 64) {
		snprintf(buf, size, "RT_%d", sig - 32);
		return buf;
	}
	n = og_signal_name(sig, buf, size);
	return strncmp(n, "SIG", 3) == 0 ? n + 3 : n;
}

/* strace: [INT TERM], or ~[...] the signals not in the set when more than
 * half are; JSON: the names of the signals in it. */
static void sigset_emit(struct og_emit *e, uint64_t set)
{
	bool inv = __builtin_popcountll(set) > 32;
	uint64_t shown = inv ? ~set : set;
	char buf[16];
	int n = 0;

	og_emit_text(e, "%s[", inv ? "~" : "");
	for (int i = 0; i < 64; i++) {
		if (shown & (1ULL << i))
			og_emit_text(e, "%s%s", n++ ? " " : "", set_signal_name(i + 1, buf, sizeof(buf)));
	}
	og_emit_text(e, "]");
	if (!e->g)
		return;
	yajl_gen_array_open(e->g);
	for (int i = 0; i < 64; i++) {
		if (set & (1ULL << i)) {
			char full[24];

			snprintf(full, sizeof(full), "SIG%s", set_signal_name(i + 1, buf, sizeof(buf)));
			og_emit_json_str(e, full);
		}
	}
	yajl_gen_array_close(e->g);
}

static void dec_sigset(struct og_emit *e, const struct view *v)
{
	sigset_emit(e, og_rd64(v->d));
}

/* wait(2)'s status, strace's way. */
static void dec_wstatus(struct og_emit *e, const struct view *v)
{
	uint32_t s = og_rd32(v->d), rest;
	char nbuf[16];

	if (e->g)
		yajl_gen_map_open(e->g);
	e->fields = 0;
	if ((s & 0xff) == 0x7f) {
		int sig = (s >> 8) & 0xff;

		og_emit_text(e, "[{WIFSTOPPED(s) && WSTOPSIG(s) == %s%s}",
			     og_signal_name(sig & 0x7f, nbuf, sizeof(nbuf)), (sig & 0x80) ? " | 0x80" : "");
		if (e->g) {
			og_json_bool(e->g, "stopped", true);
			og_json_str(e->g, "stop_signal", og_signal_name(sig & 0x7f, nbuf, sizeof(nbuf)));
		}
		rest = s & ~(uint32_t)0xffff;
	} else if ((s & 0x7f) != 0 && (s & 0x7f) != 0x7f) {
		int sig = s & 0x7f;

		og_emit_text(e, "[{WIFSIGNALED(s) && WTERMSIG(s) == %s%s}", og_signal_name(sig, nbuf, sizeof(nbuf)),
			     (s & 0x80) ? " && WCOREDUMP(s)" : "");
		if (e->g) {
			og_json_bool(e->g, "signaled", true);
			og_json_str(e->g, "term_signal", og_signal_name(sig, nbuf, sizeof(nbuf)));
			og_json_bool(e->g, "core_dump", s & 0x80);
		}
		rest = s & ~(uint32_t)0xff;
	} else if ((s & 0x7f) == 0) {
		og_emit_text(e, "[{WIFEXITED(s) && WEXITSTATUS(s) == %u}", (s >> 8) & 0xff);
		if (e->g) {
			og_json_bool(e->g, "exited", true);
			og_json_int(e->g, "exit_status", (s >> 8) & 0xff);
		}
		rest = s & ~(uint32_t)0xff00;
	} else if (s == 0xffff) {
		og_emit_text(e, "[{WIFCONTINUED(s)}");
		if (e->g)
			og_json_bool(e->g, "continued", true);
		rest = 0;
	} else {
		og_emit_text(e, "[%#x", s); /* none of the four */
		rest = 0;
	}
	if (rest >> 16) {
		og_emit_text(e, " | %#x << 16", rest >> 16); /* a ptrace event */
		rest &= 0xffff;
	}
	if (rest)
		og_emit_text(e, " | %#x", rest);
	og_emit_text(e, "]");
	if (e->g) {
		og_json_u64(e->g, "raw", s);
		yajl_gen_map_close(e->g);
	}
}

/* waitid's siginfo: a child's end (SIGCHLD), or {} when none was waited for. */
static bool siginfo_ok(const struct view *v)
{
	uint32_t signo = og_rd32(v->d);

	return signo == 0 || (signo == 17 && og_rd32(v->d + 4) == 0 && og_si_code_name(17, (int32_t)og_rd32(v->d + 8)));
}

/* A clock_t in ticks (USER_HZ, 100 on x86), strace's way: the seconds in a comment. */
static void clock_t_emit(struct og_emit *e, const char *k, uint64_t ticks)
{
	og_emit_u64(e, k, ticks);
	if (ticks)
		og_emit_text(e, " /* %" PRIu64 ".%02" PRIu64 " s */", ticks / 100, ticks % 100);
}

static void dec_siginfo(struct og_emit *e, const struct view *v)
{
	int32_t code = og_rd32(v->d + 8), status = og_rd32(v->d + 24);
	char nbuf[16];

	og_emit_map_open(e);
	if (og_rd32(v->d)) {
		og_emit_sym(e, "si_signo", "SIGCHLD");
		og_emit_sym(e, "si_code", og_si_code_name(17, code));
		og_emit_int(e, "si_pid", (int32_t)og_rd32(v->d + 16));
		og_emit_u64(e, "si_uid", og_rd32(v->d + 20));
		if (code == 1) /* CLD_EXITED */
			og_emit_int(e, "si_status", status);
		else
			og_emit_sym(e, "si_status", og_signal_name(status, nbuf, sizeof(nbuf)));
		clock_t_emit(e, "si_utime", og_rd64(v->d + 32));
		clock_t_emit(e, "si_stime", og_rd64(v->d + 40));
	}
	og_emit_map_close(e);
}

static void dec_fd_pair(struct og_emit *e, const struct view *v)
{
	int32_t a = og_rd32(v->d), b = og_rd32(v->d + 4);

	og_emit_text(e, "[%" PRId32 ", %" PRId32 "]", a, b);
	if (e->g) {
		yajl_gen_array_open(e->g);
		yajl_gen_integer(e->g, a);
		yajl_gen_integer(e->g, b);
		yajl_gen_array_close(e->g);
	}
}

/* A value-result capture's second half (OG_ARG_STRUCT_INOUT): the value
 * the call left, n bytes, NULL when it is not in. */
static const char *inout_result(const struct og_cap *c, size_t n)
{
	size_t half = c->size / 2;

	return c->kind == OG_ARG_STRUCT_INOUT && half >= n && c->len >= half + n ? og_cap_data(c) + half : NULL;
}

/* A socklen_t: [in], or [in => out] once the call changed it. */
static void dec_socklen(struct og_emit *e, const struct view *v)
{
	const char *res = inout_result(v->a->cap, 4);
	uint32_t in = og_rd32(v->d), out = res ? og_rd32(res) : in;

	if (out != in)
		og_emit_text(e, "[%" PRIu32 " => %" PRIu32 "]", in, out);
	else
		og_emit_text(e, "[%" PRIu32 "]", in);
	if (e->g) {
		yajl_gen_map_open(e->g);
		og_json_u64(e->g, "in", in);
		if (res)
			og_json_u64(e->g, "out", out);
		yajl_gen_map_close(e->g);
	}
}

void og_decode_sockaddr(const void *sa, size_t len, char *buf, size_t size)
{
	struct og_emit e = {.s = buf, .size = size};
	uint16_t fam;

	if (!size)
		return;
	buf[0] = '\0';
	if (og_sockaddr_known(sa, len)) {
		og_emit_sockaddr(&e, sa, len);
	} else if (len >= sizeof(fam)) {
		memcpy(&fam, sa, sizeof(fam));
		og_emit_text(&e, "{sa_family=%u}", fam);
	} else {
		og_emit_text(&e, "{}");
	}
}

/* An output sockaddr: as long as its socklen (the next argument) says. */
static size_t sockaddr_len(const struct view *v)
{
	const char *res = v->a->len_cap ? inout_result(v->a->len_cap, 4) : NULL;
	uint32_t n;

	if (!res)
		return 0;
	n = og_rd32(res);
	return n < v->len ? n : v->len;
}

static bool sockaddr_ok(const struct view *v)
{
	return sockaddr_len(v) && og_sockaddr_known(v->d, sockaddr_len(v));
}

static void dec_sockaddr(struct og_emit *e, const struct view *v)
{
	og_emit_sockaddr(e, v->d, sockaddr_len(v));
}

static void timespec_emit(struct og_emit *e, const char *d)
{
	og_emit_map_open(e);
	og_emit_int(e, "tv_sec", (int64_t)og_rd64(d));
	og_emit_int(e, "tv_nsec", (int64_t)og_rd64(d + 8));
	og_emit_map_close(e);
}

static void dec_timespec(struct og_emit *e, const struct view *v)
{
	timespec_emit(e, v->d);
}

static void timeval_emit(struct og_emit *e, const char *d)
{
	og_emit_map_open(e);
	og_emit_int(e, "tv_sec", (int64_t)og_rd64(d));
	og_emit_int(e, "tv_usec", (int64_t)og_rd64(d + 8));
	og_emit_map_close(e);
}

/* A time under its key inside a structure (itimerspec's, rusage's). */
static void time_field(struct og_emit *e, const char *k, const char *d, void (*emit)(struct og_emit *, const char *))
{
	int saved;

	og_emit_key(e, k);
	saved = e->fields;
	emit(e, d);
	e->fields = saved;
}

/* struct itimerspec: the interval, then the value. */
static void dec_itimerspec(struct og_emit *e, const struct view *v)
{
	og_emit_map_open(e);
	time_field(e, "it_interval", v->d, timespec_emit);
	time_field(e, "it_value", v->d + 16, timespec_emit);
	og_emit_map_close(e);
}

static void dec_timeval(struct og_emit *e, const struct view *v)
{
	timeval_emit(e, v->d);
}

/* struct rusage as strace shows it without -v: the two times, then ... */
static void dec_rusage(struct og_emit *e, const struct view *v)
{
	og_emit_map_open(e);
	time_field(e, "ru_utime", v->d, timeval_emit);
	time_field(e, "ru_stime", v->d + 16, timeval_emit);
	og_emit_text(e, ", ...");
	og_emit_map_close(e);
}

/* A limit: infinity by name, a multiple of 1024 as N*1024 (strace). */
static void rlim_field(struct og_emit *e, const char *k, uint64_t v, const char *infinity)
{
	if (v == UINT64_MAX) {
		og_emit_sym(e, k, infinity);
		return;
	}
	og_emit_key(e, k);
	if (v > 1024 && v % 1024 == 0)
		og_emit_text(e, "%" PRIu64 "*1024", v / 1024);
	else
		og_emit_text(e, "%" PRIu64, v);
	if (e->g)
		og_json_value_u64(e->g, v);
}

static void rlimit_emit(struct og_emit *e, const struct view *v, const char *infinity)
{
	og_emit_map_open(e);
	rlim_field(e, "rlim_cur", og_rd64(v->d), infinity);
	rlim_field(e, "rlim_max", og_rd64(v->d + 8), infinity);
	og_emit_map_close(e);
}

static void dec_rlimit(struct og_emit *e, const struct view *v)
{
	rlimit_emit(e, v, "RLIM_INFINITY");
}

static void dec_rlimit64(struct og_emit *e, const struct view *v)
{
	rlimit_emit(e, v, "RLIM64_INFINITY");
}

/* sa_flags in strace's order (x86_64). */
static const struct og_bit_name sa_flags[] = {
	{0x04000000, "SA_RESTORER"},  {0x08000000, "SA_ONSTACK"},   {0x10000000, "SA_RESTART"},
	{0x20000000, "SA_INTERRUPT"}, {0x40000000, "SA_NODEFER"},   {0x80000000, "SA_RESETHAND"},
	{0x4, "SA_SIGINFO"},	      {0x1, "SA_NOCLDSTOP"},	    {0x2, "SA_NOCLDWAIT"},
	{0x400, "SA_UNSUPPORTED"},    {0x800, "SA_EXPOSE_TAGBITS"},
};

/* poll's and epoll's events, strace's names in the order of their bits. */
static const struct og_bit_name poll_events[] = {
	{0x1, "POLLIN"},    {0x2, "POLLPRI"},	    {0x4, "POLLOUT"},	   {0x8, "POLLERR"},	  {0x10, "POLLHUP"},
	{0x20, "POLLNVAL"}, {0x40, "POLLRDNORM"},   {0x80, "POLLRDBAND"},  {0x100, "POLLWRNORM"}, {0x200, "POLLWRBAND"},
	{0x400, "POLLMSG"}, {0x1000, "POLLREMOVE"}, {0x2000, "POLLRDHUP"},
};
static const struct og_bit_name epoll_events[] = {
	{0x1, "EPOLLIN"},
	{0x2, "EPOLLPRI"},
	{0x4, "EPOLLOUT"},
	{0x8, "EPOLLERR"},
	{0x10, "EPOLLHUP"},
	{0x20, "EPOLLNVAL"},
	{0x40, "EPOLLRDNORM"},
	{0x80, "EPOLLRDBAND"},
	{0x100, "EPOLLWRNORM"},
	{0x200, "EPOLLWRBAND"},
	{0x400, "EPOLLMSG"},
	{0x2000, "EPOLLRDHUP"},
	{1u << 28, "EPOLLEXCLUSIVE"},
	{1u << 29, "EPOLLWAKEUP"},
	{1u << 30, "EPOLLONESHOT"},
	{1u << 31, "EPOLLET"},
};

/* struct pollfd: {fd=3, events=POLLIN} (the request; revents are not kept). */
static void dec_pollfd(struct og_emit *e, const struct view *v)
{
	char ev[256];

	og_emit_map_open(e);
	og_emit_int(e, "fd", (int32_t)og_rd32(v->d));
	og_emit_sym(e, "events", OG_EMIT_FLAGS(poll_events, (uint16_t)og_rd32(v->d + 4), ev));
	og_emit_map_close(e);
}

/* poll's pollfds read at enter and at exit (OG_FMT_POLLFD_INOUT), and
 * select's fd_sets: a value-result capture of 8-byte elements, the request
 * in the first half (as many as the capture's len, up to the half, says),
 * what the call left in the second once it returned. */
static bool inout8_ok(const struct view *v)
{
	const struct og_cap *c = v->a->cap;

	return c->kind == OG_ARG_STRUCT_INOUT && c->count == 8 && c->size % 16 == 0;
}

/* strace's "Timeout" after a 0 that a timeout ended (poll, select). */
static bool timeout_emit(struct og_emit *e)
{
	og_emit_text(e, "Timeout");
	if (e->g) {
		og_json_key(e->g, "timeout");
		yajl_gen_bool(e->g, 1);
	}
	return true;
}

static void dec_pollfd_inout(struct og_emit *e, const struct view *v)
{
	const struct og_cap *c = v->a->cap;
	size_t n = (v->len < c->size / 2u ? v->len : c->size / 2u) / 8;

	og_emit_text(e, "[");
	if (e->g)
		yajl_gen_array_open(e->g);
	for (size_t i = 0; i < n; i++) {
		struct view el = {.a = v->a, .d = v->d + i * 8, .len = 8};

		og_emit_text(e, "%s", i ? ", " : "");
		dec_pollfd(e, &el);
	}
	og_emit_text(e, "%s]", c->flags & OG_CAP_TRUNCATED ? (n ? ", ..." : "...") : "");
	if (e->g)
		yajl_gen_array_close(e->g);
}

/* strace's part after poll's return: the fds with revents, "Timeout". */
static bool pollfd_returned(struct og_emit *e, const struct og_struct_arg *a)
{
	const struct og_cap *c = a->cap;
	size_t half = c->size / 2u, shown = 0;
	const char *d = og_cap_data(c) + half;
	char ev[256];

	if (!inout8_ok(&(struct view){.a = a}) || c->len != c->size)
		return false;
	if (a->ret == 0)
		return timeout_emit(e);
	if (e->g)
		og_json_key(e->g, "revents");
	og_emit_text(e, "[");
	if (e->g)
		yajl_gen_array_open(e->g);
	for (size_t i = 0; i + 8 <= half; i += 8) {
		uint16_t re = og_rd32(d + i + 4) >> 16;

		if (!re)
			continue;
		og_emit_text(e, "%s", shown++ ? ", " : "");
		og_emit_map_open(e);
		og_emit_int(e, "fd", (int32_t)og_rd32(d + i));
		og_emit_sym(e, "revents", OG_EMIT_FLAGS(poll_events, re, ev));
		og_emit_map_close(e);
	}
	og_emit_text(e, "%s]", c->flags & OG_CAP_TRUNCATED ? (shown ? ", ..." : "...") : "");
	if (e->g)
		yajl_gen_array_close(e->g);
	return true;
}

/* select's fd_sets (OG_FMT_FDSET_INOUT, a value-result capture of whole
 * longs): the set given in the first half, the set returned in the second;
 * strace's [3 5]. */
static void fdset_emit(struct og_emit *e, const char *d, size_t bytes)
{
	int n = 0;

	og_emit_text(e, "[");
	if (e->g)
		yajl_gen_array_open(e->g);
	for (size_t fd = 0; fd < bytes * 8; fd++) {
		if (!(d[fd / 8] & (1 << (fd % 8))))
			continue;
		og_emit_text(e, "%s%zu", n++ ? " " : "", fd);
		if (e->g)
			yajl_gen_integer(e->g, (long long)fd);
	}
	og_emit_text(e, "]");
	if (e->g)
		yajl_gen_array_close(e->g);
}

static void dec_fdset_inout(struct og_emit *e, const struct view *v)
{
	fdset_emit(e, v->d, v->len < v->a->cap->size / 2u ? v->len : v->a->cap->size / 2u);
}

/* strace's part after select's return: each set the call left with fds
 * in it, by the argument it came in ("in", "out"). */
static bool fdset_returned(struct og_emit *e, const struct og_struct_arg *a)
{
	static const char *const names[] = {"n", "in", "out", "except"};
	const struct og_cap *c = a->cap;
	size_t half = c->size / 2u;
	const char *d = og_cap_data(c) + half;
	bool any = false;

	if (!inout8_ok(&(struct view){.a = a}) || c->len != c->size || c->arg < 1 || c->arg > 3)
		return false;
	if (a->ret == 0)
		return timeout_emit(e);
	for (size_t i = 0; i < half; i++)
		any |= d[i] != 0;
	if (!any)
		return false;
	og_emit_text(e, "%s ", names[c->arg]);
	if (e->g)
		og_json_key(e->g, names[c->arg]);
	fdset_emit(e, d, half);
	return true;
}

/* A timeout read at enter and at exit (select's, ppoll's): "Timeout" when
 * the call returned 0, else the time left. */
static bool time_left_returned(struct og_emit *e, const struct og_struct_arg *a,
			       void (*emit)(struct og_emit *, const char *))
{
	const char *res = inout_result(a->cap, 16);
	int saved;

	if (!res)
		return false;
	if (a->ret == 0)
		return timeout_emit(e);
	og_emit_text(e, "left ");
	if (e->g)
		og_json_key(e->g, "left");
	saved = e->fields;
	emit(e, res);
	e->fields = saved;
	return true;
}

bool og_decode_struct_returned(const struct og_struct_arg *a, char *buf, size_t size, yajl_gen g)
{
	struct og_emit e = {.s = buf, .size = size, .g = g};

	if (!size)
		return false;
	buf[0] = '\0';
	if (!a || !a->cap || !a->returned || a->ret < 0 || a->i386 ||
	    (a->cap->flags & (OG_CAP_UNREADABLE | OG_CAP_WITHHELD)))
		return false;
	if (a->fmt == OG_FMT_POLLFD_INOUT)
		return pollfd_returned(&e, a);
	if (a->fmt == OG_FMT_FDSET_INOUT)
		return fdset_returned(&e, a);
	if (a->fmt == OG_FMT_TIMESPEC && a->cap->kind == OG_ARG_STRUCT_INOUT)
		return time_left_returned(&e, a, timespec_emit);
	if (a->fmt == OG_FMT_TIMEVAL && a->cap->kind == OG_ARG_STRUCT_INOUT)
		return time_left_returned(&e, a, timeval_emit);
	return false;
}

/* struct epoll_event (packed: 4 bytes of events, 8 of data). */
static void dec_epoll_event(struct og_emit *e, const struct view *v)
{
	uint64_t data = og_rd64(v->d + 4);
	char ev[512];
	int saved;

	og_emit_map_open(e);
	og_emit_sym(e, "events", OG_EMIT_FLAGS(epoll_events, og_rd32(v->d), ev));
	og_emit_key(e, "data");
	saved = e->fields;
	og_emit_map_open(e);
	og_emit_u64(e, "u32", (uint32_t)data);
	og_emit_u64(e, "u64", data);
	og_emit_map_close(e);
	e->fields = saved;
	og_emit_map_close(e);
}

/* The kernel's struct sigaction: handler, flags, restorer, mask. */
static void dec_sigaction(struct og_emit *e, const struct view *v)
{
	uint64_t handler = og_rd64(v->d), flags = og_rd64(v->d + 8);
	char fl[256], h[32];
	int saved;

	OG_EMIT_FLAGS(sa_flags, flags, fl);
	if (handler <= 1)
		snprintf(h, sizeof(h), "%s", handler ? "SIG_IGN" : "SIG_DFL");
	else
		snprintf(h, sizeof(h), "%#" PRIx64, handler);
	og_emit_map_open(e);
	og_emit_sym(e, "sa_handler", h);
	og_emit_key(e, "sa_mask");
	saved = e->fields;
	sigset_emit(e, og_rd64(v->d + 24));
	e->fields = saved;
	og_emit_sym(e, "sa_flags", fl);
	if (flags & 0x04000000) {
		snprintf(h, sizeof(h), "%#" PRIx64, og_rd64(v->d + 16));
		og_emit_sym(e, "sa_restorer", h);
	}
	og_emit_map_close(e);
}

/* A file's type and mode, as strace shows st_mode. */
static void mode_emit(struct og_emit *e, const char *k, uint32_t mode)
{
	static const struct {
		uint32_t type;
		const char *name;
	} types[] = {{0140000, "S_IFSOCK"}, {0120000, "S_IFLNK"}, {0100000, "S_IFREG"}, {0060000, "S_IFBLK"},
		     {0040000, "S_IFDIR"},  {0020000, "S_IFCHR"}, {0010000, "S_IFIFO"}};
	uint32_t type = mode & 0170000;
	char m[48];
	int n = 0;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type)
			n = snprintf(m, sizeof(m), "%s|", types[i].name);
	if (!n && type)
		n = snprintf(m, sizeof(m), "%#o|", type);
	snprintf(m + n, sizeof(m) - n, "%#03o", mode & 07777);
	og_emit_sym(e, k, m);
}

/* struct stat: the type and mode, then the size, or a device's number. */
static void dec_stat(struct og_emit *e, const struct view *v)
{
	uint32_t mode = og_rd32(at(v, 24)), type = mode & 0170000;
	uint64_t rdev = og_rd64(at(v, 40));

	og_emit_map_open(e);
	mode_emit(e, "st_mode", mode);
	if (type == 0020000 || type == 0060000) {
		og_emit_key(e, "st_rdev");
		og_emit_text(e, "makedev(%#x, %#x)", major(rdev), minor(rdev));
		if (e->g)
			og_json_value_u64(e->g, rdev);
	} else {
		og_emit_int(e, "st_size", (int64_t)og_rd64(at(v, 48)));
	}
	og_emit_text(e, ", ...");
	og_emit_map_close(e);
}

/* stx_attributes in strace's order. */
static const struct og_bit_name statx_attrs[] = {
	{0x4, "STATX_ATTR_COMPRESSED"},	   {0x10, "STATX_ATTR_IMMUTABLE"},  {0x20, "STATX_ATTR_APPEND"},
	{0x40, "STATX_ATTR_NODUMP"},	   {0x800, "STATX_ATTR_ENCRYPTED"}, {0x1000, "STATX_ATTR_AUTOMOUNT"},
	{0x2000, "STATX_ATTR_MOUNT_ROOT"}, {0x100000, "STATX_ATTR_VERITY"}, {0x200000, "STATX_ATTR_DAX"},
};

/* struct statx as strace shows it without -v: the mask (named as statx's
 * mask argument), the attributes, the mode and the size. */
static void dec_statx(struct og_emit *e, const struct view *v)
{
	__u64 args[4] = {0, 0, 0, og_rd32(at(v, 0))};
	char buf[256];
	uint16_t mode;

	memcpy(&mode, at(v, 28), sizeof(mode));
	og_emit_map_open(e);
	if (!og_decode_arg("statx", OG_FMT_HEX, 3, args, 4, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "%#" PRIx64, (uint64_t)args[3]);
	og_emit_sym(e, "stx_mask", buf);
	og_emit_sym(e, "stx_attributes", OG_EMIT_FLAGS(statx_attrs, og_rd64(at(v, 8)), buf));
	mode_emit(e, "stx_mode", mode);
	og_emit_int(e, "stx_size", (int64_t)og_rd64(at(v, 40)));
	og_emit_text(e, ", ...");
	og_emit_map_close(e);
}

/* An address as strace shows a struct's pointer field: NULL or hex. */
static void addr_field_emit(struct og_emit *e, const char *key, uint64_t addr)
{
	char h[32];

	snprintf(h, sizeof(h), "%#" PRIx64, addr);
	og_emit_sym(e, key, addr ? h : "NULL");
}

/* clone3's struct clone_args through tls (its first 64 bytes), as strace
 * shows it: the flags (named as clone's), the fields they make meaningful,
 * the exit signal, the stack. */
static void dec_clone_args(struct og_emit *e, const struct view *v)
{
	enum {
		PIDFD = 0x1000,
		SETTLS = 0x80000,
		PARENT_SETTID = 0x100000,
		CHILD_CLEARTID = 0x200000,
		CHILD_SETTID = 0x1000000
	};
	__u64 flags = og_rd64(v->d), sig = og_rd64(v->d + 32), size = og_rd64(v->d + 48);
	char buf[256];

	og_emit_map_open(e);
	/* clone's decoder, which reads a signal in the low byte: clone3's
	 * flags have none there. */
	if ((flags & 0xff) || !og_decode_arg("clone", OG_FMT_HEX, 0, &flags, 1, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "%#" PRIx64, (uint64_t)flags);
	og_emit_sym(e, "flags", buf);
	if (flags & PIDFD)
		addr_field_emit(e, "pidfd", og_rd64(v->d + 8));
	if (flags & (CHILD_SETTID | CHILD_CLEARTID))
		addr_field_emit(e, "child_tid", og_rd64(v->d + 16));
	if (flags & PARENT_SETTID)
		addr_field_emit(e, "parent_tid", og_rd64(v->d + 24));
	if (sig && sig < 65)
		og_emit_sym(e, "exit_signal", og_signal_name((int)sig, buf, sizeof(buf)));
	else
		og_emit_int(e, "exit_signal", (int64_t)sig);
	addr_field_emit(e, "stack", og_rd64(v->d + 40));
	snprintf(buf, sizeof(buf), "%#" PRIx64, (uint64_t)size);
	og_emit_sym(e, "stack_size", size ? buf : "0");
	if (flags & SETTLS)
		addr_field_emit(e, "tls", og_rd64(v->d + 56));
	og_emit_map_close(e);
}

/* An input iovec array (OG_ARG_IOV_IN): the header, then each vector's
 * kept bytes from an 8-byte boundary; every one inside the capture. */
static bool iovecs_valid(const char *d, size_t len, size_t n)
{
	size_t off = n * sizeof(struct og_iov_kept);

	if (n > OG_IOV_MAX || off > len)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint64_t kept = og_rd64(d + i * sizeof(struct og_iov_kept));

		if (kept > len - off)
			return false;
		off += og_round8(kept);
		if (off > len)
			off = len; /* the last one's padding may be past the end */
	}
	return true;
}

static bool iovec_ok(const struct view *v)
{
	return (v->a->cap->kind == OG_ARG_IOV_IN || v->a->cap->kind == OG_ARG_IOV_OUT) &&
	       iovecs_valid(v->d, v->len, v->a->cap->count);
}

/* Each vector's bytes: an input's as kept; an output's as the call filled
 * them, in order, ret bytes in all (strace's way), as many as were kept. */
static void iovecs_emit(struct og_emit *e, const char *d, size_t n, bool out, int64_t ret)
{
	size_t off = n * sizeof(struct og_iov_kept);
	uint64_t left = ret > 0 ? (uint64_t)ret : 0;

	og_emit_text(e, "[");
	if (e->g)
		yajl_gen_array_open(e->g);
	for (size_t i = 0; i < n; i++) {
		uint64_t room = og_rd64(d + i * 16), len = og_rd64(d + i * 16 + 8), full = len, shown;

		if (out) {
			full = len < left ? len : left;
			left -= full;
		}
		shown = room < full ? room : full;
		og_emit_text(e, "%s", i ? ", " : "");
		og_emit_map_open(e);
		og_emit_key(e, "iov_base");
		og_emit_text(e, "\"");
		og_emit_escaped(e, d + off, shown);
		og_emit_text(e, shown < full ? "\"..." : "\"");
		if (e->g)
			og_json_bytes(e->g, d + off, shown);
		og_emit_u64(e, "iov_len", len);
		og_emit_map_close(e);
		off += og_round8(room);
	}
	og_emit_text(e, "]");
	if (e->g)
		yajl_gen_array_close(e->g);
}

static void dec_iovec(struct og_emit *e, const struct view *v)
{
	iovecs_emit(e, v->d, v->a->cap->count, v->a->cap->kind == OG_ARG_IOV_OUT, v->a->ret);
}

/* sendmsg's msghdr: its fields, the address it names, its control
 * messages, its vectors. */
static size_t msg_name_len(const char *d)
{
	uint32_t n = og_rd64(d) ? og_rd32(d + 8) : 0;

	return n < OG_SOCKADDR_MAX ? n : OG_SOCKADDR_MAX;
}

/* The room its control messages have (struct og_msg_out after the
 * msghdr): 0 without any; -1 when those 8 bytes do not match the msghdr
 * (a ring written before control messages were kept). */
static long msg_control_room(const char *d)
{
	uint64_t cl = og_rd64(d + 40);
	struct og_msg_out mo;

	if (!cl)
		return 0;
	memcpy(&mo, d + OG_MSGHDR_SIZE, sizeof(mo));
	if (!og_rd64(d + 32) || mo.name_room != og_round8(msg_name_len(d)) ||
	    mo.control_room != og_round8(cl < OG_MSG_CONTROL_MAX ? cl : OG_MSG_CONTROL_MAX))
		return -1;
	return mo.control_room;
}

static void cmsgs_emit(struct og_emit *e, const char *d, size_t len);

static bool msghdr_ok(const struct view *v)
{
	long cr = msg_control_room(v->d);
	size_t fixed = OG_MSGHDR_SIZE + 8 + og_round8(msg_name_len(v->d)) + (cr > 0 ? cr : 0), n = v->a->cap->count;

	return v->a->cap->kind == OG_ARG_MSGHDR_IN && v->len >= fixed && cr >= 0 &&
	       (!msg_name_len(v->d) || og_sockaddr_known(v->d + OG_MSGHDR_SIZE + 8, msg_name_len(v->d))) &&
	       n == (og_rd64(v->d + 24) < OG_IOV_MAX ? og_rd64(v->d + 24) : OG_IOV_MAX) &&
	       iovecs_valid(v->d + fixed, v->len - fixed, n);
}

static void dec_msghdr(struct og_emit *e, const struct view *v)
{
	long cr = msg_control_room(v->d);
	size_t nl = msg_name_len(v->d), fixed = OG_MSGHDR_SIZE + 8 + og_round8(nl) + cr;
	uint64_t cl = og_rd64(v->d + 40);
	char fl[32];
	int saved;

	og_emit_map_open(e);
	if (og_rd64(v->d)) {
		og_emit_key(e, "msg_name");
		saved = e->fields;
		og_emit_sockaddr(e, v->d + OG_MSGHDR_SIZE + 8, nl);
		e->fields = saved;
	} else {
		og_emit_sym(e, "msg_name", "NULL");
	}
	og_emit_u64(e, "msg_namelen", og_rd32(v->d + 8));
	og_emit_key(e, "msg_iov");
	saved = e->fields;
	iovecs_emit(e, v->d + fixed, v->a->cap->count, false, 0);
	e->fields = saved;
	og_emit_u64(e, "msg_iovlen", og_rd64(v->d + 24));
	if (cl) {
		og_emit_key(e, "msg_control");
		saved = e->fields;
		cmsgs_emit(e, v->d + OG_MSGHDR_SIZE + 8 + og_round8(nl), cl < (uint64_t)cr ? cl : (uint64_t)cr);
		e->fields = saved;
	}
	og_emit_u64(e, "msg_controllen", cl);
	snprintf(fl, sizeof(fl), "%#" PRIx32, og_rd32(v->d + 48));
	og_emit_sym(e, "msg_flags", fl);
	og_emit_map_close(e);
}

/* recvmsg's msghdr (og_format.h, struct og_msg_out): the msghdr as the
 * call left it, the rooms written at enter, then the address, the control
 * messages and the vectors, each inside the capture. */
static size_t msg_out(const struct view *v, struct og_msg_out *mo)
{
	memcpy(mo, v->d + OG_MSGHDR_SIZE, sizeof(*mo));
	return OG_MSGHDR_SIZE + 8 + (size_t)mo->name_room + mo->control_room;
}

/* The address's length as strace takes it: the one the call left, at most
 * the one it was given (and what was kept). */
static size_t msg_out_name_len(const struct view *v, const struct og_msg_out *mo)
{
	uint32_t n = og_rd32(v->d + 8);

	if (n > mo->namelen_in)
		n = mo->namelen_in;
	return n < mo->name_room ? n : mo->name_room;
}

static bool msghdr_out_ok(const struct view *v)
{
	struct og_msg_out mo;
	size_t fixed = msg_out(v, &mo), n = v->a->cap->count, nl;

	if (v->a->cap->kind != OG_ARG_MSGHDR_IN || mo.name_room > OG_SOCKADDR_MAX || mo.name_room % 8 ||
	    mo.control_room > OG_MSG_CONTROL_MAX || mo.control_room % 8 || fixed > v->len)
		return false;
	nl = msg_out_name_len(v, &mo);
	return (!og_rd64(v->d) || nl < 2 || og_sockaddr_known(v->d + OG_MSGHDR_SIZE + 8, nl)) &&
	       n == (og_rd64(v->d + 24) < OG_IOV_MAX ? og_rd64(v->d + 24) : OG_IOV_MAX) &&
	       iovecs_valid(v->d + fixed, v->len - fixed, n);
}

/* One control message's data, strace's way: SCM_RIGHTS' fds, SCM_CREDENTIALS'
 * struct ucred; no other's (strace decodes a few more). */
static void cmsg_data_emit(struct og_emit *e, uint32_t level, uint32_t type, const char *d, size_t n)
{
	int saved;

	if (level != SOL_SOCKET || (type != SCM_RIGHTS && type != SCM_CREDENTIALS) ||
	    (type == SCM_CREDENTIALS && n < 12) || (type == SCM_RIGHTS && n < 4))
		return;
	og_emit_key(e, "cmsg_data");
	saved = e->fields;
	if (type == SCM_CREDENTIALS) {
		og_emit_map_open(e);
		og_emit_u64(e, "pid", og_rd32(d));
		og_emit_u64(e, "uid", og_rd32(d + 4));
		og_emit_u64(e, "gid", og_rd32(d + 8));
		og_emit_map_close(e);
	} else {
		og_emit_text(e, "[");
		if (e->g)
			yajl_gen_array_open(e->g);
		for (size_t i = 0; i + 4 <= n; i += 4) {
			og_emit_text(e, "%s%" PRId32, i ? ", " : "", (int32_t)og_rd32(d + i));
			if (e->g)
				yajl_gen_integer(e->g, (int32_t)og_rd32(d + i));
		}
		og_emit_text(e, "]");
		if (e->g)
			yajl_gen_array_close(e->g);
	}
	e->fields = saved;
}

/* The control messages kept (len of msg_controllen bytes), as strace walks
 * them; ", ..." for bytes left that hold no whole header. */
static void cmsgs_emit(struct og_emit *e, const char *d, size_t len)
{
	const size_t hdr = 16; /* struct cmsghdr, x86_64 */
	char name[32];
	size_t off = 0;

	og_emit_text(e, "[");
	if (e->g)
		yajl_gen_array_open(e->g);
	while (len - off >= hdr) {
		uint64_t clen = og_rd64(d + off), n = clen < len - off ? clen : len - off;
		uint32_t level = og_rd32(d + off + 8), type = og_rd32(d + off + 12);

		og_emit_text(e, "%s", off ? ", " : "");
		og_emit_map_open(e);
		og_emit_u64(e, "cmsg_len", clen);
		if (og_decode_cmsg_level(level, name, sizeof(name)))
			og_emit_sym(e, "cmsg_level", name);
		else
			og_emit_int(e, "cmsg_level", (int32_t)level);
		if (level == SOL_SOCKET && og_decode_scm_type(type, name, sizeof(name))) {
			og_emit_sym(e, "cmsg_type", name);
		} else {
			snprintf(name, sizeof(name), "%#" PRIx32, type);
			og_emit_sym(e, "cmsg_type", name);
		}
		cmsg_data_emit(e, level, type, d + off + hdr, n > hdr ? n - hdr : 0);
		og_emit_map_close(e);
		if (n < hdr) {
			off += hdr;
			break;
		}
		/* The next header: 8-byte aligned, every step at least a header
		 * long (a cmsg_len of any size ends the walk). */
		n = clen < len - off ? (clen + 7) & ~(uint64_t)7 : len - off;
		if (n >= len - off) {
			off = len;
			break;
		}
		off += n;
	}
	if (off < len)
		og_emit_text(e, ", ...");
	og_emit_text(e, "]");
	if (e->g)
		yajl_gen_array_close(e->g);
}

static void dec_msghdr_out(struct og_emit *e, const struct view *v)
{
	struct og_msg_out mo;
	size_t fixed = msg_out(v, &mo), nl, cl;
	uint32_t namelen = og_rd32(v->d + 8);
	uint64_t controllen = og_rd64(v->d + 40);
	char fl[OG_DECODE_MAX];
	int saved;

	nl = msg_out_name_len(v, &mo);
	og_emit_map_open(e);
	if (og_rd64(v->d) && nl >= 2) {
		og_emit_key(e, "msg_name");
		saved = e->fields;
		og_emit_sockaddr(e, v->d + OG_MSGHDR_SIZE + 8, nl);
		e->fields = saved;
	} else {
		/* strace: the address when none was returned */
		snprintf(fl, sizeof(fl), "%#" PRIx64, og_rd64(v->d));
		og_emit_sym(e, "msg_name", og_rd64(v->d) ? fl : "NULL");
	}
	og_emit_key(e, "msg_namelen");
	if (namelen != mo.namelen_in)
		og_emit_text(e, "%" PRIu32 " => ", mo.namelen_in);
	og_emit_text(e, "%" PRIu32, namelen);
	if (e->g)
		og_json_value_u64(e->g, namelen);
	og_emit_key(e, "msg_iov");
	saved = e->fields;
	iovecs_emit(e, v->d + fixed, v->a->cap->count, true, v->a->ret);
	e->fields = saved;
	og_emit_u64(e, "msg_iovlen", og_rd64(v->d + 24));
	if (controllen) {
		og_emit_key(e, "msg_control");
		saved = e->fields;
		cl = controllen < mo.control_room ? controllen : mo.control_room;
		if (og_rd64(v->d + 32) && cl) {
			cmsgs_emit(e, v->d + OG_MSGHDR_SIZE + 8 + mo.name_room, cl);
		} else {
			snprintf(fl, sizeof(fl), "%#" PRIx64, og_rd64(v->d + 32));
			og_emit_text(e, "%s", fl);
			og_emit_json_str(e, fl);
		}
		e->fields = saved;
	}
	og_emit_u64(e, "msg_controllen", controllen);
	og_decode_msg_flags(og_rd32(v->d + 48), fl, sizeof(fl));
	og_emit_sym(e, "msg_flags", fl);
	og_emit_map_close(e);
}

/* The types: bytes read (from byte from to byte size), whether an i386
 * record has the same layout, whether arrays of them are decoded (fixed
 * size, any bytes). */
static const struct {
	uint8_t fmt;
	uint8_t from, size;
	bool i386, array;
	struct_fn fn;
	struct_ok_fn ok; /* NULL: any bytes decode */
} types[] = {
	{OG_FMT_WSTATUS, 0, 4, true, false, dec_wstatus, NULL},
	{OG_FMT_SIGINFO, 0, 48, false, false, dec_siginfo, siginfo_ok},
	{OG_FMT_FD_PAIR, 0, 8, true, false, dec_fd_pair, NULL},
	{OG_FMT_SOCKADDR, 0, 2, true, false, dec_sockaddr, sockaddr_ok},
	{OG_FMT_SOCKLEN, 0, 4, true, false, dec_socklen, NULL},
	{OG_FMT_TIMESPEC, 0, 16, false, false, dec_timespec, NULL},
	{OG_FMT_ITIMERSPEC, 0, 32, false, false, dec_itimerspec, NULL},
	{OG_FMT_TIMEVAL, 0, 16, false, false, dec_timeval, NULL},
	{OG_FMT_RLIMIT, 0, 16, false, false, dec_rlimit, NULL},
	{OG_FMT_RLIMIT64, 0, 16, true, false, dec_rlimit64, NULL},
	{OG_FMT_SIGSET, 0, 8, true, false, dec_sigset, NULL},
	{OG_FMT_SIGACTION, 0, 32, false, false, dec_sigaction, NULL},
	{OG_FMT_CLONE_ARGS, 0, 64, false, false, dec_clone_args, NULL},
	{OG_FMT_STAT, 24, 56, false, false, dec_stat, NULL},
	{OG_FMT_STATX, 0, 48, true, false, dec_statx, NULL},
	{OG_FMT_IOVEC, 0, 0, false, false, dec_iovec, iovec_ok},
	{OG_FMT_EPOLL_EVENT, 0, 12, true, true, dec_epoll_event, NULL},
	{OG_FMT_POLLFD, 0, 8, true, true, dec_pollfd, NULL},
	{OG_FMT_MSGHDR, 0, OG_MSGHDR_SIZE + 8, false, false, dec_msghdr, msghdr_ok},
	{OG_FMT_MSGHDR_OUT, 0, OG_MSGHDR_SIZE + 8, false, false, dec_msghdr_out, msghdr_out_ok},
	{OG_FMT_POLLFD_INOUT, 0, 8, false, false, dec_pollfd_inout, inout8_ok},
	{OG_FMT_FDSET_INOUT, 0, 8, false, false, dec_fdset_inout, inout8_ok},
	{OG_FMT_RUSAGE, 0, 32, false, false, dec_rusage, NULL},
	{OG_FMT_RUSAGE_CHILD, 0, 32, false, false, dec_rusage, NULL},
};

/* Whether the capture holds the structure as the call left it: an output
 * only once the call succeeded (wait4's status once it waited for a child). */
static bool filled(const struct og_struct_arg *a)
{
	const struct og_cap *c = a->cap;

	if (c->flags & (OG_CAP_UNREADABLE | OG_CAP_WITHHELD))
		return false;
	if (a->fmt == OG_FMT_MSGHDR_OUT) /* recvmsg's: filled at exit */
		return c->kind == OG_ARG_MSGHDR_IN && c->len && a->returned && a->ret >= 0;
	if (a->fmt == OG_FMT_POLLFD_INOUT || a->fmt == OG_FMT_FDSET_INOUT) /* the requests: cut short, shown so */
		return true;
	if (c->kind == OG_ARG_IOV_IN || c->kind == OG_ARG_ARRAY_IN ||
	    c->kind == OG_ARG_MSGHDR_IN) /* cut short: shown so */
		return true;
	if (c->kind == OG_ARG_ARRAY_OUT || c->kind == OG_ARG_IOV_OUT)
		return a->returned && a->ret >= 0;
	if (c->flags & OG_CAP_TRUNCATED)
		return false;
	if (c->kind == OG_ARG_STRUCT_IN || c->kind == OG_ARG_STRUCT_INOUT)
		return true;
	if (c->kind != OG_ARG_STRUCT_OUT || !a->returned || a->ret < 0)
		return false;
	return (a->fmt != OG_FMT_WSTATUS && a->fmt != OG_FMT_RUSAGE_CHILD) || a->ret > 0;
}

/* An array of elements of size bytes (og_cap.count, the programs'): [a, b],
 * ", ..." when more were there than kept. */
static bool array(struct og_emit *e, const struct view *v, size_t size, struct_fn fn)
{
	size_t n;

	if (!size || v->a->cap->count != size)
		return false;
	n = v->len / size;
	og_emit_text(e, "[");
	if (e->g)
		yajl_gen_array_open(e->g);
	for (size_t i = 0; i < n; i++) {
		struct view el = {.a = v->a, .d = v->d + i * size, .len = size};

		og_emit_text(e, "%s", i ? ", " : "");
		fn(e, &el);
	}
	og_emit_text(e, "%s]", v->a->cap->flags & OG_CAP_TRUNCATED ? (n ? ", ..." : "...") : "");
	if (e->g)
		yajl_gen_array_close(e->g);
	return true;
}

bool og_decode_struct(const struct og_struct_arg *a, char *buf, size_t size, yajl_gen g)
{
	struct og_emit e = {.s = buf, .size = size, .g = g};
	struct view v;

	if (!size)
		return false;
	buf[0] = '\0';
	if (!a || !a->cap)
		return false;
	v = (struct view){.a = a, .d = og_cap_data(a->cap), .len = a->cap->len};
	/* A window's start: structures read at enter or at exit (a
	 * value-result capture's count is its element's size). */
	if (a->cap->kind == OG_ARG_STRUCT_IN || a->cap->kind == OG_ARG_STRUCT_OUT)
		v.skip = a->cap->count;
	/* An input sockaddr (connect, bind, sendto): as long as captured. */
	if (a->cap->kind == OG_ARG_SOCKADDR && !(a->cap->flags & (OG_CAP_UNREADABLE | OG_CAP_WITHHELD)) &&
	    og_sockaddr_known(v.d, v.len)) {
		og_emit_sockaddr(&e, v.d, v.len);
		return true;
	}
	if (!og_kind_is_decoded(a->cap->kind) || !filled(a))
		return false;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (types[i].fmt != a->fmt)
			continue;
		if (a->i386 && !types[i].i386)
			return false;
		if (a->cap->kind == OG_ARG_ARRAY_IN || a->cap->kind == OG_ARG_ARRAY_OUT)
			return types[i].array && array(&e, &v, types[i].size, types[i].fn);
		/* The window holds what the decoder reads (a ring of format 5
		 * written before windows kept stat from its start: skip 0). */
		if (v.skip > types[i].from || v.skip + v.len < types[i].size || (types[i].ok && !types[i].ok(&v)))
			return false;
		types[i].fn(&e, &v);
		return true;
	}
	return false;
}
