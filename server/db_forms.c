/*
 * motcua — db_forms: form numbers and the register's rows.
 */
#include "db_forms.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "util.h"
#include "writer.h"

int db_forms_issue_get(struct db *db, int64_t dossier_id, const char *form,
		       struct form_issue_row *out)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT id, form, year, agency_id, number, dossier_id, issued_at, issued_by"
		" FROM form_issue WHERE dossier_id = ?1 AND form = ?2");
	db_bind_int(st, 1, dossier_id);
	db_bind_text(st, 2, form);
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		out->id = db_int(st, 0);
		strlcpy_(out->form, db_text(st, 1), sizeof(out->form));
		out->year = (int)db_int(st, 2);
		out->agency_id = db_int(st, 3);
		out->number = (int)db_int(st, 4);
		out->dossier_id = db_int(st, 5);
		out->issued_at = db_int(st, 6);
		strlcpy_(out->issued_by, db_text(st, 7), sizeof(out->issued_by));
	}
	db_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int db_forms_issue_insert(struct txn *t, struct form_issue_row *row, struct api_error *err)
{
	/* max(number) is read through the UNIQUE (form, year, agency_id,
	 * number) index; the single writer makes read-then-insert safe. */
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO form_issue (form, year, agency_id, number, dossier_id, issued_at, issued_by)"
		" SELECT :form, :year, :agency, coalesce(max(number), 0) + 1, :dossier, :at, :by"
		" FROM form_issue WHERE form = :form AND year = :year AND agency_id = :agency"
		" RETURNING id, number");
	db_bind_text(st, 1, row->form);
	db_bind_int(st, 2, row->year);
	db_bind_int(st, 3, row->agency_id);
	db_bind_int(st, 4, row->dossier_id);
	db_bind_int(st, 5, row->issued_at);
	db_bind_text(st, 6, row->issued_by);
	int rc = db_step(t->db, st);
	if (rc == SQLITE_ROW) {
		row->id = db_int(st, 0);
		row->number = (int)db_int(st, 1);
		rc = db_step(t->db, st);	/* finish the statement */
	}
	db_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return api_error_set(err, 409, "conflict", NULL, "This form of the dossier already has a number.");
	return rc == SQLITE_DONE ? 0 : db_fail(t->db, rc, err);
}

/* ---- the register ------------------------------------------------------ */

#define REGISTER_COLUMNS \
	"d.id, d.code, d.receiving_agency_id, r.name, p.name, d.applicant_name," \
	" d.applicant_address, d.applicant_phone, coalesce(l.name, r.name), d.state," \
	" d.received_at, d.appointment_at, d.due_at, d.paused_at," \
	" (SELECT min(e.at) FROM event e WHERE e.dossier_id = d.id AND e.action = 'transfer')," \
	" d.resolved_at, d.returned_at, d.closed_at, d.extended_at, d.result_class, d.return_method"
#define REGISTER_FROM \
	" FROM dossier d JOIN procedure p ON p.id = d.procedure_id" \
	" JOIN agency r ON r.id = d.receiving_agency_id" \
	" LEFT JOIN agency l ON l.id = d.lead_agency_id"

static void read_row(sqlite3_stmt *st, struct register_row *x)
{
	int i = 0;
	memset(x, 0, sizeof(*x));
	x->id = db_int(st, i++);
	strlcpy_(x->code, db_text(st, i++), sizeof(x->code));
	x->receiving_agency_id = db_int(st, i++);
	strlcpy_(x->receiving_agency_name, db_text(st, i++), sizeof(x->receiving_agency_name));
	strlcpy_(x->procedure_name, db_text(st, i++), sizeof(x->procedure_name));
	strlcpy_(x->applicant_name, db_text(st, i++), sizeof(x->applicant_name));
	strlcpy_(x->applicant_address, db_text(st, i++), sizeof(x->applicant_address));
	strlcpy_(x->applicant_phone, db_text(st, i++), sizeof(x->applicant_phone));
	strlcpy_(x->lead_agency_name, db_text(st, i++), sizeof(x->lead_agency_name));
	x->state = (int)db_int(st, i++);
	x->received_at = db_int(st, i++);
	x->appointment_at = db_int(st, i++);
	x->due_at = db_int(st, i++);
	x->paused_at = db_int(st, i++);
	x->transferred_at = db_int(st, i++);
	x->resolved_at = db_int(st, i++);
	x->returned_at = db_int(st, i++);
	x->closed_at = db_int(st, i++);
	x->extended_at = db_int(st, i++);
	x->result_class = (int)db_int(st, i++);
	strlcpy_(x->return_method, db_text(st, i++), sizeof(x->return_method));
}

int db_forms_register(struct db *db, const struct register_query *q,
		      void (*fn)(const struct register_row *row, void *ctx), void *ctx, int *more)
{
	sqlite3_stmt *st;
	struct register_row *row = xmalloc(sizeof(*row));
	int n = 0, rc;
	/* One agency's book walks the (receiving_agency_id, received_at)
	 * index; the consolidated view orders by agency so each agency's
	 * entries stay together with their own numbering. */
	if (q->agency_id) {
		st = db_sql(db, "SELECT " REGISTER_COLUMNS REGISTER_FROM
			" WHERE d.receiving_agency_id = :agency AND d.received_at >= :from"
			" AND d.received_at < :to AND (d.received_at, d.id) > (:at, :id)"
			" ORDER BY d.received_at, d.id LIMIT :limit");
		db_bind_int(st, 1, q->agency_id);
	} else {
		st = db_sql(db, "SELECT " REGISTER_COLUMNS REGISTER_FROM
			" WHERE d.received_at >= :from AND d.received_at < :to"
			" AND (d.receiving_agency_id, d.received_at, d.id) > (:after_agency, :at, :id)"
			" ORDER BY d.receiving_agency_id, d.received_at, d.id LIMIT :limit");
		db_bind_int(st, sqlite3_bind_parameter_index(st, ":after_agency"), q->after_agency);
	}
	db_bind_int(st, sqlite3_bind_parameter_index(st, ":from"), q->from);
	db_bind_int(st, sqlite3_bind_parameter_index(st, ":to"), q->to);
	db_bind_int(st, sqlite3_bind_parameter_index(st, ":at"), q->after_at);
	db_bind_int(st, sqlite3_bind_parameter_index(st, ":id"), q->after_id);
	db_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), (int64_t)q->limit + 1);
	*more = 0;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (n == q->limit) {
			*more = 1;
			rc = SQLITE_DONE;
			break;
		}
		read_row(st, row);
		fn(row, ctx);
		n++;
	}
	db_reset(st);
	free(row);
	return rc == SQLITE_DONE ? 0 : -1;
}

int64_t db_forms_register_rank(struct db *db, int64_t agency_id, int64_t year_start,
			       int64_t received_at, int64_t id)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT count(*) FROM dossier WHERE receiving_agency_id = ?1 AND received_at >= ?2"
		" AND (received_at < ?3 OR (received_at = ?3 AND id <= ?4))");
	db_bind_int(st, 1, agency_id);
	db_bind_int(st, 2, year_start);
	db_bind_int(st, 3, received_at);
	db_bind_int(st, 4, id);
	int64_t n = -1;
	if (db_step(db, st) == SQLITE_ROW)
		n = db_int(st, 0);
	db_reset(st);
	return n;
}
