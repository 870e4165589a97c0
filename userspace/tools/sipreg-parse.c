// SPDX-License-Identifier: GPL-2.0
/*
 * sipreg-parse [-j] [FILE...]: run the module's SIP parser over messages,
 * one per file (or stdin, also as "-"), and show the verdict and every field.
 * Absent fields are not printed. One print layer serves text and JSON (-j,
 * always one array with one object per message), so the two never disagree.
 *
 * Exit status: 0 every message is a well-formed REGISTER, 1 one is not,
 * 2 usage or I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "parser.h"

enum { EXIT_REGISTER = 0, EXIT_NOT_REGISTER = 1, EXIT_ERROR = 2 };

/* Files are read whole; anything above this is not a SIP datagram. */
#define MAX_INPUT (1 << 20)

struct out {
	FILE *f;
	const u8 *buf;
	bool json;
	int depth;
	bool need_comma;	/* JSON: a value precedes at this depth */
};

static void indent(struct out *o)
{
	int i;

	for (i = 0; i < o->depth; i++)
		fputs("  ", o->f);
}

/* Text: C-like escapes, so folds and odd bytes stay visible. */
static void text_str(FILE *f, const u8 *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r')
			fputs("\\r", f);
		else if (s[i] == '\n')
			fputs("\\n", f);
		else if (s[i] == '\t')
			fputs("\\t", f);
		else if (s[i] == '\\')
			fputs("\\\\", f);
		else if (s[i] < 0x20 || s[i] == 0x7f)
			fprintf(f, "\\x%02x", s[i]);
		else
			fputc(s[i], f);
	}
}

/* Starts "key": (or "key: " in text); key NULL inside arrays. */
static void key(struct out *o, const char *k)
{
	if (o->json) {
		if (o->need_comma)
			fputc(',', o->f);
		fputc('\n', o->f);
		indent(o);
		if (k)
			fprintf(o->f, "\"%s\": ", k);
		o->need_comma = true;
	} else {
		indent(o);
		/* YAML-like: array elements are "- value" */
		if (k)
			fprintf(o->f, "%s:", k);
		else
			fputc('-', o->f);
	}
}

static void open_(struct out *o, const char *k, char brace)
{
	key(o, k);
	if (o->json)
		fputc(brace, o->f);
	fputs(o->json ? "" : "\n", o->f);
	o->depth++;
	o->need_comma = false;
}

static void close_(struct out *o, char brace)
{
	o->depth--;
	if (o->json) {
		fputc('\n', o->f);
		indent(o);
		fputc(brace, o->f);
	}
	o->need_comma = true;
}

static void p_bytes(struct out *o, const char *k, const u8 *s, size_t n)
{
	key(o, k);
	if (o->json) {
		json_write_str(o->f, s, n);
	} else {
		fputc(' ', o->f);
		text_str(o->f, s, n);
		fputc('\n', o->f);
	}
}

static void p_str(struct out *o, const char *k, const char *s)
{
	p_bytes(o, k, (const u8 *)s, strlen(s));
}

static void p_span(struct out *o, const char *k, struct sipreg_span sp)
{
	if (sp.len)
		p_bytes(o, k, o->buf + sp.off, sp.len);
}

static void p_num(struct out *o, const char *k, unsigned long v)
{
	key(o, k);
	fprintf(o->f, o->json ? "%lu" : " %lu\n", v);
}

static void p_raw(struct out *o, const char *k, const char *v)
{
	key(o, k);
	fprintf(o->f, o->json ? "%s" : " %s\n", v);
}

static void p_addr(struct out *o, const char *k, const struct sipreg_nameaddr *a)
{
	if (!a->value.len)
		return;
	open_(o, k, '{');
	p_span(o, "value", a->value);
	p_span(o, "display", a->display);
	p_span(o, "uri", a->uri);
	p_span(o, "tag", a->tag);
	close_(o, '}');
}

static void p_list(struct out *o, const char *k, const struct sipreg_list *l)
{
	int i;

	if (!l->n)
		return;
	open_(o, k, '[');
	for (i = 0; i < l->n; i++)
		p_bytes(o, NULL, o->buf + l->v[i].off, l->v[i].len);
	close_(o, ']');
}

static void p_via(struct out *o, const struct sipreg_msg *m)
{
	const struct sipreg_via *v = &m->via;
	int i;

	if (!m->n_vias)
		return;
	open_(o, "via", '{');
	p_span(o, "transport", v->transport);
	p_span(o, "host", v->host);
	if (v->flags & SIPREG_VIA_PORT)
		p_num(o, "port", v->port);
	p_span(o, "branch", v->branch);
	p_span(o, "received", v->received);
	if (v->flags & SIPREG_VIA_RPORT_VALUE)
		p_num(o, "rport", v->rport);
	else if (v->flags & SIPREG_VIA_RPORT)
		p_raw(o, "rport", "true");
	close_(o, '}');
	open_(o, "vias", '[');
	for (i = 0; i < m->n_vias; i++)
		p_bytes(o, NULL, o->buf + m->vias[i].off, m->vias[i].len);
	close_(o, ']');
}

static void p_contacts(struct out *o, const struct sipreg_msg *m)
{
	const struct sipreg_msg_contact *c;
	char q[16];
	int i;

	if (!m->n_contacts)
		return;
	open_(o, "contacts", '[');
	for (i = 0; i < m->n_contacts; i++) {
		c = &m->contacts[i];
		open_(o, NULL, '{');
		p_span(o, "value", c->value);
		if (c->flags & SIPREG_CONTACT_STAR)
			p_raw(o, "star", "true");
		p_span(o, "display", c->display);
		p_span(o, "uri", c->uri);
		if (c->flags & SIPREG_CONTACT_EXPIRES)
			p_num(o, "expires", c->expires);
		if (c->flags & SIPREG_CONTACT_Q) {
			snprintf(q, sizeof(q), "%u.%03u", c->q / 1000,
				 c->q % 1000);
			p_raw(o, "q", q);
		}
		p_span(o, "instance", c->instance);
		if (c->flags & SIPREG_CONTACT_REG_ID)
			p_num(o, "reg_id", c->reg_id);
		close_(o, '}');
	}
	close_(o, ']');
}

static void p_auth(struct out *o, const struct sipreg_msg *m)
{
	const struct sipreg_auth *a = &m->auth;
	char nc[16];

	if (!(a->flags & SIPREG_AUTH_PRESENT))
		return;
	open_(o, "authorization", '{');
	p_span(o, "scheme", a->scheme);
	p_span(o, "username", a->username);
	p_span(o, "realm", a->realm);
	p_span(o, "nonce", a->nonce);
	p_span(o, "uri", a->uri);
	p_span(o, "response", a->response);
	p_span(o, "algorithm", a->algorithm);
	p_span(o, "cnonce", a->cnonce);
	p_span(o, "opaque", a->opaque);
	p_span(o, "qop", a->qop);
	if (a->flags & SIPREG_AUTH_NC) {
		snprintf(nc, sizeof(nc), "%08x", a->nc);
		p_str(o, "nc", nc);
	}
	close_(o, '}');
	if (m->n_auth > 1)
		p_num(o, "authorization_count", m->n_auth);
}

/* The line holding offset off, for the error message. */
static void p_where(struct out *o, size_t len, unsigned int off)
{
	const u8 *b = o->buf;
	size_t s = off, e = off, line = 1, i;

	if (off > len)
		return;
	for (i = 0; i < off; i++)
		line += b[i] == '\n';
	while (s > 0 && b[s - 1] != '\n')
		s--;
	while (e < len && b[e] != '\r' && b[e] != '\n' && e - s < 200)
		e++;
	p_num(o, "error_offset", off);
	p_num(o, "error_line", line);
	p_bytes(o, "error_context", b + s, e - s);
}

static void print_msg(struct out *o, const char *name, size_t len,
		      enum sipreg_verdict v, const struct sipreg_msg *m)
{
	open_(o, o->json ? NULL : "message", '{');
	p_str(o, "file", name);
	p_str(o, "verdict", sipreg_verdict_name(v));
	p_num(o, "verdict_code", v);
	p_num(o, "length", len);
	if (v != SIPREG_OK && v != SIPREG_RESPONSE && v != SIPREG_NOT_REGISTER)
		p_where(o, len, m->err_off);
	p_span(o, "method", m->method);
	p_span(o, "request_uri", m->ruri);
	p_via(o, m);
	p_addr(o, "from", &m->from);
	p_addr(o, "to", &m->to);
	p_span(o, "call_id", m->call_id);
	if (m->cseq_method.len) {
		open_(o, "cseq", '{');
		p_num(o, "number", m->cseq);
		p_span(o, "method", m->cseq_method);
		close_(o, '}');
	}
	if (m->flags & SIPREG_MSG_MAX_FORWARDS)
		p_num(o, "max_forwards", m->max_forwards);
	if (m->flags & SIPREG_MSG_EXPIRES)
		p_num(o, "expires", m->expires);
	p_contacts(o, m);
	p_auth(o, m);
	p_list(o, "require", &m->require);
	p_list(o, "proxy_require", &m->proxy_require);
	p_list(o, "supported", &m->supported);
	p_list(o, "path", &m->path);
	p_span(o, "user_agent", m->user_agent);
	if (v == SIPREG_OK) {
		p_num(o, "content_length", m->content_length);
		p_num(o, "body_offset", m->body_off);
	}
	close_(o, '}');
}

/* Reads all of f; returns NULL (errno set) on error. */
static u8 *slurp(FILE *f, size_t *lenp)
{
	size_t cap = 8192, len = 0, n;
	u8 *buf = malloc(cap), *nb;

	while (buf) {
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f)) {
				free(buf);
				errno = EIO;
				return NULL;
			}
			*lenp = len;
			return buf;
		}
		if (len == cap) {
			if (cap >= MAX_INPUT) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			nb = realloc(buf, cap * 2);
			if (!nb)
				free(buf);
			buf = nb;
			cap *= 2;
		}
	}
	errno = ENOMEM;
	return NULL;
}

static void usage(FILE *f)
{
	fputs("usage: sipreg-parse [-j] [FILE...]\n"
	      "Parses one SIP message per FILE (stdin if none, or \"-\") with\n"
	      "sipreg's parser and prints the verdict and the parsed fields.\n"
	      "  -j  JSON: an array with one object per message\n"
	      "Exit status: 0 all are well-formed REGISTERs, 1 one is not,\n"
	      "2 usage or I/O error.\n", f);
}

int main(int argc, char **argv)
{
	struct out o = { .f = stdout };
	int opt, i, rc = EXIT_REGISTER, nfiles;
	static struct sipreg_msg m;
	enum sipreg_verdict v;
	const char *name;
	size_t len;
	FILE *f;
	u8 *buf;

	while ((opt = getopt(argc, argv, "jh")) != -1) {
		switch (opt) {
		case 'j':
			o.json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_REGISTER;
		default:
			usage(stderr);
			return EXIT_ERROR;
		}
	}
	nfiles = argc - optind;
	if (o.json)
		fputc('[', o.f);
	for (i = 0; i < (nfiles ? nfiles : 1); i++) {
		name = nfiles ? argv[optind + i] : "-";
		f = strcmp(name, "-") ? fopen(name, "rb") : stdin;
		if (!f) {
			fprintf(stderr, "sipreg-parse: %s: %s\n", name,
				strerror(errno));
			rc = EXIT_ERROR;
			continue;
		}
		buf = slurp(f, &len);
		if (!buf)
			fprintf(stderr, "sipreg-parse: %s: %s\n", name,
				strerror(errno));
		if (f != stdin)
			fclose(f);
		if (!buf) {
			rc = EXIT_ERROR;
			continue;
		}
		v = sipreg_parse(buf, len, &m);
		o.buf = buf;
		print_msg(&o, strcmp(name, "-") ? name : "<stdin>", len, v, &m);
		free(buf);
		if (v != SIPREG_OK && rc == EXIT_REGISTER)
			rc = EXIT_NOT_REGISTER;
	}
	if (o.json)
		fputs("\n]\n", o.f);
	if (fflush(o.f) || ferror(o.f)) {
		fprintf(stderr, "sipreg-parse: stdout: %s\n", strerror(errno));
		rc = EXIT_ERROR;
	}
	return rc;
}
