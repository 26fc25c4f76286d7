// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/self/mountinfo and /proc/PID/cgroup text. */
#include "config.h"
#include "fuzz.h"
#include "og_cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char mnt[1024], root[1024], path[2048], dir[4096];
	char *s = fuzz_str(data, size);

	if (og_cgroup2_mount_parse(s, mnt, sizeof(mnt), root, sizeof(root)) == 0) {
		FUZZ_ASSERT(strlen(mnt) < sizeof(mnt) && strlen(root) < sizeof(root));
		og_cgroup2_dir(mnt, root, "/a/b", dir, sizeof(dir));
	}
	if (og_cgroup2_path_parse(s, path, sizeof(path)) == 0)
		FUZZ_ASSERT(strlen(path) < sizeof(path));
	free(s);
	return 0;
}
