/*
 * motcua — db_citizen: submissions, attachments, ratings and feedback.
 */
#include "db_citizen.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "capture.h"
#include "db.h"
#include "util.h"
#include "writer.h"

static int finish(struct txn *t, sqlite3_stmt *st, struct api_error *err)
{
	int rc = db_step(t->db, st);
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(t->db, rc, err);
}

static int found(int rc)
{
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static void copy_text(char *dst, size_t n, sqlite3_stmt *st, int i)
{
	strlcpy_(dst, db_text(st, i), n);
}

/* ---- submissions ------------------------------------------------------- */

int db_submission_insert(struct txn *t, struct submission_row *s, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO submission (ref, token_hash, procedure_id, agency_id, applicant_name,"
		" applicant_id_number, applicant_phone, applicant_address, applicant_email, note,"
		" created_at, expires_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	db_bind_text(st, 1, s->ref);
	db_bind_blob(st, 2, s->token_hash, sizeof(s->token_hash));
	db_bind_int(st, 3, s->procedure_id);
	db_bind_int(st, 4, s->agency_id);
	db_bind_text(st, 5, s->applicant_name);
	db_bind_text(st, 6, s->applicant_id_number);
	db_bind_text(st, 7, s->applicant_phone);
	db_bind_text(st, 8, s->applicant_address);
	db_bind_text(st, 9, s->applicant_email);
	db_bind_text(st, 10, s->note);
	db_bind_int(st, 11, s->created_at);
	db_bind_int(st, 12, s->expires_at);
	int rc = db_step(t->db, st);
	db_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return api_error_set(err, 409, "ref_taken", NULL, "This reference is taken.");
	if (rc != SQLITE_DONE)
		return db_fail(t->db, rc, err);
	s->id = db_last_id(t->db);
	return 0;
}

int db_submission_by_ref(struct db *db, const char *ref, struct submission_row *out)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT id, ref, token_hash, procedure_id, agency_id, applicant_name,"
		" applicant_id_number, applicant_phone, applicant_address, applicant_email, note,"
		" created_at, expires_at, submitted_at, dossier_id FROM submission WHERE ref = ?1");
	db_bind_text(st, 1, ref);
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		out->id = db_int(st, 0);
		copy_text(out->ref, sizeof(out->ref), st, 1);
		if (sqlite3_column_bytes(st, 2) == (int)sizeof(out->token_hash))
			memcpy(out->token_hash, sqlite3_column_blob(st, 2), sizeof(out->token_hash));
		out->procedure_id = db_int(st, 3);
		out->agency_id = db_int(st, 4);
		copy_text(out->applicant_name, sizeof(out->applicant_name), st, 5);
		copy_text(out->applicant_id_number, sizeof(out->applicant_id_number), st, 6);
		copy_text(out->applicant_phone, sizeof(out->applicant_phone), st, 7);
		copy_text(out->applicant_address, sizeof(out->applicant_address), st, 8);
		copy_text(out->applicant_email, sizeof(out->applicant_email), st, 9);
		copy_text(out->note, sizeof(out->note), st, 10);
		out->created_at = db_int(st, 11);
		out->expires_at = db_int(st, 12);
		out->submitted_at = db_int(st, 13);
		out->dossier_id = db_int(st, 14);
	}
	db_reset(st);
	return found(rc);
}

int db_submission_mark_submitted(struct txn *t, int64_t id, int64_t dossier_id, int64_t now,
				 struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"UPDATE submission SET submitted_at = ?2, dossier_id = ?3, applicant_name = '',"
		" applicant_id_number = '', applicant_phone = '', applicant_address = '',"
		" applicant_email = '', note = '' WHERE id = ?1");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, dossier_id);
	return finish(t, st, err);
}

int db_submission_expired(struct db *db, int64_t now, int64_t *ids, int max)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT id FROM submission WHERE dossier_id IS NULL AND expires_at < ?1"
		" ORDER BY expires_at LIMIT ?2");
	int n = 0, rc;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, max);
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		ids[n++] = db_int(st, 0);
	db_reset(st);
	return rc == SQLITE_DONE ? n : -1;
}

int db_submission_delete(struct txn *t, int64_t id, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db, "DELETE FROM submission WHERE id = ?1 AND dossier_id IS NULL");
	db_bind_int(st, 1, id);
	return finish(t, st, err);
}

/* ---- attachments ------------------------------------------------------- */

int db_attachment_put(struct txn *t, const struct attachment_row *a, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO attachment (submission_id, seq, dossier_id, name, label, mime, size,"
		" sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
		" ON CONFLICT (submission_id, seq) DO UPDATE SET name = excluded.name,"
		" label = excluded.label, mime = excluded.mime, size = excluded.size,"
		" sha256 = excluded.sha256, created_at = excluded.created_at");
	db_bind_int(st, 1, a->submission_id);
	db_bind_int(st, 2, a->seq);
	db_bind_int_or_null(st, 3, a->dossier_id);
	db_bind_text(st, 4, a->name);
	db_bind_text(st, 5, a->label);
	db_bind_text(st, 6, a->mime);
	db_bind_int(st, 7, a->size);
	db_bind_text(st, 8, a->sha256);
	db_bind_int(st, 9, a->created_at);
	return finish(t, st, err);
}

int db_attachment_delete(struct txn *t, int64_t submission_id, int seq, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db, "DELETE FROM attachment WHERE submission_id = ?1 AND seq = ?2");
	db_bind_int(st, 1, submission_id);
	db_bind_int(st, 2, seq);
	return finish(t, st, err);
}

#define ATTACHMENT_COLUMNS \
	"submission_id, seq, dossier_id, name, label, mime, size, sha256, created_at"

static void read_attachment(sqlite3_stmt *st, struct attachment_row *a)
{
	memset(a, 0, sizeof(*a));
	a->submission_id = db_int(st, 0);
	a->seq = (int)db_int(st, 1);
	a->dossier_id = db_int(st, 2);
	copy_text(a->name, sizeof(a->name), st, 3);
	copy_text(a->label, sizeof(a->label), st, 4);
	copy_text(a->mime, sizeof(a->mime), st, 5);
	a->size = db_int(st, 6);
	copy_text(a->sha256, sizeof(a->sha256), st, 7);
	a->created_at = db_int(st, 8);
}

/* The row of a statement whose ?1 and ?2 pick one attachment. */
static int one_attachment(struct db *db, sqlite3_stmt *st, int64_t owner, int seq,
			  struct attachment_row *out)
{
	db_bind_int(st, 1, owner);
	db_bind_int(st, 2, seq);
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		read_attachment(st, out);
	db_reset(st);
	return found(rc);
}

int db_attachment_get(struct db *db, int64_t submission_id, int seq, struct attachment_row *out)
{
	return one_attachment(db, db_sql(db, "SELECT " ATTACHMENT_COLUMNS
		" FROM attachment WHERE submission_id = ?1 AND seq = ?2"), submission_id, seq, out);
}

int db_attachment_of_dossier(struct db *db, int64_t dossier_id, int seq, struct attachment_row *out)
{
	return one_attachment(db, db_sql(db, "SELECT " ATTACHMENT_COLUMNS
		" FROM attachment WHERE dossier_id = ?1 AND seq = ?2"), dossier_id, seq, out);
}

int db_attachment_list(struct db *db, int64_t submission_id, int64_t dossier_id,
		       struct attachment_row *out, int max)
{
	sqlite3_stmt *st;
	int n = 0, rc;
	if (dossier_id) {
		st = db_sql(db, "SELECT " ATTACHMENT_COLUMNS
			" FROM attachment WHERE dossier_id = ?1 ORDER BY seq");
		db_bind_int(st, 1, dossier_id);
	} else {
		st = db_sql(db, "SELECT " ATTACHMENT_COLUMNS
			" FROM attachment WHERE submission_id = ?1 ORDER BY seq");
		db_bind_int(st, 1, submission_id);
	}
	while ((rc = db_step(db, st)) == SQLITE_ROW && n < max)
		read_attachment(st, &out[n++]);
	db_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : -1;
}

int db_attachment_link(struct txn *t, int64_t submission_id, int64_t dossier_id,
		       struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db, "UPDATE attachment SET dossier_id = ?2 WHERE submission_id = ?1");
	db_bind_int(st, 1, submission_id);
	db_bind_int(st, 2, dossier_id);
	return finish(t, st, err);
}

int db_attachment_sha_used(struct db *db, const char *sha256)
{
	sqlite3_stmt *st = db_sql(db, "SELECT 1 FROM attachment WHERE sha256 = ?1 LIMIT 1");
	db_bind_text(st, 1, sha256);
	int rc = db_step(db, st);
	db_reset(st);
	return found(rc);
}

/* ---- ratings ----------------------------------------------------------- */

int db_rating_token_insert(struct txn *t, const unsigned char hash[32], int64_t dossier_id,
			   int64_t now, const char *by, struct api_error *err)
{
	if (t->cap)
		return db_captured(capture_rating_token(t->cap, hash, dossier_id, now, by), err);
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO rating_token (token_hash, dossier_id, created_at, created_by)"
		" VALUES (?1, ?2, ?3, ?4)");
	db_bind_blob(st, 1, hash, 32);
	db_bind_int(st, 2, dossier_id);
	db_bind_int(st, 3, now);
	db_bind_text(st, 4, by ? by : "");
	return finish(t, st, err);
}

int db_rating_token_dossier(struct db *db, const unsigned char hash[32], int64_t *dossier_id)
{
	sqlite3_stmt *st = db_sql(db, "SELECT dossier_id FROM rating_token WHERE token_hash = ?1");
	db_bind_blob(st, 1, hash, 32);
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		*dossier_id = db_int(st, 0);
	db_reset(st);
	return found(rc);
}

int db_rating_insert(struct txn *t, const struct rating_row *r, struct api_error *err)
{
	if (t->cap)
		return db_captured(capture_rating(t->cap, r), err);
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO rating (dossier_id, agency_id, receiving_agency_id, rated_at, day,"
		" time_score, trips, attitude_score, result_score, unofficial_payment, comment, dislike)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	db_bind_int(st, 1, r->dossier_id);
	db_bind_int(st, 2, r->agency_id);
	db_bind_int(st, 3, r->receiving_agency_id);
	db_bind_int(st, 4, r->rated_at);
	db_bind_int(st, 5, r->day);
	db_bind_int(st, 6, r->time_score);
	db_bind_int(st, 7, r->trips);
	db_bind_int(st, 8, r->attitude_score);
	db_bind_int(st, 9, r->result_score);
	db_bind_int(st, 10, r->unofficial_payment);
	db_bind_text(st, 11, r->comment);
	db_bind_int(st, 12, r->dislike);
	int rc = db_step(t->db, st);
	db_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return api_error_set(err, 409, "already_rated", NULL, "This dossier has been rated already.");
	return rc == SQLITE_DONE ? 0 : db_fail(t->db, rc, err);
}

int db_rating_get(struct db *db, int64_t dossier_id, struct rating_row *out)
{
	sqlite3_stmt *st = db_sql(db,
		"SELECT dossier_id, agency_id, receiving_agency_id, rated_at, day, time_score, trips,"
		" attitude_score, result_score, unofficial_payment, comment, dislike"
		" FROM rating WHERE dossier_id = ?1");
	db_bind_int(st, 1, dossier_id);
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		out->dossier_id = db_int(st, 0);
		out->agency_id = db_int(st, 1);
		out->receiving_agency_id = db_int(st, 2);
		out->rated_at = db_int(st, 3);
		out->day = (int32_t)db_int(st, 4);
		out->time_score = (int)db_int(st, 5);
		out->trips = (int)db_int(st, 6);
		out->attitude_score = (int)db_int(st, 7);
		out->result_score = (int)db_int(st, 8);
		out->unofficial_payment = (int)db_int(st, 9);
		copy_text(out->comment, sizeof(out->comment), st, 10);
		out->dislike = (int)db_int(st, 11);
	}
	db_reset(st);
	return found(rc);
}

/* Per-agency figures are merged from several grouped queries; a province
 * has at most a few hundred agencies, so a sorted array is enough. */
struct merge {
	int64_t *ids;
	void *vals;
	size_t size;		/* bytes per value */
	size_t n, cap;
};

static void *merge_slot(struct merge *m, int64_t id)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->n && m->ids[lo] == id)
		return (char *)m->vals + lo * m->size;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 32;
		m->ids = xrealloc(m->ids, m->cap * sizeof(*m->ids));
		m->vals = xrealloc(m->vals, m->cap * m->size);
	}
	memmove(m->ids + lo + 1, m->ids + lo, (m->n - lo) * sizeof(*m->ids));
	memmove((char *)m->vals + (lo + 1) * m->size, (char *)m->vals + lo * m->size,
		(m->n - lo) * m->size);
	m->ids[lo] = id;
	memset((char *)m->vals + lo * m->size, 0, m->size);
	m->n++;
	return (char *)m->vals + lo * m->size;
}

static void merge_release(struct merge *m)
{
	free(m->ids);
	free(m->vals);
}

int db_rating_sums(struct db *db, int64_t agency_id, int32_t from, int32_t to,
		   void (*fn)(int64_t agency_id, const struct rating_summary *s, void *ctx), void *ctx)
{
	struct merge m = { NULL, NULL, sizeof(struct rating_summary), 0, 0 };
	int rc;
	sqlite3_stmt *st = db_sql(db,
		"SELECT agency_id, count(*), sum(time_score), sum(trips), sum(attitude_score),"
		" sum(result_score), sum(dislike), sum(unofficial_payment)"
		" FROM rating WHERE (?1 = 0 OR agency_id = ?1) AND day BETWEEN ?2 AND ?3"
		" GROUP BY agency_id");
	db_bind_int(st, 1, agency_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct rating_summary *s = merge_slot(&m, db_int(st, 0));
		s->ratings = db_int(st, 1);
		s->time_sum = db_int(st, 2);
		s->trips_sum = db_int(st, 3);
		s->attitude_sum = db_int(st, 4);
		s->result_sum = db_int(st, 5);
		s->dislikes = db_int(st, 6);
		s->unofficial_payments = db_int(st, 7);
	}
	db_reset(st);
	if (rc != SQLITE_DONE)
		goto out;
	/* Dossiers with a dislike or a feedback item, each counted once. */
	st = db_sql(db,
		"SELECT agency, count(*) FROM ("
		" SELECT r.agency_id AS agency, r.dossier_id AS dossier FROM rating r"
		"  WHERE r.dislike = 1 AND (?1 = 0 OR r.agency_id = ?1) AND r.day BETWEEN ?2 AND ?3"
		" UNION"
		" SELECT coalesce(d.lead_agency_id, d.receiving_agency_id), f.dossier_id"
		"  FROM feedback f JOIN dossier d ON d.id = f.dossier_id"
		"  WHERE f.received_day BETWEEN ?2 AND ?3"
		"  AND (?1 = 0 OR coalesce(d.lead_agency_id, d.receiving_agency_id) = ?1)"
		") GROUP BY agency");
	db_bind_int(st, 1, agency_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct rating_summary *s = merge_slot(&m, db_int(st, 0));
		s->complained_dossiers = db_int(st, 1);
	}
	db_reset(st);
	if (rc != SQLITE_DONE)
		goto out;
	for (size_t i = 0; i < m.n; i++)
		fn(m.ids[i], (struct rating_summary *)m.vals + i, ctx);
out:
	merge_release(&m);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- feedback ---------------------------------------------------------- */

int db_feedback_next_seq(struct txn *t, const char *day, int *seq, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO feedback_seq (day, last) VALUES (?1, 1)"
		" ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last");
	db_bind_text(st, 1, day);
	int rc = db_step(t->db, st);
	if (rc == SQLITE_ROW)
		*seq = (int)db_int(st, 0);
	db_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(t->db, rc, err);
}

int db_feedback_insert(struct txn *t, struct feedback_row *f, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO feedback (code, agency_id, dossier_id, kind, subject, content,"
		" contact_name, contact_phone, contact_email, received_at, received_day, due_at,"
		" state, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?10)");
	db_bind_text(st, 1, f->code);
	db_bind_int(st, 2, f->agency_id);
	db_bind_int_or_null(st, 3, f->dossier_id);
	db_bind_text(st, 4, f->kind);
	db_bind_text(st, 5, f->subject);
	db_bind_text(st, 6, f->content);
	db_bind_text(st, 7, f->contact_name);
	db_bind_text(st, 8, f->contact_phone);
	db_bind_text(st, 9, f->contact_email);
	db_bind_int(st, 10, f->received_at);
	db_bind_int(st, 11, f->received_day);
	db_bind_int(st, 12, f->due_at);
	db_bind_text(st, 13, f->state);
	int rc = db_step(t->db, st);
	db_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(t->db, rc, err);
	f->id = db_last_id(t->db);
	f->updated_at = f->received_at;
	return 0;
}

int db_feedback_update(struct txn *t, const struct feedback_row *f, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"UPDATE feedback SET agency_id = ?2, state = ?3, assignee_id = ?4, answer = ?5,"
		" answer_public = ?6, answered_at = ?7, answered_day = ?8, answered_by = ?9,"
		" on_time = ?10, closed_at = ?11, close_reason = ?12, updated_at = ?13"
		" WHERE id = ?1");
	db_bind_int(st, 1, f->id);
	db_bind_int(st, 2, f->agency_id);
	db_bind_text(st, 3, f->state);
	db_bind_int_or_null(st, 4, f->assignee_id);
	db_bind_text(st, 5, f->answer);
	db_bind_int(st, 6, f->answer_public);
	db_bind_int_or_null(st, 7, f->answered_at);
	db_bind_int_or_null(st, 8, f->answered_day);
	db_bind_int_or_null(st, 9, f->answered_by_id);
	if (f->on_time >= 0)
		db_bind_int(st, 10, f->on_time);
	else
		db_bind_null(st, 10);
	db_bind_int_or_null(st, 11, f->closed_at);
	db_bind_text(st, 12, f->close_reason);
	db_bind_int(st, 13, f->updated_at);
	return finish(t, st, err);
}

#define FEEDBACK_COLUMNS \
	"f.id, f.code, f.agency_id, a.code, a.name, f.dossier_id, coalesce(d.code, d.ref), f.kind," \
	" f.subject, f.content, f.contact_name, f.contact_phone, f.contact_email, f.received_at," \
	" f.received_day, f.due_at, f.state, f.assignee_id, u.username, f.answer, f.answer_public," \
	" f.answered_at, f.answered_day, f.answered_by, b.username, f.on_time, f.closed_at," \
	" f.close_reason, f.updated_at"
#define FEEDBACK_FROM \
	" FROM feedback f JOIN agency a ON a.id = f.agency_id" \
	" LEFT JOIN dossier d ON d.id = f.dossier_id" \
	" LEFT JOIN account u ON u.id = f.assignee_id" \
	" LEFT JOIN account b ON b.id = f.answered_by"

static void read_feedback(sqlite3_stmt *st, struct feedback_row *f)
{
	int i = 0;
	memset(f, 0, sizeof(*f));
	f->id = db_int(st, i++);
	copy_text(f->code, sizeof(f->code), st, i++);
	f->agency_id = db_int(st, i++);
	copy_text(f->agency_code, sizeof(f->agency_code), st, i++);
	copy_text(f->agency_name, sizeof(f->agency_name), st, i++);
	f->dossier_id = db_int(st, i++);
	copy_text(f->dossier_code, sizeof(f->dossier_code), st, i++);
	copy_text(f->kind, sizeof(f->kind), st, i++);
	copy_text(f->subject, sizeof(f->subject), st, i++);
	copy_text(f->content, sizeof(f->content), st, i++);
	copy_text(f->contact_name, sizeof(f->contact_name), st, i++);
	copy_text(f->contact_phone, sizeof(f->contact_phone), st, i++);
	copy_text(f->contact_email, sizeof(f->contact_email), st, i++);
	f->received_at = db_int(st, i++);
	f->received_day = (int32_t)db_int(st, i++);
	f->due_at = db_int(st, i++);
	copy_text(f->state, sizeof(f->state), st, i++);
	f->assignee_id = db_int(st, i++);
	copy_text(f->assignee, sizeof(f->assignee), st, i++);
	copy_text(f->answer, sizeof(f->answer), st, i++);
	f->answer_public = (int)db_int(st, i++);
	f->answered_at = db_int(st, i++);
	f->answered_day = (int32_t)db_int(st, i++);
	f->answered_by_id = db_int(st, i++);
	copy_text(f->answered_by, sizeof(f->answered_by), st, i++);
	f->on_time = db_is_null(st, i) ? -1 : (int)db_int(st, i);
	i++;
	f->closed_at = db_int(st, i++);
	copy_text(f->close_reason, sizeof(f->close_reason), st, i++);
	f->updated_at = db_int(st, i++);
}

int db_feedback_by_code(struct db *db, const char *code, struct feedback_row *out)
{
	sqlite3_stmt *st = db_sql(db, "SELECT " FEEDBACK_COLUMNS FEEDBACK_FROM " WHERE f.code = ?1");
	db_bind_text(st, 1, code);
	int rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		read_feedback(st, out);
	db_reset(st);
	return found(rc);
}

/* ?1 scope (0 all, 1 agency, 2 subtree)  ?2 agency  ?3 state ('' any,
 * 'open')  ?4 overdue  ?5 now  ?6 assignee  ?7 q exact  ?8 q folded words
 * ?9/?10 cursor (due, id)  ?11 limit */
int db_feedback_list(struct db *db, const struct feedback_filter *f,
		     void (*fn)(const struct feedback_row *r, void *ctx), void *ctx, int *more)
{
	struct buf key = BUF_INIT;
	struct feedback_row *row = xmalloc(sizeof(*row));
	int rc, n = 0;
	sqlite3_stmt *st = db_sql(db,
		"WITH RECURSIVE sub(id) AS (SELECT ?2 WHERE ?1 = 2 UNION ALL"
		" SELECT a.id FROM agency a JOIN sub ON a.parent_id = sub.id) "
		"SELECT " FEEDBACK_COLUMNS FEEDBACK_FROM
		" WHERE (?1 = 0 OR (?1 = 1 AND f.agency_id = ?2) OR (?1 = 2 AND f.agency_id IN sub))"
		" AND (?3 = '' OR f.state = ?3"
		"      OR (?3 = 'open' AND f.state IN ('received', 'in_progress')))"
		" AND (?4 = 0 OR (f.state IN ('received', 'in_progress') AND f.due_at < ?5))"
		" AND (?6 = 0 OR f.assignee_id = ?6)"
		" AND (?7 IS NULL OR f.code = ?7 OR instr(lower(f.subject), lower(?8)) > 0)"
		" AND (?10 = 0 OR (f.due_at, f.id) > (?9, ?10))"
		" AND (?12 = 0 OR f.received_at >= ?12) AND (?13 = 0 OR f.received_at < ?13)"
		" AND (?14 = 0 OR f.answered_at >= ?14) AND (?15 = 0 OR f.answered_at < ?15)"
		" AND (?16 = 0 OR (f.answered_at IS NOT NULL AND f.on_time = (?16 = 1)))"
		" AND (?17 = 0 OR (f.received_at < ?17 AND f.due_at < ?17"
		"      AND (f.answered_at IS NULL OR f.answered_at >= ?17)"
		"      AND (f.closed_at IS NULL OR f.closed_at >= ?17)))"
		" ORDER BY f.due_at, f.id LIMIT ?11");
	db_bind_int(st, 1, f->scope == SCOPE_ALL ? 0 : f->scope == SCOPE_AGENCY ? 1 : 2);
	db_bind_int(st, 2, f->agency_id);
	db_bind_text(st, 3, f->state ? f->state : "");
	db_bind_int(st, 4, f->overdue);
	db_bind_int(st, 5, f->now);
	db_bind_int(st, 6, f->assignee_id);
	if (f->q && *f->q) {
		db_bind_text(st, 7, f->q);
		buf_adds(&key, f->q);
		db_bind_text(st, 8, buf_cstr(&key));
	}
	db_bind_int(st, 9, f->after_due);
	db_bind_int(st, 10, f->after_id);
	db_bind_int(st, 11, f->limit + 1);
	db_bind_int(st, 12, f->received_from);
	db_bind_int(st, 13, f->received_to);
	db_bind_int(st, 14, f->answered_from);
	db_bind_int(st, 15, f->answered_to);
	db_bind_int(st, 16, f->answered);
	db_bind_int(st, 17, f->open_overdue_at);
	*more = 0;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (n == f->limit) {
			*more = 1;
			break;
		}
		read_feedback(st, row);
		fn(row, ctx);
		n++;
	}
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	db_reset(st);
	buf_release(&key);
	free(row);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_feedback_sums(struct db *db, int64_t agency_id, int32_t from, int32_t to, int64_t at,
		     void (*fn)(int64_t agency_id, const struct feedback_summary *s, void *ctx),
		     void *ctx)
{
	struct merge m = { NULL, NULL, sizeof(struct feedback_summary), 0, 0 };
	int rc;
	sqlite3_stmt *st = db_sql(db,
		"SELECT agency_id, count(*) FROM feedback"
		" WHERE (?1 = 0 OR agency_id = ?1) AND received_day BETWEEN ?2 AND ?3"
		" GROUP BY agency_id");
	db_bind_int(st, 1, agency_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		((struct feedback_summary *)merge_slot(&m, db_int(st, 0)))->received = db_int(st, 1);
	db_reset(st);
	if (rc != SQLITE_DONE)
		goto out;
	st = db_sql(db,
		"SELECT agency_id, sum(on_time = 1), sum(on_time = 0) FROM feedback"
		" WHERE (?1 = 0 OR agency_id = ?1) AND answered_day BETWEEN ?2 AND ?3"
		" GROUP BY agency_id");
	db_bind_int(st, 1, agency_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		struct feedback_summary *s = merge_slot(&m, db_int(st, 0));
		s->answered_on_time = db_int(st, 1);
		s->answered_late = db_int(st, 2);
	}
	db_reset(st);
	if (rc != SQLITE_DONE)
		goto out;
	st = db_sql(db,
		"SELECT agency_id, count(*) FROM feedback"
		" WHERE (?1 = 0 OR agency_id = ?1) AND received_at < ?2 AND due_at < ?2"
		" AND (answered_at IS NULL OR answered_at >= ?2) AND (closed_at IS NULL OR closed_at >= ?2)"
		" GROUP BY agency_id");
	db_bind_int(st, 1, agency_id);
	db_bind_int(st, 2, at);
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		((struct feedback_summary *)merge_slot(&m, db_int(st, 0)))->open_overdue = db_int(st, 1);
	db_reset(st);
	if (rc != SQLITE_DONE)
		goto out;
	for (size_t i = 0; i < m.n; i++)
		fn(m.ids[i], (struct feedback_summary *)m.vals + i, ctx);
out:
	merge_release(&m);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- agencies ---------------------------------------------------------- */

/* ?1 today  ?2 level ('' = every agency, else one-stops of that
 * procedure level) */
#define AGENCY_PUBLIC_WHERE \
	" WHERE (a.valid_from IS NULL OR a.valid_from <= ?1)" \
	" AND (a.valid_to IS NULL OR a.valid_to >= ?1)" \
	" AND (?2 = ''" \
	"  OR (((?2 = 'commune' AND a.level = 'commune')" \
	"       OR (?2 = 'province' AND a.level IN ('province', 'department')))" \
	"      AND EXISTS (SELECT 1 FROM account c WHERE c.agency_id = a.id" \
	"                  AND c.role = 'clerk' AND c.disabled = 0)))"

int db_citizen_agencies(struct db *db, const char *today, const char *onestop_level,
			void (*fn)(int64_t id, const char *code, const char *name,
				   const char *level, void *ctx), void *ctx)
{
	sqlite3_stmt *st = db_sql(db, "SELECT a.id, a.code, a.name, a.level FROM agency a"
		AGENCY_PUBLIC_WHERE " ORDER BY a.name, a.code");
	int rc;
	db_bind_text(st, 1, today);
	db_bind_text(st, 2, onestop_level ? onestop_level : "");
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		fn(db_int(st, 0), db_text(st, 1), db_text(st, 2), db_text(st, 3), ctx);
	db_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_citizen_is_onestop(struct db *db, int64_t agency_id, const char *level, const char *today)
{
	sqlite3_stmt *st = db_sql(db, "SELECT 1 FROM agency a"
		AGENCY_PUBLIC_WHERE " AND a.id = ?3");
	db_bind_text(st, 1, today);
	db_bind_text(st, 2, level ? level : "");
	db_bind_int(st, 3, agency_id);
	int rc = db_step(db, st);
	db_reset(st);
	return found(rc);
}

int db_secret_get(struct db *db, const char *name, unsigned char out[32])
{
	sqlite3_stmt *st = db_sql(db, "SELECT value FROM app_secret WHERE name = ?1");
	db_bind_text(st, 1, name);
	int rc = db_step(db, st);
	int found = rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) >= 32;
	if (found)
		memcpy(out, sqlite3_column_blob(st, 0), 32);
	db_reset(st);
	return found ? 1 : rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int db_rating_token_ensure(struct txn *t, const unsigned char hash[32], int64_t dossier_id,
			   int64_t now, const char *by, struct api_error *err)
{
	sqlite3_stmt *st = db_sql(t->db,
		"INSERT INTO rating_token (token_hash, dossier_id, created_at, created_by)"
		" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (token_hash) DO NOTHING");
	db_bind_blob(st, 1, hash, 32);
	db_bind_int(st, 2, dossier_id);
	db_bind_int(st, 3, now);
	db_bind_text(st, 4, by ? by : "");
	return finish(t, st, err);
}

int db_rating_token_known(struct db *db, const unsigned char hash[32])
{
	sqlite3_stmt *st = db_sql(db, "SELECT 1 FROM rating_token WHERE token_hash = ?1");
	db_bind_blob(st, 1, hash, 32);
	int rc = db_step(db, st);
	db_reset(st);
	return rc == SQLITE_ROW;
}
