/* SHA-256 (FIPS 180-4), for the hello's esent_sha256: small, portable, no CryptoAPI (whose
 * SHA-256 provider is missing on XP before SP3 and on 2000). */
#ifndef JETCONFORM_AGENT_SHA256_H
#define JETCONFORM_AGENT_SHA256_H

#include <stddef.h>

typedef struct sha256_ctx {
    unsigned int h[8];
    unsigned char block[64];
    size_t used;             /* bytes in block */
    unsigned long long bits; /* message length so far */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
void sha256_final(sha256_ctx *c, unsigned char digest[32]);
/* digest as 64 lowercase hex digits and a NUL */
void sha256_hex(const unsigned char digest[32], char out[65]);

#endif
