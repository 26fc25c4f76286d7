/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_RING_H
#define OG_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_format.h"
#include "og_rec_unpack.h"

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

#endif
