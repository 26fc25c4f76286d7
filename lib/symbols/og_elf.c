// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF reading for uprobes: symbol offsets, DT_NEEDED, and SystemTap SDT
 * notes with their argument specs (the format is described in
 * https://sourceware.org/systemtap/wiki/UserSpaceProbeImplementation).
 */
#include "config.h"
#include "og_elf.h"
#include "og_util.h"

#include <ctype.h>
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/user.h>

/* An ELF file opened for reading, with the size its sections are checked
 * against. */
struct elf_file {
	Elf *elf;
	uint64_t size;
	const char *what;
};

static int elf_begin_fd(int fd, const char *what, struct elf_file *ef)
{
	struct stat sb;
	size_t shnum;
	GElf_Ehdr eh;
	Elf *elf;

	if (fstat(fd, &sb) < 0)
		return og_err(errno, "%s: stat", what);
	if (!S_ISREG(sb.st_mode))
		return og_err(EINVAL, "%s: not a regular file", what);
	if ((uint64_t)sb.st_size > OG_ELF_FILE_MAX)
		return og_err(EFBIG, "%s: %lld bytes, more than the %llu MiB an ELF file may have here", what,
			      (long long)sb.st_size, OG_ELF_FILE_MAX >> 20);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return og_err(EINVAL, "libelf: %s", elf_errmsg(-1));
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf)
		return og_err(EINVAL, "%s: not readable as ELF: %s", what, elf_errmsg(-1));
	if (elf_kind(elf) != ELF_K_ELF || gelf_getclass(elf) != ELFCLASS64 || !gelf_getehdr(elf, &eh)) {
		elf_end(elf);
		return og_err(ENOEXEC, "%s: not a 64-bit ELF file", what);
	}
	/* The section and program header tables must be in the file (the
	 * header's own count first: libelf reads none from beyond the end). */
	if (elf_getshdrnum(elf, &shnum) < 0 || shnum < eh.e_shnum)
		shnum = eh.e_shnum;
	if (shnum > OG_ELF_SECTIONS_MAX ||
	    (shnum && (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > (uint64_t)sb.st_size ||
		       shnum * sizeof(Elf64_Shdr) > (uint64_t)sb.st_size - eh.e_shoff)) ||
	    (eh.e_phnum && (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > (uint64_t)sb.st_size ||
			    (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > (uint64_t)sb.st_size - eh.e_phoff))) {
		elf_end(elf);
		return og_err(ENOEXEC, "%s: section or program headers outside the file", what);
	}
	ef->elf = elf;
	ef->size = sb.st_size;
	ef->what = what;
	return 0;
}

/*
 * A section's data, or NULL when it does not pass: inside the file, at
 * most max bytes, aligned for its entries (libelf then points into the
 * mapping; a misaligned section would be converted into a copy), entries
 * of the right size.
 */
static Elf_Data *section_data(const struct elf_file *ef, Elf_Scn *scn, const GElf_Shdr *sh, uint64_t max,
			      uint64_t align, uint64_t entsize)
{
	if (sh->sh_type == SHT_NOBITS || sh->sh_size > max || sh->sh_offset > ef->size ||
	    sh->sh_size > ef->size - sh->sh_offset || (align > 1 && sh->sh_offset % align) ||
	    (entsize && sh->sh_entsize != entsize))
		return NULL;
	return elf_getdata(scn, NULL);
}

/* The string table of section index idx checked, for elf_strptr. */
static bool strtab_ok(const struct elf_file *ef, size_t idx)
{
	Elf_Scn *scn = elf_getscn(ef->elf, idx);
	GElf_Shdr sh;

	return scn && gelf_getshdr(scn, &sh) && sh.sh_type == SHT_STRTAB &&
	       section_data(ef, scn, &sh, OG_ELF_SYMTAB_MAX, 1, 0) != NULL;
}

/* Virtual address -> file offset, through the PT_LOAD segment holding it. */
static int vaddr_to_offset(Elf *elf, const char *what, uint64_t addr, uint64_t *off)
{
	size_t n;

	if (elf_getphdrnum(elf, &n) < 0)
		return og_err(EINVAL, "%s: program headers: %s", what, elf_errmsg(-1));
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (addr >= ph.p_vaddr && addr < ph.p_vaddr + ph.p_memsz) {
			*off = addr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return og_err(ERANGE, "%s: address 0x%llx is in no loadable segment", what, (unsigned long long)addr);
}

#define PAGE 4096ULL /* x86-64: the granularity of every mapping */

/* The PT_LOAD segment a mapping at file offset pgoff comes from: the code
 * segment starting there, else any starting there, else one holding it (a
 * mapping split by mprotect starts inside its segment). */
static bool segment_at(const struct elf_file *ef, uint64_t pgoff, GElf_Phdr *seg)
{
	size_t n;

	if (elf_getphdrnum(ef->elf, &n) < 0)
		return false;
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < n; i++) {
			GElf_Phdr ph;
			uint64_t off;

			if (!gelf_getphdr(ef->elf, i, &ph) || ph.p_type != PT_LOAD || ph.p_offset > ef->size ||
			    ph.p_filesz > ef->size - ph.p_offset)
				continue;
			off = ph.p_offset & ~(PAGE - 1);
			if ((pass == 0 && off == pgoff && (ph.p_flags & PF_X)) || (pass == 1 && off == pgoff) ||
			    (pass == 2 && pgoff > off && pgoff < ph.p_offset + ph.p_filesz)) {
				*seg = ph;
				return true;
			}
		}
	}
	return false;
}

int og_elf_load_bias(int fd, const char *what, uint64_t start, uint64_t end, uint64_t pgoff, uint64_t *bias)
{
	struct elf_file ef;
	uint64_t seg_off, seg_addr;
	GElf_Ehdr eh;
	GElf_Phdr seg;
	bool found;
	int r;

	if (start % PAGE || pgoff % PAGE || end <= start)
		return og_err(EINVAL, "%s: mapping 0x%llx-0x%llx at offset 0x%llx is not page-aligned", what,
			      (unsigned long long)start, (unsigned long long)end, (unsigned long long)pgoff);
	r = elf_begin_fd(fd, what, &ef);
	if (r < 0)
		return r;
	if (!gelf_getehdr(ef.elf, &eh) || eh.e_machine != EM_X86_64 || (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)) {
		elf_end(ef.elf);
		return og_err(ENOEXEC, "%s: not an x86-64 executable or shared library", what);
	}
	found = segment_at(&ef, pgoff, &seg);
	elf_end(ef.elf);
	if (!found)
		return og_err(ENOEXEC, "%s: no loadable segment at file offset 0x%llx", what,
			      (unsigned long long)pgoff);
	/* The kernel and ld.so map a segment from its page-aligned offset to
	 * its page-aligned address, never more than its file pages. */
	seg_off = seg.p_offset & ~(PAGE - 1);
	seg_addr = (seg.p_vaddr & ~(PAGE - 1)) + (pgoff - seg_off);
	if ((seg.p_vaddr - seg.p_offset) % PAGE ||
	    end - start > ((seg.p_offset + seg.p_filesz + PAGE - 1) & ~(PAGE - 1)) - pgoff)
		return og_err(ENOEXEC,
			      "%s: mapping 0x%llx-0x%llx at offset 0x%llx does not match its segment (another file?)",
			      what, (unsigned long long)start, (unsigned long long)end, (unsigned long long)pgoff);
	*bias = start - seg_addr;
	if (eh.e_type == ET_EXEC && *bias)
		return og_err(ENOEXEC, "%s: mapped at 0x%llx, but its segment is at 0x%llx (not position-independent)",
			      what, (unsigned long long)start, (unsigned long long)seg_addr);
	return 0;
}

static Elf_Scn *find_section(const struct elf_file *ef, const char *name, GElf_Shdr *shdr)
{
	Elf *elf = ef->elf;
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx) < 0 || !strtab_ok(ef, shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *sname;

		if (!gelf_getshdr(scn, shdr))
			continue;
		sname = elf_strptr(elf, shstrndx, shdr->sh_name);
		if (sname && strcmp(sname, name) == 0)
			return scn;
	}
	return NULL;
}

/* Fills addr[i] for each names[i] defined as a function in this symbol
 * table and not found yet (addr[i] == 0). */
static void symbols_in(const struct elf_file *ef, Elf_Scn *scn, const GElf_Shdr *shdr, const char *const *names,
		       size_t count, uint64_t *addr)
{
	Elf *elf = ef->elf;
	Elf_Data *data = section_data(ef, scn, shdr, OG_ELF_SYMTAB_MAX, 8, sizeof(Elf64_Sym));
	size_t n;

	if (!data || !strtab_ok(ef, shdr->sh_link))
		return;
	n = shdr->sh_size / shdr->sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym sym;
		const char *sname;
		int type;

		if (!gelf_getsym(data, i, &sym) || sym.st_shndx == SHN_UNDEF || sym.st_value == 0)
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		if (type != STT_FUNC && type != STT_GNU_IFUNC)
			continue;
		sname = elf_strptr(elf, shdr->sh_link, sym.st_name);
		for (size_t k = 0; sname && k < count; k++) {
			if (!addr[k] && strcmp(sname, names[k]) == 0)
				addr[k] = sym.st_value;
		}
	}
}

int og_elf_symbol_offsets(int fd, const char *what, const char *const *names, size_t count, uint64_t *offs)
{
	struct elf_file ef;
	int r;

	memset(offs, 0, count * sizeof(*offs));
	r = elf_begin_fd(fd, what, &ef);
	if (r < 0)
		return r;
	/* .dynsym first (what a stripped library still has), then .symtab;
	 * the first table of each kind only (a file has one). */
	for (int pass = 0; pass < 2; pass++) {
		Elf_Scn *scn = NULL;

		while ((scn = elf_nextscn(ef.elf, scn))) {
			GElf_Shdr shdr;

			if (gelf_getshdr(scn, &shdr) && shdr.sh_type == (pass == 0 ? SHT_DYNSYM : SHT_SYMTAB)) {
				symbols_in(&ef, scn, &shdr, names, count, offs);
				break;
			}
		}
	}
	for (size_t k = 0; k < count && r == 0; k++) {
		if (offs[k])
			r = vaddr_to_offset(ef.elf, what, offs[k], &offs[k]);
	}
	elf_end(ef.elf);
	return r;
}

int og_elf_symbol_offset(int fd, const char *what, const char *name, uint64_t *off)
{
	int r = og_elf_symbol_offsets(fd, what, &name, 1, off);

	if (r == 0 && !*off)
		r = og_err(ENOENT, "%s: no function symbol %s", what, name);
	return r;
}

int og_elf_info(int fd, const char *what, struct og_elf_info *info)
{
	struct elf_file ef;
	Elf *elf;
	Elf_Scn *scn = NULL;
	bool dynamic_done = false;
	size_t n;
	int r;

	memset(info, 0, sizeof(*info));
	r = elf_begin_fd(fd, what, &ef);
	if (r < 0)
		return r;
	elf = ef.elf;
	info->is_static = true;
	if (elf_getphdrnum(elf, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			GElf_Phdr ph;

			if (gelf_getphdr(elf, i, &ph) && ph.p_type == PT_INTERP)
				info->is_static = false;
		}
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &shdr))
			continue;
		if (shdr.sh_type == SHT_SYMTAB)
			info->has_symtab = true;
		if (shdr.sh_type != SHT_DYNAMIC || dynamic_done ||
		    !(data = section_data(&ef, scn, &shdr, 1u << 20, 8, sizeof(Elf64_Dyn))) ||
		    !strtab_ok(&ef, shdr.sh_link))
			continue;
		dynamic_done = true;
		for (size_t i = 0; i < shdr.sh_size / shdr.sh_entsize; i++) {
			GElf_Dyn dyn;
			const char *s;

			if (!gelf_getdyn(data, i, &dyn) || dyn.d_tag != DT_NEEDED)
				continue;
			s = elf_strptr(elf, shdr.sh_link, dyn.d_un.d_val);
			if (s && info->n_needed < sizeof(info->needed) / sizeof(info->needed[0]))
				og_strfield(info->needed[info->n_needed++], sizeof(info->needed[0]), s);
		}
	}
	elf_end(elf);
	return 0;
}

int og_elf_usdt_notes(int fd, const char *what, struct og_usdt_note **notesp, size_t *np)
{
	struct og_usdt_note *notes = NULL;
	size_t n = 0, cap = 0;
	GElf_Shdr shdr, base_shdr;
	Elf_Scn *scn, *base_scn;
	struct elf_file ef;
	Elf_Data *data;
	Elf *elf;
	int r;

	*notesp = NULL;
	*np = 0;
	r = elf_begin_fd(fd, what, &ef);
	if (r < 0)
		return r;
	elf = ef.elf;
	scn = find_section(&ef, ".note.stapsdt", &shdr);
	if (!scn || shdr.sh_type != SHT_NOTE) {
		elf_end(elf);
		return 0; /* no probes */
	}
	data = section_data(&ef, scn, &shdr, OG_ELF_NOTES_MAX, 4, 0);
	if (!data) {
		elf_end(elf);
		return og_err(EFBIG, "%s: .note.stapsdt outside the file, misaligned or over %u MiB", what,
			      OG_ELF_NOTES_MAX >> 20);
	}
	base_scn = find_section(&ef, ".stapsdt.base", &base_shdr);
	for (size_t pos = 0; n < OG_ELF_NOTES_COUNT;) {
		GElf_Nhdr nh;
		size_t name_off, desc_off;
		const char *name, *desc, *p, *end;
		uint64_t pc, base, sem;
		struct og_usdt_note *note;

		pos = gelf_getnote(data, pos, &nh, &name_off, &desc_off);
		if (pos == 0)
			break;
		name = (const char *)data->d_buf + name_off;
		if (nh.n_type != 3 || nh.n_namesz != 8 || memcmp(name, "stapsdt", 8) != 0 || nh.n_descsz < 24 + 3)
			continue;
		desc = (const char *)data->d_buf + desc_off;
		end = desc + nh.n_descsz;
		memcpy(&pc, desc, 8);
		memcpy(&base, desc + 8, 8);
		memcpy(&sem, desc + 16, 8);
		if (n == cap) {
			struct og_usdt_note *nn = realloc(notes, (cap = cap ? cap * 2 : 32) * sizeof(*notes));
			if (!nn) {
				r = og_err(ENOMEM, "%s: USDT notes", what);
				goto fail;
			}
			notes = nn;
		}
		note = &notes[n];
		memset(note, 0, sizeof(*note));
		p = desc + 24;
		/* provider\0name\0args\0, each bounded by the note */
		const char *fields[3];
		for (int i = 0; i < 3; i++) {
			const char *z = memchr(p, 0, end - p);
			if (!z) {
				r = og_err(EINVAL, "%s: malformed stapsdt note", what);
				goto fail;
			}
			fields[i] = p;
			p = z + 1;
			if (p > end)
				break;
		}
		og_strfield(note->provider, sizeof(note->provider), fields[0]);
		og_strfield(note->name, sizeof(note->name), fields[1]);
		og_strfield(note->args, sizeof(note->args), fields[2]);
		/* Prelink may have moved the file: the note recorded where
		 * .stapsdt.base was, the section says where it is. */
		if (base_scn && base)
			pc += base_shdr.sh_addr - base;
		r = vaddr_to_offset(elf, what, pc, &note->offset);
		if (r < 0)
			goto fail;
		if (sem) {
			if (base_scn && base)
				sem += base_shdr.sh_addr - base;
			r = vaddr_to_offset(elf, what, sem, &note->sem_offset);
			if (r < 0)
				goto fail;
		}
		n++;
	}
	elf_end(elf);
	*notesp = notes;
	*np = n;
	return 0;
fail:
	free(notes);
	elf_end(elf);
	return r;
}

/* x86_64 registers by every name gcc and clang use in SDT specs. */
struct reg_name {
	const char *name;
	uint16_t off;
	uint8_t shift;
};
#define R(n, field)                                            \
	{                                                      \
		n, offsetof(struct user_regs_struct, field), 0 \
	}
#define RH(n, field)                                           \
	{                                                      \
		n, offsetof(struct user_regs_struct, field), 8 \
	}
static const struct reg_name regs[] = {
	R("rax", rax),	R("eax", rax),	R("ax", rax),	R("al", rax),	RH("ah", rax),	R("rbx", rbx),	R("ebx", rbx),
	R("bx", rbx),	R("bl", rbx),	RH("bh", rbx),	R("rcx", rcx),	R("ecx", rcx),	R("cx", rcx),	R("cl", rcx),
	RH("ch", rcx),	R("rdx", rdx),	R("edx", rdx),	R("dx", rdx),	R("dl", rdx),	RH("dh", rdx),	R("rsi", rsi),
	R("esi", rsi),	R("si", rsi),	R("sil", rsi),	R("rdi", rdi),	R("edi", rdi),	R("di", rdi),	R("dil", rdi),
	R("rbp", rbp),	R("ebp", rbp),	R("bp", rbp),	R("bpl", rbp),	R("rsp", rsp),	R("esp", rsp),	R("sp", rsp),
	R("spl", rsp),	R("rip", rip),	R("r8", r8),	R("r8d", r8),	R("r8w", r8),	R("r8b", r8),	R("r9", r9),
	R("r9d", r9),	R("r9w", r9),	R("r9b", r9),	R("r10", r10),	R("r10d", r10), R("r10w", r10), R("r10b", r10),
	R("r11", r11),	R("r11d", r11), R("r11w", r11), R("r11b", r11), R("r12", r12),	R("r12d", r12), R("r12w", r12),
	R("r12b", r12), R("r13", r13),	R("r13d", r13), R("r13w", r13), R("r13b", r13), R("r14", r14),	R("r14d", r14),
	R("r14w", r14), R("r14b", r14), R("r15", r15),	R("r15d", r15), R("r15w", r15), R("r15b", r15),
};
#undef R
#undef RH

/* Parses "%reg" at *s (advancing past it). */
static int parse_reg(const char **s, const char *spec, struct og_usdt_arg *a)
{
	char name[8];
	size_t n = 0;

	if (**s != '%')
		return og_err(EINVAL, "USDT argument '%s': expected a register", spec);
	(*s)++;
	while (isalnum((unsigned char)**s) && n < sizeof(name) - 1)
		name[n++] = *(*s)++;
	name[n] = '\0';
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		if (strcmp(regs[i].name, name) == 0) {
			a->reg_off = regs[i].off;
			a->reg_shift = regs[i].shift;
			return 0;
		}
	}
	return og_err(EOPNOTSUPP, "USDT argument '%s': unknown register %%%s", spec, name);
}

static int parse_one(const char *spec, struct og_usdt_arg *a)
{
	const char *s = spec;
	char *end;
	long size;

	memset(a, 0, sizeof(*a));
	size = strtol(s, &end, 10);
	if (end == s || *end != '@')
		return og_err(EINVAL, "USDT argument '%s': expected SIZE@LOCATION", spec);
	if (size != 1 && size != 2 && size != 4 && size != 8 && size != -1 && size != -2 && size != -4 && size != -8)
		return og_err(EINVAL, "USDT argument '%s': size %ld is not 1, 2, 4 or 8", spec, size);
	a->size = size;
	s = end + 1;
	if (*s == '$') {
		errno = 0;
		a->val = strtoll(s + 1, &end, 0);
		if (end == s + 1 || *end || errno)
			return og_err(EINVAL, "USDT argument '%s': bad constant", spec);
		a->type = OG_USDT_ARG_CONST;
		return 0;
	}
	if (*s == '%') {
		int r = parse_reg(&s, spec, a);
		if (r < 0)
			return r;
		if (*s)
			return og_err(EINVAL, "USDT argument '%s': junk after the register", spec);
		a->type = OG_USDT_ARG_REG;
		return 0;
	}
	/* [offset](%reg) */
	if (*s != '(') {
		errno = 0;
		a->val = strtoll(s, &end, 0);
		if (end == s)
			return og_err(EOPNOTSUPP, "USDT argument '%s': symbolic address not supported", spec);
		if (errno)
			return og_err(EINVAL, "USDT argument '%s': bad offset", spec);
		s = end;
	}
	if (*s != '(')
		return og_err(EINVAL, "USDT argument '%s': expected (%%reg)", spec);
	s++;
	int r = parse_reg(&s, spec, a);
	if (r < 0)
		return r;
	if (*s == ',')
		return og_err(EOPNOTSUPP, "USDT argument '%s': indexed addressing not supported", spec);
	if (s[0] != ')' || s[1])
		return og_err(EINVAL, "USDT argument '%s': expected ')'", spec);
	if (a->reg_shift)
		return og_err(EINVAL, "USDT argument '%s': a byte register cannot be an address", spec);
	a->type = OG_USDT_ARG_REG_DEREF;
	return 0;
}

int og_usdt_parse_args(const char *args, struct og_usdt_spec *spec)
{
	const char *p = args;

	memset(spec, 0, sizeof(*spec));
	spec->used = 1;
	while (*p) {
		char one[64];
		size_t n = 0;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		while (p[n] && p[n] != ' ')
			n++;
		if (n >= sizeof(one))
			return og_err(EINVAL, "USDT argument '%.*s...': too long", 16, p);
		memcpy(one, p, n);
		one[n] = '\0';
		p += n;
		if (spec->nargs == OG_USDT_MAX_ARGS) {
			/* The probes we read use at most two; later ones are not decoded. */
			continue;
		}
		int r = parse_one(one, &spec->args[spec->nargs]);
		if (r < 0)
			return r;
		spec->nargs++;
	}
	return 0;
}
