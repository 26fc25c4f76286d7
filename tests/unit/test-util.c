// Size and duration parsing, error messages.
#include "config.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <fcntl.h>
#include <sys/stat.h>

/* The number writers give printf's digits, byte for byte. */
static void check_put(void)
{
	static const uint64_t us[] = {0,
				      1,
				      9,
				      10,
				      99,
				      100,
				      999,
				      1000,
				      65535,
				      4294967295u,
				      4294967296u,
				      1000000000000000000u,
				      UINT64_MAX - 1,
				      UINT64_MAX};
	static const int64_t is[] = {0, 1, -1, 9, -9, 10, -10, 4095, -4095, INT32_MIN, INT32_MAX, INT64_MAX, INT64_MIN};
	int bad = 0;

	for (size_t i = 0; i < sizeof(us) / sizeof(us[0]); i++) {
		char got[48], want[48];

		for (int w = 0; w <= 22; w += 3) {
			*og_put_uint(got, us[i], w) = '\0';
			snprintf(want, sizeof(want), "%*" PRIu64, w, us[i]);
			bad += strcmp(got, want) != 0;
		}
		*og_put_hex(got, us[i]) = '\0';
		snprintf(want, sizeof(want), "%#" PRIx64, us[i]);
		bad += strcmp(got, want) != 0;
		if (us[i] < 1000000000u) {
			*og_put_frac(got, us[i], 9) = '\0';
			snprintf(want, sizeof(want), "%09" PRIu64, us[i]);
			bad += strcmp(got, want) != 0;
		}
	}
	for (size_t i = 0; i < sizeof(is) / sizeof(is[0]); i++) {
		char got[48], want[48];

		*og_put_int(got, is[i]) = '\0';
		snprintf(want, sizeof(want), "%" PRId64, is[i]);
		bad += strcmp(got, want) != 0;
	}
	ok(bad == 0, "og_put_uint, og_put_int, og_put_hex, og_put_frac write what printf does (%d differ)", bad);
}

int main(void)
{
	uint64_t v = 0;

	ok(og_parse_size("4MiB", &v) == 0 && v == 4ULL << 20, "4MiB");
	ok(og_parse_size("512k", &v) == 0 && v == 512ULL << 10, "512k");
	ok(og_parse_size("1G", &v) == 0 && v == 1ULL << 30, "1G");
	ok(og_parse_size("65536", &v) == 0 && v == 65536, "plain bytes");
	ok(og_parse_size("4 MiB", &v) == -EINVAL, "space before the unit is refused");
	ok(og_parse_size("MiB", &v) == -EINVAL, "no number");
	ok(og_parse_size("-1", &v) == -EINVAL, "negative");
	ok(og_parse_size("99999999999999999999", &v) == -ERANGE, "overflow");
	ok(og_parse_size("20000000000G", &v) == -ERANGE, "overflow with a unit");
	ok(og_parse_size("3furlongs", &v) == -EINVAL && strstr(og_errmsg(), "furlongs"), "unknown unit named");
	ok(og_parse_duration("90s", &v) == 0 && v == 90, "90s");
	ok(og_parse_duration("30m", &v) == 0 && v == 1800, "30m");
	ok(og_parse_duration("7d", &v) == 0 && v == 7 * 86400, "7d");
	ok(og_parse_duration("12", &v) == 0 && v == 12, "bare seconds");
	ok(og_parse_duration("1w", &v) == -EINVAL, "weeks are not a unit");

	check_put();
	ok(og_err(ENOENT, "open %s", "/x") == -ENOENT, "og_err returns -errno");
	is_str(og_errmsg(), "open /x: No such file or directory", "message names object and cause");
	ok(og_err_wrap(-ENOENT, "container '%s'", "c1") == -ENOENT, "og_err_wrap returns -errno");
	is_str(og_errmsg(), "container 'c1': open /x: No such file or directory",
	       "context goes before the previous message, the cause said once");

	char buf[8];
	ok(og_path(buf, sizeof(buf), "%s", "1234567") == 0, "path that fits");
	ok(og_path(buf, sizeof(buf), "%s", "12345678") == -ENAMETOOLONG, "path too long fails, not truncates");
	char esc[16];
	og_escape_line(esc, sizeof(esc), "a\nb\\c\x7f");
	is_str(esc, "a\\x0ab\\\\c\\x7f", "escaped: newline, backslash, DEL");
	og_escape_line(esc, 8, "\n\n\n\n");
	is_str(esc, "\\x0a", "cut before an escape that does not fit");
	char term[128];
	is_str(og_escape_line(term, sizeof(term), "\n\x1b[31mX\x1b]0;t\x07"), "\\x0a\\x1b[31mX\\x1b]0;t\\x07",
	       "a process name that would drive a terminal: ESC, BEL and newline escaped, returned for printf");
	is_str(og_escape_line(term, sizeof(term),
			      "\xc2\x9b"
			      "2J \x9b \xc3\xa9"),
	       "\\xc2\\x9b2J \\x9b \\xc3\\xa9", "C1 controls, raw or in UTF-8, and every byte past ASCII escaped");
	const char field[4] = {'a', 'b', '\x1b', 'c'};
	is_str(og_escape_field(term, sizeof(term), field, sizeof(field)), "ab\\x1bc",
	       "a fixed field without its NUL ends at its size");
	is_str(og_escape_field(term, sizeof(term), "ab\0cd", 5), "ab", "a field ends at its NUL");

	/* A directory made and opened; a file written whole, a failed write named. */
	char tmpl[] = "/tmp/og-test-util-XXXXXX", dir[64], file[96];
	cleanup_free char *back = NULL;
	struct stat sb;
	size_t len = 0;
	int dfd = -1, fd;
	static char big[1 << 20];

	ok(mkdtemp(tmpl) != NULL, "a temporary directory");
	snprintf(dir, sizeof(dir), "%s/a/b", tmpl);
	ok(og_mkdir_open(dir, 0700, O_RDONLY, &dfd) == 0 && fstat(dfd, &sb) == 0 && S_ISDIR(sb.st_mode) &&
		   (sb.st_mode & 0777) == 0700,
	   "og_mkdir_open makes the parents and opens the directory");
	memset(big, 'x', sizeof(big));
	fd = openat(dfd, "f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ok(fd >= 0 && og_write_fd(fd, "f", big, sizeof(big)) == 0, "og_write_fd writes 1 MiB");
	close(fd);
	snprintf(file, sizeof(file), "%s/f", dir);
	ok(og_read_file(file, sizeof(big) + 1, &back, &len) == 0 && len == sizeof(big) && memcmp(back, big, len) == 0,
	   "all of it is in the file");
	fd = open(file, O_RDONLY | O_CLOEXEC);
	ok(og_write_fd(fd, file, "x", 1) == -EBADF && strstr(og_errmsg(), "write ") && strstr(og_errmsg(), "/a/b/f"),
	   "a failed write names the file: %s", og_errmsg());
	close(fd);
	ok(og_mkdir_open(file, 0700, O_RDONLY, &fd) < 0 && strstr(og_errmsg(), "/a/b/f"),
	   "a file where the directory should be: %s", og_errmsg());
	unlink(file);
	rmdir(dir);
	close(dfd);
	snprintf(dir, sizeof(dir), "%s/a", tmpl);
	rmdir(dir);
	rmdir(tmpl);
	return tap_done();
}
