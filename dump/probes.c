// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump probes: what gadget-hook probed in a container's image. */
#include "config.h"
#include "dump.h"
#include "og_util.h"

#include <errno.h>
#include <string.h>

static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s >= 0x7f)
			return false;
	return true;
}

/* What gadget-hook probed in the container's image, and why a family
 * found nothing: the report pinned beside its ring. */
int cmd_probes(const struct dump_opts *o, const char *query)
{
	cleanup_dump_source struct dump_source src = {};
	const struct og_container_meta *meta = &src.meta;
	struct og_probe_report rep;
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
		/* gadget-hook wrote each line escaped (paths from the image and
		 * uprobe-paths); a line that is not printable was not written
		 * by it, and is escaped here. */
		cleanup_free char *line = malloc(4 * sizeof(rep.text) + 1);

		if (!line)
			return og_err(ENOMEM, "probes of '%s'", meta->id);
		for (char *l = rep.text, *nl; *l; l = nl + 1) {
			nl = strchr(l, '\n');
			if (nl)
				*nl = '\0';
			printf("%s\n", printable(l) ? l : og_escape_line(line, 4 * sizeof(rep.text) + 1, l));
			if (!nl)
				break;
		}
		return dump_output_status();
	}
	g = dump_json_begin();
	if (!g)
		return -ENOMEM;
	og_json_str(g, "id", meta->id);
	yajl_gen_string(g, (const unsigned char *)"lines", 5);
	yajl_gen_array_open(g);
	for (char *line = rep.text, *nl; *line; line = nl ? nl + 1 : line + strlen(line)) {
		char fam[32], path[4096], how[256];
		int n;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		yajl_gen_map_open(g);
		og_json_str(g, "text", line);
		if (sscanf(line, "%31[a-z]: %4095[^ ] (%d probe%*[s], %255[^)])", fam, path, &n, how) == 4 ||
		    sscanf(line, "%31[a-z]: %4095[^ ] (%d probe, %255[^)])", fam, path, &n, how) == 4) {
			og_json_str(g, "family", fam);
			og_json_str(g, "path", path);
			og_json_int(g, "probes", n);
			og_json_str(g, "found", how);
		} else if (sscanf(line, "%31[a-z]: nothing: %4095[^\n]", fam, path) == 2) {
			og_json_str(g, "family", fam);
			og_json_str(g, "nothing", path);
		}
		yajl_gen_map_close(g);
		if (!nl)
			break;
	}
	yajl_gen_array_close(g);
	return dump_json_end(g);
}
