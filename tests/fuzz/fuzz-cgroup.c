// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/self/mountinfo, /proc/PID/cgroup and /proc/PID/stat text. */
#include "config.h"
#include "fuzz.h"
#include "og_cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char mnt[1024], root[1024], path[2048], dir[4096], state;
	char *s = fuzz_str(data, size);
	uint64_t start;

	if (og_cgroup2_mount_parse(s, mnt, sizeof(mnt), root, sizeof(root)) == 0) {
		FUZZ_ASSERT(strlen(mnt) < sizeof(mnt) && strlen(root) < sizeof(root));
		og_cgroup2_dir(mnt, root, "/a/b", dir, sizeof(dir));
	}
	if (og_cgroup2_path_parse(s, path, sizeof(path)) == 0)
		FUZZ_ASSERT(strlen(path) < sizeof(path));
	og_proc_stat_parse(s, &state, &start);
	free(s);
	return 0;
}
