// ELF: symbol offsets, DT_NEEDED, and USDT notes with their argument specs,
// on a test program built with <sys/sdt.h> and on Debian's own binaries;
// load biases of mapped files, against what the dynamic loader says.
#include "config.h"
#include "og_elf.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <elf.h>
#include <gelf.h>
#include <link.h>
#include <sys/user.h>
#include <time.h>

#define REG(r) offsetof(struct user_regs_struct, r)

static const struct og_usdt_note *find(const struct og_usdt_note *n, size_t cnt, const char *prov, const char *name)
{
	for (size_t i = 0; i < cnt; i++)
		if (!strcmp(n[i].provider, prov) && !strcmp(n[i].name, name))
			return &n[i];
	return NULL;
}

static int open_or_skip(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		printf("ok %d # SKIP %s: not installed\n", ++tap_n, path);
	return fd;
}

static void check_specs(void)
{
	struct og_usdt_spec s;

	ok(og_usdt_parse_args("-4@%eax 8@-8(%rbp) 4@$5", &s) == 0 && s.nargs == 3, "three arguments");
	ok(s.args[0].type == OG_USDT_ARG_REG && s.args[0].size == -4 && s.args[0].reg_off == REG(rax),
	   "-4@%%eax: signed 4 bytes of rax");
	ok(s.args[1].type == OG_USDT_ARG_REG_DEREF && s.args[1].size == 8 && s.args[1].reg_off == REG(rbp) &&
		   s.args[1].val == -8,
	   "8@-8(%%rbp): memory at rbp-8");
	ok(s.args[2].type == OG_USDT_ARG_CONST && s.args[2].val == 5, "4@$5: a constant");
	ok(og_usdt_parse_args("1@%ah", &s) == 0 && s.args[0].reg_shift == 8 && s.args[0].reg_off == REG(rax),
	   "%%ah is rax shifted by 8");
	ok(og_usdt_parse_args("8@(%r11)", &s) == 0 && s.args[0].type == OG_USDT_ARG_REG_DEREF && s.args[0].val == 0,
	   "(%%r11) without an offset");
	ok(og_usdt_parse_args("", &s) == 0 && s.nargs == 0, "no arguments");
	ok(og_usdt_parse_args("8@(%rax,%rdx,8)", &s) == -EOPNOTSUPP && strstr(og_errmsg(), "indexed"),
	   "SIB addressing refused with a reason");
	ok(og_usdt_parse_args("8@sym(%rip)", &s) == -EOPNOTSUPP, "symbolic addresses refused");
	ok(og_usdt_parse_args("3@%eax", &s) == -EINVAL, "size 3 refused");
	ok(og_usdt_parse_args("8@%xmm0", &s) == -EOPNOTSUPP, "unknown register refused");
	ok(og_usdt_parse_args("8@%rax junk", &s) == -EINVAL, "junk refused");
	ok(og_usdt_parse_args("8@%rax 8@%rbx 8@%rcx 8@%rdx 8@%rsi 8@%rdi", &s) == 0 && s.nargs == OG_USDT_MAX_ARGS,
	   "more than %d arguments: the first %d kept", OG_USDT_MAX_ARGS, OG_USDT_MAX_ARGS);
}

static void check_sdt_prog(const char *path)
{
	struct og_usdt_note *notes = NULL;
	const struct og_usdt_note *c, *r, *m, *g;
	struct og_usdt_spec s;
	size_t n = 0;
	int fd = open_or_skip(path);

	if (fd < 0)
		return;
	ok(og_elf_usdt_notes(fd, path, &notes, &n) == 0 && n == 4, "sdt-prog: 4 notes (%zu)", n);
	c = find(notes, n, "ogtest", "constant");
	r = find(notes, n, "ogtest", "regs");
	m = find(notes, n, "ogtest", "memory");
	g = find(notes, n, "ogtest", "global");
	ok(c && r && m && g, "sdt-prog: every probe found by provider and name");
	if (c && r && m && g) {
		ok(og_usdt_parse_args(c->args, &s) == 0 && s.nargs == 1 && s.args[0].type == OG_USDT_ARG_CONST &&
			   s.args[0].val == 42,
		   "constant probe: '%s' is the constant 42", c->args);
		ok(og_usdt_parse_args(r->args, &s) == 0 && s.nargs == 3, "regs probe: '%s' decodes", r->args);
		ok(og_usdt_parse_args(m->args, &s) == 0 && s.nargs == 1 && s.args[0].type == OG_USDT_ARG_REG_DEREF,
		   "memory probe: '%s' decodes", m->args);
		ok(og_usdt_parse_args(g->args, &s) == -EOPNOTSUPP, "global probe: '%s' refused with a reason", g->args);
		ok(c->offset && c->sem_offset == 0, "offsets set, no semaphore");
	}
	free(notes);
	close(fd);
}

static void check_real(const char *path, const char *prov, const char *name, const char *want_args, bool sem)
{
	struct og_usdt_note *notes = NULL;
	const struct og_usdt_note *p;
	struct og_usdt_spec s;
	size_t n = 0;
	int fd = open_or_skip(path);

	if (fd < 0)
		return;
	ok(og_elf_usdt_notes(fd, path, &notes, &n) == 0 && n > 0, "%s: %zu USDT notes", path, n);
	p = find(notes, n, prov, name);
	ok(p != NULL, "%s: %s:%s found", path, prov, name);
	if (p) {
		is_str(p->args, want_args, "%s:%s arguments", prov, name);
		ok(og_usdt_parse_args(p->args, &s) == 0, "%s:%s '%s' decodes", prov, name, p->args);
		ok(sem ? p->sem_offset != 0 : p->sem_offset == 0, "%s:%s semaphore %s", prov, name,
		   sem ? "present" : "absent");
	}
	free(notes);
	close(fd);
}

static void check_symbol(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	unsigned char file[16];
	uint64_t off = 0;

	ok(og_elf_symbol_offset(fd, "self", "check_specs", &off) == 0, "symbol offset of a function in .symtab");
	ok(pread(fd, file, sizeof(file), off) == sizeof(file) && memcmp(file, (void *)check_specs, sizeof(file)) == 0,
	   "the bytes at that file offset are the function's code");
	ok(og_elf_symbol_offset(fd, "self", "no_such_function_here", &off) == -ENOENT &&
		   strstr(og_errmsg(), "no_such_function_here"),
	   "a missing symbol names itself");
	close(fd);
}

/* A copy of this test program with one header patched, in a temporary
 * file; returns its fd. */
static int patched_copy(void (*patch)(uint8_t *file, size_t len))
{
	char tmpl[] = "/tmp/og-test-elf.XXXXXX";
	cleanup_free char *data = NULL;
	size_t len;
	int fd;

	if (og_read_file("/proc/self/exe", 64 << 20, &data, &len) < 0)
		return -1;
	patch((uint8_t *)data, len);
	fd = mkstemp(tmpl);
	if (fd < 0)
		return -1;
	unlink(tmpl);
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return fd;
}

static Elf64_Shdr *symtab_of(uint8_t *file)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)file;
	Elf64_Shdr *sh = (Elf64_Shdr *)(file + eh->e_shoff);

	for (int i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type == SHT_SYMTAB)
			return &sh[i];
	return NULL;
}

static void huge_symtab(uint8_t *f, size_t len)
{
	(void)len;
	symtab_of(f)->sh_size = 2ULL << 30;
}
static void misaligned_symtab(uint8_t *f, size_t len)
{
	(void)len;
	symtab_of(f)->sh_offset += 1;
}
static void shdrs_beyond(uint8_t *f, size_t len)
{
	((Elf64_Ehdr *)f)->e_shoff = len + 4096;
}
static void nothing(uint8_t *f, size_t len)
{
	(void)f;
	(void)len;
}

/* An ELF file is untrusted input: sections that do not fit the file, or do
 * not fit the limits, are not read; libelf is never asked to convert a
 * misaligned table into a copy. */
static void check_crafted(void)
{
	struct timespec t0, t1;
	uint64_t off;
	int fd;

	fd = patched_copy(nothing);
	ok(fd >= 0 && og_elf_symbol_offset(fd, "copy", "check_specs", &off) == 0, "an unpatched copy: symbol found");
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd = patched_copy(huge_symtab);
	ok(fd >= 0 && og_elf_symbol_offset(fd, "huge", "check_specs", &off) == -ENOENT,
	   "a .symtab claiming 2 GiB is not read");
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ok((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 1000, "and costs no time");
	fd = patched_copy(misaligned_symtab);
	ok(fd >= 0 && og_elf_symbol_offset(fd, "misaligned", "check_specs", &off) == -ENOENT,
	   "a .symtab misaligned by one byte is not converted into a copy");
	close(fd);
	fd = patched_copy(shdrs_beyond);
	ok(fd >= 0 && og_elf_symbol_offset(fd, "beyond", "check_specs", &off) == -ENOEXEC &&
		   strstr(og_errmsg(), "outside the file"),
	   "section headers past the end of the file: refused (%s)", og_errmsg());
	close(fd);
}

struct loaded {
	uint64_t addr, bias;
	bool found;
};

static int object_at(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct loaded *l = arg;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uint64_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && l->addr >= lo && l->addr < lo + ph->p_memsz) {
			l->bias = info->dlpi_addr;
			l->found = true;
			return 1;
		}
	}
	return 0;
}

/* Each r-x file mapping of this process (the PIE test, libc, ld.so...):
 * the bias computed from the file is the one ld.so used. */
static void check_bias_mapped(void)
{
	unsigned long long start, end, pgoff;
	char line[4400], perms[8];
	size_t checked = 0, right = 0;
	FILE *f = fopen("/proc/self/maps", "re");

	while (f && fgets(line, sizeof(line), f)) {
		struct loaded l = {0};
		uint64_t bias = 1;
		int pos = 0, fd;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &pgoff, &pos) < 4 || !pos ||
		    strcmp(perms, "r-xp") != 0 || line[pos] != '/')
			continue;
		line[strcspn(line, "\n")] = '\0';
		l.addr = start;
		dl_iterate_phdr(object_at, &l);
		fd = open(line + pos, O_RDONLY | O_CLOEXEC);
		checked++;
		if (l.found && fd >= 0 && og_elf_load_bias(fd, line + pos, start, end, pgoff, &bias) == 0 &&
		    bias == l.bias)
			right++;
		else
			printf("#   %s: bias 0x%llx, ld.so says 0x%llx (%s)\n", line + pos, (unsigned long long)bias,
			       (unsigned long long)l.bias, og_errmsg());
		if (fd >= 0)
			close(fd);
	}
	if (f)
		fclose(f);
	ok(checked >= 3 && right == checked, "load bias of %zu mapped files, as ld.so placed them (%zu right)", checked,
	   right);
}

/* A static non-PIE program (ET_EXEC): bias 0 where its code segment says,
 * refused anywhere else or for a segment it does not have. */
static void check_bias_exec(const char *path)
{
	uint64_t start = 0, end = 0, pgoff = 0, bias = 1;
	int fd = open_or_skip(path);
	Elf *elf;
	size_t n = 0;

	if (fd < 0)
		return;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && elf_getphdrnum(elf, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			GElf_Phdr ph;

			if (gelf_getphdr(elf, i, &ph) && ph.p_type == PT_LOAD && (ph.p_flags & PF_X)) {
				start = ph.p_vaddr & ~4095ULL;
				end = (ph.p_vaddr + ph.p_filesz + 4095) & ~4095ULL;
				pgoff = ph.p_offset & ~4095ULL;
			}
		}
	}
	if (elf)
		elf_end(elf);
	ok(start && og_elf_load_bias(fd, path, start, end, pgoff, &bias) == 0 && bias == 0,
	   "ET_EXEC at its code segment 0x%llx: bias 0", (unsigned long long)start);
	ok(og_elf_load_bias(fd, path, start + (2 << 20), end + (2 << 20), pgoff, &bias) == -ENOEXEC &&
		   strstr(og_errmsg(), "not position-independent"),
	   "ET_EXEC mapped elsewhere: refused (%s)", og_errmsg());
	ok(og_elf_load_bias(fd, path, start, end, pgoff + (64 << 20), &bias) == -ENOEXEC &&
		   strstr(og_errmsg(), "no loadable segment"),
	   "a file offset no segment has: refused");
	ok(og_elf_load_bias(fd, path, start, end + (64 << 20), pgoff, &bias) == -ENOEXEC &&
		   strstr(og_errmsg(), "does not match"),
	   "a mapping longer than its segment: refused (another file?)");
	ok(og_elf_load_bias(fd, path, start + 1, end, pgoff, &bias) == -EINVAL, "a mapping not page-aligned: refused");
	close(fd);
}

int main(void)
{
	struct og_elf_info info;
	char path[4096];
	const char *bd = getenv("top_builddir");
	int fd;

	check_specs();
	check_symbol();
	check_crafted();
	snprintf(path, sizeof(path), "%s/tests/unit/sdt-prog", bd ? bd : ".");
	check_sdt_prog(path);
	check_bias_mapped();
	snprintf(path, sizeof(path), "%s/tests/unit/unwind-prog", bd ? bd : ".");
	check_bias_exec(path);
	check_real("/usr/bin/python3.11", "python", "gc__start", "-4@112(%rsp)", true);
	check_real("/usr/bin/python3.11", "python", "gc__done", "-8@%r12", true);
	check_real("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "libstdcxx", "throw", "8@%rdi 8@%rsi", false);
	check_real("/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so", "hotspot", "gc__begin", "1@%dil", false);
	check_real("/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so", "hotspot", "gc__end", "", false);

	fd = open("/usr/bin/python3.11", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ok(og_elf_info(fd, "python3.11", &info) == 0 && !info.is_static && info.n_needed > 0,
		   "python3.11: dynamic, %zu DT_NEEDED", info.n_needed);
		close(fd);
	}
	fd = open("/bin/busybox", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ok(og_elf_info(fd, "busybox", &info) == 0 && info.is_static, "busybox (static): no PT_INTERP");
		close(fd);
	}
	fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
	ok(og_elf_info(fd, "/etc/hostname", &info) < 0 && strstr(og_errmsg(), "/etc/hostname"),
	   "a text file is refused with its name");
	close(fd);
	return tap_done();
}
