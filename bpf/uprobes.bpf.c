// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * oci-gadget uprobe and USDT events, linked with syscalls.bpf.c into one
 * object (bpftool gen object) so that they share its maps: the bucket
 * table, the rings, the stats (og_ring.bpf.h). gadget-hook
 * attaches these programs (pinned under progs/) once per file and offset,
 * whatever the number of containers mapping that file; each call is routed
 * here to the calling task's container by its cgroup, and dropped when the
 * task is in no registered container or its container did not ask for the
 * probe's family. What a probe is comes from its BPF cookie, and what a kind
 * is (family, flags) from OG_EVENT_KINDS in og_format.h.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "og_format.h"
#include "og_ring.bpf.h"

/* User stacks of allocations: frame-pointer walks, OG_STACK_DEPTH frames. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, OG_STACKS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, OG_STACK_DEPTH * sizeof(__u64));
} ustacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OG_USDT_SPECS);
	__type(key, __u32);
	__type(value, struct og_usdt_spec);
} usdt_specs SEC(".maps");

/* A call in flight: entry seen, return not yet. Keyed by tid and kind. */
struct og_pending {
	__u64 ts;
	__u64 a[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct og_pending);
} pending SEC(".maps");

/* The ring of the calling task's container, if it asked for kind. */
static __always_inline bool event_ring(struct task_struct *task, __u32 kind, struct ring_ref *rr)
{
	if (!og_config.registered)
		return false;
	return ring_find_current(task, rr) && (rr->hdr->events & og_event_family(kind));
}

static __always_inline __u64 pending_key(struct task_struct *task, __u32 kind)
{
	return ((__u64)task->pid << 8) | kind;
}

/* An event record: header, OG_NARGS words (zeroed, no stack), and room
 * for a capture of cap_size bytes (0: none). */
struct event_rec {
	void *chunk;
	struct og_rec *r;
	__u64 *a;
	__u64 pos;
	__u32 len;
};

static __always_inline bool event_start(struct event_rec *e, struct ring_ref *rr, struct task_struct *task, __u32 kind,
					__u32 cap_size, __u64 ts)
{
	e->len = sizeof(struct og_rec) + OG_NARGS * sizeof(__u64) +
		 (cap_size ? sizeof(struct og_cap) + og_round8(cap_size) : 0);
	e->chunk = ring_claim(rr, e->len, &e->pos);
	if (!e->chunk)
		return false;
	e->r = rec_start(e->chunk, e->pos, e->len, task, OG_REC_EVENT, kind, ts);
	e->r->nargs = OG_NARGS;
	e->a = rec_at(e->chunk, e->pos, sizeof(struct og_rec));
#pragma unroll
	for (int i = 0; i < OG_NARGS; i++)
		e->a[i] = 0;
	e->a[OG_EA_STACK] = (__u64)-1;
	return true;
}

static __always_inline void event_publish(struct event_rec *e)
{
	rec_publish(e->r, e->pos, e->len, OG_TAG_DONE);
}

/* The capture's descriptor and data offset in an event record. */
#define EVENT_CAP_REL (sizeof(struct og_rec) + OG_NARGS * sizeof(__u64))

SEC("uprobe")
int og_uprobe(struct pt_regs *ctx)
{
	__u32 kind = OG_COOKIE_KIND(bpf_get_attach_cookie(ctx));
	struct task_struct *task = bpf_get_current_task_btf();
	struct event_rec e;
	struct ring_ref rr;

	if (!event_ring(task, kind, &rr))
		return 0;
	if (og_event_flags(kind) & OG_EK_RETURNS) {
		struct og_pending p = {
			.ts = bpf_ktime_get_boot_ns(),
			.a = {PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), PT_REGS_PARM3(ctx), PT_REGS_PARM4(ctx)},
		};
		__u64 key = pending_key(task, kind);

		bpf_map_update_elem(&pending, &key, &p, BPF_ANY);
		return 0;
	}
	if (!event_start(&e, &rr, task, kind, 0, bpf_ktime_get_boot_ns()))
		return 0;
	e.a[OG_EA_ADDR] = PT_REGS_PARM1(ctx);
	if (kind == OG_EV_MUNMAP)
		e.a[OG_EA_SIZE] = PT_REGS_PARM2(ctx);
	event_publish(&e);
	return 0;
}

/* The hash of the user stack bpf_get_stackid just stored (og_ustack_hash):
 * the same walk, copied to scratch. 0 when it cannot be taken. */
static __always_inline __u32 ustack_check(struct pt_regs *ctx)
{
	__u32 user = OG_SCRATCH_UPROBE;
	struct og_scratch *sc = bpf_map_lookup_elem(&scratch, &user);
	long n;

	if (!sc)
		return 0;
	n = bpf_get_stack(ctx, sc->slot[0], OG_STACK_DEPTH * sizeof(__u64), BPF_F_USER_STACK);
	if (n <= 0)
		return 0;
	return og_ustack_hash((const __u64 *)sc->slot[0], n / sizeof(__u64));
}

SEC("uretprobe")
int og_uretprobe(struct pt_regs *ctx)
{
	__u32 kind = OG_COOKIE_KIND(bpf_get_attach_cookie(ctx));
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 key, ret = PT_REGS_RC(ctx), now;
	__u32 cap = 0, family = og_event_family(kind);
	struct og_pending *p;
	struct event_rec e;
	struct ring_ref rr;

	key = pending_key(task, kind);
	p = bpf_map_lookup_elem(&pending, &key);
	if (!p)
		return 0;
	if (!event_ring(task, kind, &rr))
		goto out;
	/* SSL_write_ex(ssl, buf, num, &written) returns 1 and the count through
	 * its 4th argument: recorded as SSL_write would return it. */
	if ((og_event_flags(kind) & OG_EK_COUNT_ARG4) && (int)ret == 1) {
		__u64 count = 0;

		bpf_probe_read_user(&count, sizeof(count), (void *)p->a[3]);
		ret = count;
	}
	/* SSL_write(ssl, buf, num), SSL_read(ssl, buf, num), gnutls_record_send
	 * and _recv(session, data, size): the plaintext is in buf once the call
	 * returned. */
	if (family == OG_FAM_SSL && (__s64)ret > 0) {
		__u32 max = rr.hdr->plaintext_max;

		cap = ret < max ? ret : max;
		if (cap > OG_CAPTURE_MAX)
			cap = OG_CAPTURE_MAX;
	}
	now = bpf_ktime_get_boot_ns();
	if (!event_start(&e, &rr, task, kind, cap, now))
		goto out;
	e.a[OG_EA_DURATION] = now - p->ts;
	/* The stack at return starts in the caller, with its frame pointer
	 * restored; at entry the caller's own frame would be skipped. */
	if (og_event_flags(kind) & OG_EK_USTACK) {
		long id = bpf_get_stackid(ctx, &ustacks, BPF_F_USER_STACK | BPF_F_REUSE_STACKID);

		e.a[OG_EA_STACK] = og_ustack_word(id, id >= 0 ? ustack_check(ctx) : 0);
	}
	switch (kind) {
	case OG_EV_MALLOC:
		e.a[OG_EA_SIZE] = p->a[0];
		e.a[OG_EA_ADDR] = ret;
		break;
	case OG_EV_CALLOC:
		e.a[OG_EA_SIZE] = p->a[0] * p->a[1];
		e.a[OG_EA_ADDR] = ret;
		break;
	case OG_EV_REALLOC:
		e.a[OG_EA_OLD] = p->a[0];
		e.a[OG_EA_SIZE] = p->a[1];
		e.a[OG_EA_ADDR] = ret;
		break;
	case OG_EV_POSIX_MEMALIGN: {
		/* int posix_memalign(void **memptr, size_t alignment, size_t size) */
		__u64 addr = 0;

		e.a[OG_EA_SIZE] = p->a[2];
		e.a[OG_EA_RET] = ret;
		if ((int)ret == 0)
			bpf_probe_read_user(&addr, sizeof(addr), (void *)p->a[0]);
		e.a[OG_EA_ADDR] = addr;
		break;
	}
	case OG_EV_ALIGNED_ALLOC:
	case OG_EV_MMAP:
		e.a[OG_EA_SIZE] = p->a[1];
		e.a[OG_EA_ADDR] = ret;
		break;
	default: /* ssl */
		e.a[OG_EA_SIZE] = p->a[2];
		e.a[OG_EA_RET] = ret;
		if (cap) {
			__u32 got = og_copy_user(e.chunk, e.pos + EVENT_CAP_REL + sizeof(struct og_cap), p->a[1], cap);

			cap_put(e.chunk, e.pos + EVENT_CAP_REL, 1, OG_ARG_BUF_IN,
				(got < cap ? OG_CAP_UNREADABLE : 0) | (ret > cap ? OG_CAP_TRUNCATED : 0), 0, got, cap);
			e.r->ncaps = 1;
		}
		break;
	}
	event_publish(&e);
out:
	bpf_map_delete_elem(&pending, &key);
	return 0;
}

/* One USDT argument, decoded as libbpf's usdt.bpf.h does. */
static __always_inline __u64 usdt_arg(struct pt_regs *ctx, const struct og_usdt_spec *spec, int i)
{
	const struct og_usdt_arg *a;
	__u64 v = 0;
	int size, shift;

	if (i >= OG_USDT_MAX_ARGS || i >= spec->nargs)
		return 0;
	a = &spec->args[i];
	switch (a->type) {
	case OG_USDT_ARG_CONST: return a->val;
	case OG_USDT_ARG_REG:
		if (bpf_probe_read_kernel(&v, sizeof(v), (void *)ctx + (a->reg_off & 0xff)) < 0)
			return 0;
		v >>= a->reg_shift & 63;
		break;
	case OG_USDT_ARG_REG_DEREF:
		if (bpf_probe_read_kernel(&v, sizeof(v), (void *)ctx + (a->reg_off & 0xff)) < 0)
			return 0;
		if (bpf_probe_read_user(&v, sizeof(v), (void *)(v + a->val)) < 0)
			return 0;
		break;
	default: return 0;
	}
	size = a->size < 0 ? -a->size : a->size;
	if (size >= 1 && size < 8) {
		shift = 64 - size * 8;
		v <<= shift;
		if (a->size < 0)
			v = (__u64)((__s64)v >> shift);
		else
			v >>= shift;
	}
	return v;
}

SEC("uprobe")
int og_usdt(struct pt_regs *ctx)
{
	__u64 cookie = bpf_get_attach_cookie(ctx);
	__u32 kind = OG_COOKIE_KIND(cookie), spec_id = OG_COOKIE_SPEC(cookie);
	struct task_struct *task = bpf_get_current_task_btf();
	const struct og_usdt_spec *spec;
	struct og_pending *p;
	struct event_rec e;
	struct ring_ref rr;
	__u64 key, now;

	if (!event_ring(task, kind, &rr))
		return 0;
	spec = bpf_map_lookup_elem(&usdt_specs, &spec_id);
	if (!spec || !spec->used)
		return 0;
	key = pending_key(task, OG_EV_GC_START);
	if (kind == OG_EV_GC_START) {
		struct og_pending np = {.ts = bpf_ktime_get_boot_ns(), .a = {usdt_arg(ctx, spec, 0)}};

		bpf_map_update_elem(&pending, &key, &np, BPF_ANY);
		return 0;
	}
	if (og_event_family(kind) == OG_FAM_GC) {
		p = bpf_map_lookup_elem(&pending, &key);
		if (!p)
			return 0; /* the start was before the probe was attached */
		now = bpf_ktime_get_boot_ns();
		if (event_start(&e, &rr, task, kind, 0, now)) {
			e.a[OG_EA_DURATION] = now - p->ts;
			e.a[OG_EA_SIZE] = p->a[0];
			if (kind == OG_EV_GC_PYTHON)
				e.a[OG_EA_RET] = usdt_arg(ctx, spec, 0);
			event_publish(&e);
		}
		bpf_map_delete_elem(&pending, &key);
		return 0;
	}
	/* throw and rethrow: (void *obj, std::type_info *tinfo); the mangled
	 * type name is type_info::__name, after the vtable pointer. Read into
	 * scratch first: the record's length depends on it. */
	{
		__u64 tinfo = usdt_arg(ctx, spec, 1), name = 0;
		struct og_scratch *sc = NULL;
		__u32 user = OG_SCRATCH_UPROBE;
		long n = 0;

		if (tinfo && bpf_probe_read_user(&name, sizeof(name), (void *)(tinfo + 8)) == 0 && name &&
		    (sc = bpf_map_lookup_elem(&scratch, &user)))
			n = bpf_probe_read_user_str(sc->slot[0], OG_EVENT_STR_MAX, (void *)name);
		if (n < 0)
			n = 0;
		if (!event_start(&e, &rr, task, kind, n, bpf_ktime_get_boot_ns()))
			return 0;
		e.a[OG_EA_ADDR] = usdt_arg(ctx, spec, 0);
		if (n && sc) {
			og_copy_slot(e.chunk, e.pos + EVENT_CAP_REL + sizeof(struct og_cap), sc, 0, n);
			cap_put(e.chunk, e.pos + EVENT_CAP_REL, 1, OG_ARG_STR,
				n == OG_EVENT_STR_MAX ? OG_CAP_TRUNCATED : 0, 0, n, n);
			e.r->ncaps = 1;
		}
		event_publish(&e);
	}
	return 0;
}
