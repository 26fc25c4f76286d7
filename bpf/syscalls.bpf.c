// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * oci-gadget syscall flight recorder: sys_enter and sys_exit write records
 * into the ring of the calling task's container (looked up by cgroup id).
 * Everything syscall-specific comes from the syscall_args map, filled by
 * gadget-tracer from tracefs, so this file stays generic.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "og_format.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define TS_COMPAT 0x0002 /* arch/x86/include/asm/thread_info.h */
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))

struct og_ring_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, OG_SLOT_SIZE);
	__uint(max_entries, 2);
};

/* Ring slots: user space fills them ahead of time (the pool), because an
 * update of a map-in-map waits for an RCU grace period and a plain hash
 * update does not. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, OG_MAX_CONTAINERS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__array(values, struct og_ring_map);
} rings SEC(".maps");

/* cgroup id -> index in rings. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OG_MAX_CONTAINERS);
	__type(key, __u64);
	__type(value, __u32);
} cgroups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OG_SYSCALL_TABLE_SIZE);
	__type(key, __u32);
	__type(value, struct og_syscall_desc);
} syscall_args SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct og_stats);
} stats SEC(".maps");

/* tid -> mask of argument indexes whose string failed at sys_enter. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u32);
} str_retry SEC(".maps");

struct og_config og_config;

static __always_inline struct og_stats *stats_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&stats, &zero);
}

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

/*
 * The ring of cgroup cgid, with its header; NULL when cgid is not a
 * registered container's.
 */
static __always_inline struct og_ring_header *ring_find(__u64 cgid, void **ringp)
{
	struct og_ring_header *hdr;
	__u32 key = 0, slot, *idx;
	__u16 b;
	void *ring;

	b = og_config.bucket[og_cgroup_bucket(cgid)];
	if (b == OG_BUCKET_EMPTY)
		return NULL;
	if (b != OG_BUCKET_SHARED) {
		slot = b - 1;
	} else {
		idx = bpf_map_lookup_elem(&cgroups, &cgid);
		if (!idx)
			return NULL;
		slot = *idx;
	}
	ring = bpf_map_lookup_elem(&rings, &slot);
	if (!ring)
		return NULL;
	hdr = bpf_map_lookup_elem(ring, &key);
	/* Another cgroup in the same bucket, a slot being recycled, a pooled
	 * ring: a ring takes only its own cgroup's records. */
	if (!hdr || hdr->cgroup_id != cgid)
		return NULL;
	*ringp = ring;
	return hdr;
}

/*
 * Claim the next slot of a ring. Returns the record with seq cleared (so a
 * reader sees it as in progress), and its sequence in *seq.
 */
static __always_inline struct og_record *ring_claim_in(void *ring, struct og_ring_header *hdr, __u64 *seq)
{
	struct og_record *rec;
	__u32 key;

	*seq = __sync_fetch_and_add(&hdr->head, 1);
	key = 1 + (__u32)(*seq & hdr->mask);
	rec = bpf_map_lookup_elem(ring, &key);
	if (!rec) {
		__sync_fetch_and_add(&hdr->dropped, 1);
		struct og_stats *st = stats_get();
		if (st)
			st->dropped++;
		return NULL;
	}
	/* Invalidate first: a reader that saw the old seq must see a change. */
	WRITE_ONCE(rec->seq, 0);
	asm volatile("" ::: "memory");
	return rec;
}

static __always_inline __u64 task_cgroup_id(struct task_struct *task)
{
	return task->cgroups->dfl_cgrp->kn->id; /* bpf_get_current_cgroup_id(), without the call */
}

static __always_inline struct og_record *ring_claim(struct task_struct *task, __u64 *seq)
{
	struct og_ring_header *hdr;
	void *ring;

	hdr = ring_find(task_cgroup_id(task), &ring);
	if (!hdr)
		return NULL;
	return ring_claim_in(ring, hdr, seq);
}

static __always_inline void ring_publish(struct og_record *rec, __u64 seq)
{
	/* x86 is TSO: a compiler barrier orders the payload before seq. The
	 * records written are the rings' heads: no per-record counter. */
	asm volatile("" ::: "memory");
	WRITE_ONCE(rec->seq, seq + 1);
}

static __always_inline void record_common(struct og_record *rec, struct task_struct *task, __u16 type, bool compat,
					  __s32 nr)
{
	rec->ts_ns = bpf_ktime_get_boot_ns();
	/* Read through the trusted task pointer: no helper calls. */
	rec->tgid = task->tgid;
	rec->tid = task->pid;
	rec->type = type;
	rec->arch = compat ? OG_ARCH_I386 : OG_ARCH_X86_64;
	rec->nr = nr;
	rec->cpu = bpf_get_smp_processor_id();
	rec->ncaps = 0;
	rec->flags = 0;
	rec->kstack = 0;
	/* Exit records take their command name from the enter record. Two
	 * loads instead of bpf_get_current_comm(), which measured 40 ns. */
	if (type == OG_REC_SYS_ENTER)
		__builtin_memcpy(rec->comm, task->comm, sizeof(rec->comm));
	else
		rec->comm[0] = 0;
}

static __always_inline const struct og_syscall_desc *desc_lookup(__s32 nr, bool compat)
{
	__u32 key;

	if (nr < 0 || nr >= OG_SYSCALL_MAX)
		return NULL;
	key = (compat ? OG_SYSCALL_MAX : 0) + (__u32)nr;
	return bpf_map_lookup_elem(&syscall_args, &key);
}

static __always_inline void cap_init(struct og_capture *cap, int arg, __u8 kind)
{
	cap->arg = arg;
	cap->kind = kind;
	cap->flags = 0;
	cap->count = 0;
	cap->len = 0;
	cap->reserved = 0;
}

/* Read a user string; returns false if the memory was unreadable. */
static __always_inline bool cap_read_str(struct og_capture *cap, __u64 ptr)
{
	long n = bpf_probe_read_user_str(cap->data, sizeof(cap->data), (void *)ptr);

	if (n < 0) {
		cap->flags |= OG_CAP_UNREADABLE;
		cap->len = 0;
		return false;
	}
	cap->flags &= ~OG_CAP_UNREADABLE;
	cap->len = n; /* includes the NUL */
	if (n == sizeof(cap->data))
		cap->flags |= OG_CAP_TRUNCATED;
	return true;
}

static __always_inline void cap_read_buf(struct og_capture *cap, __u64 ptr, __u64 len)
{
	__u32 n = len > sizeof(cap->data) ? sizeof(cap->data) : len;

	if (len > sizeof(cap->data))
		cap->flags |= OG_CAP_TRUNCATED;
	if (n == 0)
		return;
	if (bpf_probe_read_user(cap->data, n & 0xff, (void *)ptr) < 0) {
		cap->flags |= OG_CAP_UNREADABLE;
		return;
	}
	cap->len = n;
}

/* argv: up to four strings packed NUL-separated into one capture. */
#define OG_ARGV_STR_MAX 64
static __always_inline void cap_read_argv(struct og_capture *cap, __u64 ptr)
{
	__u32 off = 0;

#pragma unroll
	for (int i = 0; i < 4; i++) {
		__u64 s = 0;
		long n;

		if (bpf_probe_read_user(&s, sizeof(s), (void *)(ptr + i * sizeof(__u64))) < 0) {
			if (i == 0)
				cap->flags |= OG_CAP_UNREADABLE;
			break;
		}
		if (!s)
			break;
		/* A constant read size keeps the verifier's bounds simple. */
		if (off > sizeof(cap->data) - OG_ARGV_STR_MAX) {
			cap->flags |= OG_CAP_TRUNCATED;
			break;
		}
		n = bpf_probe_read_user_str(cap->data + (off & 0xff), OG_ARGV_STR_MAX, (void *)s);
		if (n < 0) {
			cap->flags |= OG_CAP_UNREADABLE;
			break;
		}
		off += n;
		cap->count++;
		if (n == OG_ARGV_STR_MAX)
			cap->flags |= OG_CAP_TRUNCATED;
	}
	cap->len = off > sizeof(cap->data) ? sizeof(cap->data) : off;
}

/* The uprobe and USDT programs and their maps (kstacks is used below). */
#include "uprobes.bpf.h"

SEC("tp_btf/sys_enter")
int BPF_PROG(og_sys_enter, struct pt_regs *regs, long id)
{
	const struct og_syscall_desc *desc;
	struct og_ring_header *hdr;
	struct task_struct *task;
	struct og_record *rec;
	__u32 retry_mask = 0;
	bool compat;
	void *ring;
	__u64 seq;
	int ncap = 0;

	if (!og_config.registered)
		return 0;
	task = bpf_get_current_task_btf();
	hdr = ring_find(task_cgroup_id(task), &ring);
	if (!hdr)
		return 0;
	rec = ring_claim_in(ring, hdr, &seq);
	if (!rec)
		return 0;

	compat = task_is_compat(task);
	record_common(rec, task, OG_REC_SYS_ENTER, compat, id);
	if (hdr->flags & OG_RING_F_KSTACK) {
		long sid = bpf_get_stackid(ctx, &kstacks, 0);

		if (sid >= 0) {
			rec->kstack = sid;
			rec->flags |= OG_REC_KSTACK;
		}
	}
#pragma unroll
	for (int i = 0; i < OG_NARGS; i++)
		rec->args[i] = regs_arg(regs, i, compat);

	desc = desc_lookup(id, compat);
	if (desc) {
#pragma unroll
		for (int i = 0; i < OG_NARGS; i++) {
			__u8 kind = desc->kind[i];
			struct og_capture *cap;

			if (kind == OG_ARG_NONE || kind == OG_ARG_BUF_OUT)
				continue;
			if (ncap >= OG_NCAPS)
				break;
			cap = &rec->caps[ncap];
			cap_init(cap, i, kind);
			if (kind == OG_ARG_STR) {
				if (!cap_read_str(cap, rec->args[i])) {
					retry_mask |= 1u << i;
					struct og_stats *st = stats_get();
					if (st)
						st->str_failed++;
				}
			} else if (kind == OG_ARG_ARGV) {
				cap_read_argv(cap, rec->args[i]);
			} else {
				__u8 sa = desc->size_arg[i];
				__u64 len = sa < OG_NARGS ? rec->args[sa & 7] : 0;
				cap_read_buf(cap, rec->args[i], len);
			}
			ncap++;
		}
	}
	rec->ncaps = ncap;
	if (retry_mask) {
		__u32 tid = rec->tid;

		rec->flags |= OG_REC_RETRY_PENDING;
		if (bpf_map_update_elem(&str_retry, &tid, &retry_mask, BPF_ANY) < 0) {
			struct og_stats *st = stats_get();
			if (st)
				st->retry_full++;
		}
	}
	ring_publish(rec, seq);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(og_sys_exit, struct pt_regs *regs, long ret)
{
	const struct og_syscall_desc *desc;
	struct task_struct *task;
	struct og_record *rec;
	__u32 *retry = NULL;
	bool compat;
	__s32 nr;
	__u64 seq;
	int ncap = 0;

	if (!og_config.registered)
		return 0;
	task = bpf_get_current_task_btf();
	rec = ring_claim(task, &seq);
	if (!rec)
		return 0;

	compat = task_is_compat(task);
	nr = regs->orig_ax;
	record_common(rec, task, OG_REC_SYS_EXIT, compat, nr);
	rec->args[0] = ret;
#pragma unroll
	for (int i = 1; i < OG_NARGS; i++)
		rec->args[i] = 0;

	desc = desc_lookup(nr, compat);
	if (desc && (desc->flags & OG_DESC_HAS_STR)) {
		__u32 tid = rec->tid;

		retry = bpf_map_lookup_elem(&str_retry, &tid);
	}
	if (desc && (retry || (desc->flags & OG_DESC_HAS_OUT))) {
#pragma unroll
		for (int i = 0; i < OG_NARGS; i++) {
			__u8 kind = desc->kind[i];
			struct og_capture *cap;

			if (ncap >= OG_NCAPS)
				break;
			if (kind == OG_ARG_BUF_OUT) {
				cap = &rec->caps[ncap];
				cap_init(cap, i, kind);
				cap_read_buf(cap, regs_arg(regs, i, compat), ret > 0 ? ret : 0);
				ncap++;
			} else if (kind == OG_ARG_STR && retry && (*retry & (1u << i))) {
				cap = &rec->caps[ncap];
				cap_init(cap, i, kind);
				cap->flags |= OG_CAP_RETRIED;
				if (!cap_read_str(cap, regs_arg(regs, i, compat))) {
					struct og_stats *st = stats_get();
					if (st)
						st->str_lost++;
				}
				ncap++;
			}
		}
	}
	if (retry) {
		__u32 tid = rec->tid;

		bpf_map_delete_elem(&str_retry, &tid);
	}
	rec->ncaps = ncap;
	ring_publish(rec, seq);
	return 0;
}
