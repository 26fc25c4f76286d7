/* Builds records (the view, which is also format 5's whole record),
 * format 5's compact ones and format 6's output records, and rings in memory for the unit tests, by the
 * rules the BPF writer follows (og_format.h): records packed in chunks, a
 * claim that would cross a chunk's end padded and claimed again. */
#ifndef OG_RING_BUILD_H
#define OG_RING_BUILD_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "og_format.h"
#include "og_ring.h"

struct tcap {
	uint8_t arg, kind, flags, count;
	const void *data;
	uint16_t len, size; /* size 0: len */
};

/* A record as a test describes it. */
struct trec {
	uint8_t type;	/* 0: OG_REC_SYSCALL */
	uint32_t state; /* 0: OG_TAG_DONE */
	uint32_t tid, tgid;
	int nr;
	uint64_t ts;
	uint8_t flags;
	int nargs;
	uint64_t args[OG_NARGS];
	int64_t ret;
	uint64_t dur_ns;
	int ncaps;
	struct tcap caps[OG_NCAPS];
	const void *body; /* signal, exit, OOM, crash: their fixed body (og_rec_body_size) */
	uint32_t seq;	  /* the ring's record number (format 5) */
};

static inline uint32_t trec_len(const struct trec *t)
{
	uint32_t len = sizeof(struct og_rec) + og_rec_body_size(t->type ? t->type : OG_REC_SYSCALL) + t->nargs * 8;

	for (int i = 0; i < t->ncaps; i++)
		len += sizeof(struct og_cap) + og_round8(t->caps[i].size ? t->caps[i].size : t->caps[i].len);
	return len;
}

/* Writes t at dst as the record at position pos; returns its length. */
static inline uint32_t trec_write(uint8_t *dst, uint64_t pos, const struct trec *t)
{
	struct og_rec *r = (struct og_rec *)dst;
	uint32_t len = trec_len(t), off = sizeof(*r);
	uint8_t type = t->type ? t->type : OG_REC_SYSCALL;

	memset(dst, 0, len);
	r->tag = og_tag(pos, len, t->state ? t->state : OG_TAG_DONE);
	r->seq_type = t->seq << OG_SEQ_SHIFT | type;
	r->ts_ns = t->ts;
	r->tgid = t->tgid ? t->tgid : 10;
	r->tid = t->tid;
	r->nr = t->nr;
	r->type = type;
	r->flags = t->flags;
	r->nargs = t->nargs;
	r->ncaps = t->ncaps;
	r->cpu = 1;
	strcpy(r->comm, "app");
	if (type == OG_REC_SYSCALL || type == OG_REC_SYS_EXIT) {
		struct og_sys *s = (struct og_sys *)(dst + off);

		s->ret = t->ret;
		s->duration = og_dur_encode(t->dur_ns);
	} else if (t->body) {
		memcpy(dst + off, t->body, og_rec_body_size(type));
	}
	off += og_rec_body_size(type);
	memcpy(dst + off, t->args, t->nargs * 8);
	off += t->nargs * 8;
	for (int i = 0; i < t->ncaps; i++) {
		struct og_cap *c = (struct og_cap *)(dst + off);
		uint16_t size = t->caps[i].size ? t->caps[i].size : t->caps[i].len;

		c->arg = t->caps[i].arg;
		c->kind = t->caps[i].kind;
		c->flags = t->caps[i].flags;
		c->count = t->caps[i].count;
		c->len = t->caps[i].len;
		c->size = size;
		if (t->caps[i].data)
			memcpy(c + 1, t->caps[i].data, t->caps[i].len);
		off += sizeof(*c) + og_round8(size);
	}
	return len;
}

/* Appends t to a record buffer (as og_ring_read leaves them). */
static inline const struct og_rec *trec_append(struct og_rec_buf *b, const struct trec *t)
{
	uint32_t len = trec_len(t);

	if (b->len + len > b->cap) {
		b->cap = (b->len + len) * 2 + 4096;
		b->data = realloc(b->data, b->cap);
	}
	trec_write(b->data + b->len, b->len, t);
	b->len += len;
	return (const struct og_rec *)(b->data + b->len - len);
}

/* A ring of n chunks in memory. */
static inline uint8_t *tring_new(uint32_t chunks)
{
	/* Aligned as a mapping is (the reader checks). */
	size_t len = ((size_t)(chunks + 1) * OG_ELEM_SIZE + 4095) & ~(size_t)4095;
	uint8_t *mem = aligned_alloc(4096, len);

	memset(mem, 0, len);
	og_ring_header_init((struct og_ring_header *)mem, chunks);
	return mem;
}

static inline uint8_t *tring_at(uint8_t *mem, uint64_t pos)
{
	const struct og_ring_header *h = (const struct og_ring_header *)mem;

	return mem + (size_t)OG_ELEM_SIZE * (1 + ((pos >> OG_CHUNK_SHIFT) & h->chunk_mask)) +
	       (pos & (OG_CHUNK_BYTES - 1));
}

/* Claims len bytes as the BPF writer does (a claim that would cross a
 * chunk's end leaves two pads and is made again); returns the position. */
static inline uint64_t tring_claim(uint8_t *mem, uint32_t len)
{
	struct og_ring_header *h = (struct og_ring_header *)mem;

	for (;;) {
		uint64_t p = h->head;
		uint32_t off = p & (OG_CHUNK_BYTES - 1);

		h->head += len;
		if (off + len <= OG_CHUNK_BYTES)
			return p;
		*(uint64_t *)tring_at(mem, p) = og_tag(p, OG_CHUNK_BYTES - off, OG_TAG_PAD);
		*(uint64_t *)tring_at(mem, p + OG_CHUNK_BYTES - off) =
			og_tag(p + OG_CHUNK_BYTES - off, off + len - OG_CHUNK_BYTES, OG_TAG_PAD);
	}
}

/* Claims and writes t as the BPF writer does; returns its position. */
static inline uint64_t tring_put(uint8_t *mem, const struct trec *t)
{
	uint64_t p = tring_claim(mem, trec_len(t));

	trec_write(tring_at(mem, p), p, t);
	return p;
}

/* Format 5's thread record for t's thread (tid, tgid, ts), with the pids
 * its pid namespace gives it and its comm; returns its position. */
static inline uint64_t tring_put_thread(uint8_t *mem, const struct trec *t, uint32_t ns_tgid, uint32_t ns_tid,
					const char *comm)
{
	uint64_t p = tring_claim(mem, sizeof(struct og_rec));
	struct og_rec *r = (struct og_rec *)tring_at(mem, p);

	memset(r, 0, sizeof(*r));
	r->tag = og_tag(p, sizeof(*r), OG_TAG_DONE);
	r->seq_type = OG_REC_THREAD;
	r->type = OG_REC_THREAD;
	r->tid = t->tid;
	r->tgid = t->tgid ? t->tgid : 10;
	r->ns_tgid = ns_tgid;
	r->ns_tid = ns_tid;
	r->ts_ns = t->ts;
	r->cpu = 1;
	strncpy(r->comm, comm, sizeof(r->comm) - 1);
	return p;
}

/* The room a capture takes in a compact record: none for one kept apart
 * (format 6: its len is the bytes sys_exit may keep). */
static inline uint16_t tcap_room(const struct tcap *c)
{
	return (c->flags & OG_CAP_APART) ? 0 : c->size ? c->size : c->len;
}

/* t as sys_enter writes it in format 5 (a compact record, struct
 * og_rec_sys), named by the thread record at thr_pos of time thr_ts, and
 * completed as sys_exit does; returns its position. */
static inline uint64_t tring_put_compact(uint8_t *mem, const struct trec *t, uint64_t thr_pos, uint64_t thr_ts,
					 uint32_t cpu)
{
	bool ret_wide = (int64_t)(int32_t)t->ret != t->ret, nr_wide = t->nr < 0 || t->nr >= OG_NR_WIDE;
	uint32_t classes = 0, rel = sizeof(struct og_rec_sys) + 4 * ret_wide + 4 * nr_wide, body, len;
	struct og_rec_sys *c;
	uint8_t *at;
	uint64_t p;

	for (int i = 0; i < OG_NARGS; i++) {
		uint64_t a = t->args[i];
		uint32_t cl = i >= t->nargs			  ? OG_ARGC_NONE
			      : !a				  ? OG_ARGC_ZERO
			      : (int64_t)(int32_t)a == (int64_t)a ? OG_ARGC_32
								  : OG_ARGC_64;

		classes |= cl << (2 * i);
		rel += cl == OG_ARGC_64 ? 8 : cl == OG_ARGC_32 ? 4 : 0;
	}
	body = og_round8(rel);
	len = body;
	for (int i = 0; i < t->ncaps; i++)
		len += sizeof(struct og_cap) + og_round8(tcap_room(&t->caps[i]));
	p = tring_claim(mem, len);
	at = tring_at(mem, p);
	memset(at, 0, len);
	c = (struct og_rec_sys *)at;
	c->tag = og_tag(p, len, t->state ? t->state : OG_TAG_DONE);
	c->seq_type = t->seq << OG_SEQ_SHIFT | OG_REC_COMPACT;
	c->where = OG_WHERE((p - thr_pos) >> 3, cpu);
	c->dt = t->ts - thr_ts;
	c->ret = (int32_t)t->ret;
	c->duration = og_dur_encode(t->dur_ns);
	c->shape = OG_SHAPE(nr_wide ? OG_NR_WIDE : (uint32_t)t->nr, t->ncaps, t->flags, classes) |
		   (ret_wide ? OG_SHAPE_RET_WIDE : 0);
	rel = sizeof(*c);
	if (ret_wide) {
		int32_t hi = (int32_t)((uint64_t)t->ret >> 32);

		memcpy(at + rel, &hi, 4);
		rel += 4;
	}
	if (nr_wide) {
		int32_t nr = t->nr;

		memcpy(at + rel, &nr, 4);
		rel += 4;
	}
	for (int i = 0; i < t->nargs; i++) {
		uint32_t cl = (classes >> (2 * i)) & 3;

		memcpy(at + rel, &t->args[i], cl == OG_ARGC_64 ? 8 : cl == OG_ARGC_32 ? 4 : 0);
		rel += cl == OG_ARGC_64 ? 8 : cl == OG_ARGC_32 ? 4 : 0;
	}
	rel = body;
	for (int i = 0; i < t->ncaps; i++) {
		struct og_cap *k = (struct og_cap *)(at + rel);
		uint16_t size = tcap_room(&t->caps[i]);

		*k = (struct og_cap){.arg = t->caps[i].arg,
				     .kind = t->caps[i].kind,
				     .flags = t->caps[i].flags,
				     .count = t->caps[i].count,
				     .len = t->caps[i].len,
				     .size = size};
		if (t->caps[i].data && size)
			memcpy(k + 1, t->caps[i].data, t->caps[i].len);
		rel += sizeof(*k) + og_round8(size);
	}
	return p;
}

/* Capture k of the compact record at p. */
static inline struct og_cap *tring_compact_cap(uint8_t *mem, uint64_t p, int k)
{
	struct og_rec_sys *c = (struct og_rec_sys *)tring_at(mem, p);
	uint32_t rel = sizeof(*c) + 4 * !!(c->shape & OG_SHAPE_RET_WIDE) + 4 * (OG_SHAPE_NR(c->shape) == OG_NR_WIDE) +
		       4 * !!(OG_SHAPE_FLAGS(c->shape) & OG_RF_KSTACK);
	struct og_cap *cap;

	for (int i = 0; i < OG_NARGS; i++)
		rel += OG_SHAPE_ARGC(c->shape, i) == OG_ARGC_64 ? 8 : OG_SHAPE_ARGC(c->shape, i) == OG_ARGC_32 ? 4 : 0;
	rel = og_round8(rel);
	for (cap = (struct og_cap *)((uint8_t *)c + rel); k > 0; k--)
		cap = (struct og_cap *)((uint8_t *)(cap + 1) + og_round8(cap->size));
	return cap;
}

/* Format 6's sys_exit of the compact record at p (written ENTERED by
 * tring_put_compact, its capture k OG_CAP_APART), as the BPF writer does
 * it: the n bytes the call returned (flags: TRUNCATED, UNREADABLE) in an
 * output record claimed after it, published DONE; then the capture linked
 * to it (OG_CAP_APART_FWD), or without APART and empty when n is 0, or
 * OG_CAP_LOST when the claim failed (lost); then the record DONE. Returns
 * the output record's position, 0: none. */
static inline uint64_t tring_put_output(uint8_t *mem, uint64_t p, int k, const void *data, uint16_t n, uint8_t flags,
					bool lost)
{
	uint32_t olen = sizeof(struct og_rec_out) + sizeof(struct og_cap) + og_round8(n);
	uint64_t *tag = (uint64_t *)tring_at(mem, p), o = 0, fwd;

	if (n && !lost) {
		struct og_cap *cap = tring_compact_cap(mem, p, k);
		struct og_rec_out *r;
		struct og_cap *oc;

		o = tring_claim(mem, olen);
		fwd = (o - p) >> 3;
		r = (struct og_rec_out *)tring_at(mem, o);
		oc = (struct og_cap *)(r + 1);
		memset(r, 0, olen);
		*r = (struct og_rec_out){.tag = og_tag(o, olen, OG_TAG_DONE), .seq_type = OG_REC_OUTPUT, .back = fwd};
		*oc = (struct og_cap){.arg = cap->arg,
				      .kind = cap->kind,
				      .flags = flags,
				      .count = cap->kind == OG_ARG_ARRAY_OUT ? cap->count : 0,
				      .len = n,
				      .size = n};
		memcpy(oc + 1, data, n);
		cap->count = fwd >> 16;
		cap->len = fwd & 0xffff;
	} else {
		struct og_cap *cap = tring_compact_cap(mem, p, k);

		cap->flags = (cap->flags & ~OG_CAP_APART) | (lost ? OG_CAP_LOST : 0);
		cap->len = 0;
	}
	*tag = (*tag & ~7ULL) | OG_TAG_DONE;
	return o;
}

#endif
