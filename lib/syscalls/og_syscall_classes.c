// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_syscall_classes.h"
#include "og_syscalls.h"
#include "og_util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* strace's trace classes (strace(1), -e trace=): the TF, TN... flags of
 * its syscallent rows. */
enum {
	OG_SC_FILE = 1 << 0,
	OG_SC_NETWORK = 1 << 1,
	OG_SC_PROCESS = 1 << 2,
	OG_SC_SIGNAL = 1 << 3,
	OG_SC_MEMORY = 1 << 4,
	OG_SC_DESC = 1 << 5,
	OG_SC_IPC = 1 << 6,
	OG_SC_CREDS = 1 << 7,
	OG_SC_CLOCK = 1 << 8,
	OG_SC_STAT = 1 << 9,
	OG_SC_LSTAT = 1 << 10,
	OG_SC_FSTAT = 1 << 11,
	OG_SC_ANY_STAT = 1 << 12,
	OG_SC_STATFS = 1 << 13,
	OG_SC_FSTATFS = 1 << 14,
	OG_SC_ANY_STATFS = 1 << 15,
	OG_SC_PURE = 1 << 16,
};

static const struct {
	const char *name;
	unsigned bits;
} class_names[] = {
	{"%file", OG_SC_FILE},		{"%network", OG_SC_NETWORK},
	{"%net", OG_SC_NETWORK},	{"%process", OG_SC_PROCESS},
	{"%signal", OG_SC_SIGNAL},	{"%memory", OG_SC_MEMORY},
	{"%desc", OG_SC_DESC},		{"%ipc", OG_SC_IPC},
	{"%creds", OG_SC_CREDS},	{"%clock", OG_SC_CLOCK},
	{"%stat", OG_SC_STAT},		{"%lstat", OG_SC_LSTAT},
	{"%fstat", OG_SC_FSTAT},	{"%%stat", OG_SC_ANY_STAT},
	{"%statfs", OG_SC_STATFS},	{"%fstatfs", OG_SC_FSTATFS},
	{"%%statfs", OG_SC_ANY_STATFS}, {"%pure", OG_SC_PURE},
};

/*
 * Every x86_64 and i386 syscall in a class, by name, with its classes: what
 * strace 6.1 traces for each -e trace=%class on both arches (read back from
 * the seccomp filter it builds, strace -d --seccomp-bpf), and for the calls
 * it does not know yet (cachestat, fchmodat2, futex_wait, futex_wake,
 * futex_requeue, map_shadow_stack) the classes newer strace gives them. A
 * syscall in no class has no row. A name the host's libseccomp does not
 * know is in no class there.
 */
static const struct {
	const char *name;
	unsigned classes;
} class_rows[] = {
	{"_llseek", OG_SC_DESC},
	{"_newselect", OG_SC_DESC},
	{"accept", OG_SC_NETWORK},
	{"accept4", OG_SC_NETWORK},
	{"access", OG_SC_FILE},
	{"acct", OG_SC_FILE},
	{"adjtimex", OG_SC_CLOCK},
	{"bind", OG_SC_NETWORK},
	{"bpf", OG_SC_DESC},
	{"break", OG_SC_MEMORY},
	{"brk", OG_SC_MEMORY},
	{"cachestat", OG_SC_DESC},
	{"capget", OG_SC_CREDS},
	{"capset", OG_SC_CREDS},
	{"chdir", OG_SC_FILE},
	{"chmod", OG_SC_FILE},
	{"chown", OG_SC_FILE},
	{"chown32", OG_SC_FILE},
	{"chroot", OG_SC_FILE},
	{"clock_adjtime", OG_SC_CLOCK},
	{"clock_adjtime64", OG_SC_CLOCK},
	{"clock_getres", OG_SC_CLOCK},
	{"clock_getres_time64", OG_SC_CLOCK},
	{"clock_gettime", OG_SC_CLOCK},
	{"clock_gettime64", OG_SC_CLOCK},
	{"clock_settime", OG_SC_CLOCK},
	{"clock_settime64", OG_SC_CLOCK},
	{"clone", OG_SC_PROCESS},
	{"clone3", OG_SC_PROCESS},
	{"close", OG_SC_DESC},
	{"connect", OG_SC_NETWORK},
	{"copy_file_range", OG_SC_DESC},
	{"creat", OG_SC_FILE | OG_SC_DESC},
	{"dup", OG_SC_DESC},
	{"dup2", OG_SC_DESC},
	{"dup3", OG_SC_DESC},
	{"epoll_create", OG_SC_DESC},
	{"epoll_create1", OG_SC_DESC},
	{"epoll_ctl", OG_SC_DESC},
	{"epoll_pwait", OG_SC_DESC},
	{"epoll_pwait2", OG_SC_DESC},
	{"epoll_wait", OG_SC_DESC},
	{"eventfd", OG_SC_DESC},
	{"eventfd2", OG_SC_DESC},
	{"execve", OG_SC_FILE | OG_SC_PROCESS},
	{"execveat", OG_SC_FILE | OG_SC_PROCESS | OG_SC_DESC},
	{"exit", OG_SC_PROCESS},
	{"exit_group", OG_SC_PROCESS},
	{"faccessat", OG_SC_FILE | OG_SC_DESC},
	{"faccessat2", OG_SC_FILE | OG_SC_DESC},
	{"fadvise64", OG_SC_DESC},
	{"fadvise64_64", OG_SC_DESC},
	{"fallocate", OG_SC_DESC},
	{"fanotify_init", OG_SC_DESC},
	{"fanotify_mark", OG_SC_FILE | OG_SC_DESC},
	{"fchdir", OG_SC_DESC},
	{"fchmod", OG_SC_DESC},
	{"fchmodat", OG_SC_FILE | OG_SC_DESC},
	{"fchmodat2", OG_SC_FILE | OG_SC_DESC},
	{"fchown", OG_SC_DESC},
	{"fchown32", OG_SC_DESC},
	{"fchownat", OG_SC_FILE | OG_SC_DESC},
	{"fcntl", OG_SC_DESC},
	{"fcntl64", OG_SC_DESC},
	{"fdatasync", OG_SC_DESC},
	{"fgetxattr", OG_SC_DESC},
	{"finit_module", OG_SC_DESC},
	{"flistxattr", OG_SC_DESC},
	{"flock", OG_SC_DESC},
	{"fork", OG_SC_PROCESS},
	{"fremovexattr", OG_SC_DESC},
	{"fsconfig", OG_SC_FILE | OG_SC_DESC},
	{"fsetxattr", OG_SC_DESC},
	{"fsmount", OG_SC_DESC},
	{"fsopen", OG_SC_DESC},
	{"fspick", OG_SC_FILE | OG_SC_DESC},
	{"fstat", OG_SC_DESC | OG_SC_FSTAT | OG_SC_ANY_STAT},
	{"fstat64", OG_SC_DESC | OG_SC_FSTAT | OG_SC_ANY_STAT},
	{"fstatat64", OG_SC_FILE | OG_SC_DESC | OG_SC_FSTAT | OG_SC_ANY_STAT},
	{"fstatfs", OG_SC_DESC | OG_SC_FSTATFS | OG_SC_ANY_STATFS},
	{"fstatfs64", OG_SC_DESC | OG_SC_FSTATFS | OG_SC_ANY_STATFS},
	{"fsync", OG_SC_DESC},
	{"ftruncate", OG_SC_DESC},
	{"ftruncate64", OG_SC_DESC},
	{"futimesat", OG_SC_FILE | OG_SC_DESC},
	{"get_mempolicy", OG_SC_MEMORY},
	{"getcwd", OG_SC_FILE},
	{"getdents", OG_SC_DESC},
	{"getdents64", OG_SC_DESC},
	{"getegid", OG_SC_CREDS | OG_SC_PURE},
	{"getegid32", OG_SC_CREDS | OG_SC_PURE},
	{"geteuid", OG_SC_CREDS | OG_SC_PURE},
	{"geteuid32", OG_SC_CREDS | OG_SC_PURE},
	{"getgid", OG_SC_CREDS | OG_SC_PURE},
	{"getgid32", OG_SC_CREDS | OG_SC_PURE},
	{"getgroups", OG_SC_CREDS},
	{"getgroups32", OG_SC_CREDS},
	{"getpeername", OG_SC_NETWORK},
	{"getpgrp", OG_SC_PURE},
	{"getpid", OG_SC_PURE},
	{"getpmsg", OG_SC_NETWORK},
	{"getppid", OG_SC_PURE},
	{"getresgid", OG_SC_CREDS},
	{"getresgid32", OG_SC_CREDS},
	{"getresuid", OG_SC_CREDS},
	{"getresuid32", OG_SC_CREDS},
	{"getsockname", OG_SC_NETWORK},
	{"getsockopt", OG_SC_NETWORK},
	{"gettid", OG_SC_PURE},
	{"gettimeofday", OG_SC_CLOCK},
	{"getuid", OG_SC_CREDS | OG_SC_PURE},
	{"getuid32", OG_SC_CREDS | OG_SC_PURE},
	{"getxattr", OG_SC_FILE},
	{"inotify_add_watch", OG_SC_FILE | OG_SC_DESC},
	{"inotify_init", OG_SC_DESC},
	{"inotify_init1", OG_SC_DESC},
	{"inotify_rm_watch", OG_SC_DESC},
	{"io_destroy", OG_SC_MEMORY},
	{"io_setup", OG_SC_MEMORY},
	{"io_uring_enter", OG_SC_SIGNAL | OG_SC_DESC},
	{"io_uring_register", OG_SC_MEMORY | OG_SC_DESC},
	{"io_uring_setup", OG_SC_DESC},
	{"ioctl", OG_SC_DESC},
	{"ipc", OG_SC_IPC},
	{"kexec_file_load", OG_SC_DESC},
	{"kill", OG_SC_PROCESS | OG_SC_SIGNAL},
	{"landlock_add_rule", OG_SC_DESC},
	{"landlock_create_ruleset", OG_SC_DESC},
	{"landlock_restrict_self", OG_SC_DESC},
	{"lchown", OG_SC_FILE},
	{"lchown32", OG_SC_FILE},
	{"lgetxattr", OG_SC_FILE},
	{"link", OG_SC_FILE},
	{"linkat", OG_SC_FILE | OG_SC_DESC},
	{"listen", OG_SC_NETWORK},
	{"listxattr", OG_SC_FILE},
	{"llistxattr", OG_SC_FILE},
	{"lremovexattr", OG_SC_FILE},
	{"lseek", OG_SC_DESC},
	{"lsetxattr", OG_SC_FILE},
	{"lstat", OG_SC_FILE | OG_SC_LSTAT | OG_SC_ANY_STAT},
	{"lstat64", OG_SC_FILE | OG_SC_LSTAT | OG_SC_ANY_STAT},
	{"madvise", OG_SC_MEMORY},
	{"map_shadow_stack", OG_SC_MEMORY},
	{"mbind", OG_SC_MEMORY},
	{"memfd_create", OG_SC_DESC},
	{"memfd_secret", OG_SC_DESC},
	{"migrate_pages", OG_SC_MEMORY},
	{"mincore", OG_SC_MEMORY},
	{"mkdir", OG_SC_FILE},
	{"mkdirat", OG_SC_FILE | OG_SC_DESC},
	{"mknod", OG_SC_FILE},
	{"mknodat", OG_SC_FILE | OG_SC_DESC},
	{"mlock", OG_SC_MEMORY},
	{"mlock2", OG_SC_MEMORY},
	{"mlockall", OG_SC_MEMORY},
	{"mmap", OG_SC_MEMORY | OG_SC_DESC},
	{"mmap2", OG_SC_MEMORY | OG_SC_DESC},
	{"mount", OG_SC_FILE},
	{"mount_setattr", OG_SC_FILE | OG_SC_DESC},
	{"move_mount", OG_SC_FILE | OG_SC_DESC},
	{"move_pages", OG_SC_MEMORY},
	{"mprotect", OG_SC_MEMORY},
	{"mq_getsetattr", OG_SC_DESC},
	{"mq_notify", OG_SC_DESC},
	{"mq_open", OG_SC_DESC},
	{"mq_timedreceive", OG_SC_DESC},
	{"mq_timedreceive_time64", OG_SC_DESC},
	{"mq_timedsend", OG_SC_DESC},
	{"mq_timedsend_time64", OG_SC_DESC},
	{"mremap", OG_SC_MEMORY},
	{"msgctl", OG_SC_IPC},
	{"msgget", OG_SC_IPC},
	{"msgrcv", OG_SC_IPC},
	{"msgsnd", OG_SC_IPC},
	{"msync", OG_SC_MEMORY},
	{"munlock", OG_SC_MEMORY},
	{"munlockall", OG_SC_MEMORY},
	{"munmap", OG_SC_MEMORY},
	{"name_to_handle_at", OG_SC_FILE | OG_SC_DESC},
	{"newfstatat", OG_SC_FILE | OG_SC_DESC | OG_SC_FSTAT | OG_SC_ANY_STAT},
	{"oldfstat", OG_SC_DESC | OG_SC_FSTAT | OG_SC_ANY_STAT},
	{"oldlstat", OG_SC_FILE | OG_SC_LSTAT | OG_SC_ANY_STAT},
	{"oldstat", OG_SC_FILE | OG_SC_STAT | OG_SC_ANY_STAT},
	{"open", OG_SC_FILE | OG_SC_DESC},
	{"open_by_handle_at", OG_SC_DESC},
	{"open_tree", OG_SC_FILE | OG_SC_DESC},
	{"openat", OG_SC_FILE | OG_SC_DESC},
	{"openat2", OG_SC_FILE | OG_SC_DESC},
	{"pause", OG_SC_SIGNAL},
	{"perf_event_open", OG_SC_DESC},
	{"pidfd_getfd", OG_SC_DESC},
	{"pidfd_open", OG_SC_DESC},
	{"pidfd_send_signal", OG_SC_PROCESS | OG_SC_SIGNAL | OG_SC_DESC},
	{"pipe", OG_SC_DESC},
	{"pipe2", OG_SC_DESC},
	{"pivot_root", OG_SC_FILE},
	{"pkey_mprotect", OG_SC_MEMORY},
	{"poll", OG_SC_DESC},
	{"ppoll", OG_SC_DESC},
	{"ppoll_time64", OG_SC_DESC},
	{"prctl", OG_SC_CREDS},
	{"pread64", OG_SC_DESC},
	{"preadv", OG_SC_DESC},
	{"preadv2", OG_SC_DESC},
	{"process_madvise", OG_SC_DESC},
	{"process_mrelease", OG_SC_DESC},
	{"pselect6", OG_SC_DESC},
	{"pselect6_time64", OG_SC_DESC},
	{"putpmsg", OG_SC_NETWORK},
	{"pwrite64", OG_SC_DESC},
	{"pwritev", OG_SC_DESC},
	{"pwritev2", OG_SC_DESC},
	{"quotactl", OG_SC_FILE},
	{"quotactl_fd", OG_SC_DESC},
	{"read", OG_SC_DESC},
	{"readahead", OG_SC_DESC},
	{"readdir", OG_SC_DESC},
	{"readlink", OG_SC_FILE},
	{"readlinkat", OG_SC_FILE | OG_SC_DESC},
	{"readv", OG_SC_DESC},
	{"recvfrom", OG_SC_NETWORK},
	{"recvmmsg", OG_SC_NETWORK},
	{"recvmmsg_time64", OG_SC_NETWORK},
	{"recvmsg", OG_SC_NETWORK},
	{"remap_file_pages", OG_SC_MEMORY},
	{"removexattr", OG_SC_FILE},
	{"rename", OG_SC_FILE},
	{"renameat", OG_SC_FILE | OG_SC_DESC},
	{"renameat2", OG_SC_FILE | OG_SC_DESC},
	{"rmdir", OG_SC_FILE},
	{"rt_sigaction", OG_SC_SIGNAL},
	{"rt_sigpending", OG_SC_SIGNAL},
	{"rt_sigprocmask", OG_SC_SIGNAL},
	{"rt_sigqueueinfo", OG_SC_PROCESS | OG_SC_SIGNAL},
	{"rt_sigreturn", OG_SC_SIGNAL},
	{"rt_sigsuspend", OG_SC_SIGNAL},
	{"rt_sigtimedwait", OG_SC_SIGNAL},
	{"rt_sigtimedwait_time64", OG_SC_SIGNAL},
	{"rt_tgsigqueueinfo", OG_SC_PROCESS | OG_SC_SIGNAL},
	{"select", OG_SC_DESC},
	{"semctl", OG_SC_IPC},
	{"semget", OG_SC_IPC},
	{"semop", OG_SC_IPC},
	{"semtimedop", OG_SC_IPC},
	{"semtimedop_time64", OG_SC_IPC},
	{"sendfile", OG_SC_NETWORK | OG_SC_DESC},
	{"sendfile64", OG_SC_NETWORK | OG_SC_DESC},
	{"sendmmsg", OG_SC_NETWORK},
	{"sendmsg", OG_SC_NETWORK},
	{"sendto", OG_SC_NETWORK},
	{"set_mempolicy", OG_SC_MEMORY},
	{"set_mempolicy_home_node", OG_SC_MEMORY},
	{"setfsgid", OG_SC_CREDS},
	{"setfsgid32", OG_SC_CREDS},
	{"setfsuid", OG_SC_CREDS},
	{"setfsuid32", OG_SC_CREDS},
	{"setgid", OG_SC_CREDS},
	{"setgid32", OG_SC_CREDS},
	{"setgroups", OG_SC_CREDS},
	{"setgroups32", OG_SC_CREDS},
	{"setns", OG_SC_DESC},
	{"setregid", OG_SC_CREDS},
	{"setregid32", OG_SC_CREDS},
	{"setresgid", OG_SC_CREDS},
	{"setresgid32", OG_SC_CREDS},
	{"setresuid", OG_SC_CREDS},
	{"setresuid32", OG_SC_CREDS},
	{"setreuid", OG_SC_CREDS},
	{"setreuid32", OG_SC_CREDS},
	{"setsockopt", OG_SC_NETWORK},
	{"settimeofday", OG_SC_CLOCK},
	{"setuid", OG_SC_CREDS},
	{"setuid32", OG_SC_CREDS},
	{"setxattr", OG_SC_FILE},
	{"sgetmask", OG_SC_SIGNAL},
	{"shmat", OG_SC_MEMORY | OG_SC_IPC},
	{"shmctl", OG_SC_IPC},
	{"shmdt", OG_SC_MEMORY | OG_SC_IPC},
	{"shmget", OG_SC_IPC},
	{"shutdown", OG_SC_NETWORK},
	{"sigaction", OG_SC_SIGNAL},
	{"sigaltstack", OG_SC_SIGNAL},
	{"signal", OG_SC_SIGNAL},
	{"signalfd", OG_SC_SIGNAL | OG_SC_DESC},
	{"signalfd4", OG_SC_SIGNAL | OG_SC_DESC},
	{"sigpending", OG_SC_SIGNAL},
	{"sigprocmask", OG_SC_SIGNAL},
	{"sigreturn", OG_SC_SIGNAL},
	{"sigsuspend", OG_SC_SIGNAL},
	{"socket", OG_SC_NETWORK},
	{"socketcall", OG_SC_NETWORK},
	{"socketpair", OG_SC_NETWORK},
	{"splice", OG_SC_DESC},
	{"ssetmask", OG_SC_SIGNAL},
	{"stat", OG_SC_FILE | OG_SC_STAT | OG_SC_ANY_STAT},
	{"stat64", OG_SC_FILE | OG_SC_STAT | OG_SC_ANY_STAT},
	{"statfs", OG_SC_FILE | OG_SC_STATFS | OG_SC_ANY_STATFS},
	{"statfs64", OG_SC_FILE | OG_SC_STATFS | OG_SC_ANY_STATFS},
	{"statx", OG_SC_FILE | OG_SC_DESC | OG_SC_FSTAT | OG_SC_ANY_STAT},
	{"swapoff", OG_SC_FILE},
	{"swapon", OG_SC_FILE},
	{"symlink", OG_SC_FILE},
	{"symlinkat", OG_SC_FILE | OG_SC_DESC},
	{"sync_file_range", OG_SC_DESC},
	{"syncfs", OG_SC_DESC},
	{"tee", OG_SC_DESC},
	{"tgkill", OG_SC_PROCESS | OG_SC_SIGNAL},
	{"time", OG_SC_CLOCK},
	{"timerfd_create", OG_SC_DESC},
	{"timerfd_gettime", OG_SC_DESC},
	{"timerfd_gettime64", OG_SC_DESC},
	{"timerfd_settime", OG_SC_DESC},
	{"timerfd_settime64", OG_SC_DESC},
	{"tkill", OG_SC_PROCESS | OG_SC_SIGNAL},
	{"truncate", OG_SC_FILE},
	{"truncate64", OG_SC_FILE},
	{"umount", OG_SC_FILE},
	{"umount2", OG_SC_FILE},
	{"unlink", OG_SC_FILE},
	{"unlinkat", OG_SC_FILE | OG_SC_DESC},
	{"uselib", OG_SC_FILE},
	{"userfaultfd", OG_SC_DESC},
	{"ustat", OG_SC_ANY_STATFS},
	{"utime", OG_SC_FILE},
	{"utimensat", OG_SC_FILE | OG_SC_DESC},
	{"utimensat_time64", OG_SC_FILE | OG_SC_DESC},
	{"utimes", OG_SC_FILE},
	{"vfork", OG_SC_PROCESS},
	{"vmsplice", OG_SC_DESC},
	{"wait4", OG_SC_PROCESS},
	{"waitid", OG_SC_PROCESS},
	{"waitpid", OG_SC_PROCESS},
	{"write", OG_SC_DESC},
	{"writev", OG_SC_DESC},
};

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void keep_nr(__u64 keep[2][OG_SKIP_WORDS], int arch, int nr)
{
	if (nr >= 0 && nr < OG_SKIP_WORDS * 64)
		keep[arch][nr / 64] |= 1ULL << (nr % 64);
}

/* The number of name on arch, by the names og_syscall_name gives: i386's
 * socket calls (socket is 359) are there, where libseccomp's name lookup
 * gives socketcall's multiplexed pseudo-numbers. -1: none. */
static int nr_of(int arch, const char *name)
{
	int nr = og_syscall_nr(arch, name);
	const char *n;

	if (nr >= 0 && nr < OG_SKIP_WORDS * 64)
		return nr;
	for (nr = 0; nr < OG_SKIP_WORDS * 64; nr++)
		if ((n = og_syscall_name(arch, nr)) && strcmp(n, name) == 0)
			return nr;
	return -1;
}

/* Keeps the syscall name on the arches that have it; false: neither has. */
static bool keep_name(__u64 keep[2][OG_SKIP_WORDS], const char *name)
{
	bool known = false;

	for (int arch = 0; arch < 2; arch++) {
		int nr = nr_of(arch, name);

		if (nr >= 0) {
			keep_nr(keep, arch, nr);
			known = true;
		}
	}
	return known;
}

/* One item of the list, len bytes at item, blanks trimmed. */
static int keep_item(__u64 keep[2][OG_SKIP_WORDS], const char *item, size_t len)
{
	char name[64];

	if (len == 0)
		return og_err(EINVAL, "an empty item (names, %%classes, all or none, separated by commas)");
	if (len >= sizeof(name))
		return og_err(EINVAL, "'%.*s...': no syscall or class has so long a name", 32, item);
	memcpy(name, item, len);
	name[len] = '\0';
	if (strcmp(name, "all") == 0) {
		memset(keep, 0xff, sizeof(__u64) * 2 * OG_SKIP_WORDS);
		return 0;
	}
	if (strcmp(name, "none") == 0)
		return 0;
	if (name[0] == '/')
		return og_err(EINVAL, "'%s': regular expressions are not supported (names and %%classes are)", name);
	if (name[0] == '%') {
		for (size_t i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++) {
			if (strcmp(name, class_names[i].name) != 0)
				continue;
			for (size_t j = 0; j < sizeof(class_rows) / sizeof(class_rows[0]); j++)
				if (class_rows[j].classes & class_names[i].bits)
					keep_name(keep, class_rows[j].name);
			return 0;
		}
		return og_err(EINVAL,
			      "unknown syscall class '%s' (strace's: %%file, %%network, %%process, %%signal, "
			      "%%memory, %%desc, %%ipc, %%creds, %%clock, %%stat, %%lstat, %%fstat, %%%%stat, "
			      "%%statfs, %%fstatfs, %%%%statfs, %%pure)",
			      name);
	}
	if (name[0] == '?') {
		keep_name(keep, name + 1);
		return 0;
	}
	if (!keep_name(keep, name))
		return og_err(EINVAL, "unknown syscall '%s' (neither x86_64 nor i386 has it; '?%s' leaves it out)",
			      name, name);
	return 0;
}

int og_syscall_select_parse(const char *text, struct og_syscall_set *set)
{
	__u64 keep[2][OG_SKIP_WORDS] = {};
	const char *p = text;
	bool negate = false;
	int r;

	if (strlen(text) >= OG_SELECT_MAX)
		return og_err(E2BIG, "a selection longer than %d bytes", OG_SELECT_MAX - 1);
	while (blank(*p))
		p++;
	if (*p == '!') {
		negate = true;
		p++;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		const char *next = p + len;

		while (len && blank(*p))
			p++, len--;
		while (len && blank(p[len - 1]))
			len--;
		r = keep_item(keep, p, len);
		if (r < 0)
			return r;
		if (!*next)
			break;
		p = next + 1;
	}
	for (int arch = 0; arch < 2; arch++)
		for (int w = 0; w < OG_SKIP_WORDS; w++)
			set->skip[arch][w] = negate ? keep[arch][w] : ~keep[arch][w];
	return 0;
}

int og_syscall_set_kept(const __u64 skip[2][OG_SKIP_WORDS], int arch, int nr)
{
	if (arch < 0 || arch > 1 || nr < 0 || nr >= OG_SKIP_WORDS * 64)
		return 1;
	return !(skip[arch][nr / 64] & (1ULL << (nr % 64)));
}

int og_syscall_set_skipped(const __u64 skip[2][OG_SKIP_WORDS], int arch)
{
	int n = 0;

	for (int nr = 0; nr < OG_SKIP_WORDS * 64; nr++)
		if (!og_syscall_set_kept(skip, arch, nr) && og_syscall_name(arch, nr))
			n++;
	return n;
}

void og_syscall_set_text(const __u64 skip[2][OG_SKIP_WORDS], int arch, char *buf, size_t size)
{
	int kept = 0, named = 0;
	bool list_kept;
	size_t n = 0;

	for (int nr = 0; nr < OG_SKIP_WORDS * 64; nr++) {
		if (!og_syscall_name(arch, nr))
			continue;
		named++;
		kept += og_syscall_set_kept(skip, arch, nr);
	}
	buf[0] = '\0';
	if (kept == named)
		return;
	/* The shorter of the two lists: the kept ones, or "!" and the rest. */
	list_kept = kept <= named - kept;
	if (!list_kept)
		n = snprintf(buf, size, "!");
	for (int nr = 0; nr < OG_SKIP_WORDS * 64 && n < size; nr++) {
		const char *name = og_syscall_name(arch, nr);

		if (!name || og_syscall_set_kept(skip, arch, nr) != list_kept)
			continue;
		if (n + strlen(name) + 5 >= size) {
			snprintf(buf + n, size - n, "%s...", n > 1 ? "," : "");
			return;
		}
		n += snprintf(buf + n, size - n, "%s%s", n > !list_kept ? "," : "", name);
	}
	if (kept == 0)
		snprintf(buf, size, "none");
}
