// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_crash_unwind.h"
#include "og_oci.h"
#include "og_record.h"
#include "og_unwind.h"
#include "og_unwind_isolated.h"
#include "og_util.h"

#include <errno.h>
#include <string.h>

/* An ELF file of an image may be big (a JVM's libjvm.so is 20 MiB). */
#define CRASH_FILE_MAX (1ULL << 30)

_Static_assert((int)OG_CRASH_REGS == (int)OG_UNWIND_NREGS && (int)OG_REG_IP == (int)OG_UNWIND_RIP &&
		       (int)OG_REG_SP == (int)OG_UNWIND_RSP,
	       "the crash record's registers are pt_regs, as og_unwind takes them");

static int open_in_image(void *arg, const char *path)
{
	int fd = -1, r = og_image_open_file(arg, path, CRASH_FILE_MAX, &fd);

	return r < 0 ? r : fd;
}

int og_crash_image_open(struct og_image *im, const char *bundle, int pid)
{
	__attribute__((cleanup(oci_config_free))) struct oci_config cfg = {0};
	int r;

	/* Only the process's own root: og_image_open falls back to its
	 * rootfs argument, here the host's. */
	if (pid > 0 && og_image_open(im, "/", pid, 0) == 0) {
		if (strcmp(im->view, "the container's mount namespace") == 0)
			return 0;
		og_image_close(im);
	}
	r = oci_config_read(bundle, &cfg);
	if (r < 0)
		return og_err_wrap(-r, "the crash's files");
	return og_image_open(im, cfg.root_path, 0, 0);
}

void og_crash_stack_free(struct og_crash_stack *st)
{
	for (size_t f = 0; f < st->n; f++)
		free((char *)st->frames[f].text);
	free((struct og_crash_frame *)st->frames);
	free((char *)st->why);
	memset(st, 0, sizeof(*st));
}

int og_crash_unwind(const struct og_rec *crash, struct og_image *im, unsigned deadline_ms, struct og_crash_stack *out)
{
	struct og_unwind_map maps[OG_CRASH_MAPS];
	char paths[OG_CRASH_MAPS][OG_CRASH_PATH_MAX + 1];
	struct og_frame frames[64];
	struct og_unwind_input in = {.open_file = open_in_image, .open_arg = im};
	struct og_crash_frame *cf;
	struct og_crash_view v;
	char why[512] = "";
	size_t n = 0;
	int r;

	memset(out, 0, sizeof(*out));
	if (og_crash_view(crash, &v) < 0)
		return og_err(EPROTO, "crash record of tid %u: its stack and mappings are inconsistent", crash->tid);
	memcpy(in.regs, v.crash->regs, sizeof(in.regs));
	in.stack = v.stack;
	in.stack_len = v.stack_len;
	in.stack_addr = v.stack_addr;
	for (size_t i = 0; i < v.nmaps && i < OG_CRASH_MAPS; i++) {
		size_t len = v.maps[i].path_len < OG_CRASH_PATH_MAX ? v.maps[i].path_len : OG_CRASH_PATH_MAX;

		memcpy(paths[i], v.paths + v.maps[i].path_off, len);
		paths[i][len] = '\0';
		maps[i] = (struct og_unwind_map){
			.start = v.maps[i].start, .end = v.maps[i].end, .pgoff = v.maps[i].pgoff, .path = paths[i]};
		in.nmaps++;
	}
	in.maps = maps;
	r = og_unwind_isolated(&in, deadline_ms, frames, sizeof(frames) / sizeof(frames[0]), &n, why, sizeof(why));
	if (r < 0)
		return r;
	cf = calloc(n ? n : 1, sizeof(*cf));
	if (!cf)
		return og_err(ENOMEM, "crash stack");
	out->frames = cf;
	for (size_t i = 0; i < n; i++) {
		cf[i] = (struct og_crash_frame){.pc = frames[i].pc, .guessed = frames[i].how == OG_FRAME_FP};
		if (!(cf[i].text = strdup(frames[i].text))) {
			og_crash_stack_free(out);
			return og_err(ENOMEM, "crash stack");
		}
		out->n = i + 1;
	}
	if (why[0] && !(out->why = strdup(why))) {
		og_crash_stack_free(out);
		return og_err(ENOMEM, "crash stack");
	}
	return 0;
}
