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

/* io.oci-gadget.ring-size: asked or not, since 0 is a size (refused later). */
struct og_ring_size_ask {
	bool set;
	uint64_t bytes;
};

/* io.oci-gadget.syscalls or syscalls =: the text as given, parsed when the
 * ring is set up (og_conf_ring_owner), so that a bad one fails open: the
 * ring records every syscall and the hook logs why. */
struct og_syscalls_ask {
	bool set;
	char text[4097]; /* OG_SELECT_MAX + 1: a longer text is cut, and refused */
};

/* Who may set a key (og_conf.c's table says, per key). */
#define OG_CONF_HOST 0x1      /* oci-gadget.conf */
#define OG_CONF_CONTAINER 0x2 /* the container's annotation OG_CONF_ANNOTATION_PREFIX + key */
#define OG_CONF_ANNOTATION_PREFIX "io.oci-gadget."

/* What one container gets: the defaults, the host's file, its annotations
 * (og_conf_container), assembled once by gadget-hook and passed down. */
struct og_conf {
	uint32_t uprobes;		   /* OG_FAM_* */
	uint32_t ssl_plaintext;		   /* bytes of plaintext per ssl call, 0: none */
	uint32_t capture_bytes;		   /* bytes kept of each syscall buffer (read, write...); 0: no bytes at all */
	bool capture_paths;		   /* path strings of syscalls kept */
	char uprobe_paths[1024];	   /* files to probe for every family, comma separated */
	uint64_t uprobe_deadline_ms;	   /* budget of uprobe discovery per container */
	uint32_t uprobe_linger_s;	   /* a container's last reference on a probe lingers this long */
	bool kstack;			   /* kernel stacks on syscall records */
	char seccomp_dir[1024];		   /* where io.containers.trace-syscall profiles go (host only) */
	uint32_t crash_files;		   /* enum og_crash_files: none, abnormal, all (host only) */
	char crash_dir[1024];		   /* where crash files go (host only) */
	uint64_t crash_dir_max;		   /* bytes of crash files kept, the oldest removed first (host only) */
	uint64_t ring_size_max;		   /* bytes of records a ring holds at most, whatever is asked (host only) */
	uint64_t ring_memory_max;	   /* kernel bytes all rings may hold: running, stopped, pool (host only) */
	bool trace;			   /* recorded at all: io.oci-gadget.trace is not "false" (container only) */
	struct og_ring_size_ask ring_size; /* ring asked for, else gadget-hook's --ring-size (container only) */
	struct og_syscalls_ask syscalls;   /* which syscalls the ring records (strace's -e trace= syntax) */
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
 * "What a ring holds"): events, bytes kept, the capture policy's flags,
 * the syscalls it records. A selection that does not parse leaves every
 * syscall recorded and returns its error (the rest of want is set). */
int og_conf_ring_owner(const struct og_conf *c, struct og_ring_owner *want);
/* "key = value" lines, '#' comments. Errors name the line. */
int og_conf_parse(const char *text, const char *what, struct og_conf *c);
/* A missing file is not an error: the defaults stay. */
int og_conf_read(const char *path, struct og_conf *c);
/* Sets one key from a string as the host's file does (og_conf_set_as
 * with OG_CONF_HOST). */
int og_conf_set(struct og_conf *c, const char *key, const char *value);
/* Sets one key as who (OG_CONF_HOST or OG_CONF_CONTAINER) may: -EPERM for
 * a key that is not theirs, -EINVAL for an unknown key or a bad value
 * (out of its bounds). */
int og_conf_set_as(struct og_conf *c, unsigned who, const char *key, const char *value);
/* The value of the container's annotation name, or NULL. */
typedef const char *og_conf_annotation_fn(void *arg, const char *name);
/* What a container wants: the defaults, its container-only keys (trace,
 * ring-size: trace is so known whatever fails after), the host's file at
 * path (missing: the defaults), then the annotations of the keys both may
 * set. Annotations of host-only keys are not read. Errors name the file
 * and line or the annotation. */
int og_conf_container(struct og_conf *c, const char *path, og_conf_annotation_fn *annotation, void *arg);
/* The table, for tests and listings: key i (-ENOENT past the last), who
 * may set it and a number's bounds, written in unit ("" bytes, "ms"). */
struct og_conf_key_info {
	const char *key;
	unsigned who;
	uint64_t min, max;
	const char *unit; /* NULL: not a number */
};
size_t og_conf_nkeys(void);
int og_conf_key_info(size_t i, struct og_conf_key_info *info);

#endif
