// The programs' level set (og_config.levels): deepest first, so that a
// container registered inside another's cgroup is found before it.
#include "config.h"
#include "og_maps.h"
#include "tap.h"

int main(void)
{
	__u64 l = 0, full;

	ok(og_levels_add(&l, 1) && l == 0x01, "one level: the low byte");
	ok(og_levels_add(&l, 4) && l == 0x0104, "a deeper one goes first");
	ok(og_levels_add(&l, 2) && l == 0x010204, "sorted, deepest first: 4 2 1");
	ok(og_levels_add(&l, 2) && l == 0x010204, "a level already there: unchanged");
	ok(!og_levels_add(&l, 0) && l == 0x010204, "level 0 (the root cgroup) is never registered");
	ok(!og_levels_add(&l, OG_LEVEL_MAX + 1) && l == 0x010204, "past OG_LEVEL_MAX: refused");
	ok(og_levels_add(&l, OG_LEVEL_MAX) && (l & 0xff) == OG_LEVEL_MAX, "OG_LEVEL_MAX itself fits");
	l = 0;
	for (int i = 1; i <= OG_LEVELS; i++)
		og_levels_add(&l, i * 3);
	ok((l & 0xff) == OG_LEVELS * 3 && (l >> 56) == 3, "%d levels fill the word: %#llx", OG_LEVELS,
	   (unsigned long long)l);
	full = l;
	ok(!og_levels_add(&l, 100) && l == full, "a ninth level: refused, the set unchanged");
	ok(og_levels_add(&l, 3) && l == full, "a level of a full set: still there");
	return tap_done();
}
