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
#include "og_probe_report.h"
#include "og_resolve.h"
#include "og_util.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

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

void og_uprobe_report(const struct og_uprobe_target_opts *o, const struct og_probe_entry *e, const char *text)
{
	char line[OG_PROBES_TEXT];

	if (o->note) {
		og_probe_line(e, text, line, sizeof(line));
		o->note(o->note_ctx, "%s", line);
	}
	if (o->report)
		og_probe_report_add(o->report, e, text); /* a full report keeps its first entries */
}

void og_uprobe_report_note(const struct og_uprobe_target_opts *o, const char *fmt, ...)
{
	struct og_probe_entry e = {.type = OG_PROBE_NOTE};
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	og_uprobe_report(o, &e, line);
}

/* Past the deadline: said once, with what was about to be looked at. */
static bool expired(struct planner *c, const char *next)
{
	if (!og_image_expired(&c->im))
		return false;
	if (!c->deadline_noted)
		og_uprobe_report_note(
			c->o, "skipped: the discovery deadline (%llu ms) passed before %s; what was found is kept",
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
	int n[32];
};

/* The kinds' USDT probes of families in file f, counted in *fd. */
static int plan_usdt_in(struct planner *c, struct og_plan_file *f, uint32_t families, struct found *fd)
{
	struct og_usdt_note *notes = NULL;
	size_t n = 0;
	int r;

	if (f->usdt_done)
		return 0; /* reached twice: a DT_NEEDED library and by name */
	f->usdt_done = true;
	r = og_elf_usdt_notes(f->fd, f->path, &notes, &n);
	if (r < 0) {
		NOTE(c, "%s", og_errmsg());
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		for (uint32_t kind = 1; kind < OG_EV_MAX; kind++) {
			const struct og_event_kind_info *k = og_event_kind(kind);

			for (int u = 0; k && (families & k->family) && u < OG_EVENT_MAX_USDT && k->usdt[u].provider;
			     u++) {
				const struct og_usdt_name *p = &k->usdt[u];
				struct og_usdt_spec spec;
				char what[96];

				if (strcmp(notes[i].provider, p->provider) != 0 || strcmp(notes[i].name, p->name) != 0)
					continue;
				snprintf(what, sizeof(what), "USDT %s:%s", p->provider, p->name);
				if (og_usdt_parse_args(notes[i].args, &spec) < 0) {
					NOTE(c, "%s in %s: %s: skipped", what, f->path, og_errmsg());
					continue;
				}
				r = plan_add(c, f, notes[i].offset, notes[i].sem_offset, OG_PROG_USDT, kind, &spec,
					     what);
				if (r < 0) {
					free(notes);
					return r;
				}
				fd->n[__builtin_ctz(k->family)]++;
			}
		}
	}
	free(notes);
	return 0;
}

/* The function kinds group[0..n) in file f, their symbols looked up in
 * one pass, counted in *fd. */
static int plan_funcs_in(struct planner *c, struct og_plan_file *f, const uint32_t *group, size_t n, struct found *fd)
{
	const char *names[OG_EV_MAX] = {};
	uint64_t offs[OG_EV_MAX];
	int r;

	for (size_t i = 0; i < n; i++)
		names[i] = og_event_kind(group[i])->symbol;
	if (og_elf_symbol_offsets(f->fd, f->path, names, n, offs) < 0) {
		NOTE(c, "%s: no probes there", og_errmsg());
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct og_event_kind_info *k = og_event_kind(group[i]);

		if (!offs[i])
			continue;
		r = plan_add(c, f, offs[i], 0, OG_PROG_UPROBE, group[i], NULL, k->symbol);
		if (r == 0 && (k->flags & OG_EK_RETURNS))
			r = plan_add(c, f, offs[i], 0, OG_PROG_URETPROBE, group[i], NULL, k->symbol);
		if (r < 0)
			return r;
		fd->n[__builtin_ctz(k->family)]++;
	}
	return 0;
}

/* A line for each family that got probes in file f. */
static void found_in(struct planner *c, const struct found *fd, const struct og_plan_file *f, enum og_probe_how how)
{
	for (int b = 0; b < 32; b++) {
		int n = fd->n[b];

		if (n <= 0)
			continue;
		c->p->found |= 1u << b;
		og_uprobe_report(
			c->o,
			&(struct og_probe_entry){.type = OG_PROBE_FOUND, .how = how, .family = 1u << b, .count = n},
			f->path);
	}
}

/* USDT probes of file f for families, reported by family. */
static int usdt_from(struct planner *c, struct og_plan_file *f, uint32_t families, enum og_probe_how how)
{
	struct found fd = {};
	int r = plan_usdt_in(c, f, families, &fd);

	if (r < 0)
		return r;
	found_in(c, &fd, f, how);
	return 0;
}

/* A library of group lib: its first soname the image has. */
static struct og_plan_file *find_lib_group(struct planner *c, enum og_lib lib)
{
	struct og_plan_file *f = NULL;

	for (const char *const *so = og_lib(lib)->sonames; *so && !f; so++)
		f = find_library(c, *so);
	return f;
}

/* The kinds of families placed as function probes in library lib (their
 * families in *fams) or, usdt, as USDT probes found in it. */
static size_t kinds_of_lib(enum og_lib lib, bool usdt, uint32_t families, uint32_t *group, uint32_t *fams)
{
	size_t n = 0;

	*fams = 0;
	for (uint32_t kind = 1; kind < OG_EV_MAX; kind++) {
		const struct og_event_kind_info *k = og_event_kind(kind);

		if (k && k->lib == lib && (families & k->family) &&
		    (usdt ? k->usdt[0].provider != NULL : k->symbol != NULL)) {
			group[n++] = kind;
			*fams |= k->family;
		}
	}
	return n;
}

/* Programs the container may run, whatever its first program is. */
struct candidates {
	struct og_plan_file *prog[24];
	enum og_probe_how how[24];
	size_t n;
};

static void candidate(struct candidates *cs, struct og_plan_file *f, enum og_probe_how how)
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

	candidate(cs, main_file, OG_HOW_PROGRAM);
	if (main_file && !main_file->info_ok) {
		char interp[256], arg[256];
		struct og_plan_file *f = NULL;

		if (og_script_interpreter(main_file->fd, interp, sizeof(interp), arg, sizeof(arg)) == 0) {
			f = find_program(c, interp);
			if (strcmp(base_name(interp), "env") == 0 && arg[0] && !strchr(arg, ' '))
				f = find_program(c, arg);
			candidate(cs, f, OG_HOW_INTERPRETER);
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
				og_uprobe_report_note(c->o, "uprobe-paths: %s: not an absolute path: skipped", path);
			else if (!expired(c, path) && og_image_open_file(&c->im, path, OG_IMAGE_ELF_MAX, &fd) == 0)
				candidate(cs, add_file(c, path, fd), OG_HOW_PATHS);
			else if (!c->deadline_noted)
				og_uprobe_report_note(c->o, "uprobe-paths: %s: not a regular file in %s: skipped", path,
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
		candidate(cs, find_program(c, names[i]), OG_HOW_ALONG_PATH);
	if (c->o->java_home && c->o->java_home[0] == '/' &&
	    og_path(path, sizeof(path), "%s/bin/java", c->o->java_home) == 0)
		candidate(cs, find_program(c, path), OG_HOW_JAVA_HOME);
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

/* The function probes of library group lib: in the programs that carry
 * their own copy (static ones) or were named (uprobe-paths), and in the
 * library the image's programs load (found by name, so later programs and
 * dlopen() are covered: the probe is on the file). */
static int plan_lib_funcs(struct planner *c, const struct candidates *cs, enum og_lib lib)
{
	uint32_t group[OG_EV_MAX], fams;
	size_t n = kinds_of_lib(lib, false, c->o->families, group, &fams);
	struct og_plan_file *f;
	int r;

	if (!n)
		return 0;
	for (size_t i = 0; i < cs->n; i++) {
		struct og_plan_file *pf = cs->prog[i];
		struct found fd = {};

		if (!pf->info_ok || (!pf->info.is_static && cs->how[i] != OG_HOW_PATHS))
			continue;
		if (pf->info.is_static && !pf->info.has_symtab && og_lib(lib)->static_copies) {
			og_uprobe_report_note(c->o, "%s: %s is static and stripped: no symbols to probe",
					      family_name(fams), pf->path);
			continue;
		}
		r = plan_funcs_in(c, pf, group, n, &fd);
		if (r < 0)
			return r;
		found_in(c, &fd, pf, cs->how[i]);
	}
	f = find_lib_group(c, lib);
	if (f) {
		struct found fd = {};

		r = plan_funcs_in(c, f, group, n, &fd);
		if (r < 0)
			return r;
		found_in(c, &fd, f, OG_HOW_LIBRARY);
	}
	return 0;
}

/* USDT probes: the programs' own notes (a runtime's gc probes, a static
 * C++ program's throw probes), the libraries of runtimes, the libraries
 * kinds name (libstdc++). */
static int plan_usdt(struct planner *c, const struct candidates *cs, uint32_t runtimes)
{
	const uint32_t fams = c->o->families;
	struct og_plan_file *f;
	int r;

	for (size_t i = 0; i < cs->n; i++) {
		struct og_plan_file *pf = cs->prog[i];
		bool py = is_python(pf->path), java = strcmp(base_name(pf->path), "java") == 0;
		bool explicit = cs->how[i] == OG_HOW_PATHS;

		if ((r = usdt_from(c, pf, fams, cs->how[i])) < 0)
			return r;
		/* Python's probes may be in libpython (DT_NEEDED). */
		for (size_t k = 0; pf->info_ok && k < pf->info.n_needed && (py || explicit); k++) {
			struct og_plan_file *lib = find_library(c, pf->info.needed[k]);

			if (lib && (r = usdt_from(c, lib, fams, OG_HOW_NEEDED)) < 0)
				return r;
		}
		if (java && (fams & runtimes) && (f = libjvm_of(c, pf)) &&
		    (r = usdt_from(c, f, fams, OG_HOW_LIBJVM)) < 0)
			return r;
	}
	for (enum og_lib lib = OG_LIB_NONE + 1; lib < OG_LIBS; lib++) {
		uint32_t group[OG_EV_MAX], lib_fams;

		if (kinds_of_lib(lib, true, fams, group, &lib_fams) && (f = find_lib_group(c, lib)) &&
		    (r = usdt_from(c, f, lib_fams, OG_HOW_LIBRARY)) < 0)
			return r;
	}
	return 0;
}

static int plan_all(struct planner *c)
{
	const uint32_t fams = c->o->families, usdt = og_families_probed(true);
	uint32_t runtimes = 0;
	struct candidates cs = {};
	int r;

	for (uint32_t fam = 1; fam & OG_FAM_ALL; fam <<= 1)
		if (og_family(fam) && og_family(fam)->runtimes)
			runtimes |= fam;

	og_uprobe_report_note(c->o, "image: %s", c->im.view);
	find_programs(c, &cs);
	if (fams & runtimes)
		find_runtimes(c, &cs);
	for (enum og_lib lib = OG_LIB_NONE + 1; lib < OG_LIBS; lib++)
		if ((r = plan_lib_funcs(c, &cs, lib)) < 0)
			return r;
	if ((fams & usdt) && (r = plan_usdt(c, &cs, runtimes)) < 0)
		return r;

	/* Why a family found nothing: what was looked for, and where. */
	for (uint32_t fam = 1; fam & OG_FAM_ALL; fam <<= 1) {
		if (!(fams & fam) || (c->p->found & fam) || !og_family(fam))
			continue;
		char why[1024];

		snprintf(why, sizeof(why), "%s (PATH %s%s%s)", og_family(fam)->nothing,
			 c->o->path_env ? c->o->path_env : "default", c->o->java_home ? ", JAVA_HOME " : "",
			 c->o->java_home ? c->o->java_home : "");
		og_uprobe_report(c->o, &(struct og_probe_entry){.type = OG_PROBE_NOTHING, .family = fam}, why);
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
