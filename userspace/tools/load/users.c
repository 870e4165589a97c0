// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-load: user lists. Patterns are expanded by our own formatter
 * rather than by printf with a format string from the command line, which
 * would let a stray %s read the stack.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "users.h"

/* Parsed "%[0][width](d|u|x)". */
struct conv {
	bool zero;
	unsigned int width;
	char type;
	size_t len;		/* of the conversion text */
};

static bool parse_conv(const char *p, struct conv *c)
{
	const char *s = p++;

	c->zero = *p == '0';
	if (c->zero)
		p++;
	c->width = 0;
	while (*p >= '0' && *p <= '9' && c->width < 100)
		c->width = c->width * 10 + (*p++ - '0');
	if (*p != 'd' && *p != 'u' && *p != 'x' && *p != 'i')
		return false;
	if (c->width > 20)
		return false;
	c->type = *p;
	c->len = p + 1 - s;
	return true;
}

const char *lg_pattern_check(const char *pat)
{
	unsigned int convs = 0;
	struct conv c;

	for (; *pat; pat++) {
		if (*pat != '%')
			continue;
		if (pat[1] == '%') {
			pat++;
			continue;
		}
		if (!parse_conv(pat, &c))
			return "only %d, %u, %x with an optional 0 flag and width (at most 20) are allowed";
		if (++convs > 1)
			return "at most one conversion is allowed";
		pat += c.len - 1;
	}
	return NULL;
}

static int put_num(char *out, int at, const struct conv *c, u32 v)
{
	char digits[24];
	int n = 0, pad;

	do {
		digits[n++] = c->type == 'x' ? "0123456789abcdef"[v % 16] :
					       (char)('0' + v % 10);
		v = c->type == 'x' ? v / 16 : v / 10;
	} while (v);
	for (pad = (int)c->width - n; pad > 0; pad--) {
		if (at >= LG_NAME_MAX)
			return -1;
		out[at++] = c->zero ? '0' : ' ';
	}
	while (n > 0) {
		if (at >= LG_NAME_MAX)
			return -1;
		out[at++] = digits[--n];
	}
	return at;
}

int lg_pattern_format(const char *pat, u32 v, char *out)
{
	struct conv c;
	int at = 0;

	for (; *pat; pat++) {
		if (*pat == '%' && pat[1] == '%') {
			pat++;
		} else if (*pat == '%') {
			if (!parse_conv(pat, &c))
				return -1;
			at = put_num(out, at, &c, v);
			if (at < 0)
				return -1;
			pat += c.len - 1;
			continue;
		}
		if (at >= LG_NAME_MAX)
			return -1;
		out[at++] = *pat;
	}
	out[at] = 0;
	return at;
}

/* Characters a user part may hold here without escaping (RFC 3261 25.1). */
static bool name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr("-_.!~*'()&=+$", c)))
			return false;
	}
	return true;
}

/* Room for one more user: arrays double, text grows by what a user may take. */
static int reserve(struct lg_users *u, u32 *cap, size_t *textcap, size_t used)
{
	const size_t one = 2 * (LG_NAME_MAX + 1);

	if (u->n == *cap || !u->off) {
		u32 c = u->off ? *cap * 2 : 1024;
		void *o = realloc(u->off, sizeof(*u->off) * c);
		void *nl = o ? realloc(u->name_len, c) : NULL;
		void *pl = nl ? realloc(u->pass_len, c) : NULL;

		if (o)
			u->off = o;
		if (nl)
			u->name_len = nl;
		if (!pl)
			return -1;
		u->pass_len = pl;
		*cap = c;
	}
	if (used + one > *textcap) {
		size_t c = *textcap ? *textcap * 2 : 1024 * one;
		void *t = realloc(u->text, c);

		if (!t)
			return -1;
		u->text = t;
		*textcap = c;
	}
	return 0;
}

/* Appends one user; the arrays must have room. */
static void add(struct lg_users *u, size_t *used, const char *name, size_t nl,
		const char *pass, size_t pl)
{
	u->off[u->n] = *used;
	u->name_len[u->n] = nl;
	u->pass_len[u->n] = pl;
	memcpy(u->text + *used, name, nl);
	u->text[*used + nl] = 0;
	memcpy(u->text + *used + nl + 1, pass, pl);
	u->text[*used + nl + 1 + pl] = 0;
	*used += nl + pl + 2;
	u->n++;
}

int lg_users_pattern(struct lg_users *u, const char *user_pat,
		     const char *pass_pat, u32 first, u32 n, char *err,
		     size_t errlen)
{
	char name[LG_NAME_MAX + 1], pass[LG_NAME_MAX + 1];
	size_t used = 0, textcap = 0;
	u32 i, cap = 0;
	int nl, pl;

	memset(u, 0, sizeof(*u));
	for (i = 0; i < n; i++) {
		if (reserve(u, &cap, &textcap, used)) {
			snprintf(err, errlen, "out of memory for %u users", n);
			return -1;
		}
		nl = lg_pattern_format(user_pat, first + i, name);
		pl = lg_pattern_format(pass_pat, first + i, pass);
		if (nl < 0 || pl < 0) {
			snprintf(err, errlen, "user %u: name or password longer than %d",
				 first + i, LG_NAME_MAX);
			return -1;
		}
		if (!name_ok(name, nl)) {
			snprintf(err, errlen, "user name \"%s\": only letters, digits and -_.!~*'()&=+$",
				 name);
			return -1;
		}
		add(u, &used, name, nl, pass, pl);
	}
	return 0;
}

static int csv_line(struct lg_users *u, char *line, size_t *used,
		    unsigned int lineno, const char *path, char *err,
		    size_t errlen)
{
	size_t len = strlen(line);
	char *semi;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = 0;
	if (!len || line[0] == '#')
		return 0;
	semi = strchr(line, ';');
	if (!semi || semi == line || semi - line > LG_NAME_MAX ||
	    strlen(semi + 1) > LG_NAME_MAX || !name_ok(line, semi - line)) {
		snprintf(err, errlen, "%s:%u: want \"user;password\", names of letters, digits and -_.!~*'()&=+$, at most %d bytes each",
			 path, lineno, LG_NAME_MAX);
		return -1;
	}
	add(u, used, line, semi - line, semi + 1, strlen(semi + 1));
	return 0;
}

int lg_users_csv(struct lg_users *u, const char *path, u32 max, char *err,
		 size_t errlen)
{
	char line[2 * LG_NAME_MAX + 8];
	unsigned int lineno = 0;
	size_t used = 0, textcap = 0;
	u32 cap = 0;
	FILE *f;
	int rc = 0;

	memset(u, 0, sizeof(*u));
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!rc && (!max || u->n < max) && fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line too long", path, lineno);
			rc = -1;
		} else if (reserve(u, &cap, &textcap, used)) {
			snprintf(err, errlen, "%s: out of memory", path);
			rc = -1;
		} else {
			rc = csv_line(u, line, &used, lineno, path, err, errlen);
		}
	}
	fclose(f);
	if (!rc && !u->n) {
		snprintf(err, errlen, "%s: no users", path);
		rc = -1;
	}
	return rc;
}

void lg_users_free(struct lg_users *u)
{
	free(u->text);
	free(u->off);
	free(u->name_len);
	free(u->pass_len);
	memset(u, 0, sizeof(*u));
}
