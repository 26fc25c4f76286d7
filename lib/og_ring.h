/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_RING_H
#define OG_RING_H

#include <stddef.h>
#include <stdint.h>
#include "og_format.h"

/* Slots for a requested size: bounded, rounded up to a power of two. */
int og_ring_slots_for_bytes(uint64_t bytes, uint32_t *slots);
/* Creates an unpinned ring map with its header set; returns its fd. */
int og_ring_create(uint32_t slots, uint64_t cgroup_id, int *fd);
size_t og_ring_map_bytes(uint64_t slot_count);
/* Gives a pooled ring (cgroup id 0, which no cgroup has) to cgroup_id. */
int og_ring_assign(int fd, uint64_t cgroup_id);

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
