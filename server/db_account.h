/*
 * motcua — db_account: staff accounts, sessions and API tokens.
 *
 * Writes take a struct txn (they run on the writer); reads take any
 * connection. A principal is only ever built from the database here:
 * account, role and agency come from the rows, never from a request.
 *
 * Ownership: rows are plain values copied into caller structs.
 */
#ifndef MOTCUA_DB_ACCOUNT_H
#define MOTCUA_DB_ACCOUNT_H

#include <stdint.h>

#include "error.h"
#include "principal.h"

struct db;
struct txn;

struct account_row {
	int64_t id;
	char username[64];
	char full_name[128];
	enum role role;
	int64_t agency_id;
	char agency_code[32];
	char agency_name[160];
	char password_hash[160];
	int pii_access;
	int disabled;
	int failed_logins;
	int64_t locked_until;
	int64_t created_at;
};

/* 1 found, 0 not, -1 error. */
int db_account_by_username(struct db *db, const char *username, struct account_row *out);
int db_account_by_id(struct db *db, int64_t id, struct account_row *out);
/* Every account, ordered by username: calls fn for each. */
int db_account_each(struct db *db, void (*fn)(const struct account_row *a, void *ctx), void *ctx);

/* Insert an account; *id gets its id. 409 "username_taken" if the name
 * exists. */
int db_account_insert(struct txn *t, const struct account_row *a, int64_t now,
		      int64_t *id, struct api_error *err);
int db_account_set_password(struct txn *t, int64_t id, const char *hash, struct api_error *err);
int db_account_set_disabled(struct txn *t, int64_t id, int disabled, struct api_error *err);
int db_account_update(struct txn *t, const struct account_row *a, struct api_error *err);
/* Record a failed login (locks the account for lock_seconds after
 * max_failures) or a successful one (clears the count). */
int db_account_login_result(struct txn *t, int64_t id, int ok, int64_t now,
			    int max_failures, int64_t lock_seconds, struct api_error *err);

/* Sessions and tokens, keyed by the SHA-256 of the secret. */
int db_session_insert(struct txn *t, const unsigned char hash[32], int64_t account_id,
		      int64_t now, int64_t expires_at, struct api_error *err);
int db_session_delete(struct txn *t, const unsigned char hash[32], struct api_error *err);
int db_session_delete_account(struct txn *t, int64_t account_id, struct api_error *err);
int db_session_touch(struct txn *t, const unsigned char hash[32], int64_t now, struct api_error *err);
/* The principal of a live session (not expired, not idle since
 * idle_before, account enabled). 1 found, 0 not, -1 error. */
int db_session_principal(struct db *db, const unsigned char hash[32], int64_t now,
			 int64_t idle_before, struct principal *out);
int db_token_insert(struct txn *t, const unsigned char hash[32], int64_t account_id,
		    const char *label, int64_t now, struct api_error *err);
/* The principal behind a live API token. 1 found, 0 not, -1 error. */
int db_token_principal(struct db *db, const unsigned char hash[32], struct principal *out);

/* ---- staff administration (api_admin) ---- */
/* Clear failed logins and any lock (an admin re-enables an account). */
int db_account_unlock(struct txn *t, int64_t id, struct api_error *err);
/* End every session of an account except the one whose hash is keep (a
 * user who changes their own password stays logged in where they are). */
int db_session_delete_others(struct txn *t, int64_t account_id, const unsigned char keep[32],
			     struct api_error *err);
/* The accounts of one agency, ordered by full name: calls fn for each. */
int db_account_each_at(struct db *db, int64_t agency_id,
		       void (*fn)(const struct account_row *a, void *ctx), void *ctx);

#endif
