/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sipreg-load: the simulated users' names and passwords, from a CSV file
 * ("user;password" per line) or from patterns like "user%06d".
 */
#ifndef LG_USERS_H
#define LG_USERS_H

#include "sip.h"

#define LG_NAME_MAX	64	/* longest user name or password */

struct lg_users {
	u32 n;
	char *text;		/* "name\0password\0" per user */
	u32 *off;		/* of each user's name in text */
	u8 *name_len;
	u8 *pass_len;
};

/*
 * A pattern holds at most one %d, %u or %x conversion, with an optional
 * 0 flag and width ("user%06d"); "%%" is a percent sign. Returns 0, or -1
 * with a message in err.
 */
int lg_users_pattern(struct lg_users *u, const char *user_pat,
		     const char *pass_pat, u32 first, u32 n, char *err,
		     size_t errlen);

/* Reads at most max users (0: all) from path. Returns 0 or -1 with err. */
int lg_users_csv(struct lg_users *u, const char *path, u32 max, char *err,
		 size_t errlen);

void lg_users_free(struct lg_users *u);

static inline struct lg_str lg_user_name(const struct lg_users *u, u32 i)
{
	return (struct lg_str){ u->text + u->off[i], u->name_len[i] };
}

static inline struct lg_str lg_user_pass(const struct lg_users *u, u32 i)
{
	return (struct lg_str){ u->text + u->off[i] + u->name_len[i] + 1,
				u->pass_len[i] };
}

/* Checks a pattern alone; returns NULL or what is wrong with it. */
const char *lg_pattern_check(const char *pat);

/* Formats pat with v into out (at least LG_NAME_MAX + 1 bytes). */
int lg_pattern_format(const char *pat, u32 v, char *out);

#endif /* LG_USERS_H */
