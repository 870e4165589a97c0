// SPDX-License-Identifier: GPL-2.0
/*
 * The reference parser of the differential fuzzer (fuzz_parser_diff):
 * ref/parser.c is kmod/sip/parser.c as it was at b7a0811, before the
 * single-pass rewrite (issue 14 item 2), frozen: never edit it. Its
 * exported names get the sipreg_ref_ prefix so that both parsers link
 * into one binary; the types are those of kmod/sip/parser.h. Built only
 * for the fuzzers.
 */
#include "parser_ref.h"

#define sipreg_verdict_name		sipreg_ref_verdict_name
#define sipreg_parse			sipreg_ref_parse
#define sipreg_parse_max		sipreg_ref_parse_max
#define sipreg_parse_opts		sipreg_ref_parse_opts
#define sipreg_parse_auth		sipreg_ref_parse_auth
#define sipreg_list_has			sipreg_ref_list_has
#define sipreg_uri_user			sipreg_ref_uri_user
#define sipreg_uri_host			sipreg_ref_uri_host
#define sipreg_contact_uri_valid	sipreg_ref_contact_uri_valid
#define sipreg_span_eq_unquoted		sipreg_ref_span_eq_unquoted
#define sipreg_span_unquote		sipreg_ref_span_unquote

#include "parser.c"
