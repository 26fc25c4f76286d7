/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_JSON_H
#define OG_JSON_H

/* JSON building blocks shared by every tool's --json output (yajl). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <yajl/yajl_gen.h>

/*
 * Strings from the traced world are bytes: valid UTF-8 is written as it is
 * (yajl escapes the controls), each byte that starts no valid sequence as
 * U+FFFD. Such a field KEY is then followed by KEY_hex, the exact bytes in
 * hex (gadget-dump(8), "JSON strings").
 */
void og_json_str(yajl_gen g, const char *key, const char *value);
void og_json_bytes_field(yajl_gen g, const char *key, const char *data, size_t len);
void og_json_u64(yajl_gen g, const char *key, uint64_t value);
void og_json_int(yajl_gen g, const char *key, long long value);
void og_json_bool(yajl_gen g, const char *key, bool value);
/* A key, a string value of len bytes, an unsigned number value. */
void og_json_key(yajl_gen g, const char *key);
/* A string value: true when it holds the bytes exactly (valid UTF-8). */
bool og_json_bytes(yajl_gen g, const char *data, size_t len);
/* The bytes as a string of lowercase hex digits. */
void og_json_hex(yajl_gen g, const char *data, size_t len);
void og_json_value_u64(yajl_gen g, uint64_t value);
void og_json_value_int(yajl_gen g, long long value);
/* Prints the generator's buffer and a newline, then frees it. */
int og_json_line(FILE *out, yajl_gen g);
/* The same for lines printed one after another from one generator, kept
 * per thread and reset by og_json_line_begin (NULL without memory);
 * og_json_line_end prints it and keeps it. */
yajl_gen og_json_line_begin(void);
int og_json_line_end(FILE *out, yajl_gen g);

#endif
