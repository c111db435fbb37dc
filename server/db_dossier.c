/*
 * motcua — db_dossier: dossier rows and lists.
 */
#include "db_dossier.h"

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

int db_dossier_next_seq(struct txn *t, int64_t agency_id, const char *day, int *seq,
			struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO code_seq (agency_id, day, last) VALUES (?1, ?2, 1)"
		" ON CONFLICT (agency_id, day) DO UPDATE SET last = last + 1 RETURNING last");
	db_bind_int(st, 1, agency_id);
	db_bind_text(st, 2, day);
	int rc = db_step(t->db, st);
	if (rc == SQLITE_ROW)
		*seq = (int)db_int(st, 0);
	db_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(t->db, rc, err);
}

static const char *empty_null(const char *s)
{
	return *s ? s : NULL;
}

int db_dossier_insert(struct txn *t, struct dossier_row *d, const char *name_key,
		      struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO dossier (code, ref, procedure_id, receiving_agency_id,"
		" current_agency_id, current_step, assignee_id, channel, state, applicant_name,"
		" applicant_id_number, applicant_phone, applicant_address, applicant_email,"
		" name_key, note, limit_value, limit_unit, submitted_at, received_at,"
		" clock_start_at, due_at, appointment_at, created_at, updated_at, first_due_at,"
		" fee_vnd, attachments, lead_agency_id)"
		" VALUES (:code, :ref, :proc, :recv, :cur, :step, :assignee, :channel, :state,"
		" :name, :idn, :phone, :addr, :email, :key, :note, :lv, :lu, :sub, :rec,"
		" :start, :due, :appt, :now, :now, :fdue, :fee, :att, :lead)");
	db_bind_text(st, 1, empty_null(d->code));
	db_bind_text(st, 2, d->ref);
	db_bind_int(st, 3, d->procedure_id);
	db_bind_int(st, 4, d->receiving_agency_id);
	db_bind_int_or_null(st, 5, d->current_agency_id);
	db_bind_int(st, 6, d->current_step);
	db_bind_int_or_null(st, 7, d->assignee_id);
	db_bind_text(st, 8, d->channel);
	db_bind_int(st, 9, d->state);
	db_bind_text(st, 10, d->applicant_name);
	db_bind_text(st, 11, d->applicant_id_number);
	db_bind_text(st, 12, d->applicant_phone);
	db_bind_text(st, 13, d->applicant_address);
	db_bind_text(st, 14, d->applicant_email);
	db_bind_text(st, 15, name_key);
	db_bind_text(st, 16, d->note);
	db_bind_int(st, 17, d->limit_value);
	db_bind_text(st, 18, d->limit_unit);
	db_bind_int_or_null(st, 19, d->submitted_at);
	db_bind_int_or_null(st, 20, d->received_at);
	db_bind_int_or_null(st, 21, d->clock_start_at);
	db_bind_int_or_null(st, 22, d->due_at);
	db_bind_int_or_null(st, 23, d->appointment_at);
	db_bind_int(st, 24, d->created_at);
	db_bind_int_or_null(st, 25, d->first_due_at);
	if (d->fee_vnd >= 0)
		db_bind_int(st, 26, d->fee_vnd);
	db_bind_int(st, 27, d->attachments);
	db_bind_int_or_null(st, 28, d->lead_agency_id);
	int rc = db_step(t->db, st);
	db_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return api_error_set(err, 409, "conflict", NULL,
				     "A dossier with this code or reference already exists.");
	if (rc != SQLITE_DONE)
		return db_fail(t->db, rc, err);
	d->id = db_last_id(t->db);
	d->updated_at = d->created_at;
	return 0;
}

int db_dossier_add_document(struct txn *t, int64_t dossier_id, int seq,
			    const struct document_in *doc, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO dossier_document (dossier_id, seq, name, kind, count)"
		" VALUES (?1, ?2, ?3, ?4, ?5)");
	db_bind_int(st, 1, dossier_id);
	db_bind_int(st, 2, seq);
	db_bind_text(st, 3, doc->name);
	db_bind_text(st, 4, doc->kind);
	db_bind_int(st, 5, doc->count);
	return finish(t, st, err);
}

int db_dossier_update(struct txn *t, const struct dossier_row *d, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"UPDATE dossier SET code = :code, current_agency_id = :cur, current_step = :step,"
		" assignee_id = :assignee, state = :state, received_at = :rec,"
		" clock_start_at = :start, due_at = :due, appointment_at = :appt,"
		" paused_at = :paused, resolved_at = :resolved, returned_at = :returned,"
		" closed_at = :closed, result_class = :class, supplement_count = :supp,"
		" extension_count = :ext, limit_value = :lv, limit_unit = :lu,"
		" updated_at = :updated, supplement_requested_at = :sreq,"
		" supplement_returned_at = :sret, waited_seconds = :waited,"
		" first_due_at = :fdue, extended_at = :extat, return_method = :rm,"
		" paid_online = :paid, fee_vnd = :fee, work_seconds = :work,"
		" attachments = :att, lead_agency_id = :lead WHERE id = :id");
	db_bind_text(st, 1, empty_null(d->code));
	db_bind_int_or_null(st, 2, d->current_agency_id);
	db_bind_int(st, 3, d->current_step);
	db_bind_int_or_null(st, 4, d->assignee_id);
	db_bind_int(st, 5, d->state);
	db_bind_int_or_null(st, 6, d->received_at);
	db_bind_int_or_null(st, 7, d->clock_start_at);
	db_bind_int_or_null(st, 8, d->due_at);
	db_bind_int_or_null(st, 9, d->appointment_at);
	db_bind_int_or_null(st, 10, d->paused_at);
	db_bind_int_or_null(st, 11, d->resolved_at);
	db_bind_int_or_null(st, 12, d->returned_at);
	db_bind_int_or_null(st, 13, d->closed_at);
	db_bind_int_or_null(st, 14, d->result_class);
	db_bind_int(st, 15, d->supplement_count);
	db_bind_int(st, 16, d->extension_count);
	db_bind_int(st, 17, d->limit_value);
	db_bind_text(st, 18, d->limit_unit);
	db_bind_int(st, 19, d->updated_at);
	db_bind_int_or_null(st, 20, d->supplement_requested_at);
	db_bind_int_or_null(st, 21, d->supplement_returned_at);
	db_bind_int(st, 22, d->waited_seconds);
	db_bind_int_or_null(st, 23, d->first_due_at);
	db_bind_int_or_null(st, 24, d->extended_at);
	db_bind_text(st, 25, d->return_method[0] ? d->return_method : NULL);
	db_bind_int(st, 26, d->paid_online);
	if (d->fee_vnd >= 0)
		db_bind_int(st, 27, d->fee_vnd);
	else
		db_bind_null(st, 27);
	db_bind_int_or_null(st, 28, d->work_seconds);
	db_bind_int(st, 29, d->attachments);
	db_bind_int_or_null(st, 30, d->lead_agency_id);
	db_bind_int(st, 31, d->id);
	return finish(t, st, err);
}

#define DOSSIER_COLUMNS \
	"d.id, d.code, d.ref, d.procedure_id, p.code, p.name, d.receiving_agency_id, r.code," \
	" r.name, d.current_agency_id, c.code, c.name, d.current_step, d.assignee_id," \
	" u.username, d.channel, d.state, d.applicant_name, d.applicant_id_number," \
	" d.applicant_phone, d.applicant_address, d.applicant_email, d.note, d.limit_value," \
	" d.limit_unit, d.submitted_at, d.received_at, d.clock_start_at, d.due_at," \
	" d.appointment_at, d.paused_at, d.resolved_at, d.returned_at, d.closed_at," \
	" d.result_class, d.supplement_count, d.extension_count, d.created_at, d.updated_at," \
	" d.supplement_requested_at, d.supplement_returned_at, d.waited_seconds, d.first_due_at," \
	" d.extended_at, d.return_method, d.paid_online, d.fee_vnd, d.work_seconds," \
	" d.attachments, d.lead_agency_id"
#define DOSSIER_FROM \
	" FROM dossier d JOIN procedure p ON p.id = d.procedure_id" \
	" JOIN agency r ON r.id = d.receiving_agency_id" \
	" LEFT JOIN agency c ON c.id = d.current_agency_id" \
	" LEFT JOIN account u ON u.id = d.assignee_id"

static void read_dossier(sqlite3_stmt *st, struct dossier_row *d)
{
	int i = 0;
	memset(d, 0, sizeof(*d));
	d->id = db_int(st, i++);
	strlcpy_(d->code, db_text(st, i++), sizeof(d->code));
	strlcpy_(d->ref, db_text(st, i++), sizeof(d->ref));
	d->procedure_id = db_int(st, i++);
	strlcpy_(d->procedure_code, db_text(st, i++), sizeof(d->procedure_code));
	strlcpy_(d->procedure_name, db_text(st, i++), sizeof(d->procedure_name));
	d->receiving_agency_id = db_int(st, i++);
	strlcpy_(d->receiving_agency_code, db_text(st, i++), sizeof(d->receiving_agency_code));
	strlcpy_(d->receiving_agency_name, db_text(st, i++), sizeof(d->receiving_agency_name));
	d->current_agency_id = db_int(st, i++);
	strlcpy_(d->current_agency_code, db_text(st, i++), sizeof(d->current_agency_code));
	strlcpy_(d->current_agency_name, db_text(st, i++), sizeof(d->current_agency_name));
	d->current_step = (int)db_int(st, i++);
	d->assignee_id = db_int(st, i++);
	strlcpy_(d->assignee, db_text(st, i++), sizeof(d->assignee));
	strlcpy_(d->channel, db_text(st, i++), sizeof(d->channel));
	d->state = (int)db_int(st, i++);
	strlcpy_(d->applicant_name, db_text(st, i++), sizeof(d->applicant_name));
	strlcpy_(d->applicant_id_number, db_text(st, i++), sizeof(d->applicant_id_number));
	strlcpy_(d->applicant_phone, db_text(st, i++), sizeof(d->applicant_phone));
	strlcpy_(d->applicant_address, db_text(st, i++), sizeof(d->applicant_address));
	strlcpy_(d->applicant_email, db_text(st, i++), sizeof(d->applicant_email));
	strlcpy_(d->note, db_text(st, i++), sizeof(d->note));
	d->limit_value = (int)db_int(st, i++);
	strlcpy_(d->limit_unit, db_text(st, i++), sizeof(d->limit_unit));
	d->submitted_at = db_int(st, i++);
	d->received_at = db_int(st, i++);
	d->clock_start_at = db_int(st, i++);
	d->due_at = db_int(st, i++);
	d->appointment_at = db_int(st, i++);
	d->paused_at = db_int(st, i++);
	d->resolved_at = db_int(st, i++);
	d->returned_at = db_int(st, i++);
	d->closed_at = db_int(st, i++);
	d->result_class = (int)db_int(st, i++);
	d->supplement_count = (int)db_int(st, i++);
	d->extension_count = (int)db_int(st, i++);
	d->created_at = db_int(st, i++);
	d->updated_at = db_int(st, i++);
	d->supplement_requested_at = db_int(st, i++);
	d->supplement_returned_at = db_int(st, i++);
	d->waited_seconds = db_int(st, i++);
	d->first_due_at = db_int(st, i++);
	d->extended_at = db_int(st, i++);
	strlcpy_(d->return_method, db_text(st, i++), sizeof(d->return_method));
	d->paid_online = (int)db_int(st, i++);
	d->fee_vnd = db_is_null(st, i) ? -1 : db_int(st, i);
	i++;
	d->work_seconds = db_int(st, i++);
	d->attachments = (int)db_int(st, i++);
	d->lead_agency_id = db_int(st, i++);
}

static int one(struct db *db, sqlite3_stmt *st, struct dossier_row *out)
{
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		read_dossier(st, out);
	db_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int db_dossier_by_code(struct db *db, const char *code, struct dossier_row *out)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " DOSSIER_COLUMNS DOSSIER_FROM " WHERE d.code = ?1");
	db_bind_text(st, 1, code);
	return one(db, st, out);
}

int db_dossier_by_ref(struct db *db, const char *ref, struct dossier_row *out)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " DOSSIER_COLUMNS DOSSIER_FROM " WHERE d.ref = ?1");
	db_bind_text(st, 1, ref);
	return one(db, st, out);
}

int db_dossier_by_id(struct db *db, int64_t id, struct dossier_row *out)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " DOSSIER_COLUMNS DOSSIER_FROM " WHERE d.id = ?1");
	db_bind_int(st, 1, id);
	return one(db, st, out);
}

int db_dossier_step_insert(struct txn *t, int64_t dossier_id, const struct dossier_step *s,
			   struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO dossier_step (dossier_id, seq, agency_id, task, work_hours, assignee_id,"
		" started_at, due_at, finished_at, result_class)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	db_bind_int(st, 1, dossier_id);
	db_bind_int(st, 2, s->seq);
	db_bind_int(st, 3, s->agency_id);
	db_bind_text(st, 4, s->task);
	db_bind_int(st, 5, s->work_hours);
	db_bind_int_or_null(st, 6, s->assignee_id);
	db_bind_int_or_null(st, 7, s->started_at);
	db_bind_int_or_null(st, 8, s->due_at);
	db_bind_int_or_null(st, 9, s->finished_at);
	db_bind_int_or_null(st, 10, s->result_class);
	return finish(t, st, err);
}

int db_dossier_step_update(struct txn *t, int64_t dossier_id, const struct dossier_step *s,
			   struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"UPDATE dossier_step SET assignee_id = ?3, started_at = ?4, due_at = ?5,"
		" finished_at = ?6, result_class = ?7 WHERE dossier_id = ?1 AND seq = ?2");
	db_bind_int(st, 1, dossier_id);
	db_bind_int(st, 2, s->seq);
	db_bind_int_or_null(st, 3, s->assignee_id);
	db_bind_int_or_null(st, 4, s->started_at);
	db_bind_int_or_null(st, 5, s->due_at);
	db_bind_int_or_null(st, 6, s->finished_at);
	db_bind_int_or_null(st, 7, s->result_class);
	return finish(t, st, err);
}

int db_dossier_steps(struct db *db, int64_t dossier_id, struct dossier_step *out)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT s.seq, s.agency_id, a.code, a.name, s.task, s.work_hours, s.assignee_id,"
		" u.username, s.started_at, s.due_at, s.finished_at, s.result_class"
		" FROM dossier_step s JOIN agency a ON a.id = s.agency_id"
		" LEFT JOIN account u ON u.id = s.assignee_id"
		" WHERE s.dossier_id = ?1 ORDER BY s.seq");
	int n = 0, rc;
	db_bind_int(st, 1, dossier_id);
	while ((rc = db_step(db, st)) == SQLITE_ROW && n < DOSSIER_MAX_STEPS) {
		struct dossier_step *s = &out[n++];
		memset(s, 0, sizeof(*s));
		s->seq = (int)db_int(st, 0);
		s->agency_id = db_int(st, 1);
		strlcpy_(s->agency_code, db_text(st, 2), sizeof(s->agency_code));
		strlcpy_(s->agency_name, db_text(st, 3), sizeof(s->agency_name));
		strlcpy_(s->task, db_text(st, 4), sizeof(s->task));
		s->work_hours = (int)db_int(st, 5);
		s->assignee_id = db_int(st, 6);
		strlcpy_(s->assignee, db_text(st, 7), sizeof(s->assignee));
		s->started_at = db_int(st, 8);
		s->due_at = db_int(st, 9);
		s->finished_at = db_int(st, 10);
		s->result_class = (int)db_int(st, 11);
	}
	db_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : -1;
}

int db_dossier_in_chain(struct db *db, int64_t dossier_id, int64_t agency_id)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT 1 FROM dossier_step WHERE dossier_id = ?1 AND agency_id = ?2 LIMIT 1");
	db_bind_int(st, 1, dossier_id);
	db_bind_int(st, 2, agency_id);
	int rc = db_step(db, st);
	db_reset(st);
	return rc == SQLITE_ROW;
}

int db_dossier_documents(struct db *db, int64_t dossier_id, struct document_out *out, int max)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT seq, name, kind, count FROM dossier_document WHERE dossier_id = ?1"
		" ORDER BY seq");
	int n = 0, rc;
	db_bind_int(st, 1, dossier_id);
	while ((rc = db_step(db, st)) == SQLITE_ROW && n < max) {
		out[n].seq = (int)db_int(st, 0);
		strlcpy_(out[n].name, db_text(st, 1), sizeof(out[n].name));
		strlcpy_(out[n].kind, db_text(st, 2), sizeof(out[n].kind));
		out[n].count = (int)db_int(st, 3);
		n++;
	}
	db_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : -1;
}

/* The filters shared by both sort orders. Parameters:
 * ?1 scope (0 all, 1 agency, 2 subtree)  ?2 agency  ?3 queue only
 * ?4 state  ?5 open only  ?6 procedure  ?7 channel  ?8/?9 received range
 * ?10 overdue  ?11 now  ?12 q (exact)  ?13 q folded  ?14 assignee
 * ?15/?16 cursor key and id  ?17 limit */
#define LIST_SCOPE \
	"WITH RECURSIVE sub(id) AS (SELECT ?2 WHERE ?1 = 2 UNION ALL" \
	" SELECT a.id FROM agency a JOIN sub ON a.parent_id = sub.id) "
#define LIST_WHERE \
	" WHERE (?1 = 0" \
	"  OR (?1 = 1 AND (d.current_agency_id = ?2 OR (?3 = 0 AND (d.receiving_agency_id = ?2" \
	"      OR EXISTS (SELECT 1 FROM dossier_step s WHERE s.dossier_id = d.id AND s.agency_id = ?2)))))" \
	"  OR (?1 = 2 AND (d.current_agency_id IN sub" \
	"                  OR (?3 = 0 AND d.receiving_agency_id IN sub))))" \
	" AND (?4 = 0 OR d.state = ?4)" \
	" AND (?5 = 0 OR d.state IN (1, 2, 4, 5, 6, 7, 9))" \
	" AND (?6 = 0 OR d.procedure_id = ?6)" \
	" AND (?7 IS NULL OR d.channel = ?7)" \
	" AND (?8 = 0 OR d.received_at >= ?8)" \
	" AND (?9 = 0 OR d.received_at < ?9)" \
	" AND (?10 = 0 OR (d.state IN (2, 4, 7) AND d.paused_at IS NULL AND d.due_at < ?11))" \
	" AND (?12 IS NULL OR d.code = ?12 OR d.ref = ?12 OR d.applicant_id_number = ?12" \
	"      OR d.name_key LIKE ?13 || '%')" \
	" AND (?14 = 0 OR d.assignee_id = ?14)"

int db_dossier_list(struct db *db, const struct dossier_filter *f,
		    void (*fn)(const struct dossier_row *d, void *ctx), void *ctx, int *more)
{
	sqlite3_stmt *st;
	struct buf key = BUF_INIT;
	struct dossier_row *d = xmalloc(sizeof(*d));
	int rc, n = 0;
	if (f->sort == SORT_DUE_ASC)
		st = db_sql(db, LIST_SCOPE "SELECT " DOSSIER_COLUMNS DOSSIER_FROM LIST_WHERE
			" AND (?16 = 0 OR (coalesce(d.due_at, 9000000000000), d.id) > (?15, ?16))"
			" ORDER BY coalesce(d.due_at, 9000000000000), d.id LIMIT ?17");
	else
		st = db_sql(db, LIST_SCOPE "SELECT " DOSSIER_COLUMNS DOSSIER_FROM LIST_WHERE
			" AND (?16 = 0 OR (coalesce(d.received_at, d.submitted_at), d.id) < (?15, ?16))"
			" ORDER BY coalesce(d.received_at, d.submitted_at) DESC, d.id DESC LIMIT ?17");
	db_bind_int(st, 1, f->scope == SCOPE_ALL ? 0 : f->scope == SCOPE_AGENCY ? 1 : 2);
	db_bind_int(st, 2, f->agency_id);
	db_bind_int(st, 3, f->queue);
	db_bind_int(st, 4, f->state);
	db_bind_int(st, 5, f->open_only);
	db_bind_int(st, 6, f->procedure_id);
	db_bind_text(st, 7, f->channel);
	db_bind_int(st, 8, f->received_from);
	db_bind_int(st, 9, f->received_to);
	db_bind_int(st, 10, f->overdue);
	db_bind_int(st, 11, f->now);
	if (f->q && *f->q) {
		text_fold(f->q, &key);
		db_bind_text(st, 12, f->q);
		db_bind_text(st, 13, buf_cstr(&key));
	}
	db_bind_int(st, 14, f->assignee_id);
	db_bind_int(st, 15, f->after_key);
	db_bind_int(st, 16, f->after_id);
	db_bind_int(st, 17, f->limit + 1);
	*more = 0;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (n == f->limit) {
			*more = 1;
			break;
		}
		read_dossier(st, d);
		fn(d, ctx);
		n++;
	}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	db_reset(st);
	buf_release(&key);
	free(d);
	return rc == SQLITE_DONE ? 0 : -1;
}
