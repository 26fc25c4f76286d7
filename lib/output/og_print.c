// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_print.h"
#include "og_decode.h"
#include "og_decode_structs.h"
#include "og_json.h"
#include "og_events.h"
#include "og_syscalls.h"
#include "og_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

const struct og_syscall_desc *og_print_desc(const struct og_print_ctx *ctx, const struct og_rec *r)
{
	const struct og_syscall_desc *d;

	if (!ctx->table || r->nr < 0 || r->nr >= OG_SYSCALL_MAX)
		return NULL;
	d = &ctx->table[og_rec_arch(r) * OG_SYSCALL_MAX + r->nr];
	return (d->flags & OG_DESC_VALID) ? d : NULL;
}

const char *og_event_name(const struct og_event *ev)
{
	const struct og_event_kind_info *k;

	if (!og_event_is_probe(ev))
		return og_record_event_name(ev->rec->type) ?: "unknown";
	k = og_event_kind(ev->rec->nr);
	return k ? k->name : "unknown";
}

const char *og_event_syscall_name(const struct og_event *ev, char *buf, size_t size)
{
	const struct og_rec *r = ev->rec;
	const char *name = og_syscall_name(og_rec_arch(r), r->nr);

	if (name)
		return name;
	snprintf(buf, size, "syscall_%d", r->nr);
	return buf;
}

const char *og_errno_name(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

void og_print_sockaddr(FILE *out, const void *sa, size_t len)
{
	char buf[OG_STRUCT_TEXT_MAX];

	og_decode_sockaddr(sa, len, buf, sizeof(buf));
	fputs(buf, out);
}

/* The capture to show for an argument: a retried string at exit beats the
 * failed one at enter; output buffers come from the exit part. */
const struct og_cap *og_print_arg_cap(const struct og_event *ev, int arg)
{
	const struct og_cap *e = og_rec_cap_of_arg(og_event_enter(ev), arg);
	const struct og_cap *x = ev->exit ? og_rec_cap_of_arg(ev->exit, arg) : NULL;

	if (x && (og_kind_is_out(x->kind) || !(x->flags & OG_CAP_UNREADABLE) || !e))
		return x;
	return e;
}

/* A structure's capture as strace shows it (og_decode_structs.c), its
 * fields as JSON into g when not NULL; false: its address is shown. */
bool og_print_struct_decoded(const struct og_event *ev, const struct og_syscall_desc *d, const struct og_cap *c,
			     char *buf, size_t size, yajl_gen g)
{
	const struct og_sys *x = og_event_exit_sys(ev);
	struct og_struct_arg a = {
		.fmt = d && c->arg < OG_NARGS ? d->fmt[c->arg] : OG_FMT_HEX,
		.cap = c,
		.len_cap = c->arg + 1 < OG_NARGS ? og_print_arg_cap(ev, c->arg + 1) : NULL,
		.ret = x ? x->ret : 0,
		.returned = og_event_returned(ev),
		.i386 = og_rec_arch(ev->rec) == OG_ARCH_I386,
	};

	return og_decode_struct(&a, buf, size, g);
}

/* What strace appends to the return value from the call's structures
 * (og_decode_struct_returned), ", " between them; g not NULL: their keys
 * and values into the map g has open. false: nothing to append. */
bool og_print_ret_structs(const struct og_event *ev, const struct og_syscall_desc *d, char *buf, size_t size,
			  yajl_gen g)
{
	const struct og_sys *x = og_event_exit_sys(ev);
	const struct og_rec *enter = og_event_enter(ev);
	size_t len = 0;

	if (!size)
		return false;
	buf[0] = '\0';
	if (!d || !enter || !x || !og_event_returned(ev))
		return false;
	for (int i = 0; i < d->nargs && i < enter->nargs; i++) {
		const struct og_cap *c = og_print_arg_cap(ev, i);
		char part[OG_STRUCT_TEXT_MAX];
		struct og_struct_arg a = {.fmt = d->fmt[i],
					  .cap = c,
					  .ret = x->ret,
					  .returned = true,
					  .i386 = og_rec_arch(ev->rec) == OG_ARCH_I386};

		if (!c || !og_kind_is_decoded(c->kind) || !og_decode_struct_returned(&a, part, sizeof(part), NULL))
			continue;
		/* "Timeout" once, whichever arguments say it (ppoll's fds and
		 * its timeout). */
		if (strcmp(part, "Timeout") == 0 && strstr(buf, "Timeout"))
			continue;
		if (g)
			og_decode_struct_returned(&a, part, sizeof(part), g);
		len += snprintf(buf + len, size - len, "%s%s", len ? ", " : "", part);
		if (len >= size)
			len = size - 1;
	}
	return len > 0;
}

/* An output buffer shows its bytes only once the syscall returned. */
bool og_print_cap_shown(const struct og_event *ev, const struct og_cap *c)
{
	return c && (c->kind != OG_ARG_BUF_OUT || og_event_returned(ev));
}

bool og_print_fmt_signed(__u8 fmt)
{
	return fmt == OG_FMT_INT || fmt == OG_FMT_FD || fmt == OG_FMT_DIRFD || fmt == OG_FMT_SIGNAL;
}

/* A capture's bytes as shown: strings without their NUL (an output string
 * up to its first: getcwd's length counts it). */
size_t og_print_cap_text_len(const struct og_cap *c, __u8 fmt)
{
	size_t len = c->len;

	if (fmt == OG_FMT_STR_OUT)
		return strnlen(og_cap_data(c), len);
	if (c->kind == OG_ARG_STR && len && og_cap_data(c)[len - 1] == '\0')
		len--;
	return len;
}

/* The format of the argument a capture belongs to. */
__u8 og_print_cap_fmt(const struct og_syscall_desc *d, const struct og_cap *c)
{
	return d && c->arg < OG_NARGS ? d->fmt[c->arg] : OG_FMT_HEX;
}

static void print_cap_text(FILE *out, const struct og_cap *c, __u8 fmt)
{
	const char *data = og_cap_data(c);
	size_t len = c->len;

	if (c->flags & OG_CAP_UNREADABLE && !len) {
		fputs("<unreadable>", out);
		return;
	}
	if (c->flags & OG_CAP_WITHHELD) {
		fputs("<withheld>", out); /* the capture policy kept it out */
		return;
	}
	if (c->kind == OG_ARG_SOCKADDR) {
		og_print_sockaddr(out, data, len);
		return;
	}
	if (c->kind == OG_ARG_ARGV) {
		size_t off = 0;
		fputc('[', out);
		for (int i = 0; i < c->count && off < len; i++) {
			size_t sl = strnlen(data + off, len - off);
			fprintf(out, "%s\"", i ? ", " : "");
			og_print_escaped(out, data + off, sl);
			fputc('"', out);
			off += sl + 1;
		}
		fputs((c->flags & OG_CAP_TRUNCATED) ? ", ...]" : "]", out);
		return;
	}
	fputc('"', out);
	og_print_escaped(out, data, og_print_cap_text_len(c, fmt));
	fputs((c->flags & OG_CAP_TRUNCATED) ? "\"..." : "\"", out);
}

static void print_value_text(FILE *out, uint64_t v, __u8 fmt)
{
	char b[32], *p = b;

	switch (fmt) {
	case OG_FMT_DIRFD:
	case OG_FMT_INT:
	case OG_FMT_FD: p = og_put_int(p, (int32_t)v); break;
	case OG_FMT_UINT: p = og_put_uint(p, v, 0); break;
	case OG_FMT_PTR:
	case OG_FMT_STR_OUT:
		if (!v) {
			fputs("NULL", out);
			return;
		}
		p = og_put_hex(p, v);
		break;
	default:
		/* A structure's type from OG_FMT_WSTATUS on: a pointer, NULL
		 * when 0 (wait4's ru), as strace shows it. */
		if (fmt >= OG_FMT_WSTATUS && !v) {
			fputs("NULL", out);
			return;
		}
		p = og_put_hex(p, v);
	}
	fwrite(b, 1, (size_t)(p - b), out);
}

/* What fd argument i of the record was when it was entered, as text
 * (strace -y); false when it is no fd argument or not known. */
bool og_print_arg_fd(const struct og_print_ctx *ctx, const struct og_rec *enter, __u8 fmt, uint64_t v, char *buf,
		     size_t size)
{
	const struct og_fd_entry *e;

	/* A dirfd of AT_FDCWD is the working directory, as strace -y shows it. */
	if (!ctx->fds || (fmt != OG_FMT_FD && fmt != OG_FMT_DIRFD) ||
	    ((int32_t)v < 0 && (fmt != OG_FMT_DIRFD || (uint32_t)v != OG_FD_CWD_FD)))
		return false;
	e = og_fd_table_find(ctx->fds, enter->tgid, (uint32_t)v, enter->ts_ns);
	if (!e)
		return false;
	og_fd_entry_text(e, buf, size);
	return true;
}

/* An fd's text in the brackets of strace -y; a deleted file's mark (the
 * kernel's " (deleted)", always a memfd's) after them, as strace puts it. */
static void print_fd_text(FILE *out, const char *fdp)
{
	static const char deleted[] = " (deleted)";
	size_t n = strlen(fdp), d = sizeof(deleted) - 1;

	if (n > d && strcmp(fdp + n - d, deleted) == 0)
		fprintf(out, "<%.*s>(deleted)", (int)(n - d), fdp);
	else
		fprintf(out, "<%s>", fdp);
}

/* The fd a syscall returned, as text, when its row says the return value
 * is a new fd (open, socket, accept, dup, eventfd...: not fcntl, whose
 * result is an fd for some commands only). */
bool og_print_ret_fd(const struct og_print_ctx *ctx, const struct og_event *ev, const struct og_syscall_desc *d,
		     int64_t ret, char *buf, size_t size)
{
	const struct og_rec *enter = og_event_enter(ev);
	const struct og_fd_entry *e;
	uint64_t dur, at, unit;

	if (!ctx->fds || !enter || !d || !(d->flags & OG_DESC_FD_OP) || ret < 0 || ret > INT32_MAX)
		return false;
	if (d->fd_op != OG_FD_OP_OPEN && d->fd_op != OG_FD_OP_OPEN_HOW && d->fd_op != OG_FD_OP_SOCKET &&
	    d->fd_op != OG_FD_OP_ACCEPT && d->fd_op != OG_FD_OP_DUP && d->fd_op != OG_FD_OP_ANON)
		return false;
	/* The entry it made carries its exit's time (bpf/og_fds.bpf.h): a
	 * standalone exit's own, else the enter's plus the duration, exact
	 * to the duration's unit. */
	if (ev->exit) {
		at = ev->exit->ts_ns;
		unit = 1;
	} else if (og_event_duration(ev, &dur)) {
		at = enter->ts_ns + dur;
		unit = og_dur_decode((og_dur_encode(dur) & ~((1u << 30) - 1)) | 1);
	} else {
		return false;
	}
	e = og_fd_table_made(ctx->fds, enter->tgid, (uint32_t)ret, at, at + unit - 1, enter->nr);
	if (!e)
		return false;
	og_fd_entry_text(e, buf, size);
	return true;
}

/* ns as printf's "%.6f" prints ns / 1e9: below 2^50 the double's error
 * is far from the half microsecond, so rounding the integer gives the
 * same digits; a tie (...500 ns) and larger values are printf's. */
static char *put_secs6(char *p, uint64_t ns) /* at most 32 bytes */
{
	uint64_t us = (ns + 500) / 1000;

	if (ns % 1000 == 500 || ns >= (1ULL << 50))
		return p + snprintf(p, 32, "%.6f", (double)ns / 1e9);
	p = og_put_uint(p, us / 1000000, 0);
	*p++ = '.';
	return og_put_frac(p, us % 1000000, 6);
}

/* " <seconds>", a syscall's or probe's duration. */
static void print_duration(FILE *out, uint64_t ns)
{
	char b[40], *p = b;

	*p++ = ' ';
	*p++ = '<';
	p = put_secs6(p, ns);
	*p++ = '>';
	fwrite(b, 1, (size_t)(p - b), out);
}

void og_print_wall_time(char *buf, size_t size, int64_t real_ns, int digits)
{
	/* Records come in time order: the date of a line is mostly the one
	 * before's, and gmtime_r with strftime costs more than the rest. */
	static __thread int64_t date_secs = INT64_MIN;
	static __thread char date[32];
	int64_t secs = real_ns / 1000000000LL, frac = real_ns % 1000000000LL;
	char line[64], *p;
	size_t len;

	if (frac < 0) { /* before 1970: the fraction counts up from the second before */
		frac += 1000000000LL;
		secs--;
	}
	if (secs != date_secs) {
		time_t t = (time_t)secs;
		struct tm tm;

		if (!gmtime_r(&t, &tm) || !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm))
			snprintf(date, sizeof(date), "%lld", (long long)secs);
		date_secs = secs;
	}
	if (digits < 1 || digits > 9) {
		snprintf(buf, size, "%s.%0*lldZ", date, digits, (long long)frac);
		return;
	}
	for (int i = digits; i < 9; i++)
		frac /= 10;
	len = strlen(date);
	memcpy(line, date, len);
	p = line + len;
	*p++ = '.';
	p = og_put_frac(p, (uint64_t)frac, digits);
	*p++ = 'Z';
	len = (size_t)(p - line);
	if (!size)
		return;
	if (len >= size)
		len = size - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
}

static const char *const time_fmt_names[] = {
	[OG_TIME_DATE] = "date",
	[OG_TIME_CLOCK] = "clock",
	[OG_TIME_FIRST] = "first",
	[OG_TIME_DELTA] = "delta",
};

const char *og_time_fmt_name(enum og_time_fmt f)
{
	return (size_t)f < sizeof(time_fmt_names) / sizeof(time_fmt_names[0]) ? time_fmt_names[f] : "?";
}

int og_time_fmt_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(time_fmt_names) / sizeof(time_fmt_names[0]); i++)
		if (strcmp(time_fmt_names[i], name) == 0)
			return (int)i;
	return -1;
}

/* By default wall-clock time in UTC with the date: a container's records
 * can span days. */
static char *put_time(char *p, const struct og_print_ctx *ctx, uint64_t ts) /* at most 64 bytes */
{
	struct og_time_state *st = ctx->times;
	char buf[64];
	const char *from = buf;
	size_t len;

	if ((ctx->time_fmt == OG_TIME_FIRST || ctx->time_fmt == OG_TIME_DELTA) && st) {
		int n;

		if (!st->started)
			*st = (struct og_time_state){.started = true, .first_ns = ts, .prev_ns = ts};
		/* Signed: a standalone exit carries its exit's time, a little
		 * out of the ring's order. */
		n = snprintf(
			p, 64, "%13.6f",
			(double)((int64_t)ts - (int64_t)(ctx->time_fmt == OG_TIME_FIRST ? st->first_ns : st->prev_ns)) /
				1e9);
		st->prev_ns = ts;
		return p + (n < 64 ? n : 63);
	}
	og_print_wall_time(buf, sizeof(buf), (int64_t)ts + ctx->boot_to_real_ns, 6);
	if (ctx->time_fmt == OG_TIME_CLOCK && strchr(buf, 'T')) {
		buf[strcspn(buf, "Z")] = '\0'; /* "...T04:54:11.123456Z": the clock between T and Z */
		from = strchr(buf, 'T') + 1;
	}
	len = strlen(from);
	memcpy(p, from, len);
	return p + len;
}

/* The line's columns, in one write: "TIME %3u %7u %7u %-15s ". */
static void print_prefix(FILE *out, const struct og_print_ctx *ctx, const struct og_rec *r)
{
	char comm[4 * OG_COMM_LEN + 1], line[64 + 3 * 24 + sizeof(comm) + 16], *p = line;
	/* The process names itself (prctl, /proc/PID/comm): escaped. */
	const char *name = r->comm[0] ? og_escape_field(comm, sizeof(comm), r->comm, sizeof(r->comm)) : "?";
	size_t nlen = strlen(name);

	p = put_time(p, ctx, r->ts_ns);
	*p++ = ' ';
	p = og_put_uint(p, r->cpu, 3);
	*p++ = ' ';
	p = og_put_uint(p, og_rec_shown_pid(r, ctx->host_pids), 7);
	*p++ = ' ';
	p = og_put_uint(p, og_rec_shown_tid(r, ctx->host_pids), 7);
	*p++ = ' ';
	memcpy(p, name, nlen);
	p += nlen;
	for (size_t i = nlen; i < 15; i++)
		*p++ = ' ';
	*p++ = ' ';
	fwrite(line, 1, (size_t)(p - line), out);
}

static void print_field_text(FILE *out, const struct og_event_field *f, const __u64 *a)
{
	uint64_t v = a[f->slot];

	switch (f->fmt) {
	case OG_FIELD_SIGNED: fprintf(out, "%" PRId64, (int64_t)v); break;
	case OG_FIELD_ADDR: fprintf(out, "%#" PRIx64, v); break;
	case OG_FIELD_BOOL: fputs(v ? "true" : "false", out); break;
	default: fprintf(out, "%" PRIu64, v);
	}
}

/* The kind's fields that print at place: "a=1, b=2" inside the
 * parentheses, " = 3" for the return, " c=4" after it. */
static int print_fields_text(FILE *out, const struct og_event_kind_info *k, enum og_field_place place, const __u64 *a)
{
	int n = 0;

	for (int i = 0; i < OG_EVENT_MAX_FIELDS && k->fields[i].key; i++) {
		const struct og_event_field *f = &k->fields[i];

		if (f->place != place)
			continue;
		if (place == OG_FIELD_RET)
			fputs(" = ", out);
		else
			fprintf(out, "%s%s=", place == OG_FIELD_OUT ? " " : n ? ", " : "", f->key);
		print_field_text(out, f, a);
		n++;
	}
	return n;
}

/* name[variant](arg=..., cap) = ret out=... <duration> [ustack N] */
static int print_probe_text(FILE *out, const struct og_print_ctx *ctx, const struct og_event *ev)
{
	const struct og_rec *r = ev->rec;
	const struct og_event_kind_info *k = og_event_kind(r->nr);
	const struct og_cap *cap = og_rec_cap(r, 0);
	__u64 a[OG_NARGS] = {};
	int nargs;

	memcpy(a, og_rec_args(r), r->nargs * sizeof(__u64));
	print_prefix(out, ctx, r);
	if (!k) {
		fprintf(out, "event_%d(%#" PRIx64 ", %#" PRIx64 ")\n", r->nr, (uint64_t)a[0], (uint64_t)a[1]);
		return ferror(out) ? og_err(EIO, "write output") : 0;
	}
	fputs(k->name, out);
	if (k->variant.value)
		fprintf(out, "[%s]", k->variant.value);
	fputc('(', out);
	nargs = print_fields_text(out, k, OG_FIELD_ARG, a);
	if (k->cap_key) {
		fprintf(out, "%s%s=", nargs ? ", " : "", k->cap_key);
		if (cap)
			print_cap_text(out, cap, OG_FMT_HEX);
		else
			fputc('?', out);
	}
	fputc(')', out);
	print_fields_text(out, k, OG_FIELD_RET, a);
	print_fields_text(out, k, OG_FIELD_OUT, a);
	if (k->flags & OG_EK_RETURNS)
		print_duration(out, a[OG_EA_DURATION]);
	if ((k->flags & OG_EK_USTACK) && og_ustack_id(a[OG_EA_STACK]) >= 0)
		fprintf(out, " [ustack %lld]", (long long)og_ustack_id(a[OG_EA_STACK]));
	fputc('\n', out);
	return ferror(out) ? og_err(EIO, "write output") : 0;
}

static void print_kstack_text(FILE *out, const struct og_print_ctx *ctx, const struct og_rec *r)
{
	const char *const *frames;

	if (!r || !(r->flags & OG_RF_KSTACK) || !ctx->kstack ||
	    !(frames = ctx->kstack(ctx->kstack_arg, og_rec_sys(r)->kstack)))
		return;
	for (; *frames; frames++)
		fprintf(out, "    > %s\n", *frames);
}

/* The stack of a crash record, or of the one joined to a delivery. */
const struct og_crash_stack *og_print_crash_stack(const struct og_print_ctx *ctx, const struct og_event *ev)
{
	const struct og_rec *r = ev->rec->type == OG_REC_CRASH ? ev->rec : ev->crash;

	return r && ctx->crash_stack ? ctx->crash_stack(ctx->crash_arg, r) : NULL;
}

int og_print_text(FILE *out, const struct og_print_ctx *ctx, const struct og_event *ev)
{
	if (og_event_is_probe(ev))
		return print_probe_text(out, ctx, ev);
	if (!og_event_is_syscall(ev)) {
		/* A signal sent inside the container shows at its delivery, a
		 * crash snapshot under its delivery's line. */
		if (ev->joined || (ev->rec->type == OG_REC_SIGNAL &&
				   ((const struct og_signal *)og_rec_body(ev->rec))->what == OG_SIG_SENT &&
				   !og_signal_sent_shown(og_rec_body(ev->rec))))
			return 0;
		print_prefix(out, ctx, ev->rec);
		return og_print_signals_text(out, ev, og_print_crash_stack(ctx, ev));
	}
	if (og_event_fork_child(ev))
		return 0;
	const struct og_rec *enter = og_event_enter(ev), *first = ev->rec;
	const struct og_syscall_desc *d = og_print_desc(ctx, first);
	const struct og_sys *x = og_event_exit_sys(ev);
	char nbuf[32];
	const char *name = og_event_syscall_name(ev, nbuf, sizeof(nbuf));
	char fdp[OG_FD_PATH * 4 + 64]; /* an fd as text: every byte of a path may be escaped */
	uint64_t dur;
	char sdec[OG_STRUCT_TEXT_MAX];

	print_prefix(out, ctx, first);
	if (og_rec_arch(first) == OG_ARCH_I386)
		fputs("[i386] ", out);
	if (!enter) {
		fprintf(out, "<... %s resumed>", name);
		for (int i = 0; i < first->ncaps; i++) {
			const struct og_cap *c = og_rec_cap(first, i);

			fprintf(out, " %s=", d ? d->arg_name[c->arg] : "arg");
			if (og_kind_is_decoded(c->kind))
				fputs(og_print_struct_decoded(ev, d, c, sdec, sizeof(sdec), NULL) ? sdec : "?", out);
			else
				print_cap_text(out, c, og_print_cap_fmt(d, c));
		}
		fputc(')', out);
	} else {
		const __u64 *args = og_rec_args(enter);
		int nargs = d ? d->nargs : enter->nargs;
		char dec[OG_DECODE_MAX];

		if (nargs > enter->nargs)
			nargs = enter->nargs;
		fputs(name, out);
		fputc('(', out);
		for (int i = 0; i < nargs; i++) {
			const struct og_cap *c = og_print_arg_cap(ev, i);

			if (i)
				fputs(", ", out);
			if (d) {
				fputs(d->arg_name[i], out);
				fputc('=', out);
			}
			if (c && og_kind_is_decoded(c->kind))
				if (og_print_struct_decoded(ev, d, c, sdec, sizeof(sdec), NULL))
					fputs(sdec, out);
				else
					print_value_text(out, args[i], OG_FMT_PTR);
			else if (og_print_cap_shown(ev, c))
				print_cap_text(out, c, d ? d->fmt[i] : OG_FMT_HEX);
			else if (og_decode_arg(name, d ? d->fmt[i] : OG_FMT_HEX, i, args, nargs, dec, sizeof(dec)))
				fputs(dec, out);
			else
				print_value_text(out, args[i], d ? d->fmt[i] : OG_FMT_HEX);
			/* A decoded fd is AT_FDCWD: strace -y shows its path too. */
			if (!og_print_cap_shown(ev, c) &&
			    og_print_arg_fd(ctx, enter, d ? d->fmt[i] : OG_FMT_HEX, args[i], fdp, sizeof(fdp)))
				print_fd_text(out, fdp);
		}
		fputc(')', out);
	}
	if (ev->died) {
		/* strace's line for a thread that ended inside the call. */
		fputs(" = ?", out);
	} else if (x && !og_event_returned(ev) && !ev->last_of_thread) {
		fprintf(out, " = ? %s (interrupted, to be restarted)", og_restart_name(x->ret));
	} else if (og_event_returned(ev)) {
		int64_t ret = x->ret;
		/* A return that is flags (fcntl's F_GETFL): hex, then named. */
		bool rflags = enter && og_decode_ret(name, og_rec_args(enter), enter->nargs, ret, sdec, sizeof(sdec));

		/* As strace: addresses in hex, every other result in decimal. */
		if (ret < 0 && ret >= -4095)
			fprintf(out, " = -1 %s (%s)", og_errno_name((int)-ret), strerror((int)-ret));
		else {
			char b[32], *p = rflags || (d && (d->flags & OG_DESC_RET_ADDR)) ? og_put_hex(b, (uint64_t)ret)
											: og_put_int(b, ret);

			fputs(" = ", out);
			fwrite(b, 1, (size_t)(p - b), out);
		}
		if (rflags)
			fprintf(out, " (%s)", sdec);
		if (og_print_ret_fd(ctx, ev, d, ret, fdp, sizeof(fdp)))
			print_fd_text(out, fdp);
		if (og_print_ret_structs(ev, d, sdec, sizeof(sdec), NULL))
			fprintf(out, " (%s)", sdec);
		if (og_event_duration(ev, &dur))
			print_duration(out, dur);
	} else {
		/* strace's line for a call that never returns (its row's role). */
		fputs(og_syscall_role(og_rec_arch(first), first->nr) == OG_ROLE_EXIT ? " = ?" : " = ? <unfinished ...>",
		      out);
	}
	fputc('\n', out);
	print_kstack_text(out, ctx, enter);
	return ferror(out) ? og_err(EIO, "write output") : 0;
}
