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
	/* A syscall the thread never returned from: its exit record (the
	 * thread ended inside it, or right after it was interrupted). */
	const struct og_rec *died;
	/* An exit of a process the OOM killer chose: the choice (OG_REC_OOM). */
	const struct og_rec *oom;
	/* A fatal core-dumping signal's delivery: the crash snapshot its
	 * thread left when it exited (OG_REC_CRASH), written later. */
	const struct og_rec *crash;
	/* A crash snapshot whose delivery is in the batch (its crash):
	 * text prints it there, JSON on its own. */
	bool joined;
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
	return og_tag_pos(r->tag);
}
/* The ring's number of the record (OG_VIEW_SEQ), modulo 2^28. */
static inline uint32_t og_rec_seq(const struct og_rec *r)
{
	return r->seq_type >> OG_SEQ_SHIFT;
}
/* The pid and tid a reader shows: the container's (its own pid
 * namespace's) when known, else, or when host is asked for, the host's. */
static inline uint32_t og_rec_shown_pid(const struct og_rec *r, bool host)
{
	return !host && (r->view & OG_VIEW_NS) && r->ns_tgid ? r->ns_tgid : r->tgid;
}
static inline uint32_t og_rec_shown_tid(const struct og_rec *r, bool host)
{
	return !host && (r->view & OG_VIEW_NS) && r->ns_tid ? r->ns_tid : r->tid;
}
/* Whether a record is of the process or thread pid: its host pid or tid,
 * or (unless only the host's are asked for) its container's. */
static inline bool og_rec_has_pid(const struct og_rec *r, uint32_t pid, bool host)
{
	return r->tgid == pid || r->tid == pid ||
	       (!host && (r->view & OG_VIEW_NS) && (r->ns_tgid == pid || r->ns_tid == pid));
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
/* A syscall's record or standalone exit (not an event, signal, exit...). */
static inline bool og_event_is_syscall(const struct og_event *ev)
{
	return ev->rec->type == OG_REC_SYSCALL || ev->rec->type == OG_REC_SYS_EXIT;
}
/* The fixed body of a signal, exit, OOM or crash record (og_format.h). */
static inline const void *og_rec_body(const struct og_rec *r)
{
	return r + 1;
}
/* The syscall's enter part (arguments, captures), NULL for a lone exit. */
const struct og_rec *og_event_enter(const struct og_event *ev);
/* The syscall's exit part (return value, duration), NULL while it runs. */
const struct og_sys *og_event_exit_sys(const struct og_event *ev);
/* The child's side of a fork or clone: a lone exit returning 0, which is
 * no lost enter. strace prints nothing for it; neither does the text. */
bool og_event_fork_child(const struct og_event *ev);
/* The record holding the exit part's captures (output, retried strings). */
const struct og_rec *og_event_exit_rec(const struct og_event *ev);

/* A crash record's parts, checked against its length: the body, the
 * stack copy (from regs' sp) and the code mappings with their paths. */
struct og_crash_view {
	const struct og_crash *crash;
	const uint8_t *stack;
	size_t stack_len;
	bool stack_withheld; /* capture-bytes off: the stack was not kept */
	uint64_t stack_addr;
	const struct og_crash_map *maps;
	size_t nmaps;
	const char *paths; /* map i's path: paths + maps[i].path_off, maps[i].path_len bytes */
	size_t paths_len;
};
/* 0, or -EPROTO for a record whose captures do not hold what it says. */
int og_crash_view(const struct og_rec *r, struct og_crash_view *v);

/* Kernel-internal returns (ERESTARTSYS...): user space never saw them; the
 * syscall was interrupted and either restarted or the thread died in it. */
const char *og_restart_name(int64_t ret);
/* The syscall finished and returned to user space. */
bool og_event_returned(const struct og_event *ev);
/* ns from sys_enter to sys_exit; false when unknown. */
bool og_event_duration(const struct og_event *ev, uint64_t *ns);

#endif
