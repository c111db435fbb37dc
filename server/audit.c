/*
 * motcua — audit: canonical encoding and SHA-256 of history rows.
 */
#include "audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void put_len(crypto_hash_sha256_state *st, uint32_t len)
{
	unsigned char b[4] = { (unsigned char)(len >> 24), (unsigned char)(len >> 16),
			       (unsigned char)(len >> 8), (unsigned char)len };
	crypto_hash_sha256_update(st, b, 4);
}

static void put_str(crypto_hash_sha256_state *st, const char *s)
{
	if (!s) {
		put_len(st, 0xFFFFFFFFu);
		return;
	}
	size_t n = strlen(s);
	put_len(st, (uint32_t)n);
	crypto_hash_sha256_update(st, (const unsigned char *)s, n);
}

static void put_int(crypto_hash_sha256_state *st, int64_t v)
{
	char num[24];
	if (v == AUDIT_NULL) {
		put_len(st, 0xFFFFFFFFu);
		return;
	}
	snprintf(num, sizeof(num), "%" PRId64, v);
	put_str(st, num);
}

void audit_hash(const struct audit_row *r, unsigned char out[AUDIT_HASH_LEN])
{
	static const char tag[] = "motcua-event-v1";
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)tag, sizeof(tag) - 1);
	crypto_hash_sha256_update(&st, r->prev_hash, AUDIT_HASH_LEN);
	put_int(&st, r->seq);
	put_int(&st, r->at);
	put_int(&st, r->dossier_id);
	put_str(&st, r->dossier_ref);
	put_str(&st, r->actor);
	put_str(&st, r->actor_role);
	put_str(&st, r->actor_agency);
	put_str(&st, r->action);
	put_int(&st, r->from_state);
	put_int(&st, r->to_state);
	put_int(&st, r->step);
	put_str(&st, r->clock);
	put_int(&st, r->due_at);
	put_str(&st, r->note);
	put_str(&st, r->data);
	crypto_hash_sha256_final(&st, out);
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
