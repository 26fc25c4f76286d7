/* Builds format-3 records and rings in memory for the unit tests, by the
 * rules the BPF writer follows (og_format.h): records packed in chunks, a
 * claim that would cross a chunk's end padded and claimed again. */
#ifndef OG_RING_BUILD_H
#define OG_RING_BUILD_H

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

/* Claims and writes t as the BPF writer does; returns its position. */
static inline uint64_t tring_put(uint8_t *mem, const struct trec *t)
{
	struct og_ring_header *h = (struct og_ring_header *)mem;
	uint32_t len = trec_len(t);

	for (;;) {
		uint64_t p = h->head;
		uint32_t off = p & (OG_CHUNK_BYTES - 1);

		h->head += len;
		if (off + len <= OG_CHUNK_BYTES) {
			trec_write(tring_at(mem, p), p, t);
			return p;
		}
		*(uint64_t *)tring_at(mem, p) = og_tag(p, OG_CHUNK_BYTES - off, OG_TAG_PAD);
		*(uint64_t *)tring_at(mem, p + OG_CHUNK_BYTES - off) =
			og_tag(p + OG_CHUNK_BYTES - off, off + len - OG_CHUNK_BYTES, OG_TAG_PAD);
	}
}

#endif
