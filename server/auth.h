/*
 * motcua — auth: password hashing and random tokens (libsodium).
 *
 * Passwords are stored as crypto_pwhash_str strings (Argon2id); at most
 * two hashes run at once, since each may take 64 MiB. Tokens (session
 * cookies, API tokens) are 32 random bytes written as 43 base64url
 * characters; only their SHA-256 is stored, so a copy of the database
 * does not let anyone log in.
 *
 * Ownership: no allocation; outputs go into caller buffers.
 */
#ifndef MOTCUA_AUTH_H
#define MOTCUA_AUTH_H

#include <stddef.h>

#define AUTH_HASH_MAX 128	/* room for a crypto_pwhash_str string */
#define AUTH_TOKEN_LEN 43	/* characters of a token, without the NUL */

/* Initialise libsodium. 0 ok, -1 failure. Call once before threads. */
int auth_init(void);
/* Hash a password. ops/mem_kib: Argon2id cost. 0 ok, -1 (out of memory). */
int auth_hash_password(const char *password, int ops, int mem_kib,
		       char out[AUTH_HASH_MAX]);
/* 1 if password matches the stored hash, else 0. */
int auth_verify_password(const char *stored, const char *password);
/* NULL if acceptable, else why not (a static English message). */
const char *auth_password_problem(const char *password, int min_len);
/* A new random token and the SHA-256 of its text. */
void auth_new_token(char token[AUTH_TOKEN_LEN + 1], unsigned char hash[32]);
/* SHA-256 of a token's text. */
void auth_token_hash(const char *token, unsigned char hash[32]);

#endif
