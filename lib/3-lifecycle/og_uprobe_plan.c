// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The planner: a container's probes from its image, before it runs.
 * Resolves the files inside the rootfs (og_resolve.c), finds symbols and
 * USDT notes (og_elf.c) and lists one probe per file, offset and program;
 * makes no kernel call (og_uprobe_plan.h).
 */
#include "config.h"
#include "og_uprobe_plan.h"
#include "og_elf.h"
#include "og_events.h"
#include "og_resolve.h"
#include "og_util.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

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

const char *const og_uprobe_prog_names[OG_UPROBE_PROGS] = {"uprobe", "uretprobe", "usdt"};

/* Planning one container's image. */
struct planner {
	const struct og_uprobe_target_opts *o;
	struct og_image im;
	struct og_uprobe_plan *p;
	bool deadline_noted;
};

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

void og_uprobe_report(const struct og_uprobe_target_opts *o, const char *fmt, ...)
{
	char line[1024];
	size_t len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (o->note)
		o->note(o->note_ctx, "%s", line);
	if (!o->report || !o->report_size)
		return;
	len = strnlen(o->report, o->report_size);
	if (len + n + 2 < o->report_size) {
		memcpy(o->report + len, line, n);
		o->report[len + n] = '\n';
		o->report[len + n + 1] = '\0';
	}
}

/* Past the deadline: said once, with what was about to be looked at. */
static bool expired(struct planner *c, const char *next)
{
	if (!og_image_expired(&c->im))
		return false;
	if (!c->deadline_noted)
		og_uprobe_report(c->o,
				 "skipped: the discovery deadline (%llu ms) passed before %s; what was found is kept",
				 (unsigned long long)c->o->deadline_ms, next);
	c->deadline_noted = true;
	return true;
}

/* A file of the image at its real inode; the same file reached twice
 * (python3 -> python3.11, a library named twice) is one. */
static struct og_plan_file *add_file(struct planner *c, const char *path, int fd)
{
	struct og_plan_file *f;
	dev_t dev;
	ino_t ino;
	int rfd, r;

	for (size_t i = 0; i < c->p->nfiles; i++) {
		if (strcmp(c->p->files[i].path, path) == 0) {
			close(fd);
			return &c->p->files[i];
		}
	}
	r = og_real_file(fd, &rfd, &dev, &ino);
	close(fd);
	if (r < 0) {
		NOTE(c, "%s: %s: no probes there", path, og_errmsg());
		return NULL;
	}
	for (size_t i = 0; i < c->p->nfiles; i++) {
		if (c->p->files[i].dev == dev && c->p->files[i].ino == ino) {
			close(rfd);
			return &c->p->files[i];
		}
	}
	if (c->p->nfiles == OG_PLAN_FILES) {
		close(rfd);
		NOTE(c, "%s: more than %d files to probe: skipped", path, OG_PLAN_FILES);
		return NULL;
	}
	f = &c->p->files[c->p->nfiles++];
	memset(f, 0, sizeof(*f));
	og_strfield(f->path, sizeof(f->path), path);
	f->fd = rfd;
	f->dev = dev;
	f->ino = ino;
	f->info_ok = og_elf_info(rfd, path, &f->info) == 0;
	return f;
}

static struct og_plan_file *find_library(struct planner *c, const char *soname)
{
	char path[4096];
	int fd;

	if (expired(c, soname) || og_image_find_library(&c->im, soname, path, sizeof(path), &fd) < 0)
		return NULL;
	return add_file(c, path, fd);
}

static struct og_plan_file *find_program(struct planner *c, const char *name)
{
	char path[4096];
	int fd;

	if (expired(c, name) || og_image_find_program(&c->im, name, c->o->path_env, path, sizeof(path), &fd) < 0)
		return NULL;
	return add_file(c, path, fd);
}

static int plan_add(struct planner *c, struct og_plan_file *f, uint64_t offset, uint64_t ref_ctr,
		    enum og_uprobe_prog prog, uint32_t kind, const struct og_usdt_spec *spec, const char *what)
{
	struct og_plan_probe *p;

	if (c->p->nprobes == c->p->cap) {
		size_t cap = c->p->cap ? c->p->cap * 2 : 64;
		struct og_plan_probe *np = realloc(c->p->probes, cap * sizeof(*np));

		if (!np)
			return og_err(ENOMEM, "probe plan");
		c->p->probes = np;
		c->p->cap = cap;
	}
	p = &c->p->probes[c->p->nprobes++];
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
static int plan_usdt_in(struct planner *c, struct og_plan_file *f, uint32_t families, struct found *fd)
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
			r = plan_add(c, f, notes[i].offset, notes[i].sem_offset, OG_PROG_USDT, p->kind, &spec, what);
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
static int plan_funcs_in(struct planner *c, struct og_plan_file *f, size_t g, size_t end)
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
		r = plan_add(c, f, off, 0, OG_PROG_UPROBE, p->kind, NULL, p->symbol);
		if (r == 0 && (og_event_flags(p->kind) & OG_EK_RETURNS))
			r = plan_add(c, f, off, 0, OG_PROG_URETPROBE, p->kind, NULL, p->symbol);
		if (r < 0)
			return r;
		found++;
	}
	return found;
}

/* A line for a file that got probes of family fam. */
static void found_in(struct planner *c, uint32_t fam, const struct og_plan_file *f, int n, const char *how)
{
	if (n <= 0)
		return;
	c->p->found |= fam;
	og_uprobe_report(c->o, "%s: %s (%d probe%s, %s)", family_name(fam), f->path, n, n == 1 ? "" : "s", how);
}

/* USDT probes of file f for families, reported by family. */
static int usdt_from(struct planner *c, struct og_plan_file *f, uint32_t families, const char *how)
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
	struct og_plan_file *prog[24];
	const char *how[24];
	size_t n;
};

static void candidate(struct candidates *cs, struct og_plan_file *f, const char *how)
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
static void find_programs(struct planner *c, struct candidates *cs)
{
	struct og_plan_file *main_file = c->o->arg0 ? find_program(c, c->o->arg0) : NULL;

	candidate(cs, main_file, "the container's program");
	if (main_file && !main_file->info_ok) {
		char interp[256], arg[256];
		struct og_plan_file *f = NULL;

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
				og_uprobe_report(c->o, "uprobe-paths: %s: not an absolute path: skipped", path);
			else if (!expired(c, path) && og_image_open_file(&c->im, path, OG_IMAGE_ELF_MAX, &fd) == 0)
				candidate(cs, add_file(c, path, fd), "uprobe-paths");
			else if (!c->deadline_noted)
				og_uprobe_report(c->o, "uprobe-paths: %s: not a regular file in %s: skipped", path,
						 c->im.view);
		}
		p += n;
		if (*p == ',')
			p++;
	}
}

/* Python and Java runtimes along PATH and JAVA_HOME, for gc. */
static void find_runtimes(struct planner *c, struct candidates *cs)
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
static struct og_plan_file *libjvm_of(struct planner *c, struct og_plan_file *java)
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

static int plan_all(struct planner *c)
{
	const uint32_t fams = c->o->families;
	struct candidates cs = {};
	struct og_plan_file *f;
	int r;

	og_uprobe_report(c->o, "image: %s", c->im.view);
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
			struct og_plan_file *pf = cs.prog[i];

			if (pf->info_ok && (pf->info.is_static || strcmp(cs.how[i], "uprobe-paths") == 0)) {
				if (pf->info.is_static && !pf->info.has_symtab && fam == OG_FAM_MALLOC) {
					og_uprobe_report(c->o, "%s: %s is static and stripped: no symbols to probe",
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
			struct og_plan_file *pf = cs.prog[i];
			bool py = is_python(pf->path), java = strcmp(base_name(pf->path), "java") == 0;
			bool explicit = strcmp(cs.how[i], "uprobe-paths") == 0;

			/* A program's own notes: a runtime's gc probes, a static
			 * C++ program's throw probes. */
			if ((r = usdt_from(c, pf, fams, cs.how[i])) < 0)
				return r;
			/* Python's probes may be in libpython (DT_NEEDED). */
			for (size_t k = 0; pf->info_ok && k < pf->info.n_needed && (py || explicit); k++) {
				struct og_plan_file *lib = find_library(c, pf->info.needed[k]);

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

		if (!(fams & fam) || (c->p->found & fam))
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
		og_uprobe_report(c->o, "%s: nothing: %s (PATH %s%s%s)", family_name(fam), why,
				 c->o->path_env ? c->o->path_env : "default", c->o->java_home ? ", JAVA_HOME " : "",
				 c->o->java_home ? c->o->java_home : "");
	}
	return 0;
}

int og_uprobe_plan_make(const struct og_uprobe_target_opts *o, struct og_uprobe_plan *plan)
{
	struct planner c = {.o = o, .p = plan};
	int r;

	memset(plan, 0, sizeof(*plan));
	c.im.root_fd = -1;
	r = og_image_open(&c.im, o->rootfs, o->pid, o->deadline_ms);
	if (r == 0)
		r = plan_all(&c);
	og_image_close(&c.im);
	return r;
}

void og_uprobe_plan_free(struct og_uprobe_plan *plan)
{
	for (size_t i = 0; i < plan->nfiles; i++)
		close(plan->files[i].fd);
	free(plan->probes);
	plan->probes = NULL;
	plan->nfiles = plan->nprobes = plan->cap = 0;
}
