// SPDX-License-Identifier: GPL-2.0-or-later
/* A crash snapshot's registers and stack, which the crashed process wrote,
 * unwound against real files: this fuzzer's own code and libc, mapped at
 * fixed made-up addresses so that seeds mean the same in every build.
 * Input: one byte of flags, the 21 pt_regs words (zeros when short), then
 * the stack copy. */
#include "config.h"
#include "fuzz.h"
#include "og_unwind.h"
#include "og_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#define TEXT_AT 0x100000000ULL	   /* this fuzzer's code */
#define LIBC_AT 0x200000000ULL	   /* libc's code */
#define STACK_AT 0x7ff000000000ULL /* the stack copy */

enum {
	IP_IN_TEXT = 1,	   /* ip: an offset into this fuzzer's code */
	SP_AT_STACK = 2,   /* rsp: the start of the copy */
	RBP_IN_STACK = 4,  /* rbp: an offset into the copy */
	FEW_FRAMES = 8,	   /* max 4 frames, else 64 */
	WITHOUT_LIBC = 16, /* libc's mapping left out */
};

static struct og_unwind_map maps[2];
static char paths[2][4096];
static size_t nmaps;

/* The r-x mapping of path (the real one in this process), moved to at. */
static void add_map(const char *path, uint64_t at)
{
	unsigned long long start, end, off;
	char line[4400], perms[8];
	FILE *f = fopen("/proc/self/maps", "re");
	int pos;

	while (f && fgets(line, sizeof(line), f)) {
		pos = 0;
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &off, &pos) >= 4 && pos &&
		    strcmp(perms, "r-xp") == 0 && strcmp(line + pos, path) == 0) {
			og_strfield(paths[nmaps], sizeof(paths[0]), path);
			maps[nmaps] = (struct og_unwind_map){at, at + (end - start), off, paths[nmaps]};
			nmaps++;
			break;
		}
	}
	if (f)
		fclose(f);
}

static void setup(void)
{
	char self[4096], libc[4096] = "";
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	FILE *f = fopen("/proc/self/maps", "re");
	char line[4400];

	if (len <= 0)
		abort();
	self[len] = '\0';
	add_map(self, TEXT_AT);
	while (f && fgets(line, sizeof(line), f) && !libc[0]) {
		char *p = strchr(line, '/');

		line[strcspn(line, "\n")] = '\0';
		if (p && strstr(p, "/libc.so.6"))
			og_strfield(libc, sizeof(libc), p);
	}
	if (f)
		fclose(f);
	if (libc[0])
		add_map(libc, LIBC_AT);
	if (nmaps == 0)
		abort();
}

static int open_file(void *arg, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	(void)arg;
	return fd < 0 ? -errno : fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct og_frame frames[64];
	struct og_unwind_input in = {.stack_addr = STACK_AT, .maps = maps, .open_file = open_file};
	size_t n = 0, max, regs_len = sizeof(in.regs);
	uint8_t flags;
	char why[512];

	if (!nmaps)
		setup();
	if (size < 1)
		return 0;
	flags = data[0];
	data++, size--;
	memcpy(in.regs, data, size < regs_len ? size : regs_len);
	in.stack = size > regs_len ? data + regs_len : NULL;
	in.stack_len = size > regs_len ? size - regs_len : 0;
	in.nmaps = flags & WITHOUT_LIBC ? 1 : nmaps;
	if (flags & IP_IN_TEXT)
		in.regs[OG_UNWIND_RIP] = maps[0].start + in.regs[OG_UNWIND_RIP] % (maps[0].end - maps[0].start);
	if (flags & SP_AT_STACK)
		in.regs[OG_UNWIND_RSP] = STACK_AT;
	if ((flags & RBP_IN_STACK) && in.stack_len)
		in.regs[OG_UNWIND_RBP] = STACK_AT + in.regs[OG_UNWIND_RBP] % in.stack_len;
	max = flags & FEW_FRAMES ? 4 : 64;

	FUZZ_ASSERT(og_unwind(&in, frames, max, &n, why, sizeof(why)) == 0);
	FUZZ_ASSERT(n >= 1 && n <= max && frames[0].pc == in.regs[OG_UNWIND_RIP]);
	FUZZ_ASSERT(strnlen(why, sizeof(why)) < sizeof(why));
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(strnlen(frames[i].text, sizeof(frames[i].text)) < sizeof(frames[i].text));
		FUZZ_ASSERT((i == 0) == (frames[i].how == OG_FRAME_REGS) && frames[i].how <= OG_FRAME_FP);
	}
	return 0;
}
