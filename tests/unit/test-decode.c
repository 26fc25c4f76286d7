// Integer arguments decoded as strace shows them (og_decode), and the
// measured list of frequent syscalls whose symbolic arguments must have a
// row.
#include "config.h"
#include "og_decode.h"
#include "og_format.h"
#include "tap.h"

#include <string.h>

/*
 * The 85 syscalls (all of them) made by the workloads of
 * tests/integration/services-decode.sh, counted in its strace -f -ff run
 * (2026-12-05): Debian 12's python3 (json, a ThreadingHTTPServer answering
 * a client thread, a subprocess; 1,887 calls), nginx-light with one worker
 * answering 3 requests of a Python client, then nginx -s quit (1,686) and
 * busybox sh with ls, cat, wget and httpd (880). Most frequent first (each
 * workload weighted by its share of calls), each with the arguments
 * (0-based, the kernel's order: futex's val3 is 5, clone's flags 0) that
 * strace showed symbolically as integers; the same test compares the
 * structures' and the rest of the arguments' tokens with strace.
 */
static const struct {
	const char *name;
	const char *symbolic; /* argument indexes, "" for none */
} measured[] = {
	{"newfstatat", "3"},
	{"close", ""},
	{"read", ""},
	{"openat", "2"},
	{"lseek", "2"},
	{"rt_sigaction", "0"},
	{"brk", ""},
	{"mmap", "23"},
	{"ioctl", "1"},
	{"futex", "15"},
	{"set_robust_list", ""},
	{"wait4", "2"},
	{"mprotect", "2"},
	{"fcntl", "12"},
	{"prctl", "01"},
	{"dup2", ""},
	{"getdents64", ""},
	{"exit_group", ""},
	{"clone", "0"},
	{"write", ""},
	{"rt_sigreturn", ""},
	{"rseq", ""},
	{"readlink", ""},
	{"prlimit64", "1"},
	{"getrandom", "2"},
	{"set_tid_address", ""},
	{"execve", ""},
	{"arch_prctl", "0"},
	{"rt_sigprocmask", "0"},
	{"getuid", ""},
	{"socket", "012"},
	{"sendfile", ""},
	{"connect", ""},
	{"poll", ""},
	{"munmap", ""},
	{"setsockopt", "12"},
	{"pread64", ""},
	{"gettid", ""},
	{"recvfrom", ""},
	{"alarm", ""},
	{"epoll_wait", ""},
	{"access", "1"},
	{"sendto", ""},
	{"mkdir", ""},
	{"shutdown", "1"},
	{"clock_nanosleep", "0"},
	{"accept", ""},
	{"epoll_ctl", "1"},
	{"getpid", ""},
	{"geteuid", ""},
	{"uname", ""},
	{"rt_sigsuspend", ""},
	{"getsockopt", "12"},
	{"accept4", "3"},
	{"pipe2", "1"},
	{"unlink", ""},
	{"chdir", ""},
	{"getppid", ""},
	{"getcwd", ""},
	{"listen", ""},
	{"madvise", "2"},
	{"exit", ""},
	{"clone3", ""},
	{"sysinfo", ""},
	{"umask", ""},
	{"bind", ""},
	{"getsockname", ""},
	{"writev", ""},
	{"epoll_create", ""},
	{"kill", "1"},
	{"vfork", ""},
	{"getgid", ""},
	{"getegid", ""},
	{"socketpair", "01"},
	{"recvmsg", ""},
	{"rmdir", ""},
	{"ftruncate", ""},
	{"epoll_create1", "0"},
	{"close_range", ""},
	{"setuid", ""},
	{"setgroups", ""},
	{"setgid", ""},
	{"sendmsg", ""},
	{"pwrite64", ""},
	{"eventfd2", ""},
};

static char buf[OG_DECODE_MAX];

static const char *dec(const char *sc, int arg, __u64 a0, __u64 a1, __u64 a2, __u64 a3, __u64 a4, __u64 a5)
{
	__u64 args[OG_NARGS] = {a0, a1, a2, a3, a4, a5};

	if (!og_decode_arg(sc, OG_FMT_HEX, arg, args, OG_NARGS, buf, sizeof(buf)))
		return "(raw)";
	return buf;
}

static const char *dec1(const char *sc, int arg, __u64 v)
{
	__u64 args[OG_NARGS] = {};

	args[arg] = v;
	return dec(sc, arg, args[0], args[1], args[2], args[3], args[4], args[5]);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(measured) / sizeof(measured[0]); i++) {
		int missing = -1;

		for (const char *c = measured[i].symbolic; *c; c++)
			if (!og_decode_has_row(measured[i].name, *c - '0'))
				missing = *c - '0';
		ok(missing < 0, "measured %s: symbolic arguments have rows (missing %d)", measured[i].name, missing);
	}

	/* Returns that are flags, as strace shows them after the value. */
	{
		char buf[128];
		const __u64 getfd[] = {3, 1}, getfl[] = {3, 3}, dupfd[] = {3, 0};

		ok(og_decode_ret("fcntl", getfd, 2, 1, buf, sizeof(buf)) && strcmp(buf, "flags FD_CLOEXEC") == 0,
		   "fcntl F_GETFD = 0x1 (flags FD_CLOEXEC): %s", buf);
		ok(!og_decode_ret("fcntl", getfd, 2, 0, buf, sizeof(buf)), "fcntl F_GETFD = 0: a number");
		ok(og_decode_ret("fcntl", getfl, 2, 0x8802, buf, sizeof(buf)) &&
			   strcmp(buf, "flags O_RDWR|O_NONBLOCK|O_LARGEFILE") == 0,
		   "fcntl F_GETFL = 0x8802 (flags O_RDWR|O_NONBLOCK|O_LARGEFILE): %s", buf);
		ok(!og_decode_ret("fcntl", dupfd, 2, 4, buf, sizeof(buf)) &&
			   !og_decode_ret("read", getfl, 2, 3, buf, sizeof(buf)) &&
			   !og_decode_ret("fcntl", getfl, 2, -9, buf, sizeof(buf)),
		   "a new fd, another syscall, an error: not flags");
	}

	/* strace's forms: one argument, the others 0. */
	static const struct {
		const char *syscall;
		int arg;
		__u64 value;
		const char *want, *what;
	} forms[] = {
		{"mmap", 2, 3, "PROT_READ|PROT_WRITE", "mmap prot"},
		{"mmap", 2, 0, "PROT_NONE", "mmap prot 0"},
		{"mmap", 3, 0x22, "MAP_PRIVATE|MAP_ANONYMOUS", "mmap flags"},
		{"mmap", 3, 0x812, "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE", "mmap flags with fixed"},
		{"mprotect", 2, 0x1 | 0x10000000, "PROT_READ|0x10000000", "unknown bits as |0x..."},
		{"accept4", 3, 2048, "SOCK_NONBLOCK", "accept4 flags"},
		{"accept4", 3, 0, "0", "accept4 flags 0"},
		{"epoll_ctl", 1, 1, "EPOLL_CTL_ADD", "epoll_ctl op"},
		{"ioctl", 1, 21505, "TCGETS", "ioctl TCGETS"},
		{"ioctl", 1, 0x5421, "FIONBIO", "ioctl FIONBIO"},
		{"ioctl", 1, 0xdead, "0xdead", "unknown ioctl in hex"},
		{"futex", 1, 393, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME", "futex op 393"},
		{"futex", 1, 129, "FUTEX_WAKE_PRIVATE", "futex wake private"},
		{"newfstatat", 3, 0x1000, "AT_EMPTY_PATH", "newfstatat flag"},
		{"statx", 2, 0x100, "AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW", "statx flags"},
		{"statx", 3, 0xfff, "STATX_ALL", "statx mask"},
		{"socket", 0, 2, "AF_INET", "socket family"},
		{"socket", 1, 524289, "SOCK_STREAM|SOCK_CLOEXEC", "socket type"},
		{"clock_nanosleep", 0, 0, "CLOCK_REALTIME", "clock id"},
		{"clock_nanosleep", 1, 1, "TIMER_ABSTIME", "clock_nanosleep flags"},
		{"clock_gettime", 0, (__u64)-6, "-6", "a CPU clock stays a number"},
		{"rt_sigaction", 0, 6, "SIGABRT", "rt_sigaction sig"},
		{"rt_sigaction", 0, 34, "SIGRT_2", "a real-time signal"},
		{"rt_sigprocmask", 0, 0, "SIG_BLOCK", "sigprocmask how"},
		{"prctl", 0, 15, "PR_SET_NAME", "prctl option"},
		{"madvise", 2, 4, "MADV_DONTNEED", "madvise advice"},
		{"arch_prctl", 0, 0x1002, "ARCH_SET_FS", "arch_prctl code"},
		{"wait4", 2, 0x40000001, "WNOHANG|__WALL", "wait4 options"},
		{"clone", 0, 0x1200011, "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD", "clone flags"},
		{"lseek", 2, 2, "SEEK_END", "lseek whence"},
		{"shutdown", 1, 1, "SHUT_WR", "shutdown how"},
		{"flock", 1, 6, "LOCK_EX|LOCK_NB", "flock op"},
		{"getrandom", 2, 1, "GRND_NONBLOCK", "getrandom flags"},
		{"access", 1, 0, "F_OK", "access F_OK"},
		{"access", 1, 6, "R_OK|W_OK", "access mode"},
		{"pipe2", 1, 0x80800, "O_NONBLOCK|O_CLOEXEC", "pipe2 flags"},
		{"openat", 2, 0x80241, "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC", "openat flags"},
		{"rt_sigaction", 0, 29, "SIGIO", "SIGIO as strace, not SIGPOLL"},
		{"umask", 0, 022, "022", "umask as strace"},
		{"mknodat", 2, 0100600, "S_IFREG|0600", "mknod type and mode"},
		{"read", 0, 3, "(raw)", "an argument without a row stays raw"},
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		is_str(dec1(forms[i].syscall, forms[i].arg, forms[i].value), forms[i].want, "%s", forms[i].what);
	/* strace's forms that depend on another argument: all six given. */
	static const struct {
		const char *syscall;
		int arg;
		__u64 a[OG_NARGS];
		const char *want, *what;
	} with_args[] = {
		{"fcntl", 1, {3, 1030, 0, 0, 0, 0}, "F_DUPFD_CLOEXEC", "fcntl cmd"},
		{"fcntl", 2, {3, 4, 04002, 0, 0, 0}, "O_RDWR|O_NONBLOCK", "fcntl F_SETFL arg"},
		{"fcntl", 2, {3, 2, 1, 0, 0, 0}, "FD_CLOEXEC", "fcntl F_SETFD arg"},
		{"fcntl", 2, {3, 0, 10, 0, 0, 0}, "(raw)", "fcntl F_DUPFD arg stays a number"},
		{"futex", 5, {0, 393, 0, 0, 0, 0xffffffff}, "FUTEX_BITSET_MATCH_ANY", "futex val3"},
		{"futex", 5, {0, 129, 0, 0, 0, 0xffffffff}, "(raw)", "futex val3 of a wake stays raw"},
		{"setsockopt", 1, {3, 6, 1, 0, 4, 0}, "SOL_TCP", "setsockopt level"},
		{"setsockopt", 2, {3, 6, 1, 0, 4, 0}, "TCP_NODELAY", "setsockopt optname by level"},
		{"setsockopt", 2, {3, 1, 2, 0, 4, 0}, "SO_REUSEADDR", "SO_REUSEADDR"},
		{"setsockopt", 2, {3, 99, 2, 0, 4, 0}, "(raw)", "an unknown level's option stays a number"},
		{"socket", 2, {2, 1, 0, 0, 0, 0}, "IPPROTO_IP", "socket inet protocol"},
		{"socket", 2, {1, 1, 0, 0, 0, 0}, "(raw)", "socket unix protocol stays 0"},
		{"open", 2, {0, 020200002, 0600, 0, 0, 0}, "0600", "O_TMPFILE's mode"},
		{"prctl", 1, {4, 1, 0, 0, 0, 0}, "SUID_DUMP_USER", "prctl PR_SET_DUMPABLE's mode"},
		{"prctl", 1, {1, 9, 0, 0, 0, 0}, "SIGKILL", "prctl PR_SET_PDEATHSIG's signal"},
		{"prctl", 1, {24, 21, 0, 0, 0, 0}, "CAP_SYS_ADMIN", "prctl PR_CAPBSET_DROP's capability"},
		{"prctl", 1, {15, 0x7ffd0000, 0, 0, 0, 0}, "(raw)", "prctl PR_SET_NAME's name is no number to decode"},
	};
	for (size_t i = 0; i < sizeof(with_args) / sizeof(with_args[0]); i++) {
		const __u64 *a = with_args[i].a;

		is_str(dec(with_args[i].syscall, with_args[i].arg, a[0], a[1], a[2], a[3], a[4], a[5]),
		       with_args[i].want, "%s", with_args[i].what);
	}
	is_str(dec1("openat", 2, 0x98800), "O_RDONLY|O_NONBLOCK|O_LARGEFILE|O_CLOEXEC|O_DIRECTORY",
	       "open flags in strace's order, the kernel's O_LARGEFILE");
	is_str(dec1("openat", 2, 04010001 | 020200000 | 02000000), "O_WRONLY|O_SYNC|O_CLOEXEC|O_TMPFILE",
	       "O_SYNC and O_TMPFILE whole");
	is_str(dec("openat", 3, (__u64)-100, 0, 0x241, 0644, 0, 0), "0644", "mode in octal");
	is_str(dec("openat", 3, (__u64)-100, 0, 0, 0xffffffff, 0, 0), "(raw)", "no mode without O_CREAT, as strace");

	/* Through the syscall row's format, with no row here. */
	__u64 a[OG_NARGS] = {9};
	ok(og_decode_arg("someday", OG_FMT_SIGNAL, 0, a, 1, buf, sizeof(buf)) && strcmp(buf, "SIGKILL") == 0,
	   "format sig: %s", buf);
	a[0] = (__u64)-100;
	ok(og_decode_arg("someday", OG_FMT_DIRFD, 0, a, 1, buf, sizeof(buf)) && strcmp(buf, "AT_FDCWD") == 0,
	   "format dirfd: %s", buf);
	a[0] = 3;
	ok(!og_decode_arg("someday", OG_FMT_DIRFD, 0, a, 1, buf, sizeof(buf)), "a real dirfd stays a number");

	/* Bounded: a short buffer is cut, never overrun; bad indexes refused. */
	char small[8];
	a[0] = 0x7;
	ok(og_decode_arg("mmap", OG_FMT_HEX, 0, a, 1, small, sizeof(small)) == false, "mmap addr has no row");
	__u64 m[OG_NARGS] = {0, 0, 7};
	ok(og_decode_arg("mmap", OG_FMT_HEX, 2, m, 3, small, sizeof(small)) && strlen(small) == 7, "cut at 7: %s",
	   small);
	ok(!og_decode_arg("mmap", OG_FMT_HEX, 6, m, 6, buf, sizeof(buf)), "argument past the end refused");
	ok(!og_decode_arg("mmap", OG_FMT_HEX, 2, m, 2, buf, sizeof(buf)), "argument not recorded refused");
	return tap_done();
}
