// SPDX-License-Identifier: GPL-2.0
/*
 * The OpenSSL side of the TLS listeners. Sessions are server-side and
 * nonblocking; the handshake runs inside the first reads (accept state).
 * Partial writes are enabled, so that a write of a long response makes
 * progress like send() does, with the rest kept by the caller.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "config.h"
#include "log.h"
#include "tls.h"

struct tls {
	SSL_CTX *ctx;
};

static void print_errors(const char *what, const char *file)
{
	unsigned long e = ERR_get_error();
	char buf[256] = "unknown error";

	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	fprintf(stderr, "sipregd: %s %s: %s\n", what, file, buf);
	ERR_clear_error();
}

static int load(SSL_CTX *ctx, const struct stream_config *c)
{
	if (SSL_CTX_use_certificate_chain_file(ctx, c->tls_cert) != 1) {
		print_errors("tls_certificate", c->tls_cert);
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, c->tls_key, SSL_FILETYPE_PEM) != 1) {
		print_errors("tls_key", c->tls_key);
		return -1;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		print_errors("tls_key does not match", c->tls_cert);
		return -1;
	}
	if (!*c->tls_ca)
		return 0;
	if (SSL_CTX_load_verify_locations(ctx, c->tls_ca, NULL) != 1) {
		print_errors("tls_ca", c->tls_ca);
		return -1;
	}
	/* a client certificate is asked for, and must verify if sent */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
			   (c->tls_require_client_cert ?
			    SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0), NULL);
	return 0;
}

struct tls *tls_open(const struct stream_config *c)
{
	struct tls *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->ctx = SSL_CTX_new(TLS_server_method());
	if (!t->ctx) {
		print_errors("TLS context", "");
		goto fail;
	}
	if (!SSL_CTX_set_min_proto_version(t->ctx, c->tls_min_version == 13 ?
					   TLS1_3_VERSION : TLS1_2_VERSION))
		goto fail;
	SSL_CTX_set_mode(t->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* no resumption state to keep or to leak between clients */
	SSL_CTX_set_session_cache_mode(t->ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(t->ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
	if (load(t->ctx, c))
		goto fail;
	return t;
fail:
	tls_close(t);
	return NULL;
}

void tls_close(struct tls *t)
{
	if (!t)
		return;
	SSL_CTX_free(t->ctx);
	free(t);
}

SSL *tls_session(struct tls *t, int fd)
{
	SSL *s = SSL_new(t->ctx);

	if (s && SSL_set_fd(s, fd) != 1) {
		SSL_free(s);
		return NULL;
	}
	if (s)
		SSL_set_accept_state(s);
	return s;
}

void tls_session_free(SSL *s)
{
	SSL_free(s);
}

static enum tls_io result(SSL *s, int rc)
{
	unsigned long e;

	switch (SSL_get_error(s, rc)) {
	case SSL_ERROR_WANT_READ:
		return TLS_IO_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return TLS_IO_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return TLS_IO_CLOSED;
	case SSL_ERROR_SYSCALL:
		ERR_clear_error();
		return errno == 0 ? TLS_IO_CLOSED : TLS_IO_ERROR;
	default:
		e = ERR_peek_error();
		if (e)
			log_msg(LOG_DEBUG, "tls: %s",
				ERR_reason_error_string(e) ?
				ERR_reason_error_string(e) : "error");
		ERR_clear_error();
		return TLS_IO_ERROR;
	}
}

enum tls_io tls_read(SSL *s, void *buf, size_t n, size_t *done)
{
	int rc;

	*done = 0;
	errno = 0;
	rc = SSL_read_ex(s, buf, n, done);
	return rc == 1 ? TLS_IO_OK : result(s, rc);
}

enum tls_io tls_write(SSL *s, const void *buf, size_t n, size_t *done)
{
	int rc;

	*done = 0;
	errno = 0;
	rc = SSL_write_ex(s, buf, n, done);
	return rc == 1 ? TLS_IO_OK : result(s, rc);
}

bool tls_pending(SSL *s)
{
	return SSL_pending(s) > 0;
}
