/*
 * motcua — api_dossier: receiving a dossier, reading one, listing them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "calendar.h"
#include "date.h"
#include "db.h"
#include "db_catalog.h"
#include "db_dossier.h"
#include "deadline.h"
#include "dossier.h"
#include "json.h"
#include "tz.h"
#include "util.h"
#include "validate.h"
#include "workflow.h"

/* ---- rendering -------------------------------------------------------- */

static void add_ref(cJSON *o, const char *key, const char *code, const char *name)
{
	if (!code[0]) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	cJSON *a = cJSON_AddObjectToObject(o, key);
	cJSON_AddStringToObject(a, "code", code);
	cJSON_AddStringToObject(a, "name", name);
}

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
	if (s && *s)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

/* Overdue: open, clock running, past due. Due soon: not overdue, at most
 * due_soon_hours of working time left. */
static void add_flags(cJSON *o, const struct dossier_row *d, int64_t now, int due_soon_hours)
{
	int running = wf_clock_running(d->state) && !d->paused_at && d->due_at;
	int overdue = running && now > d->due_at;
	int soon = 0;
	if (running && !overdue) {
		struct calendar *cal = calendar_get();
		if (cal) {
			int64_t left = deadline_between(&cal->dc, tz_local(now), tz_local(d->due_at));
			soon = left <= (int64_t)due_soon_hours * 3600;
			calendar_put(cal);
		}
	}
	cJSON_AddBoolToObject(o, "overdue", overdue);
	cJSON_AddBoolToObject(o, "due_soon", soon);
}

cJSON *api_dossier_json(struct request *r, const struct dossier_row *d, int pii)
{
	int64_t now = app_now(r->app);
	cJSON *o = cJSON_CreateObject();
	add_str_or_null(o, "code", d->code);
	cJSON_AddStringToObject(o, "ref", d->ref);
	cJSON_AddStringToObject(o, "state", wf_state_name(d->state));
	cJSON_AddNumberToObject(o, "state_code", d->state);
	add_ref(o, "procedure", d->procedure_code, d->procedure_name);
	add_ref(o, "receiving_agency", d->receiving_agency_code, d->receiving_agency_name);
	add_ref(o, "current_agency", d->current_agency_code, d->current_agency_name);
	cJSON_AddNumberToObject(o, "current_step", d->current_step);
	add_str_or_null(o, "assignee", d->assignee);
	cJSON_AddStringToObject(o, "channel", d->channel);
	cJSON *a = cJSON_AddObjectToObject(o, "applicant");
	cJSON_AddStringToObject(a, "name", d->applicant_name);
	if (pii) {
		cJSON_AddStringToObject(a, "id_number", d->applicant_id_number);
		cJSON_AddStringToObject(a, "phone", d->applicant_phone);
		cJSON_AddStringToObject(a, "address", d->applicant_address);
		cJSON_AddStringToObject(a, "email", d->applicant_email);
	}
	cJSON_AddStringToObject(o, "note", d->note);
	cJSON *l = cJSON_AddObjectToObject(o, "limit");
	cJSON_AddNumberToObject(l, "value", d->limit_value);
	cJSON_AddStringToObject(l, "unit", d->limit_unit);
	api_add_time(o, "submitted_at", d->submitted_at);
	api_add_time(o, "received_at", d->received_at);
	api_add_time(o, "clock_started_at", d->clock_start_at);
	api_add_time(o, "due_at", d->due_at);
	api_add_time(o, "appointment_at", d->appointment_at);
	api_add_time(o, "paused_at", d->paused_at);
	api_add_time(o, "resolved_at", d->resolved_at);
	api_add_time(o, "returned_at", d->returned_at);
	api_add_time(o, "closed_at", d->closed_at);
	add_str_or_null(o, "result", wf_class_name(d->result_class));
	cJSON_AddNumberToObject(o, "supplement_count", d->supplement_count);
	cJSON_AddNumberToObject(o, "attachments", d->attachments);
	cJSON_AddNumberToObject(o, "extension_count", d->extension_count);
	add_flags(o, d, now, r->app->cfg.due_soon_hours);
	return o;
}

static void add_document(cJSON *arr, const char *name, const char *kind, int count)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "name", name);
	cJSON_AddStringToObject(d, "kind", kind);
	cJSON_AddNumberToObject(d, "count", count);
	cJSON_AddItemToArray(arr, d);
}

static int add_row(void *arr, int seq, const char *name, const char *kind, int count)
{
	(void)seq;
	add_document(arr, name, kind, count);
	return 0;
}

void api_add_documents(struct db *db, cJSON *o, int64_t id)
{
	db_dossier_each_document(db, id, add_row, cJSON_AddArrayToObject(o, "documents"));
}

/* ---- POST /api/v1/dossiers -------------------------------------------- */

struct create {
	cJSON *body;			/* owns the strings intake points to */
	struct intake in;
	struct principal actor;
	struct dossier_state out;
	int uncovered_year;
};

static void create_free(void *p)
{
	struct create *c = p;
	cJSON_Delete(c->body);
	free(c);
}

static int create_run(struct txn *t, void *arg, struct api_error *err)
{
	struct create *c = arg;
	return dossier_receive(t, &c->in, &c->out, &c->uncovered_year, err);
}

static void create_answer(struct request *r)
{
	struct create *c = r->arg;
	char location[96];
	cJSON *o = api_dossier_json(r, &c->out.d, 1);
	/* The documents as received: they are stored exactly so, and reading
	 * them back would start a new snapshot after every commit. */
	cJSON *docs = cJSON_AddArrayToObject(o, "documents");
	for (int i = 0; i < c->in.n_docs; i++)
		add_document(docs, c->in.docs[i].name, c->in.docs[i].kind, c->in.docs[i].count);
	cJSON *warnings = cJSON_AddArrayToObject(o, "warnings");
	if (c->uncovered_year) {
		char msg[200];
		cJSON *w = cJSON_CreateObject();
		snprintf(msg, sizeof(msg), "The calendar has no holidays or make-up days for %d.",
			 c->uncovered_year);
		cJSON_AddStringToObject(w, "code", "calendar_missing_year");
		cJSON_AddNumberToObject(w, "year", c->uncovered_year);
		cJSON_AddStringToObject(w, "message", msg);
		cJSON_AddItemToArray(warnings, w);
	}
	http_json(r, 201, o);
	snprintf(location, sizeof(location), "/api/v1/dossiers/%s", c->out.d.code);
	http_header(r, "Location", location);
}

static const char *const create_keys[] = {
	"procedure_code", "channel", "applicant", "documents", "note", NULL
};
static const char *const applicant_keys[] = { "name", "id_number", "phone", "address", "email", NULL };
static const char *const document_keys[] = { "name", "kind", "count", NULL };
static const char *const channel_names[] = { "direct", "online", "postal", NULL };
static const char *const kind_names[] = { "original", "certified_copy", "copy", NULL };

static int parse_documents(const cJSON *arr, struct intake *in, struct api_error *e)
{
	const cJSON *item;
	int i = 0;
	cJSON_ArrayForEach(item, arr) {
		char path[32];
		long long count = 1;
		int kind = 0;
		snprintf(path, sizeof(path), "documents[%d]", i);
		if (!cJSON_IsObject(item))
			return api_error_set(e, 422, "invalid_field", path, "must be an object");
		if (json_only_keys(item, path, document_keys, e) != 0)
			return -1;
		struct document_in *d = &in->docs[i];
		/* Getters name the field "documents[i].name" from the parent's
		 * path and the key. */
		if (json_get_string(item, "name", path, 1, 1, 300, JSON_LINE, &d->name, e) < 0
		    || json_get_enum(item, "kind", path, 0, kind_names, &kind, e) < 0
		    || json_get_int(item, "count", path, 0, 1, 100, &count, e) < 0)
			return -1;
		d->kind = kind_names[kind];
		d->count = (int)count;
		i++;
	}
	in->n_docs = i;
	return 0;
}

static int parse_applicant(const cJSON *a, struct intake *in, struct api_error *e)
{
	if (json_only_keys(a, "applicant", applicant_keys, e) != 0
	    || json_get_string(a, "name", "applicant", 1, 1, 200, JSON_LINE, &in->name, e) < 0
	    /* Length is validate_id_number's job, so 8 or 11 digits get the
	     * same specific message as letters do. */
	    || json_get_string(a, "id_number", "applicant", 1, 1, 32, JSON_LINE,
			       &in->id_number, e) < 0
	    || json_get_string(a, "phone", "applicant", 0, 0, 13, JSON_LINE, &in->phone, e) < 0
	    || json_get_string(a, "address", "applicant", 0, 0, 500, JSON_LINE,
			       &in->address, e) < 0
	    || json_get_string(a, "email", "applicant", 0, 0, 254, JSON_LINE, &in->email, e) < 0)
		return -1;
	if (!validate_id_number(in->id_number))
		return api_error_set(e, 422, "invalid_id_number", "applicant.id_number",
				     "An ID number is a citizen ID of 9 or 12 digits, or a tax code of 10 digits (optionally -NNN).");
	if (in->phone && *in->phone && !validate_phone(in->phone))
		return api_error_set(e, 422, "invalid_phone", "applicant.phone",
				     "A phone number is 0 followed by 9 or 10 digits (or +84…).");
	if (in->email && *in->email && !validate_email(in->email))
		return api_error_set(e, 422, "invalid_email", "applicant.email",
				     "This is not a valid e-mail address.");
	return 0;
}

static int parse_create(cJSON *body, struct intake *in, struct api_error *e)
{
	const cJSON *applicant = NULL, *docs = NULL;
	int channel = 0;
	if (json_only_keys(body, NULL, create_keys, e) != 0
	    || json_get_string(body, "procedure_code", NULL, 1, 1, 32, JSON_LINE,
			       &in->procedure_code, e) < 0
	    || json_get_enum(body, "channel", NULL, 1, channel_names, &channel, e) < 0
	    || json_get_object(body, "applicant", NULL, 1, &applicant, e) < 0
	    || json_get_array(body, "documents", NULL, 0, INTAKE_MAX_DOCUMENTS, &docs, e) < 0
	    || json_get_string(body, "note", NULL, 0, 0, 2000, JSON_MULTILINE, &in->note, e) < 0)
		return -1;
	in->channel = channel_names[channel];
	if (parse_applicant(applicant, in, e) != 0)
		return -1;
	return docs ? parse_documents(docs, in, e) : 0;
}

void api_dossier_create(struct request *r)
{
	struct api_error e;
	struct create *c = xcalloc(1, sizeof(*c));
	if (!(c->body = api_body(r)))
		goto fail;
	if (parse_create(c->body, &c->in, &e) != 0) {
		http_error(r, &e);
		goto fail;
	}
	c->actor = r->user;
	c->in.actor = &c->actor;
	c->in.at = app_now(r->app);
	http_write(r, create_run, c, create_free, create_answer);
	return;
fail:
	create_free(c);
}

/* ---- GET /api/v1/dossiers/{code} -------------------------------------- */

int api_dossier_find(struct request *r, struct db *db, const char *key, struct dossier_row *d)
{
	int rc = db_dossier_by_code(db, key, d);
	if (rc == 0)
		rc = db_dossier_by_ref(db, key, d);
	if (rc < 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the dossier.");
		return 0;
	}
	/* Out of scope answers exactly like absent: no probing of codes. */
	if (rc == 0 || !api_can_see(r, db, d)) {
		http_fail(r, 404, "not_found", NULL, "No dossier with this code is visible to you.");
		return 0;
	}
	return 1;
}

/* ---- GET /api/v1/dossiers --------------------------------------------- */

struct list_ctx {
	struct request *r;
	cJSON *items;
	int64_t now;
	int sort_due;
	int64_t last_key, last_id;
};

static void add_listed(const struct dossier_row *d, void *arg)
{
	struct list_ctx *ctx = arg;
	cJSON_AddItemToArray(ctx->items, api_dossier_json(ctx->r, d, 1));
	ctx->last_key = ctx->sort_due ? (d->due_at ? d->due_at : 9000000000000LL)
				      : (d->received_at ? d->received_at : d->submitted_at);
	ctx->last_id = d->id;
}

static int parse_instant_or_day(const char *s, int end_of_day, int64_t *out)
{
	int32_t day;
	if (date_parse_day(s, &day) == 0) {
		*out = tz_utc(date_at(day + (end_of_day ? 1 : 0), 0));
		return 0;
	}
	return date_parse_iso(s, 7 * 3600, out);
}

static int parse_cursor(const char *s, int64_t *key, int64_t *id)
{
	long long k, i;
	char extra;
	if (sscanf(s, "%lld.%lld%c", &k, &i, &extra) != 2 || i <= 0)
		return -1;
	*key = k;
	*id = i;
	return 0;
}

/* An instant range from two day-or-instant parameters. */
static int parse_range(struct request *r, const char *from_name, const char *to_name,
		       int64_t *from, int64_t *to)
{
	const char *s;
	if ((s = http_query(r, from_name)) && parse_instant_or_day(s, 0, from))
		return http_fail(r, 400, "invalid_parameter", from_name,
				 "Give a date YYYY-MM-DD or an ISO 8601 time."), -1;
	if ((s = http_query(r, to_name)) && parse_instant_or_day(s, 1, to))
		return http_fail(r, 400, "invalid_parameter", to_name,
				 "Give a date YYYY-MM-DD or an ISO 8601 time."), -1;
	return 0;
}

static int parse_day_param(struct request *r, const char *name, int32_t *day)
{
	const char *s = http_query(r, name);
	if (s && date_parse_day(s, day) != 0)
		return http_fail(r, 400, "invalid_parameter", name, "Give a date YYYY-MM-DD."), -1;
	return 0;
}

/* The filters a report's figure links to (README "Reports"). */
static int parse_drilldown(struct request *r, struct db *db, struct dossier_filter *f)
{
	static const char *const results[] = { "early", "on_time", "late", NULL };
	const char *s;
	if ((s = http_query(r, "lead_agency"))) {
		struct agency_row ag;
		f->lead_agency_id = db_agency_by_code(db, s, &ag) == 1 ? ag.id : -1;
		f->lead_subtree = (s = http_query(r, "lead_subtree")) && !strcmp(s, "true");
	}
	f->level = http_query(r, "level");
	f->field = http_query(r, "field");
	if (parse_range(r, "resolved_from", "resolved_to", &f->resolved_from, &f->resolved_to)
	    || parse_range(r, "closed_from", "closed_to", &f->closed_from, &f->closed_to))
		return -1;
	if ((s = http_query(r, "result"))) {
		for (int i = 0; results[i]; i++)
			if (!strcmp(s, results[i]))
				f->result = i + 1;
		if (!f->result)
			return http_fail(r, 400, "invalid_parameter", "result",
					 "result must be early, on_time or late."), -1;
	}
	if ((s = http_query(r, "close_reason"))) {
		if (strcmp(s, "refused") && strcmp(s, "withdrawn") && strcmp(s, "not_accepted"))
			return http_fail(r, 400, "invalid_parameter", "close_reason",
					 "close_reason must be refused, withdrawn or not_accepted."), -1;
		f->close_reason = s;
	}
	if ((s = http_query(r, "open_at")) && parse_instant_or_day(s, 0, &f->open_at))
		return http_fail(r, 400, "invalid_parameter", "open_at",
				 "Give a date YYYY-MM-DD (its start) or an ISO 8601 time."), -1;
	if ((s = http_query(r, "active_from")) && parse_instant_or_day(s, 0, &f->active_from))
		return http_fail(r, 400, "invalid_parameter", "active_from",
				 "Give a date YYYY-MM-DD (its start) or an ISO 8601 time."), -1;
	if (parse_range(r, "extended_from", "extended_to", &f->extended_from, &f->extended_to))
		return -1;
	if (parse_day_param(r, "overdue_at", &f->overdue_at) || parse_day_param(r, "within_at", &f->within_at))
		return -1;
	if (f->within_at)
		f->within_instant = tz_utc(date_at(f->within_at + 1, 0));
	return 0;
}

/* Query parameters → filter; answers 400 and returns -1 on a bad one. */
static int parse_filter(struct request *r, struct db *db, struct dossier_filter *f)
{
	const char *s;
	api_scope(r, f);
	f->now = app_now(r->app);
	f->limit = api_limit(r, 50, 200);
	if (f->limit < 0)
		return http_fail(r, 400, "invalid_parameter", "limit", "limit must be 1 to 200."), -1;
	if ((s = http_query(r, "state")) && !(f->state = wf_state_parse(s)))
		return http_fail(r, 400, "invalid_parameter", "state", "Unknown state."), -1;
	if ((s = http_query(r, "channel"))) {
		if (!strcmp(s, "offline"))
			f->offline = 1;
		else if (strcmp(s, "direct") && strcmp(s, "online") && strcmp(s, "postal"))
			return http_fail(r, 400, "invalid_parameter", "channel",
					 "channel must be direct, online, postal or offline."), -1;
		else
			f->channel = s;
	}
	if ((s = http_query(r, "procedure"))) {
		struct procedure_row *p = xmalloc(sizeof(*p));
		int found = db_procedure_by_code(db, s, p) == 1;
		f->procedure_id = found ? p->id : -1;
		free(p);
	}
	if ((s = http_query(r, "received_from")) && parse_instant_or_day(s, 0, &f->received_from))
		return http_fail(r, 400, "invalid_parameter", "received_from",
				 "received_from must be YYYY-MM-DD or an ISO 8601 time."), -1;
	if ((s = http_query(r, "received_to")) && parse_instant_or_day(s, 1, &f->received_to))
		return http_fail(r, 400, "invalid_parameter", "received_to",
				 "received_to must be YYYY-MM-DD or an ISO 8601 time."), -1;
	if ((s = http_query(r, "overdue")))
		f->overdue = strcmp(s, "true") == 0 || strcmp(s, "1") == 0;
	if ((s = http_query(r, "open")))
		f->open_only = strcmp(s, "true") == 0 || strcmp(s, "1") == 0;
	if ((s = http_query(r, "queue")))
		f->queue = strcmp(s, "true") == 0 || strcmp(s, "1") == 0;
	if ((s = http_query(r, "mine")) && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0))
		f->assignee_id = r->user.account_id;
	if ((s = http_query(r, "q"))) {
		if (strlen(s) > 200)
			return http_fail(r, 400, "invalid_parameter", "q", "q is too long."), -1;
		f->q = s;
	}
	if (parse_drilldown(r, db, f) != 0)
		return -1;
	if ((s = http_query(r, "sort"))) {
		if (strcmp(s, "due") == 0)
			f->sort = SORT_DUE_ASC;
		else if (strcmp(s, "received") != 0)
			return http_fail(r, 400, "invalid_parameter", "sort", "sort must be received or due."), -1;
	}
	if ((s = http_query(r, "cursor")) && parse_cursor(s, &f->after_key, &f->after_id))
		return http_fail(r, 400, "invalid_parameter", "cursor", "The cursor is not valid."), -1;
	return 0;
}

void api_dossiers_list(struct request *r)
{
	struct dossier_filter f;
	struct list_ctx ctx;
	struct db *db = api_reader(r);
	int more = 0;
	if (!db)
		return;
	memset(&f, 0, sizeof(f));
	if (parse_filter(r, db, &f) != 0)
		return;
	cJSON *root = cJSON_CreateObject();
	memset(&ctx, 0, sizeof(ctx));
	ctx.r = r;
	ctx.items = cJSON_AddArrayToObject(root, "items");
	ctx.now = f.now;
	ctx.sort_due = f.sort == SORT_DUE_ASC;
	if (f.procedure_id >= 0 && f.lead_agency_id >= 0
	    && db_dossier_list(db, &f, add_listed, &ctx, &more) != 0) {
		cJSON_Delete(root);
		http_fail(r, 500, "database_error", NULL, "Could not list the dossiers.");
		return;
	}
	if (more) {
		char cursor[48];
		snprintf(cursor, sizeof(cursor), "%lld.%lld", (long long)ctx.last_key,
			 (long long)ctx.last_id);
		cJSON_AddStringToObject(root, "next_cursor", cursor);
	} else {
		cJSON_AddNullToObject(root, "next_cursor");
	}
	http_json(r, 200, root);
}
