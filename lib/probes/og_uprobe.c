// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The attacher: places a container's planned probes (og_uprobe_plan.c) as
 * perf_event uprobe links, one per real file, offset, program and cookie,
 * each shared between containers by their pins (og_uprobe_links.c).
 */
#include "config.h"
#include "og_uprobe.h"
#include "og_maps.h"
#include "og_pins.h"
#include "og_probe_report.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/syscall.h>

struct attach_ctx {
	const char *root;
	const char *id;
	const struct og_uprobe_target_opts *o;
	const struct og_uprobe_plan *plan;
	int prog_fd[OG_UPROBE_PROGS];
	int specs_fd;
	int attached;
	/* What this attempt made, undone when it fails: the cookie of each
	 * plan entry it pinned (0: none), the specs it wrote. */
	uint64_t *pinned;
	uint32_t new_spec[OG_USDT_SPECS_PER_CONTAINER];
	int new_specs;
};

/* The uprobe PMU and its "retprobe" config bit, from sysfs. */
static int uprobe_pmu(int *type, int *ret_bit)
{
	static int t = -1, b = -1;
	cleanup_free char *s = NULL;
	size_t len;
	int r;

	if (t < 0) {
		r = og_read_file("/sys/bus/event_source/devices/uprobe/type", 64, &s, &len);
		if (r < 0)
			return og_err_wrap(-r, "this kernel has no uprobe PMU");
		if (sscanf(s, "%d", &t) != 1 || t < 0) {
			free(s);
			return og_err(ENOTSUP, "uprobe PMU: unreadable type");
		}
		free(s);
		s = NULL;
		r = og_read_file("/sys/bus/event_source/devices/uprobe/format/retprobe", 64, &s, &len);
		if (r < 0 || sscanf(s, "config:%d", &b) != 1)
			return og_err(ENOTSUP, "uprobe PMU: no retprobe format bit");
	}
	*type = t;
	*ret_bit = b;
	return 0;
}

static int link_uprobe(int prog_fd, int file_fd, uint64_t offset, uint64_t ref_ctr, bool ret, uint64_t cookie,
		       int *link_fd)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts);
	struct perf_event_attr attr = {};
	char path[64];
	int type = 0, bit = 0, pfd, lfd, r;

	r = uprobe_pmu(&type, &bit);
	if (r < 0)
		return r;
	/* By /proc/self/fd: the kernel attaches to exactly the file we
	 * resolved, with no second path walk. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", file_fd);
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config = (ret ? 1ULL << bit : 0) | (ref_ctr << 32);
	attr.config1 = (uint64_t)(uintptr_t)path;
	attr.config2 = offset;
	pfd = syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return og_err(errno, "perf_event_open uprobe at offset 0x%llx", (unsigned long long)offset);
	lopts.perf_event.bpf_cookie = cookie;
	lfd = bpf_link_create(prog_fd, pfd, BPF_PERF_EVENT, &lopts);
	r = lfd < 0 ? og_err(errno, "bpf_link_create for a uprobe at offset 0x%llx", (unsigned long long)offset) : 0;
	close(pfd); /* the link holds the event */
	if (r == 0)
		*link_fd = lfd;
	return r;
}

static int key_dir(const struct attach_ctx *c, size_t i, uint64_t cookie, char *dir, size_t size)
{
	const struct og_plan_probe *p = &c->plan->probes[i];

	return og_uprobe_key_dir(dir, size, c->root, p->f->dev, p->f->ino, p->offset, og_uprobe_prog_names[p->prog],
				 cookie);
}

/* Pins the container's reference on plan entry i's link, making the link
 * if no container holds one yet. Under the pin root lock. */
static int take_ref(struct attach_ctx *c, size_t i, uint64_t cookie)
{
	const struct og_plan_probe *p = &c->plan->probes[i];
	char dir[4096], pin[4096];
	int lfd = -1, r;

	if (key_dir(c, i, cookie, dir, sizeof(dir)) < 0 || og_path(pin, sizeof(pin), "%s/%s", dir, c->id) < 0)
		return -ENAMETOOLONG;
	if (og_pin_exists(pin))
		return 0; /* prestart and createRuntime both ran, or one file twice */
	r = og_mkdir_p(dir, 0700);
	if (r < 0)
		return r;
	r = og_uprobe_key_link(dir, &lfd);
	if (r == -ENOENT) {
		r = link_uprobe(c->prog_fd[p->prog], p->f->fd, p->offset, p->ref_ctr, p->prog == OG_PROG_URETPROBE,
				cookie, &lfd);
		if (r < 0) {
			rmdir(dir);
			return og_err_wrap(-r, "%s in %s", p->what, p->f->path);
		}
	}
	if (r < 0)
		return r;
	r = og_uprobe_ref_pin(dir, c->id, lfd);
	close(lfd);
	if (r < 0) {
		rmdir(dir); /* made for this link, or others' */
		return r;
	}
	c->pinned[i] = cookie;
	c->attached++;
	return 0;
}

/* The USDT spec's index in maps/usdt_specs: an equal entry, or a free one;
 * at most OG_USDT_SPECS_PER_CONTAINER new ones per container. Under the
 * pin root lock. */
static int spec_index(struct attach_ctx *c, const struct og_usdt_spec *spec, uint32_t *idx)
{
	struct og_usdt_spec want = *spec, cur;
	int64_t free_idx = -1;

	want.used = 1;
	for (uint32_t i = 0; i < OG_USDT_SPECS; i++) {
		if (bpf_map_lookup_elem(c->specs_fd, &i, &cur) < 0)
			return og_err(errno, "read usdt_specs[%u]", i);
		if (!cur.used) {
			if (free_idx < 0)
				free_idx = i;
			continue;
		}
		if (memcmp(&cur, &want, sizeof(cur)) == 0) {
			*idx = i;
			return 0;
		}
	}
	if (c->new_specs >= OG_USDT_SPECS_PER_CONTAINER)
		return og_err(EDQUOT, "this container already took %d new USDT argument specs, its share",
			      OG_USDT_SPECS_PER_CONTAINER);
	if (free_idx < 0)
		return og_err(ENOSPC, "usdt_specs: all %d argument specs are taken", OG_USDT_SPECS);
	*idx = free_idx;
	if (bpf_map_update_elem(c->specs_fd, idx, &want, BPF_ANY) < 0)
		return og_err(errno, "write usdt_specs[%u]", *idx);
	c->new_spec[c->new_specs++] = *idx;
	return 0;
}

static int attach_planned(struct attach_ctx *c)
{
	int skipped = 0;

	for (size_t i = 0; i < c->plan->nprobes; i++) {
		const struct og_plan_probe *p = &c->plan->probes[i];
		uint32_t idx = 0;
		int r;

		if (p->prog == OG_PROG_USDT && (r = spec_index(c, &p->spec, &idx)) < 0) {
			if (r != -EDQUOT && r != -ENOSPC)
				return r;
			if (!skipped++)
				og_uprobe_report_note(c->o, "skipped: %s in %s and later USDT probes: %s", p->what,
						      p->f->path, og_errmsg());
			continue;
		}
		r = take_ref(c, i, OG_COOKIE(p->kind, idx));
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * The attempt is whole: the links it took are in use again (their linger
 * pins go), or it failed: what it made is undone, the world as before it
 * (links that lingered still linger). The undoing sets no error message:
 * the failure's stays.
 */
static void finish(struct attach_ctx *c, bool failed)
{
	struct og_usdt_spec none = {};
	char dir[4096];

	for (size_t i = 0; i < c->plan->nprobes; i++) {
		if (!c->pinned[i] || key_dir(c, i, c->pinned[i], dir, sizeof(dir)) < 0)
			continue;
		if (failed)
			og_uprobe_ref_unpin(dir, c->id);
		else
			og_uprobe_key_taken(dir);
	}
	/* Only this attempt's links named its new specs. */
	for (int i = 0; failed && i < c->new_specs; i++)
		bpf_map_update_elem(c->specs_fd, &c->new_spec[i], &none, BPF_ANY);
}

int og_uprobes_attach(const char *root, const char *id, const struct og_uprobe_target_opts *o, int *attached)
{
	struct attach_ctx c = {.root = root, .id = id, .o = o, .prog_fd = {-1, -1, -1}, .specs_fd = -1};
	cleanup_free struct og_uprobe_plan *plan = NULL;
	cleanup_free uint64_t *pinned = NULL;
	cleanup_close int lock = -1;
	char path[4096];
	int r;

	*attached = 0;
	if (o->report)
		og_probe_report_init(o->report);
	if (!o->families)
		return 0;
	if (!o->rootfs)
		return og_err(EINVAL, "container '%s': no rootfs in config.json", id);
	plan = calloc(1, sizeof(*plan));
	if (!plan)
		return og_err(ENOMEM, "container '%s': probe plan", id);
	c.plan = plan;
	/* Discovery and ELF parsing without the pin root lock: an image that
	 * is slow to read delays only its own container. */
	r = og_uprobe_plan_make(o, plan);
	if (r == 0 && !(pinned = calloc(plan->nprobes + 1, sizeof(*pinned))))
		r = og_err(ENOMEM, "container '%s': %zu probes", id, plan->nprobes);
	c.pinned = pinned;
	if (r == 0)
		r = og_pin_root_lock(root, &lock);
	for (int i = 0; r == 0 && i < OG_UPROBE_PROGS; i++) {
		if (og_path(path, sizeof(path), "%s/progs/%s", root, og_uprobe_prog_names[i]) < 0)
			r = -ENAMETOOLONG;
		else if ((c.prog_fd[i] = bpf_obj_get(path)) < 0)
			r = og_err(errno, "open %s (a tracer from before uprobes? gadget-tracer reload)", path);
	}
	if (r == 0)
		r = og_tracer_map_open(root, "usdt_specs", &c.specs_fd);
	if (r == 0)
		r = attach_planned(&c);
	if (lock >= 0)
		finish(&c, r < 0);
	*attached = r < 0 ? 0 : c.attached;
	for (int i = 0; i < OG_UPROBE_PROGS; i++)
		if (c.prog_fd[i] >= 0)
			close(c.prog_fd[i]);
	if (c.specs_fd >= 0)
		close(c.specs_fd);
	og_uprobe_plan_free(plan);
	return r;
}
