#!/bin/bash
# Decoding checked against strace on real services (issue 22): Debian 12's
# python3 and nginx-light (image/bookworm-root, cached by the day) run the
# workloads of tests/data/services, each once in a runc container with the
# hooks and once under strace -f in a chroot of the same root. The two runs
# are not call-for-call the same, so they are compared as sets: for each
# syscall, every symbolic token strace shows in its arguments (O_CLOEXEC,
# AF_INET, SIGCHLD, S_IFREG in st_mode...) must be among the tokens the
# ring's JSON decodes for that syscall (each argument's "decoded": an
# integer's names, a structure's text, whose fields "struct" holds too;
# and "ret_decoded", what the call returned in its arguments or as flags:
# poll's revents, fcntl's "flags O_RDWR", named as strace's "(flags ...)"
# is; tests/data/services/tokens.awk),
# save the allowlisted ones (tests/data/services/allowlist, each with why),
# and the ring must decode no token strace never shows for that syscall.
# Tokens that depend on which calls a run made (futex's operations, on
# which threads contend) are left out of both (tests/data/services/timing).
# Inside a structure a token is named by its field (revents=POLLIN is not
# events=POLLIN).
. "$(dirname "$0")/lib.sh"
require_runc
command -v strace >/dev/null || skip "strace not installed (apt-get install strace)"
command -v unshare >/dev/null || skip "unshare not installed (apt-get install util-linux)"
command -v debootstrap >/dev/null || skip "debootstrap not installed (apt-get install debootstrap)"
require_bpf
DATA=$top_srcdir/tests/data/services
CACHE=${OG_TEST_CACHE:-/var/cache/oci-gadget-test}

tarball=$("$top_srcdir/image/bookworm-root" "$CACHE" nginx-light,python3 2>"$WORK/root.err") ||
	skip "no Debian 12 root with nginx-light and python3 (debootstrap, mirror): $(cat "$WORK/root.err")"
R=$WORK/root
mkdir "$R"
tar -C "$R" -xf "$tarball" || fail "cannot unpack $tarball"
chmod 755 "$R" # the tarball's root is a mktemp dir's 0700: nginx's worker could not reach /srv
PORT=$((20000 + $$ % 20000))
mkdir -p "$R/srv"
cp "$DATA/app.py" "$DATA/client.py" "$DATA/nginx.sh" "$R/srv/"
echo "services-decode: a static page" >"$R/srv/index.html"
# http.server looks its address up (getfqdn): from /etc/hosts, which
# debootstrap leaves out, not from the network's DNS.
echo "127.0.0.1 localhost" >"$R/etc/hosts"
cat >"$R/etc/nginx/services-decode.conf" <<CONF
daemon off;
worker_processes 1;
pid /run/services-decode.pid;
error_log /var/log/nginx/error.log;
events { worker_connections 64; }
http {
	access_log /var/log/nginx/access.log;
	server { listen 127.0.0.1:$PORT; root /srv; }
}
CONF

# busybox's own root (Debian's busybox-static), beside Debian's.
make_rootfs "$WORK/bb"
cp "$DATA/busybox.sh" "$WORK/bb/"

# The workloads: their root and argv (as JSON) in it.
declare -A root=([python]=$R [nginx]=$R [busybox]=$WORK/bb)
declare -A argv=(
	[python]='["/usr/bin/python3", "/srv/app.py"]'
	[nginx]="[\"/bin/sh\", \"/srv/nginx.sh\", \"$PORT\", \"3\"]"
	[busybox]="[\"/bin/sh\", \"/busybox.sh\", \"$((PORT + 1))\"]"
)
WORKLOADS="python nginx busybox"
ENV='["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "PYTHONDONTWRITEBYTECODE=1"]'

for w in $WORKLOADS; do
	# In a container with the hooks: the host's network (no loopback to
	# set up), the capabilities nginx needs to switch to its worker user.
	ID="og-svc-$w-$$"
	make_bundle_root "$WORK/b-$w" "${root[$w]}" "${argv[$w]}" '["--ring-size", "16MiB"]'
	jq --argjson env "$ENV" '.process.env = $env | .linux.namespaces |= map(select(.type != "network")) |
		(["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_SETGID", "CAP_SETUID"]) as $caps |
		.process.capabilities |= with_entries(.value += $caps)' \
		"$WORK/b-$w/config.json" >"$WORK/b-$w/config.json.new"
	mv "$WORK/b-$w/config.json.new" "$WORK/b-$w/config.json"
	CONTAINERS="$CONTAINERS $ID"
	timeout 60 runc run --bundle "$WORK/b-$w" "$ID" </dev/null >"$WORK/$w.ring-out" 2>&1 ||
		fail "$w in runc: $(tail -5 "$WORK/$w.ring-out")"
	grep -q "$w done" "$WORK/$w.ring-out" || fail "$w in runc did not finish: $(tail -5 "$WORK/$w.ring-out")"
	dump_json "$ID" >"$WORK/$w.json" 2>"$WORK/$w.dump-err" || fail "gadget-dump $ID: $(cat "$WORK/$w.dump-err")"
	# The whole run: the ring begins at the container's execve.
	jq -e -s --argjson a "${argv[$w]}" '.[0].syscall == "execve" and .[0].args[1].argv == $a' "$WORK/$w.json" \
		>/dev/null || fail "$w: the ring does not begin with the workload's execve (wrapped?)"
	# The same under strace: a chroot in mount and pid namespaces of its
	# own (as in the container; and when strace ends, whatever it left
	# ends with it), with /proc and /dev, the same environment.
	mkdir "$WORK/st-$w"
	jq -r '.[]' <<<"$ENV" >"$WORK/env"
	# stdio are pipes, as runc gives them (fstat of fd 0 shows S_IFIFO).
	true | timeout 120 unshare -m -p --kill-child --propagation private sh -c '
		mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" || exit 1
		shift; out=$1; shift
		exec env -i $(cat "'"$WORK/env"'") strace -f -ff -qq -o "$out" chroot "$@"' \
		sh "${root[$w]}" "$WORK/st-$w/st" "${root[$w]}" $(jq -r '.[]' <<<"${argv[$w]}") 2>&1 | cat >"$WORK/$w.strace-out"
	[ "${PIPESTATUS[1]}" = 0 ] || fail "$w under strace: $(tail -5 "$WORK/$w.strace-out")"
	grep -q "$w done" "$WORK/$w.strace-out" || fail "$w under strace did not finish: $(tail -5 "$WORK/$w.strace-out")"
done
ok "python, nginx and busybox ran in runc with the hooks and under strace"

# Per syscall, the tokens strace shows and the ring does not.
allow=$DATA/allowlist
# Tokens that depend on which calls a run made (tests/data/services/timing):
# out of both sides.
drop_timing() {
	awk 'FNR == NR { if ($0 !~ /^#/ && NF >= 3) t[$1] = $2; next } !($1 in t) || (t[$1] != "*" && t[$1] != $2)' \
		"$DATA/timing" -
}
misses=0
for w in $WORKLOADS; do
	awk -v from=strace -f "$DATA/tokens.awk" "$WORK/st-$w"/st.* | sort -u | drop_timing >"$WORK/$w.strace-tokens"
	jq -r 'select(.event == "syscall" and (.fork_child | not)) |
		.syscall + " " + ([.args[]? | .decoded // empty] + [.ret_decoded // empty | if startswith("flags ") then "(" + sub("^flags "; "flags=") + ")" else . end] | join(" "))' \
		"$WORK/$w.json" | awk -v from=ring -f "$DATA/tokens.awk" | sort -u | drop_timing >"$WORK/$w.ring-tokens"
	# A syscall one run made and the other did not (wget's poll when its
	# answer is there already) has nothing to compare; a few are timing,
	# more would be a recording failure.
	jq -r 'select(.event == "syscall") | .syscall' "$WORK/$w.json" | sort -u >"$WORK/$w.ring-syscalls"
	cut -d' ' -f1 "$WORK/$w.strace-tokens" | sort -u | comm -23 - "$WORK/$w.ring-syscalls" >"$WORK/$w.absent"
	[ "$(wc -l <"$WORK/$w.absent")" -le 3 ] ||
		fail "$w: the ring has none of these syscalls strace saw: $(paste -sd' ' "$WORK/$w.absent")"
	[ ! -s "$WORK/$w.absent" ] || echo "# $w: not made in the container's run, not compared: $(paste -sd' ' "$WORK/$w.absent")"
	awk -v absent=" $(paste -sd' ' "$WORK/$w.absent") " 'index(absent, " " $1 " ") == 0' \
		"$WORK/$w.strace-tokens" >"$WORK/$w.compared"
	comm -23 "$WORK/$w.compared" "$WORK/$w.ring-tokens" >"$WORK/$w.missing"
	# Each miss against the allowlist: allowlisted ones grouped by syscall
	# with the reason, the others one per line.
	awk -v w="$w" '
		FNR == NR { if ($0 !~ /^#/ && NF >= 3) { sc[++a] = $1; tok[a] = $2; $1 = $2 = ""; why[a] = substr($0, 3) } next }
		{
			for (i = 1; i <= a; i++)
				if (sc[i] == $1 && (tok[i] == $2 || (tok[i] ~ /\*$/ && index($2, substr(tok[i], 1, length(tok[i]) - 1)) == 1)))
					break
			if (i <= a) { n[$1 " " tok[i]]++; r[$1 " " tok[i]] = why[i]; next }
			print "FAIL: " w ": " $1 ": strace shows " $2 ", the ring does not decode it" >"/dev/stderr"
			bad++
		}
		END { for (k in n) printf "# %s: %s: %d not decoded, allowlisted: %s\n", w, k, n[k], r[k]; exit bad > 0 }' \
		"$allow" "$WORK/$w.missing" || misses=$((misses + 1))
	# The other way: a name the ring gives that strace never showed for a
	# syscall both runs made is a wrong name (the same sets, both ways).
	cut -d' ' -f1 "$WORK/$w.compared" | sort -u >"$WORK/$w.both"
	comm -13 "$WORK/$w.compared" "$WORK/$w.ring-tokens" |
		awk -v both=" $(paste -sd' ' "$WORK/$w.both") " 'index(both, " " $1 " ")' >"$WORK/$w.extra"
	while read -r sc tok; do
		echo "FAIL: $w: $sc: the ring decodes $tok, strace never shows it" >&2
		misses=$((misses + 1))
	done <"$WORK/$w.extra"
	compared=$(wc -l <"$WORK/$w.compared")
	[ "$compared" -ge 30 ] || fail "$w: only $compared tokens compared"
	ok "$w: $compared symbolic tokens of strace's arguments over $(cut -d' ' -f1 "$WORK/$w.strace-tokens" | sort -u | wc -l) syscalls, $((compared - $(wc -l <"$WORK/$w.missing"))) decoded by the ring"
done
[ "$misses" = 0 ] || fail "the ring and strace disagree on symbolic tokens (see above)"
ok "every symbolic argument strace shows is decoded, or allowlisted with its reason, and the ring shows no other names"
