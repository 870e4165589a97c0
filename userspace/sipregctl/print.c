// SPDX-License-Identifier: GPL-2.0
/*
 * sipregctl's only printer: text and JSON from the same calls, so the two
 * never disagree. JSON is one document per command (one per line for
 * monitor), strings escaped as RFC 8259 asks.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "json.h"
#include "print.h"

#define MAX_DEPTH 8

static bool json;
static int depth;
static bool first[MAX_DEPTH + 1] = { true };

void pr_set_json(bool on)
{
	json = on;
}

/* The comma and "key": before a JSON value. */
static void json_key(const char *key)
{
	if (!first[depth])
		putchar(',');
	first[depth] = false;
	if (key) {
		json_write_cstr(stdout, key);
		putchar(':');
	}
}

static void json_open(const char *key, char c)
{
	json_key(key);
	putchar(c);
	if (depth < MAX_DEPTH)
		depth++;
	first[depth] = true;
}

static void json_close(char c)
{
	putchar(c);
	if (depth > 0)
		depth--;
}

void pr_open(const char *key)
{
	if (json)
		json_open(key, '{');
}

void pr_close(void)
{
	if (json)
		json_close('}');
}

void pr_open_arr(const char *key)
{
	if (json)
		json_open(key, '[');
}

void pr_close_arr(void)
{
	if (json)
		json_close(']');
}

void pr_str(const char *key, const char *fmt, const char *val)
{
	if (json) {
		json_key(key);
		json_write_cstr(stdout, val);
	} else if (fmt) {
		printf(fmt, val);
	}
}

void pr_u64(const char *key, const char *fmt, uint64_t val)
{
	if (json) {
		json_key(key);
		printf("%" PRIu64, val);
	} else if (fmt) {
		printf(fmt, val);
	}
}

void pr_bool(const char *key, const char *fmt, bool val)
{
	if (json) {
		json_key(key);
		fputs(val ? "true" : "false", stdout);
	} else if (fmt) {
		printf(fmt, val ? "on" : "off");
	}
}

void pr_text(const char *fmt, ...)
{
	va_list ap;

	if (json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void pr_done(void)
{
	if (json) {
		putchar('\n');
		depth = 0;
		first[0] = true;
	}
	fflush(stdout);
}
