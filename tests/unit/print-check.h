/* An event printed as strace-like text or as JSON into a string, and
 * checked against what it must and must not hold. */
#ifndef OG_PRINT_CHECK_H
#define OG_PRINT_CHECK_H

#include "og_print.h"
#include "tap.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ev printed with ctx (NULL: the defaults); the caller frees it. */
static inline char *render(int json, const struct og_print_ctx *ctx, const struct og_event *ev)
{
	static const struct og_print_ctx defaults;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!ctx)
		ctx = &defaults;
	if (json)
		og_print_json(m, ctx, ev);
	else
		og_print_text(m, ctx, ev);
	fclose(m);
	return buf;
}

/* One test: ev rendered holds each of the strings (up to a NULL), none of
 * those marked with a leading '!', and begins with one marked '^'. */
static inline void renders(int json, const struct og_print_ctx *ctx, const struct og_event *ev, const char *what, ...)
{
	char *s = render(json, ctx, ev);
	const char *want = NULL;
	bool good = s != NULL;
	va_list ap;

	va_start(ap, what);
	while (good && (want = va_arg(ap, const char *)))
		good = want[0] == '!'	? !strstr(s, want + 1)
		       : want[0] == '^' ? strncmp(s, want + 1, strlen(want + 1)) == 0
					: strstr(s, want) != NULL;
	va_end(ap);
	ok(good, "%s: %s", what, s);
	if (!good && want)
		printf("#   %s: '%s'\n",
		       want[0] == '!'	? "holds"
		       : want[0] == '^' ? "does not begin with"
					: "lacks",
		       want + (want[0] == '!' || want[0] == '^'));
	free(s);
}

#endif
