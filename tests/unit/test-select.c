// SPDX-License-Identifier: GPL-2.0-or-later
/* io.oci-gadget.syscalls: strace's -e trace= syntax to the ring's skip bitmap. */
#include "config.h"
#include "og_conf.h"
#include "og_ring.h"
#include "og_syscall_classes.h"
#include "og_syscalls.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <stdlib.h>

static int parse(const char *text, struct og_syscall_set *set)
{
	memset(set, 0x5a, sizeof(*set));
	return og_syscall_select_parse(text, set);
}

/* Whether name is kept on arch under text (-1: text refused, or arch has no name). */
static int kept(const char *text, int arch, const char *name)
{
	struct og_syscall_set set;
	int nr = -1;

	for (int i = 0; i < OG_COUNT_NRS && nr < 0; i++)
		if (og_syscall_name(arch, i) && strcmp(og_syscall_name(arch, i), name) == 0)
			nr = i;

	if (nr < 0 || parse(text, &set) < 0)
		return -1;
	return og_syscall_set_kept(set.skip, arch, nr);
}

static int kept_count(const struct og_syscall_set *set, int arch)
{
	int n = 0;

	for (int nr = 0; nr < OG_COUNT_NRS; nr++)
		n += og_syscall_name(arch, nr) && og_syscall_set_kept(set->skip, arch, nr);
	return n;
}

static bool same(const char *a, const char *b)
{
	struct og_syscall_set x, y;

	return parse(a, &x) == 0 && parse(b, &y) == 0 && memcmp(&x, &y, sizeof(x)) == 0;
}

/* A class's members and non-members, strace's (strace(1), strace 6.1). */
static const struct {
	const char *cls;
	int arch;
	const char *in[4], *out[2];
} classes[] = {
	{"%file", 0, {"open", "openat", "execve", "stat"}, {"read", "getpid"}},
	{"%desc", 0, {"read", "write", "close", "openat"}, {"getpid", "socket"}},
	{"%network", 0, {"socket", "connect", "sendmsg", "sendfile"}, {"read", "open"}},
	{"%net", 0, {"socket", "accept4", "recvfrom", "bind"}, {"write", "futex"}},
	{"%process", 0, {"clone", "execve", "exit_group", "wait4"}, {"read", "getpid"}},
	{"%signal", 0, {"rt_sigaction", "rt_sigprocmask", "kill", "tgkill"}, {"read", "open"}},
	{"%memory", 0, {"mmap", "munmap", "brk", "mprotect"}, {"read", "open"}},
	{"%ipc", 0, {"shmget", "semop", "msgsnd", "shmat"}, {"read", "socket"}},
	{"%creds", 0, {"setuid", "getuid", "capget", "setresgid"}, {"read", "open"}},
	{"%clock", 0, {"clock_gettime", "clock_settime", "adjtimex", "settimeofday"}, {"read", "nanosleep"}},
	{"%stat", 0, {"stat", NULL}, {"fstat", "lstat"}},
	{"%lstat", 0, {"lstat", NULL}, {"stat", "fstat"}},
	{"%fstat", 0, {"fstat", "newfstatat", "statx", NULL}, {"stat", "lstat"}},
	{"%%stat", 0, {"stat", "lstat", "fstat", "statx"}, {"statfs", "read"}},
	{"%statfs", 0, {"statfs", NULL}, {"fstatfs", "stat"}},
	{"%fstatfs", 0, {"fstatfs", NULL}, {"statfs", "fstat"}},
	{"%%statfs", 0, {"statfs", "fstatfs", "ustat", NULL}, {"stat", "read"}},
	{"%pure", 0, {"getpid", "getppid", "gettid", "getuid"}, {"read", "kill"}},
	/* i386's own calls. */
	{"%stat", 1, {"stat", "stat64", NULL}, {"fstat64", "read"}},
	{"%network", 1, {"socketcall", "socket", NULL}, {"read", "ipc"}},
	{"%ipc", 1, {"ipc", "shmget", NULL}, {"socketcall", "read"}},
	{"%memory", 1, {"mmap2", "brk", NULL}, {"read", "open"}},
};

int main(void)
{
	struct og_syscall_set set, all_set;
	char text[OG_SELECT_MAX + 100];

	/* Every class: its members in, others out, on x86_64 and i386. */
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		bool in = true, out = true;

		for (int j = 0; j < 4 && classes[i].in[j]; j++)
			if (kept(classes[i].cls, classes[i].arch, classes[i].in[j]) != 1) {
				printf("# %s: %s not kept\n", classes[i].cls, classes[i].in[j]);
				in = false;
			}
		for (int j = 0; j < 2; j++)
			if (kept(classes[i].cls, classes[i].arch, classes[i].out[j]) != 0) {
				printf("# %s: %s kept\n", classes[i].cls, classes[i].out[j]);
				out = false;
			}
		ok(in && out, "%s on %s: its members recorded, others not", classes[i].cls,
		   classes[i].arch ? "i386" : "x86_64");
	}
	ok(same("%net", "%network"), "%%net is %%network");
	ok(parse("%stat,%lstat,%fstat", &set) == 0 && kept("%%stat", 0, "fstat") == 1 &&
		   kept("%%stat", 0, "newfstatat") == 1,
	   "%%%%stat holds the stat, lstat and fstat variants");

	/* Names, all, none. */
	ok(parse("open,read", &set) == 0 && kept_count(&set, 0) == 2 && kept_count(&set, 1) == 2,
	   "two names: two syscalls on each arch");
	ok(kept("open,read", 0, "open") == 1 && kept("open,read", 0, "write") == 0, "names: what is named, only");
	ok(parse("all", &all_set) == 0 && og_syscall_set_skipped(all_set.skip, 0) == 0 &&
		   og_syscall_set_skipped(all_set.skip, 1) == 0,
	   "all: nothing skipped");
	for (size_t w = 0; w < OG_SKIP_WORDS; w++)
		ok(all_set.skip[0][w] == 0 && all_set.skip[1][w] == 0, "all: skip word %zu zero", w);
	ok(parse("none", &set) == 0 && kept_count(&set, 0) == 0 && kept_count(&set, 1) == 0, "none: nothing kept");
	ok(og_syscall_set_kept(set.skip, 0, OG_COUNT_NRS) == 1 && og_syscall_set_kept(set.skip, 0, -1) == 1,
	   "a number past the bitmap is always recorded");

	/* Negation of the whole set. */
	ok(kept("!read", 0, "read") == 0 && kept("!read", 0, "write") == 1, "!read: all but read");
	ok(kept("!%file", 0, "openat") == 0 && kept("!%file", 0, "read") == 1, "!%%file: all but the file calls");
	ok(kept("!read,write", 0, "write") == 0 && kept("!read,write", 0, "close") == 1,
	   "! negates the whole list, not its first item");
	ok(same("!all", "none") && same("!none", "all"), "!all is none, !none is all");
	ok(parse("open,!read", &set) == -EINVAL, "! inside the list: refused (%s)", og_errmsg());

	/* Unknown names and classes. */
	ok(parse("open,nosuchcall", &set) == -EINVAL && strstr(og_errmsg(), "'nosuchcall'"),
	   "unknown name refused, named: %s", og_errmsg());
	ok(parse("%nosuch", &set) == -EINVAL && strstr(og_errmsg(), "'%nosuch'"), "unknown class refused: %s",
	   og_errmsg());
	ok(same("?nosuchcall,open", "open"), "?name: an unknown name left out");
	ok(kept("?read", 0, "read") == 1, "?name: a known one kept");
	ok(parse("/^open", &set) == -EINVAL && strstr(og_errmsg(), "regular"), "a regex refused: %s", og_errmsg());
	ok(parse("file", &set) == -EINVAL, "a class without its %% refused (strace deprecates it)");
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	ok(parse(text, &set) == -E2BIG, "a selection past %d bytes refused", OG_SELECT_MAX - 1);
	memset(text, 'a', 100);
	text[100] = '\0';
	ok(parse(text, &set) == -EINVAL, "a name past 63 bytes refused: %s", og_errmsg());

	/* Empty, blanks, duplicates. */
	ok(parse("", &set) == -EINVAL, "empty: refused (%s)", og_errmsg());
	ok(parse("  ", &set) == -EINVAL, "blanks only: refused");
	ok(parse("!", &set) == -EINVAL, "! alone: refused");
	ok(parse("open,,read", &set) == -EINVAL && strstr(og_errmsg(), "empty item"), "an empty item refused: %s",
	   og_errmsg());
	ok(parse("open,", &set) == -EINVAL, "a trailing comma refused");
	ok(same(" open , read\t", "open,read") && same(" ! open", "!open"), "blanks around items and ! ignored");
	ok(parse("op en", &set) == -EINVAL, "a blank inside a name refused");
	ok(same("open,open,%file,open", "%file"), "duplicates: the same set");

	/* Printed back (gadget-dump summary) and read again. */
	ok(parse("open,read", &set) == 0, "parse open,read");
	og_syscall_set_text(set.skip, 0, text, sizeof(text));
	is_str(text, "read,open", "x86_64: the kept calls, by number");
	ok(same(text, "open,read"), "the printed set reads back the same");
	ok(parse("!futex,read", &set) == 0, "parse !futex,read");
	og_syscall_set_text(set.skip, 0, text, sizeof(text));
	is_str(text, "!read,futex", "mostly kept: ! and the skipped calls");
	ok(same(text, "!futex,read"), "the printed negation reads back the same");
	og_syscall_set_text(all_set.skip, 0, text, sizeof(text));
	is_str(text, "", "all: nothing printed");
	ok(parse("none", &set) == 0, "parse none");
	og_syscall_set_text(set.skip, 1, text, sizeof(text));
	is_str(text, "none", "none: printed none");
	ok(parse("%desc", &set) == 0, "parse %%desc");
	og_syscall_set_text(set.skip, 0, text, 40);
	ok(strlen(text) < 40 && strstr(text, "..."), "a list too long for the buffer ends in ...: %s", text);

	/* Through the settings: a bad selection fails open. */
	struct og_conf c;
	struct og_ring_owner want;

	og_conf_defaults(&c);
	ok(og_conf_set_as(&c, OG_CONF_CONTAINER, "syscalls", "%file,nosuchcall") == 0,
	   "a bad annotation is kept as text (refused later, failing open)");
	memset(&want, 0x5a, sizeof(want));
	ok(og_conf_ring_owner(&c, &want) == -EINVAL && strstr(og_errmsg(), "nosuchcall"),
	   "og_conf_ring_owner says why: %s", og_errmsg());
	ok(og_syscall_set_skipped(want.skip, 0) == 0 && og_syscall_set_skipped(want.skip, 1) == 0,
	   "... and the ring records every syscall");
	ok(og_conf_parse("syscalls = !futex\n", "t.conf", &c) == 0 && og_conf_ring_owner(&c, &want) == 0 &&
		   og_syscall_set_skipped(want.skip, 0) == 1,
	   "syscalls = in oci-gadget.conf");
	og_conf_defaults(&c);
	ok(og_conf_ring_owner(&c, &want) == 0 && og_syscall_set_skipped(want.skip, 0) == 0,
	   "no selection: every syscall recorded");
	return tap_done();
}
