/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_USYMS_H
#define OG_USYMS_H

#include <stddef.h>
#include <stdint.h>

/* A process's file mappings, from /proc/PID/maps text: where each file
 * sits, so that a user address can be named as a file and an offset. */
struct og_usyms {
	struct og_umap {
		uint64_t lo, hi, offset;
		const char *file; /* points into text */
	} * maps;
	size_t n;
	char *text;
};

/* Parses maps text (takes ownership of text, malloc'd); keeps the lines
 * that map a file (a path starting with '/'), in their order. */
int og_usyms_parse(char *text, struct og_usyms *us);
/* /proc/PID/maps; -ENOENT once the process is gone. On failure us holds
 * no mappings: og_usyms_format gives raw addresses. */
int og_usyms_load(uint32_t pid, struct og_usyms *us);
/* "file+0xoffset" of addr into buf, from the first mapping that holds
 * it; "0x..." when none does. */
const char *og_usyms_format(const struct og_usyms *us, uint64_t addr, char *buf, size_t size);
void og_usyms_free(struct og_usyms *us);

#endif
