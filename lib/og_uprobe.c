// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Placing a container's uprobes from its image before it runs: resolve the
 * files inside the rootfs (og_resolve.c), find symbols and USDT notes
 * (og_elf.c), make one perf_event uprobe link per real file and offset, and
 * keep a pin per container on it (og_uprobe.h).
 */
#include "config.h"
#include "og_uprobe.h"
#include "og_elf.h"
#include "og_pins.h"
#include "og_resolve.h"
#include "og_tracer.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static const struct {
	const char *name;
	uint32_t bit;
} family_names[] = {
	{"malloc", OG_FAM_MALLOC},
	{"ssl", OG_FAM_SSL},
	{"gc", OG_FAM_GC},
	{"exceptions", OG_FAM_EXCEPTIONS},
};

int og_uprobe_families_parse(const char *list, uint32_t *families)
{
	const char *p = list;

	*families = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		bool known = false;

		while (n && p[0] == ' ')
			p++, n--;
		while (n && p[n - 1] == ' ')
			n--;
		if (n == 4 && strncmp(p, "none", 4) == 0)
			known = true;
		else if (n == 3 && strncmp(p, "all", 3) == 0)
			*families |= OG_FAM_ALL, known = true;
		for (size_t i = 0; i < sizeof(family_names) / sizeof(family_names[0]) && !known; i++) {
			if (strlen(family_names[i].name) == n && strncmp(p, family_names[i].name, n) == 0) {
				*families |= family_names[i].bit;
				known = true;
			}
		}
		if (!known && n)
			return og_err(EINVAL,
				      "uprobes '%s': unknown family '%.*s' (malloc, ssl, gc, exceptions, all, none)",
				      list, (int)n, p);
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return 0;
}

const char *og_uprobe_families_name(uint32_t families, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(family_names) / sizeof(family_names[0]); i++) {
		if (families & family_names[i].bit)
			n += snprintf(buf + n, n < size ? size - n : 0, "%s%s", n ? "," : "", family_names[i].name);
	}
	if (!buf[0])
		og_strfield(buf, size, "none");
	return buf;
}

/* Libraries of the function probes: sonames, tried in order; the first
 * found is probed. */
static const char *const LIBC[] = {"libc.so.6", "libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1", NULL};
static const char *const LIBSSL[] = {"libssl.so.3", NULL};
static const char *const GNUTLS[] = {"libgnutls.so.30", NULL};

/* Function probes: a symbol in a library (malloc's also in a static main
 * binary). Entries of one library are adjacent: they form a group. The
 * kind's row (OG_EVENT_KINDS) says its family and whether it returns
 * (then a uretprobe too). */
static const struct func_probe {
	const char *const *libs;
	const char *symbol;
	uint32_t kind;
} func_probes[] = {
	{LIBC, "malloc", OG_EV_MALLOC},
	{LIBC, "calloc", OG_EV_CALLOC},
	{LIBC, "realloc", OG_EV_REALLOC},
	{LIBC, "free", OG_EV_FREE},
	{LIBC, "posix_memalign", OG_EV_POSIX_MEMALIGN},
	{LIBC, "aligned_alloc", OG_EV_ALIGNED_ALLOC},
	{LIBC, "mmap", OG_EV_MMAP},
	{LIBC, "munmap", OG_EV_MUNMAP},
	{LIBSSL, "SSL_write", OG_EV_SSL_WRITE},
	{LIBSSL, "SSL_read", OG_EV_SSL_READ},
	{GNUTLS, "gnutls_record_send", OG_EV_GNUTLS_SEND},
	{GNUTLS, "gnutls_record_recv", OG_EV_GNUTLS_RECV},
};
#define N_FUNC_PROBES (sizeof(func_probes) / sizeof(func_probes[0]))
#define MAX_GROUP 8

/* USDT probes, looked for in the main binary, its DT_NEEDED libraries,
 * libstdc++ and (for java) libjvm.so. */
static const struct usdt_probe {
	const char *provider, *name;
	uint32_t kind;
} usdt_probes[] = {
	{"python", "gc__start", OG_EV_GC_START},  {"python", "gc__done", OG_EV_GC_PYTHON},
	{"hotspot", "gc__begin", OG_EV_GC_START}, {"hotspot", "gc__end", OG_EV_GC_JAVA},
	{"libstdcxx", "throw", OG_EV_THROW},	  {"libstdcxx", "rethrow", OG_EV_RETHROW},
};

/* One file of the image, opened at its real (layer) inode. */
struct image_file {
	char path[4096]; /* as the container sees it */
	int fd;		 /* the real file */
	dev_t dev;
	ino_t ino;
	bool usdt_done; /* its notes were read */
};

struct attach_ctx {
	const char *root;
	const char *id;
	const struct og_uprobe_target_opts *o;
	int prog_fd[3]; /* uprobe, uretprobe, usdt */
	int specs_fd;
	int attached;
	struct image_file files[32];
	size_t nfiles;
};

enum { PROG_UPROBE, PROG_URETPROBE, PROG_USDT };
static const char *const prog_names[] = {"uprobe", "uretprobe", "usdt"};

#define NOTE(c, ...)                                                 \
	do {                                                         \
		if ((c)->o->note)                                    \
			(c)->o->note((c)->o->note_ctx, __VA_ARGS__); \
	} while (0)

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
			return og_err(-r, "this kernel has no uprobe PMU: %s", og_errmsg());
		t = atoi(s);
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

/* Pins the container's reference on key's link, making the link if no
 * container holds one yet. */
static int take_ref(struct attach_ctx *c, const struct image_file *f, uint64_t offset, uint64_t ref_ctr, int prog,
		    uint64_t cookie, const char *what)
{
	char dir[4096], pin[4096], other[4096];
	struct dirent *de;
	int lfd = -1, r;
	DIR *d;

	if (og_path(dir, sizeof(dir), "%s/uprobes/%llx-%llx-%llx-%s-%llx", c->root, (unsigned long long)f->dev,
		    (unsigned long long)f->ino, (unsigned long long)offset, prog_names[prog],
		    (unsigned long long)cookie) < 0 ||
	    og_path(pin, sizeof(pin), "%s/%s", dir, c->id) < 0)
		return -ENAMETOOLONG;
	if (og_pin_exists(pin))
		return 0; /* prestart and createRuntime both ran, or one file twice */
	r = og_mkdir_p(dir, 0700);
	if (r < 0)
		return r;
	d = opendir(dir);
	if (!d)
		return og_err(errno, "open %s", dir);
	while (lfd < 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (og_path(other, sizeof(other), "%s/%s", dir, de->d_name) == 0)
			lfd = bpf_obj_get(other);
	}
	closedir(d);
	if (lfd < 0) {
		r = link_uprobe(c->prog_fd[prog], f->fd, offset, ref_ctr, prog == PROG_URETPROBE, cookie, &lfd);
		if (r < 0) {
			rmdir(dir);
			return og_err(-r, "%s in %s: %s", what, f->path, og_errmsg());
		}
	}
	r = bpf_obj_pin(lfd, pin) < 0 ? og_err(errno, "pin %s", pin) : 0;
	close(lfd);
	if (r == 0)
		c->attached++;
	return r;
}

/* Opens a file of the image at its real inode; the same file twice is one. */
static struct image_file *image_file(struct attach_ctx *c, const char *path, int fd)
{
	struct image_file *f;
	int r;

	for (size_t i = 0; i < c->nfiles; i++) {
		if (strcmp(c->files[i].path, path) == 0) {
			close(fd);
			return &c->files[i];
		}
	}
	if (c->nfiles == sizeof(c->files) / sizeof(c->files[0])) {
		close(fd);
		return NULL;
	}
	f = &c->files[c->nfiles];
	og_strfield(f->path, sizeof(f->path), path);
	r = og_real_file(fd, &f->fd, &f->dev, &f->ino);
	close(fd);
	if (r < 0) {
		NOTE(c, "%s: %s: no probes there", path, og_errmsg());
		return NULL;
	}
	c->nfiles++;
	return f;
}

static struct image_file *find_library(struct attach_ctx *c, int root_fd, const char *soname)
{
	char path[4096];
	int fd;

	if (og_root_find_library(root_fd, soname, path, sizeof(path), &fd) < 0)
		return NULL;
	return image_file(c, path, fd);
}

/* The USDT spec's index in maps/usdt_specs: an equal entry, or a new one.
 * Entries are never freed: there are few distinct specs. */
static int spec_index(struct attach_ctx *c, const struct og_usdt_spec *spec, uint32_t *idx)
{
	struct og_usdt_spec cur;

	for (uint32_t i = 0; i < OG_USDT_SPECS; i++) {
		if (bpf_map_lookup_elem(c->specs_fd, &i, &cur) < 0)
			return og_err(errno, "read usdt_specs[%u]", i);
		if (!cur.used) {
			if (bpf_map_update_elem(c->specs_fd, &i, spec, BPF_ANY) < 0)
				return og_err(errno, "write usdt_specs[%u]", i);
			*idx = i;
			return 0;
		}
		if (memcmp(&cur, spec, sizeof(cur)) == 0) {
			*idx = i;
			return 0;
		}
	}
	return og_err(ENOSPC, "usdt_specs: all %d argument specs are taken", OG_USDT_SPECS);
}

static int attach_usdt_in(struct attach_ctx *c, struct image_file *f)
{
	struct og_usdt_note *notes = NULL;
	size_t n = 0;
	int r, found = 0;

	if (f->usdt_done)
		return 0; /* reached twice: a DT_NEEDED library and by name */
	f->usdt_done = true;
	r = og_elf_usdt_notes(f->fd, f->path, &notes, &n);
	if (r < 0) {
		NOTE(c, "%s", og_errmsg());
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof(usdt_probes) / sizeof(usdt_probes[0]); k++) {
			const struct usdt_probe *p = &usdt_probes[k];
			struct og_usdt_spec spec;
			char what[160];
			uint32_t idx = 0;

			if (!(c->o->families & og_event_family(p->kind)) ||
			    strcmp(notes[i].provider, p->provider) != 0 || strcmp(notes[i].name, p->name) != 0)
				continue;
			snprintf(what, sizeof(what), "USDT %s:%s", p->provider, p->name);
			r = og_usdt_parse_args(notes[i].args, &spec);
			if (r < 0) {
				NOTE(c, "%s in %s: %s: skipped", what, f->path, og_errmsg());
				continue;
			}
			r = spec_index(c, &spec, &idx);
			if (r == 0)
				r = take_ref(c, f, notes[i].offset, notes[i].sem_offset, PROG_USDT,
					     OG_COOKIE(p->kind, idx), what);
			if (r < 0) {
				free(notes);
				return r;
			}
			found++;
		}
	}
	free(notes);
	if (found)
		NOTE(c, "%s: %d USDT probe sites", f->path, found);
	return 0;
}

/* The probes of group func_probes[g..end) on file f: its symbols are
 * looked up in one pass over the file. */
static int attach_funcs_in(struct attach_ctx *c, struct image_file *f, size_t g, size_t end)
{
	const char *names[MAX_GROUP] = {};
	uint64_t offs[MAX_GROUP];
	int r, found = 0;

	if (end - g > MAX_GROUP)
		return og_err(E2BIG, "%zu probes for %s: at most %d per library", end - g, f->path, MAX_GROUP);
	for (size_t i = g; i < end; i++)
		names[i - g] = func_probes[i].symbol;
	r = og_elf_symbol_offsets(f->fd, f->path, names, end - g, offs);
	if (r < 0) {
		NOTE(c, "%s: no probes there", og_errmsg());
		return 0;
	}
	for (size_t i = g; i < end; i++) {
		const struct func_probe *p = &func_probes[i];
		uint64_t off = offs[i - g];

		if (!off)
			continue;
		r = take_ref(c, f, off, 0, PROG_UPROBE, OG_COOKIE(p->kind, 0), p->symbol);
		if (r == 0 && (og_event_flags(p->kind) & OG_EK_RETURNS))
			r = take_ref(c, f, off, 0, PROG_URETPROBE, OG_COOKIE(p->kind, 0), p->symbol);
		if (r < 0)
			return r;
		found++;
	}
	NOTE(c, "%s: %d functions probed", f->path, found);
	return 0;
}

static int attach_all(struct attach_ctx *c)
{
	cleanup_close int root_fd = -1;
	struct og_elf_info info;
	struct image_file *main_file = NULL, *f;
	char path[4096];
	int fd, r;

	root_fd = open(c->o->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return og_err(errno, "container rootfs %s", c->o->rootfs);
	r = og_root_find_program(root_fd, c->o->arg0, c->o->path_env, path, sizeof(path), &fd);
	if (r < 0)
		NOTE(c, "%s", og_errmsg());
	else
		main_file = image_file(c, path, fd);
	if (main_file && og_elf_info(main_file->fd, main_file->path, &info) < 0) {
		NOTE(c, "%s", og_errmsg());
		main_file = NULL;
	}

	for (size_t g = 0, end; g < N_FUNC_PROBES; g = end) {
		const struct func_probe *p = &func_probes[g];

		for (end = g + 1; end < N_FUNC_PROBES && func_probes[end].libs == p->libs; end++)
			;
		if (!(c->o->families & og_event_family(p->kind)))
			continue;
		/* A static program has its own malloc; the image's other
		 * programs may still use its libc: both. */
		if (p->libs == LIBC && main_file && info.is_static) {
			if (!info.has_symtab)
				NOTE(c, "%s is static and stripped: no malloc probes in it", main_file->path);
			else if ((r = attach_funcs_in(c, main_file, g, end)) < 0)
				return r;
		}
		f = NULL;
		for (const char *const *lib = p->libs; *lib && !f; lib++)
			f = find_library(c, root_fd, *lib);
		if (!f) {
			NOTE(c, "no %s in the image", p->libs[0]);
			continue;
		}
		r = attach_funcs_in(c, f, g, end);
		if (r < 0)
			return r;
	}

	if (!(c->o->families & (OG_FAM_GC | OG_FAM_EXCEPTIONS)))
		return 0;
	/* USDT: the program, what it links, libstdc++, libjvm next to java. */
	if (main_file) {
		r = attach_usdt_in(c, main_file);
		if (r < 0)
			return r;
		for (size_t i = 0; i < info.n_needed; i++) {
			if ((f = find_library(c, root_fd, info.needed[i])) && (r = attach_usdt_in(c, f)) < 0)
				return r;
		}
		const char *base = strrchr(c->o->arg0, '/');
		base = base ? base + 1 : c->o->arg0;
		if ((c->o->families & OG_FAM_GC) && strcmp(base, "java") == 0) {
			char host[4096], self[64], jvm[4096], rootreal[4096];
			ssize_t len;

			/* bin/java -> ../lib/server/libjvm.so, where the link chain ends. */
			snprintf(self, sizeof(self), "/proc/self/fd/%d", main_file->fd);
			len = readlink(self, host, sizeof(host) - 1);
			if (len > 0 && realpath(c->o->rootfs, rootreal)) {
				host[len] = '\0';
				size_t rl = strlen(rootreal);
				const char *inner = strncmp(host, rootreal, rl) == 0 ? host + rl : NULL;
				char *slash = inner ? strrchr(host, '/') : NULL;
				if (slash) {
					*slash = '\0';
					if (og_path(jvm, sizeof(jvm), "%s/../lib/server/libjvm.so", inner) == 0 &&
					    og_root_open(root_fd, jvm, &fd) == 0 && (f = image_file(c, jvm, fd)) &&
					    (r = attach_usdt_in(c, f)) < 0)
						return r;
				}
			}
		}
	}
	if ((c->o->families & OG_FAM_EXCEPTIONS) && (f = find_library(c, root_fd, "libstdc++.so.6")) &&
	    (r = attach_usdt_in(c, f)) < 0)
		return r;
	return 0;
}

int og_uprobes_attach(const char *root, const char *id, const struct og_uprobe_target_opts *o, int *attached)
{
	struct attach_ctx c = {.root = root, .id = id, .o = o, .prog_fd = {-1, -1, -1}, .specs_fd = -1};
	cleanup_close int lock = -1;
	char path[4096];
	int r;

	*attached = 0;
	if (!o->families)
		return 0;
	if (!o->rootfs || !o->arg0)
		return og_err(EINVAL, "container '%s': no rootfs or process.args in config.json", id);
	r = og_pin_root_lock(root, &lock);
	if (r < 0)
		return r;
	for (int i = 0; i < 3; i++) {
		if (og_path(path, sizeof(path), "%s/progs/%s", root, prog_names[i]) < 0)
			return -ENAMETOOLONG;
		c.prog_fd[i] = bpf_obj_get(path);
		if (c.prog_fd[i] < 0) {
			r = og_err(errno, "open %s (a tracer from before uprobes? gadget-tracer reload)", path);
			goto out;
		}
	}
	r = og_tracer_map_open(root, "usdt_specs", &c.specs_fd);
	if (r < 0)
		goto out;
	r = attach_all(&c);
	*attached = c.attached;
out:
	for (int i = 0; i < 3; i++)
		if (c.prog_fd[i] >= 0)
			close(c.prog_fd[i]);
	if (c.specs_fd >= 0)
		close(c.specs_fd);
	for (size_t i = 0; i < c.nfiles; i++)
		close(c.files[i].fd);
	if (r < 0) {
		int saved = r;
		char msg[1024];
		int d;

		og_strfield(msg, sizeof(msg), og_errmsg());
		close(lock); /* detach takes it again */
		lock = -1;
		og_uprobes_detach(root, id, &d); /* nothing half-attached stays */
		return og_err(-saved, "%s", msg);
	}
	return 0;
}

/* Calls fn on every key directory under uprobes/. */
static int each_key(const char *root, int (*fn)(const char *dir, void *arg), void *arg)
{
	char top[4096], dir[4096];
	struct dirent *de;
	DIR *d;
	int r = 0;

	if (og_path(top, sizeof(top), "%s/uprobes", root) < 0)
		return -ENAMETOOLONG;
	d = opendir(top);
	if (!d)
		return errno == ENOENT ? 0 : og_err(errno, "open %s", top);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (og_path(dir, sizeof(dir), "%s/%s", top, de->d_name) < 0)
			continue;
		int fr = fn(dir, arg);
		if (fr < 0)
			r = fr;
	}
	closedir(d);
	return r;
}

struct detach_arg {
	const char *id;
	int detached;
};

static int detach_one(const char *dir, void *arg)
{
	struct detach_arg *a = arg;
	char pin[4096];

	if (og_path(pin, sizeof(pin), "%s/%s", dir, a->id) < 0)
		return -ENAMETOOLONG;
	if (unlink(pin) == 0)
		a->detached++;
	else if (errno != ENOENT)
		return og_err(errno, "unpin %s", pin);
	/* The last reference: the directory goes, the link detaches. */
	if (rmdir(dir) < 0 && errno != ENOTEMPTY && errno != ENOENT)
		return og_err(errno, "rmdir %s", dir);
	return 0;
}

int og_uprobes_detach(const char *root, const char *id, int *detached)
{
	struct detach_arg a = {.id = id};
	cleanup_close int lock = -1;
	int r;

	*detached = 0;
	if (!og_pin_exists(root))
		return 0;
	r = og_pin_root_lock(root, &lock);
	if (r < 0)
		return r;
	r = each_key(root, detach_one, &a);
	*detached = a.detached;
	return r;
}

struct count_arg {
	int links, refs;
};

static int count_one(const char *dir, void *arg)
{
	struct count_arg *a = arg;
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	if (n) {
		a->links++;
		a->refs += n;
	}
	return 0;
}

int og_uprobes_count(const char *root, int *links, int *refs)
{
	struct count_arg a = {};
	int r = each_key(root, count_one, &a);

	*links = a.links;
	*refs = a.refs;
	return r;
}

static bool file_has(const char *path, const char *word)
{
	cleanup_free char *text = NULL;
	size_t len;

	if (og_read_file(path, 4096, &text, &len) < 0)
		return false;
	for (char *t = strtok(text, ",\n"); t; t = strtok(NULL, ",\n"))
		if (strcmp(t, word) == 0)
			return true;
	return false;
}

void og_features_probe(struct og_feature f[OG_NFEATURES])
{
	struct stat sb;

	f[0] = (struct og_feature){.name = "uprobes"};
	f[0].supported = stat("/sys/bus/event_source/devices/uprobe/type", &sb) == 0;
	og_strfield(f[0].reason, sizeof(f[0].reason),
		    f[0].supported
			    ? "malloc, ssl: perf_event uprobe links"
			    : "no uprobe PMU (/sys/bus/event_source/devices/uprobe): CONFIG_UPROBE_EVENTS is off");
	f[1] = (struct og_feature){.name = "usdt-semaphores"};
	f[1].supported = stat("/sys/bus/event_source/devices/uprobe/format/ref_ctr_offset", &sb) == 0;
	og_strfield(f[1].reason, sizeof(f[1].reason),
		    f[1].supported ? "gc, exceptions: the kernel counts USDT semaphores (Python's gc probes need it)"
				   : "the uprobe PMU has no ref_ctr_offset: probes behind a semaphore never fire");
	f[2] = (struct og_feature){.name = "kprobes"};
	f[2].supported = stat("/sys/bus/event_source/devices/kprobe/type", &sb) == 0;
	og_strfield(f[2].reason, sizeof(f[2].reason),
		    f[2].supported ? "available; not used by oci-gadget"
				   : "no kprobe PMU (/sys/bus/event_source/devices/kprobe): kernel function tracing "
				     "is not possible");
	f[3] = (struct og_feature){.name = "lsm"};
	f[3].supported = file_has("/sys/kernel/security/lsm", "bpf");
	og_strfield(f[3].reason, sizeof(f[3].reason),
		    f[3].supported ? "available; not used by oci-gadget"
				   : "BPF LSM is not in /sys/kernel/security/lsm (boot with lsm=...,bpf): LSM hook "
				     "tracing is not possible");
}
