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
#include "og_events.h"
#include "og_pins.h"
#include "og_resolve.h"
#include "og_maps.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdarg.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>

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
	{LIBSSL, "SSL_write_ex", OG_EV_SSL_WRITE_EX},
	{LIBSSL, "SSL_read_ex", OG_EV_SSL_READ_EX},
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
	bool usdt_done;	 /* its notes were read */
	bool funcs_done; /* its function symbols were looked up */
	struct og_elf_info info;
	bool info_ok;
};

/* One probe to place: planned without the pin root lock, attached under it. */
struct probe_plan {
	struct image_file *f;
	uint64_t offset, ref_ctr;
	int prog;
	uint32_t kind;
	struct og_usdt_spec spec; /* PROG_USDT */
	char what[96];
};

#define MAX_FILES 32

struct attach_ctx {
	const char *root;
	const char *id;
	const struct og_uprobe_target_opts *o;
	struct og_image im;
	int prog_fd[3]; /* uprobe, uretprobe, usdt */
	int specs_fd;
	int attached;
	int new_specs;
	struct image_file files[MAX_FILES];
	size_t nfiles;
	struct probe_plan *probes;
	size_t nprobes, cap;
	/* The report: what each family probed, and why nothing. */
	char *report;
	size_t report_len;
	uint32_t found; /* families with at least one probe */
	bool deadline_noted;
};

enum { PROG_UPROBE, PROG_URETPROBE, PROG_USDT };
static const char *const prog_names[] = {"uprobe", "uretprobe", "usdt"};

#define NOTE(c, ...)                                                 \
	do {                                                         \
		if ((c)->o->note)                                    \
			(c)->o->note((c)->o->note_ctx, __VA_ARGS__); \
	} while (0)

static const char *family_name(uint32_t fam)
{
	static char buf[32];

	return og_families_name(fam, buf, sizeof(buf));
}

/* One line of the container's report (and a note for the hook's log). */
static void report(struct attach_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(struct attach_ctx *c, const char *fmt, ...)
{
	char raw[1024], line[4 * sizeof(raw)];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	NOTE(c, "%s", raw);
	/* One line per entry, printable, whatever the image's file names and
	 * uprobe-paths hold: the report is read as lines. */
	og_escape_line(line, sizeof(line), raw);
	if (c->report && c->report_len + strlen(line) + 2 < c->o->report_size) {
		memcpy(c->report + c->report_len, line, strlen(line));
		c->report_len += strlen(line);
		c->report[c->report_len++] = '\n';
		c->report[c->report_len] = '\0';
	}
}

/* Past the deadline: said once, with what was about to be looked at. */
static bool expired(struct attach_ctx *c, const char *next)
{
	if (!og_image_expired(&c->im))
		return false;
	if (!c->deadline_noted)
		report(c, "skipped: the discovery deadline (%llu ms) passed before %s; what was found is kept",
		       (unsigned long long)c->o->deadline_ms, next);
	c->deadline_noted = true;
	return true;
}

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

/* Pins the container's reference on key's link, making the link if no
 * container holds one yet. Under the pin root lock. */
static int take_ref(struct attach_ctx *c, const struct image_file *f, uint64_t offset, uint64_t ref_ctr, int prog,
		    uint64_t cookie, const char *what)
{
	char dir[4096], pin[4096];
	int lfd = -1, r;

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
	r = og_pin_dir_each(dir, first_link, &lfd);
	if (r < 0)
		return r;
	if (lfd < 0) {
		r = link_uprobe(c->prog_fd[prog], f->fd, offset, ref_ctr, prog == PROG_URETPROBE, cookie, &lfd);
		if (r < 0) {
			rmdir(dir);
			return og_err_wrap(-r, "%s in %s", what, f->path);
		}
	}
	r = bpf_obj_pin(lfd, pin) < 0 ? og_err(errno, "pin %s", pin) : 0;
	close(lfd);
	if (r == 0) {
		c->attached++;
		drop_linger(dir, UINT64_MAX, NULL);
	}
	return r;
}

/* A file of the image at its real inode; the same file reached twice
 * (python3 -> python3.11, a library named twice) is one. */
static struct image_file *add_file(struct attach_ctx *c, const char *path, int fd)
{
	struct image_file *f;
	dev_t dev;
	ino_t ino;
	int rfd, r;

	for (size_t i = 0; i < c->nfiles; i++) {
		if (strcmp(c->files[i].path, path) == 0) {
			close(fd);
			return &c->files[i];
		}
	}
	r = og_real_file(fd, &rfd, &dev, &ino);
	close(fd);
	if (r < 0) {
		NOTE(c, "%s: %s: no probes there", path, og_errmsg());
		return NULL;
	}
	for (size_t i = 0; i < c->nfiles; i++) {
		if (c->files[i].dev == dev && c->files[i].ino == ino) {
			close(rfd);
			return &c->files[i];
		}
	}
	if (c->nfiles == MAX_FILES) {
		close(rfd);
		NOTE(c, "%s: more than %d files to probe: skipped", path, MAX_FILES);
		return NULL;
	}
	f = &c->files[c->nfiles++];
	memset(f, 0, sizeof(*f));
	og_strfield(f->path, sizeof(f->path), path);
	f->fd = rfd;
	f->dev = dev;
	f->ino = ino;
	f->info_ok = og_elf_info(rfd, path, &f->info) == 0;
	return f;
}

static struct image_file *find_library(struct attach_ctx *c, const char *soname)
{
	char path[4096];
	int fd;

	if (expired(c, soname) || og_image_find_library(&c->im, soname, path, sizeof(path), &fd) < 0)
		return NULL;
	return add_file(c, path, fd);
}

static struct image_file *find_program(struct attach_ctx *c, const char *name)
{
	char path[4096];
	int fd;

	if (expired(c, name) || og_image_find_program(&c->im, name, c->o->path_env, path, sizeof(path), &fd) < 0)
		return NULL;
	return add_file(c, path, fd);
}

static int plan_add(struct attach_ctx *c, struct image_file *f, uint64_t offset, uint64_t ref_ctr, int prog,
		    uint32_t kind, const struct og_usdt_spec *spec, const char *what)
{
	struct probe_plan *p;

	if (c->nprobes == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct probe_plan *np = realloc(c->probes, cap * sizeof(*np));

		if (!np)
			return og_err(ENOMEM, "probe plan");
		c->probes = np;
		c->cap = cap;
	}
	p = &c->probes[c->nprobes++];
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->offset = offset;
	p->ref_ctr = ref_ctr;
	p->prog = prog;
	p->kind = kind;
	if (spec)
		p->spec = *spec;
	og_strfield(p->what, sizeof(p->what), what);
	return 0;
}

/* Probes found in one file, by family (its bit's index). */
struct found {
	int n[4];
};

/* The USDT probes of families (gc, exceptions) in file f, counted in *fd. */
static int plan_usdt_in(struct attach_ctx *c, struct image_file *f, uint32_t families, struct found *fd)
{
	struct og_usdt_note *notes = NULL;
	size_t n = 0;
	int r;

	memset(fd, 0, sizeof(*fd));
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
			uint32_t fam = og_event_family(p->kind);
			struct og_usdt_spec spec;
			char what[96];

			if (!(families & fam) || strcmp(notes[i].provider, p->provider) != 0 ||
			    strcmp(notes[i].name, p->name) != 0)
				continue;
			snprintf(what, sizeof(what), "USDT %s:%s", p->provider, p->name);
			if (og_usdt_parse_args(notes[i].args, &spec) < 0) {
				NOTE(c, "%s in %s: %s: skipped", what, f->path, og_errmsg());
				continue;
			}
			r = plan_add(c, f, notes[i].offset, notes[i].sem_offset, PROG_USDT, p->kind, &spec, what);
			if (r < 0) {
				free(notes);
				return r;
			}
			fd->n[__builtin_ctz(fam)]++;
		}
	}
	free(notes);
	return 0;
}

/* The function probes of group func_probes[g..end) in file f, its symbols
 * looked up in one pass; returns how many were found. */
static int plan_funcs_in(struct attach_ctx *c, struct image_file *f, size_t g, size_t end)
{
	const char *names[MAX_GROUP] = {};
	uint64_t offs[MAX_GROUP];
	int r, found = 0;

	if (end - g > MAX_GROUP)
		return og_err(E2BIG, "%zu probes for %s: at most %d per library", end - g, f->path, MAX_GROUP);
	for (size_t i = g; i < end; i++)
		names[i - g] = func_probes[i].symbol;
	if (og_elf_symbol_offsets(f->fd, f->path, names, end - g, offs) < 0) {
		NOTE(c, "%s: no probes there", og_errmsg());
		return 0;
	}
	for (size_t i = g; i < end; i++) {
		const struct func_probe *p = &func_probes[i];
		uint64_t off = offs[i - g];

		if (!off)
			continue;
		r = plan_add(c, f, off, 0, PROG_UPROBE, p->kind, NULL, p->symbol);
		if (r == 0 && (og_event_flags(p->kind) & OG_EK_RETURNS))
			r = plan_add(c, f, off, 0, PROG_URETPROBE, p->kind, NULL, p->symbol);
		if (r < 0)
			return r;
		found++;
	}
	return found;
}

/* A line for a file that got probes of family fam. */
static void found_in(struct attach_ctx *c, uint32_t fam, const struct image_file *f, int n, const char *how)
{
	if (n <= 0)
		return;
	c->found |= fam;
	report(c, "%s: %s (%d probe%s, %s)", family_name(fam), f->path, n, n == 1 ? "" : "s", how);
}

/* USDT probes of file f for families, reported by family. */
static int usdt_from(struct attach_ctx *c, struct image_file *f, uint32_t families, const char *how)
{
	struct found fd;
	int r = plan_usdt_in(c, f, families, &fd);

	if (r < 0)
		return r;
	found_in(c, OG_FAM_GC, f, fd.n[__builtin_ctz(OG_FAM_GC)], how);
	found_in(c, OG_FAM_EXCEPTIONS, f, fd.n[__builtin_ctz(OG_FAM_EXCEPTIONS)], how);
	return 0;
}

/* Programs the container may run, whatever its first program is. */
struct candidates {
	struct image_file *prog[24];
	const char *how[24];
	size_t n;
};

static void candidate(struct candidates *cs, struct image_file *f, const char *how)
{
	if (!f || cs->n == sizeof(cs->prog) / sizeof(cs->prog[0]))
		return;
	for (size_t i = 0; i < cs->n; i++)
		if (cs->prog[i] == f)
			return;
	cs->prog[cs->n] = f;
	cs->how[cs->n++] = how;
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static bool is_python(const char *name)
{
	const char *b = base_name(name);

	return strncmp(b, "python", 6) == 0 && strspn(b + 6, "0123456789.") == strlen(b + 6);
}

/* The program, its "#!" interpreter (through env too), and the explicit
 * targets. */
static void find_programs(struct attach_ctx *c, struct candidates *cs)
{
	struct image_file *main_file = c->o->arg0 ? find_program(c, c->o->arg0) : NULL;

	candidate(cs, main_file, "the container's program");
	if (main_file && !main_file->info_ok) {
		char interp[256], arg[256];
		struct image_file *f = NULL;

		if (og_script_interpreter(main_file->fd, interp, sizeof(interp), arg, sizeof(arg)) == 0) {
			f = find_program(c, interp);
			if (strcmp(base_name(interp), "env") == 0 && arg[0] && !strchr(arg, ' '))
				f = find_program(c, arg);
			candidate(cs, f, "the #! interpreter of the container's program");
		}
	}
	for (const char *p = c->o->paths; p && *p;) {
		size_t n = strcspn(p, ",");
		char path[4096];
		int fd;

		if (n && n < sizeof(path)) {
			memcpy(path, p, n);
			path[n] = '\0';
			if (path[0] != '/')
				report(c, "uprobe-paths: %s: not an absolute path: skipped", path);
			else if (!expired(c, path) && og_image_open_file(&c->im, path, OG_IMAGE_ELF_MAX, &fd) == 0)
				candidate(cs, add_file(c, path, fd), "uprobe-paths");
			else if (!c->deadline_noted)
				report(c, "uprobe-paths: %s: not a regular file in %s: skipped", path, c->im.view);
		}
		p += n;
		if (*p == ',')
			p++;
	}
}

/* Python and Java runtimes along PATH and JAVA_HOME, for gc. */
static void find_runtimes(struct attach_ctx *c, struct candidates *cs)
{
	static const char *const names[] = {"python3",	  "python",	"python3.14", "python3.13", "python3.12",
					    "python3.11", "python3.10", "python3.9",  "python3.8",  "java"};
	char path[4096];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		candidate(cs, find_program(c, names[i]), "along PATH");
	if (c->o->java_home && c->o->java_home[0] == '/' &&
	    og_path(path, sizeof(path), "%s/bin/java", c->o->java_home) == 0)
		candidate(cs, find_program(c, path), "JAVA_HOME");
}

/* libjvm.so next to a java program: bin/java -> ../lib/server/libjvm.so,
 * from the real location of java in the image (after its symlinks). */
static struct image_file *libjvm_of(struct attach_ctx *c, struct image_file *java)
{
	char real[4096], jvm[4096];
	char *slash;
	int fd;

	if (og_image_path_of(&c->im, java->fd, real, sizeof(real)) < 0)
		og_strfield(real, sizeof(real), java->path);
	/* .../bin/java -> .../lib/server/libjvm.so */
	slash = strrchr(real, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	slash = strrchr(real, '/');
	if (!slash || strcmp(slash, "/bin") != 0)
		return NULL;
	*slash = '\0';
	if (og_path(jvm, sizeof(jvm), "%s/lib/server/libjvm.so", real) < 0 || expired(c, jvm) ||
	    og_image_open_file(&c->im, jvm, OG_IMAGE_ELF_MAX, &fd) < 0)
		return NULL;
	return add_file(c, jvm, fd);
}

static int plan_all(struct attach_ctx *c)
{
	const uint32_t fams = c->o->families;
	struct candidates cs = {};
	struct image_file *f;
	int r;

	report(c, "image: %s", c->im.view);
	find_programs(c, &cs);
	if (fams & OG_FAM_GC)
		find_runtimes(c, &cs);

	/* Function probes: the libraries every program of the image loads
	 * (found by name, so later programs and dlopen() are covered: the
	 * probe is on the file), and static programs' own copies. */
	for (size_t g = 0, end; g < N_FUNC_PROBES; g = end) {
		const struct func_probe *p = &func_probes[g];
		uint32_t fam = og_event_family(p->kind);

		for (end = g + 1; end < N_FUNC_PROBES && func_probes[end].libs == p->libs; end++)
			;
		if (!(fams & fam))
			continue;
		for (size_t i = 0; i < cs.n; i++) {
			struct image_file *pf = cs.prog[i];

			if (pf->info_ok && (pf->info.is_static || strcmp(cs.how[i], "uprobe-paths") == 0)) {
				if (pf->info.is_static && !pf->info.has_symtab && fam == OG_FAM_MALLOC) {
					report(c, "%s: %s is static and stripped: no symbols to probe",
					       family_name(fam), pf->path);
					continue;
				}
				r = plan_funcs_in(c, pf, g, end);
				if (r < 0)
					return r;
				found_in(c, fam, pf, r, cs.how[i]);
			}
		}
		f = NULL;
		for (const char *const *lib = p->libs; *lib && !f; lib++)
			f = find_library(c, *lib);
		if (f) {
			r = plan_funcs_in(c, f, g, end);
			if (r < 0)
				return r;
			found_in(c, fam, f, r, "library");
		}
	}

	/* USDT: runtimes and their libraries, libstdc++, explicit targets. */
	if (fams & (OG_FAM_GC | OG_FAM_EXCEPTIONS)) {
		for (size_t i = 0; i < cs.n; i++) {
			struct image_file *pf = cs.prog[i];
			bool py = is_python(pf->path), java = strcmp(base_name(pf->path), "java") == 0;
			bool explicit = strcmp(cs.how[i], "uprobe-paths") == 0;

			/* A program's own notes: a runtime's gc probes, a static
			 * C++ program's throw probes. */
			if ((r = usdt_from(c, pf, fams, cs.how[i])) < 0)
				return r;
			/* Python's probes may be in libpython (DT_NEEDED). */
			for (size_t k = 0; pf->info_ok && k < pf->info.n_needed && (py || explicit); k++) {
				struct image_file *lib = find_library(c, pf->info.needed[k]);

				if (lib && (r = usdt_from(c, lib, fams, "a library the program needs")) < 0)
					return r;
			}
			if (java && (fams & OG_FAM_GC) && (f = libjvm_of(c, pf)) &&
			    (r = usdt_from(c, f, fams, "libjvm.so of java")) < 0)
				return r;
		}
		if ((fams & OG_FAM_EXCEPTIONS) && (f = find_library(c, "libstdc++.so.6")) &&
		    (r = usdt_from(c, f, fams & OG_FAM_EXCEPTIONS, "library")) < 0)
			return r;
	}

	/* Why a family found nothing: what was looked for, and where. */
	for (uint32_t fam = 1; fam & OG_FAM_ALL; fam <<= 1) {
		const char *why;

		if (!(fams & fam) || (c->found & fam))
			continue;
		switch (fam) {
		case OG_FAM_MALLOC:
			why = "no libc (libc.so.6, musl) in the image's ld.so.cache or library directories, and no "
			      "static program with symbols";
			break;
		case OG_FAM_SSL:
			why = "no libssl.so.3 nor libgnutls.so.30 in the image's ld.so.cache or library "
			      "directories";
			break;
		case OG_FAM_GC: why = "no python3, python, python3.N or java with gc probes along PATH"; break;
		default: why = "no libstdc++.so.6 with throw/rethrow probes in the image"; break;
		}
		report(c, "%s: nothing: %s (PATH %s%s%s)", family_name(fam), why,
		       c->o->path_env ? c->o->path_env : "default", c->o->java_home ? ", JAVA_HOME " : "",
		       c->o->java_home ? c->o->java_home : "");
	}
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
	c->new_specs++;
	return 0;
}

static int attach_planned(struct attach_ctx *c)
{
	int skipped = 0;

	for (size_t i = 0; i < c->nprobes; i++) {
		struct probe_plan *p = &c->probes[i];
		uint32_t idx = 0;
		int r;

		if (p->prog == PROG_USDT && (r = spec_index(c, &p->spec, &idx)) < 0) {
			if (r != -EDQUOT && r != -ENOSPC)
				return r;
			if (!skipped++)
				report(c, "skipped: %s in %s and later USDT probes: %s", p->what, p->f->path,
				       og_errmsg());
			continue;
		}
		r = take_ref(c, p->f, p->offset, p->ref_ctr, p->prog, OG_COOKIE(p->kind, idx), p->what);
		if (r < 0)
			return r;
	}
	return 0;
}

int og_uprobes_attach(const char *root, const char *id, const struct og_uprobe_target_opts *o, int *attached)
{
	struct attach_ctx c = {.root = root, .id = id, .o = o, .prog_fd = {-1, -1, -1}, .specs_fd = -1};
	cleanup_close int lock = -1;
	char path[4096];
	int r;

	*attached = 0;
	if (o->report && o->report_size)
		o->report[0] = '\0';
	c.report = o->report;
	c.im.root_fd = -1;
	if (!o->families)
		return 0;
	if (!o->rootfs)
		return og_err(EINVAL, "container '%s': no rootfs in config.json", id);
	/* Discovery and ELF parsing without the pin root lock: an image that
	 * is slow to read delays only its own container. */
	r = og_image_open(&c.im, o->rootfs, o->pid, o->deadline_ms);
	if (r == 0)
		r = plan_all(&c);
	if (r < 0)
		goto out;
	r = og_pin_root_lock(root, &lock);
	if (r < 0)
		goto out;
	for (int i = 0; i < 3; i++) {
		if (og_path(path, sizeof(path), "%s/progs/%s", root, prog_names[i]) < 0) {
			r = -ENAMETOOLONG;
			goto out;
		}
		c.prog_fd[i] = bpf_obj_get(path);
		if (c.prog_fd[i] < 0) {
			r = og_err(errno, "open %s (a tracer from before uprobes? gadget-tracer reload)", path);
			goto out;
		}
	}
	r = og_tracer_map_open(root, "usdt_specs", &c.specs_fd);
	if (r == 0)
		r = attach_planned(&c);
	*attached = c.attached;
out:
	for (int i = 0; i < 3; i++)
		if (c.prog_fd[i] >= 0)
			close(c.prog_fd[i]);
	if (c.specs_fd >= 0)
		close(c.specs_fd);
	for (size_t i = 0; i < c.nfiles; i++)
		close(c.files[i].fd);
	free(c.probes);
	og_image_close(&c.im);
	if (r < 0 && lock >= 0) {
		int saved = r;
		char msg[1024];
		int d;

		og_strfield(msg, sizeof(msg), og_errmsg());
		close(lock); /* detach takes it again */
		lock = -1;
		og_uprobes_detach(root, id, 0, &d); /* nothing half-attached stays */
		return og_err(-saved, "%s", msg);
	}
	return r;
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
	int r;

	r = each_key(root, mark_spec, used);
	if (r < 0)
		return r;
	r = og_tracer_map_open(root, "usdt_specs", &fd);
	if (r < 0)
		return r;
	for (uint32_t i = 0; i < OG_USDT_SPECS; i++) {
		if (used[i] || bpf_map_lookup_elem(fd, &i, &cur) < 0 || !cur.used)
			continue;
		if (bpf_map_update_elem(fd, &i, &none, BPF_ANY) < 0)
			return og_err(errno, "free usdt_specs[%u]", i);
	}
	return 0;
}

int og_uprobes_detach(const char *root, const char *id, uint32_t linger_s, int *detached)
{
	struct detach_arg a = {.id = id, .linger_s = linger_s, .now_s = og_realtime_ns() / 1000000000ULL};
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
	if (r == 0 && a.usdt_gone)
		r = free_unused_specs(root);
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
	cleanup_close int lock = -1;
	int r;

	*reaped = *left = 0;
	*next_s = UINT64_MAX;
	if (!og_pin_exists(root))
		return 0;
	r = og_pin_root_lock(root, &lock);
	if (r < 0)
		return r;
	r = each_key(root, reap_one, &a);
	if (r == 0 && a.usdt_gone)
		r = free_unused_specs(root);
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

	f[0] = (struct og_feature){.name = "uprobes", .used = true};
	f[0].supported = stat("/sys/bus/event_source/devices/uprobe/type", &sb) == 0;
	og_strfield(f[0].reason, sizeof(f[0].reason),
		    f[0].supported
			    ? "malloc, ssl: perf_event uprobe links"
			    : "no uprobe PMU (/sys/bus/event_source/devices/uprobe): CONFIG_UPROBE_EVENTS is off");
	f[1] = (struct og_feature){.name = "usdt-semaphores", .used = true};
	f[1].supported = stat("/sys/bus/event_source/devices/uprobe/format/ref_ctr_offset", &sb) == 0;
	og_strfield(f[1].reason, sizeof(f[1].reason),
		    f[1].supported ? "gc, exceptions: the kernel counts USDT semaphores (Python's gc probes need it)"
				   : "the uprobe PMU has no ref_ctr_offset: probes behind a semaphore never fire");
	f[2] = (struct og_feature){.name = "kprobes"};
	f[2].supported = stat("/sys/bus/event_source/devices/kprobe/type", &sb) == 0;
	og_strfield(f[2].reason, sizeof(f[2].reason),
		    f[2].supported ? "available; oci-gadget does not need it"
				   : "no kprobe PMU here; oci-gadget does not need it (a kernel stack inside a syscall "
				     "would)");
	f[3] = (struct og_feature){.name = "lsm"};
	f[3].supported = file_has("/sys/kernel/security/lsm", "bpf");
	og_strfield(f[3].reason, sizeof(f[3].reason),
		    f[3].supported ? "available; oci-gadget does not need it"
				   : "BPF LSM is not enabled here (lsm=...,bpf); oci-gadget does not need it");
}
