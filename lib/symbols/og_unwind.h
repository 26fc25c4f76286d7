/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_UNWIND_H
#define OG_UNWIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The user stack of a crashed x86-64 process, unwound after the fact from a
 * snapshot: its registers, a copy of the top of its stack and its executable
 * file mappings. Frames come from the files' CFI (.eh_frame, .debug_frame)
 * through libdw, from frame pointers where a file has none, and are named by
 * the files' symbols. The snapshot is written by the process and the files
 * come from its image: both are untrusted. og_unwind reads only inside the
 * snapshot and bounds its steps; og_unwind_isolated (og_unwind_isolated.h)
 * runs it in a child that a hostile file can crash or hang at no cost but
 * the frames' names.
 */

/* The registers as struct pt_regs holds them (the first 21 words of struct
 * user_regs_struct from PTRACE_GETREGS). */
enum og_unwind_reg {
	OG_UNWIND_R15,
	OG_UNWIND_R14,
	OG_UNWIND_R13,
	OG_UNWIND_R12,
	OG_UNWIND_RBP,
	OG_UNWIND_RBX,
	OG_UNWIND_R11,
	OG_UNWIND_R10,
	OG_UNWIND_R9,
	OG_UNWIND_R8,
	OG_UNWIND_RAX,
	OG_UNWIND_RCX,
	OG_UNWIND_RDX,
	OG_UNWIND_RSI,
	OG_UNWIND_RDI,
	OG_UNWIND_ORIG_RAX,
	OG_UNWIND_RIP,
	OG_UNWIND_CS,
	OG_UNWIND_EFLAGS,
	OG_UNWIND_RSP,
	OG_UNWIND_SS,
	OG_UNWIND_NREGS
};

#define OG_UNWIND_STACK_MAX (1u << 20) /* bytes of stack copy looked at */
#define OG_UNWIND_MAPS_MAX 1024	       /* mappings looked at */
#define OG_UNWIND_FRAMES_MAX 1024      /* frames returned, whatever max says */
#define OG_FRAME_TEXT 256

/* One executable file mapping, as /proc/PID/maps shows it. */
struct og_unwind_map {
	uint64_t start, end, pgoff;
	const char *path; /* as the process sees it, inside its root */
};

struct og_unwind_input {
	uint64_t regs[OG_UNWIND_NREGS];
	const uint8_t *stack; /* the copy of stack_len bytes from stack_addr */
	size_t stack_len;
	uint64_t stack_addr; /* normally regs[OG_UNWIND_RSP] */
	const struct og_unwind_map *maps;
	size_t nmaps;
	/* Opens a mapping's file read-only (the caller resolves path safely
	 * inside the process's root): an fd, which the unwinder closes, or
	 * -errno. */
	int (*open_file)(void *arg, const char *path);
	void *open_arg;
};

enum og_frame_how {
	OG_FRAME_REGS, /* the first frame: where the process stopped */
	OG_FRAME_CFI,  /* found with its callee's CFI: certain */
	OG_FRAME_FP,   /* found by the frame pointer where there was no CFI: a guess */
};

struct og_frame {
	uint64_t pc; /* the return address (the instruction, in the first frame) */
	enum og_frame_how how;
	/* "main+0x12 (/crash)"; "/lib/x.so+0x1234" without a symbol (the
	 * address in the file's ELF view, what addr2line -e takes); "/lib/x.so
	 * (file offset 0x1234)" when the file could not be read; "0x7f..." in
	 * no mapping. Names from the files are escaped to one line. */
	char text[OG_FRAME_TEXT];
};

/*
 * Unwinds in's stack into frames (at most max, the first one from the
 * registers) and sets *n. Returns 0 whenever there is a first frame, even
 * when the walk stopped early: then why says where and why ("no CFI for pc
 * 0x... in /crash", "the stack copy ends at 0x..."), with the files that
 * could not be read; why is "" when the walk reached the outermost frame.
 * -EINVAL (invalid input) and -ENOMEM with og_err().
 */
int og_unwind(const struct og_unwind_input *in, struct og_frame *frames, size_t max, size_t *n, char *why,
	      size_t why_len);

/*
 * Checks the arguments as og_unwind does and sets the first frame alone,
 * from the registers, named from the mappings without reading their files:
 * *n is 1 and why "". What a caller keeps when the unwinding fails.
 */
int og_unwind_first_frame(const struct og_unwind_input *in, struct og_frame *frames, size_t max, size_t *n, char *why,
			  size_t why_len);

/*
 * Which mappings' files og_unwind would read: wanted[i], for each of the
 * first OG_UNWIND_MAPS_MAX of in's mappings, says a frame may be in it (the
 * pc's, or one a word of the stack copy points into). For a caller that
 * opens the files before it can no longer (og_unwind_isolated). -EINVAL,
 * -ENOMEM with og_err().
 */
int og_unwind_wanted(const struct og_unwind_input *in, bool *wanted);

/* "regs", "cfi", "fp". */
const char *og_frame_how_name(enum og_frame_how how);

#endif
