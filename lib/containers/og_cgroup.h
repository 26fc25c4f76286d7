/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_CGROUP_H
#define OG_CGROUP_H

#include <stddef.h>
#include <stdint.h>

/* From /proc/self/mountinfo text: where cgroup2 is mounted and which cgroup
 * path is the root of that mount (not "/" inside a cgroup namespace). */
int og_cgroup2_mount_parse(const char *mountinfo, char *mnt, size_t mnt_size, char *root, size_t root_size);
/* From /proc/PID/cgroup text: the cgroup v2 path ("0::/path"). */
int og_cgroup2_path_parse(const char *proc_cgroup, char *path, size_t size);
/* Joins a mount, its root and a cgroup path into a directory path. */
int og_cgroup2_dir(const char *mnt, const char *root, const char *path, char *out, size_t size);

/* pid's cgroup v2 directory. Its inode number is the cgroup id that
 * bpf_get_current_cgroup_id() returns for pid's tasks. */
int og_cgroup_dir_of_pid(int pid, char *dir, size_t size);
/* That directory's inode number: pid's cgroup id. */
int og_cgroup_id_of_pid(int pid, uint64_t *id);
/* The cgroup v2 root's id: every process not in a container is there or
 * below it, so it is never registered. */
#define OG_ROOT_CGROUP_ID 1
/* The inode number of pid's mount namespace. */
int og_mntns_id_of_pid(int pid, uint64_t *id);
/* The inode number of pid's pid namespace; pid 0: this process's. */
int og_pidns_id_of_pid(int pid, uint64_t *id);

/* From /proc/PID/stat text: the state letter (field 3) and the start time
 * (field 22, clock ticks after boot). The name before them may hold
 * spaces and ')': it ends at the last ')'. */
int og_proc_stat_parse(const char *stat, char *state, uint64_t *start);
/* pid's start time (og_proc_stat_parse); -ESRCH when no process of that
 * pid runs, a zombie included. A pid and its start time name one process
 * for the whole boot: a pid reused by another process has another. */
int og_pid_start_time(int pid, uint64_t *start);

#endif
