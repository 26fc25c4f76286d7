// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_container_find.h"
#include "og_container_pins.h"
#include "og_cgroup.h"
#include "og_pins.h"
#include "og_ring.h"
#include "og_util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool og_container_init_alive(const struct og_container_meta *m)
{
	static uint64_t self_pidns;
	uint64_t start;

	/* Its pid is numbered in the hook's pid namespace: from another one
	 * (or without /proc) it names some other process, or none. */
	if (!self_pidns && og_pidns_id_of_pid(0, &self_pidns) < 0)
		return true;
	if (m->pidns_id != self_pidns)
		return true;
	return og_pid_start_time(m->pid, &start) == 0 && start == m->init_start;
}

enum og_life og_container_life(const struct og_container_meta *m, const struct og_ring_end *end)
{
	if (m->state == OG_STATE_STOPPED)
		return (m->flags & OG_META_F_GONE) ? OG_LIFE_GONE : OG_LIFE_STOPPED;
	if (m->state != OG_STATE_RUNNING)
		return OG_LIFE_BROKEN;
	if (end && (end->flags & OG_END_INIT_EXITED))
		return OG_LIFE_ENDED;
	return og_container_init_alive(m) ? OG_LIFE_RUNNING : OG_LIFE_GONE;
}

const char *og_life_name(enum og_life life)
{
	static const char *const names[] = {
		[OG_LIFE_RUNNING] = "running", [OG_LIFE_ENDED] = "ended",   [OG_LIFE_GONE] = "gone",
		[OG_LIFE_STOPPED] = "stopped", [OG_LIFE_BROKEN] = "broken",
	};

	return (unsigned)life < sizeof(names) / sizeof(names[0]) ? names[life] : "?";
}

struct list_arg {
	const char *root;
	struct og_container_entry *entries;
	size_t n, cap;
};

static int list_entry(const char *dir, const char *name, void *arg)
{
	struct list_arg *a = arg;
	struct og_container_entry *e;

	(void)dir;
	/* A name no id can have was not made here: not ours to list. */
	if (strlen(name) >= sizeof(e->meta.id))
		return 0;
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		struct og_container_entry *ne = realloc(a->entries, cap * sizeof(*ne));

		if (!ne)
			return og_err(ENOMEM, "list containers");
		a->entries = ne;
		a->cap = cap;
	}
	e = &a->entries[a->n++];
	e->why[0] = '\0';
	if (og_meta_read(a->root, name, &e->meta) < 0) {
		og_strfield(e->why, sizeof(e->why), og_errmsg());
		memset(&e->meta, 0, sizeof(e->meta));
		e->meta.state = OG_STATE_BROKEN;
		og_strfield(e->meta.id, sizeof(e->meta.id), name);
	}
	return 0;
}

int og_container_list_entries(const char *root, struct og_container_entry **entries, size_t *n)
{
	struct list_arg a = {.root = root};
	char dir[4096];
	int r;

	*entries = NULL;
	*n = 0;
	if (og_path(dir, sizeof(dir), "%s/containers", root) < 0)
		return -ENAMETOOLONG;
	r = og_pin_dir_each(dir, list_entry, &a);
	if (r < 0) {
		free(a.entries);
		return r;
	}
	*entries = a.entries;
	*n = a.n;
	return 0;
}

int og_container_list(const char *root, struct og_container_meta **metas, size_t *n)
{
	cleanup_free struct og_container_entry *entries = NULL;
	size_t count = 0;
	int r = og_container_list_entries(root, &entries, &count);

	*metas = NULL;
	*n = 0;
	if (r < 0)
		return r;
	*metas = calloc(count + 1, sizeof(**metas));
	if (!*metas)
		return og_err(ENOMEM, "list containers");
	for (size_t i = 0; i < count; i++)
		(*metas)[i] = entries[i].meta;
	*n = count;
	return 0;
}

static bool kube_match(const struct og_container_meta *m, const char *q)
{
	char buf[3 * OG_NAME_LEN + 3];

	if (!m->pod[0])
		return false;
	snprintf(buf, sizeof(buf), "%s/%s", m->pod, m->name);
	if (strcmp(buf, q) == 0)
		return true;
	snprintf(buf, sizeof(buf), "%s/%s/%s", m->namespace_, m->pod, m->name);
	return strcmp(buf, q) == 0;
}

static bool resolve_match(const struct og_container_meta *m, const char *q, int pass)
{
	if (m->state == OG_STATE_BROKEN && pass != 0)
		return false;
	if (pass == 0)
		return strcmp(m->id, q) == 0;
	if (pass == 1)
		return strcmp(m->name, q) == 0 || kube_match(m, q);
	return strncmp(m->id, q, strlen(q)) == 0;
}

/* "ID (NAME)", or "ID (NAMESPACE/POD/NAME)", appended to a list of candidates. */
static void candidate_add(char *list, size_t size, size_t *count, const struct og_container_meta *m)
{
	size_t l = strlen(list);

	if ((*count)++ >= 8)
		return;
	if (m->pod[0])
		snprintf(list + l, size - l, "%s%s (%s/%s/%s)", l ? ", " : "", m->id, m->namespace_, m->pod, m->name);
	else
		snprintf(list + l, size - l, "%s%s (%s)", l ? ", " : "", m->id, m->name);
}

int og_container_resolve(const char *root, const char *query, struct og_container_meta *meta)
{
	cleanup_free struct og_container_entry *entries = NULL;
	size_t n = 0, hits = 0, hit = 0, running = 0;
	char list[1024] = "", live[1024] = "";
	int r;

	r = og_container_list_entries(root, &entries, &n);
	if (r < 0)
		return r;
	/* Pass 0: exact id. 1: name: its newest container (a restarted pod's
	 * earlier attempts are stopped), unless several running containers
	 * have it: ambiguous. 2: unique id prefix. */
	for (int pass = 0; pass < 3 && hits == 0; pass++) {
		for (size_t i = 0; i < n; i++) {
			const struct og_container_meta *m = &entries[i].meta;

			if (!resolve_match(m, query, pass))
				continue;
			candidate_add(list, sizeof(list), &hits, m);
			if (hits == 1 || m->started_ns > entries[hit].meta.started_ns)
				hit = i;
			if (pass == 1 && m->state == OG_STATE_RUNNING && og_container_init_alive(m))
				candidate_add(live, sizeof(live), &running, m);
		}
		if (pass == 1 && hits > 1 && running < 2)
			hits = 1;
	}
	if (hits == 1 && entries[hit].meta.state == OG_STATE_BROKEN)
		return og_err(EPROTO, "container '%s' cannot be read: %s (gadget-dump prune removes it)",
			      entries[hit].meta.id, entries[hit].why);
	if (hits == 1) {
		*meta = entries[hit].meta;
		return 0;
	}
	if (hits == 0)
		return og_err(ENOENT, "no container '%s' under %s (gadget-dump list shows what is there)", query, root);
	if (running > 1)
		return og_err(
			EEXIST,
			"container name '%s' is ambiguous: %zu running containers have it: %s%s; name one by its id",
			query, running, live, running > 8 ? ", ..." : "");
	return og_err(EEXIST, "container '%s' is ambiguous, it prefixes: %s%s", query, list, hits > 8 ? ", ..." : "");
}

int og_container_open_ring(const char *root, const char *query, struct og_container_meta *meta, struct og_ring_view *v)
{
	int r = og_container_resolve(root, query, meta);

	if (r < 0)
		return r; /* names the query already */
	r = og_container_open_ring_id(root, meta->id, v);
	return r < 0 ? og_err_wrap(-r, "container '%s'", meta->id) : 0;
}
