/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prometheus' text exposition format (0.0.4): gadget-dump metrics. */
#ifndef OG_PROM_H
#define OG_PROM_H

#include <stdint.h>
#include <stdio.h>

/* A family's "# HELP" and "# TYPE" lines (type "counter" or "gauge"); the
 * help text with backslash and newline escaped, as the format asks. */
void og_prom_family(FILE *out, const char *name, const char *type, const char *help);

struct og_prom_label {
	const char *name;
	const char *value; /* any bytes: written escaped */
};
/* One sample: name{label="value",...} value. Label values are escaped:
 * backslash, double quote and newline, the three the format names; and
 * bytes that do not form UTF-8 (the format's encoding) become U+FFFD, so
 * that a name from an annotation never breaks a scrape. */
void og_prom_sample(FILE *out, const char *name, const struct og_prom_label *labels, size_t n, uint64_t value);
/* A label value as written between its quotes. */
void og_prom_label_value(FILE *out, const char *s);

#endif
