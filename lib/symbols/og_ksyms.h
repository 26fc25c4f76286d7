/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_KSYMS_H
#define OG_KSYMS_H

#include <stddef.h>
#include <stdint.h>

/* Kernel symbols from /proc/kallsyms text, sorted by address. */
struct og_ksyms {
	struct og_ksym {
		uint64_t addr;
		char *name;
	} * syms;
	size_t n;
	char *text; /* names point into it */
};

/* Parses kallsyms text (takes ownership of text, malloc'd). Addresses all
 * zero (no CAP_SYSLOG) is -EPERM. */
int og_ksyms_parse(char *text, struct og_ksyms *ks);
int og_ksyms_load(struct og_ksyms *ks);
/* "name+0xoff" of addr into buf; "0x..." when no symbol is below it. */
const char *og_ksyms_format(const struct og_ksyms *ks, uint64_t addr, char *buf, size_t size);
void og_ksyms_free(struct og_ksyms *ks);

#endif
