/*
 * motcua — feedback: receiving items, the action table, the sums.
 */
#include "feedback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "calendar.h"
#include "date.h"
#include "db.h"
#include "db_account.h"
#include "db_catalog.h"
#include "db_dossier.h"
#include "db_event.h"
#include "deadline.h"
#include "json.h"
#include "lookup.h"
#include "stats.h"
#include "tz.h"
#include "util.h"
#include "writer.h"

void feedback_format_code(int32_t day, int seq, char out[FEEDBACK_CODE_MAX])
{
	int y, m, d;
	date_to_civil(day, &y, &m, &d);
	snprintf(out, FEEDBACK_CODE_MAX, "PAKN-%02d%02d%02d-%04d", y % 100, m, d, seq);
}

int feedback_code_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 16 || n > 17 || strncmp(s, "PAKN-", 5) != 0 || s[11] != '-')
		return 0;
	for (size_t i = 5; i < n; i++)
		if (i != 11 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

int feedback_due(const struct deadline_calendar *cal, int64_t at, int64_t *due)
{
	struct deadline_result r;
	if (deadline_compute(cal, tz_local(at), FEEDBACK_WORKING_DAYS, DEADLINE_WORK_DAYS, &r) != 0)
		return -1;
	*due = tz_utc(r.due);
	return 0;
}

static int agency_exists_on(const struct agency_row *a, const char *today)
{
	return !(a->valid_to[0] && strcmp(today, a->valid_to) > 0)
	       && !(a->valid_from[0] && strcmp(today, a->valid_from) < 0);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* The history row of a change: states, agency and the facts that matter
 * for counting — never the texts or the contact. */
static int record(struct txn *t, const struct feedback_row *f, const char *action,
		  const char *from, const struct principal *actor, cJSON *extra, int64_t now,
		  const char *note, struct api_error *err)
{
	cJSON *o = extra ? extra : cJSON_CreateObject();
	cJSON_AddStringToObject(o, "agency", f->agency_code);
	if (from)
		cJSON_AddStringToObject(o, "from", from);
	cJSON_AddStringToObject(o, "to", f->state);
	char *data = json_print(o);
	cJSON_Delete(o);
	struct event_rec e = {
		.at = now, .dossier_id = 0, .dossier_ref = f->code, .action = action,
		.step = -1, .clock = "", .due_at = f->due_at, .note = nz(note),
		.data = data ? data : "",
	};
	if (actor) {
		db_event_actor(&e, actor);
	} else {
		e.actor = "citizen";
		e.actor_role = "citizen";
		e.actor_agency = "";
	}
	int rc = db_event_append(t, &e, err);
	free(data);
	return rc;
}

/* The dossier named by code (or ref) and check digits, or an error that
 * does not say which of the two was wrong. */
static int verify_dossier(struct txn *t, const struct feedback_in *in, struct dossier_row *d,
			  struct api_error *err)
{
	int rc = db_dossier_by_code(t->db, in->dossier_code, d);
	if (rc == 0)
		rc = db_dossier_by_ref(t->db, in->dossier_code, d);
	if (rc < 0)
		return api_error_set(err, 500, "database_error", NULL, "Could not read the dossier.");
	int ok = lookup_check_matches(in->check, rc == 1 ? d->applicant_phone : "",
				      rc == 1 ? d->applicant_id_number : "");
	if (rc != 1 || !ok)
		return api_error_set(err, 422, "dossier_not_verified", "dossier_code",
				     "No dossier matches this code and these check digits.");
	return 0;
}

int feedback_create(struct txn *t, const struct feedback_in *in, struct feedback_row *out,
		    struct api_error *err)
{
	struct agency_row *ag = xmalloc(sizeof(*ag));
	struct dossier_row *d = xmalloc(sizeof(*d));
	struct calendar *cal = calendar_get();
	char today[11];
	int rc = -1, seq;
	int32_t day = date_day_of(tz_local(in->at));
	date_format_day(day, today);
	memset(out, 0, sizeof(*out));
	memset(d, 0, sizeof(*d));
	if (in->dossier_code && *in->dossier_code && verify_dossier(t, in, d, err) != 0)
		goto out;
	if (in->agency_code && *in->agency_code) {
		if (db_agency_by_code(t->db, in->agency_code, ag) != 1 || !agency_exists_on(ag, today)) {
			api_error_set(err, 422, "unknown_agency", "agency_code",
				      "There is no agency with code \"%s\".", in->agency_code);
			goto out;
		}
	} else if (d->id) {
		if (db_agency_by_id(t->db, d->receiving_agency_id, ag) != 1) {
			api_error_set(err, 500, "database_error", NULL, "Could not read the agency.");
			goto out;
		}
	} else {
		api_error_set(err, 422, "missing_field", "agency_code",
			      "Choose the agency the feedback is about.");
		goto out;
	}
	if (!cal || feedback_due(&cal->dc, in->at, &out->due_at) != 0) {
		api_error_set(err, 500, "deadline_error", NULL, "Could not compute the due time.");
		goto out;
	}
	if (db_feedback_next_seq(t, today, &seq, err) != 0)
		goto out;
	feedback_format_code(day, seq, out->code);
	out->agency_id = ag->id;
	strlcpy_(out->agency_code, ag->code, sizeof(out->agency_code));
	strlcpy_(out->agency_name, ag->name, sizeof(out->agency_name));
	out->dossier_id = d->id;
	strlcpy_(out->dossier_code, d->code[0] ? d->code : d->ref, sizeof(out->dossier_code));
	strlcpy_(out->kind, in->kind, sizeof(out->kind));
	strlcpy_(out->subject, in->subject, sizeof(out->subject));
	strlcpy_(out->content, in->content, sizeof(out->content));
	strlcpy_(out->contact_name, nz(in->contact_name), sizeof(out->contact_name));
	strlcpy_(out->contact_phone, nz(in->contact_phone), sizeof(out->contact_phone));
	strlcpy_(out->contact_email, nz(in->contact_email), sizeof(out->contact_email));
	out->received_at = in->at;
	out->received_day = stats_bucket(day, 0);
	strlcpy_(out->state, "received", sizeof(out->state));
	out->on_time = -1;
	if (db_feedback_insert(t, out, err) != 0)
		goto out;
	cJSON *extra = cJSON_CreateObject();
	cJSON_AddBoolToObject(extra, "anonymous", !out->contact_name[0] && !out->contact_phone[0]
						  && !out->contact_email[0]);
	if (d->id)
		cJSON_AddStringToObject(extra, "dossier", out->dossier_code);
	cJSON_AddStringToObject(extra, "kind", out->kind);
	if (record(t, out, "feedback_receive", NULL, NULL, extra, in->at, NULL, err) != 0)
		goto out;
	rc = 0;
out:
	calendar_put(cal);
	free(ag);
	free(d);
	return rc;
}

/* ---- actions ------------------------------------------------------------ */

static const char *const action_names[FB_ACTION__MAX] = { "assign", "answer", "close", "transfer" };

const char *feedback_action_name(enum feedback_action a)
{
	return a < FB_ACTION__MAX ? action_names[a] : "?";
}

int feedback_action_parse(const char *s, enum feedback_action *a)
{
	for (int i = 0; i < FB_ACTION__MAX; i++)
		if (s && strcmp(s, action_names[i]) == 0) {
			*a = (enum feedback_action)i;
			return 0;
		}
	return -1;
}

/* from:   the state the item must be in
 * action: what is asked
 * to:     the state after it */
static const struct {
	const char *from;
	enum feedback_action action;
	const char *to;
} rules[] = {
	{ "received", FB_ASSIGN, "in_progress" },
	{ "in_progress", FB_ASSIGN, "in_progress" },
	{ "received", FB_ANSWER, "answered" },
	{ "in_progress", FB_ANSWER, "answered" },
	{ "received", FB_CLOSE, "closed" },
	{ "in_progress", FB_CLOSE, "closed" },
	{ "answered", FB_CLOSE, "closed" },
	{ "received", FB_TRANSFER, "received" },
	{ "in_progress", FB_TRANSFER, "received" },
};

int feedback_decide(const char *state, enum feedback_action a, enum role role, const char **to,
		    struct api_error *err)
{
	if (role != ROLE_CLERK && role != ROLE_OFFICER && role != ROLE_MANAGER)
		return api_error_set(err, 403, "forbidden", NULL,
				     "Only clerks, officers and managers work on feedback.");
	for (size_t i = 0; i < ARRAY_LEN(rules); i++)
		if (rules[i].action == a && strcmp(rules[i].from, state) == 0) {
			*to = rules[i].to;
			return 0;
		}
	return api_error_set(err, 409, "invalid_state", NULL, "Feedback that is %s cannot be given \"%s\".",
			     state, feedback_action_name(a));
}

int feedback_in_scope(struct db *db, const struct feedback_row *f, const struct principal *p)
{
	switch (p->role) {
	case ROLE_ADMIN:
	case ROLE_AUDITOR:
		return 1;
	case ROLE_MANAGER:
		return f->agency_id == p->agency_id || db_agency_within(db, f->agency_id, p->agency_id);
	default:
		return f->agency_id == p->agency_id;
	}
}

static int need(const char *s, const char *field, const char *what, struct api_error *err)
{
	if (!s || !*s)
		return api_error_set(err, 422, "missing_field", field, "%s is required for this action.", what);
	return 0;
}

static int do_assign(struct txn *t, struct feedback_row *f, const struct feedback_action_in *in,
		     cJSON *extra, struct api_error *err)
{
	struct account_row acc;
	if (need(in->assignee, "assignee", "The assignee", err) != 0)
		return -1;
	if (db_account_by_username(t->db, in->assignee, &acc) != 1 || acc.disabled)
		return api_error_set(err, 422, "unknown_assignee", "assignee",
				     "No active account is called \"%s\".", in->assignee);
	if (acc.agency_id != f->agency_id
	    || (acc.role != ROLE_OFFICER && acc.role != ROLE_MANAGER && acc.role != ROLE_CLERK))
		return api_error_set(err, 422, "invalid_assignee", "assignee",
				     "%s does not work on feedback at %s.", in->assignee, f->agency_code);
	f->assignee_id = acc.id;
	strlcpy_(f->assignee, acc.username, sizeof(f->assignee));
	cJSON_AddStringToObject(extra, "assignee", acc.username);
	return 0;
}

static int do_transfer(struct txn *t, struct feedback_row *f, const struct feedback_action_in *in,
		       int64_t now, cJSON *extra, struct api_error *err)
{
	struct agency_row *ag = xmalloc(sizeof(*ag));
	char today[11];
	int rc = -1;
	date_format_day(date_day_of(tz_local(now)), today);
	if (need(in->agency_code, "agency_code", "The agency to transfer to", err) != 0)
		goto out;
	if (db_agency_by_code(t->db, in->agency_code, ag) != 1 || !agency_exists_on(ag, today)) {
		api_error_set(err, 422, "unknown_agency", "agency_code",
			      "There is no agency with code \"%s\".", in->agency_code);
		goto out;
	}
	if (ag->id == f->agency_id) {
		api_error_set(err, 422, "invalid_field", "agency_code", "The item is at that agency already.");
		goto out;
	}
	cJSON_AddStringToObject(extra, "from_agency", f->agency_code);
	f->agency_id = ag->id;
	strlcpy_(f->agency_code, ag->code, sizeof(f->agency_code));
	strlcpy_(f->agency_name, ag->name, sizeof(f->agency_name));
	f->assignee_id = 0;
	f->assignee[0] = '\0';
	rc = 0;
out:
	free(ag);
	return rc;
}

int feedback_apply(struct txn *t, const char *code, const struct feedback_action_in *in,
		   const struct principal *actor, int64_t now, struct feedback_row *f,
		   struct api_error *err)
{
	const char *to;
	char from[16];
	cJSON *extra = NULL;
	int rc = -1;
	int got = db_feedback_by_code(t->db, code, f);
	if (got < 0)
		return api_error_set(err, 500, "database_error", NULL, "Could not read the feedback.");
	if (got == 0 || !feedback_in_scope(t->db, f, actor))
		return api_error_set(err, 404, "not_found", NULL, "No feedback with this code is visible to you.");
	if (feedback_decide(f->state, in->action, actor->role, &to, err) != 0)
		return -1;
	strlcpy_(from, f->state, sizeof(from));
	extra = cJSON_CreateObject();
	switch (in->action) {
	case FB_ASSIGN:
		if (do_assign(t, f, in, extra, err) != 0)
			goto out;
		break;
	case FB_ANSWER:
		if (need(in->answer, "answer", "The answer", err) != 0)
			goto out;
		strlcpy_(f->answer, in->answer, sizeof(f->answer));
		f->answer_public = in->answer_public ? 1 : 0;
		f->answered_at = now;
		f->answered_day = stats_bucket(date_day_of(tz_local(now)), 0);
		f->answered_by_id = actor->account_id;
		strlcpy_(f->answered_by, actor->username, sizeof(f->answered_by));
		f->on_time = now <= f->due_at;
		cJSON_AddBoolToObject(extra, "on_time", f->on_time);
		cJSON_AddBoolToObject(extra, "public", f->answer_public);
		break;
	case FB_CLOSE:
		if (strcmp(f->state, "answered") != 0 && (!in->reason || !*in->reason)) {
			api_error_set(err, 422, "missing_field", "reason",
				      "Closing feedback that has no answer needs a reason (duplicate, withdrawn…).");
			goto out;
		}
		f->closed_at = now;
		strlcpy_(f->close_reason, in->reason ? in->reason : "", sizeof(f->close_reason));
		cJSON_AddBoolToObject(extra, "answered", strcmp(f->state, "answered") == 0);
		break;
	case FB_TRANSFER:
		if (do_transfer(t, f, in, now, extra, err) != 0)
			goto out;
		break;
	default:
		api_error_set(err, 422, "unknown_action", "action", "Unknown action.");
		goto out;
	}
	strlcpy_(f->state, to, sizeof(f->state));
	f->updated_at = now;
	if (db_feedback_update(t, f, err) != 0)
		goto out;
	char action[32];
	snprintf(action, sizeof(action), "feedback_%s", feedback_action_name(in->action));
	rc = record(t, f, action, from, actor, extra, now,
		    in->action == FB_TRANSFER ? in->reason : NULL, err);
	extra = NULL;	/* consumed by record */
out:
	cJSON_Delete(extra);
	return rc;
}

/* ---- sums --------------------------------------------------------------- */

static void add_summary(int64_t agency_id, const struct feedback_summary *s, void *ctx)
{
	struct feedback_summary *sum = ctx;
	(void)agency_id;
	sum->received += s->received;
	sum->answered_on_time += s->answered_on_time;
	sum->answered_late += s->answered_late;
	sum->open_overdue += s->open_overdue;
}

int feedback_summary(struct db *db, int64_t agency_id, int32_t from, int32_t to, int64_t at,
		     struct feedback_summary *out)
{
	memset(out, 0, sizeof(*out));
	return db_feedback_sums(db, agency_id, from, to, at, add_summary, out);
}

int feedback_summary_each(struct db *db, int32_t from, int32_t to, int64_t at,
			  void (*fn)(int64_t agency_id, const struct feedback_summary *s, void *ctx),
			  void *ctx)
{
	return db_feedback_sums(db, 0, from, to, at, fn, ctx);
}
