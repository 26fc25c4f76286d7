/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_SYSCALL_CLASSES_H
#define OG_SYSCALL_CLASSES_H

#include <stddef.h>
#include <stdint.h>
#include "og_format.h"

/*
 * Which syscalls a ring keeps, chosen in strace's -e trace= syntax
 * (strace(1)): comma-separated names, classes (%file, %network or %net,
 * %process, %signal, %memory, %desc, %ipc, %creds, %clock, %stat, %lstat,
 * %fstat, %%stat, %statfs, %fstatfs, %%statfs, %pure), "all", "none",
 * "?name" (a name this host's tables do not know is left out instead of
 * refused), a leading "!" negating the whole set. Blanks around an item
 * are ignored. The classes are strace's own (strace 6.1,
 * og_syscall_classes.c).
 */
#define OG_SELECT_MAX 4096 /* bytes of a selection's text */

/* The set as the ring header holds it: a set bit is a syscall counted but
 * not recorded (struct og_ring_header.skip, bit nr of skip[arch]). */
struct og_syscall_set {
	__u64 skip[2][OG_SKIP_WORDS];
};

/* Parses text into *set (every syscall kept when text keeps all). Errors
 * name the item: an unknown name or class, an empty item, a regex. */
int og_syscall_select_parse(const char *text, struct og_syscall_set *set);
/* Whether syscall nr of arch is kept. */
int og_syscall_set_kept(const __u64 skip[2][OG_SKIP_WORDS], int arch, int nr);
/* Syscalls of arch with a number this host's tables name that are skipped. */
int og_syscall_set_skipped(const __u64 skip[2][OG_SKIP_WORDS], int arch);
/* The skipped syscalls of arch, comma separated, as strace's "!name,...";
 * "" when all are kept. Truncated with "..." to fit size. */
void og_syscall_set_text(const __u64 skip[2][OG_SKIP_WORDS], int arch, char *buf, size_t size);

#endif
