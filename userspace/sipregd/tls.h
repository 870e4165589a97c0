/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLS for the stream transport (OpenSSL 3): one server context from the
 * configuration (certificate, key, optional CA for client certificates,
 * TLS 1.2 or 1.3 at least), and nonblocking sessions whose reads and
 * writes say what they wait for, so the poll() loop never blocks on one.
 */
#ifndef SIPREGD_TLS_H
#define SIPREGD_TLS_H

#include <stdbool.h>
#include <stddef.h>

struct stream_config;
struct tls;
struct ssl_st;

enum tls_io {
	TLS_IO_OK,		/* *done bytes moved */
	TLS_IO_WANT_READ,	/* handshake or record: wait for POLLIN */
	TLS_IO_WANT_WRITE,	/* wait for POLLOUT */
	TLS_IO_CLOSED,		/* close_notify or EOF */
	TLS_IO_ERROR,		/* handshake failed, bad record, reset */
};

/* NULL after printing why (file and OpenSSL's reason). */
struct tls *tls_open(const struct stream_config *c);
void tls_close(struct tls *t);

/* A server session on the accepted, nonblocking @fd; NULL: no memory. */
struct ssl_st *tls_session(struct tls *t, int fd);
void tls_session_free(struct ssl_st *s);

enum tls_io tls_read(struct ssl_st *s, void *buf, size_t n, size_t *done);
enum tls_io tls_write(struct ssl_st *s, const void *buf, size_t n,
		      size_t *done);
/* Decrypted bytes already inside OpenSSL: poll() will not say so. */
bool tls_pending(struct ssl_st *s);

#endif /* SIPREGD_TLS_H */
