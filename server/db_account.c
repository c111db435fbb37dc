/*
 * motcua — db_account: accounts, sessions, API tokens.
 */
#include "db_account.h"

#include <string.h>

#include "db.h"
#include "util.h"
#include "writer.h"

/* Columns: a.id, username, full_name, role, agency_id, agency code, agency
 * name, password_hash, pii_access, disabled, failed_logins, locked_until,
 * created_at. */
#define ACCOUNT_COLUMNS \
	"a.id, a.username, a.full_name, a.role, a.agency_id, g.code, g.name," \
	" a.password_hash, a.pii_access, a.disabled, a.failed_logins, a.locked_until," \
	" a.created_at"

static void read_account(sqlite3_stmt *st, struct account_row *a)
{
	memset(a, 0, sizeof(*a));
	a->id = db_int(st, 0);
	strlcpy_(a->username, db_text(st, 1), sizeof(a->username));
	strlcpy_(a->full_name, db_text(st, 2), sizeof(a->full_name));
	if (role_parse(db_text(st, 3), &a->role) != 0)
		a->role = ROLE_AUDITOR;
	a->agency_id = db_int(st, 4);
	strlcpy_(a->agency_code, db_text(st, 5), sizeof(a->agency_code));
	strlcpy_(a->agency_name, db_text(st, 6), sizeof(a->agency_name));
	strlcpy_(a->password_hash, db_text(st, 7), sizeof(a->password_hash));
	a->pii_access = (int)db_int(st, 8);
	a->disabled = (int)db_int(st, 9);
	a->failed_logins = (int)db_int(st, 10);
	a->locked_until = db_int(st, 11);
	a->created_at = db_int(st, 12);
}

static int one_account(struct db *db, sqlite3_stmt *st, struct account_row *out)
{
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		read_account(st, out);
	db_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int db_account_by_username(struct db *db, const char *username, struct account_row *out)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " ACCOUNT_COLUMNS
		" FROM account a JOIN agency g ON g.id = a.agency_id WHERE a.username = ?1");
	db_bind_text(st, 1, username);
	return one_account(db, st, out);
}

int db_account_by_id(struct db *db, int64_t id, struct account_row *out)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " ACCOUNT_COLUMNS
		" FROM account a JOIN agency g ON g.id = a.agency_id WHERE a.id = ?1");
	db_bind_int(st, 1, id);
	return one_account(db, st, out);
}

int db_account_each(struct db *db, void (*fn)(const struct account_row *a, void *ctx), void *ctx)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " ACCOUNT_COLUMNS
		" FROM account a JOIN agency g ON g.id = a.agency_id ORDER BY a.username");
	struct account_row a;
	int rc;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		read_account(st, &a);
		fn(&a, ctx);
	}
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int done(struct txn *t, sqlite3_stmt *st, struct api_error *err)
{
	int rc = db_step(t->db, st);
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(t->db, rc, err);
}

int db_account_insert(struct txn *t, const struct account_row *a, int64_t now,
		      int64_t *id, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO account (username, full_name, role, agency_id, password_hash,"
		" pii_access, disabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	db_bind_text(st, 1, a->username);
	db_bind_text(st, 2, a->full_name);
	db_bind_text(st, 3, role_name(a->role));
	db_bind_int(st, 4, a->agency_id);
	db_bind_text(st, 5, a->password_hash);
	db_bind_int(st, 6, a->pii_access);
	db_bind_int(st, 7, a->disabled);
	db_bind_int(st, 8, now);
	int rc = db_step(t->db, st);
	db_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return api_error_set(err, 409, "username_taken", "username",
				     "The username \"%s\" is already taken.", a->username);
	if (rc != SQLITE_DONE)
		return db_fail(t->db, rc, err);
	*id = db_last_id(t->db);
	return 0;
}

int db_account_set_password(struct txn *t, int64_t id, const char *hash, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"UPDATE account SET password_hash = ?2, failed_logins = 0, locked_until = 0"
		" WHERE id = ?1");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, hash);
	return done(t, st, err);
}

int db_account_set_disabled(struct txn *t, int64_t id, int disabled, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db, "UPDATE account SET disabled = ?2 WHERE id = ?1");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, disabled);
	return done(t, st, err);
}

int db_account_update(struct txn *t, const struct account_row *a, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"UPDATE account SET full_name = ?2, role = ?3, agency_id = ?4, pii_access = ?5"
		" WHERE id = ?1");
	db_bind_int(st, 1, a->id);
	db_bind_text(st, 2, a->full_name);
	db_bind_text(st, 3, role_name(a->role));
	db_bind_int(st, 4, a->agency_id);
	db_bind_int(st, 5, a->pii_access);
	return done(t, st, err);
}

int db_account_login_result(struct txn *t, int64_t id, int ok, int64_t now,
			    int max_failures, int64_t lock_seconds, struct api_error *err)
{
	sqlite3_stmt *st;
	if (ok) {
		st = db_sql(t->db, "UPDATE account SET failed_logins = 0, locked_until = 0 WHERE id = ?1");
		db_bind_int(st, 1, id);
		return done(t, st, err);
	}
	st = db_sql(t->db,
		"UPDATE account SET failed_logins = failed_logins + 1,"
		" locked_until = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 ELSE locked_until END"
		" WHERE id = ?1");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, max_failures);
	db_bind_int(st, 3, now + lock_seconds);
	return done(t, st, err);
}

int db_session_insert(struct txn *t, const unsigned char hash[32], int64_t account_id,
		      int64_t now, int64_t expires_at, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO session (token_hash, account_id, created_at, seen_at, expires_at)"
		" VALUES (?1, ?2, ?3, ?3, ?4)");
	db_bind_blob(st, 1, hash, 32);
	db_bind_int(st, 2, account_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, expires_at);
	return done(t, st, err);
}

int db_session_delete(struct txn *t, const unsigned char hash[32], struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db, "DELETE FROM session WHERE token_hash = ?1");
	db_bind_blob(st, 1, hash, 32);
	return done(t, st, err);
}

int db_session_delete_account(struct txn *t, int64_t account_id, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db, "DELETE FROM session WHERE account_id = ?1");
	db_bind_int(st, 1, account_id);
	return done(t, st, err);
}

int db_session_touch(struct txn *t, const unsigned char hash[32], int64_t now, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"UPDATE session SET seen_at = ?2 WHERE token_hash = ?1 AND seen_at < ?2");
	db_bind_blob(st, 1, hash, 32);
	db_bind_int(st, 2, now);
	return done(t, st, err);
}

static void fill_principal(sqlite3_stmt *st, struct principal *p)
{
	memset(p, 0, sizeof(*p));
	p->account_id = db_int(st, 0);
	strlcpy_(p->username, db_text(st, 1), sizeof(p->username));
	strlcpy_(p->full_name, db_text(st, 2), sizeof(p->full_name));
	if (role_parse(db_text(st, 3), &p->role) != 0)
		p->role = ROLE_AUDITOR;
	p->agency_id = db_int(st, 4);
	strlcpy_(p->agency_code, db_text(st, 5), sizeof(p->agency_code));
	strlcpy_(p->agency_name, db_text(st, 6), sizeof(p->agency_name));
	p->pii_access = (int)db_int(st, 7);
}

int db_session_principal(struct db *db, const unsigned char hash[32], int64_t now,
			 int64_t idle_before, struct principal *out)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT a.id, a.username, a.full_name, a.role, a.agency_id, g.code, g.name,"
		" a.pii_access, s.seen_at"
		" FROM session s JOIN account a ON a.id = s.account_id"
		" JOIN agency g ON g.id = a.agency_id"
		" WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.seen_at >= ?3"
		" AND a.disabled = 0");
	db_bind_blob(st, 1, hash, 32);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, idle_before);
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW) {
		fill_principal(st, out);
		out->session_seen = db_int(st, 8);
		memcpy(out->session, hash, 32);
	}
	db_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int db_token_insert(struct txn *t, const unsigned char hash[32], int64_t account_id,
		    const char *label, int64_t now, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO api_token (token_hash, account_id, label, created_at)"
		" VALUES (?1, ?2, ?3, ?4)");
	db_bind_blob(st, 1, hash, 32);
	db_bind_int(st, 2, account_id);
	db_bind_text(st, 3, label);
	db_bind_int(st, 4, now);
	return done(t, st, err);
}

int db_token_principal(struct db *db, const unsigned char hash[32], struct principal *out)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT a.id, a.username, a.full_name, a.role, a.agency_id, g.code, g.name,"
		" a.pii_access"
		" FROM api_token t JOIN account a ON a.id = t.account_id"
		" JOIN agency g ON g.id = a.agency_id"
		" WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND a.disabled = 0");
	db_bind_blob(st, 1, hash, 32);
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW) {
		fill_principal(st, out);
		out->via_token = 1;
	}
	db_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- staff administration ------------------------------------------- */

int db_account_unlock(struct txn *t, int64_t id, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"UPDATE account SET failed_logins = 0, locked_until = 0 WHERE id = ?1");
	db_bind_int(st, 1, id);
	return done(t, st, err);
}

int db_session_delete_others(struct txn *t, int64_t account_id, const unsigned char keep[32],
			     struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"DELETE FROM session WHERE account_id = ?1 AND token_hash <> ?2");
	db_bind_int(st, 1, account_id);
	db_bind_blob(st, 2, keep, 32);
	return done(t, st, err);
}

int db_account_each_at(struct db *db, int64_t agency_id,
		       void (*fn)(const struct account_row *a, void *ctx), void *ctx)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " ACCOUNT_COLUMNS
		" FROM account a JOIN agency g ON g.id = a.agency_id WHERE a.agency_id = ?1"
		" ORDER BY a.full_name, a.username");
	struct account_row a;
	int rc;
	db_bind_int(st, 1, agency_id);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		read_account(st, &a);
		fn(&a, ctx);
	}
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
