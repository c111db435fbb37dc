/*
 * motcua — audit: canonical encoding and SHA-256 of history rows.
 */
#include "audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The canonical bytes go through a small buffer, so hashing a row is a
 * handful of SHA-256 updates rather than one per field. */
struct canon {
	crypto_hash_sha256_state st;
	size_t n;
	unsigned char b[512];
};

static void put_bytes(struct canon *c, const void *p, size_t len)
{
	if (c->n + len > sizeof(c->b)) {
		crypto_hash_sha256_update(&c->st, c->b, c->n);
		c->n = 0;
		if (len > sizeof(c->b)) {
			crypto_hash_sha256_update(&c->st, p, len);
			return;
		}
	}
	memcpy(c->b + c->n, p, len);
	c->n += len;
}

static void put_len(struct canon *c, uint32_t len)
{
	unsigned char b[4] = { (unsigned char)(len >> 24), (unsigned char)(len >> 16),
			       (unsigned char)(len >> 8), (unsigned char)len };
	put_bytes(c, b, 4);
}

static void put_str(struct canon *c, const char *s)
{
	if (!s) {
		put_len(c, 0xFFFFFFFFu);
		return;
	}
	size_t n = strlen(s);
	put_len(c, (uint32_t)n);
	put_bytes(c, s, n);
}

/* An integer as its decimal text (as "%" PRId64 writes it). */
static void put_int(struct canon *c, int64_t v)
{
	char num[24];
	char *p = num + sizeof(num);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	if (v == AUDIT_NULL) {
		put_len(c, 0xFFFFFFFFu);
		return;
	}
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	size_t n = (size_t)(num + sizeof(num) - p);
	put_len(c, (uint32_t)n);
	put_bytes(c, p, n);
}

void audit_hash(const struct audit_row *r, unsigned char out[AUDIT_HASH_LEN])
{
	static const char tag[] = "motcua-event-v1";
	struct canon c;
	c.n = 0;
	crypto_hash_sha256_init(&c.st);
	put_bytes(&c, tag, sizeof(tag) - 1);
	put_bytes(&c, r->prev_hash, AUDIT_HASH_LEN);
	put_int(&c, r->seq);
	put_int(&c, r->at);
	put_int(&c, r->dossier_id);
	put_str(&c, r->dossier_ref);
	put_str(&c, r->actor);
	put_str(&c, r->actor_role);
	put_str(&c, r->actor_agency);
	put_str(&c, r->action);
	put_int(&c, r->from_state);
	put_int(&c, r->to_state);
	put_int(&c, r->step);
	put_str(&c, r->clock);
	put_int(&c, r->due_at);
	put_str(&c, r->note);
	put_str(&c, r->data);
	crypto_hash_sha256_update(&c.st, c.b, c.n);
	crypto_hash_sha256_final(&c.st, out);
}

void audit_hex(const unsigned char h[AUDIT_HASH_LEN], char out[65])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < AUDIT_HASH_LEN; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[64] = '\0';
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int audit_unhex(const char *s, unsigned char out[AUDIT_HASH_LEN])
{
	if (strlen(s) != 64)
		return -1;
	for (int i = 0; i < AUDIT_HASH_LEN; i++) {
		int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
