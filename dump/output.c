// SPDX-License-Identifier: GPL-2.0-or-later
/* What the verbs print alike. */
#include "config.h"
#include "dump.h"

#include <time.h>

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
