/*
 * motcua — auth: Argon2id password hashes and random tokens.
 */
#include "auth.h"

#include <semaphore.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "json.h"

static sem_t hashing;	/* at most two Argon2id computations at once */

int auth_init(void)
{
	if (sodium_init() < 0)
		return -1;
	sem_init(&hashing, 0, 2);
	return 0;
}

int auth_hash_password(const char *password, int ops, int mem_kib, char out[AUTH_HASH_MAX])
{
	sem_wait(&hashing);
	int rc = crypto_pwhash_str(out, password, strlen(password), (unsigned long long)ops,
				   (size_t)mem_kib * 1024);
	sem_post(&hashing);
	return rc == 0 ? 0 : -1;
}

int auth_verify_password(const char *stored, const char *password)
{
	sem_wait(&hashing);
	int ok = crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
	sem_post(&hashing);
	return ok;
}

/* The commonest passwords people still choose; a full list would be a
 * data file, these catch the worst. */
static const char *const weak[] = {
	"12345678", "123456789", "1234567890", "password", "password1", "11111111",
	"00000000", "88888888", "abc12345", "qwertyui", "iloveyou", "matkhau1",
	"matkhau123", "admin123", "12341234", "87654321", "abcd1234", "motcua123",
	NULL
};

const char *auth_password_problem(const char *password, int min_len)
{
	size_t chars = json_utf8_chars(password);
	if (!json_utf8_valid(password, strlen(password)))
		return "the password is not valid UTF-8";
	if (chars < (size_t)min_len)
		return "the password is too short";
	if (chars > 128)
		return "the password is longer than 128 characters";
	for (int i = 0; weak[i]; i++)
		if (strcasecmp(password, weak[i]) == 0)
			return "this password is too common; choose another";
	return NULL;
}

void auth_new_token(char token[AUTH_TOKEN_LEN + 1], unsigned char hash[32])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	auth_token_hash(token, hash);
}

void auth_token_hash(const char *token, unsigned char hash[32])
{
	crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
}
