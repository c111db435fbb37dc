/*
 * motcua — api_feedback: the public feedback form and view, and the staff
 * queue of feedback (phản ánh, kiến nghị).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "db_event.h"
#include "tz.h"
#include "date.h"
#include "api_public.h"
#include "app.h"
#include "db.h"
#include "db_citizen.h"
#include "feedback.h"
#include "json.h"
#include "lookup.h"
#include "util.h"
#include "validate.h"

static const char *const kinds[] = { "complaint", "suggestion", NULL };

static void add_pair(cJSON *o, const char *key, const char *code, const char *name)
{
	cJSON *a = cJSON_AddObjectToObject(o, key);
	cJSON_AddStringToObject(a, "code", code);
	cJSON_AddStringToObject(a, "name", name);
}

static const char *state_label(const char *state, int english)
{
	static const struct { const char *state, *vi, *en; } labels[] = {
		{ "received", "Đã tiếp nhận", "Received" },
		{ "in_progress", "Đang xử lý", "Being handled" },
		{ "answered", "Đã trả lời", "Answered" },
		{ "closed", "Đã kết thúc", "Closed" },
	};
	for (size_t i = 0; i < ARRAY_LEN(labels); i++)
		if (strcmp(labels[i].state, state) == 0)
			return english ? labels[i].en : labels[i].vi;
	return "?";
}

static int is_open(const struct feedback_row *f)
{
	return strcmp(f->state, "received") == 0 || strcmp(f->state, "in_progress") == 0;
}

/* What everyone may see; the texts only when the answer was published. */
static cJSON *public_json(const struct feedback_row *f, int64_t now)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", f->code);
	add_pair(o, "agency", f->agency_code, f->agency_name);
	cJSON_AddStringToObject(o, "kind", f->kind);
	cJSON_AddStringToObject(o, "state", f->state);
	cJSON *l = cJSON_AddObjectToObject(o, "state_label");
	cJSON_AddStringToObject(l, "vi", state_label(f->state, 0));
	cJSON_AddStringToObject(l, "en", state_label(f->state, 1));
	api_add_time(o, "received_at", f->received_at);
	api_add_time(o, "due_at", f->due_at);
	api_add_time(o, "answered_at", f->answered_at);
	cJSON_AddBoolToObject(o, "overdue", is_open(f) && now > f->due_at);
	cJSON_AddBoolToObject(o, "public", f->answer_public && f->answered_at);
	if (f->answer_public && f->answered_at) {
		cJSON_AddStringToObject(o, "subject", f->subject);
		cJSON_AddStringToObject(o, "content", f->content);
		cJSON_AddStringToObject(o, "answer", f->answer);
	} else {
		cJSON_AddNullToObject(o, "subject");
		cJSON_AddNullToObject(o, "content");
		cJSON_AddNullToObject(o, "answer");
	}
	return o;
}

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
	if (s && *s)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

/* Everything, for staff in scope (the contact is personal data). */
static cJSON *staff_json(const struct feedback_row *f, int64_t now)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", f->code);
	add_pair(o, "agency", f->agency_code, f->agency_name);
	add_str_or_null(o, "dossier", f->dossier_code);
	cJSON_AddStringToObject(o, "kind", f->kind);
	cJSON_AddStringToObject(o, "subject", f->subject);
	cJSON_AddStringToObject(o, "content", f->content);
	cJSON *c = cJSON_AddObjectToObject(o, "contact");
	cJSON_AddStringToObject(c, "name", f->contact_name);
	cJSON_AddStringToObject(c, "phone", f->contact_phone);
	cJSON_AddStringToObject(c, "email", f->contact_email);
	cJSON_AddBoolToObject(o, "anonymous", !f->contact_name[0] && !f->contact_phone[0]
					      && !f->contact_email[0]);
	cJSON_AddStringToObject(o, "state", f->state);
	api_add_time(o, "received_at", f->received_at);
	api_add_time(o, "due_at", f->due_at);
	cJSON_AddBoolToObject(o, "overdue", is_open(f) && now > f->due_at);
	add_str_or_null(o, "assignee", f->assignee);
	add_str_or_null(o, "answer", f->answer);
	cJSON_AddBoolToObject(o, "answer_public", f->answer_public);
	api_add_time(o, "answered_at", f->answered_at);
	add_str_or_null(o, "answered_by", f->answered_by);
	if (f->on_time >= 0)
		cJSON_AddBoolToObject(o, "on_time", f->on_time);
	else
		cJSON_AddNullToObject(o, "on_time");
	api_add_time(o, "closed_at", f->closed_at);
	add_str_or_null(o, "close_reason", f->close_reason);
	return o;
}

/* ---- POST /api/v1/public/feedback ------------------------------------------ */

struct create_job {
	cJSON *body;
	struct feedback_in in;
	struct feedback_row *out;
};

static void create_free(void *p)
{
	struct create_job *j = p;
	cJSON_Delete(j->body);
	free(j->out);
	free(j);
}

static int create_run(struct txn *t, void *arg, struct api_error *err)
{
	struct create_job *j = arg;
	return feedback_create(t, &j->in, j->out, err);
}

static void create_answer(struct request *r)
{
	struct create_job *j = r->arg;
	char url[64];
	cJSON *o = public_json(j->out, app_now(r->app));
	snprintf(url, sizeof(url), "/feedback?code=%s", j->out->code);
	cJSON_AddStringToObject(o, "lookup_url", url);
	http_json(r, 201, o);
}

static const char *const create_keys[] = {
	"agency_code", "kind", "subject", "content", "contact", "dossier_code", "check", NULL
};
static const char *const contact_keys[] = { "name", "phone", "email", NULL };

static int parse_create(cJSON *body, struct feedback_in *in, struct api_error *e)
{
	const cJSON *c = NULL;
	int kind = 0;
	if (json_only_keys(body, NULL, create_keys, e) != 0
	    || json_get_string(body, "agency_code", NULL, 0, 1, 32, JSON_LINE, &in->agency_code, e) < 0
	    || json_get_enum(body, "kind", NULL, 1, kinds, &kind, e) < 0
	    || json_get_string(body, "subject", NULL, 1, 1, 200, JSON_LINE, &in->subject, e) < 0
	    || json_get_string(body, "content", NULL, 1, 1, 4000, JSON_MULTILINE, &in->content, e) < 0
	    || json_get_object(body, "contact", NULL, 0, &c, e) < 0
	    || json_get_string(body, "dossier_code", NULL, 0, 1, 40, JSON_LINE, &in->dossier_code, e) < 0
	    || json_get_string(body, "check", NULL, 0, 4, 4, JSON_LINE, &in->check, e) < 0)
		return -1;
	in->kind = kinds[kind];
	if (in->dossier_code && !lookup_check_valid(in->check))
		return api_error_set(e, 422, "missing_field", "check",
				     "With a dossier code, give the last 4 digits of the applicant's phone or ID number.");
	if (c && (json_only_keys(c, "contact", contact_keys, e) != 0
		  || json_get_string(c, "name", "contact", 0, 0, 200, JSON_LINE, &in->contact_name, e) < 0
		  || json_get_string(c, "phone", "contact", 0, 0, 13, JSON_LINE, &in->contact_phone, e) < 0
		  || json_get_string(c, "email", "contact", 0, 0, 254, JSON_LINE, &in->contact_email, e) < 0))
		return -1;
	if (in->contact_phone && *in->contact_phone && !validate_phone(in->contact_phone))
		return api_error_set(e, 422, "invalid_phone", "contact.phone",
				     "A phone number is 0 followed by 9 or 10 digits (or +84…).");
	if (in->contact_email && *in->contact_email && !validate_email(in->contact_email))
		return api_error_set(e, 422, "invalid_email", "contact.email",
				     "This is not a valid e-mail address.");
	return 0;
}

/* POST /api/v1/public/feedback — 201 {code, due_at…}; 422 bad form,
 * unknown agency, dossier not verified; 429 over the rate. */
void api_public_feedback_create(struct request *r)
{
	struct api_error e;
	struct create_job *j = xcalloc(1, sizeof(*j));
	j->out = xcalloc(1, sizeof(*j->out));
	if (!api_public_throttle(r, API_PUBLIC_POST) || !(j->body = api_body(r)))
		goto fail;
	if (parse_create(j->body, &j->in, &e) != 0) {
		http_error(r, &e);
		goto fail;
	}
	j->in.at = app_now(r->app);
	http_write(r, create_run, j, create_free, create_answer);
	return;
fail:
	create_free(j);
}

/* ---- GET /api/v1/public/feedback/{code} ------------------------------------ */

/* GET /api/v1/public/feedback/{code} — 200; 404; 429 over the rate. */
void api_public_feedback_get(struct request *r)
{
	struct feedback_row *f = xmalloc(sizeof(*f));
	struct db *db;
	if (!api_public_throttle(r, API_PUBLIC_LOOKUP) || !(db = api_reader(r)))
		goto out;
	int rc = feedback_code_valid(r->params[0]) ? db_feedback_by_code(db, r->params[0], f) : 0;
	if (rc < 0)
		http_fail(r, 500, "database_error", NULL, "Could not read the feedback.");
	else if (rc == 0)
		http_fail(r, 404, "not_found", NULL, "No feedback has this code.");
	else
		http_json(r, 200, public_json(f, app_now(r->app)));
out:
	free(f);
}

/* ---- GET /api/v1/feedback ---------------------------------------------------- */

struct list_ctx {
	cJSON *items;
	int64_t now;
	int64_t last_due, last_id;
};

static void add_listed(const struct feedback_row *f, void *arg)
{
	struct list_ctx *c = arg;
	cJSON_AddItemToArray(c->items, staff_json(f, c->now));
	c->last_due = f->due_at;
	c->last_id = f->id;
}

/* A date (its start, or the next day's start when end is 1) or an ISO
 * 8601 instant. 0 ok or absent; -1 answered 400. */
static int parse_when(struct request *r, const char *name, int end, int64_t *out)
{
	const char *s = http_query(r, name);
	int32_t day;
	if (!s)
		return 0;
	if (date_parse_day(s, &day) == 0) {
		*out = tz_utc(date_at(day + end, 0));
		return 0;
	}
	if (date_parse_iso(s, tz_offset(app_now(r->app)), out) == 0)
		return 0;
	return http_fail(r, 400, "invalid_parameter", name, "Give a date YYYY-MM-DD or an ISO 8601 time."), -1;
}

static int parse_list(struct request *r, struct feedback_filter *f)
{
	const char *s;
	static const char *const states[] = { "received", "in_progress", "answered", "closed", "open", NULL };
	switch (r->user.role) {
	case ROLE_ADMIN:
	case ROLE_AUDITOR:
		f->scope = SCOPE_ALL;
		break;
	case ROLE_MANAGER:
		f->scope = SCOPE_SUBTREE;
		break;
	default:
		f->scope = SCOPE_AGENCY;
	}
	f->agency_id = r->user.agency_id;
	f->now = app_now(r->app);
	f->limit = api_limit(r, 50, 200);
	if (f->limit < 0)
		return http_fail(r, 400, "invalid_parameter", "limit", "limit must be 1 to 200."), -1;
	if ((s = http_query(r, "state"))) {
		int ok = 0;
		for (int i = 0; states[i]; i++)
			ok |= strcmp(s, states[i]) == 0;
		if (!ok)
			return http_fail(r, 400, "invalid_parameter", "state",
					 "state must be received, in_progress, answered, closed or open."), -1;
		f->state = s;
	}
	if ((s = http_query(r, "overdue")))
		f->overdue = strcmp(s, "true") == 0 || strcmp(s, "1") == 0;
	if ((s = http_query(r, "mine")) && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0))
		f->assignee_id = r->user.account_id;
	if ((s = http_query(r, "q"))) {
		if (strlen(s) > 200 || !json_utf8_valid(s, strlen(s)))
			return http_fail(r, 400, "invalid_parameter", "q", "q is too long."), -1;
		f->q = s;
	}
	if (parse_when(r, "received_from", 0, &f->received_from) || parse_when(r, "received_to", 1, &f->received_to)
	    || parse_when(r, "answered_from", 0, &f->answered_from)
	    || parse_when(r, "answered_to", 1, &f->answered_to)
	    || parse_when(r, "open_overdue_at", 0, &f->open_overdue_at))
		return -1;
	if ((s = http_query(r, "answered"))) {
		if (strcmp(s, "on_time") && strcmp(s, "late"))
			return http_fail(r, 400, "invalid_parameter", "answered",
					 "answered must be on_time or late."), -1;
		f->answered = strcmp(s, "on_time") == 0 ? 1 : 2;
	}
	if ((s = http_query(r, "cursor"))) {
		long long due, id;
		char extra;
		if (sscanf(s, "%lld.%lld%c", &due, &id, &extra) != 2 || id <= 0)
			return http_fail(r, 400, "invalid_parameter", "cursor", "The cursor is not valid."), -1;
		f->after_due = due;
		f->after_id = id;
	}
	return 0;
}

/* GET /api/v1/feedback?state=&overdue=&mine=&q=&limit=&cursor= — 200 the
 * caller's queue, most urgent first; 400 bad parameter. */
void api_feedback_list(struct request *r)
{
	struct feedback_filter f;
	struct list_ctx c;
	struct db *db = api_reader(r);
	int more = 0;
	if (!db)
		return;
	memset(&f, 0, sizeof(f));
	if (parse_list(r, &f) != 0)
		return;
	cJSON *root = cJSON_CreateObject();
	memset(&c, 0, sizeof(c));
	c.items = cJSON_AddArrayToObject(root, "items");
	c.now = f.now;
	if (db_feedback_list(db, &f, add_listed, &c, &more) != 0) {
		cJSON_Delete(root);
		http_fail(r, 500, "database_error", NULL, "Could not list the feedback.");
		return;
	}
	if (more) {
		char cursor[48];
		snprintf(cursor, sizeof(cursor), "%lld.%lld", (long long)c.last_due, (long long)c.last_id);
		cJSON_AddStringToObject(root, "next_cursor", cursor);
	} else {
		cJSON_AddNullToObject(root, "next_cursor");
	}
	http_json(r, 200, root);
}

/* ---- GET /api/v1/feedback/{code} --------------------------------------------- */

static cJSON *full_json(struct request *r, const struct feedback_row *f)
{
	struct api_error e;
	const char *to;
	cJSON *o = staff_json(f, app_now(r->app));
	cJSON *acts = cJSON_AddArrayToObject(o, "allowed_actions");
	for (int a = 0; a < FB_ACTION__MAX; a++)
		if (feedback_decide(f->state, (enum feedback_action)a, r->user.role, &to, &e) == 0)
			cJSON_AddItemToArray(acts, cJSON_CreateString(feedback_action_name((enum feedback_action)a)));
	return o;
}

/* GET /api/v1/feedback/{code} — 200 with allowed_actions; 404 out of scope. */
void api_feedback_get(struct request *r)
{
	struct db *db = api_reader(r);
	struct feedback_row *f = xmalloc(sizeof(*f));
	if (!db)
		goto out;
	int rc = db_feedback_by_code(db, r->params[0], f);
	if (rc < 0)
		http_fail(r, 500, "database_error", NULL, "Could not read the feedback.");
	else if (rc == 0 || !feedback_in_scope(db, f, &r->user))
		http_fail(r, 404, "not_found", NULL, "No feedback with this code is visible to you.");
	else
		http_json(r, 200, full_json(r, f));
out:
	free(f);
}

/* GET /api/v1/feedback/{code}/events — 200 the item's history (assignments,
 * answers, transfers), as for dossiers; 404 out of scope. */
void api_feedback_events(struct request *r)
{
	struct db *db = api_reader(r);
	struct feedback_row *f = xmalloc(sizeof(*f));
	struct event_row *rows = NULL;
	int n = 0;
	if (!db)
		goto out;
	int rc = db_feedback_by_code(db, r->params[0], f);
	if (rc < 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the feedback.");
		goto out;
	}
	if (rc == 0 || !feedback_in_scope(db, f, &r->user)) {
		http_fail(r, 404, "not_found", NULL, "No feedback with this code is visible to you.");
		goto out;
	}
	if (db_event_list_ref(db, f->code, &rows, &n) != 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the history.");
		goto out;
	}
	cJSON *root = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(root, "items");
	cJSON_AddStringToObject(root, "feedback", f->code);
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(items, api_event_json(&rows[i]));
	http_json(r, 200, root);
out:
	for (int i = 0; i < n; i++)
		db_event_row_release(&rows[i]);
	free(rows);
	free(f);
}

/* ---- POST /api/v1/feedback/{code}/actions ------------------------------------- */

struct act_job {
	cJSON *body;
	char code[FEEDBACK_CODE_MAX];
	struct feedback_action_in in;
	struct principal actor;
	int64_t now;
	struct feedback_row *out;
};

static void act_free(void *p)
{
	struct act_job *j = p;
	cJSON_Delete(j->body);
	free(j->out);
	free(j);
}

static int act_run(struct txn *t, void *arg, struct api_error *err)
{
	struct act_job *j = arg;
	return feedback_apply(t, j->code, &j->in, &j->actor, j->now, j->out, err);
}

static void act_answer(struct request *r)
{
	struct act_job *j = r->arg;
	http_json(r, 200, full_json(r, j->out));
}

static const char *const act_keys[] = { "action", "assignee", "answer", "public", "reason",
					"agency_code", NULL };

static int parse_act(cJSON *body, struct feedback_action_in *in, struct api_error *e)
{
	const char *name = NULL;
	int pub = 0;
	if (json_only_keys(body, NULL, act_keys, e) != 0
	    || json_get_string(body, "action", NULL, 1, 1, 20, JSON_LINE, &name, e) < 0)
		return -1;
	if (feedback_action_parse(name, &in->action) != 0)
		return api_error_set(e, 422, "unknown_action", "action", "Unknown action \"%s\".", name);
	if (json_get_string(body, "assignee", NULL, 0, 1, 64, JSON_LINE, &in->assignee, e) < 0
	    || json_get_string(body, "answer", NULL, 0, 1, 4000, JSON_MULTILINE, &in->answer, e) < 0
	    || json_get_bool(body, "public", NULL, 0, &pub, e) < 0
	    || json_get_string(body, "reason", NULL, 0, 1, 1000, JSON_MULTILINE, &in->reason, e) < 0
	    || json_get_string(body, "agency_code", NULL, 0, 1, 32, JSON_LINE, &in->agency_code, e) < 0)
		return -1;
	in->answer_public = pub;
	return 0;
}

/* POST /api/v1/feedback/{code}/actions — 200 the item after; 403 role;
 * 404 out of scope; 409 wrong state; 422 bad or missing input. */
void api_feedback_action(struct request *r)
{
	struct api_error e;
	struct act_job *j = xcalloc(1, sizeof(*j));
	j->out = xcalloc(1, sizeof(*j->out));
	if (!(j->body = api_body(r)))
		goto fail;
	if (parse_act(j->body, &j->in, &e) != 0) {
		http_error(r, &e);
		goto fail;
	}
	strlcpy_(j->code, r->params[0], sizeof(j->code));
	j->actor = r->user;
	j->now = app_now(r->app);
	http_write(r, act_run, j, act_free, act_answer);
	return;
fail:
	act_free(j);
}
