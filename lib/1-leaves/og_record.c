// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_record.h"
#include "og_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static size_t args_offset(const struct og_rec *r)
{
	return sizeof(*r) + (r->type == OG_REC_EVENT ? 0 : sizeof(struct og_sys));
}

const struct og_sys *og_rec_sys(const struct og_rec *r)
{
	return r->type == OG_REC_EVENT ? NULL : (const struct og_sys *)(r + 1);
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

const struct og_rec *og_event_enter(const struct og_event *ev)
{
	return ev->rec->type == OG_REC_SYSCALL ? ev->rec : NULL;
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

int og_events_from_records(const struct og_rec_buf *b, struct og_event **evsp, size_t *np)
{
	size_t slots = 64, nrec = 0, nev = 0;
	struct thread_slot *tab;
	struct og_event *evs;

	for (size_t off = 0; off < b->len; off += og_tag_len(((const struct og_rec *)(b->data + off))->tag))
		nrec++;
	while (slots < 2 * nrec)
		slots <<= 1;
	tab = calloc(slots, sizeof(*tab));
	evs = calloc(nrec ? nrec : 1, sizeof(*evs));
	if (!tab || !evs) {
		free(tab);
		free(evs);
		return og_err(ENOMEM, "events of %zu records", nrec);
	}
	for (size_t off = 0; off < b->len;) {
		const struct og_rec *r = (const void *)(b->data + off);
		size_t h = (r->tid * 2654435761u) & (slots - 1);

		off += og_tag_len(r->tag);
		if (r->type == OG_REC_EVENT) {
			evs[nev++] = (struct og_event){.rec = r};
			continue;
		}
		/* Linear probing; entries are never removed. */
		while (tab[h].used && tab[h].tid != r->tid)
			h = (h + 1) & (slots - 1);
		tab[h].used = true;
		tab[h].tid = r->tid;
		if (r->type == OG_REC_SYS_EXIT && tab[h].pending) {
			const struct og_rec *e = evs[tab[h].ev].rec;

			/* rt_sigreturn restores orig_ax to -1: its exit pairs with any enter. */
			if (e->nr == r->nr || r->nr < 0) {
				evs[tab[h].ev].exit = r;
				tab[h].pending = false;
				tab[h].last = tab[h].ev;
				continue;
			}
		}
		evs[nev] = (struct og_event){.rec = r};
		tab[h].pending = r->type == OG_REC_SYSCALL && og_rec_state(r) == OG_TAG_ENTERED;
		tab[h].ev = tab[h].last = nev++;
	}
	for (size_t h = 0; h < slots; h++)
		if (tab[h].used)
			evs[tab[h].last].last_of_thread = true;
	free(tab);
	*evsp = evs;
	*np = nev;
	return 0;
}
