// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_usyms.h"
#include "og_util.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

int og_usyms_parse(char *text, struct og_usyms *us)
{
	size_t lines = 1;

	memset(us, 0, sizeof(*us));
	us->text = text;
	/* At most one mapping a line: sized once, never grown. */
	for (const char *p = text; (p = strchr(p, '\n')); p++)
		lines++;
	us->maps = calloc(lines, sizeof(*us->maps));
	if (!us->maps) {
		og_usyms_free(us);
		return og_err(ENOMEM, "user mappings (%zu lines)", lines);
	}
	for (char *line = text, *next; line && *line; line = next) {
		unsigned long long lo, hi, off;
		int file = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* "7f12a000-7f12c000 r-xp 00002000 08:01 1234   /usr/lib/libc.so.6":
		 * the path is the first word of the sixth column. */
		if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %n", &lo, &hi, &off, &file) < 3 || !file ||
		    line[file] != '/')
			continue;
		line[file + strcspn(line + file, " \t")] = '\0';
		us->maps[us->n++] = (struct og_umap){.lo = lo, .hi = hi, .offset = off, .file = line + file};
	}
	return 0;
}

int og_usyms_load(uint32_t pid, struct og_usyms *us)
{
	char path[64], *text = NULL;
	size_t len;
	int r;

	memset(us, 0, sizeof(*us));
	snprintf(path, sizeof(path), "/proc/%" PRIu32 "/maps", pid);
	r = og_read_file(path, 64u << 20, &text, &len);
	if (r < 0)
		return r;
	return og_usyms_parse(text, us);
}

const char *og_usyms_format(const struct og_usyms *us, uint64_t addr, char *buf, size_t size)
{
	/* In their order, the first that holds it: a few frames against a
	 * few hundred mappings, once per stack. */
	for (size_t i = 0; i < us->n; i++) {
		const struct og_umap *m = &us->maps[i];

		if (addr >= m->lo && addr < m->hi) {
			snprintf(buf, size, "%s+%#" PRIx64, m->file, addr - m->lo + m->offset);
			return buf;
		}
	}
	snprintf(buf, size, "%#" PRIx64, addr);
	return buf;
}

void og_usyms_free(struct og_usyms *us)
{
	free(us->maps);
	free(us->text);
	memset(us, 0, sizeof(*us));
}
