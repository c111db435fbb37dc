/*
 * motcua — dossier: the intake transaction.
 */
#include "dossier.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "calendar.h"
#include "code.h"
#include "date.h"
#include "db.h"
#include "db_catalog.h"
#include "db_event.h"
#include "principal.h"
#include "text.h"
#include "tz.h"
#include "util.h"
#include "writer.h"

void dossier_limit(const struct procedure_row *p, const char *channel, int *value,
		   enum deadline_unit *unit)
{
	const char *u = p->limit_unit;
	*value = p->limit_value;
	if (strcmp(channel, "online") == 0 && p->online_limit_value >= 0 && p->online_limit_unit[0]) {
		*value = p->online_limit_value;
		u = p->online_limit_unit;
	}
	if (deadline_unit_parse(u, unit) != 0)
		*unit = DEADLINE_NONE;
}

int dossier_deadline(const struct calendar *cal, const struct procedure_row *p,
		     const char *channel, int64_t at, int64_t *start, int64_t *due,
		     int *uncovered_year)
{
	struct deadline_result r;
	enum deadline_unit unit;
	int value;
	dossier_limit(p, channel, &value, &unit);
	if (deadline_compute(&cal->dc, tz_local(at), value, unit, &r) != 0)
		return -1;
	*start = tz_utc(r.start);
	*due = unit == DEADLINE_NONE ? 0 : tz_utc(r.due);
	*uncovered_year = r.uncovered_year;
	return 0;
}

int dossier_level_can_receive(const char *agency_level, const char *procedure_level)
{
	if (strcmp(procedure_level, "commune") == 0)
		return strcmp(agency_level, "commune") == 0;
	return strcmp(agency_level, "province") == 0 || strcmp(agency_level, "department") == 0;
}

/* The receiving agency must exist on the day of receipt and be of a level
 * that receives this procedure. */
static int check_receiver(struct txn *t, const struct intake *in,
			  const struct procedure_row *p, struct agency_row *ag,
			  const char *today, struct api_error *err)
{
	if (db_agency_by_id(t->db, in->actor->agency_id, ag) != 1)
		return api_error_set(err, 403, "no_agency", NULL, "Your account has no valid agency.");
	if ((ag->valid_to[0] && strcmp(today, ag->valid_to) > 0)
	    || (ag->valid_from[0] && strcmp(today, ag->valid_from) < 0))
		return api_error_set(err, 403, "agency_inactive", NULL,
				     "Your agency (%s) does not exist on %s; it cannot receive dossiers.",
				     ag->code, today);
	if (!dossier_level_can_receive(ag->level, p->level))
		return api_error_set(err, 422, "wrong_level", "procedure_code",
				     "Procedure %s is received at %s level, not by a %s.",
				     p->code, p->level, ag->level);
	return 0;
}

static void event_data(struct buf *b, const struct intake *in, const struct procedure_row *p,
		       const struct dossier_row *d)
{
	buf_printf(b, "{\"attachments\":%d,\"channel\":\"%s\",\"documents\":%d,\"fee\":%s,"
		   "\"procedure\":\"%s\"}", d->attachments, in->channel, in->n_docs,
		   d->fee_vnd > 0 ? "true" : "false", p->code);
}

/* Fill the new dossier's row from the intake, the procedure and the
 * receiving agency. */
static void fill_row(struct dossier_row *d, const struct intake *in, const struct procedure_row *p,
		     const struct agency_row *ag, int64_t start, int64_t due)
{
	enum deadline_unit unit;
	strlcpy_(d->ref, d->code, sizeof(d->ref));
	d->procedure_id = p->id;
	strlcpy_(d->procedure_code, p->code, sizeof(d->procedure_code));
	strlcpy_(d->procedure_name, p->name, sizeof(d->procedure_name));
	d->receiving_agency_id = ag->id;
	strlcpy_(d->receiving_agency_code, ag->code, sizeof(d->receiving_agency_code));
	strlcpy_(d->receiving_agency_name, ag->name, sizeof(d->receiving_agency_name));
	d->current_agency_id = ag->id;
	strlcpy_(d->current_agency_code, ag->code, sizeof(d->current_agency_code));
	strlcpy_(d->current_agency_name, ag->name, sizeof(d->current_agency_name));
	strlcpy_(d->channel, in->channel, sizeof(d->channel));
	d->state = 2;
	strlcpy_(d->applicant_name, in->name, sizeof(d->applicant_name));
	strlcpy_(d->applicant_id_number, in->id_number, sizeof(d->applicant_id_number));
	strlcpy_(d->applicant_phone, in->phone ? in->phone : "", sizeof(d->applicant_phone));
	strlcpy_(d->applicant_address, in->address ? in->address : "", sizeof(d->applicant_address));
	strlcpy_(d->applicant_email, in->email ? in->email : "", sizeof(d->applicant_email));
	strlcpy_(d->note, in->note ? in->note : "", sizeof(d->note));
	dossier_limit(p, in->channel, &d->limit_value, &unit);
	strlcpy_(d->limit_unit, deadline_unit_name(unit), sizeof(d->limit_unit));
	d->received_at = in->at;
	d->clock_start_at = start;
	d->due_at = d->appointment_at = d->first_due_at = due;
	d->created_at = in->at;
	d->fee_vnd = p->fee_vnd > 0 ? p->fee_vnd : -1;
	d->lead_agency_id = p->agency_id ? p->agency_id : ag->id;
}

int dossier_receive(struct txn *t, const struct intake *in, struct dossier_state *out,
		    int *uncovered_year, struct api_error *err)
{
	struct procedure_row *p = xmalloc(sizeof(*p));
	struct agency_row *ag = xmalloc(sizeof(*ag));
	struct buf key = BUF_INIT, data = BUF_INIT;
	struct calendar *cal = calendar_get();
	struct dossier_row *d = &out->d;
	char today[11];
	int rc = -1, seq;
	int64_t start, due;
	int32_t day = date_day_of(tz_local(in->at));

	date_format_day(day, today);
	memset(out, 0, sizeof(*out));
	*uncovered_year = 0;
	if (db_procedure_by_code(t->db, in->procedure_code, p) != 1 || !p->active) {
		api_error_set(err, 422, "unknown_procedure", "procedure_code",
			      "There is no active procedure with code \"%s\".", in->procedure_code);
		goto out;
	}
	if (check_receiver(t, in, p, ag, today, err) != 0)
		goto out;
	if (!cal || dossier_deadline(cal, p, in->channel, in->at, &start, &due, uncovered_year) != 0) {
		api_error_set(err, 500, "deadline_error", NULL, "Could not compute the due time.");
		goto out;
	}
	if (db_dossier_next_seq(t, ag->id, today, &seq, err) != 0)
		goto out;
	if (code_format(ag->code, day, seq, d->code) != 0) {
		api_error_set(err, 409, "code_sequence_exhausted", NULL,
			      "Agency %s has used all 9999 dossier numbers of %s.", ag->code, today);
		goto out;
	}
	fill_row(d, in, p, ag, start, due);
	if (lifecycle_ovd_track(t, NULL, out, in->at, err) != 0)
		goto out;
	text_fold(in->name, &key);
	if (db_dossier_insert(t, d, buf_cstr(&key), err) != 0)
		goto out;
	for (int i = 0; i < in->n_docs; i++)
		if (db_dossier_add_document(t, d->id, i + 1, &in->docs[i], err) != 0)
			goto out;
	if (lifecycle_make_steps(t, out, err) != 0)
		goto out;
	event_data(&data, in, p, d);
	struct event_rec e = {
		.at = in->at, .dossier_id = d->id, .dossier_ref = d->code,
		.action = "receive", .from_state = 0, .to_state = 2, .step = 0,
		.clock = "start", .due_at = due, .note = "", .data = buf_cstr(&data),
	};
	db_event_actor(&e, in->actor);
	if (db_event_append(t, &e, err) != 0)
		goto out;
	lifecycle_stats(t, NULL, out, in->at);
	rc = 0;
out:
	calendar_put(cal);
	buf_release(&key);
	buf_release(&data);
	free(p);
	free(ag);
	return rc;
}
