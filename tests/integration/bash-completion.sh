#!/bin/bash
# The bash completion as installed: make install-data puts it where
# bash-completion's loader finds it for each program, and driven with
# COMP_WORDS/COMP_CWORD it completes a verb, an option, an option's values
# and a running container's id and name from the --pin-root on the line.
. "$(dirname "$0")/lib.sh"
require_runc
BC=/usr/share/bash-completion/bash_completion
[ -r "$BC" ] || skip "bash-completion not installed (apt-get install bash-completion)"
require_bpf

# Installed into a scratch root; XDG_DATA_DIRS is where bash-completion
# looks beside its own directory.
make -s -C "$top_builddir" install-data DESTDIR="$WORK/inst" >"$WORK/install.out" 2>&1 ||
	fail "make install-data: $(tail -5 "$WORK/install.out")"
script=$(find "$WORK/inst" -path '*/share/bash-completion/completions/gadget-dump' -type f)
[ -n "$script" ] || fail "no completions/gadget-dump installed: $(find "$WORK/inst" -path '*completion*')"
SHARE=${script%/bash-completion/completions/gadget-dump}

ID="og-compl-$$" NAME="compl-web-$$"
make_bundle "$WORK/bundle" '["sleep", "1000"]'
jq --arg n "$NAME" '.annotations = {"io.kubernetes.cri.container-name": $n}' "$WORK/bundle/config.json" >"$WORK/c.json"
mv "$WORK/c.json" "$WORK/bundle/config.json"
start_container "$ID" "$WORK/bundle"

# complete WORDS...: what the loaded completion offers for the last word,
# sorted, one line; in a fresh bash with bash-completion and only the
# installed files (the programs from this build, found in PATH).
complete_words() {
	PATH="$top_builddir:$PATH" XDG_DATA_DIRS="$SHARE" bash --norc --noprofile -c '
		. "$1"; shift
		__load_completion "$1" || { echo "no completion loaded for $1"; exit 1; }
		f=$(complete -p "$1" | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
		"$f" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]:-}"
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$BC" "$@"
}
expect() { # WANT WORDS...
	local want=$1 got
	shift
	got=$(complete_words "$@")
	[ "$got" = "$want " ] || fail "completing '$*': got '$got', expected '$want'"
}

expect "summary" gadget-dump summ
expect "metrics" gadget-dump --pin-root "$PIN_ROOT" metr
expect "--follow" gadget-dump --pin-root "$PIN_ROOT" show x --fol
expect "--older-than" gadget-dump prune --old
expect "oci podman" gadget-dump seccomp x --format ""
ok "gadget-dump: a verb, an option, --format's values for its verb (from --list-verbs and --list-options)"
expect "$ID" gadget-dump --pin-root "$PIN_ROOT" summary og-compl-
expect "$NAME" gadget-dump --pin-root="$PIN_ROOT" show compl-web-
expect "$NAME" gadget-dump --pin-root "$PIN_ROOT" compl-web-
expect "" gadget-dump --pin-root "$PIN_ROOT" summary "$ID" ""
ok "the running container's id and name complete, from the --pin-root on the line; one CONTAINER only"
expect "" gadget-dump --pin-root "$WORK/no-pins" show compl-web-
ok "another --pin-root: not its containers"
expect "unload" gadget-tracer unl
expect "--pool" gadget-tracer load --po
expect "--keep-stopped" gadget-hook poststop --keep
expect "createRuntime" gadget-hook cre
ok "gadget-tracer and gadget-hook, through the links: verbs and options from their --help"
