/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_UNWIND_ISOLATED_H
#define OG_UNWIND_ISOLATED_H

#include "og_unwind.h"

#define OG_UNWIND_CHILD_AS (512u << 20) /* address space of the isolated child */

/*
 * og_unwind in a forked child limited to OG_UNWIND_CHILD_AS of memory and
 * deadline_ms of time (CPU and wall clock): a file that makes libdw crash,
 * loop or eat memory costs only the names. The child calls in->open_file
 * for the files it needs, then closes every other fd, drops root (to
 * nobody), sets no_new_privs and a seccomp filter before reading any of
 * them: a file that took libdw over would hold only its pipe. When the
 * child fails, frames holds the first frame, unnamed, and why says what
 * happened; returns 0 then too, and a negative errno only for invalid input
 * or when it cannot fork.
 */
int og_unwind_isolated(const struct og_unwind_input *in, unsigned deadline_ms, struct og_frame *frames, size_t max,
		       size_t *n, char *why, size_t why_len);

#endif
