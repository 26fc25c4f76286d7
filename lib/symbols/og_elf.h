/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_ELF_H
#define OG_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_format.h"

/* All take an open file (fd) and name it what in errors. An ELF file is
 * untrusted input: every section used is checked against the file's size
 * and these limits before libelf reads it. */
#define OG_ELF_FILE_MAX (1ULL << 30)  /* larger files are not read */
#define OG_ELF_SYMTAB_MAX (64u << 20) /* a symbol or string table */
#define OG_ELF_NOTES_MAX (4u << 20)   /* .note.stapsdt */
#define OG_ELF_NOTES_COUNT 4096	      /* USDT notes read per file */
#define OG_ELF_SECTIONS_MAX 65535

/* File offset of the defined function symbol name (.dynsym, then .symtab),
 * which is what a uprobe is attached at. -ENOENT when there is none. */
int og_elf_symbol_offset(int fd, const char *what, const char *name, uint64_t *off);
/* The same for count names in one pass over the file: offs[i] is 0 for a
 * name that is not there. */
int og_elf_symbol_offsets(int fd, const char *what, const char *const *names, size_t count, uint64_t *offs);

/* The load bias (run-time address minus ELF address) of an executable's or
 * library's code, from one mapping of it as /proc/PID/maps shows it (start,
 * end, file offset pgoff): the PT_LOAD segment whose page-aligned offset is
 * pgoff, else the one holding pgoff. An ET_EXEC file is never moved: 0, or
 * -ENOEXEC when the mapping is not where its segment says. Only x86-64
 * ET_EXEC and ET_DYN files (-ENOEXEC for others). */
int og_elf_load_bias(int fd, const char *what, uint64_t start, uint64_t end, uint64_t pgoff, uint64_t *bias);

struct og_elf_info {
	bool is_static;	     /* no PT_INTERP: probes go on the binary itself */
	bool has_symtab;     /* not stripped */
	size_t n_needed;     /* DT_NEEDED entries */
	char needed[16][64]; /* the first 16 of them */
};
int og_elf_info(int fd, const char *what, struct og_elf_info *info);

/* One SystemTap SDT probe (.note.stapsdt), with its addresses already
 * turned into file offsets (.stapsdt.base prelink adjustment applied). */
struct og_usdt_note {
	char provider[64];
	char name[64];
	uint64_t offset;     /* of the probe's nop */
	uint64_t sem_offset; /* of the semaphore, 0 when it has none */
	char args[256];	     /* argument specs, as the compiler wrote them */
};
/* Every note of the file, in file order (at most OG_ELF_NOTES_COUNT);
 * *notes is malloc'd (free it). */
int og_elf_usdt_notes(int fd, const char *what, struct og_usdt_note **notes, size_t *n);

/* Decodes one note's argument string ("-4@%eax 8@-8(%rbp) 4@$5") for the
 * BPF side. Unsupported forms (SIB addressing, symbols) give -EOPNOTSUPP
 * with the spec named. */
int og_usdt_parse_args(const char *args, struct og_usdt_spec *spec);

#endif
