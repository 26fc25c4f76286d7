// SPDX-License-Identifier: GPL-2.0-or-later
/* The loaded tracer's pins, for everyone who uses them: its maps, its
 * info, whether it is loaded, the programs' bucket table. The loader and
 * its status (og_tracer.c) are a layer above. */
#include "config.h"
#include "og_maps.h"
#include "og_pins.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int og_tracer_map_open(const char *root, const char *name, int *fd)
{
	char path[4096];

	if (og_path(path, sizeof(path), "%s/maps/%s", root, name) < 0)
		return -ENAMETOOLONG;
	*fd = bpf_obj_get(path);
	if (*fd < 0)
		return og_err(errno, "open pinned map %s (is the tracer loaded? gadget-tracer load --pin-root %s)",
			      path, root);
	return 0;
}

int og_tracer_info(const char *root, struct og_info *info)
{
	char path[4096];
	__u32 zero = 0;
	int fd, r = 0;

	/* An info map from before a field existed is shorter: the field reads 0. */
	memset(info, 0, sizeof(*info));
	if (og_path(path, sizeof(path), "%s/info", root) < 0)
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return og_err(errno, "open %s", path);
	if (bpf_map_lookup_elem(fd, &zero, info) < 0)
		r = og_err(errno, "read %s", path);
	close(fd);
	return r;
}

int og_tracer_is_loaded(const char *root)
{
	char p1[4096], p2[4096], p3[4096];

	if (og_path(p1, sizeof(p1), "%s/info", root) < 0 || og_path(p2, sizeof(p2), "%s/links/sys_enter", root) < 0 ||
	    og_path(p3, sizeof(p3), "%s/links/sys_exit", root) < 0)
		return 0;
	return og_pin_exists(p1) && og_pin_exists(p2) && og_pin_exists(p3);
}

/* Entries of a map whose keys are at most 8 bytes. */
uint32_t og_map_count_keys(int fd)
{
	__u64 key = 0, next = 0;
	uint32_t n = 0;
	void *prev = NULL;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		n++;
		key = next;
		prev = &key;
	}
	return n;
}

bool og_levels_add(__u64 *levels, uint32_t level)
{
	__u8 at[OG_LEVELS + 1] = {0};
	int n = 0, i;
	__u64 out = 0;

	for (__u64 l = *levels; l && n < OG_LEVELS; l >>= 8)
		at[n++] = l & 0xff;
	for (i = 0; i < n; i++)
		if (at[i] == level)
			return true;
	if (n == OG_LEVELS || level == 0 || level > OG_LEVEL_MAX)
		return false;
	for (i = n; i > 0 && at[i - 1] < level; i--)
		at[i] = at[i - 1];
	at[i] = level;
	for (i = n; i >= 0; i--)
		out = out << 8 | at[i];
	*levels = out;
	return true;
}

void og_scan_cgroups(int fd, uint32_t *n, __u16 *bucket, __u64 *levels)
{
	__u64 key, next;
	__u64 *prev = NULL;

	*n = 0;
	if (levels)
		*levels = 0;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		struct og_cgroup_entry e;

		(*n)++;
		if (bpf_map_lookup_elem(fd, &next, &e) == 0) {
			if (bucket) {
				__u16 *b = &bucket[og_cgroup_bucket(next)];

				*b = *b == OG_BUCKET_EMPTY && e.slot < OG_MAX_CONTAINERS ? e.slot + 1
											 : OG_BUCKET_SHARED;
			}
			/* Registration refuses a level past the set's room. */
			if (levels)
				og_levels_add(levels, e.level);
		}
		key = next;
		prev = &key;
	}
}

int og_registered_levels(const char *root, __u64 *levels)
{
	cleanup_close int config = -1;
	struct og_config cfg;
	__u32 zero = 0;
	int r = og_tracer_map_open(root, "config", &config);

	if (r < 0)
		return r;
	/* The programs' own copy, kept by og_tracer_sync_config under the
	 * lock: one lookup, not a walk of maps/cgroups. */
	if (bpf_map_lookup_elem(config, &zero, &cfg) < 0)
		return og_err(errno, "read the config map of %s", root);
	*levels = cfg.levels;
	return 0;
}

static size_t config_len(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (sizeof(struct og_config) + page - 1) & ~(page - 1);
}

int og_config_map(const char *root, struct og_config **live)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info);
	cleanup_close int config = -1;
	int r = og_tracer_map_open(root, "config", &config);

	if (r < 0)
		return r;
	if (bpf_obj_get_info_by_fd(config, &info, &info_len) < 0 || info.value_size != sizeof(**live) ||
	    !(info.map_flags & BPF_F_MMAPABLE))
		return og_err(EPROTO, "pinned config map of %s: value size %u, expected %zu, mmapable", root,
			      info.value_size, sizeof(**live));
	*live = mmap(NULL, config_len(), PROT_READ | PROT_WRITE, MAP_SHARED, config, 0);
	if (*live == MAP_FAILED)
		return og_err(errno, "mmap config map of %s", root);
	return 0;
}

void og_config_unmap(struct og_config *live)
{
	if (live)
		munmap(live, config_len());
}

int og_tracer_sync_config(const char *root, uint32_t *registered)
{
	cleanup_free struct og_config *want = calloc(1, sizeof(*want));
	cleanup_close int cgroups = -1;
	struct og_config *live;
	int r;

	if (!want)
		return og_err(ENOMEM, "config");
	if ((r = og_tracer_map_open(root, "cgroups", &cgroups)) < 0 || (r = og_config_map(root, &live)) < 0)
		return r;
	og_scan_cgroups(cgroups, &want->registered, want->bucket, &want->levels);
	/* Programs read the table while we write it: change only what differs,
	 * one aligned store each, so no program ever sees a torn bucket or
	 * level set. More registered first: a program that sees a bucket also
	 * sees a non-zero count. Only this function writes the table, under
	 * the pin root lock. */
	if (want->registered > live->registered)
		__atomic_store_n(&live->registered, want->registered, __ATOMIC_RELEASE);
	if (live->levels != want->levels)
		__atomic_store_n(&live->levels, want->levels, __ATOMIC_RELEASE);
	for (size_t i = 0; i < OG_CGROUP_BUCKETS; i++)
		if (live->bucket[i] != want->bucket[i])
			__atomic_store_n(&live->bucket[i], want->bucket[i], __ATOMIC_RELEASE);
	__atomic_store_n(&live->registered, want->registered, __ATOMIC_RELEASE);
	og_config_unmap(live);
	*registered = want->registered;
	return 0;
}

int og_cgroup_query(const char *root, __u64 cgroup_id, __u64 levels, struct og_cgroup_query *q)
{
	char path[4096];
	int fd, r = 0;

	memset(q, 0, sizeof(*q));
	q->cgroup_id = cgroup_id;
	q->levels = levels;
	if (og_path(path, sizeof(path), "%s/progs/cgroup_query", root) < 0)
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return og_err(errno, "open %s (is the tracer loaded? gadget-tracer load --pin-root %s)", path, root);
	/* A syscall program's context is copied back into ctx_in. */
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = q, .ctx_size_in = sizeof(*q));
	if (bpf_prog_test_run_opts(fd, &opts) < 0)
		r = og_err(errno, "run %s for cgroup %llu", path, (unsigned long long)cgroup_id);
	else if (q->level < 0)
		r = og_err(ENOENT, "no cgroup %llu (gone?)", (unsigned long long)cgroup_id);
	close(fd);
	return r;
}

int og_syscall_table_load(const char *root, struct og_syscall_desc *table)
{
	cleanup_close int fd = -1;
	int r = og_tracer_map_open(root, "syscall_args", &fd);

	if (r < 0)
		return r;
	for (__u32 k = 0; k < OG_SYSCALL_TABLE_SIZE; k++)
		if (bpf_map_lookup_elem(fd, &k, &table[k]) < 0)
			memset(&table[k], 0, sizeof(table[k]));
	return 0;
}
