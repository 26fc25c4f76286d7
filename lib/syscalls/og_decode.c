// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_decode.h"
#include "og_format.h"
#include "og_signals.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* strace's tables of names (og_decode_xlat.h); the rows at the end say
 * which argument of which syscall uses which. */
#include "og_decode_xlat.h"

/* The text being built: parts joined by '|', cut at the buffer's end. */
struct out {
	char *s;
	size_t size, len;
	int parts;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len + 1 >= o->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->s + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len = o->len + (size_t)n < o->size ? o->len + (size_t)n : o->size - 1;
}

static void part(struct out *o, const char *name)
{
	put(o, "%s%s", o->parts++ ? "|" : "", name);
}

static void part_hex(struct out *o, uint64_t v)
{
	put(o, "%s%#" PRIx64, o->parts++ ? "|" : "", v);
}

static const char *xlookup(const struct xtab *t, uint64_t v)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->x[i].val == v)
			return t->x[i].name;
	return NULL;
}

/* v's bits named by t, as further parts; the unknown rest in hex. */
static void flag_parts(struct out *o, const struct xtab *t, uint64_t v)
{
	for (size_t i = 0; i < t->n && v; i++) {
		if (t->x[i].val && (v & t->x[i].val) == t->x[i].val) {
			part(o, t->x[i].name);
			v &= ~t->x[i].val;
		}
	}
	if (v)
		part_hex(o, v);
}

static void print_flags(struct out *o, const struct xtab *t, uint64_t v)
{
	flag_parts(o, t, v);
	if (!o->parts)
		part(o, t->zero ?: "0");
}

/* An enum: its name, or the number (signed: enums are C ints). */
static void print_enum(struct out *o, const struct xtab *t, uint64_t v)
{
	const char *name = xlookup(t, v);

	if (!name)
		name = xlookup(t, (uint32_t)v);
	if (name)
		part(o, name);
	else
		put(o, "%" PRId32, (int32_t)v);
}

/* An enum in the low bits (mask) and flags above. */
static void print_typed_flags(struct out *o, const struct xtab *type, uint64_t mask, const struct xtab *flags,
			      uint64_t v)
{
	const char *name = xlookup(type, v & mask);

	if (name) {
		part(o, name);
		v &= ~mask;
	}
	print_flags(o, flags, v);
}

static void print_open_flags(struct out *o, uint64_t v)
{
	static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};

	part(o, acc[v & 3]);
	flag_parts(o, &open_bits, v & ~(uint64_t)3);
}

static void print_signal(struct out *o, uint64_t v)
{
	char buf[16];

	part(o, og_signal_name((int32_t)v, buf, sizeof(buf)));
}

/* Mode bits as strace: octal with at least three digits. */
static void print_mode(struct out *o, uint64_t v)
{
	put(o, "%#03" PRIo64, v);
}

/* The argument's decoder: v is args[arg]. */
struct row;
typedef bool (*decoder_fn)(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs);

struct row {
	const char *syscall;
	int arg;
	decoder_fn fn;
	const struct xtab *tab;
};

static bool dec_flags(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)args, (void)nargs;
	print_flags(o, row->tab, v);
	return true;
}

static bool dec_enum(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)args, (void)nargs;
	print_enum(o, row->tab, v);
	return true;
}

/* ioctl requests strace does not name show in hex. */
static bool dec_enum_hex(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	const char *name = xlookup(row->tab, (uint32_t)v);

	(void)args, (void)nargs;
	if (name)
		part(o, name);
	else
		part_hex(o, (uint32_t)v);
	return true;
}

static bool dec_open_flags(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	print_open_flags(o, v);
	return true;
}

static bool dec_signal(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	print_signal(o, v);
	return true;
}

static bool dec_mode(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	print_mode(o, v);
	return true;
}

/* open's mode, which strace shows only when the flags (the argument
 * before) create a file: otherwise the register holds whatever it held. */
static bool dec_open_mode(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)nargs;
	if (!(args[row->arg - 1] & (0100 | 020000000))) /* O_CREAT, O_TMPFILE's own bit */
		return false;
	print_mode(o, v);
	return true;
}

/* mknod: the file type by name, then the permission bits. */
static bool dec_mknod_mode(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	const char *type = xlookup(&file_type, v & 0170000);

	(void)row, (void)args, (void)nargs;
	if (type) {
		put(o, "%s|", type);
		v &= ~(uint64_t)0170000;
	}
	print_mode(o, v);
	return true;
}

static bool dec_mmap_flags(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	print_typed_flags(o, &map_type, 0xf, &map_flags, v);
	return true;
}

static bool dec_sock_type(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	print_typed_flags(o, &sock_type, 0xf, &sock_flags, v);
	return true;
}

/* A socket's protocol is named within its family (args[0]). */
static bool dec_sock_proto(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)nargs;
	if (args[0] == 2 || args[0] == 10)
		print_enum(o, &ipproto, v);
	else if (args[0] == 16)
		print_enum(o, &netlink_proto, v);
	else
		return false;
	return true;
}

/* An option is named within its level (args[1]). */
static bool dec_sockopt(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	static const struct {
		uint64_t level;
		const struct xtab *opts;
	} levels[] = {{1, &so_opt}, {6, &tcp_opt}, {0, &ip_opt}, {41, &ipv6_opt}, {17, &udp_opt}};

	(void)row, (void)nargs;
	for (size_t i = 0; i < N(levels); i++) {
		if (levels[i].level == (uint32_t)args[1]) {
			print_enum(o, levels[i].opts, v);
			return true;
		}
	}
	return false;
}

/* fcntl's third argument, where its cmd (args[1]) makes it symbolic. */
static bool dec_fcntl_arg(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)nargs;
	switch ((uint32_t)args[1]) {
	case 4: print_open_flags(o, v); return true;	    /* F_SETFL */
	case 2: print_flags(o, &fd_flags, v); return true;  /* F_SETFD */
	case 10: print_signal(o, v); return true;	    /* F_SETSIG */
	case 1024: print_enum(o, &lease, v); return true;   /* F_SETLEASE */
	case 1026: print_flags(o, &notify, v); return true; /* F_NOTIFY */
	case 1033: print_flags(o, &seals, v); return true;  /* F_ADD_SEALS */
	default: return false;
	}
}

/* A row's argument index for what a return shows beside its value
 * (og_decode_ret). */
#define RET (-1)

/* fcntl's return where its cmd makes it flags, after strace's "flags ":
 * F_GETFD's as F_SETFD's argument (0 stays a number), F_GETFL's as
 * F_SETFL's. */
static bool dec_fcntl_ret(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	uint64_t set[3] = {args[0], 0, v};

	(void)nargs;
	if ((uint32_t)args[1] == 1 && v) /* F_GETFD */
		set[1] = 2;
	else if ((uint32_t)args[1] == 3) /* F_GETFL */
		set[1] = 4;
	else
		return false;
	put(o, "flags ");
	o->parts = 0;
	return dec_fcntl_arg(o, row, v, set, 3);
}

/* prctl's second argument, where its option (args[0]) makes it symbolic. */
static bool dec_prctl_arg(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	static const struct {
		uint32_t option;
		const struct xtab *tab;
	} options[] = {{4, &suid_dump},	    /* PR_SET_DUMPABLE */
		       {22, &seccomp_mode}, /* PR_SET_SECCOMP */
		       {23, &capability},   /* PR_CAPBSET_READ */
		       {24, &capability},   /* PR_CAPBSET_DROP */
		       {0x53564d41, &pr_set_vma}};

	(void)row, (void)nargs;
	if ((uint32_t)args[0] == 1) { /* PR_SET_PDEATHSIG */
		print_signal(o, v);
		return true;
	}
	for (size_t i = 0; i < N(options); i++) {
		if (options[i].option == (uint32_t)args[0]) {
			print_enum(o, options[i].tab, v);
			return true;
		}
	}
	return false;
}

#define FUTEX_PRIVATE 128
#define FUTEX_CLOCK_RT 256

/* FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME: the command's name with
 * _PRIVATE, then the clock. */
static bool dec_futex_op(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	uint32_t op = (uint32_t)v, cmd = op & ~(uint32_t)(FUTEX_PRIVATE | FUTEX_CLOCK_RT);
	const char *name = xlookup(&futex_cmd, cmd);

	(void)row, (void)args, (void)nargs;
	if (name) {
		put(o, "%s%s", name, (op & FUTEX_PRIVATE) ? "_PRIVATE" : "");
		o->parts++;
	} else {
		if (op & FUTEX_PRIVATE)
			part(o, "FUTEX_PRIVATE_FLAG");
		part_hex(o, cmd);
	}
	if (op & FUTEX_CLOCK_RT)
		part(o, "FUTEX_CLOCK_REALTIME");
	return true;
}

/* val3 of the bitset commands: the mask that matches any waiter. */
static bool dec_futex_val3(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	uint32_t cmd = (uint32_t)args[1] & ~(uint32_t)(FUTEX_PRIVATE | FUTEX_CLOCK_RT);

	(void)row, (void)nargs;
	if ((cmd != 9 && cmd != 10) || (uint32_t)v != 0xffffffffu)
		return false;
	part(o, "FUTEX_BITSET_MATCH_ANY");
	return true;
}

/* Clone's flags, then the exit signal in its low byte. */
static bool dec_clone_flags(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	flag_parts(o, &clone_flags, v & ~(uint64_t)0xff);
	if (v & 0xff)
		print_signal(o, v & 0xff);
	if (!v)
		part(o, "0");
	return true;
}

/* statx: the sync type (AT_STATX_SYNC_AS_STAT is 0), then the AT_ flags. */
static bool dec_statx_flags(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	print_typed_flags(o, &statx_sync, 0x6000, &at_flags, v);
	return true;
}

#define FLAGS(sc, i, t)              \
	{                            \
		sc, i, dec_flags, &t \
	}
#define ENUM(sc, i, t)              \
	{                           \
		sc, i, dec_enum, &t \
	}
#define FN(sc, i, fn)           \
	{                       \
		sc, i, fn, NULL \
	}

/*
 * The rows: which argument (0-based) of which syscall shows which way. An
 * argument without a row shows raw, or as its format in the syscall's own
 * row (og_syscalls.c) says.
 */
static const struct row rows[] = {
	/* Memory. */
	FLAGS("mmap", 2, prot),
	FN("mmap", 3, dec_mmap_flags),
	FLAGS("mmap2", 2, prot),
	FN("mmap2", 3, dec_mmap_flags),
	FLAGS("mprotect", 2, prot),
	FLAGS("pkey_mprotect", 2, prot),
	FLAGS("mremap", 3, mremap_flags),
	FLAGS("msync", 2, msync_flags),
	ENUM("madvise", 2, madv),
	FLAGS("mlock2", 2, mlock2_flags),
	FLAGS("mlockall", 0, mlockall_flags),
	FLAGS("memfd_create", 1, memfd_flags),
	/* Files. */
	FN("open", 1, dec_open_flags),
	FN("open", 2, dec_open_mode),
	FN("openat", 2, dec_open_flags),
	FN("openat", 3, dec_open_mode),
	FN("creat", 1, dec_mode),
	FN("mkdir", 1, dec_mode),
	FN("mkdirat", 2, dec_mode),
	FN("chmod", 1, dec_mode),
	FN("fchmod", 1, dec_mode),
	FN("fchmodat", 2, dec_mode),
	FN("umask", 0, dec_mode),
	FN("mknod", 1, dec_mknod_mode),
	FN("mknodat", 2, dec_mknod_mode),
	FLAGS("access", 1, access_mode),
	FLAGS("faccessat", 2, access_mode),
	FLAGS("faccessat2", 2, access_mode),
	FLAGS("faccessat2", 3, faccessat2_flags),
	FLAGS("newfstatat", 3, at_flags),
	FLAGS("fstatat64", 3, at_flags),
	FN("statx", 2, dec_statx_flags),
	FLAGS("statx", 3, statx_mask),
	FLAGS("unlinkat", 2, at_flags),
	FLAGS("fchownat", 4, at_flags),
	FLAGS("utimensat", 3, at_flags),
	FLAGS("linkat", 4, at_flags),
	FLAGS("execveat", 4, at_flags),
	FLAGS("name_to_handle_at", 4, at_flags),
	FLAGS("renameat2", 4, rename_flags),
	ENUM("lseek", 2, whence),
	FLAGS("flock", 1, flock_op),
	ENUM("fadvise64", 3, fadv),
	FLAGS("fallocate", 1, falloc),
	FLAGS("splice", 5, splice_flags),
	FLAGS("tee", 3, splice_flags),
	FLAGS("vmsplice", 3, splice_flags),
	FLAGS("close_range", 2, close_range_flags),
	FLAGS("mount", 3, mount_flags),
	FLAGS("umount2", 1, umount_flags),
	FLAGS("pipe2", 1, open_bits),
	FLAGS("dup3", 2, open_bits),
	ENUM("fcntl", 1, fcntl_cmd),
	FN("fcntl", 2, dec_fcntl_arg),
	FN("fcntl", RET, dec_fcntl_ret),
	ENUM("fcntl64", 1, fcntl_cmd),
	FN("fcntl64", 2, dec_fcntl_arg),
	FN("fcntl64", RET, dec_fcntl_ret),
	{"ioctl", 1, dec_enum_hex, &ioctl_cmd},
	/* Synchronisation, events, time. */
	FN("futex", 1, dec_futex_op),
	FN("futex", 5, dec_futex_val3),
	ENUM("epoll_ctl", 1, epoll_op),
	FLAGS("epoll_create1", 0, epoll_flags),
	FLAGS("eventfd2", 1, efd_flags),
	ENUM("timerfd_create", 0, clock_id),
	FLAGS("timerfd_create", 1, tfd_flags),
	FLAGS("timerfd_settime", 1, tfd_timer),
	FLAGS("signalfd4", 3, sfd_flags),
	FLAGS("inotify_init1", 0, in_flags),
	FLAGS("inotify_add_watch", 2, in_mask),
	ENUM("clock_gettime", 0, clock_id),
	ENUM("clock_getres", 0, clock_id),
	ENUM("clock_settime", 0, clock_id),
	ENUM("clock_adjtime", 0, clock_id),
	ENUM("clock_nanosleep", 0, clock_id),
	FLAGS("clock_nanosleep", 1, timer_flags),
	ENUM("timer_create", 0, clock_id),
	FLAGS("timer_settime", 1, timer_flags),
	ENUM("setitimer", 0, itimer),
	ENUM("getitimer", 0, itimer),
	FLAGS("getrandom", 2, grnd),
	/* Processes and signals. */
	FN("rt_sigaction", 0, dec_signal),
	ENUM("rt_sigprocmask", 0, sig_how),
	FN("kill", 1, dec_signal),
	FN("tkill", 1, dec_signal),
	FN("tgkill", 2, dec_signal),
	FN("rt_sigqueueinfo", 1, dec_signal),
	FN("rt_tgsigqueueinfo", 2, dec_signal),
	FN("pidfd_send_signal", 1, dec_signal),
	FN("clone", 0, dec_clone_flags),
	FLAGS("unshare", 0, clone_flags),
	FLAGS("setns", 1, clone_flags),
	FLAGS("wait4", 2, wait_options),
	ENUM("waitid", 0, idtype),
	FLAGS("waitid", 3, waitid_options),
	ENUM("prctl", 0, prctl_option),
	FN("prctl", 1, dec_prctl_arg),
	ENUM("arch_prctl", 0, arch_prctl_code),
	ENUM("getrlimit", 0, rlimit),
	ENUM("setrlimit", 0, rlimit),
	ENUM("prlimit64", 1, rlimit),
	ENUM("getrusage", 0, rusage_who),
	ENUM("getpriority", 0, prio_which),
	ENUM("setpriority", 0, prio_which),
	ENUM("sched_setscheduler", 1, sched_policy),
	FLAGS("pidfd_open", 1, pidfd_flags),
	ENUM("seccomp", 0, seccomp_op),
	/* Sockets. */
	ENUM("socket", 0, family),
	FN("socket", 1, dec_sock_type),
	FN("socket", 2, dec_sock_proto),
	ENUM("socketpair", 0, family),
	FN("socketpair", 1, dec_sock_type),
	FN("socketpair", 2, dec_sock_proto),
	ENUM("setsockopt", 1, sol),
	FN("setsockopt", 2, dec_sockopt),
	ENUM("getsockopt", 1, sol),
	FN("getsockopt", 2, dec_sockopt),
	FLAGS("accept4", 3, sock_flags),
	FLAGS("sendto", 3, msg_flags),
	FLAGS("recvfrom", 3, msg_flags),
	FLAGS("sendmsg", 2, msg_flags),
	FLAGS("recvmsg", 2, msg_flags),
	FLAGS("sendmmsg", 3, msg_flags),
	FLAGS("recvmmsg", 3, msg_flags),
	ENUM("shutdown", 1, shut_how),
};

/* The rows by (syscall, argument), hashed once: a printer asks for every
 * argument of every record, and a scan of the table with strcmp was a
 * seventh of reading a ring. A key's first row is found first, as a scan
 * would. */
#define ROW_INDEX 1024
_Static_assert(2 * N(rows) <= ROW_INDEX, "ROW_INDEX: at most half full");
static const struct row *row_index[ROW_INDEX];
static pthread_once_t row_index_once = PTHREAD_ONCE_INIT;

static size_t row_hash(const char *syscall, int arg)
{
	uint32_t h = 2166136261u ^ (uint32_t)arg;

	for (const unsigned char *c = (const unsigned char *)syscall; *c; c++)
		h = (h ^ *c) * 16777619u;
	return h & (ROW_INDEX - 1);
}

static void row_index_build(void)
{
	for (size_t i = 0; i < N(rows); i++) {
		size_t h = row_hash(rows[i].syscall, rows[i].arg);

		while (row_index[h])
			h = (h + 1) & (ROW_INDEX - 1);
		row_index[h] = &rows[i];
	}
}

static const struct row *row_of(const char *syscall, int arg)
{
	pthread_once(&row_index_once, row_index_build);
	for (size_t h = row_hash(syscall, arg); row_index[h]; h = (h + 1) & (ROW_INDEX - 1))
		if (row_index[h]->arg == arg && strcmp(row_index[h]->syscall, syscall) == 0)
			return row_index[h];
	return NULL;
}

bool og_decode_has_row(const char *syscall, int arg)
{
	return syscall && row_of(syscall, arg) != NULL;
}

bool og_decode_arg(const char *syscall, uint8_t fmt, int arg, const __u64 *args, int nargs, char *buf, size_t size)
{
	const struct row *row = syscall ? row_of(syscall, arg) : NULL;
	struct out o = {.s = buf, .size = size};
	uint64_t full[OG_NARGS] = {};
	bool ok;

	if (!size || arg < 0 || arg >= nargs || nargs > OG_NARGS)
		return false;
	buf[0] = '\0';
	/* Decoders that read a neighbour see 0 for one not recorded. */
	memcpy(full, args, (size_t)nargs * sizeof(*args));
	if (row)
		ok = row->fn(&o, row, full[arg], full, nargs);
	else if (fmt == OG_FMT_OPEN_FLAGS)
		ok = dec_open_flags(&o, NULL, full[arg], full, nargs);
	else if (fmt == OG_FMT_MODE)
		ok = dec_mode(&o, NULL, full[arg], full, nargs);
	else if (fmt == OG_FMT_SIGNAL)
		ok = dec_signal(&o, NULL, full[arg], full, nargs);
	else if (fmt == OG_FMT_DIRFD && (int32_t)full[arg] == -100)
		ok = (part(&o, "AT_FDCWD"), true);
	else
		ok = false;
	if (!ok)
		buf[0] = '\0';
	return ok;
}

void og_decode_open_flags(uint64_t flags, char *buf, size_t size)
{
	struct out o = {.s = buf, .size = size};

	if (!size)
		return;
	buf[0] = '\0';
	print_open_flags(&o, flags);
}

/* What strace shows after a return, from its row (argument index RET):
 * fcntl's F_GETFD and F_GETFL flags. */
bool og_decode_ret(const char *syscall, const __u64 *args, int nargs, int64_t ret, char *buf, size_t size)
{
	const struct row *row = syscall ? row_of(syscall, RET) : NULL;
	struct out o = {.s = buf, .size = size};
	uint64_t full[OG_NARGS] = {};

	if (!size)
		return false;
	buf[0] = '\0';
	if (!row || ret < 0 || nargs < 0 || nargs > OG_NARGS)
		return false;
	/* Decoders that read an argument see 0 for one not recorded. */
	memcpy(full, args, (size_t)nargs * sizeof(*args));
	if (!row->fn(&o, row, (uint64_t)ret, full, nargs)) {
		buf[0] = '\0';
		return false;
	}
	return true;
}

/* A received msghdr's msg_flags, and a control message's level and (at
 * SOL_SOCKET) type, for og_decode_structs.c: this file's tables. */
void og_decode_msg_flags(uint64_t flags, char *buf, size_t size)
{
	struct out o = {.s = buf, .size = size};

	if (!size)
		return;
	buf[0] = '\0';
	print_flags(&o, &msg_flags, flags);
}

bool og_decode_cmsg_level(uint64_t level, char *buf, size_t size)
{
	const char *name = xlookup(&sol, (uint32_t)level);

	snprintf(buf, size, "%s", name ? name : "");
	return name != NULL;
}

bool og_decode_scm_type(uint64_t type, char *buf, size_t size)
{
	const char *name = xlookup(&scm_type, (uint32_t)type);

	snprintf(buf, size, "%s", name ? name : "");
	return name != NULL;
}
