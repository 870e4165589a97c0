// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 5627 GRUUs at sipregd's registrar (issue 13 item 5): pub-gruu and
 * temp-gruu on the 200's Contacts only for a UA that supports gruu and
 * sends +sip.instance; a new temp-gruu at each refresh with the earlier
 * ones still valid until the Call-ID changes; none reveals the AOR; a
 * GRUU of ours as Contact is refused with 403 (section 6.1).
 * No network: requests go straight into registrar_handle().
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
#include "registrar/gruu.h"
#include "store/store.h"

#include "registrar_bed.h"

#define UUID	"f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
#define INST	";+sip.instance=\"<urn:uuid:" UUID ">\""
#define PUB	"pub-gruu=\"sip:alice@" REALM ";gr=urn:uuid:" UUID "\""
#define GRUU_OK	"Supported: gruu\r\n"

/* The temp-gruu of the 200's first Contact, without its quotes. */
static bool temp_of(struct bed *b, char *out, size_t size)
{
	const char *p = strstr((const char *)b->resp, "temp-gruu=\""), *e;

	if (!p)
		return false;
	p += strlen("temp-gruu=\"");
	e = strchr(p, '"');
	if (!e || (size_t)(e - p) >= size)
		return false;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = 0;
	return true;
}

static int first_binding(void *arg, const struct store_binding *sb)
{
	*(struct store_binding *)arg = *sb;
	return 1;
}

/* The stored binding of alice (one), as it is after the last request. */
static bool binding(struct bed *b, struct store_binding *sb, int dt)
{
	memset(sb, 0, sizeof(*sb));
	store_binding_each(b->st, "sip:alice@" REALM, T0 + dt, first_binding,
			   sb);
	return sb->aor[0] != 0;
}

FIXTURE(g) {
	struct bed b;
};

FIXTURE_SETUP(g)
{
	ASSERT_EQ(0, bed_init(&self->b));
	ASSERT_EQ(0, challenge(&self->b));
}

FIXTURE_TEARDOWN(g)
{
	bed_fini(&self->b);
}

TEST_F(g, both_gruus_with_supported_and_instance)
{
	char tmp[GRUU_MAX];

	ASSERT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\n" GRUU_OK, 0));
	EXPECT_TRUE(has(&self->b, PUB));
	ASSERT_TRUE(temp_of(&self->b, tmp, sizeof(tmp)));
	/* sip:tgruu.<32 hex digits>@domain;gr, and nothing of alice */
	EXPECT_EQ(0, strncmp(tmp, "sip:tgruu.", 10));
	EXPECT_EQ(32, strspn(tmp + 10, "0123456789abcdef"));
	EXPECT_STREQ("@" REALM ";gr", tmp + 42);
	EXPECT_EQ(NULL, strstr(tmp, "alice"));
	EXPECT_TRUE(has(&self->b, "\r\nSupported: gruu\r\n"));
}

TEST_F(g, none_without_supported_gruu)
{
	ASSERT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\n", 0));
	EXPECT_TRUE(has(&self->b, "+sip.instance="));
	EXPECT_FALSE(has(&self->b, "pub-gruu"));
	EXPECT_FALSE(has(&self->b, "temp-gruu"));
	EXPECT_FALSE(has(&self->b, "Supported: gruu"));
}

TEST_F(g, none_without_instance)
{
	ASSERT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>\r\n"
			   GRUU_OK, 0));
	EXPECT_FALSE(has(&self->b, "pub-gruu"));
	EXPECT_FALSE(has(&self->b, "temp-gruu"));
}

/* Every Contact of the 200 with an instance: another UA's too. */
TEST_F(g, every_instance_contact_of_the_200)
{
	ASSERT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\n", 0));
	ASSERT_EQ(200, reg(&self->b, "c2", 1, "Contact: <sip:alice@192.0.2.2:5062>"
			   ";+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-000000000002>\"\r\n"
			   "Contact: <sip:alice@192.0.2.3:5062>\r\n"
			   GRUU_OK, 0));
	EXPECT_TRUE(has(&self->b, PUB));
	EXPECT_TRUE(has(&self->b, "pub-gruu=\"sip:alice@" REALM
			";gr=urn:uuid:00000000-0000-0000-0000-000000000002\""));
	EXPECT_EQ(2, count((const char *)self->b.resp, "temp-gruu="));
}

/*
 * RFC 5627 3.2: a new temp-gruu at each refresh, the earlier ones still
 * valid while the contact is registered under the same Call-ID; a new
 * Call-ID (the UA rebooted) ends them.
 */
TEST_F(g, temp_gruu_new_per_refresh_old_ones_valid)
{
	char t1[GRUU_MAX], t2[GRUU_MAX], t3[GRUU_MAX];
	struct store_binding sb;
	struct gruu *keys = gruu_open(self->b.st);

	ASSERT_NE(NULL, keys);
	ASSERT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\n" GRUU_OK, 0));
	ASSERT_TRUE(temp_of(&self->b, t1, sizeof(t1)));
	ASSERT_EQ(200, reg(&self->b, "c1", 2, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\n" GRUU_OK, 10));
	ASSERT_TRUE(temp_of(&self->b, t2, sizeof(t2)));
	EXPECT_STRNE(t1, t2);
	/* the same pub-gruu at both */
	EXPECT_TRUE(has(&self->b, PUB));
	ASSERT_TRUE(binding(&self->b, &sb, 10));
	EXPECT_TRUE(gruu_temp_valid(keys, t1, &sb));
	EXPECT_TRUE(gruu_temp_valid(keys, t2, &sb));
	/* a forged one: one digit changed */
	snprintf(t3, sizeof(t3), "%s", t2);
	t3[20] = t3[20] == '0' ? '1' : '0';
	EXPECT_FALSE(gruu_temp_valid(keys, t3, &sb));
	/* rebooted: new Call-ID, the old temp-gruus die */
	ASSERT_EQ(200, reg(&self->b, "c1-reboot", 1,
			   "Contact: <sip:alice@192.0.2.1:5062>" INST "\r\n"
			   GRUU_OK, 20));
	ASSERT_TRUE(temp_of(&self->b, t3, sizeof(t3)));
	ASSERT_TRUE(binding(&self->b, &sb, 20));
	EXPECT_FALSE(gruu_temp_valid(keys, t1, &sb));
	EXPECT_FALSE(gruu_temp_valid(keys, t2, &sb));
	EXPECT_TRUE(gruu_temp_valid(keys, t3, &sb));
	gruu_free(keys);
}

/* Section 6.1: a GRUU of this domain as Contact loops: 403, no binding. */
TEST_F(g, gruu_as_contact_is_403)
{
	char tmp[GRUU_MAX], hdr[GRUU_MAX + 64];
	struct store_binding sb;

	ASSERT_EQ(403, reg(&self->b, "c9", 1, "Contact: <sip:alice@" REALM
			   ";gr=urn:uuid:" UUID ">\r\n" GRUU_OK, 0));
	EXPECT_TRUE(has(&self->b, "Contact is a GRUU"));
	EXPECT_FALSE(binding(&self->b, &sb, 0));
	/* a temp-gruu handed out before */
	ASSERT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\n" GRUU_OK, 0));
	ASSERT_TRUE(temp_of(&self->b, tmp, sizeof(tmp)));
	snprintf(hdr, sizeof(hdr), "Contact: <%s>\r\n", tmp);
	EXPECT_EQ(403, reg(&self->b, "c1", 2, hdr, 1));
	/* another domain's GRUU is just a URI */
	EXPECT_EQ(200, reg(&self->b, "c1", 3,
			   "Contact: <sip:bob@example.net;gr=x>\r\n", 2));
}

/* Require: gruu is understood (not 420), OPTIONS says so. */
TEST_F(g, require_gruu_understood)
{
	EXPECT_EQ(200, reg(&self->b, "c1", 1, "Contact: <sip:alice@192.0.2.1:5062>"
			   INST "\r\nRequire: gruu\r\n" GRUU_OK, 0));
	EXPECT_TRUE(has(&self->b, PUB));
}

/* The gr value is the URN without <>, escaped as a URI parameter. */
TEST(pub_gruu_escaping)
{
	char out[GRUU_MAX];

	ASSERT_TRUE(gruu_public("sip:alice@" REALM, "<urn:uuid:" UUID ">",
				out, sizeof(out)));
	EXPECT_STREQ("sip:alice@" REALM ";gr=urn:uuid:" UUID, out);
	ASSERT_TRUE(gruu_public("sips:bob@" REALM, "<urn:x:a;b=c d%>", out,
				sizeof(out)));
	EXPECT_STREQ("sips:bob@" REALM ";gr=urn:x:a%3Bb%3Dc%20d%25", out);
	EXPECT_FALSE(gruu_public("sip:alice@" REALM, "<urn:uuid:" UUID ">",
				 out, 30));
}

/* The same binding at two CSeqs: unrelated-looking temp-gruus. */
TEST(temp_gruu_hides_aor_and_counter)
{
	struct store_binding sb = { .aor = "sips:alice@" REALM,
		.instance = "<urn:uuid:" UUID ">", .call_id = "c1", .cseq = 7 };
	char a[GRUU_MAX], b2[GRUU_MAX];
	struct store *st;
	struct gruu *g;
	char err[256];
	int same = 0, i;

	st = store_open(":memory:", STORE_SYNC_NORMAL, err, sizeof(err));
	ASSERT_NE(NULL, st);
	g = gruu_open(st);
	ASSERT_NE(NULL, g);
	ASSERT_TRUE(gruu_temp(g, &sb, a, sizeof(a)));
	sb.cseq = 8;
	ASSERT_TRUE(gruu_temp(g, &sb, b2, sizeof(b2)));
	EXPECT_EQ(0, strncmp(a, "sips:tgruu.", 11));	/* the AOR's scheme */
	for (i = 0; i < 32; i++)
		same += a[11 + i] == b2[11 + i];
	EXPECT_LT(same, 16);	/* about 2 of 32 hex digits agree by chance */
	/* a later CSeq's temp-gruu is not valid for an earlier binding */
	sb.cseq = 7;
	EXPECT_TRUE(gruu_temp_valid(g, a, &sb));
	EXPECT_FALSE(gruu_temp_valid(g, b2, &sb));
	/* another instance's binding does not take it */
	snprintf(sb.instance, sizeof(sb.instance), "<urn:uuid:other>");
	EXPECT_FALSE(gruu_temp_valid(g, a, &sb));
	gruu_free(g);
	store_close(st);
}

TEST_HARNESS_MAIN
