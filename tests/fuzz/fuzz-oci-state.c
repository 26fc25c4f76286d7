// SPDX-License-Identifier: GPL-2.0-or-later
/* The OCI state a runtime writes on a hook's stdin. */
#include "config.h"
#include "fuzz.h"
#include "og_oci.h"
#include "og_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oci_state st;

	if (oci_state_parse((const char *)data, size, &st) == 0) {
		FUZZ_ASSERT(st.id && st.id[0]);
		oci_id_valid(st.id);
		oci_state_annotation(&st, "io.oci-gadget.uprobes");
		oci_state_annotation(&st, "io.kubernetes.cri.sandbox-name");
		oci_state_free(&st);
	}
	return 0;
}
