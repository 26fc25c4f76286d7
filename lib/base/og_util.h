/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_UTIL_H
#define OG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define OG_VERSION_STRING PACKAGE_VERSION

/*
 * Errors: a failing function calls og_err() where the failure happens, with
 * the object and the call, and returns its result (-errnum). The message is
 * kept per thread until the next og_err() and read with og_errmsg().
 */
int og_err(int errnum, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds context before the last error's message, which already names its
 * cause: "container 'x': open /p: No such file or directory", the cause
 * once. Returns -errnum. */
int og_err_wrap(int errnum, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Warnings from library code (something skipped, the work goes on) go
 * through the program's handler: the hook's log, or by default stderr
 * under the program's own name, never another program's.
 */
typedef void (*og_warn_fn)(void *arg, const char *msg);
void og_set_warn(og_warn_fn fn, void *arg);
void og_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* mountinfo's octal escapes (\040 for a space) undone in place. */
void og_unescape_octal(char *s);
/* A whole decimal number within [min, max]; -EINVAL naming what. */
int og_parse_long(const char *s, long min, long max, const char *what, long *out);
const char *og_errmsg(void);

static inline void og_freep(void *p)
{
	free(*(void **)p);
}
static inline void og_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
static inline void og_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
#define cleanup_free __attribute__((cleanup(og_freep)))
#define cleanup_close __attribute__((cleanup(og_closep)))
#define cleanup_fclose __attribute__((cleanup(og_fclosep)))

/* openat2(2): an fd, or -1 with errno set. */
int og_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

/* Reads a whole file (at most max bytes, else -EFBIG), NUL-terminated. */
int og_read_file(const char *path, size_t max, char **out, size_t *len);
int og_read_fd(int fd, const char *what, size_t max, char **out, size_t *len);
/* For files someone else may have replaced (a bundle's config.json after an
 * earlier hook): opened non-blocking, so a FIFO or a device in its place
 * never blocks the reader, and read only when regular (else -EINVAL) and at
 * most max bytes by its size (else -EFBIG, before reading). */
int og_read_regular_file(const char *path, size_t max, char **out, size_t *len);
/* The same on an fd already open (O_NONBLOCK); what names it in errors. */
int og_read_regular_fd(int fd, const char *what, size_t max, char **out, size_t *len);
/* Writes all len bytes (again after a short write or EINTR); what names
 * the file in errors. */
int og_write_fd(int fd, const char *what, const void *data, size_t len);

/* Parses len bytes of JSON (at most max, no NUL inside nor \u0000 in a
 * string, nested at most OG_JSON_MAX_DEPTH deep) into a yajl tree (a yajl_val, freed with
 * yajl_tree_free); errors name what. The depth is checked before parsing:
 * yajl frees a tree recursively, and yajl_gen writes at most 128 levels. */
#define OG_JSON_MAX_DEPTH 64
int og_json_parse(const char *json, size_t len, size_t max, const char *what, void **root);

/* Writes a parsed yajl value back (numbers keep their text); the first
 * failing status, or yajl_gen_status_ok. */
int og_json_gen_value(void *gen, void *val);

/* "4MiB", "512k", "1G", "65536" -> bytes. */
int og_parse_size(const char *s, uint64_t *bytes);
/* bytes for people: "64 MiB", "1.0 MiB", "96 KiB", "100 bytes"; returns buf. */
const char *og_format_size(char *buf, size_t size, uint64_t bytes);
/* "90s", "30m", "12h", "7d", "3600" -> seconds. */
int og_parse_duration(const char *s, uint64_t *secs);
/* The same in milliseconds, "500ms" too; a plain number is seconds. */
int og_parse_duration_ms(const char *s, uint64_t *ms);

/* Bytes as the inside of a C string literal, as strace prints them:
 * quotes, backslashes and control bytes escaped, nothing else changed. */
void og_print_escaped(FILE *out, const char *data, size_t len);
/* "31.8 MiB", "12.0 KiB", "512 B": a size for people to read. */
const char *og_format_bytes(char *buf, size_t size, uint64_t bytes);

/* Numbers written by hand where printf's format parsing would cost more
 * than the rest of a line (a ring read whole prints millions). Each writes
 * at p, no NUL, and returns the end of what it wrote. */
char *og_put_uint(char *p, uint64_t v, int width);  /* "%*" PRIu64 */
char *og_put_int(char *p, int64_t v);		    /* "%" PRId64 */
char *og_put_hex(char *p, uint64_t v);		    /* "%#" PRIx64: "0" for 0 */
char *og_put_frac(char *p, uint64_t v, int digits); /* "%0*" PRIu64, v below 10^digits */

/* Advice that a large heap block (records read whole) be backed by huge
 * pages: a first touch per 2 MiB, not per 4 KiB page. Below 4 MiB, or
 * where the kernel says no, nothing changes. */
void og_advise_huge(void *p, size_t len);

uint64_t og_realtime_ns(void);
uint64_t og_boottime_ns(void);

int og_mkdir_p(const char *path, unsigned mode);
/* og_mkdir_p, then the directory opened with O_DIRECTORY | O_NOFOLLOW |
 * O_CLOEXEC and flags (O_PATH, O_RDONLY): *fd. */
int og_mkdir_open(const char *dir, unsigned mode, int flags, int *fd);
/* snprintf that fails with -ENAMETOOLONG instead of truncating. */
int og_path(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* strlcpy-like copy into a fixed field; always NUL-terminates. */
void og_strfield(char *dst, size_t size, const char *src);
/* The same from a fixed field of n bytes that need not end in a NUL (a
 * record's comm): never reads past it. */
void og_strfield_n(char *dst, size_t size, const char *src, size_t n);
/* src as one line of printable ASCII: control bytes and every byte past
 * ASCII as \xNN, backslashes doubled, so that nothing in it (an id with a
 * newline, a process name with an escape sequence) can forge a line or
 * drive a terminal; cut to size (4 bytes of dst per byte of src at most).
 * Returns dst, for a printf argument. Every text output passes what it
 * did not write itself (names, paths, annotations) through it. */
char *og_escape_line(char *dst, size_t size, const char *src);
/* The same of a fixed field of len bytes, which may lack its NUL
 * (a record's comm). */
char *og_escape_field(char *dst, size_t size, const char *src, size_t len);

#endif
