// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_container_pins.h"
#include "og_probe_report.h"
#include "og_ring.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int og_container_path(char *out, size_t size, const char *root, const char *id, const char *leaf)
{
	return og_path(out, size, "%s/containers/%s%s%s", root, id, leaf ? "/" : "", leaf ? leaf : "");
}

/* A one-entry array map named name (bpftool shows it), pinned at path. */
int og_container_pin_one(const char *path, const char *name, const char *what, const void *value, uint32_t value_size)
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

/* Whether fd (pinned at path) is a one-entry array map of value_size-byte
 * values: what og_container_pin_one makes. */
static int check_one(int fd, const char *path, uint32_t value_size)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &info_len) < 0)
		return og_err(errno, "%s: map info", path);
	if (info.type != BPF_MAP_TYPE_ARRAY || info.value_size != value_size || info.max_entries != 1)
		return og_err(EPROTO, "%s: a map of %u-byte values, expected %u (another oci-gadget version?)", path,
			      info.value_size, value_size);
	return 0;
}

/* Reads a one-entry array map pinned at path, checking its value size. */
static int read_one(const char *path, void *value, uint32_t value_size)
{
	LIBBPF_OPTS(bpf_obj_get_opts, gopts, .file_flags = BPF_F_RDONLY);
	__u32 zero = 0;
	int fd, r;

	fd = bpf_obj_get_opts(path, &gopts);
	if (fd < 0)
		return og_err(errno, "open %s", path);
	r = check_one(fd, path, value_size);
	if (r == 0 && bpf_map_lookup_elem(fd, &zero, value) < 0)
		r = og_err(errno, "read %s", path);
	close(fd);
	return r;
}

static int ledger_path(char *out, size_t size, const char *root)
{
	return og_path(out, size, "%s/pool/ledger", root);
}

int og_ledger_read(const char *root, struct og_ledger *l)
{
	char path[4096];
	int r;

	if (ledger_path(path, sizeof(path), root) < 0)
		return -ENAMETOOLONG;
	r = read_one(path, l, sizeof(*l));
	if (r == 0 && l->version != OG_LEDGER_VERSION)
		r = og_err(EPROTO, "%s: version %u, expected %u", path, l->version, OG_LEDGER_VERSION);
	return r;
}

/* Replaces the ledger; one that cannot be written goes (then it is counted
 * again), one that cannot go either is said. */
void og_ledger_write(const char *root, const struct og_ledger *l)
{
	char path[4096];
	__u32 zero = 0;
	int fd;

	if (ledger_path(path, sizeof(path), root) < 0)
		return;
	fd = bpf_obj_get(path);
	if (fd >= 0 && check_one(fd, path, sizeof(*l)) == 0 && bpf_map_update_elem(fd, &zero, l, BPF_ANY) == 0) {
		close(fd);
		return;
	}
	if (fd >= 0)
		close(fd);
	if (unlink(path) < 0 && errno != ENOENT) {
		og_warn("%s: cannot replace it (%s); ring memory may be counted wrong until it is removed", path,
			strerror(errno));
		return;
	}
	og_container_pin_one(path, "og_ledger", "ring ledger", l, sizeof(*l));
}

int og_container_ring_bytes(const char *root, uint64_t *bytes)
{
	struct og_ledger l;
	int r = og_ledger_read(root, &l);

	if (r == 0)
		*bytes = l.ring_bytes;
	return r;
}

/* Adds to the ledger, if there is one (else the next full count makes it). */
void og_ledger_add(const char *root, int64_t bytes, int stopped)
{
	struct og_ledger l;
	char path[4096];

	if (og_ledger_read(root, &l) < 0)
		return;
	/* Less than it holds, or past what it can hold: it was wrong; counted
	 * again next time. */
	if ((bytes < 0 && (uint64_t)-bytes > l.ring_bytes) || (bytes > 0 && l.ring_bytes + bytes < l.ring_bytes) ||
	    (stopped < 0 && (uint32_t)-stopped > l.stopped)) {
		if (ledger_path(path, sizeof(path), root) == 0)
			unlink(path);
		return;
	}
	l.ring_bytes += bytes;
	l.stopped += stopped;
	og_ledger_write(root, &l);
}

int og_container_write_probes(const char *root, const char *id, const struct og_probe_report *rep)
{
	char path[4096];

	if (og_container_path(path, sizeof(path), root, id, "probes") < 0)
		return -ENAMETOOLONG;
	if (unlink(path) < 0 && errno != ENOENT)
		return og_err(errno, "unpin %s", path);
	return og_container_pin_one(path, "og_probes", "probe report", rep, sizeof(*rep));
}

/* Reads containers/ID/NAME, a one-entry array map, into value; its path
 * in path for the caller's check. */
static int read_container_pin(const char *root, const char *id, const char *name, void *value, uint32_t size,
			      char path[4096])
{
	return og_container_path(path, 4096, root, id, name) < 0 ? -ENAMETOOLONG : read_one(path, value, size);
}

int og_container_read_probes(const char *root, const char *id, struct og_probe_report *rep)
{
	char path[4096];
	int r = read_container_pin(root, id, "probes", rep, sizeof(*rep), path);

	return r < 0 ? r : og_probes_check(rep, path);
}

int og_container_open_ring_id(const char *root, const char *id, struct og_ring_view *v)
{
	char path[4096];
	int r = og_container_path(path, sizeof(path), root, id, "ring");

	return r < 0 ? r : og_ring_open_pinned(path, v);
}

int og_meta_write(const char *root, const struct og_container_meta *meta)
{
	char path[4096];
	__u32 zero = 0;
	int fd, r = 0;

	if (og_container_path(path, sizeof(path), root, meta->id, "meta") < 0)
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
	int r = read_container_pin(root, id, "meta", meta, sizeof(*meta), path);

	return r < 0 ? r : og_meta_check(meta, id, path);
}
