/*
 * motcua — db_catalog: agencies, fields, procedures, steps, checklists.
 */
#include "db_catalog.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "text.h"
#include "util.h"
#include "writer.h"

static int finish(struct txn *t, sqlite3_stmt *st, struct api_error *err)
{
	int rc = db_step(t->db, st);
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(t->db, rc, err);
}

static const char *null_if_empty(const char *s)
{
	return s && *s ? s : NULL;
}

/* ---- agencies ------------------------------------------------------- */

int db_agency_upsert(struct txn *t, const struct agency_row *a, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO agency (code, name, level, parent_id, valid_from, valid_to,"
		" code_status, note)"
		" VALUES (?1, ?2, ?3, (SELECT id FROM agency WHERE code = ?4), ?5, ?6, ?7, ?8)"
		" ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,"
		" parent_id = excluded.parent_id, valid_from = excluded.valid_from,"
		" valid_to = excluded.valid_to, code_status = excluded.code_status,"
		" note = excluded.note");
	db_bind_text(st, 1, a->code);
	db_bind_text(st, 2, a->name);
	db_bind_text(st, 3, a->level);
	db_bind_text(st, 4, null_if_empty(a->parent_code));
	db_bind_text(st, 5, null_if_empty(a->valid_from));
	db_bind_text(st, 6, null_if_empty(a->valid_to));
	db_bind_text(st, 7, a->code_status);
	db_bind_text(st, 8, a->note);
	return finish(t, st, err);
}

#define AGENCY_COLUMNS \
	"a.id, a.code, a.name, a.level, a.parent_id, p.code, a.valid_from, a.valid_to," \
	" a.code_status, a.note"

static void read_agency(sqlite3_stmt *st, struct agency_row *a)
{
	memset(a, 0, sizeof(*a));
	a->id = db_int(st, 0);
	strlcpy_(a->code, db_text(st, 1), sizeof(a->code));
	strlcpy_(a->name, db_text(st, 2), sizeof(a->name));
	strlcpy_(a->level, db_text(st, 3), sizeof(a->level));
	a->parent_id = db_int(st, 4);
	strlcpy_(a->parent_code, db_text(st, 5), sizeof(a->parent_code));
	strlcpy_(a->valid_from, db_text(st, 6), sizeof(a->valid_from));
	strlcpy_(a->valid_to, db_text(st, 7), sizeof(a->valid_to));
	strlcpy_(a->code_status, db_text(st, 8), sizeof(a->code_status));
	strlcpy_(a->note, db_text(st, 9), sizeof(a->note));
}

static int one(struct db *db, sqlite3_stmt *st, void (*read)(sqlite3_stmt *, void *), void *out)
{
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		read(st, out);
	db_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static void read_agency_v(sqlite3_stmt *st, void *out)
{
	read_agency(st, out);
}

int db_agency_by_code(struct db *db, const char *code, struct agency_row *out)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " AGENCY_COLUMNS
		" FROM agency a LEFT JOIN agency p ON p.id = a.parent_id WHERE a.code = ?1");
	db_bind_text(st, 1, code);
	return one(db, st, read_agency_v, out);
}

int db_agency_by_id(struct db *db, int64_t id, struct agency_row *out)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " AGENCY_COLUMNS
		" FROM agency a LEFT JOIN agency p ON p.id = a.parent_id WHERE a.id = ?1");
	db_bind_int(st, 1, id);
	return one(db, st, read_agency_v, out);
}

int db_agency_each(struct db *db, void (*fn)(const struct agency_row *a, void *ctx), void *ctx)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " AGENCY_COLUMNS
		" FROM agency a LEFT JOIN agency p ON p.id = a.parent_id"
		" ORDER BY CASE a.level WHEN 'province' THEN 0 WHEN 'department' THEN 1"
		" WHEN 'district' THEN 2 ELSE 3 END, a.code");
	struct agency_row a;
	int rc;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		read_agency(st, &a);
		fn(&a, ctx);
	}
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_agency_within(struct db *db, int64_t agency, int64_t root)
{
	sqlite3_stmt *st = db_sql(db,
		"WITH RECURSIVE up(id) AS (SELECT ?1 UNION ALL"
		" SELECT a.parent_id FROM agency a JOIN up ON a.id = up.id"
		" WHERE a.parent_id IS NOT NULL)"
		" SELECT 1 FROM up WHERE id = ?2 LIMIT 1");
	db_bind_int(st, 1, agency);
	db_bind_int(st, 2, root);
	int rc = db_step(db, st);
	db_reset(st);
	return rc == SQLITE_ROW;
}

/* ---- fields --------------------------------------------------------- */

int db_field_ensure(struct txn *t, const char *name, int64_t *id, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO field (name) VALUES (?1) ON CONFLICT (name) DO UPDATE SET name = name"
		" RETURNING id");
	db_bind_text(st, 1, name);
	int rc = db_step(t->db, st);
	if (rc == SQLITE_ROW)
		*id = db_int(st, 0);
	db_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(t->db, rc, err);
}

/* ---- procedures ----------------------------------------------------- */

int db_procedure_upsert(struct txn *t, const struct procedure_row *p, int64_t field_id,
			int64_t *id, struct api_error *err)
{
	struct buf key = BUF_INIT;
	text_fold(p->name, &key);
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO procedure (code, name, field_id, level, agency_id, limit_value,"
		" limit_unit, online_limit_value, online_limit_unit, fee_vnd, online_level,"
		" legal_basis, note, active, name_key)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
		" ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
		" field_id = excluded.field_id, level = excluded.level,"
		" agency_id = excluded.agency_id, limit_value = excluded.limit_value,"
		" limit_unit = excluded.limit_unit, online_limit_value = excluded.online_limit_value,"
		" online_limit_unit = excluded.online_limit_unit, fee_vnd = excluded.fee_vnd,"
		" online_level = excluded.online_level, legal_basis = excluded.legal_basis,"
		" note = excluded.note, active = excluded.active, name_key = excluded.name_key"
		" RETURNING id");
	db_bind_text(st, 1, p->code);
	db_bind_text(st, 2, p->name);
	db_bind_int(st, 3, field_id);
	db_bind_text(st, 4, p->level);
	db_bind_int_or_null(st, 5, p->agency_id);
	db_bind_int(st, 6, p->limit_value);
	db_bind_text(st, 7, p->limit_unit);
	if (p->online_limit_value >= 0) {
		db_bind_int(st, 8, p->online_limit_value);
		db_bind_text(st, 9, p->online_limit_unit);
	}
	if (p->fee_vnd >= 0)
		db_bind_int(st, 10, p->fee_vnd);
	db_bind_text(st, 11, p->online_level);
	db_bind_text(st, 12, p->legal_basis);
	db_bind_text(st, 13, p->note);
	db_bind_int(st, 14, p->active);
	db_bind_text(st, 15, buf_cstr(&key));
	int rc = db_step(t->db, st);
	if (rc == SQLITE_ROW)
		*id = db_int(st, 0);
	db_reset(st);
	buf_release(&key);
	return rc == SQLITE_ROW ? 0 : db_fail(t->db, rc, err);
}

#define PROCEDURE_COLUMNS \
	"p.id, p.code, p.name, f.name, p.level, p.agency_id, a.code, a.name, p.limit_value," \
	" p.limit_unit, p.online_limit_value, p.online_limit_unit, p.fee_vnd, p.online_level," \
	" p.legal_basis, p.note, p.active," \
	" (SELECT count(*) FROM procedure_step s WHERE s.procedure_id = p.id)"
#define PROCEDURE_FROM \
	" FROM procedure p JOIN field f ON f.id = p.field_id" \
	" LEFT JOIN agency a ON a.id = p.agency_id"

static void read_procedure(sqlite3_stmt *st, void *out)
{
	struct procedure_row *p = out;
	memset(p, 0, sizeof(*p));
	p->id = db_int(st, 0);
	strlcpy_(p->code, db_text(st, 1), sizeof(p->code));
	strlcpy_(p->name, db_text(st, 2), sizeof(p->name));
	strlcpy_(p->field, db_text(st, 3), sizeof(p->field));
	strlcpy_(p->level, db_text(st, 4), sizeof(p->level));
	p->agency_id = db_int(st, 5);
	strlcpy_(p->agency_code, db_text(st, 6), sizeof(p->agency_code));
	strlcpy_(p->agency_name, db_text(st, 7), sizeof(p->agency_name));
	p->limit_value = (int)db_int(st, 8);
	strlcpy_(p->limit_unit, db_text(st, 9), sizeof(p->limit_unit));
	p->online_limit_value = db_is_null(st, 10) ? -1 : (int)db_int(st, 10);
	strlcpy_(p->online_limit_unit, db_text(st, 11), sizeof(p->online_limit_unit));
	p->fee_vnd = db_is_null(st, 12) ? -1 : db_int(st, 12);
	strlcpy_(p->online_level, db_text(st, 13), sizeof(p->online_level));
	strlcpy_(p->legal_basis, db_text(st, 14), sizeof(p->legal_basis));
	strlcpy_(p->note, db_text(st, 15), sizeof(p->note));
	p->active = (int)db_int(st, 16);
	p->steps = (int)db_int(st, 17);
}

int db_procedure_by_code(struct db *db, const char *code, struct procedure_row *out)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " PROCEDURE_COLUMNS PROCEDURE_FROM
		" WHERE p.code = ?1");
	db_bind_text(st, 1, code);
	return one(db, st, read_procedure, out);
}

int db_procedure_by_id(struct db *db, int64_t id, struct procedure_row *out)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " PROCEDURE_COLUMNS PROCEDURE_FROM
		" WHERE p.id = ?1");
	db_bind_int(st, 1, id);
	return one(db, st, read_procedure, out);
}

/* 1 if every space-separated word of the folded query occurs in the
 * folded name (in any order). */
static int words_match(const char *name_key, const char *query_key)
{
	char word[128];
	const char *p = query_key;
	while (*p) {
		size_t len = strcspn(p, " ");
		if (len && len < sizeof(word)) {
			memcpy(word, p, len);
			word[len] = '\0';
			if (!strstr(name_key, word))
				return 0;
		}
		p += len;
		p += strspn(p, " ");
	}
	return 1;
}

int db_procedure_search(struct db *db, const char *q, const char *level, int limit,
			void (*fn)(const struct procedure_row *p, void *ctx), void *ctx)
{
	struct buf key = BUF_INIT;
	struct procedure_row *p = xmalloc(sizeof(*p));
	int rc, found = 0;
	text_fold(q ? q : "", &key);
	const char *k = buf_cstr(&key);
	/* A catalogue has hundreds to a few thousand procedures: reading them
	 * in code order and matching words here is simpler than SQL and fast
	 * enough. Codes that start with the query come first. */
	for (int pass = 0; pass < 2 && found < limit; pass++) {
		sqlite3_stmt *st = db_sql(db, "SELECT " PROCEDURE_COLUMNS ", p.name_key" PROCEDURE_FROM
			" WHERE p.active = 1 AND (?1 = '' OR p.level = ?1) ORDER BY p.code");
		db_bind_text(st, 1, level ? level : "");
		while (found < limit && (rc = db_step(db, st)) == SQLITE_ROW) {
			int by_code = *k && str_starts(db_text(st, 1), k);
			int hit = pass == 0 ? (by_code || !*k) : (!by_code && *k && words_match(db_text(st, 18), k));
			if (!hit)
				continue;
			read_procedure(st, p);
			fn(p, ctx);
			found++;
		}
		db_reset(st);
		if (!*k)
			break;
	}
	buf_release(&key);
	free(p);
	return 0;
}

int db_procedure_set_limits(struct txn *t, const struct procedure_row *p, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"UPDATE procedure SET limit_value = ?2, limit_unit = ?3, online_limit_value = ?4,"
		" online_limit_unit = ?5, fee_vnd = ?6, online_level = ?7, active = ?8"
		" WHERE id = ?1");
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, p->limit_value);
	db_bind_text(st, 3, p->limit_unit);
	if (p->online_limit_value >= 0) {
		db_bind_int(st, 4, p->online_limit_value);
		db_bind_text(st, 5, p->online_limit_unit);
	}
	if (p->fee_vnd >= 0)
		db_bind_int(st, 6, p->fee_vnd);
	db_bind_text(st, 7, p->online_level);
	db_bind_int(st, 8, p->active);
	return finish(t, st, err);
}

/* ---- steps and checklists ------------------------------------------- */

int db_step_replace(struct txn *t, int64_t procedure_id, const struct step_row *steps,
		    int n, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db, "DELETE FROM procedure_step WHERE procedure_id = ?1");
	db_bind_int(st, 1, procedure_id);
	if (finish(t, st, err) != 0)
		return -1;
	for (int i = 0; i < n; i++) {
		st = db_sql(t->db,
			"INSERT INTO procedure_step (procedure_id, seq, agency_id, task, work_hours)"
			" VALUES (?1, ?2, ?3, ?4, ?5)");
		db_bind_int(st, 1, procedure_id);
		db_bind_int(st, 2, i + 1);
		db_bind_int_or_null(st, 3, steps[i].agency_id);
		db_bind_text(st, 4, steps[i].task);
		db_bind_int(st, 5, steps[i].work_hours);
		if (finish(t, st, err) != 0)
			return -1;
	}
	return 0;
}

int db_step_list(struct db *db, int64_t procedure_id, struct step_row *out, int max)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT s.seq, s.agency_id, a.code, a.name, s.task, s.work_hours"
		" FROM procedure_step s LEFT JOIN agency a ON a.id = s.agency_id"
		" WHERE s.procedure_id = ?1 ORDER BY s.seq");
	int n = 0, rc;
	db_bind_int(st, 1, procedure_id);
	while ((rc = db_step(db, st)) == SQLITE_ROW && n < max) {
		struct step_row *s = &out[n++];
		memset(s, 0, sizeof(*s));
		s->seq = (int)db_int(st, 0);
		s->agency_id = db_int(st, 1);
		strlcpy_(s->agency_code, db_text(st, 2), sizeof(s->agency_code));
		strlcpy_(s->agency_name, db_text(st, 3), sizeof(s->agency_name));
		strlcpy_(s->task, db_text(st, 4), sizeof(s->task));
		s->work_hours = (int)db_int(st, 5);
	}
	db_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : -1;
}

int db_document_replace(struct txn *t, int64_t procedure_id, const struct document_row *docs,
			int n, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db, "DELETE FROM procedure_document WHERE procedure_id = ?1");
	db_bind_int(st, 1, procedure_id);
	if (finish(t, st, err) != 0)
		return -1;
	for (int i = 0; i < n; i++) {
		st = db_sql(t->db,
			"INSERT INTO procedure_document (procedure_id, seq, name, kind, count, required)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
		db_bind_int(st, 1, procedure_id);
		db_bind_int(st, 2, i + 1);
		db_bind_text(st, 3, docs[i].name);
		db_bind_text(st, 4, docs[i].kind);
		db_bind_int(st, 5, docs[i].count);
		db_bind_int(st, 6, docs[i].required);
		if (finish(t, st, err) != 0)
			return -1;
	}
	return 0;
}

int db_document_list(struct db *db, int64_t procedure_id, struct document_row *out, int max)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT seq, name, kind, count, required FROM procedure_document"
		" WHERE procedure_id = ?1 ORDER BY seq");
	int n = 0, rc;
	db_bind_int(st, 1, procedure_id);
	while ((rc = db_step(db, st)) == SQLITE_ROW && n < max) {
		struct document_row *d = &out[n++];
		memset(d, 0, sizeof(*d));
		d->seq = (int)db_int(st, 0);
		strlcpy_(d->name, db_text(st, 1), sizeof(d->name));
		strlcpy_(d->kind, db_text(st, 2), sizeof(d->kind));
		d->count = (int)db_int(st, 3);
		d->required = (int)db_int(st, 4);
	}
	db_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : -1;
}

int db_procedure_set_agency(struct txn *t, int64_t id, int64_t agency_id, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db, "UPDATE procedure SET agency_id = ?2 WHERE id = ?1");
	db_bind_int(st, 1, id);
	db_bind_int_or_null(st, 2, agency_id);
	return finish(t, st, err);
}

int db_procedure_each(struct db *db, void (*fn)(const struct procedure_row *p, void *ctx), void *ctx)
{
	struct procedure_row *p = xmalloc(sizeof(*p));
	sqlite3_stmt *st = db_sql(db, "SELECT " PROCEDURE_COLUMNS PROCEDURE_FROM " ORDER BY p.code");
	int rc;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		read_procedure(st, p);
		fn(p, ctx);
	}
	db_reset(st);
	free(p);
	return rc == SQLITE_DONE ? 0 : -1;
}
