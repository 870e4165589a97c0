// SPDX-License-Identifier: GPL-2.0
/*
 * sipregd's registrar rules as RFC 3261 writes them (issue 13, item 6):
 * Contact matching by URI equality (19.1.4), escaped user parts in the
 * AOR, malformed expiry values (20.10), min_expires within one hour for a
 * 423 (10.3 step 7), Call-IDs of any legal length, and a 200 too large
 * for a datagram refused before the commit. No network: requests go
 * straight into registrar_handle().
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "kselftest_harness.h"

#include "config.h"
#include "digest.h"
#include "ha1.h"
#include "parser.h"
#include "registrar/registrar.h"
#include "registrar/uri_eq.h"
#include "store/store.h"

#include "registrar_bed.h"
#define contacts(b)	count((const char *)(b)->resp, "\r\nContact: ")

/* ---- RFC 3261 19.1.4, the URI comparison itself ------------------------ */

struct pair {
	const char *a, *b;
	bool eq;
};

static const struct pair pairs[] = {
	/* the RFC's equivalent examples */
	{ "sip:%61lice@atlanta.com;transport=TCP",
	  "sip:alice@AtLanTa.CoM;Transport=tcp", true },
	{ "sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5", true },
	{ "sip:carol@chicago.com", "sip:carol@chicago.com;security=on", true },
	{ "sip:carol@chicago.com;newparam=5",
	  "sip:carol@chicago.com;security=on", true },
	{ "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
	  "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com",
	  true },
	{ "sip:alice@atlanta.com?subject=project%20x&priority=urgent",
	  "sip:alice@atlanta.com?priority=urgent&subject=project%20x", true },
	/* the RFC's non-equivalent examples */
	{ "SIP:ALICE@AtLanTa.CoM;Transport=udp",
	  "sip:alice@AtLanTa.CoM;Transport=UDP", false },
	{ "sip:bob@biloxi.com", "sip:bob@biloxi.com:5060", false },
	{ "sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp", false },
	{ "sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp", false },
	{ "sip:carol@chicago.com",
	  "sip:carol@chicago.com?Subject=next%20meeting", false },
	{ "sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4", false },
	{ "sip:carol@chicago.com;security=on",
	  "sip:carol@chicago.com;security=off", false },
	/* more of the rules */
	{ "sip:alice@192.0.2.1:5062", "sips:alice@192.0.2.1:5062", false },
	{ "sip:alice@192.0.2.1", "sip:alice@192.0.2.1;user=phone", false },
	{ "sip:alice@192.0.2.1", "sip:alice@192.0.2.1;ttl=1", false },
	{ "sip:alice@192.0.2.1", "sip:alice@192.0.2.1;maddr=192.0.2.9", false },
	{ "sip:alice@192.0.2.1", "sip:alice@192.0.2.1;method=INVITE", false },
	{ "sip:alice@192.0.2.1;lr", "sip:alice@192.0.2.1;lr=on", false },
	{ "sip:alice@192.0.2.1:5062", "sip:alice@192.0.2.1:05062", true },
	{ "sip:alice@[2001:DB8::1]:5062", "sip:alice@[2001:db8::1]:5062", true },
	{ "sip:alice:pw@h", "sip:alice:PW@h", false },
	/* an escaped reserved character is not the character */
	{ "sip:a%3Bb@h", "sip:a;b@h", false },
	{ "sip:a%3bb@h", "sip:a%3Bb@h", true },
	{ "sip:%41lice@h", "sip:alice@h", false },
	{ "sip:alice@h?a=1", "sip:alice@h?a=1&b=2", false },
	{ "tel:+123", "tel:+123", true },
	{ "tel:+123", "TEL:+123", false },
	{ "sip:alice@h%", "sip:alice@H%", false },
};

TEST(uri_equal_rfc3261_19_1_4)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		EXPECT_EQ(pairs[i].eq, uri_equal(pairs[i].a, pairs[i].b))
			TH_LOG("%s vs %s", pairs[i].a, pairs[i].b);
		EXPECT_EQ(pairs[i].eq, uri_equal(pairs[i].b, pairs[i].a))
			TH_LOG("%s vs %s", pairs[i].b, pairs[i].a);
	}
}

/*
 * A Contact written another way is the same binding (10.3 step 7 "using
 * the URI comparison rules"): a refresh, and expires=0 removes it.
 */
TEST(contact_matched_by_uri_equality)
{
	struct bed *b = calloc(1, sizeof(*b));

	ASSERT_EQ(0, bed_init(b));
	ASSERT_EQ(0, challenge(b));
	ASSERT_EQ(200, reg(b, "c1", 1, "Contact: <sip:alice@Phone.Example"
			   ":5062;transport=udp>\r\n", 1)) TH_LOG("%s", b->resp);
	/* a refresh, spelled differently: still one binding, renamed */
	EXPECT_EQ(200, reg(b, "c1", 2, "Contact: <sip:%61lice@phone.example"
			   ":5062;TRANSPORT=UDP;x=1>;expires=600\r\n", 2))
		TH_LOG("%s", b->resp);
	EXPECT_EQ(1, contacts(b)) TH_LOG("%s", b->resp);
	EXPECT_TRUE(has(b, ";x=1>;expires=600\r\n")) TH_LOG("%s", b->resp);
	/* the user part is case-sensitive: another binding */
	EXPECT_EQ(200, reg(b, "c1", 3, "Contact: <sip:Alice@phone.example"
			   ":5062;transport=udp>\r\n", 3));
	EXPECT_EQ(2, contacts(b)) TH_LOG("%s", b->resp);
	/* removal written a third way */
	EXPECT_EQ(200, reg(b, "c1", 4, "Contact: <sip:alice@PHONE.example"
			   ":5062;transport=Udp>;expires=0\r\n", 4));
	EXPECT_EQ(1, contacts(b)) TH_LOG("%s", b->resp);
	EXPECT_TRUE(has(b, "Contact: <sip:Alice@")) TH_LOG("%s", b->resp);
	/* user=phone in only one never matches: a new binding */
	EXPECT_EQ(200, reg(b, "c1", 5, "Contact: <sip:Alice@phone.example"
			   ":5062;transport=udp;user=phone>\r\n", 5));
	EXPECT_EQ(2, contacts(b)) TH_LOG("%s", b->resp);
	bed_fini(b);
	free(b);
}

/* A retransmission of a committed request is found however written. */
TEST(committed_again_matched_by_uri_equality)
{
	struct bed *b = calloc(1, sizeof(*b));

	ASSERT_EQ(0, bed_init(b));
	ASSERT_EQ(0, challenge(b));
	ASSERT_EQ(200, reg(b, "c1", 7, "Contact: <sip:alice@h.example>\r\n", 1));
	EXPECT_EQ(200, reg(b, "c1", 7, "Contact: <sip:alice@H.EXAMPLE>\r\n", 2))
		TH_LOG("%s", b->resp);
	EXPECT_EQ(1, contacts(b)) TH_LOG("%s", b->resp);
	bed_fini(b);
	free(b);
}

/* ---- the AOR's user part, escapes decoded ---------------------------- */

TEST(escaped_aor_user)
{
	struct bed *b = calloc(1, sizeof(*b));

	ASSERT_EQ(0, bed_init(b));
	ASSERT_EQ(0, challenge(b));
	EXPECT_EQ(200, reg_as(b, "al%69ce", "c1", 1,
			      "Contact: <sip:alice@h.example>\r\n", 1))
		TH_LOG("%s", b->resp);
	/* the same AOR: a query as "alice" lists it */
	EXPECT_EQ(200, reg(b, "c2", 1, "", 2));
	EXPECT_EQ(1, contacts(b)) TH_LOG("%s", b->resp);
	/* and escapes of another name are still another user */
	EXPECT_EQ(403, reg_as(b, "%62ob", "c3", 1, "", 3));
	/* a bad escape is the parser's 400 */
	EXPECT_EQ(400, reg_as(b, "al%6", "c4", 1, "", 4)) TH_LOG("%s", b->resp);
	EXPECT_EQ(404, reg_as(b, "al%00ice", "c5", 1, "", 5));
	bed_fini(b);
	free(b);
}

/* ---- malformed expiry values (RFC 3261 20.10) --------------------------- */

TEST(malformed_expires_is_3600)
{
	struct bed *b = calloc(1, sizeof(*b));

	ASSERT_EQ(0, bed_init(b));
	ASSERT_EQ(0, challenge(b));
	EXPECT_EQ(200, reg(b, "c1", 1, "Contact: <sip:alice@h1.example>\r\n"
			   "Expires: soon\r\n", 1)) TH_LOG("%s", b->resp);
	EXPECT_TRUE(has(b, "Contact: <sip:alice@h1.example>;expires=3600\r\n"))
		TH_LOG("%s", b->resp);
	EXPECT_EQ(200, reg(b, "c1", 2, "Contact: <sip:alice@h2.example>"
			   ";expires=-5\r\nExpires: 600\r\n", 2))
		TH_LOG("%s", b->resp);
	EXPECT_TRUE(has(b, "Contact: <sip:alice@h2.example>;expires=3600\r\n"))
		TH_LOG("%s", b->resp);
	/* above 2^32-1 is outside the grammar too: not clamped, 3600 */
	EXPECT_EQ(200, reg(b, "c1", 3, "Contact: <sip:alice@h3.example>"
			   ";expires=99999999999\r\n", 3));
	EXPECT_TRUE(has(b, "Contact: <sip:alice@h3.example>;expires=3600\r\n"))
		TH_LOG("%s", b->resp);
	/* a wildcard needs Expires: 0 exactly */
	EXPECT_EQ(400, reg(b, "c1", 4, "Contact: *\r\nExpires: zero\r\n", 4));
	EXPECT_EQ(200, reg(b, "c1", 5, "", 5));
	EXPECT_EQ(3, contacts(b)) TH_LOG("%s", b->resp);
	bed_fini(b);
	free(b);
}

/* The module's parser stays strict: such a request goes to the daemon. */
TEST(parser_strict_unless_asked)
{
	static const char req[] =
		"REGISTER sip:" REALM " SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-1\r\n"
		"From: <sip:alice@" REALM ">;tag=1\r\n"
		"To: <sip:alice@" REALM ">\r\n"
		"Call-ID: x\r\nCSeq: 1 REGISTER\r\n"
		"Contact: <sip:alice@h>;expires=x1\r\nExpires: 1x\r\n"
		"Content-Length: 0\r\n\r\n";
	struct sipreg_msg m;

	EXPECT_EQ(SIPREG_BAD_NUMBER,
		  sipreg_parse((const u8 *)req, strlen(req), &m));
	ASSERT_EQ(SIPREG_OK, sipreg_parse_opts((const u8 *)req, strlen(req),
					       SIPREG_SPAN_MAX,
					       SIPREG_PARSE_LENIENT_EXPIRES,
					       &m));
	EXPECT_EQ(3600, m.expires);
	EXPECT_TRUE(m.flags & SIPREG_MSG_EXPIRES_MALFORMED);
	EXPECT_EQ(3600, m.contacts[0].expires);
	EXPECT_TRUE(m.contacts[0].flags & SIPREG_CONTACT_EXPIRES_MALFORMED);
}

/* ---- min_expires ------------------------------------------------------- */

TEST(min_expires_at_most_3600)
{
	struct daemon_config *c = calloc(1, sizeof(*c));

	config_defaults(c);
	EXPECT_EQ(-1, config_set(c, "min_expires", "3601", "test"));
	EXPECT_EQ(-1, config_set(c, "min_expires", "86400", "test"));
	EXPECT_EQ(0, config_set(c, "min_expires", "3600", "test"));
	EXPECT_EQ(3600, c->reg.min_expires);
	free(c);
}

/* ---- Call-IDs of any legal length --------------------------------------- */

TEST(long_call_id_keeps_cseq_order)
{
	struct bed *b = calloc(1, sizeof(*b));
	char cid[901];

	memset(cid, 'x', sizeof(cid) - 1);
	cid[sizeof(cid) - 1] = 0;
	ASSERT_EQ(0, bed_init(b));
	ASSERT_EQ(0, challenge(b));
	ASSERT_EQ(200, reg(b, cid, 5, "Contact: <sip:alice@h.example>\r\n", 1))
		TH_LOG("%s", b->resp);
	/* a lower CSeq in the same Call-ID is out of order (10.3 step 7) */
	EXPECT_EQ(500, reg(b, cid, 4, "Contact: <sip:alice@h.example>"
			   ";expires=0\r\n", 2)) TH_LOG("%s", b->resp);
	EXPECT_EQ(200, reg(b, "q", 1, "", 3));
	EXPECT_EQ(1, contacts(b)) TH_LOG("%s", b->resp);
	bed_fini(b);
	free(b);
}

/* ---- a 200 that does not fit ------------------------------------------ */

TEST(response_too_large_refused_before_commit)
{
	struct bed *b = calloc(1, sizeof(*b));
	char hdrs[2048];
	int i, n = 0;

	ASSERT_EQ(0, bed_init(b));
	ASSERT_EQ(0, challenge(b));
	for (i = 0; i < 4; i++)
		n += snprintf(hdrs + n, sizeof(hdrs) - n,
			      "Contact: <sip:alice@host-%d.example;long=%0200d>\r\n",
			      i, 0);
	b->resp_max = 900;
	EXPECT_EQ(500, reg(b, "c1", 1, hdrs, 1)) TH_LOG("%s", b->resp);
	EXPECT_TRUE(has(b, "500 Server Internal Error (response too large)"));
	b->resp_max = sizeof(b->resp) - 1;
	EXPECT_EQ(200, reg(b, "c2", 1, "", 2));
	EXPECT_EQ(0, contacts(b)) TH_LOG("nothing committed: %s", b->resp);
	EXPECT_EQ(200, reg(b, "c1", 2, hdrs, 3));
	EXPECT_EQ(4, contacts(b));
	bed_fini(b);
	free(b);
}

TEST_HARNESS_MAIN
