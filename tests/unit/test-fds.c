// The fd table's reader: entries checked one by one, history (a number
// closed and reused), a forked child's inherited fds through its parent
// link, a returned fd found by its exit time, and strace -yy's names.
#include "config.h"
#include "og_fds.h"
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
	return tap_done();
}
