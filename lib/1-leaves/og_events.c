// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_events.h"
#include "og_util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct row {
	uint32_t kind;
	const char *name;
	uint32_t family, flags;
	const char *variant, *fields;
} rows[] = {
#define OG_X_ROW(id, v, name, fam, flags, variant, fields) {v, name, fam, flags, variant, fields},
	OG_EVENT_KINDS(OG_X_ROW)
#undef OG_X_ROW
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

static struct og_event_kind_info infos[OG_EV_MAX];
static int parsed; /* 0: not yet, 1: done, negative: the error */

static const char *const slot_names[] = {
	[OG_EA_SIZE] = "SIZE",	       [OG_EA_ADDR] = "ADDR", [OG_EA_STACK] = "STACK",
	[OG_EA_DURATION] = "DURATION", [OG_EA_OLD] = "OLD",   [OG_EA_RET] = "RET",
};

static int parse_field(const struct row *row, const char *slot, const char *key, const char *fmt,
		       struct og_event_field *f)
{
	size_t s;

	for (s = 0; s < sizeof(slot_names) / sizeof(slot_names[0]); s++)
		if (slot_names[s] && strcmp(slot_names[s], slot) == 0)
			break;
	if (s == sizeof(slot_names) / sizeof(slot_names[0]) || strlen(fmt) != 1 || !strchr("udxb", fmt[0]) ||
	    strlen(key) >= sizeof(f->key))
		return og_err(EINVAL, "event kind %s: bad field '%s %s %s'", row->name, key, slot, fmt);
	og_strfield(f->key, sizeof(f->key), key);
	f->slot = s;
	f->fmt = fmt[0];
	return 0;
}

static int parse_row(const struct row *row, struct og_event_kind_info *k)
{
	char buf[256], *save = NULL;
	const char *eq, *comma;

	memset(k, 0, sizeof(*k));
	k->kind = row->kind;
	k->name = row->name;
	k->family = row->family;
	k->flags = row->flags;
	if (row->variant[0]) {
		eq = strchr(row->variant, '=');
		comma = strchr(row->variant, ',');
		if (!eq || (comma && comma < eq) || (size_t)(eq - row->variant) >= sizeof(k->variant_key))
			return og_err(EINVAL, "event kind %s: bad variant '%s'", row->name, row->variant);
		memcpy(k->variant_key, row->variant, eq - row->variant);
		snprintf(k->variant, sizeof(k->variant), "%.*s", (int)(comma ? comma - eq - 1 : (long)strlen(eq + 1)),
			 eq + 1);
		if (comma)
			og_strfield(k->attrs, sizeof(k->attrs), comma + 1);
	}
	if (strlen(row->fields) >= sizeof(buf))
		return og_err(EINVAL, "event kind %s: fields too long", row->name);
	strcpy(buf, row->fields);
	for (char *part = strtok_r(buf, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
		char what[8], key[OG_EVENT_KEY_LEN], slot[16], fmt[4];
		int n = sscanf(part, "%7s %23s %15s %3s", what, key, slot, fmt);

		if (n == 2 && strcmp(what, "cap") == 0) {
			og_strfield(k->cap_key, sizeof(k->cap_key), key);
			continue;
		}
		if (n != 4)
			return og_err(EINVAL, "event kind %s: bad field '%s'", row->name, part);
		if (strcmp(what, "arg") == 0 && k->nargs < OG_EVENT_MAX_FIELDS) {
			if (parse_field(row, slot, key, fmt, &k->args[k->nargs++]) < 0)
				return -EINVAL;
		} else if (strcmp(what, "out") == 0 && k->nout < OG_EVENT_MAX_FIELDS) {
			if (parse_field(row, slot, key, fmt, &k->out[k->nout++]) < 0)
				return -EINVAL;
		} else if (strcmp(what, "ret") == 0 && !k->has_ret) {
			if (parse_field(row, slot, key, fmt, &k->ret) < 0)
				return -EINVAL;
			k->has_ret = true;
		} else {
			return og_err(EINVAL, "event kind %s: bad field '%s'", row->name, part);
		}
	}
	return 0;
}

int og_event_kinds_check(void)
{
	if (parsed)
		return parsed < 0 ? parsed : 0;
	for (size_t i = 0; i < NROWS; i++) {
		int r;

		if (rows[i].kind == 0 || rows[i].kind >= OG_EV_MAX || infos[rows[i].kind].name) {
			parsed = og_err(EINVAL, "event kind %s: value %u is out of range or taken", rows[i].name,
					rows[i].kind);
			return parsed;
		}
		r = parse_row(&rows[i], &infos[rows[i].kind]);
		if (r < 0) {
			parsed = r;
			return r;
		}
	}
	parsed = 1;
	return 0;
}

const struct og_event_kind_info *og_event_kind(uint32_t kind)
{
	if (og_event_kinds_check() < 0 || kind >= OG_EV_MAX || !infos[kind].name)
		return NULL;
	return &infos[kind];
}

/* Events that are record types, not probe kinds: --event names them. */
static const char *const record_events[OG_REC_TYPES] = {
	[OG_REC_SYSCALL] = "syscall", [OG_REC_SIGNAL] = "signal", [OG_REC_EXIT] = "exit",
	[OG_REC_OOM] = "oom_kill",    [OG_REC_CRASH] = "crash",
};

const char *og_record_event_name(uint32_t type)
{
	if (type == OG_REC_SYS_EXIT)
		type = OG_REC_SYSCALL;
	return type < OG_REC_TYPES ? record_events[type] : NULL;
}

bool og_event_name_known(const char *name)
{
	for (uint32_t t = 0; t < OG_REC_TYPES; t++)
		if (record_events[t] && strcmp(record_events[t], name) == 0)
			return true;
	for (uint32_t k = 1; k < OG_EV_MAX; k++) {
		const struct og_event_kind_info *i = og_event_kind(k);

		if (i && !(i->flags & OG_EK_INTERNAL) && strcmp(i->name, name) == 0)
			return true;
	}
	return false;
}

uint32_t og_event_name_family(const char *name)
{
	for (uint32_t k = 1; k < OG_EV_MAX; k++) {
		const struct og_event_kind_info *i = og_event_kind(k);

		if (i && !(i->flags & OG_EK_INTERNAL) && strcmp(i->name, name) == 0)
			return i->family;
	}
	return 0;
}

const char *og_event_names(void)
{
	static char list[512];

	if (list[0])
		return list;
	for (uint32_t t = 0; t < OG_REC_TYPES; t++) {
		size_t n = strlen(list);

		if (record_events[t])
			snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", record_events[t]);
	}
	for (uint32_t k = 1; k < OG_EV_MAX; k++) {
		const struct og_event_kind_info *i = og_event_kind(k);
		size_t n = strlen(list);
		bool seen = false;

		if (!i || (i->flags & OG_EK_INTERNAL))
			continue;
		for (uint32_t j = 1; j < k && !seen; j++)
			seen = og_event_kind(j) && strcmp(og_event_kind(j)->name, i->name) == 0;
		if (!seen)
			snprintf(list + n, sizeof(list) - n, ", %s", i->name);
	}
	return list;
}

/* The uprobe families a container asks for (io.oci-gadget.uprobes). */
static const struct {
	const char *name;
	uint32_t bit;
} family_names[] = {
	{"malloc", OG_FAM_MALLOC},
	{"ssl", OG_FAM_SSL},
	{"gc", OG_FAM_GC},
	{"exceptions", OG_FAM_EXCEPTIONS},
};

int og_families_parse(const char *list, uint32_t *families)
{
	const char *p = list;

	*families = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		bool known = false;

		while (n && p[0] == ' ')
			p++, n--;
		while (n && p[n - 1] == ' ')
			n--;
		if (n == 4 && strncmp(p, "none", 4) == 0)
			known = true;
		else if (n == 3 && strncmp(p, "all", 3) == 0)
			*families |= OG_FAM_ALL, known = true;
		for (size_t i = 0; i < sizeof(family_names) / sizeof(family_names[0]) && !known; i++) {
			if (strlen(family_names[i].name) == n && strncmp(p, family_names[i].name, n) == 0) {
				*families |= family_names[i].bit;
				known = true;
			}
		}
		if (!known && n)
			return og_err(EINVAL,
				      "uprobes '%s': unknown family '%.*s' (malloc, ssl, gc, exceptions, all, none)",
				      list, (int)n, p);
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return 0;
}

const char *og_families_name(uint32_t families, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(family_names) / sizeof(family_names[0]); i++) {
		if (families & family_names[i].bit)
			n += snprintf(buf + n, n < size ? size - n : 0, "%s%s", n ? "," : "", family_names[i].name);
	}
	if (!buf[0])
		og_strfield(buf, size, "none");
	return buf;
}
