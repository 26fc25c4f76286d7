/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_RECORD_H
#define OG_RECORD_H

/*
 * From ring records to events: what the printers, --leaks and the
 * summaries read. Records come from og_ring_read (each passed
 * og_rec_check); an event is one syscall, complete or not, or one uprobe
 * or USDT event.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_format.h"
#include "og_ring.h"

struct og_event {
	/* A syscall record, an event record, or a standalone exit whose
	 * syscall record is not in the ring ("resumed"). */
	const struct og_rec *rec;
	/* A standalone exit that completes rec (its string retried at exit,
	 * or rec too old to complete in place), or NULL. */
	const struct og_rec *exit;
	bool last_of_thread; /* no later record of this tid in the batch */
	bool runtime;	     /* the runtime's, before the container's first execve (set by readers) */
};

/* The records of b as events, in ring order; *evs is allocated. A syscall
 * record still ENTERED takes the next standalone exit of its thread. */
int og_events_from_records(const struct og_rec_buf *b, struct og_event **evs, size_t *n);

/* Record layout (og_format.h), for records that passed og_rec_check. */
static inline uint32_t og_rec_state(const struct og_rec *r)
{
	return og_tag_state(r->tag);
}
/* Position in the ring (modulo 2^51). */
static inline uint64_t og_rec_pos(const struct og_rec *r)
{
	return r->tag >> 16 << 3;
}
static inline uint32_t og_rec_arch(const struct og_rec *r)
{
	return (r->flags & OG_RF_I386) ? OG_ARCH_I386 : OG_ARCH_X86_64;
}
const struct og_sys *og_rec_sys(const struct og_rec *r); /* NULL for events */
const __u64 *og_rec_args(const struct og_rec *r);
const struct og_cap *og_rec_cap(const struct og_rec *r, int i);
const struct og_cap *og_rec_cap_of_arg(const struct og_rec *r, int arg);
static inline const char *og_cap_data(const struct og_cap *c)
{
	return (const char *)(c + 1);
}

static inline bool og_event_is_probe(const struct og_event *ev)
{
	return ev->rec->type == OG_REC_EVENT;
}
/* The syscall's enter part (arguments, captures), NULL for a lone exit. */
const struct og_rec *og_event_enter(const struct og_event *ev);
/* The syscall's exit part (return value, duration), NULL while it runs. */
const struct og_sys *og_event_exit_sys(const struct og_event *ev);
/* The record holding the exit part's captures (output, retried strings). */
const struct og_rec *og_event_exit_rec(const struct og_event *ev);

/* Kernel-internal returns (ERESTARTSYS...): user space never saw them; the
 * syscall was interrupted and either restarted or the thread died in it. */
const char *og_restart_name(int64_t ret);
/* The syscall finished and returned to user space. */
bool og_event_returned(const struct og_event *ev);
/* ns from sys_enter to sys_exit; false when unknown. */
bool og_event_duration(const struct og_event *ev, uint64_t *ns);

#endif
