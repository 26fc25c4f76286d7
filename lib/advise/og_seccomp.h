/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_SECCOMP_H
#define OG_SECCOMP_H

/*
 * Seccomp profiles from what a container really did: its whole-life
 * syscall counts (struct og_ring_counts, kept beside its ring), not its
 * ring, which forgets.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_format.h"

/* Syscalls per arch (0 x86_64, 1 i386) by number. */
struct og_syscall_set {
	uint8_t on[2][OG_COUNT_NRS];
};

/*
 * What the container needs under a filter: every syscall it made from its
 * first execve on, and the ones its runtime makes between applying the
 * filter and that execve (og_seccomp.c, runtime_tail: measured). With
 * setup, also everything the runtime did before (mounts, pivot_root...):
 * a profile for a runtime that applies the filter early. -ENODATA when
 * the container never execve'd its program.
 */
int og_seccomp_set(const struct og_ring_counts *c, bool setup, struct og_syscall_set *s);

/*
 * The profile as JSON: defaultAction SCMP_ACT_ERRNO (EPERM), the arches
 * used, one sorted allow list. The same object is podman's and Docker's
 * profile format (--security-opt seccomp=FILE, a Kubernetes Localhost
 * profile) and the runtime spec's linux.seccomp. With input (a profile of
 * either form), merged into it: its default action and rules stay, what it
 * blocks stays blocked, and an allow rule adds what it lacks.
 */
int og_seccomp_profile(const struct og_syscall_set *s, const char *input, size_t input_len, char **out,
		       size_t *out_len);

/*
 * The oci-seccomp-bpf-hook annotation, io.containers.trace-syscall:
 * "of:PATH[;if:PATH]". Annotations may come from less trusted users (pod
 * annotations) and the hook runs as root, so both paths are relative to
 * dir (or absolute inside it), without "..", resolved beneath it without
 * following any symlink; PATH is created 0644, or rewritten only if this
 * function created it (it carries the trusted.oci-gadget.profile
 * attribute). *written gets the path written.
 */
#define OG_TRACE_SYSCALL_ANNOTATION "io.containers.trace-syscall"
int og_seccomp_write_annotated(const char *dir, const char *annotation, const struct og_syscall_set *s, char *written,
			       size_t wsize);
/* A path of the annotation as one relative to dir; -EPERM when outside it. */
int og_seccomp_rel_path(const char *dir, const char *path, char *rel, size_t size);

#endif
