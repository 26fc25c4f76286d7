// SPDX-License-Identifier: GPL-2.0-or-later
/* Prometheus label values (og_prom_label_value) of any bytes: what is
 * written is one line of UTF-8 that ends only at the closing quote, and
 * reading it back as Prometheus does gives the input whenever the input
 * was UTF-8. */
#include "config.h"
#include "fuzz.h"
#include "og_prom.h"

#include <stdbool.h>
#include <stdio.h>

/* Prometheus' reading of a label value: \\, \" and \n, up to the quote. */
static size_t unescape(const char *s, size_t len, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		FUZZ_ASSERT(s[i] != '\n' && s[i] != '"'); /* would end the line or the value */
		if (s[i] != '\\') {
			out[n++] = s[i];
			continue;
		}
		FUZZ_ASSERT(i + 1 < len && (s[i + 1] == '\\' || s[i + 1] == '"' || s[i + 1] == 'n'));
		i++;
		out[n++] = s[i] == 'n' ? '\n' : s[i];
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *w = NULL, *back;
	size_t wlen = 0, slen = strlen(s), n;
	bool replaced;
	FILE *out = open_memstream(&w, &wlen);

	if (!out)
		abort();
	og_prom_label_value(out, s);
	fclose(out);
	back = malloc(wlen + 1);
	if (!back)
		abort();
	n = unescape(w, wlen, back);
	/* U+FFFD stands for bytes that were not UTF-8: then, and only then,
	 * does the value read back differ (U+FFFD in the input stays). */
	replaced = n != slen || memcmp(back, s, n) != 0;
	FUZZ_ASSERT(!replaced || memmem(back, n, "\xef\xbf\xbd", 3));
	free(back);
	free(w);
	free(s);
	return 0;
}
