// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/sip/parser.c: the wire vectors, every header with odd but
 * legal spacing and case, each SIPREG_MAX_* limit at and past its bound, and
 * a table of malformed messages after the classes of RFC 4475 (written from
 * its descriptions). Every message is parsed from a heap buffer of exactly
 * its length, so ASan catches any read past the end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The harness itself trips these under -Wextra; its enum compares too. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"
#include "parser.h"

static u8 *cur_buf;
static size_t cur_len;

/* Parses len bytes of text from an exact-size copy kept in cur_buf. */
static enum sipreg_verdict parse_n(const void *text, size_t len,
				   struct sipreg_msg *m)
{
	free(cur_buf);
	cur_buf = malloc(len ? len : 1);
	if (!cur_buf)
		abort();
	memcpy(cur_buf, text, len);
	cur_len = len;
	return sipreg_parse(cur_buf, len, m);
}

static enum sipreg_verdict parse(const char *text, struct sipreg_msg *m)
{
	return parse_n(text, strlen(text), m);
}

static bool span_is(struct sipreg_span sp, const char *s)
{
	return sp.len == strlen(s) && !memcmp(cur_buf + sp.off, s, sp.len);
}

static bool span_in(struct sipreg_span sp)
{
	return (size_t)sp.off + sp.len <= cur_len;
}

#define EXPECT_SPAN(sp, s) \
	EXPECT_TRUE(span_is(sp, s)) \
		TH_LOG("%s: got \"%.*s\", want \"%s\"", #sp, (int)(sp).len, \
		       (const char *)cur_buf + (sp).off, s)

#define EXPECT_VERDICT(want, got) EXPECT_VERDICT_CTX(want, got, "%s", "")

#define EXPECT_VERDICT_CTX(want, got, fmt, ...) do { \
	enum sipreg_verdict _g = (got), _w = (want); \
	EXPECT_EQ(_w, _g) \
		TH_LOG("verdict %s, want %s: " fmt, sipreg_verdict_name(_g), \
		       sipreg_verdict_name(_w), __VA_ARGS__); \
} while (0)

/* Every span of *m lies in the buffer parsed last. */
static bool all_spans_in(const struct sipreg_msg *m)
{
	size_t i;

	for (i = 0; i < SIPREG_MAX_VIAS; i++)
		if (!span_in(m->vias[i]))
			return false;
	for (i = 0; i < SIPREG_MAX_CONTACTS; i++)
		if (!span_in(m->contacts[i].value) ||
		    !span_in(m->contacts[i].uri) ||
		    !span_in(m->contacts[i].display) ||
		    !span_in(m->contacts[i].instance))
			return false;
	return span_in(m->method) && span_in(m->ruri) &&
	       span_in(m->via.host) && span_in(m->via.branch) &&
	       span_in(m->via.received) && span_in(m->via.rport_param) &&
	       span_in(m->via.transport) && span_in(m->from.value) &&
	       span_in(m->from.uri) && span_in(m->from.tag) &&
	       span_in(m->to.value) && span_in(m->to.uri) &&
	       span_in(m->call_id) && span_in(m->cseq_method) &&
	       span_in(m->auth.username) && span_in(m->auth.response) &&
	       span_in(m->user_agent) && m->err_off <= cur_len;
}

static size_t read_vector(const char *name, u8 *buf, size_t cap)
{
	char path[256];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "selftests/data/vectors/%s", name);
	f = fopen(path, "rb");
	if (!f)
		return 0;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

/* The pieces of a minimal valid REGISTER. */
#define RL	"REGISTER sip:example.com SIP/2.0\r\n"
#define VIA	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnashds7\r\n"
#define MF	"Max-Forwards: 70\r\n"
#define FROM	"From: <sip:alice@example.com>;tag=456248\r\n"
#define TO	"To: <sip:alice@example.com>\r\n"
#define CID	"Call-ID: 843817637684230@998sdasdh09\r\n"
#define CSEQ	"CSeq: 1826 REGISTER\r\n"
#define CT	"Contact: <sip:alice@192.0.2.1>\r\n"
#define CL0	"Content-Length: 0\r\n"
#define HDRS	VIA MF FROM TO CID CSEQ CT
#define OKMSG	RL HDRS CL0 "\r\n"

TEST(sizes)
{
	struct sipreg_msg m;

	printf("# sizeof(struct sipreg_msg) = %zu, sizeof(struct sipreg_auth) = %zu, sizeof(struct sipreg_msg_contact) = %zu\n",
	       sizeof(m), sizeof(m.auth), sizeof(m.contacts[0]));
	EXPECT_LT(sizeof(m), 1024);
	/* offsets must fit the spans */
	EXPECT_LE(SIPREG_MAX_LEN, 65535);
}

TEST(verdict_names)
{
	const char *n, *o;
	int i, j;

	EXPECT_EQ(0, SIPREG_OK);
	EXPECT_STREQ("ok", sipreg_verdict_name(SIPREG_OK));
	EXPECT_STREQ("unknown", sipreg_verdict_name(SIPREG_VERDICT_MAX));
	EXPECT_STREQ("unknown", sipreg_verdict_name((enum sipreg_verdict)-1));
	for (i = 0; i < SIPREG_VERDICT_MAX; i++) {
		n = sipreg_verdict_name(i);
		ASSERT_NE(NULL, n);
		EXPECT_STRNE("unknown", n);
		EXPECT_EQ(strlen(n), strspn(n, "abcdefghijklmnopqrstuvwxyz_"))
			TH_LOG("verdict %d name '%s' not snake_case", i, n);
		for (j = 0; j < i; j++) {
			o = sipreg_verdict_name(j);
			EXPECT_STRNE(o, n);
		}
	}
	EXPECT_STREQ("not_register", sipreg_verdict_name(SIPREG_NOT_REGISTER));
	EXPECT_STREQ("content_length_mismatch",
		     sipreg_verdict_name(SIPREG_CONTENT_LENGTH_MISMATCH));
}

TEST(vector_initial)
{
	struct sipreg_msg m;
	u8 buf[4096];
	size_t n = read_vector("register-initial.sip", buf, sizeof(buf));

	ASSERT_EQ(466, n);
	ASSERT_EQ(SIPREG_OK, parse_n(buf, n, &m));
	EXPECT_TRUE(all_spans_in(&m));
	EXPECT_SPAN(m.method, "REGISTER");
	EXPECT_SPAN(m.ruri, "sip:10.10.1.99");
	EXPECT_EQ(1, m.n_vias);
	EXPECT_SPAN(m.vias[0], "SIP/2.0/UDP 10.10.1.13:5060;\r\n branch=z9hG4bK78946131-99e1-de11-8845-080027608325;rport");
	EXPECT_SPAN(m.via.transport, "UDP");
	EXPECT_SPAN(m.via.host, "10.10.1.13");
	EXPECT_EQ(5060, m.via.port);
	EXPECT_SPAN(m.via.branch, "z9hG4bK78946131-99e1-de11-8845-080027608325");
	EXPECT_EQ(SIPREG_VIA_RPORT | SIPREG_VIA_PORT, m.via.flags);
	EXPECT_SPAN(m.via.rport_param, ";rport");
	EXPECT_SPAN(m.from.uri, "sip:13@10.10.1.99");
	EXPECT_SPAN(m.from.tag, "d60e6131-99e1-de11-8845-080027608325");
	EXPECT_SPAN(m.to.uri, "sip:13@10.10.1.99");
	EXPECT_EQ(0, m.to.tag.len);
	EXPECT_SPAN(m.call_id, "e4ec6031-99e1");
	EXPECT_EQ(1, m.cseq);
	EXPECT_SPAN(m.cseq_method, "REGISTER");
	EXPECT_EQ(70, m.max_forwards);
	EXPECT_EQ(3600, m.expires);
	EXPECT_EQ(SIPREG_MSG_MAX_FORWARDS | SIPREG_MSG_EXPIRES |
		  SIPREG_MSG_CONTENT_LENGTH, m.flags);
	ASSERT_EQ(1, m.n_contacts);
	EXPECT_SPAN(m.contacts[0].uri, "sip:13@10.10.1.13");
	EXPECT_SPAN(m.contacts[0].value, "<sip:13@10.10.1.13>;q=1");
	EXPECT_EQ(1000, m.contacts[0].q);
	EXPECT_EQ(SIPREG_CONTACT_Q, m.contacts[0].flags);
	EXPECT_EQ(0, m.auth.flags);
	EXPECT_EQ(0, m.n_auth);
	EXPECT_SPAN(m.user_agent, "MySipClient/4.0.0");
	EXPECT_EQ(0, m.content_length);
	EXPECT_EQ(n, m.body_off);
}

TEST(vector_authorized)
{
	struct sipreg_msg m;
	u8 buf[4096];
	size_t n = read_vector("register-authorized.sip", buf, sizeof(buf));

	ASSERT_EQ(642, n);
	/* Expires: 3600 twice, identical: tolerated */
	ASSERT_EQ(SIPREG_OK, parse_n(buf, n, &m));
	EXPECT_TRUE(all_spans_in(&m));
	EXPECT_EQ(2, m.cseq);
	EXPECT_EQ(3600, m.expires);
	EXPECT_SPAN(m.from.tag, "d60e6131-99e1-de11-8845-080027608325");
	EXPECT_SPAN(m.from.value, "<sip:13@10.10.1.99>;\r\n tag=d60e6131-99e1-de11-8845-080027608325");
	EXPECT_EQ(1, m.n_auth);
	EXPECT_EQ(SIPREG_AUTH_PRESENT | SIPREG_AUTH_DIGEST, m.auth.flags);
	EXPECT_SPAN(m.auth.scheme, "Digest");
	EXPECT_SPAN(m.auth.username, "test13");
	EXPECT_SPAN(m.auth.realm, "mypbx");
	EXPECT_SPAN(m.auth.nonce, "343eb793");
	EXPECT_SPAN(m.auth.uri, "sip:10.10.1.99");
	EXPECT_SPAN(m.auth.algorithm, "MD5");
	EXPECT_SPAN(m.auth.response, "6c13de87f9cde9c44e95edbb68cbdea9");
	EXPECT_EQ(0, m.auth.qop.len);
	EXPECT_TRUE(sipreg_span_eq_unquoted(cur_buf, m.auth.username,
					    (const u8 *)"test13", 6));
}

TEST(vector_response)
{
	struct sipreg_msg m;
	u8 buf[4096];
	size_t n = read_vector("response-401.sip", buf, sizeof(buf));

	ASSERT_EQ(485, n);
	EXPECT_EQ(SIPREG_RESPONSE, parse_n(buf, n, &m));
}

/* Cut anywhere, a vector is never OK and never read past its end. */
TEST(vector_every_prefix)
{
	struct sipreg_msg m;
	u8 buf[4096];
	size_t n = read_vector("register-authorized.sip", buf, sizeof(buf));
	size_t i;
	enum sipreg_verdict v;

	ASSERT_EQ(642, n);
	for (i = 0; i < n; i++) {
		v = parse_n(buf, i, &m);
		EXPECT_NE(SIPREG_OK, v) TH_LOG("prefix %zu", i);
		EXPECT_TRUE(all_spans_in(&m));
	}
}

TEST(compact_forms)
{
	struct sipreg_msg m;

	ASSERT_EQ(SIPREG_OK, parse(RL
		"v: SIP/2.0/TCP client.example.com;branch=z9hG4bK1\r\n"
		"f: Bob <sips:bob@example.com>;tag=a73kszlfl\r\n"
		"t: Bob <sips:bob@example.com>\r\n"
		"i: 1j9FpLxk3uxtm8tn@biloxi.example.com\r\n"
		"CSeq: 1 REGISTER\r\n"
		"m: <sips:bob@client.example.com>;expires=60\r\n"
		"k: path, outbound\r\n"
		"l: 0\r\n\r\n", &m));
	EXPECT_SPAN(m.via.transport, "TCP");
	EXPECT_SPAN(m.via.host, "client.example.com");
	EXPECT_EQ(0, m.via.flags & SIPREG_VIA_PORT);
	EXPECT_SPAN(m.from.display, "Bob");
	EXPECT_SPAN(m.from.uri, "sips:bob@example.com");
	EXPECT_SPAN(m.to.display, "Bob");
	EXPECT_SPAN(m.call_id, "1j9FpLxk3uxtm8tn@biloxi.example.com");
	ASSERT_EQ(1, m.n_contacts);
	EXPECT_EQ(60, m.contacts[0].expires);
	EXPECT_TRUE(sipreg_list_has_lit(cur_buf, &m.supported, "outbound"));
	EXPECT_TRUE(sipreg_list_has_lit(cur_buf, &m.supported, "PATH"));
	EXPECT_FALSE(sipreg_list_has_lit(cur_buf, &m.supported, "pat"));
	EXPECT_EQ(0, m.flags & SIPREG_MSG_MAX_FORWARDS);
	EXPECT_TRUE(m.flags & SIPREG_MSG_CONTENT_LENGTH);
}

/* After RFC 4475 3.1.1.1 (wsinv): legal but unusual whitespace and case. */
TEST(odd_spacing_and_case)
{
	struct sipreg_msg m;
	u8 un[64];

	ASSERT_EQ(SIPREG_OK, parse(
		"REGISTER sip:example.com SIP/2.0\r\n"
		"TO :\r\n sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n\r\n"
		"from   : \"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n"
		"  ;\r\n  tag = 98asjd8\r\n"
		"MaX-fOrWaRdS: 0068\r\n"
		"Call-ID: wsinv.ndaksdj@192.0.2.1\r\n"
		"Content-Length   : 0\r\n"
		"cseq: 0009\r\n  REGISTER\r\n"
		"Via  : SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;rport;branch=390skdjuw\r\n"
		"s :\r\n"
		"NewFangledHeader:   newfangled value\r\n continued newfangled value\r\n"
		"UnknownHeaderWithUnusualValue: ;;,,;;,;\r\n"
		"Contact:\r\n <sip:jdrosen@192.0.2.2>\t;\texpires = 0600 ;q=0.5\r\n"
		"EXPIRES:   3600   \r\n"
		"uSeR-aGeNt:\tfoo  bar \t\r\n"
		"AUTHORIZATION:digest   USERNAME = \"alice\" ,REALM=\"atlanta.com\",\r\n"
		"\tnonce=\"84a4cc6f3082121f32b42a2187831a9e\",uri=\"sip:example.com\"\r\n"
		"\t, response=\"7587245234b3434cc3412213e5f113a5\"\r\n"
		"\r\n", &m));
	EXPECT_SPAN(m.to.uri, "sip:vivekg@chair-dnrc.example.com");
	EXPECT_SPAN(m.to.tag, "1918181833n");
	EXPECT_SPAN(m.from.display, "J Rosenberg \\\\\\\"");
	EXPECT_EQ(14, sipreg_span_unquote(cur_buf, m.from.display, un,
					  sizeof(un)));
	EXPECT_EQ(0, memcmp(un, "J Rosenberg \\\"", 14));
	EXPECT_EQ(-1, sipreg_span_unquote(cur_buf, m.from.display, un, 3));
	EXPECT_TRUE(sipreg_span_eq_unquoted(cur_buf, m.from.display,
					    (const u8 *)"J Rosenberg \\\"", 14));
	EXPECT_SPAN(m.from.tag, "98asjd8");
	EXPECT_EQ(68, m.max_forwards);
	EXPECT_EQ(9, m.cseq);
	EXPECT_SPAN(m.cseq_method, "REGISTER");
	EXPECT_SPAN(m.via.transport, "UDP");
	EXPECT_SPAN(m.via.host, "192.0.2.2");
	EXPECT_SPAN(m.via.branch, "390skdjuw");
	EXPECT_EQ(SIPREG_VIA_RPORT, m.via.flags);
	EXPECT_SPAN(m.vias[0], "SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;rport;branch=390skdjuw");
	ASSERT_EQ(1, m.n_contacts);
	EXPECT_EQ(600, m.contacts[0].expires);
	EXPECT_EQ(500, m.contacts[0].q);
	EXPECT_EQ(3600, m.expires);
	EXPECT_SPAN(m.user_agent, "foo  bar");
	EXPECT_SPAN(m.auth.username, "alice");
	EXPECT_SPAN(m.auth.realm, "atlanta.com");
	EXPECT_SPAN(m.auth.uri, "sip:example.com");
	EXPECT_SPAN(m.auth.response, "7587245234b3434cc3412213e5f113a5");
}

TEST(via_hops)
{
	struct sipreg_msg m;

	ASSERT_EQ(SIPREG_OK, parse(RL
		"Via: SIP/2.0/UDP [2001:db8::9:1]:5070;branch=z9hG4bKa;received=2001:db8::9:255;rport=5071 , SIP/2.0/TCP p1.example.com;branch=z9hG4bKb\r\n"
		"VIA: sip/2.0/tls p2.example.com:5061;branch=z9hG4bKc;maddr=239.255.255.1;ttl=16;x-unknown=\"a;b\"\r\n"
		MF FROM TO CID CSEQ CT CL0 "\r\n", &m));
	ASSERT_EQ(3, m.n_vias);
	EXPECT_SPAN(m.vias[0], "SIP/2.0/UDP [2001:db8::9:1]:5070;branch=z9hG4bKa;received=2001:db8::9:255;rport=5071");
	EXPECT_SPAN(m.vias[1], "SIP/2.0/TCP p1.example.com;branch=z9hG4bKb");
	EXPECT_SPAN(m.vias[2], "sip/2.0/tls p2.example.com:5061;branch=z9hG4bKc;maddr=239.255.255.1;ttl=16;x-unknown=\"a;b\"");
	EXPECT_SPAN(m.via.host, "[2001:db8::9:1]");
	EXPECT_EQ(5070, m.via.port);
	EXPECT_SPAN(m.via.branch, "z9hG4bKa");
	EXPECT_SPAN(m.via.received, "2001:db8::9:255");
	EXPECT_EQ(5071, m.via.rport);
	EXPECT_EQ(SIPREG_VIA_PORT | SIPREG_VIA_RPORT | SIPREG_VIA_RPORT_VALUE,
		  m.via.flags);
	EXPECT_SPAN(m.via.rport_param, ";rport=5071");
}

TEST(from_to_forms)
{
	struct sipreg_msg m;

	ASSERT_EQ(SIPREG_OK, parse(RL VIA
		"From: \"Bell, \\\"Alexander\\\"\" <sip:a.g.bell@example.com;transport=udp>;tag=43;x=y\r\n"
		"To: The Operator   Desk <sip:%61lice@example.com>\r\n"
		CID CSEQ CT "\r\n", &m));
	EXPECT_SPAN(m.from.display, "Bell, \\\"Alexander\\\"");
	EXPECT_SPAN(m.from.uri, "sip:a.g.bell@example.com;transport=udp");
	EXPECT_SPAN(m.from.tag, "43");
	EXPECT_SPAN(m.to.display, "The Operator   Desk");
	EXPECT_SPAN(m.to.uri, "sip:%61lice@example.com");

	/* addr-spec: ;tag belongs to the field, not to the URI */
	ASSERT_EQ(SIPREG_OK, parse(RL VIA
		"From: sip:alice@example.com;tag=88\r\n"
		"To: tel:+1-201-555-0123\r\n"
		CID CSEQ "\r\n", &m));
	EXPECT_SPAN(m.from.uri, "sip:alice@example.com");
	EXPECT_SPAN(m.from.tag, "88");
	EXPECT_SPAN(m.to.uri, "tel:+1-201-555-0123");
	EXPECT_EQ(0, m.from.display.len);
	/* no Contact: a query of the bindings; no Content-Length: UDP */
	EXPECT_EQ(0, m.n_contacts);
	EXPECT_EQ(0, m.content_length);
}

TEST(contact_list)
{
	struct sipreg_msg m;
	const struct sipreg_msg_contact *c;

	ASSERT_EQ(SIPREG_OK, parse(RL HDRS
		"Contact: \"Mr. Watson, x\" <sip:watson@worcester.example.com;transport=tcp?Route=%3Csip:p.example.com%3E>;q=0.7;expires=3600,\r\n"
		" sip:watson@bell.example.com;expires=0 , <sips:w@192.0.2.4:5061>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\";reg-id=1;q=1.0\r\n"
		"m: <sip:a@b>;Q=0;EXPIRES=4294967295;methods=\"INVITE,BYE\"\r\n"
		"\r\n", &m));
	ASSERT_EQ(5, m.n_contacts);
	EXPECT_SPAN(m.contacts[0].uri, "sip:alice@192.0.2.1");
	c = &m.contacts[1];
	EXPECT_SPAN(c->display, "Mr. Watson, x");
	EXPECT_SPAN(c->uri, "sip:watson@worcester.example.com;transport=tcp?Route=%3Csip:p.example.com%3E");
	EXPECT_EQ(700, c->q);
	EXPECT_EQ(3600, c->expires);
	EXPECT_EQ(SIPREG_CONTACT_Q | SIPREG_CONTACT_EXPIRES, c->flags);
	c = &m.contacts[2];
	EXPECT_SPAN(c->uri, "sip:watson@bell.example.com");
	EXPECT_SPAN(c->value, "sip:watson@bell.example.com;expires=0");
	EXPECT_EQ(0, c->expires);
	EXPECT_EQ(SIPREG_CONTACT_EXPIRES, c->flags);
	c = &m.contacts[3];
	EXPECT_SPAN(c->uri, "sips:w@192.0.2.4:5061");
	EXPECT_SPAN(c->instance, "<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>");
	EXPECT_EQ(1, c->reg_id);
	EXPECT_EQ(1000, c->q);
	EXPECT_EQ(SIPREG_CONTACT_INSTANCE | SIPREG_CONTACT_REG_ID |
		  SIPREG_CONTACT_Q, c->flags);
	c = &m.contacts[4];
	EXPECT_EQ(0, c->q);
	EXPECT_EQ(4294967295U, c->expires);
}

TEST(contact_star)
{
	struct sipreg_msg m;

	ASSERT_EQ(SIPREG_OK, parse(RL VIA MF FROM TO CID CSEQ
		"Contact:   *  \r\nExpires: 0\r\n\r\n", &m));
	ASSERT_EQ(1, m.n_contacts);
	EXPECT_EQ(SIPREG_CONTACT_STAR, m.contacts[0].flags);
	EXPECT_SPAN(m.contacts[0].value, "*");
}

TEST(authorization_full)
{
	struct sipreg_msg m;

	ASSERT_EQ(SIPREG_OK, parse(RL HDRS
		"Authorization: Digest username=\"bob\\\\\\\"x\", realm=\"biloxi.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n"
		"  uri=\"sip:biloxi.com\", qop=auth, nc=0000ABcd, cnonce=\"0a4f113b\", algorithm=SHA-256,\r\n"
		"  response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", x-ext=tok, y=\"q,\\\"\"\r\n"
		"Authorization: Digest username=\"other\", realm=\"r2\", nonce=\"n\", uri=\"sip:x\", response=\"00\"\r\n"
		"\r\n", &m));
	EXPECT_EQ(2, m.n_auth);
	EXPECT_SPAN(m.auth.username, "bob\\\\\\\"x");
	EXPECT_TRUE(sipreg_span_eq_unquoted(cur_buf, m.auth.username,
					    (const u8 *)"bob\\\"x", 6));
	EXPECT_FALSE(sipreg_span_eq_unquoted(cur_buf, m.auth.username,
					     (const u8 *)"bob\\\"", 5));
	EXPECT_FALSE(sipreg_span_eq_unquoted(cur_buf, m.auth.username,
					     (const u8 *)"bob\\\"xy", 7));
	EXPECT_SPAN(m.auth.realm, "biloxi.com");
	EXPECT_SPAN(m.auth.qop, "auth");
	EXPECT_EQ(0xabcd, m.auth.nc);
	EXPECT_TRUE(m.auth.flags & SIPREG_AUTH_NC);
	EXPECT_SPAN(m.auth.cnonce, "0a4f113b");
	EXPECT_SPAN(m.auth.algorithm, "SHA-256");
	EXPECT_SPAN(m.auth.opaque, "5ccc069c403ebaf9f0171e9517f40e41");
	EXPECT_SPAN(m.auth.response, "6629fae49393a05397450978507c4ef1");

	/* another scheme: noted, not parsed */
	ASSERT_EQ(SIPREG_OK, parse(RL HDRS
		"Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig==\r\n\r\n",
		&m));
	EXPECT_EQ(SIPREG_AUTH_PRESENT, m.auth.flags);
	EXPECT_SPAN(m.auth.scheme, "Bearer");
}

/* Names of one to three bytes: matched in any case, and only whole. */
TEST(short_names_any_case)
{
	static const char cred[] =
		"Digest USERNAME=\"a\", Realm=\"r\", nOnce=\"n\", URI=\"sip:x\", "
		"RESPONSE=\"00\", QOP=auth, NC=0000000F, CNonce=\"c\", "
		"ur=\"u\", qo=x, n=1";
	static const char nouri[] =
		"Digest username=\"a\", realm=\"r\", nonce=\"n\", "
		"ur=\"u\", response=\"0\"";
	struct sipreg_auth a;
	struct sipreg_msg m;

	ASSERT_EQ(SIPREG_OK, sipreg_parse_auth((const u8 *)cred,
					       sizeof(cred) - 1, &a));
	EXPECT_EQ(15, a.nc);
	EXPECT_EQ(5, a.uri.len);
	EXPECT_EQ(4, a.qop.len);
	/* "ur" is not "uri": the uri is missing */
	EXPECT_EQ(SIPREG_BAD_AUTH, sipreg_parse_auth((const u8 *)nouri,
						     sizeof(nouri) - 1, &a));

	ASSERT_EQ(SIPREG_OK, parse(
		"REGISTER sip:example.com SIP/2.0\r\n"
		"Via: sIp/2.0/udp h;BRANCH=z9hG4bK1;RPort\r\n"
		"From: <sip:a@b>;TAG=x;ta=y;tags=z\r\n"
		"To: <sip:a@b>;Tag=t\r\n"
		"Call-ID: c\r\n"
		"CSeq: 1 REGISTER\r\n"
		"Contact: <sip:a@h>;Q=0.5;qq=1\r\n"
		"\r\n", &m));
	EXPECT_SPAN(m.via.branch, "z9hG4bK1");
	EXPECT_TRUE(m.via.flags & SIPREG_VIA_RPORT);
	EXPECT_SPAN(m.from.tag, "x");
	EXPECT_SPAN(m.to.tag, "t");
	EXPECT_EQ(500, m.contacts[0].q);
	EXPECT_VERDICT(SIPREG_BAD_VIA, parse(
		"REGISTER sip:example.com SIP/2.0\r\n"
		"Via: SIP/2.1/UDP h\r\n"
		"\r\n", &m));
	EXPECT_VERDICT(SIPREG_BAD_VIA, parse(
		"REGISTER sip:example.com SIP/2.0\r\n"
		"Via: SIQ/2.0/UDP h\r\n"
		"\r\n", &m));
}

struct auth_case {
	const char *text;
	enum sipreg_verdict v;
};

TEST(parse_auth_alone)
{
	static const struct auth_case cases[] = {
		{ "Digest username=\"a\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\"", SIPREG_OK },
		{ "  digest username=a , realm=b , nonce=c , uri=d , response=e  ", SIPREG_OK },
		{ "Digest username=\"a\",\r\n realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\"", SIPREG_OK },
		{ "Digest username=\"a\",\n realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\"", SIPREG_BAD_AUTH },
		{ "Digest username=\"a\",\r\nrealm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\"", SIPREG_BAD_AUTH },
		{ "Digest", SIPREG_BAD_AUTH },
		{ "Digest ", SIPREG_BAD_AUTH },
		{ "Digestusername=\"a\"", SIPREG_OK },	/* unknown scheme */
		{ "", SIPREG_BAD_AUTH },
		{ "Digest username=\"a", SIPREG_UNTERMINATED_QUOTE },
		{ "Digest username=\"a\\", SIPREG_UNTERMINATED_QUOTE },
		{ "Digest username=\"a\",realm=\"b\",nonce=\"c\",uri=\"d\"", SIPREG_BAD_AUTH },
		{ "Digest username=\"a\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\",", SIPREG_BAD_AUTH },
		{ "Digest username=\"a\",,realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\"", SIPREG_BAD_AUTH },
		{ "Digest username=\"a\",realm=\"b\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\"", SIPREG_BAD_AUTH },
		{ "Digest username,realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\"", SIPREG_BAD_AUTH },
		{ "Digest username=\"a\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\",qop=auth,nc=00000001", SIPREG_BAD_AUTH },
		{ "Digest username=\"a\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\",qop=auth,cnonce=\"x\"", SIPREG_BAD_AUTH },
		{ "Digest username=\"a\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\",qop=auth,cnonce=\"x\",nc=00000001", SIPREG_OK },
		{ "Digest username=\"a\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\",qop=auth,cnonce=\"x\",nc=1", SIPREG_BAD_AUTH },
		{ "Digest username=\"a\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\",qop=auth,cnonce=\"x\",nc=0000000g", SIPREG_BAD_AUTH },
		{ "Digest username=\"a\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\",qop=auth,cnonce=\"x\",nc=000000001", SIPREG_BAD_AUTH },
		{ "Digest username=\"a\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\",foo=\"\\\"\"", SIPREG_OK },
		{ "Digest username=\"a\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\",foo=\"\x01\"", SIPREG_BAD_AUTH },
		{ "Digest username=\"a\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\",foo=;", SIPREG_BAD_AUTH },
		{ "Digest username=\"a\" realm=\"b\"", SIPREG_BAD_AUTH },
		{ "Digest username=\"\xc3\xa9\",realm=\"b\",nonce=\"c\",uri=\"d\",response=\"e\"", SIPREG_OK },
	};
	struct sipreg_auth a;
	u8 big[SIPREG_MAX_LEN + 1];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t n = strlen(cases[i].text);
		u8 *b = malloc(n + 1);

		memcpy(b, cases[i].text, n);
		EXPECT_VERDICT_CTX(cases[i].v, sipreg_parse_auth(b, n, &a),
				   "case %zu: %s", i, cases[i].text);
		EXPECT_LE(a.username.off + a.username.len, n);
		free(b);
	}
	memset(big, ' ', sizeof(big));
	EXPECT_EQ(SIPREG_TOO_LARGE, sipreg_parse_auth(big, sizeof(big), &a));
}

TEST(list_fields)
{
	struct sipreg_msg m;

	ASSERT_EQ(SIPREG_OK, parse(RL HDRS
		"Require: path\r\nRequire:  Outbound , gruu\r\n"
		"Proxy-Require: foo\r\n"
		"Supported:\r\n"
		"Path: <sip:P3.EXAMPLEHOME.COM;lr>,<sip:P1.EXAMPLEVISITED.COM;lr>\r\n"
		"\r\n", &m));
	EXPECT_EQ(2, m.require.n);
	EXPECT_TRUE(sipreg_list_has_lit(cur_buf, &m.require, "path"));
	EXPECT_TRUE(sipreg_list_has_lit(cur_buf, &m.require, "outbound"));
	EXPECT_TRUE(sipreg_list_has_lit(cur_buf, &m.require, "gruu"));
	EXPECT_FALSE(sipreg_list_has_lit(cur_buf, &m.require, "foo"));
	EXPECT_TRUE(sipreg_list_has_lit(cur_buf, &m.proxy_require, "foo"));
	EXPECT_EQ(1, m.supported.n);
	EXPECT_EQ(0, m.supported.v[0].len);
	EXPECT_FALSE(sipreg_list_has_lit(cur_buf, &m.supported, "path"));
	EXPECT_EQ(1, m.path.n);
	EXPECT_SPAN(m.path.v[0], "<sip:P3.EXAMPLEHOME.COM;lr>,<sip:P1.EXAMPLEVISITED.COM;lr>");
}

TEST(body_and_content_length)
{
	struct sipreg_msg m;

	/* less than present: the rest is discarded (RFC 3261 18.3) */
	ASSERT_EQ(SIPREG_OK, parse(RL HDRS "Content-Length: 2\r\n\r\nabcd", &m));
	EXPECT_EQ(2, m.content_length);
	EXPECT_EQ(cur_len - 4, m.body_off);
	/* absent: the rest of the datagram */
	ASSERT_EQ(SIPREG_OK, parse(RL HDRS "\r\nabcd", &m));
	EXPECT_EQ(4, m.content_length);
	EXPECT_FALSE(m.flags & SIPREG_MSG_CONTENT_LENGTH);
	/* a NUL is fine in a body */
	ASSERT_EQ(SIPREG_OK, parse_n(RL HDRS "l: 3\r\n\r\na\0b",
				     sizeof(RL HDRS "l: 3\r\n\r\na\0b") - 1, &m));
	EXPECT_EQ(3, m.content_length);
}

/* ---- limits, at and past each bound ----------------------------------- */

static char lbuf[3 * SIPREG_MAX_LEN];

static void cat(size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void cat(size_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*n += vsnprintf(lbuf + *n, sizeof(lbuf) - *n, fmt, ap);
	va_end(ap);
	if (*n >= sizeof(lbuf))
		abort();
}

static enum sipreg_verdict with_headers(int extra, struct sipreg_msg *m)
{
	size_t n = 0;
	int i;

	cat(&n, RL HDRS);	/* 7 fields */
	for (i = 0; i < extra; i++)
		cat(&n, "X-Pad-%d: %d\r\n", i, i);
	cat(&n, "\r\n");
	return parse_n(lbuf, n, m);
}

TEST(limit_headers)
{
	struct sipreg_msg m;

	EXPECT_EQ(SIPREG_OK, with_headers(SIPREG_MAX_HEADERS - 7, &m));
	EXPECT_EQ(SIPREG_TOO_MANY_HEADERS,
		  with_headers(SIPREG_MAX_HEADERS - 6, &m));
}

static enum sipreg_verdict with_vias(int hops, struct sipreg_msg *m)
{
	size_t n = 0;
	int i;

	cat(&n, RL);
	for (i = 0; i < hops; i++)
		cat(&n, i % 2 ? ", SIP/2.0/UDP h%d;branch=z9hG4bK%d\r\n" :
				"Via: SIP/2.0/UDP h%d;branch=z9hG4bK%d",
		    i, i);
	if (hops % 2)
		cat(&n, "\r\n");
	cat(&n, MF FROM TO CID CSEQ CT "\r\n");
	return parse_n(lbuf, n, m);
}

TEST(limit_vias)
{
	struct sipreg_msg m;

	EXPECT_EQ(SIPREG_OK, with_vias(SIPREG_MAX_VIAS, &m));
	EXPECT_EQ(SIPREG_MAX_VIAS, m.n_vias);
	EXPECT_SPAN(m.vias[SIPREG_MAX_VIAS - 1], "SIP/2.0/UDP h7;branch=z9hG4bK7");
	EXPECT_EQ(SIPREG_TOO_MANY_VIAS, with_vias(SIPREG_MAX_VIAS + 1, &m));
}

static enum sipreg_verdict with_contacts(int k, struct sipreg_msg *m)
{
	size_t n = 0;
	int i;

	cat(&n, RL VIA MF FROM TO CID CSEQ "Contact: ");
	for (i = 0; i < k; i++)
		cat(&n, "%s<sip:u%d@192.0.2.1>", i ? (i % 3 ? "," : "\r\nm: ") : "", i);
	cat(&n, "\r\n\r\n");
	return parse_n(lbuf, n, m);
}

TEST(limit_contacts)
{
	struct sipreg_msg m;

	EXPECT_EQ(SIPREG_OK, with_contacts(SIPREG_MAX_CONTACTS, &m));
	EXPECT_EQ(SIPREG_MAX_CONTACTS, m.n_contacts);
	EXPECT_SPAN(m.contacts[SIPREG_MAX_CONTACTS - 1].uri, "sip:u7@192.0.2.1");
	EXPECT_EQ(SIPREG_TOO_MANY_CONTACTS,
		  with_contacts(SIPREG_MAX_CONTACTS + 1, &m));
}

/*
 * One field of exactly len bytes before its CRLF: head (name, start of the
 * value, maybe a fold), then 'x's.
 */
static enum sipreg_verdict with_line(const char *head, int len,
				     struct sipreg_msg *m)
{
	size_t n = 0, s;

	cat(&n, RL HDRS);
	s = n;
	cat(&n, head);
	while ((int)(n - s) < len)
		lbuf[n++] = 'x';
	cat(&n, "\r\n\r\n");
	return parse_n(lbuf, n, m);
}

TEST(limit_line)
{
	struct sipreg_msg m;

	EXPECT_EQ(SIPREG_OK, with_line("X-Long: ", SIPREG_MAX_LINE, &m));
	EXPECT_EQ(SIPREG_LINE_TOO_LONG,
		  with_line("X-Long: ", SIPREG_MAX_LINE + 1, &m));
	EXPECT_EQ(SIPREG_OK, with_line("X-Long: a\r\n b", SIPREG_MAX_LINE, &m));
	EXPECT_EQ(SIPREG_LINE_TOO_LONG,
		  with_line("X-Long: a\r\n b", SIPREG_MAX_LINE + 1, &m));
}

/*
 * The same for fields whose parsers find their own line end (the fast
 * pass does not delimit them first): Require, with a fold or without, and
 * a fold whose CRLF ends exactly at the bound (field_end() reads past it).
 */
TEST(limit_line_parsed)
{
	struct sipreg_msg m;
	size_t n = 0, s;

	EXPECT_EQ(SIPREG_OK, with_line("Require: a,", SIPREG_MAX_LINE, &m));
	EXPECT_EQ(SIPREG_LINE_TOO_LONG,
		  with_line("Require: a,", SIPREG_MAX_LINE + 1, &m));
	EXPECT_EQ(SIPREG_OK,
		  with_line("Require: a,\r\n ", SIPREG_MAX_LINE, &m));
	EXPECT_EQ(1, m.require.n);
	EXPECT_EQ(SIPREG_MAX_LINE - 9, m.require.v[0].len);
	EXPECT_EQ(SIPREG_LINE_TOO_LONG,
		  with_line("Require: a,\r\n\t", SIPREG_MAX_LINE + 1, &m));

	/* the first line exactly at the bound, folded */
	cat(&n, RL HDRS);
	s = n;
	cat(&n, "Require: a");
	while (n - s < SIPREG_MAX_LINE)
		lbuf[n++] = 'x';
	cat(&n, "\r\n , b\r\n\r\n");
	EXPECT_EQ(SIPREG_LINE_TOO_LONG, parse_n(lbuf, n, &m));
}

/* Spans end at the value's last byte, LWS and folds after it left out. */
TEST(parsed_value_trailing_lws)
{
	struct sipreg_msg m;

	ASSERT_EQ(SIPREG_OK,
		  parse(RL VIA "From: <sip:a@b>;tag=1 \t\r\n \r\n"
			"To: <sip:a@b>\r\n \r\n"
			"Call-ID: c@d  \r\n"
			"CSeq: 7 REGISTER \r\n"
			"Supported: path ,\r\n  outbound \r\n"
			"Expires: 0 \r\n"
			"Expires: 0\r\n"
			"Contact: * \r\n\r\n", &m));
	EXPECT_SPAN(m.from.value, "<sip:a@b>;tag=1");
	EXPECT_SPAN(m.to.value, "<sip:a@b>");
	EXPECT_SPAN(m.call_id, "c@d");
	EXPECT_SPAN(m.cseq_method, "REGISTER");
	EXPECT_SPAN(m.supported.v[0], "path ,\r\n  outbound");
	EXPECT_SPAN(m.contacts[0].value, "*");
	EXPECT_EQ(0, m.expires);
	EXPECT_EQ(SIPREG_DUPLICATE_HEADER,
		  parse(RL HDRS "Expires: 60 \r\nExpires: 61\r\n\r\n", &m));
	EXPECT_EQ(SIPREG_BAD_CALL_ID,
		  parse(RL VIA FROM TO "Call-ID: c@d x\r\n" CSEQ "\r\n", &m));

	/* LWS after the sent-protocol's last slash */
	ASSERT_EQ(SIPREG_OK,
		  parse(RL "Via: SIP/2.0/ UDP h\r\n" FROM TO CID CSEQ "\r\n", &m));
	EXPECT_SPAN(m.via.transport, "UDP");

	/* a fold before a parameter, and one right after the value */
	ASSERT_EQ(SIPREG_OK,
		  parse(RL VIA "From: <sip:a@b>\r\n ;tag=1\r\n"
			"To: <sip:a@b>\r\n\t;\r\n tag=2\r\n"
			"Call-ID: c@d\r\n \r\n" CSEQ
			"Contact: <sip:c@d>\r\n ;expires=5\r\n\r\n", &m));
	EXPECT_SPAN(m.from.tag, "1");
	EXPECT_SPAN(m.to.tag, "2");
	EXPECT_SPAN(m.call_id, "c@d");
	EXPECT_EQ(5, m.contacts[0].expires);
}

TEST(limit_request_line)
{
	struct sipreg_msg m;
	size_t n = 0;

	/* "REGISTER sip:" + host + " SIP/2.0" = MAX_LINE + 1 */
	cat(&n, "REGISTER sip:");
	while (n < SIPREG_MAX_LINE + 1 - 8)
		lbuf[n++] = 'h';
	cat(&n, " SIP/2.0\r\n" HDRS "\r\n");
	EXPECT_EQ(SIPREG_LINE_TOO_LONG, parse_n(lbuf, n, &m));
	memmove(lbuf + 13, lbuf + 14, n - 14);
	EXPECT_EQ(SIPREG_OK, parse_n(lbuf, n - 1, &m));
	EXPECT_EQ(SIPREG_MAX_LINE - 17, m.ruri.len);
}

static enum sipreg_verdict with_params(const char *where, int k,
				       struct sipreg_msg *m)
{
	size_t n = 0;
	int i;

	cat(&n, RL);
	if (!strcmp(where, "auth")) {
		cat(&n, HDRS "Authorization: Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"0\"");
		for (i = 5; i < k; i++)
			cat(&n, ", p%d=%d", i, i);
		cat(&n, "\r\n\r\n");
		return parse_n(lbuf, n, m);
	}
	if (!strcmp(where, "via"))
		cat(&n, "Via: SIP/2.0/UDP h");
	else if (!strcmp(where, "from"))
		cat(&n, VIA "From: <sip:a@b>");
	else
		cat(&n, VIA "Contact: <sip:a@b>");
	for (i = 0; i < k; i++)
		cat(&n, ";p%d=%d", i, i);
	cat(&n, "\r\n");
	if (!strcmp(where, "via"))
		cat(&n, FROM);
	else if (!strcmp(where, "contact"))
		cat(&n, FROM);
	cat(&n, TO CID CSEQ "\r\n");
	return parse_n(lbuf, n, m);
}

TEST(limit_params)
{
	static const char * const where[] = { "via", "from", "contact", "auth" };
	struct sipreg_msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(where); i++) {
		EXPECT_VERDICT_CTX(SIPREG_OK,
				   with_params(where[i], SIPREG_MAX_PARAMS, &m),
				   "%s", where[i]);
		EXPECT_VERDICT_CTX(SIPREG_TOO_MANY_PARAMS,
				   with_params(where[i], SIPREG_MAX_PARAMS + 1,
					       &m),
				   "%s", where[i]);
	}
}

static enum sipreg_verdict with_size(size_t total, struct sipreg_msg *m)
{
	size_t n = 0, body;

	cat(&n, RL HDRS "Content-Length: 0000\r\n\r\n");
	body = total - n;
	snprintf(lbuf + n - 8, 5, "%04zu", body);
	lbuf[n - 4] = '\r';
	memset(lbuf + n, 'b', body);
	return parse_n(lbuf, total, m);
}

TEST(limit_datagram)
{
	struct sipreg_msg m;

	EXPECT_EQ(SIPREG_OK, with_size(SIPREG_MAX_LEN, &m));
	EXPECT_EQ(SIPREG_MAX_LEN, m.body_off + m.content_length);
	EXPECT_EQ(SIPREG_TOO_LARGE, with_size(SIPREG_MAX_LEN + 1, &m));
	/* an oversized INVITE is still counted as not_register */
	memcpy(lbuf, "INVITE  ", 8);
	EXPECT_EQ(SIPREG_NOT_REGISTER, parse_n(lbuf, SIPREG_MAX_LEN + 1, &m));
}

static enum sipreg_verdict with_repeat(int k, struct sipreg_msg *m)
{
	size_t n = 0;
	int i;

	cat(&n, RL HDRS);
	for (i = 0; i < k; i++)
		cat(&n, "Supported: t%d\r\n", i);
	cat(&n, "\r\n");
	return parse_n(lbuf, n, m);
}

TEST(limit_repeated_lists)
{
	struct sipreg_msg m;

	EXPECT_EQ(SIPREG_OK, with_repeat(SIPREG_MAX_REPEAT, &m));
	EXPECT_TRUE(sipreg_list_has_lit(cur_buf, &m.supported, "t3"));
	EXPECT_EQ(SIPREG_TOO_MANY_HEADERS, with_repeat(SIPREG_MAX_REPEAT + 1, &m));
}

TEST(limit_digits)
{
	struct sipreg_msg m;

	/* leading zeros do not count towards SIPREG_MAX_DIGITS */
	EXPECT_EQ(SIPREG_OK, parse(RL VIA FROM TO CID
		"CSeq: 00000000000000002147483647 REGISTER\r\n"
		"Expires: 0004294967295\r\n\r\n", &m));
	EXPECT_EQ(2147483647, m.cseq);
	EXPECT_EQ(4294967295U, m.expires);
	EXPECT_EQ(SIPREG_BAD_NUMBER, parse(RL HDRS "Expires: 10000000000\r\n\r\n", &m));
}

/*
 * The fields are delimited eight bytes at a time: a control character at
 * every offset of a word, and the verdicts when the fast pass gives up and
 * the exact one decides (a NUL anywhere in the headers wins over an
 * earlier bad field, a bare CR or LF does not).
 */
TEST(line_scan_every_offset)
{
	static const struct {
		char ch;
		enum sipreg_verdict v;
	} cases[] = {
		{ '\t', SIPREG_OK }, { '\x01', SIPREG_OK }, { '\x0c', SIPREG_OK },
		{ '\r', SIPREG_BAD_LINE_ENDING }, { '\n', SIPREG_BAD_LINE_ENDING },
		{ '\0', SIPREG_NUL_BYTE },
	};
	char text[512];
	struct sipreg_msg m;
	unsigned int i, k;
	int n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (k = 0; k < 20; k++) {
			n = snprintf(text, sizeof(text), "%sX-Foo: %.*s",
				     RL HDRS, (int)k, "aaaaaaaaaaaaaaaaaaaa");
			text[n++] = cases[i].ch;
			n += snprintf(text + n, sizeof(text) - n, "b\r\n\r\n");
			EXPECT_VERDICT_CTX(cases[i].v, parse_n(text, n, &m),
					   "char %#x at %u", cases[i].ch, k);
		}
	}
	EXPECT_EQ(SIPREG_NUL_BYTE, parse_n(RL "Via: x\r\n" HDRS "X: \0\r\n\r\n",
					   sizeof(RL "Via: x\r\n" HDRS "X: \0\r\n\r\n") - 1, &m));
	EXPECT_EQ(SIPREG_BAD_VIA, parse(RL "Via: x\r\n" HDRS "X: a\rb\r\n\r\n", &m));
	EXPECT_EQ(SIPREG_BAD_VIA, parse(RL "Via: x\r\n" HDRS "X: a\nb\r\n\r\n", &m));
	EXPECT_EQ(SIPREG_OK, parse(RL HDRS "X: a\r\n\tb\r\n \x01\r\n\r\n", &m));
}

/* ---- one message, one verdict ----------------------------------------- */

FIXTURE(verdicts) {
	struct sipreg_msg m;
};

FIXTURE_VARIANT(verdicts) {
	const char *text;
	size_t len;
	enum sipreg_verdict verdict;
};

FIXTURE_SETUP(verdicts)
{
}

FIXTURE_TEARDOWN(verdicts)
{
}

#define V(name, text_, verdict_) \
	FIXTURE_VARIANT_ADD(verdicts, name) { \
		.text = text_, \
		.len = sizeof(text_) - 1, \
		.verdict = verdict_, \
	}

/* valid, some unusual (RFC 4475 3.1.1 and 3.3/3.4 classes) */
V(minimal, OKMSG, SIPREG_OK);
V(no_max_forwards, RL VIA FROM TO CID CSEQ CT "\r\n", SIPREG_OK);
V(zero_max_forwards, RL VIA "Max-Forwards: 0\r\n" FROM TO CID CSEQ "\r\n", SIPREG_OK);
V(max_forwards_twice_differ, RL HDRS "Max-Forwards: 255\r\n\r\n", SIPREG_DUPLICATE_HEADER);
V(max_forwards_max, RL VIA "Max-Forwards: 255\r\n" FROM TO CID CSEQ "\r\n", SIPREG_OK);
V(no_contact_query, RL VIA FROM TO CID CSEQ "\r\n", SIPREG_OK);
V(escaped_uri, RL VIA FROM "To: <sip:%61lice@example.com>\r\n" CID CSEQ
  "Contact: <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>\r\n\r\n", SIPREG_OK);
V(escaped_nul_in_uri, RL VIA FROM "To: sip:null-%00-null@example.com\r\n" CID CSEQ "\r\n", SIPREG_OK);
V(escaped_header_in_contact, RL VIA FROM TO CID CSEQ
  "Contact: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>\r\n\r\n", SIPREG_OK);
V(contact_uri_and_header_params, RL VIA FROM TO CID CSEQ
  "Contact: <sip:user@host.example.com;bar=x;expires=1>;expires=2;foo=bar\r\n\r\n", SIPREG_OK);
V(identical_duplicate_from, RL HDRS FROM "\r\n", SIPREG_OK);
V(identical_duplicate_expires, RL HDRS "Expires: 60\r\nExpires: 60\r\n\r\n", SIPREG_OK);
V(unknown_header_odd_value, RL HDRS "X-Odd: ;;,,;;,;\r\nX-Empty:\r\n\r\n", SIPREG_OK);
V(sips_ruri, "REGISTER sips:example.com SIP/2.0\r\n" HDRS "\r\n", SIPREG_OK);
V(ruri_params, "REGISTER sip:example.com;transport=tcp SIP/2.0\r\n" HDRS "\r\n", SIPREG_OK);
V(lowercase_version, "REGISTER sip:example.com sip/2.0\r\n" HDRS "\r\n", SIPREG_OK);
V(via_ipv6_received, RL "Via: SIP/2.0/UDP [::1];received=::1;branch=x\r\n" FROM TO CID CSEQ "\r\n", SIPREG_OK);
V(bearer_auth, RL HDRS "Authorization: Bearer abc\r\n\r\n", SIPREG_OK);
V(supported_empty, RL HDRS "Supported:\r\n\r\n", SIPREG_OK);
V(star_expires_zero, RL VIA FROM TO CID CSEQ "Contact: *\r\nExpires: 0\r\n\r\n", SIPREG_OK);

/* start line */
V(response, "SIP/2.0 200 OK\r\n" HDRS "\r\n", SIPREG_RESPONSE);
V(response_odd_version, "SIP/7.0 200 OK\r\n\r\n", SIPREG_RESPONSE);
V(invite, "INVITE sip:bob@example.com SIP/2.0\r\n" HDRS "\r\n", SIPREG_NOT_REGISTER);
V(lowercase_method, "register sip:example.com SIP/2.0\r\n" HDRS "\r\n", SIPREG_NOT_REGISTER);
V(unknown_method, "NEWMETHOD sip:example.com SIP/2.0\r\n\r\n", SIPREG_NOT_REGISTER);
V(empty, "", SIPREG_BAD_REQUEST_LINE);
V(crlf_keepalive, "\r\n\r\n", SIPREG_BAD_REQUEST_LINE);
V(method_only, "REGISTER", SIPREG_BAD_REQUEST_LINE);
V(no_newline, "REGISTER sip:example.com SIP/2.0", SIPREG_TRUNCATED);
V(multiple_sp, "REGISTER  sip:example.com SIP/2.0\r\n" HDRS "\r\n", SIPREG_BAD_REQUEST_LINE);
V(sp_before_version, "REGISTER sip:example.com  SIP/2.0\r\n" HDRS "\r\n", SIPREG_BAD_REQUEST_LINE);
V(trailing_sp, "REGISTER sip:example.com SIP/2.0 \r\n" HDRS "\r\n", SIPREG_BAD_REQUEST_LINE);
V(tab_separator, "REGISTER\tsip:example.com SIP/2.0\r\n" HDRS "\r\n", SIPREG_BAD_REQUEST_LINE);
V(ltgt_ruri, "REGISTER <sip:example.com> SIP/2.0\r\n" HDRS "\r\n", SIPREG_BAD_URI);
V(lws_in_ruri, "REGISTER sip:example.com; lr SIP/2.0\r\n" HDRS "\r\n", SIPREG_BAD_REQUEST_LINE);
V(escaped_headers_in_ruri, "REGISTER sip:example.com?Route=%3Csip:example.com%3E SIP/2.0\r\n" HDRS "\r\n", SIPREG_BAD_URI);
V(unknown_ruri_scheme, "REGISTER nosuchscheme:example.com SIP/2.0\r\n" HDRS "\r\n", SIPREG_BAD_URI_SCHEME);
V(tel_ruri, "REGISTER tel:+12125551212 SIP/2.0\r\n" HDRS "\r\n", SIPREG_BAD_URI_SCHEME);
V(no_scheme, "REGISTER example.com SIP/2.0\r\n" HDRS "\r\n", SIPREG_BAD_URI);
V(bad_escape_ruri, "REGISTER sip:ex%zzample.com SIP/2.0\r\n" HDRS "\r\n", SIPREG_BAD_URI);
V(short_escape_ruri, "REGISTER sip:example.com%4 SIP/2.0\r\n" HDRS "\r\n", SIPREG_BAD_URI);
V(quote_in_ruri, "REGISTER sip:exa\"mple.com SIP/2.0\r\n" HDRS "\r\n", SIPREG_BAD_URI);
V(version_7, "REGISTER sip:example.com SIP/7.0\r\n" HDRS "\r\n", SIPREG_BAD_VERSION);
V(version_20, "REGISTER sip:example.com SIP/20\r\n" HDRS "\r\n", SIPREG_BAD_VERSION);
V(no_version, "REGISTER sip:example.com\r\n" HDRS "\r\n", SIPREG_BAD_REQUEST_LINE);
V(garbage_version, "REGISTER sip:example.com HTTP/1.1\r\n" HDRS "\r\n", SIPREG_BAD_REQUEST_LINE);

/* framing */
V(lf_only, "REGISTER sip:example.com SIP/2.0\n" HDRS "\r\n", SIPREG_BAD_LINE_ENDING);
V(lf_only_header, RL VIA "From: <sip:a@b>;tag=1\n" TO CID CSEQ "\r\n", SIPREG_BAD_LINE_ENDING);
/* a bare CR would end the line for a lenient UA reading our echo of it */
V(bare_cr_in_from, RL VIA "From: <sip:a@b>;tag=1\rX-Injected: 1\r\n" TO CID CSEQ "\r\n", SIPREG_BAD_LINE_ENDING);
V(bare_cr_in_via, RL "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r;x=1\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_LINE_ENDING);
V(bare_cr_in_unknown, RL HDRS "X-Foo: a\rb\r\n\r\n", SIPREG_BAD_LINE_ENDING);
V(bare_cr_in_fold, RL HDRS "X-Foo: a\r\n b\rc\r\n\r\n", SIPREG_BAD_LINE_ENDING);
V(cr_at_end_of_value, RL HDRS "X-Foo: a\r\r\n\r\n", SIPREG_BAD_LINE_ENDING);
V(no_empty_line, RL HDRS, SIPREG_TRUNCATED);
V(cut_in_header, RL VIA "From: <sip:a", SIPREG_TRUNCATED);
V(nul_in_header, RL VIA FROM TO "Call-ID: abc\0def\r\n" CSEQ "\r\n", SIPREG_NUL_BYTE);
V(nul_in_unknown_header, RL HDRS "X-Foo: a\0\r\n\r\n", SIPREG_NUL_BYTE);
V(nul_in_request_line, "REGISTER sip:exam\0ple.com SIP/2.0\r\n" HDRS "\r\n", SIPREG_NUL_BYTE);
V(nul_in_body, RL HDRS "Content-Length: 2\r\n\r\n\0\0", SIPREG_OK);
/* parsed before it is delimited, a field must still not pass a NUL */
V(nul_in_quoted_pair, RL VIA "From: \"a\\\0b\" <sip:a@b>\r\n" TO CID CSEQ "\r\n", SIPREG_NUL_BYTE);
V(nul_in_auth_quoted_pair, RL HDRS "Authorization: Digest username=\"a\\\0\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"0\"\r\n\r\n", SIPREG_NUL_BYTE);
V(no_colon, RL "Via SIP/2.0/UDP h;branch=1\r\n" HDRS "\r\n", SIPREG_BAD_HEADER);
V(space_in_name, RL HDRS "Max Forwards: 70\r\n\r\n", SIPREG_BAD_HEADER);
V(leading_ws_first_header, RL " " HDRS "\r\n", SIPREG_BAD_HEADER);
V(fold_before_colon, RL HDRS "X-Foo\r\n : bar\r\n\r\n", SIPREG_BAD_HEADER);
V(empty_name, RL HDRS ": bar\r\n\r\n", SIPREG_BAD_HEADER);

/* Via */
V(via_extra_separators, RL "Via: SIP/2.0/UDP 192.0.2.15;;,;,,\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_empty_branch, RL "Via: SIP/2.0/UDP h;branch=\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_two_branches, RL "Via: SIP/2.0/UDP h;branch=a;branch=b\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_version, RL "Via: SIP/3.0/UDP h;branch=a\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_protocol, RL "Via: XIP/2.0/UDP h;branch=a\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_no_transport, RL "Via: SIP/2.0 h;branch=a\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_no_host, RL "Via: SIP/2.0/UDP ;branch=a\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_no_space, RL "Via: SIP/2.0/UDPh;branch=a\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_port_overflow, RL "Via: SIP/2.0/UDP h:65536;branch=a\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_port_empty, RL "Via: SIP/2.0/UDP h:;branch=a\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_rport_junk, RL "Via: SIP/2.0/UDP h;rport=abc;branch=a\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_rport_twice, RL "Via: SIP/2.0/UDP h;rport;rport=1;branch=a\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_trailing_comma, RL "Via: SIP/2.0/UDP h;branch=a,\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_ipv6_open, RL "Via: SIP/2.0/UDP [2001:db8::1;branch=a\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_empty, RL "Via:\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_VIA);
V(via_unterminated_param, RL "Via: SIP/2.0/UDP h;branch=a;x=\"abc\r\n" FROM TO CID CSEQ "\r\n", SIPREG_UNTERMINATED_QUOTE);

/* From, To */
V(unterminated_display, RL VIA "From: \"Mr. J. User <sip:j.user@example.com>;tag=1\r\n" TO CID CSEQ "\r\n", SIPREG_UNTERMINATED_QUOTE);
V(unterminated_after_escape, RL VIA TO CID CSEQ "From: \"abc\\\r\n\r\n", SIPREG_UNTERMINATED_QUOTE);
V(display_with_comma, RL VIA "From: Bell, Alexander <sip:a.g.bell@example.com>;tag=43\r\n" TO CID CSEQ "\r\n", SIPREG_BAD_FROM);
V(spaces_in_laquot, RL VIA FROM "To: \"Watson, Thomas\" < sip:t.watson@example.org >\r\n" CID CSEQ "\r\n", SIPREG_BAD_URI);
V(space_in_uri, RL VIA "From: <sip:I have spaces@example.net>;tag=1\r\n" TO CID CSEQ "\r\n", SIPREG_BAD_URI);
V(bad_escape_from, RL VIA "From: <sip:%GG@example.com>;tag=1\r\n" TO CID CSEQ "\r\n", SIPREG_BAD_URI);
V(addr_spec_with_query, RL VIA "From: sip:alice@example.com?x=y;tag=1\r\n" TO CID CSEQ "\r\n", SIPREG_BAD_FROM);
V(from_empty_tag, RL VIA "From: <sip:a@b>;tag=\r\n" TO CID CSEQ "\r\n", SIPREG_BAD_FROM);
V(from_two_tags, RL VIA "From: <sip:a@b>;tag=1;tag=2\r\n" TO CID CSEQ "\r\n", SIPREG_BAD_FROM);
V(from_no_uri, RL VIA "From: Alice\r\n" TO CID CSEQ "\r\n", SIPREG_BAD_FROM);
V(from_empty, RL VIA "From:\r\n" TO CID CSEQ "\r\n", SIPREG_BAD_FROM);
V(from_list, RL VIA "From: <sip:a@b>, <sip:c@d>\r\n" TO CID CSEQ "\r\n", SIPREG_BAD_FROM);
V(to_trailing_junk, RL VIA FROM "To: <sip:a@b> junk\r\n" CID CSEQ "\r\n", SIPREG_BAD_TO);
V(to_unclosed, RL VIA FROM "To: <sip:a@b\r\n" CID CSEQ "\r\n", SIPREG_BAD_URI);

/* Call-ID, CSeq, numbers */
V(call_id_space, RL VIA FROM TO "Call-ID: abc def\r\n" CSEQ "\r\n", SIPREG_BAD_CALL_ID);
V(call_id_empty, RL VIA FROM TO "Call-ID:\r\n" CSEQ "\r\n", SIPREG_BAD_CALL_ID);
V(call_id_two_ats, RL VIA FROM TO "Call-ID: a@b@c\r\n" CSEQ "\r\n", SIPREG_BAD_CALL_ID);
V(cseq_no_method, RL VIA FROM TO CID "CSeq: 1\r\n\r\n", SIPREG_BAD_CSEQ);
V(cseq_no_number, RL VIA FROM TO CID "CSeq: REGISTER\r\n\r\n", SIPREG_BAD_CSEQ);
V(cseq_junk, RL VIA FROM TO CID "CSeq: 1 REGISTER x\r\n\r\n", SIPREG_BAD_CSEQ);
V(cseq_no_space, RL VIA FROM TO CID "CSeq: 1REGISTER\r\n\r\n", SIPREG_BAD_CSEQ);
V(cseq_negative, RL VIA FROM TO CID "CSeq: -1 REGISTER\r\n\r\n", SIPREG_BAD_NUMBER);
V(cseq_2_31, RL VIA FROM TO CID "CSeq: 2147483648 REGISTER\r\n\r\n", SIPREG_BAD_NUMBER);
V(cseq_huge, RL VIA FROM TO CID "CSeq: 36893488147419103232 REGISTER\r\n\r\n", SIPREG_BAD_NUMBER);
V(cseq_method_mismatch, RL VIA FROM TO CID "CSeq: 1 INVITE\r\n\r\n", SIPREG_CSEQ_METHOD_MISMATCH);
V(cseq_method_case, RL VIA FROM TO CID "CSeq: 1 register\r\n\r\n", SIPREG_CSEQ_METHOD_MISMATCH);
V(max_forwards_256, RL VIA "Max-Forwards: 256\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_NUMBER);
V(max_forwards_negative, RL VIA "Max-Forwards: -1\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_NUMBER);
V(max_forwards_junk, RL VIA "Max-Forwards: 70 x\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_NUMBER);
V(max_forwards_empty, RL VIA "Max-Forwards:\r\n" FROM TO CID CSEQ "\r\n", SIPREG_BAD_NUMBER);
V(expires_2_32, RL HDRS "Expires: 4294967296\r\n\r\n", SIPREG_BAD_NUMBER);
V(expires_max, RL HDRS "Expires: 4294967295\r\n\r\n", SIPREG_OK);
V(expires_huge, RL HDRS "Expires: 10000000000000000000000000\r\n\r\n", SIPREG_BAD_NUMBER);
V(expires_negative, RL HDRS "Expires: -5\r\n\r\n", SIPREG_BAD_NUMBER);
V(expires_plus, RL HDRS "Expires: +5\r\n\r\n", SIPREG_BAD_NUMBER);
V(content_length_wraps_32, RL HDRS "Content-Length: 4294967328\r\n\r\n", SIPREG_BAD_NUMBER);
V(content_length_negative, RL HDRS "Content-Length: -999\r\n\r\n", SIPREG_BAD_NUMBER);
V(content_length_larger, RL HDRS "Content-Length: 9999\r\n\r\nabc", SIPREG_CONTENT_LENGTH_MISMATCH);
V(content_length_one_more, RL HDRS "Content-Length: 4\r\n\r\nabc", SIPREG_CONTENT_LENGTH_MISMATCH);
V(content_length_exact, RL HDRS "Content-Length: 3\r\n\r\nabc", SIPREG_OK);

/* Contact */
V(contact_unbracketed_query, RL VIA FROM TO CID CSEQ "Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E\r\n\r\n", SIPREG_BAD_CONTACT);
V(contact_empty, RL VIA FROM TO CID CSEQ "Contact:\r\n\r\n", SIPREG_BAD_CONTACT);
V(contact_commas, RL VIA FROM TO CID CSEQ "Contact: <sip:a@b>,,<sip:c@d>\r\n\r\n", SIPREG_BAD_CONTACT);
V(contact_extra_separators, RL VIA FROM TO CID CSEQ "Contact: <sip:user@example.com>;;,;,,\r\n\r\n", SIPREG_BAD_CONTACT);
V(contact_expires_2_32, RL VIA FROM TO CID CSEQ "Contact: <sip:a@b>;expires=4294967296\r\n\r\n", SIPREG_BAD_NUMBER);
V(contact_expires_quoted, RL VIA FROM TO CID CSEQ "Contact: <sip:a@b>;expires=\"60\"\r\n\r\n", SIPREG_BAD_NUMBER);
V(contact_expires_twice, RL VIA FROM TO CID CSEQ "Contact: <sip:a@b>;expires=1;expires=1\r\n\r\n", SIPREG_BAD_CONTACT);
V(contact_q_over_1, RL VIA FROM TO CID CSEQ "Contact: <sip:a@b>;q=1.5\r\n\r\n", SIPREG_BAD_CONTACT);
V(contact_q_4_digits, RL VIA FROM TO CID CSEQ "Contact: <sip:a@b>;q=0.1234\r\n\r\n", SIPREG_BAD_CONTACT);
V(contact_q_junk, RL VIA FROM TO CID CSEQ "Contact: <sip:a@b>;q=high\r\n\r\n", SIPREG_BAD_CONTACT);
V(contact_reg_id_zero, RL VIA FROM TO CID CSEQ "Contact: <sip:a@b>;reg-id=0\r\n\r\n", SIPREG_BAD_NUMBER);
V(contact_instance_unterminated, RL VIA FROM TO CID CSEQ "Contact: <sip:a@b>;+sip.instance=\"<urn:uuid:1\r\n\r\n", SIPREG_UNTERMINATED_QUOTE);
V(star_expires_nonzero, RL VIA FROM TO CID CSEQ "Contact: *\r\nExpires: 3600\r\n\r\n", SIPREG_BAD_CONTACT);
V(star_no_expires, RL VIA FROM TO CID CSEQ "Contact: *\r\n\r\n", SIPREG_BAD_CONTACT);
V(star_and_contact, RL VIA FROM TO CID CSEQ "Contact: *, <sip:a@b>\r\nExpires: 0\r\n\r\n", SIPREG_BAD_CONTACT);
V(contact_then_star, RL VIA FROM TO CID CSEQ CT "Contact: *\r\nExpires: 0\r\n\r\n", SIPREG_BAD_CONTACT);
V(star_then_contact, RL VIA FROM TO CID CSEQ "Contact: *\r\n" CT "Expires: 0\r\n\r\n", SIPREG_BAD_CONTACT);
V(star_with_param, RL VIA FROM TO CID CSEQ "Contact: *;expires=0\r\nExpires: 0\r\n\r\n", SIPREG_BAD_CONTACT);

/* duplicates of single-valued fields */
V(two_call_ids, RL HDRS "Call-ID: other@host\r\n\r\n", SIPREG_DUPLICATE_HEADER);
V(two_tos, RL HDRS "To: <sip:bob@example.com>\r\n\r\n", SIPREG_DUPLICATE_HEADER);
V(two_cseqs, RL HDRS "CSeq: 1827 REGISTER\r\n\r\n", SIPREG_DUPLICATE_HEADER);
V(two_content_lengths, RL HDRS "Content-Length: 0\r\nl: 1\r\n\r\n", SIPREG_DUPLICATE_HEADER);
V(from_compact_differs, RL HDRS "f: <sip:alice@example.com>;tag=456249\r\n\r\n", SIPREG_DUPLICATE_HEADER);
V(two_expires_differ, RL HDRS "Expires: 60\r\nExpires: 61\r\n\r\n", SIPREG_DUPLICATE_HEADER);
V(two_user_agents, RL HDRS "User-Agent: a\r\nUser-Agent: b\r\n\r\n", SIPREG_DUPLICATE_HEADER);

/* missing mandatory fields */
V(missing_via, RL FROM TO CID CSEQ CT "\r\n", SIPREG_MISSING_VIA);
V(missing_from, RL VIA TO CID CSEQ CT "\r\n", SIPREG_MISSING_FROM);
V(missing_to, RL VIA FROM CID CSEQ CT "\r\n", SIPREG_MISSING_TO);
V(missing_call_id, RL VIA FROM TO CSEQ CT "\r\n", SIPREG_MISSING_CALL_ID);
V(missing_cseq, RL VIA FROM TO CID CT "\r\n", SIPREG_MISSING_CSEQ);
V(only_request_line, RL "\r\n", SIPREG_MISSING_VIA);

/* Authorization in a message */
V(auth_no_params, RL HDRS "Authorization: Digest\r\n\r\n", SIPREG_BAD_AUTH);
V(auth_missing_response, RL HDRS "Authorization: Digest username=\"a\", realm=\"b\", nonce=\"c\", uri=\"d\"\r\n\r\n", SIPREG_BAD_AUTH);
V(auth_unterminated, RL HDRS "Authorization: Digest username=\"a, realm=\"b\r\n\r\n", SIPREG_BAD_AUTH);
V(auth_unterminated_end, RL HDRS "Authorization: Digest realm=\"b\", username=\"a\r\n\r\n", SIPREG_UNTERMINATED_QUOTE);
V(second_auth_bad, RL HDRS "Authorization: Bearer x\r\nAuthorization: Digest\r\n\r\n", SIPREG_BAD_AUTH);

/* list fields */
V(require_empty, RL HDRS "Require:\r\n\r\n", SIPREG_BAD_HEADER);
V(require_space_list, RL HDRS "Require: a b\r\n\r\n", SIPREG_BAD_HEADER);
V(supported_trailing_comma, RL HDRS "Supported: a,\r\n\r\n", SIPREG_BAD_HEADER);

TEST_F(verdicts, parse)
{
	enum sipreg_verdict v = parse_n(variant->text, variant->len, &self->m);

	EXPECT_VERDICT(variant->verdict, v);
	EXPECT_TRUE(all_spans_in(&self->m));
	if (v == SIPREG_OK)
		EXPECT_EQ(0, self->m.err_off);
}

/* The AOR's user part, as the fast path and sipregd both take it. */
TEST(uri_user)
{
	static const struct {
		const char *uri, *user;
		bool sips;
	} rows[] = {
		{ "sip:alice@example.com", "alice", false },
		{ "sip:alice;phone-context=x@example.com", "alice", false },
		{ "SIPS:bob@example.com:5061", "bob", true },
		{ "sip:carol:secret@[2001:db8::1]", "carol:secret", false },
		{ "sip:example.com", NULL, false },
		{ "sip:@example.com", NULL, false },
		{ "tel:+15551234", NULL, false },
		{ "sip:;x@h", NULL, false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const u8 *b = (const u8 *)rows[i].uri;
		struct sipreg_span sp = { 0, strlen(rows[i].uri) }, user;
		bool sips;

		if (!rows[i].user) {
			EXPECT_FALSE(sipreg_uri_user(b, sp, &user, &sips));
			continue;
		}
		ASSERT_TRUE(sipreg_uri_user(b, sp, &user, &sips));
		EXPECT_EQ(strlen(rows[i].user), user.len);
		EXPECT_EQ(0, memcmp(b + user.off, rows[i].user, user.len));
		EXPECT_EQ(rows[i].sips, sips);
	}
}

/* The Request-URI's domain, as the fast path looks it up. */
TEST(uri_host)
{
	static const struct {
		const char *uri, *host;
	} rows[] = {
		{ "sip:example.com", "example.com" },
		{ "sip:Example.COM:5060", "Example.COM" },
		{ "sip:example.com;transport=udp", "example.com" },
		{ "sip:example.com?subject=x", "example.com" },
		{ "sips:alice@example.com:5061;x=y", "example.com" },
		{ "sip:alice;p=1@b.example", "b.example" },
		{ "sip:carol:secret@[2001:db8::1]:5060", "[2001:db8::1]" },
		{ "sip:[2001:db8::2]", "[2001:db8::2]" },
		{ "sip:192.0.2.2:5060", "192.0.2.2" },
		{ "sip:[2001:db8::2", NULL },
		{ "sip:", NULL },
		{ "sip:alice@", NULL },
		{ "sip::5060", NULL },
		{ "example.com", NULL },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const u8 *b = (const u8 *)rows[i].uri;
		struct sipreg_span sp = { 0, strlen(rows[i].uri) }, host;

		if (!rows[i].host) {
			EXPECT_FALSE(sipreg_uri_host(b, sp, &host))
				TH_LOG("%s", rows[i].uri);
			continue;
		}
		ASSERT_TRUE(sipreg_uri_host(b, sp, &host)) TH_LOG("%s", rows[i].uri);
		EXPECT_EQ(strlen(rows[i].host), host.len) TH_LOG("%s", rows[i].uri);
		EXPECT_EQ(0, memcmp(b + host.off, rows[i].host, host.len));
	}
}

TEST_HARNESS_MAIN
