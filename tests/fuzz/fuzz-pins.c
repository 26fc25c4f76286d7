// SPDX-License-Identifier: GPL-2.0-or-later
/* What gadget-dump reads from pins besides rings: container metadata and
 * probe reports, any bytes. */
#include "config.h"
#include "fuzz.h"
#include "og_container.h"
#include "og_pins.h"
#include "og_probe_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct og_container_meta meta = {};
	struct og_probe_report rep = {};
	unsigned long long t;
	char *s;

	memcpy(&meta, data, size < sizeof(meta) ? size : sizeof(meta));
	if (og_meta_check(&meta, "fuzz-id", "fuzz") == 0)
		FUZZ_ASSERT(strlen(meta.name) < sizeof(meta.name) && strlen(meta.bundle) < sizeof(meta.bundle));
	memcpy(&rep, data, size < sizeof(rep) ? size : sizeof(rep));
	if (og_probes_check(&rep, "fuzz") == 0)
		for (uint32_t i = 0; i < rep.nentries; i++)
			FUZZ_ASSERT(strlen(og_probe_entry_text(&rep, &rep.entries[i])) == rep.entries[i].text_len &&
				    rep.entries[i].text_off + rep.entries[i].text_len < rep.text_len);
	s = fuzz_str(data, size);
	og_pin_linger_expiry(s, &t);
	free(s);
	return 0;
}
