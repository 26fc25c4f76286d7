/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_PROBE_REPORT_H
#define OG_PROBE_REPORT_H

/*
 * The report of what gadget-hook probed in a container's image (struct
 * og_probe_report, og_format.h): entries added as the planner goes, pinned
 * beside the ring, read back by gadget-dump probes and crash files. Each
 * entry is also one line of text, the same for the hook's log and the dump.
 */
#include <stddef.h>
#include <stdint.h>
#include "og_format.h"

/* An empty report. */
void og_probe_report_init(struct og_probe_report *rep);
/* Appends e with its text (a path, a reason, a line): -ENOSPC when the
 * report is full, and the entry is left out. */
int og_probe_report_add(struct og_probe_report *rep, const struct og_probe_entry *e, const char *text);
/* The entry's text (NUL-terminated), as og_probes_check made sure. */
const char *og_probe_entry_text(const struct og_probe_report *rep, const struct og_probe_entry *e);
/* The entry as a line: "FAMILY: PATH (N probes, HOW)", "FAMILY: nothing:
 * WHY", or the note's text. Its length (cut to size). */
int og_probe_line(const struct og_probe_entry *e, const char *text, char *buf, size_t size);
/* "the container's program", "library", ...; NULL for an unknown one. */
const char *og_probe_how_name(uint32_t how);
/* A report as read from a pin or a file: its version known, every entry
 * of a known type with its text inside text_len and NUL-terminated. */
int og_probes_check(const struct og_probe_report *rep, const char *what);

#endif
