/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_JSON_H
#define OG_JSON_H

/* JSON building blocks shared by every tool's --json output (yajl). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <yajl/yajl_gen.h>

/* Strings are written byte for byte as Latin-1 code points, so any bytes
 * are valid. */
void og_json_str(yajl_gen g, const char *key, const char *value);
void og_json_u64(yajl_gen g, const char *key, uint64_t value);
void og_json_int(yajl_gen g, const char *key, long long value);
void og_json_bool(yajl_gen g, const char *key, bool value);
/* A key, a string value of len bytes, an unsigned number value. */
void og_json_key(yajl_gen g, const char *key);
void og_json_bytes(yajl_gen g, const char *data, size_t len);
void og_json_value_u64(yajl_gen g, uint64_t value);
/* Prints the generator's buffer and a newline, then frees it. */
int og_json_line(FILE *out, yajl_gen g);

#endif
