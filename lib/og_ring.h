/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_RING_H
#define OG_RING_H

#include <stddef.h>
#include <stdint.h>
#include "og_format.h"

/* Slots for a requested size: bounded, rounded up to a power of two. */
int og_ring_slots_for_bytes(uint64_t bytes, uint32_t *slots);
/* Whose a ring is and what it records: the header fields the programs
 * read. A pooled ring has owner NULL (cgroup id 0, which no cgroup has). */
struct og_ring_owner {
	uint64_t cgroup_id;
	uint32_t events;	/* OG_FAM_* */
	uint32_t plaintext_max; /* ssl plaintext bytes, at most OG_CAP_SIZE */
	uint32_t flags;		/* OG_RING_F_* */
};

/* Creates an unpinned ring map with its header set; returns its fd. */
int og_ring_create(uint32_t slots, const struct og_ring_owner *owner, int *fd);
size_t og_ring_map_bytes(uint64_t slot_count);
/* Gives a pooled ring to owner. */
int og_ring_assign(int fd, const struct og_ring_owner *owner);

/* A ring as memory: mmap of a pinned ring or a synthetic buffer in tests. */
struct og_ring_view {
	const uint8_t *base;
	size_t len;
	const struct og_ring_header *hdr;
	uint64_t slot_count;
	void *mapped; /* non-NULL when we own an mmap */
};

/* Checks magic, version, slot size and geometry against len. */
int og_ring_view_init(struct og_ring_view *v, const void *base, size_t len, const char *what);
int og_ring_open_pinned(const char *path, struct og_ring_view *v);
void og_ring_close(struct og_ring_view *v);

struct og_ring_read_stats {
	uint64_t head;	      /* head when the read started */
	uint64_t overwritten; /* records lost to wraparound before we got to them */
	uint64_t torn;	      /* slots skipped: overwritten or rewritten while copied */
	uint64_t in_progress; /* newest slots not yet published (read again later) */
};

/*
 * Copies complete records with sequence >= *from into out (at most max), in
 * sequence order; sets *n and advances *from past what was consumed. With
 * wait_newest, an unpublished slot stops the read so a later call gets it;
 * otherwise it is skipped and counted as torn.
 */
int og_ring_read(const struct og_ring_view *v, uint64_t *from, struct og_record *out, size_t max, size_t *n,
		 int wait_newest, struct og_ring_read_stats *st);

/* Counts complete records without copying them: what list reports. */
void og_ring_count(const struct og_ring_view *v, uint64_t *held, struct og_ring_read_stats *st);

#endif
