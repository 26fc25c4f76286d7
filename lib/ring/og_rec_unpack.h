/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_REC_UNPACK_H
#define OG_REC_UNPACK_H

/*
 * A ring's records, of any format a reader takes (3 to 6), into the one
 * in-memory view every reader uses (struct og_rec and its body,
 * og_format.h): checked, widened (formats 3 and 4), named by their thread
 * records (format 5's compact records), joined by their output records
 * (format 6), numbered. The walk over a ring is og_ring.c's.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "og_format.h"

struct og_ring_read_stats {
	uint64_t head;		/* bytes claimed by writers when the read ended */
	uint64_t overwritten;	/* bytes lost to the writers before the reader got to them */
	uint64_t torn;		/* records skipped: rewritten while copied, or unwalkable */
	uint64_t in_progress;	/* records still being written (follow: read again later) */
	uint64_t records;	/* records copied (or counted) */
	uint64_t record_bytes;	/* their bytes */
	uint64_t pad_bytes;	/* bytes of pads walked over (chunk ends a record did not fit) */
	uint64_t window;	/* bytes the read could reach: head minus the oldest whole chunk */
	uint64_t unknown;	/* records of a type this reader does not know: skipped */
	uint64_t unnamed;	/* format 5: compact records whose thread record was overwritten: skipped */
	uint64_t threads;	/* format 5: thread records read (not handed out) */
	uint64_t outputs;	/* format 6: output records walked over (read through their syscall record) */
	uint64_t skipped_bytes; /* bytes of records walked whole but not handed out: thread and output records,
				 * unnamed, unknown */
	/* Format 5: records numbered by the writers that this read (and the
	 * reads before it with the same view) did not hand out: overwritten,
	 * torn or unnamed. Cumulative over the view's reads. */
	uint64_t lost_records;
	bool numbered; /* the ring numbers its records (format 5): lost_records counts */
};

/* Records copied out of a ring back to back, each unpacked into the view
 * (struct og_rec and its body, og_format.h; its tag says its length and
 * keeps its position in the ring); every one passed og_rec_check. */
struct og_rec_buf {
	uint8_t *data;
	size_t len, cap;
};
void og_rec_buf_free(struct og_rec_buf *b);
/* A buffer freed when it goes out of scope (zero-initialise it first). */
#define cleanup_rec_buf __attribute__((cleanup(og_rec_buf_free)))
/* Room for n more bytes in b; -ENOMEM said. */
int og_rec_buf_room(struct og_rec_buf *b, size_t n);

/* Thread records a reader remembers, by position: direct-mapped, a newer
 * record taking an older one's slot (its compact records then read as
 * unnamed). Enough for the threads of a 256 MiB ring's last refresh
 * period many times over. */
#define NAMES_SLOTS 16384
/* Format 6: copies the output record at pos whole into dst (room for max
 * bytes) if it is there, DONE, and not rewritten while copied; returns its
 * length, 0 when not, -ESTALE when the writers lapped it (its syscall
 * record, older, is then overwritten too: the reader drops both). ctx: the
 * ring's reader (og_ring.c). */
typedef ssize_t og_ring_fetch_fn(const void *ctx, uint64_t pos, uint8_t *dst, size_t max);
struct og_ring_names {
	struct name_slot {
		uint64_t pos_1; /* the thread record's position + 1; 0: empty */
		struct og_rec rec;
	} slot[NAMES_SLOTS];
	bool seq_seen;
	uint32_t seq_next;	   /* the record number expected next */
	int64_t lost;		   /* records numbered but not handed out, so far */
	struct og_rec_buf scratch; /* records unpacked only to be counted */
	struct og_rec_buf raw;	   /* one record as the ring holds it */
	og_ring_fetch_fn *fetch;   /* NULL: output records cannot be read (their captures read as lost) */
	const void *fetch_ctx;
	struct og_rec_buf out; /* one output record as the ring holds it */
};

static inline struct name_slot *og_ring_name_slot(struct og_ring_names *n, uint64_t pos)
{
	return &n->slot[(pos >> 3) & (NAMES_SLOTS - 1)];
}
/* Notes record number seq_type (its og_rec.seq_type) as read: one that
 * skips ahead counts those in between as lost in n and st. */
void og_ring_names_seq_note(struct og_ring_names *n, uint32_t seq_type, struct og_ring_read_stats *st);

/* A record's structure against its length: header, syscall part,
 * arguments, captures all inside, lengths within room. 0 or -EPROTO. */
int og_rec_check(const void *rec, size_t len);

/*
 * Unpacks one record as a ring of format version wrote it (raw, len bytes,
 * its tag's) into the view, appended to out: 1 when appended; 0 when the
 * record is not handed out (a thread record, remembered in names; a
 * compact record whose thread record names does not hold, counted in
 * st->unnamed); -EPROTO when it is inconsistent. A compact record's
 * captures kept apart (OG_CAP_APART, format 6) are read from their output
 * records through names->fetch, or read as empty (not returned yet,
 * nothing returned) or lost (OG_CAP_LOST | OG_CAP_UNREADABLE): no view
 * holds OG_CAP_APART; -ESTALE when the writers lapped the output record
 * while it was read (the record itself is overwritten by then). names may be NULL for records that need none
 * (formats 3 and 4, and 5's whole records: a crash file's).
 */
int og_rec_unpack(struct og_ring_names *names, uint32_t version, const void *raw, size_t len, struct og_rec_buf *out,
		  struct og_ring_read_stats *st);

#endif
