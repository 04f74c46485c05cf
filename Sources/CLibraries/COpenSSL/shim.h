#ifndef LOA_COPENSSL_SHIM_H
#define LOA_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

/* Macros Swift cannot call, as functions. */
static inline long loa_ssl_set_server_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
static inline long loa_ssl_ctx_set_minimum_tls12(SSL_CTX *context) {
    return SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
}
/* A close without close_notify ends the body like a plain close: the HTTP framing
   (Content-Length, chunked) tells a cut answer, and what Loa fetches is signed or hashed. */
static inline void loa_ssl_ctx_ignore_unexpected_eof(SSL_CTX *context) {
    SSL_CTX_set_options(context, SSL_OP_IGNORE_UNEXPECTED_EOF);
}
#endif
