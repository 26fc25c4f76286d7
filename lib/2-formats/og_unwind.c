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
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

/* ASan's shadow memory alone is larger than any address space limit. */
#if defined(__SANITIZE_ADDRESS__)
#define OG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OG_ASAN 1
#endif
#endif

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
	bool wanted;	   /* a frame may be in it: its file is read */
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
static void want(struct unwind *u, const struct span *spans, size_t n, uint64_t addr)
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
		u->maps[spans[lo - 1].map].wanted = true;
}

/* Only the files a frame can be in are read, which bounds the files opened
 * by what the stack holds, not by how many the process maps: after the
 * first pc (ip) every pc is a word libdw reads from the stack copy, and a
 * caller's frame is named by the byte before it. */
static int mark_wanted(struct unwind *u)
{
	cleanup_free struct span *spans = malloc((u->nmaps ? u->nmaps : 1) * sizeof(*spans));
	uint64_t word;

	if (!spans)
		return og_err(ENOMEM, "unwind: %zu mappings", u->nmaps);
	for (size_t i = 0; i < u->nmaps; i++)
		spans[i] = (struct span){u->in->maps[i].start, u->in->maps[i].end, i};
	qsort(spans, u->nmaps, sizeof(*spans), span_cmp);
	want(u, spans, u->nmaps, u->in->regs[OG_UNWIND_RIP]);
	for (size_t off = 0; off + sizeof(word) <= u->stack_len; off++) {
		memcpy(&word, u->in->stack + off, sizeof(word));
		want(u, spans, u->nmaps, word);
		want(u, spans, u->nmaps, word - 1);
	}
	return 0;
}

/* The files a frame may be in, then a check that each module kept is still
 * libdw's (it frees one that overlaps another of the same name). */
static void report_all(struct unwind *u)
{
	for (size_t i = 0; i < u->nmaps; i++) {
		if (u->maps[i].wanted)
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
static int unwind_init(struct unwind *u, const struct og_unwind_input *in, struct og_frame *frames, size_t max,
		       size_t *n, char *why, size_t why_len)
{
	if (!in || !frames || !n || !why || !why_len || !max)
		return og_err(EINVAL, "unwind: no input or no room for frames");
	if ((!in->stack && in->stack_len) || (!in->maps && in->nmaps))
		return og_err(EINVAL, "unwind: stack or mappings missing");
	*n = 0;
	why[0] = '\0';
	memset(u, 0, sizeof(*u));
	u->in = in;
	u->frames = frames;
	u->max = max < OG_UNWIND_FRAMES_MAX ? max : OG_UNWIND_FRAMES_MAX;
	u->nmaps = in->nmaps < OG_UNWIND_MAPS_MAX ? in->nmaps : OG_UNWIND_MAPS_MAX;
	u->stack_len = in->stack_len < OG_UNWIND_STACK_MAX ? in->stack_len : OG_UNWIND_STACK_MAX;
	if (u->stack_len > UINT64_MAX - in->stack_addr)
		u->stack_len = UINT64_MAX - in->stack_addr;
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
	if (elf_version(EV_CURRENT) == EV_NONE || !maps || !(u.dwfl = dwfl = dwfl_begin(&dwfl_callbacks)) ||
	    !(machine = elf_memory((char *)&ehdr, sizeof(ehdr)))) {
		return og_err(ENOMEM, "unwind: libdw: %s", dwfl_errmsg(-1));
	}
	r = mark_wanted(&u);
	if (r < 0)
		return r;
	report_all(&u);
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

/* What the isolated child sends back: this, then n frames. */
struct unwind_reply {
	int rc;
	size_t n;
	char why[1024];
};

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		len -= (size_t)w;
	}
	return true;
}

#define NOBODY 65534
#define NOT_OPENED INT_MIN

/* The files the child reads, opened while it still may: og_unwind gets
 * them through open_preopened, in the order it asks for them. */
struct preopened {
	const struct og_unwind_input *in;
	size_t nmaps;
	int *fds; /* per mapping: an fd, -errno, or NOT_OPENED */
};

static int open_preopened(void *arg, const char *path)
{
	struct preopened *p = arg;

	for (size_t i = 0; i < p->nmaps; i++) {
		int fd = p->fds[i];

		if (fd != NOT_OPENED && p->in->maps[i].path && strcmp(p->in->maps[i].path, path) == 0) {
			p->fds[i] = NOT_OPENED;
			return fd;
		}
	}
	return -ENOENT;
}

/* Opens the files of the mappings og_unwind will want (the same walk of
 * the stack words). */
static int preopen(struct unwind *u, struct preopened *p)
{
	int r;

	p->in = u->in;
	p->nmaps = u->nmaps;
	u->maps = calloc(u->nmaps ? u->nmaps : 1, sizeof(*u->maps));
	p->fds = malloc((u->nmaps ? u->nmaps : 1) * sizeof(*p->fds));
	if (!u->maps || !p->fds)
		return og_err(ENOMEM, "unwind: %zu mappings", u->nmaps);
	r = mark_wanted(u);
	if (r < 0)
		return r;
	for (size_t i = 0; i < u->nmaps; i++) {
		const char *path = u->in->maps[i].path;

		p->fds[i] = u->maps[i].wanted && path && u->in->open_file ? u->in->open_file(u->in->open_arg, path)
									  : NOT_OPENED;
	}
	return 0;
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/* Every fd but keep (sorted) closed, stdio on /dev/null: nothing the
 * caller had open is left to a child that a file may take over. */
static void close_all_but(const int *keep, size_t n)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	unsigned next = 3;
	size_t k = 0;

	for (int std = 0; std < 3 && null >= 0; std++) {
		while (k < n && keep[k] < std)
			k++;
		if (k == n || keep[k] != std)
			dup2(null, std);
	}
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < (int)next)
			continue;
		if ((unsigned)keep[i] > next)
			close_range(next, (unsigned)keep[i] - 1, 0);
		next = (unsigned)keep[i] + 1;
	}
	close_range(next, ~0U, 0);
}

/* What unwinding needs: memory, reading the files it has, writing the
 * answer, exiting, raising a signal on itself. Anything else fails with
 * EPERM rather than killing: strerror looking for a translation must not
 * end the unwind. */
static int allow_syscalls(void)
{
	static const int allowed[] = {
		SCMP_SYS(read),		SCMP_SYS(pread64),	  SCMP_SYS(write),	   SCMP_SYS(close),
		SCMP_SYS(fstat),	SCMP_SYS(newfstatat),	  SCMP_SYS(lseek),	   SCMP_SYS(mmap),
		SCMP_SYS(munmap),	SCMP_SYS(mremap),	  SCMP_SYS(mprotect),	   SCMP_SYS(madvise),
		SCMP_SYS(brk),		SCMP_SYS(futex),	  SCMP_SYS(exit),	   SCMP_SYS(exit_group),
		SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(sigaltstack),   SCMP_SYS(getpid),
		SCMP_SYS(gettid),	SCMP_SYS(sched_yield),	  SCMP_SYS(clock_gettime),
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int r = ctx ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < sizeof(allowed) / sizeof(allowed[0]); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	/* libelf checks its fd with F_GETFD. */
	for (int cmd = F_GETFD; r == 0 && cmd <= F_GETFL; cmd++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1, SCMP_A1(SCMP_CMP_EQ, cmd));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
				     SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	return r < 0 ? og_err(r, "unwind: seccomp filter") : 0;
}

/* Its files open, the child keeps no privilege: nobody when it was root,
 * no new privileges, only the syscalls unwinding makes. */
static int confine(const struct preopened *p, int answer_fd)
{
	cleanup_free int *keep = malloc((p->nmaps + 1) * sizeof(*keep));
	size_t n = 0;

	if (!keep)
		return og_err(ENOMEM, "unwind: confining");
	keep[n++] = answer_fd;
	for (size_t i = 0; i < p->nmaps; i++) {
		if (p->fds[i] >= 0)
			keep[n++] = p->fds[i];
	}
	qsort(keep, n, sizeof(*keep), int_cmp);
	close_all_but(keep, n);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return og_err(errno, "unwind: no_new_privs");
	if (geteuid() == 0 &&
	    (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0))
		return og_err(errno, "unwind: dropping root");
	/* A new uid clears the parent-death signal. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	return allow_syscalls();
}

/* The child: limits, its files, confinement, then the unwind, the answer
 * down fd. */
static void __attribute__((noreturn))
unwind_child(const struct og_unwind_input *in, unsigned deadline_ms, size_t max, int fd)
{
	rlim_t secs = deadline_ms / 1000 + 1;
	struct rlimit cpu = {secs, secs + 1}, none = {0, 0};
	struct unwind_reply reply = {0};
	struct og_frame *frames = calloc(max, sizeof(*frames));
	struct og_unwind_input confined = *in;
	struct preopened p = {0};
	struct unwind u;
	sigset_t all;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	setrlimit(RLIMIT_CPU, &cpu);
	setrlimit(RLIMIT_CORE, &none);
	setrlimit(RLIMIT_FSIZE, &none);
#ifndef OG_ASAN
	struct rlimit as = {OG_UNWIND_CHILD_AS, OG_UNWIND_CHILD_AS};

	setrlimit(RLIMIT_AS, &as);
#endif
	/* The alarm is a second deadline, in case the parent's is lost. */
	sigemptyset(&all);
	sigaddset(&all, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	signal(SIGALRM, SIG_DFL);
	alarm((unsigned)secs + 1);
	confined.open_file = in->open_file ? open_preopened : NULL;
	confined.open_arg = &p;
	if (!frames)
		reply.rc = og_err(ENOMEM, "unwind: no memory for frames");
	else if ((reply.rc = unwind_init(&u, in, frames, max, &reply.n, reply.why, sizeof(reply.why))) == 0 &&
		 (reply.rc = preopen(&u, &p)) == 0 && (reply.rc = confine(&p, fd)) == 0)
		reply.rc = og_unwind(&confined, frames, max, &reply.n, reply.why, sizeof(reply.why));
	if (reply.rc < 0)
		og_strfield(reply.why, sizeof(reply.why), og_errmsg());
	if (write_all(fd, &reply, sizeof(reply)) && reply.rc == 0)
		write_all(fd, frames, reply.n * sizeof(*frames));
	_exit(0);
}

/* Reads the child's answer until it is whole, EOF or the deadline. Returns
 * the bytes read. */
static size_t read_reply(int fd, char *buf, size_t size, uint64_t deadline, bool *expired)
{
	size_t got = 0;

	*expired = false;
	while (got < size) {
		uint64_t now = monotonic_ms();
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t r;

		if (now >= deadline) {
			*expired = true;
			break;
		}
		r = poll(&pfd, 1, (int)(deadline - now < 60000 ? deadline - now : 60000));
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
		/* The frames announced, no more: the size is known once the
		 * header is in. */
		if (got >= sizeof(struct unwind_reply)) {
			const struct unwind_reply *h = (const void *)buf;
			size_t want = h->rc == 0 && h->n <= (size - sizeof(*h)) / sizeof(struct og_frame)
					      ? sizeof(*h) + h->n * sizeof(struct og_frame)
					      : sizeof(*h);

			if (got >= want)
				return got;
		}
	}
	return got;
}

int og_unwind_isolated(const struct og_unwind_input *in, unsigned deadline_ms, struct og_frame *frames, size_t max,
		       size_t *n, char *why, size_t why_len)
{
	struct unwind u;
	struct unwind_reply reply;
	size_t size, got;
	cleanup_free char *buf = NULL;
	int p[2], status = 0, r;
	bool expired;
	pid_t pid;

	r = unwind_init(&u, in, frames, max, n, why, why_len);
	if (r < 0)
		return r;
	size = sizeof(reply) + u.max * sizeof(*frames);
	buf = malloc(size);
	if (!buf)
		return og_err(ENOMEM, "unwind: reply buffer");
	if (pipe2(p, O_CLOEXEC) < 0)
		return og_err(errno, "unwind: pipe");
	pid = fork();
	if (pid < 0) {
		r = errno;
		close(p[0]);
		close(p[1]);
		return og_err(r, "unwind: fork");
	}
	if (pid == 0) {
		close(p[0]);
		unwind_child(in, deadline_ms, u.max, p[1]);
	}
	close(p[1]);
	got = read_reply(p[0], buf, size, monotonic_ms() + deadline_ms, &expired);
	close(p[0]);
	/* Whatever it is doing now, it is done: a child that closed its pipe
	 * could still run. */
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	memset(&reply, 0, sizeof(reply));
	if (got >= sizeof(reply)) {
		memcpy(&reply, buf, sizeof(reply));
		reply.why[sizeof(reply.why) - 1] = '\0';
		/* The child read hostile files: its answer is checked too. */
		if (reply.rc == 0 && reply.n >= 1 && reply.n <= u.max &&
		    got == sizeof(reply) + reply.n * sizeof(*frames)) {
			memcpy(frames, buf + sizeof(reply), reply.n * sizeof(*frames));
			for (size_t i = 0; i < reply.n; i++) {
				frames[i].text[sizeof(frames[i].text) - 1] = '\0';
				if (frames[i].how != OG_FRAME_REGS && frames[i].how != OG_FRAME_CFI)
					frames[i].how = OG_FRAME_FP;
			}
			*n = reply.n;
			og_strfield(why, why_len, reply.why);
			return 0;
		}
	}
	first_frame(&u);
	*n = u.n;
	if (expired)
		snprintf(why, why_len, "unwinding stopped after %u ms (a huge or hostile file?): only the first frame",
			 deadline_ms);
	else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		snprintf(why, why_len, "the unwinder died of %s (a corrupt or hostile file?): only the first frame",
			 strsignal(WTERMSIG(status)));
	else if (reply.rc < 0)
		snprintf(why, why_len, "the unwinder failed: %s: only the first frame", reply.why);
	else
		snprintf(why, why_len, "the unwinder gave no answer: only the first frame");
	return 0;
}
