// SPDX-License-Identifier: GPL-2.0
/*
 * sipregd's stats file (statsfile.c): the snapshot's lines, and the
 * write that replaces the file whole (temporary file, then rename).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "statsfile.h"

TEST(format)
{
	struct registrar_stats r = { .requests = 11, .flows_closed = 2,
				     .outbound_first_hop_439 = 1 };
	struct stream_stats s = { .pings = 4, .pongs = 3 };
	struct udp_stats u = { .stun_answered = 5, .keepalives = 6 };
	char buf[4096];
	size_t n;

	r.status[4] = 7;
	n = statsfile_format(buf, sizeof(buf), 123, 1700000000, &r, &s, 2, &u);
	ASSERT_LT(0, n);
	buf[n] = 0;
	EXPECT_EQ(0, strncmp(buf, "sipregd_stats 1\npid 123\ntime 1700000000\n"
			     "interval 5\nrequests 11\n", 60));
	EXPECT_NE(NULL, strstr(buf, "\nresponses_4xx 7\n"));
	EXPECT_NE(NULL, strstr(buf, "\nflows_closed 2\n"));
	EXPECT_NE(NULL, strstr(buf, "\noutbound_first_hop_439 1\n"));
	EXPECT_NE(NULL, strstr(buf, "\nkeepalive_pings 4\nkeepalive_pongs 3\n"));
	EXPECT_NE(NULL, strstr(buf, "\nstream_open 2\n"));
	EXPECT_NE(NULL, strstr(buf, "\nstun_answered 5\nstun_ignored 0\n"
			       "keepalives 6\n"));
	/* without stream listeners: zeros, same keys */
	n = statsfile_format(buf, sizeof(buf), 1, 1, &r, NULL, 0, NULL);
	ASSERT_LT(0, n);
	buf[n] = 0;
	EXPECT_NE(NULL, strstr(buf, "\nkeepalive_pongs 0\n"));
	EXPECT_NE(NULL, strstr(buf, "\nstun_answered 0\n"));
	/* a buffer too small: nothing, never half a file */
	EXPECT_EQ(0, statsfile_format(buf, 64, 1, 1, &r, &s, 0, &u));
}

TEST(write_atomic)
{
	char dir[] = "/tmp/statsfile.XXXXXX", path[64], tmp[80], got[64];
	FILE *f;
	size_t n;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/stats", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ASSERT_EQ(0, statsfile_write(path, "a 1\n", 4));
	ASSERT_EQ(0, statsfile_write(path, "b 2\n", 4));
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	n = fread(got, 1, sizeof(got) - 1, f);
	fclose(f);
	got[n] = 0;
	EXPECT_STREQ("b 2\n", got);
	EXPECT_NE(0, access(tmp, F_OK));	/* renamed, not left behind */
	unlink(path);
	rmdir(dir);
	EXPECT_EQ(-ENOENT, statsfile_write(path, "c 3\n", 4));
}

TEST_HARNESS_MAIN
