/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_CONTAINER_H
#define OG_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_format.h"
#include "og_ring.h"
#include "og_container_find.h"
#include "og_container_pins.h"

#define OG_DEFAULT_KEEP_STOPPED 64

/* Creates the container's ring and metadata, pins them under
 * containers/ID, and maps cgroup id -> ring so recording starts.
 * meta: id, names, bundle, pid, cgroup and mntns ids filled by the caller;
 * the pid's start time and pid namespace are filled here. A container of
 * the same id is replaced once stopped or its init gone; while its init
 * runs (the same id under another runtime root), -EEXIST naming both.
 * -EBUSY: its cgroup is recorded as another container's (inside it, or
 * that container's own): its syscalls land in that ring, not apart.
 * Takes the lock.
 * memory_max: the kernel memory all rings under root may hold once this
 * one is made (og_ring_kernel_bytes). To stay within it, pooled rings go
 * first, then the oldest stopped containers; when the running ones alone
 * leave too little, the ring is made smaller, down to OG_RING_MIN_BYTES,
 * or not at all (-ENOSPC). What was done is said with og_warn; the ring's
 * size is in meta->ring_bytes. init_cwd: the init's working directory
 * (config.json's process.cwd), kept in the fd table; NULL: not known. */
int og_container_register(const char *root, struct og_container_meta *meta, uint32_t chunks,
			  const struct og_ring_owner *want, uint64_t memory_max, const char *init_cwd);

/* Kernel memory held by the rings under root (og_ring_kernel_bytes of
 * each, from its map). */
struct og_ring_memory {
	uint64_t running; /* rings of running containers */
	uint64_t stopped; /* of stopped ones, and of broken directories */
	uint64_t pool;	  /* pooled rings, ready or being inserted */
};
int og_container_ring_memory(const char *root, struct og_ring_memory *m);
/* Stops recording, marks stopped, keeps the ring. Then keeps at most
 * keep_stopped stopped containers (oldest removed). Takes the lock. */
int og_container_unregister(const char *root, const char *id, int keep_stopped);

/* Stops the containers whose init is gone (og_container_reap), counted in
 * *gone; then removes stopped containers that are beyond the newest keep
 * (keep < 0: no count limit) and, when older_than_s is not 0, stopped
 * longer ago than that, and every broken one (OG_STATE_BROKEN), counted
 * apart in *broken; then empties the ring slots no running container
 * uses (og_pool_empty_slots). Takes the locks. */
int og_container_prune(const char *root, int keep, uint64_t older_than_s, int *removed, int *broken, int *gone);

/* Takes the lock: the containers marked running whose init is gone stop
 * recording (out of maps/cgroups) and are marked stopped with
 * OG_META_F_GONE, their stop time their init's end when their ring has it;
 * their rings are kept as stopped ones' (retention, ring-memory-max and
 * prune remove them), their slots emptied by the next og_pool_maintain;
 * then their uprobe references are dropped, as a poststop would.
 * *gone: those it stopped (malloc'd), *n of them. */
int og_container_reap(const char *root, struct og_container_meta **gone, size_t *n);

#endif
