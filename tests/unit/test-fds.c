// The fd table's reader: entries checked one by one, history (a number
// closed and reused), a forked child's inherited fds through its parent
// link, a returned fd found by its exit time, and strace -yy's names:
// paths cleaned as far as lexically safe, the working directory entry,
// anonymous fds named by the syscall that made them.
#include "config.h"
#include "og_fds.h"
#include "og_syscalls.h"
#include "og_util.h"
#include "tap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#define ELEMS 2
static struct og_fd_elem table[ELEMS];

/* An entry where the programs would put it (og_fd_table_put: the element
 * by hash, the first never-used slot of the key's window); returned for
 * the test to change in place. */
static struct og_fd_entry *put(uint32_t tgid, uint32_t fd, uint8_t kind, uint64_t open_ns, uint64_t close_ns)
{
	struct og_fd_entry e = {.key = og_fd_key(tgid, fd),
				.open_ns = open_ns,
				.close_ns = close_ns,
				.tgid = tgid,
				.fd = fd,
				.kind = kind,
				.nr = 257};
	struct og_fd_elem *el = &table[og_fd_elem_of(e.key, ELEMS)];

	if (og_fd_table_put(table, ELEMS, &e) < 0)
		return NULL;
	for (uint32_t j = 0; j < OG_FD_PER_ELEM; j++)
		if (el->e[j].key == e.key && el->e[j].open_ns == open_ns)
			return &el->e[j];
	return NULL;
}

static struct og_fd_entry *file(uint32_t tgid, uint32_t fd, const char *path, uint64_t open_ns, uint64_t close_ns)
{
	struct og_fd_entry *e = put(tgid, fd, OG_FDK_FILE, open_ns, close_ns);

	e->len = strlen(path);
	memcpy(e->path, path, e->len);
	return e;
}

static const char *text_at(const struct og_fd_table *t, uint32_t tgid, uint32_t fd, uint64_t ts)
{
	static char buf[1024];
	const struct og_fd_entry *e = og_fd_table_find(t, tgid, fd, ts);

	if (!e)
		return "(none)";
	og_fd_entry_text(e, buf, sizeof(buf));
	return buf;
}

static const char *text_of(const struct og_fd_entry *e)
{
	static char buf[1024];

	og_fd_entry_text(e, buf, sizeof(buf));
	return buf;
}

int main(void)
{
	struct og_fd_table t;
	struct og_fd_entry *e, *bad;
	char big[8];

	/* Process 100: fd 4 the log, opened at 10 and never closed; fd 5
	 * /tmp/a from 20 to 30, then /tmp/b from 40. */
	file(100, 4, "/var/log/nginx/access.log", 10, 0);
	file(100, 5, "/tmp/a", 20, 30);
	file(100, 5, "/tmp/b", 40, 0);
	/* Process 200, forked by 100 at 35, exec'd at 45: its own fd 5 from
	 * 50. 100's fd 6, close-on-exec, is not 200's past the exec. */
	e = put(200, OG_FD_PARENT_FD, OG_FDK_PARENT, 35, 0);
	e->parent = 100;
	e->exec_ns = 45;
	file(200, 5, "/tmp/c", 50, 0);
	file(100, 6, "/tmp/cloexec", 30, 0)->flags = OG_FDF_CLOEXEC;
	/* Inconsistent entries: skipped, counted. */
	bad = file(300, 3, "/x", 10, 5); /* closed before it was opened */
	bad = put(301, 3, 99, 10, 0);	 /* no such kind */
	bad = file(302, 3, "/y", 10, 0);
	bad->tgid = 303; /* key of another process */
	(void)bad;

	ok(og_fd_table_load(&t, table, sizeof(table), "test") == 0, "the table loads");
	ok(t.n == 6 && t.skipped == 3, "6 entries kept, 3 inconsistent ones skipped (got %zu, %zu)", t.n, t.skipped);
	static const struct {
		uint32_t tgid, fd;
		uint64_t ts;
		const char *want, *what;
	} cases[] = {
		{100, 4, 1000000, "/var/log/nginx/access.log", "an fd opened long ago shows its path"},
		{100, 4, 5, "(none)", "nothing before it was opened"},
		{100, 5, 25, "/tmp/a", "fd 5 while /tmp/a was open"},
		{100, 5, 35, "(none)", "fd 5 between its close and its reuse"},
		{100, 5, 45, "/tmp/b", "fd 5 reused: the new file"},
		{200, 4, 60, "/var/log/nginx/access.log", "a forked child's inherited fd: its parent's"},
		{200, 5, 45, "(none)", "the child's fd 5 as the parent had it at the fork (closed then)"},
		{200, 5, 55, "/tmp/c", "the child's own fd 5 once it opened it"},
		{200, 4, 30, "(none)", "nothing in the child before it was forked"},
		{200, 6, 40, "/tmp/cloexec", "a close-on-exec fd inherited, before the child's exec"},
		{200, 6, 60, "(none)", "... gone after it"},
		{200, 4, 60, "/var/log/nginx/access.log", "an fd without close-on-exec stays past the exec"},
		{300, 3, 20, "(none)", "an inconsistent entry is never shown"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_str(text_at(&t, cases[i].tgid, cases[i].fd, cases[i].ts), cases[i].want, "%s", cases[i].what);
	ok(og_fd_table_made(&t, 100, 5, 40, 40, 257) != NULL, "the fd an open returned: found by its exit time");
	ok(og_fd_table_made(&t, 100, 5, 41, 60, 257) == NULL, "not by another time");
	ok(og_fd_table_made(&t, 100, 5, 40, 40, 32) == NULL, "not by another syscall");
	og_fd_table_free(&t);

	/* A child whose parent link names itself ends the walk. */
	memset(table, 0, sizeof(table));
	e = put(400, OG_FD_PARENT_FD, OG_FDK_PARENT, 5, 0);
	e->parent = 400;
	ok(og_fd_table_load(&t, table, sizeof(table), "loop") == 0 && og_fd_table_find(&t, 400, 1, 10) == NULL,
	   "a parent link to itself resolves to nothing");
	og_fd_table_free(&t);

	/* A key's window holds OG_FD_PROBES entries: the next one is refused. */
	memset(table, 0, sizeof(table));
	for (int i = 0; i < OG_FD_PROBES; i++)
		file(500, 1, "/w", 10 + i, 11 + i);
	ok(put(500, 1, OG_FDK_FILE, 100, 0) == NULL, "a full window takes no more (the programs count it in full)");
	ok(og_fd_table_load(&t, table, sizeof(table), "window") == 0 && t.n == OG_FD_PROBES &&
		   og_fd_table_find(&t, 500, 1, 10 + OG_FD_PROBES - 1) != NULL,
	   "its %d entries are history: each found at its own time", OG_FD_PROBES);
	og_fd_table_free(&t);

	ok(og_fd_table_load(&t, table, OG_ELEM_SIZE + 1, "odd") == -EPROTO, "a partial element is refused");
	ok(og_fd_table_load(&t, table, 0, "empty") == 0 && t.n == 0, "no elements: an empty table");

	/* The table in a ring's map: after the chunks, as the header says. */
	{
		size_t len = (2 + 1 + OG_FD_ELEMS) * (size_t)OG_ELEM_SIZE;
		uint8_t *mem = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
		struct og_ring_header *h = (struct og_ring_header *)mem;
		struct og_ring_fds *f = (struct og_ring_fds *)(mem + OG_FDS_OFF), counts;
		struct og_ring_view v = {0};
		const void *elems;
		size_t elen;

		memset(mem, 0, len);
		og_ring_header_init(h, 2);
		ok(og_ring_view_init(&v, mem, len, "fds") == 0 && og_ring_fds(&v, &elems, &elen, &counts) == -ENODATA,
		   "a ring without the flag has no table");
		h->flags |= OG_RING_F_FDS;
		f->elems = OG_FD_ELEMS;
		f->full = 7;
		ok(og_ring_fds(&v, &elems, &elen, &counts) == 0 && elems == mem + 3 * OG_ELEM_SIZE &&
			   elen == OG_FD_ELEMS * (size_t)OG_ELEM_SIZE && counts.full == 7,
		   "the table is the elements after the chunks, its counts in the header element");
		f->elems = OG_FD_ELEMS_MAX + 1;
		ok(og_ring_fds(&v, &elems, &elen, &counts) == -EPROTO, "more elements than a table has: refused");
		f->elems = OG_FD_ELEMS + 1;
		ok(og_ring_fds(&v, &elems, &elen, &counts) == -EPROTO, "elements past the mapping: refused");
		og_ring_close(&v);
		free(mem);
	}

	/* What strace -yy shows. */
	memset(table, 0, sizeof(table));
	e = put(1, 5, OG_FDK_SOCKET, 1, 0);
	e->sock = (struct og_fd_sock){.family = AF_INET, .type = SOCK_STREAM, .lport = 18080, .rport = 51234};
	inet_pton(AF_INET, "127.0.0.1", e->sock.laddr);
	inet_pton(AF_INET, "127.0.0.1", e->sock.raddr);
	is_str(text_of(e), "TCP:127.0.0.1:18080->127.0.0.1:51234", "a connected TCP socket");
	e->sock.rport = 0;
	memset(e->sock.raddr, 0, 16);
	is_str(text_of(e), "TCP:127.0.0.1:18080", "a listening one: its local address");
	e->sock = (struct og_fd_sock){.family = AF_INET6, .type = SOCK_DGRAM, .lport = 53, .rport = 4000};
	inet_pton(AF_INET6, "::1", e->sock.laddr);
	inet_pton(AF_INET6, "::1", e->sock.raddr);
	is_str(text_of(e), "UDPv6:[::1]:53->[::1]:4000", "a UDP socket over IPv6");
	e->sock = (struct og_fd_sock){.family = AF_INET, .type = SOCK_STREAM};
	e->ino = 777;
	is_str(text_of(e), "TCP:[777]", "a socket with no address yet: its inode");
	e->sock = (struct og_fd_sock){.family = AF_UNIX, .type = SOCK_STREAM};
	e->len = 9;
	memcpy(e->path, "\0abstract", 9);
	is_str(text_of(e), "UNIX:@abstract", "an abstract unix name");
	e->kind = OG_FDK_PIPE;
	e->ino = 1234;
	is_str(text_of(e), "pipe:[1234]", "a pipe");
	e->kind = OG_FDK_FILE;
	e->len = 6;
	memcpy(e->path, "/a<b>\n", 6);
	e->flags = OG_FDF_TRUNCATED;
	is_str(text_of(e), "/a\\x3cb\\x3e\\x0a...", "brackets and control bytes escaped, a cut path marked");
	og_fd_entry_text(e, big, sizeof(big));
	ok(strlen(big) < sizeof(big), "a small buffer is never overrun");
	e->flags = 0;
	e->kind = OG_FDK_SOCKET;
	e->sock = (struct og_fd_sock){.family = AF_UNIX, .type = SOCK_STREAM};
	e->len = 0;
	e->ino = 777;
	is_str(text_of(e), "socket:[777]", "a unix socket without a name: strace -y's socket:[N]");

	/* Joined paths as the programs keep them (the dirfd's or working
	 * directory's path, '/', the path as named), cleaned as far as
	 * lexically safe. */
	static const struct {
		const char *kept, *want, *what;
	} joins[] = {
		{"/tmp/fdp2/./z.txt", "/tmp/fdp2/z.txt", "openat(dirfd, \"./z.txt\"): \".\" dropped"},
		{"/tmp/fdp2/d/.", "/tmp/fdp2/d", "openat(dirfd, \".\"): the directory itself"},
		{"/tmp//a/", "/tmp/a", "empty components and a trailing '/' dropped"},
		{"/..", "/", "\"..\" at the root is the root"},
		{"/../../etc/x", "/etc/x", "... however many"},
		{"/tmp/fdp2/d/../v.txt", "/tmp/fdp2/d/../v.txt", "any other \"..\" kept: d may be a symlink"},
		{"/a/./../b", "/a/../b", "\".\" dropped around a kept \"..\""},
		{"/.../x", "/.../x", "\"...\" is a name"},
		{"/", "/", "the root"},
		{"rel/./x", "rel/./x", "a relative path (no directory known) as named"},
	};
	for (size_t i = 0; i < sizeof(joins) / sizeof(joins[0]); i++) {
		e->kind = OG_FDK_FILE;
		e->len = strlen(joins[i].kept);
		memcpy(e->path, joins[i].kept, e->len);
		is_str(text_of(e), joins[i].want, "%s", joins[i].what);
	}
	{
		char p[] = "/a/./b";

		ok(og_fd_path_clean(p, 6) == 4 && strcmp(p, "/a/b") == 0,
		   "cleaned in place, NUL-terminated when shorter");
	}

	/* The working directory: an entry at AT_FDCWD, found as any dirfd's,
	 * inherited by a forked child, replaced by a chdir. */
	memset(table, 0, sizeof(table));
	{
		struct og_fd_entry c;

		ok(og_fd_cwd_entry(600, "/srv/app", 10, &c) && og_fd_table_put(table, ELEMS, &c) == 0,
		   "process.cwd seeds the init's working directory");
		ok(!og_fd_cwd_entry(600, "srv", 10, &c) && !og_fd_cwd_entry(600, NULL, 10, &c),
		   "no relative or missing one");
		char long_cwd[OG_FD_PATH + 2];
		memset(long_cwd, 'a', sizeof(long_cwd) - 1);
		long_cwd[0] = '/';
		long_cwd[sizeof(long_cwd) - 1] = '\0';
		ok(!og_fd_cwd_entry(600, long_cwd, 10, &c), "none longer than an entry's path");
	}
	file(600, OG_FD_CWD_FD, "/srv/app/sub", 30, 0); /* a chdir at 30 */
	e = put(601, OG_FD_PARENT_FD, OG_FDK_PARENT, 20, 0);
	e->parent = 600;
	ok(og_fd_table_load(&t, table, sizeof(table), "cwd") == 0, "the table loads");
	is_str(text_at(&t, 600, OG_FD_CWD_FD, 15), "/srv/app", "the working directory, as AT_FDCWD's entry");
	is_str(text_at(&t, 600, OG_FD_CWD_FD, 35), "/srv/app/sub", "after a chdir: the new one");
	is_str(text_at(&t, 601, OG_FD_CWD_FD, 40), "/srv/app", "a child forked before the chdir keeps its parent's");
	og_fd_table_free(&t);

	/* Anonymous fds: named by the syscall that made them (maker_nr; nr is
	 * a dup's when it is a copy), on its arch. */
	{
		static const struct {
			int arch;
			const char *syscall, *name, *want;
		} anon[] = {
			{OG_ARCH_X86_64, "eventfd2", NULL, "anon_inode:[eventfd]"},
			{OG_ARCH_X86_64, "epoll_create1", NULL, "anon_inode:[eventpoll]"},
			{OG_ARCH_X86_64, "timerfd_create", NULL, "anon_inode:[timerfd]"},
			{OG_ARCH_X86_64, "signalfd4", NULL, "anon_inode:[signalfd]"},
			{OG_ARCH_X86_64, "pidfd_open", NULL, "anon_inode:[pidfd]"},
			{OG_ARCH_X86_64, "inotify_init1", NULL, "anon_inode:inotify"},
			{OG_ARCH_X86_64, "memfd_create", "mine", "/memfd:mine (deleted)"},
			{OG_ARCH_X86_64, "memfd_create", "a>b", "/memfd:a\\x3eb (deleted)"},
			{OG_ARCH_I386, "eventfd2", NULL, "anon_inode:[eventfd]"},
			{OG_ARCH_X86_64, "read", NULL, "inode:[55]"},
		};
		for (size_t i = 0; i < sizeof(anon) / sizeof(anon[0]); i++) {
			int nr = og_syscall_nr(anon[i].arch, anon[i].syscall);

			*e = (struct og_fd_entry){.kind = OG_FDK_OTHER, .ino = 55, .nr = 32, .maker_nr = nr};
			e->flags = anon[i].arch == OG_ARCH_I386 ? OG_FDF_I386 : 0;
			if (anon[i].name)
				memcpy(e->path, anon[i].name, e->len = strlen(anon[i].name));
			is_str(text_of(e), anon[i].want, "%s (%s) makes %s", anon[i].syscall,
			       anon[i].arch == OG_ARCH_I386 ? "i386" : "x86_64", anon[i].want);
		}
		/* i386's eventfd2 is 328, x86_64's 290: the flag says which. */
		*e = (struct og_fd_entry){
			.kind = OG_FDK_OTHER, .ino = 55, .maker_nr = og_syscall_nr(OG_ARCH_I386, "eventfd2")};
		ok(strcmp(text_of(e), "anon_inode:[eventfd]") != 0,
		   "an i386 number read as x86_64's is another syscall");
		*e = (struct og_fd_entry){.kind = OG_FDK_OTHER, .ino = 55, .nr = -1};
		is_str(text_of(e), "inode:[55]", "a seeded entry (no syscall): its inode");
		*e = (struct og_fd_entry){.kind = OG_FDK_OTHER, .ino = 55, .nr = 290};
		is_str(text_of(e), "inode:[55]", "an entry of an older oci-gadget (no maker_nr): its inode, as before");
	}
	return tap_done();
}
