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

/* cgroup id -> index in rings. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OG_MAX_CONTAINERS);
	__type(key, __u64);
	__type(value, __u32);
} cgroups SEC(".maps") __weak;

/* child cgroup id -> its container's slot and cgroup id (cgroups.bpf.c). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OG_MAX_CHILD_CGROUPS);
	__type(key, __u64);
	__type(value, struct og_child_cgroup);
} children SEC(".maps") __weak;

/* ring slot -> how many child cgroups its container has in children
 * (64-bit: the fetch-and-add whose result is used needs it). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OG_MAX_CONTAINERS);
	__type(key, __u32);
	__type(value, __u64);
} child_counts SEC(".maps") __weak;

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

static __always_inline struct og_stats *stats_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&stats, &zero);
}

static __always_inline __u64 task_cgroup_id(struct task_struct *task)
{
	return task->cgroups->dfl_cgrp->kn->id; /* bpf_get_current_cgroup_id(), without the call */
}

/* A container's ring: the map, its header, its slot in maps/rings. */
struct ring_ref {
	void *ring;
	struct og_ring_header *hdr;
	__u32 slot;
};

/* The ring of cgroup cgid; false when cgid is not a registered container's. */
static __always_inline bool ring_find(__u64 cgid, struct ring_ref *rr)
{
	struct og_child_cgroup *child;
	struct og_ring_header *hdr;
	__u32 key = 0, slot, *idx;
	__u64 owner = cgid;
	__u16 b;
	void *ring;

	b = og_config.bucket[og_cgroup_bucket(cgid)];
	if (b == OG_BUCKET_EMPTY)
		return false;
	if (b != OG_BUCKET_SHARED) {
		slot = b - 1;
	} else if ((idx = bpf_map_lookup_elem(&cgroups, &cgid))) {
		slot = *idx;
	} else if ((child = bpf_map_lookup_elem(&children, &cgid))) {
		slot = child->slot;
		owner = child->owner;
	} else {
		return false;
	}
	ring = bpf_map_lookup_elem(&rings, &slot);
	if (!ring)
		return false;
	hdr = bpf_map_lookup_elem(ring, &key);
	/* Another cgroup in the same bucket, a slot being recycled, a pooled
	 * ring: a ring takes only its own container's records. */
	if (!hdr || hdr->cgroup_id != owner)
		return false;
	rr->ring = ring;
	rr->hdr = hdr;
	rr->slot = slot;
	return true;
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

/* The common header of every record, tag in state WRITING first. */
static __always_inline struct og_rec *rec_start(void *chunk, __u64 pos, __u32 len, struct task_struct *task, __u8 type,
						__s16 nr, __u64 ts)
{
	struct og_rec *r = rec_at(chunk, pos, 0);

	WRITE_ONCE(r->tag, og_tag(pos, len, OG_TAG_WRITING));
	barrier();
	r->ts_ns = ts;
	/* Read through the trusted task pointer: no helper calls. */
	r->tgid = task->tgid;
	r->tid = task->pid;
	r->nr = nr;
	r->type = type;
	r->flags = 0;
	r->nargs = 0;
	r->ncaps = 0;
	r->cpu = bpf_get_smp_processor_id();
	__builtin_memcpy(r->comm, task->comm, sizeof(r->comm));
	return r;
}

/* Publishes a record: x86 is TSO, a compiler barrier orders the payload
 * before the tag. */
static __always_inline void rec_publish(struct og_rec *r, __u64 pos, __u32 len, __u32 state)
{
	barrier();
	WRITE_ONCE(r->tag, og_tag(pos, len, state));
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
