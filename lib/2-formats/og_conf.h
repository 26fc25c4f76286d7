/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_CONF_H
#define OG_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The host's defaults for every container (oci-gadget.conf(5)); the
 * container's annotations override them. */
/* Where io.containers.trace-syscall profiles go unless seccomp-profile-dir says. */
#define OG_SECCOMP_DEFAULT_DIR "/var/lib/oci-gadget/seccomp"
/* Where crash files go unless crash-dir says, and how much they may hold. */
#define OG_CRASH_DEFAULT_DIR "/var/lib/oci-gadget/crashes"
#define OG_CRASH_DEFAULT_MAX (256ULL << 20)

struct og_conf {
	uint32_t uprobes;	     /* OG_FAM_* */
	uint32_t ssl_plaintext;	     /* bytes of plaintext per ssl call, 0: none */
	uint32_t capture_bytes;	     /* bytes kept of each syscall buffer (read, write...); 0: no bytes at all */
	bool capture_paths;	     /* path strings of syscalls kept */
	char uprobe_paths[1024];     /* files to probe for every family, comma separated */
	uint64_t uprobe_deadline_ms; /* budget of uprobe discovery per container */
	uint32_t uprobe_linger_s;    /* a container's last reference on a probe lingers this long */
	bool kstack;		     /* kernel stacks on syscall records */
	char seccomp_dir[1024];	     /* where io.containers.trace-syscall profiles go (host only) */
	uint32_t crash_files;	     /* enum og_crash_files: none, abnormal, all (host only) */
	char crash_dir[1024];	     /* where crash files go (host only) */
	uint64_t crash_dir_max;	     /* bytes of crash files kept, the oldest removed first (host only) */
	uint64_t ring_size_max;	     /* bytes of records a ring holds at most, whatever is asked (host only) */
	uint64_t ring_memory_max;    /* kernel bytes all rings may hold: running, stopped, pool (host only) */
};

#define OG_CONF_DEFAULT_PLAINTEXT 64
#define OG_CONF_DEFAULT_LINGER_S 60
#define OG_CONF_MAX_LINGER_S 600
/* A tenant's annotation must not size a ring past this (64 rings of it
 * would be 4 GiB). */
#define OG_CONF_DEFAULT_RING_SIZE_MAX (64ULL << 20)
/* All rings together, by default: 256 MiB fits a small node (1/8 of the
 * 2 GiB kubeadm minimum) and holds about 240 default (1 MiB) rings, as many
 * as kubelet's default 110 pods with their pause containers and some
 * stopped ones, or three rings at ring-size-max. */
#define OG_CONF_DEFAULT_RING_MEMORY_MAX (256ULL << 20)
/* Below this no budget makes sense: a few of the smallest rings. */
#define OG_CONF_MIN_RING_MEMORY_MAX (1ULL << 20)
#define OG_CONF_DEFAULT_PATH OG_SYSCONFDIR "/oci-gadget/oci-gadget.conf"

/* "key = value" lines, '#' starts a comment, blank lines skipped: set is
 * called for each pair; its error stops the parse, named with the line. */
int og_kv_parse(const char *text, const char *what, int (*set)(void *arg, const char *key, const char *value),
		void *arg);

void og_conf_defaults(struct og_conf *c);
struct og_ring_owner;
/* What a ring asks of the programs under these settings (oci-gadget(7),
 * "What a ring holds"): events, bytes kept, the capture policy's flags. */
void og_conf_ring_owner(const struct og_conf *c, struct og_ring_owner *want);
/* "key = value" lines, '#' comments. Errors name the line. */
int og_conf_parse(const char *text, const char *what, struct og_conf *c);
/* A missing file is not an error: the defaults stay. */
int og_conf_read(const char *path, struct og_conf *c);
/* Sets one key ("uprobes", "ssl-plaintext", "capture-bytes", "capture-paths", "kstack",
 * "uprobe-paths", "uprobe-deadline", "uprobe-linger", "seccomp-profile-dir",
 * "ring-size-max", "ring-memory-max")
 * from a string, as
 * the file and the io.oci-gadget.* annotations do. */
int og_conf_set(struct og_conf *c, const char *key, const char *value);

#endif
