// SPDX-License-Identifier: GPL-2.0-or-later
/* Prometheus' text format: label values escaped as the format asks, and
 * kept UTF-8 whatever bytes a name holds. */
#include "config.h"
#include "og_prom.h"
#include "tap.h"

#include <stdlib.h>

static char buf[4096];

/* What fn wrote, as a string in buf. */
#define CAPTURE(call)                                 \
	do {                                          \
		char *m_ = NULL;                      \
		size_t n_ = 0;                        \
		FILE *out = open_memstream(&m_, &n_); \
		call;                                 \
		fclose(out);                          \
		snprintf(buf, sizeof(buf), "%s", m_); \
		free(m_);                             \
	} while (0)

static const char *label(const char *s)
{
	CAPTURE(og_prom_label_value(out, s));
	return buf;
}

int main(void)
{
	static const struct {
		const char *in, *want, *what;
	} cases[] = {
		{"web-7d9", "web-7d9", "plain ASCII as it is"},
		{"", "", "empty"},
		{"a\"b", "a\\\"b", "a double quote escaped"},
		{"a\\b", "a\\\\b", "a backslash doubled"},
		{"a\nb", "a\\nb", "a newline as \\n"},
		{"\\n", "\\\\n", "a backslash before n stays two characters"},
		{"tab\there", "tab\there", "a tab as it is (the format allows it)"},
		{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3",
		 "UTF-8 of 2, 3 and 4 bytes kept"},
		{"a\xff"
		 "b",
		 "a\xef\xbf\xbd"
		 "b",
		 "a byte that starts nothing: U+FFFD"},
		{"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd", "an overlong '/': two U+FFFD"},
		{"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "a UTF-16 surrogate: not UTF-8"},
		{"\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "past U+10FFFF"},
		{"x\xe2\x82", "x\xef\xbf\xbd\xef\xbf\xbd", "a sequence cut by the end of the string"},
		{"\xe2\"", "\xef\xbf\xbd\\\"", "a sequence cut by a quote: the quote still escaped"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_str(label(cases[i].in), cases[i].want, "label value: %s", cases[i].what);

	CAPTURE(og_prom_family(out, "oci_gadget_x_total", "counter", "a \\ b\nc \"d\""));
	is_str(buf, "# HELP oci_gadget_x_total a \\\\ b\\nc \"d\"\n# TYPE oci_gadget_x_total counter\n",
	       "HELP escapes backslash and newline, not quotes; TYPE follows");
	CAPTURE(og_prom_sample(out, "oci_gadget_up", NULL, 0, 1));
	is_str(buf, "oci_gadget_up 1\n", "a sample without labels");
	{
		const struct og_prom_label l[] = {{"id", "c1"}, {"name", "we\"ird\n"}, {"pod", ""}};

		CAPTURE(og_prom_sample(out, "oci_gadget_c", l, 3, 18446744073709551615ULL));
		is_str(buf, "oci_gadget_c{id=\"c1\",name=\"we\\\"ird\\n\",pod=\"\"} 18446744073709551615\n",
		       "labels in order, escaped; a full 64-bit value");
	}
	return tap_done();
}
