// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_leaks.h"
#include "og_events.h"
#include "og_util.h"

#include <errno.h>
#include <string.h>

struct live {
	uint64_t addr;
	uint32_t pid;
	bool used;
	bool dead; /* freed: a tombstone keeps probe chains intact */
	uint64_t size;
	int64_t stack;
	uint64_t ts;
};

struct table {
	struct live *e;
	size_t cap;
};

static size_t hash(uint64_t addr, uint32_t pid, size_t cap)
{
	return ((addr >> 4) * 0x9e3779b97f4a7c15ULL ^ pid) & (cap - 1);
}

static struct live *find(struct table *t, uint64_t addr, uint32_t pid, bool insert)
{
	size_t h = hash(addr, pid, t->cap);
	struct live *tomb = NULL;

	while (t->e[h].used) {
		if (!t->e[h].dead && t->e[h].addr == addr && t->e[h].pid == pid)
			return &t->e[h];
		if (t->e[h].dead && !tomb)
			tomb = &t->e[h];
		h = (h + 1) & (t->cap - 1);
	}
	if (!insert)
		return NULL;
	return tomb ? tomb : &t->e[h];
}

static int cmp_group(const void *a, const void *b)
{
	const struct og_leak_group *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return x->stack_id < y->stack_id ? -1 : x->stack_id > y->stack_id;
}

int og_leaks_compute(const struct og_event *evs, size_t n, struct og_leak_report *rep)
{
	struct table t = {.cap = 64};

	memset(rep, 0, sizeof(*rep));
	while (t.cap < 4 * n)
		t.cap <<= 1;
	t.e = calloc(t.cap, sizeof(*t.e));
	if (!t.e)
		return og_err(ENOMEM, "leak table");
	for (size_t i = 0; i < n; i++) {
		const struct og_rec *r = evs[i].rec;
		const struct og_event_kind_info *k;
		const __u64 *a;
		struct live *l;

		if (!og_event_is_probe(&evs[i]) || r->nargs < OG_NARGS || !(k = og_event_kind(r->nr)))
			continue;
		a = og_rec_args(r);
		if (k->flags & (OG_EK_FREE | OG_EK_REALLOC)) {
			uint64_t addr = (k->flags & OG_EK_FREE) ? a[OG_EA_ADDR] : a[OG_EA_OLD];

			/* realloc that failed (NULL with a size) keeps the old block. */
			if (addr && !((k->flags & OG_EK_REALLOC) && !a[OG_EA_ADDR] && a[OG_EA_SIZE])) {
				l = find(&t, addr, r->tgid, false);
				if (l)
					l->dead = true;
				else
					rep->unmatched_frees++;
			}
		}
		if (!(k->flags & (OG_EK_ALLOC | OG_EK_REALLOC)) || !a[OG_EA_ADDR])
			continue;
		if ((k->flags & OG_EK_RET_OK0) && (int)a[OG_EA_RET] != 0)
			continue;
		l = find(&t, a[OG_EA_ADDR], r->tgid, true);
		*l = (struct live){.addr = a[OG_EA_ADDR],
				   .pid = r->tgid,
				   .used = true,
				   .size = a[OG_EA_SIZE],
				   .stack = (int64_t)a[OG_EA_STACK], /* og_ustack_word: id and check */
				   .ts = r->ts_ns};
	}
	/* Group what is still live by stack. */
	for (size_t i = 0; i < t.cap; i++) {
		struct live *l = &t.e[i];
		size_t g;

		if (!l->used || l->dead)
			continue;
		rep->bytes += l->size;
		rep->count++;
		for (g = 0; g < rep->ngroups && (rep->groups[g].stack_id != og_ustack_id(l->stack) ||
						 rep->groups[g].stack_check != og_ustack_check(l->stack));
		     g++)
			;
		if (g == rep->ngroups) {
			struct og_leak_group *ng = realloc(rep->groups, (g + 1) * sizeof(*ng));
			if (!ng) {
				free(t.e);
				og_leaks_free(rep);
				return og_err(ENOMEM, "leak groups");
			}
			rep->groups = ng;
			rep->groups[g] = (struct og_leak_group){.stack_id = og_ustack_id(l->stack),
								.stack_check = og_ustack_check(l->stack),
								.pid = l->pid,
								.first_ts_ns = l->ts};
			rep->ngroups++;
		}
		rep->groups[g].bytes += l->size;
		rep->groups[g].count++;
		if (l->ts < rep->groups[g].first_ts_ns) {
			rep->groups[g].first_ts_ns = l->ts;
			rep->groups[g].pid = l->pid;
		}
	}
	free(t.e);
	if (rep->ngroups) /* qsort of NULL is undefined even for 0 items */
		qsort(rep->groups, rep->ngroups, sizeof(*rep->groups), cmp_group);
	return 0;
}

void og_leaks_free(struct og_leak_report *rep)
{
	free(rep->groups);
	memset(rep, 0, sizeof(*rep));
}
