/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The ring writer shared by the syscall and uprobe programs: the maps that
 * lead from a task to its container's ring, the claim of a record's bytes
 * and the copy of captured bytes into a chunk. og_format.h has the layout.
 */
#ifndef OG_RING_BPF_H
#define OG_RING_BPF_H

#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))
#define READ_ONCE(x) (*(volatile typeof(x) *)&(x))
#define barrier() asm volatile("" ::: "memory")

struct og_ring_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, OG_ELEM_SIZE);
	__uint(max_entries, 2);
};

/* A stack map of OG_STACKS stacks of OG_STACK_DEPTH frames: kernel stacks
 * of syscalls, user stacks of allocations. */
#define OG_STACK_MAP(name)                                          \
	struct {                                                    \
		__uint(type, BPF_MAP_TYPE_STACK_TRACE);             \
		__uint(max_entries, OG_STACKS);                     \
		__uint(key_size, sizeof(__u32));                    \
		__uint(value_size, OG_STACK_DEPTH * sizeof(__u64)); \
	} name SEC(".maps")

/* Ring slots: user space fills them ahead of time (the pool), because an
 * update of a map-in-map waits for an RCU grace period and a plain hash
 * update does not. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, OG_MAX_CONTAINERS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__array(values, struct og_ring_map);
} rings SEC(".maps") __weak;

/* Registered cgroup id -> its ring's slot and its level. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OG_MAX_CONTAINERS);
	__type(key, __u64);
	__type(value, struct og_cgroup_entry);
} cgroups SEC(".maps") __weak;

/* Where each thread's syscall record is, from sys_enter to sys_exit. A
 * plain array: its lookup is inlined, unlike task storage's helper. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OG_THREADS);
	__type(key, __u32);
	__type(value, struct og_thread);
} threads SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OG_SCRATCH_USERS);
	__type(key, __u32);
	__type(value, struct og_scratch);
} scratch SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct og_stats);
} stats SEC(".maps") __weak;

/* The programs' config (bucket table, registered count), mmapped by user
 * space: defined once, in syscalls.bpf.c; the linker resolves the other
 * objects' references to it. */
extern struct og_config og_config;

/* This object's generation (og_format.h, "Reloading without a gap"): set
 * by the loader before the load, a constant to the verifier. Defined once,
 * in syscalls.bpf.c. */
extern const volatile __u32 og_generation;

/* Whether this object's programs are the ones that record now. Not
 * checked by the uprobe programs: each uprobe link holds one program of
 * one generation, nothing else records its calls. */
static __always_inline bool gen_records(void)
{
	return READ_ONCE(og_config.generation) == og_generation;
}

static __always_inline struct og_stats *stats_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&stats, &zero);
}

/* A container's ring: the map, its header, its slot in maps/rings. */
struct ring_ref {
	void *ring;
	struct og_ring_header *hdr;
	__u32 slot;
};

#ifndef __arg_trusted
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))
#endif

/* The ring of the container registered as cgroup cgid, where the records
 * of the tasks below cgid go. */
static __always_inline bool ring_of(__u64 cgid, struct ring_ref *rr)
{
	struct og_cgroup_entry *e;
	struct og_ring_header *hdr;
	__u32 key = 0, slot;
	__u16 b;
	void *ring;

	b = og_config.bucket[og_cgroup_bucket(cgid)];
	if (b == OG_BUCKET_EMPTY)
		return false;
	if (b != OG_BUCKET_SHARED)
		slot = b - 1;
	else if ((e = bpf_map_lookup_elem(&cgroups, &cgid)))
		slot = e->slot;
	else
		return false;
	ring = bpf_map_lookup_elem(&rings, &slot);
	if (!ring)
		return false;
	hdr = bpf_map_lookup_elem(ring, &key);
	/* Another cgroup in the same bucket, a slot being recycled, a pooled
	 * ring: a ring takes only its own container's records. */
	if (!hdr || hdr->cgroup_id != cgid)
		return false;
	rr->ring = ring;
	rr->hdr = hdr;
	rr->slot = slot;
	return true;
}

/*
 * Finding a task's container (og_format.h): its cgroup's ancestor at each
 * registered level, deepest first, looked up. Any depth below a
 * container's cgroup is the container's, and nothing per child cgroup is
 * kept. The kernel keeps every cgroup's ancestors in cgrp->ancestors[],
 * indexed by level.
 *
 * The whole search as a global function, verified once whatever calls it
 * (inlined, its loop of lookups made each caller's verification several
 * times longer). Returns the ring's slot and sets *owner to the registered
 * cgroup it was found by, or returns -1. Probe reads for the ancestors:
 * this is not the syscall path's common case (ring_find_current).
 */
__weak __noinline int og_task_ring_slot(struct task_struct *task __arg_trusted, __u64 *owner)
{
	struct ring_ref rr;
	struct cgroup *cgrp;
	__u64 levels;
	__u32 level;

	if (!task || !owner)
		return -1;
	cgrp = task->cgroups->dfl_cgrp;
	level = cgrp->level;
	levels = READ_ONCE(og_config.levels);
	for (int i = 0; i < OG_LEVELS && levels; i++, levels >>= 8) {
		__u32 at = levels & 0xff;
		struct cgroup *anc = NULL;
		__u64 id;

		if (at > level)
			continue;
		bpf_probe_read_kernel(&anc, sizeof(anc),
				      (void *)cgrp + bpf_core_field_offset(struct cgroup, ancestors) +
					      at * sizeof(anc));
		id = anc ? BPF_CORE_READ(anc, kn, id) : 0;
		if (id && ring_of(id, &rr)) {
			*owner = id;
			return rr.slot;
		}
	}
	return -1;
}

/* The ring of task's container (any task: a signal's target, an OOM
 * victim, a uprobe's caller), or false. */
static __always_inline bool ring_find(struct task_struct *task, struct ring_ref *rr)
{
	__u64 owner = 0;
	__u32 key = 0;
	int slot = og_task_ring_slot(task, &owner);

	if (slot < 0)
		return false;
	rr->slot = slot;
	rr->ring = bpf_map_lookup_elem(&rings, &rr->slot);
	if (!rr->ring)
		return false;
	rr->hdr = bpf_map_lookup_elem(rr->ring, &key);
	/* The slot may have gone to another container since. */
	return rr->hdr && rr->hdr->cgroup_id == owner;
}

#ifdef OG_RING_RDONLY_CAST
/* Returns its argument, typed as the kernel's BTF type id btf_id, without
 * checking: the verifier turns the call into a register move, and loads
 * through the result are probe loads. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* The id of cgroup cgrp's ancestor at level at (at most cgrp's level), in
 * three loads: the verifier allows only constant offsets into BTF objects,
 * so the element of cgrp->ancestors[] is read as the first field (cgroup)
 * of a css at its address. */
static __always_inline __u64 cgroup_ancestor_id(struct cgroup *cgrp, __u32 at)
{
	void *elem = (void *)cgrp + bpf_core_field_offset(struct cgroup, ancestors) + at * sizeof(void *);
	struct cgroup_subsys_state *slot = bpf_rdonly_cast(elem, bpf_core_type_id_kernel(struct cgroup_subsys_state));

	return slot->cgroup->kn->id;
}

/*
 * The syscall path (syscalls.bpf.c defines OG_RING_RDONLY_CAST: libbpf
 * 1.1's linker refuses an extern kfunc declared in two of the objects it
 * links). The deepest registered level whose ancestor's bucket is not
 * empty, by loads alone, then that one container looked up inline: a host
 * process in no container pays a few loads per registered level and no
 * call, a traced task no call either. Only an ancestor whose bucket a
 * registered cgroup shares without being it (a collision) takes the
 * global search. Built with -DOG_ANCESTOR_HELPER, the ancestors come from
 * the kernel's helper instead: a build for bench/syscall-overhead to
 * compare the two.
 */
static __always_inline bool ring_find_current(struct task_struct *task, struct ring_ref *rr)
{
	__u64 levels = READ_ONCE(og_config.levels), id = 0;
#ifndef OG_ANCESTOR_HELPER
	struct cgroup *cgrp = task->cgroups->dfl_cgrp;
	__u32 level = cgrp->level;
#endif

	for (int i = 0; i < OG_LEVELS && levels; i++, levels >>= 8) {
		__u32 at = levels & 0xff;

#ifdef OG_ANCESTOR_HELPER
		id = bpf_get_current_ancestor_cgroup_id(at); /* 0: deeper than the task */
#else
		if (at > level)
			continue;
		id = at == level ? cgrp->kn->id : cgroup_ancestor_id(cgrp, at);
#endif
		if (og_config.bucket[og_cgroup_bucket(id)] != OG_BUCKET_EMPTY)
			break;
		id = 0;
	}
	if (!id)
		return false;
	return ring_of(id, rr) || ring_find(task, rr);
}
#else
#define ring_find_current ring_find
#endif

/* The events that come once, in the context of one thread (the sender of a
 * signal, the thread that dequeues it, the thread that exits, the OOM
 * killer's), for struct og_thread's once_what. */
#define OG_ONCE_SIGNAL_SENT 1
#define OG_ONCE_SIGNAL_DELIVERED 2
#define OG_ONCE_EXIT 3
#define OG_ONCE_OOM 4

/*
 * Whether this generation records an event that comes once (kind, detail:
 * the signal, the victim). Outside a reload's window: when it is the
 * recording generation. In the window both generations run for each
 * event, the old one first: the old one, while it records, leaves a mark
 * in the current thread's entry; the new one takes the mark (and records
 * nothing) for the same event, so an event the old one took before the
 * switch is not taken again after it.
 */
static __always_inline bool once_records(__u32 kind, __u32 detail)
{
	__u32 prev = READ_ONCE(og_config.prev_generation), what = kind << 24 | (detail & 0xffffff), tid, key;
	bool records = gen_records();
	struct og_thread *th;

	if (!prev)
		return records;
	tid = bpf_get_current_task_btf()->pid;
	key = tid & (OG_THREADS - 1);
	th = bpf_map_lookup_elem(&threads, &key);
	if (!th)
		return records;
	if (og_generation == prev) {
		if (records) {
			th->once_what = what;
			WRITE_ONCE(th->once_tid, tid);
		}
		return records;
	}
	if (READ_ONCE(th->once_tid) == tid && th->once_what == what) {
		th->once_tid = 0;
		return false;
	}
	return records;
}

/* Where byte rel of the record at pos is in its chunk (pos + rel is a
 * multiple of 8). The mask is a no-op at run time (a record never crosses
 * its chunk's end) and tells the verifier that a store of at most OG_PIECE
 * bytes stays in the element, and that the address is 8-byte aligned (the
 * tag's compare-and-swap needs it). */
static __always_inline void *rec_at(void *chunk, __u64 pos, __u32 rel)
{
	return chunk + ((pos + rel) & (OG_CHUNK_BYTES - OG_REC_ALIGN));
}

/* The same for a 4-byte word of a compact record (its arguments). */
static __always_inline void *rec_at4(void *chunk, __u64 pos, __u32 rel)
{
	return chunk + ((pos + rel) & (OG_CHUNK_BYTES - 4));
}

static __always_inline void count_dropped(struct og_ring_header *hdr)
{
	struct og_stats *st = stats_get();

	__sync_fetch_and_add(&hdr->dropped, 1);
	if (st)
		st->dropped++;
}

/*
 * Claims len bytes (a multiple of 8, at most OG_REC_MAX) of the ring for a
 * record; returns its chunk and sets *pos, or NULL (counted as dropped). A
 * claim that would cross its chunk's end leaves two pads, the chunk's tail
 * and the next chunk's head, and is made again once.
 */
static __always_inline void *ring_claim(struct ring_ref *rr, __u32 len, __u64 *pos)
{
	struct og_ring_header *hdr = rr->hdr;

	for (int attempt = 0; attempt < 2; attempt++) {
		__u64 p = __sync_fetch_and_add(&hdr->head, len);
		__u32 off = p & (OG_CHUNK_BYTES - 1), key = 1 + ((p >> OG_CHUNK_SHIFT) & hdr->chunk_mask);
		void *chunk = bpf_map_lookup_elem(rr->ring, &key);
		__u64 *tag;

		if (!chunk)
			break;
		if (off + len <= OG_CHUNK_BYTES) {
			*pos = p;
			return chunk;
		}
		tag = rec_at(chunk, p, 0);
		WRITE_ONCE(*tag, og_tag(p, OG_CHUNK_BYTES - off, OG_TAG_PAD));
		key = 1 + (((p >> OG_CHUNK_SHIFT) + 1) & hdr->chunk_mask);
		chunk = bpf_map_lookup_elem(rr->ring, &key);
		if (chunk) {
			tag = chunk;
			WRITE_ONCE(*tag, og_tag(p + OG_CHUNK_BYTES - off, off + len - OG_CHUNK_BYTES, OG_TAG_PAD));
		}
	}
	count_dropped(hdr);
	return NULL;
}

/* The task's pids in its own pid namespace, the innermost (a container's):
 * its struct pid's number at the pid's level. Probe reads: the array is
 * indexed by a variable. */
static __always_inline void task_ns_ids(struct task_struct *task, __u32 *ns_tgid, __u32 *ns_tid)
{
	struct pid *p = BPF_CORE_READ(task, thread_pid), *g = BPF_CORE_READ(task, group_leader, thread_pid);
	__u32 level = BPF_CORE_READ(p, level);
	__u64 at = bpf_core_field_offset(struct pid, numbers) + (level & 31) * bpf_core_type_size(struct upid) +
		   bpf_core_field_offset(struct upid, nr);

	*ns_tid = 0;
	*ns_tgid = 0;
	bpf_probe_read_kernel(ns_tid, sizeof(*ns_tid), (void *)p + at);
	bpf_probe_read_kernel(ns_tgid, sizeof(*ns_tgid), (void *)g + at);
}

/* The ring's next record number (thread records take none). */
static __always_inline __u32 rec_seq(struct og_ring_header *hdr)
{
	return __sync_fetch_and_add(&hdr->seq, 1);
}

/* The header of every record but a compact syscall record (struct og_rec),
 * tag in state WRITING first. */
static __always_inline struct og_rec *rec_start(struct og_ring_header *hdr, void *chunk, __u64 pos, __u32 len,
						struct task_struct *task, __u8 type, __s16 nr, __u64 ts)
{
	struct og_rec *r = rec_at(chunk, pos, 0);
	__u32 seq = type == OG_REC_THREAD ? 0 : rec_seq(hdr);

	WRITE_ONCE(r->tag, og_tag(pos, len, OG_TAG_WRITING));
	barrier();
	r->seq_type = seq << OG_SEQ_SHIFT | type;
	r->ts_ns = ts;
	/* Read through the trusted task pointer: no helper calls. */
	r->tgid = task->tgid;
	r->tid = task->pid;
	task_ns_ids(task, &r->ns_tgid, &r->ns_tid);
	r->nr = nr;
	r->type = type;
	r->flags = 0;
	r->nargs = 0;
	r->ncaps = 0;
	r->cpu = bpf_get_smp_processor_id();
	__builtin_memcpy(r->comm, task->comm, sizeof(r->comm));
	r->view = 0;
	return r;
}

/* Publishes a record: x86 is TSO, a compiler barrier orders the payload
 * before the tag. */
static __always_inline void rec_publish(void *r, __u64 pos, __u32 len, __u32 state)
{
	barrier();
	WRITE_ONCE(*(__u64 *)r, og_tag(pos, len, state));
}

/* Sized views for the global functions below: the verifier checks each
 * such function once, against these sizes, instead of at every call. */
struct og_chunk {
	__u8 b[OG_ELEM_SIZE];
};

/*
 * Copies n bytes (at most OG_CAPTURE_MAX) from user memory src, or from a
 * scratch slot (strings, argv), to the record bytes at position at of chunk, OG_PIECE
 * bytes per read so that every store stays inside the element. Returns the
 * bytes copied: fewer than n when some memory was unreadable. 64-bit
 * arithmetic: a 32-bit bound would be checked on a zero-extended copy, not
 * on the register passed to the helper.
 */
__weak __noinline int og_copy_user(struct og_chunk *chunk, __u64 at, __u64 src, __u64 n)
{
	__u64 done = 0;

	if (!chunk)
		return 0;
	for (int i = 0; i < OG_CAPTURE_MAX / OG_PIECE && done < n; i++) {
		__u64 c = n - done;

		if (c > OG_PIECE)
			c = OG_PIECE;
		if (bpf_probe_read_user(rec_at(chunk, at, done), c, (void *)(src + done)) < 0)
			break;
		done += c;
	}
	return done;
}

__weak __noinline int og_copy_slot(struct og_chunk *chunk, __u64 at, const struct og_scratch *sc, __u32 slot, __u64 n)
{
	const char *src;
	__u64 done = 0;

	if (!chunk || !sc || slot >= OG_NCAPS)
		return 0;
	src = sc->slot[slot];
	for (int i = 0; i < OG_CAPTURE_MAX / OG_PIECE && done < n; i++) {
		__u64 c = n - done;

		if (c > OG_PIECE)
			c = OG_PIECE;
		if (bpf_probe_read_kernel(rec_at(chunk, at, done), c, src + (done & (OG_CAPTURE_MAX - 1))) < 0)
			break;
		done += c;
	}
	return done;
}

/* A capture's 8-byte descriptor at position at. */
static __always_inline void cap_put(void *chunk, __u64 at, __u8 arg, __u8 kind, __u8 flags, __u8 count, __u16 len,
				    __u16 size)
{
	struct og_cap *c = rec_at(chunk, at, 0);

	c->arg = arg;
	c->kind = kind;
	c->flags = flags;
	c->count = count;
	c->len = len;
	c->size = size;
}

#endif /* OG_RING_BPF_H */
