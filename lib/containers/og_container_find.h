/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_CONTAINER_FIND_H
#define OG_CONTAINER_FIND_H

/* Finding containers: the listing of containers/, a query resolved to one,
 * its ring opened; whether a container still lives. */
#include <stdbool.h>
#include <stddef.h>
#include "og_format.h"
#include "og_ring.h"

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
/* The container a query names (og_container_resolve) and its ring mapped
 * read-only; a failure to open the ring is said of the container. */
int og_container_open_ring(const char *root, const char *query, struct og_container_meta *meta, struct og_ring_view *v);

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

#endif
