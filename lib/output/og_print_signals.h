/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_PRINT_SIGNALS_H
#define OG_PRINT_SIGNALS_H

/*
 * Why a process died, as strace prints it: signal, exit, OOM and crash
 * records (og_format.h) as text lines and JSON fields. og_print calls
 * these after a line's prefix, or inside a record's open JSON map.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <yajl/yajl_gen.h>
#include "og_format.h"
#include "og_record.h"

/* A crash's stack, unwound by the caller (gadget-dump, from the image's
 * files), or NULL: the printers then show the registers and mappings. */
struct og_crash_frame {
	uint64_t pc;
	const char *text; /* "main+0x12 (/crash)" */
	bool guessed;	  /* found by a frame-pointer walk, not from CFI */
};
struct og_crash_stack {
	size_t n;
	const struct og_crash_frame *frames;
	const char *why; /* why the unwinding stopped short, or NULL */
};

/* A sent signal is printed when its line says what its delivery will not:
 * sent from outside, by the kernel, not delivered, blocked, or one that is
 * never dequeued (SIGKILL, SIGSTOP). JSON shows every one. */
bool og_signal_sent_shown(const struct og_signal *s);

/* The line after its prefix ("--- SIGSEGV {...} ---", "+++ exited with 3
 * +++"...), its newline and a crash's frames. */
int og_print_signals_text(FILE *out, const struct og_event *ev, const struct og_crash_stack *stack);
/* The record's fields, into the open JSON map. */
void og_print_signals_json(yajl_gen g, const struct og_event *ev, const struct og_crash_stack *stack);

#endif
