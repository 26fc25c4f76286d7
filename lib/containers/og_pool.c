// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_pool.h"
#include "og_pins.h"
#include "og_ring.h"
#include "og_maps.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

uint32_t og_pool_ring_chunks(void)
{
	uint32_t chunks = 0;

	og_ring_chunks_for_bytes(OG_RING_DEFAULT_BYTES, &chunks);
	return chunks;
}

enum slot_state {
	SLOT_FREE = 0, /* nothing in maps/rings */
	SLOT_FILLED,   /* a ring nobody claims: retire it */
	SLOT_USED,     /* a running container's (maps/cgroups points here) */
	SLOT_POOL,     /* pool/N */
	SLOT_PENDING,  /* pool/pending-N: a maintainer is inserting it */
};

/* Marks the filled slots of maps/rings (root's, for errors). One batch
 * lookup walks the array in the kernel (0.4 ms here); 4096 single lookups
 * took 3.7 ms. */
static int filled_slots(const char *root, int rings, uint8_t *state)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	cleanup_free __u32 *keys = calloc(OG_MAX_CONTAINERS, sizeof(*keys));
	cleanup_free __u32 *ids = calloc(OG_MAX_CONTAINERS, sizeof(*ids));
	__u32 out = 0, count = OG_MAX_CONTAINERS;

	if (!keys || !ids)
		return og_err(ENOMEM, "the slots of %s/maps/rings", root);
	memset(state, SLOT_FREE, OG_MAX_CONTAINERS);
	/* ENOENT: the walk reached the end, which it always does here. */
	if (bpf_map_lookup_batch(rings, NULL, &out, keys, ids, &count, &opts) < 0 && errno != ENOENT) {
		if (errno != EINVAL && errno != ENOTSUP && errno != EOPNOTSUPP)
			return og_err(errno, "batch lookup of %s/maps/rings", root);
		/* A kernel without batch lookups on map-in-map arrays. */
		for (__u32 i = 0; i < OG_MAX_CONTAINERS; i++) {
			if (bpf_map_lookup_elem(rings, &i, &ids[0]) == 0)
				state[i] = SLOT_FILLED;
			else if (errno != ENOENT)
				return og_err(errno, "read %s/maps/rings[%u]", root, i);
		}
		return 0;
	}
	for (__u32 k = 0; k < count && k < OG_MAX_CONTAINERS; k++)
		if (keys[k] < OG_MAX_CONTAINERS)
			state[keys[k]] = SLOT_FILLED;
	return 0;
}

/* Marks the slots of the pool's pins, pool/N and pool/pending-N (the names
 * pool_path makes); other entries (pool/waiter) are left alone. */
static int pool_entry(const char *dir, const char *name, void *arg)
{
	uint8_t *state = arg;
	bool pending = strncmp(name, "pending-", 8) == 0;
	const char *num = name + (pending ? 8 : 0);
	char *end;
	unsigned long i = strtoul(num, &end, 10);

	(void)dir;
	if (num[0] >= '0' && num[0] <= '9' && !*end && i < OG_MAX_CONTAINERS)
		state[i] = pending ? SLOT_PENDING : SLOT_POOL;
	return 0;
}

static int read_pool(const char *root, uint8_t *state)
{
	char dir[4096];

	if (og_path(dir, sizeof(dir), "%s/pool", root) < 0)
		return -ENAMETOOLONG;
	return og_pin_dir_each(dir, pool_entry, state);
}

/* What each slot of maps/rings holds; the caller holds the pin root lock. */
static int scan_slots(const char *root, int rings, uint8_t *state)
{
	cleanup_close int cgroups = -1;
	__u64 key, next, *prev = NULL;
	int r;

	r = filled_slots(root, rings, state);
	if (r < 0)
		return r;
	r = og_tracer_map_open(root, "cgroups", &cgroups);
	if (r < 0)
		return r;
	while (bpf_map_get_next_key(cgroups, prev, &next) == 0) {
		struct og_cgroup_entry e;

		if (bpf_map_lookup_elem(cgroups, &next, &e) == 0 && e.slot < OG_MAX_CONTAINERS)
			state[e.slot] = SLOT_USED;
		key = next;
		prev = &key;
	}
	return read_pool(root, state);
}

static int pool_path(char *out, size_t size, const char *root, __u32 idx, bool pending)
{
	return og_path(out, size, "%s/pool/%s%u", root, pending ? "pending-" : "", idx);
}

static int rings_put(int rings, __u32 idx, int ring)
{
	if (bpf_map_update_elem(rings, &idx, &ring, BPF_ANY) < 0)
		return og_err(errno, "put a ring into slot %u of maps/rings", idx);
	return 0;
}

int og_pool_acquire(const char *root, uint32_t chunks, const struct og_ring_owner *owner, const char *ring_pin,
		    int *ring_fd, uint32_t *idx)
{
	cleanup_free uint8_t *state = calloc(OG_MAX_CONTAINERS, 1);
	cleanup_close int rings = -1;
	char path[4096];
	int fd = -1, r;

	if (!state)
		return og_err(ENOMEM, "ring slots");
	r = og_tracer_map_open(root, "rings", &rings);
	if (r < 0)
		return r;
	/* The fast path: the lowest ready pool ring of the right size. */
	if (chunks == og_pool_ring_chunks()) {
		r = read_pool(root, state);
		if (r < 0)
			return r;
		for (*idx = 0; *idx < OG_MAX_CONTAINERS && state[*idx] != SLOT_POOL; (*idx)++)
			;
		if (*idx < OG_MAX_CONTAINERS) {
			pool_path(path, sizeof(path), root, *idx, false);
			fd = bpf_obj_get(path);
			if (fd < 0)
				return og_err(errno, "open pooled ring %s", path);
			r = og_ring_assign(fd, owner);
			if (r == 0 && rename(path, ring_pin) < 0)
				r = og_err(errno, "move pooled ring %s to %s", path, ring_pin);
			if (r < 0) {
				close(fd);
				return r;
			}
			*ring_fd = fd;
			return 0;
		}
	}
	/* The slow path: a new ring into a free slot. */
	r = scan_slots(root, rings, state);
	if (r < 0)
		return r;
	for (*idx = 0; *idx < OG_MAX_CONTAINERS && state[*idx] != SLOT_FREE; (*idx)++)
		;
	if (*idx == OG_MAX_CONTAINERS)
		return og_err(ENOSPC,
			      "all %d ring slots of %s/maps/rings are taken; prune stopped containers with gadget-dump "
			      "prune",
			      OG_MAX_CONTAINERS, root);
	r = og_ring_create(chunks, owner, &fd);
	if (r < 0)
		return r;
	if (bpf_obj_pin(fd, ring_pin) < 0)
		r = og_err(errno, "pin %s", ring_pin);
	else
		r = rings_put(rings, *idx, fd);
	if (r < 0) {
		unlink(ring_pin);
		close(fd);
		return r;
	}
	*ring_fd = fd;
	return 0;
}

/* Pooled rings in state (SLOT_POOL, or also SLOT_PENDING with pending). */
static int pool_count(const char *root, bool pending)
{
	cleanup_free uint8_t *state = calloc(OG_MAX_CONTAINERS, 1);
	int n = 0;

	if (!state || read_pool(root, state) < 0)
		return 0;
	for (__u32 i = 0; i < OG_MAX_CONTAINERS; i++)
		n += state[i] == SLOT_POOL || (pending && state[i] == SLOT_PENDING);
	return n;
}

int og_pool_ready(const char *root)
{
	return pool_count(root, false);
}

uint64_t og_pool_bytes(const char *root)
{
	return (uint64_t)pool_count(root, true) * og_ring_kernel_bytes(og_pool_ring_chunks());
}

int og_pool_drop(const char *root, int keep, uint64_t want, uint64_t *freed)
{
	cleanup_free uint8_t *state = calloc(OG_MAX_CONTAINERS, 1);
	uint64_t each = og_ring_kernel_bytes(og_pool_ring_chunks()), done = 0;
	int left = 0, r;
	char path[4096];

	if (!state)
		return og_err(ENOMEM, "ring slots");
	r = read_pool(root, state);
	if (r < 0)
		return r;
	for (__u32 i = 0; i < OG_MAX_CONTAINERS; i++)
		left += state[i] == SLOT_POOL;
	for (__u32 i = OG_MAX_CONTAINERS; i-- > 0 && left > keep && done < want;) {
		if (state[i] != SLOT_POOL)
			continue;
		pool_path(path, sizeof(path), root, i, false);
		if (unlink(path) < 0 && errno != ENOENT)
			return og_err(errno, "unpin pooled ring %s", path);
		done += each;
		left--;
	}
	*freed += done;
	return 0;
}

/* Kernel memory of the rings pinned under containers/, whatever their
 * state: what the pool must leave room for. */
static int container_ring_bytes(const char *dir, const char *name, void *arg)
{
	uint64_t *sum = arg, bytes;
	char path[4096];

	if (og_path(path, sizeof(path), "%s/%s/ring", dir, name) < 0 || og_ring_pin_bytes(path, &bytes) < 0)
		return 0; /* unreadable: prune's to deal with */
	*sum += bytes;
	return 0;
}

static int rings_held(const char *root, const struct og_pool_helpers *h, uint64_t *held)
{
	char dir[4096];
	uint64_t bytes;

	*held = og_pool_bytes(root);
	if (h && h->container_bytes && h->container_bytes(root, &bytes) == 0) {
		*held += bytes;
		return 0;
	}
	if (og_path(dir, sizeof(dir), "%s/containers", root) < 0)
		return -ENAMETOOLONG;
	return og_pin_dir_each(dir, container_ring_bytes, held);
}

static int lock_dir(const char *dir, int how, int *fd)
{
	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return errno == ENOENT ? 1 : og_err(errno, "open %s", dir);
	while (flock(*fd, how) < 0) {
		if (errno == EWOULDBLOCK)
			return 1;
		if (errno != EINTR)
			return og_err(errno, "lock %s", dir);
	}
	return 0;
}

/*
 * One maintainer at a time: they change slots outside the pin root lock
 * (flock on pool/, taken before the pin root lock). And at most one waiting:
 * a burst of container starts would otherwise queue a process per start.
 * A maintainer that finds another one already waiting (flock on
 * pool/waiter) leaves: that one's pass starts after it acquires pool/,
 * which is after this call, so it covers this call's change. Never creates
 * the directories: a maintainer late after an unload must not bring the pin
 * root back. Returns 1 when there is nothing to do.
 */
static int maint_lock(const char *root, int *fd)
{
	cleanup_close int waiter = -1;
	char dir[4096];
	int r;

	if (og_path(dir, sizeof(dir), "%s/pool/waiter", root) < 0)
		return -ENAMETOOLONG;
	r = lock_dir(dir, LOCK_EX | LOCK_NB, &waiter);
	if (r != 0)
		return r;
	if (og_path(dir, sizeof(dir), "%s/pool", root) < 0)
		return -ENAMETOOLONG;
	return lock_dir(dir, LOCK_EX, fd);
}

/* Under the pin root lock: whether the pool directory whose lock we hold
 * (maint) is still the one under the root. An unload removes it and a load
 * makes a new one, so this also tells that our maps fd is not stale and that
 * the pool's pins are the ones we reserved. */
static bool same_load(const char *root, int maint)
{
	struct stat held, now;
	char dir[4096];

	if (!og_tracer_is_loaded(root) || og_path(dir, sizeof(dir), "%s/pool", root) < 0)
		return false;
	return fstat(maint, &held) == 0 && stat(dir, &now) == 0 && held.st_dev == now.st_dev &&
	       held.st_ino == now.st_ino;
}

/* Takes the pin root lock again; 1 (and no lock) when the tracer was
 * unloaded, or unloaded and loaded again, meanwhile. */
static int relock_same_load(const char *root, int maint, int *lock)
{
	int r;

	r = og_pin_root_lock(root, lock);
	if (r < 0)
		return r;
	if (same_load(root, maint))
		return 0;
	close(*lock);
	*lock = -1;
	return 1;
}

bool og_pool_maintainer_waits(const char *root)
{
	cleanup_close int waiter = -1;
	char dir[4096];

	/* Taken: one waits. Not there: no pool to maintain. */
	return og_path(dir, sizeof(dir), "%s/pool/waiter", root) == 0 &&
	       lock_dir(dir, LOCK_EX | LOCK_NB, &waiter) == 1 && waiter >= 0;
}

bool og_pool_low(const char *root)
{
	struct og_info info;

	return og_tracer_info(root, &info) < 0 || og_pool_ready(root) * 2 <= (int)info.pool_size;
}

static int maintain(const char *root, uint64_t memory_max, bool refill, const struct og_pool_helpers *h);

int og_pool_maintain(const char *root, uint64_t memory_max)
{
	return maintain(root, memory_max, true, NULL);
}

int og_pool_maintain_with(const char *root, uint64_t memory_max, const struct og_pool_helpers *h)
{
	return maintain(root, memory_max, true, h);
}

int og_pool_empty_slots(const char *root)
{
	return maintain(root, 0, false, NULL);
}

static int maintain(const char *root, uint64_t memory_max, bool refill, const struct og_pool_helpers *h)
{
	uint64_t held = 0, each = og_ring_kernel_bytes(og_pool_ring_chunks());
	cleanup_free uint8_t *state = calloc(OG_MAX_CONTAINERS, 1);
	cleanup_free __u32 *fill = NULL;
	cleanup_close int maint = -1;
	cleanup_close int rings = -1;
	cleanup_close int lock = -1;
	struct og_info info;
	char path[4096], dst[4096];
	int nfill = 0, ready = 0, r;

	if (!state)
		return og_err(ENOMEM, "ring slots");
	if (!og_tracer_is_loaded(root))
		return 0;
	r = maint_lock(root, &maint);
	if (r != 0)
		return r < 0 ? r : 0; /* 1: not loaded, or another maintainer will do it */
	if (h && h->first)
		h->first(h->arg);
	{
		cleanup_close int first = -1;

		r = og_pin_root_lock(root, &first);
		if (r < 0)
			return r;
		/* Unloaded while we waited (nothing to keep), or loaded again:
		 * then our lock is the old pool's and serializes nothing. */
		if (!same_load(root, maint))
			return 0;
		r = og_tracer_info(root, &info);
		if (r < 0)
			return r;
		r = og_tracer_map_open(root, "rings", &rings);
		if (r < 0)
			return r;
		r = scan_slots(root, rings, state);
		if (r < 0)
			return r;
		r = rings_held(root, h, &held);
		if (r < 0)
			return r;
		for (__u32 i = 0; i < OG_MAX_CONTAINERS; i++)
			ready += state[i] == SLOT_POOL;
		fill = calloc(OG_POOL_MAX, sizeof(*fill));
		if (!fill)
			return og_err(ENOMEM, "ring pool");
		/* Reserve free slots by pinning their new rings as pending. */
		for (__u32 i = 0; i < OG_MAX_CONTAINERS && nfill < OG_POOL_MAX; i++) {
			int fd;

			if (state[i] == SLOT_PENDING) {
				/* We hold the maintainer lock: its maintainer died. Finish it. */
				fill[nfill++] = i;
				continue;
			}
			/* The pool holds nothing yet: it only takes room no ring has. */
			if (!refill || state[i] != SLOT_FREE || ready + nfill >= (int)info.pool_size ||
			    held + each > memory_max)
				continue;
			held += each;
			r = og_ring_create(og_pool_ring_chunks(), NULL, &fd);
			if (r < 0)
				return r;
			pool_path(path, sizeof(path), root, i, true);
			if (bpf_obj_pin(fd, path) < 0)
				r = og_err(errno, "pin %s", path);
			close(fd);
			if (r < 0)
				return r;
			fill[nfill++] = i;
		}
	}
	/* The grace periods, outside the pin root lock so hooks go on. */
	for (__u32 i = 0; i < OG_MAX_CONTAINERS; i++) {
		if (state[i] != SLOT_FILLED)
			continue;
		if (bpf_map_delete_elem(rings, &i) < 0 && errno != ENOENT)
			return og_err(errno, "empty slot %u of %s/maps/rings", i, root);
	}
	for (int k = 0; k < nfill; k++) {
		int fd;

		r = relock_same_load(root, maint, &lock);
		if (r != 0)
			return r < 0 ? r : 0;
		pool_path(path, sizeof(path), root, fill[k], true);
		fd = bpf_obj_get(path);
		if (fd < 0)
			return og_err(errno, "open %s", path);
		close(lock);
		lock = -1;
		r = rings_put(rings, fill[k], fd);
		close(fd);
		if (r < 0)
			return r;
		/* Ready once in the slot. Renamed under the pin root lock, so an
		 * unload never sees the pool change under it. */
		r = relock_same_load(root, maint, &lock);
		if (r != 0)
			return r < 0 ? r : 0;
		pool_path(dst, sizeof(dst), root, fill[k], false);
		if (rename(path, dst) < 0)
			return og_err(errno, "rename %s to %s", path, dst);
		close(lock);
		lock = -1;
	}
	return 0;
}
