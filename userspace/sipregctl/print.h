/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One printing path for text and JSON, in the way of iproute2's
 * print_*(PRINT_ANY, key, fmt, value): each value is given once with its
 * JSON key and its text format; a NULL format leaves it out of the text.
 */
#ifndef SIPREG_CTL_PRINT_H
#define SIPREG_CTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>

void pr_set_json(bool json);
void pr_open(const char *key);		/* an object; key NULL at top/in arrays */
void pr_close(void);
void pr_open_arr(const char *key);
void pr_close_arr(void);
void pr_str(const char *key, const char *fmt, const char *val);
void pr_u64(const char *key, const char *fmt, uint64_t val);
void pr_bool(const char *key, const char *fmt, bool val);
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void pr_text(const char *fmt, ...);	/* text output only */
void pr_done(void);			/* one document complete: flush */

#endif /* SIPREG_CTL_PRINT_H */
