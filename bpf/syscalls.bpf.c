// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * oci-gadget syscall flight recorder: one record per syscall in the ring of
 * the calling task's container (found by its cgroup's ancestor at the
 * container's cgroup level, og_ring.bpf.h). sys_enter writes
 * it and publishes it as ENTERED; sys_exit completes it in place (return
 * value, duration, output bytes) and publishes it DONE, or writes a small
 * standalone exit record when the enter's record is gone or not its own.
 * Everything syscall-specific comes from the syscall's row in the
 * syscall_args map (its arguments and its role), filled by gadget-tracer
 * from lib/syscalls/og_syscalls.c and tracefs, so this file stays generic:
 * it names no syscall.
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
/* enum og_ablate: 0 but in bench/cost-breakdown (og_format.h). */
const volatile __u32 og_ablate = 0;

/* The syscall path's clock: CLOCK_BOOTTIME, or 0 when the cost table
 * takes the clock reads out. */
static __always_inline __u64 sys_now(void)
{
	return (og_ablate & OG_ABLATE_CLOCK) ? 0 : bpf_ktime_get_boot_ns();
}

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
OG_STACK_MAP(kstacks);

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

/* The row's role; what sys_enter saves for sys_exit in maps/threads. */
static __always_inline __u8 desc_role(const struct og_syscall_desc *d)
{
	return d && (d->flags & OG_DESC_ROLE) ? d->role : OG_ROLE_NONE;
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
	__u32 apart;	/* an output is planned apart (format 6: one per record) */
	__u32 classes;	/* compact record: each argument's enum og_arg_class, 2 bits from bit 0 */
	__u32 body_rel; /* where the captures start, from the record's start */
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

#include "og_vectors.bpf.h"

/* An output planned at sys_enter with room p->size: kept apart instead
 * (og_rec_out: no room, len the bytes sys_exit may keep) when it may keep
 * more than OG_APART_MIN and no other output of the record is apart. */
static __always_inline void plan_apart(struct sys_plan *sp, struct cap_plan *p)
{
	if (sp->apart || p->size <= OG_APART_MIN)
		return;
	p->len = p->size;
	p->size = 0;
	p->flags = OG_CAP_APART;
	sp->apart = 1;
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
			plan_apart(sp, &p);
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
	} else if (og_kind_is_struct(kind)) {
		/* A structure's window (sa: its size and skip): whole or not at
		 * all; at a standalone exit only an output one, filled if the
		 * call succeeded. The capture's count says where it starts. */
		if (!sp->args[i] || (sp->mode == PLAN_EXIT && kind != OG_ARG_STRUCT_OUT))
			return 0;
		p.count = OG_STRUCT_SKIP(sa);
		sa = OG_STRUCT_SIZE(sa);
		if (sa > sp->capture)
			p.flags = OG_CAP_WITHHELD;
		else if (sp->mode == PLAN_EXIT)
			p.len = p.size = sp->ret >= 0 ? sa : 0;
		else if (kind == OG_ARG_STRUCT_INOUT)
			p.len = sa, p.size = 2 * og_round8(sa); /* halves 8-byte aligned, as stores must be */
		else if (kind == OG_ARG_STRUCT_OUT)
			p.size = sa; /* room: its len is set at sys_exit */
		else
			p.len = p.size = sa;
	} else if ((sp->mode == PLAN_EXIT && kind != OG_ARG_ARRAY_OUT) || kind == OG_ARG_NONE || kind == OG_ARG_STR) {
		return 0;
	} else if (kind == OG_ARG_ARRAY_IN || kind == OG_ARG_ARRAY_OUT || kind == OG_ARG_ARRAY_INOUT) {
		/* Whole elements of sa >> 3 bytes, as many as argument sa & 7
		 * counts, within capture_bytes (half of it for each half of a
		 * value-result array, which is then a value-result capture). */
		__u32 elem = sa >> 3, max;

		if (!sp->args[i] || (!elem && kind != OG_ARG_ARRAY_INOUT))
			return 0;
		if (sp->mode == PLAN_EXIT) {
			/* A standalone exit: the elements the call returned. */
			want = sp->ret > 0 ? sp->ret * elem : 0;
			max = sp->capture / elem * elem;
			p.len = p.size = min_u32(want, max);
			p.count = elem;
			if (want > max)
				p.flags |= OG_CAP_TRUNCATED;
			sp->caps[n] = p;
			return 1;
		}
		if (elem) {
			want = sp->args[sa & 7] * elem;
		} else {
			/* Bits (fd_sets): the longs the kernel reads. */
			elem = 8;
			want = ((__u64)(__u32)sp->args[sa & 7] + 63) / 64 * 8;
		}
		max = (kind == OG_ARG_ARRAY_INOUT ? sp->capture / 2 : sp->capture) / elem * elem;
		p.size = min_u32(want, max);
		p.count = elem;
		if (kind == OG_ARG_ARRAY_OUT)
			plan_apart(sp, &p);
		else
			p.len = p.size;
		if (kind == OG_ARG_ARRAY_INOUT) {
			p.kind = OG_ARG_STRUCT_INOUT;
			p.size = 2 * og_round8(p.len);
		}
		/* An output's is the return value's to say (exit_fill). */
		if (want > max && kind != OG_ARG_ARRAY_OUT)
			p.flags |= OG_CAP_TRUNCATED;
	} else if (kind == OG_ARG_MSGHDR_IN) {
		if (!sc)
			return 0;
		if (sp->ring_flags & OG_RING_F_NO_BYTES)
			p.flags = OG_CAP_WITHHELD;
		else if ((p.size = sp->capture, !og_plan_msghdr(sc, n, sp->args[i], &p, sa == OG_MSGHDR_AT_EXIT)))
			return 0;
	} else if (kind == OG_ARG_IOV_IN || kind == OG_ARG_IOV_OUT) {
		if (!sc || sa >= OG_NARGS)
			return 0;
		if ((sp->ring_flags & OG_RING_F_NO_BYTES) || (kind == OG_ARG_IOV_OUT && sp->out_secret))
			p.flags = OG_CAP_WITHHELD;
		else if ((p.size = sp->capture, !og_plan_iov(sc, n, sp->args[i], sp->args[sa & 7], &p)))
			return 0;
		else if (kind == OG_ARG_IOV_OUT)
			p.len = p.count * sizeof(struct og_iov_kept); /* the header: the bytes come at exit */
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
	/* A call only for the arguments that are captured: a call returns
	 * through the kernel's return thunk, which costs here. */
	for (int i = 0; desc && i < OG_NARGS && n < OG_NCAPS; i++)
		if (desc->kind[i] != OG_ARG_NONE)
			n += og_plan_arg(sp, desc, sc, i, n) > 0;
	sp->ncaps = n;
	len = sp->body_rel;
	for (int k = 0; k < OG_NCAPS; k++)
		if (k < n)
			len += sizeof(struct og_cap) + og_round8(sp->caps[k].size);
	return len;
}

/*
 * Writes the record's captures from body_rel on (the caller wrote its
 * header and arguments). At sys_enter an output buffer is only room for sys_exit to
 * fill; in a standalone exit it is filled now. Returns the offset of the
 * room to fill (0: none).
 */
__noinline int og_write_body(struct og_chunk *chunk, __u64 pos, struct sys_plan *sp, struct og_scratch *sc)
{
	__u32 rel, out_off = 0;

	if (!chunk || !sp)
		return 0;
	rel = sp->body_rel & (OG_CHUNK_BYTES - 1);
	for (int k = 0; k < OG_NCAPS; k++) {
		struct cap_plan *p = &sp->caps[k];
		__u64 data = pos + rel + sizeof(struct og_cap);
		__u8 flags = p->flags;
		__u16 len = p->len;

		if (k >= sp->ncaps)
			break;
		if (sp->mode == PLAN_ENTER && og_kind_is_out(p->kind) && !(flags & OG_CAP_WITHHELD) && !out_off)
			out_off = rel;
		if (flags & OG_CAP_APART) {
			/* len: what sys_exit may keep, in an output record. */
		} else if (sp->mode == PLAN_ENTER &&
			   (p->kind == OG_ARG_BUF_OUT || p->kind == OG_ARG_STRUCT_OUT || p->kind == OG_ARG_ARRAY_OUT)) {
			len = 0; /* room for sys_exit */
		} else if (p->kind == OG_ARG_MSGHDR_IN) {
			int at;

			/* recvmsg's (len 0): room for sys_exit, an output. */
			if (!len && p->size) {
				og_room_msghdr(chunk, data, sc, k, p->count);
				out_off = out_off ? out_off : rel;
			} else if (len) {
				at = og_write_msghdr(chunk, data, sc, k, sp->args[p->arg & 7]);
				if (at < 0)
					flags |= OG_CAP_UNREADABLE;
				at = at < 0 ? -at : at;
				if (p->count && og_write_iov(chunk, data + (at & 0x1ff), sc, k, p->count) < 0)
					flags |= OG_CAP_UNREADABLE;
			}
		} else if (p->kind == OG_ARG_IOV_OUT) {
			if (len)
				og_copy_slot(chunk, data, sc, k, len);
		} else if (p->kind == OG_ARG_IOV_IN) {
			if (len && og_write_iov(chunk, data, sc, k, p->count) < 0)
				flags |= OG_CAP_UNREADABLE;
		} else if (p->kind == OG_ARG_STR || p->kind == OG_ARG_ARGV) {
			if (len)
				og_copy_slot(chunk, data, sc, k, len);
		} else if (len) {
			/* A structure from its window's start (count). */
			__u64 src = sp->args[p->arg & 7] +
				    (p->kind == OG_ARG_STRUCT_IN || p->kind == OG_ARG_STRUCT_OUT ? p->count : 0);
			__u32 got = og_copy_user(chunk, data, src, len);

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

/* A compact record's argument words (og_format.h, OG_SHAPE_ARGC): none
 * for 0, 4 bytes for a value that is a sign-extended 32-bit one (fds,
 * flags, counts, AT_FDCWD), else 8 (addresses). Sets sp->classes; returns
 * their bytes. */
static __always_inline __u32 plan_classes(struct sys_plan *sp)
{
	__u32 bytes = 0, classes = 0;

#pragma unroll
	for (int i = 0; i < OG_NARGS; i++) {
		__u64 a = sp->args[i];
		__u32 c;

		if (i >= sp->nargs)
			c = OG_ARGC_NONE;
		else if (!a)
			c = OG_ARGC_ZERO;
		else if ((__s64)(__s32)a == (__s64)a)
			c = OG_ARGC_32;
		else
			c = OG_ARGC_64;
		bytes += c == OG_ARGC_32 ? 4 : c == OG_ARGC_64 ? 8 : 0;
		classes |= c << (2 * i);
	}
	sp->classes = classes;
	return bytes;
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

	if (og_ablate & OG_ABLATE_COUNTS)
		return;
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

/* At exit: errors and time once counting; the first exec (its row's role)
 * that succeeds starts the counting. dur 0: not known. */
static __always_inline void count_exit(struct ring_ref *rr, long id, bool compat, long ret, __u64 dur, __u8 role)
{
	struct og_ring_counts *c = counts_of(rr);
	__u64 nr = id, a = compat;

	if ((og_ablate & OG_ABLATE_COUNTS) || nr >= OG_COUNT_NRS)
		return;
	nr &= OG_COUNT_NRS - 1;
	a &= 1;
	if (!READ_ONCE(c->ran)) {
		if (ret == 0 && role == OG_ROLE_EXEC) {
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

#include "og_net.bpf.h"
#include "og_fds.bpf.h"

/* The ring's selection (og_ring_header.skip): a syscall counted but not
 * recorded. One load (the header is the one this syscall already reads)
 * and a bit test. */
static __always_inline bool skipped(const struct og_ring_header *hdr, long id, bool compat)
{
	__u64 nr = id;

	if (nr >= OG_SKIP_WORDS * 64)
		return false;
	return (READ_ONCE(hdr->skip[compat & 1][(nr >> 6) & (OG_SKIP_WORDS - 1)]) >> (nr & 63)) & 1;
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

/*
 * Whether this thread needs a new thread record before its next compact
 * record in this ring (og_format.h, struct og_rec_sys): none yet, another
 * thread's in the entry, another ring's, a new comm or cpu, a time base
 * dt cannot reach, or one far enough back to be overwritten soon.
 */
static __always_inline bool thread_stale(const struct og_thread *th, struct task_struct *task, struct ring_ref *rr,
					 __u32 tid, __u32 cpu, __u64 now)
{
	const struct og_ring_header *hdr = rr->hdr;
	__u64 ring_bytes = (hdr->chunk_mask + 1) << OG_CHUNK_SHIFT;
	const __u64 *comm = (const __u64 *)task->comm, *was = (const __u64 *)th->thr_comm;

	return th->thr_tid != tid || th->ring_owner != hdr->cgroup_id ||
	       (cpu >= OG_CPU_IN_THREAD && th->thr_cpu != cpu) || now - th->thr_ns > 0xffffffffULL ||
	       READ_ONCE(hdr->head) - th->thr_pos > ring_bytes >> OG_THREAD_REFRESH_SHIFT || comm[0] != was[0] ||
	       comm[1] != was[1];
}

/* Writes the thread record and remembers it in the thread's entry. */
static __always_inline bool thread_record(struct og_thread *th, struct task_struct *task, struct ring_ref *rr,
					  __u32 tid, __u32 cpu, __u64 now)
{
	__u64 pos;
	void *chunk = ring_claim(rr, sizeof(struct og_rec), &pos);
	struct og_rec *t;

	if (!chunk)
		return false;
	t = rec_start(rr->hdr, chunk, pos, sizeof(*t), task, OG_REC_THREAD, 0, now);
	rec_publish(t, pos, sizeof(*t), OG_TAG_DONE);
	th->thr_tid = tid;
	th->thr_pos = pos;
	th->thr_ns = now;
	th->ring_owner = rr->hdr->cgroup_id;
	th->thr_cpu = cpu;
	__builtin_memcpy(th->thr_comm, task->comm, sizeof(th->thr_comm));
	return true;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(og_sys_enter, struct pt_regs *regs, long id)
{
	struct sys_plan sp;
	const struct og_syscall_desc *desc;
	struct task_struct *task;
	struct ring_ref rr;
	struct og_thread *th;
	struct og_rec_sys *r;
	__u64 pos, now, thr_pos;
	__u32 len, key, tid, cpu, rel, thr_ns_lo, out_off = 0;
	long kstack = -1;
	bool compat, ret_wide, nr_wide;
	void *chunk;

	/* The generation is looked at only for a task in a container: the
	 * constant lives in another map, a page every other process on the
	 * host need not touch (this host flushes the TLB at every kernel
	 * entry: doc/KERNEL-NOTES.md). */
	if (!og_config.registered)
		return 0;
	task = bpf_get_current_task_btf();
	if (!ring_find_current(task, &rr) || !gen_records())
		return 0;
	if (entered_before(task, id))
		return 0;
	compat = task_is_compat(task);
	count_enter(&rr, id, compat);
	desc = desc_lookup(id, compat);
	/* The peer a sendto or sendmsg names, whether it is recorded or not. */
	net_enter_maybe(rr.hdr, desc, regs, compat);
	/* Not in the ring's selection: counted above, no record and no entry
	 * in maps/threads (its sys_exit counts it apart). Before the plan is
	 * made: a skipped call pays for no more than it keeps (issue 23). */
	if (skipped(rr.hdr, id, compat))
		return 0;
	/* The plan is zeroed here, not where it is declared: a host process
	 * in no container and a skipped call return before it. */
	sp = (struct sys_plan){.nargs = OG_NARGS, .mode = PLAN_ENTER};
	plan_args(&sp, regs, compat);
	sp.rec_flags = compat ? OG_RF_I386 : 0;
	tid = task->pid;
	key = tid & (OG_THREADS - 1);
	th = bpf_map_lookup_elem(&threads, &key);
	if (!th)
		return 0;
	now = sys_now();
	cpu = bpf_get_smp_processor_id();
	if (thread_stale(th, task, &rr, tid, cpu, now) && !thread_record(th, task, &rr, tid, cpu, now))
		return 0;
	thr_pos = th->thr_pos;
	thr_ns_lo = now - th->thr_ns;
	if (rr.hdr->flags & OG_RING_F_KSTACK) {
		kstack = bpf_get_stackid(ctx, &kstacks, BPF_F_REUSE_STACKID);
		if (kstack >= 0)
			sp.rec_flags |= OG_RF_KSTACK;
	}
	/* Addresses come back from the syscalls whose row says so, and from
	 * the ones without a row: room for a 64-bit return. */
	ret_wide = !desc || (desc->flags & OG_DESC_RET_ADDR);
	nr_wide = id < 0 || id >= OG_NR_WIDE;
	if (desc)
		sp.nargs = desc->nargs > OG_NARGS ? OG_NARGS : desc->nargs;
	rel = sizeof(*r) + (ret_wide ? 4 : 0) + (nr_wide ? 4 : 0) + (kstack >= 0 ? 4 : 0);
	sp.body_rel = og_round8(rel + plan_classes(&sp));
	/* Most syscalls capture nothing: their record's length is fixed, and
	 * two calls (planner and body writer) are saved. */
	if (desc && (desc->flags & OG_DESC_CAPTURES)) {
		plan_policy(&sp, desc, &rr, task);
		len = og_plan(&sp, desc, scratch_get(OG_SCRATCH_ENTER));
		if (len < sizeof(*r) || len > OG_REC_MAX)
			return 0;
	} else {
		len = sp.body_rel;
	}
	if (og_ablate & OG_ABLATE_PUBLISH)
		return 0;
	chunk = ring_claim(&rr, len, &pos);
	if (!chunk)
		return 0;

	r = rec_at(chunk, pos, 0);
	WRITE_ONCE(r->tag, og_tag(pos, len, OG_TAG_WRITING));
	barrier();
	r->seq_type = rec_seq(rr.hdr) << OG_SEQ_SHIFT | OG_REC_COMPACT;
	r->where = OG_WHERE((pos - thr_pos) >> 3, cpu < OG_CPU_IN_THREAD ? cpu : OG_CPU_IN_THREAD);
	r->dt = thr_ns_lo;
	r->ret = 0;
	r->duration = 0;
	r->shape = OG_SHAPE(nr_wide ? OG_NR_WIDE : id, sp.ncaps, sp.rec_flags, sp.classes) |
		   (ret_wide ? OG_SHAPE_RET_WIDE : 0);
	rel = sizeof(*r);
	if (ret_wide) {
		*(__s32 *)rec_at4(chunk, pos, rel) = 0;
		rel += 4;
	}
	if (nr_wide) {
		*(__s32 *)rec_at4(chunk, pos, rel) = id;
		rel += 4;
	}
	if (kstack >= 0) {
		*(__u32 *)rec_at4(chunk, pos, rel) = kstack;
		rel += 4;
	}
	for (int i = 0; i < OG_NARGS; i++) {
		__u32 c = (sp.classes >> (2 * i)) & 3;

		if (c == OG_ARGC_64) {
			*(__u64 *)rec_at4(chunk, pos, rel) = sp.args[i];
			rel += 8;
		} else if (c == OG_ARGC_32) {
			*(__u32 *)rec_at4(chunk, pos, rel) = sp.args[i];
			rel += 4;
		}
	}
	if (sp.ncaps)
		out_off = og_write_body(chunk, pos, &sp, scratch_get(OG_SCRATCH_ENTER));

	if (og_ablate & OG_ABLATE_THREAD) {
		rec_publish(r, pos, len, OG_TAG_ENTERED);
		return 0;
	}
	th->tid = tid;
	th->ring_slot = rr.slot;
	th->pos = pos;
	th->gen = og_generation;
	th->nr = id;
	th->open = 1;
	th->role = desc_role(desc);
	th->out_off = out_off;
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
					   const struct og_syscall_desc *desc, long ret, __u64 now, __u64 enter_ts,
					   bool retry, bool compat)
{
	struct sys_plan sp = {.mode = PLAN_EXIT, .ret = ret, .retry = retry};
	__s32 nr = regs->orig_ax;
	struct og_stats *st;
	struct og_rec *r;
	struct og_sys *sys;
	__u32 len;
	__u64 pos;
	void *chunk;

	plan_args(&sp, regs, compat);
	plan_policy(&sp, desc, rr, task);
	sp.body_rel = sizeof(struct og_rec) + sizeof(struct og_sys); /* no argument words */
	len = og_plan(&sp, desc, retry ? scratch_get(OG_SCRATCH_EXIT) : NULL);
	if (len < sizeof(struct og_rec) + sizeof(struct og_sys) || len > OG_REC_MAX)
		return 0;
	chunk = ring_claim(rr, len, &pos);
	if (!chunk)
		return 0;
	r = rec_start(rr->hdr, chunk, pos, len, task, OG_REC_SYS_EXIT, nr, now);
	r->flags = (compat ? OG_RF_I386 : 0) | (enter_ts ? 0 : OG_RF_NO_TIME);
	r->ncaps = sp.ncaps;
	sys = rec_at(chunk, pos, sizeof(*r));
	sys->ret = ret;
	sys->duration = enter_ts ? og_dur_encode(now - enter_ts) : 0;
	sys->kstack = 0;
	sys->out_off = 0;
	og_write_body(chunk, pos, &sp, retry ? scratch_get(OG_SCRATCH_EXIT) : NULL);
	/* The child's side of a fork (its row's role) has no enter to lose. */
	if (ret != 0 || desc_role(desc) != OG_ROLE_FORK) {
		__sync_fetch_and_add(&rr->hdr->standalone_exits, 1);
		if ((st = stats_get()))
			st->standalone_exits++;
	}
	rec_publish(r, pos, len, OG_TAG_DONE);
	return 0;
}

/* An exit not completed in place: counted, from the syscall's row, then
 * written apart unless the ring's selection skips it. */
static __always_inline int exit_counted(struct ring_ref *rr, struct task_struct *task, struct pt_regs *regs, long ret,
					__u64 now, __u64 enter_ts, bool retry, bool compat, bool skip)
{
	const struct og_syscall_desc *desc = desc_lookup(regs->orig_ax, compat);

	count_exit(rr, regs->orig_ax, compat, ret, enter_ts ? now - enter_ts : 0, desc_role(desc));
	net_exit_maybe(rr->hdr, regs, desc_role(desc), regs->orig_ax, compat, ret);
	return skip ? 0 : exit_standalone(rr, task, regs, desc, ret, now, enter_ts, retry, compat);
}

/* Copies n bytes (at most OG_CAPTURE_MAX) of user memory src to byte at of
 * chunk; returns the bytes copied. One piece (the default 256 bytes) is
 * read here, without the call to the piece-by-piece copy. */
static __always_inline __u64 copy_out(void *chunk, __u64 at, __u64 src, __u64 n)
{
	if (n && n <= OG_PIECE)
		return bpf_probe_read_user(rec_at(chunk, at, 0), n, (void *)src) < 0 ? 0 : n;
	return n ? og_copy_user(chunk, at, src, n) : 0;
}

/*
 * Fills the output capture at offset off of the record at pos, from the
 * user memory its argument points to, now that the call returned ret: a
 * buffer with the bytes the call returned, a structure (whole) when the
 * call succeeded. Returns the next capture's offset; an input capture
 * between outputs is passed over, one kept apart is left to exit_apart
 * (its offset in *apart).
 */
static __always_inline __u16 exit_fill(void *chunk, __u64 pos, __u16 off, struct pt_regs *regs, bool compat, long ret,
				       __u16 *apart)
{
	struct og_cap *cap = rec_at(chunk, pos, off);
	__u64 size = cap->size, n, got = 0, at = 0;
	__u16 next = off + sizeof(*cap) + og_round8(size);
	__u8 cflags = cap->flags, kind = cap->kind;
	__u64 src = regs_arg(regs, cap->arg, compat);

	if (cflags & OG_CAP_APART) {
		*apart = off;
		return next;
	}
	/* The cost table without the copy (the apart one says so itself). */
	if (og_ablate & OG_ABLATE_COPY)
		return next;
	if (kind == OG_ARG_BUF_OUT) {
		n = ret > 0 ? ret : 0;
		if (n > size) {
			cflags |= OG_CAP_TRUNCATED;
			n = size;
		}
	} else if (kind == OG_ARG_STRUCT_OUT) {
		n = ret >= 0 ? size : 0;
		src += cap->count; /* the window's start */
	} else if (kind == OG_ARG_IOV_OUT) {
		if (ret >= 0 && cap->len) {
			if (og_fill_iov(chunk, pos + off + sizeof(*cap), src, cap->count, ret) < 0)
				cflags |= OG_CAP_UNREADABLE;
			cap->len = size;
			cap->flags = cflags;
		}
		return next;
	} else if (kind == OG_ARG_ARRAY_OUT) {
		/* The first ret elements of cap->count bytes. */
		n = ret > 0 ? ret * cap->count : 0;
		if (n > size) {
			cflags |= OG_CAP_TRUNCATED;
			n = size;
		}
	} else if (kind == OG_ARG_STRUCT_INOUT) {
		/* The value at enter is in the first half (len bytes, as many as
		 * the result): the result goes in the second. */
		at = size / 2;
		n = ret >= 0 && cap->len <= at ? cap->len : 0;
	} else if (kind == OG_ARG_MSGHDR_IN) {
		/* recvmsg's room (len 0); an input one is passed over. */
		if (ret >= 0 && !cap->len && size) {
			if (og_fill_msghdr(chunk, pos + off + sizeof(*cap), src, cap->count, ret) < 0)
				cflags |= OG_CAP_UNREADABLE;
			cap->len = size;
			cap->flags = cflags;
		}
		return next;
	} else {
		return next;
	}
	if (n > OG_CAPTURE_MAX)
		n = OG_CAPTURE_MAX;
	got = copy_out(chunk, pos + off + sizeof(*cap) + at, src, n);
	if (got < n)
		cflags |= OG_CAP_UNREADABLE;
	cap->len = at + got;
	cap->flags = cflags;
	return next;
}

/*
 * The output a compact record keeps apart (og_format.h, struct
 * og_rec_out): the bytes the call returned, at most the capture's len, in
 * an output record claimed now, published before its syscall record is
 * DONE; then the capture names it (or says it has none, or that the ring
 * had no room). Returns false when the claim took the record's own chunk
 * for the writers' next lap (a short ring, the record at its chunk's end:
 * the claim padded to the next chunk): the record is being overwritten,
 * nothing more may be written to it.
 */
static __always_inline bool exit_apart(struct ring_ref *rr, void *chunk, __u64 pos, __u16 off, struct pt_regs *regs,
				       bool compat, long ret)
{
	struct og_cap *cap = rec_at(chunk, pos, off);
	/* The cost table without the copy: no output either. */
	__u64 n = ret > 0 && !(og_ablate & OG_ABLATE_COPY) ? ret : 0, want = cap->len, q = 0, got = 0, src, lap;
	__u8 kind = cap->kind, elem = cap->count, oflags = 0, cflags = 0;
	__u32 olen, fwd = 0;
	struct og_rec_out *o;
	void *ochunk;

	if (kind == OG_ARG_ARRAY_OUT)
		n *= elem;
	if (n > want) {
		oflags |= OG_CAP_TRUNCATED;
		n = want;
	}
	if (n > OG_CAPTURE_MAX)
		n = OG_CAPTURE_MAX;
	olen = og_round8(sizeof(*o) + sizeof(*cap) + n);
	/* A link reaches 2^24 words (128 MiB): a record further back than
	 * that from the head (in a bigger ring) keeps no output, and claims
	 * none. */
	if (n && (READ_ONCE(rr->hdr->head) + olen + OG_CHUNK_BYTES - pos) >> 3 > OG_CAP_APART_MAX) {
		cflags = OG_CAP_LOST;
		n = 0;
	}
	if (n) {
		lap = (pos & ~(__u64)(OG_CHUNK_BYTES - 1)) + ((rr->hdr->chunk_mask + 1) << OG_CHUNK_SHIFT);
		ochunk = ring_claim(rr, olen, &q);
		/* Past the record's next lap, or past the link's reach (other
		 * writers claimed meanwhile): a pad. */
		if (ochunk && (q >= lap || ((q - pos) >> 3) > OG_CAP_APART_MAX)) {
			rec_publish(rec_at(ochunk, q, 0), q, olen, OG_TAG_PAD);
			if (q >= lap)
				return false;
			ochunk = NULL;
		}
		if (ochunk) {
			o = rec_at(ochunk, q, 0);
			WRITE_ONCE(o->tag, og_tag(q, olen, OG_TAG_WRITING));
			barrier();
			o->seq_type = OG_REC_OUTPUT;
			o->back = (q - pos) >> 3;
			src = regs_arg(regs, cap->arg, compat);
			got = copy_out(ochunk, q + sizeof(*o) + sizeof(*cap), src, n);
			if (got < n)
				oflags |= OG_CAP_UNREADABLE;
			cap_put(ochunk, q + sizeof(*o), cap->arg, kind, oflags, elem, got, n);
			rec_publish(o, q, olen, OG_TAG_DONE);
			fwd = (q - pos) >> 3;
		} else {
			cflags = OG_CAP_LOST;
		}
	}
	/* No output record: an ordinary empty capture (an array's count kept:
	 * epoll_wait's 0 events print as []). */
	cap->count = fwd ? fwd >> 16 : elem;
	cap->len = fwd;
	cap->flags = fwd ? OG_CAP_APART : cflags | oflags;
	return true;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(og_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task;
	struct og_thread *th;
	struct ring_ref rr;
	__u64 now = 0, enter_ts = 0;
	__u32 key, tid;
	bool retry = false, compat, skip;

	if (!og_config.registered)
		return 0;
	task = bpf_get_current_task_btf();
	if (!ring_find_current(task, &rr) || !gen_records())
		return 0;
	/* Not in the ring's selection: its sys_enter wrote nothing; counted,
	 * without its time (not measured), and no record. */
	compat = task_is_compat(task);
	skip = skipped(rr.hdr, regs->orig_ax, compat);
	if (skip)
		goto counted;
	tid = task->pid;
	key = tid & (OG_THREADS - 1);
	th = bpf_map_lookup_elem(&threads, &key);
	if (exited_before(th, tid, regs->orig_ax))
		return 0;
	now = sys_now();
	/* The cost table: with no entry or no record, no completion. */
	if (og_ablate & (OG_ABLATE_THREAD | OG_ABLATE_PUBLISH)) {
		skip = true;
		goto counted;
	}
	if (th && th->tid == tid && th->ring_slot == rr.slot) {
		__u64 pos = th->pos, head = READ_ONCE(rr.hdr->head);
		__u64 ring_bytes = (rr.hdr->chunk_mask + 1) << OG_CHUNK_SHIFT;
		__u32 ck = 1 + ((pos >> OG_CHUNK_SHIFT) & rr.hdr->chunk_mask);
		struct og_rec_sys *r;
		void *chunk;
		__u64 tag;
		__u32 shape;
		__u16 off, apart = 0;
		__s16 nr;
		__u8 role;
		bool compat_rec;

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
		/* Its own: the compact record this thread entered, named by the
		 * thread record the entry still holds. */
		if (!og_tag_at(tag, pos) || og_tag_state(tag) != OG_TAG_ENTERED ||
		    (r->seq_type & 0xf) != OG_REC_COMPACT || th->thr_tid != tid ||
		    pos - ((__u64)OG_WHERE_THREAD(r->where) << 3) != th->thr_pos)
			goto standalone;
		enter_ts = th->thr_ns + r->dt;
		shape = r->shape;
		if (OG_SHAPE_FLAGS(shape) & OG_RF_RETRY) {
			retry = true;
			goto standalone;
		}
		/* A return that needs 64 bits where the record kept room for 32
		 * (lseek past 2 GiB): written apart, whole. */
		if ((__s64)(__s32)ret != ret && !(shape & OG_SHAPE_RET_WIDE))
			goto standalone;
		/* Plain stores: the thread is the record's only other writer, and
		 * the check above keeps lapping writers a chunk away. */
		WRITE_ONCE(r->tag, (tag & ~7ULL) | OG_TAG_EXITING);
		barrier();
		r->ret = ret;
		if (shape & OG_SHAPE_RET_WIDE)
			*(__s32 *)rec_at4(chunk, pos, sizeof(*r)) = ret >> 32;
		r->duration = og_dur_encode(now - enter_ts);
		compat_rec = OG_SHAPE_FLAGS(shape) & OG_RF_I386;
		nr = th->nr; /* what sys_enter entered: the record's number */
		/* The outputs: from the first one to the record's end, at most
		 * every capture. */
		off = th->out_off;
		for (int k = 0; k < OG_NCAPS && off; k++) {
			if (off + sizeof(struct og_cap) > og_tag_len(tag))
				break;
			off = exit_fill(chunk, pos, off, regs, compat, ret, &apart);
		}
		/* Its output's claim lapped it (a short ring): the record is
		 * being overwritten, its exit only counted. A standalone exit
		 * here would take the verifier's combined stack past 512 bytes. */
		if (!apart || exit_apart(&rr, chunk, pos, apart, regs, compat, ret)) {
			barrier();
			WRITE_ONCE(r->tag, (tag & ~7ULL) | OG_TAG_DONE);
		}
		/* The role its sys_enter saved; one the old generation entered
		 * during a reload's window did not save it: its row. */
		role = th->gen == og_generation ? th->role : desc_role(desc_lookup(nr, compat_rec));
		count_exit(&rr, nr, compat_rec, ret, now - enter_ts, role);
		net_exit_maybe(rr.hdr, regs, role, nr, compat_rec, ret);
		thread_exited(th, tid, regs->orig_ax);
		goto fds;
	}
standalone:
	thread_exited(th, tid, regs->orig_ax);
counted:
	exit_counted(&rr, task, regs, ret, now, enter_ts, retry, compat, skip);
fds:
	/* One call site, whichever way the exit went: inlined once. */
	fds_exit(&rr, regs, regs->orig_ax, compat, ret, now);
	return 0;
}
