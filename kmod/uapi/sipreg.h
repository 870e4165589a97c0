/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * sipreg generic netlink interface: the contract between sipreg.ko,
 * sipregctl and sipregd. Append only: new commands, attributes and
 * counters go at the end of their enum so that older tools keep working.
 * kmod/uapi/sipreg.yaml describes the same family in the kernel's netlink
 * spec format; selftests/netlink-spec-check.py keeps the two in step.
 *
 * Integers are host order, fixed width (no NLA_UINT: libnl 3.7 lacks it).
 * Addresses are network order: 4 bytes (ADDR4) or 16 bytes (ADDR6).
 * Times: EXPIRES are seconds from now, EXPIRES_AT are CLOCK_BOOTTIME
 * seconds (clock_gettime(CLOCK_BOOTTIME) in userspace); a nonce's time
 * (NONCE_TIME) is CLOCK_REALTIME, the clock gateways sharing a database
 * have in common.
 */
#ifndef _UAPI_SIPREG_H
#define _UAPI_SIPREG_H

#define SIPREG_GENL_NAME	"sipreg"
#define SIPREG_GENL_VERSION	1
#define SIPREG_GENL_MCGRP_EVENTS "events"

#define SIPREG_DEFAULT_PORT	5060

/* Lengths of strings without their NUL, sizes of tables. */
#define SIPREG_REALM_MAX	64
#define SIPREG_USER_MAX		64
#define SIPREG_AOR_MAX		128
#define SIPREG_URI_MAX		256
#define SIPREG_CALL_ID_MAX	128
#define SIPREG_PORTS_MAX	4
#define SIPREG_HA1_MD5_LEN	16
#define SIPREG_HA1_SHA256_LEN	32
#define SIPREG_EXPIRES_LIMIT	31536000	/* one year */
#define SIPREG_NONCE_LIFETIME_LIMIT 86400
#define SIPREG_CONTACTS_LIMIT	16
#define SIPREG_TABLE_LIMIT	16777216
#define SIPREG_Q_MAX		1000
#define SIPREG_BUSY_RETRY_AFTER_LIMIT 3600
#define SIPREG_MISS_QUEUE_MAX_LIMIT 1048576	/* messages */
#define SIPREG_MISS_QUEUE_AGE_LIMIT 60000	/* ms */
#define SIPREG_MISS_QUEUE_WAIT_LIMIT 60000	/* ms */
#define SIPREG_DOMAIN_MAX	128	/* a domain name */
#define SIPREG_DOMAINS_LIMIT	1024	/* domains of one namespace */

/* Digest algorithms offered in challenges, and HA1s held for a user. */
enum sipreg_alg_flag {
	SIPREG_ALG_FLAG_MD5 = 1,
	SIPREG_ALG_FLAG_SHA256 = 2,
};

enum sipreg_cmd {
	SIPREG_CMD_UNSPEC,
	SIPREG_CMD_STATS_GET,	/* reply: STATS, STATS_VERDICT, STATS_MISS */
	SIPREG_CMD_STATS_RESET,	/* admin: counters restart from zero */
	SIPREG_CMD_CONFIG_GET,	/* reply: CONFIG */
	SIPREG_CMD_CONFIG_SET,	/* admin: CONFIG, all or nothing */
	SIPREG_CMD_USER_ADD,	/* admin: USER(NAME, REALM, HA1_*): upsert */
	SIPREG_CMD_USER_DEL,	/* admin: USER(NAME, REALM) */
	SIPREG_CMD_USER_GET,	/* dump: USER(NAME, REALM, ALGS), never HA1 */
	SIPREG_CMD_USER_FLUSH,	/* admin */
	SIPREG_CMD_BINDING_ADD,	/* admin: BINDING(AOR, one CONTACT): upsert */
	SIPREG_CMD_BINDING_DEL,	/* admin: BINDING(AOR[, CONTACT(URI)]) */
	SIPREG_CMD_BINDING_GET,	/* do: BINDING(AOR); dump: every AOR */
	SIPREG_CMD_BINDING_FLUSH, /* admin */
	SIPREG_CMD_DAEMON_CLAIM, /* admin: misses go to this socket */
	SIPREG_CMD_DAEMON_RELEASE, /* admin: from the claiming socket */
	SIPREG_CMD_MISS,	/* kernel to daemon: MISS */
	SIPREG_CMD_USER_NTF,	/* events: EVENT, USER(NAME, REALM) */
	SIPREG_CMD_BINDING_NTF,	/* events: EVENT, BINDING (several if REFRESHED) */
	SIPREG_CMD_NONCE_KEYS_SET, /* admin: NONCE_KEYS; see below */
	SIPREG_CMD_DOMAIN_ADD,	/* admin: DOMAIN(NAME[, REALM]): upsert */
	SIPREG_CMD_DOMAIN_DEL,	/* admin: DOMAIN(NAME) */
	SIPREG_CMD_DOMAIN_GET,	/* dump: DOMAIN(NAME, REALM) */
	SIPREG_CMD_DOMAIN_FLUSH, /* admin */

	__SIPREG_CMD_MAX
};

#define SIPREG_CMD_MAX (__SIPREG_CMD_MAX - 1)

enum sipreg_attr {
	SIPREG_A_UNSPEC,
	SIPREG_A_PAD,
	SIPREG_A_STATS,		/* nest: SIPREG_STAT_* -> u64 */
	SIPREG_A_STATS_VERDICT,	/* nest: parser verdict + 1 -> u64 */
	SIPREG_A_STATS_MISS,	/* nest: SIPREG_MISS_* -> u64 */
	SIPREG_A_CONFIG,	/* nest: SIPREG_CONFIG_A_* */
	SIPREG_A_USER,		/* nest: SIPREG_USER_A_* */
	SIPREG_A_BINDING,	/* nest: SIPREG_BINDING_A_* */
	SIPREG_A_MISS,		/* nest: SIPREG_MISS_A_* */
	SIPREG_A_EVENT,		/* u32: enum sipreg_event */
	SIPREG_A_NONCE_KEYS,	/* nest: SIPREG_NONCE_KEYS_A_* */
	SIPREG_A_DOMAIN,	/* nest: SIPREG_DOMAIN_A_* */
	SIPREG_A_CLAIM,		/* u32: portid of the sender's claiming socket */

	__SIPREG_A_MAX
};

#define SIPREG_A_MAX (__SIPREG_A_MAX - 1)

enum sipreg_config_attr {
	SIPREG_CONFIG_A_UNSPEC,
	SIPREG_CONFIG_A_REALM,		/* string, 1..64 printable */
	SIPREG_CONFIG_A_PORT,		/* u16, repeated 1..4 times */
	SIPREG_CONFIG_A_EXPIRES_MIN,	/* u32 seconds */
	SIPREG_CONFIG_A_EXPIRES_DEFAULT, /* u32 seconds */
	SIPREG_CONFIG_A_EXPIRES_MAX,	/* u32 seconds */
	SIPREG_CONFIG_A_NONCE_LIFETIME,	/* u32 seconds */
	SIPREG_CONFIG_A_ALGS,		/* u32: SIPREG_ALG_FLAG_*, not 0 */
	SIPREG_CONFIG_A_RATE,		/* u32: 401s per source per s, 0 = off */
	SIPREG_CONFIG_A_BURST,		/* u32 */
	SIPREG_CONFIG_A_MAX_USERS,	/* u32 */
	SIPREG_CONFIG_A_MAX_BINDINGS,	/* u32: contacts over all AORs */
	SIPREG_CONFIG_A_MAX_CONTACTS,	/* u32: contacts of one AOR */
	SIPREG_CONFIG_A_FASTPATH,	/* u8: 0 or 1 */
	SIPREG_CONFIG_A_ENABLED,	/* u8: 0 (default: no hook) or 1 */
	SIPREG_CONFIG_A_LEGACY_DIGEST,	/* u8: 1 = take RFC 2069 answers */
	SIPREG_CONFIG_A_RATE_GLOBAL,	/* u32: 401s per s, whole netns, 0 = off */
	/*
	 * u32: one SIPREG_ALG_FLAG_*, the algorithm challenged first (default
	 * MD5). If ALGS does not hold it, the other one is offered alone.
	 * Absent from an older module's CONFIG_GET: it offers SHA-256 first.
	 */
	SIPREG_CONFIG_A_ALGS_FIRST,
	/*
	 * u32 seconds, 0 = off (default 20): while the daemon's miss queue is
	 * three quarters full, a REGISTER that would go to it gets 503 with a
	 * Retry-After drawn from N..2N instead of waiting in, or falling out
	 * of, the queue. Absent from an older module: it has no such answer.
	 */
	SIPREG_CONFIG_A_BUSY_RETRY_AFTER,
	/*
	 * u8: 0 (default) or 1: the hook measures the CPU time it spends on
	 * each request (two local_clock() reads) into SIPREG_STAT_TIME_NS_*
	 * and SIPREG_STAT_TIMED_*. Absent from an older module: no timing.
	 */
	SIPREG_CONFIG_A_TIMING,
	/*
	 * u32 messages, 0 = no limit (default): with busy-retry-after on, a
	 * REGISTER that would join a miss queue already holding this many
	 * gets the 503. Absent from an older module: bytes alone decide.
	 */
	SIPREG_CONFIG_A_MISS_QUEUE_MAX,
	/*
	 * u32 ms, 0 = no limit (default): with busy-retry-after on, a
	 * REGISTER that would join a miss queue whose oldest message has
	 * waited this long gets the 503, so that a queued REGISTER can be
	 * answered before its phone retransmits it (T1, 500 ms) whatever
	 * the daemon's speed. Absent from an older module: bytes alone.
	 */
	SIPREG_CONFIG_A_MISS_QUEUE_AGE,
	/*
	 * u32 ms, 0 = no limit; default 2000: with busy-retry-after on, a
	 * REGISTER that would wait longer than this in the miss queue, at
	 * the rate the daemon has been taking misses, gets the 503, so the
	 * daemon sees each phone's REGISTER once (the absorption drops its
	 * copies for 2 s) and never one whose phone gave up (Timer F, 32 s).
	 * Absent from an older module: no such limit.
	 */
	SIPREG_CONFIG_A_MISS_QUEUE_WAIT,

	__SIPREG_CONFIG_A_MAX
};

#define SIPREG_CONFIG_A_MAX (__SIPREG_CONFIG_A_MAX - 1)

enum sipreg_user_attr {
	SIPREG_USER_A_UNSPEC,
	SIPREG_USER_A_NAME,		/* string, 1..64 */
	SIPREG_USER_A_REALM,		/* string, 1..64 */
	SIPREG_USER_A_HA1_MD5,		/* 16 bytes, write only */
	SIPREG_USER_A_HA1_SHA256,	/* 32 bytes, write only */
	SIPREG_USER_A_ALGS,		/* u32: HA1s held, kernel to user */

	__SIPREG_USER_A_MAX
};

#define SIPREG_USER_A_MAX (__SIPREG_USER_A_MAX - 1)

enum sipreg_binding_attr {
	SIPREG_BINDING_A_UNSPEC,
	SIPREG_BINDING_A_AOR,		/* string, 1..128 */
	SIPREG_BINDING_A_CONTACT,	/* nest: SIPREG_CONTACT_A_*, repeated */

	__SIPREG_BINDING_A_MAX
};

#define SIPREG_BINDING_A_MAX (__SIPREG_BINDING_A_MAX - 1)

enum sipreg_contact_attr {
	SIPREG_CONTACT_A_UNSPEC,
	SIPREG_CONTACT_A_PAD,
	SIPREG_CONTACT_A_URI,		/* string, 1..256 */
	SIPREG_CONTACT_A_CALL_ID,	/* string, 1..128 */
	SIPREG_CONTACT_A_CSEQ,		/* u32 */
	SIPREG_CONTACT_A_EXPIRES,	/* u32 seconds from now */
	SIPREG_CONTACT_A_EXPIRES_AT,	/* u64 boottime seconds, kernel to user */
	SIPREG_CONTACT_A_ADDR4,		/* 4 bytes: where it registered from */
	SIPREG_CONTACT_A_ADDR6,		/* 16 bytes */
	SIPREG_CONTACT_A_PORT,		/* u16 */
	SIPREG_CONTACT_A_NC,		/* u32: last nonce count seen */
	SIPREG_CONTACT_A_Q,		/* u16: thousandths, 0..1000 */
	/*
	 * u64: issue time (CLOCK_REALTIME microseconds) of the nonce NC
	 * counts for; on add, absent: now, so that no older nonce passes
	 * the fast path.
	 */
	SIPREG_CONTACT_A_NONCE_TIME,

	__SIPREG_CONTACT_A_MAX
};

#define SIPREG_CONTACT_A_MAX (__SIPREG_CONTACT_A_MAX - 1)

/*
 * Domains served by the fast path. None (the default): the configured
 * realm, whatever the Request-URI's host. Some: the Request-URI's host
 * (case-insensitive, port ignored) must be one of them, else the request
 * is a miss (UNKNOWN_DOMAIN); the domain's realm is used for its 401s,
 * the Authorization realm and the user lookup, and the AOR is
 * "sip:USER@DOMAIN". A realm belongs to one domain only.
 */
enum sipreg_domain_attr {
	SIPREG_DOMAIN_A_UNSPEC,
	SIPREG_DOMAIN_A_NAME,		/* string, 1..128, stored lowercase */
	SIPREG_DOMAIN_A_REALM,		/* string, 1..64; default: NAME */

	__SIPREG_DOMAIN_A_MAX
};

#define SIPREG_DOMAIN_A_MAX (__SIPREG_DOMAIN_A_MAX - 1)

/*
 * Ownership: while a daemon holds the claim of the namespace, USER_ADD,
 * USER_DEL, USER_FLUSH and DOMAIN_ADD, DOMAIN_DEL, DOMAIN_FLUSH are
 * refused (-EBUSY) unless SIPREG_A_CLAIM carries the claim's portid: the
 * daemon's store is then the one authority for users and domains.
 */

/* The miss message: a REGISTER the kernel did not answer, for the daemon. */
enum sipreg_miss_attr {
	SIPREG_MISS_A_UNSPEC,
	SIPREG_MISS_A_REASON,		/* u32: enum sipreg_miss_reason */
	SIPREG_MISS_A_VERDICT,		/* u32: parser verdict */
	SIPREG_MISS_A_IFINDEX,		/* u32 */
	SIPREG_MISS_A_SADDR4,		/* 4 bytes */
	SIPREG_MISS_A_SADDR6,		/* 16 bytes */
	SIPREG_MISS_A_DADDR4,		/* 4 bytes */
	SIPREG_MISS_A_DADDR6,		/* 16 bytes */
	SIPREG_MISS_A_SPORT,		/* u16 */
	SIPREG_MISS_A_DPORT,		/* u16 */
	SIPREG_MISS_A_DATA,		/* the UDP payload */

	__SIPREG_MISS_A_MAX
};

#define SIPREG_MISS_A_MAX (__SIPREG_MISS_A_MAX - 1)

/* Why a REGISTER went to the daemon; also the types in SIPREG_A_STATS_MISS. */
enum sipreg_miss_reason {
	SIPREG_MISS_UNSPEC,		/* also the pad type of the nest */
	SIPREG_MISS_PARSE,		/* not a well-formed REGISTER */
	SIPREG_MISS_NO_AUTH,
	SIPREG_MISS_UNKNOWN_REALM,
	SIPREG_MISS_UNKNOWN_USER,
	SIPREG_MISS_BAD_DIGEST,
	SIPREG_MISS_UNSUPPORTED_ALG,
	SIPREG_MISS_STALE_NONCE,
	SIPREG_MISS_BAD_NONCE,
	SIPREG_MISS_NC_REPLAY,
	SIPREG_MISS_NO_BINDING,
	SIPREG_MISS_NEW_CONTACT,
	SIPREG_MISS_SEVERAL_CONTACTS,
	SIPREG_MISS_DEREGISTER,
	SIPREG_MISS_CALL_ID_CHANGED,
	SIPREG_MISS_CSEQ_NOT_HIGHER,
	SIPREG_MISS_EXPIRY_OUT_OF_BOUNDS,
	SIPREG_MISS_PATH,
	SIPREG_MISS_OUTBOUND,
	SIPREG_MISS_REQUIRE,
	SIPREG_MISS_FASTPATH_OFF,
	SIPREG_MISS_RATE_LIMITED,
	SIPREG_MISS_QUERY,		/* no Contact: the daemon lists */
	SIPREG_MISS_FOREIGN_AOR,	/* To names another user */
	SIPREG_MISS_LEGACY_DIGEST,	/* no qop (RFC 2069), not allowed */
	SIPREG_MISS_URI_MISMATCH,	/* digest uri is not the Request-URI */
	SIPREG_MISS_REPLY_FAILED,	/* the 200 could not be built or routed */
	SIPREG_MISS_UNKNOWN_DOMAIN,	/* domains set, Request-URI host not one */

	__SIPREG_MISS_MAX
};

#define SIPREG_MISS_MAX (__SIPREG_MISS_MAX - 1)

/*
 * Nonce keys. Without a daemon the kernel draws its own from the RNG and
 * rotates them every nonce lifetime. A daemon that wants the nonces of
 * either side to verify on the other pushes its keys with NONCE_KEYS_SET
 * (same layout as nonce.h: SipHash keys, two u64 in host order); from
 * then on it rotates them and the kernel does not, until the daemon's
 * claim is released, when the kernel rotates again from the daemon's keys.
 */
enum sipreg_nonce_keys_attr {
	SIPREG_NONCE_KEYS_A_UNSPEC,
	SIPREG_NONCE_KEYS_A_CUR,	/* 16 bytes */
	SIPREG_NONCE_KEYS_A_PREV,	/* 16 bytes */
	SIPREG_NONCE_KEYS_A_GEN,	/* u32: generation of CUR */

	__SIPREG_NONCE_KEYS_A_MAX
};

#define SIPREG_NONCE_KEYS_A_MAX (__SIPREG_NONCE_KEYS_A_MAX - 1)

/*
 * SIPREG_A_EVENT of the notifications on the "events" group. It is always
 * the first attribute, right after the genetlink header, so that a socket
 * filter can pick events by it (sipregd drops the echoes of its writes).
 */
enum sipreg_event {
	SIPREG_EVENT_UNSPEC,
	SIPREG_EVENT_USER_ADDED,
	SIPREG_EVENT_USER_DELETED,
	SIPREG_EVENT_USERS_FLUSHED,	/* no USER attribute */
	SIPREG_EVENT_BINDING_ADDED,	/* BINDING with the contact added */
	SIPREG_EVENT_BINDING_REFRESHED,	/* by the fast path */
	SIPREG_EVENT_BINDING_EXPIRED,
	SIPREG_EVENT_BINDING_DELETED,	/* no CONTACT: the whole AOR */
	SIPREG_EVENT_BINDINGS_FLUSHED,	/* no BINDING attribute */
	SIPREG_EVENT_OVERFLOW,		/* refreshes were lost: dump and resync */

	__SIPREG_EVENT_MAX
};

#define SIPREG_EVENT_MAX (__SIPREG_EVENT_MAX - 1)

/* Counters, summed over CPUs; each one a u64 attribute inside SIPREG_A_STATS. */
enum sipreg_stat {
	SIPREG_STAT_UNSPEC,
	SIPREG_STAT_PAD,
	SIPREG_STAT_RX_PACKETS,	/* UDP datagrams to a SIP port */
	SIPREG_STAT_RX_BYTES,	/* their UDP payload bytes */
	SIPREG_STAT_USER_TABLE_FULL,	/* user add refused: max_users */
	SIPREG_STAT_BINDING_TABLE_FULL,	/* binding add refused: max_* */
	SIPREG_STAT_EVENTS_DROPPED,	/* notification not sent */
	SIPREG_STAT_MISS_SENT,		/* miss messages to the daemon */
	SIPREG_STAT_MISS_NO_DAEMON,	/* misses with no daemon: passed on */
	SIPREG_STAT_MISS_SEND_FAILED,	/* misses lost (no memory, full) */
	SIPREG_STAT_BINDINGS_EXPIRED,	/* contacts removed at expiry */
	SIPREG_STAT_CHALLENGES,		/* 401s sent by the fast path */
	SIPREG_STAT_STALE_CHALLENGES,	/* of which stale=true */
	SIPREG_STAT_REFRESHES,		/* 200s sent by the fast path */
	SIPREG_STAT_RETRANSMISSIONS,	/* answered again (RFC 3261 17.2) */
	SIPREG_STAT_RATE_LIMITED,	/* 401s not sent: source over its rate */
	SIPREG_STAT_TX_FAILED,		/* answer built, not sent: passed on */
	SIPREG_STAT_PASSED,		/* left to the stack: see verdicts */
	SIPREG_STAT_CSUM_ERRORS,	/* bad UDP checksum: left to the stack */
	SIPREG_STAT_AMPLIFICATION_LIMITED, /* 401 > 3x request: not sent */
	SIPREG_STAT_REPLAY_LIMITED,	/* retransmission not answered again */
	SIPREG_STAT_BUSY,		/* 503s: the daemon's miss queue was full */
	SIPREG_STAT_STUN_ANSWERED,	/* STUN Binding requests answered */
	SIPREG_STAT_KEEPALIVES,		/* CRLF keepalives consumed */
	/*
	 * While CONFIG_A_TIMING is on, every datagram that reached the fast
	 * path (rx_packets) is counted in one TIMED_* and its nanoseconds in
	 * the hook, entry to verdict, added to the TIME_NS_* of its class:
	 * CHALLENGE when it counted in CHALLENGES, REFRESH in REFRESHES,
	 * RETRANSMISSION in RETRANSMISSIONS, MISS when it went to the daemon,
	 * PASS when it was left to the stack (PASSED), OTHER for the rest
	 * (rate limited, 503, STUN, keepalive, send failed). In pairs,
	 * TIMED_x then TIME_NS_x, classes in this order.
	 */
	SIPREG_STAT_TIMED_CHALLENGE,
	SIPREG_STAT_TIME_NS_CHALLENGE,
	SIPREG_STAT_TIMED_REFRESH,
	SIPREG_STAT_TIME_NS_REFRESH,
	SIPREG_STAT_TIMED_RETRANSMISSION,
	SIPREG_STAT_TIME_NS_RETRANSMISSION,
	SIPREG_STAT_TIMED_MISS,
	SIPREG_STAT_TIME_NS_MISS,
	SIPREG_STAT_TIMED_PASS,
	SIPREG_STAT_TIME_NS_PASS,
	SIPREG_STAT_TIMED_OTHER,
	SIPREG_STAT_TIME_NS_OTHER,
	SIPREG_STAT_EXPIRY_WALKS,	/* walks of the binding table by expiry */
	/* What found the queue full for each 503 (or tx_failed) of BUSY: */
	SIPREG_STAT_BUSY_BYTES,		/* 3/4 of its receive buffer */
	SIPREG_STAT_BUSY_COUNT,		/* CONFIG_A_MISS_QUEUE_MAX messages */
	SIPREG_STAT_BUSY_AGE,		/* its head older than MISS_QUEUE_AGE */
	/*
	 * Retransmissions of a REGISTER handed to the daemon moments ago
	 * (same source, Call-ID, CSeq and branch, within 2 s): dropped, the
	 * daemon answers the first copy.
	 */
	SIPREG_STAT_MISS_ABSORBED,
	/* A 503 of BUSY: a new miss would wait longer than MISS_QUEUE_WAIT */
	SIPREG_STAT_BUSY_WAIT,

	__SIPREG_STAT_MAX
};

#define SIPREG_STAT_MAX (__SIPREG_STAT_MAX - 1)

#endif /* _UAPI_SIPREG_H */
