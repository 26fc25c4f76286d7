// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_print.h"
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

#define OG_AT_FDCWD (-100)

size_t og_pair_records(const struct og_record *recs, size_t n, struct og_event *events)
{
	size_t slots = 64, nev = 0;
	/* Per thread: the enter waiting for its exit, and the event that took
	 * the thread's latest record (an interrupted syscall there is where it
	 * died). */
	struct thread {
		uint32_t tid;
		bool used;
		bool pending; /* ev is an enter waiting for its exit */
		size_t ev;
		size_t last;
	} * tab;

	while (slots < 2 * n)
		slots <<= 1;
	tab = calloc(slots, sizeof(*tab));
	if (!tab)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct og_record *r = &recs[i];
		size_t h = (r->tid * 2654435761u) & (slots - 1);

		if (r->type == OG_REC_EVENT) {
			/* One call, one record: nothing to pair. */
			events[nev++] = (struct og_event){.probe = r};
			continue;
		}
		if (r->type != OG_REC_SYS_ENTER && r->type != OG_REC_SYS_EXIT)
			continue; /* a record type of a later release */

		/* Linear probing; entries are never removed. */
		while (tab[h].used && tab[h].tid != r->tid)
			h = (h + 1) & (slots - 1);
		tab[h].used = true;
		tab[h].tid = r->tid;
		if (r->type == OG_REC_SYS_ENTER) {
			events[nev] = (struct og_event){.enter = r};
			tab[h].pending = true;
			tab[h].ev = tab[h].last = nev++;
		} else if (r->type == OG_REC_SYS_EXIT) {
			/* rt_sigreturn restores orig_ax to -1: its exit pairs with any enter. */
			if (tab[h].pending && (events[tab[h].ev].enter->nr == r->nr || r->nr < 0)) {
				events[tab[h].ev].exit = r;
				tab[h].pending = false;
				tab[h].last = tab[h].ev;
				continue;
			}
			events[nev] = (struct og_event){.exit = r};
			tab[h].last = nev++;
		}
	}
	for (size_t h = 0; h < slots; h++)
		if (tab[h].used)
			events[tab[h].last].last_of_thread = true;
	free(tab);
	return nev;
}

const char *og_restart_name(int64_t ret)
{
	switch (ret) {
	case -512: return "ERESTARTSYS";
	case -513: return "ERESTARTNOINTR";
	case -514: return "ERESTARTNOHAND";
	case -516: return "ERESTART_RESTARTBLOCK";
	default: return NULL;
	}
}

bool og_event_returned(const struct og_event *ev)
{
	return ev->exit && !og_restart_name((int64_t)ev->exit->args[0]);
}

const struct og_syscall_desc *og_print_desc(const struct og_print_ctx *ctx, const struct og_record *r)
{
	const struct og_syscall_desc *d;

	if (!ctx->table || r->nr < 0 || r->nr >= OG_SYSCALL_MAX || r->arch > OG_ARCH_I386)
		return NULL;
	d = &ctx->table[r->arch * OG_SYSCALL_MAX + r->nr];
	return (d->flags & OG_DESC_VALID) ? d : NULL;
}

static const struct og_record *ev_first(const struct og_event *ev)
{
	return ev->probe ? ev->probe : ev->enter ? ev->enter : ev->exit;
}

static const char *const event_names[OG_EV_MAX] = {
	[OG_EV_MALLOC] = "malloc",
	[OG_EV_CALLOC] = "calloc",
	[OG_EV_REALLOC] = "realloc",
	[OG_EV_FREE] = "free",
	[OG_EV_POSIX_MEMALIGN] = "posix_memalign",
	[OG_EV_ALIGNED_ALLOC] = "aligned_alloc",
	[OG_EV_MMAP] = "mmap",
	[OG_EV_MUNMAP] = "munmap",
	[OG_EV_SSL_WRITE] = "ssl_write",
	[OG_EV_SSL_READ] = "ssl_read",
	[OG_EV_GNUTLS_SEND] = "ssl_write",
	[OG_EV_GNUTLS_RECV] = "ssl_read",
	[OG_EV_GC_START] = "gc_start",
	[OG_EV_GC] = "gc",
	[OG_EV_THROW] = "throw",
	[OG_EV_RETHROW] = "rethrow",
};

const char *og_event_kind_name(uint32_t k)
{
	return k < OG_EV_MAX ? event_names[k] : NULL;
}

const char *og_event_name(const struct og_event *ev)
{
	const char *n;

	if (!ev->probe)
		return "syscall";
	n = og_event_kind_name(ev->probe->nr);
	return n ? n : "unknown";
}

const char *og_event_syscall_name(const struct og_event *ev, char *buf, size_t size)
{
	const struct og_record *r = ev_first(ev);
	const char *name = og_syscall_name(r->arch, r->nr);

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

void og_print_escaped(FILE *out, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = data[i];

		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				fputc(c, out);
			else
				fprintf(out, "\\x%02x", c);
		}
	}
}

void og_print_open_flags(FILE *out, uint64_t flags)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} bits[] = {
		{O_CREAT, "O_CREAT"},	      {O_EXCL, "O_EXCL"},	  {O_NOCTTY, "O_NOCTTY"},
		{O_TRUNC, "O_TRUNC"},	      {O_APPEND, "O_APPEND"},	  {O_NONBLOCK, "O_NONBLOCK"},
		{O_DSYNC, "O_DSYNC"},	      {O_DIRECT, "O_DIRECT"},	  {O_LARGEFILE, "O_LARGEFILE"},
		{O_DIRECTORY, "O_DIRECTORY"}, {O_NOFOLLOW, "O_NOFOLLOW"}, {O_NOATIME, "O_NOATIME"},
		{O_CLOEXEC, "O_CLOEXEC"},     {O_PATH, "O_PATH"},
	};
	uint64_t acc = flags & O_ACCMODE, rest = flags & ~(uint64_t)O_ACCMODE;

	fputs(acc == O_RDONLY	? "O_RDONLY"
	      : acc == O_WRONLY ? "O_WRONLY"
	      : acc == O_RDWR	? "O_RDWR"
				: "O_ACCMODE",
	      out);
	/* O_SYNC includes O_DSYNC's bit; print it as a whole. */
	if ((rest & O_SYNC) == O_SYNC) {
		fputs("|O_SYNC", out);
		rest &= ~(uint64_t)O_SYNC;
	}
	if ((rest & O_TMPFILE) == O_TMPFILE) {
		fputs("|O_TMPFILE", out);
		rest &= ~(uint64_t)O_TMPFILE;
	}
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (rest & bits[i].bit) {
			fprintf(out, "|%s", bits[i].name);
			rest &= ~bits[i].bit;
		}
	}
	if (rest)
		fprintf(out, "|%#" PRIx64, rest);
}

void og_print_sockaddr(FILE *out, const void *sa, size_t len)
{
	sa_family_t fam;
	char addr[INET6_ADDRSTRLEN];

	if (len < sizeof(fam)) {
		fputs("{}", out);
		return;
	}
	memcpy(&fam, sa, sizeof(fam));
	if (fam == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in in;
		memcpy(&in, sa, sizeof(in));
		inet_ntop(AF_INET, &in.sin_addr, addr, sizeof(addr));
		fprintf(out, "{sa_family=AF_INET, sin_port=htons(%u), sin_addr=inet_addr(\"%s\")}", ntohs(in.sin_port),
			addr);
	} else if (fam == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 in6;
		memcpy(&in6, sa, sizeof(in6));
		inet_ntop(AF_INET6, &in6.sin6_addr, addr, sizeof(addr));
		fprintf(out, "{sa_family=AF_INET6, sin6_port=htons(%u), sin6_addr=\"%s\"}", ntohs(in6.sin6_port), addr);
	} else if (fam == AF_UNIX) {
		const char *path = (const char *)sa + offsetof(struct sockaddr_un, sun_path);
		size_t plen =
			len > offsetof(struct sockaddr_un, sun_path) ? len - offsetof(struct sockaddr_un, sun_path) : 0;

		fputs("{sa_family=AF_UNIX, sun_path=", out);
		if (plen && path[0] == '\0') {
			fputs("@\"", out);
			og_print_escaped(out, path + 1, strnlen(path + 1, plen - 1));
		} else {
			fputc('"', out);
			og_print_escaped(out, path, strnlen(path, plen));
		}
		fputs("\"}", out);
	} else {
		fprintf(out, "{sa_family=%u}", fam);
	}
}

static const struct og_capture *find_cap(const struct og_record *r, int arg)
{
	if (!r)
		return NULL;
	for (int i = 0; i < r->ncaps && i < OG_NCAPS; i++)
		if (r->caps[i].arg == arg)
			return &r->caps[i];
	return NULL;
}

/* The capture to show for an argument: a retried string at exit beats the
 * failed one at enter; output buffers come from exit. */
static const struct og_capture *arg_cap(const struct og_event *ev, int arg)
{
	const struct og_capture *x = find_cap(ev->exit, arg), *e = find_cap(ev->enter, arg);

	if (x && (x->kind == OG_ARG_BUF_OUT || !(x->flags & OG_CAP_UNREADABLE) || !e))
		return x;
	return e;
}

static bool fmt_is_signed(__u8 fmt)
{
	return fmt == OG_FMT_INT || fmt == OG_FMT_FD || fmt == OG_FMT_DIRFD || fmt == OG_FMT_SIGNAL;
}

static void print_cap_text(FILE *out, const struct og_capture *c)
{
	size_t len = c->len > OG_CAP_SIZE ? OG_CAP_SIZE : c->len;

	if (c->flags & OG_CAP_UNREADABLE && !len) {
		fputs("<unreadable>", out);
		return;
	}
	if (c->kind == OG_ARG_SOCKADDR) {
		og_print_sockaddr(out, c->data, len);
		return;
	}
	if (c->kind == OG_ARG_ARGV) {
		size_t off = 0;
		fputc('[', out);
		for (int i = 0; i < c->count && off < len; i++) {
			size_t sl = strnlen(c->data + off, len - off);
			fprintf(out, "%s\"", i ? ", " : "");
			og_print_escaped(out, c->data + off, sl);
			fputc('"', out);
			off += sl + 1;
		}
		fputs((c->flags & OG_CAP_TRUNCATED) || c->count == 4 ? ", ...]" : "]", out);
		return;
	}
	if (c->kind == OG_ARG_STR && len && c->data[len - 1] == '\0')
		len--;
	fputc('"', out);
	og_print_escaped(out, c->data, len);
	fputs((c->flags & OG_CAP_TRUNCATED) ? "\"..." : "\"", out);
}

static void print_value_text(FILE *out, uint64_t v, __u8 fmt)
{
	switch (fmt) {
	case OG_FMT_DIRFD:
		if ((int32_t)v == OG_AT_FDCWD) {
			fputs("AT_FDCWD", out);
			break;
		}
		/* fallthrough */
	case OG_FMT_INT:
	case OG_FMT_FD: fprintf(out, "%" PRId32, (int32_t)v); break;
	case OG_FMT_UINT: fprintf(out, "%" PRIu64, v); break;
	case OG_FMT_OPEN_FLAGS: og_print_open_flags(out, v); break;
	case OG_FMT_MODE: fprintf(out, "%#" PRIo64, v); break;
	case OG_FMT_SIGNAL: {
		const char *abbr = sigabbrev_np((int)v);
		if (abbr)
			fprintf(out, "SIG%s", abbr);
		else
			fprintf(out, "%" PRId32, (int32_t)v);
		break;
	}
	default: fprintf(out, "%#" PRIx64, v);
	}
}

static bool never_returns(const char *name)
{
	return strcmp(name, "exit_group") == 0 || strcmp(name, "exit") == 0;
}

static void print_time(FILE *out, const struct og_print_ctx *ctx, uint64_t ts)
{
	int64_t real = (int64_t)ts + ctx->boot_to_real_ns;
	time_t secs = real / 1000000000LL;
	struct tm tm;

	gmtime_r(&secs, &tm);
	fprintf(out, "%02d:%02d:%02d.%06lld", tm.tm_hour, tm.tm_min, tm.tm_sec,
		(long long)(real % 1000000000LL) / 1000);
}

static const char *runtime_name(uint64_t rt)
{
	return rt == OG_RT_PYTHON ? "python" : rt == OG_RT_JAVA ? "java" : "unknown";
}

static bool is_gnutls(const struct og_record *r)
{
	return r->nr == OG_EV_GNUTLS_SEND || r->nr == OG_EV_GNUTLS_RECV;
}

static void print_stack_id(FILE *out, uint64_t id)
{
	if ((int64_t)id >= 0)
		fprintf(out, " [ustack %" PRId64 "]", (int64_t)id);
}

static int print_probe_text(FILE *out, const struct og_print_ctx *ctx, const struct og_event *ev)
{
	const struct og_record *r = ev->probe;
	uint64_t a[OG_NARGS];
	const char *name = og_event_name(ev);

	for (int i = 0; i < OG_NARGS; i++)
		a[i] = r->args[i];
	print_time(out, ctx, r->ts_ns);
	fprintf(out, " %3u %7u %7u %-15.16s ", r->cpu, r->tgid, r->tid, r->comm[0] ? r->comm : "?");
	switch (r->nr) {
	case OG_EV_MALLOC:
	case OG_EV_CALLOC:
	case OG_EV_ALIGNED_ALLOC:
	case OG_EV_MMAP: fprintf(out, "%s(size=%" PRIu64 ") = %#" PRIx64, name, a[OG_EA_SIZE], a[OG_EA_ADDR]); break;
	case OG_EV_POSIX_MEMALIGN:
		fprintf(out, "%s(size=%" PRIu64 ") = %d, *memptr=%#" PRIx64, name, a[OG_EA_SIZE], (int)a[OG_EA_RET],
			a[OG_EA_ADDR]);
		break;
	case OG_EV_REALLOC:
		fprintf(out, "%s(addr=%#" PRIx64 ", size=%" PRIu64 ") = %#" PRIx64, name, a[OG_EA_OLD], a[OG_EA_SIZE],
			a[OG_EA_ADDR]);
		break;
	case OG_EV_FREE: fprintf(out, "%s(addr=%#" PRIx64 ")", name, a[OG_EA_ADDR]); break;
	case OG_EV_MUNMAP:
		fprintf(out, "%s(addr=%#" PRIx64 ", size=%" PRIu64 ")", name, a[OG_EA_ADDR], a[OG_EA_SIZE]);
		break;
	case OG_EV_SSL_WRITE:
	case OG_EV_SSL_READ:
	case OG_EV_GNUTLS_SEND:
	case OG_EV_GNUTLS_RECV:
		fprintf(out, "%s[%s](len=%" PRIu64 ") = %" PRId64, name, is_gnutls(r) ? "gnutls" : "openssl",
			a[OG_EA_SIZE], (int64_t)a[OG_EA_RET]);
		if (r->ncaps) {
			fputc(' ', out);
			print_cap_text(out, &r->caps[0]);
		}
		break;
	case OG_EV_GC:
		fprintf(out, "gc[%s](%s=%" PRIu64 ")", runtime_name(a[OG_EA_OLD]),
			a[OG_EA_OLD] == OG_RT_JAVA ? "full" : "generation", a[OG_EA_SIZE]);
		if (a[OG_EA_OLD] == OG_RT_PYTHON)
			fprintf(out, " collected=%" PRId64, (int64_t)a[OG_EA_RET]);
		break;
	case OG_EV_THROW:
	case OG_EV_RETHROW:
		fprintf(out, "%s(obj=%#" PRIx64 ", type=", name, a[OG_EA_ADDR]);
		if (r->ncaps)
			print_cap_text(out, &r->caps[0]);
		else
			fputs("?", out);
		fputc(')', out);
		break;
	default: fprintf(out, "event_%d(%#" PRIx64 ", %#" PRIx64 ")", r->nr, a[0], a[1]); break;
	}
	/* Entry-only probes have no duration; only the malloc family has stacks. */
	if (r->nr != OG_EV_FREE && r->nr != OG_EV_MUNMAP && r->nr != OG_EV_THROW && r->nr != OG_EV_RETHROW)
		fprintf(out, " <%.6f>", (double)a[OG_EA_DURATION] / 1e9);
	if (r->nr >= OG_EV_MALLOC && r->nr <= OG_EV_MUNMAP)
		print_stack_id(out, a[OG_EA_STACK]);
	fputc('\n', out);
	return ferror(out) ? og_err(EIO, "write output") : 0;
}

static void print_kstack_text(FILE *out, const struct og_print_ctx *ctx, const struct og_record *r)
{
	const char *const *frames;

	if (!r || !(r->flags & OG_REC_KSTACK) || !ctx->kstack || !(frames = ctx->kstack(ctx->kstack_arg, r->kstack)))
		return;
	for (; *frames; frames++)
		fprintf(out, "    > %s\n", *frames);
}

int og_print_text(FILE *out, const struct og_print_ctx *ctx, const struct og_event *ev)
{
	if (ev->probe)
		return print_probe_text(out, ctx, ev);
	const struct og_record *first = ev_first(ev);
	const struct og_syscall_desc *d = og_print_desc(ctx, first);
	char nbuf[32];
	const char *name = og_event_syscall_name(ev, nbuf, sizeof(nbuf));

	print_time(out, ctx, first->ts_ns);
	fprintf(out, " %3u %7u %7u %-15.16s ", first->cpu, first->tgid, first->tid, first->comm[0] ? first->comm : "?");
	if (first->arch == OG_ARCH_I386)
		fputs("[i386] ", out);
	if (!ev->enter) {
		fprintf(out, "<... %s resumed>", name);
		for (int i = 0; i < OG_NARGS; i++) {
			const struct og_capture *c = find_cap(ev->exit, i);
			if (c) {
				fprintf(out, " %s=", d ? d->arg_name[i] : "arg");
				print_cap_text(out, c);
			}
		}
		fputc(')', out);
	} else {
		int nargs = d ? d->nargs : OG_NARGS;

		fprintf(out, "%s(", name);
		for (int i = 0; i < nargs; i++) {
			const struct og_capture *c = arg_cap(ev, i);

			if (i)
				fputs(", ", out);
			if (d)
				fprintf(out, "%s=", d->arg_name[i]);
			if (c && (c->kind != OG_ARG_BUF_OUT || og_event_returned(ev)))
				print_cap_text(out, c);
			else
				print_value_text(out, ev->enter->args[i], d ? d->fmt[i] : OG_FMT_HEX);
		}
		fputc(')', out);
	}
	if (ev->exit && !og_event_returned(ev) && !ev->last_of_thread) {
		fprintf(out, " = ? %s (interrupted, to be restarted)", og_restart_name((int64_t)ev->exit->args[0]));
	} else if (og_event_returned(ev)) {
		int64_t ret = (int64_t)ev->exit->args[0];

		if (ret < 0 && ret >= -4095)
			fprintf(out, " = -1 %s (%s)", og_errno_name((int)-ret), strerror((int)-ret));
		else if (ret > 0xffffffffLL)
			fprintf(out, " = %#" PRIx64, (uint64_t)ret);
		else
			fprintf(out, " = %" PRId64, ret);
		if (ev->enter)
			fprintf(out, " <%.6f>", (double)(ev->exit->ts_ns - ev->enter->ts_ns) / 1e9);
	} else {
		fputs(never_returns(name) ? " = ?" : " = ? <unfinished ...>", out);
	}
	fputc('\n', out);
	print_kstack_text(out, ctx, ev->enter);
	return ferror(out) ? og_err(EIO, "write output") : 0;
}

/* JSON strings must be UTF-8: bytes >= 0x80 become U+0080..U+00FF (Latin-1),
 * a lossless mapping; yajl escapes the control characters. */
static void gen_bytes(yajl_gen g, const char *data, size_t len)
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

static void gen_key(yajl_gen g, const char *k)
{
	yajl_gen_string(g, (const unsigned char *)k, strlen(k));
}

void og_json_str(yajl_gen g, const char *k, const char *v)
{
	gen_key(g, k);
	gen_bytes(g, v, strlen(v));
}

void og_json_int(yajl_gen g, const char *k, long long v)
{
	gen_key(g, k);
	yajl_gen_integer(g, v);
}

void og_json_bool(yajl_gen g, const char *k, bool v)
{
	gen_key(g, k);
	yajl_gen_bool(g, v);
}

static void gen_u64(yajl_gen g, uint64_t v)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%" PRIu64, v);
	yajl_gen_number(g, num, n);
}

void og_json_u64(yajl_gen g, const char *k, uint64_t v)
{
	gen_key(g, k);
	gen_u64(g, v);
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

static void gen_cap(yajl_gen g, const struct og_capture *c)
{
	size_t len = c->len > OG_CAP_SIZE ? OG_CAP_SIZE : c->len;

	if (c->flags & OG_CAP_UNREADABLE) {
		og_json_bool(g, "unreadable", true);
	}
	if (c->flags & OG_CAP_TRUNCATED) {
		og_json_bool(g, "truncated", true);
	}
	if (c->flags & OG_CAP_RETRIED) {
		og_json_bool(g, "retried", true);
	}
	if ((c->flags & OG_CAP_UNREADABLE) && !len)
		return;
	if (c->kind == OG_ARG_ARGV) {
		size_t off = 0;
		gen_key(g, "argv");
		yajl_gen_array_open(g);
		for (int i = 0; i < c->count && off < len; i++) {
			size_t sl = strnlen(c->data + off, len - off);
			gen_bytes(g, c->data + off, sl);
			off += sl + 1;
		}
		yajl_gen_array_close(g);
		return;
	}
	if (c->kind == OG_ARG_SOCKADDR) {
		char *text = NULL;
		size_t tl = 0;
		FILE *m = open_memstream(&text, &tl);
		if (!m)
			return;
		og_print_sockaddr(m, c->data, len);
		fclose(m);
		og_json_str(g, "str", text);
		free(text);
		return;
	}
	if (c->kind == OG_ARG_STR && len && c->data[len - 1] == '\0')
		len--;
	gen_key(g, "str");
	gen_bytes(g, c->data, len);
}

static void gen_kstack(yajl_gen g, const struct og_print_ctx *ctx, const struct og_record *r)
{
	const char *const *frames;

	if (!r || !(r->flags & OG_REC_KSTACK))
		return;
	og_json_int(g, "kstack_id", r->kstack);
	if (!ctx->kstack || !(frames = ctx->kstack(ctx->kstack_arg, r->kstack)))
		return;
	gen_key(g, "kstack");
	yajl_gen_array_open(g);
	for (; *frames; frames++)
		gen_bytes(g, *frames, strlen(*frames));
	yajl_gen_array_close(g);
}

static int print_probe_json(FILE *out, const struct og_event *ev)
{
	const struct og_record *r = ev->probe;
	uint64_t a[OG_NARGS];
	char comm[OG_COMM_LEN + 1];
	yajl_gen g = yajl_gen_alloc(NULL);

	for (int i = 0; i < OG_NARGS; i++)
		a[i] = r->args[i];
	if (!g)
		return og_err(ENOMEM, "JSON generator");
	og_strfield(comm, sizeof(comm), r->comm[0] ? r->comm : "?");
	yajl_gen_map_open(g);
	og_json_str(g, "event", og_event_name(ev));
	og_json_u64(g, "ts_ns", r->ts_ns);
	og_json_int(g, "cpu", r->cpu);
	og_json_int(g, "pid", r->tgid);
	og_json_int(g, "tid", r->tid);
	og_json_str(g, "comm", comm);
	switch (r->nr) {
	case OG_EV_REALLOC:
		og_json_u64(g, "old_addr", a[OG_EA_OLD]);
		/* fall through */
	case OG_EV_MALLOC:
	case OG_EV_CALLOC:
	case OG_EV_ALIGNED_ALLOC:
	case OG_EV_MMAP:
	case OG_EV_POSIX_MEMALIGN:
		og_json_u64(g, "size", a[OG_EA_SIZE]);
		og_json_u64(g, "addr", a[OG_EA_ADDR]);
		if (r->nr == OG_EV_POSIX_MEMALIGN)
			og_json_int(g, "ret", (int)a[OG_EA_RET]);
		og_json_u64(g, "duration_ns", a[OG_EA_DURATION]);
		og_json_int(g, "stack_id", (int64_t)a[OG_EA_STACK]);
		break;
	case OG_EV_MUNMAP:
		og_json_u64(g, "size", a[OG_EA_SIZE]);
		/* fall through */
	case OG_EV_FREE: og_json_u64(g, "addr", a[OG_EA_ADDR]); break;
	case OG_EV_SSL_WRITE:
	case OG_EV_SSL_READ:
	case OG_EV_GNUTLS_SEND:
	case OG_EV_GNUTLS_RECV:
		og_json_str(g, "lib", is_gnutls(r) ? "gnutls" : "openssl");
		og_json_str(g, "direction", r->nr == OG_EV_SSL_WRITE || r->nr == OG_EV_GNUTLS_SEND ? "write" : "read");
		og_json_u64(g, "size", a[OG_EA_SIZE]);
		og_json_int(g, "ret", (int64_t)a[OG_EA_RET]);
		og_json_u64(g, "duration_ns", a[OG_EA_DURATION]);
		if (r->ncaps) {
			gen_key(g, "plaintext");
			yajl_gen_map_open(g);
			gen_cap(g, &r->caps[0]);
			yajl_gen_map_close(g);
		}
		break;
	case OG_EV_GC:
		og_json_str(g, "runtime", runtime_name(a[OG_EA_OLD]));
		og_json_u64(g, "duration_ns", a[OG_EA_DURATION]);
		if (a[OG_EA_OLD] == OG_RT_PYTHON) {
			og_json_u64(g, "generation", a[OG_EA_SIZE]);
			og_json_int(g, "collected", (int64_t)a[OG_EA_RET]);
		} else {
			og_json_bool(g, "full", a[OG_EA_SIZE] != 0);
		}
		break;
	case OG_EV_THROW:
	case OG_EV_RETHROW:
		og_json_u64(g, "obj", a[OG_EA_ADDR]);
		if (r->ncaps) {
			const struct og_capture *c = &r->caps[0];
			size_t len = c->len > OG_CAP_SIZE ? OG_CAP_SIZE : c->len;

			if (len && c->data[len - 1] == '\0')
				len--;
			gen_key(g, "type");
			gen_bytes(g, c->data, len);
		}
		break;
	default: og_json_int(g, "kind", r->nr); break;
	}
	yajl_gen_map_close(g);
	return og_json_line(out, g);
}

int og_print_json(FILE *out, const struct og_print_ctx *ctx, const struct og_event *ev)
{
	if (ev->probe)
		return print_probe_json(out, ev);
	const struct og_record *first = ev_first(ev);
	const struct og_syscall_desc *d = og_print_desc(ctx, first);
	char nbuf[32], comm[OG_COMM_LEN + 1];
	const char *name = og_event_syscall_name(ev, nbuf, sizeof(nbuf));
	yajl_gen g = yajl_gen_alloc(NULL);

	if (!g)
		return og_err(ENOMEM, "JSON generator");
	/* Exit records carry no command name; only an orphan exit lacks one. */
	og_strfield(comm, sizeof(comm), first->comm[0] ? first->comm : "?");
	yajl_gen_map_open(g);
	og_json_str(g, "event", "syscall");
	og_json_u64(g, "ts_ns", first->ts_ns);
	og_json_int(g, "cpu", first->cpu);
	og_json_int(g, "pid", first->tgid);
	og_json_int(g, "tid", first->tid);
	og_json_str(g, "comm", comm);
	og_json_str(g, "syscall", name);
	og_json_int(g, "nr", first->nr);
	og_json_str(g, "arch", first->arch == OG_ARCH_I386 ? "i386" : "x86_64");
	gen_key(g, "args");
	yajl_gen_array_open(g);
	if (ev->enter) {
		int nargs = d ? d->nargs : OG_NARGS;
		for (int i = 0; i < nargs; i++) {
			const struct og_capture *c = arg_cap(ev, i);
			uint64_t v = ev->enter->args[i];

			yajl_gen_map_open(g);
			if (d)
				og_json_str(g, "name", d->arg_name[i]);
			else {
				char an[8];
				snprintf(an, sizeof(an), "arg%d", i);
				og_json_str(g, "name", an);
			}
			gen_key(g, "value");
			if (d && fmt_is_signed(d->fmt[i]))
				yajl_gen_integer(g, (int32_t)v);
			else
				gen_u64(g, v);
			if (c && (c->kind != OG_ARG_BUF_OUT || og_event_returned(ev)))
				gen_cap(g, c);
			yajl_gen_map_close(g);
		}
	} else {
		for (int i = 0; i < OG_NARGS; i++) {
			const struct og_capture *c = find_cap(ev->exit, i);
			if (!c)
				continue;
			yajl_gen_map_open(g);
			og_json_str(g, "name", d ? d->arg_name[i] : "arg");
			gen_cap(g, c);
			yajl_gen_map_close(g);
		}
	}
	yajl_gen_array_close(g);
	if (ev->exit && !og_event_returned(ev)) {
		og_json_str(g, "interrupted", og_restart_name((int64_t)ev->exit->args[0]));
	} else if (ev->exit) {
		int64_t ret = (int64_t)ev->exit->args[0];

		og_json_int(g, "ret", ret);
		if (ret < 0 && ret >= -4095)
			og_json_str(g, "errno", og_errno_name((int)-ret));
		if (ev->enter)
			og_json_int(g, "duration_ns", (long long)(ev->exit->ts_ns - ev->enter->ts_ns));
	}
	og_json_bool(g, "complete", ev->enter && og_event_returned(ev));
	gen_kstack(g, ctx, ev->enter);
	yajl_gen_map_close(g);
	return og_json_line(out, g);
}
