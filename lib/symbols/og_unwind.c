// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unwinding a crash snapshot with libdw, the way perf --call-graph dwarf
 * does: the files are reported to a Dwfl at their load bias, libdw asks our
 * callbacks for the registers and for memory, which only the stack copy
 * answers, and walks the frames with CFI (or frame pointers where there is
 * none). libdw never looks for separate debug files: they would be the
 * host's, found by an untrusted file's build-id.
 */
#include "config.h"
#include "og_unwind.h"
#include "og_elf.h"
#include "og_util.h"

#include <elf.h>
#include <errno.h>
#include <elfutils/libdwfl.h>
#include <inttypes.h>
#include <string.h>

#define UNWIND_TID 1		  /* the one thread libdw is told about */
#define UNWIND_READS_PER_FRAME 64 /* memory reads a step may take */
#define USER32_CS 0x23		  /* the code segment of an i386 process */

/* x86-64 DWARF register numbers (rax 0, rdx 1, rcx 2, rbx 3, rsi 4, rdi
 * 5, rbp 6, rsp 7, r8..r15 8..15, rip 16) to pt_regs words. */
static const uint8_t dwarf_to_ptregs[] = {
	OG_UNWIND_RAX, OG_UNWIND_RDX, OG_UNWIND_RCX, OG_UNWIND_RBX, OG_UNWIND_RSI, OG_UNWIND_RDI,
	OG_UNWIND_RBP, OG_UNWIND_RSP, OG_UNWIND_R8,  OG_UNWIND_R9,  OG_UNWIND_R10, OG_UNWIND_R11,
	OG_UNWIND_R12, OG_UNWIND_R13, OG_UNWIND_R14, OG_UNWIND_R15, OG_UNWIND_RIP,
};
#define DWARF_RSP 7

/* What became of one input mapping. */
struct unwind_map {
	Dwfl_Module *mod; /* NULL: its file could not be used */
	uint64_t bias;
	bool alive;	   /* still libdw's after reporting */
	bool told;	   /* its problem is in why already */
	char problem[200]; /* why its file could not be used */
};

struct unwind {
	const struct og_unwind_input *in;
	size_t nmaps; /* of in->maps, at most OG_UNWIND_MAPS_MAX */
	uint64_t stack_len;
	Dwfl *dwfl;
	struct unwind_map *maps;
	struct og_frame *frames;
	size_t max, n;
	bool thread_given;
	/* Memory reads: counted against a budget; the last one refused, and
	 * in which step (step k looks for the caller of frame k). */
	unsigned reads, reads_max;
	size_t step;
	bool read_refused;
	size_t refused_step;
	uint64_t refused_addr;
	/* The last frame recorded: where its caller was looked for. */
	uint64_t last_lookup, last_sp;
	bool last_has_cfi, last_outermost, last_sp_known;
	char stop[256]; /* why the frame callback stopped the walk */
};

const char *og_frame_how_name(enum og_frame_how how)
{
	switch (how) {
	case OG_FRAME_REGS: return "regs";
	case OG_FRAME_CFI: return "cfi";
	case OG_FRAME_FP: return "fp";
	}
	return "?";
}

/* The input mapping holding addr, or -1. */
static ssize_t map_of(const struct unwind *u, uint64_t addr)
{
	for (size_t i = 0; i < u->nmaps; i++) {
		if (addr >= u->in->maps[i].start && addr < u->in->maps[i].end)
			return (ssize_t)i;
	}
	return -1;
}

/* A mapping's path as one line (it comes from the process). */
static void map_path(const struct unwind *u, size_t i, char *buf, size_t size)
{
	og_escape_line(buf, size, u->in->maps[i].path ? u->in->maps[i].path : "?");
}

/* Why libdw had to guess past pc: "no CFI for pc 0x... in /path", or "pc
 * 0x... is in no mapping". */
static void no_cfi_at(const struct unwind *u, uint64_t pc, char *buf, size_t size)
{
	ssize_t i = map_of(u, pc);
	char path[128];

	if (i < 0) {
		snprintf(buf, size, "pc 0x%" PRIx64 " is in no mapping", pc);
		return;
	}
	map_path(u, (size_t)i, path, sizeof(path));
	snprintf(buf, size, "no CFI for pc 0x%" PRIx64 " in %s", pc, path);
}

/* A frame's name: symbol+offset (file), file+address, or the bare pc.
 * lookup is the address inside the call (pc - 1 in a caller). */
static void frame_text(const struct unwind *u, uint64_t pc, uint64_t lookup, char *text, size_t size)
{
	ssize_t i = map_of(u, lookup);
	const struct og_unwind_map *m;
	const char *sym = NULL;
	char path[128], name[112];
	GElf_Off off = 0;
	GElf_Sym s;

	if (i < 0) {
		snprintf(text, size, "0x%" PRIx64, pc);
		return;
	}
	m = &u->in->maps[i];
	map_path(u, (size_t)i, path, sizeof(path));
	if (!u->maps || !u->maps[i].mod) {
		snprintf(text, size, "%s (file offset 0x%" PRIx64 ")", path, pc - m->start + m->pgoff);
		return;
	}
	sym = dwfl_module_addrinfo(u->maps[i].mod, lookup, &off, &s, NULL, NULL, NULL);
	if (sym) {
		og_escape_line(name, sizeof(name), sym);
		snprintf(text, size, "%s+0x%" PRIx64 " (%s)", name, (uint64_t)off + (pc - lookup), path);
	} else {
		snprintf(text, size, "%s+0x%" PRIx64, path, pc - u->maps[i].bias);
	}
}

/* Whether the module holding pc has CFI for it: then libdw unwinds the
 * next frame with it, else it tries the frame pointer. *outermost: the CFI
 * says there is no caller (the return address is undefined, as in _start). */
static bool has_cfi(const struct unwind *u, uint64_t pc, bool *outermost)
{
	Dwfl_Module *mod = dwfl_addrmodule(u->dwfl, pc);
	Dwarf_Op ops_mem[3], *ops;
	Dwarf_Addr bias, start, end;
	Dwarf_Frame *frame;
	Dwarf_CFI *cfi;
	size_t nops;
	bool signal;
	int ra;

	*outermost = false;
	if (!mod)
		return false;
	for (int kind = 0; kind < 2; kind++) {
		cfi = kind == 0 ? dwfl_module_eh_cfi(mod, &bias) : dwfl_module_dwarf_cfi(mod, &bias);
		if (cfi && dwarf_cfi_addrframe(cfi, pc - bias, &frame) == 0) {
			ra = dwarf_frame_info(frame, &start, &end, &signal);
			*outermost = ra >= 0 && dwarf_frame_register(frame, ra, ops_mem, &ops, &nops) == 0 &&
				     nops == 0 && ops == ops_mem;
			free(frame);
			return true;
		}
	}
	return false;
}

static int no_elf(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr base, char **file, Elf **elf)
{
	(void)mod, (void)userdata, (void)name, (void)base, (void)file, (void)elf;
	return -1;
}

static int no_debuginfo(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr base, const char *file,
			const char *debuglink, GElf_Word crc, char **debuginfo_file)
{
	(void)mod, (void)userdata, (void)name, (void)base, (void)file, (void)debuglink, (void)crc;
	(void)debuginfo_file;
	return -1;
}

static const Dwfl_Callbacks dwfl_callbacks = {
	.find_elf = no_elf,
	.find_debuginfo = no_debuginfo,
	.section_address = dwfl_offline_section_address,
};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_arg)
{
	struct unwind *u = arg;

	(void)dwfl;
	if (u->thread_given)
		return 0;
	u->thread_given = true;
	*thread_arg = u;
	return UNWIND_TID;
}

/* Memory is the stack copy, nothing else; reads are bounded in number
 * (CFI expressions may loop). */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct unwind *u = arg;
	uint64_t off = addr - u->in->stack_addr;

	(void)dwfl;
	if (u->reads >= u->reads_max || addr < u->in->stack_addr || u->stack_len < sizeof(*result) ||
	    off > u->stack_len - sizeof(*result)) {
		u->read_refused = true;
		u->refused_step = u->step;
		u->refused_addr = addr;
		return false;
	}
	u->reads++;
	memcpy(result, u->in->stack + off, sizeof(*result));
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct unwind *u = arg;
	Dwarf_Word regs[sizeof(dwarf_to_ptregs)];

	for (size_t i = 0; i < sizeof(dwarf_to_ptregs); i++)
		regs[i] = u->in->regs[dwarf_to_ptregs[i]];
	return dwfl_thread_state_registers(thread, 0, sizeof(dwarf_to_ptregs), regs);
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

/* Called by libdw for each frame, before it unwinds the next one. */
static int frame_cb(Dwfl_Frame *state, void *arg)
{
	struct unwind *u = arg;
	struct og_frame *f = &u->frames[u->n];
	bool activation = false;
	Dwarf_Addr pc;
	Dwarf_Word sp = 0;
	bool sp_known;
	uint64_t lookup;

	/* libdw unwinds this frame from here (dwfl_frame_pc may) until the
	 * next call. */
	u->step = u->n;
	if (!dwfl_frame_pc(state, &pc, &activation)) {
		snprintf(u->stop, sizeof(u->stop), "frame %zu: no pc: libdw: %s", u->n, dwfl_errmsg(-1));
		return DWARF_CB_ABORT;
	}
	f->how = u->n == 0 ? OG_FRAME_REGS : u->last_has_cfi ? OG_FRAME_CFI : OG_FRAME_FP;
	/* A caller's pc is the return address: the call is the byte before. */
	lookup = activation ? pc : pc - 1;
	sp_known = dwfl_frame_reg(state, DWARF_RSP, &sp) == 0;
	/* Each frame is above the previous one, except across a signal
	 * (sigaltstack): a walk going down or in place is looping. */
	if (u->n > 0 && !activation && sp_known && u->last_sp_known && sp <= u->last_sp) {
		snprintf(u->stop, sizeof(u->stop),
			 "frame %zu: the stack pointer did not move up (0x%" PRIx64 " after 0x%" PRIx64
			 "): a corrupted stack",
			 u->n, (uint64_t)sp, u->last_sp);
		return DWARF_CB_ABORT;
	}
	/* A frame pointer walk reads whatever rbp points at: only a return
	 * into a mapped file is taken for one. */
	if (f->how == OG_FRAME_FP && map_of(u, lookup) < 0) {
		char where[200];

		no_cfi_at(u, u->last_lookup, where, sizeof(where));
		snprintf(u->stop, sizeof(u->stop), "%s, and its frame pointer led to 0x%" PRIx64 ", in no mapping",
			 where, (uint64_t)pc);
		return DWARF_CB_ABORT;
	}
	f->pc = pc;
	frame_text(u, pc, lookup, f->text, sizeof(f->text));
	u->n++;
	u->last_lookup = lookup;
	u->last_sp = sp;
	u->last_sp_known = sp_known;
	u->last_has_cfi = has_cfi(u, lookup, &u->last_outermost);
	if (u->n == u->max) {
		/* Unless this was the outermost frame anyway. */
		if (!u->last_has_cfi || !u->last_outermost)
			snprintf(u->stop, sizeof(u->stop), "stopped at %zu frames, the limit", u->max);
		return DWARF_CB_ABORT;
	}
	return DWARF_CB_OK;
}

/* Reports one mapping's file to libdw at its load bias; on failure keeps
 * the reason in m->problem. */
static void report_map(struct unwind *u, size_t i)
{
	const struct og_unwind_map *im = &u->in->maps[i];
	struct unwind_map *m = &u->maps[i];
	const char *path = im->path;
	int fd, r;

	if (!path || !u->in->open_file) {
		snprintf(m->problem, sizeof(m->problem), "mapping 0x%" PRIx64 ": no file to read", im->start);
		return;
	}
	fd = u->in->open_file(u->in->open_arg, path);
	if (fd < 0) {
		og_err(fd, "file %s could not be opened", path);
		og_escape_line(m->problem, sizeof(m->problem), og_errmsg());
		return;
	}
	r = og_elf_load_bias(fd, path, im->start, im->end, im->pgoff, &m->bias);
	if (r < 0) {
		close(fd);
		og_escape_line(m->problem, sizeof(m->problem), og_errmsg());
		return;
	}
	/* One module per file and bias: libdw drops a module reported twice. */
	for (size_t k = 0; k < i; k++) {
		if (u->maps[k].mod && u->maps[k].bias == m->bias && u->in->maps[k].path &&
		    strcmp(u->in->maps[k].path, path) == 0) {
			close(fd);
			m->mod = u->maps[k].mod;
			return;
		}
	}
	/* libdw owns fd once the module is made. */
	m->mod = dwfl_report_elf(u->dwfl, path, path, fd, m->bias, true);
	if (!m->mod) {
		close(fd);
		og_err(EINVAL, "file %s: libdw: %s", path, dwfl_errmsg(-1));
		og_escape_line(m->problem, sizeof(m->problem), og_errmsg());
	}
}

static int collect_module(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start, void *arg)
{
	struct unwind *u = arg;

	(void)userdata, (void)name, (void)start;
	for (size_t i = 0; i < u->nmaps; i++) {
		if (u->maps[i].mod == mod)
			u->maps[i].alive = true;
	}
	return DWARF_CB_OK;
}

struct span {
	uint64_t start, end;
	size_t map;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Marks the mapping holding addr (spans sorted by start). */
static void want(bool *wanted, const struct span *spans, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (spans[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && addr < spans[lo - 1].end)
		wanted[spans[lo - 1].map] = true;
}

/* Only the files a frame can be in are read, which bounds the files opened
 * by what the stack holds, not by how many the process maps: after the
 * first pc (ip) every pc is a word libdw reads from the stack copy, and a
 * caller's frame is named by the byte before it. */
static int mark_wanted(const struct unwind *u, bool *wanted)
{
	cleanup_free struct span *spans = malloc((u->nmaps ? u->nmaps : 1) * sizeof(*spans));
	uint64_t word;

	if (!spans)
		return og_err(ENOMEM, "unwind: %zu mappings", u->nmaps);
	for (size_t i = 0; i < u->nmaps; i++)
		spans[i] = (struct span){u->in->maps[i].start, u->in->maps[i].end, i};
	qsort(spans, u->nmaps, sizeof(*spans), span_cmp);
	want(wanted, spans, u->nmaps, u->in->regs[OG_UNWIND_RIP]);
	for (size_t off = 0; off + sizeof(word) <= u->stack_len; off++) {
		memcpy(&word, u->in->stack + off, sizeof(word));
		want(wanted, spans, u->nmaps, word);
		want(wanted, spans, u->nmaps, word - 1);
	}
	return 0;
}

/* The files a frame may be in, then a check that each module kept is still
 * libdw's (it frees one that overlaps another of the same name). */
static void report_all(struct unwind *u, const bool *wanted)
{
	for (size_t i = 0; i < u->nmaps; i++) {
		if (wanted[i])
			report_map(u, i);
	}
	dwfl_report_end(u->dwfl, NULL, NULL);
	dwfl_getmodules(u->dwfl, collect_module, u, 0);
	for (size_t i = 0; i < u->nmaps; i++) {
		if (u->maps[i].mod && !u->maps[i].alive) {
			u->maps[i].mod = NULL;
			snprintf(u->maps[i].problem, sizeof(u->maps[i].problem),
				 "mapping 0x%" PRIx64 ": overlaps another of the same file", u->in->maps[i].start);
		}
	}
}

/* Appends "; text" to why (or text when why is empty), cut to its size. */
static void why_add(char *why, size_t why_len, const char *text)
{
	size_t len = strnlen(why, why_len);

	if (len + 1 < why_len)
		snprintf(why + len, why_len - len, "%s%s", len ? "; " : "", text);
}

/* Why the walk ended where it did, from libdw's result and what the
 * callbacks saw. Empty when it reached the outermost frame. */
static void explain(struct unwind *u, int rc, char *why, size_t why_len)
{
	bool refused = u->read_refused && u->n && u->refused_step == u->n - 1;
	char text[320];
	ssize_t i;

	if (u->stop[0]) {
		why_add(why, why_len, u->stop);
	} else if (refused && u->reads >= u->reads_max) {
		snprintf(text, sizeof(text), "frame %zu: more than %u memory reads, stopped", u->n, u->reads_max);
		why_add(why, why_len, text);
	} else if (refused && u->last_has_cfi) {
		snprintf(text, sizeof(text),
			 "frame %zu needs memory at 0x%" PRIx64 ", outside the stack copy 0x%" PRIx64 "-0x%" PRIx64,
			 u->n, u->refused_addr, u->in->stack_addr, u->in->stack_addr + u->stack_len);
		why_add(why, why_len, text);
	} else if (u->last_has_cfi && !u->last_outermost) {
		/* libdw ends a walk where it cannot work out the return
		 * address as where the CFI says there is none. */
		char where[200], path[128];

		i = map_of(u, u->last_lookup);
		if (i >= 0)
			map_path(u, (size_t)i, path, sizeof(path));
		snprintf(where, sizeof(where), "the CFI for pc 0x%" PRIx64 " in %s", u->last_lookup,
			 i >= 0 ? path : "?");
		if (rc < 0)
			snprintf(text, sizeof(text), "frame %zu: %s: libdw: %s", u->n, where, dwfl_errmsg(-1));
		else
			snprintf(text, sizeof(text), "frame %zu: %s gives no return address that libdw can work out",
				 u->n, where);
		why_add(why, why_len, text);
	} else if (!u->last_has_cfi && (refused || rc != 0)) {
		/* libdw had no CFI and tried the frame pointer. */
		char where[200];

		no_cfi_at(u, u->last_lookup, where, sizeof(where));
		snprintf(text, sizeof(text), "%s, and %s", where,
			 refused ? "its frame pointer leads outside the stack copy" : "no frame pointer to follow");
		why_add(why, why_len, text);
	}
	/* The files the frames fell in that could not be read. */
	for (size_t k = 0; k < u->n; k++) {
		i = map_of(u, k == 0 ? u->frames[k].pc : u->frames[k].pc - 1);
		if (i >= 0 && u->maps[i].problem[0] && !u->maps[i].told) {
			u->maps[i].told = true;
			why_add(why, why_len, u->maps[i].problem);
		}
	}
}

/* Checks the input and fixes what is looked at of it. */
static int unwind_input(struct unwind *u, const struct og_unwind_input *in)
{
	memset(u, 0, sizeof(*u));
	if (!in)
		return og_err(EINVAL, "unwind: no input or no room for frames");
	if ((!in->stack && in->stack_len) || (!in->maps && in->nmaps))
		return og_err(EINVAL, "unwind: stack or mappings missing");
	u->in = in;
	u->nmaps = in->nmaps < OG_UNWIND_MAPS_MAX ? in->nmaps : OG_UNWIND_MAPS_MAX;
	u->stack_len = in->stack_len < OG_UNWIND_STACK_MAX ? in->stack_len : OG_UNWIND_STACK_MAX;
	if (u->stack_len > UINT64_MAX - in->stack_addr)
		u->stack_len = UINT64_MAX - in->stack_addr;
	return 0;
}

/* The same, and the frames to fill. */
static int unwind_init(struct unwind *u, const struct og_unwind_input *in, struct og_frame *frames, size_t max,
		       size_t *n, char *why, size_t why_len)
{
	int r;

	if (!frames || !n || !why || !why_len || !max)
		return og_err(EINVAL, "unwind: no input or no room for frames");
	r = unwind_input(u, in);
	if (r < 0)
		return r;
	*n = 0;
	why[0] = '\0';
	u->frames = frames;
	u->max = max < OG_UNWIND_FRAMES_MAX ? max : OG_UNWIND_FRAMES_MAX;
	u->reads_max = UNWIND_READS_PER_FRAME * (u->max + 1);
	return 0;
}

/* The first frame alone, named from the mappings without their files. */
static void first_frame(struct unwind *u)
{
	u->frames[0].pc = u->in->regs[OG_UNWIND_RIP];
	u->frames[0].how = OG_FRAME_REGS;
	frame_text(u, u->frames[0].pc, u->frames[0].pc, u->frames[0].text, sizeof(u->frames[0].text));
	u->n = 1;
}

int og_unwind_first_frame(const struct og_unwind_input *in, struct og_frame *frames, size_t max, size_t *n, char *why,
			  size_t why_len)
{
	struct unwind u = {0};
	int r = unwind_init(&u, in, frames, max, n, why, why_len);

	if (r < 0)
		return r;
	first_frame(&u);
	*n = u.n;
	return 0;
}

int og_unwind_wanted(const struct og_unwind_input *in, bool *wanted)
{
	struct unwind u;
	int r = unwind_input(&u, in);

	if (r < 0)
		return r;
	memset(wanted, 0, u.nmaps * sizeof(*wanted));
	return mark_wanted(&u, wanted);
}

static void dwfl_endp(Dwfl **dwfl)
{
	if (*dwfl)
		dwfl_end(*dwfl);
}

static void elf_endp(Elf **elf)
{
	if (*elf)
		elf_end(*elf);
}

int og_unwind(const struct og_unwind_input *in, struct og_frame *frames, size_t max, size_t *n, char *why,
	      size_t why_len)
{
	/* libdw takes the machine from this header, not from the files. */
	Elf64_Ehdr ehdr = {
		.e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT},
		.e_type = ET_CORE,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_ehsize = sizeof(Elf64_Ehdr),
	};
	/* Ended in this order: the Dwfl (its backend refers to machine), then
	 * machine. */
	__attribute__((cleanup(elf_endp))) Elf *machine = NULL;
	__attribute__((cleanup(dwfl_endp))) Dwfl *dwfl = NULL;
	cleanup_free struct unwind_map *maps = NULL;
	cleanup_free bool *wanted = NULL;
	struct unwind u;
	int r, rc;

	r = unwind_init(&u, in, frames, max, n, why, why_len);
	if (r < 0)
		return r;
	if (in->regs[OG_UNWIND_CS] == USER32_CS) {
		first_frame(&u);
		*n = u.n;
		snprintf(why, why_len, "i386 process (cs 0x%x): not unwound", USER32_CS);
		return 0;
	}
	u.maps = maps = calloc(u.nmaps ? u.nmaps : 1, sizeof(*maps));
	wanted = calloc(u.nmaps ? u.nmaps : 1, sizeof(*wanted));
	if (elf_version(EV_CURRENT) == EV_NONE || !maps || !wanted || !(u.dwfl = dwfl = dwfl_begin(&dwfl_callbacks)) ||
	    !(machine = elf_memory((char *)&ehdr, sizeof(ehdr)))) {
		return og_err(ENOMEM, "unwind: libdw: %s", dwfl_errmsg(-1));
	}
	r = mark_wanted(&u, wanted);
	if (r < 0)
		return r;
	report_all(&u, wanted);
	if (!dwfl_attach_state(dwfl, machine, UNWIND_TID, &thread_callbacks, &u))
		return og_err(EINVAL, "unwind: libdw: %s", dwfl_errmsg(-1));
	rc = dwfl_getthread_frames(dwfl, UNWIND_TID, frame_cb, &u);
	if (u.n == 0) {
		/* libdw gave not even the registers' frame: say why, keep the pc. */
		if (!u.stop[0])
			snprintf(u.stop, sizeof(u.stop), "libdw: %s", dwfl_errmsg(-1));
		first_frame(&u);
	}
	explain(&u, rc, why, why_len);
	if (in->nmaps > u.nmaps) {
		char text[64];

		snprintf(text, sizeof(text), "only the first %d mappings were read", OG_UNWIND_MAPS_MAX);
		why_add(why, why_len, text);
	}
	*n = u.n;
	return 0;
}
