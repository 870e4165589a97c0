/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frozen reference parser (parser_ref.c): what kmod/sip/parser.h
 * exports, under the sipreg_ref_ prefix, on the same types.
 */
#ifndef SIPREG_PARSER_REF_H
#define SIPREG_PARSER_REF_H

#include "parser.h"

enum sipreg_verdict sipreg_ref_parse_opts(const u8 *buf, size_t len,
					  size_t max_len, unsigned int opts,
					  struct sipreg_msg *m);
enum sipreg_verdict sipreg_ref_parse_max(const u8 *buf, size_t len,
					 size_t max_len, struct sipreg_msg *m);
enum sipreg_verdict sipreg_ref_parse(const u8 *buf, size_t len,
				     struct sipreg_msg *m);
enum sipreg_verdict sipreg_ref_parse_auth(const u8 *buf, size_t len,
					  struct sipreg_auth *a);
const char *sipreg_ref_verdict_name(enum sipreg_verdict v);
bool sipreg_ref_list_has(const u8 *buf, const struct sipreg_list *l,
			 const char *tok, size_t toklen);
bool sipreg_ref_uri_user(const u8 *buf, struct sipreg_span uri,
			 struct sipreg_span *user, bool *sips);
bool sipreg_ref_uri_host(const u8 *buf, struct sipreg_span uri,
			 struct sipreg_span *host);
bool sipreg_ref_contact_uri_valid(const u8 *buf, size_t len);
bool sipreg_ref_span_eq_unquoted(const u8 *buf, struct sipreg_span sp,
				 const u8 *s, size_t n);
int sipreg_ref_span_unquote(const u8 *buf, struct sipreg_span sp,
			    u8 *out, size_t outlen);

#endif /* SIPREG_PARSER_REF_H */
