// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_record.h"
#include "og_syscalls.h"
#include "og_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static size_t args_offset(const struct og_rec *r)
{
	return sizeof(*r) + og_rec_body_size(r->type);
}

const struct og_sys *og_rec_sys(const struct og_rec *r)
{
	return r->type == OG_REC_SYSCALL || r->type == OG_REC_SYS_EXIT ? (const struct og_sys *)(r + 1) : NULL;
}

const __u64 *og_rec_args(const struct og_rec *r)
{
	return (const __u64 *)((const uint8_t *)r + args_offset(r));
}

const struct og_cap *og_rec_cap(const struct og_rec *r, int i)
{
	const uint8_t *p = (const uint8_t *)r + args_offset(r) + r->nargs * sizeof(__u64);

	if (i < 0 || i >= r->ncaps)
		return NULL;
	for (int k = 0; k < i; k++)
		p += sizeof(struct og_cap) + og_round8(((const struct og_cap *)p)->size);
	return (const struct og_cap *)p;
}

const struct og_cap *og_rec_cap_of_arg(const struct og_rec *r, int arg)
{
	if (!r)
		return NULL;
	for (int i = 0; i < r->ncaps; i++) {
		const struct og_cap *c = og_rec_cap(r, i);

		if (c->arg == arg)
			return c;
	}
	return NULL;
}

int og_crash_view(const struct og_rec *r, struct og_crash_view *v)
{
	const struct og_cap *st, *mp;
	size_t table = OG_CRASH_MAPS * sizeof(struct og_crash_map);

	memset(v, 0, sizeof(*v));
	if (r->type != OG_REC_CRASH || r->ncaps < 2)
		return -EPROTO;
	v->crash = og_rec_body(r);
	st = og_rec_cap(r, 0);
	mp = og_rec_cap(r, 1);
	if (st->kind != OG_ARG_STACK || mp->kind != OG_ARG_MAPS || v->crash->nmaps > OG_CRASH_MAPS || mp->len < table)
		return -EPROTO;
	v->stack = (const uint8_t *)og_cap_data(st);
	v->stack_len = st->len;
	v->stack_withheld = st->flags & OG_CAP_WITHHELD;
	v->stack_addr = v->crash->regs[OG_REG_SP];
	v->maps = (const struct og_crash_map *)og_cap_data(mp);
	v->nmaps = v->crash->nmaps;
	v->paths = og_cap_data(mp) + table;
	v->paths_len = mp->len - table;
	for (size_t i = 0; i < v->nmaps; i++)
		if ((size_t)v->maps[i].path_off + v->maps[i].path_len > v->paths_len)
			return -EPROTO;
	return 0;
}

const struct og_rec *og_event_enter(const struct og_event *ev)
{
	return ev->rec->type == OG_REC_SYSCALL ? ev->rec : NULL;
}

bool og_event_fork_child(const struct og_event *ev)
{
	const struct og_sys *x = og_event_exit_sys(ev);

	/* The child's side of fork, vfork, clone, clone3 (their row's role):
	 * its first exit, returning 0, has no enter of its own. */
	return ev->rec->type == OG_REC_SYS_EXIT && x && x->ret == 0 &&
	       og_syscall_role(og_rec_arch(ev->rec), ev->rec->nr) == OG_ROLE_FORK;
}

const struct og_rec *og_event_exit_rec(const struct og_event *ev)
{
	if (ev->exit)
		return ev->exit;
	if (ev->rec->type == OG_REC_SYS_EXIT ||
	    (ev->rec->type == OG_REC_SYSCALL && og_rec_state(ev->rec) == OG_TAG_DONE))
		return ev->rec;
	return NULL;
}

const struct og_sys *og_event_exit_sys(const struct og_event *ev)
{
	const struct og_rec *x = og_event_exit_rec(ev);

	return x ? og_rec_sys(x) : NULL;
}

const char *og_restart_name(int64_t ret)
{
	switch (ret) {
	case -512: return "ERESTARTSYS";
	case -513: return "ERESTARTNOINTR";
	case -514: return "ERESTARTNOHAND";
	case -516: return "ERESTART_RESTARTBLOCK";
	default: return NULL;
	}
}

bool og_event_returned(const struct og_event *ev)
{
	const struct og_sys *s = og_event_exit_sys(ev);

	return s && !og_restart_name(s->ret);
}

bool og_event_duration(const struct og_event *ev, uint64_t *ns)
{
	const struct og_rec *x = og_event_exit_rec(ev);

	if (!x || (x->flags & OG_RF_NO_TIME) || !og_event_enter(ev))
		return false;
	*ns = og_dur_decode(og_rec_sys(x)->duration);
	return true;
}

/* Per thread, in a table of tids: the syscall record waiting for a
 * standalone exit, and the event that took the thread's latest record. */
struct thread_slot {
	uint32_t tid;
	bool used;
	bool pending;
	size_t ev;
	size_t last;
};

/* The syscall the thread was in when it ended: one not yet returned, or
 * one interrupted to be restarted (the thread died instead). */
static bool ended_inside(const struct og_event *ev)
{
	return og_event_is_syscall(ev) && !og_event_returned(ev) && ev->rec->nr != -1;
}

/* OOM records and fatal deliveries, rare: the latest few, for the exits
 * of their victims and the crash snapshots of their threads. */
#define OOM_KEEP 16

/* The tids' table, linear probing, entries never removed: sized by the
 * threads seen, not the records (a ring of one thread's 600,000 calls
 * needs a few slots, not megabytes to zero and scan). */
struct thread_table {
	struct thread_slot *slot;
	size_t slots, used;
};

static size_t thread_hash(uint32_t tid, size_t slots)
{
	return (tid * 2654435761u) & (slots - 1);
}

/* The slot of tid (*known: it was there before), claimed if new; NULL
 * when the table cannot grow. */
static struct thread_slot *thread_slot_of(struct thread_table *t, uint32_t tid, bool *known)
{
	size_t h = thread_hash(tid, t->slots);

	while (t->slot[h].used && t->slot[h].tid != tid)
		h = (h + 1) & (t->slots - 1);
	*known = t->slot[h].used;
	if (*known)
		return &t->slot[h];
	if (2 * (t->used + 1) > t->slots) { /* at most half full: probes stay short */
		struct thread_slot *ns = calloc(2 * t->slots, sizeof(*ns));

		if (!ns)
			return NULL;
		for (size_t i = 0; i < t->slots; i++) {
			size_t k;

			if (!t->slot[i].used)
				continue;
			for (k = thread_hash(t->slot[i].tid, 2 * t->slots); ns[k].used;
			     k = (k + 1) & (2 * t->slots - 1))
				;
			ns[k] = t->slot[i];
		}
		free(t->slot);
		t->slot = ns;
		t->slots *= 2;
		return thread_slot_of(t, tid, known);
	}
	t->used++;
	t->slot[h] = (struct thread_slot){.tid = tid, .used = true};
	return &t->slot[h];
}

int og_events_from_records(const struct og_rec_buf *b, struct og_event **evsp, size_t *np)
{
	/* At most this many records (each has its header): no pass over
	 * them to count, and the pages of events not made are never touched. */
	size_t nrec = b->len / sizeof(struct og_rec), nev = 0;
	struct thread_table threads = {.slots = 64};
	struct og_event *evs;
	const struct og_rec *ooms[OOM_KEEP] = {0};
	size_t nooms = 0, fatal[OOM_KEEP] = {0}, nfatal = 0;

	threads.slot = calloc(threads.slots, sizeof(*threads.slot));
	evs = calloc(nrec ? nrec : 1, sizeof(*evs));
	if (evs)
		og_advise_huge(evs, nrec * sizeof(*evs));
	if (!threads.slot || !evs) {
		free(threads.slot);
		free(evs);
		return og_err(ENOMEM, "events of %zu records", nrec);
	}
	for (size_t off = 0; off < b->len;) {
		const struct og_rec *r = (const void *)(b->data + off);
		struct thread_slot *ts;
		bool known;

		off += og_tag_len(r->tag);
		/* Records were written long before (a whole ring is more than
		 * the caches): ask for the ones ahead while this one is done. */
		__builtin_prefetch(b->data + off + 1024);
		if (r->type == OG_REC_OOM)
			ooms[nooms++ % OOM_KEEP] = r;
		if (r->type == OG_REC_SIGNAL && (((const struct og_signal *)og_rec_body(r))->flags & OG_SIGF_CORE))
			fatal[nfatal++ % OOM_KEEP] = nev;
		if (r->type == OG_REC_CRASH) {
			/* The delivery it belongs to: its thread's, the same signal. */
			for (size_t k = 0; k < OOM_KEEP && k < nfatal; k++) {
				struct og_event *d = &evs[fatal[(nfatal - 1 - k) % OOM_KEEP]];

				if (d->rec->tid == r->tid && d->rec->nr == r->nr && !d->crash) {
					d->crash = r;
					evs[nev] = (struct og_event){.rec = r, .joined = true};
					break;
				}
			}
			if (evs[nev].rec == r) {
				nev++;
				continue;
			}
		}
		/* Probes, signals, OOM choices and types this reader does not
		 * know stand alone; a signal between an interrupted syscall and
		 * the thread's end does not hide that end. */
		if (r->type != OG_REC_SYSCALL && r->type != OG_REC_SYS_EXIT && r->type != OG_REC_EXIT) {
			evs[nev++] = (struct og_event){.rec = r};
			continue;
		}
		ts = thread_slot_of(&threads, r->tid, &known);
		if (!ts) {
			free(threads.slot);
			free(evs);
			return og_err(ENOMEM, "threads of %zu records", nrec);
		}
		if (r->type == OG_REC_EXIT) {
			struct og_event *x = &evs[nev];

			*x = (struct og_event){.rec = r};
			if (known && ended_inside(&evs[ts->last]))
				evs[ts->last].died = r;
			for (size_t k = 0; k < OOM_KEEP && k < nooms &&
					   (((const struct og_exit *)og_rec_body(r))->flags & OG_EXITF_OOM);
			     k++)
				if (ooms[k]->tgid == r->tgid && ooms[k]->ts_ns <= r->ts_ns &&
				    (!x->oom || ooms[k]->ts_ns > x->oom->ts_ns))
					x->oom = ooms[k];
			ts->pending = false;
			ts->ev = ts->last = nev++;
			continue;
		}
		if (r->type == OG_REC_SYS_EXIT && ts->pending) {
			const struct og_rec *e = evs[ts->ev].rec;

			/* rt_sigreturn restores orig_ax to -1: its exit pairs with any enter. */
			if (e->nr == r->nr || r->nr < 0) {
				evs[ts->ev].exit = r;
				ts->pending = false;
				ts->last = ts->ev;
				continue;
			}
		}
		evs[nev] = (struct og_event){.rec = r};
		ts->pending = r->type == OG_REC_SYSCALL && og_rec_state(r) == OG_TAG_ENTERED;
		ts->ev = ts->last = nev++;
	}
	for (size_t h = 0; h < threads.slots; h++)
		if (threads.slot[h].used)
			evs[threads.slot[h].last].last_of_thread = true;
	free(threads.slot);
	*evsp = evs;
	*np = nev;
	return 0;
}
