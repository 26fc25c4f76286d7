/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * oci-gadget uprobe and USDT events, part of the syscalls object so that
 * they share its maps: the bucket table, the rings, the stats. gadget-hook
 * attaches these programs (pinned under progs/) once per file and offset,
 * whatever the number of containers mapping that file; each call is routed
 * here to the calling task's container by its cgroup, and dropped when the
 * task is in no registered container or its container did not ask for the
 * probe's family. What a probe is comes from its BPF cookie (og_format.h).
 */

/* User stacks of allocations: frame-pointer walks, OG_STACK_DEPTH frames. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, OG_STACKS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, OG_STACK_DEPTH * sizeof(__u64));
} ustacks SEC(".maps");

/* Kernel stacks of syscalls, for containers that ask (io.oci-gadget.kstack). */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, OG_STACKS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, OG_STACK_DEPTH * sizeof(__u64));
} kstacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OG_USDT_SPECS);
	__type(key, __u32);
	__type(value, struct og_usdt_spec);
} usdt_specs SEC(".maps");

/* A call in flight: entry seen, return not yet. Keyed by tid and kind. */
struct og_pending {
	__u64 ts;
	__u64 a[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct og_pending);
} pending SEC(".maps");

static __always_inline __u32 event_family(__u32 kind)
{
	if (kind <= OG_EV_MUNMAP)
		return OG_FAM_MALLOC;
	if (kind <= OG_EV_GNUTLS_RECV)
		return OG_FAM_SSL;
	if (kind <= OG_EV_GC)
		return OG_FAM_GC;
	return OG_FAM_EXCEPTIONS;
}

/* The ring of the calling task's container, if it asked for kind. */
static __always_inline struct og_ring_header *event_ring(struct task_struct *task, __u32 kind, void **ring)
{
	struct og_ring_header *hdr;

	if (!og_config.registered)
		return NULL;
	hdr = ring_find(task_cgroup_id(task), ring);
	if (!hdr || !(hdr->events & event_family(kind)))
		return NULL;
	return hdr;
}

static __always_inline __u64 pending_key(struct task_struct *task, __u32 kind)
{
	return ((__u64)task->pid << 8) | kind;
}

static __always_inline struct og_record *event_claim(void *ring, struct og_ring_header *hdr, struct task_struct *task,
						     __u32 kind, __u64 *seq)
{
	struct og_record *rec = ring_claim_in(ring, hdr, seq);

	if (!rec)
		return NULL;
	rec->ts_ns = bpf_ktime_get_boot_ns();
	rec->tgid = task->tgid;
	rec->tid = task->pid;
	rec->type = OG_REC_EVENT;
	rec->arch = OG_ARCH_X86_64;
	rec->nr = kind;
	rec->cpu = bpf_get_smp_processor_id();
	rec->ncaps = 0;
	rec->flags = 0;
	rec->kstack = 0;
	__builtin_memcpy(rec->comm, task->comm, sizeof(rec->comm));
#pragma unroll
	for (int i = 0; i < OG_NARGS; i++)
		rec->args[i] = 0;
	rec->args[OG_EA_STACK] = (__u64)-1;
	return rec;
}

static __always_inline bool kind_has_return(__u32 kind)
{
	return kind != OG_EV_FREE && kind != OG_EV_MUNMAP;
}

SEC("uprobe")
int og_uprobe(struct pt_regs *ctx)
{
	__u32 kind = OG_COOKIE_KIND(bpf_get_attach_cookie(ctx));
	struct task_struct *task = bpf_get_current_task_btf();
	struct og_ring_header *hdr;
	struct og_record *rec;
	void *ring;
	__u64 seq;

	hdr = event_ring(task, kind, &ring);
	if (!hdr)
		return 0;
	if (kind_has_return(kind)) {
		struct og_pending p = {
			.ts = bpf_ktime_get_boot_ns(),
			.a = {PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), PT_REGS_PARM3(ctx)},
		};
		__u64 key = pending_key(task, kind);

		bpf_map_update_elem(&pending, &key, &p, BPF_ANY);
		return 0;
	}
	rec = event_claim(ring, hdr, task, kind, &seq);
	if (!rec)
		return 0;
	rec->args[OG_EA_ADDR] = PT_REGS_PARM1(ctx);
	if (kind == OG_EV_MUNMAP)
		rec->args[OG_EA_SIZE] = PT_REGS_PARM2(ctx);
	ring_publish(rec, seq);
	return 0;
}

/* SSL_write(ssl, buf, num), SSL_read(ssl, buf, num), gnutls_record_send and
 * _recv(session, data, size): the plaintext is in buf once the call returned. */
static __always_inline void ssl_fill(struct og_record *rec, struct og_ring_header *hdr, struct og_pending *p, __s64 ret)
{
	struct og_capture *cap = &rec->caps[0];
	__u32 max = hdr->plaintext_max;
	__u64 n;

	rec->args[OG_EA_SIZE] = p->a[2];
	rec->args[OG_EA_RET] = ret;
	if (ret <= 0 || max == 0)
		return;
	cap_init(cap, 1, OG_ARG_BUF_IN);
	n = ret;
	if (n > max)
		n = max;
	cap_read_buf(cap, p->a[1], n);
	if ((__u64)ret > n)
		cap->flags |= OG_CAP_TRUNCATED;
	rec->ncaps = 1;
}

SEC("uretprobe")
int og_uretprobe(struct pt_regs *ctx)
{
	__u32 kind = OG_COOKIE_KIND(bpf_get_attach_cookie(ctx));
	struct task_struct *task = bpf_get_current_task_btf();
	struct og_ring_header *hdr;
	struct og_pending *p;
	struct og_record *rec;
	__u64 key, seq, ret;
	void *ring;

	key = pending_key(task, kind);
	p = bpf_map_lookup_elem(&pending, &key);
	if (!p)
		return 0;
	hdr = event_ring(task, kind, &ring);
	if (!hdr)
		goto out;
	rec = event_claim(ring, hdr, task, kind, &seq);
	if (!rec)
		goto out;
	ret = PT_REGS_RC(ctx);
	rec->args[OG_EA_DURATION] = rec->ts_ns - p->ts;
	/* The stack at return starts in the caller, with its frame pointer
	 * restored; at entry the caller's own frame would be skipped. */
	if (event_family(kind) == OG_FAM_MALLOC)
		rec->args[OG_EA_STACK] = bpf_get_stackid(ctx, &ustacks, BPF_F_USER_STACK);
	switch (kind) {
	case OG_EV_MALLOC:
		rec->args[OG_EA_SIZE] = p->a[0];
		rec->args[OG_EA_ADDR] = ret;
		break;
	case OG_EV_CALLOC:
		rec->args[OG_EA_SIZE] = p->a[0] * p->a[1];
		rec->args[OG_EA_ADDR] = ret;
		break;
	case OG_EV_REALLOC:
		rec->args[OG_EA_OLD] = p->a[0];
		rec->args[OG_EA_SIZE] = p->a[1];
		rec->args[OG_EA_ADDR] = ret;
		break;
	case OG_EV_POSIX_MEMALIGN: {
		/* int posix_memalign(void **memptr, size_t alignment, size_t size) */
		__u64 addr = 0;

		rec->args[OG_EA_SIZE] = p->a[2];
		rec->args[OG_EA_RET] = ret;
		if ((int)ret == 0)
			bpf_probe_read_user(&addr, sizeof(addr), (void *)p->a[0]);
		rec->args[OG_EA_ADDR] = addr;
		break;
	}
	case OG_EV_ALIGNED_ALLOC:
		rec->args[OG_EA_SIZE] = p->a[1];
		rec->args[OG_EA_ADDR] = ret;
		break;
	case OG_EV_MMAP:
		rec->args[OG_EA_SIZE] = p->a[1];
		rec->args[OG_EA_ADDR] = ret;
		break;
	default: ssl_fill(rec, hdr, p, (__s64)ret); break;
	}
	ring_publish(rec, seq);
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
	struct og_ring_header *hdr;
	struct og_pending *p;
	struct og_record *rec;
	__u64 key, seq;
	void *ring;

	hdr = event_ring(task, kind, &ring);
	if (!hdr)
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
	if (kind == OG_EV_GC) {
		p = bpf_map_lookup_elem(&pending, &key);
		if (!p)
			return 0; /* the start was before the probe was attached */
		rec = event_claim(ring, hdr, task, kind, &seq);
		if (rec) {
			rec->args[OG_EA_DURATION] = rec->ts_ns - p->ts;
			rec->args[OG_EA_SIZE] = p->a[0];
			rec->args[OG_EA_OLD] = OG_COOKIE_AUX(cookie);
			if (OG_COOKIE_AUX(cookie) == OG_RT_PYTHON)
				rec->args[OG_EA_RET] = usdt_arg(ctx, spec, 0);
			ring_publish(rec, seq);
		}
		bpf_map_delete_elem(&pending, &key);
		return 0;
	}
	/* throw and rethrow: (void *obj, std::type_info *tinfo); the mangled
	 * type name is type_info::__name, after the vtable pointer. */
	rec = event_claim(ring, hdr, task, kind, &seq);
	if (!rec)
		return 0;
	rec->args[OG_EA_ADDR] = usdt_arg(ctx, spec, 0);
	__u64 tinfo = usdt_arg(ctx, spec, 1), name = 0;
	if (tinfo && bpf_probe_read_user(&name, sizeof(name), (void *)(tinfo + 8)) == 0 && name) {
		cap_init(&rec->caps[0], 1, OG_ARG_STR);
		cap_read_str(&rec->caps[0], name);
		rec->ncaps = 1;
	}
	ring_publish(rec, seq);
	return 0;
}
