// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * oci-gadget syscall flight recorder: one record per syscall in the ring of
 * the calling task's container (found by its cgroup's ancestor at the
 * container's cgroup level, og_ring.bpf.h). sys_enter writes
 * it and publishes it as ENTERED; sys_exit completes it in place (return
 * value, duration, output bytes) and publishes it DONE, or writes a small
 * standalone exit record when the enter's record is gone or not its own.
 * Everything syscall-specific comes from the syscall_args map, filled by
 * gadget-tracer from tracefs, so this file stays generic.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "og_format.h"
#define OG_RING_RDONLY_CAST /* the ancestor lookup without a call (og_ring.bpf.h) */
#include "og_ring.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* The one definition of the programs' config and of this object's
 * generation (og_ring.bpf.h). */
struct og_config og_config;
const volatile __u32 og_generation = 0;

#define TS_COMPAT 0x0002 /* arch/x86/include/asm/thread_info.h */
#define OG_S_IFMT 0170000
#define OG_S_IFSOCK 0140000
#define OG_S_IFCHR 0020000

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OG_SYSCALL_TABLE_SIZE);
	__type(key, __u32);
	__type(value, struct og_syscall_desc);
} syscall_args SEC(".maps");

/* Kernel stacks of syscalls, for containers that ask (io.oci-gadget.kstack). */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, OG_STACKS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, OG_STACK_DEPTH * sizeof(__u64));
} kstacks SEC(".maps");

static __always_inline bool task_is_compat(struct task_struct *task)
{
	return task->thread_info.status & TS_COMPAT;
}

static __always_inline __u64 regs_arg(struct pt_regs *regs, int i, bool compat)
{
	if (compat) {
		switch (i) {
		case 0: return (__u32)regs->bx;
		case 1: return (__u32)regs->cx;
		case 2: return (__u32)regs->dx;
		case 3: return (__u32)regs->si;
		case 4: return (__u32)regs->di;
		default: return (__u32)regs->bp;
		}
	}
	switch (i) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->r10;
	case 4: return regs->r8;
	default: return regs->r9;
	}
}

/* The syscall's description; NULL when it has none (an array lookup never
 * fails: an undescribed syscall is a zeroed entry). Then all six argument
 * words are recorded and nothing is captured. */
static __always_inline const struct og_syscall_desc *desc_lookup(__s32 nr, bool compat)
{
	const struct og_syscall_desc *d;
	__u32 key;

	if (nr < 0 || nr >= OG_SYSCALL_MAX)
		return NULL;
	key = (compat ? OG_SYSCALL_MAX : 0) + (__u32)nr;
	d = bpf_map_lookup_elem(&syscall_args, &key);
	return d && (d->flags & OG_DESC_VALID) ? d : NULL;
}

static __always_inline struct og_scratch *scratch_get(__u32 user)
{
	return bpf_map_lookup_elem(&scratch, &user);
}

/* What one capture will hold, decided before the record is claimed. */
struct cap_plan {
	__u8 arg, kind, flags, count;
	__u16 len, size;
};

/* A syscall's record, planned: arguments, captures and their room. Built
 * and written by global functions, each verified once. */
struct sys_plan {
	__u64 args[OG_NARGS];
	struct cap_plan caps[OG_NCAPS];
	__u32 nargs, ncaps;
	__u32 capture;	  /* the container's capture_bytes */
	__u32 ring_flags; /* the ring header's flags: OG_RING_F_NO_BYTES, _NO_PATHS */
	__u32 out_secret; /* the output buffer is a random device's bytes: not kept */
	__u32 rec_flags;
	__s64 ret;	/* PLAN_EXIT: the return value */
	__u32 mode;	/* PLAN_ENTER or PLAN_EXIT */
	__u32 retry;	/* PLAN_EXIT: strings unreadable at enter are read again */
	__u32 out_seen; /* an output buffer is planned (only one is filled) */
};
#define PLAN_ENTER 0
#define PLAN_EXIT 1

/* A user string into scratch slot buf; the plan says what came of it. */
static __always_inline bool plan_str(struct cap_plan *p, char *buf, __u64 ptr)
{
	long n = bpf_probe_read_user_str(buf, OG_STR_MAX, (void *)ptr);

	if (n < 0) {
		p->flags |= OG_CAP_UNREADABLE;
		return false;
	}
	p->len = p->size = n; /* includes the NUL */
	if (n == OG_STR_MAX)
		p->flags |= OG_CAP_TRUNCATED;
	return true;
}

/* argv: up to OG_ARGV_MAX_ARGS strings, OG_ARGV_MAX_BYTES in all, packed
 * NUL separated into scratch slot k (OG_SCRATCH_SLOT bytes); p gets their
 * count and flags; returns the bytes kept. A global function: verified
 * once, not inside every iteration of the planner's argument loop.
 * 64-bit arithmetic: bounds are checked on the registers used. */
__noinline int og_read_argv(struct og_scratch *sc, __u64 k, __u64 argv, struct cap_plan *p)
{
	__u64 off = 0, s = 0;
	char *buf;
	int i;

	if (!sc || !p || k >= OG_NCAPS)
		return 0;
	buf = sc->slot[k];
	for (i = 0; i < OG_ARGV_MAX_ARGS; i++) {
		__u64 room;
		long n;

		if (bpf_probe_read_user(&s, sizeof(s), (void *)(argv + i * sizeof(__u64))) < 0) {
			if (i == 0)
				p->flags |= OG_CAP_UNREADABLE;
			return off;
		}
		if (!s)
			return off;
		if (off >= OG_ARGV_MAX_BYTES) {
			p->flags |= OG_CAP_TRUNCATED;
			return OG_ARGV_MAX_BYTES;
		}
		room = OG_ARGV_MAX_BYTES - off;
		n = bpf_probe_read_user_str(buf + (off & (OG_ARGV_MAX_BYTES - 1)), room, (void *)s);
		if (n < 0) {
			p->flags |= OG_CAP_UNREADABLE;
			return off;
		}
		off += n;
		p->count++;
		if (n == room) {
			p->flags |= OG_CAP_TRUNCATED;
			return off;
		}
	}
	/* Arguments beyond the last kept one. */
	if (bpf_probe_read_user(&s, sizeof(s), (void *)(argv + i * sizeof(__u64))) == 0 && s)
		p->flags |= OG_CAP_TRUNCATED;
	return off;
}

static __always_inline __u32 min_u32(__u64 a, __u32 b)
{
	return a < b ? a : b;
}

/*
 * Plans argument i's capture into sp->caps[n]; returns 1 when it is
 * captured, 0 when not. A global function, verified once: inlined into the
 * loop over the arguments it cost 60,000 verified instructions per program.
 */
__noinline int og_plan_arg(struct sys_plan *sp, const struct og_syscall_desc *desc, struct og_scratch *sc, __u64 i,
			   __u64 n)
{
	struct cap_plan p = {};
	__u8 kind, sa;
	__u64 want;

	if (!sp || !desc || i >= OG_NARGS || n >= OG_NCAPS)
		return 0;
	kind = desc->kind[i];
	sa = desc->size_arg[i];
	p.arg = i;
	p.kind = kind;
	if (kind == OG_ARG_BUF_OUT) {
		if (sp->out_seen)
			return 0;
		sp->out_seen = 1;
		if (sp->out_secret || (desc->flags & OG_DESC_SECRET_OUT)) {
			p.flags = OG_CAP_WITHHELD; /* no room: nothing to fill at exit */
		} else if (sp->mode == PLAN_ENTER) {
			want = sa < OG_NARGS ? sp->args[sa & 7] : sp->capture;
			p.size = min_u32(want, sp->capture);
		} else {
			want = sp->ret > 0 ? sp->ret : 0;
			p.len = p.size = min_u32(want, sp->capture);
			if (want > sp->capture)
				p.flags |= OG_CAP_TRUNCATED;
		}
	} else if (kind == OG_ARG_STR && (sp->ring_flags & OG_RING_F_NO_PATHS)) {
		if (sp->mode == PLAN_EXIT)
			return 0;
		p.flags = OG_CAP_WITHHELD;
	} else if (kind == OG_ARG_STR && (sp->mode == PLAN_ENTER || sp->retry)) {
		if (!sc)
			return 0;
		if (sp->mode == PLAN_EXIT)
			p.flags = OG_CAP_RETRIED;
		if (!plan_str(&p, sc->slot[n], sp->args[i])) {
			struct og_stats *st = stats_get();

			if (sp->mode == PLAN_ENTER)
				sp->rec_flags |= OG_RF_RETRY;
			if (st && sp->mode == PLAN_ENTER)
				st->str_failed++;
			else if (st)
				st->str_lost++;
		}
	} else if (sp->mode == PLAN_EXIT || kind == OG_ARG_NONE || kind == OG_ARG_STR) {
		return 0;
	} else if (kind == OG_ARG_ARGV) {
		if (!sc)
			return 0;
		if (sp->ring_flags & OG_RING_F_NO_BYTES)
			p.flags = OG_CAP_WITHHELD;
		else
			p.len = p.size = og_read_argv(sc, n, sp->args[i], &p);
	} else {
		__u32 max = kind == OG_ARG_SOCKADDR ? OG_SOCKADDR_MAX : sp->capture;

		want = sa < OG_NARGS ? sp->args[sa & 7] : 0;
		p.len = p.size = min_u32(want, max);
		if (want > max)
			p.flags |= OG_CAP_TRUNCATED;
	}
	sp->caps[n] = p;
	return 1;
}

/*
 * Decides what a record captures and how long it is. At sys_enter: every
 * described argument (strings and argv read into scratch now, buffers
 * sized, the output buffer's room reserved). At sys_exit, for a standalone
 * exit: the output buffer bounded by the return value, and the strings
 * again when sys_enter could not read them. Returns the record's length.
 */
__noinline int og_plan(struct sys_plan *sp, const struct og_syscall_desc *desc, struct og_scratch *sc)
{
	__u32 len, n = 0;

	if (!sp)
		return 0;
	if (desc && sp->mode == PLAN_ENTER)
		sp->nargs = desc->nargs > OG_NARGS ? OG_NARGS : desc->nargs;
	/* A call only for the arguments that are captured: a call returns
	 * through the kernel's return thunk, which costs here. */
	for (int i = 0; desc && i < OG_NARGS && n < OG_NCAPS; i++)
		if (desc->kind[i] != OG_ARG_NONE)
			n += og_plan_arg(sp, desc, sc, i, n) > 0;
	sp->ncaps = n;
	len = sizeof(struct og_rec) + sizeof(struct og_sys) + sp->nargs * sizeof(__u64);
	for (int k = 0; k < OG_NCAPS; k++)
		if (k < n)
			len += sizeof(struct og_cap) + og_round8(sp->caps[k].size);
	return len;
}

/*
 * Writes the record's arguments and captures after its header and
 * syscall part. At sys_enter an output buffer is only room for sys_exit to
 * fill; in a standalone exit it is filled now. Returns the offset of the
 * room to fill (0: none).
 */
__noinline int og_write_body(struct og_chunk *chunk, __u64 pos, struct sys_plan *sp, struct og_scratch *sc)
{
	__u32 rel = sizeof(struct og_rec) + sizeof(struct og_sys), out_off = 0;
	__u64 *a;

	if (!chunk || !sp)
		return 0;
	a = rec_at(chunk, pos, rel);
	for (int i = 0; i < OG_NARGS; i++)
		if (i < sp->nargs)
			a[i] = sp->args[i];
	rel += sp->nargs * sizeof(__u64);
	for (int k = 0; k < OG_NCAPS; k++) {
		struct cap_plan *p = &sp->caps[k];
		__u64 data = pos + rel + sizeof(struct og_cap);
		__u8 flags = p->flags;
		__u16 len = p->len;

		if (k >= sp->ncaps)
			break;
		if (p->kind == OG_ARG_BUF_OUT && sp->mode == PLAN_ENTER) {
			if (!(flags & OG_CAP_WITHHELD))
				out_off = rel;
		} else if (p->kind == OG_ARG_STR || p->kind == OG_ARG_ARGV) {
			if (len)
				og_copy_slot(chunk, data, sc, k, len);
		} else if (len) {
			__u32 got = og_copy_user(chunk, data, sp->args[p->arg & 7], len);

			if (got < len) {
				flags |= OG_CAP_UNREADABLE;
				len = got;
			}
		}
		cap_put(chunk, pos + rel, p->arg, p->kind, flags, p->count, len, p->size);
		rel += sizeof(struct og_cap) + og_round8(p->size);
	}
	return out_off;
}

/*
 * Whether fd is open on one of the kernel's random devices (1:8, 1:9),
 * whatever its path or mount: a few loads through the task's file table,
 * no call. The table's array is read at a variable index the way
 * og_ring.bpf.h reads cgroup ancestors: as the first fd of a files_struct
 * typed at the element's address.
 */
static __always_inline bool fd_is_random(struct task_struct *task, __u64 fd)
{
	struct fdtable *fdt = task->files->fdt;
	struct files_struct *at;
	struct inode *inode;
	struct file *file;
	__u32 rdev;

	if (fd >= fdt->max_fds)
		return false;
	at = bpf_rdonly_cast((void *)fdt->fd + fd * sizeof(void *) -
				     bpf_core_field_offset(struct files_struct, fd_array),
			     bpf_core_type_id_kernel(struct files_struct));
	file = at->fd_array[0];
	if (!file)
		return false;
	inode = file->f_inode;
	if ((inode->i_mode & OG_S_IFMT) != OG_S_IFCHR)
		return false;
	rdev = inode->i_rdev;
	return rdev == OG_KDEV_RANDOM || rdev == OG_KDEV_URANDOM;
}

/* What the container's settings and the syscall's output keep out of the
 * record: only a syscall whose output is a file's pays for the check. */
static __always_inline void plan_policy(struct sys_plan *sp, const struct og_syscall_desc *desc, struct ring_ref *rr,
					struct task_struct *task)
{
	sp->capture = rr->hdr->capture_bytes;
	sp->ring_flags = rr->hdr->flags;
	if (desc && (desc->flags & OG_DESC_OUT_FD))
		sp->out_secret = fd_is_random(task, sp->args[0]);
}

static __always_inline void plan_args(struct sys_plan *sp, struct pt_regs *regs, bool compat)
{
#pragma unroll
	for (int i = 0; i < OG_NARGS; i++)
		sp->args[i] = regs_arg(regs, i, compat);
}

/* The container's whole-life counts (struct og_ring_counts), beside the
 * ring's header in its element. */
static __always_inline struct og_ring_counts *counts_of(struct ring_ref *rr)
{
	return (void *)rr->hdr + OG_COUNTS_OFF;
}

static __always_inline void count_enter(struct ring_ref *rr, long id, bool compat)
{
	struct og_ring_counts *c = counts_of(rr);
	__u64 nr = id, a = compat;

	if (nr >= OG_COUNT_NRS) {
		__sync_fetch_and_add(&c->unknown, 1);
		return;
	}
	nr &= OG_COUNT_NRS - 1;
	a &= 1;
	if (READ_ONCE(c->ran))
		__sync_fetch_and_add(&c->calls[a][nr], 1);
	else if (!c->setup[a][nr])
		c->setup[a][nr] = 1;
}

/* At exit: errors and time once counting; the first execve that succeeds
 * starts the counting. dur 0: not known. */
static __always_inline void count_exit(struct ring_ref *rr, long id, bool compat, long ret, __u64 dur)
{
	struct og_ring_counts *c = counts_of(rr);
	__u64 nr = id, a = compat;

	if (nr >= OG_COUNT_NRS)
		return;
	nr &= OG_COUNT_NRS - 1;
	a &= 1;
	if (!READ_ONCE(c->ran)) {
		if (ret == 0 && (compat ? nr == 11 || nr == 358 : nr == 59 || nr == 322)) {
			c->ran_ns = bpf_ktime_get_boot_ns();
			WRITE_ONCE(c->ran, 1);
		}
		return;
	}
	if (ret < 0)
		__sync_fetch_and_add(&c->errors[a][nr], 1);
	if (dur)
		__sync_fetch_and_add(&c->time_ns[a][nr], dur);
}

/*
 * The container's peers (struct og_ring_net, beside the counts): who it
 * connected or sent to, what it accepted, bound and listened on. Only
 * these x86_64 syscalls pay for it.
 */
#define NR_CONNECT 42
#define NR_ACCEPT 43
#define NR_SENDTO 44
#define NR_SENDMSG 46
#define NR_BIND 49
#define NR_LISTEN 50
#define NR_ACCEPT4 288
#define OG_AF_UNIX 1
#define OG_AF_INET 2
#define OG_AF_INET6 10
#define OG_EINPROGRESS 115

/* Takes the peer described by k (its key fields; scratch memory) into
 * the set: found by its hash, or a free slot claimed for it. */
__noinline int og_net_add(struct og_ring_net *net, struct og_net_peer *k)
{
	if (!net || !k)
		return 0;
	__u64 h = og_net_hash(k), now = bpf_ktime_get_boot_ns();
	__u32 start = h % OG_NET_PEERS;

	for (__u32 j = 0; j < OG_NET_PEERS; j++) {
		__u32 i = start + j < OG_NET_PEERS ? start + j : start + j - OG_NET_PEERS;
		struct og_net_peer *p;
		__u64 cur;

		if (i >= OG_NET_PEERS)
			return 0;
		p = &net->peers[i];
		cur = READ_ONCE(p->key);
		if (cur == 0) {
			cur = __sync_val_compare_and_swap(&p->key, 0, h);
			if (cur == 0) {
				__builtin_memcpy(&p->family, &k->family, 8 + OG_NET_ADDR);
				p->first_ns = now;
				cur = h;
			}
		}
		if (cur == h) {
			__sync_fetch_and_add(&p->count, 1);
			p->last_ns = now;
			return 0;
		}
	}
	__sync_fetch_and_add(&net->full, 1);
	return 0;
}

/* The socket behind fd, NULL when fd is not one. */
static __always_inline struct sock *sock_of_fd(struct task_struct *task, __u64 fd)
{
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	unsigned int max = BPF_CORE_READ(task, files, fdt, max_fds);
	struct socket *sock;
	struct file *f = NULL;

	if (fd >= max || bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) < 0 || !f)
		return NULL;
	if ((BPF_CORE_READ(f, f_inode, i_mode) & OG_S_IFMT) != OG_S_IFSOCK)
		return NULL;
	sock = BPF_CORE_READ(f, private_data);
	return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

/* The key's address from a sockaddr in user memory (connect, sendto,
 * sendmsg, bind). false: not an address we keep. */
static __always_inline bool net_user_addr(struct og_net_peer *k, __u8 *sa, __u64 uaddr, __u64 ulen)
{
	__u32 n = ulen > 2 + 108 ? 2 + 108 : ulen;

	if (!uaddr || n < 2 || bpf_probe_read_user(sa, n, (void *)uaddr) < 0)
		return false;
	k->family = *(__u16 *)sa;
	switch (k->family) {
	case OG_AF_INET:
		if (n < 8)
			return false;
		k->port = bpf_ntohs(*(__u16 *)(sa + 2));
		k->addr_len = 4;
		__builtin_memcpy(k->addr, sa + 4, 4);
		return true;
	case OG_AF_INET6:
		if (n < 24)
			return false;
		k->port = bpf_ntohs(*(__u16 *)(sa + 2));
		k->addr_len = 16;
		__builtin_memcpy(k->addr, sa + 8, 16);
		return true;
	case OG_AF_UNIX:
		/* A path ends at its NUL; an abstract name (leading NUL) is
		 * all of its bytes. */
		for (__u32 i = 0; i < 108; i++) {
			if (i + 2 >= n || (i > 0 && sa[2] && !sa[2 + i]))
				break;
			k->addr[i] = sa[2 + i];
			k->addr_len = i + 1;
		}
		return true;
	}
	return false;
}

/* The key's address from a socket: local (bind, listen; a unix socket's
 * path, which an accepted one shares with its listener) or the peer's
 * address with the local port (accept). */
static __always_inline bool net_sock_addr(struct og_net_peer *k, struct sock *sk, bool peer)
{
	struct unix_address *ua;
	__u32 len;

	k->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	k->port = BPF_CORE_READ(sk, __sk_common.skc_num);
	switch (k->family) {
	case OG_AF_INET:
		k->addr_len = 4;
		if (peer)
			bpf_core_read(k->addr, 4, &sk->__sk_common.skc_daddr);
		else
			bpf_core_read(k->addr, 4, &sk->__sk_common.skc_rcv_saddr);
		return true;
	case OG_AF_INET6:
		k->addr_len = 16;
		if (peer)
			bpf_core_read(k->addr, 16, &sk->__sk_common.skc_v6_daddr);
		else
			bpf_core_read(k->addr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		return true;
	case OG_AF_UNIX:
		ua = BPF_CORE_READ((struct unix_sock *)sk, addr);
		if (!ua)
			return true; /* unnamed */
		len = BPF_CORE_READ(ua, len);
		if (len <= 2 || len > 0xffff)
			return true;
		len -= 2;
		if (len > 108)
			len = 108;
		barrier_var(len); /* keep the bound where the verifier sees it */
		len &= 0x7f;
		if (!len || bpf_probe_read_kernel(k->addr, len, &ua->name[0].sun_path) < 0)
			return false;
		/* A path's length stops at its NUL, as from user memory. */
		k->addr_len = len;
		if (k->addr[0])
			for (int i = 1; i < 108; i++)
				if (i < len && !k->addr[i]) {
					k->addr_len = i;
					break;
				}
		return true;
	}
	return false;
}

/* A fresh key in scratch memory: all zero, so the hash covers zeros. */
static __always_inline struct og_net_peer *net_key(__u32 slot)
{
	struct og_scratch *sc = scratch_get(slot);
	struct og_net_peer *k;

	if (!sc)
		return NULL;
	k = (void *)sc->slot[0];
	__builtin_memset(k, 0, sizeof(*k));
	return k;
}

/* Takes the peer at uaddr (its dir set in k) into the set, with the
 * type of the socket behind fd. */
static __always_inline int net_add_user(struct og_ring_net *net, struct og_net_peer *k, __u64 fd, __u64 uaddr,
					__u64 ulen)
{
	struct sock *sk;

	if (!net_user_addr(k, (__u8 *)k + sizeof(*k), uaddr, ulen))
		return 0;
	sk = sock_of_fd(bpf_get_current_task_btf(), fd);
	if (sk)
		k->type = BPF_CORE_READ(sk, sk_type);
	return og_net_add(net, k);
}

/* Global functions: the verifier checks each once, not once per call
 * site with the caller's state (the loops over addresses and slots made
 * the two syscall programs take 0.5 s to load). Arguments are scalars and
 * the peer set's memory. sendto and sendmsg: the address given, at
 * sys_enter. */
__noinline int og_net_enter(struct og_ring_net *net, long id, __u64 fd, __u64 uaddr, __u64 ulen)
{
	struct og_net_peer *k = net_key(OG_SCRATCH_ENTER);

	if (!k || !net)
		return 0;
	k->dir = OG_NET_SENDTO;
	if (id == NR_SENDMSG) { /* uaddr is the msghdr; msg_name, msg_namelen */
		struct user_msghdr m;

		if (bpf_probe_read_user(&m, sizeof(m), (void *)uaddr) < 0)
			return 0;
		uaddr = (__u64)m.msg_name;
		ulen = m.msg_namelen;
	}
	return net_add_user(net, k, fd, uaddr, ulen);
}

/* connect and bind at sys_exit, as their result says (net_result_dir):
 * the address is read again from the caller's memory, where it still is. */
__noinline int og_net_result(struct og_ring_net *net, __u32 dir, __u64 fd, __u64 uaddr, __u64 ulen)
{
	struct og_net_peer *k = net_key(OG_SCRATCH_EXIT);

	if (!k || !net)
		return 0;
	k->dir = dir;
	return net_add_user(net, k, fd, uaddr, ulen);
}

/* A refused connect is no peer (it would end up in a NetworkPolicy), a
 * failed bind no listener; 0: not kept. */
static __always_inline __u32 net_result_dir(long nr, long ret)
{
	if (ret <= -512 && ret >= -516)
		return 0; /* a restart code: the call runs again, and that one counts */
	if (nr == NR_BIND)
		return ret == 0 ? OG_NET_BIND : 0;
	if (ret == 0)
		return OG_NET_CONNECT;
	return ret == -OG_EINPROGRESS ? OG_NET_CONNECT_ATTEMPT : OG_NET_CONNECT_FAILED;
}

__noinline int og_net_exit(struct og_ring_net *net, long id, __u64 fd, long ret)
{
	struct og_net_peer *k;
	struct sock *sk;
	bool peer = id != NR_LISTEN;

	if (!net || ret < 0 || (id == NR_LISTEN && ret != 0))
		return 0;
	k = net_key(OG_SCRATCH_EXIT);
	if (!k)
		return 0;
	sk = sock_of_fd(bpf_get_current_task_btf(), peer ? (__u64)ret : fd);
	if (!sk)
		return 0;
	k->dir = peer ? OG_NET_ACCEPT : OG_NET_LISTEN;
	k->type = BPF_CORE_READ(sk, sk_type);
	if (!net_sock_addr(k, sk, peer && BPF_CORE_READ(sk, __sk_common.skc_family) != OG_AF_UNIX))
		return 0;
	return og_net_add(net, k);
}

static __always_inline void net_exit_maybe(struct og_ring_header *hdr, struct pt_regs *regs, long nr, bool compat,
					   long ret)
{
	if (!compat && (nr == NR_ACCEPT || nr == NR_ACCEPT4 || nr == NR_LISTEN))
		og_net_exit((void *)hdr + OG_NET_OFF, nr, regs->di, ret);
	else if (!compat && (nr == NR_CONNECT || nr == NR_BIND) && net_result_dir(nr, ret))
		og_net_result((void *)hdr + OG_NET_OFF, net_result_dir(nr, ret), regs->di, regs->si, regs->dx);
}

/*
 * During a reload's window both generations run for each syscall event,
 * the old one first (og_format.h, "Reloading without a gap"). An event
 * whose old program ran before the switch and whose new one runs after it
 * is the old one's: its entry in maps/threads says so. A thread is in one
 * syscall at a time, so an open entry of the old generation for this
 * thread and syscall is this very syscall, entered by it.
 */
static __always_inline bool entered_before(struct task_struct *task, long id)
{
	__u32 prev = READ_ONCE(og_config.prev_generation), tid, key;
	struct og_thread *th;

	if (!prev || prev == og_generation)
		return false;
	tid = task->pid;
	key = tid & (OG_THREADS - 1);
	th = bpf_map_lookup_elem(&threads, &key);
	return th && th->tid == tid && th->open && th->gen == prev && th->nr == (__s16)id;
}

/* The same at sys_exit: the old generation exited this syscall already. */
static __always_inline bool exited_before(struct og_thread *th, __u32 tid, __s16 nr)
{
	__u32 prev = READ_ONCE(og_config.prev_generation);

	return prev && prev != og_generation && th && th->tid == tid && !th->open && th->gen == prev && th->nr == nr;
}

/* The thread's syscall is over, for this generation. */
static __always_inline void thread_exited(struct og_thread *th, __u32 tid, __s16 nr)
{
	if (th && th->tid == tid) {
		th->gen = og_generation;
		th->nr = nr;
		th->open = 0;
	}
}

SEC("tp_btf/sys_enter")
int BPF_PROG(og_sys_enter, struct pt_regs *regs, long id)
{
	struct sys_plan sp = {.nargs = OG_NARGS, .mode = PLAN_ENTER};
	const struct og_syscall_desc *desc;
	struct task_struct *task;
	struct ring_ref rr;
	struct og_thread *th;
	struct og_rec *r;
	struct og_sys *sys;
	__u64 pos;
	__u32 len, key;
	long kstack = -1;
	bool compat;
	void *chunk;

	if (!og_config.registered || !gen_records())
		return 0;
	task = bpf_get_current_task_btf();
	if (!ring_find_current(task, &rr))
		return 0;
	if (entered_before(task, id))
		return 0;
	compat = task_is_compat(task);
	count_enter(&rr, id, compat);
	if (!compat && (id == NR_SENDTO || id == NR_SENDMSG))
		og_net_enter((void *)rr.hdr + OG_NET_OFF, id, regs->di, id == NR_SENDTO ? regs->r8 : regs->si,
			     id == NR_SENDTO ? regs->r9 : regs->dx);
	plan_args(&sp, regs, compat);
	sp.rec_flags = compat ? OG_RF_I386 : 0;
	desc = desc_lookup(id, compat);
	/* Most syscalls capture nothing: their record's length is fixed, and
	 * two calls (planner and body writer) are saved. */
	if (desc && (desc->flags & OG_DESC_CAPTURES)) {
		plan_policy(&sp, desc, &rr, task);
		len = og_plan(&sp, desc, scratch_get(OG_SCRATCH_ENTER));
		if (len < sizeof(struct og_rec) + sizeof(struct og_sys) || len > OG_REC_MAX)
			return 0;
	} else {
		if (desc)
			sp.nargs = desc->nargs > OG_NARGS ? OG_NARGS : desc->nargs;
		len = sizeof(struct og_rec) + sizeof(struct og_sys) + sp.nargs * sizeof(__u64);
	}
	if (rr.hdr->flags & OG_RING_F_KSTACK) {
		kstack = bpf_get_stackid(ctx, &kstacks, BPF_F_REUSE_STACKID);
		if (kstack >= 0)
			sp.rec_flags |= OG_RF_KSTACK;
	}
	chunk = ring_claim(&rr, len, &pos);
	if (!chunk)
		return 0;

	r = rec_start(chunk, pos, len, task, OG_REC_SYSCALL, id, bpf_ktime_get_boot_ns());
	r->flags = sp.rec_flags;
	r->nargs = sp.nargs;
	r->ncaps = sp.ncaps;
	sys = rec_at(chunk, pos, sizeof(*r));
	sys->ret = 0;
	sys->duration = 0;
	sys->kstack = kstack >= 0 ? kstack : 0;
	if (sp.ncaps) {
		sys->out_off = og_write_body(chunk, pos, &sp, scratch_get(OG_SCRATCH_ENTER));
	} else {
		__u64 *a = rec_at(chunk, pos, sizeof(*r) + sizeof(*sys));

		sys->out_off = 0;
#pragma unroll
		for (int i = 0; i < OG_NARGS; i++)
			if (i < sp.nargs)
				a[i] = sp.args[i];
	}

	key = r->tid & (OG_THREADS - 1);
	th = bpf_map_lookup_elem(&threads, &key);
	if (th) {
		th->tid = r->tid;
		th->ring_slot = rr.slot;
		th->pos = pos;
		th->gen = og_generation;
		th->nr = id;
		th->open = 1;
	}
	rec_publish(r, pos, len, OG_TAG_ENTERED);
	return 0;
}

/*
 * An exit written apart from its enter: the enter record is gone, too old
 * to complete safely, not this thread's, or waits for a string that was
 * unreadable at sys_enter (retried here). enter_ts 0: the enter's time is
 * not known.
 */
static __always_inline int exit_standalone(struct ring_ref *rr, struct task_struct *task, struct pt_regs *regs,
					   long ret, __u64 now, __u64 enter_ts, bool retry)
{
	struct sys_plan sp = {.mode = PLAN_EXIT, .ret = ret, .retry = retry};
	bool compat = task_is_compat(task);
	__s32 nr = regs->orig_ax;
	const struct og_syscall_desc *desc = desc_lookup(nr, compat);
	struct og_stats *st;
	struct og_rec *r;
	struct og_sys *sys;
	__u32 len;
	__u64 pos;
	void *chunk;

	plan_args(&sp, regs, compat);
	plan_policy(&sp, desc, rr, task);
	len = og_plan(&sp, desc, retry ? scratch_get(OG_SCRATCH_EXIT) : NULL);
	if (len < sizeof(struct og_rec) + sizeof(struct og_sys) || len > OG_REC_MAX)
		return 0;
	chunk = ring_claim(rr, len, &pos);
	if (!chunk)
		return 0;
	r = rec_start(chunk, pos, len, task, OG_REC_SYS_EXIT, nr, now);
	r->flags = (compat ? OG_RF_I386 : 0) | (enter_ts ? 0 : OG_RF_NO_TIME);
	r->ncaps = sp.ncaps;
	sys = rec_at(chunk, pos, sizeof(*r));
	sys->ret = ret;
	sys->duration = enter_ts ? og_dur_encode(now - enter_ts) : 0;
	sys->kstack = 0;
	sys->out_off = 0;
	og_write_body(chunk, pos, &sp, retry ? scratch_get(OG_SCRATCH_EXIT) : NULL);
	if (!og_fork_child(nr, compat, ret)) {
		__sync_fetch_and_add(&rr->hdr->standalone_exits, 1);
		if ((st = stats_get()))
			st->standalone_exits++;
	}
	rec_publish(r, pos, len, OG_TAG_DONE);
	return 0;
}

static __always_inline int exit_counted(struct ring_ref *rr, struct task_struct *task, struct pt_regs *regs, long ret,
					__u64 now, __u64 enter_ts, bool retry)
{
	bool compat = task_is_compat(task);

	count_exit(rr, regs->orig_ax, compat, ret, enter_ts ? now - enter_ts : 0);
	net_exit_maybe(rr->hdr, regs, regs->orig_ax, compat, ret);
	return exit_standalone(rr, task, regs, ret, now, enter_ts, retry);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(og_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task;
	struct og_thread *th;
	struct ring_ref rr;
	__u64 now, enter_ts = 0;
	__u32 key, tid;
	bool retry = false;

	if (!og_config.registered || !gen_records())
		return 0;
	task = bpf_get_current_task_btf();
	if (!ring_find_current(task, &rr))
		return 0;
	tid = task->pid;
	key = tid & (OG_THREADS - 1);
	th = bpf_map_lookup_elem(&threads, &key);
	if (exited_before(th, tid, regs->orig_ax))
		return 0;
	now = bpf_ktime_get_boot_ns();
	if (th && th->tid == tid && th->ring_slot == rr.slot) {
		__u64 pos = th->pos, head = READ_ONCE(rr.hdr->head);
		__u64 ring_bytes = (rr.hdr->chunk_mask + 1) << OG_CHUNK_SHIFT;
		__u32 ck = 1 + ((pos >> OG_CHUNK_SHIFT) & rr.hdr->chunk_mask);
		struct og_sys *sys;
		struct og_rec *r;
		void *chunk;
		__u64 tag;
		__u16 off;

		/* Only a record in a chunk readers still reach is completed in
		 * place: far enough from the writers lapping the ring that none
		 * can claim its bytes while we write them. */
		if (head - pos > ring_bytes - OG_CHUNK_BYTES)
			goto standalone;
		chunk = bpf_map_lookup_elem(rr.ring, &ck);
		if (!chunk)
			goto standalone;
		r = rec_at(chunk, pos, 0);
		tag = READ_ONCE(r->tag);
		if (!og_tag_at(tag, pos) || og_tag_state(tag) != OG_TAG_ENTERED || r->tid != tid ||
		    r->type != OG_REC_SYSCALL)
			goto standalone;
		enter_ts = r->ts_ns;
		if (r->flags & OG_RF_RETRY) {
			retry = true;
			goto standalone;
		}
		/* Plain stores: the thread is the record's only other writer, and
		 * the check above keeps lapping writers a chunk away. */
		WRITE_ONCE(r->tag, (tag & ~7ULL) | OG_TAG_EXITING);
		barrier();
		sys = rec_at(chunk, pos, sizeof(*r));
		sys->ret = ret;
		sys->duration = og_dur_encode(now - enter_ts);
		off = sys->out_off;
		if (off) {
			struct og_cap *cap = rec_at(chunk, pos, off);
			__u64 n = ret > 0 ? ret : 0, size = cap->size, got = 0;
			__u64 src = regs_arg(regs, cap->arg, task_is_compat(task));
			__u8 cflags = cap->flags;

			if (n > size) {
				cflags |= OG_CAP_TRUNCATED;
				n = size;
			}
			/* One piece (the default 256 bytes) is read here, without
			 * the call to the piece-by-piece copy. */
			if (n > OG_CAPTURE_MAX)
				n = OG_CAPTURE_MAX;
			if (n && n <= OG_PIECE)
				got = bpf_probe_read_user(rec_at(chunk, pos, off + sizeof(*cap)), n, (void *)src) < 0
					      ? 0
					      : n;
			else if (n)
				got = og_copy_user(chunk, pos + off + sizeof(*cap), src, n);
			if (got < n)
				cflags |= OG_CAP_UNREADABLE;
			cap->len = got;
			cap->flags = cflags;
		}
		barrier();
		WRITE_ONCE(r->tag, (tag & ~7ULL) | OG_TAG_DONE);
		count_exit(&rr, r->nr, r->flags & OG_RF_I386, ret, now - enter_ts);
		net_exit_maybe(rr.hdr, regs, r->nr, r->flags & OG_RF_I386, ret);
		thread_exited(th, tid, regs->orig_ax);
		return 0;
	}
standalone:
	thread_exited(th, tid, regs->orig_ax);
	return exit_counted(&rr, task, regs, ret, now, enter_ts, retry);
}
