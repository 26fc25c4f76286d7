// SPDX-License-Identifier: GPL-2.0-or-later
/* A bundle's config.json as the hook reads it, podman's containers.json and
 * Docker's config.v2.json. */
#include "config.h"
#include "fuzz.h"
#include "og_oci.h"
#include "og_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oci_config cfg;
	char name[64];

	if (oci_config_parse((const char *)data, size, "/nonexistent-bundle", &cfg) == 0) {
		FUZZ_ASSERT(!cfg.etc_source || cfg.etc_source[0] == '/');
		oci_config_free(&cfg);
	}
	if (oci_docker_name_parse((const char *)data, size, "abc", name, sizeof(name)) == 0)
		FUZZ_ASSERT(strlen(name) < sizeof(name) && name[0]);
	char *s = fuzz_str(data, size);
	if (strlen(s) == size && oci_podman_name_parse(s, "abc", name, sizeof(name)) == 0)
		FUZZ_ASSERT(strlen(name) < sizeof(name));
	free(s);
	return 0;
}
