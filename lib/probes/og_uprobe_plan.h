/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_UPROBE_PLAN_H
#define OG_UPROBE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "og_elf.h"
#include "og_format.h"

/*
 * The planner: which probes a container's image needs, found without a
 * kernel call. Files are resolved as the container will see them
 * (og_resolve.c), their symbols and USDT notes read (og_elf.c); the result
 * is one entry per file, offset and program, which the attacher
 * (og_uprobe.c) places, and the report of what each family found.
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
	/* Filled, when not NULL: what each family probed, and why nothing
	 * (og_probe_report.h). */
	struct og_probe_report *report;
};

/* The programs a probe runs, pinned as progs/NAME by gadget-tracer. */
enum og_uprobe_prog { OG_PROG_UPROBE, OG_PROG_URETPROBE, OG_PROG_USDT, OG_UPROBE_PROGS };
extern const char *const og_uprobe_prog_names[OG_UPROBE_PROGS];

/* One file of the image, opened at its real (layer) inode. */
struct og_plan_file {
	char path[4096]; /* as the container sees it */
	int fd;		 /* the real file */
	dev_t dev;
	ino_t ino;
	bool usdt_done; /* its notes were read */
	struct og_elf_info info;
	bool info_ok;
};

/* One probe to place. */
struct og_plan_probe {
	const struct og_plan_file *f;
	uint64_t offset, ref_ctr;
	enum og_uprobe_prog prog;
	uint32_t kind;		  /* enum og_event_kind */
	struct og_usdt_spec spec; /* OG_PROG_USDT */
	char what[96];		  /* the symbol, or "USDT provider:name" */
};

#define OG_PLAN_FILES 32

struct og_uprobe_plan {
	struct og_plan_file files[OG_PLAN_FILES];
	size_t nfiles;
	struct og_plan_probe *probes;
	size_t nprobes, cap;
	uint32_t found; /* families with at least one probe */
};

/*
 * Plans the probes of o->families on the image's files, found whatever
 * program the container starts with: the libraries programs load
 * (ld.so.cache, else the library directories), static programs, the
 * program's "#!" interpreter, Python and Java along PATH and JAVA_HOME, and
 * the explicit paths. Files are resolved as the container will see them
 * (volumes included), never outside its root; everything read is bounded
 * and discovery stops at the deadline. What cannot be probed is reported
 * and skipped; errors are for what makes the whole attempt fail. The plan
 * holds its files open: og_uprobe_plan_free.
 */
int og_uprobe_plan_make(const struct og_uprobe_target_opts *o, struct og_uprobe_plan *plan);
void og_uprobe_plan_free(struct og_uprobe_plan *plan);

/* An entry of the container's report (og_probe_report.h), its line also
 * given to o->note. */
void og_uprobe_report(const struct og_uprobe_target_opts *o, const struct og_probe_entry *e, const char *text);
/* A note: anything said that is not a family's finding. */
void og_uprobe_report_note(const struct og_uprobe_target_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
