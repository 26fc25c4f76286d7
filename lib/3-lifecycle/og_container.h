/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_CONTAINER_H
#define OG_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_format.h"
#include "og_ring.h"

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
/* Under the pin root lock: the kernel memory of the rings under
 * containers/ as the ledger (pool/ledger) counts it, never less than it
 * is; -ENOENT (or another error) without a ledger that can be read. */
int og_container_ring_bytes(const char *root, uint64_t *bytes);
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
 * or inconsistent. Its id is the directory's name, the rest of its
 * metadata zero; gadget-dump prune removes it. */
#define OG_STATE_BROKEN 0x100
/* A directory under containers/ as listed: its metadata and, when broken
 * (meta.state OG_STATE_BROKEN), why it cannot be read. */
struct og_container_entry {
	struct og_container_meta meta;
	char why[OG_PATH_LEN]; /* "" unless broken */
};
/* Every directory under containers/, broken ones included. */
int og_container_list_entries(const char *root, struct og_container_entry **entries, size_t *n);
/* The same, their metadata alone (for those who skip the broken ones or
 * need no reason). */
int og_container_list(const char *root, struct og_container_meta **metas, size_t *n);
/* By exact id, exact name, NAMESPACE/POD/CONTAINER or POD/CONTAINER, then a
 * unique id prefix. A name means its newest container, unless several
 * running ones (og_container_init_alive) have it. Unknown or ambiguous: an
 * error that lists candidates. */
int og_container_resolve(const char *root, const char *query, struct og_container_meta *meta);
/* containers/ID/ring mapped read-only (og_ring_close after), by exact id:
 * whoever knows the id (the hook, a listing) never opens another
 * container's ring by a name or a prefix. */
int og_container_open_ring_id(const char *root, const char *id, struct og_ring_view *v);
/* The container a query names (og_container_resolve) and its ring mapped
 * read-only; a failure to open the ring is said of the container. */
int og_container_open_ring(const char *root, const char *query, struct og_container_meta *meta, struct og_ring_view *v);
/* Stops the containers whose init is gone (og_container_reap), counted in
 * *gone; then removes stopped containers that are beyond the newest keep
 * (keep < 0: no count limit) and, when older_than_s is not 0, stopped
 * longer ago than that, and every broken one (OG_STATE_BROKEN), counted
 * apart in *broken; then empties the ring slots no running container
 * uses (og_pool_empty_slots). Takes the locks. */
int og_container_prune(const char *root, int keep, uint64_t older_than_s, int *removed, int *broken, int *gone);

/*
 * Liveness without a poststop: a hook killed, a runtime killed, a delete
 * never run leave a container marked running. Its init is alive while its
 * pid names a process (not a zombie) of the start time registered
 * (init_start): a pid reused by another process is not its init. From
 * another pid namespace than the hook's, the pid cannot be checked: alive.
 */
bool og_container_init_alive(const struct og_container_meta *m);
/* What a container is, as gadget-dump list and gadget-tracer status name it. */
enum og_life {
	OG_LIFE_RUNNING, /* marked running, its init alive */
	OG_LIFE_ENDED,	 /* marked running, its init's end is in its ring: no poststop yet */
	OG_LIFE_GONE,	 /* no poststop came and its init is gone: its end not in its ring, or stopped
			    without a poststop (OG_META_F_GONE) */
	OG_LIFE_STOPPED, /* its poststop ran */
	OG_LIFE_BROKEN,	 /* OG_STATE_BROKEN */
};
/* end: its ring's (og_ring_end_read), NULL when not read. */
enum og_life og_container_life(const struct og_container_meta *m, const struct og_ring_end *end);
const char *og_life_name(enum og_life life);
/* Takes the lock: the containers marked running whose init is gone stop
 * recording (out of maps/cgroups) and are marked stopped with
 * OG_META_F_GONE, their stop time their init's end when their ring has it;
 * their rings are kept as stopped ones' (retention, ring-memory-max and
 * prune remove them), their slots emptied by the next og_pool_maintain;
 * then their uprobe references are dropped, as a poststop would.
 * *gone: those it stopped (malloc'd), *n of them. */
int og_container_reap(const char *root, struct og_container_meta **gone, size_t *n);

#endif
