// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump prune: removes stopped containers' pins. */
#include "config.h"
#include "dump.h"
#include "og_container.h"
#include "og_pins.h"

int cmd_prune(const struct dump_opts *o, const char *container)
{
	int removed, broken, r;

	(void)container;
	if (!og_pin_exists(o->root))
		return 0;
	r = og_container_prune(o->root, o->keep, o->older_than_s, &removed, &broken);
	if (r == 0) {
		printf("removed %d stopped container%s", removed, removed == 1 ? "" : "s");
		if (broken)
			printf(" and %d broken director%s", broken, broken == 1 ? "y" : "ies");
		printf("\n");
	}
	return r;
}
