// SPDX-License-Identifier: GPL-2.0-or-later
/* Prometheus' text exposition format: families, samples, escaped labels. */
#include "config.h"
#include "og_prom.h"

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, at most U+10FFFF), 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	} else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void og_prom_label_value(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_len(p);

		if (*p == '\\' || *p == '"')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (n)
			fwrite(p, 1, n, out);
		else
			fputs("\xef\xbf\xbd", out);
		p += n ? n : 1;
	}
}

void og_prom_family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s ", name);
	for (const char *p = help; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else
			fputc(*p, out);
	}
	fprintf(out, "\n# TYPE %s %s\n", name, type);
}

void og_prom_sample(FILE *out, const char *name, const struct og_prom_label *labels, size_t n, uint64_t value)
{
	fputs(name, out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%c%s=\"", i ? ',' : '{', labels[i].name);
		og_prom_label_value(out, labels[i].value);
		fputc('"', out);
	}
	fprintf(out, "%s %llu\n", n ? "}" : "", (unsigned long long)value);
}
