/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_UPROBE_H
#define OG_UPROBE_H

#include "og_uprobe_links.h"
#include "og_uprobe_plan.h"

/*
 * Attaches (or takes a reference on) every probe the planner finds for
 * o->families in the container's image (og_uprobe_plan.h): discovery runs
 * without the pin root lock, attaching under it, one perf_event link per
 * real file, offset, program and cookie, shared between containers by
 * their pins (og_uprobe_links.h). A probe that cannot be placed is
 * reported and skipped; errors are for what makes the whole attempt fail,
 * and then nothing of the attempt stays attached.
 */
int og_uprobes_attach(const char *root, const char *id, const struct og_uprobe_target_opts *o, int *attached);

#endif
