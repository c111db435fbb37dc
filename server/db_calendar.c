/*
 * motcua — db_calendar: calendar_day rows.
 */
#include "db_calendar.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "util.h"
#include "writer.h"

static void read_row(sqlite3_stmt *st, struct calday_row *c)
{
	memset(c, 0, sizeof(*c));
	strlcpy_(c->day, db_text(st, 0), sizeof(c->day));
	c->working = (int)db_int(st, 1);
	strlcpy_(c->note, db_text(st, 2), sizeof(c->note));
	strlcpy_(c->kind, db_text(st, 3), sizeof(c->kind));
	strlcpy_(c->status, db_text(st, 4), sizeof(c->status));
	strlcpy_(c->source, db_text(st, 5), sizeof(c->source));
	c->updated_at = db_int(st, 6);
}

int db_calendar_year(struct db *db, int year, void (*fn)(const struct calday_row *c, void *ctx),
		     void *ctx)
{
	char from[11], to[11];
	struct calday_row c;
	int rc;
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	sqlite3_stmt *st = db_sql(db,
		"SELECT day, working, note, kind, status, source, updated_at FROM calendar_day"
		" WHERE day BETWEEN ?1 AND ?2 ORDER BY day");
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		read_row(st, &c);
		fn(&c, ctx);
	}
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_calendar_get(struct db *db, const char *day, struct calday_row *out)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT day, working, note, kind, status, source, updated_at FROM calendar_day"
		" WHERE day = ?1");
	db_bind_text(st, 1, day);
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		read_row(st, out);
	db_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int db_calendar_put(struct txn *t, const struct calday_row *c, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO calendar_day (day, working, note, kind, status, source, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT (day) DO UPDATE SET working = excluded.working, note = excluded.note,"
		" kind = excluded.kind, status = excluded.status, source = excluded.source,"
		" updated_at = excluded.updated_at");
	db_bind_text(st, 1, c->day);
	db_bind_int(st, 2, c->working);
	db_bind_text(st, 3, c->note);
	db_bind_text(st, 4, c->kind);
	db_bind_text(st, 5, c->status);
	db_bind_text(st, 6, c->source);
	db_bind_int(st, 7, c->updated_at);
	int rc = db_step(t->db, st);
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(t->db, rc, err);
}

int db_calendar_delete(struct txn *t, const char *day, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db, "DELETE FROM calendar_day WHERE day = ?1");
	db_bind_text(st, 1, day);
	int rc = db_step(t->db, st);
	db_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(t->db, rc, err);
	return db_changes(t->db) > 0 ? 1 : 0;
}
