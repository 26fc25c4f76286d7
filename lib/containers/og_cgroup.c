// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_cgroup.h"
#include "og_util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int og_cgroup2_mount_parse(const char *mountinfo, char *mnt, size_t mnt_size, char *root, size_t root_size)
{
	const char *line = mountinfo;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[4096], *fields[6], *sep, *fstype, *save = NULL;
		int nf = 0;

		if (len < sizeof(buf)) {
			memcpy(buf, line, len);
			buf[len] = '\0';
			/* "36 25 0:31 ROOT MOUNTPOINT OPTS [optional...] - FSTYPE SOURCE SUPEROPTS" */
			sep = strstr(buf, " - ");
			if (sep) {
				*sep = '\0';
				fstype = strtok_r(sep + 3, " ", &save);
				if (fstype && strcmp(fstype, "cgroup2") == 0) {
					save = NULL;
					for (char *t = strtok_r(buf, " ", &save); t && nf < 6;
					     t = strtok_r(NULL, " ", &save))
						fields[nf++] = t;
					if (nf >= 5) {
						og_unescape_octal(fields[3]);
						og_unescape_octal(fields[4]);
						if (strlen(fields[4]) >= mnt_size || strlen(fields[3]) >= root_size)
							return og_err(ENAMETOOLONG, "cgroup2 mount point in mountinfo");
						strcpy(mnt, fields[4]);
						strcpy(root, fields[3]);
						return 0;
					}
				}
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return og_err(ENOENT,
		      "no cgroup2 mount in mountinfo (mount one: mount -t cgroup2 none /sys/fs/cgroup/unified)");
}

int og_cgroup2_path_parse(const char *proc_cgroup, char *path, size_t size)
{
	const char *line = proc_cgroup;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (len >= 3 && strncmp(line, "0::", 3) == 0) {
			if (len - 3 >= size)
				return og_err(ENAMETOOLONG, "cgroup v2 path");
			memcpy(path, line + 3, len - 3);
			path[len - 3] = '\0';
			if (path[0] != '/')
				return og_err(EINVAL, "cgroup v2 path '%s' is not absolute", path);
			return 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	return og_err(ENOENT, "no cgroup v2 entry (\"0::\") in the process's cgroup file");
}

int og_cgroup2_dir(const char *mnt, const char *root, const char *path, char *out, size_t size)
{
	size_t rl = strlen(root);

	/* A path under the mount's root is relative to it; "/" roots strip nothing. */
	if (rl > 1 && strncmp(path, root, rl) == 0 && (path[rl] == '/' || path[rl] == '\0'))
		path += rl;
	if (strcmp(path, "/") == 0)
		path = "";
	return og_path(out, size, "%s%s", mnt, path);
}

int og_cgroup_dir_of_pid(int pid, char *dir, size_t size)
{
	cleanup_free char *mountinfo = NULL, *cg = NULL;
	char file[64], mnt[1024], root[1024], cgpath[2048];
	int r;

	r = og_read_file("/proc/self/mountinfo", 4 << 20, &mountinfo, NULL);
	if (r < 0)
		return r;
	r = og_cgroup2_mount_parse(mountinfo, mnt, sizeof(mnt), root, sizeof(root));
	if (r < 0)
		return r;
	snprintf(file, sizeof(file), "/proc/%d/cgroup", pid);
	r = og_read_file(file, 1 << 20, &cg, NULL);
	if (r < 0)
		return r == -ENOENT ? og_err(ESRCH, "pid %d is gone (%s)", pid, file) : r;
	r = og_cgroup2_path_parse(cg, cgpath, sizeof(cgpath));
	if (r < 0)
		return og_err_wrap(-r, "pid %d", pid);
	return og_cgroup2_dir(mnt, root, cgpath, dir, size);
}

int og_cgroup_id_of_pid(int pid, uint64_t *id)
{
	char dir[4096];
	struct stat sb;
	int r = og_cgroup_dir_of_pid(pid, dir, sizeof(dir));

	if (r < 0)
		return r;
	if (stat(dir, &sb) < 0)
		return og_err(errno, "cgroup of pid %d: stat %s", pid, dir);
	*id = sb.st_ino;
	return 0;
}

static int ns_id_of_pid(int pid, const char *ns, const char *what, uint64_t *id)
{
	char file[64];
	struct stat sb;

	if (pid)
		snprintf(file, sizeof(file), "/proc/%d/ns/%s", pid, ns);
	else
		snprintf(file, sizeof(file), "/proc/self/ns/%s", ns);
	if (stat(file, &sb) < 0)
		return og_err(errno, "%s of pid %d: stat %s", what, pid ? pid : (int)getpid(), file);
	*id = sb.st_ino;
	return 0;
}

int og_mntns_id_of_pid(int pid, uint64_t *id)
{
	return ns_id_of_pid(pid, "mnt", "mount namespace", id);
}

int og_pidns_id_of_pid(int pid, uint64_t *id)
{
	return ns_id_of_pid(pid, "pid", "pid namespace", id);
}

int og_proc_stat_parse(const char *stat, char *state, uint64_t *start)
{
	const char *p = strrchr(stat, ')');
	char *end;

	if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
		return og_err(EPROTO, "process stat: no state after the name");
	*state = p[2];
	p += 3;
	/* Fields 4 to 21, then the start time. */
	for (int field = 4; field <= 22; field++) {
		if (*p != ' ')
			return og_err(EPROTO, "process stat: field %d missing", field);
		p++;
		if (field == 22)
			break;
		p += strcspn(p, " ");
	}
	if (*p < '0' || *p > '9')
		return og_err(EPROTO, "process stat: start time '%.20s' is not a number", p);
	errno = 0;
	*start = strtoull(p, &end, 10);
	if (errno || (*end != ' ' && *end != '\n' && *end))
		return og_err(EPROTO, "process stat: start time '%.20s' is not a number", p);
	return 0;
}

int og_pid_start_time(int pid, uint64_t *start)
{
	cleanup_free char *stat = NULL;
	char file[64], state;
	int r;

	if (pid <= 0)
		return og_err(ESRCH, "no pid (%d)", pid);
	snprintf(file, sizeof(file), "/proc/%d/stat", pid);
	r = og_read_file(file, 4096, &stat, NULL);
	if (r < 0)
		return r == -ENOENT ? og_err(ESRCH, "pid %d is gone (%s)", pid, file) : r;
	r = og_proc_stat_parse(stat, &state, start);
	if (r < 0)
		return og_err_wrap(-r, "%s", file);
	if (state == 'Z' || state == 'X' || state == 'x')
		return og_err(ESRCH, "pid %d has ended (state %c)", pid, state);
	return 0;
}
