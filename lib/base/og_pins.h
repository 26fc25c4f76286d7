/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_PINS_H
#define OG_PINS_H

#include <stddef.h>

/*
 * Pin layout under the root (default OG_DEFAULT_PIN_ROOT):
 *   info                      array map: struct og_info (written last at load)
 *   progs/sys_enter, progs/sys_exit, progs/uprobe, progs/uretprobe, ...
 *   links/sys_enter, links/sys_exit
 *   maps/rings                array of maps: slot -> ring (the running containers')
 *   maps/cgroups              hash: cgroup id -> slot (when its bucket is shared)
 *   maps/children             hash: child cgroup id -> slot and owning cgroup
 *   maps/...                  the tracer's other maps (og_tracer.c map_names)
 *   pool/N, pool/pending-N    spare rings, emptied and waiting (og_pool.c)
 *   pool/waiter               directory: locked by the maintainer waiting for its turn
 *   pool/ledger               array map: ring memory under containers/, stopped
 *                             containers (og_container.c; errs high, never low)
 *   containers/ID/ring        the container's ring (outlives its rings entry)
 *   containers/ID/meta        array map: struct og_container_meta
 *   containers/ID/probes      array map: struct og_probe_report
 *   uprobes/KEY/ID            a container's reference on one uprobe link
 *   uprobes/KEY/linger-T      the link after its last container stopped,
 *                             kept until T (CLOCK_REALTIME seconds)
 * KEY is DEV-INO-OFFSET-PROGRAM-COOKIE, all hex.
 */
/* A name under uprobes/KEY/ of this prefix and digits is a linger pin, so
 * no container id may have that form (oci_id_valid refuses it). */
#define OG_PIN_LINGER_PREFIX "linger-"
/* The expiry of a linger pin's name, or -EINVAL for a container's. */
int og_pin_linger_expiry(const char *name, unsigned long long *t);
#define OG_DEFAULT_PIN_ROOT "/sys/fs/bpf/oci-gadget"

/* Makes sure root can hold pins: mounts bpffs on /sys/fs/bpf when root is
 * under it and nothing is mounted there, then creates root. */
int og_pin_root_prepare(const char *root);
/* Whether this user can read the pin root: 1 yes, 0 it does not exist,
 * an error when it (or a directory above it) is not this user's to read:
 * for another user, "not loaded" would be a lie. */
int og_pin_root_access(const char *root);
/* Exclusive lock on the pin root (flock on its directory). */
int og_pin_root_lock(const char *root, int *fd);
/* Removes a pin tree (bpffs files and directories). */
int og_pin_remove_tree(const char *path);
int og_pin_exists(const char *path);
/*
 * Calls fn(dir, name, arg) for each entry of a pin directory (names
 * starting with '.' skipped). A missing directory is an empty one. fn
 * returning > 0 stops the walk (found), < 0 stops it with that error.
 * Returns fn's last result, or 0.
 */
typedef int (*og_pin_entry_fn)(const char *dir, const char *name, void *arg);
int og_pin_dir_each(const char *dir, og_pin_entry_fn fn, void *arg);

#endif
