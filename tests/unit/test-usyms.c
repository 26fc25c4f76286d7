// User addresses named from /proc/PID/maps: which lines count, the first
// mapping that holds an address, raw addresses outside any file.
#include "config.h"
#include "og_usyms.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

static const char maps[] = "55d0a0000000-55d0a0001000 r--p 00000000 08:01 1311 /usr/bin/app\n"
			   "55d0a0001000-55d0a0003000 r-xp 00001000 08:01 1311 /usr/bin/app\n"
			   "55d0a1000000-55d0a1021000 rw-p 00000000 00:00 0                          [heap]\n"
			   "7f1200000000-7f1200021000 rw-p 00000000 00:00 0 \n"
			   "7f1300000000-7f1300028000 r-xp 00028000 08:01 42   /lib/x86_64-linux-gnu/libc.so.6\n"
			   "7f1300028000-7f1300030000 r-xp 00000000 08:01 43   /tmp/a file (deleted)\n"
			   "7f1300000000-7f1300028000 r-xp 00000000 08:01 44   /shadowed\n"
			   "garbage\n"
			   "7f1400000000-7f1400001000 r-xp 00000000\n"
			   "7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]";

static void self_test(void)
{
	struct og_usyms us;
	char buf[300];
	int r = og_usyms_load((uint32_t)getpid(), &us);

	ok(r == 0 && us.n > 0, "this process's maps: %zu file mappings", us.n);
	og_usyms_format(&us, (uint64_t)(uintptr_t)&self_test, buf, sizeof(buf));
	ok(buf[0] == '/' && strstr(buf, "test-usyms+0x"), "a function of this test is in its binary: %s", buf);
	og_usyms_free(&us);
}

int main(void)
{
	struct og_usyms us;
	char buf[300], small[12];
	int r;

	r = og_usyms_parse(strdup(maps), &us);
	ok(r == 0 && us.n == 5, "five file mappings: %zu (anonymous, [heap], [stack], short lines left out)", us.n);
	is_str(og_usyms_format(&us, 0x55d0a0001234, buf, sizeof(buf)), "/usr/bin/app+0x1234",
	       "the offset in the file: address - start + the mapping's offset");
	is_str(og_usyms_format(&us, 0x55d0a0000000, buf, sizeof(buf)), "/usr/bin/app+0",
	       "the file's first byte: offset 0, as printf's %%#x says it");
	is_str(og_usyms_format(&us, 0x7f1300000010, buf, sizeof(buf)), "/lib/x86_64-linux-gnu/libc.so.6+0x28010",
	       "of two mappings that hold it, the first");
	is_str(og_usyms_format(&us, 0x7f1300028001, buf, sizeof(buf)), "/tmp/a+0x1",
	       "a path is its first word (\" (deleted)\" and what follows a space left out)");
	is_str(og_usyms_format(&us, 0x55d0a1000010, buf, sizeof(buf)), "0x55d0a1000010", "the heap: raw");
	is_str(og_usyms_format(&us, 0x55d0a0003000, buf, sizeof(buf)), "0x55d0a0003000",
	       "a mapping's end is outside it");
	is_str(og_usyms_format(&us, 0x55d0a0001234, small, sizeof(small)), "/usr/bin/ap", "cut to the buffer");
	og_usyms_free(&us);
	ok(us.maps == NULL && us.text == NULL && us.n == 0, "freed and zeroed");

	r = og_usyms_parse(strdup(""), &us);
	ok(r == 0 && us.n == 0, "empty text: no mappings");
	is_str(og_usyms_format(&us, 0x1000, buf, sizeof(buf)), "0x1000", "no mappings: raw");
	og_usyms_free(&us);

	self_test();
	ok(og_usyms_load(0, &us) == -ENOENT, "no process 0: -ENOENT (%s)", og_errmsg());
	return tap_done();
}
