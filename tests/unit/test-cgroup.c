// cgroup2 mount and path resolution against sample mountinfo files.
#include "config.h"
#include "og_cgroup.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <stdlib.h>

static char *data(const char *name)
{
	const char *srcdir = getenv("top_srcdir") ? getenv("top_srcdir") : ".";
	char path[4096], *text = NULL;

	snprintf(path, sizeof(path), "%s/tests/data/%s", srcdir, name);
	if (og_read_file(path, 1 << 20, &text, NULL) < 0)
		printf("# %s\n", og_errmsg());
	return text;
}

int main(void)
{
	char mnt[256], root[256], path[256], dir[512];
	char *mi;

	mi = data("mountinfo-hybrid");
	ok(mi && og_cgroup2_mount_parse(mi, mnt, sizeof(mnt), root, sizeof(root)) == 0, "hybrid: found cgroup2");
	is_str(mnt, "/sys/fs/cgroup/unified", "hybrid: cgroup2 under unified, not the tmpfs");
	is_str(root, "/", "hybrid: root /");
	free(mi);

	mi = data("mountinfo-v2");
	ok(mi && og_cgroup2_mount_parse(mi, mnt, sizeof(mnt), root, sizeof(root)) == 0, "pure v2: found");
	is_str(mnt, "/sys/fs/cgroup", "pure v2 mount point");
	free(mi);

	mi = data("mountinfo-nscgroup");
	ok(mi && og_cgroup2_mount_parse(mi, mnt, sizeof(mnt), root, sizeof(root)) == 0, "namespaced: found");
	is_str(mnt, "/sys/fs/cgroup v2", "octal escape \\040 decoded");
	is_str(root, "/kubepods/pod1", "mount root kept");
	ok(og_cgroup2_dir(mnt, root, "/kubepods/pod1/ctr", dir, sizeof(dir)) == 0, "join");
	is_str(dir, "/sys/fs/cgroup v2/ctr", "path under the mount root is made relative");
	free(mi);

	mi = data("mountinfo-none");
	ok(mi && og_cgroup2_mount_parse(mi, mnt, sizeof(mnt), root, sizeof(root)) == -ENOENT, "no cgroup2: ENOENT");
	ok(strstr(og_errmsg(), "mount -t cgroup2") != NULL, "error says what to do");
	free(mi);

	ok(og_cgroup2_path_parse("9:name=systemd:/\n4:memory:/x\n0::/t1\n", path, sizeof(path)) == 0,
	   "hybrid /proc/PID/cgroup");
	is_str(path, "/t1", "v2 path of a runc container");
	ok(og_cgroup2_path_parse("0::/\n", path, sizeof(path)) == 0 && strcmp(path, "/") == 0, "root cgroup");
	ok(og_cgroup2_dir("/sys/fs/cgroup/unified", "/", "/", dir, sizeof(dir)) == 0 &&
		   strcmp(dir, "/sys/fs/cgroup/unified") == 0,
	   "root cgroup joins to the mount");
	ok(og_cgroup2_dir("/sys/fs/cgroup/unified", "/", "/t1", dir, sizeof(dir)) == 0 &&
		   strcmp(dir, "/sys/fs/cgroup/unified/t1") == 0,
	   "container cgroup joins");
	ok(og_cgroup2_path_parse("4:memory:/x\n", path, sizeof(path)) == -ENOENT, "v1 only: ENOENT");
	ok(og_cgroup2_path_parse("0::relative\n", path, sizeof(path)) == -EINVAL, "relative path refused");

	ok(og_cgroup_dir_of_pid(2147483, dir, sizeof(dir)) == -ESRCH, "a pid that does not exist: error, not a guess");

	/* /proc/PID/stat: a name with ') ' and spaces ends at the last ')'. */
	{
		char state = 0;
		uint64_t start = 0, self_start = 0, a = 0, b = 0;

		ok(og_proc_stat_parse("4242 (a) b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
				      "987654 1234 56 18446744073709551615\n",
				      &state, &start) == 0,
		   "stat with ') ' in the name parses");
		ok(state == 'S' && start == 987654, "state S, start time field 22: %c %llu", state,
		   (unsigned long long)start);
		ok(og_proc_stat_parse("1 (x) Z 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 7\n", &state, &start) == 0 &&
			   state == 'Z' && start == 7,
		   "the start time as the last field");
		ok(og_proc_stat_parse("1 (x) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0\n", &state, &start) == -EPROTO,
		   "no field 22: refused");
		ok(og_proc_stat_parse("1 (x) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 -5 1\n", &state, &start) ==
			   -EPROTO,
		   "a start time that is not a number: refused");
		ok(og_proc_stat_parse("1 (x S 0", &state, &start) == -EPROTO, "no ')': refused");
		ok(og_pid_start_time(getpid(), &self_start) == 0 && self_start > 0, "this process's start time");
		ok(og_pid_start_time(2147483, &start) == -ESRCH, "a pid that does not exist: ESRCH");
		ok(og_pidns_id_of_pid(0, &a) == 0 && og_pidns_id_of_pid(getpid(), &b) == 0 && a == b && a,
		   "pid namespace of self and of getpid() agree");
	}
	return tap_done();
}
