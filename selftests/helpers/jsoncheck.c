// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-jsoncheck: exits 0 if stdin holds JSON (RFC 8259), one document
 * or one per line with -l; else prints where it broke and exits 1. The
 * test VM has no jq; this is all the tests need.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

static const char *p;

static bool value(int depth);

static void ws(void)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
}

static bool lit(const char *s)
{
	size_t n = strlen(s);

	if (strncmp(p, s, n))
		return false;
	p += n;
	return true;
}

static bool string(void)
{
	int i;

	if (*p++ != '"')
		return false;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return false;
		if (*p++ != '\\')
			continue;
		if (strchr("\"\\/bfnrt", *p) && *p) {
			p++;
		} else if (*p++ == 'u') {
			for (i = 0; i < 4; i++)
				if (!isxdigit((unsigned char)*p++))
					return false;
		} else {
			return false;
		}
	}
	p++;
	return true;
}

static bool digits(void)
{
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	return true;
}

static bool number(void)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (!digits())
		return false;
	if (*p == '.') {
		p++;
		if (!digits())
			return false;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!digits())
			return false;
	}
	return true;
}

/* Object or array: members separated by commas, no trailing comma. */
static bool container(int depth, char close, bool object)
{
	p++;
	ws();
	if (*p == close) {
		p++;
		return true;
	}
	for (;;) {
		ws();
		if (object) {
			if (!string())
				return false;
			ws();
			if (*p++ != ':')
				return false;
		}
		if (!value(depth + 1))
			return false;
		ws();
		if (*p == close) {
			p++;
			return true;
		}
		if (*p++ != ',')
			return false;
	}
}

static bool value(int depth)
{
	if (depth > MAX_DEPTH)
		return false;
	ws();
	switch (*p) {
	case '{':
		return container(depth, '}', true);
	case '[':
		return container(depth, ']', false);
	case '"':
		return string();
	case 't':
		return lit("true");
	case 'f':
		return lit("false");
	case 'n':
		return lit("null");
	default:
		return number();
	}
}

static bool document(const char *s)
{
	p = s;
	if (!value(0))
		return false;
	ws();
	return !*p;
}

int main(int argc, char **argv)
{
	bool lines = argc > 1 && !strcmp(argv[1], "-l");
	size_t cap = 0, len = 0;
	char *buf = NULL, *line, *save = NULL;
	int n;

	for (;;) {
		if (cap - len < 4096) {
			cap = cap * 2 + 4096;
			buf = realloc(buf, cap);
			if (!buf)
				return 1;
		}
		n = fread(buf + len, 1, cap - len - 1, stdin);
		if (n <= 0)
			break;
		len += n;
	}
	if (!buf)
		return 1;
	buf[len] = 0;
	if (strlen(buf) != len) {
		fprintf(stderr, "jsoncheck: NUL byte in input\n");
		return 1;
	}
	if (!lines) {
		if (document(buf))
			return 0;
		fprintf(stderr, "jsoncheck: invalid JSON at byte %td\n", p - buf);
		return 1;
	}
	n = 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++) {
		if (!document(line)) {
			fprintf(stderr, "jsoncheck: line %d: invalid JSON\n", n + 1);
			return 1;
		}
	}
	if (!n) {
		fprintf(stderr, "jsoncheck: no JSON\n");
		return 1;
	}
	return 0;
}
