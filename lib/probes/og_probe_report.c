// SPDX-License-Identifier: GPL-2.0-or-later
/* The probe report: entries added, checked, and said as lines. */
#include "config.h"
#include "og_probe_report.h"
#include "og_events.h"
#include "og_util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const how_names[OG_HOWS] = {
	[OG_HOW_PROGRAM] = "the container's program",
	[OG_HOW_INTERPRETER] = "the #! interpreter of the container's program",
	[OG_HOW_PATHS] = "uprobe-paths",
	[OG_HOW_ALONG_PATH] = "along PATH",
	[OG_HOW_JAVA_HOME] = "JAVA_HOME",
	[OG_HOW_LIBRARY] = "library",
	[OG_HOW_NEEDED] = "a library the program needs",
	[OG_HOW_LIBJVM] = "libjvm.so of java",
};

const char *og_probe_how_name(uint32_t how)
{
	return how < OG_HOWS ? how_names[how] : NULL;
}

void og_probe_report_init(struct og_probe_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->version = OG_PROBES_VERSION;
}

int og_probe_report_add(struct og_probe_report *rep, const struct og_probe_entry *e, const char *text)
{
	size_t len = strlen(text);
	struct og_probe_entry *n;

	if (rep->nentries >= OG_PROBES_ENTRIES || len > UINT16_MAX || rep->text_len + len + 1 > OG_PROBES_TEXT)
		return -ENOSPC;
	n = &rep->entries[rep->nentries++];
	*n = *e;
	n->text_off = rep->text_len;
	n->text_len = len;
	memcpy(rep->text + rep->text_len, text, len + 1);
	rep->text_len += len + 1;
	return 0;
}

const char *og_probe_entry_text(const struct og_probe_report *rep, const struct og_probe_entry *e)
{
	return rep->text + e->text_off;
}

int og_probe_line(const struct og_probe_entry *e, const char *text, char *buf, size_t size)
{
	char fam[32];
	int n;

	og_families_name(e->family, fam, sizeof(fam));
	switch (e->type) {
	case OG_PROBE_FOUND:
		n = snprintf(buf, size, "%s: %s (%u probe%s, %s)", fam, text, e->count, e->count == 1 ? "" : "s",
			     og_probe_how_name(e->how));
		break;
	case OG_PROBE_NOTHING: n = snprintf(buf, size, "%s: nothing: %s", fam, text); break;
	default: n = snprintf(buf, size, "%s", text);
	}
	return n < 0 ? 0 : (size_t)n < size ? n : (int)size - 1;
}

int og_probes_check(const struct og_probe_report *rep, const char *what)
{
	if (rep->version != OG_PROBES_VERSION || rep->nentries > OG_PROBES_ENTRIES || rep->text_len > OG_PROBES_TEXT)
		return og_err(EPROTO, "%s: report format %u, this build reads %u", what, rep->version,
			      OG_PROBES_VERSION);
	for (uint32_t i = 0; i < rep->nentries; i++) {
		const struct og_probe_entry *e = &rep->entries[i];
		bool fam = e->type == OG_PROBE_FOUND || e->type == OG_PROBE_NOTHING;

		if (e->type < OG_PROBE_FOUND || e->type > OG_PROBE_NOTE ||
		    (uint64_t)e->text_off + e->text_len >= rep->text_len || rep->text[e->text_off + e->text_len] ||
		    memchr(rep->text + e->text_off, '\0', e->text_len) || (fam && !og_family(e->family)) ||
		    (e->type == OG_PROBE_FOUND && !og_probe_how_name(e->how)))
			return og_err(EPROTO, "%s: entry %u is malformed", what, i);
	}
	return 0;
}
