#!/bin/bash
# The Debian package, built and used as a user would: dpkg-buildpackage from
# a copy of the committed source (git archive; the checkout is not written
# to), lintian without errors, then installed with apt into a clean Debian
# 12 root (debootstrap minbase, cached by date), where its postinst loads the
# tracer, a runc container with the installed hooks is recorded and read back
# with the installed gadget-dump, a reinstall (an upgrade) keeps it, and
# removal unloads the tracer: no pins and none of its links left, the
# conffile kept until purge.
#
# The root runs in a mount namespace of its own with its own bpffs instance
# on its /sys/fs/bpf: the package's default pin root there is not the
# host's, and everything mounted for it goes when the test ends.
. "$(dirname "$0")/lib.sh"
require_root
for tool in dpkg-buildpackage:dpkg-dev dh:debhelper lintian:lintian debootstrap:debootstrap bpftool:bpftool \
	unshare:util-linux git:git jq:jq; do
	command -v "${tool%%:*}" >/dev/null || skip "${tool%%:*} not installed (apt-get install ${tool#*:})"
done
[ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF (/sys/kernel/btf/vmlinux)"
git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1 || skip "$top_srcdir is not a git checkout (the source is exported with git archive)"
CACHE=${OG_TEST_CACHE:-/var/cache/oci-gadget-test}

# 1. Build from an export of HEAD plus the checkout's uncommitted changes
#    to tracked files (git stash create writes nothing to the checkout).
rev=$(git -C "$top_srcdir" stash create 2>/dev/null || true)
mkdir -p "$WORK/build/src"
git -C "$top_srcdir" archive "${rev:-HEAD}" | tar -C "$WORK/build/src" -x || fail "git archive"
# Not make check's variables (MAKEFLAGS carries its TESTS=... down).
(cd "$WORK/build/src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u top_srcdir -u top_builddir \
	DEB_BUILD_OPTIONS=parallel=2 dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1 ||
	fail "dpkg-buildpackage: $(tail -20 "$WORK/build.log")"
DEB=$(ls "$WORK"/build/oci-gadget_*_amd64.deb)
ok "dpkg-buildpackage -us -uc -b built $(basename "$DEB")"
grep -q -- '-Werror' "$WORK/build.log" && grep -q -- '-fstack-protector-strong' "$WORK/build.log" ||
	fail "the build did not use -Werror and Debian's hardening flags"
lintian "$WORK"/build/oci-gadget_*_amd64.changes >"$WORK/lintian.out" 2>&1 || true
! grep '^E:' "$WORK/lintian.out" || fail "lintian reports errors"
ok "lintian: no errors ($(grep -c '^W:' "$WORK/lintian.out" || true) warnings, see debian/README.source)"
dpkg-deb -f "$DEB" Depends | grep -q libbpf1 || fail "Depends has no libbpf1: $(dpkg-deb -f "$DEB" Depends)"

# 2. A clean Debian 12 root with what the test itself runs (runc, busybox,
#    jq); the package's own dependencies come from the mirror through apt.
tarball=$("$top_srcdir/image/bookworm-root" "$CACHE" runc,busybox-static,jq 2>"$WORK/root.err") ||
	skip "no Debian 12 root (debootstrap, mirror): $(cat "$WORK/root.err")"
R=$WORK/root
mkdir -p "$R" "$CACHE/apt-archives"
tar -C "$R" -xf "$tarball"
cp "$DEB" "$R/tmp/"

# 3. In the root: install, record, upgrade, remove, purge.
cat >"$WORK/in-root.sh" <<'SCRIPT'
set -eu
fail() { echo "FAIL: deb-package: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
ID=og-deb-$$
trap 'in_root runc delete -f $ID >/dev/null 2>&1 || true' EXIT

mount --bind "$R" "$R" # a mount point: runc's pivot_root works in the chroot
mount -t proc proc "$R/proc"
mount --rbind /sys "$R/sys"
mount -t bpf bpf "$R/sys/fs/bpf" # its own bpffs: the default pin root is the root's
mount --rbind /dev "$R/dev"
mount -t tmpfs tmpfs "$R/run"
mount --bind "$APT_CACHE" "$R/var/cache/apt/archives"

deb=/tmp/$(basename "$DEB")
in_root apt-get install -y -q --no-install-recommends "$deb" >"$WORK/install.log" 2>&1 ||
	fail "apt-get install $deb: $(tail -5 "$WORK/install.log")"
in_root gadget-tracer status --json | in_root jq -e '.loaded' >/dev/null ||
	fail "postinst did not load the tracer: $(cat "$WORK/install.log")"
ok "apt-get install: the postinst loaded the tracer on the default pin root"
[ "$(in_root dpkg-query -W -f '${Conffiles}' oci-gadget | grep -c /etc/oci-gadget/oci-gadget.conf)" = 1 ] ||
	fail "/etc/oci-gadget/oci-gadget.conf is not a conffile"
for st in prestart poststop; do
	in_root jq -e '.hook.path == "/usr/sbin/gadget-hook"' /usr/share/containers/oci/hooks.d/oci-gadget-$st.json \
		>/dev/null || fail "hooks.d/oci-gadget-$st.json does not name /usr/sbin/gadget-hook"
done
ok "conffile /etc/oci-gadget/oci-gadget.conf, hooks.d files where podman and CRI-O look"

# A busybox container with the installed runc hooks, unchanged.
B=/tmp/bundle
mkdir -p "$R$B/rootfs/bin" "$R$B/rootfs/tmp"
cp "$R/bin/busybox" "$R$B/rootfs/bin/"
ln -s busybox "$R$B/rootfs/bin/sh"
in_root sh -c "cd $B && runc spec"
in_root jq --slurpfile hooks /usr/share/oci-gadget/runtime-config/runc-hooks.json \
	'.process.terminal = false | .root.readonly = false | .hooks = $hooks[0]
	 | .process.args = ["sh", "-c", "echo from-the-deb > /tmp/deb-file; exit 4"]' $B/config.json >"$R$B/config.new"
mv "$R$B/config.new" "$R$B/config.json"
rc=0
in_root runc run --bundle $B $ID </dev/null >"$WORK/run.out" 2>&1 || rc=$?
[ $rc = 4 ] || fail "runc run exit $rc: $(cat "$WORK/run.out")"
in_root gadget-dump $ID --json >"$WORK/dump.json" || fail "gadget-dump $ID failed"
jq -e -s 'map(select(.syscall == "write" and .args[1].str == "from-the-deb\n")) | length == 1' \
	"$WORK/dump.json" >/dev/null || fail "the container's write is not in its ring"
jq -e -s 'map(select(.syscall == "exit_group" and .args[0].value == 4)) | length >= 1' \
	"$WORK/dump.json" >/dev/null || fail "exit_group(4) is not in the ring"
ok "a runc container with the installed hooks is recorded; the installed gadget-dump reads its write and exit"

# An upgrade (the same version again): the tracer stays, the ring too.
in_root dpkg -i "$deb" >"$WORK/upgrade.log" 2>&1 || fail "dpkg -i again: $(tail -5 "$WORK/upgrade.log")"
in_root gadget-dump list --json | in_root jq -e -s --arg id $ID 'map(select(.id == $id)) | length == 1' >/dev/null ||
	fail "after reinstall the container's ring is gone"
ok "reinstall (upgrade path): tracer kept loaded, the ring kept"

links=$(for l in "$R"/sys/fs/bpf/oci-gadget/links/*; do bpftool link show pinned "$l" -j | jq .id; done | jq -s -c .)
[ "$(echo "$links" | jq length)" -ge 2 ] || fail "no pinned links to follow: $links"
echo "# a local edit" >>"$R/etc/oci-gadget/oci-gadget.conf"
in_root apt-get remove -y -q oci-gadget >"$WORK/remove.log" 2>&1 || fail "apt-get remove: $(tail -5 "$WORK/remove.log")"
[ ! -e "$R/sys/fs/bpf/oci-gadget" ] || fail "pins left after remove: $(find "$R/sys/fs/bpf/oci-gadget" | head)"
left=$(bpftool link show -j | jq --argjson ids "$links" '[.[] | select(.id as $i | $ids | index($i))] | length')
[ "$left" = 0 ] || fail "$left of the tracer's links $links are still attached after remove"
ok "apt-get remove: the prerm unloaded the tracer, no pins, none of its links $links left"
grep -q '^# a local edit' "$R/etc/oci-gadget/oci-gadget.conf" || fail "remove did not keep the edited conffile"
in_root dpkg --purge oci-gadget >"$WORK/purge.log" 2>&1 || fail "dpkg --purge: $(cat "$WORK/purge.log")"
[ ! -e "$R/etc/oci-gadget" ] && [ ! -e "$R/var/lib/oci-gadget" ] ||
	fail "purge left $(ls -d "$R/etc/oci-gadget" "$R/var/lib/oci-gadget" 2>/dev/null)"
ok "remove kept the edited conffile; purge removed it and /var/lib/oci-gadget"
SCRIPT
R=$R DEB=$DEB WORK=$WORK APT_CACHE=$CACHE/apt-archives unshare -m --propagation private bash "$WORK/in-root.sh" ||
	fail "in the Debian 12 root (see above)"
