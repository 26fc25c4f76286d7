/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_EVENTS_H
#define OG_EVENTS_H

/*
 * Uprobe and USDT event kinds: one row each (og_events.c), the only place
 * that says what a kind is. The planner places probes from the rows,
 * gadget-tracer writes the programs' og_kinds from them, the printers,
 * --event, --leaks and the help text read them.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_format.h"

#define OG_EVENT_MAX_FIELDS 4
#define OG_EVENT_MAX_USDT 2

/* How a field's word prints. */
enum og_field_fmt {
	OG_FIELD_UNSIGNED = 0,
	OG_FIELD_SIGNED,
	OG_FIELD_ADDR, /* hex in text, a number in JSON */
	OG_FIELD_BOOL,
};

/* Where a field prints: name(ARG, ...) = RET OUT=... */
enum og_field_place {
	OG_FIELD_ARG = 0,
	OG_FIELD_RET,
	OG_FIELD_OUT,
};

/* One word of an event: where the program takes it from, and how it prints. */
struct og_event_field {
	const char *key;	   /* its label in text, its JSON key */
	uint8_t slot;		   /* OG_EA_*: the record's word (not STACK nor DURATION) */
	uint8_t from;		   /* OG_FROM_* */
	enum og_field_fmt fmt;	   /* default: unsigned */
	enum og_field_place place; /* default: inside the parentheses */
};

/* A constant pair of every event of a kind ("lib": "openssl"). */
struct og_event_pair {
	const char *key, *value;
};

/* Libraries probed by name. */
enum og_lib {
	OG_LIB_NONE = 0,
	OG_LIB_LIBC,
	OG_LIB_LIBSSL,
	OG_LIB_GNUTLS,
	OG_LIB_LIBSTDCXX,
	OG_LIBS,
};

struct og_lib_info {
	const char *name;
	const char *sonames[4]; /* tried in order: the first found is probed */
	/* Static programs commonly carry their own copy: one stripped of its
	 * symbols is reported. */
	bool static_copies;
};

struct og_usdt_name {
	const char *provider, *name;
};

struct og_event_kind_info {
	const char *name; /* --event NAME, "event" in JSON */
	uint32_t family;  /* OG_FAM_* */
	uint32_t flags;	  /* OG_EK_* */
	/* Where it is probed: a function of a library (and of static programs
	 * and uprobe-paths files), or USDT probes (in the library, the
	 * family's runtimes, the programs and uprobe-paths files). */
	enum og_lib lib;
	const char *symbol;
	struct og_usdt_name usdt[OG_EVENT_MAX_USDT];
	uint8_t start; /* a USDT end probe: the OG_EK_INTERNAL kind whose probe started the call */
	/* What it records and how it prints. */
	struct og_event_field fields[OG_EVENT_MAX_FIELDS];
	uint8_t capture;	      /* OG_CAPTURE_* */
	const char *cap_key;	      /* the capture's label and JSON key */
	struct og_event_pair variant; /* shown as name[value] in text, "key": "value" in JSON */
	struct og_event_pair attr;    /* one more constant JSON pair */
};

/* The kind's row, NULL for an unknown kind. */
const struct og_event_kind_info *og_event_kind(uint32_t kind);
/* Checks every row for what the compiler cannot: the combinations the
 * programs and printers support. What a wrong row is, or 0. */
int og_event_kinds_check(void);
/* What the programs read of a kind (og_kinds), from its row; a zeroed one
 * for an unknown kind. */
void og_event_kind_desc(uint32_t kind, struct og_kind_desc *d);
/* A name --event accepts: "syscall" or a recorded kind's name. */
bool og_event_name_known(const char *name);
/* "syscall" (records and standalone exits), "signal", "exit", "oom_kill",
 * "crash"; NULL for events (OG_REC_EVENT: their kind names them) and
 * unknown types. */
const char *og_record_event_name(uint32_t type);
/* The OG_FAM_* family of an event name; 0 for "syscall" or an unknown one. */
uint32_t og_event_name_family(const char *name);
/* The names --event accepts, comma separated. */
const char *og_event_names(void);

/* The uprobe families a container may ask for (io.oci-gadget.uprobes). */
struct og_family_info {
	uint32_t bit; /* OG_FAM_* */
	const char *name;
	/* Its USDT probes are in language runtimes (Python, Java along PATH,
	 * JAVA_HOME, the libraries they need). */
	bool runtimes;
	/* Why it found nothing: what was looked for, and where. */
	const char *nothing;
};
/* A family's row, NULL when bit is not one family. */
const struct og_family_info *og_family(uint32_t bit);
/* The library group's row (OG_LIB_NONE and beyond: NULL). */
const struct og_lib_info *og_lib(enum og_lib lib);

/* Names for the families: "malloc", "ssl", "gc", "exceptions"; "none" and
 * "all". A comma-separated list -> OG_FAM_* bits. */
int og_families_parse(const char *list, uint32_t *families);
/* The reverse, into buf ("none" when 0). */
const char *og_families_name(uint32_t families, char *buf, size_t size);
/* "malloc, ssl, gc, exceptions": the families a user may name. */
const char *og_families_list(void);
/* The families with kinds at USDT notes (usdt), or at functions' symbols
 * (!usdt): OG_FAM_* bits, from the kinds' rows. */
uint32_t og_families_probed(bool usdt);

#endif
