/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_TRACER_H
#define OG_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include "og_format.h"
#include "og_maps.h"
#include "og_container.h"

struct og_tracer_status {
	bool loaded;
	struct og_info info;
	uint32_t registered;	   /* entries in maps/cgroups */
	__u64 levels;		   /* cgroup levels containers are registered at (og_config.levels) */
	uint32_t ustacks, kstacks; /* stack ids in use, of OG_STACKS each */
	int pool_ready;		   /* pooled rings ready for the next containers */
	uint32_t config_registered;
	uint32_t generation;	/* of the programs that record (each load or reload makes one) */
	struct og_stats stats;	/* summed over CPUs */
	uint64_t bytes_written; /* to the rings that exist: the sum of their heads */
	int ncpus;
	/* By og_container_life, as gadget-dump list says. */
	int containers_running;
	int containers_ended; /* no poststop yet, its init's end in its ring */
	int containers_gone;  /* no poststop came, its init gone: prune and the maintainer stop them */
	int containers_stopped;
	int containers_broken; /* OG_STATE_BROKEN: gadget-dump prune removes them */
	int syscalls_described;
	struct og_ring_memory memory; /* kernel memory of the rings */
};

void og_tracer_set_verbose(int verbose);
/* Loads, attaches and pins; takes the pin root lock. *changed is false when
 * the same version was already loaded (nothing done). With replace, a loaded
 * tracer of any version gets new programs and links; maps are kept when
 * their layout is the same. pool_size: rings kept ready (og_pool.h); the
 * pool is filled by og_pool_maintain, not here. */
int og_tracer_load(const char *root, bool replace, uint32_t pool_size, bool *changed);
/* What an unload found and removed. */
struct og_unload_report {
	bool found;	       /* the pin root was there */
	int running;	       /* containers that were recording (only with force) */
	int stopped;	       /* stopped containers whose rings went */
	char running_ids[512]; /* the first of them, comma separated */
};
/* Removes every pin under root. Refuses (-EBUSY, naming them) while
 * containers are running, whose recording would stop without a word,
 * unless force. A root this user cannot read is an error, not "nothing
 * loaded". */
int og_tracer_unload(const char *root, bool force, struct og_unload_report *rep);
int og_tracer_status(const char *root, struct og_tracer_status *st);

#endif
