/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_MAPS_H
#define OG_MAPS_H

/*
 * The loaded tracer's pins, read and written by the hook, the pool, the
 * uprobe attacher and the loader alike (the loader, og_tracer.h, builds
 * on this; this never on it).
 */
#include <stdbool.h>
#include <stdint.h>
#include "og_format.h"

/* Opens one of the tracer's pinned maps: "rings", "syscall_args", ... */
int og_tracer_map_open(const char *root, const char *name, int *fd);
int og_tracer_info(const char *root, struct og_info *info);
int og_tracer_is_loaded(const char *root);
/* Rewrites the programs' config from the cgroups map (call under the lock). */
int og_tracer_sync_config(const char *root, uint32_t *registered);
/* The programs' config (maps/config, their .bss) mapped read-write: the
 * programs read it while it is written, one aligned store at a time. */
int og_config_map(const char *root, struct og_config **live);
void og_config_unmap(struct og_config *live);
/* The loaded tracer's syscall table, table[OG_SYSCALL_TABLE_SIZE]
 * (entries it does not describe left zero). */
int og_syscall_table_load(const char *root, struct og_syscall_desc *table);
/* Entries of a map whose keys are at most 8 bytes. */
uint32_t og_map_count_keys(int fd);
/* Counts maps/cgroups' entries and, with bucket, fills the programs' bucket
 * table from them, with levels the set of their levels (og_config.levels). */
void og_scan_cgroups(int fd, uint32_t *n, __u16 *bucket, __u64 *levels);
/* The levels registered containers are at, packed as og_config.levels
 * (the programs' config: call under the pin root lock). */
int og_registered_levels(const char *root, __u64 *levels);
/* Adds level (1..OG_LEVEL_MAX) to a packed level set (og_config.levels:
 * deepest first, 0 past the last); false when it is not there and
 * OG_LEVELS others are. */
bool og_levels_add(__u64 *levels, uint32_t level);
/* Asks the kernel (the tracer's cgroup_query program) for cgroup_id's
 * level and its ancestors at levels (packed as og_config.levels). */
int og_cgroup_query(const char *root, __u64 cgroup_id, __u64 levels, struct og_cgroup_query *q);

#endif
