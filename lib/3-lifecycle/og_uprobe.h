/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_UPROBE_H
#define OG_UPROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "og_format.h"

/*
 * A container's uprobes. Pins, under the pin root:
 *   uprobes/KEY/CONTAINER-ID   one pin per container of the same link
 * KEY names the real file (device and inode, after overlayfs), the offset,
 * the program and the cookie. The link is made by the first container that
 * needs it and pinned again by the next ones: the kernel keeps it attached
 * while any pin is left, so the pins are the reference count, and one call
 * runs the program once whatever the number of containers.
 */

struct og_uprobe_target_opts {
	uint32_t families;
	const char *rootfs;    /* host path of the container's root */
	pid_t pid;	       /* the container's init: its mount namespace shows the volumes */
	const char *arg0;      /* process.args[0], or NULL */
	const char *path_env;  /* PATH of process.env, or NULL (the default PATH) */
	const char *java_home; /* JAVA_HOME of process.env, or NULL */
	const char *paths;     /* uprobe-paths: files to probe for every family, comma separated */
	uint64_t deadline_ms;  /* budget of discovery; past it what was found is kept */
	/* What was done and skipped and why, one line each (the hook's -v). */
	void (*note)(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
	void *note_ctx;
	/* Filled: the report of what each family probed, and why nothing
	 * (og_probe_report in og_format.h); NUL-terminated. */
	char *report;
	size_t report_size;
};

/*
 * Attaches (or takes a reference on) every probe of the families on the
 * image's files, found whatever program the container starts with: the
 * libraries programs load (ld.so.cache, else the library directories),
 * static programs, the program's "#!" interpreter, Python and Java along
 * PATH and JAVA_HOME, and the explicit paths. Files are resolved as the
 * container will see them (volumes included), never outside its root;
 * everything read is bounded and discovery stops at the deadline.
 * Discovery runs without the pin root lock, attaching under it. A probe
 * that cannot be placed is reported and skipped; errors are for what makes
 * the whole attempt fail.
 */
int og_uprobes_attach(const char *root, const char *id, const struct og_uprobe_target_opts *o, int *attached);
/*
 * Drops the container's references. A link whose last reference this was
 * lingers linger_s seconds (pinned as uprobes/KEY/linger-EXPIRY): a
 * container of the same image started meanwhile takes it again instead of
 * registering the probe anew, which after a recent teardown waits for it
 * (400 to 600 ms on this kernel); 0 detaches at once.
 */
int og_uprobes_detach(const char *root, const char *id, uint32_t linger_s, int *detached);
/* Unpins the lingering links whose time is up (at now_s, CLOCK_REALTIME
 * seconds); *left of them still linger, the first until *next_s. */
int og_uprobes_reap(const char *root, uint64_t now_s, int *reaped, int *left, uint64_t *next_s);
/* Reaps until nothing lingers, waking at each expiry (10 s at most); one such
 * process per pin root (the others return at once). */
void og_uprobes_reaper(const char *root);
/* Links attached now (distinct keys), references held by containers, and
 * links lingering after their last container stopped. */
int og_uprobes_count(const char *root, int *links, int *refs, int *lingering);

/* What this kernel offers the probes, found from sysfs (no program is
 * loaded to find out): gadget-tracer status reports it. */
struct og_feature {
	const char *name;
	bool supported;
	bool used;	  /* oci-gadget needs it (uprobes); else only reported */
	char reason[160]; /* why not, or what it is used for */
};
#define OG_NFEATURES 4
void og_features_probe(struct og_feature f[OG_NFEATURES]);

#endif
