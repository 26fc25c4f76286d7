/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_CONTAINER_H
#define OG_CONTAINER_H

#include <stddef.h>
#include <stdint.h>
#include "og_format.h"
#include "og_ring.h"

#define OG_DEFAULT_KEEP_STOPPED 64

/* Creates the container's ring and metadata, pins them under
 * containers/ID, and maps cgroup id -> ring so recording starts.
 * meta: id, names, bundle, pid, cgroup and mntns ids filled by the caller.
 * A stopped container of the same id is replaced. Takes the lock.
 * memory_max: the kernel memory all rings under root may hold once this
 * one is made (og_ring_kernel_bytes). To stay within it, pooled rings go
 * first, then the oldest stopped containers; when the running ones alone
 * leave too little, the ring is made smaller, down to OG_RING_MIN_BYTES,
 * or not at all (-ENOSPC). What was done is said with og_warn; the ring's
 * size is in meta->ring_bytes. */
int og_container_register(const char *root, struct og_container_meta *meta, uint32_t chunks,
			  const struct og_ring_owner *want, uint64_t memory_max);

/* Kernel memory held by the rings under root (og_ring_kernel_bytes of
 * each, from its map). */
struct og_ring_memory {
	uint64_t running; /* rings of running containers */
	uint64_t stopped; /* of stopped ones, and of broken directories */
	uint64_t pool;	  /* pooled rings, ready or being inserted */
};
int og_container_ring_memory(const char *root, struct og_ring_memory *m);
/* Pins what gadget-hook probed in the container's image beside its ring
 * (containers/ID/probes); gadget-dump probes reads it back. */
int og_container_write_probes(const char *root, const char *id, const struct og_probe_report *rep);
int og_container_read_probes(const char *root, const char *id, struct og_probe_report *rep);
/* Stops recording, marks stopped, keeps the ring. Then keeps at most
 * keep_stopped stopped containers (oldest removed). Takes the lock. */
int og_container_unregister(const char *root, const char *id, int keep_stopped);

/* Reads containers/ID/meta, then og_meta_check. */
int og_meta_read(const char *root, const char *id, struct og_container_meta *meta);
/* Metadata as read from a pin: its version and state known, its strings
 * NUL-terminated inside their fields, its id the directory's (id). */
int og_meta_check(struct og_container_meta *meta, const char *id, const char *what);
/* Listing only, never on disk: a directory under containers/ whose
 * metadata is missing (a hook killed while registering), of another format
 * or inconsistent. Its id is the directory's name, its bundle says why;
 * gadget-dump prune removes it. */
#define OG_STATE_BROKEN 0x100
/* Every directory under containers/, broken ones included. */
int og_container_list(const char *root, struct og_container_meta **metas, size_t *n);
/* By exact id, exact name, NAMESPACE/POD/CONTAINER or POD/CONTAINER, then a
 * unique id prefix. Unknown or ambiguous: an error that lists candidates. */
int og_container_resolve(const char *root, const char *query, struct og_container_meta *meta);
/* containers/ID/ring mapped read-only (og_ring_close after), by exact id:
 * whoever knows the id (the hook, a listing) never opens another
 * container's ring by a name or a prefix. */
int og_container_open_ring_id(const char *root, const char *id, struct og_ring_view *v);
/* The container a query names (og_container_resolve) and its ring mapped
 * read-only; a failure to open the ring is said of the container. */
int og_container_open_ring(const char *root, const char *query, struct og_container_meta *meta, struct og_ring_view *v);
/* Removes stopped containers that are beyond the newest keep (keep < 0: no
 * count limit) and, when older_than_s is not 0, stopped longer ago than
 * that, and every broken one (OG_STATE_BROKEN), counted apart in *broken.
 * Takes the lock. */
int og_container_prune(const char *root, int keep, uint64_t older_than_s, int *removed, int *broken);

#endif
