/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_EVENTS_H
#define OG_EVENTS_H

/* Uprobe and USDT event kinds, from the rows of OG_EVENT_KINDS
 * (og_format.h): what every user-space reader knows of a kind. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_format.h"

#define OG_EVENT_MAX_FIELDS 4
#define OG_EVENT_KEY_LEN 24

struct og_event_field {
	char key[OG_EVENT_KEY_LEN];
	uint8_t slot; /* OG_EA_* */
	char fmt;     /* 'u', 'd', 'x', 'b' */
};

struct og_event_kind_info {
	uint32_t kind;
	const char *name;
	uint32_t family; /* OG_FAM_* */
	uint32_t flags;	 /* OG_EK_* */
	char variant_key[OG_EVENT_KEY_LEN], variant[OG_EVENT_KEY_LEN];
	/* More constant JSON pairs ("direction=write"), comma separated. */
	char attrs[64];
	struct og_event_field args[OG_EVENT_MAX_FIELDS], out[OG_EVENT_MAX_FIELDS], ret;
	int nargs, nout;
	bool has_ret;
	char cap_key[OG_EVENT_KEY_LEN]; /* "" when the kind has no capture */
};

/* The kind's row, NULL for an unknown kind. */
const struct og_event_kind_info *og_event_kind(uint32_t kind);
/* Checks every row once; what a malformed row is, or 0. */
int og_event_kinds_check(void);
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

/* Names for the families: "malloc", "ssl", "gc", "exceptions"; "none" and
 * "all". A comma-separated list -> OG_FAM_* bits. */
int og_families_parse(const char *list, uint32_t *families);
/* The reverse, into buf ("none" when 0). */
const char *og_families_name(uint32_t families, char *buf, size_t size);

#endif
