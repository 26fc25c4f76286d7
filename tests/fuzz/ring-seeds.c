// SPDX-License-Identifier: GPL-2.0-or-later
/* Writes seed inputs for fuzz-ring (its odd form: head, then one chunk)
 * with the records the BPF writer makes: a syscall with a path, a write
 * with its bytes, one still in progress, a malloc event, a pad at the
 * chunk's end, compact records (format 5) and their output records
 * (format 6); and with --crashfile, seeds for fuzz-crashfile: a crash
 * file of a read killed by a signal, an OOM kill and a crash with its
 * stack. Usage: ring-seeds [--crashfile] DIR */
#include "config.h"
#include "../unit/ring-build.h"
#include "og_crashfile.h"

#include <stdio.h>

static void save(const char *dir, const char *name, const uint8_t *mem)
{
	const struct og_ring_header *h = (const struct og_ring_header *)mem;
	char path[4096];
	uint8_t form = 1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fwrite(&form, 1, 1, f);
	fwrite(&h->head, 8, 1, f);
	/* The records only: the chunk's zero tail adds nothing. */
	fwrite(mem + OG_ELEM_SIZE, 1, h->head < OG_CHUNK_BYTES ? h->head : OG_CHUNK_BYTES, f);
	fclose(f);
}

static int crashfile_seeds(const char *dir)
{
	struct og_signal sig = {.signo = 9, .what = OG_SIG_SENT, .flags = OG_SIGF_OUTSIDE, .sender_comm = "runc"};
	struct og_exit x = {.code = 9, .flags = OG_EXITF_GROUP_DEAD | OG_EXITF_OOM};
	struct og_oom o = {.anon_rss_kb = 32000, .mem_limit = 32 << 20, .flags = OG_OOMF_MEMCG};
	struct og_crash c = {.sig = {.signo = 11, .code = 1, .what = OG_SIG_DELIVERED}, .nmaps = 1};
	struct og_crash_map mp = {.start = 0x400000, .end = 0x500000, .path_len = 6};
	struct og_crash_frame fr = {.pc = 0x401000, .text = "main+0x10 (/crash)"};
	struct og_crash_stack_at at = {.pos = 0, .stack = {.n = 1, .frames = &fr, .why = "end of the stack copy"}};
	struct og_crash_stacks stacks = {.n = 1, .items = &at};
	struct og_container_meta meta = {.version = OG_META_VERSION, .state = OG_STATE_STOPPED, .id = "seed"};
	uint8_t maps[OG_CRASH_MAPS * sizeof(struct og_crash_map) + 8] = {0}, stack[256] = {0};
	uint8_t *header = tring_new(1), *data;
	struct og_rec_buf b = {0};
	char path[4096];
	size_t len;
	FILE *f;

	memcpy(maps, &mp, sizeof(mp));
	memcpy(maps + OG_CRASH_MAPS * sizeof(struct og_crash_map), "/crash", 6);
	trec_append(&b, &(struct trec){.tid = 7, .nr = 0, .ts = 1, .nargs = 3, .state = OG_TAG_ENTERED});
	trec_append(&b, &(struct trec){.type = OG_REC_SIGNAL, .tid = 7, .nr = 9, .ts = 2, .body = &sig});
	trec_append(&b, &(struct trec){.type = OG_REC_OOM, .tid = 7, .ts = 3, .body = &o});
	trec_append(&b, &(struct trec){.type = OG_REC_EXIT, .tid = 7, .ts = 4, .body = &x});
	trec_append(&b, &(struct trec){.type = OG_REC_CRASH,
				       .tid = 8,
				       .nr = 11,
				       .ts = 5,
				       .body = &c,
				       .ncaps = 2,
				       .caps = {{.kind = OG_ARG_STACK, .data = stack, .len = sizeof(stack)},
						{.kind = OG_ARG_MAPS, .data = maps, .len = sizeof(maps) - 2}}});
	/* One element of fd table with a file of process 7 as fd 1. */
	static struct og_fd_elem fds;
	struct og_fd_entry fe = {
		.key = og_fd_key(7, 1), .open_ns = 1, .tgid = 7, .fd = 1, .kind = OG_FDK_FILE, .len = 4};

	memcpy(fe.path, "/log", 4);
	if (og_fd_table_put(&fds, 1, &fe) < 0)
		return 1;
	if (og_crashfile_build(&(struct og_crashfile_parts){.meta = &meta,
							    .ring_header = header,
							    .records = &b,
							    .stacks = &stacks,
							    .fds = &fds,
							    .fds_len = sizeof(fds),
							    .reason = OG_CRASH_WHY_SIGNAL},
			       &data, &len) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/crash", dir);
	if (!(f = fopen(path, "w"))) {
		perror(path);
		return 1;
	}
	fwrite(data, 1, len, f);
	fclose(f);
	free(data);
	free(header);
	og_rec_buf_free(&b);
	return 0;
}

int main(int argc, char **argv)
{
	static const char path[] = "/etc/hostname";
	static const char bytes[] = "hello from the ring";
	uint8_t *mem;

	if (argc == 3 && strcmp(argv[1], "--crashfile") == 0)
		return crashfile_seeds(argv[2]);
	if (argc != 2)
		return 2;
	mem = tring_new(1);
	tring_put(mem, &(struct trec){.tid = 7,
				      .nr = 257,
				      .ts = 100,
				      .nargs = 4,
				      .args = {-100, 0x1000, 0, 0},
				      .ret = 3,
				      .dur_ns = 500,
				      .ncaps = 1,
				      .caps = {{.arg = 1, .kind = OG_ARG_STR, .data = path, .len = sizeof(path)}}});
	tring_put(mem, &(struct trec){.tid = 7,
				      .nr = 1,
				      .ts = 200,
				      .nargs = 3,
				      .args = {1, 0x2000, 19},
				      .ret = 19,
				      .ncaps = 1,
				      .caps = {{.arg = 1, .kind = OG_ARG_BUF_IN, .data = bytes, .len = 19}}});
	tring_put(mem, &(struct trec){.tid = 8, .nr = 0, .ts = 300, .nargs = 3, .state = OG_TAG_ENTERED});
	save(argv[1], "syscalls", mem);
	free(mem);

	mem = tring_new(1);
	for (int i = 0; i < 400; i++)
		tring_put(mem, &(struct trec){.tid = 9, .nr = 39, .ts = 1000 + i, .ret = 9});
	save(argv[1], "wrapped", mem);
	free(mem);

	/* Format 5 as sys_enter writes it: a thread record, then compact
	 * records naming it (arguments of every class, a 64-bit return, a
	 * syscall number past 1022, an output buffer). */
	mem = tring_new(1);
	{
		struct trec who = {.tid = 11, .tgid = 10, .ts = 5000};
		uint64_t thr = tring_put_thread(mem, &who, 1, 2, "srv");

		tring_put_compact(
			mem,
			&(struct trec){.tid = 11,
				       .nr = 257,
				       .ts = 5100,
				       .nargs = 4,
				       .args = {-100, 0x7ffd00001000, 0x80000, 0},
				       .ret = 3,
				       .ncaps = 1,
				       .caps = {{.arg = 1, .kind = OG_ARG_STR, .data = path, .len = sizeof(path)}},
				       .seq = 0},
			thr, who.ts, 0);
		tring_put_compact(
			mem,
			&(struct trec){.tid = 11, .nr = 9, .ts = 5200, .nargs = 6, .ret = 0x7f0000001000, .seq = 1},
			thr, who.ts, 1);
		tring_put_compact(mem, &(struct trec){.tid = 11, .nr = 4000, .ts = 5300, .ret = -38, .seq = 3}, thr,
				  who.ts, 1023);
		tring_put_compact(
			mem,
			&(struct trec){
				.tid = 11,
				.nr = 0,
				.ts = 5400,
				.nargs = 3,
				.args = {5, 0x2000, 64},
				.ret = 19,
				.ncaps = 1,
				.caps = {{.arg = 1, .kind = OG_ARG_BUF_OUT, .data = bytes, .len = 19, .size = 64}},
				.seq = 4,
				.state = OG_TAG_ENTERED},
			thr, who.ts, 1);
	}
	save(argv[1], "compact", mem);
	free(mem);

	/* Format 6 as sys_exit writes it: outputs apart, in output records
	 * linked from their syscall records (one spliced, one not returned
	 * yet, one lost for want of room). */
	mem = tring_new(1);
	{
		struct trec who = {.tid = 12, .tgid = 12, .ts = 6000};
		uint64_t thr = tring_put_thread(mem, &who, 1, 1, "srv");
		struct trec rd = {.tid = 12,
				  .nr = 0,
				  .ts = 6100,
				  .nargs = 3,
				  .args = {5, 0x3000, 64},
				  .ret = 19,
				  .ncaps = 1,
				  .caps = {{.arg = 1, .kind = OG_ARG_BUF_OUT, .flags = OG_CAP_APART, .len = 64}},
				  .state = OG_TAG_ENTERED};
		struct trec ep = {
			.tid = 12,
			.nr = 232,
			.ts = 6200,
			.nargs = 4,
			.args = {4, 0x4000, 8, -1},
			.ret = 1,
			.ncaps = 1,
			.caps = {{.arg = 1, .kind = OG_ARG_ARRAY_OUT, .flags = OG_CAP_APART, .count = 12, .len = 96}},
			.seq = 1,
			.state = OG_TAG_ENTERED};
		uint8_t event[12] = {1, 0, 0, 0, 7};
		uint64_t p = tring_put_compact(mem, &rd, thr, who.ts, 0);

		tring_put_output(mem, p, 0, bytes, 19, 0, false);
		p = tring_put_compact(mem, &ep, thr, who.ts, 0);
		tring_put_output(mem, p, 0, event, sizeof(event), 0, false);
		rd.seq = 2;
		rd.ts = 6300;
		p = tring_put_compact(mem, &rd, thr, who.ts, 0);
		tring_put_output(mem, p, 0, bytes, 19, 0, true);
		rd.seq = 3;
		rd.ts = 6400;
		tring_put_compact(mem, &rd, thr, who.ts, 0);
	}
	save(argv[1], "output", mem);
	free(mem);
	return 0;
}
