// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_tracer.h"
#include "og_maps.h"
#include "og_container.h"
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

static int fill_syscall_table(int map_fd, int *described)
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
		if (!(table[k].flags & OG_DESC_VALID))
			continue;
		if (bpf_map_update_elem(map_fd, &k, &table[k], BPF_ANY) < 0)
			return og_err(errno, "fill syscall_args[%u]", k);
	}
	return 0;
}

static int write_info(const char *root, uint32_t pool_size)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	struct og_info info = {.table_version = OG_TABLE_VERSION,
			       .ring_version = OG_RING_VERSION,
			       .maps_version = OG_MAPS_VERSION,
			       .pool_size = pool_size};
	char path[4096];
	__u32 zero = 0;
	int fd, r = 0;

	info.loaded_ns = og_realtime_ns();
	og_strfield(info.version, sizeof(info.version), OG_VERSION_STRING);
	if (og_path(path, sizeof(path), "%s/info", root) < 0)
		return -ENAMETOOLONG;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "og_info", sizeof(__u32), sizeof(info), 1, &opts);
	if (fd < 0)
		return og_err(errno, "create info map");
	if (bpf_map_update_elem(fd, &zero, &info, BPF_ANY) < 0)
		r = og_err(errno, "write info map");
	else if (bpf_obj_pin(fd, path) < 0)
		r = og_err(errno, "pin %s", path);
	close(fd);
	return r;
}

static int unpin_programs(const char *root)
{
	char path[4096];
	int r;

	/* Info first: from here on the tracer counts as not loaded. */
	if (og_path(path, sizeof(path), "%s/info", root) < 0)
		return -ENAMETOOLONG;
	r = og_pin_remove_tree(path);
	if (r == 0 && og_path(path, sizeof(path), "%s/links", root) == 0)
		r = og_pin_remove_tree(path);
	if (r == 0 && og_path(path, sizeof(path), "%s/progs", root) == 0)
		r = og_pin_remove_tree(path);
	return r;
}

static int load_locked(const char *root, bool replace, uint32_t pool_size, bool *changed)
{
	struct syscalls_bpf *skel = NULL;
	struct bpf_link *links[8] = {};
	char path[4096];
	int described = 0, r;
	uint32_t registered;

	*changed = false;
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
			 * containers' rings stay readable; running ones stop recording. */
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
	/* A half-done earlier load or a reload: drop old programs, keep maps. */
	r = unpin_programs(root);
	if (r < 0)
		return r;

	skel = syscalls_bpf__open();
	if (!skel)
		return og_err(errno, "open BPF object");
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
	r = fill_syscall_table(bpf_map__fd(skel->maps.syscall_args), &described);
	if (r < 0)
		goto out;

	if (og_path(path, sizeof(path), "%s/pool/waiter", root) < 0 || og_mkdir_p(path, 0700) < 0 ||
	    og_path(path, sizeof(path), "%s/progs", root) < 0 || og_mkdir_p(path, 0700) < 0 ||
	    og_path(path, sizeof(path), "%s/links", root) < 0 || og_mkdir_p(path, 0700) < 0) {
		r = -ENAMETOOLONG;
		goto out;
	}
	if ((r = og_path(path, sizeof(path), "%s/progs/sys_enter", root)) < 0)
		goto out;
	if (bpf_program__pin(skel->progs.og_sys_enter, path) < 0) {
		r = og_err(errno, "pin %s", path);
		goto out;
	}
	if ((r = og_path(path, sizeof(path), "%s/progs/sys_exit", root)) < 0)
		goto out;
	if (bpf_program__pin(skel->progs.og_sys_exit, path) < 0) {
		r = og_err(errno, "pin %s", path);
		goto out;
	}
	/* Attached per file by gadget-hook (og_uprobe.c), not here; the
	 * cgroup query is run by registrations (og_cgroup_query). */
	const struct {
		const char *name;
		struct bpf_program *prog;
	} uprogs[] = {{"uprobe", skel->progs.og_uprobe},
		      {"uretprobe", skel->progs.og_uretprobe},
		      {"usdt", skel->progs.og_usdt},
		      {"cgroup_query", skel->progs.og_cgroup_query}};
	for (size_t i = 0; i < sizeof(uprogs) / sizeof(uprogs[0]); i++) {
		if ((r = og_path(path, sizeof(path), "%s/progs/%s", root, uprogs[i].name)) < 0)
			goto out;
		if (bpf_program__pin(uprogs[i].prog, path) < 0) {
			r = og_err(errno, "pin %s", path);
			goto out;
		}
	}
	const struct {
		const char *name;
		struct bpf_program *prog;
	} attached[] = {{"signal_generate", skel->progs.og_signal_generate},
			{"signal_deliver", skel->progs.og_signal_deliver},
			{"sched_process_exit", skel->progs.og_process_exit},
			{"mark_victim", skel->progs.og_mark_victim},
			{"sys_enter", skel->progs.og_sys_enter},
			{"sys_exit", skel->progs.og_sys_exit}};
	_Static_assert(sizeof(attached) / sizeof(attached[0]) <= sizeof(links) / sizeof(links[0]), "a link each");
	for (size_t i = 0; i < sizeof(attached) / sizeof(attached[0]); i++) {
		links[i] = bpf_program__attach(attached[i].prog);
		if (!links[i]) {
			r = og_err(errno, "attach %s (tp_btf/%s)", attached[i].name, attached[i].name);
			goto out;
		}
		if ((r = og_path(path, sizeof(path), "%s/links/%s", root, attached[i].name)) < 0)
			goto out;
		if (bpf_link__pin(links[i], path) < 0) {
			r = og_err(errno, "pin %s", path);
			goto out;
		}
	}
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
	if (r < 0)
		unpin_programs(root); /* detach what we attached; maps stay */
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

		if (metas[i].state != OG_STATE_RUNNING) {
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
		if (bpf_map_lookup_elem(config, &zero, &cfg) == 0)
			st->config_registered = cfg.registered;
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

			if (metas[i].state == OG_STATE_RUNNING)
				st->containers_running++;
			else if (metas[i].state == OG_STATE_STOPPED)
				st->containers_stopped++;
			else
				st->containers_broken++;
			if (og_container_open_ring_id(root, metas[i].id, &v) == 0) {
				st->bytes_written += __atomic_load_n(&v.hdr->head, __ATOMIC_RELAXED);
				og_ring_close(&v);
			}
		}
		free(metas);
	}
	return 0;
}
