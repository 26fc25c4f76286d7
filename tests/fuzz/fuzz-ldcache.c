// SPDX-License-Identifier: GPL-2.0-or-later
/* An image's /etc/ld.so.cache: bounded work, paths inside the buffer. */
#include "config.h"
#include "fuzz.h"
#include "og_resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"libc.so.6", "libssl.so.3", "libstdc++.so.6", "libpython3.11.so.1.0", ""};
	char path[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (og_ldcache_lookup(data, size, names[i], path, sizeof(path)) == 0)
			FUZZ_ASSERT(strlen(path) < sizeof(path));
	return 0;
}
