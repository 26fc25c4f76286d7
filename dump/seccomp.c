// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump seccomp: a profile that allows what the container did over
 * its whole life (the counts beside its ring). */
#include "config.h"
#include "dump.h"
#include "og_seccomp.h"
#include "og_util.h"

#include <errno.h>

static int write_all(const char *path, const char *data, size_t len)
{
	FILE *f = path ? fopen(path, "we") : stdout;
	int r = 0;

	if (!f)
		return og_err(errno, "open %s", path);
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0)
		r = og_err(errno ? errno : EIO, "write %s", path ? path : "output");
	if (path && fclose(f) != 0 && r == 0)
		r = og_err(errno, "close %s", path);
	return r;
}

int cmd_seccomp(const struct dump_opts *o, const char *query)
{
	cleanup_dump_source struct dump_source src = {};
	struct og_ring_counts counts;
	struct og_syscall_set set;
	cleanup_free char *input = NULL, *profile = NULL;
	size_t input_len = 0, len;
	int r;

	r = dump_source_open(o, query, &src);
	if (r < 0)
		return r;
	r = og_ring_counts_read(src.header, &counts);
	if (r == 0)
		r = og_seccomp_set(&counts, o->with_setup, &set);
	if (r < 0)
		return og_err_wrap(-r, "container '%s'", src.meta.id);
	if (o->input && (r = og_read_file(o->input, 4u << 20, &input, &input_len)) < 0)
		return r;
	r = og_seccomp_profile(&set, input, input_len, &profile, &len);
	return r < 0 ? r : write_all(o->output, profile, len);
}
