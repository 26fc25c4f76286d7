/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_FEATURES_H
#define OG_FEATURES_H

#include <stdbool.h>

/* What this kernel offers the probes, found from sysfs (no program is
 * loaded to find out): gadget-tracer status reports it. */
struct og_feature {
	const char *name;
	bool supported;
	bool used;	  /* oci-gadget needs it (uprobes); else only reported */
	char reason[160]; /* why not, or what it is used for */
};
#define OG_NFEATURES 4
void og_features_probe(struct og_feature f[OG_NFEATURES]);

#endif
