// SPDX-License-Identifier: GPL-2.0
/*
 * Stateless nonces, shared by sipreg.ko and userspace. Holds no state: the
 * caller owns the keys and passes the time.
 *
 * The MAC covers the client's address but not its port: NAT bindings are
 * rebound to a new port between the challenge and the retry often enough,
 * and an attacker who shares the address (same NAT) is not stopped by the
 * port anyway. The digest response is what proves the password.
 */
#include "shim.h"
#include "hash.h"
#include "nonce.h"

#define TIME_DIGITS	8
#define USEC_DIGITS	5
#define MAC_DIGITS	16
#define USEC_PER_S	1000000

static const char hexdig[] = "0123456789abcdef";

static void put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void put_le64(u8 *p, u64 v)
{
	put_le32(p, (u32)v);
	put_le32(p + 4, (u32)(v >> 32));
}

/*
 * The realm is reduced to its own keyed hash first, so the MAC input has a
 * fixed size and no realm length limit or realm-sized buffer is needed.
 * Realm tags are never shown to anyone, so reusing the key is harmless.
 */
static u64 nonce_mac(const struct sipreg_mackey *key, u32 t, u32 usec,
		     u32 gen, const struct sipreg_addr *client, const u8 *realm,
		     size_t realm_len)
{
	u8 m[36];

	put_le32(m, t);
	put_le32(m + 4, usec);
	put_le32(m + 8, gen);
	memcpy(m + 12, client->a, 16);
	put_le64(m + 28, sipreg_mac64(key, realm, realm_len));
	return sipreg_mac64(key, m, sizeof(m));
}

static void put_hex(char *out, u64 v, int digits)
{
	while (digits--) {
		out[digits] = hexdig[v & 15];
		v >>= 4;
	}
}

/*
 * 0x10 | the value of a lower-case hex digit, 0 for anything else (upper
 * case too: a nonce comes back exactly as it was issued).
 */
static const u8 hexval[256] = {
	['0'] = 0x10, ['1'] = 0x11, ['2'] = 0x12, ['3'] = 0x13, ['4'] = 0x14,
	['5'] = 0x15, ['6'] = 0x16, ['7'] = 0x17, ['8'] = 0x18, ['9'] = 0x19,
	['a'] = 0x1a, ['b'] = 0x1b, ['c'] = 0x1c, ['d'] = 0x1d, ['e'] = 0x1e,
	['f'] = 0x1f,
};

/* A branch per number, not per digit: a nonce has 30 digits. */
static bool get_hex(const u8 *p, int digits, u64 *v)
{
	u8 d, all = 0x10;
	u64 r = 0;
	int i;

	for (i = 0; i < digits; i++) {
		d = hexval[p[i]];
		all &= d;
		r = r << 4 | (d & 15);
	}
	*v = r;
	return all;
}

void sipreg_nonce_keys_init(struct sipreg_nonce_keys *k,
			    const struct sipreg_mackey *key, u32 now)
{
	k->cur = *key;
	k->prev = *key;
	k->gen = 0;
	k->cur_since = now;
}

void sipreg_nonce_rotate(struct sipreg_nonce_keys *k,
			 const struct sipreg_mackey *key, u32 now)
{
	k->prev = k->cur;
	k->cur = *key;
	k->gen++;
	k->cur_since = now;
}

size_t sipreg_nonce_make(const struct sipreg_nonce_keys *k, u32 now,
			 u32 usec, const struct sipreg_addr *client,
			 const u8 *realm, size_t realm_len, char *out)
{
	u64 mac;

	usec %= USEC_PER_S;
	mac = nonce_mac(&k->cur, now, usec, k->gen, client, realm, realm_len);
	put_hex(out, now, TIME_DIGITS);
	put_hex(out + TIME_DIGITS, usec, USEC_DIGITS);
	put_hex(out + TIME_DIGITS + USEC_DIGITS, k->gen & 15, 1);
	put_hex(out + TIME_DIGITS + USEC_DIGITS + 1, mac, MAC_DIGITS);
	return SIPREG_NONCE_LEN;
}

/*
 * Only the low four bits of the generation travel in the nonce; they pick
 * cur or prev, and the MAC over the full generation rejects anything else.
 */
static const struct sipreg_mackey *pick_key(const struct sipreg_nonce_keys *k,
					    u64 nibble, u32 *gen)
{
	*gen = k->gen;
	if (nibble == (k->gen & 15))
		return &k->cur;
	*gen = k->gen - 1;
	if (nibble == ((k->gen - 1) & 15))
		return &k->prev;
	return NULL;
}

enum sipreg_nonce_verdict
sipreg_nonce_check(const struct sipreg_nonce_keys *k, u32 now, u32 lifetime,
		   const struct sipreg_addr *client, const u8 *realm,
		   size_t realm_len, const u8 *nonce, size_t nonce_len)
{
	const struct sipreg_mackey *key;
	u64 t, usec, nibble, mac;
	u32 gen;
	s32 age;

	if (nonce_len != SIPREG_NONCE_LEN ||
	    !get_hex(nonce, TIME_DIGITS, &t) ||
	    !get_hex(nonce + TIME_DIGITS, USEC_DIGITS, &usec) ||
	    !get_hex(nonce + TIME_DIGITS + USEC_DIGITS, 1, &nibble) ||
	    !get_hex(nonce + TIME_DIGITS + USEC_DIGITS + 1, MAC_DIGITS, &mac))
		return SIPREG_NONCE_BAD;
	key = pick_key(k, nibble, &gen);
	/* A single 64-bit compare: no early exit to time. */
	if (!key ||
	    nonce_mac(key, t, usec, gen, client, realm, realm_len) != mac)
		return SIPREG_NONCE_BAD;
	age = (s32)(now - (u32)t);
	if (age < -SIPREG_NONCE_SKEW)
		return SIPREG_NONCE_BAD;
	if (age > 0 && (u32)age > lifetime)
		return SIPREG_NONCE_STALE;
	return SIPREG_NONCE_VALID;
}

u64 sipreg_nonce_issued(const u8 *nonce, size_t len)
{
	u64 t, usec;

	if (len != SIPREG_NONCE_LEN || !get_hex(nonce, TIME_DIGITS, &t) ||
	    !get_hex(nonce + TIME_DIGITS, USEC_DIGITS, &usec) ||
	    usec >= USEC_PER_S)
		return 0;
	return t * USEC_PER_S + usec;
}
