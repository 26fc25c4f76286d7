// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump probes: what gadget-hook probed in a container's image. */
#include "config.h"
#include "dump.h"
#include "og_events.h"
#include "og_probe_report.h"
#include "og_util.h"

#include <errno.h>
#include <string.h>

/* One entry: its line, and for a family's finding its parts. */
static void gen_entry(yajl_gen g, const struct og_probe_report *rep, const struct og_probe_entry *e)
{
	const char *text = og_probe_entry_text(rep, e);
	char line[OG_PROBES_TEXT + 128], fam[32];

	og_probe_line(e, text, line, sizeof(line));
	og_families_name(e->family, fam, sizeof(fam));
	yajl_gen_map_open(g);
	og_json_str(g, "text", line);
	if (e->type == OG_PROBE_FOUND) {
		og_json_str(g, "family", fam);
		og_json_str(g, "path", text);
		og_json_int(g, "probes", e->count);
		og_json_str(g, "found", og_probe_how_name(e->how));
	} else if (e->type == OG_PROBE_NOTHING) {
		og_json_str(g, "family", fam);
		og_json_str(g, "nothing", text);
	}
	yajl_gen_map_close(g);
}

/* What gadget-hook probed in the container's image, and why a family
 * found nothing: the report pinned beside its ring. */
int cmd_probes(const struct dump_opts *o, const char *query)
{
	cleanup_dump_source struct dump_source src = {};
	const struct og_container_meta *meta = &src.meta;
	struct og_probe_report rep;
	char line[OG_PROBES_TEXT + 128];
	yajl_gen g;
	int r;

	r = dump_source_open(o, query, &src);
	if (r < 0)
		return r;
	r = src.ops->probes(&src, &rep);
	if (r == -ENOENT)
		return og_err(ENOENT,
			      "container '%s': no uprobes were asked for (io.oci-gadget.uprobes, uprobes in "
			      "oci-gadget.conf)",
			      meta->id);
	if (r < 0)
		return r;
	if (!o->json) {
		/* Paths from the image and uprobe-paths: one printable line each. */
		cleanup_free char *esc = malloc(4 * sizeof(line) + 1);

		if (!esc)
			return og_err(ENOMEM, "probes of '%s'", meta->id);
		for (uint32_t i = 0; i < rep.nentries; i++) {
			og_probe_line(&rep.entries[i], og_probe_entry_text(&rep, &rep.entries[i]), line, sizeof(line));
			printf("%s\n", og_escape_line(esc, 4 * sizeof(line) + 1, line));
		}
		return dump_output_status();
	}
	g = dump_json_begin();
	if (!g)
		return -ENOMEM;
	og_json_str(g, "id", meta->id);
	yajl_gen_string(g, (const unsigned char *)"lines", 5);
	yajl_gen_array_open(g);
	for (uint32_t i = 0; i < rep.nentries; i++)
		gen_entry(g, &rep, &rep.entries[i]);
	yajl_gen_array_close(g);
	return dump_json_end(g);
}
