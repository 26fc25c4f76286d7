// Where perf's samples fall inside JIT-ed BPF programs, by source line:
// bpftool cannot disassemble here (no libbfd), but the kernel keeps each
// program's line info with its JIT-ed addresses. Reads sample addresses
// (hex, one per line: perf script -F ip) on stdin; prints the samples in
// each program and the TOP source lines with the most.
// Usage: prog-lines TOP NAME=PINNED_PROG...
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct line {
	unsigned long long addr;
	const char *prog, *text;
	unsigned lineno;
	unsigned long hits;
};

struct range {
	unsigned long long start;
	unsigned len;
	const char *prog;
};

static struct line *lines;
static size_t nlines;
static struct range *ranges;
static size_t nranges;

/* Appends program name's functions and line infos; -errno. */
static int add_prog(const char *name, const char *pin)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), nl, njl, nk;
	struct bpf_line_info *li;
	__u64 *jl, *ks;
	__u32 *kl;
	struct btf *btf;
	int fd = bpf_obj_get(pin), r = 0;

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
		return -errno;
	nl = info.nr_line_info;
	njl = info.nr_jited_line_info;
	nk = info.nr_jited_ksyms;
	li = calloc(nl + 1, sizeof(*li));
	jl = calloc(njl + 1, sizeof(*jl));
	ks = calloc(nk + 1, sizeof(*ks));
	kl = calloc(nk + 1, sizeof(*kl));
	btf = btf__load_from_kernel_by_id(info.btf_id);
	lines = realloc(lines, (nlines + njl) * sizeof(*lines));
	ranges = realloc(ranges, (nranges + nk) * sizeof(*ranges));
	if (!li || !jl || !ks || !kl || !btf || (njl && !lines) || (nk && !ranges)) {
		r = -ENOMEM;
		goto out;
	}
	memset(&info, 0, sizeof(info));
	info.nr_line_info = nl;
	info.line_info_rec_size = sizeof(*li);
	info.line_info = (__u64)(unsigned long)li;
	info.nr_jited_line_info = njl;
	info.jited_line_info_rec_size = sizeof(*jl);
	info.jited_line_info = (__u64)(unsigned long)jl;
	info.nr_jited_ksyms = nk;
	info.jited_ksyms = (__u64)(unsigned long)ks;
	info.nr_jited_func_lens = nk;
	info.jited_func_lens = (__u64)(unsigned long)kl;
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0) {
		r = -errno;
		goto out;
	}
	for (__u32 i = 0; i < nk; i++)
		ranges[nranges++] = (struct range){ks[i], kl[i], name};
	/* Line infos and their JIT-ed addresses go one for one. */
	for (__u32 i = 0; i < njl && i < nl; i++) {
		const char *t = btf__name_by_offset(btf, li[i].line_off);

		lines[nlines++] = (struct line){jl[i], name, strdup(t ? t : ""), li[i].line_col >> 10, 0};
	}
out:
	free(li);
	free(jl);
	free(ks);
	free(kl);
	close(fd);
	return r;
}

static int by_addr(const void *a, const void *b)
{
	const struct line *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int by_hits(const void *a, const void *b)
{
	const struct line *x = a, *y = b;

	return x->hits > y->hits ? -1 : x->hits < y->hits;
}

int main(int argc, char **argv)
{
	unsigned long total = 0, inside = 0;
	char buf[128];
	int top;

	if (argc < 3 || (top = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: %s TOP NAME=PINNED_PROG... < sample-addresses\n", argv[0]);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		int r;

		if (!eq) {
			fprintf(stderr, "prog-lines: %s: not NAME=PINNED_PROG\n", argv[i]);
			return 2;
		}
		*eq = '\0';
		if ((r = add_prog(argv[i], eq + 1)) < 0) {
			fprintf(stderr, "prog-lines: %s: %s\n", eq + 1, strerror(-r));
			return 1;
		}
	}
	qsort(lines, nlines, sizeof(*lines), by_addr);
	while (fgets(buf, sizeof(buf), stdin)) {
		unsigned long long ip = strtoull(buf, NULL, 16);
		size_t lo = 0, hi = nlines;

		total++;
		for (size_t k = 0; k < nranges; k++) {
			if (ip < ranges[k].start || ip >= ranges[k].start + ranges[k].len)
				continue;
			/* The last line info at or before ip. */
			while (hi - lo > 1) {
				size_t mid = (lo + hi) / 2;

				if (lines[mid].addr <= ip)
					lo = mid;
				else
					hi = mid;
			}
			if (nlines && lines[lo].addr <= ip) {
				lines[lo].hits++;
				inside++;
			}
			break;
		}
	}
	printf("%lu samples, %lu in the programs\n", total, inside);
	qsort(lines, nlines, sizeof(*lines), by_hits);
	for (size_t i = 0; i < nlines && i < (size_t)top && lines[i].hits; i++)
		printf("%6.2f%% %s L%u %s\n", inside ? 100.0 * lines[i].hits / inside : 0.0, lines[i].prog,
		       lines[i].lineno, lines[i].text);
	return 0;
}
