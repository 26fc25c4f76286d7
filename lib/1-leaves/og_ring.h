/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_RING_H
#define OG_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_format.h"

/* Chunks for a requested size: bounded, rounded up to a power of two. */
int og_ring_chunks_for_bytes(uint64_t bytes, uint32_t *chunks);
/* Whose a ring is and what it records: the header fields the programs
 * read. A pooled ring has owner NULL (cgroup id 0, which no cgroup has). */
struct og_ring_owner {
	uint64_t cgroup_id;
	uint32_t events;	      /* OG_FAM_* */
	uint32_t plaintext_max;	      /* ssl plaintext bytes, at most OG_CAPTURE_MAX */
	uint32_t flags;		      /* OG_RING_F_* */
	uint32_t capture_bytes;	      /* buffer bytes kept, at most OG_CAPTURE_MAX */
	uint32_t init_tgid;	      /* the container's init process (struct og_ring_end) */
	__u64 skip[2][OG_SKIP_WORDS]; /* syscalls counted, not recorded (og_syscall_classes.h) */
};

/* The geometry part of a new ring's header (element 0). */
void og_ring_header_init(struct og_ring_header *hdr, uint32_t chunks);
/* Creates an unpinned ring map with its header set; returns its fd. */
int og_ring_create(uint32_t chunks, const struct og_ring_owner *owner, int *fd);
/* Bytes of the mapping of a ring of that many chunks (header included). */
size_t og_ring_map_bytes(uint64_t chunks);
/* Kernel memory a ring of that many chunks holds while it exists: its
 * mapping and one page of map header (bpftool's memlock figure). Measured
 * against memcg charges (oci-gadget.conf(5), ring-memory-max): within 1%
 * from 64 KiB to 256 MiB rings. */
uint64_t og_ring_kernel_bytes(uint32_t chunks);
/* The same for the ring pinned at path, from its map's geometry (any
 * array map: a ring of another format counts too); 0 when nothing is
 * pinned there. */
int og_ring_pin_bytes(const char *path, uint64_t *bytes);
/* The largest power-of-two chunk count whose ring holds at most bytes of
 * records; 0 below OG_RING_MIN_BYTES. */
uint32_t og_ring_chunks_at_most(uint64_t bytes);
/* Gives a pooled ring to owner. */
int og_ring_assign(int fd, const struct og_ring_owner *owner);

struct og_ring_names;

/* A ring as memory: mmap of a pinned ring or a synthetic buffer in tests. */
struct og_ring_view {
	const uint8_t *base;
	size_t len;
	const struct og_ring_header *hdr;
	uint32_t chunk_count;
	uint64_t ring_bytes; /* chunk_count * OG_CHUNK_BYTES: what the ring holds */
	void *mapped;	     /* non-NULL when we own an mmap */
	/* What reading format 5 remembers from one read to the next: the
	 * thread records seen, the record numbers. og_ring_close frees it. */
	struct og_ring_names *names;
};

/* Checks magic, version, element and chunk geometry against len. */
int og_ring_view_init(struct og_ring_view *v, const void *base, size_t len, const char *what);
int og_ring_open_pinned(const char *path, struct og_ring_view *v);
/* A view of a header element alone (a crash file's): counts, peers and
 * end can be read, records not (they are kept apart). */
int og_ring_view_init_header(struct og_ring_view *v, const void *base, size_t len, const char *what);
void og_ring_close(struct og_ring_view *v);
/* A view closed when it goes out of scope (zero-initialise it first). */
#define cleanup_ring_view __attribute__((cleanup(og_ring_close)))

struct og_ring_read_stats {
	uint64_t head;	       /* bytes claimed by writers when the read ended */
	uint64_t overwritten;  /* bytes lost to the writers before the reader got to them */
	uint64_t torn;	       /* records skipped: rewritten while copied, or unwalkable */
	uint64_t in_progress;  /* records still being written (follow: read again later) */
	uint64_t records;      /* records copied (or counted) */
	uint64_t record_bytes; /* their bytes */
	uint64_t pad_bytes;    /* bytes of pads walked over (chunk ends a record did not fit) */
	uint64_t window;       /* bytes the read could reach: head minus the oldest whole chunk */
	uint64_t unknown;      /* records of a type this reader does not know: skipped */
	uint64_t unnamed;      /* format 5: compact records whose thread record was overwritten: skipped */
	uint64_t threads;      /* format 5: thread records read (not handed out) */
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

struct og_ring_read_opts {
	/* Stop at a record being written (a later read gets it) instead of
	 * skipping it; and at a syscall not yet returned whose enter is newer
	 * than hold_after_ns (CLOCK_BOOTTIME), so that a follower prints it
	 * complete. 0: never hold. */
	bool wait_writing;
	uint64_t hold_after_ns;
};

/*
 * Copies the records from position *from (a record boundary, or 0) up to
 * the head into out (appended), in position order, and advances *from past
 * what was consumed. Records the writers overwrote meanwhile are dropped
 * and counted, never copied torn. A syscall record still in progress is
 * copied as ENTERED (its exit part not valid).
 */
int og_ring_read(const struct og_ring_view *v, uint64_t *from, struct og_rec_buf *out,
		 const struct og_ring_read_opts *opts, struct og_ring_read_stats *st);
/* Counts what og_ring_read would copy, without copying: what list reports. */
void og_ring_count(const struct og_ring_view *v, struct og_ring_read_stats *st);
/* Copies the one record at pos if it is still there and complete (DONE):
 * a follower's check on a syscall it printed as unfinished. 1 if copied,
 * 0 if still in progress, -ENOENT if overwritten. */
int og_ring_copy_done(const struct og_ring_view *v, uint64_t pos, struct og_rec_buf *out);

/* The container's whole-life syscall counts, beside the header; -ENODATA
 * for a ring made before they were kept. */
int og_ring_counts_read(const struct og_ring_view *v, struct og_ring_counts *c);
/* How the container and its processes ended (struct og_ring_end), copied
 * out; -ENODATA for a ring without it. */
int og_ring_end_read(const struct og_ring_view *v, struct og_ring_end *e);

/* A record's structure against its length: header, syscall part,
 * arguments, captures all inside, lengths within room. 0 or -EPROTO. */
int og_rec_check(const void *rec, size_t len);

/*
 * Unpacks one record as a ring of format version wrote it (raw, len bytes,
 * its tag's) into the view, appended to out: 1 when appended; 0 when the
 * record is not handed out (a thread record, remembered in names; a
 * compact record whose thread record names does not hold, counted in
 * st->unnamed); -EPROTO when it is inconsistent. names may be NULL for
 * records that need none (formats 3 and 4, and 5's whole records: a crash
 * file's).
 */
int og_rec_unpack(struct og_ring_names *names, uint32_t version, const void *raw, size_t len, struct og_rec_buf *out,
		  struct og_ring_read_stats *st);

#endif
