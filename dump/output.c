// SPDX-License-Identifier: GPL-2.0-or-later
/* What the verbs print alike. */
#include "config.h"
#include "dump.h"
#include "og_util.h"

#include <errno.h>
#include <time.h>

yajl_gen dump_json_begin(void)
{
	yajl_gen g = yajl_gen_alloc(NULL);

	if (!g) {
		og_err(ENOMEM, "JSON generator");
		return NULL;
	}
	yajl_gen_map_open(g);
	return g;
}

int dump_json_end(yajl_gen g)
{
	yajl_gen_map_close(g);
	return og_json_line(stdout, g);
}

int dump_output_status(void)
{
	return ferror(stdout) ? og_err(EIO, "write output") : 0;
}

void dump_fmt_time(char *buf, size_t size, uint64_t ns)
{
	time_t t = ns / 1000000000ULL;
	struct tm tm;

	if (!ns) {
		snprintf(buf, size, "-");
		return;
	}
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
