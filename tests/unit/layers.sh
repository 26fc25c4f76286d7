#!/bin/sh
# lib/ keeps the layout doc/ARCHITECTURE.md states: each module lives in the
# folder of its domain that the table names, and includes only modules of
# its layer or lower, without cycles; every module is in the table.
src=${top_srcdir:-.}
doc=$src/doc/ARCHITECTURE.md
layers=$(mktemp)
edges=$(mktemp)
trap 'rm -f "$layers" "$edges"' EXIT
# "| LAYER | FOLDER | MODULE | what |" -> "MODULE LAYER FOLDER"
sed -n 's/^| \([0-9]\) | \([a-z]*\) | \(og_[a-z_]*\) |.*/\3 \1 \2/p' "$doc" >"$layers"
[ -s "$layers" ] || { echo "no layer table in $doc"; exit 1; }
fail=0
for f in "$src"/lib/*/*.c; do
	m=$(basename "$f" .c)
	dir=$(basename "$(dirname "$f")")
	l=$(awk -v m="$m" '$1 == m { print $2 }' "$layers")
	[ -n "$l" ] || { echo "lib/$dir/$m.c is not in the table of doc/ARCHITECTURE.md"; fail=1; continue; }
	want=$(awk -v m="$m" '$1 == m { print $3 }' "$layers")
	[ "$dir" = "$want" ] || { echo "lib/$dir/$m.c: the table puts it in lib/$want/"; fail=1; }
	for d in $(sed -n 's/^#include "\(og_[a-z_]*\)\.h"/\1/p' "$f" | grep -v "^og_format$" | grep -v "^$m$"); do
		dl=$(awk -v m="$d" '$1 == m { print $2 }' "$layers")
		[ -n "$dl" ] || { echo "lib/$dir/$m.c includes $d.h, which is not in the table"; fail=1; continue; }
		[ "$dl" -le "$l" ] || { echo "lib/$dir/$m.c (layer $l) includes $d.h (layer $dl): upward"; fail=1; }
		echo "$d $m" >>"$edges"
	done
done
tsort "$edges" >/dev/null 2>"$edges.err" || { echo "a dependency cycle in lib/:"; cat "$edges.err"; fail=1; }
rm -f "$edges.err"
[ $fail = 0 ] && echo "ok - lib/ follows the folders and layers of doc/ARCHITECTURE.md ($(wc -l <"$layers") modules)"
exit $fail
