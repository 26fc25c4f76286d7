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
 * is from its descriptor in og_kinds (og_format.h): its family, flags, and
 * what each word of its record holds. No kind is named here: a new kind is
 * a row in og_events.c.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "og_format.h"
#include "og_ring.bpf.h"

/* User stacks of allocations: frame-pointer walks, OG_STACK_DEPTH frames. */
OG_STACK_MAP(ustacks);

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OG_USDT_SPECS);
	__type(key, __u32);
	__type(value, struct og_usdt_spec);
} usdt_specs SEC(".maps");

/* What each kind is, as these programs need it: written by gadget-tracer
 * from the kind rows before the load, read-only after. */
const volatile struct og_kind_desc og_kinds[OG_KINDS];

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

/* The ring of the calling task's container, if it asked for family. */
static __always_inline bool event_ring(struct task_struct *task, __u32 family, struct ring_ref *rr)
{
	if (!og_config.registered)
		return false;
	return ring_find_current(task, rr) && (rr->hdr->events & family);
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
	e->r = rec_start(rr->hdr, e->chunk, e->pos, e->len, task, OG_REC_EVENT, kind, ts);
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

/* The rarer sources, apart: the common ones stay a compare or two. */
static __always_inline __u64 from_computed(__u8 from, const __u64 *a, const __u64 *st, __u64 ret, const bool at_return,
					   const bool has_start)
{
	__u64 v = 0;

	if (at_return && OG_FROM_OP(from) == OG_FROM_OP_PRODUCT)
		return a[OG_FROM_I(from)] * a[OG_FROM_J(from)];
	/* Only a call that succeeded stored it (posix_memalign). */
	if (at_return && OG_FROM_OP(from) == OG_FROM_OP_STORED && (int)ret == 0)
		bpf_probe_read_user(&v, sizeof(v), (void *)a[OG_FROM_I(from)]);
	if (has_start && OG_FROM_OP(from) == OG_FROM_OP_START)
		v = st[OG_FROM_I(from)];
	return v;
}

/*
 * A word's value from its source (OG_FROM_*): a, the call's arguments (at
 * a return, as they were at its entry) or the USDT probe's; st, those of
 * the probe that started the call; ret, the return value. at_return and
 * has_start are constants of the calling program: the sources it cannot
 * have are compiled out (og_event_kinds_check keeps rows from using them).
 */
static __always_inline __u64 from_value(__u8 from, const __u64 *a, const __u64 *st, __u64 ret, const bool at_return,
					const bool has_start)
{
	if (at_return && from == OG_FROM_RET)
		return ret;
	if (OG_FROM_OP(from) == OG_FROM_OP_ARG)
		return a[OG_FROM_I(from)];
	return from_computed(from, a, st, ret, at_return, has_start);
}

/* The record's words, as the kind's descriptor says. */
static __always_inline void event_fill(struct event_rec *e, const volatile struct og_kind_desc *d, const __u64 *a,
				       const __u64 *st, __u64 ret, const bool at_return, const bool has_start)
{
#pragma unroll
	for (int s = 0; s < OG_NARGS; s++) {
		__u8 from = d->from[s];

		if (s != OG_EA_STACK && s != OG_EA_DURATION && from)
			e->a[s] = from_value(from, a, st, ret, at_return, has_start);
	}
}

SEC("uprobe")
int og_uprobe(struct pt_regs *ctx)
{
	__u32 kind = OG_COOKIE_KIND(bpf_get_attach_cookie(ctx));
	const volatile struct og_kind_desc *d = &og_kinds[kind];
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 a[4] = {PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), PT_REGS_PARM3(ctx), PT_REGS_PARM4(ctx)};
	struct event_rec e;
	struct ring_ref rr;

	if (!event_ring(task, d->family, &rr))
		return 0;
	if (d->flags & OG_EK_RETURNS) {
		struct og_pending p = {.ts = bpf_ktime_get_boot_ns(), .a = {a[0], a[1], a[2], a[3]}};
		__u64 key = pending_key(task, kind);

		bpf_map_update_elem(&pending, &key, &p, BPF_ANY);
		return 0;
	}
	if (!event_start(&e, &rr, task, kind, 0, bpf_ktime_get_boot_ns()))
		return 0;
	event_fill(&e, d, a, a, 0, false, false);
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
	const volatile struct og_kind_desc *d = &og_kinds[kind];
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 key, ret = PT_REGS_RC(ctx), now;
	__u32 cap = 0, flags = d->flags, capture = d->capture;
	struct og_pending *p;
	struct event_rec e;
	struct ring_ref rr;

	key = pending_key(task, kind);
	p = bpf_map_lookup_elem(&pending, &key);
	if (!p)
		return 0;
	if (!event_ring(task, d->family, &rr))
		goto out;
	/* SSL_write_ex(ssl, buf, num, &written) returns 1 and the count through
	 * its 4th argument: recorded as SSL_write would return it. */
	if ((flags & OG_EK_COUNT_ARG4) && (int)ret == 1) {
		__u64 count = 0;

		bpf_probe_read_user(&count, sizeof(count), (void *)p->a[3]);
		ret = count;
	}
	/* A buffer the call filled or sent (TLS plaintext): ret bytes of it. */
	if (OG_CAPTURE_OP(capture) == OG_CAPTURE_OP_RETURNED && (__s64)ret > 0) {
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
	if (flags & OG_EK_USTACK) {
		long id = bpf_get_stackid(ctx, &ustacks, BPF_F_USER_STACK | BPF_F_REUSE_STACKID);

		e.a[OG_EA_STACK] = og_ustack_word(id, id >= 0 ? ustack_check(ctx) : 0);
	}
	event_fill(&e, d, p->a, p->a, ret, true, false);
	if (cap) {
		__u32 arg = OG_CAPTURE_I(capture);
		__u32 got = og_copy_user(e.chunk, e.pos + EVENT_CAP_REL + sizeof(struct og_cap), p->a[arg], cap);

		cap_put(e.chunk, e.pos + EVENT_CAP_REL, arg, OG_ARG_BUF_IN,
			(got < cap ? OG_CAP_UNREADABLE : 0) | (ret > cap ? OG_CAP_TRUNCATED : 0), 0, got, cap);
		e.r->ncaps = 1;
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

/* The mangled name of the std::type_info at tinfo (type_info::__name,
 * after the vtable pointer), read into scratch: the record's length
 * depends on it. Its length, 0 when unreadable. */
static __always_inline long type_name(__u64 tinfo, struct og_scratch **scp)
{
	__u32 user = OG_SCRATCH_UPROBE;
	__u64 name = 0;
	long n = 0;

	if (tinfo && bpf_probe_read_user(&name, sizeof(name), (void *)(tinfo + 8)) == 0 && name &&
	    (*scp = bpf_map_lookup_elem(&scratch, &user)))
		n = bpf_probe_read_user_str((*scp)->slot[0], OG_EVENT_STR_MAX, (void *)name);
	return n < 0 ? 0 : n;
}

SEC("uprobe")
int og_usdt(struct pt_regs *ctx)
{
	__u64 cookie = bpf_get_attach_cookie(ctx);
	__u32 kind = OG_COOKIE_KIND(cookie), spec_id = OG_COOKIE_SPEC(cookie);
	const volatile struct og_kind_desc *d = &og_kinds[kind];
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 want = d->usdt_args, capture = d->capture, start = d->start;
	__u64 a[OG_USDT_MAX_ARGS], st[OG_USDT_MAX_ARGS], key = 0, now, t0 = 0;
	const struct og_usdt_spec *spec;
	struct og_scratch *sc = NULL;
	struct og_pending *p;
	struct event_rec e;
	struct ring_ref rr;
	long n = 0;

	if (!event_ring(task, d->family, &rr))
		return 0;
	spec = bpf_map_lookup_elem(&usdt_specs, &spec_id);
	if (!spec || !spec->used)
		return 0;
#pragma unroll
	for (int i = 0; i < OG_USDT_MAX_ARGS; i++)
		a[i] = want & (1u << i) ? usdt_arg(ctx, spec, i) : 0;
	/* A start (gc__start): its arguments and time wait for the end. */
	if (d->flags & OG_EK_INTERNAL) {
		struct og_pending np = {.ts = bpf_ktime_get_boot_ns(), .a = {a[0], a[1], a[2], a[3]}};

		key = pending_key(task, kind);
		bpf_map_update_elem(&pending, &key, &np, BPF_ANY);
		return 0;
	}
	if (start) {
		key = pending_key(task, start);
		p = bpf_map_lookup_elem(&pending, &key);
		if (!p)
			return 0; /* the start was before the probe was attached */
		t0 = p->ts;
	}
#pragma unroll
	for (int i = 0; i < OG_USDT_MAX_ARGS; i++)
		st[i] = start ? p->a[i] : 0;
	if (OG_CAPTURE_OP(capture) == OG_CAPTURE_OP_TYPE_NAME)
		n = type_name(a[OG_CAPTURE_I(capture)], &sc);
	now = bpf_ktime_get_boot_ns();
	if (event_start(&e, &rr, task, kind, n, now)) {
		if (start)
			e.a[OG_EA_DURATION] = now - t0;
		event_fill(&e, d, a, st, 0, false, true);
		if (n && sc) {
			og_copy_slot(e.chunk, e.pos + EVENT_CAP_REL + sizeof(struct og_cap), sc, 0, n);
			cap_put(e.chunk, e.pos + EVENT_CAP_REL, OG_CAPTURE_I(capture), OG_ARG_STR,
				n == OG_EVENT_STR_MAX ? OG_CAP_TRUNCATED : 0, 0, n, n);
			e.r->ncaps = 1;
		}
		event_publish(&e);
	}
	if (start)
		bpf_map_delete_elem(&pending, &key);
	return 0;
}
