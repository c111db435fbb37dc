/*
 * motcua — db_stats: writing and reading the stat table.
 */
#include "db_stats.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "writer.h"

static int upsert(struct txn *t, const struct stat_row *r, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO stat (kind, agency_id, procedure_id, grain, bucket, channel,"
		" received, resolved_early, resolved_on_time, resolved_late, stopped, withdrawn,"
		" ovd_in, ovd_out, work_seconds, extended, returned, fee_dossiers, paid_online,"
		" digitised, supplemented, step_early, step_on_time, step_late)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
		" ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)"
		" ON CONFLICT (kind, agency_id, procedure_id, grain, bucket, channel) DO UPDATE SET"
		" received = received + excluded.received,"
		" resolved_early = resolved_early + excluded.resolved_early,"
		" resolved_on_time = resolved_on_time + excluded.resolved_on_time,"
		" resolved_late = resolved_late + excluded.resolved_late,"
		" stopped = stopped + excluded.stopped,"
		" withdrawn = withdrawn + excluded.withdrawn,"
		" ovd_in = ovd_in + excluded.ovd_in,"
		" ovd_out = ovd_out + excluded.ovd_out,"
		" work_seconds = work_seconds + excluded.work_seconds,"
		" extended = extended + excluded.extended,"
		" returned = returned + excluded.returned,"
		" fee_dossiers = fee_dossiers + excluded.fee_dossiers,"
		" paid_online = paid_online + excluded.paid_online,"
		" digitised = digitised + excluded.digitised,"
		" supplemented = supplemented + excluded.supplemented,"
		" step_early = step_early + excluded.step_early,"
		" step_on_time = step_on_time + excluded.step_on_time,"
		" step_late = step_late + excluded.step_late");
	db_bind_int(st, 1, r->kind);
	db_bind_int(st, 2, r->agency_id);
	db_bind_int(st, 3, r->procedure_id);
	db_bind_int(st, 4, r->grain);
	db_bind_int(st, 5, r->bucket);
	db_bind_int(st, 6, r->channel);
	for (int c = 0; c < SC__MAX; c++)
		db_bind_int(st, 7 + c, r->v[c]);
	int rc = db_step(t->db, st);
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(t->db, rc, err);
}

int db_stats_add_states(struct txn *t, const int64_t d[11], struct api_error *err)
{
	for (int s = 1; s <= 10; s++) {
		if (!d[s])
			continue;
		sqlite3_stmt *st = db_sql(t->db,
			"INSERT INTO state_count (state, n) VALUES (?1, ?2)"
			" ON CONFLICT (state) DO UPDATE SET n = n + excluded.n");
		db_bind_int(st, 1, s);
		db_bind_int(st, 2, d[s]);
		int rc = db_step(t->db, st);
		db_reset(st);
		if (rc != SQLITE_DONE)
			return db_fail(t->db, rc, err);
	}
	return 0;
}

int db_stats_flush(struct txn *t, struct api_error *err)
{
	struct stat_row *rows = NULL;
	int64_t d[11];
	size_t n = stats_acc_rows(t->stats, &rows);
	stats_acc_states(t->stats, d);
	int rc = db_stats_add_states(t, d, err);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = upsert(t, &rows[i], err);
	free(rows);
	return rc;
}

int db_stats_states(struct db *db, int64_t out[11])
{
	sqlite3_stmt *st = db_sql(db, "SELECT state, n FROM state_count");
	int rc;
	memset(out, 0, 11 * sizeof(*out));
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		int s = (int)db_int(st, 0);
		if (s >= 1 && s <= 10)
			out[s] = db_int(st, 1);
	}
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_stats_states_counted(struct db *db, int64_t out[11])
{
	sqlite3_stmt *st = db_sql(db, "SELECT state, count(*) FROM dossier GROUP BY state");
	int rc;
	memset(out, 0, 11 * sizeof(*out));
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		int s = (int)db_int(st, 0);
		if (s >= 1 && s <= 10)
			out[s] = db_int(st, 1);
	}
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_stats_put(struct txn *t, const struct stat_row *r, struct api_error *err)
{
	return upsert(t, r, err);
}

int db_stats_clear(struct txn *t, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db, "DELETE FROM stat");
	int rc = db_step(t->db, st);
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(t->db, rc, err);
}

int db_stats_range(struct db *db, int kind, int grain, int32_t from, int32_t to,
		   int64_t agency_id, int64_t procedure_id,
		   void (*fn)(const struct stat_row *r, void *ctx), void *ctx)
{
	sqlite3_stmt *st;
	struct stat_row r;
	int rc;
	/* Drive the seeks from the agency or procedure list so each one reads
	 * one contiguous range of the primary key. */
	if (agency_id || procedure_id || kind == 0)
		st = db_sql(db,
			"SELECT kind, agency_id, procedure_id, grain, bucket, channel,"
			" received, resolved_early, resolved_on_time, resolved_late, stopped, withdrawn,"
			" ovd_in, ovd_out, work_seconds, extended, returned, fee_dossiers, paid_online,"
			" digitised, supplemented, step_early, step_on_time, step_late"
			" FROM stat WHERE kind = ?1 AND agency_id = ?5 AND (?6 = 0 OR procedure_id = ?6)"
			" AND grain = ?2 AND bucket BETWEEN ?3 AND ?4");
	else if (kind == 1)
		st = db_sql(db,
			"SELECT s.kind, s.agency_id, s.procedure_id, s.grain, s.bucket, s.channel,"
			" s.received, s.resolved_early, s.resolved_on_time, s.resolved_late, s.stopped,"
			" s.withdrawn, s.ovd_in, s.ovd_out, s.work_seconds, s.extended, s.returned,"
			" s.fee_dossiers, s.paid_online, s.digitised, s.supplemented, s.step_early,"
			" s.step_on_time, s.step_late"
			" FROM agency a JOIN stat s ON s.kind = ?1 AND s.agency_id = a.id"
			" AND s.procedure_id = 0 AND s.grain = ?2 AND s.bucket BETWEEN ?3 AND ?4"
			" WHERE ?5 = 0 AND ?6 = 0");
	else
		st = db_sql(db,
			"SELECT s.kind, s.agency_id, s.procedure_id, s.grain, s.bucket, s.channel,"
			" s.received, s.resolved_early, s.resolved_on_time, s.resolved_late, s.stopped,"
			" s.withdrawn, s.ovd_in, s.ovd_out, s.work_seconds, s.extended, s.returned,"
			" s.fee_dossiers, s.paid_online, s.digitised, s.supplemented, s.step_early,"
			" s.step_on_time, s.step_late"
			" FROM procedure p JOIN stat s ON s.kind = ?1 AND s.agency_id = 0"
			" AND s.procedure_id = p.id AND s.grain = ?2 AND s.bucket BETWEEN ?3 AND ?4"
			" WHERE ?5 = 0 AND ?6 = 0");
	db_bind_int(st, 1, kind);
	db_bind_int(st, 2, grain);
	db_bind_int(st, 3, from);
	db_bind_int(st, 4, to);
	db_bind_int(st, 5, kind == 2 ? 0 : agency_id);
	db_bind_int(st, 6, procedure_id);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		r.kind = (int)db_int(st, 0);
		r.agency_id = db_int(st, 1);
		r.procedure_id = db_int(st, 2);
		r.grain = (int)db_int(st, 3);
		r.bucket = (int32_t)db_int(st, 4);
		r.channel = (int)db_int(st, 5);
		for (int c = 0; c < SC__MAX; c++)
			r.v[c] = db_int(st, 6 + c);
		fn(&r, ctx);
	}
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_stats_all(struct db *db, void (*fn)(const struct stat_row *r, void *ctx), void *ctx)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT kind, agency_id, procedure_id, grain, bucket, channel,"
		" received, resolved_early, resolved_on_time, resolved_late, stopped, withdrawn,"
		" ovd_in, ovd_out, work_seconds, extended, returned, fee_dossiers, paid_online,"
		" digitised, supplemented, step_early, step_on_time, step_late"
		" FROM stat ORDER BY kind, agency_id, procedure_id, grain, bucket, channel");
	struct stat_row r;
	int rc;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		r.kind = (int)db_int(st, 0);
		r.agency_id = db_int(st, 1);
		r.procedure_id = db_int(st, 2);
		r.grain = (int)db_int(st, 3);
		r.bucket = (int32_t)db_int(st, 4);
		r.channel = (int)db_int(st, 5);
		for (int c = 0; c < SC__MAX; c++)
			r.v[c] = db_int(st, 6 + c);
		fn(&r, ctx);
	}
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
