// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_tracer.h"
#include "og_maps.h"
#include "og_container.h"
#include "og_events.h"
#include "og_pins.h"
#include "og_pool.h"
#include "og_ring.h"
#include "og_syscalls.h"
#include "og_util.h"
#include "syscalls.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static int verbosity;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && verbosity < 2)
		return 0;
	if (level == LIBBPF_INFO && verbosity < 1)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void og_tracer_set_verbose(int verbose)
{
	verbosity = verbose;
	libbpf_set_print(print_libbpf);
}

static const char *const map_names[] = {"rings", "cgroups", "threads", "scratch",    "syscall_args",
					"stats", "ustacks", "kstacks", "usdt_specs", "pending"};

/* The info map, replaced in one rename: a loader never leaves the tracer
 * looking unloaded while the old programs still record. */
static int write_info(const char *root, uint32_t pool_size)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	struct og_info info = {.table_version = OG_TABLE_VERSION,
			       .ring_version = OG_RING_VERSION,
			       .maps_version = OG_MAPS_VERSION,
			       .pool_size = pool_size};
	char path[4096], next[4096];
	__u32 zero = 0;
	int fd, r = 0;

	info.loaded_ns = og_realtime_ns();
	og_strfield(info.version, sizeof(info.version), OG_VERSION_STRING);
	if (og_path(path, sizeof(path), "%s/info", root) < 0 || og_path(next, sizeof(next), "%s/info-next", root) < 0)
		return -ENAMETOOLONG;
	if (unlink(next) < 0 && errno != ENOENT)
		return og_err(errno, "unpin %s", next);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "og_info", sizeof(__u32), sizeof(info), 1, &opts);
	if (fd < 0)
		return og_err(errno, "create info map");
	if (bpf_map_update_elem(fd, &zero, &info, BPF_ANY) < 0)
		r = og_err(errno, "write info map");
	else if (bpf_obj_pin(fd, next) < 0)
		r = og_err(errno, "pin %s", next);
	else if (rename(next, path) < 0)
		r = og_err(errno, "rename %s to %s", next, path);
	close(fd);
	return r;
}

/* enum og_ablate from OCI_GADGET_BENCH_ABLATE ("clock,copy"): benchmark
 * only (bench/cost-breakdown); unset, 0. */
static int ablate_from_env(uint32_t *bits)
{
	static const struct {
		uint32_t bit;
		const char *key;
	} rows[] = {
#define OG_ABLATE_ROW(name, bit, key, what) {OG_ABLATE_##name, key},
		OG_ABLATE_ROWS(OG_ABLATE_ROW)
#undef OG_ABLATE_ROW
	};
	const char *env = getenv("OCI_GADGET_BENCH_ABLATE");
	char buf[256], *save = NULL;

	*bits = 0;
	if (!env || !*env)
		return 0;
	if (strlen(env) >= sizeof(buf))
		return og_err(EINVAL, "OCI_GADGET_BENCH_ABLATE: too long");
	strcpy(buf, env);
	for (char *k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		size_t i = 0;

		while (i < sizeof(rows) / sizeof(rows[0]) && strcmp(rows[i].key, k) != 0)
			i++;
		if (i == sizeof(rows) / sizeof(rows[0]))
			return og_err(EINVAL, "OCI_GADGET_BENCH_ABLATE: no part named '%s'", k);
		*bits |= rows[i].bit;
	}
	og_warn("OCI_GADGET_BENCH_ABLATE=%s: parts of the recording path are off, for a benchmark", env);
	return 0;
}

/* Where a generation being attached pins its links and programs, until it
 * records: then each pin is renamed over its namesake in links/ or progs/
 * (the replaced link detaches with its last pin). */
static const char *const next_dirs[][2] = {{"links-next", "links"}, {"progs-next", "progs"}};

static int unpin_programs(const char *root)
{
	static const char *const parts[] = {"info", "info-next", "links", "links-next", "progs", "progs-next"};
	char path[4096];
	int r = 0;

	/* Info first: from here on the tracer counts as not loaded. */
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && r == 0; i++) {
		if (og_path(path, sizeof(path), "%s/%s", root, parts[i]) < 0)
			return -ENAMETOOLONG;
		r = og_pin_remove_tree(path);
	}
	return r;
}

struct promote {
	const char *to;		 /* the directory the pins go to */
	const char *const *keep; /* names a generation pins there (stale: the others) */
	size_t nkeep;
};

static int promote_one(const char *dir, const char *name, void *arg)
{
	const struct promote *p = arg;
	char from[4096], to[4096];

	if (og_path(from, sizeof(from), "%s/%s", dir, name) < 0 || og_path(to, sizeof(to), "%s/%s", p->to, name) < 0)
		return -ENAMETOOLONG;
	if (rename(from, to) < 0)
		return og_err(errno, "rename %s to %s", from, to);
	return 0;
}

/* A pin of dir that no generation of this build makes (a link of an older
 * build's program that nothing replaced): it goes. */
static int drop_stale(const char *dir, const char *name, void *arg)
{
	const struct promote *p = arg;
	char path[4096];

	for (size_t i = 0; i < p->nkeep; i++)
		if (strcmp(p->keep[i], name) == 0)
			return 0;
	if (og_path(path, sizeof(path), "%s/%s", dir, name) < 0)
		return -ENAMETOOLONG;
	return og_pin_remove_tree(path);
}

/* Moves the pins of links-next/ and progs-next/ over those of links/ and
 * progs/; with keep, also drops the pins of links/ and progs/ not in it. */
static int promote_pins(const char *root, const char *const *keep, size_t nkeep)
{
	for (size_t i = 0; i < sizeof(next_dirs) / sizeof(next_dirs[0]); i++) {
		char from[4096], to[4096];
		struct promote p = {.to = to, .keep = keep, .nkeep = nkeep};
		int r;

		if (og_path(from, sizeof(from), "%s/%s", root, next_dirs[i][0]) < 0 ||
		    og_path(to, sizeof(to), "%s/%s", root, next_dirs[i][1]) < 0)
			return -ENAMETOOLONG;
		if ((r = og_mkdir_p(to, 0700)) < 0 || (r = og_pin_dir_each(from, promote_one, &p)) < 0 ||
		    (keep && (r = og_pin_dir_each(to, drop_stale, &p)) < 0) || (r = og_pin_remove_tree(from)) < 0)
			return r;
	}
	return 0;
}

static int remove_next_pins(const char *root)
{
	char path[4096];
	int r = 0;

	for (size_t i = 0; i < sizeof(next_dirs) / sizeof(next_dirs[0]) && r == 0; i++) {
		if (og_path(path, sizeof(path), "%s/%s", root, next_dirs[i][0]) < 0)
			return -ENAMETOOLONG;
		r = og_pin_remove_tree(path);
	}
	return r;
}

/*
 * A loader that died during a reload left its generation attached beside
 * the old one (pins in links-next/): the switch happened (the config says
 * the new generation records), so its pins are moved into place; or it did
 * not, and they go. Either way the window closes. Cheap when nothing was
 * left: the hook's path runs this before every registration.
 */
static int reload_recover(const char *root)
{
	struct og_config *live = NULL;
	char path[4096];
	bool pending = false;
	int r;

	for (size_t i = 0; i < sizeof(next_dirs) / sizeof(next_dirs[0]); i++) {
		if (og_path(path, sizeof(path), "%s/%s", root, next_dirs[i][0]) < 0)
			return -ENAMETOOLONG;
		pending |= og_pin_exists(path);
	}
	if (og_path(path, sizeof(path), "%s/maps/config", root) < 0)
		return -ENAMETOOLONG;
	if (!og_pin_exists(path))
		return pending ? remove_next_pins(root) : 0;
	r = og_config_map(root, &live);
	if (r < 0)
		return r;
	if (pending) {
		bool switched = live->next_generation && live->generation == live->next_generation;

		fprintf(stderr, "gadget-tracer: %s: an earlier reload stopped half-way; %s it\n", root,
			switched ? "finishing" : "undoing");
		r = switched ? promote_pins(root, NULL, 0) : remove_next_pins(root);
	}
	if (r == 0 && (live->prev_generation || live->next_generation)) {
		__atomic_store_n(&live->prev_generation, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&live->next_generation, 0, __ATOMIC_RELEASE);
	}
	og_config_unmap(live);
	return r;
}

/* Rewrites only the syscall table's entries that differ: the recording
 * programs read it meanwhile, and an update is a copy, not atomic. */
static int update_syscall_table(int map_fd, int *described)
{
	cleanup_free struct og_syscall_desc *table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*table));
	char dir[4096];
	const char *tracefs = dir;
	int r;

	if (!table)
		return og_err(ENOMEM, "syscall table");
	if (og_tracefs_syscalls_dir(dir, sizeof(dir)) < 0) {
		/* Without tracefs the built-in descriptions still cover the common calls. */
		og_warn("%s; describing only built-in syscalls", og_errmsg());
		tracefs = NULL;
	}
	r = og_syscall_table_build(tracefs, table, described);
	if (r < 0)
		return r;
	for (__u32 k = 0; k < OG_SYSCALL_TABLE_SIZE; k++) {
		struct og_syscall_desc cur;

		if (bpf_map_lookup_elem(map_fd, &k, &cur) == 0 && memcmp(&cur, &table[k], sizeof(cur)) == 0)
			continue;
		if (bpf_map_update_elem(map_fd, &k, &table[k], BPF_ANY) < 0)
			return og_err(errno, "fill syscall_args[%u]", k);
	}
	return 0;
}

/* The old generation's events in flight when the new one attached, and
 * those in flight when it was replaced, are done by then (a tracepoint runs
 * its programs back to back): see og_format.h, "Reloading without a gap". */
#define OG_RELOAD_SETTLE_MS 20
#define OG_RELOAD_DRAIN_MS 100

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The generation a load gets: the one after the config's (0 for new maps). */
static __u32 next_generation_of(const char *root)
{
	cleanup_close int fd = -1;
	struct og_config cfg;
	char path[4096];
	__u32 zero = 0, g = 0;

	if (og_path(path, sizeof(path), "%s/maps/config", root) == 0 && (fd = bpf_obj_get(path)) >= 0 &&
	    bpf_map_lookup_elem(fd, &zero, &cfg) == 0)
		g = cfg.generation;
	return g + 1 ? g + 1 : 1;
}

static int load_locked(const char *root, bool replace, uint32_t pool_size, bool *changed)
{
	struct syscalls_bpf *skel = NULL;
	uint32_t ablate = 0;
	struct bpf_link *links[8] = {};
	struct og_config *live = NULL;
	char path[4096];
	int described = 0, r;
	uint32_t registered;
	bool replacing, switched = false;
	__u32 gen;

	*changed = false;
	r = reload_recover(root);
	if (r < 0)
		return r;
	if (og_tracer_is_loaded(root) && !replace) {
		struct og_info info;

		r = og_tracer_info(root, &info);
		if (r < 0)
			return r;
		if (strncmp(info.version, OG_VERSION_STRING, sizeof(info.version)) == 0 &&
		    info.ring_version == OG_RING_VERSION && info.table_version == OG_TABLE_VERSION &&
		    info.maps_version == OG_MAPS_VERSION)
			return 0;
		return og_err(
			EEXIST,
			"pin root %s holds oci-gadget %.*s (ring format %u, maps layout %u); this is %s (ring format "
			"%u, maps layout %u): run gadget-tracer reload",
			root, (int)sizeof(info.version), info.version, info.ring_version, info.maps_version,
			OG_VERSION_STRING, OG_RING_VERSION, OG_MAPS_VERSION);
	}
	if (og_tracer_is_loaded(root)) {
		struct og_info info;

		if (og_tracer_info(root, &info) < 0 || info.maps_version != OG_MAPS_VERSION) {
			/* Maps of another layout cannot be reused: drop them. Stopped
			 * containers' rings stay readable; running ones stop recording
			 * once the old programs are replaced. */
			fprintf(stderr,
				"gadget-tracer: %s holds maps of layout %u, this is %u: replacing them; containers "
				"running now are not recorded until restarted\n",
				root, info.maps_version, OG_MAPS_VERSION);
			/* uprobes: their links run the old programs on the old maps. */
			const char *parts[] = {"info", "uprobes", "maps", "pool"};
			for (size_t i = 0; i < 4; i++) {
				if (og_path(path, sizeof(path), "%s/%s", root, parts[i]) < 0)
					return -ENAMETOOLONG;
				r = og_pin_remove_tree(path);
				if (r < 0)
					return r;
			}
		}
	}
	/* The old generation keeps recording until the new one does (a reload
	 * without a gap); its links go once they are replaced. */
	if (og_path(path, sizeof(path), "%s/links/sys_enter", root) < 0)
		return -ENAMETOOLONG;
	replacing = og_pin_exists(path);
	gen = next_generation_of(root);

	skel = syscalls_bpf__open();
	if (!skel)
		return og_err(errno, "open BPF object");
	/* What each event kind is, from its row: the uprobe programs name none. */
	r = og_event_kinds_check();
	if (r < 0)
		goto out;
	for (uint32_t k = 0; k < OG_KINDS; k++)
		og_event_kind_desc(k, &skel->rodata->og_kinds[k]);
	skel->rodata->og_generation = gen;
	r = ablate_from_env(&ablate);
	if (r < 0)
		goto out;
	skel->rodata->og_ablate = ablate;
	for (size_t i = 0; i < sizeof(map_names) / sizeof(map_names[0]); i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(skel->obj, map_names[i]);

		if (og_path(path, sizeof(path), "%s/maps/%s", root, map_names[i]) < 0) {
			r = -ENAMETOOLONG;
			goto out;
		}
		if (!m || bpf_map__set_pin_path(m, path) < 0) {
			r = og_err(ENOENT, "BPF object: map %s", map_names[i]);
			goto out;
		}
	}
	if (og_path(path, sizeof(path), "%s/maps/config", root) < 0 ||
	    bpf_map__set_pin_path(skel->maps.bss, path) < 0) {
		r = og_err(EINVAL, "BPF object: .bss pin path");
		goto out;
	}
	r = syscalls_bpf__load(skel);
	if (r < 0) {
		r = og_err(-r, "load BPF programs (pin root %s; run with -v for the verifier log)", root);
		goto out;
	}
	r = update_syscall_table(bpf_map__fd(skel->maps.syscall_args), &described);
	if (r < 0)
		goto out;
	if ((r = og_config_map(root, &live)) < 0)
		goto out;
	__atomic_store_n(&live->next_generation, gen, __ATOMIC_RELEASE);

	if ((r = remove_next_pins(root)) < 0)
		goto out;
	if (og_path(path, sizeof(path), "%s/pool/waiter", root) < 0 || og_mkdir_p(path, 0700) < 0 ||
	    og_path(path, sizeof(path), "%s/progs-next", root) < 0 || og_mkdir_p(path, 0700) < 0 ||
	    og_path(path, sizeof(path), "%s/links-next", root) < 0 || og_mkdir_p(path, 0700) < 0) {
		r = -ENAMETOOLONG;
		goto out;
	}
	/* Attached per file by gadget-hook (og_uprobe.c), not here; the
	 * cgroup query is run by registrations (og_cgroup_query). */
	const struct {
		const char *name;
		struct bpf_program *prog;
	} pinned[] = {{"sys_enter", skel->progs.og_sys_enter}, {"sys_exit", skel->progs.og_sys_exit},
		      {"uprobe", skel->progs.og_uprobe},       {"uretprobe", skel->progs.og_uretprobe},
		      {"usdt", skel->progs.og_usdt},	       {"cgroup_query", skel->progs.og_cgroup_query}};
	for (size_t i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++) {
		if ((r = og_path(path, sizeof(path), "%s/progs-next/%s", root, pinned[i].name)) < 0)
			goto out;
		if (bpf_program__pin(pinned[i].prog, path) < 0) {
			r = og_err(errno, "pin %s", path);
			goto out;
		}
	}
	const struct {
		const char *name;
		struct bpf_program *prog;
		uint32_t ablate; /* not attached when og_ablate has it */
	} attached[] = {{"signal_generate", skel->progs.og_signal_generate, OG_ABLATE_SIGNALS},
			{"signal_deliver", skel->progs.og_signal_deliver, OG_ABLATE_SIGNALS},
			{"sched_process_exit", skel->progs.og_process_exit, OG_ABLATE_SIGNALS},
			{"mark_victim", skel->progs.og_mark_victim, OG_ABLATE_SIGNALS},
			{"sys_enter", skel->progs.og_sys_enter, 0},
			{"sys_exit", skel->progs.og_sys_exit, 0}};
	_Static_assert(sizeof(attached) / sizeof(attached[0]) <= sizeof(links) / sizeof(links[0]), "a link each");
	for (size_t i = 0; i < sizeof(attached) / sizeof(attached[0]); i++) {
		if (ablate & attached[i].ablate)
			continue;
		links[i] = bpf_program__attach(attached[i].prog);
		if (!links[i]) {
			r = og_err(errno, "attach %s (tp_btf/%s)", attached[i].name, attached[i].name);
			goto out;
		}
		if ((r = og_path(path, sizeof(path), "%s/links-next/%s", root, attached[i].name)) < 0)
			goto out;
		if (bpf_link__pin(links[i], path) < 0) {
			r = og_err(errno, "pin %s", path);
			goto out;
		}
	}
	/* Both generations attached: the window opens once the old one's
	 * events that started before the new one was there are done; then
	 * the switch, one store. */
	if (replacing) {
		sleep_ms(OG_RELOAD_SETTLE_MS);
		__atomic_store_n(&live->prev_generation, live->generation, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&live->generation, gen, __ATOMIC_SEQ_CST);
	switched = true;
	{
		const char *keep[sizeof(attached) / sizeof(attached[0]) + sizeof(pinned) / sizeof(pinned[0])];
		size_t nkeep = 0;

		for (size_t i = 0; i < sizeof(attached) / sizeof(attached[0]); i++)
			keep[nkeep++] = attached[i].name;
		for (size_t i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++)
			keep[nkeep++] = pinned[i].name;
		r = promote_pins(root, keep, nkeep);
		if (r < 0)
			goto out;
	}
	if (replacing)
		sleep_ms(OG_RELOAD_DRAIN_MS);
	__atomic_store_n(&live->prev_generation, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&live->next_generation, 0, __ATOMIC_RELEASE);
	/* Rings registered before a reload keep recording with the new programs. */
	r = og_tracer_sync_config(root, &registered);
	if (r < 0)
		goto out;
	r = write_info(root, pool_size);
	if (r == 0)
		*changed = true;
out:
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		bpf_link__destroy(links[i]);
	syscalls_bpf__destroy(skel);
	if (r < 0 && !switched) {
		/* The old generation never stopped recording: only ours goes. */
		remove_next_pins(root);
		if (live) {
			__atomic_store_n(&live->prev_generation, 0, __ATOMIC_RELEASE);
			__atomic_store_n(&live->next_generation, 0, __ATOMIC_RELEASE);
		}
	}
	/* After the switch, what is left is the next load's to finish
	 * (reload_recover). */
	og_config_unmap(live);
	return r;
}

int og_tracer_load(const char *root, bool replace, uint32_t pool_size, bool *changed)
{
	cleanup_close int lock = -1;
	int r;

	r = og_pin_root_prepare(root);
	if (r < 0)
		return r;
	r = og_pin_root_lock(root, &lock);
	if (r < 0)
		return r;
	if (pool_size > OG_POOL_MAX)
		return og_err(ERANGE, "ring pool of %u: at most %d", pool_size, OG_POOL_MAX);
	return load_locked(root, replace, pool_size, changed);
}

/* Counts the containers under root, running ones named in rep. */
static void count_containers(const char *root, struct og_unload_report *rep)
{
	struct og_container_meta *metas = NULL;
	size_t n = 0;

	if (og_container_list(root, &metas, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(rep->running_ids);

		/* One whose init is gone records nothing any more. */
		if (metas[i].state != OG_STATE_RUNNING || !og_container_init_alive(&metas[i])) {
			rep->stopped++;
			continue;
		}
		if (rep->running++ < 8 && l + strlen(metas[i].id) + 8 < sizeof(rep->running_ids))
			snprintf(rep->running_ids + l, sizeof(rep->running_ids) - l, "%s%s", l ? ", " : "",
				 metas[i].id);
		else if (!strstr(rep->running_ids, ", ..."))
			snprintf(rep->running_ids + l, sizeof(rep->running_ids) - l, ", ...");
	}
	free(metas);
}

int og_tracer_unload(const char *root, bool force, struct og_unload_report *rep)
{
	cleanup_close int lock = -1;
	int r;

	memset(rep, 0, sizeof(*rep));
	r = og_pin_root_access(root);
	if (r <= 0)
		return r;
	rep->found = true;
	r = og_pin_root_lock(root, &lock);
	if (r < 0)
		return r;
	count_containers(root, rep);
	if (rep->running && !force)
		return og_err(EBUSY,
			      "%d containers are recording under %s (%s): an unload stops their recording and "
			      "removes their rings; stop them first, or unload --force",
			      rep->running, root, rep->running_ids);
	r = unpin_programs(root);
	if (r < 0)
		return r;
	/* Remove children, not the root itself: we hold its lock. */
	/* uprobes first: its pins hold links to the programs. */
	const char *parts[] = {"uprobes", "maps", "containers", "pool"};
	for (size_t i = 0; i < 4; i++) {
		char path[4096];

		if (og_path(path, sizeof(path), "%s/%s", root, parts[i]) < 0)
			return -ENAMETOOLONG;
		r = og_pin_remove_tree(path);
		if (r < 0)
			return r;
	}
	if (rmdir(root) < 0 && errno != ENOTEMPTY && errno != ENOENT)
		return og_err(errno, "rmdir %s", root);
	return 0;
}

int og_tracer_status(const char *root, struct og_tracer_status *st)
{
	cleanup_close int cgroups = -1;
	cleanup_close int stats = -1;
	cleanup_close int config = -1;
	cleanup_close int args = -1;
	cleanup_free struct og_stats *percpu = NULL;
	struct og_container_meta *metas = NULL;
	size_t nmeta = 0;
	__u32 zero = 0;
	int r;

	memset(st, 0, sizeof(*st));
	r = og_pin_root_access(root);
	if (r < 0)
		return r;
	st->loaded = r > 0 && og_tracer_is_loaded(root);
	if (!st->loaded)
		return 0;
	r = og_tracer_info(root, &st->info);
	if (r < 0)
		return r;
	if ((r = og_tracer_map_open(root, "cgroups", &cgroups)) < 0 ||
	    (r = og_tracer_map_open(root, "stats", &stats)) < 0 ||
	    (r = og_tracer_map_open(root, "config", &config)) < 0 ||
	    (r = og_tracer_map_open(root, "syscall_args", &args)) < 0)
		return r;
	og_scan_cgroups(cgroups, &st->registered, NULL, &st->levels);
	st->pool_ready = og_pool_ready(root);
	{
		static const char *const names[] = {"ustacks", "kstacks"};
		uint32_t *counts[] = {&st->ustacks, &st->kstacks};

		for (int i = 0; i < 2; i++) {
			cleanup_close int fd = -1;

			if (og_tracer_map_open(root, names[i], &fd) == 0)
				*counts[i] = og_map_count_keys(fd);
		}
	}
	{
		struct og_config cfg;
		if (bpf_map_lookup_elem(config, &zero, &cfg) == 0) {
			st->config_registered = cfg.registered;
			st->generation = cfg.generation;
		}
	}
	st->ncpus = libbpf_num_possible_cpus();
	if (st->ncpus <= 0)
		return og_err(EINVAL, "number of possible CPUs");
	percpu = calloc(st->ncpus, sizeof(*percpu));
	if (!percpu)
		return og_err(ENOMEM, "stats");
	if (bpf_map_lookup_elem(stats, &zero, percpu) < 0)
		return og_err(errno, "read stats map of %s", root);
	for (int c = 0; c < st->ncpus; c++) {
		st->stats.str_failed += percpu[c].str_failed;
		st->stats.str_lost += percpu[c].str_lost;
		st->stats.dropped += percpu[c].dropped;
		st->stats.standalone_exits += percpu[c].standalone_exits;
	}
	for (__u32 k = 0; k < OG_SYSCALL_TABLE_SIZE; k++) {
		struct og_syscall_desc d;
		if (bpf_map_lookup_elem(args, &k, &d) == 0 && (d.flags & OG_DESC_VALID))
			st->syscalls_described++;
	}
	r = og_container_ring_memory(root, &st->memory);
	if (r < 0)
		return r;
	if (og_container_list(root, &metas, &nmeta) == 0) {
		for (size_t i = 0; i < nmeta; i++) {
			struct og_ring_view v;
			struct og_ring_end end;
			bool has_end = false;

			if (og_container_open_ring_id(root, metas[i].id, &v) == 0) {
				st->bytes_written += __atomic_load_n(&v.hdr->head, __ATOMIC_RELAXED);
				has_end = og_ring_end_read(&v, &end) == 0;
				og_ring_close(&v);
			}
			switch (og_container_life(&metas[i], has_end ? &end : NULL)) {
			case OG_LIFE_RUNNING: st->containers_running++; break;
			case OG_LIFE_ENDED: st->containers_ended++; break;
			case OG_LIFE_GONE: st->containers_gone++; break;
			case OG_LIFE_STOPPED: st->containers_stopped++; break;
			case OG_LIFE_BROKEN: st->containers_broken++; break;
			}
		}
		free(metas);
	}
	return 0;
}
