/*
 * motcua — api_public: public lookup, procedures and one-stops, online
 * submission, rating, public statistics; and the staff views of
 * attachments, ratings and the citizen summary.
 */
#include "api_public.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "date.h"
#include "db.h"
#include "db_catalog.h"
#include "db_citizen.h"
#include "db_event.h"
#include "db_stats.h"
#include "feedback.h"
#include "json.h"
#include "lookup.h"
#include "ratelimit.h"
#include "rating.h"
#include "sniff.h"
#include "stats.h"
#include "submission.h"
#include "tz.h"
#include "upload.h"
#include "util.h"
#include "validate.h"
#include "workflow.h"

/* ---- rate limits ---------------------------------------------------------- */

/* One set of buckets per running server (tests start several in one
 * process, one after another). */
static struct {
	pthread_mutex_t lock;
	const struct app *app;
	int64_t started_at;
	int per_minute;
	struct ratelimit *rl[API_PUBLIC__MAX];
} limits = { PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0, { NULL, NULL } };

static struct ratelimit *bucket_of(struct request *r, enum api_public_bucket b)
{
	struct ratelimit *rl;
	pthread_mutex_lock(&limits.lock);
	if (limits.app != r->app || limits.started_at != r->app->started_at
	    || limits.per_minute != r->app->cfg.lookup_per_minute) {
		for (int i = 0; i < API_PUBLIC__MAX; i++) {
			ratelimit_free(limits.rl[i]);
			limits.rl[i] = ratelimit_new(r->app->cfg.lookup_per_minute, 8192);
		}
		limits.app = r->app;
		limits.started_at = r->app->started_at;
		limits.per_minute = r->app->cfg.lookup_per_minute;
	}
	rl = limits.rl[b];
	pthread_mutex_unlock(&limits.lock);
	return rl;
}

int api_public_throttle(struct request *r, enum api_public_bucket b)
{
	char secs[16];
	int wait = ratelimit_take(bucket_of(r, b), r->client_ip, util_mono_ns());
	if (!wait)
		return 1;
	http_fail(r, 429, "too_many_requests", NULL,
		  "Too many requests from your address; please wait a little and try again.");
	snprintf(secs, sizeof(secs), "%d", wait);
	http_header(r, "Retry-After", secs);
	return 0;
}

/* ---- small helpers --------------------------------------------------------- */

static void add_pair(cJSON *o, const char *key, const char *code, const char *name)
{
	cJSON *a = cJSON_AddObjectToObject(o, key);
	cJSON_AddStringToObject(a, "code", code);
	cJSON_AddStringToObject(a, "name", name);
}

static void add_label(cJSON *o, int state)
{
	cJSON *l = cJSON_AddObjectToObject(o, "state_label");
	cJSON_AddStringToObject(l, "vi", lookup_state_label(state, 0));
	cJSON_AddStringToObject(l, "en", lookup_state_label(state, 1));
}

static void today_of(struct request *r, char today[11])
{
	date_format_day(date_day_of(tz_local(app_now(r->app))), today);
}

/* ---- GET /api/v1/public/dossiers/{code}?check=NNNN -------------------------- */

/* The one answer for "no such code" and "wrong check digits". */
static void lookup_not_found(struct request *r)
{
	http_fail(r, 404, "not_found", NULL,
		  "No dossier matches this code and these check digits.");
}

static cJSON *public_step(const struct dossier_step *s, int current)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "seq", s->seq);
	add_pair(o, "agency", s->agency_code, s->agency_name);
	cJSON_AddStringToObject(o, "task", s->task);
	api_add_time(o, "started_at", s->started_at);
	api_add_time(o, "finished_at", s->finished_at);
	cJSON_AddStringToObject(o, "status", s->finished_at ? "done" : current ? "current" : "waiting");
	return o;
}

/* What a citizen may see: no applicant data, no officers, no notes. */
static cJSON *public_dossier(const struct dossier_row *d, const struct dossier_step *steps,
			     int n_steps, const char *reason)
{
	cJSON *o = cJSON_CreateObject();
	if (d->code[0])
		cJSON_AddStringToObject(o, "code", d->code);
	else
		cJSON_AddNullToObject(o, "code");
	cJSON_AddStringToObject(o, "ref", d->ref);
	add_pair(o, "procedure", d->procedure_code, d->procedure_name);
	add_pair(o, "receiving_agency", d->receiving_agency_code, d->receiving_agency_name);
	cJSON_AddStringToObject(o, "channel", d->channel);
	cJSON_AddStringToObject(o, "state", wf_state_name(d->state));
	cJSON_AddNumberToObject(o, "state_code", d->state);
	add_label(o, d->state);
	api_add_time(o, "submitted_at", d->submitted_at);
	api_add_time(o, "received_at", d->received_at);
	api_add_time(o, "appointment_at", d->appointment_at);
	api_add_time(o, "resolved_at", d->resolved_at);
	api_add_time(o, "returned_at", d->returned_at);
	api_add_time(o, "closed_at", d->closed_at);
	cJSON_AddBoolToObject(o, "ready_to_collect", d->state == WF_RESOLVED);
	cJSON_AddBoolToObject(o, "appointment_moved", d->extension_count > 0);
	cJSON *arr = cJSON_AddArrayToObject(o, "steps");
	for (int i = 0; i < n_steps; i++)
		if (steps[i].started_at)
			cJSON_AddItemToArray(arr, public_step(&steps[i], steps[i].seq == d->current_step
							      && wf_open(d->state)));
	if (reason && *reason && (d->state == WF_NOT_ACCEPTED || d->state == WF_STOPPED))
		cJSON_AddStringToObject(o, "refusal_reason", reason);
	else
		cJSON_AddNullToObject(o, "refusal_reason");
	return o;
}

/* The reason of the dossier's latest refusal, from its history ("" if
 * none). Runs for an unknown dossier too (id 0), to keep the work alike. */
static void refusal_reason(struct db *db, int64_t dossier_id, char *out, size_t n)
{
	struct event_row *rows = NULL;
	int count = 0;
	out[0] = '\0';
	if (db_event_list(db, dossier_id, &rows, &count) != 0)
		return;
	for (int i = count - 1; i >= 0; i--) {
		if (strcmp(rows[i].action, "refuse") != 0)
			continue;
		cJSON *data = rows[i].data[0] ? cJSON_Parse(rows[i].data) : NULL;
		const cJSON *x = cJSON_GetObjectItemCaseSensitive(data, "reason");
		if (cJSON_IsString(x))
			strlcpy_(out, x->valuestring, n);
		cJSON_Delete(data);
		break;
	}
	for (int i = 0; i < count; i++)
		db_event_row_release(&rows[i]);
	free(rows);
}

/* GET /api/v1/public/dossiers/{code}?check=NNNN — 200 the public view;
 * 400 check not four digits; 404 unknown code or wrong check (one answer);
 * 429 over the rate; 500/503 database. */
void api_public_dossier(struct request *r)
{
	struct dossier_row *d = xcalloc(1, sizeof(*d));
	struct dossier_step *steps = xmalloc(DOSSIER_MAX_STEPS * sizeof(*steps));
	char reason[1024];
	const char *check = http_query(r, "check");
	struct db *db;
	if (!api_public_throttle(r, API_PUBLIC_LOOKUP))
		goto out;
	if (!lookup_check_valid(check)) {
		http_fail(r, 400, "invalid_parameter", "check",
			  "check must be the last 4 digits of the applicant's phone or ID number.");
		goto out;
	}
	if (!(db = api_reader(r)))
		goto out;
	int rc = db_dossier_by_code(db, r->params[0], d);
	if (rc == 0)
		rc = db_dossier_by_ref(db, r->params[0], d);
	if (rc < 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the dossier.");
		goto out;
	}
	if (rc == 0)
		memset(d, 0, sizeof(*d));
	/* The same work whether or not the code exists or the check fits:
	 * compare, read the chain and the history, build the answer. */
	int ok = lookup_check_matches(check, d->applicant_phone, d->applicant_id_number);
	int n_steps = db_dossier_steps(db, d->id, steps);
	refusal_reason(db, d->id, reason, sizeof(reason));
	cJSON *o = public_dossier(d, steps, n_steps > 0 ? n_steps : 0, reason);
	if (rc == 1 && ok && n_steps >= 0) {
		http_json(r, 200, o);
	} else {
		cJSON_Delete(o);
		lookup_not_found(r);
	}
out:
	free(d);
	free(steps);
}

/* ---- procedures and one-stops ------------------------------------------- */

static void add_limit(cJSON *o, const char *key, int value, const char *unit)
{
	cJSON *l = cJSON_AddObjectToObject(o, key);
	cJSON_AddNumberToObject(l, "value", value);
	cJSON_AddStringToObject(l, "unit", unit);
}

#define PUBLIC_DOCS_MAX 40

/* Name, code, level, limits, fee, online level and the checklist only. */
static cJSON *public_procedure(struct db *db, const struct procedure_row *p)
{
	struct document_row *docs = xmalloc(PUBLIC_DOCS_MAX * sizeof(*docs));
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", p->code);
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "field", p->field);
	cJSON_AddStringToObject(o, "level", p->level);
	add_limit(o, "limit", p->limit_value, p->limit_unit);
	if (p->online_limit_value >= 0 && p->online_limit_unit[0])
		add_limit(o, "online_limit", p->online_limit_value, p->online_limit_unit);
	else
		cJSON_AddNullToObject(o, "online_limit");
	if (p->fee_vnd >= 0)
		cJSON_AddNumberToObject(o, "fee_vnd", (double)p->fee_vnd);
	else
		cJSON_AddNullToObject(o, "fee_vnd");
	cJSON_AddStringToObject(o, "online_level", p->online_level);
	cJSON_AddBoolToObject(o, "online", strcmp(p->online_level, "none") != 0);
	cJSON *arr = cJSON_AddArrayToObject(o, "documents");
	int n = db_document_list(db, p->id, docs, PUBLIC_DOCS_MAX);
	for (int i = 0; i < n; i++) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "name", docs[i].name);
		cJSON_AddStringToObject(d, "kind", docs[i].kind);
		cJSON_AddNumberToObject(d, "count", docs[i].count);
		cJSON_AddBoolToObject(d, "required", docs[i].required);
		cJSON_AddItemToArray(arr, d);
	}
	free(docs);
	return o;
}

struct proc_list {
	struct db *db;
	cJSON *items;
	int online_only;
};

static void add_public_procedure(const struct procedure_row *p, void *arg)
{
	struct proc_list *pl = arg;
	if (pl->online_only && strcmp(p->online_level, "none") == 0)
		return;
	cJSON_AddItemToArray(pl->items, public_procedure(pl->db, p));
}

/* GET /api/v1/public/procedures?q=&level=&online=1&limit= — 200; 400. */
void api_public_procedures(struct request *r)
{
	struct db *db = api_reader(r);
	const char *q = http_query(r, "q"), *level = http_query(r, "level"), *online = http_query(r, "online");
	int limit = api_limit(r, 20, 50);
	if (!db)
		return;
	if (limit < 0) {
		http_fail(r, 400, "invalid_parameter", "limit", "limit must be a number from 1 to 50.");
		return;
	}
	if (level && strcmp(level, "province") && strcmp(level, "commune")) {
		http_fail(r, 400, "invalid_parameter", "level", "level must be province or commune.");
		return;
	}
	if (q && (strlen(q) > 200 || !json_utf8_valid(q, strlen(q)))) {
		http_fail(r, 400, "invalid_parameter", "q", "q must be valid text of at most 200 bytes.");
		return;
	}
	cJSON *root = cJSON_CreateObject();
	struct proc_list pl = { db, cJSON_AddArrayToObject(root, "items"),
				online && (strcmp(online, "1") == 0 || strcmp(online, "true") == 0) };
	if (db_procedure_search(db, q, level, limit, add_public_procedure, &pl) != 0) {
		cJSON_Delete(root);
		http_fail(r, 500, "database_error", NULL, "Could not search the procedures.");
		return;
	}
	http_json(r, 200, root);
}

/* GET /api/v1/public/procedures/{code} — 200; 404 unknown or inactive. */
void api_public_procedure(struct request *r)
{
	struct db *db = api_reader(r);
	struct procedure_row *p = xmalloc(sizeof(*p));
	if (db) {
		if (db_procedure_by_code(db, r->params[0], p) != 1 || !p->active)
			http_fail(r, 404, "not_found", NULL, "No active procedure has this code.");
		else
			http_json(r, 200, public_procedure(db, p));
	}
	free(p);
}

static void add_public_agency(int64_t id, const char *code, const char *name, const char *level,
			      void *ctx)
{
	cJSON *o = cJSON_CreateObject();
	(void)id;
	cJSON_AddStringToObject(o, "code", code);
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "level", level);
	cJSON_AddItemToArray(ctx, o);
}

/* GET /api/v1/public/agencies[?level=province|commune] — 200; 400. */
void api_public_agencies(struct request *r)
{
	struct db *db = api_reader(r);
	const char *level = http_query(r, "level");
	char today[11];
	if (!db)
		return;
	if (level && strcmp(level, "province") && strcmp(level, "commune")) {
		http_fail(r, 400, "invalid_parameter", "level",
			  "level must be province or commune (the procedure's level).");
		return;
	}
	today_of(r, today);
	cJSON *root = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(root, "items");
	if (db_citizen_agencies(db, today, level, add_public_agency, items) != 0) {
		cJSON_Delete(root);
		http_fail(r, 500, "database_error", NULL, "Could not read the agencies.");
		return;
	}
	http_json(r, 200, root);
}

/* ---- POST /api/v1/public/submissions ------------------------------------- */

struct draft_job {
	cJSON *body;			/* owns the strings in `in` */
	struct submission_in in;
	struct submission_draft out;
	char upload_dir[1024];
};

static void draft_free(void *p)
{
	struct draft_job *j = p;
	cJSON_Delete(j->body);
	free(j);
}

static int draft_run(struct txn *t, void *arg, struct api_error *err)
{
	struct draft_job *j = arg;
	return submission_create(t, &j->in, &j->out, err);
}

static void draft_answer(struct request *r)
{
	struct draft_job *j = r->arg;
	char url[128];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "ref", j->out.ref);
	cJSON_AddStringToObject(o, "upload_token", j->out.token);
	api_add_time(o, "expires_at", j->out.expires_at);
	add_pair(o, "procedure", j->out.procedure_code, j->out.procedure_name);
	add_pair(o, "agency", j->out.agency_code, j->out.agency_name);
	cJSON_AddNumberToObject(o, "max_files", ATTACHMENT_MAX);
	cJSON_AddNumberToObject(o, "max_file_bytes", (double)r->app->cfg.max_upload_kib * 1024);
	snprintf(url, sizeof(url), "/api/v1/public/submissions/%s/files/{n}", j->out.ref);
	cJSON_AddStringToObject(o, "upload_url", url);
	http_json(r, 201, o);
}

static const char *const draft_keys[] = { "procedure_code", "agency_code", "applicant", "note", NULL };
static const char *const applicant_keys[] = { "name", "id_number", "phone", "address", "email", NULL };

/* The same checks as the counter's intake (validate.h); online, the
 * phone is required: notices go by SMS or e-mail (Decree 61 Art 17(2)). */
static int parse_draft(cJSON *body, struct submission_in *in, struct api_error *e)
{
	const cJSON *a = NULL;
	if (json_only_keys(body, NULL, draft_keys, e) != 0
	    || json_get_string(body, "procedure_code", NULL, 1, 1, 32, JSON_LINE, &in->procedure_code, e) < 0
	    || json_get_string(body, "agency_code", NULL, 1, 1, 32, JSON_LINE, &in->agency_code, e) < 0
	    || json_get_object(body, "applicant", NULL, 1, &a, e) < 0
	    || json_get_string(body, "note", NULL, 0, 0, 2000, JSON_MULTILINE, &in->note, e) < 0
	    || json_only_keys(a, "applicant", applicant_keys, e) != 0
	    || json_get_string(a, "name", "applicant", 1, 1, 200, JSON_LINE, &in->name, e) < 0
	    || json_get_string(a, "id_number", "applicant", 1, 1, 32, JSON_LINE, &in->id_number, e) < 0
	    || json_get_string(a, "phone", "applicant", 1, 1, 32, JSON_LINE, &in->phone, e) < 0
	    || json_get_string(a, "address", "applicant", 0, 0, 500, JSON_LINE, &in->address, e) < 0
	    || json_get_string(a, "email", "applicant", 0, 0, 254, JSON_LINE, &in->email, e) < 0)
		return -1;
	if (!validate_id_number(in->id_number))
		return api_error_set(e, 422, "invalid_id_number", "applicant.id_number",
				     "An ID number is a citizen ID of 9 or 12 digits, or a tax code of 10 digits (optionally -NNN).");
	if (!validate_phone(in->phone))
		return api_error_set(e, 422, "invalid_phone", "applicant.phone",
				     "A phone number is 0 followed by 9 or 10 digits (or +84…).");
	if (in->email && *in->email && !validate_email(in->email))
		return api_error_set(e, 422, "invalid_email", "applicant.email",
				     "This is not a valid e-mail address.");
	return 0;
}

/* POST /api/v1/public/submissions — 201 {ref, upload_token…}; 400/422
 * bad form (same checks as the counter); 429 over the rate. */
void api_public_submission_create(struct request *r)
{
	struct api_error e;
	struct draft_job *j = xcalloc(1, sizeof(*j));
	if (!api_public_throttle(r, API_PUBLIC_POST) || !(j->body = api_body(r)))
		goto fail;
	if (parse_draft(j->body, &j->in, &e) != 0) {
		http_error(r, &e);
		goto fail;
	}
	strlcpy_(j->upload_dir, r->app->cfg.upload_dir, sizeof(j->upload_dir));
	j->in.upload_dir = j->upload_dir;
	j->in.at = app_now(r->app);
	http_write(r, draft_run, j, draft_free, draft_answer);
	return;
fail:
	draft_free(j);
}

/* ---- PUT/DELETE /api/v1/public/submissions/{ref}/files/{n} ----------------- */

struct file_job {
	char ref[40];
	char token[AUTH_TOKEN_LEN + 1];
	char name[1024];
	char label[1024];
	char sha[UPLOAD_SHA_HEX];
	char staged[UPLOAD_PATH_MAX];
	char upload_dir[1024];
	const char *mime;
	int64_t size;
	int seq;
	int64_t now;
	int replaced, consumed;
};

static void file_free(void *p)
{
	struct file_job *j = p;
	if (j->staged[0] && !j->consumed)
		upload_discard(j->staged);
	free(j);
}

static int file_run(struct txn *t, void *arg, struct api_error *err)
{
	struct file_job *j = arg;
	struct submission_file f = {
		.seq = j->seq, .name = j->name, .label = j->label, .mime = j->mime, .size = j->size,
		.sha256 = j->sha, .staged = j->staged, .upload_dir = j->upload_dir,
	};
	return submission_attach(t, j->ref, j->token, &f, j->now, &j->replaced, &j->consumed, err);
}

static cJSON *file_json(int seq, const char *name, const char *label, const char *mime,
			int64_t size, const char *sha)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "n", seq);
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "label", label);
	cJSON_AddStringToObject(o, "type", mime);
	cJSON_AddNumberToObject(o, "size", (double)size);
	cJSON_AddStringToObject(o, "sha256", sha);
	return o;
}

static void file_answer(struct request *r)
{
	struct file_job *j = r->arg;
	http_json(r, j->replaced ? 200 : 201, file_json(j->seq, j->name, j->label, j->mime, j->size, j->sha));
}

/* Slot number from the path: 1..ATTACHMENT_MAX, else 0. */
static int slot_of(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 1 && v <= ATTACHMENT_MAX && s[0] != '0' ? (int)v : 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Percent-decode s (an X-Filename header: browsers may only send Latin-1
 * in headers, so pages send UTF-8 percent-encoded). -1 if malformed. */
static int pct_decode(const char *s, char *out, size_t n)
{
	size_t o = 0;
	for (; *s; s++) {
		int c = (unsigned char)*s;
		if (c == '%') {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);
			if (lo < 0)
				return -1;
			c = hi * 16 + lo;
			s += 2;
		}
		if (o + 1 >= n)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

/* The file's name and label from ?name= / X-Filename and ?label=. */
static int file_names(struct request *r, struct file_job *j, enum sniff_type type)
{
	char raw[1024] = "";
	const char *name = http_query(r, "name"), *hdr = http_req_header(r, "X-Filename");
	const char *label = http_query(r, "label");
	if (name)
		strlcpy_(raw, name, sizeof(raw));
	else if (hdr && pct_decode(hdr, raw, sizeof(raw)) != 0)
		return http_fail(r, 400, "invalid_parameter", "name", "X-Filename is not valid percent-encoding."), -1;
	if (!json_utf8_valid(raw, strlen(raw)))
		return http_fail(r, 400, "invalid_parameter", "name", "The file name is not valid UTF-8."), -1;
	if (label && (!json_utf8_valid(label, strlen(label)) || json_utf8_chars(label) > 300))
		return http_fail(r, 400, "invalid_parameter", "label",
				 "label must be valid text of at most 300 characters."), -1;
	submission_clean_name(raw, j->seq, sniff_extension(type), j->name, sizeof(j->name));
	/* A label is a checklist item's name ("Tờ khai / Đơn đề nghị…"): keep
	 * it whole, only control characters go. */
	strlcpy_(j->label, label ? label : "", sizeof(j->label));
	for (char *p = j->label; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
	/* What the name or the Content-Type claim must match the content. */
	enum sniff_type by_name = sniff_claimed_by_name(j->name);
	enum sniff_type by_type = sniff_claimed_by_type(http_req_header(r, "Content-Type"));
	if ((by_name != SNIFF_UNKNOWN && by_name != type) || (by_type != SNIFF_UNKNOWN && by_type != type))
		return http_fail(r, 415, "file_type_mismatch", "file",
				 "The file's content does not match its name or type; send the real PDF, JPEG or PNG."), -1;
	return 0;
}

/* PUT /api/v1/public/submissions/{ref}/files/{n} (raw body) — 201 new,
 * 200 replaced; 400 empty or bad name; 404 unknown ref, wrong token or
 * slot; 409 submitted; 410 expired; 413 too big (before the body is
 * read, by http.c); 415 not a PDF/JPEG/PNG, or contradicting its name
 * or type; 507 disk full. */
void api_public_file_put(struct request *r)
{
	struct api_error e;
	struct file_job *j = xcalloc(1, sizeof(*j));
	struct submission_row *s = xmalloc(sizeof(*s));
	const char *token = http_req_header(r, "X-Upload-Token");
	struct db *db = api_reader(r);
	if (!db)
		goto fail;
	j->seq = slot_of(r->params[1]);
	j->now = app_now(r->app);
	if (!j->seq) {
		http_fail(r, 404, "not_found", NULL, "File slots are numbered 1 to 20.");
		goto fail;
	}
	/* Refuse a wrong token or a closed draft before touching the disk. */
	if (submission_open(db, r->params[0], token, j->now, s, &e) != 1) {
		http_error(r, &e);
		goto fail;
	}
	if (r->body.len == 0) {
		http_fail(r, 400, "empty_file", "file", "The file is empty.");
		goto fail;
	}
	enum sniff_type type = sniff_type(r->body.data, r->body.len);
	if (type == SNIFF_UNKNOWN) {
		http_fail(r, 415, "unsupported_file_type", "file",
			  "Only PDF, JPEG and PNG files are accepted (judged by their content).");
		goto fail;
	}
	if (file_names(r, j, type) != 0)
		goto fail;
	strlcpy_(j->ref, r->params[0], sizeof(j->ref));
	strlcpy_(j->token, token, sizeof(j->token));
	strlcpy_(j->upload_dir, r->app->cfg.upload_dir, sizeof(j->upload_dir));
	j->mime = sniff_mime(type);
	j->size = (int64_t)r->body.len;
	if (upload_stage(j->upload_dir, r->body.data, r->body.len, j->sha, j->staged,
			 sizeof(j->staged), &e) != 0) {
		http_error(r, &e);
		goto fail;
	}
	free(s);
	http_write(r, file_run, j, file_free, file_answer);
	return;
fail:
	free(s);
	file_free(j);
}

struct detach_job {
	char ref[40];
	char token[AUTH_TOKEN_LEN + 1];
	char upload_dir[1024];
	int seq;
	int64_t now;
};

static int detach_run(struct txn *t, void *arg, struct api_error *err)
{
	struct detach_job *j = arg;
	return submission_detach(t, j->ref, j->token, j->seq, j->upload_dir, j->now, err);
}

/* DELETE …/files/{n} — 204; 404 empty slot, unknown ref or token. */
void api_public_file_delete(struct request *r)
{
	struct detach_job *j = xcalloc(1, sizeof(*j));
	const char *token = http_req_header(r, "X-Upload-Token");
	j->seq = slot_of(r->params[1]);
	if (!j->seq) {
		http_fail(r, 404, "not_found", NULL, "File slots are numbered 1 to 20.");
		free(j);
		return;
	}
	strlcpy_(j->ref, r->params[0], sizeof(j->ref));
	strlcpy_(j->token, token ? token : "", sizeof(j->token));
	strlcpy_(j->upload_dir, r->app->cfg.upload_dir, sizeof(j->upload_dir));
	j->now = app_now(r->app);
	http_write(r, detach_run, j, free, http_no_content);
}

/* ---- POST /api/v1/public/submissions/{ref}/submit ------------------------- */

struct submit_job {
	cJSON *body;
	char ref[40];
	char token[AUTH_TOKEN_LEN + 1];
	int64_t now;
	struct dossier_state st;
};

static void submit_free(void *p)
{
	struct submit_job *j = p;
	cJSON_Delete(j->body);
	free(j);
}

static int submit_run(struct txn *t, void *arg, struct api_error *err)
{
	struct submit_job *j = arg;
	return submission_submit(t, j->ref, j->token, j->now, &j->st, err);
}

static void submit_answer(struct request *r)
{
	struct submit_job *j = r->arg;
	const struct dossier_row *d = &j->st.d;
	char url[96];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "ref", d->ref);
	cJSON_AddStringToObject(o, "state", wf_state_name(d->state));
	add_label(o, d->state);
	api_add_time(o, "submitted_at", d->submitted_at);
	add_pair(o, "procedure", d->procedure_code, d->procedure_name);
	add_pair(o, "agency", d->receiving_agency_code, d->receiving_agency_name);
	cJSON_AddNumberToObject(o, "attachments", d->attachments);
	snprintf(url, sizeof(url), "/lookup?code=%s", d->ref);
	cJSON_AddStringToObject(o, "lookup_url", url);
	http_json(r, 200, o);
}

/* POST /api/v1/public/submissions/{ref}/submit ({}) — 200 waiting as
 * submitted online; 404; 409 already submitted; 410; 422 no file. */
void api_public_submission_submit(struct request *r)
{
	struct submit_job *j = xcalloc(1, sizeof(*j));
	const char *token = http_req_header(r, "X-Upload-Token");
	static const char *const none[] = { NULL };
	struct api_error e;
	if (!(j->body = api_body(r)))
		goto fail;
	if (json_only_keys(j->body, NULL, none, &e) != 0) {
		http_error(r, &e);
		goto fail;
	}
	strlcpy_(j->ref, r->params[0], sizeof(j->ref));
	strlcpy_(j->token, token ? token : "", sizeof(j->token));
	j->now = app_now(r->app);
	http_write(r, submit_run, j, submit_free, submit_answer);
	return;
fail:
	submit_free(j);
}

/* ---- rating ---------------------------------------------------------------- */

/* GET /api/v1/public/rating?t=TOKEN — 200 what the link is about and
 * whether it can be used now; 404 unknown link. */
void api_public_rating_get(struct request *r)
{
	struct db *db = api_reader(r);
	struct dossier_row *d = xmalloc(sizeof(*d));
	int rated = 0;
	if (!db)
		goto out;
	int rc = rating_find(db, http_query(r, "t"), d, &rated);
	if (rc < 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the rating link.");
		goto out;
	}
	if (rc == 0) {
		http_fail(r, 404, "unknown_link", NULL, "This rating link is not valid.");
		goto out;
	}
	cJSON *o = cJSON_CreateObject();
	if (d->code[0])
		cJSON_AddStringToObject(o, "code", d->code);
	else
		cJSON_AddNullToObject(o, "code");
	add_pair(o, "procedure", d->procedure_code, d->procedure_name);
	add_pair(o, "agency", d->receiving_agency_code, d->receiving_agency_name);
	cJSON_AddStringToObject(o, "state", wf_state_name(d->state));
	add_label(o, d->state);
	api_add_time(o, "received_at", d->received_at);
	api_add_time(o, "appointment_at", d->appointment_at);
	api_add_time(o, "returned_at", d->returned_at);
	cJSON_AddBoolToObject(o, "rated", rated);
	int can = !rated && d->state == WF_RETURNED;
	cJSON_AddBoolToObject(o, "can_rate", can);
	if (can)
		cJSON_AddNullToObject(o, "why_not");
	else
		cJSON_AddStringToObject(o, "why_not", rated ? "already_rated" : "not_returned");
	http_json(r, 200, o);
out:
	free(d);
}

struct rate_job {
	cJSON *body;
	struct rating_in in;
	struct rating_row out;
};

static void rate_free(void *p)
{
	struct rate_job *j = p;
	cJSON_Delete(j->body);
	free(j);
}

static int rate_run(struct txn *t, void *arg, struct api_error *err)
{
	struct rate_job *j = arg;
	return rating_submit(t, &j->in, &j->out, err);
}

static void rate_answer(struct request *r)
{
	struct rate_job *j = r->arg;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "rated", 1);
	api_add_time(o, "rated_at", j->out.rated_at);
	cJSON_AddBoolToObject(o, "dislike", j->out.dislike);
	http_json(r, 201, o);
}

static const char *const rate_keys[] = {
	"token", "time_score", "trips", "attitude_score", "result_score", "unofficial_payment",
	"comment", NULL
};

static int parse_rating(cJSON *body, struct rating_in *in, struct api_error *e)
{
	long long time_score, trips, attitude, result;
	int unofficial = 0;
	if (json_only_keys(body, NULL, rate_keys, e) != 0
	    || json_get_string(body, "token", NULL, 1, AUTH_TOKEN_LEN, AUTH_TOKEN_LEN, JSON_LINE,
			       &in->token, e) < 0
	    || json_get_int(body, "time_score", NULL, 1, 1, 5, &time_score, e) < 0
	    || json_get_int(body, "trips", NULL, 1, 0, 20, &trips, e) < 0
	    || json_get_int(body, "attitude_score", NULL, 1, 1, 5, &attitude, e) < 0
	    || json_get_int(body, "result_score", NULL, 1, 1, 5, &result, e) < 0
	    || json_get_bool(body, "unofficial_payment", NULL, 1, &unofficial, e) < 0
	    || json_get_string(body, "comment", NULL, 0, 0, 1000, JSON_MULTILINE, &in->comment, e) < 0)
		return -1;
	in->time_score = (int)time_score;
	in->trips = (int)trips;
	in->attitude_score = (int)attitude;
	in->result_score = (int)result;
	in->unofficial_payment = unofficial;
	return 0;
}

/* POST /api/v1/public/rating — 201; 404 unknown link; 409 not returned
 * yet or rated already; 422 bad answers; 429. */
void api_public_rating_post(struct request *r)
{
	struct api_error e;
	struct rate_job *j = xcalloc(1, sizeof(*j));
	if (!api_public_throttle(r, API_PUBLIC_POST) || !(j->body = api_body(r)))
		goto fail;
	if (parse_rating(j->body, &j->in, &e) != 0) {
		http_error(r, &e);
		goto fail;
	}
	j->in.at = app_now(r->app);
	http_write(r, rate_run, j, rate_free, rate_answer);
	return;
fail:
	rate_free(j);
}

/* ---- GET /api/v1/public/stats?year=&quarter= ------------------------------ */

struct figures {
	int64_t received, resolved, on_time, late;
};

struct agency_stats {
	int64_t id;
	struct figures year, quarter;
	struct rating_summary rating;
};

struct stats_ctx {
	struct agency_stats *rows;
	size_t n, cap;
	int quarter_pass;
};

static struct agency_stats *stats_row(struct stats_ctx *c, int64_t id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->rows[i].id == id)
			return &c->rows[i];
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->rows = xrealloc(c->rows, c->cap * sizeof(*c->rows));
	}
	memset(&c->rows[c->n], 0, sizeof(c->rows[c->n]));
	c->rows[c->n].id = id;
	return &c->rows[c->n++];
}

static void add_stat(const struct stat_row *s, void *arg)
{
	struct stats_ctx *c = arg;
	struct agency_stats *a = stats_row(c, s->agency_id);
	struct figures *f = c->quarter_pass ? &a->quarter : &a->year;
	f->received += s->v[SC_RECEIVED];
	f->resolved += s->v[SC_EARLY] + s->v[SC_ON_TIME] + s->v[SC_LATE];
	f->on_time += s->v[SC_EARLY] + s->v[SC_ON_TIME];
	f->late += s->v[SC_LATE];
}

static void add_stat_rating(int64_t agency_id, const struct rating_summary *s, void *arg)
{
	stats_row(arg, agency_id)->rating = *s;
}

/* Percent with two decimals, or null when the denominator is 0 ("N/A"). */
static void add_rate(cJSON *o, const char *key, int64_t num, int64_t den)
{
	if (den <= 0) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	double v = 100.0 * (double)num / (double)den;
	cJSON_AddNumberToObject(o, key, (double)(int64_t)(v * 100.0 + 0.5) / 100.0);
}

static cJSON *figures_json(const struct figures *f)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "received", (double)f->received);
	cJSON_AddNumberToObject(o, "resolved", (double)f->resolved);
	cJSON_AddNumberToObject(o, "on_time", (double)f->on_time);
	cJSON_AddNumberToObject(o, "late", (double)f->late);
	add_rate(o, "on_time_rate", f->on_time, f->resolved);
	return o;
}

static void sum_figures(struct figures *to, const struct figures *f)
{
	to->received += f->received;
	to->resolved += f->resolved;
	to->on_time += f->on_time;
	to->late += f->late;
}

static cJSON *rating_brief(const struct rating_summary *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "count", (double)s->ratings);
	add_rate(o, "satisfied_rate", s->ratings - s->dislikes, s->ratings);
	return o;
}

static void add_period(cJSON *root, const char *key, int32_t from_day, int32_t to_day)
{
	char a[11], b[11];
	cJSON *p = cJSON_AddObjectToObject(root, key);
	date_format_day(from_day, a);
	date_format_day(to_day, b);
	cJSON_AddStringToObject(p, "from", a);
	cJSON_AddStringToObject(p, "to", b);
}

static int parse_year_quarter(struct request *r, int *year, int *quarter)
{
	int y, m, d;
	const char *ys = http_query(r, "year"), *qs = http_query(r, "quarter");
	char *end;
	date_to_civil(date_day_of(tz_local(app_now(r->app))), &y, &m, &d);
	*year = y;
	*quarter = (m - 1) / 3 + 1;
	if (ys) {
		long v = strtol(ys, &end, 10);
		if (*end || v < 2000 || v > 2100)
			return http_fail(r, 400, "invalid_parameter", "year", "year must be 2000 to 2100."), -1;
		if (v != y)
			*quarter = v < y ? 4 : 1;
		*year = (int)v;
	}
	if (qs) {
		long v = strtol(qs, &end, 10);
		if (*end || v < 1 || v > 4)
			return http_fail(r, 400, "invalid_parameter", "quarter", "quarter must be 1 to 4."), -1;
		*quarter = (int)v;
	}
	return 0;
}

struct name_ctx {
	cJSON *items;
	const struct stats_ctx *c;
};

static void emit_agency(const struct agency_row *a, void *arg)
{
	struct name_ctx *nc = arg;
	for (size_t i = 0; i < nc->c->n; i++) {
		const struct agency_stats *s = &nc->c->rows[i];
		if (s->id != a->id)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "code", a->code);
		cJSON_AddStringToObject(o, "name", a->name);
		cJSON_AddStringToObject(o, "level", a->level);
		cJSON_AddItemToObject(o, "year", figures_json(&s->year));
		cJSON_AddItemToObject(o, "quarter", figures_json(&s->quarter));
		cJSON_AddItemToObject(o, "ratings", rating_brief(&s->rating));
		cJSON_AddItemToArray(nc->items, o);
	}
}

/* GET /api/v1/public/stats?year=&quarter= — 200 per agency (lead agency
 * of the stat rows) for the year and the quarter; 400 bad year/quarter. */
void api_public_stats(struct request *r)
{
	struct db *db = api_reader(r);
	struct stats_ctx c = { NULL, 0, 0, 0 };
	struct figures ty = { 0, 0, 0, 0 }, tq = { 0, 0, 0, 0 };
	struct rating_summary tr;
	int year, quarter, ok = 0;
	if (!db || parse_year_quarter(r, &year, &quarter) != 0)
		return;
	int first_month = (quarter - 1) * 3 + 1;
	int32_t y0 = date_from_civil(year, 1, 1), y1 = date_from_civil(year, 12, 31);
	int32_t q0 = date_from_civil(year, first_month, 1);
	int32_t q1 = date_from_civil(first_month + 3 > 12 ? year + 1 : year,
				     first_month + 3 > 12 ? 1 : first_month + 3, 1) - 1;
	memset(&tr, 0, sizeof(tr));
	/* One snapshot for all the sums. */
	if (db_read_begin(db) != SQLITE_OK)
		goto out;
	c.quarter_pass = 0;
	if (db_stats_range(db, 1, 2, year, year, 0, 0, add_stat, &c) != 0)
		goto out;
	c.quarter_pass = 1;
	if (db_stats_range(db, 1, 1, year * 100 + first_month, year * 100 + first_month + 2, 0, 0,
			   add_stat, &c) != 0)
		goto out;
	if (db_rating_sums(db, 0, year * 10000 + 101, year * 10000 + 1231, add_stat_rating, &c) != 0)
		goto out;
	cJSON *root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "year", year);
	cJSON_AddNumberToObject(root, "quarter", quarter);
	add_period(root, "year_period", y0, y1);
	add_period(root, "quarter_period", q0, q1);
	struct name_ctx nc = { cJSON_AddArrayToObject(root, "agencies"), &c };
	if (db_agency_each(db, emit_agency, &nc) != 0) {
		cJSON_Delete(root);
		goto out;
	}
	for (size_t i = 0; i < c.n; i++) {
		sum_figures(&ty, &c.rows[i].year);
		sum_figures(&tq, &c.rows[i].quarter);
		tr.ratings += c.rows[i].rating.ratings;
		tr.dislikes += c.rows[i].rating.dislikes;
	}
	cJSON *total = cJSON_AddObjectToObject(root, "total");
	cJSON_AddItemToObject(total, "year", figures_json(&ty));
	cJSON_AddItemToObject(total, "quarter", figures_json(&tq));
	cJSON_AddItemToObject(total, "ratings", rating_brief(&tr));
	ok = 1;
	db_read_end(db);
	http_json(r, 200, root);
out:
	if (!ok) {
		db_read_end(db);
		http_fail(r, 500, "database_error", NULL, "Could not read the statistics.");
	}
	free(c.rows);
}

/* ---- staff: attachments, rating link, rating ------------------------------ */

/* GET /api/v1/dossiers/{code}/attachments — 200; 404 out of scope. */
void api_dossier_attachments(struct request *r)
{
	struct db *db = api_reader(r);
	struct dossier_row *d = xmalloc(sizeof(*d));
	struct attachment_row *rows = xmalloc(ATTACHMENT_MAX * sizeof(*rows));
	char url[160];
	if (!db || !api_dossier_find(r, db, r->params[0], d))
		goto out;
	int n = db_attachment_list(db, 0, d->id, rows, ATTACHMENT_MAX);
	if (n < 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the attachments.");
		goto out;
	}
	cJSON *root = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(root, "items");
	cJSON_AddStringToObject(root, "dossier", d->code[0] ? d->code : d->ref);
	for (int i = 0; i < n; i++) {
		cJSON *o = file_json(rows[i].seq, rows[i].name, rows[i].label, rows[i].mime, rows[i].size,
				     rows[i].sha256);
		api_add_time(o, "uploaded_at", rows[i].created_at);
		snprintf(url, sizeof(url), "/api/v1/dossiers/%s/attachments/%d",
			 d->code[0] ? d->code : d->ref, rows[i].seq);
		cJSON_AddStringToObject(o, "url", url);
		cJSON_AddItemToArray(items, o);
	}
	http_json(r, 200, root);
out:
	free(d);
	free(rows);
}

/* Content-Disposition for a stored name: an ASCII fallback and the UTF-8
 * name (RFC 6266 / 5987); the name was cleaned of quotes and controls. */
static void disposition(const char *name, char *out, size_t n)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "attachment; filename=\"");
	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		buf_addc(&b, c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != ';' ? (char)c : '_');
	}
	buf_adds(&b, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')
		    || strchr("-._~", *p))
			buf_addc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	strlcpy_(out, buf_cstr(&b), n);
	buf_release(&b);
}

/* GET /api/v1/dossiers/{code}/attachments/{n} — 200 the bytes (as a
 * download, nosniff); 404; 500 file missing or altered on disk. */
void api_dossier_attachment(struct request *r)
{
	struct db *db = api_reader(r);
	struct dossier_row *d = xmalloc(sizeof(*d));
	struct attachment_row *a = xmalloc(sizeof(*a));
	char cd[4096];
	char *data = NULL;
	size_t len = 0;
	int seq = slot_of(r->params[1]);
	if (!db || !api_dossier_find(r, db, r->params[0], d))
		goto out;
	int rc = seq ? db_attachment_of_dossier(db, d->id, seq, a) : 0;
	if (rc <= 0) {
		if (rc < 0)
			http_fail(r, 500, "database_error", NULL, "Could not read the attachment.");
		else
			http_fail(r, 404, "not_found", NULL, "The dossier has no attachment with this number.");
		goto out;
	}
	rc = upload_read(r->app->cfg.upload_dir, a->sha256, (size_t)a->size, &data, &len);
	if (rc != 1) {
		http_fail(r, 500, rc == 0 ? "attachment_missing" : "attachment_corrupt", NULL,
			  rc == 0 ? "The stored file is missing." : "The stored file does not match its digest.");
		goto out;
	}
	http_send_owned(r, 200, a->mime, data, len);
	data = NULL;
	disposition(a->name, cd, sizeof(cd));
	http_header(r, "Content-Disposition", cd);
out:
	free(data);
	free(d);
	free(a);
}

struct link_job {
	int64_t dossier_id;
	char public_url[256];
	char by[64];
	int64_t now;
	char link[RATING_LINK_MAX];
	char dossier[40];
};

static int link_run(struct txn *t, void *arg, struct api_error *err)
{
	struct link_job *j = arg;
	return rating_link_for(t, j->dossier_id, j->public_url, j->by, j->now, j->link,
			       sizeof(j->link), err);
}

static void link_answer(struct request *r)
{
	struct link_job *j = r->arg;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "dossier", j->dossier);
	cJSON_AddStringToObject(o, "url", j->link);
	http_json(r, 201, o);
}

/* GET /api/v1/dossiers/{code}/rating-link — 201 a new one-time link;
 * 404 out of scope; 409 rated already, or never ratable. */
void api_dossier_rating_link(struct request *r)
{
	struct db *db = api_reader(r);
	struct dossier_row *d = xmalloc(sizeof(*d));
	struct link_job *j = xcalloc(1, sizeof(*j));
	if (!db || !api_dossier_find(r, db, r->params[0], d)) {
		free(j);
		goto out;
	}
	j->dossier_id = d->id;
	strlcpy_(j->dossier, d->code[0] ? d->code : d->ref, sizeof(j->dossier));
	strlcpy_(j->public_url, r->app->cfg.public_url, sizeof(j->public_url));
	strlcpy_(j->by, r->user.username, sizeof(j->by));
	j->now = app_now(r->app);
	http_write(r, link_run, j, free, link_answer);
out:
	free(d);
}

static cJSON *rating_json(const struct rating_row *rr)
{
	cJSON *o = cJSON_CreateObject();
	api_add_time(o, "rated_at", rr->rated_at);
	cJSON_AddNumberToObject(o, "time_score", rr->time_score);
	cJSON_AddNumberToObject(o, "trips", rr->trips);
	cJSON_AddNumberToObject(o, "attitude_score", rr->attitude_score);
	cJSON_AddNumberToObject(o, "result_score", rr->result_score);
	cJSON_AddBoolToObject(o, "unofficial_payment", rr->unofficial_payment);
	cJSON_AddStringToObject(o, "comment", rr->comment);
	cJSON_AddBoolToObject(o, "dislike", rr->dislike);
	return o;
}

/* GET /api/v1/dossiers/{code}/rating — 200; 404 out of scope or not rated. */
void api_dossier_rating(struct request *r)
{
	struct db *db = api_reader(r);
	struct dossier_row *d = xmalloc(sizeof(*d));
	struct rating_row *rr = xmalloc(sizeof(*rr));
	if (!db || !api_dossier_find(r, db, r->params[0], d))
		goto out;
	int rc = db_rating_get(db, d->id, rr);
	if (rc < 0)
		http_fail(r, 500, "database_error", NULL, "Could not read the rating.");
	else if (rc == 0)
		http_fail(r, 404, "not_rated", NULL, "The citizen has not rated this dossier.");
	else
		http_json(r, 200, rating_json(rr));
out:
	free(d);
	free(rr);
}

/* ---- GET /api/v1/citizen/summary?from=&to=&agency= ------------------------- */

struct summary_row {
	int64_t id;
	struct rating_summary rating;
	struct feedback_summary feedback;
};

struct summary_ctx {
	struct summary_row *rows;
	size_t n, cap;
};

static struct summary_row *summary_row(struct summary_ctx *c, int64_t id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->rows[i].id == id)
			return &c->rows[i];
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->rows = xrealloc(c->rows, c->cap * sizeof(*c->rows));
	}
	memset(&c->rows[c->n], 0, sizeof(c->rows[c->n]));
	c->rows[c->n].id = id;
	return &c->rows[c->n++];
}

static void put_rating(int64_t id, const struct rating_summary *s, void *arg)
{
	summary_row(arg, id)->rating = *s;
}

static void put_feedback(int64_t id, const struct feedback_summary *s, void *arg)
{
	summary_row(arg, id)->feedback = *s;
}

static void add_avg(cJSON *o, const char *key, int64_t sum, int64_t n)
{
	if (n <= 0)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddNumberToObject(o, key, (double)(int64_t)((double)sum / (double)n * 100.0 + 0.5) / 100.0);
}

static cJSON *summary_json(const struct agency_row *a, const struct summary_row *s)
{
	cJSON *o = cJSON_CreateObject();
	add_pair(o, "agency", a->code, a->name);
	cJSON *rt = cJSON_AddObjectToObject(o, "ratings");
	cJSON_AddNumberToObject(rt, "count", (double)s->rating.ratings);
	add_avg(rt, "avg_time", s->rating.time_sum, s->rating.ratings);
	add_avg(rt, "avg_trips", s->rating.trips_sum, s->rating.ratings);
	add_avg(rt, "avg_attitude", s->rating.attitude_sum, s->rating.ratings);
	add_avg(rt, "avg_result", s->rating.result_sum, s->rating.ratings);
	cJSON_AddNumberToObject(rt, "dislikes", (double)s->rating.dislikes);
	cJSON_AddNumberToObject(rt, "unofficial_payments", (double)s->rating.unofficial_payments);
	add_rate(rt, "satisfied_rate", s->rating.ratings - s->rating.dislikes, s->rating.ratings);
	cJSON_AddNumberToObject(o, "complained_dossiers", (double)s->rating.complained_dossiers);
	cJSON *fb = cJSON_AddObjectToObject(o, "feedback");
	cJSON_AddNumberToObject(fb, "received", (double)s->feedback.received);
	cJSON_AddNumberToObject(fb, "answered_on_time", (double)s->feedback.answered_on_time);
	cJSON_AddNumberToObject(fb, "answered_late", (double)s->feedback.answered_late);
	cJSON_AddNumberToObject(fb, "open_overdue", (double)s->feedback.open_overdue);
	add_rate(fb, "on_time_rate", s->feedback.answered_on_time,
		 s->feedback.answered_on_time + s->feedback.answered_late);
	return o;
}

struct summary_emit {
	struct request *r;
	struct db *db;
	const struct summary_ctx *c;
	int64_t only;		/* this agency and those below it, 0 = all in scope */
	cJSON *items;
	struct summary_row total;	/* sums over the rows shown */
};

static int summary_in_scope(struct request *r, struct db *db, int64_t agency_id)
{
	switch (r->user.role) {
	case ROLE_ADMIN:
	case ROLE_AUDITOR:
		return 1;
	case ROLE_MANAGER:
		return agency_id == r->user.agency_id || db_agency_within(db, agency_id, r->user.agency_id);
	default:
		return agency_id == r->user.agency_id;
	}
}

static void add_sums(struct summary_row *t, const struct summary_row *s)
{
	t->rating.ratings += s->rating.ratings;
	t->rating.time_sum += s->rating.time_sum;
	t->rating.trips_sum += s->rating.trips_sum;
	t->rating.attitude_sum += s->rating.attitude_sum;
	t->rating.result_sum += s->rating.result_sum;
	t->rating.dislikes += s->rating.dislikes;
	t->rating.unofficial_payments += s->rating.unofficial_payments;
	t->rating.complained_dossiers += s->rating.complained_dossiers;
	t->feedback.received += s->feedback.received;
	t->feedback.answered_on_time += s->feedback.answered_on_time;
	t->feedback.answered_late += s->feedback.answered_late;
	t->feedback.open_overdue += s->feedback.open_overdue;
}

/* ?agency= means that agency and the ones below it, as in the reports. */
static void emit_summary(const struct agency_row *a, void *arg)
{
	struct summary_emit *se = arg;
	if (se->only && a->id != se->only && !db_agency_within(se->db, a->id, se->only))
		return;
	for (size_t i = 0; i < se->c->n; i++)
		if (se->c->rows[i].id == a->id && summary_in_scope(se->r, se->db, a->id)) {
			cJSON_AddItemToArray(se->items, summary_json(a, &se->c->rows[i]));
			add_sums(&se->total, &se->c->rows[i]);
		}
}

static int parse_day(struct request *r, const char *name, int32_t def, int32_t *out)
{
	const char *s = http_query(r, name);
	if (!s) {
		*out = def;
		return 0;
	}
	if (date_parse_day(s, out) != 0)
		return http_fail(r, 400, "invalid_parameter", name, "Dates are YYYY-MM-DD."), -1;
	return 0;
}

/* GET /api/v1/citizen/summary?from=&to=&agency= — 200 per agency in the
 * caller's scope: ratings, complaints (766 ind. 5.4) and feedback
 * figures; 400 bad dates; 404 agency out of scope. */
void api_citizen_summary(struct request *r)
{
	struct db *db = api_reader(r);
	struct agency_row *ag = xmalloc(sizeof(*ag));
	struct summary_ctx c = { NULL, 0, 0 };
	const char *only = http_query(r, "agency");
	int64_t now = app_now(r->app);
	int32_t today = date_day_of(tz_local(now)), from, to;
	int y, m, d;
	date_to_civil(today, &y, &m, &d);
	if (!db || parse_day(r, "from", date_from_civil(y, 1, 1), &from) != 0
	    || parse_day(r, "to", today, &to) != 0)
		goto out;
	if (to < from) {
		http_fail(r, 400, "invalid_parameter", "to", "to must not be before from.");
		goto out;
	}
	if (only && (db_agency_by_code(db, only, ag) != 1 || !summary_in_scope(r, db, ag->id))) {
		http_fail(r, 404, "not_found", "agency", "No agency with this code is visible to you.");
		goto out;
	}
	/* "Open overdue" is judged at the end of the period, or now if that
	 * is earlier (an exclusive bound: what happened this second counts). */
	int64_t end = tz_utc(date_at(to + 1, 0));
	int64_t at = end < now + 1 ? end : now + 1;
	int32_t bf = stats_bucket(from, 0), bt = stats_bucket(to, 0);
	int64_t agency = only ? ag->id : 0;
	if (db_rating_sums(db, 0, bf, bt, put_rating, &c) != 0
	    || db_feedback_sums(db, 0, bf, bt, at, put_feedback, &c) != 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the figures.");
		goto out;
	}
	cJSON *root = cJSON_CreateObject();
	char a[11], b[11];
	date_format_day(from, a);
	date_format_day(to, b);
	cJSON_AddStringToObject(root, "from", a);
	cJSON_AddStringToObject(root, "to", b);
	struct summary_emit se;
	memset(&se, 0, sizeof(se));
	se.r = r;
	se.db = db;
	se.c = &c;
	se.only = agency;
	se.items = cJSON_AddArrayToObject(root, "items");
	if (db_agency_each(db, emit_summary, &se) != 0) {
		cJSON_Delete(root);
		http_fail(r, 500, "database_error", NULL, "Could not read the agencies.");
		goto out;
	}
	struct agency_row whole;
	memset(&whole, 0, sizeof(whole));
	strlcpy_(whole.code, "total", sizeof(whole.code));
	strlcpy_(whole.name, "Tổng cộng", sizeof(whole.name));
	cJSON_AddItemToObject(root, "total", summary_json(&whole, &se.total));
	http_json(r, 200, root);
out:
	free(ag);
	free(c.rows);
}
