// SPDX-License-Identifier: GPL-2.0-or-later
/* What this kernel offers the probes, from sysfs (og_features.h). */
#include "config.h"
#include "og_features.h"
#include "og_events.h"
#include "og_util.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static bool file_has(const char *path, const char *word)
{
	cleanup_free char *text = NULL;
	size_t len;

	if (og_read_file(path, 4096, &text, &len) < 0)
		return false;
	for (char *t = strtok(text, ",\n"); t; t = strtok(NULL, ",\n"))
		if (strcmp(t, word) == 0)
			return true;
	return false;
}

void og_features_probe(struct og_feature f[OG_NFEATURES])
{
	char funcs[64], usdt[64];
	struct stat sb;

	/* Which families use each, from the kinds' rows. */
	og_families_name(og_families_probed(false), funcs, sizeof(funcs));
	og_families_name(og_families_probed(true), usdt, sizeof(usdt));
	f[0] = (struct og_feature){.name = "uprobes", .used = true};
	f[0].supported = stat("/sys/bus/event_source/devices/uprobe/type", &sb) == 0;
	if (f[0].supported)
		snprintf(f[0].reason, sizeof(f[0].reason), "%s: perf_event uprobe links", funcs);
	else
		og_strfield(f[0].reason, sizeof(f[0].reason),
			    "no uprobe PMU (/sys/bus/event_source/devices/uprobe): CONFIG_UPROBE_EVENTS is off");
	f[1] = (struct og_feature){.name = "usdt-semaphores", .used = true};
	f[1].supported = stat("/sys/bus/event_source/devices/uprobe/format/ref_ctr_offset", &sb) == 0;
	if (f[1].supported)
		snprintf(f[1].reason, sizeof(f[1].reason),
			 "%s: the kernel counts USDT semaphores (Python's gc probes need it)", usdt);
	else
		og_strfield(f[1].reason, sizeof(f[1].reason),
			    "the uprobe PMU has no ref_ctr_offset: probes behind a semaphore never fire");
	f[2] = (struct og_feature){.name = "kprobes"};
	f[2].supported = stat("/sys/bus/event_source/devices/kprobe/type", &sb) == 0;
	og_strfield(f[2].reason, sizeof(f[2].reason),
		    f[2].supported ? "available; oci-gadget does not need it"
				   : "no kprobe PMU here; oci-gadget does not need it (a kernel stack inside a syscall "
				     "would)");
	f[3] = (struct og_feature){.name = "lsm"};
	f[3].supported = file_has("/sys/kernel/security/lsm", "bpf");
	og_strfield(f[3].reason, sizeof(f[3].reason),
		    f[3].supported ? "available; oci-gadget does not need it"
				   : "BPF LSM is not enabled here (lsm=...,bpf); oci-gadget does not need it");
}
