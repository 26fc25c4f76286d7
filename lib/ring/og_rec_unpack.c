// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_rec_unpack.h"
#include "og_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void og_rec_buf_free(struct og_rec_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

int og_rec_buf_room(struct og_rec_buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 64 << 10;
	uint8_t *d;

	if (b->len + n <= b->cap)
		return 0;
	while (cap < b->len + n)
		cap *= 2;
	d = realloc(b->data, cap);
	if (!d)
		return og_err(ENOMEM, "%zu bytes of records", cap);
	og_advise_huge(d, cap);
	b->data = d;
	b->cap = cap;
	return 0;
}

int og_rec_check(const void *rec, size_t len)
{
	const struct og_rec *r = rec;
	size_t off = sizeof(*r);

	if (len < sizeof(*r) || len > OG_CHUNK_BYTES || len % OG_REC_ALIGN || og_tag_len(r->tag) != len)
		return -EPROTO;
	/* A type this reader does not know: kept whole by its length, for
	 * the reader to skip and count (og_format.h). */
	if (r->type == 0 || r->type >= OG_REC_TYPES)
		return 0;
	off += og_rec_body_size(r->type);
	if (r->nargs > OG_NARGS || r->ncaps > OG_NCAPS)
		return -EPROTO;
	off += r->nargs * sizeof(__u64);
	if (off > len)
		return -EPROTO;
	for (int i = 0; i < r->ncaps; i++) {
		const struct og_cap *c = (const void *)((const uint8_t *)rec + off);

		/* OG_CAP_APART is a ring's, never the view's (og_rec_unpack). */
		if (off + sizeof(*c) > len || c->len > c->size || c->arg >= OG_NARGS || (c->flags & OG_CAP_APART))
			return -EPROTO;
		off += sizeof(*c) + og_round8(c->size);
		if (off > len)
			return -EPROTO;
	}
	if (r->type == OG_REC_SYSCALL || r->type == OG_REC_SYS_EXIT) {
		const struct og_sys *s = (const void *)(r + 1);

		if (s->out_off && (s->out_off + sizeof(struct og_cap) > len || s->out_off % OG_REC_ALIGN))
			return -EPROTO;
	}
	return 0;
}

/* The tag of a record of length len at the position tag names. */
static uint64_t tag_with_len(uint64_t tag, uint32_t len)
{
	return (tag & ~((uint64_t)0x1fff << 3)) | (uint64_t)(len >> 3) << 3;
}

/* Formats 3 and 4: the same record behind a 48-byte header. */
static int unpack_v4(const uint8_t *raw, size_t len, uint8_t *dst)
{
	const struct og_rec4 *o = (const void *)raw;
	struct og_rec *r = (void *)dst;
	size_t vlen = len + sizeof(*r) - sizeof(*o);

	if (len < sizeof(*o) || og_tag_len(o->tag) != len)
		return -EPROTO;
	*r = (struct og_rec){.tag = tag_with_len(o->tag, vlen),
			     .seq_type = o->type < 16 ? o->type : 0,
			     .tid = o->tid,
			     .ts_ns = o->ts_ns,
			     .tgid = o->tgid,
			     .nr = o->nr,
			     .type = o->type,
			     .flags = o->flags,
			     .nargs = o->nargs,
			     .ncaps = o->ncaps,
			     .cpu = o->cpu};
	memcpy(r->comm, o->comm, sizeof(r->comm));
	memcpy(dst + sizeof(*r), raw + sizeof(*o), len - sizeof(*o));
	if (o->type == OG_REC_SYSCALL || o->type == OG_REC_SYS_EXIT) {
		struct og_sys *sys = (void *)(r + 1);

		if (len < sizeof(*o) + sizeof(*sys))
			return -EPROTO;
		if (sys->out_off)
			sys->out_off += sizeof(*r) - sizeof(*o);
	}
	return og_rec_check(dst, vlen) < 0 ? -EPROTO : (int)vlen;
}

/* Format 6: the capture a compact record (at pos, its tag in state) keeps
 * apart, written at dst: its output record's capture, when the link
 * (OG_CAP_APART_FWD) finds the output record of this argument and its
 * bytes fit room; returns the bytes they add (size rounded up), 0 for an
 * empty capture (not returned yet, or nothing returned) or a lost one,
 * -ESTALE when the writers lapped the output record (and so its syscall
 * record) while it was read. */
static ssize_t splice_output(struct og_ring_names *names, uint64_t pos, uint32_t state, const struct og_cap *apart,
			     struct og_cap *dst, size_t room)
{
	uint32_t fwd = OG_CAP_APART_FWD(apart);
	const struct og_rec_out *o;
	const struct og_cap *oc;
	ssize_t olen = 0;

	*dst = *apart;
	dst->flags &= ~OG_CAP_APART;
	dst->len = dst->size = 0; /* at sys_enter, len is the bytes sys_exit may keep */
	if (state != OG_TAG_DONE || !fwd)
		return 0;
	dst->count = 0; /* the link's high bits */
	dst->flags |= OG_CAP_LOST | OG_CAP_UNREADABLE;
	if (!names || !names->fetch || og_rec_buf_room(&names->out, OG_CHUNK_BYTES) < 0)
		return 0;
	olen = names->fetch(names->fetch_ctx, pos + ((uint64_t)fwd << 3), names->out.data, OG_CHUNK_BYTES);
	if (olen < 0)
		return olen;
	o = (const void *)names->out.data;
	oc = (const void *)(o + 1);
	if ((size_t)olen < sizeof(*o) + sizeof(*oc) || (o->seq_type & 0xf) != OG_REC_OUTPUT || o->back != fwd ||
	    oc->arg != apart->arg || oc->kind != apart->kind || (oc->flags & OG_CAP_APART) || oc->len > oc->size ||
	    sizeof(*o) + sizeof(*oc) + og_round8(oc->size) > (size_t)olen || og_round8(oc->size) > room)
		return 0;
	memcpy(dst, oc, sizeof(*oc) + og_round8(oc->size));
	return og_round8(oc->size);
}

/* Format 5's compact syscall record, named by its thread record. Returns
 * the view's length, 0 when unnamed, -EPROTO, -ESTALE (its output record
 * was lapped: so is the record). */
static int unpack_compact(struct og_ring_names *names, uint32_t version, const uint8_t *raw, size_t len, uint8_t *dst)
{
	const struct og_rec_sys *c = (const void *)raw;
	struct og_rec *r = (void *)dst;
	struct og_sys *sys = (void *)(r + 1);
	uint64_t tpos, *a = (uint64_t *)(sys + 1);
	uint32_t nargs = 0, ncaps, rflags, rel = sizeof(*c), body, kstack = 0;
	int32_t ret_hi = 0, nr = OG_SHAPE_NR(c->shape);
	const struct name_slot *ns;
	size_t vlen;

	if (len < sizeof(*c) || og_tag_len(c->tag) != len)
		return -EPROTO;
	ncaps = OG_SHAPE_NCAPS(c->shape);
	rflags = OG_SHAPE_FLAGS(c->shape);
	if (c->shape & OG_SHAPE_RET_WIDE) {
		memcpy(&ret_hi, raw + rel, sizeof(ret_hi));
		rel += 4;
	}
	if (nr == OG_NR_WIDE) {
		memcpy(&nr, raw + rel, sizeof(nr));
		rel += 4;
	}
	if (rflags & OG_RF_KSTACK) {
		memcpy(&kstack, raw + rel, sizeof(kstack));
		rel += 4;
	}
	/* The arguments, each by its class, up to the first absent one. */
	for (; nargs < OG_NARGS && OG_SHAPE_ARGC(c->shape, nargs) != OG_ARGC_NONE; nargs++) {
		uint32_t cl = OG_SHAPE_ARGC(c->shape, nargs), w = cl == OG_ARGC_64 ? 8 : cl == OG_ARGC_32 ? 4 : 0;
		int32_t v32;

		if (rel + w > len)
			return -EPROTO;
		a[nargs] = 0;
		if (cl == OG_ARGC_64) {
			memcpy(&a[nargs], raw + rel, 8);
		} else if (cl == OG_ARGC_32) {
			memcpy(&v32, raw + rel, 4);
			a[nargs] = (uint64_t)(int64_t)v32;
		}
		rel += w;
	}
	for (uint32_t i = nargs; i < OG_NARGS; i++)
		if (OG_SHAPE_ARGC(c->shape, i) != OG_ARGC_NONE)
			return -EPROTO; /* an argument after an absent one */
	body = og_round8(rel);
	if (body > len)
		return -EPROTO;
	tpos = og_tag_pos(c->tag) - ((uint64_t)OG_WHERE_THREAD(c->where) << 3);
	ns = names ? og_ring_name_slot(names, tpos) : NULL;
	if (!ns || ns->pos_1 != tpos + 1)
		return 0;
	vlen = sizeof(*r) + sizeof(*sys) + nargs * sizeof(uint64_t);
	*r = ns->rec;
	r->seq_type = (c->seq_type & ~0xfu) | OG_REC_SYSCALL;
	r->ts_ns = ns->rec.ts_ns + c->dt;
	r->nr = nr;
	r->type = OG_REC_SYSCALL;
	r->flags = rflags;
	r->nargs = nargs;
	r->ncaps = ncaps;
	r->view = OG_VIEW_SEQ | OG_VIEW_NS;
	if (OG_WHERE_CPU(c->where) < OG_CPU_IN_THREAD)
		r->cpu = OG_WHERE_CPU(c->where);
	*sys = (struct og_sys){.ret = (c->shape & OG_SHAPE_RET_WIDE)
					      ? (int64_t)((uint64_t)(uint32_t)ret_hi << 32 | (uint32_t)c->ret)
					      : c->ret,
			       .duration = c->duration,
			       .kstack = kstack};
	/* The captures as the ring holds them, but those kept apart (format
	 * 6), read from their output records: the view stays within a chunk
	 * (og_rec_unpack's room). out_off: the output buffer sys_exit fills,
	 * found by its kind, or the first output read. */
	for (uint32_t k = 0; k < ncaps; k++) {
		const struct og_cap *rc = (const void *)(raw + body);
		struct og_cap *vc = (void *)(dst + vlen);
		size_t vcap;
		ssize_t added = 0;

		if (body + sizeof(*rc) > len)
			return -EPROTO;
		vcap = sizeof(*rc) + og_round8(rc->size);
		if (body + vcap > len)
			return -EPROTO;
		body += vcap;
		if (rc->flags & OG_CAP_APART) {
			size_t least = vlen + sizeof(*rc) + (len - body);

			/* Only a ring of format 6 grows a view by its outputs
			 * (og_rec_unpack's room). */
			if (version < 6)
				return -EPROTO;

			added = splice_output(names, og_tag_pos(c->tag), og_tag_state(c->tag), rc, vc,
					      least < OG_CHUNK_BYTES ? OG_CHUNK_BYTES - least : 0);
			if (added < 0)
				return added;
			vcap = sizeof(*vc) + added;
		} else {
			memcpy(vc, rc, vcap);
			/* Lost by the writer (no room for its output record):
			 * shown as unreadable memory is, as a lost link is. */
			if (vc->flags & OG_CAP_LOST)
				vc->flags |= OG_CAP_UNREADABLE;
		}
		if (!sys->out_off && (added || (vc->kind == OG_ARG_BUF_OUT && !(vc->flags & OG_CAP_WITHHELD))))
			sys->out_off = vlen;
		vlen += vcap;
	}
	memcpy(dst + vlen, raw + body, len - body);
	vlen += len - body;
	r->tag = tag_with_len(c->tag, vlen);
	return og_rec_check(dst, vlen) < 0 ? -EPROTO : (int)vlen;
}

/* The record numbers of format 5: one that skips ahead counts those in
 * between as lost; one that comes late (two writers numbered in the other
 * order than they claimed) takes one back. */
void og_ring_names_seq_note(struct og_ring_names *n, uint32_t seq_type, struct og_ring_read_stats *st)
{
	uint32_t seq = seq_type >> OG_SEQ_SHIFT, d = (seq - n->seq_next) & OG_SEQ_MASK;

	if (d < (OG_SEQ_MASK >> 1)) {
		n->lost += d;
		n->seq_next = (seq + 1) & OG_SEQ_MASK;
	} else if (n->lost > 0) {
		n->lost--;
	}
	n->seq_seen = true;
	if (st)
		st->lost_records = n->lost > 0 ? (uint64_t)n->lost : 0;
}

int og_rec_unpack(struct og_ring_names *names, uint32_t version, const void *raw, size_t len, struct og_rec_buf *out,
		  struct og_ring_read_stats *st)
{
	const struct og_rec *r = raw;
	size_t room = len + sizeof(struct og_rec) + sizeof(struct og_sys) + OG_NARGS * sizeof(uint64_t);
	uint8_t *dst;
	int n;

	if (len < sizeof(uint64_t) * 2 || og_tag_len(r->tag) != len)
		return -EPROTO;
	/* Format 6: a compact record grows by its outputs, up to a chunk. */
	if (version >= 6 && room < OG_CHUNK_BYTES)
		room = OG_CHUNK_BYTES;
	if (og_rec_buf_room(out, room) < 0)
		return -ENOMEM;
	dst = out->data + out->len;
	if (version < 5) {
		n = unpack_v4(raw, len, dst);
	} else if ((r->seq_type & 0xf) == OG_REC_COMPACT) {
		n = unpack_compact(names, version, raw, len, dst);
		if (n == 0 && st)
			st->unnamed++;
	} else {
		if (len < sizeof(*r) || (r->seq_type & 0xf) != (r->type & 0xf) || og_rec_check(raw, len) < 0)
			return -EPROTO;
		if (r->type == OG_REC_THREAD) {
			if (len != sizeof(*r))
				return -EPROTO;
			if (names) {
				struct name_slot *ns = og_ring_name_slot(names, og_tag_pos(r->tag));

				ns->pos_1 = og_tag_pos(r->tag) + 1;
				ns->rec = *r;
			}
			if (st)
				st->threads++;
			return 0;
		}
		memcpy(dst, raw, len);
		/* A ring's record: its number and pids are the writer's. A
		 * crash file's keeps what its reader found. */
		if (names)
			((struct og_rec *)dst)->view = OG_VIEW_SEQ | OG_VIEW_NS;
		n = len;
	}
	if (n <= 0)
		return n;
	out->len += n;
	return 1;
}
