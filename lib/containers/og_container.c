// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_container.h"
#include "og_container_find.h"
#include "og_container_pins.h"
#include "og_fds.h"
#include "og_conf.h"
#include "og_cgroup.h"
#include "og_pins.h"
#include "og_pool.h"
#include "og_probe_report.h"
#include "og_ring.h"
#include "og_maps.h"
#include "og_uprobe.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int ring_map_id(int fd, __u32 *id)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
		return og_err(errno, "ring map info");
	*id = info.id;
	return 0;
}

/* Stops recording cgroup_id (and so everything below it) if it still
 * points at ring slot idx. The slot itself is emptied later by
 * og_pool_maintain (that costs a grace period). */
static int cgroups_delete_if(const char *root, __u64 cgroup_id, __u32 idx)
{
	cleanup_close int cgroups = -1;
	struct og_cgroup_entry cur;
	int r;

	r = og_tracer_map_open(root, "cgroups", &cgroups);
	if (r < 0)
		return r;
	if (bpf_map_lookup_elem(cgroups, &cgroup_id, &cur) < 0)
		return errno == ENOENT ? 0
				       : og_err(errno, "look up cgroup %llu in cgroups", (unsigned long long)cgroup_id);
	if (cur.slot != idx)
		return 0; /* another container took this cgroup since */
	if (bpf_map_delete_elem(cgroups, &cgroup_id) < 0 && errno != ENOENT)
		return og_err(errno, "remove cgroup %llu from cgroups", (unsigned long long)cgroup_id);
	return 0;
}

/* The running container recording into ring slot idx, if any. */
static int running_in_slot(const char *root, __u32 idx, struct og_container_meta *out)
{
	struct og_container_meta *metas = NULL;
	size_t n = 0;
	int r = og_container_list(root, &metas, &n);

	if (r < 0)
		return r;
	r = -ENOENT;
	for (size_t i = 0; i < n && r < 0; i++) {
		if (metas[i].state == OG_STATE_RUNNING && metas[i].ring_index == idx) {
			*out = metas[i];
			r = 0;
		}
	}
	free(metas);
	return r;
}

/* Whether pid still runs (a zombie does not) in cgroup cgid, at level, or
 * below it (a cgroup under the container's is the container's). */
static bool pid_in_container(const char *root, int pid, __u64 cgid, uint32_t level)
{
	cleanup_free char *stat = NULL;
	struct og_cgroup_query q;
	char file[64];
	const char *p;
	uint64_t id;

	if (pid <= 0)
		return false;
	snprintf(file, sizeof(file), "/proc/%d/stat", pid);
	if (og_read_file(file, 4096, &stat, NULL) < 0 || !(p = strrchr(stat, ')')) || p[1] != ' ' || p[2] == 'Z' ||
	    p[2] == 'X' || og_cgroup_id_of_pid(pid, &id) < 0)
		return false;
	return id == cgid || (og_cgroup_query(root, id, level, &q) == 0 && q.ancestor[0] == cgid);
}

/*
 * The registration rules. The root cgroup is refused: every host process
 * not in a container is there. A cgroup inside a registered container (its
 * tasks are recorded in that container's ring already) is refused. A cgroup
 * registered to another container is refused while that container's process
 * runs in it (-EBUSY: the newcomer's syscalls land in that container's ring);
 * when it does not any more (its poststop never ran), that container is
 * marked stopped (OG_META_F_GONE) and the cgroup is taken over. *level gets
 * the cgroup's level, from the kernel; a level the programs cannot look
 * ancestors up at is refused.
 */
static int claim_cgroup(const char *root, int cgroups, const struct og_container_meta *meta, uint32_t *level)
{
	struct og_container_meta other;
	struct og_cgroup_query q;
	struct og_cgroup_entry e;
	__u64 cgid = meta->cgroup_id, levels;
	int r;

	if (cgid == OG_ROOT_CGROUP_ID)
		return og_err(EPERM,
			      "pid %d is in the root cgroup, where every host process outside a container runs: "
			      "not recorded",
			      meta->pid);
	if ((r = og_registered_levels(root, &levels)) < 0 || (r = og_cgroup_query(root, cgid, levels, &q)) < 0)
		return r;
	*level = q.level;
	for (int i = 0; i < OG_LEVELS; i++) {
		__u64 anc = q.ancestor[i];
		uint32_t at = (levels >> (8 * i)) & 0xff;

		/* Its own level: a cgroup taken over, below. */
		if (!at || at >= (uint32_t)q.level || !anc || bpf_map_lookup_elem(cgroups, &anc, &e) < 0)
			continue;
		return og_err(EBUSY,
			      "its cgroup %llu is inside container '%s' (cgroup %llu) and recorded in that ring: not "
			      "recorded apart",
			      (unsigned long long)cgid, running_in_slot(root, e.slot, &other) == 0 ? other.id : "?",
			      (unsigned long long)anc);
	}
	if (q.level > OG_LEVEL_MAX)
		return og_err(ERANGE, "its cgroup %llu is %d levels deep, past the %d containers can be registered at",
			      (unsigned long long)cgid, q.level, OG_LEVEL_MAX);
	if (!og_levels_add(&levels, q.level))
		return og_err(ENOSPC,
			      "its cgroup %llu is at level %d, and containers are registered at %d other levels "
			      "already, the most the programs look at: not recorded",
			      (unsigned long long)cgid, q.level, OG_LEVELS);
	if (bpf_map_lookup_elem(cgroups, &cgid, &e) < 0)
		return 0;
	if (running_in_slot(root, e.slot, &other) < 0 || other.cgroup_id != cgid)
		return cgroups_delete_if(root, cgid, e.slot); /* nobody's: a stale entry */
	if (og_container_init_alive(&other) && pid_in_container(root, other.pid, cgid, e.level))
		return og_err(EBUSY,
			      "its cgroup %llu is container '%s''s, whose pid %d runs there: its syscalls are "
			      "recorded in that ring, as that container's, not apart (one cgroup, one ring)",
			      (unsigned long long)cgid, other.id, other.pid);
	other.state = OG_STATE_STOPPED;
	other.flags |= OG_META_F_GONE;
	other.stopped_ns = og_realtime_ns();
	og_ledger_add(root, 0, 1);
	r = og_meta_write(root, &other);
	if (r < 0)
		return r;
	return cgroups_delete_if(root, cgid, e.slot);
}

/* Stops recording into the ring pinned at path, whichever cgroup leads to
 * it: for a directory whose metadata (and so its cgroup) cannot be read. */
static int unmap_ring(const char *root, const char *path)
{
	cleanup_close int cgroups = -1;
	cleanup_close int rings = -1;
	cleanup_close int ring = bpf_obj_get(path);
	__u64 key, next, *prev = NULL, found = 0;
	__u32 want, inner, idx = 0;
	int r;

	if (ring < 0 || ring_map_id(ring, &want) < 0)
		return 0; /* no ring: nothing leads to it */
	if ((r = og_tracer_map_open(root, "cgroups", &cgroups)) < 0 ||
	    (r = og_tracer_map_open(root, "rings", &rings)) < 0)
		return r;
	while (!found && bpf_map_get_next_key(cgroups, prev, &next) == 0) {
		struct og_cgroup_entry e;

		if (bpf_map_lookup_elem(cgroups, &next, &e) == 0 && bpf_map_lookup_elem(rings, &e.slot, &inner) == 0 &&
		    inner == want) {
			found = next;
			idx = e.slot;
		}
		key = next;
		prev = &key;
	}
	return found ? cgroups_delete_if(root, found, idx) : 0;
}

static int remove_locked(const char *root, const char *id)
{
	struct og_container_meta meta;
	char path[4096];
	uint32_t registered;
	uint64_t bytes = 0;
	bool stopped = false;
	int r;

	if (og_meta_read(root, id, &meta) == 0) {
		stopped = meta.state == OG_STATE_STOPPED;
		/* And out of the programs' bucket table, which also leads to it. */
		if (meta.state == OG_STATE_RUNNING && cgroups_delete_if(root, meta.cgroup_id, meta.ring_index) == 0)
			og_tracer_sync_config(root, &registered);
	} else if (og_container_path(path, sizeof(path), root, id, "ring") == 0 && unmap_ring(root, path) == 0) {
		og_tracer_sync_config(root, &registered);
	}
	/* As tally counts it: unreadable, 0. */
	if (og_container_path(path, sizeof(path), root, id, "ring") < 0 || og_ring_pin_bytes(path, &bytes) < 0)
		bytes = 0;
	if (og_container_path(path, sizeof(path), root, id, NULL) < 0)
		return -ENAMETOOLONG;
	r = og_pin_remove_tree(path);
	if (r == 0)
		og_ledger_add(root, -(int64_t)bytes, stopped ? -1 : 0);
	return r;
}

/* When a container found gone ended: its init's end as its ring has it
 * (a wall-clock time), else now. */
static uint64_t gone_time(const char *root, const struct og_container_meta *m)
{
	uint64_t now = og_realtime_ns(), boot = og_boottime_ns();
	struct og_ring_view v;
	struct og_ring_end e;

	if (og_container_open_ring_id(root, m->id, &v) < 0)
		return now;
	if (og_ring_end_read(&v, &e) == 0 && (e.flags & OG_END_INIT_EXITED) && e.init_exit_ns <= boot &&
	    boot - e.init_exit_ns < now)
		now -= boot - e.init_exit_ns;
	og_ring_close(&v);
	return now;
}

/* Under the lock: the containers marked running whose init is gone (no
 * poststop came) stop recording and are marked stopped, OG_META_F_GONE;
 * their rings stay, as stopped ones' do. Appends what it stopped to
 * *gone (malloc'd; NULL: not wanted) and counts it in *ngone. */
static int reap_locked(const char *root, struct og_container_meta **gone, size_t *ngone)
{
	struct og_container_meta *metas = NULL;
	uint32_t registered;
	size_t n = 0, k = 0;
	int r;

	*ngone = 0;
	if (!og_tracer_is_loaded(root))
		return 0; /* no map leads to any ring */
	r = og_container_list(root, &metas, &n);
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct og_container_meta *m = &metas[i];

		if (m->state != OG_STATE_RUNNING || og_container_init_alive(m))
			continue;
		/* Out of the map first, as at a poststop: never stopped by its
		 * metadata while its cgroup still leads to the ring. */
		r = cgroups_delete_if(root, m->cgroup_id, m->ring_index);
		if (r < 0)
			break;
		m->state = OG_STATE_STOPPED;
		m->flags |= OG_META_F_GONE;
		m->stopped_ns = gone_time(root, m);
		og_ledger_add(root, 0, 1);
		r = og_meta_write(root, m);
		if (r == 0)
			metas[k++] = *m;
	}
	if (k && r == 0)
		r = og_tracer_sync_config(root, &registered);
	*ngone = k;
	if (gone && r == 0)
		*gone = metas;
	else
		free(metas);
	return r;
}

/* After the lock: what a poststop would have dropped of theirs, their
 * uprobe references, lingering as the host's default has them (a
 * container that ended and waits for its runtime's delete is gone too:
 * the next container of its image takes its probes, as after a poststop). */
static void drop_probes(const char *root, const struct og_container_meta *gone, size_t n)
{
	int detached;

	for (size_t i = 0; i < n; i++)
		if (og_uprobes_detach(root, gone[i].id, OG_CONF_DEFAULT_LINGER_S, &detached) < 0)
			og_warn("container '%s': uprobes: %s", gone[i].id, og_errmsg());
}

int og_container_reap(const char *root, struct og_container_meta **gone, size_t *n)
{
	int lock = -1;
	int r;

	*gone = NULL;
	*n = 0;
	if (!og_tracer_is_loaded(root))
		return 0;
	r = og_pin_root_lock(root, &lock);
	if (r < 0)
		return r;
	r = reap_locked(root, gone, n);
	close(lock);
	drop_probes(root, *gone, *n);
	return r;
}

/* A container of the same id is replaced once it stopped, or its init is
 * gone; one whose init runs is not (the same id under another runtime
 * root): its ring would go with it, and its recording. */
static int replace_same_id(const char *root, const struct og_container_meta *meta)
{
	struct og_container_meta old;

	if (og_meta_read(root, meta->id, &old) == 0 && old.state == OG_STATE_RUNNING && og_container_init_alive(&old))
		return og_err(
			EEXIST,
			"id taken by a running container (pid %d, cgroup %llu, bundle %s) that keeps its ring; "
			"this one (pid %d, cgroup %llu, bundle %s) is not recorded: one id, one ring (the same id "
			"under another runtime root?)",
			old.pid, (unsigned long long)old.cgroup_id, old.bundle, meta->pid,
			(unsigned long long)meta->cgroup_id, meta->bundle);
	return remove_locked(root, meta->id);
}

static int by_stop_time(const void *a, const void *b);

/* Kernel memory of each container's ring (bytes[i] for metas[i]), summed
 * by state into m, pool included. */
static void tally(const char *root, const struct og_container_meta *metas, size_t n, uint64_t *bytes,
		  struct og_ring_memory *m)
{
	char path[4096];

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < n; i++) {
		/* A pin that cannot be read counts 0: prune's to remove, and
		 * it must not stop every registration. */
		if (og_container_path(path, sizeof(path), root, metas[i].id, "ring") < 0 ||
		    og_ring_pin_bytes(path, &bytes[i]) < 0)
			bytes[i] = 0;
		if (metas[i].state == OG_STATE_RUNNING)
			m->running += bytes[i];
		else
			m->stopped += bytes[i];
	}
	m->pool = og_pool_bytes(root);
}

int og_container_ring_memory(const char *root, struct og_ring_memory *m)
{
	struct og_container_meta *metas = NULL;
	cleanup_free uint64_t *bytes = NULL;
	size_t n = 0;
	int r = og_container_list(root, &metas, &n);

	if (r == 0 && !(bytes = calloc(n + 1, sizeof(*bytes))))
		r = og_err(ENOMEM, "ring memory");
	if (r == 0)
		tally(root, metas, n, bytes, m);
	free(metas);
	return r;
}

/* Under the lock: room within memory_max for a ring of *chunks, made
 * smaller when it must be; the order is og_container_register's. */
static int make_room(const char *root, uint32_t *chunks, uint64_t memory_max)
{
	struct og_container_meta *metas = NULL;
	cleanup_free uint64_t *bytes = NULL;
	struct og_ring_memory m;
	struct og_ledger l;
	char evicted[512] = "", want_s[32], max_s[32], got_s[32], run_s[32];
	bool pooled = *chunks == og_pool_ring_chunks() && og_pool_ready(root) > 0;
	uint64_t held, need = pooled ? 0 : og_ring_kernel_bytes(*chunks), freed = 0;
	uint32_t asked = *chunks;
	size_t n = 0, stopped = 0;
	int removed = 0, r;

	/* Room by the ledger, which only errs high: no ring to read. */
	if (og_ledger_read(root, &l) == 0 && l.ring_bytes <= memory_max && need <= memory_max - l.ring_bytes &&
	    og_pool_bytes(root) <= memory_max - l.ring_bytes - need)
		return 0;
	r = og_container_list(root, &metas, &n);
	if (r == 0 && !(bytes = calloc(n + 1, sizeof(*bytes))))
		r = og_err(ENOMEM, "ring memory");
	if (r < 0)
		goto out;
	tally(root, metas, n, bytes, &m);
	held = m.running + m.stopped + m.pool;
	/* Pooled rings hold nothing: they go first, all but the one taken. */
	if (held + need > memory_max) {
		r = og_pool_drop(root, pooled ? 1 : 0, held + need - memory_max, &freed);
		if (r < 0)
			goto out;
		held -= freed;
	}
	/* Then the oldest stopped containers. */
	for (size_t i = 0; i < n; i++)
		if (metas[i].state == OG_STATE_STOPPED)
			metas[stopped++] = metas[i];
	/* Counted: the ledger anew; each removal below subtracts from it. */
	l = (struct og_ledger){.version = OG_LEDGER_VERSION, .stopped = stopped, .ring_bytes = m.running + m.stopped};
	og_ledger_write(root, &l);
	qsort(metas, stopped, sizeof(*metas), by_stop_time);
	for (size_t i = 0; i < stopped && held + need > memory_max; i++) {
		uint64_t b;
		char path[4096];
		size_t l = strlen(evicted);

		if (og_container_path(path, sizeof(path), root, metas[i].id, "ring") < 0 ||
		    og_ring_pin_bytes(path, &b) < 0)
			b = 0;
		if ((r = remove_locked(root, metas[i].id)) < 0)
			goto out;
		held -= b;
		if (removed++ < 4)
			snprintf(evicted + l, sizeof(evicted) - l, "%s%s", l ? ", " : "", metas[i].id);
	}
	og_format_size(max_s, sizeof(max_s), memory_max);
	if (removed)
		og_warn("ring-memory-max %s: removed %d stopped containers' rings, oldest first (%s%s)", max_s, removed,
			evicted, removed > 4 ? ", ..." : "");
	if (held + need <= memory_max)
		goto out;
	/* The running containers alone leave too little: a smaller ring of
	 * its own (the pooled one counts as held), down to the smallest. */
	if (pooled) {
		freed = 0;
		r = og_pool_drop(root, 0, UINT64_MAX, &freed);
		if (r < 0)
			goto out;
		held -= freed;
	}
	while (*chunks > og_ring_chunks_at_most(OG_RING_MIN_BYTES) && held + og_ring_kernel_bytes(*chunks) > memory_max)
		*chunks >>= 1;
	og_format_size(want_s, sizeof(want_s), (uint64_t)asked * OG_CHUNK_BYTES);
	og_format_size(run_s, sizeof(run_s), held);
	if (held + og_ring_kernel_bytes(*chunks) > memory_max) {
		r = og_err(ENOSPC,
			   "ring-memory-max %s: running containers' rings hold %s, no room for even a %llu KiB ring: "
			   "not recorded (raise ring-memory-max in oci-gadget.conf, or lower ring sizes)",
			   max_s, run_s, OG_RING_MIN_BYTES >> 10);
		goto out;
	}
	og_warn("ring-memory-max %s: running containers' rings hold %s: a ring of %s instead of %s", max_s, run_s,
		og_format_size(got_s, sizeof(got_s), (uint64_t)*chunks * OG_CHUNK_BYTES), want_s);
out:
	free(metas);
	return r;
}

int og_container_register(const char *root, struct og_container_meta *meta, uint32_t chunks,
			  const struct og_ring_owner *want, uint64_t memory_max, const char *init_cwd)
{
	cleanup_close int lock = -1;
	cleanup_close int ring = -1;
	cleanup_close int cgroups = -1;
	char dir[4096], path[4096];
	struct og_cgroup_entry entry = {};
	struct og_ring_owner owner = {.cgroup_id = meta->cgroup_id, .init_tgid = meta->pid > 0 ? meta->pid : 0};
	__u64 cgid = meta->cgroup_id;

	if (want) {
		owner.events = want->events;
		owner.plaintext_max = want->plaintext_max;
		owner.flags = want->flags;
		owner.capture_bytes = want->capture_bytes;
		memcpy(owner.skip, want->skip, sizeof(owner.skip));
	}
	uint64_t start, pidns;
	uint32_t registered;
	int r;

	/* Which process its pid is: a reused pid is another's. */
	if ((r = og_pid_start_time(meta->pid, &start)) < 0 || (r = og_pidns_id_of_pid(0, &pidns)) < 0)
		return r;
	meta->init_start = start;
	meta->pidns_id = pidns;
	meta->flags = 0;
	r = og_pin_root_lock(root, &lock);
	if (r < 0)
		return r;
	r = og_tracer_map_open(root, "cgroups", &cgroups);
	if (r < 0)
		return r;
	if (og_container_path(dir, sizeof(dir), root, meta->id, NULL) < 0)
		return -ENAMETOOLONG;
	if (og_pin_exists(dir)) {
		r = replace_same_id(root, meta);
		if (r < 0)
			return r;
	}
	r = claim_cgroup(root, cgroups, meta, &entry.level);
	if (r < 0)
		return r;
	r = make_room(root, &chunks, memory_max);
	if (r < 0)
		return og_err_wrap(-r, "container '%s'", meta->id);
	r = og_mkdir_p(dir, 0700);
	if (r < 0)
		return r;
	/* Counted before it is pinned: a hook killed here leaves the ledger high. */
	og_ledger_add(root, og_ring_kernel_bytes(chunks), 0);
	og_container_path(path, sizeof(path), root, meta->id, "ring");
	r = og_pool_acquire(root, chunks, &owner, path, &ring, &meta->ring_index);
	if (r < 0) {
		if (og_pin_remove_tree(dir) == 0)
			og_ledger_add(root, -(int64_t)og_ring_kernel_bytes(chunks), 0);
		return og_err_wrap(-r, "container '%s'", meta->id);
	}
	r = ring_map_id(ring, &meta->ring_map_id);
	if (r < 0)
		goto fail;
	/* What the runtime gave its init (stdio), opened before the ring,
	 * and where it will run: without them, fd 1 and 2 print bare and
	 * relative paths relative. Not worth failing for. */
	if (meta->pid > 0 && og_fd_table_seed(ring, chunks, meta->pid, init_cwd, og_boottime_ns()) < 0)
		og_warn("container '%s': fd table not seeded: %s", meta->id, og_errmsg());
	meta->version = OG_META_VERSION;
	meta->state = OG_STATE_RUNNING;
	meta->ring_bytes = chunks << OG_CHUNK_SHIFT;
	meta->started_ns = og_realtime_ns();
	meta->stopped_ns = 0;
	og_container_path(path, sizeof(path), root, meta->id, "meta");
	r = og_container_pin_one(path, "og_meta", "metadata", meta, sizeof(*meta));
	if (r < 0)
		goto fail;
	/* A plain hash update: no grace period, unlike a map-in-map update. */
	entry.slot = meta->ring_index;
	if (bpf_map_update_elem(cgroups, &cgid, &entry, BPF_ANY) < 0) {
		if (errno == E2BIG || errno == ENOSPC)
			r = og_err(errno,
				   "container '%s': the cgroups map is full (%d containers registered); prune stopped "
				   "ones with gadget-dump prune",
				   meta->id, OG_MAX_CONTAINERS);
		else
			r = og_err(errno, "container '%s': register cgroup %llu in cgroups", meta->id,
				   (unsigned long long)cgid);
		goto fail;
	}
	/* The bucket and the level are set after the cgroups entry: a shared
	 * bucket finds it there. */
	r = og_tracer_sync_config(root, &registered);
	if (r < 0)
		goto fail;
	return 0;
fail:
	/* The slot is left for og_pool_maintain to empty. */
	cgroups_delete_if(root, cgid, meta->ring_index);
	if (og_pin_remove_tree(dir) == 0)
		og_ledger_add(root, -(int64_t)og_ring_kernel_bytes(chunks), 0);
	return r;
}

static int by_stop_time(const void *a, const void *b)
{
	const struct og_container_meta *x = a, *y = b;

	return x->stopped_ns < y->stopped_ns ? -1 : x->stopped_ns > y->stopped_ns;
}

/* Broken directories go only when asked (gadget-dump prune): one of
 * another format may be an older version's ring someone still reads. */
/* broken: also remove broken directories, counted there (NULL: leave them). */
static int prune_locked(const char *root, int keep, uint64_t older_than_s, int *broken, int *removed)
{
	struct og_container_meta *metas = NULL;
	struct og_ledger l;
	size_t n = 0, stopped = 0;
	uint64_t now = og_realtime_ns();
	int r;

	*removed = 0;
	if (broken)
		*broken = 0;
	r = og_container_list(root, &metas, &n);
	if (r < 0)
		return r;
	/* Stopped ones first, oldest first. */
	for (size_t i = 0; i < n && r == 0; i++) {
		if (metas[i].state == OG_STATE_STOPPED) {
			metas[stopped++] = metas[i];
		} else if (broken && metas[i].state == OG_STATE_BROKEN) {
			r = remove_locked(root, metas[i].id);
			*broken += r == 0;
		}
	}
	if (stopped)
		qsort(metas, stopped, sizeof(*metas), by_stop_time);
	for (size_t i = 0; r == 0 && i < stopped; i++) {
		bool too_many = keep >= 0 && stopped - i > (size_t)keep;
		bool too_old = older_than_s && now > metas[i].stopped_ns &&
			       (now - metas[i].stopped_ns) / 1000000000ULL >= older_than_s;

		/* Both limits must agree: beyond the newest keep, and old enough when an age is given. */
		if (!too_many || (older_than_s && !too_old))
			continue;
		r = remove_locked(root, metas[i].id);
		if (r < 0)
			break;
		(*removed)++;
	}
	/* Counted: the ledger's stopped containers, exactly. */
	if (r == 0 && og_ledger_read(root, &l) == 0) {
		l.stopped = stopped - *removed;
		og_ledger_write(root, &l);
	}
	free(metas);
	return r;
}

int og_container_prune(const char *root, int keep, uint64_t older_than_s, int *removed, int *broken, int *gone)
{
	cleanup_free struct og_container_meta *stopped = NULL;
	int lock = -1;
	size_t n = 0;
	int r = og_pin_root_lock(root, &lock);

	*gone = *removed = *broken = 0;
	if (r < 0)
		return r;
	r = reap_locked(root, &stopped, &n);
	*gone = (int)n;
	if (r == 0)
		r = prune_locked(root, keep, older_than_s, broken, removed);
	close(lock);
	drop_probes(root, stopped, n);
	/* Their slots now, not at the next container's start: the grace
	 * periods are waited for outside the pin root lock. */
	if (r == 0)
		r = og_pool_empty_slots(root);
	return r;
}

int og_container_unregister(const char *root, const char *id, int keep_stopped)
{
	struct og_container_meta meta;
	struct og_ledger l;
	cleanup_close int lock = -1;
	uint32_t registered;
	int removed, r;

	r = og_pin_root_lock(root, &lock);
	if (r < 0)
		return r;
	r = og_meta_read(root, id, &meta);
	if (r < 0)
		return r == -ENOENT ? og_err(ENOENT, "container '%s' is not registered under %s", id, root) : r;
	if (meta.state == OG_STATE_RUNNING) {
		r = cgroups_delete_if(root, meta.cgroup_id, meta.ring_index);
		if (r < 0)
			return r;
		meta.state = OG_STATE_STOPPED;
		meta.stopped_ns = og_realtime_ns();
		og_ledger_add(root, 0, 1);
		r = og_meta_write(root, &meta);
		if (r < 0)
			return r;
	} else if (meta.flags & OG_META_F_GONE) {
		/* Found gone before its poststop came: it came after all. */
		meta.flags &= ~OG_META_F_GONE;
		r = og_meta_write(root, &meta);
		if (r < 0)
			return r;
	}
	r = og_tracer_sync_config(root, &registered);
	if (r < 0)
		return r;
	/* Within the retention by the ledger (which only errs high): no
	 * container to read. */
	if (keep_stopped < 0 || (og_ledger_read(root, &l) == 0 && l.stopped <= (uint32_t)keep_stopped))
		return 0;
	return prune_locked(root, keep_stopped, 0, NULL, &removed);
}
