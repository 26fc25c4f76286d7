// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pins that count a uprobe link's users: uprobes/KEY/ID per container,
 * uprobes/KEY/linger-T after the last one (og_uprobe_links.h). Taking,
 * dropping, lingering and reaping references; the USDT argument specs
 * that no link names any more are freed here too.
 */
#include "config.h"
#include "og_uprobe_links.h"
#include "og_maps.h"
#include "og_pins.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

/* Unpins the linger pins of a key directory that expire at or before
 * until_s; returns how many linger pins are left, the earliest expiry of
 * those in *next_s. */
struct linger_arg {
	uint64_t until_s, *next_s;
	int left;
};

static int linger_entry(const char *dir, const char *name, void *arg)
{
	struct linger_arg *a = arg;
	unsigned long long t;
	char pin[4096];

	if (og_pin_linger_expiry(name, &t) < 0)
		return 0;
	if (t <= a->until_s && og_path(pin, sizeof(pin), "%s/%s", dir, name) == 0 && unlink(pin) == 0)
		return 0;
	a->left++;
	if (a->next_s && t < *a->next_s)
		*a->next_s = t;
	return 0;
}

static int drop_linger(const char *dir, uint64_t until_s, uint64_t *next_s)
{
	struct linger_arg a = {.until_s = until_s, .next_s = next_s};

	og_pin_dir_each(dir, linger_entry, &a);
	return a.left;
}

/* The first link pinned in a key directory, opened: *(int *)arg. */
static int first_link(const char *dir, const char *name, void *arg)
{
	char other[4096];

	if (og_path(other, sizeof(other), "%s/%s", dir, name) < 0)
		return 0;
	*(int *)arg = bpf_obj_get(other);
	return *(int *)arg >= 0 ? 1 : 0;
}

int og_uprobe_key_dir(char *dir, size_t size, const char *root, dev_t dev, ino_t ino, uint64_t offset, const char *prog,
		      uint64_t cookie)
{
	return og_path(dir, size, "%s/uprobes/%llx-%llx-%llx-%s-%llx", root, (unsigned long long)dev,
		       (unsigned long long)ino, (unsigned long long)offset, prog, (unsigned long long)cookie);
}

int og_uprobe_key_link(const char *dir, int *link_fd)
{
	int r;

	*link_fd = -1;
	r = og_pin_dir_each(dir, first_link, link_fd);
	if (r < 0)
		return r;
	return *link_fd >= 0 ? 0 : -ENOENT;
}

int og_uprobe_ref_pin(const char *dir, const char *id, int link_fd)
{
	char pin[4096];

	if (og_path(pin, sizeof(pin), "%s/%s", dir, id) < 0)
		return -ENAMETOOLONG;
	if (bpf_obj_pin(link_fd, pin) < 0)
		return og_err(errno, "pin %s", pin);
	return 0;
}

void og_uprobe_ref_unpin(const char *dir, const char *id)
{
	char pin[4096];

	if (og_path(pin, sizeof(pin), "%s/%s", dir, id) == 0)
		unlink(pin);
	rmdir(dir); /* ENOTEMPTY: other references keep the link */
}

void og_uprobe_key_taken(const char *dir)
{
	drop_linger(dir, UINT64_MAX, NULL);
}

/* Calls fn on every key directory under uprobes/ (all of them; the last
 * error is returned). */
struct key_walk {
	int (*fn)(const char *dir, void *arg);
	void *arg;
	int r;
};

static int key_entry(const char *top, const char *name, void *arg)
{
	struct key_walk *w = arg;
	char dir[4096];
	int fr;

	if (og_path(dir, sizeof(dir), "%s/%s", top, name) < 0)
		return 0;
	fr = w->fn(dir, w->arg);
	if (fr < 0)
		w->r = fr;
	return 0;
}

static int each_key(const char *root, int (*fn)(const char *dir, void *arg), void *arg)
{
	struct key_walk w = {.fn = fn, .arg = arg};
	char top[4096];
	int r;

	if (og_path(top, sizeof(top), "%s/uprobes", root) < 0)
		return -ENAMETOOLONG;
	r = og_pin_dir_each(top, key_entry, &w);
	return r < 0 ? r : w.r;
}

struct detach_arg {
	const char *id;
	uint32_t linger_s;
	uint64_t now_s;
	int detached;
	bool usdt_gone; /* a USDT link lost its last reference */
};

/* A key directory's entries: references (all, or but one id's) and
 * linger pins. */
struct key_count {
	const char *skip_id;
	int refs, lingering;
};

static int count_entry(const char *dir, const char *name, void *arg)
{
	struct key_count *k = arg;
	unsigned long long t;

	(void)dir;
	if (k->skip_id && strcmp(name, k->skip_id) == 0)
		return 0;
	if (og_pin_linger_expiry(name, &t) == 0)
		k->lingering++;
	else
		k->refs++;
	return 0;
}

/* Other containers' references on a key (its linger pin not counted). */
static int others_in(const char *dir, const char *id, bool *lingering)
{
	struct key_count k = {.skip_id = id};

	og_pin_dir_each(dir, count_entry, &k);
	*lingering = k.lingering > 0;
	return k.refs;
}

/* rmdir of a key directory with nothing left in it: the link detaches. */
static int remove_key_if_empty(const char *dir, bool *usdt_gone)
{
	if (rmdir(dir) == 0) {
		if (strstr(dir, "-usdt-"))
			*usdt_gone = true;
		return 0;
	}
	return errno == ENOTEMPTY || errno == ENOENT ? 0 : og_err(errno, "rmdir %s", dir);
}

static int detach_one(const char *dir, void *arg)
{
	struct detach_arg *a = arg;
	char pin[4096], linger[4096];
	bool lingering;

	if (og_path(pin, sizeof(pin), "%s/%s", dir, a->id) < 0)
		return -ENAMETOOLONG;
	if (!og_pin_exists(pin))
		return remove_key_if_empty(dir, &a->usdt_gone);
	/* The last reference lingers: the link stays attached a while. */
	if (a->linger_s && others_in(dir, a->id, &lingering) == 0 && !lingering &&
	    og_path(linger, sizeof(linger), "%s/" OG_PIN_LINGER_PREFIX "%llu", dir,
		    (unsigned long long)(a->now_s + a->linger_s)) == 0 &&
	    rename(pin, linger) == 0) {
		a->detached++;
		return 0;
	}
	if (unlink(pin) == 0)
		a->detached++;
	else if (errno != ENOENT)
		return og_err(errno, "unpin %s", pin);
	return remove_key_if_empty(dir, &a->usdt_gone);
}

/* The spec indexes still named by a USDT link's cookie. */
static int mark_spec(const char *dir, void *arg)
{
	uint8_t *used = arg;
	const char *u = strstr(dir, "-usdt-");
	unsigned long long cookie;

	if (u && sscanf(u + 6, "%llx", &cookie) == 1 && OG_COOKIE_SPEC(cookie) < OG_USDT_SPECS)
		used[OG_COOKIE_SPEC(cookie)] = 1;
	return 0;
}

/* Frees the specs no link uses any more: a stopped image's specs go back
 * to the others. Under the pin root lock. */
static int free_unused_specs(const char *root)
{
	uint8_t used[OG_USDT_SPECS] = {};
	cleanup_close int fd = -1;
	struct og_usdt_spec cur, none = {};
	int r = each_key(root, mark_spec, used);

	if (r == 0)
		r = og_tracer_map_open(root, "usdt_specs", &fd);
	for (uint32_t i = 0; r == 0 && i < OG_USDT_SPECS; i++) {
		if (used[i] || bpf_map_lookup_elem(fd, &i, &cur) < 0 || !cur.used)
			continue;
		if (bpf_map_update_elem(fd, &i, &none, BPF_ANY) < 0)
			r = og_err(errno, "free usdt_specs[%u]", i);
	}
	return r;
}

/* Calls fn on every key under the pin root lock; then, when a USDT link
 * went (*usdt_gone, set by fn), frees the specs no link names. A pin root
 * that does not exist has nothing to walk. */
static int walk_locked(const char *root, int (*fn)(const char *dir, void *arg), void *arg, const bool *usdt_gone)
{
	cleanup_close int lock = -1;
	int r;

	if (!og_pin_exists(root))
		return 0;
	r = og_pin_root_lock(root, &lock);
	if (r == 0)
		r = each_key(root, fn, arg);
	if (r == 0 && *usdt_gone)
		r = free_unused_specs(root);
	return r;
}

int og_uprobes_detach(const char *root, const char *id, uint32_t linger_s, int *detached)
{
	struct detach_arg a = {.id = id, .linger_s = linger_s, .now_s = og_realtime_ns() / 1000000000ULL};
	int r = walk_locked(root, detach_one, &a, &a.usdt_gone);

	*detached = a.detached;
	return r;
}

struct reap_arg {
	uint64_t now_s, next_s;
	int reaped, left;
	bool usdt_gone;
};

static int reap_one(const char *dir, void *arg)
{
	struct reap_arg *a = arg;
	bool lingering;
	int before = others_in(dir, "", &lingering), left;

	if (!lingering)
		return 0;
	left = drop_linger(dir, a->now_s, &a->next_s);
	a->left += left;
	if (left == 0 && before == 0) {
		a->reaped++;
		return remove_key_if_empty(dir, &a->usdt_gone);
	}
	return 0;
}

int og_uprobes_reap(const char *root, uint64_t now_s, int *reaped, int *left, uint64_t *next_s)
{
	struct reap_arg a = {.now_s = now_s, .next_s = UINT64_MAX};
	int r = walk_locked(root, reap_one, &a, &a.usdt_gone);

	*reaped = a.reaped;
	*left = a.left;
	*next_s = a.next_s;
	return r;
}

void og_uprobes_reaper(const char *root)
{
	char dir[4096];
	cleanup_close int fd = -1;

	if (og_path(dir, sizeof(dir), "%s/uprobes", root) < 0)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* One reaper per pin root: the lock's holder covers every key. */
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
		return;
	for (;;) {
		uint64_t now = og_realtime_ns() / 1000000000ULL, next;
		int reaped, left;

		if (og_uprobes_reap(root, now, &reaped, &left, &next) < 0 || left == 0 || !og_pin_exists(dir))
			return;
		/* A wake-up at least every 10 s also covers pins lingering
		 * less long that are made meanwhile. */
		sleep(next > now + 10 ? 10 : next > now ? next - now : 1);
	}
}

struct count_arg {
	int links, refs, lingering;
};

static int count_one(const char *dir, void *arg)
{
	struct count_arg *a = arg;
	struct key_count k = {0};

	og_pin_dir_each(dir, count_entry, &k);
	if (k.refs || k.lingering)
		a->links++;
	a->refs += k.refs;
	a->lingering += k.lingering;
	return 0;
}

int og_uprobes_count(const char *root, int *links, int *refs, int *lingering)
{
	struct count_arg a = {};
	int r = each_key(root, count_one, &a);

	*links = a.links;
	*refs = a.refs;
	*lingering = a.lingering;
	return r;
}
