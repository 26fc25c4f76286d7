/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_PINS_H
#define OG_PINS_H

#include <stddef.h>

/*
 * Pin layout under the root (default OG_DEFAULT_PIN_ROOT):
 *   info                      array map: struct og_info (written last at load)
 *   progs/sys_enter, progs/sys_exit
 *   links/sys_enter, links/sys_exit
 *   maps/rings                hash of maps: cgroup id -> ring
 *   maps/syscall_args, maps/stats, maps/str_retry, maps/config (.bss)
 *   containers/ID/ring        the container's ring (outlives its rings entry)
 *   containers/ID/meta        array map: struct og_container_meta
 */
#define OG_DEFAULT_PIN_ROOT "/sys/fs/bpf/oci-gadget"

/* Makes sure root can hold pins: mounts bpffs on /sys/fs/bpf when root is
 * under it and nothing is mounted there, then creates root. */
int og_pin_root_prepare(const char *root);
/* Exclusive lock on the pin root (flock on its directory). */
int og_pin_root_lock(const char *root, int *fd);
/* Removes a pin tree (bpffs files and directories). */
int og_pin_remove_tree(const char *path);
int og_pin_exists(const char *path);

#endif
