/* SPDX-License-Identifier: GPL-2.0 */
/* JSON strings (RFC 8259) for every program that prints JSON. */
#ifndef SIPREG_LIB_JSON_H
#define SIPREG_LIB_JSON_H

#include <stddef.h>
#include <stdio.h>

/*
 * @n bytes of @s as a quoted JSON string: valid UTF-8 passes, quotes,
 * backslashes, control bytes and bytes that are not UTF-8 are escaped,
 * so the output is valid JSON whatever the input (a stray byte becomes
 * the code point of the same value).
 */
void json_write_str(FILE *f, const void *s, size_t n);
void json_write_cstr(FILE *f, const char *s);

#endif /* SIPREG_LIB_JSON_H */
