// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_fds.h"
#include "og_syscalls.h"
#include "og_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

/* close_ns of an entry whose process ended before it was closed
 * (bpf/og_fds.bpf.h): no end known. */
#define CLOSED_EXIT 1
/* Parents followed from a forked process up to the one that opened. */
#define PARENT_DEPTH 8

int og_ring_fds(const struct og_ring_view *v, const void **elems, size_t *len, struct og_ring_fds *counts)
{
	size_t at;

	if (!(v->hdr->flags & OG_RING_F_FDS) || v->len < OG_ELEM_SIZE)
		return og_err(ENODATA, "this ring keeps no fd table (made by an older oci-gadget)");
	/* Copied once, then checked: the mapping is shared with writers. */
	memcpy(counts, v->base + OG_FDS_OFF, sizeof(*counts));
	if (!counts->elems || counts->elems > OG_FD_ELEMS_MAX)
		return og_err(EPROTO, "ring's fd table: %u elements, at most %u", counts->elems, OG_FD_ELEMS_MAX);
	at = ((size_t)v->chunk_count + 1) * OG_ELEM_SIZE;
	if (!v->chunk_count || at + (size_t)counts->elems * OG_ELEM_SIZE > v->len)
		return og_err(EPROTO, "ring's fd table: %u elements after %u chunks, only %zu bytes mapped",
			      counts->elems, v->chunk_count, v->len);
	*elems = v->base + at;
	*len = (size_t)counts->elems * OG_ELEM_SIZE;
	return 0;
}

static bool entry_valid(const struct og_fd_entry *e)
{
	if (!e->key || !e->open_ns || e->key != og_fd_key(e->tgid, e->fd) || !e->tgid)
		return false;
	if (e->close_ns && e->close_ns != CLOSED_EXIT && e->close_ns < e->open_ns)
		return false;
	if (e->kind < OG_FDK_FILE || e->kind >= OG_FDK_KINDS || e->len >= OG_FD_PATH)
		return false;
	return (e->kind == OG_FDK_PARENT) == (e->fd == OG_FD_PARENT_FD);
}

static int by_key_open(const void *a, const void *b)
{
	const struct og_fd_entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->open_ns < y->open_ns ? -1 : x->open_ns > y->open_ns;
}

int og_fd_table_load(struct og_fd_table *t, const void *elems, size_t len, const char *what)
{
	size_t nelem = len / OG_ELEM_SIZE;
	const uint8_t *base = elems;

	memset(t, 0, sizeof(*t));
	if (len % OG_ELEM_SIZE || nelem > OG_FD_ELEMS_MAX)
		return og_err(EPROTO, "fd table %s: %zu bytes, not a whole number of elements (at most %u)", what, len,
			      OG_FD_ELEMS_MAX);
	if (!nelem)
		return 0;
	t->e = calloc(nelem * OG_FD_PER_ELEM, sizeof(*t->e));
	if (!t->e)
		return og_err(ENOMEM, "fd table %s", what);
	for (size_t k = 0; k < nelem; k++) {
		const struct og_fd_elem *el = (const void *)(base + k * OG_ELEM_SIZE);

		for (size_t i = 0; i < OG_FD_PER_ELEM; i++) {
			struct og_fd_entry e;

			/* Copied first: a live table changes under us. */
			memcpy(&e, &el->e[i], sizeof(e));
			if (!e.key)
				continue;
			if (!entry_valid(&e)) {
				t->skipped++;
				continue;
			}
			t->e[t->n++] = e;
		}
	}
	if (t->n)
		qsort(t->e, t->n, sizeof(*t->e), by_key_open);
	return 0;
}

void og_fd_table_free(struct og_fd_table *t)
{
	free(t->e);
	memset(t, 0, sizeof(*t));
}

/* The first entry of key, or t->n. */
static size_t first_of(const struct og_fd_table *t, uint64_t key)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->e[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Open at ts: opened before it, and not closed by then (an entry of a
 * process that ended has no known end). */
static bool open_at(const struct og_fd_entry *e, uint64_t ts)
{
	return e->open_ns <= ts && (!e->close_ns || e->close_ns == CLOSED_EXIT || ts < e->close_ns);
}

const struct og_fd_entry *og_fd_table_find(const struct og_fd_table *t, uint32_t tgid, uint32_t fd, uint64_t ts)
{
	bool cloexec_gone = false;

	for (int depth = 0; depth < PARENT_DEPTH && t->n; depth++) {
		uint64_t key = og_fd_key(tgid, fd), pkey = og_fd_key(tgid, OG_FD_PARENT_FD);
		const struct og_fd_entry *hit = NULL, *link = NULL;
		bool own = false;

		if (fd == OG_FD_PARENT_FD)
			return NULL;
		for (size_t i = first_of(t, key); i < t->n && t->e[i].key == key; i++) {
			if (t->e[i].open_ns <= ts)
				own = true;
			if (open_at(&t->e[i], ts))
				hit = &t->e[i]; /* the latest such, by open_ns */
		}
		if (hit && cloexec_gone && (hit->flags & OG_FDF_CLOEXEC))
			return NULL;
		if (hit)
			return hit;
		/* Its own fd, closed by ts: what it inherited is gone. */
		if (own)
			return NULL;
		for (size_t i = first_of(t, pkey); i < t->n && t->e[i].key == pkey; i++)
			if (t->e[i].open_ns <= ts)
				link = &t->e[i];
		if (!link || link->parent == tgid)
			return NULL;
		/* Past the process's first exec, the parent's close-on-exec
		 * fds were not inherited (checked at each generation up). */
		cloexec_gone |= link->exec_ns && link->exec_ns <= ts;
		tgid = link->parent;
		ts = link->open_ns;
	}
	return NULL;
}

const struct og_fd_entry *og_fd_table_made(const struct og_fd_table *t, uint32_t tgid, uint32_t fd, uint64_t lo,
					   uint64_t hi, int16_t nr)
{
	uint64_t key = og_fd_key(tgid, fd);

	if (fd == OG_FD_PARENT_FD)
		return NULL;
	for (size_t i = first_of(t, key); i < t->n && t->e[i].key == key; i++)
		if (t->e[i].open_ns >= lo && t->e[i].open_ns <= hi && t->e[i].nr == nr)
			return &t->e[i];
	return NULL;
}

/* "TCP", "UDP", "TCPv6"...: strace's names of inet sockets. */
static const char *inet_proto(const struct og_fd_entry *e)
{
	static const struct {
		uint8_t type, protocol;
		const char *name;
	} protos[] = {
		{SOCK_STREAM, 0, "TCP"},     {SOCK_DGRAM, 0, "UDP"},  {SOCK_RAW, 0, "RAW"},
		{SOCK_SEQPACKET, 0, "SCTP"}, {SOCK_DGRAM, 1, "PING"}, /* IPPROTO_ICMP */
	};
	const char *name = "INET";

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].type == e->sock.type && (!protos[i].protocol || protos[i].protocol == e->sock.protocol))
			name = protos[i].name;
	return name;
}

/* Bytes as they may go between the angle brackets: printable ASCII but
 * '<', '>' and '\\', else \xNN. */
static size_t put_escaped(char *buf, size_t size, size_t o, const char *s, size_t len)
{
	for (size_t i = 0; i < len && o + 1 < size; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '<' && c != '>' && c != '\\') {
			buf[o++] = c;
		} else {
			if (o + 5 > size)
				break;
			o += snprintf(buf + o, size - o, "\\x%02x", c);
		}
	}
	buf[o < size ? o : size - 1] = '\0';
	return o;
}

static void inet_endpoint(const struct og_fd_entry *e, const uint8_t *addr, uint16_t port, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(e->sock.family, addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, size, e->sock.family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
}

size_t og_fd_path_clean(char *path, size_t len)
{
	size_t o = 1, i = 1;

	if (!len || path[0] != '/')
		return len;
	while (i < len) {
		size_t end = i, n;

		while (end < len && path[end] != '/')
			end++;
		n = end - i;
		/* ".." at the root is the root; anywhere else it is kept: the
		 * component before may be a symlink. */
		if (n == 0 || (n == 1 && path[i] == '.') ||
		    (n == 2 && path[i] == '.' && path[i + 1] == '.' && o == 1)) {
			i = end + 1;
			continue;
		}
		if (o > 1)
			path[o++] = '/';
		memmove(path + o, path + i, n);
		o += n;
		i = end + 1;
	}
	if (o < len)
		path[o] = '\0';
	return o;
}

/* An fd the row of the syscall that made it names (og_syscall_fd_form):
 * "%s" its name. */
static bool form_text(const struct og_fd_entry *e, char *buf, size_t size, size_t len)
{
	const char *form = e->maker_nr > 0 ? og_syscall_fd_form(e->flags & OG_FDF_I386 ? OG_ARCH_I386 : OG_ARCH_X86_64,
								e->maker_nr)
					   : NULL;
	const char *name = form ? strstr(form, "%s") : NULL;
	size_t o;

	if (!form)
		return false;
	if (!name) {
		snprintf(buf, size, "%s", form);
		return true;
	}
	o = put_escaped(buf, size, 0, form, name - form);
	o = put_escaped(buf, size, o, e->path, len);
	if (e->flags & OG_FDF_TRUNCATED)
		o = put_escaped(buf, size, o, "...", 3);
	put_escaped(buf, size, o, name + 2, strlen(name + 2));
	return true;
}

void og_fd_entry_text(const struct og_fd_entry *e, char *buf, size_t size)
{
	static const uint8_t zero[16];
	size_t o, len = e->len < OG_FD_PATH ? e->len : OG_FD_PATH - 1;
	char l[64], r[64];

	if (!size)
		return;
	buf[0] = '\0';
	switch (e->kind) {
	case OG_FDK_FILE: {
		char path[OG_FD_PATH];

		memcpy(path, e->path, len);
		len = og_fd_path_clean(path, len);
		o = put_escaped(buf, size, 0, path, len);
		if (e->flags & OG_FDF_TRUNCATED)
			put_escaped(buf, size, o, "...", 3);
		return;
	}
	case OG_FDK_PIPE: snprintf(buf, size, "pipe:[%llu]", (unsigned long long)e->ino); return;
	case OG_FDK_SOCKET: break;
	default:
		if (!form_text(e, buf, size, len))
			snprintf(buf, size, "inode:[%llu]", (unsigned long long)e->ino);
		return;
	}
	/* A unix socket without a name (socketpair's, a client's) has no
	 * endpoint to show: strace -y's form. */
	if (e->sock.family == AF_UNIX && !len) {
		snprintf(buf, size, "socket:[%llu]", (unsigned long long)e->ino);
		return;
	}
	if (e->sock.family == AF_UNIX) {
		o = snprintf(buf, size, "UNIX:");
		if (o >= size)
			return;
		/* An abstract name starts with a NUL: '@', as ss shows it. */
		if (!e->path[0]) {
			o = put_escaped(buf, size, o, "@", 1);
			put_escaped(buf, size, o, e->path + 1, len - 1);
		} else {
			put_escaped(buf, size, o, e->path, len);
		}
		return;
	}
	if (e->sock.family != AF_INET && e->sock.family != AF_INET6) {
		snprintf(buf, size, "socket:[%llu]", (unsigned long long)e->ino);
		return;
	}
	inet_endpoint(e, e->sock.laddr, e->sock.lport, l, sizeof(l));
	inet_endpoint(e, e->sock.raddr, e->sock.rport, r, sizeof(r));
	if (e->sock.rport || memcmp(e->sock.raddr, zero, e->sock.family == AF_INET6 ? 16 : 4))
		snprintf(buf, size, "%s%s:%s->%s", inet_proto(e), e->sock.family == AF_INET6 ? "v6" : "", l, r);
	else if (e->sock.lport)
		snprintf(buf, size, "%s%s:%s", inet_proto(e), e->sock.family == AF_INET6 ? "v6" : "", l);
	else
		snprintf(buf, size, "%s%s:[%llu]", inet_proto(e), e->sock.family == AF_INET6 ? "v6" : "",
			 (unsigned long long)e->ino);
}

int og_fd_table_put(void *elems, uint32_t nelem, const struct og_fd_entry *e)
{
	struct og_fd_elem *el;

	if (!nelem || nelem > OG_FD_ELEMS_MAX)
		return og_err(EINVAL, "fd table of %u elements", nelem);
	el = (struct og_fd_elem *)elems + og_fd_elem_of(e->key, nelem);
	for (uint32_t j = 0; j < OG_FD_PROBES; j++) {
		struct og_fd_entry *s = &el->e[(og_fd_slot_of(e->key) + j) % OG_FD_PER_ELEM];
		__u64 zero = 0;

		/* The programs may write the table meanwhile: the same claim. */
		if (!__atomic_compare_exchange_n(&s->key, &zero, e->key, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			continue;
		memcpy((char *)s + offsetof(struct og_fd_entry, close_ns),
		       (const char *)e + offsetof(struct og_fd_entry, close_ns),
		       sizeof(*s) - offsetof(struct og_fd_entry, close_ns));
		__atomic_store_n(&s->open_ns, e->open_ns, __ATOMIC_RELEASE);
		return 0;
	}
	return og_err(ENOSPC, "fd table: no free slot for process %u's fd %u", e->tgid, e->fd);
}

/* What /proc says fd is: "pipe:[N]", "socket:[N]", "anon_inode:..." or a
 * path (the hook's view of it). false: nothing to keep. */
static bool seed_entry(int pid, int fd, uint64_t now_ns, struct og_fd_entry *e)
{
	char link[64], target[OG_FD_PATH + 1], *info = NULL;
	unsigned long long ino;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/fd/%d", pid, fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	*e = (struct og_fd_entry){.key = og_fd_key(pid, fd), .open_ns = now_ns, .tgid = pid, .fd = fd, .nr = -1};
	if (sscanf(target, "pipe:[%llu]", &ino) == 1) {
		e->kind = OG_FDK_PIPE;
		e->ino = ino;
	} else if (sscanf(target, "socket:[%llu]", &ino) == 1) {
		e->kind = OG_FDK_SOCKET; /* endpoints not known: socket:[N] */
		e->ino = ino;
	} else if (target[0] == '/') {
		e->kind = OG_FDK_FILE;
		e->len = n < OG_FD_PATH ? n : OG_FD_PATH - 1;
		memcpy(e->path, target, e->len);
		if (n >= OG_FD_PATH)
			e->flags |= OG_FDF_TRUNCATED;
	} else {
		return false; /* anon_inode:[eventfd]...: not described */
	}
	snprintf(link, sizeof(link), "/proc/%d/fdinfo/%d", pid, fd);
	if (og_read_file(link, 4096, &info, NULL) == 0) {
		const char *f = strstr(info, "flags:");
		unsigned long flags;

		if (f && sscanf(f, "flags: %lo", &flags) == 1 && (flags & 02000000))
			e->flags |= OG_FDF_CLOEXEC;
		free(info);
	}
	return true;
}

/* The working directory entry (OG_FD_CWD_FD) of process pid: false for
 * no absolute path (the OCI spec wants one) or one too long to keep. */
bool og_fd_cwd_entry(int pid, const char *cwd, uint64_t now_ns, struct og_fd_entry *e)
{
	size_t n = cwd ? strlen(cwd) : 0;

	if (!n || cwd[0] != '/' || n >= OG_FD_PATH)
		return false;
	*e = (struct og_fd_entry){.key = og_fd_key(pid, OG_FD_CWD_FD),
				  .open_ns = now_ns,
				  .tgid = pid,
				  .fd = OG_FD_CWD_FD,
				  .kind = OG_FDK_FILE,
				  .nr = -1,
				  .len = n};
	memcpy(e->path, cwd, n);
	return true;
}

int og_fd_table_seed(int ring_fd, uint32_t chunks, int pid, const char *cwd, uint64_t now_ns)
{
	size_t len = ((size_t)chunks + 1 + OG_FD_ELEMS) * OG_ELEM_SIZE, page = sysconf(_SC_PAGESIZE);
	const struct og_ring_header *h;
	struct og_fd_entry e;
	uint8_t *map, *elems;
	int n = 0;

	len = (len + page - 1) / page * page;
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, ring_fd, 0);
	if (map == MAP_FAILED)
		return og_err(errno, "mmap ring to seed its fd table");
	h = (const void *)map;
	if (!(h->flags & OG_RING_F_FDS) || h->chunk_count != chunks ||
	    ((const struct og_ring_fds *)(map + OG_FDS_OFF))->elems != OG_FD_ELEMS) {
		munmap(map, len);
		return og_err(ENODATA, "ring of %u chunks has no fd table of %u elements", chunks, OG_FD_ELEMS);
	}
	elems = map + ((size_t)chunks + 1) * OG_ELEM_SIZE;
	for (int fd = 0; fd < OG_FD_SEED_MAX; fd++)
		if (seed_entry(pid, fd, now_ns, &e) && og_fd_table_put(elems, OG_FD_ELEMS, &e) == 0)
			n++;
	/* Where the init will run: its runtime is not there yet. */
	if (og_fd_cwd_entry(pid, cwd, now_ns, &e) && og_fd_table_put(elems, OG_FD_ELEMS, &e) == 0)
		n++;
	munmap(map, len);
	return n;
}
