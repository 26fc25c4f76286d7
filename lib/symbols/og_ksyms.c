// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_ksyms.h"
#include "og_util.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

static int cmp_sym(const void *a, const void *b)
{
	const struct og_ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int og_ksyms_parse(char *text, struct og_ksyms *ks)
{
	size_t cap = 0;
	bool nonzero = false;

	memset(ks, 0, sizeof(*ks));
	ks->text = text;
	for (char *line = text, *next; line && *line; line = next) {
		char *end, *type, *name;
		uint64_t addr;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* "ffffffff81000000 T _stext [module]" */
		addr = strtoull(line, &end, 16);
		if (end == line || *end != ' ')
			continue;
		type = end + 1;
		if (!type[0] || type[1] != ' ')
			continue;
		if (type[0] != 't' && type[0] != 'T' && type[0] != 'w' && type[0] != 'W')
			continue; /* functions only */
		name = type + 2;
		name[strcspn(name, " \t")] = '\0';
		if (ks->n == cap) {
			struct og_ksym *ns = realloc(ks->syms, (cap = cap ? 2 * cap : 4096) * sizeof(*ns));
			if (!ns) {
				og_ksyms_free(ks);
				return og_err(ENOMEM, "kernel symbols");
			}
			ks->syms = ns;
		}
		ks->syms[ks->n++] = (struct og_ksym){.addr = addr, .name = name};
		nonzero |= addr != 0;
	}
	if (ks->n && !nonzero) {
		og_ksyms_free(ks);
		return og_err(EPERM, "/proc/kallsyms shows no addresses (needs CAP_SYSLOG)");
	}
	qsort(ks->syms, ks->n, sizeof(*ks->syms), cmp_sym);
	return 0;
}

int og_ksyms_load(struct og_ksyms *ks)
{
	char *text = NULL;
	size_t len;
	int r = og_read_file("/proc/kallsyms", 256u << 20, &text, &len);

	if (r < 0)
		return r;
	return og_ksyms_parse(text, ks);
}

const char *og_ksyms_format(const struct og_ksyms *ks, uint64_t addr, char *buf, size_t size)
{
	size_t lo = 0, hi = ks->n;

	/* The last symbol at or below addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ks->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		snprintf(buf, size, "%#" PRIx64, addr);
	else
		snprintf(buf, size, "%s+%#" PRIx64, ks->syms[lo - 1].name, addr - ks->syms[lo - 1].addr);
	return buf;
}

void og_ksyms_free(struct og_ksyms *ks)
{
	free(ks->syms);
	free(ks->text);
	memset(ks, 0, sizeof(*ks));
}
