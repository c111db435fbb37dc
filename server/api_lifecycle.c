/*
 * motcua — api_lifecycle: taking an action on a dossier, its history, and
 * the dossier with its chain and the actions open to the caller.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "date.h"
#include "db.h"
#include "db_event.h"
#include "json.h"
#include "lifecycle.h"
#include "tz.h"
#include "util.h"
#include "workflow.h"

static void rules_of(const struct request *r, struct lifecycle_rules *rules)
{
	rules->supplement_mode = r->app->cfg.supplement_mode;
}

/* ---- the dossier with its chain ---------------------------------------- */

static cJSON *step_json(const struct dossier_step *s, int current)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "seq", s->seq);
	cJSON *a = cJSON_AddObjectToObject(o, "agency");
	cJSON_AddStringToObject(a, "code", s->agency_code);
	cJSON_AddStringToObject(a, "name", s->agency_name);
	cJSON_AddStringToObject(o, "task", s->task);
	cJSON_AddNumberToObject(o, "work_hours", s->work_hours);
	if (s->assignee[0])
		cJSON_AddStringToObject(o, "assignee", s->assignee);
	else
		cJSON_AddNullToObject(o, "assignee");
	api_add_time(o, "started_at", s->started_at);
	api_add_time(o, "due_at", s->due_at);
	api_add_time(o, "finished_at", s->finished_at);
	const char *cls = wf_class_name(s->result_class);
	if (cls)
		cJSON_AddStringToObject(o, "result", cls);
	else
		cJSON_AddNullToObject(o, "result");
	cJSON_AddStringToObject(o, "status", s->finished_at ? "done" : current ? "current"
					     : s->started_at ? "started" : "waiting");
	return o;
}

/* The dossier, its documents, chain and open actions, as the dossier page
 * and the actions' answers show it. */
static cJSON *full_json(struct request *r, struct db *db, const struct dossier_state *s)
{
	struct lifecycle_rules rules;
	enum wf_action allowed[WF_ACTION__MAX];
	cJSON *o = api_dossier_json(r, &s->d, 1);
	api_add_documents(db, o, s->d.id);
	cJSON *chain = cJSON_AddArrayToObject(o, "chain");
	for (int i = 0; i < s->n_steps; i++)
		cJSON_AddItemToArray(chain, step_json(&s->steps[i], s->steps[i].seq == s->d.current_step
							&& !s->steps[i].finished_at && s->d.state != 9));
	api_add_time(o, "first_due_at", s->d.first_due_at);
	api_add_time(o, "extended_at", s->d.extended_at);
	api_add_time(o, "supplement_requested_at", s->d.supplement_requested_at);
	api_add_time(o, "supplement_returned_at", s->d.supplement_returned_at);
	cJSON_AddNumberToObject(o, "waited_hours", (double)s->d.waited_seconds / 3600.0);
	if (s->d.return_method[0])
		cJSON_AddStringToObject(o, "return_method", s->d.return_method);
	rules_of(r, &rules);
	int n = lifecycle_allowed(db, s, &r->user, &rules, allowed);
	cJSON *acts = cJSON_AddArrayToObject(o, "allowed_actions");
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(acts, cJSON_CreateString(wf_action_name(allowed[i])));
	return o;
}

void api_dossier_get(struct request *r)
{
	/* 10 KiB, the hottest read: kept per thread, since a malloc that large
	 * on every request makes glibc sweep its free lists each time. */
	static _Thread_local struct dossier_state s;
	struct db *db = api_reader(r);
	struct api_error e;
	if (db && api_dossier_find(r, db, r->params[0], &s.d)) {
		if (lifecycle_load_steps(db, &s, &e) != 1)
			http_error(r, &e);
		else
			http_json(r, 200, full_json(r, db, &s));
	}
}

/* ---- POST /api/v1/dossiers/{code}/actions ------------------------------ */

struct act {
	cJSON *body;			/* owns the strings in `in` */
	char key[64];
	struct action_input in;
	struct principal actor;
	struct lifecycle_rules rules;
	int64_t now;
	struct dossier_state st;
};

static void act_free(void *p)
{
	struct act *a = p;
	cJSON_Delete(a->body);
	free(a);
}

static int act_run(struct txn *t, void *arg, struct api_error *err)
{
	struct act *a = arg;
	int rc = lifecycle_load(t->db, a->key, &a->st, err);
	if (rc != 1)
		return -1;
	return lifecycle_apply(t, &a->st, &a->in, &a->actor, &a->rules, a->now, err);
}

static void act_answer(struct request *r)
{
	struct act *a = r->arg;
	struct db *db = db_reader();
	if (!db) {
		http_fail(r, 503, "database_unavailable", NULL, "The change was saved but cannot be read back.");
		return;
	}
	http_json(r, 200, full_json(r, db, &a->st));
}

static const char *const action_keys[] = {
	"action", "note", "reason", "assignee", "result", "method", "new_appointment",
	"amount_vnd", "items", NULL
};
static const char *const item_keys[] = { "name", "kind", NULL };
static const char *const kinds[] = { "original", "certified_copy", "copy", NULL };

static int parse_items(const cJSON *arr, struct action_input *in, struct api_error *e)
{
	const cJSON *it;
	int i = 0;
	cJSON_ArrayForEach(it, arr) {
		char path[32];
		int kind = 2;
		snprintf(path, sizeof(path), "items[%d]", i);
		if (!cJSON_IsObject(it))
			return api_error_set(e, 422, "invalid_field", path, "must be an object");
		/* Getters name the field from the parent's path and the key. */
		if (json_only_keys(it, path, item_keys, e) != 0
		    || json_get_string(it, "name", path, 1, 1, 300, JSON_LINE, &in->items[i].name, e) < 0
		    || json_get_enum(it, "kind", path, 0, kinds, &kind, e) < 0)
			return -1;
		in->items[i].kind = kinds[kind];
		i++;
	}
	in->n_items = i;
	return 0;
}

static int parse_action(cJSON *body, struct action_input *in, int offset, struct api_error *e)
{
	const char *name = NULL, *when = NULL;
	const cJSON *items = NULL;
	long long amount = 0;
	if (json_only_keys(body, NULL, action_keys, e) != 0
	    || json_get_string(body, "action", NULL, 1, 1, 40, JSON_LINE, &name, e) < 0)
		return -1;
	if (wf_action_parse(name, &in->action) != 0)
		return api_error_set(e, 422, "unknown_action", "action", "Unknown action \"%s\".", name);
	if (json_get_string(body, "note", NULL, 0, 0, 1000, JSON_MULTILINE, &in->note, e) < 0
	    || json_get_string(body, "reason", NULL, 0, 1, 1000, JSON_MULTILINE, &in->reason, e) < 0
	    || json_get_string(body, "assignee", NULL, 0, 1, 64, JSON_LINE, &in->assignee, e) < 0
	    || json_get_string(body, "result", NULL, 0, 1, 2000, JSON_MULTILINE, &in->result, e) < 0
	    || json_get_string(body, "method", NULL, 0, 1, 16, JSON_LINE, &in->method, e) < 0
	    || json_get_string(body, "new_appointment", NULL, 0, 1, 40, JSON_LINE, &when, e) < 0
	    || json_get_int(body, "amount_vnd", NULL, 0, 0, 10000000000LL, &amount, e) < 0
	    || json_get_array(body, "items", NULL, 0, LIFECYCLE_MAX_ITEMS, &items, e) < 0)
		return -1;
	in->amount_vnd = amount;
	if (when && date_parse_iso(when, offset, &in->new_appointment) != 0)
		return api_error_set(e, 422, "invalid_field", "new_appointment",
				     "new_appointment must be an ISO 8601 time such as 2026-12-01T16:00:00+07:00.");
	return items ? parse_items(items, in, e) : 0;
}

void api_dossier_action(struct request *r)
{
	struct api_error e;
	struct db *db = api_reader(r);
	struct act *a = xcalloc(1, sizeof(*a));
	if (!db || !api_dossier_find(r, db, r->params[0], &a->st.d) || !(a->body = api_body(r)))
		goto fail;
	a->now = app_now(r->app);
	if (parse_action(a->body, &a->in, tz_offset(a->now), &e) != 0) {
		http_error(r, &e);
		goto fail;
	}
	strlcpy_(a->key, r->params[0], sizeof(a->key));
	a->actor = r->user;
	rules_of(r, &a->rules);
	http_write(r, act_run, a, act_free, act_answer);
	return;
fail:
	act_free(a);
}

/* ---- GET /api/v1/dossiers/{code}/events -------------------------------- */

static const char *state_or_null(int s)
{
	return s ? wf_state_name(s) : NULL;
}

static void add_opt_str(cJSON *o, const char *key, const char *v)
{
	if (v && *v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

cJSON *api_event_json(const struct event_row *ev)
{
	char hex[65];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "seq", (double)ev->seq);
	api_add_time(o, "at", ev->at);
	cJSON_AddStringToObject(o, "actor", ev->actor);
	cJSON_AddStringToObject(o, "actor_role", ev->actor_role);
	cJSON_AddStringToObject(o, "actor_agency", ev->actor_agency);
	cJSON_AddStringToObject(o, "action", ev->action);
	add_opt_str(o, "from_state", state_or_null(ev->from_state));
	add_opt_str(o, "to_state", state_or_null(ev->to_state));
	if (ev->step >= 0)
		cJSON_AddNumberToObject(o, "step", ev->step);
	else
		cJSON_AddNullToObject(o, "step");
	add_opt_str(o, "clock", ev->clock);
	api_add_time(o, "due_at", ev->due_at);
	cJSON_AddStringToObject(o, "note", ev->note);
	cJSON *data = ev->data[0] ? cJSON_Parse(ev->data) : NULL;
	if (data)
		cJSON_AddItemToObject(o, "data", data);
	else
		cJSON_AddObjectToObject(o, "data");
	audit_hex(ev->hash, hex);
	cJSON_AddStringToObject(o, "hash", hex);
	return o;
}

void api_dossier_events(struct request *r)
{
	struct db *db = api_reader(r);
	struct dossier_row *d = xmalloc(sizeof(*d));
	struct event_row *rows = NULL;
	int n = 0;
	if (!db || !api_dossier_find(r, db, r->params[0], d))
		goto out;
	if (db_event_list(db, d->id, &rows, &n) != 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the history.");
		goto out;
	}
	cJSON *root = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(root, "items");
	cJSON_AddStringToObject(root, "dossier", d->code[0] ? d->code : d->ref);
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(items, api_event_json(&rows[i]));
	http_json(r, 200, root);
out:
	for (int i = 0; i < n; i++)
		db_event_row_release(&rows[i]);
	free(rows);
	free(d);
}
