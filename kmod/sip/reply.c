// SPDX-License-Identifier: GPL-2.0
/*
 * SIP response builder, shared by sipreg.ko and sipregd. Every write goes
 * through put(), the only place that checks the bound.
 */
#include "shim.h"
#include "parser.h"
#include "reply.h"

void sipreg_reply_init(struct sipreg_reply *r, u8 *buf, size_t size)
{
	r->buf = buf;
	r->size = size;
	r->len = 0;
	r->overflow = false;
}

void sipreg_reply_put(struct sipreg_reply *r, const void *p, size_t n)
{
	if (r->overflow || n > r->size - r->len) {
		r->overflow = true;
		return;
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
}

void sipreg_reply_u32(struct sipreg_reply *r, u32 v)
{
	char d[10];
	int i = sizeof(d);

	do {
		d[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	sipreg_reply_put(r, d + i, sizeof(d) - i);
}

/* Exactly @w digits, zero-padded: the fixed-width fields of a date. */
static void put_pad(struct sipreg_reply *r, u32 v, int w)
{
	char d[4];
	int i;

	for (i = w - 1; i >= 0; i--) {
		d[i] = '0' + v % 10;
		v /= 10;
	}
	sipreg_reply_put(r, d, w);
}

void sipreg_reply_span(struct sipreg_reply *r, const u8 *req,
		       struct sipreg_span sp)
{
	sipreg_reply_put(r, req + sp.off, sp.len);
}

static u8 lower(u8 c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

/*
 * RFC 3261 18.2.2 adds "received" when the sent-by host is not the
 * source address; RFC 3581 section 4 adds it whenever rport is present,
 * even if equal, so that the client learns its public address. The host
 * is compared as text, case-insensitively and without IPv6 brackets: a
 * differently written but equal IPv6 address only costs a redundant
 * parameter.
 */
bool sipreg_reply_needs_received(const u8 *req, const struct sipreg_msg *m,
				 const struct sipreg_reply_src *src)
{
	const u8 *h = req + m->via.host.off;
	size_t n = m->via.host.len, i;

	if (m->via.flags & SIPREG_VIA_RPORT)
		return true;
	if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
		h++;
		n -= 2;
	}
	if (n != src->addr_len)
		return true;
	for (i = 0; i < n; i++)
		if (lower(h[i]) != lower(src->addr[i]))
			return true;
	return false;
}

/* One edit of the top Via: the bytes [off, off + len) become something. */
struct via_edit {
	unsigned int off, len;
	int what;
};

enum { EDIT_RPORT, EDIT_RECEIVED };

static void put_edit(struct sipreg_reply *r, const struct via_edit *e,
		     const struct sipreg_reply_src *src)
{
	if (e->what == EDIT_RPORT) {
		sipreg_reply_lit(r, ";rport=");
		sipreg_reply_u32(r, src->port);
	} else {
		sipreg_reply_put(r, src->addr, src->addr_len);
	}
}

/*
 * The top hop verbatim except: a bare (or valued) rport becomes
 * ";rport=PORT", an existing received value is replaced, and a missing
 * needed received is appended at the end of the hop.
 */
static void put_top_via(struct sipreg_reply *r, const u8 *req,
			const struct sipreg_msg *m,
			const struct sipreg_reply_src *src)
{
	const struct sipreg_via *v = &m->via;
	struct sipreg_span hop = m->vias[0];
	struct via_edit e[2], t;
	bool rcvd = sipreg_reply_needs_received(req, m, src);
	unsigned int n = 0, i, pos = hop.off;

	if (v->flags & SIPREG_VIA_RPORT)
		e[n++] = (struct via_edit){ v->rport_param.off,
					    v->rport_param.len, EDIT_RPORT };
	if (rcvd && v->received.len)
		e[n++] = (struct via_edit){ v->received.off, v->received.len,
					    EDIT_RECEIVED };
	if (n == 2 && e[1].off < e[0].off) {
		t = e[0];
		e[0] = e[1];
		e[1] = t;
	}
	sipreg_reply_lit(r, "Via: ");
	for (i = 0; i < n; i++) {
		sipreg_reply_put(r, req + pos, e[i].off - pos);
		put_edit(r, &e[i], src);
		pos = e[i].off + e[i].len;
	}
	sipreg_reply_put(r, req + pos, hop.off + hop.len - pos);
	if (rcvd && !v->received.len) {
		sipreg_reply_lit(r, ";received=");
		sipreg_reply_put(r, src->addr, src->addr_len);
	}
	sipreg_reply_lit(r, "\r\n");
}

static void put_header(struct sipreg_reply *r, const char *name, size_t n,
		       const u8 *req, struct sipreg_span sp)
{
	sipreg_reply_put(r, name, n);
	sipreg_reply_span(r, req, sp);
	sipreg_reply_lit(r, "\r\n");
}

#define PUT_HEADER(r, lit, req, sp) \
	put_header(r, lit, sizeof(lit) - 1, req, sp)

void sipreg_reply_start(struct sipreg_reply *r, const u8 *req,
			const struct sipreg_msg *m, unsigned int code,
			const char *reason, size_t reason_len,
			const struct sipreg_reply_src *src,
			const u8 *tag, size_t tag_len)
{
	unsigned int i;

	sipreg_reply_lit(r, "SIP/2.0 ");
	put_pad(r, code, 3);
	sipreg_reply_lit(r, " ");
	sipreg_reply_put(r, reason, reason_len);
	sipreg_reply_lit(r, "\r\n");
	if (m->n_vias)
		put_top_via(r, req, m, src);
	/* One field per hop: equivalent to the comma list (RFC 3261 7.3.1). */
	for (i = 1; i < m->n_vias; i++)
		PUT_HEADER(r, "Via: ", req, m->vias[i]);
	PUT_HEADER(r, "From: ", req, m->from.value);
	sipreg_reply_lit(r, "To: ");
	sipreg_reply_span(r, req, m->to.value);
	if (!m->to.tag.len) {
		sipreg_reply_lit(r, ";tag=");
		sipreg_reply_put(r, tag, tag_len);
	}
	sipreg_reply_lit(r, "\r\n");
	PUT_HEADER(r, "Call-ID: ", req, m->call_id);
	sipreg_reply_lit(r, "CSeq: ");
	sipreg_reply_u32(r, m->cseq);
	sipreg_reply_lit(r, " ");
	sipreg_reply_span(r, req, m->cseq_method);
	sipreg_reply_lit(r, "\r\n");
}

int sipreg_reply_end(struct sipreg_reply *r)
{
	sipreg_reply_lit(r, "Content-Length: 0\r\n\r\n");
	if (r->overflow)
		return -1;
	return (int)r->len;
}

/*
 * civil_from_days() of Howard Hinnant's "chrono-compatible low-level date
 * algorithms": eras of 400 years (146097 days) starting on March 1, so
 * that the leap day is the last day of a year.
 */
void sipreg_gmtime(u64 t, struct sipreg_tm *tm)
{
	u64 days = t / 86400;
	u32 secs = (u32)(t - days * 86400);
	u64 z = days + 719468;
	u64 era = z / 146097;
	u32 doe = (u32)(z - era * 146097);
	u32 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	u32 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	u32 mp = (5 * doy + 2) / 153;
	u32 mon = mp < 10 ? mp + 3 : mp - 9;

	tm->year = (u32)(yoe + era * 400) + (mon <= 2);
	tm->mon = mon;
	tm->mday = doy - (153 * mp + 2) / 5 + 1;
	tm->wday = (u8)((days + 4) % 7);	/* 1970-01-01 was a Thursday */
	tm->hour = secs / 3600;
	tm->min = secs / 60 % 60;
	tm->sec = secs % 60;
}

void sipreg_reply_date(struct sipreg_reply *r, u64 t)
{
	static const char wdays[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct sipreg_tm tm;

	sipreg_gmtime(t, &tm);
	sipreg_reply_lit(r, "Date: ");
	sipreg_reply_put(r, wdays + 3 * tm.wday, 3);
	sipreg_reply_lit(r, ", ");
	put_pad(r, tm.mday, 2);
	sipreg_reply_lit(r, " ");
	sipreg_reply_put(r, months + 3 * (tm.mon - 1), 3);
	sipreg_reply_lit(r, " ");
	put_pad(r, tm.year, 4);
	sipreg_reply_lit(r, " ");
	put_pad(r, tm.hour, 2);
	sipreg_reply_lit(r, ":");
	put_pad(r, tm.min, 2);
	sipreg_reply_lit(r, ":");
	put_pad(r, tm.sec, 2);
	sipreg_reply_lit(r, " GMT\r\n");
}
