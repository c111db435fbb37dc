/*
 * motcua — db_export: counting and streaming dossiers and history rows.
 */
#include "db_export.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "util.h"

/* The names the register shows for ids (agencies, procedures, accounts),
 * read once per export: resolving them in C instead of five joins per row
 * takes a fifth off the export's time. Sorted by id. */
struct name_row {
	int64_t id;
	char *code, *name;	/* owned; name is NULL for accounts */
	size_t code_len, name_len;
};

struct names {
	struct name_row *rows;
	size_t n, cap;
};

struct db_export_cur {
	struct db *db;
	sqlite3_stmt *st;
	struct names agencies, procedures, accounts;
};

/* A pragma as a prepared statement (its one result row is ignored). */
static int pragma(struct db *db, sqlite3_stmt *st)
{
	int rc;
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		;
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_export_begin(struct db *db)
{
	/* Pages of a memory-mapped file count in the process's resident set;
	 * a streamed read gains nothing from either a map or a large cache. */
	if (pragma(db, db_sql(db, "PRAGMA mmap_size=0")) != 0
	    || pragma(db, db_sql(db, "PRAGMA cache_size=-4096")) != 0)
		return -1;
	return db_read_begin(db) == SQLITE_OK ? 0 : -1;
}

void db_export_end(struct db *db)
{
	db_read_end(db);
}

static struct db_export_cur *cursor(struct db *db, sqlite3_stmt *st)
{
	struct db_export_cur *c = xcalloc(1, sizeof(*c));
	c->db = db;
	c->st = st;
	return c;
}

static void names_release(struct names *n)
{
	for (size_t i = 0; i < n->n; i++) {
		free(n->rows[i].code);
		free(n->rows[i].name);
	}
	free(n->rows);
	memset(n, 0, sizeof(*n));
}

void db_export_close(struct db_export_cur *c)
{
	if (!c)
		return;
	if (c->st)
		db_reset(c->st);
	names_release(&c->agencies);
	names_release(&c->procedures);
	names_release(&c->accounts);
	free(c);
}

/* Read (id, code[, name]) rows, already in id order. 0 ok, -1 error. */
static int names_load(struct db *db, sqlite3_stmt *st, int with_name, struct names *out)
{
	int rc;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 64;
			out->rows = xrealloc(out->rows, out->cap * sizeof(*out->rows));
		}
		struct name_row *r = &out->rows[out->n++];
		r->id = db_int(st, 0);
		r->code = xstrdup(db_text(st, 1));
		r->code_len = strlen(r->code);
		r->name = with_name ? xstrdup(db_text(st, 2)) : NULL;
		r->name_len = r->name ? strlen(r->name) : 0;
	}
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static const struct name_row *names_find(const struct names *n, int64_t id)
{
	size_t lo = 0, hi = n->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (n->rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n->n && n->rows[lo].id == id ? &n->rows[lo] : NULL;
}

/* ---- dossiers ------------------------------------------------------------ */

/* ?1/?2 the period [from, to) of received_at; ?3 the agency (0 = all). The
 * subtree is computed once; `?3 = 0 OR …` skips it for a whole-province
 * export. */
#define SCOPE_SUB \
	"WITH RECURSIVE sub(id) AS (SELECT ?3 WHERE ?3 <> 0 UNION ALL" \
	" SELECT a.id FROM agency a JOIN sub ON a.parent_id = sub.id) "
#define SCOPE_WHERE \
	" WHERE d.received_at >= ?1 AND d.received_at < ?2" \
	" AND (?3 = 0 OR d.receiving_agency_id IN sub OR d.lead_agency_id IN sub)"

int db_export_dossier_count(struct db *db, int64_t from, int64_t to, int64_t agency,
			    int64_t *n)
{
	sqlite3_stmt *st = db_sql(db, SCOPE_SUB "SELECT count(*) FROM dossier d" SCOPE_WHERE);
	db_bind_int(st, 1, from);
	db_bind_int(st, 2, to);
	db_bind_int(st, 3, agency);
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		*n = db_int(st, 0);
	db_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

struct db_export_cur *db_export_dossier_open(struct db *db, int64_t from, int64_t to,
					     int64_t agency)
{
	struct db_export_cur *c = xcalloc(1, sizeof(*c));
	c->db = db;
	if (names_load(db, db_sql(db, "SELECT id, code, name FROM agency ORDER BY id"), 1,
		       &c->agencies) != 0
	    || names_load(db, db_sql(db, "SELECT id, code, name FROM procedure ORDER BY id"), 1,
			  &c->procedures) != 0
	    || names_load(db, db_sql(db, "SELECT id, username FROM account ORDER BY id"), 0,
			  &c->accounts) != 0) {
		db_export_close(c);
		return NULL;
	}
	/* Dossier columns and the ids of what they name, in the order of
	 * sources[] below; the lead agency defaults to the receiving agency (a
	 * procedure without a lead is resolved where it was received). */
	c->st = db_sql(db, SCOPE_SUB
		"SELECT d.code, d.ref, d.procedure_id, d.applicant_name, d.applicant_address,"
		" d.applicant_phone, d.applicant_id_number, d.applicant_email,"
		" coalesce(d.lead_agency_id, d.receiving_agency_id), d.received_at, d.appointment_at,"
		" d.resolved_at, d.returned_at, d.return_method, d.note, d.receiving_agency_id,"
		" d.channel, d.state, d.current_agency_id, d.current_step, d.assignee_id,"
		" d.limit_value, d.limit_unit, d.submitted_at, d.clock_start_at, d.first_due_at,"
		" d.due_at, d.paused_at, d.supplement_requested_at, d.supplement_returned_at,"
		" d.supplement_count, d.extended_at, d.extension_count, d.closed_at, d.result_class,"
		" d.work_seconds, d.waited_seconds, d.fee_vnd, d.paid_online, d.attachments,"
		" d.created_at, d.updated_at"
		" FROM dossier d"
		SCOPE_WHERE
		" ORDER BY d.received_at, d.id");
	db_bind_int(c->st, 1, from);
	db_bind_int(c->st, 2, to);
	db_bind_int(c->st, 3, agency);
	return c;
}

/* Where each register column comes from: SQL column `col` itself, or the
 * code or name of the agency, procedure or account whose id it holds. */
enum source { FROM_COL, PROC_CODE, PROC_NAME, AGENCY_CODE, AGENCY_NAME, USERNAME };

static const struct {
	enum source src;
	int col;
} sources[EXPORT_DOSSIER_COLS] = {
	{ FROM_COL, -1 },					/* stt: not read */
	{ FROM_COL, 0 }, { FROM_COL, 1 },			/* code, ref */
	{ PROC_CODE, 2 }, { PROC_NAME, 2 },
	{ FROM_COL, 3 }, { FROM_COL, 4 }, { FROM_COL, 5 }, { FROM_COL, 6 }, { FROM_COL, 7 },
	{ AGENCY_CODE, 8 }, { AGENCY_NAME, 8 },			/* lead agency */
	{ FROM_COL, 9 }, { FROM_COL, 10 }, { FROM_COL, 11 }, { FROM_COL, 12 },
	{ FROM_COL, 13 }, { FROM_COL, 14 },			/* return method, note */
	{ AGENCY_CODE, 15 }, { AGENCY_NAME, 15 },		/* receiving agency */
	{ FROM_COL, 16 }, { FROM_COL, 17 }, { FROM_COL, 17 },	/* channel, state ×2 */
	{ AGENCY_CODE, 18 }, { FROM_COL, 19 },			/* current agency, step */
	{ USERNAME, 20 },
	{ FROM_COL, 21 }, { FROM_COL, 22 }, { FROM_COL, 23 }, { FROM_COL, 24 }, { FROM_COL, 25 },
	{ FROM_COL, 26 }, { FROM_COL, 27 }, { FROM_COL, 28 }, { FROM_COL, 29 }, { FROM_COL, 30 },
	{ FROM_COL, 31 }, { FROM_COL, 32 }, { FROM_COL, 33 }, { FROM_COL, 34 }, { FROM_COL, 35 },
	{ FROM_COL, 36 }, { FROM_COL, 37 }, { FROM_COL, 38 }, { FROM_COL, 39 }, { FROM_COL, 40 },
	{ FROM_COL, 41 },
};

static void set_null(struct export_value *x)
{
	x->null = 1;
	x->i = 0;
	x->s = "";
	x->len = 0;
}

static void set_name(struct export_value *x, const struct name_row *r, int name)
{
	if (!r || (name && !r->name)) {
		set_null(x);
		return;
	}
	x->null = 0;
	x->i = 0;
	x->s = name ? r->name : r->code;
	x->len = name ? r->name_len : r->code_len;
}

int db_export_dossier_next(struct db_export_cur *c, struct export_value *v)
{
	sqlite3_stmt *st = c->st;
	int rc = db_step(c->db, st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -1;
	for (int k = 1; k < EXPORT_DOSSIER_COLS; k++) {
		struct export_value *x = &v[k];
		int i = sources[k].col;
		enum export_type type = export_dossier_cols[k].type;
		if (sources[k].src != FROM_COL) {
			const struct names *n = sources[k].src == USERNAME ? &c->accounts
				: sources[k].src == PROC_CODE || sources[k].src == PROC_NAME ? &c->procedures
				: &c->agencies;
			const struct name_row *r = sqlite3_column_type(st, i) == SQLITE_NULL ? NULL
				: names_find(n, sqlite3_column_int64(st, i));
			set_name(x, r, sources[k].src == PROC_NAME || sources[k].src == AGENCY_NAME);
		} else if (type == EXT_INT || type == EXT_TIME || type == EXT_STATE
			   || type == EXT_RESULT || type == EXT_BOOL) {
			set_null(x);
			x->null = sqlite3_column_type(st, i) == SQLITE_NULL;
			if (!x->null)
				x->i = sqlite3_column_int64(st, i);
		} else {
			/* Text: NULL comes back as a NULL pointer, no type call needed. */
			const unsigned char *s = sqlite3_column_text(st, i);
			set_null(x);
			if (s) {
				x->null = 0;
				x->s = (const char *)s;
				x->len = (size_t)sqlite3_column_bytes(st, i);
			}
		}
	}
	return 1;
}

/* ---- history ------------------------------------------------------------- */

int db_export_event_last(struct db *db, int64_t *seq)
{
	sqlite3_stmt *st = db_sql(db, "SELECT seq FROM event ORDER BY seq DESC LIMIT 1");
	int rc = db_step(db, st);
	*seq = rc == SQLITE_ROW ? db_int(st, 0) : 0;
	db_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int db_export_event_span(struct db *db, int64_t from, int64_t to, int64_t *first,
			 int64_t *last)
{
	/* `at` is not indexed (appends stay cheap): one scan of the table. */
	sqlite3_stmt *st = db_sql(db,
		"SELECT min(seq), max(seq) FROM event WHERE at >= ?1 AND at < ?2");
	db_bind_int(st, 1, from);
	db_bind_int(st, 2, to);
	int rc = db_step(db, st), found = 0;
	if (rc == SQLITE_ROW && !db_is_null(st, 0)) {
		*first = db_int(st, 0);
		*last = db_int(st, 1);
		found = 1;
	}
	db_reset(st);
	return rc == SQLITE_ROW ? found : -1;
}

int db_export_event_at(struct db *db, int64_t seq, int64_t *at)
{
	sqlite3_stmt *st = db_sql(db, "SELECT at FROM event WHERE seq = ?1");
	db_bind_int(st, 1, seq);
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		*at = db_int(st, 0);
	db_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

struct db_export_cur *db_export_event_open(struct db *db, int64_t from_seq, int64_t to_seq)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT seq, at, dossier_id, dossier_ref, actor, actor_role, actor_agency, action,"
		" from_state, to_state, step, clock, due_at, note, data, prev_hash, hash"
		" FROM event WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq");
	db_bind_int(st, 1, from_seq);
	db_bind_int(st, 2, to_seq);
	return cursor(db, st);
}

static int64_t int_or_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? AUDIT_NULL : sqlite3_column_int64(st, i);
}

static const char *text_or_null(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static void blob32(sqlite3_stmt *st, int i, unsigned char out[AUDIT_HASH_LEN])
{
	memset(out, 0, AUDIT_HASH_LEN);
	if (sqlite3_column_bytes(st, i) == AUDIT_HASH_LEN)
		memcpy(out, sqlite3_column_blob(st, i), AUDIT_HASH_LEN);
}

int db_export_event_next(struct db_export_cur *c, struct audit_row *r,
			 unsigned char hash[AUDIT_HASH_LEN])
{
	sqlite3_stmt *st = c->st;
	int rc = db_step(c->db, st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -1;
	r->seq = sqlite3_column_int64(st, 0);
	r->at = int_or_null(st, 1);
	r->dossier_id = int_or_null(st, 2);
	r->dossier_ref = text_or_null(st, 3);
	r->actor = text_or_null(st, 4);
	r->actor_role = text_or_null(st, 5);
	r->actor_agency = text_or_null(st, 6);
	r->action = text_or_null(st, 7);
	r->from_state = int_or_null(st, 8);
	r->to_state = int_or_null(st, 9);
	r->step = int_or_null(st, 10);
	r->clock = text_or_null(st, 11);
	r->due_at = int_or_null(st, 12);
	r->note = text_or_null(st, 13);
	r->data = text_or_null(st, 14);
	blob32(st, 15, r->prev_hash);
	blob32(st, 16, hash);
	return 1;
}
