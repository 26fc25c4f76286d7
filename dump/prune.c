// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump prune: stops the containers gone without a poststop, removes
 * stopped containers' pins, empties their ring slots. */
#include "config.h"
#include "dump.h"
#include "og_container.h"
#include "og_pins.h"

int cmd_prune(const struct dump_opts *o, const char *container)
{
	int removed, broken, gone, r;

	(void)container;
	if (!og_pin_exists(o->root))
		return 0;
	r = og_container_prune(o->root, o->keep, o->older_than_s, &removed, &broken, &gone);
	if (r == 0) {
		if (gone)
			printf("stopped %d container%s gone without a poststop\n", gone, gone == 1 ? "" : "s");
		printf("removed %d stopped container%s", removed, removed == 1 ? "" : "s");
		if (broken)
			printf(" and %d broken director%s", broken, broken == 1 ? "y" : "ies");
		printf("\n");
	}
	return r;
}
