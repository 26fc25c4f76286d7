/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_CRASH_UNWIND_H
#define OG_CRASH_UNWIND_H

/*
 * A crash record (OG_REC_CRASH) made into an unwound stack: its registers,
 * stack copy and code mappings given to og_unwind_isolated, its files
 * opened beneath the container's root (og_image). Used by gadget-dump
 * while the files are there and by gadget-hook when it writes a crash file.
 */
#include <stdint.h>
#include "og_format.h"
#include "og_print_signals.h"
#include "og_resolve.h"

/* How long one crash's unwinding may take, in its isolated child. */
#define OG_CRASH_UNWIND_MS 2000
/* Crash records of one container unwound for its crash file, the last ones. */
#define OG_CRASH_UNWIND_MAX 8

/* The files a crash's process saw: those of its running container (pid, its
 * init, alive: /proc/PID/root, volumes included), else its bundle's rootfs
 * (root.path of bundle/config.json). */
int og_crash_image_open(struct og_image *im, const char *bundle, int pid);

/* out's frames, their texts and why are allocated: og_crash_stack_free.
 * -EPROTO for a record whose captures are inconsistent. */
int og_crash_unwind(const struct og_rec *crash, struct og_image *im, unsigned deadline_ms, struct og_crash_stack *out);
/* Frees what og_crash_unwind (or a crash file's reader) allocated. */
void og_crash_stack_free(struct og_crash_stack *st);

#endif
