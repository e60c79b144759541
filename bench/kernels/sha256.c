/* SHA-256 (FIPS 180-4) of a deterministic buffer streamed through the hash many times.
 * Size: number of MiB hashed. */
#include <string.h>
#include "common.h"

typedef struct {
    uint32_t h[8];
    uint64_t length;
    unsigned char block[64];
    uint32_t used;
} sha256;

static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t *h, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
                      round_constants[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

static void sha256_init(sha256 *s)
{
    static const uint32_t initial[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    memcpy(s->h, initial, sizeof initial);
    s->length = 0;
    s->used = 0;
}

static void sha256_update(sha256 *s, const unsigned char *data, size_t length)
{
    s->length += length;
    if (s->used) {
        while (length && s->used < 64) {
            s->block[s->used++] = *data++;
            length--;
        }
        if (s->used < 64)
            return;
        compress(s->h, s->block);
        s->used = 0;
    }
    for (; length >= 64; data += 64, length -= 64)
        compress(s->h, data);
    memcpy(s->block, data, length);
    s->used = (uint32_t)length;
}

static void sha256_final(sha256 *s, unsigned char digest[32])
{
    uint64_t bits = s->length * 8;
    unsigned char pad = 0x80;
    sha256_update(s, &pad, 1);
    pad = 0;
    while (s->used != 56)
        sha256_update(s, &pad, 1);
    unsigned char tail[8];
    for (int i = 0; i < 8; i++)
        tail[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(s, tail, 8);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (unsigned char)(s->h[i] >> 24);
        digest[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
        digest[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
        digest[4 * i + 3] = (unsigned char)s->h[i];
    }
}

int main(int argc, char **argv)
{
    long mib = bench_size(argc, argv, 256);
    size_t size = 1 << 20;
    unsigned char *buffer = malloc(size);
    if (!buffer)
        return 1;
    bench_rng rng = { 7 };
    for (size_t i = 0; i < size; i++)
        buffer[i] = (unsigned char)(bench_next(&rng) >> 56);
    /* Self-test on the standard "abc" vector so a broken build cannot pass silently. */
    sha256 s;
    unsigned char digest[32];
    sha256_init(&s);
    sha256_update(&s, (const unsigned char *)"abc", 3);
    sha256_final(&s, digest);
    printf("sha256(abc) = ");
    for (int i = 0; i < 32; i++)
        printf("%02x", digest[i]);
    printf("\n");
    sha256_init(&s);
    for (long i = 0; i < mib; i++) {
        buffer[i % size] ^= (unsigned char)i;
        sha256_update(&s, buffer, size - (size_t)(i % 7));
    }
    sha256_final(&s, digest);
    printf("sha256 %ld MiB = ", mib);
    for (int i = 0; i < 32; i++)
        printf("%02x", digest[i]);
    printf("\n");
    free(buffer);
    return bench_finish();
}
