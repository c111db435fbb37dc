/*
 * motcua — lifecycle: applying actions, the clock rules and the history.
 */
#include "lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "calendar.h"
#include "code.h"
#include "date.h"
#include "db.h"
#include "db_account.h"
#include "db_catalog.h"
#include "db_event.h"
#include "deadline.h"
#include "dossier.h"
#include "json.h"
#include "principal.h"
#include "stats.h"
#include "tz.h"
#include "util.h"
#include "writer.h"

int lifecycle_load(struct db *db, const char *key, struct dossier_state *s, struct api_error *err)
{
	int rc = db_dossier_by_code(db, key, &s->d);
	s->deferred = 0;
	s->code_dirty = 0;
	if (rc == 0)
		rc = db_dossier_by_ref(db, key, &s->d);
	if (rc < 0)
		return api_error_set(err, 500, "database_error", NULL, "Could not read the dossier.");
	if (rc == 0) {
		api_error_set(err, 404, "not_found", NULL, "No dossier with this code is visible to you.");
		return 0;
	}
	return lifecycle_load_steps(db, s, err);
}

int lifecycle_load_steps(struct db *db, struct dossier_state *s, struct api_error *err)
{
	s->deferred = 0;
	s->code_dirty = 0;
	s->n_steps = db_dossier_steps(db, s->d.id, s->steps);
	if (s->n_steps < 0)
		return api_error_set(err, 500, "database_error", NULL, "Could not read the dossier's chain.");
	return 1;
}

int lifecycle_make_steps(struct txn *t, struct dossier_state *s, struct api_error *err)
{
	struct step_row rows[DOSSIER_MAX_STEPS];
	int n = db_step_list(t->db, s->d.procedure_id, rows, DOSSIER_MAX_STEPS);
	if (n < 0)
		return api_error_set(err, 500, "database_error", NULL, "Could not read the procedure's chain.");
	s->n_steps = n;
	for (int i = 0; i < n; i++) {
		struct dossier_step *st = &s->steps[i];
		memset(st, 0, sizeof(*st));
		st->seq = rows[i].seq;
		if (rows[i].agency_id) {
			st->agency_id = rows[i].agency_id;
			strlcpy_(st->agency_code, rows[i].agency_code, sizeof(st->agency_code));
			strlcpy_(st->agency_name, rows[i].agency_name, sizeof(st->agency_name));
		} else {
			st->agency_id = s->d.receiving_agency_id;
			strlcpy_(st->agency_code, s->d.receiving_agency_code, sizeof(st->agency_code));
			strlcpy_(st->agency_name, s->d.receiving_agency_name, sizeof(st->agency_name));
		}
		strlcpy_(st->task, rows[i].task, sizeof(st->task));
		st->work_hours = rows[i].work_hours;
		if (db_dossier_step_insert(t, s->d.id, st, err) != 0)
			return -1;
	}
	return 0;
}

/* ---- who may act -------------------------------------------------------- */

static int is_within(struct db *db, int64_t agency, int64_t root)
{
	return agency && (agency == root || db_agency_within(db, agency, root));
}

static void facts_of(struct db *db, const struct dossier_state *s, const struct principal *actor,
		     int assign_only, const struct lifecycle_rules *rules, struct wf_facts *f)
{
	const struct dossier_row *d = &s->d;
	memset(f, 0, sizeof(*f));
	f->state = d->state;
	f->step = d->current_step;
	f->n_steps = s->n_steps;
	f->supplement_count = d->supplement_count;
	f->extension_count = d->extension_count;
	f->role = actor->role;
	f->at_onestop = actor->agency_id == d->receiving_agency_id;
	/* The agency holding the current step: during a wait or a withdrawal
	 * request the one-stop holds the dossier, but the chain's step agency
	 * is still the one that resumes it. */
	int64_t holder = d->current_step > 0 && d->current_step <= s->n_steps
			 ? s->steps[d->current_step - 1].agency_id : d->current_agency_id;
	if (actor->role == ROLE_MANAGER)
		f->at_current = is_within(db, holder, actor->agency_id);
	else
		f->at_current = holder && actor->agency_id == holder;
	f->assign_only = assign_only;
	f->supplement_pause = rules->supplement_mode == SUPPLEMENT_PAUSE;
}

/* ---- clock helpers (instants in UTC; the calendar works in local time) -- */

static int64_t add_work(const struct calendar *cal, int64_t from, int64_t seconds)
{
	return tz_utc(deadline_add(&cal->dc, tz_local(from), seconds));
}

static int64_t work_between(const struct calendar *cal, int64_t a, int64_t b)
{
	return deadline_between(&cal->dc, tz_local(a), tz_local(b));
}

static int classify(int64_t done, int64_t due)
{
	return wf_classify(tz_local(done), due ? tz_local(due) : 0);
}

static struct dossier_step *current_step(struct dossier_state *s)
{
	int k = s->d.current_step;
	return k >= 1 && k <= s->n_steps ? &s->steps[k - 1] : NULL;
}

static void start_step(const struct calendar *cal, struct dossier_step *st, int64_t now,
		       int64_t assignee)
{
	st->started_at = now;
	st->due_at = st->work_hours > 0 ? add_work(cal, now, (int64_t)st->work_hours * 3600) : 0;
	st->assignee_id = assignee;
	st->finished_at = 0;
	st->result_class = 0;
}

static void finish_step(struct dossier_step *st, int64_t now, int judge)
{
	st->finished_at = now;
	st->result_class = judge ? classify(now, st->due_at) : 0;
}

/* Move the dossier into step k's queue. */
static void hold_at_step(struct dossier_state *s, int k)
{
	struct dossier_step *st = &s->steps[k - 1];
	s->d.current_step = k;
	s->d.current_agency_id = st->agency_id;
	strlcpy_(s->d.current_agency_code, st->agency_code, sizeof(s->d.current_agency_code));
	strlcpy_(s->d.current_agency_name, st->agency_name, sizeof(s->d.current_agency_name));
	s->d.assignee_id = st->assignee_id;
	strlcpy_(s->d.assignee, st->assignee, sizeof(s->d.assignee));
}

/* Move the dossier into the receiving one-stop's queue. */
static void hold_at_onestop(struct dossier_state *s)
{
	s->d.current_agency_id = s->d.receiving_agency_id;
	strlcpy_(s->d.current_agency_code, s->d.receiving_agency_code, sizeof(s->d.current_agency_code));
	strlcpy_(s->d.current_agency_name, s->d.receiving_agency_name, sizeof(s->d.current_agency_name));
	s->d.assignee_id = 0;
	s->d.assignee[0] = '\0';
}

static void hold_nowhere(struct dossier_state *s)
{
	s->d.current_agency_id = 0;
	s->d.current_agency_code[0] = s->d.current_agency_name[0] = '\0';
	s->d.assignee_id = 0;
	s->d.assignee[0] = '\0';
}

/* ---- action inputs ------------------------------------------------------ */

static int need(const char *s, const char *field, const char *what, struct api_error *err)
{
	if (!s || !*s)
		return api_error_set(err, 422, "missing_field", field, "%s is required for this action.", what);
	return 0;
}

/* A transfer may name an officer: of the current step's agency (an
 * assignment within the step) or of the next step's agency (a handover
 * straight to that officer). Looks the account up; 0 when none named. */
static int find_assignee(struct txn *t, const struct dossier_state *s, const struct action_input *in,
			 struct account_row *acc, int *assign_only, struct api_error *err)
{
	const struct dossier_row *d = &s->d;
	int64_t here = d->current_step >= 1 && d->current_step <= s->n_steps
		       ? s->steps[d->current_step - 1].agency_id : 0;
	int64_t next = d->current_step < s->n_steps ? s->steps[d->current_step].agency_id : 0;
	*assign_only = 0;
	if (in->action != WF_TRANSFER || !in->assignee || !*in->assignee)
		return 0;
	if (db_account_by_username(t->db, in->assignee, acc) != 1 || acc->disabled)
		return api_error_set(err, 422, "unknown_assignee", "assignee",
				     "No active account is called \"%s\".", in->assignee);
	if (acc->role != ROLE_OFFICER && acc->role != ROLE_MANAGER)
		return api_error_set(err, 422, "invalid_assignee", "assignee",
				     "%s is not an officer.", in->assignee);
	if (d->state == WF_IN_PROCESS && acc->agency_id == here) {
		*assign_only = 1;
		return 0;
	}
	if (acc->agency_id != next)
		return api_error_set(err, 422, "invalid_assignee", "assignee",
				     "%s does not work at the agency of the next step.", in->assignee);
	return 0;
}

static int check_inputs(const struct dossier_state *s, const struct action_input *in,
			int64_t now, struct api_error *err)
{
	switch (in->action) {
	case WF_REFUSE:
	case WF_WITHDRAW_REQUEST:
		return need(in->reason, "reason", "A reason", err);
	case WF_REQUEST_SUPPLEMENT:
		if (need(in->reason, "reason", "A reason", err) != 0)
			return -1;
		if (in->n_items < 1)
			return api_error_set(err, 422, "missing_field", "items",
					     "List the documents the citizen must supply.");
		return 0;
	case WF_EXTEND:
		if (need(in->reason, "reason", "The reason for the delay", err) != 0)
			return -1;
		if (in->new_appointment <= now || in->new_appointment <= s->d.appointment_at)
			return api_error_set(err, 422, "invalid_field", "new_appointment",
					     "The new appointment must be later than now and than the current one.");
		return 0;
	case WF_RESOLVE:
		return need(in->result, "result", "A summary of the result", err);
	case WF_RETURN:
		if (!in->method || (strcmp(in->method, "counter") && strcmp(in->method, "postal")
				    && strcmp(in->method, "online")))
			return api_error_set(err, 422, "invalid_field", "method",
					     "method must be counter, postal or online.");
		return 0;
	default:
		return 0;
	}
}

/* ---- effects ------------------------------------------------------------ */

/* Accepting an online submission: the code and the clock start now. */
static int do_accept(struct txn *t, struct dossier_state *s, const struct calendar *cal,
		     int64_t now, struct api_error *err)
{
	struct procedure_row *p = xmalloc(sizeof(*p));
	char today[11];
	int seq, uncovered, rc = -1;
	int64_t start, due;
	int32_t day = date_day_of(tz_local(now));
	date_format_day(day, today);
	if (db_procedure_by_id(t->db, s->d.procedure_id, p) != 1) {
		api_error_set(err, 500, "database_error", NULL, "The dossier's procedure is missing.");
		goto out;
	}
	if (dossier_deadline(cal, p, s->d.channel, now, &start, &due, &uncovered) != 0
	    || db_dossier_next_seq(t, s->d.receiving_agency_id, today, &seq, err) != 0)
		goto out;
	if (code_format(s->d.receiving_agency_code, day, seq, s->d.code) != 0) {
		api_error_set(err, 409, "code_sequence_exhausted", NULL,
			      "The agency has used all 9999 dossier numbers of %s.", today);
		goto out;
	}
	s->d.received_at = now;
	s->code_dirty = 1;
	s->d.clock_start_at = start;
	s->d.due_at = s->d.appointment_at = s->d.first_due_at = due;
	if (s->n_steps == 0 && lifecycle_make_steps(t, s, err) != 0)
		goto out;
	rc = 0;
out:
	free(p);
	return rc;
}

/* The waiting is over: either the whole limit counts again (restart) or
 * the due times move by the working time the dossier waited (resume). */
static int end_wait(struct txn *t, struct dossier_state *s, const struct calendar *cal,
		    enum wf_clock clock, int64_t now, struct api_error *err)
{
	struct dossier_row *d = &s->d;
	struct dossier_step *st = current_step(s);
	int64_t paused = d->paused_at ? d->paused_at : now;
	d->waited_seconds += work_between(cal, paused, now);
	if (clock == WF_CLOCK_RESTART) {
		struct procedure_row *p = xmalloc(sizeof(*p));
		int64_t start, due;
		int uncovered, rc = db_procedure_by_id(t->db, d->procedure_id, p) == 1
				     && dossier_deadline(cal, p, d->channel, now, &start, &due, &uncovered) == 0;
		free(p);
		if (!rc)
			return api_error_set(err, 500, "deadline_error", NULL, "Could not compute the new due time.");
		d->clock_start_at = start;
		d->due_at = due;
		d->appointment_at = due > d->appointment_at ? due : d->appointment_at;
		if (st && st->started_at)
			start_step(cal, st, now, st->assignee_id);
	} else {
		if (d->due_at)
			d->due_at = add_work(cal, now, work_between(cal, paused, d->due_at));
		if (d->appointment_at)
			d->appointment_at = add_work(cal, now, work_between(cal, paused, d->appointment_at));
		if (st && st->due_at && !st->finished_at)
			st->due_at = add_work(cal, now, work_between(cal, paused, st->due_at));
	}
	d->paused_at = 0;
	return 0;
}

static int do_transfer(struct txn *t, struct dossier_state *s, const struct calendar *cal,
		       const struct action_input *in, const struct account_row *acc, int advance,
		       int64_t now, struct api_error *err)
{
	struct dossier_step *st = current_step(s);
	int64_t assignee = in->assignee && *in->assignee ? acc->id : 0;
	(void)err;
	(void)t;
	if (!advance) {
		/* Assign an officer within the same step. */
		st->assignee_id = assignee;
		strlcpy_(st->assignee, acc->username, sizeof(st->assignee));
		hold_at_step(s, s->d.current_step);
		return 0;
	}
	if (st)
		finish_step(st, now, 1);
	int next = s->d.current_step + 1;
	start_step(cal, &s->steps[next - 1], now, assignee);
	strlcpy_(s->steps[next - 1].assignee, assignee ? acc->username : "",
		 sizeof(s->steps[next - 1].assignee));
	hold_at_step(s, next);
	return 0;
}

static int apply_effects(struct txn *t, struct dossier_state *s, const struct calendar *cal,
			 const struct action_input *in, const struct wf_result *res,
			 const struct account_row *acc, int64_t now, struct api_error *err)
{
	struct dossier_row *d = &s->d;
	struct dossier_step *st = current_step(s);
	switch (in->action) {
	case WF_ACCEPT:
		if (do_accept(t, s, cal, now, err) != 0)
			return -1;
		hold_at_onestop(s);
		break;
	case WF_TRANSFER:
		if (do_transfer(t, s, cal, in, acc, res->advance, now, err) != 0)
			return -1;
		break;
	case WF_REQUEST_SUPPLEMENT:
		d->supplement_count++;
		d->supplement_requested_at = now;
		d->paused_at = now;
		hold_at_onestop(s);	/* only through the one-stop (Art 5(1)(e)) */
		break;
	case WF_REQUEST_PAYMENT:
		d->paused_at = now;
		if (in->amount_vnd > 0)
			d->fee_vnd = in->amount_vnd;
		break;
	case WF_SUPPLEMENT_RECEIVED:
	case WF_PAYMENT_RECEIVED:
		if (end_wait(t, s, cal, res->clock, now, err) != 0)
			return -1;
		if (in->action == WF_SUPPLEMENT_RECEIVED)
			d->supplement_returned_at = now;
		else if (in->method && strcmp(in->method, "online") == 0)
			d->paid_online = 1;
		if (in->action == WF_PAYMENT_RECEIVED && in->amount_vnd > 0)
			d->fee_vnd = in->amount_vnd;
		if (d->current_step > 0)
			hold_at_step(s, d->current_step);
		else
			hold_at_onestop(s);
		break;
	case WF_EXTEND:
		d->extension_count++;
		d->extended_at = now;
		d->appointment_at = in->new_appointment;
		break;
	case WF_WITHDRAW_REQUEST:
		hold_at_onestop(s);
		break;
	case WF_WITHDRAW_CONFIRM:
	case WF_REFUSE:
		strlcpy_(d->close_reason, in->action == WF_WITHDRAW_CONFIRM ? "withdrawn"
			 : d->state == WF_SUBMITTED_ONLINE ? "not_accepted" : "refused",
			 sizeof(d->close_reason));
		if (st && st->started_at && !st->finished_at)
			finish_step(st, now, 0);
		d->closed_at = now;
		d->paused_at = 0;
		hold_nowhere(s);
		break;
	case WF_RESOLVE:
		finish_step(st, now, 1);
		d->resolved_at = now;
		d->result_class = classify(now, d->due_at);
		/* Working time taken, waits excluded: the same measure in both
		 * supplement modes (the 766 methodology's). */
		d->work_seconds = work_between(cal, d->received_at, now) - d->waited_seconds;
		if (d->work_seconds < 0)
			d->work_seconds = 0;
		hold_at_onestop(s);
		break;
	case WF_RETURN:
		d->returned_at = now;
		strlcpy_(d->return_method, in->method, sizeof(d->return_method));
		hold_nowhere(s);
		break;
	default:
		break;
	}
	d->state = res->to;
	d->updated_at = now;
	return 0;
}

/* ---- statistics ---------------------------------------------------------- */

static void snap_of(const struct dossier_state *s, struct stat_snap *x)
{
	memset(x, 0, sizeof(*x));
	x->due_day = STAT_NO_DAY;
	if (!s)
		return;
	const struct dossier_row *d = &s->d;
	x->state = d->state;
	x->paused = d->paused_at != 0;
	if (d->due_at)
		x->due_day = date_day_of(tz_local(d->due_at));
	x->result_class = d->result_class;
	x->extensions = d->extension_count;
	x->supplements = d->supplement_count;
	x->paid_online = d->paid_online;
	x->has_fee = d->fee_vnd > 0;
	x->digitised = d->attachments > 0;
	x->work_seconds = d->work_seconds;
}

int lifecycle_ovd_track(struct txn *t, const struct dossier_state *before, struct dossier_state *s,
			int64_t now, struct api_error *err)
{
	struct stat_snap b, a;
	int32_t day = date_day_of(tz_local(now));
	snap_of(before, &b);
	snap_of(s, &a);
	int32_t from_b = stats_overdue_from(&b), from_a = stats_overdue_from(&a);
	if (from_b == from_a)
		return 0;
	/* The same rule as stats_delta: an interval that ends today after
	 * starting on an earlier day was real; one that starts and ends the
	 * same day never counted. */
	if (before && before->d.ovd_from && day > before->d.ovd_from
	    && db_dossier_ovd_insert(t, s->d.id, before->d.ovd_from, day, err) != 0)
		return -1;
	s->d.ovd_from = from_a == STAT_NO_DAY ? 0 : (from_a > day ? from_a : day);
	return 0;
}

void lifecycle_stats(struct txn *t, const struct dossier_state *before,
		     const struct dossier_state *after, int64_t now)
{
	struct stat_snap b, a;
	const struct dossier_row *d = &after->d;
	struct stat_key k = { d->lead_agency_id ? d->lead_agency_id : d->receiving_agency_id,
			      d->procedure_id, stats_channel(d->channel) };
	int32_t day = date_day_of(tz_local(now));
	snap_of(before, &b);
	snap_of(after, &a);
	stats_delta(t->stats, &k, &b, &a, day);
	stats_state(t->stats, b.state, a.state);
	for (int i = 0; i < after->n_steps; i++) {
		int was = before && i < before->n_steps ? before->steps[i].result_class : 0;
		if (after->steps[i].result_class && !was)
			stats_step(t->stats, after->steps[i].agency_id, d->procedure_id, k.channel, day,
				   after->steps[i].result_class);
	}
}

/* ---- history ------------------------------------------------------------ */

/* Details worth keeping in the history (never personal data). */
/* The step this action finished, with its result, so a recount from the
 * history can score each agency's steps. */
static void add_step_done(cJSON *o, const struct dossier_state *before, const struct dossier_state *s)
{
	for (int i = 0; i < s->n_steps; i++)
		if (s->steps[i].finished_at && !before->steps[i].finished_at) {
			cJSON *x = cJSON_AddObjectToObject(o, "step_done");
			cJSON_AddNumberToObject(x, "seq", s->steps[i].seq);
			if (s->steps[i].result_class)
				cJSON_AddStringToObject(x, "result", wf_class_name(s->steps[i].result_class));
			return;
		}
}

static char *event_data(const struct dossier_state *before, const struct dossier_state *s,
			const struct action_input *in, int64_t now)
{
	cJSON *o = cJSON_CreateObject();
	const struct dossier_row *d = &s->d;
	char iso[26];
	switch (in->action) {
	case WF_REQUEST_SUPPLEMENT: {
		cJSON *items = cJSON_AddArrayToObject(o, "items");
		for (int i = 0; i < in->n_items; i++) {
			cJSON *it = cJSON_CreateObject();
			cJSON_AddStringToObject(it, "name", in->items[i].name);
			cJSON_AddStringToObject(it, "kind", in->items[i].kind ? in->items[i].kind : "copy");
			cJSON_AddItemToArray(items, it);
		}
		break;
	}
	case WF_EXTEND:
		date_format_iso(d->appointment_at, tz_offset(d->appointment_at), iso);
		cJSON_AddStringToObject(o, "new_appointment", iso);
		cJSON_AddBoolToObject(o, "before_due", d->due_at && now < d->due_at);
		break;
	case WF_TRANSFER:
		if (d->current_agency_code[0])
			cJSON_AddStringToObject(o, "to_agency", d->current_agency_code);
		if (d->assignee[0])
			cJSON_AddStringToObject(o, "assignee", d->assignee);
		break;
	case WF_RESOLVE:
		cJSON_AddStringToObject(o, "result", wf_class_name(d->result_class));
		cJSON_AddStringToObject(o, "summary", in->result);
		cJSON_AddNumberToObject(o, "work_seconds", (double)d->work_seconds);
		break;
	case WF_RETURN:
		cJSON_AddStringToObject(o, "method", in->method);
		break;
	case WF_REQUEST_PAYMENT:
	case WF_PAYMENT_RECEIVED:
		if (in->amount_vnd > 0)
			cJSON_AddNumberToObject(o, "amount_vnd", (double)in->amount_vnd);
		if (in->method)
			cJSON_AddStringToObject(o, "method", in->method);
		break;
	case WF_ACCEPT:
		/* what the statistics read at acceptance, for the recount */
		cJSON_AddNumberToObject(o, "attachments", d->attachments);
		cJSON_AddStringToObject(o, "code", d->code);
		cJSON_AddBoolToObject(o, "fee", d->fee_vnd > 0);
		break;
	default:
		break;
	}
	if (in->reason && *in->reason)
		cJSON_AddStringToObject(o, "reason", in->reason);
	add_step_done(o, before, s);
	char *text = cJSON_GetArraySize(o) ? json_print(o) : NULL;
	cJSON_Delete(o);
	return text;
}

/* Write the dossier and the steps that changed. */
static int write_row(struct txn *t, struct dossier_state *s, struct api_error *err)
{
	if (db_dossier_update(t, &s->d, err) != 0
	    || (s->code_dirty && db_dossier_set_code(t, &s->d, err) != 0))
		return -1;
	s->code_dirty = 0;
	return 0;
}

static int write_back(struct txn *t, const struct dossier_state *before, struct dossier_state *s,
		      struct api_error *err)
{
	if (write_row(t, s, err) != 0)
		return -1;
	for (int i = 0; i < s->n_steps; i++)
		if (i >= before->n_steps || memcmp(&s->steps[i], &before->steps[i], sizeof(s->steps[i])) != 0)
			if (db_dossier_step_update(t, s->d.id, &s->steps[i], err) != 0)
				return -1;
	return 0;
}

int lifecycle_allowed(struct db *db, const struct dossier_state *s, const struct principal *actor,
		      const struct lifecycle_rules *rules, enum wf_action out[WF_ACTION__MAX])
{
	struct wf_facts f;
	int n = 0;
	facts_of(db, s, actor, 0, rules, &f);
	for (int a = 0; a < WF_ACTION__MAX; a++) {
		/* A transfer at the last step can still assign an officer. */
		f.assign_only = a == WF_TRANSFER && s->d.state == WF_IN_PROCESS
				&& s->d.current_step >= s->n_steps;
		if (wf_allows((enum wf_action)a, &f))
			out[n++] = (enum wf_action)a;
	}
	return n;
}

int lifecycle_flush(struct txn *t, struct dossier_state *s, struct api_error *err)
{
	if (write_row(t, s, err) != 0)
		return -1;
	for (int i = 0; i < s->n_steps; i++)
		if (db_dossier_step_update(t, s->d.id, &s->steps[i], err) != 0)
			return -1;
	return 0;
}

int lifecycle_apply(struct txn *t, struct dossier_state *s, const struct action_input *in,
		    const struct principal *actor, const struct lifecycle_rules *rules,
		    int64_t now, struct api_error *err)
{
	struct wf_facts f;
	struct wf_result res;
	struct account_row acc;
	struct dossier_state *before = NULL;
	struct calendar *cal = calendar_get();
	char *data = NULL;
	int rc = -1;
	struct api_error assignee_err;
	int assign_only = 0;
	memset(&acc, 0, sizeof(acc));
	/* The state machine speaks first (409/403); a bad assignee after. */
	int assignee_rc = find_assignee(t, s, in, &acc, &assign_only, &assignee_err);
	facts_of(t->db, s, actor, assign_only, rules, &f);
	if (wf_decide(in->action, &f, &res) != 0) {
		api_error_set(err, res.http_status, res.code, NULL, "%s", res.message);
		goto out;
	}
	if (assignee_rc != 0) {
		*err = assignee_err;
		goto out;
	}
	if (!cal) {
		api_error_set(err, 500, "no_calendar", NULL, "The working calendar is not loaded.");
		goto out;
	}
	if (check_inputs(s, in, now, err) != 0)
		goto out;
	before = xmalloc(sizeof(*before));
	*before = *s;
	if (apply_effects(t, s, cal, in, &res, &acc, now, err) != 0
	    || lifecycle_ovd_track(t, before, s, now, err) != 0
	    || (!s->deferred && write_back(t, before, s, err) != 0))
		goto out;
	data = event_data(before, s, in, now);
	struct event_rec e = {
		.at = now, .dossier_id = s->d.id, .dossier_ref = s->d.code[0] ? s->d.code : s->d.ref,
		.action = wf_action_name(in->action), .from_state = before->d.state,
		.to_state = s->d.state, .step = s->d.current_step, .clock = wf_clock_name(res.clock),
		.due_at = s->d.due_at, .note = in->note ? in->note : "", .data = data ? data : "",
	};
	db_event_actor(&e, actor);
	if (db_event_append(t, &e, err) != 0)
		goto out;
	lifecycle_stats(t, before, s, now);
	rc = 0;
out:
	if (rc != 0 && before)
		*s = *before;	/* the caller's copy matches the rolled-back rows */
	calendar_put(cal);
	free(before);
	free(data);
	return rc;
}
