/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_LEAKS_H
#define OG_LEAKS_H

#include <stddef.h>
#include <stdint.h>
#include "og_record.h"

/* Outstanding allocations of one user stack. */
struct og_leak_group {
	int64_t stack_id;     /* negative: no stack was recorded */
	uint32_t stack_check; /* og_ustack_check: the hash of the frames to expect */
	uint64_t bytes;
	uint64_t count;
	uint32_t pid; /* of the first allocation */
	uint64_t first_ts_ns;
};

struct og_leak_report {
	struct og_leak_group *groups; /* largest first */
	size_t ngroups;
	uint64_t bytes, count;
	uint64_t unmatched_frees; /* frees of allocations the ring no longer held */
};

/*
 * Replays the malloc-family events in order, as their kinds' flags say
 * (OG_EK_ALLOC, OG_EK_FREE, OG_EK_REALLOC in og_format.h): malloc, calloc,
 * realloc, posix_memalign and aligned_alloc allocate, free and realloc
 * release (per process and address). mmap and munmap are left out: glibc's
 * malloc calls mmap itself for large blocks, which would count them twice.
 */
int og_leaks_compute(const struct og_event *evs, size_t n, struct og_leak_report *rep);
void og_leaks_free(struct og_leak_report *rep);

#endif
