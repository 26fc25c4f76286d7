// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump seccomp --input FILE: the profile merged into, and the
 * annotation's paths (io.containers.trace-syscall, from pod annotations). */
#include "config.h"
#include "fuzz.h"
#include "og_seccomp.h"
#include "og_syscalls.h"
#include "og_util.h"

#include <stdio.h>
#include <yajl/yajl_tree.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct og_syscall_set set;
	char *s = fuzz_str(data, size), *out = NULL, rel[256];
	size_t len;

	set.on[0][0] = set.on[0][59] = set.on[1][11] = 1;
	if (og_seccomp_profile(&set, s, size, &out, &len) == 0) {
		/* The merged profile is JSON again, one object. */
		yajl_val t = yajl_tree_parse(out, NULL, 0);

		FUZZ_ASSERT(t && YAJL_IS_OBJECT(t));
		yajl_tree_free(t);
		free(out);
	} else {
		FUZZ_ASSERT(!out);
	}
	if (og_seccomp_rel_path("/var/lib/oci-gadget/seccomp", s, rel, sizeof(rel)) == 0)
		FUZZ_ASSERT(rel[0] != '/' && strcmp(rel, "..") != 0 && strncmp(rel, "../", 3) != 0 &&
			    !strstr(rel, "/../") && (strlen(rel) < 3 || strcmp(rel + strlen(rel) - 3, "/..") != 0));
	free(s);
	return 0;
}
