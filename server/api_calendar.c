/*
 * motcua — api_calendar: the calendar admin endpoints and the deadline
 * preview a clerk sees before receiving.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "calendar.h"
#include "date.h"
#include "db.h"
#include "db_calendar.h"
#include "db_catalog.h"
#include "db_event.h"
#include "dossier.h"
#include "json.h"
#include "log.h"
#include "tz.h"
#include "util.h"
#include "writer.h"

static cJSON *calday_json(const struct calday_row *c)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "date", c->day);
	cJSON_AddBoolToObject(o, "working", c->working);
	cJSON_AddStringToObject(o, "note", c->note);
	cJSON_AddStringToObject(o, "kind", c->kind);
	cJSON_AddStringToObject(o, "status", c->status);
	cJSON_AddStringToObject(o, "source", c->source);
	return o;
}

static void add_day(const struct calday_row *c, void *ctx)
{
	cJSON_AddItemToArray(ctx, calday_json(c));
}

static int parse_year(const char *s, int *year)
{
	char *end;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s || *end || v < 1900 || v > 2200)
		return -1;
	*year = (int)v;
	return 0;
}

/* ---- GET /api/v1/calendar?year= --------------------------------------- */

void api_calendar_get(struct request *r)
{
	static const char *const days[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	struct db *db = api_reader(r);
	int year;
	if (!db)
		return;
	if (parse_year(http_query(r, "year"), &year) != 0) {
		http_fail(r, 400, "invalid_parameter", "year", "year must be a year such as 2026.");
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "year", year);
	cJSON *items = cJSON_AddArrayToObject(root, "items");
	db_calendar_year(db, year, add_day, items);
	cJSON_AddBoolToObject(root, "covered", cJSON_GetArraySize(items) > 0);
	cJSON *wd = cJSON_AddArrayToObject(root, "working_weekdays");
	for (int d = 0; d < 7; d++)
		if (r->app->cfg.working_weekdays[d])
			cJSON_AddItemToArray(wd, cJSON_CreateString(days[d]));
	cJSON *sessions = cJSON_AddArrayToObject(root, "office_hours");
	for (int s = 0; s < 2; s++) {
		const int *se = r->app->cfg.session[s];
		char text[48];
		if (se[0] == se[1])
			continue;
		snprintf(text, sizeof(text), "%02d:%02d-%02d:%02d", se[0] / 60, se[0] % 60,
			 se[1] / 60, se[1] % 60);
		cJSON_AddItemToArray(sessions, cJSON_CreateString(text));
	}
	cJSON_AddStringToObject(root, "timezone", tz_name());
	http_json(r, 200, root);
}

/* ---- PUT / DELETE /api/v1/calendar/{day} ------------------------------ */

struct cal_change {
	struct calday_row row;
	int remove;			/* 1: DELETE */
	int found;			/* DELETE: a row existed */
	struct principal actor;
	int64_t at;
};

static int cal_change_run(struct txn *t, void *arg, struct api_error *err)
{
	struct cal_change *c = arg;
	cJSON *data = cJSON_CreateObject();
	char *text = NULL;
	int rc = -1;
	cJSON_AddStringToObject(data, "date", c->row.day);
	if (c->remove) {
		c->found = db_calendar_delete(t, c->row.day, err);
		if (c->found < 0)
			goto out;
		/* Nothing to delete: answer 404 and write no history (failing
		 * the job rolls it back; the history row used to be committed
		 * for a change that did not happen). */
		if (c->found == 0) {
			api_error_set(err, 404, "not_found", NULL, "That day had no exception.");
			goto out;
		}
	} else {
		cJSON_AddBoolToObject(data, "working", c->row.working);
		cJSON_AddStringToObject(data, "note", c->row.note);
		if (db_calendar_put(t, &c->row, err) != 0)
			goto out;
	}
	text = json_print(data);
	struct event_rec e = {
		.at = c->at, .action = c->remove ? "calendar_delete" : "calendar_set",
		.step = -1, .clock = "", .note = c->row.day, .data = text ? text : "",
	};
	db_event_actor(&e, &c->actor);
	rc = db_event_append(t, &e, err);
out:
	cJSON_Delete(data);
	free(text);
	return rc;
}

static void cal_change_answer(struct request *r)
{
	struct cal_change *c = r->arg;
	struct db *db = db_reader();
	if (!db || calendar_reload(db, &r->app->cfg) != 0)
		log_msg(LOG_ERROR, "calendar: reload after change failed");
	if (c->remove) {
		http_no_content(r);	/* a day without exception failed the job (404) */
		return;
	}
	http_json(r, 200, calday_json(&c->row));
}

static int parse_day_param(struct request *r, struct cal_change *c)
{
	int32_t day;
	if (date_parse_day(r->params[0], &day) != 0) {
		http_fail(r, 400, "invalid_parameter", "date", "The date must be YYYY-MM-DD.");
		return -1;
	}
	strlcpy_(c->row.day, r->params[0], sizeof(c->row.day));
	return 0;
}

static const char *const put_keys[] = { "working", "note", "kind", NULL };
static const char *const kinds[] = { "holiday", "bridge_swap", "makeup_workday", "compensatory",
				     "local", "other", NULL };

void api_calendar_put(struct request *r)
{
	struct api_error e;
	struct cal_change *c = xcalloc(1, sizeof(*c));
	const char *note = "";
	int kind = -1;
	cJSON *body = NULL;
	if (parse_day_param(r, c) != 0 || !(body = api_body(r)))
		goto fail;
	if (json_only_keys(body, NULL, put_keys, &e) != 0
	    || json_get_bool(body, "working", NULL, 1, &c->row.working, &e) < 0
	    || json_get_string(body, "note", NULL, 0, 0, 200, JSON_LINE, &note, &e) < 0
	    || json_get_enum(body, "kind", NULL, 0, kinds, &kind, &e) < 0) {
		http_error(r, &e);
		goto fail;
	}
	strlcpy_(c->row.note, note, sizeof(c->row.note));
	strlcpy_(c->row.kind, kind >= 0 ? kinds[kind] : (c->row.working ? "makeup_workday" : "holiday"),
		 sizeof(c->row.kind));
	strlcpy_(c->row.status, "official", sizeof(c->row.status));
	strlcpy_(c->row.source, "set by ", sizeof(c->row.source));
	strlcpy_(c->row.source + 7, r->user.username, sizeof(c->row.source) - 7);
	c->actor = r->user;
	c->at = app_now(r->app);
	c->row.updated_at = c->at;
	cJSON_Delete(body);
	http_write(r, cal_change_run, c, free, cal_change_answer);
	return;
fail:
	cJSON_Delete(body);
	free(c);
}

void api_calendar_delete(struct request *r)
{
	struct cal_change *c = xcalloc(1, sizeof(*c));
	if (parse_day_param(r, c) != 0) {
		free(c);
		return;
	}
	c->remove = 1;
	c->actor = r->user;
	c->at = app_now(r->app);
	http_write(r, cal_change_run, c, free, cal_change_answer);
}

/* ---- GET /api/v1/deadline --------------------------------------------- */

static const char *const channels[] = { "direct", "online", "postal", NULL };

static int valid_channel(const char *s)
{
	for (int i = 0; channels[i]; i++)
		if (strcmp(s, channels[i]) == 0)
			return 1;
	return 0;
}

void api_deadline_get(struct request *r)
{
	struct db *db = api_reader(r);
	const char *code = http_query(r, "procedure"), *channel = http_query(r, "channel");
	const char *when = http_query(r, "received_at");
	struct procedure_row *p = NULL;
	struct calendar *cal = NULL;
	int64_t at, start, due;
	int uncovered = 0;
	if (!db)
		return;
	channel = channel ? channel : "direct";
	at = app_now(r->app);
	if (!code || !*code) {
		http_fail(r, 400, "missing_parameter", "procedure", "Give the procedure's national code.");
		goto out;
	}
	if (!valid_channel(channel)) {
		http_fail(r, 400, "invalid_parameter", "channel", "channel must be direct, online or postal.");
		goto out;
	}
	if (when && date_parse_iso(when, tz_offset(at), &at) != 0) {
		http_fail(r, 400, "invalid_parameter", "received_at",
			  "received_at must be an ISO 8601 time such as 2026-11-20T10:00:00+07:00.");
		goto out;
	}
	p = xmalloc(sizeof(*p));
	if (db_procedure_by_code(db, code, p) != 1) {
		http_fail(r, 404, "unknown_procedure", "procedure", "No procedure has this code.");
		goto out;
	}
	cal = calendar_get();
	if (!cal || dossier_deadline(cal, p, channel, at, &start, &due, &uncovered) != 0) {
		http_fail(r, 500, "deadline_error", NULL, "Could not compute the due time.");
		goto out;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "procedure", p->code);
	cJSON_AddStringToObject(root, "channel", channel);
	int value;
	enum deadline_unit unit;
	dossier_limit(p, channel, &value, &unit);
	cJSON *lim = cJSON_AddObjectToObject(root, "limit");
	cJSON_AddNumberToObject(lim, "value", value);
	cJSON_AddStringToObject(lim, "unit", deadline_unit_name(unit));
	api_add_time(root, "received_at", at);
	api_add_time(root, "clock_starts_at", start);
	api_add_time(root, "due_at", due);
	cJSON *warnings = cJSON_AddArrayToObject(root, "warnings");
	if (uncovered) {
		char msg[200], year[8];
		cJSON *w = cJSON_CreateObject();
		snprintf(msg, sizeof(msg),
			 "The calendar has no holidays or make-up days for %d; every weekday of that year is treated as working.",
			 uncovered);
		snprintf(year, sizeof(year), "%d", uncovered);
		cJSON_AddStringToObject(w, "code", "calendar_missing_year");
		cJSON_AddNumberToObject(w, "year", uncovered);
		cJSON_AddStringToObject(w, "message", msg);
		cJSON_AddItemToArray(warnings, w);
		log_kv(LOG_WARN, "calendar has no data for a year used by a deadline", "year", year,
		       "procedure", p->code, NULL);
	}
	http_json(r, 200, root);
out:
	calendar_put(cal);
	free(p);
}
