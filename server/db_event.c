/*
 * motcua — db_event: the history table.
 */
#include "db_event.h"

#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "db.h"
#include "principal.h"
#include "util.h"
#include "writer.h"

void db_event_actor(struct event_rec *e, const struct principal *p)
{
	e->actor = p->username;
	e->actor_role = role_name(p->role);
	e->actor_agency = p->agency_code;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static int insert_row(struct txn *t, const struct event_rec *e, const struct audit_row *row,
		      const unsigned char hash[AUDIT_HASH_LEN], struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO event (seq, at, dossier_id, dossier_ref, actor, actor_role,"
		" actor_agency, action, from_state, to_state, step, clock, due_at, note, data,"
		" prev_hash, hash)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
	db_bind_int(st, 1, row->seq);
	db_bind_int(st, 2, row->at);
	db_bind_int_or_null(st, 3, e->dossier_id);
	db_bind_text(st, 4, row->dossier_ref);
	db_bind_text(st, 5, row->actor);
	db_bind_text(st, 6, row->actor_role);
	db_bind_text(st, 7, row->actor_agency);
	db_bind_text(st, 8, row->action);
	db_bind_int_or_null(st, 9, e->from_state);
	db_bind_int_or_null(st, 10, e->to_state);
	if (e->step >= 0)
		db_bind_int(st, 11, e->step);
	else
		db_bind_null(st, 11);
	db_bind_text(st, 12, row->clock);
	db_bind_int_or_null(st, 13, e->due_at);
	db_bind_text(st, 14, row->note);
	db_bind_text(st, 15, row->data);
	db_bind_blob(st, 16, row->prev_hash, AUDIT_HASH_LEN);
	db_bind_blob(st, 17, hash, AUDIT_HASH_LEN);
	int rc = db_step(t->db, st);
	db_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(t->db, rc, err);
	t->seq = row->seq;
	memcpy(t->hash, hash, AUDIT_HASH_LEN);
	return 0;
}

/* The canonical row of e, chained after prev at seq. */
static void row_of(const struct event_rec *e, int64_t seq, const unsigned char prev[AUDIT_HASH_LEN],
		   struct audit_row *row)
{
	memset(row, 0, sizeof(*row));
	row->seq = seq;
	row->at = e->at;
	row->dossier_id = e->dossier_id ? e->dossier_id : AUDIT_NULL;
	row->dossier_ref = or_empty(e->dossier_ref);
	row->actor = or_empty(e->actor);
	row->actor_role = or_empty(e->actor_role);
	row->actor_agency = or_empty(e->actor_agency);
	row->action = e->action;
	row->from_state = e->from_state ? e->from_state : AUDIT_NULL;
	row->to_state = e->to_state ? e->to_state : AUDIT_NULL;
	row->step = e->step >= 0 ? e->step : AUDIT_NULL;
	row->clock = or_empty(e->clock);
	row->due_at = e->due_at ? e->due_at : AUDIT_NULL;
	row->note = or_empty(e->note);
	row->data = or_empty(e->data);
	memcpy(row->prev_hash, prev, AUDIT_HASH_LEN);
}

int db_event_append(struct txn *t, const struct event_rec *e, struct api_error *err)
{
	struct audit_row row;
	unsigned char hash[AUDIT_HASH_LEN];
	row_of(e, t->seq + 1, t->hash, &row);
	audit_hash(&row, hash);
	if (!t->cap)
		return insert_row(t, e, &row, hash, err);
	/* Chained here, stored by the writer (db_event_store). */
	capture_event(t->cap, e, row.seq, row.prev_hash, hash);
	t->seq = row.seq;
	memcpy(t->hash, hash, AUDIT_HASH_LEN);
	return 0;
}

int db_event_store(struct txn *t, const struct event_rec *e, int64_t seq,
		   const unsigned char prev[AUDIT_HASH_LEN], const unsigned char hash[AUDIT_HASH_LEN],
		   struct api_error *err)
{
	struct audit_row row;
	if (seq != t->seq + 1 || memcmp(prev, t->hash, AUDIT_HASH_LEN) != 0)
		return api_error_set(err, 500, "internal_error", NULL,
				     "History row %lld does not follow the chain's head.", (long long)seq);
	row_of(e, seq, prev, &row);
	return insert_row(t, e, &row, hash, err);
}

void db_event_row_release(struct event_row *r)
{
	free(r->dossier_ref);
	free(r->actor);
	free(r->actor_role);
	free(r->actor_agency);
	free(r->action);
	free(r->clock);
	free(r->note);
	free(r->data);
	memset(r, 0, sizeof(*r));
}

static void copy_blob(sqlite3_stmt *st, int col, unsigned char out[AUDIT_HASH_LEN])
{
	memset(out, 0, AUDIT_HASH_LEN);
	if (sqlite3_column_bytes(st, col) == AUDIT_HASH_LEN)
		memcpy(out, sqlite3_column_blob(st, col), AUDIT_HASH_LEN);
}

/* Columns in the order both readers select them. */
static void read_row(sqlite3_stmt *st, struct event_row *r)
{
	r->seq = db_int(st, 0);
	r->at = db_int(st, 1);
	r->dossier_id = db_int(st, 2);
	r->dossier_ref = db_dup(st, 3);
	r->actor = db_dup(st, 4);
	r->actor_role = db_dup(st, 5);
	r->actor_agency = db_dup(st, 6);
	r->action = db_dup(st, 7);
	r->from_state = (int)db_int(st, 8);
	r->to_state = (int)db_int(st, 9);
	r->step = db_is_null(st, 10) ? -1 : (int)db_int(st, 10);
	r->clock = db_dup(st, 11);
	r->due_at = db_int(st, 12);
	r->note = db_dup(st, 13);
	r->data = db_dup(st, 14);
	copy_blob(st, 15, r->prev_hash);
	copy_blob(st, 16, r->hash);
}

int db_event_list(struct db *db, int64_t dossier_id, struct event_row **rows, int *count)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT seq, at, dossier_id, dossier_ref, actor, actor_role, actor_agency, action,"
		" from_state, to_state, step, clock, due_at, note, data, prev_hash, hash"
		" FROM event WHERE dossier_id = ?1 ORDER BY seq");
	struct event_row *out = NULL;
	int n = 0, cap = 0, rc;
	db_bind_int(st, 1, dossier_id);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			out = xrealloc(out, (size_t)cap * sizeof(*out));
		}
		read_row(st, &out[n++]);
	}
	db_reset(st);
	if (rc != SQLITE_DONE) {
		for (int i = 0; i < n; i++)
			db_event_row_release(&out[i]);
		free(out);
		return -1;
	}
	*rows = out;
	*count = n;
	return 0;
}

int db_event_replay(struct db *db, int (*fn)(const struct event_replay *e, void *ctx), void *ctx)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT e.dossier_id, e.seq, e.at, e.action, e.to_state, e.clock, e.due_at, e.data,"
		" d.lead_agency_id, d.receiving_agency_id, d.procedure_id, d.channel"
		" FROM event e JOIN dossier d ON d.id = e.dossier_id"
		" WHERE e.dossier_id IS NOT NULL ORDER BY e.dossier_id, e.seq");
	struct event_replay ev;
	int rc, stop = 0;
	while (!stop && (rc = db_step(db, st)) == SQLITE_ROW) {
		ev.dossier_id = db_int(st, 0);
		ev.seq = db_int(st, 1);
		ev.at = db_int(st, 2);
		ev.action = db_text(st, 3);
		ev.to_state = (int)db_int(st, 4);
		ev.clock = db_text(st, 5);
		ev.due_at = db_int(st, 6);
		ev.data = db_text(st, 7);
		ev.lead_agency_id = db_int(st, 8);
		ev.receiving_agency_id = db_int(st, 9);
		ev.procedure_id = db_int(st, 10);
		ev.channel = db_text(st, 11);
		stop = fn(&ev, ctx);
	}
	if (stop)
		rc = SQLITE_DONE;
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_event_list_ref(struct db *db, const char *ref, struct event_row **rows, int *count)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT seq, at, dossier_id, dossier_ref, actor, actor_role, actor_agency, action,"
		" from_state, to_state, step, clock, due_at, note, data, prev_hash, hash"
		" FROM event WHERE dossier_ref = ?1 AND dossier_id IS NULL ORDER BY seq");
	struct event_row *out = NULL;
	int n = 0, cap = 0, rc;
	db_bind_text(st, 1, ref);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (n == cap)
			out = xrealloc(out, (size_t)(cap = cap ? cap * 2 : 8) * sizeof(*out));
		read_row(st, &out[n++]);
	}
	db_reset(st);
	if (rc != SQLITE_DONE) {
		for (int i = 0; i < n; i++)
			db_event_row_release(&out[i]);
		free(out);
		return -1;
	}
	*rows = out;
	*count = n;
	return 0;
}

int db_event_scan(struct db *db, int64_t after, int64_t until,
		  int (*fn)(const struct event_row *row, void *ctx), void *ctx)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT seq, at, dossier_id, dossier_ref, actor, actor_role, actor_agency, action,"
		" from_state, to_state, step, clock, due_at, note, data, prev_hash, hash"
		" FROM event WHERE seq > ?1 AND seq <= ?2 ORDER BY seq");
	struct event_row row;
	int rc, stop = 0;
	db_bind_int(st, 1, after);
	db_bind_int(st, 2, until);
	while (!stop && (rc = db_step(db, st)) == SQLITE_ROW) {
		read_row(st, &row);
		stop = fn(&row, ctx);
		db_event_row_release(&row);
	}
	if (stop)
		rc = SQLITE_DONE;
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
