/*
 * motcua — db_dossier: dossier rows and lists.
 */
#include "db_dossier.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "capture.h"
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

/* A capture counts in memory; a pair it has not met starts from the
 * number stored (read once). */
static int captured_seq(struct txn *t, int64_t agency_id, const char *day, int *seq,
			struct api_error *err)
{
	if (capture_next_seq(t->cap, agency_id, day, seq))
		return 0;
	sqlite3_stmt *st = db_sql(t->db, "SELECT last FROM code_seq WHERE agency_id = ?1 AND day = ?2");
	db_bind_int(st, 1, agency_id);
	db_bind_text(st, 2, day);
	int rc = db_step(t->db, st);
	int last = rc == SQLITE_ROW ? (int)db_int(st, 0) : 0;
	db_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(t->db, rc, err);
	capture_seq_seed(t->cap, agency_id, day, last);
	capture_next_seq(t->cap, agency_id, day, seq);
	return 0;
}

int db_dossier_next_seq(struct txn *t, int64_t agency_id, const char *day, int *seq,
			struct api_error *err)
{
	if (t->cap)
		return captured_seq(t, agency_id, day, seq, err);
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

int64_t db_dossier_max_id(struct db *db)
{
	sqlite3_stmt *st = db_sql(db, "SELECT coalesce(max(id), 0) FROM dossier");
	int rc = db_step(db, st);
	int64_t id = rc == SQLITE_ROW ? db_int(st, 0) : -1;
	db_reset(st);
	return id;
}

int db_dossier_seq_raise(struct txn *t, int64_t agency_id, const char *day, int last,
			 struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO code_seq (agency_id, day, last) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (agency_id, day) DO UPDATE SET last = max(last, excluded.last)");
	db_bind_int(st, 1, agency_id);
	db_bind_text(st, 2, day);
	db_bind_int(st, 3, last);
	return finish(t, st, err);
}

static const char *empty_null(const char *s)
{
	return *s ? s : NULL;
}

/* Every column, so the bulk seeder can store a dossier in its final state
 * and with the id it was given; a new intake has the lifecycle columns
 * empty and id 0. */
int db_dossier_insert(struct txn *t, struct dossier_row *d, const char *name_key,
		      struct api_error *err)
{
	if (t->cap) {
		d->id = capture_dossier_insert(t->cap, d, name_key);
		if (!d->updated_at)
			d->updated_at = d->created_at;
		return 0;
	}
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO dossier (code, ref, procedure_id, receiving_agency_id,"
		" current_agency_id, current_step, assignee_id, channel, state, applicant_name,"
		" applicant_id_number, applicant_phone, applicant_address, applicant_email,"
		" name_key, note, limit_value, limit_unit, submitted_at, received_at,"
		" clock_start_at, due_at, appointment_at, created_at, updated_at, first_due_at,"
		" fee_vnd, attachments, lead_agency_id, ovd_from,"
		" paused_at, resolved_at, returned_at, closed_at, result_class, supplement_count,"
		" extension_count, supplement_requested_at, supplement_returned_at, waited_seconds,"
		" extended_at, return_method, paid_online, work_seconds, close_reason, id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
		" ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32,"
		" ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43, ?44, ?45, ?46)");
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
	db_bind_int(st, 25, d->updated_at ? d->updated_at : d->created_at);
	db_bind_int_or_null(st, 26, d->first_due_at);
	if (d->fee_vnd >= 0)
		db_bind_int(st, 27, d->fee_vnd);
	else
		db_bind_null(st, 27);
	db_bind_int(st, 28, d->attachments);
	db_bind_int_or_null(st, 29, d->lead_agency_id);
	db_bind_int_or_null(st, 30, d->ovd_from);
	db_bind_int_or_null(st, 31, d->paused_at);
	db_bind_int_or_null(st, 32, d->resolved_at);
	db_bind_int_or_null(st, 33, d->returned_at);
	db_bind_int_or_null(st, 34, d->closed_at);
	db_bind_int_or_null(st, 35, d->result_class);
	db_bind_int(st, 36, d->supplement_count);
	db_bind_int(st, 37, d->extension_count);
	db_bind_int_or_null(st, 38, d->supplement_requested_at);
	db_bind_int_or_null(st, 39, d->supplement_returned_at);
	db_bind_int(st, 40, d->waited_seconds);
	db_bind_int_or_null(st, 41, d->extended_at);
	db_bind_text(st, 42, d->return_method[0] ? d->return_method : NULL);
	db_bind_int(st, 43, d->paid_online);
	db_bind_int_or_null(st, 44, d->work_seconds);
	db_bind_text(st, 45, d->close_reason[0] ? d->close_reason : NULL);
	db_bind_int_or_null(st, 46, d->id);	/* 0: the next free id */
	int rc = db_step(t->db, st);
	db_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return api_error_set(err, 409, "conflict", NULL,
				     "A dossier with this code or reference already exists.");
	if (rc != SQLITE_DONE)
		return db_fail(t->db, rc, err);
	d->id = db_last_id(t->db);
	if (!d->updated_at)
		d->updated_at = d->created_at;
	return 0;
}

int db_dossier_add_document(struct txn *t, int64_t dossier_id, int seq,
			    const struct document_in *doc, struct api_error *err)
{
	if (t->cap)
		return db_captured(capture_document(t->cap, dossier_id, seq, doc), err);
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

/* Only the columns the lifecycle moves: SQLite then rewrites just the
 * indexes holding them (queue, running), not the code, receipt or lead
 * ones — most of an update's cost on a table with nine indexes. */
int db_dossier_update(struct txn *t, const struct dossier_row *d, struct api_error *err)
{
	if (t->cap)
		return db_captured(capture_dossier_update(t->cap, d), err);
	sqlite3_stmt *st = db_sql(t->db,
		"UPDATE dossier SET current_agency_id = ?1, current_step = ?2, assignee_id = ?3,"
		" state = ?4, clock_start_at = ?5, due_at = ?6, appointment_at = ?7,"
		" paused_at = ?8, resolved_at = ?9, returned_at = ?10, closed_at = ?11,"
		" result_class = ?12, supplement_count = ?13, extension_count = ?14,"
		" limit_value = ?15, limit_unit = ?16, updated_at = ?17,"
		" supplement_requested_at = ?18, supplement_returned_at = ?19,"
		" waited_seconds = ?20, first_due_at = ?21, extended_at = ?22,"
		" return_method = ?23, paid_online = ?24, fee_vnd = ?25, work_seconds = ?26,"
		" attachments = ?27, close_reason = ?28, ovd_from = ?29"
		" WHERE id = ?30");
	db_bind_int_or_null(st, 1, d->current_agency_id);
	db_bind_int(st, 2, d->current_step);
	db_bind_int_or_null(st, 3, d->assignee_id);
	db_bind_int(st, 4, d->state);
	db_bind_int_or_null(st, 5, d->clock_start_at);
	db_bind_int_or_null(st, 6, d->due_at);
	db_bind_int_or_null(st, 7, d->appointment_at);
	db_bind_int_or_null(st, 8, d->paused_at);
	db_bind_int_or_null(st, 9, d->resolved_at);
	db_bind_int_or_null(st, 10, d->returned_at);
	db_bind_int_or_null(st, 11, d->closed_at);
	db_bind_int_or_null(st, 12, d->result_class);
	db_bind_int(st, 13, d->supplement_count);
	db_bind_int(st, 14, d->extension_count);
	db_bind_int(st, 15, d->limit_value);
	db_bind_text(st, 16, d->limit_unit);
	db_bind_int(st, 17, d->updated_at);
	db_bind_int_or_null(st, 18, d->supplement_requested_at);
	db_bind_int_or_null(st, 19, d->supplement_returned_at);
	db_bind_int(st, 20, d->waited_seconds);
	db_bind_int_or_null(st, 21, d->first_due_at);
	db_bind_int_or_null(st, 22, d->extended_at);
	db_bind_text(st, 23, d->return_method[0] ? d->return_method : NULL);
	db_bind_int(st, 24, d->paid_online);
	if (d->fee_vnd >= 0)
		db_bind_int(st, 25, d->fee_vnd);
	else
		db_bind_null(st, 25);
	db_bind_int_or_null(st, 26, d->work_seconds);
	db_bind_int(st, 27, d->attachments);
	db_bind_text(st, 28, d->close_reason[0] ? d->close_reason : NULL);
	db_bind_int_or_null(st, 29, d->ovd_from);
	db_bind_int(st, 30, d->id);
	return finish(t, st, err);
}

int db_dossier_set_code(struct txn *t, const struct dossier_row *d, struct api_error *err)
{
	if (t->cap)
		return db_captured(capture_dossier_update(t->cap, d), err);
	sqlite3_stmt *st = db_sql(t->db,
		"UPDATE dossier SET code = ?1, received_at = ?2, lead_agency_id = ?3 WHERE id = ?4");
	db_bind_text(st, 1, empty_null(d->code));
	db_bind_int_or_null(st, 2, d->received_at);
	db_bind_int_or_null(st, 3, d->lead_agency_id);
	db_bind_int(st, 4, d->id);
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
	" d.attachments, d.lead_agency_id, d.close_reason, d.ovd_from"
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
	strlcpy_(d->close_reason, db_text(st, i++), sizeof(d->close_reason));
	d->ovd_from = (int32_t)db_int(st, i++);
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

int db_dossier_ovd_insert(struct txn *t, int64_t dossier_id, int32_t from_day, int32_t to_day,
			  struct api_error *err)
{
	if (t->cap) {
		capture_ovd(t->cap, dossier_id, from_day, to_day);
		return 0;
	}
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO dossier_ovd (dossier_id, from_day, to_day) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (dossier_id, from_day) DO UPDATE SET to_day = excluded.to_day");
	db_bind_int(st, 1, dossier_id);
	db_bind_int(st, 2, from_day);
	db_bind_int(st, 3, to_day);
	return finish(t, st, err);
}

int db_dossier_step_insert(struct txn *t, int64_t dossier_id, const struct dossier_step *s,
			   struct api_error *err)
{
	if (t->cap)
		return db_captured(capture_step(t->cap, dossier_id, s), err);
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
	if (t->cap)
		return db_captured(capture_step(t->cap, dossier_id, s), err);
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

int db_dossier_each_document(struct db *db, int64_t dossier_id, db_document_fn *fn, void *ctx)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT seq, name, kind, count FROM dossier_document WHERE dossier_id = ?1"
		" ORDER BY seq");
	int rc;
	db_bind_int(st, 1, dossier_id);
	while ((rc = db_step(db, st)) == SQLITE_ROW
	       && fn(ctx, (int)db_int(st, 0), db_text(st, 1), db_text(st, 2), (int)db_int(st, 3)) == 0)
		;
	db_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

struct doc_array {
	struct document_out *out;
	int n, max;
};

static int into_array(void *ctx, int seq, const char *name, const char *kind, int count)
{
	struct doc_array *a = ctx;
	struct document_out *d = &a->out[a->n++];
	d->seq = seq;
	strlcpy_(d->name, name, sizeof(d->name));
	strlcpy_(d->kind, kind, sizeof(d->kind));
	d->count = count;
	return a->n < a->max ? 0 : 1;
}

int db_dossier_documents(struct db *db, int64_t dossier_id, struct document_out *out, int max)
{
	struct doc_array a = { out, 0, max };
	if (max <= 0)
		return 0;
	return db_dossier_each_document(db, dossier_id, into_array, &a) < 0 ? -1 : a.n;
}

/* The filters shared by both sort orders; named parameters:
 * :scope (0 all, 1 agency, 2 subtree), :ag, :queue, :state, :open, :proc,
 * :channel, :offline, :rfrom/:rto (received), :overdue + :now (overdue now),
 * :q/:qk (search), :assignee, :lead/:leadsub, :level, :field,
 * :sfrom/:sto/:result (resolved), :cfrom/:cto/:creason (closed),
 * :openat, :ovdat (overdue at the end of a day), :within/:withinat,
 * :key/:id (cursor), :limit. */
#define LIST_SCOPE \
	"WITH RECURSIVE sub(id) AS (SELECT :ag WHERE :scope = 2 UNION ALL" \
	" SELECT a.id FROM agency a JOIN sub ON a.parent_id = sub.id)," \
	" lsub(id) AS (SELECT :lead WHERE :leadsub = 1 UNION ALL" \
	" SELECT a.id FROM agency a JOIN lsub ON a.parent_id = lsub.id) "
#define LIST_WHERE \
	" WHERE (:scope = 0" \
	"  OR (:scope = 1 AND (d.current_agency_id = :ag OR (:queue = 0 AND (d.receiving_agency_id = :ag" \
	"      OR EXISTS (SELECT 1 FROM dossier_step s WHERE s.dossier_id = d.id AND s.agency_id = :ag)))))" \
	"  OR (:scope = 2 AND (d.current_agency_id IN sub" \
	"      OR (:queue = 0 AND (d.receiving_agency_id IN sub OR d.lead_agency_id IN sub)))))" \
	" AND (:state = 0 OR d.state = :state)" \
	" AND (:open = 0 OR d.state IN (1, 2, 4, 5, 6, 7, 9))" \
	" AND (:proc = 0 OR d.procedure_id = :proc)" \
	" AND (:channel IS NULL OR d.channel = :channel)" \
	" AND (:offline = 0 OR d.channel IN ('direct', 'postal'))" \
	" AND (:rfrom = 0 OR d.received_at >= :rfrom)" \
	" AND (:rto = 0 OR d.received_at < :rto)" \
	" AND (:overdue = 0 OR (d.state IN (2, 4, 7) AND d.paused_at IS NULL AND d.due_at < :now))" \
	" AND (:q IS NULL OR d.code = :q OR d.ref = :q OR d.applicant_id_number = :q" \
	"      OR d.name_key LIKE :qk || '%' ESCAPE '\\')" \
	" AND (:assignee = 0 OR d.assignee_id = :assignee)" \
	" AND (:lead = 0 OR (:leadsub = 0 AND d.lead_agency_id = :lead)" \
	"      OR (:leadsub = 1 AND d.lead_agency_id IN lsub))" \
	" AND (:level IS NULL OR (SELECT level FROM agency WHERE id = d.lead_agency_id) = :level)" \
	" AND (:field IS NULL OR p.field_id = (SELECT id FROM field WHERE name = :field))" \
	" AND (:sfrom = 0 OR d.resolved_at >= :sfrom)" \
	" AND (:sto = 0 OR d.resolved_at < :sto)" \
	" AND (:result = 0 OR d.result_class = :result)" \
	" AND (:cfrom = 0 OR d.closed_at >= :cfrom)" \
	" AND (:cto = 0 OR d.closed_at < :cto)" \
	" AND (:creason IS NULL OR d.close_reason = :creason)" \
	" AND (:openat = 0 OR (d.received_at < :openat" \
	"      AND coalesce(d.resolved_at, d.closed_at, :openat) >= :openat))" \
	" AND (:activefrom = 0 OR (d.received_at IS NOT NULL" \
	"      AND coalesce(d.resolved_at, d.closed_at, :activefrom) >= :activefrom))" \
	" AND (:xfrom = 0 OR d.extended_at >= :xfrom)" \
	" AND (:xto = 0 OR d.extended_at < :xto)" \
	" AND (:ovdat = 0 OR (d.ovd_from IS NOT NULL AND d.ovd_from <= :ovdat)" \
	"      OR EXISTS (SELECT 1 FROM dossier_ovd o WHERE o.dossier_id = d.id" \
	"                 AND o.from_day <= :ovdat AND o.to_day > :ovdat))" \
	" AND (:within = 0 OR (d.received_at < :withinat" \
	"      AND coalesce(d.resolved_at, d.closed_at, :withinat) >= :withinat" \
	"      AND NOT ((d.ovd_from IS NOT NULL AND d.ovd_from <= :within)" \
	"           OR EXISTS (SELECT 1 FROM dossier_ovd o WHERE o.dossier_id = d.id" \
	"                      AND o.from_day <= :within AND o.to_day > :within))))"

/* Bind a named parameter of the list statements. */
static void bind_named_int(sqlite3_stmt *st, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		db_bind_int(st, i, v);
}

static void bind_named_text(sqlite3_stmt *st, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i > 0)
		db_bind_text(st, i, v);
}

/* The folded search text as a LIKE prefix: %, _ and \ stand for
 * themselves (ESCAPE '\'); unescaped, q=% listed every dossier in scope. */
static void like_escape(const char *s, struct buf *out)
{
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			buf_addc(out, '\\');
		buf_addc(out, *s);
	}
	buf_adds(out, "");
}

static void bind_filter(sqlite3_stmt *st, const struct dossier_filter *f, const char *qkey)
{
	bind_named_int(st, ":scope", f->scope == SCOPE_ALL ? 0 : f->scope == SCOPE_AGENCY ? 1 : 2);
	bind_named_int(st, ":ag", f->agency_id);
	bind_named_int(st, ":queue", f->queue);
	bind_named_int(st, ":state", f->state);
	bind_named_int(st, ":open", f->open_only);
	bind_named_int(st, ":proc", f->procedure_id);
	bind_named_text(st, ":channel", f->channel);
	bind_named_int(st, ":offline", f->offline);
	bind_named_int(st, ":rfrom", f->received_from);
	bind_named_int(st, ":rto", f->received_to);
	bind_named_int(st, ":overdue", f->overdue);
	bind_named_int(st, ":now", f->now);
	bind_named_text(st, ":q", f->q && *f->q ? f->q : NULL);
	struct buf pattern = BUF_INIT;
	like_escape(qkey, &pattern);
	bind_named_text(st, ":qk", f->q && *f->q ? buf_cstr(&pattern) : NULL);
	buf_release(&pattern);	/* bound as SQLITE_TRANSIENT: copied */
	bind_named_int(st, ":assignee", f->assignee_id);
	bind_named_int(st, ":lead", f->lead_agency_id);
	bind_named_int(st, ":leadsub", f->lead_subtree);
	bind_named_text(st, ":level", f->level);
	bind_named_text(st, ":field", f->field);
	bind_named_int(st, ":sfrom", f->resolved_from);
	bind_named_int(st, ":sto", f->resolved_to);
	bind_named_int(st, ":result", f->result);
	bind_named_int(st, ":cfrom", f->closed_from);
	bind_named_int(st, ":cto", f->closed_to);
	bind_named_text(st, ":creason", f->close_reason);
	bind_named_int(st, ":openat", f->open_at);
	bind_named_int(st, ":activefrom", f->active_from);
	bind_named_int(st, ":xfrom", f->extended_from);
	bind_named_int(st, ":xto", f->extended_to);
	bind_named_int(st, ":ovdat", f->overdue_at);
	bind_named_int(st, ":within", f->within_at);
	bind_named_int(st, ":withinat", f->within_instant);
	bind_named_int(st, ":key", f->after_key);
	bind_named_int(st, ":id", f->after_id);
	bind_named_int(st, ":limit", f->limit + 1);
}

/* Extra conditions that name an index, so a page reads only its rows:
 * a search by code, reference or ID number goes through their indexes
 * (names hold no digits, so a query with a digit is one of those); a
 * worklist reads its agency's queue, "mine" the dossiers assigned to the
 * user, "overdue" the running ones. Other filters walk the list's order
 * and stop after a page. */
#define LIST_BY_KEY \
	" AND d.id IN (SELECT id FROM dossier WHERE code = :q" \
	" UNION SELECT id FROM dossier WHERE ref = :q" \
	" UNION SELECT id FROM dossier WHERE applicant_id_number = :q)"
#define LIST_IN_QUEUE " AND d.current_agency_id = :ag"
#define LIST_MINE " AND d.assignee_id = :assignee"
/* dossier_running's condition word for word (schema 0003), so the
 * overdue list reads the running dossiers only. */
#define LIST_RUNNING \
	" AND (d.state = 2 OR d.state = 4 OR d.state = 7) AND d.paused_at IS NULL" \
	" AND d.due_at IS NOT NULL AND d.due_at < :now"
/* Newest first along the index dossier_recent (schema 0006); the cursor's
 * plain bound on the indexed expression lets a later page start where the
 * last one ended. */
#define LIST_RECENT \
	" AND (:id = 0 OR coalesce(d.received_at, d.submitted_at) <= :key)" \
	" AND (:id = 0 OR (coalesce(d.received_at, d.submitted_at), d.id) < (:key, :id))" \
	" ORDER BY coalesce(d.received_at, d.submitted_at) DESC, d.id DESC LIMIT :limit"
/* The same order sorted after the fact: the unary + keeps SQLite from
 * walking dossier_recent for it, for a filter whose own index finds few
 * rows (the overdue ones) that the walk would look for through them all. */
#define LIST_RECENT_SORTED \
	" AND (:id = 0 OR (coalesce(d.received_at, d.submitted_at), d.id) < (:key, :id))" \
	" ORDER BY +coalesce(d.received_at, d.submitted_at) DESC, d.id DESC LIMIT :limit"
#define LIST_DUE \
	" AND (:id = 0 OR (coalesce(d.due_at, 9000000000000), d.id) > (:key, :id))" \
	" ORDER BY coalesce(d.due_at, 9000000000000), d.id LIMIT :limit"
#define LIST_SELECT LIST_SCOPE "SELECT " DOSSIER_COLUMNS DOSSIER_FROM LIST_WHERE

static int has_digit(const char *s)
{
	for (; *s; s++)
		if (*s >= '0' && *s <= '9')
			return 1;
	return 0;
}

/* The statement for f: one literal per path and order. */
static sqlite3_stmt *list_statement(struct db *db, const struct dossier_filter *f)
{
	int due = f->sort == SORT_DUE_ASC;
	if (f->q && has_digit(f->q))
		return due ? db_sql(db, LIST_SELECT LIST_BY_KEY LIST_DUE)
			   : db_sql(db, LIST_SELECT LIST_BY_KEY LIST_RECENT);
	if (f->queue && f->scope == SCOPE_AGENCY)
		return due ? db_sql(db, LIST_SELECT LIST_IN_QUEUE LIST_DUE)
			   : db_sql(db, LIST_SELECT LIST_IN_QUEUE LIST_RECENT);
	if (f->assignee_id)
		return due ? db_sql(db, LIST_SELECT LIST_MINE LIST_DUE)
			   : db_sql(db, LIST_SELECT LIST_MINE LIST_RECENT);
	if (f->overdue)
		return due ? db_sql(db, LIST_SELECT LIST_RUNNING LIST_DUE)
			   : db_sql(db, LIST_SELECT LIST_RUNNING LIST_RECENT_SORTED);
	return due ? db_sql(db, LIST_SELECT LIST_DUE) : db_sql(db, LIST_SELECT LIST_RECENT);
}

int db_dossier_list(struct db *db, const struct dossier_filter *f,
		    void (*fn)(const struct dossier_row *d, void *ctx), void *ctx, int *more)
{
	sqlite3_stmt *st = list_statement(db, f);
	struct buf key = BUF_INIT;
	struct dossier_row *d = xmalloc(sizeof(*d));
	int rc, n = 0;
	if (f->q && *f->q)
		text_fold(f->q, &key);
	bind_filter(st, f, buf_cstr(&key));
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

int db_dossier_running(struct db *db, int64_t agency_id, int subtree, int64_t due_from, int64_t due_to,
		       int64_t after_due, int64_t after_id, int limit,
		       void (*fn)(const struct dossier_row *d, void *ctx), void *ctx, int *more)
{
	sqlite3_stmt *st;
	struct dossier_row *d = xmalloc(sizeof(*d));
	int rc, n = 0;
	/* The WHERE repeats the partial index's condition so SQLite uses it. */
	if (agency_id && subtree)
		st = db_sql(db, "WITH RECURSIVE sub(id) AS (SELECT :ag UNION ALL"
			" SELECT a.id FROM agency a JOIN sub ON a.parent_id = sub.id)"
			" SELECT " DOSSIER_COLUMNS DOSSIER_FROM
			" WHERE d.current_agency_id IN sub AND (d.state = 2 OR d.state = 4 OR d.state = 7)"
			" AND d.paused_at IS NULL AND d.due_at IS NOT NULL"
			" AND d.due_at >= :from AND d.due_at < :to"
			" AND (:id = 0 OR (d.due_at, d.id) > (:key, :id))"
			" ORDER BY d.due_at, d.id LIMIT :limit");
	else if (agency_id)
		st = db_sql(db, "SELECT " DOSSIER_COLUMNS DOSSIER_FROM
			" WHERE d.current_agency_id = :ag AND (d.state = 2 OR d.state = 4 OR d.state = 7)"
			" AND d.paused_at IS NULL AND d.due_at IS NOT NULL"
			" AND d.due_at >= :from AND d.due_at < :to"
			" AND (:id = 0 OR (d.due_at, d.id) > (:key, :id))"
			" ORDER BY d.due_at, d.id LIMIT :limit");
	else
		st = db_sql(db, "SELECT " DOSSIER_COLUMNS DOSSIER_FROM
			" WHERE (d.state = 2 OR d.state = 4 OR d.state = 7)"
			" AND d.paused_at IS NULL AND d.due_at IS NOT NULL"
			" AND d.due_at >= :from AND d.due_at < :to AND :ag = 0"
			" AND (:id = 0 OR (d.due_at, d.id) > (:key, :id))"
			" ORDER BY d.due_at, d.id LIMIT :limit");
	bind_named_int(st, ":ag", agency_id);
	bind_named_int(st, ":from", due_from);
	bind_named_int(st, ":to", due_to);
	bind_named_int(st, ":key", after_due);
	bind_named_int(st, ":id", after_id);
	bind_named_int(st, ":limit", limit + 1);
	*more = 0;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (n == limit) {
			*more = 1;
			rc = SQLITE_DONE;
			break;
		}
		read_dossier(st, d);
		fn(d, ctx);
		n++;
	}
	db_reset(st);
	free(d);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_dossier_running_counts(struct db *db, int64_t now, int64_t soon,
			      void (*fn)(const struct running_count *c, void *ctx), void *ctx)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT current_agency_id, sum(due_at < :now), sum(due_at < :now AND extension_count = 0),"
		" sum(due_at >= :now AND due_at < :soon)"
		" FROM dossier WHERE (state = 2 OR state = 4 OR state = 7) AND paused_at IS NULL AND due_at IS NOT NULL"
		" AND due_at < :soon GROUP BY current_agency_id");
	struct running_count c;
	int rc;
	bind_named_int(st, ":now", now);
	bind_named_int(st, ":soon", soon);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		c.agency_id = db_int(st, 0);
		c.overdue = db_int(st, 1);
		c.apology_missing = db_int(st, 2);
		c.due_soon = db_int(st, 3);
		fn(&c, ctx);
	}
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
