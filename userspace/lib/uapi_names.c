// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the netlink contract's counters, miss reasons and events, as
 * sipregctl prints them and sipregd logs them: one table for both.
 */
#include "uapi_names.h"

const char *const sipreg_stat_names[__SIPREG_STAT_MAX] = {
	[SIPREG_STAT_RX_PACKETS] = "rx_packets",
	[SIPREG_STAT_RX_BYTES] = "rx_bytes",
	[SIPREG_STAT_USER_TABLE_FULL] = "user_table_full",
	[SIPREG_STAT_BINDING_TABLE_FULL] = "binding_table_full",
	[SIPREG_STAT_EVENTS_DROPPED] = "events_dropped",
	[SIPREG_STAT_MISS_SENT] = "miss_sent",
	[SIPREG_STAT_MISS_NO_DAEMON] = "miss_no_daemon",
	[SIPREG_STAT_MISS_SEND_FAILED] = "miss_send_failed",
	[SIPREG_STAT_BINDINGS_EXPIRED] = "bindings_expired",
	[SIPREG_STAT_CHALLENGES] = "challenges",
	[SIPREG_STAT_STALE_CHALLENGES] = "stale_challenges",
	[SIPREG_STAT_REFRESHES] = "refreshes",
	[SIPREG_STAT_RETRANSMISSIONS] = "retransmissions",
	[SIPREG_STAT_RATE_LIMITED] = "rate_limited",
	[SIPREG_STAT_TX_FAILED] = "tx_failed",
	[SIPREG_STAT_PASSED] = "passed",
	[SIPREG_STAT_CSUM_ERRORS] = "csum_errors",
	[SIPREG_STAT_AMPLIFICATION_LIMITED] = "amplification_limited",
	[SIPREG_STAT_REPLAY_LIMITED] = "replay_limited",
	[SIPREG_STAT_BUSY] = "busy",
	[SIPREG_STAT_STUN_ANSWERED] = "stun_answered",
	[SIPREG_STAT_KEEPALIVES] = "keepalives",
};

const char *const sipreg_miss_names[__SIPREG_MISS_MAX] = {
	[SIPREG_MISS_PARSE] = "parse",
	[SIPREG_MISS_NO_AUTH] = "no_auth",
	[SIPREG_MISS_UNKNOWN_REALM] = "unknown_realm",
	[SIPREG_MISS_UNKNOWN_USER] = "unknown_user",
	[SIPREG_MISS_BAD_DIGEST] = "bad_digest",
	[SIPREG_MISS_UNSUPPORTED_ALG] = "unsupported_alg",
	[SIPREG_MISS_STALE_NONCE] = "stale_nonce",
	[SIPREG_MISS_BAD_NONCE] = "bad_nonce",
	[SIPREG_MISS_NC_REPLAY] = "nc_replay",
	[SIPREG_MISS_NO_BINDING] = "no_binding",
	[SIPREG_MISS_NEW_CONTACT] = "new_contact",
	[SIPREG_MISS_SEVERAL_CONTACTS] = "several_contacts",
	[SIPREG_MISS_DEREGISTER] = "deregister",
	[SIPREG_MISS_CALL_ID_CHANGED] = "call_id_changed",
	[SIPREG_MISS_CSEQ_NOT_HIGHER] = "cseq_not_higher",
	[SIPREG_MISS_EXPIRY_OUT_OF_BOUNDS] = "expiry_out_of_bounds",
	[SIPREG_MISS_PATH] = "path",
	[SIPREG_MISS_OUTBOUND] = "outbound",
	[SIPREG_MISS_REQUIRE] = "require",
	[SIPREG_MISS_FASTPATH_OFF] = "fastpath_off",
	[SIPREG_MISS_RATE_LIMITED] = "rate_limited",
	[SIPREG_MISS_QUERY] = "query",
	[SIPREG_MISS_FOREIGN_AOR] = "foreign_aor",
	[SIPREG_MISS_LEGACY_DIGEST] = "legacy_digest",
	[SIPREG_MISS_URI_MISMATCH] = "uri_mismatch",
	[SIPREG_MISS_REPLY_FAILED] = "reply_failed",
	[SIPREG_MISS_UNKNOWN_DOMAIN] = "unknown_domain",
};

const char *const sipreg_event_names[__SIPREG_EVENT_MAX] = {
	[SIPREG_EVENT_USER_ADDED] = "user_added",
	[SIPREG_EVENT_USER_DELETED] = "user_deleted",
	[SIPREG_EVENT_USERS_FLUSHED] = "users_flushed",
	[SIPREG_EVENT_BINDING_ADDED] = "binding_added",
	[SIPREG_EVENT_BINDING_REFRESHED] = "binding_refreshed",
	[SIPREG_EVENT_BINDING_EXPIRED] = "binding_expired",
	[SIPREG_EVENT_BINDING_DELETED] = "binding_deleted",
	[SIPREG_EVENT_BINDINGS_FLUSHED] = "bindings_flushed",
	[SIPREG_EVENT_OVERFLOW] = "overflow",
};
