/* A tracefs events/syscalls directory in a temporary directory, made of
 * the format files under tests/data, for og_syscall_table_build. */
#ifndef OG_TRACEFS_BUILD_H
#define OG_TRACEFS_BUILD_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "og_util.h"

/* events: tracefs event names ("sendfile64"), NULL-terminated. Returns the
 * directory (static: valid until the next call), or NULL. */
static inline const char *tracefs_build(const char *const *events)
{
	static char dir[32];
	const char *srcdir = getenv("top_srcdir") ? getenv("top_srcdir") : ".";

	strcpy(dir, "/tmp/og-tracefs-XXXXXX");
	if (!mkdtemp(dir))
		return NULL;
	for (const char *const *e = events; *e; e++) {
		char path[PATH_MAX];
		char *text = NULL;
		size_t len = 0;
		FILE *f;

		snprintf(path, sizeof(path), "%s/tests/data/sys_enter_%s.format", srcdir, *e);
		if (og_read_file(path, 1 << 20, &text, &len) < 0)
			return NULL;
		snprintf(path, sizeof(path), "%s/sys_enter_%s", dir, *e);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/sys_enter_%s/format", dir, *e);
		f = fopen(path, "w");
		if (!f || fwrite(text, 1, len, f) != len) {
			free(text);
			return NULL;
		}
		fclose(f);
		free(text);
	}
	return dir;
}

static inline void tracefs_remove(const char *dir, const char *const *events)
{
	char path[PATH_MAX];

	for (const char *const *e = events; *e; e++) {
		snprintf(path, sizeof(path), "%s/sys_enter_%s/format", dir, *e);
		unlink(path);
		snprintf(path, sizeof(path), "%s/sys_enter_%s", dir, *e);
		rmdir(path);
	}
	rmdir(dir);
}

#endif
