#!/bin/bash
# podman --hooks-dir with oci-gadget's hooks.d files: a container's syscalls
# are in its ring after `podman run --rm` returns, found by its podman name.
# The opt-in files record only containers annotated io.oci-gadget.trace=true.
. "$(dirname "$0")/lib.sh"
require_runc
require_podman
require_bpf

# hooks.d files from the installed templates, pointed at this test's pins.
for variant in hooks.d hooks.d-opt-in; do
	mkdir -p "$WORK/$variant"
	for st in prestart poststop; do
		jq --arg h "$HOOK" --arg st "$st" --arg root "$PIN_ROOT" --arg log "$WORK/hook.log" --arg crashes "$WORK/crashes" \
			'.hook.path = $h | .hook.args = ["gadget-hook", $st, "--pin-root", $root, "--log", $log, "--crash-dir", $crashes]' \
			"$top_srcdir/runtime-config/$variant/oci-gadget-$st.json.in" >"$WORK/$variant/oci-gadget-$st.json"
	done
done

podman_image

NAME="og-pm-web-$$"
rc=0
"${PM[@]}" --hooks-dir "$WORK/hooks.d" "${RUN[@]}" --name "$NAME" localhost/og-busybox \
	sh -c 'echo from-podman > /tmp/podman-file; exit 5' >"$WORK/run.out" 2>&1 || rc=$?
[ "$rc" = 5 ] || fail "podman run exit $rc: $(cat "$WORK/run.out")"
line=$("$DUMP" --pin-root "$PIN_ROOT" list --json | jq -c "select(.name==\"$NAME\")")
[ -n "$line" ] || fail "no container named $NAME in list: $("$DUMP" --pin-root "$PIN_ROOT" list)"
echo "$line" | jq -e '.state == "stopped" and (.id | length) == 64' >/dev/null || fail "not stopped: $line"
ok "listed by its podman name, stopped (poststop without a pid)"
expect_ring "$NAME" /tmp/podman-file $'from-podman\n' 5
ok "its openat, write and exit_group(5) are in the ring, read by name"

# Opt-in: only annotated containers.
"${PM[@]}" --hooks-dir "$WORK/hooks.d-opt-in" "${RUN[@]}" --name "og-pm-plain-$$" localhost/og-busybox true >/dev/null 2>&1 ||
	fail "plain container failed"
"${PM[@]}" --hooks-dir "$WORK/hooks.d-opt-in" "${RUN[@]}" --name "og-pm-opted-$$" \
	--annotation io.oci-gadget.trace=true localhost/og-busybox true >/dev/null 2>&1 || fail "annotated container failed"
names=$("$DUMP" --pin-root "$PIN_ROOT" list --json | jq -r .name | sort | tr '\n' ' ')
[ "$names" = "$(printf '%s\n' "og-pm-opted-$$" "$NAME" | sort | tr '\n' ' ')" ] ||
	fail "opt-in recorded: '$names'"
ok "opt-in hooks.d: the annotated container is recorded, the plain one is not"
