// Size and duration parsing, error messages.
#include "config.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>

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
	return tap_done();
}
