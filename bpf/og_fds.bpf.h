/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The container's fd table (og_format.h, struct og_fd_entry), kept at
 * sys_exit by the syscalls whose row has an fd effect (enum og_fd_op), by
 * a fork's child (role FORK: a link to its parent) and by a successful
 * exec (role EXEC: close-on-exec fds closed). Nothing here runs for the
 * other syscalls but a flag test of their row. The table is elements of
 * the ring's own map after its chunks.
 *
 * Included once, by syscalls.bpf.c, after its row lookup and register
 * helpers; its one entry point is fds_exit.
 */
#ifndef OG_FDS_BPF_H
#define OG_FDS_BPF_H

#define OG_O_CLOEXEC 02000000 /* SOCK_CLOEXEC is the same bit */
#define OG_F_DUPFD 0
#define OG_F_SETFD 2
#define OG_F_DUPFD_CLOEXEC 1030
#define OG_FD_CLOEXEC 1
#define OG_CLOSE_RANGE_CLOEXEC 4
#define OG_S_IFIFO 0010000
#define OG_FD_MASK (OG_FD_PER_ELEM - 1)
/* close_ns of an open entry whose process ended (found when its slot was
 * wanted): closed, when is not known. */
#define OG_FD_CLOSED_EXIT 1

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

/* The table of a ring: where its elements start in the ring's map. */
struct fd_table {
	void *ring;
	struct og_ring_fds *cnt;
	__u32 base; /* key of its first element: chunk_count + 1 */
	__u32 elems;
};

static __always_inline bool fds_of(struct ring_ref *rr, struct fd_table *t)
{
	struct og_ring_fds *f = (void *)rr->hdr + OG_FDS_OFF;

	if (!(rr->hdr->flags & OG_RING_F_FDS))
		return false;
	t->elems = f->elems;
	if (!t->elems || t->elems > OG_FD_ELEMS_MAX)
		return false;
	t->ring = rr->ring;
	t->cnt = f;
	t->base = rr->hdr->chunk_mask + 2;
	return true;
}

static __always_inline struct og_fd_elem *fd_elem(struct fd_table *t, __u64 key)
{
	__u32 k = t->base + og_fd_elem_of(key, t->elems);

	return bpf_map_lookup_elem(t->ring, &k);
}

/* The slot of key's entry in el open at time at (0: now), or -1. A slot
 * is never freed: the first never-used slot ends the search. */
__noinline int og_fd_find(struct og_fd_elem *el, __u64 key, __u64 at)
{
	__u32 start = og_fd_slot_of(key);

	if (!el)
		return -1;
	for (__u32 j = 0; j < OG_FD_PROBES; j++) {
		__u32 i = (start + j) & OG_FD_MASK;
		struct og_fd_entry *e = &el->e[i];
		__u64 k = READ_ONCE(e->key);

		__u64 o, c;

		if (!k)
			return -1;
		if (k != key)
			continue;
		o = READ_ONCE(e->open_ns);
		c = READ_ONCE(e->close_ns);
		if (o && (at ? o <= at && (!c || c == OG_FD_CLOSED_EXIT || c > at) : !c))
			return i;
	}
	return -1;
}

static __always_inline bool tgid_alive(__u32 tgid)
{
	struct task_struct *t = bpf_task_from_pid(tgid);

	if (!t)
		return false;
	bpf_task_release(t);
	return true;
}

/*
 * A slot for key in el at time now, its open_ns 0 (being written), or -1
 * (counted in full). The key's open entry, if any, is closed first (a
 * dup2 onto an open fd, a close the table did not see). A never-used
 * slot is taken first, else the entry closed longest ago, an open entry
 * of a process that ended counting as closed.
 */
__noinline int og_fd_claim(struct og_fd_elem *el, struct og_ring_fds *cnt, __u64 key, __u64 now)
{
	__u32 start = og_fd_slot_of(key);
	__u64 best_close = ~0ULL;
	int best = -1;

	if (!el || !cnt)
		return -1;
	for (__u32 j = 0; j < OG_FD_PROBES; j++) {
		__u32 i = (start + j) & OG_FD_MASK;
		struct og_fd_entry *e = &el->e[i];
		__u64 k = READ_ONCE(e->key), c;

		if (!k) {
			if (__sync_val_compare_and_swap(&e->key, 0, key) == 0)
				return i;
			k = READ_ONCE(e->key);
		}
		c = READ_ONCE(e->close_ns);
		if (!c && k == key && READ_ONCE(e->open_ns)) {
			WRITE_ONCE(e->close_ns, now);
			c = now;
		} else if (!c && READ_ONCE(e->open_ns) && !tgid_alive(k >> 32)) {
			if (__sync_val_compare_and_swap(&e->close_ns, 0, OG_FD_CLOSED_EXIT) == 0)
				c = OG_FD_CLOSED_EXIT;
		}
		if (c && c < best_close) {
			best_close = c;
			best = i;
		}
	}
	if (best >= 0) {
		struct og_fd_entry *e = &el->e[best & OG_FD_MASK];

		if (__sync_val_compare_and_swap(&e->close_ns, best_close, 0) == best_close) {
			WRITE_ONCE(e->open_ns, 0);
			barrier();
			WRITE_ONCE(e->key, key);
			__sync_fetch_and_add(&cnt->reused, 1);
			return best;
		}
	}
	__sync_fetch_and_add(&cnt->full, 1);
	return -1;
}

/* The file open as fd in the current task, or NULL. */
static __always_inline struct file *fd_file(__u64 fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	unsigned int max = BPF_CORE_READ(task, files, fdt, max_fds);
	struct file *f = NULL;

	if (fd >= max || bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) < 0)
		return NULL;
	return f;
}

/* A unix socket's bound name into the entry's path (an abstract name
 * keeps its leading NUL, shown as '@'). */
static __always_inline void fd_unix_name(struct og_fd_entry *e, struct sock *sk)
{
	struct unix_address *ua = BPF_CORE_READ((struct unix_sock *)sk, addr);
	__u32 len;

	if (!ua)
		return;
	len = BPF_CORE_READ(ua, len);
	if (len <= 2 || len > 0xffff)
		return;
	len -= 2;
	if (len > OG_FD_PATH - 1)
		len = OG_FD_PATH - 1;
	barrier_var(len);
	len &= 0xff;
	if (len && len < OG_FD_PATH && bpf_probe_read_kernel(e->path, len, &ua->name[0].sun_path) == 0)
		e->len = len;
}

/* What the kernel says fd is: a socket's family, type and endpoints, a
 * pipe, or another file's inode. */
__noinline int og_fd_describe(struct og_fd_entry *e, __u64 fd)
{
	struct file *f;
	struct sock *sk;
	struct socket *so;
	__u32 mode;

	if (!e)
		return 0;
	f = fd_file(fd);
	if (!f)
		return 0;
	mode = BPF_CORE_READ(f, f_inode, i_mode) & OG_S_IFMT;
	e->ino = BPF_CORE_READ(f, f_inode, i_ino);
	e->kind = mode == OG_S_IFIFO ? OG_FDK_PIPE : OG_FDK_OTHER;
	if (mode != OG_S_IFSOCK)
		return 0;
	e->kind = OG_FDK_SOCKET;
	so = BPF_CORE_READ(f, private_data);
	sk = so ? BPF_CORE_READ(so, sk) : NULL;
	if (!sk)
		return 0;
	e->sock.family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->sock.type = BPF_CORE_READ(sk, sk_type);
	e->sock.protocol = BPF_CORE_READ(sk, sk_protocol);
	e->sock.lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->sock.rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	switch (e->sock.family) {
	case OG_AF_INET:
		bpf_core_read(e->sock.laddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(e->sock.raddr, 4, &sk->__sk_common.skc_daddr);
		break;
	case OG_AF_INET6:
		bpf_core_read(e->sock.laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(e->sock.raddr, 16, &sk->__sk_common.skc_v6_daddr);
		break;
	case OG_AF_UNIX: fd_unix_name(e, sk); break;
	}
	return 0;
}

/* Names entry e as tgid's fd, made by syscall nr; its open_ns, stored
 * last, publishes it. */
static __always_inline void fd_name(struct og_fd_entry *e, __u32 tgid, __u32 fd, __s16 nr, __u8 flags)
{
	e->tgid = tgid;
	e->fd = fd;
	e->nr = nr;
	e->flags = flags | (task_is_compat(bpf_get_current_task_btf()) ? OG_FDF_I386 : 0);
}

static __always_inline void fd_publish(struct og_fd_entry *e, __u32 tgid, __u32 fd, __s16 nr, __u8 flags, __u64 now)
{
	fd_name(e, tgid, fd, nr, flags);
	barrier();
	WRITE_ONCE(e->open_ns, now);
}

/* Clears what a reused entry held before. */
static __always_inline void fd_clear(struct og_fd_entry *e)
{
	e->kind = 0;
	e->parent = 0;
	e->ino = 0;
	e->len = 0;
	e->maker_nr = 0;
	__builtin_memset(&e->sock, 0, sizeof(e->sock));
}

/* What the global functions below are told in one argument (five at
 * most): the fd, the entry's OG_FDF_* flags, its kind when the caller
 * knows it (OG_FDK_FILE: a path; OG_FDK_OTHER: an anonymous fd, named by
 * its syscall; 0: what the kernel says) and the syscall that made it. */
#define FD_HOW(fd, flags, kind, nr) \
	((__u64)(__u32)(fd) | ((__u64)(flags)&0xff) << 32 | ((__u64)(kind)&0xff) << 40 | (__u64)(__u16)(nr) << 48)

#define FD_HOW_FD(h) ((__u32)(h))
#define FD_HOW_FLAGS(h) ((__u32)((h) >> 32) & 0xff)
#define FD_HOW_KIND(h) ((__u32)((h) >> 40) & 0xff)
#define FD_HOW_NR(h) ((__s16)((h) >> 48))

/* A cleared entry claimed for tgid's fd in el, or NULL. */
static __always_inline struct og_fd_entry *fd_new(struct og_fd_elem *el, struct og_ring_fds *cnt, __u32 tgid, __u32 fd,
						  __u64 now)
{
	struct og_fd_entry *e;
	int i;

	if (!el || !cnt)
		return NULL;
	i = og_fd_claim(el, cnt, og_fd_key(tgid, fd), now);
	if (i < 0)
		return NULL;
	e = &el->e[i & OG_FD_MASK];
	fd_clear(e);
	return e;
}

/* The bytes of base's path a relative path at upath is joined to (the
 * directory it is relative to, as the table had it), 0: none (an
 * absolute path, no base, a base that is no absolute directory path). */
static __always_inline __u32 fd_join_len(struct og_fd_entry *base, __u64 upath)
{
	char c = 0;
	__u32 len;

	if (!base || READ_ONCE(base->kind) != OG_FDK_FILE || (READ_ONCE(base->flags) & OG_FDF_TRUNCATED) ||
	    base->path[0] != '/' || bpf_probe_read_user(&c, 1, (void *)upath) < 0 || !c || c == '/')
		return 0;
	len = READ_ONCE(base->len);
	return len < OG_FD_PATH - 2 ? len : 0;
}

/*
 * fd, new, unpublished (open_ns 0; fd_put publishes it): a file at the
 * path in user memory, a relative one joined to base's path (its dirfd's
 * or working directory's entry, or NULL); or what the kernel says it is,
 * with the name at upath (memfd_create's) when there is one. Returns its
 * slot in el, or -1.
 */
__noinline int og_fd_put(struct og_fd_elem *el, struct og_ring_fds *cnt, struct og_fd_entry *base, __u64 how,
			 __u64 upath)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, flags = FD_HOW_FLAGS(how), off = 0;
	struct og_fd_entry *e;
	long n;
	int i;

	if (!el || !cnt)
		return -1;
	/* Read before the claim: base may be the slot the claim reuses (a
	 * chdir relative to the directory it replaces). */
	if (upath && FD_HOW_KIND(how) == OG_FDK_FILE)
		off = fd_join_len(base, upath);
	/* fd_put closed the fd's open entry as of the exit: this time only
	 * closes one a writer on another CPU made meanwhile. */
	i = og_fd_claim(el, cnt, og_fd_key(tgid, FD_HOW_FD(how)), bpf_ktime_get_boot_ns());
	if (i < 0)
		return -1;
	e = &el->e[i & OG_FD_MASK];
	fd_clear(e);
	if (upath && FD_HOW_KIND(how) == OG_FDK_FILE) {
		e->kind = OG_FDK_FILE;
		if (off && base && base != e)
			__builtin_memcpy(e->path, base->path, OG_FD_PATH);
		off &= 0xff;
		if (off && off < OG_FD_PATH - 2 && e->path[(off - 1) & 0xff] != '/')
			e->path[off++ & 0xff] = '/';
		if (off < OG_FD_PATH - 1) {
			n = bpf_probe_read_user_str(e->path + off, OG_FD_PATH - off, (void *)upath);
			if (n > 0)
				e->len = off + n - 1;
			if (n == OG_FD_PATH - off)
				flags |= OG_FDF_TRUNCATED;
		}
	} else {
		og_fd_describe(e, FD_HOW_FD(how));
		/* An anonymous fd: its row names it, and its copies. */
		if (FD_HOW_KIND(how) == OG_FDK_OTHER && e->kind == OG_FDK_OTHER)
			e->maker_nr = FD_HOW_NR(how);
		n = upath ? bpf_probe_read_user_str(e->path, OG_FD_PATH, (void *)upath) : 0;
		if (n > 0)
			e->len = n - 1;
		if (n == OG_FD_PATH)
			flags |= OG_FDF_TRUNCATED;
	}
	fd_name(e, tgid, FD_HOW_FD(how), FD_HOW_NR(how), flags);
	return i;
}

/* og_fd_put as of now (its record's exit): what the fd was closed then,
 * the new entry published then. */
static __always_inline void fd_put(struct og_fd_elem *el, struct og_ring_fds *cnt, struct og_fd_entry *base, __u64 how,
				   __u64 upath, __u64 now)
{
	int i = og_fd_find(el, og_fd_key(bpf_get_current_pid_tgid() >> 32, FD_HOW_FD(how)), 0);

	if (i >= 0 && el)
		WRITE_ONCE(el->e[i & OG_FD_MASK].close_ns, now);
	i = og_fd_put(el, cnt, base, how, upath);

	if (i >= 0 && el) {
		barrier();
		WRITE_ONCE(el->e[i & OG_FD_MASK].open_ns, now);
	}
}

/* fd, new: a copy of src (dup, dup2, dup3, fcntl F_DUPFD), with its own
 * close-on-exec flag. */
__noinline int og_fd_copy(struct og_fd_elem *el, struct og_ring_fds *cnt, struct og_fd_entry *src, __u64 how, __u64 now)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct og_fd_entry *e;

	if (!src)
		return 0;
	e = fd_new(el, cnt, tgid, FD_HOW_FD(how), now);
	if (!e)
		return 0;
	e->kind = src->kind;
	e->ino = src->ino;
	e->sock = src->sock;
	e->len = src->len;
	e->maker_nr = src->maker_nr;
	__builtin_memcpy(e->path, src->path, OG_FD_PATH);
	fd_publish(e, tgid, FD_HOW_FD(how), FD_HOW_NR(how), FD_HOW_FLAGS(how) | (src->flags & OG_FDF_TRUNCATED), now);
	return 0;
}

/* A forked process's link to its parent. */
__noinline int og_fd_link(struct og_fd_elem *el, struct og_ring_fds *cnt, __u32 parent, __u32 nr, __u64 now)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct og_fd_entry *e = fd_new(el, cnt, tgid, OG_FD_PARENT_FD, now);

	if (!e)
		return 0;
	e->kind = OG_FDK_PARENT;
	e->parent = parent;
	fd_publish(e, tgid, OG_FD_PARENT_FD, nr, 0, now);
	return 0;
}

#define FD_SCAN_CLOSE 0	  /* close_range */
#define FD_SCAN_CLOEXEC 1 /* close_range with CLOSE_RANGE_CLOEXEC */
#define FD_SCAN_EXEC 2	  /* a successful exec: the close-on-exec ones closed */

struct fd_scan {
	struct og_fd_elem *el;
	__u64 now;
	__u32 tgid, lo, hi, what;
};

/* One entry of a scan, a bpf_loop callback: verified once, not once per
 * iteration (a 128-iteration loop doubled the programs' load time). */
static long fd_scan_one(__u64 i, void *arg)
{
	struct fd_scan *c = arg;
	struct og_fd_entry *e;

	if (!c->el || i >= OG_FD_PER_ELEM)
		return 1;
	e = &c->el->e[i & OG_FD_MASK];
	if (READ_ONCE(e->key) >> 32 != c->tgid || e->fd < c->lo || e->fd > c->hi || OG_FD_RESERVED(e->fd) ||
	    e->close_ns || !e->open_ns)
		return 0;
	if (c->what == FD_SCAN_CLOEXEC)
		e->flags |= OG_FDF_CLOEXEC;
	else if (c->what == FD_SCAN_CLOSE || (e->flags & OG_FDF_CLOEXEC))
		WRITE_ONCE(e->close_ns, c->now);
	return 0;
}

/* tgid's open fds lo..hi of one element, closed or marked. */
__noinline int og_fd_scan(struct og_fd_elem *el, __u32 tgid, __u32 lo, __u32 hi, __u32 what)
{
	struct fd_scan c = {.el = el, .now = bpf_ktime_get_boot_ns(), .tgid = tgid, .lo = lo, .hi = hi, .what = what};

	if (!el)
		return 0;
	bpf_loop(OG_FD_PER_ELEM, fd_scan_one, &c, 0);
	return 0;
}

static __always_inline void fd_scan_all(struct fd_table *t, __u32 tgid, __u32 lo, __u32 hi, __u32 what)
{
	for (__u32 k = 0; k < OG_FD_ELEMS_MAX; k++) {
		__u32 key = t->base + k;

		if (k >= t->elems)
			break;
		og_fd_scan(bpf_map_lookup_elem(t->ring, &key), tgid, lo, hi, what);
	}
}

/* tgid's open entry for fd, or what its parent had as fd when it forked
 * it (an fd it inherited: the parent may have closed it since), or NULL. */
static __always_inline struct og_fd_entry *fd_lookup(struct fd_table *t, __u32 tgid, __u32 fd)
{
	__u64 key = og_fd_key(tgid, fd), exec_ns;
	struct og_fd_elem *el = fd_elem(t, key);
	int i = og_fd_find(el, key, 0);

	if (i < 0) {
		struct og_fd_entry *link;

		key = og_fd_key(tgid, OG_FD_PARENT_FD);
		el = fd_elem(t, key);
		i = og_fd_find(el, key, 0);
		if (i < 0 || !el)
			return NULL;
		link = &el->e[i & OG_FD_MASK];
		exec_ns = link->exec_ns;
		key = og_fd_key(link->parent, fd);
		el = fd_elem(t, key);
		i = og_fd_find(el, key, link->open_ns);
		/* The process exec'd since: what was close-on-exec is gone. */
		if (i >= 0 && el && exec_ns && (el->e[i & OG_FD_MASK].flags & OG_FDF_CLOEXEC))
			return NULL;
	}
	/* Tested apart: clang would add the offset before the test, which
	 * the verifier refuses on a pointer that may be NULL. */
	if (!el || i < 0)
		return NULL;
	barrier_var(el);
	return &el->e[i & OG_FD_MASK];
}

static __always_inline __u32 fd_cloexec(struct pt_regs *regs, const struct og_syscall_desc *d, bool compat)
{
	__u8 a = OG_FD_FLAGS_ARG(d);

	return a < OG_NARGS && (regs_arg(regs, a, compat) & OG_O_CLOEXEC) ? OG_FDF_CLOEXEC : 0;
}

/*
 * sys_exit of syscall nr: what it did to the fd table, by its row. ret
 * is its result; only a success changes anything (a connect in progress
 * has its endpoints already).
 */
static __always_inline void fds_exit(struct ring_ref *rr, struct pt_regs *regs, long nr, bool compat, long ret,
				     __u64 now)
{
	const struct og_syscall_desc *d;
	struct task_struct *task;
	struct og_fd_entry *src;
	struct og_fd_elem *el;
	struct fd_table t;
	__u64 key, a0, to = ret;
	__u32 tgid, flags = 0;
	__u8 op, a;

	if ((og_ablate & OG_ABLATE_FDS) || !(rr->hdr->flags & OG_RING_F_FDS) || (ret < 0 && ret != -OG_EINPROGRESS))
		return;
	d = desc_lookup(nr, compat);
	if (!d || !(d->flags & (OG_DESC_FD_OP | OG_DESC_ROLE)) || !fds_of(rr, &t))
		return;
	/* The exit's own time when it has one: a new fd's open_ns is then
	 * its record's exit time, and a reader finds the entry a returned
	 * fd made exactly (og_fds.c). */
	if (!now)
		now = bpf_ktime_get_boot_ns();
	task = bpf_get_current_task_btf();
	tgid = task->tgid;
	op = d->flags & OG_DESC_FD_OP ? d->fd_op : OG_FD_OP_NONE;
	a = OG_FD_ARG(d);
	a0 = regs_arg(regs, 0, compat);
	if (ret == -OG_EINPROGRESS && op != OG_FD_OP_ENDPOINTS)
		return;
	if (op == OG_FD_OP_NONE) {
		if (desc_role(d) == OG_ROLE_FORK && ret == 0 && task->pid == task->tgid) {
			key = og_fd_key(tgid, OG_FD_PARENT_FD);
			/* As of the fork (the child's start), not of its
			 * first return: the parent may close what it passed
			 * on before the child runs. */
			og_fd_link(fd_elem(&t, key), t.cnt, task->real_parent->tgid, nr, task->start_boottime);
		} else if (desc_role(d) == OG_ROLE_EXEC && ret == 0) {
			int i;

			fd_scan_all(&t, tgid, 0, ~0U, FD_SCAN_EXEC);
			/* Inherited fds are the parent's entries: the link says
			 * from when its close-on-exec ones are gone. */
			key = og_fd_key(tgid, OG_FD_PARENT_FD);
			el = fd_elem(&t, key);
			i = og_fd_find(el, key, 0);
			if (i >= 0 && el && !el->e[i & OG_FD_MASK].exec_ns)
				el->e[i & OG_FD_MASK].exec_ns = now;
		}
		return;
	}
	switch (op) {
	case OG_FD_OP_OPEN:
	case OG_FD_OP_OPEN_HOW:
	case OG_FD_OP_CHDIR: {
		__u32 dirfd = OG_FD_CWD_FD;

		if (op == OG_FD_OP_CHDIR)
			to = OG_FD_CWD_FD;
		if (op == OG_FD_OP_OPEN) {
			flags = fd_cloexec(regs, d, compat);
		} else if (op == OG_FD_OP_OPEN_HOW && OG_FD_FLAGS_ARG(d) < OG_NARGS) {
			__u64 how = 0;

			bpf_probe_read_user(&how, sizeof(how), (void *)regs_arg(regs, OG_FD_FLAGS_ARG(d), compat));
			flags = how & OG_O_CLOEXEC ? OG_FDF_CLOEXEC : 0;
		}
		key = og_fd_key(tgid, to);
		if (a >= OG_NARGS)
			return;
		/* capture-paths off: the file is described as the kernel sees
		 * it (an inode), its name not kept. */
		if (rr->hdr->flags & OG_RING_F_NO_PATHS) {
			fd_put(fd_elem(&t, key), t.cnt, NULL, FD_HOW(to, flags, 0, nr), 0, now);
			return;
		}
		/* A relative path is relative to the dirfd argument before it
		 * (the row's types say which), else to the working directory. */
		if (a > 0 && d->fmt[(a - 1) & 7] == OG_FMT_DIRFD)
			dirfd = regs_arg(regs, a - 1, compat);
		src = fd_lookup(&t, tgid, dirfd);
		fd_put(fd_elem(&t, key), t.cnt, src, FD_HOW(to, flags, OG_FDK_FILE, nr), regs_arg(regs, a, compat),
		       now);
		return;
	}
	case OG_FD_OP_SOCKET:
	case OG_FD_OP_ACCEPT:
	case OG_FD_OP_ANON:
		key = og_fd_key(tgid, ret);
		/* The name an anonymous fd was given (memfd_create's) is its
		 * path argument. */
		fd_put(fd_elem(&t, key), t.cnt, NULL,
		       FD_HOW(ret, fd_cloexec(regs, d, compat), op == OG_FD_OP_ANON ? OG_FDK_OTHER : 0, nr),
		       op == OG_FD_OP_ANON && a < OG_NARGS ? regs_arg(regs, a, compat) : 0, now);
		return;
	case OG_FD_OP_ENDPOINTS:
		/* Read again from the socket: a bind or a connect gave it
		 * endpoints. Its close-on-exec flag stays. */
		src = fd_lookup(&t, tgid, a0);
		key = og_fd_key(tgid, a0);
		if (src && src->tgid == tgid) {
			og_fd_describe(src, a0);
			return;
		}
		fd_put(fd_elem(&t, key), t.cnt, NULL, FD_HOW(a0, src ? src->flags & OG_FDF_CLOEXEC : 0, 0, nr), 0, now);
		return;
	case OG_FD_OP_PAIR: {
		int fds[2] = {};

		if (ret != 0 || a >= OG_NARGS ||
		    bpf_probe_read_user(fds, sizeof(fds), (void *)regs_arg(regs, a, compat)) < 0)
			return;
		flags = fd_cloexec(regs, d, compat);
		key = og_fd_key(tgid, fds[0]);
		fd_put(fd_elem(&t, key), t.cnt, NULL, FD_HOW(fds[0], flags, 0, nr), 0, now);
		key = og_fd_key(tgid, fds[1]);
		fd_put(fd_elem(&t, key), t.cnt, NULL, FD_HOW(fds[1], flags, 0, nr), 0, now);
		return;
	}
	case OG_FD_OP_FCNTL: {
		__u64 cmd = regs_arg(regs, 1, compat);

		if (cmd == OG_F_SETFD) {
			src = fd_lookup(&t, tgid, a0);
			if (src && src->tgid == tgid) {
				if (regs_arg(regs, 2, compat) & OG_FD_CLOEXEC)
					src->flags |= OG_FDF_CLOEXEC;
				else
					src->flags &= ~OG_FDF_CLOEXEC;
			}
			return;
		}
		if (cmd != OG_F_DUPFD && cmd != OG_F_DUPFD_CLOEXEC)
			return;
		flags = cmd == OG_F_DUPFD_CLOEXEC ? OG_FDF_CLOEXEC : 0;
		break;
	}
	case OG_FD_OP_DUP: flags = fd_cloexec(regs, d, compat); break;
	case OG_FD_OP_FCHDIR: to = OG_FD_CWD_FD; break;
	case OG_FD_OP_CLOSE:
		key = og_fd_key(tgid, a0);
		el = fd_elem(&t, key);
		{
			int i = og_fd_find(el, key, 0);

			if (i >= 0 && el)
				WRITE_ONCE(el->e[i & OG_FD_MASK].close_ns, now);
			else
				__sync_fetch_and_add(&t.cnt->missing, 1);
		}
		return;
	case OG_FD_OP_CLOSE_RANGE:
		fd_scan_all(&t, tgid, a0, regs_arg(regs, 1, compat),
			    regs_arg(regs, 2, compat) & OG_CLOSE_RANGE_CLOEXEC ? FD_SCAN_CLOEXEC : FD_SCAN_CLOSE);
		return;
	default: return;
	}
	/* dup, dup2, dup3, fcntl F_DUPFD*: the return value becomes a copy
	 * of argument 0 (dup2 onto itself changes nothing); fchdir: the
	 * working directory does. */
	if (to == a0)
		return;
	src = fd_lookup(&t, tgid, a0);
	key = og_fd_key(tgid, to);
	el = fd_elem(&t, key);
	if (src) {
		og_fd_copy(el, t.cnt, src, FD_HOW(to, flags, 0, nr), now);
		return;
	}
	/* Unknown: whatever it was before is closed. */
	__sync_fetch_and_add(&t.cnt->missing, 1);
	{
		int i = og_fd_find(el, key, 0);

		if (i >= 0 && el)
			WRITE_ONCE(el->e[i & OG_FD_MASK].close_ns, now);
	}
}

#endif /* OG_FDS_BPF_H */
