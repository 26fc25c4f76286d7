// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_container.h"
#include "og_cgroup.h"
#include "og_pins.h"
#include "og_pool.h"
#include "og_ring.h"
#include "og_maps.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int container_path(char *out, size_t size, const char *root, const char *id, const char *leaf)
{
	return og_path(out, size, "%s/containers/%s%s%s", root, id, leaf ? "/" : "", leaf ? leaf : "");
}

/* A one-entry array map named name (bpftool shows it), pinned at path. */
static int pin_one(const char *path, const char *name, const char *what, const void *value, uint32_t value_size)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	__u32 zero = 0;
	int fd, r = 0;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, name, sizeof(__u32), value_size, 1, &opts);
	if (fd < 0)
		return og_err(errno, "create %s map", what);
	if (bpf_map_update_elem(fd, &zero, value, BPF_ANY) < 0)
		r = og_err(errno, "write %s", what);
	else if (bpf_obj_pin(fd, path) < 0)
		r = og_err(errno, "pin %s", path);
	close(fd);
	return r;
}

/* Reads a one-entry array map pinned at path, checking its value size. */
static int read_one(const char *path, void *value, uint32_t value_size)
{
	LIBBPF_OPTS(bpf_obj_get_opts, gopts, .file_flags = BPF_F_RDONLY);
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info), zero = 0;
	int fd, r = 0;

	fd = bpf_obj_get_opts(path, &gopts);
	if (fd < 0)
		return og_err(errno, "open %s", path);
	if (bpf_obj_get_info_by_fd(fd, &info, &info_len) < 0)
		r = og_err(errno, "%s: map info", path);
	else if (info.type != BPF_MAP_TYPE_ARRAY || info.value_size != value_size || info.max_entries != 1)
		r = og_err(EPROTO, "%s: a map of %u-byte values, expected %u (another oci-gadget version?)", path,
			   info.value_size, value_size);
	else if (bpf_map_lookup_elem(fd, &zero, value) < 0)
		r = og_err(errno, "read %s", path);
	close(fd);
	return r;
}

int og_container_write_probes(const char *root, const char *id, const struct og_probe_report *rep)
{
	char path[4096];

	if (container_path(path, sizeof(path), root, id, "probes") < 0)
		return -ENAMETOOLONG;
	if (unlink(path) < 0 && errno != ENOENT)
		return og_err(errno, "unpin %s", path);
	return pin_one(path, "og_probes", "probe report", rep, sizeof(*rep));
}

int og_probes_check(struct og_probe_report *rep, const char *what)
{
	if (rep->version != OG_PROBES_VERSION || rep->len >= sizeof(rep->text))
		return og_err(EPROTO, "%s: report format %u, this build reads %u", what, rep->version,
			      OG_PROBES_VERSION);
	rep->text[rep->len] = '\0';
	return 0;
}

int og_container_read_probes(const char *root, const char *id, struct og_probe_report *rep)
{
	char path[4096];
	int r;

	if (container_path(path, sizeof(path), root, id, "probes") < 0)
		return -ENAMETOOLONG;
	r = read_one(path, rep, sizeof(*rep));
	return r < 0 ? r : og_probes_check(rep, path);
}

int og_container_open_ring_id(const char *root, const char *id, struct og_ring_view *v)
{
	char path[4096];
	int r = container_path(path, sizeof(path), root, id, "ring");

	return r < 0 ? r : og_ring_open_pinned(path, v);
}

static int meta_write(const char *root, const struct og_container_meta *meta)
{
	char path[4096];
	__u32 zero = 0;
	int fd, r = 0;

	if (container_path(path, sizeof(path), root, meta->id, "meta") < 0)
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return og_err(errno, "open %s", path);
	if (bpf_map_update_elem(fd, &zero, meta, BPF_ANY) < 0)
		r = og_err(errno, "update %s", path);
	close(fd);
	return r;
}

int og_meta_check(struct og_container_meta *meta, const char *id, const char *what)
{
	if (meta->version != OG_META_VERSION)
		return og_err(EPROTO, "%s: metadata format %u, this build reads %u", what, meta->version,
			      OG_META_VERSION);
	/* Nothing in a pin is trusted: strings end in the field, the id is
	 * the directory's (what gets removed is the directory found). */
	meta->id[sizeof(meta->id) - 1] = meta->name[sizeof(meta->name) - 1] = '\0';
	meta->pod[sizeof(meta->pod) - 1] = meta->namespace_[sizeof(meta->namespace_) - 1] = '\0';
	meta->bundle[sizeof(meta->bundle) - 1] = '\0';
	if (strcmp(meta->id, id) != 0)
		return og_err(EPROTO, "%s: names container '%.64s', not its directory's", what, meta->id);
	if (meta->state != OG_STATE_RUNNING && meta->state != OG_STATE_STOPPED)
		return og_err(EPROTO, "%s: state %u", what, meta->state);
	return 0;
}

int og_meta_read(const char *root, const char *id, struct og_container_meta *meta)
{
	char path[4096];
	int r;

	if (container_path(path, sizeof(path), root, id, "meta") < 0)
		return -ENAMETOOLONG;
	r = read_one(path, meta, sizeof(*meta));
	return r < 0 ? r : og_meta_check(meta, id, path);
}

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
 * runs in it; when it does not any more (its poststop never ran), that
 * container is marked stopped and the cgroup is taken over. *level gets
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
	if (pid_in_container(root, other.pid, cgid, e.level))
		return og_err(EBUSY,
			      "its cgroup %llu is container '%s''s, whose pid %d runs there: not recorded (one "
			      "cgroup, one ring)",
			      (unsigned long long)cgid, other.id, other.pid);
	other.state = OG_STATE_STOPPED;
	other.stopped_ns = og_realtime_ns();
	r = meta_write(root, &other);
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

	if (og_meta_read(root, id, &meta) == 0) {
		/* And out of the programs' bucket table, which also leads to it. */
		if (meta.state == OG_STATE_RUNNING && cgroups_delete_if(root, meta.cgroup_id, meta.ring_index) == 0)
			og_tracer_sync_config(root, &registered);
	} else if (container_path(path, sizeof(path), root, id, "ring") == 0 && unmap_ring(root, path) == 0) {
		og_tracer_sync_config(root, &registered);
	}
	if (container_path(path, sizeof(path), root, id, NULL) < 0)
		return -ENAMETOOLONG;
	return og_pin_remove_tree(path);
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
		if (container_path(path, sizeof(path), root, metas[i].id, "ring") < 0 ||
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
	char evicted[512] = "", want_s[32], max_s[32], got_s[32], run_s[32];
	bool pooled = *chunks == og_pool_ring_chunks() && og_pool_ready(root) > 0;
	uint64_t held, need = pooled ? 0 : og_ring_kernel_bytes(*chunks), freed = 0;
	uint32_t asked = *chunks;
	size_t n = 0, stopped = 0;
	int removed = 0, r;

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
	qsort(metas, stopped, sizeof(*metas), by_stop_time);
	for (size_t i = 0; i < stopped && held + need > memory_max; i++) {
		uint64_t b;
		char path[4096];
		size_t l = strlen(evicted);

		if (container_path(path, sizeof(path), root, metas[i].id, "ring") < 0 ||
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
			  const struct og_ring_owner *want, uint64_t memory_max)
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
	}
	uint32_t registered;
	int r;

	r = og_pin_root_lock(root, &lock);
	if (r < 0)
		return r;
	r = og_tracer_map_open(root, "cgroups", &cgroups);
	if (r < 0)
		return r;
	if (container_path(dir, sizeof(dir), root, meta->id, NULL) < 0)
		return -ENAMETOOLONG;
	if (og_pin_exists(dir)) {
		r = remove_locked(root, meta->id);
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
	container_path(path, sizeof(path), root, meta->id, "ring");
	r = og_pool_acquire(root, chunks, &owner, path, &ring, &meta->ring_index);
	if (r < 0) {
		og_pin_remove_tree(dir);
		return og_err_wrap(-r, "container '%s'", meta->id);
	}
	r = ring_map_id(ring, &meta->ring_map_id);
	if (r < 0)
		goto fail;
	meta->version = OG_META_VERSION;
	meta->state = OG_STATE_RUNNING;
	meta->ring_bytes = chunks << OG_CHUNK_SHIFT;
	meta->started_ns = og_realtime_ns();
	meta->stopped_ns = 0;
	container_path(path, sizeof(path), root, meta->id, "meta");
	r = pin_one(path, "og_meta", "metadata", meta, sizeof(*meta));
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
	og_pin_remove_tree(dir);
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
	free(metas);
	return r;
}

int og_container_prune(const char *root, int keep, uint64_t older_than_s, int *removed, int *broken)
{
	cleanup_close int lock = -1;
	int r = og_pin_root_lock(root, &lock);

	return r < 0 ? r : prune_locked(root, keep, older_than_s, broken, removed);
}

int og_container_unregister(const char *root, const char *id, int keep_stopped)
{
	struct og_container_meta meta;
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
		r = meta_write(root, &meta);
		if (r < 0)
			return r;
	}
	r = og_tracer_sync_config(root, &registered);
	if (r < 0)
		return r;
	return keep_stopped >= 0 ? prune_locked(root, keep_stopped, 0, NULL, &removed) : 0;
}

struct list_arg {
	const char *root;
	struct og_container_meta *metas;
	size_t n, cap;
};

static int list_entry(const char *dir, const char *name, void *arg)
{
	struct list_arg *a = arg;
	struct og_container_meta *m;

	(void)dir;
	/* A name no id can have was not made here: not ours to list. */
	if (strlen(name) >= sizeof(m->id))
		return 0;
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		struct og_container_meta *nm = realloc(a->metas, cap * sizeof(*nm));

		if (!nm)
			return og_err(ENOMEM, "list containers");
		a->metas = nm;
		a->cap = cap;
	}
	m = &a->metas[a->n++];
	if (og_meta_read(a->root, name, m) < 0) {
		char why[sizeof(m->bundle)];

		og_strfield(why, sizeof(why), og_errmsg());
		memset(m, 0, sizeof(*m));
		m->state = OG_STATE_BROKEN;
		og_strfield(m->id, sizeof(m->id), name);
		og_strfield(m->bundle, sizeof(m->bundle), why);
	}
	return 0;
}

int og_container_list(const char *root, struct og_container_meta **metas, size_t *n)
{
	struct list_arg a = {.root = root};
	char dir[4096];
	int r;

	*metas = NULL;
	*n = 0;
	if (og_path(dir, sizeof(dir), "%s/containers", root) < 0)
		return -ENAMETOOLONG;
	r = og_pin_dir_each(dir, list_entry, &a);
	if (r < 0) {
		free(a.metas);
		return r;
	}
	*metas = a.metas;
	*n = a.n;
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

int og_container_resolve(const char *root, const char *query, struct og_container_meta *meta)
{
	struct og_container_meta *metas = NULL;
	size_t n = 0, hits = 0, hit = 0;
	char list[1024] = "";
	int r;

	r = og_container_list(root, &metas, &n);
	if (r < 0)
		return r;
	/* Pass 0: exact id. 1: name (a reused name means its newest container).
	 * 2: unique id prefix. */
	for (int pass = 0; pass < 3 && hits == 0; pass++) {
		for (size_t i = 0; i < n; i++) {
			if (!resolve_match(&metas[i], query, pass))
				continue;
			if (hits < 8) {
				size_t l = strlen(list);
				snprintf(list + l, sizeof(list) - l, "%s%s (%s)", l ? ", " : "", metas[i].id,
					 metas[i].name);
			}
			if (!hits || metas[i].started_ns > metas[hit].started_ns)
				hit = i;
			hits++;
		}
		if (pass == 1 && hits > 1)
			hits = 1;
	}
	if (hits == 1)
		*meta = metas[hit];
	free(metas);
	if (hits == 1 && meta->state == OG_STATE_BROKEN)
		return og_err(EPROTO, "container '%s' cannot be read: %s (gadget-dump prune removes it)", meta->id,
			      meta->bundle);
	if (hits == 1)
		return 0;
	if (hits == 0)
		return og_err(ENOENT, "no container '%s' under %s (gadget-dump list shows what is there)", query, root);
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
