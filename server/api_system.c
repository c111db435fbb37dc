/*
 * motcua — api_system: health, metrics and the API description.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "buf.h"
#include "db.h"
#include "embed.h"
#include "metrics.h"
#include "date.h"
#include "db_stats.h"
#include "report.h"
#include "tz.h"
#include "workflow.h"
#include "route.h"
#include "writer.h"

void api_healthz(struct request *r)
{
	struct db *db = db_reader();
	int ok = 0;
	if (db) {
		sqlite3_stmt *st = db_sql(db, "SELECT count(*) FROM agency");
		ok = db_step(db, st) == SQLITE_ROW;
		db_reset(st);
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "status", ok ? "ok" : "degraded");
	cJSON_AddBoolToObject(root, "database", ok);
	api_add_time(root, "started_at", r->app->started_at);
	http_json(r, ok ? 200 : 503, root);
}

/* Dossiers by state (kept counts) and overdue now (from the aggregates):
 * both cheap at any size. */
static void metrics_domain(struct request *r, struct buf *b)
{
	int64_t states[11];
	struct db *db = db_reader();
	struct report rep;
	if (!db || db_stats_states(db, states) != 0)
		return;
	buf_adds(b, "# HELP motcua_dossiers Dossiers by state.\n# TYPE motcua_dossiers gauge\n");
	for (int s = 1; s <= 10; s++)
		buf_printf(b, "motcua_dossiers{state=\"%s\"} %lld\n", wf_state_name(s), (long long)states[s]);
	struct report_query q;
	memset(&q, 0, sizeof(q));
	q.today = date_day_of(tz_local(app_now(r->app)));
	q.from = q.to = q.today;
	q.group = GROUP_NONE;
	if (report_run(db, &q, &rep) == 0) {
		buf_printf(b, "# HELP motcua_overdue Open dossiers past their due time (end of today).\n"
			      "# TYPE motcua_overdue gauge\nmotcua_overdue %lld\n", (long long)rep.total.overdue);
		report_free(&rep);
	}
}

void api_metrics(struct request *r)
{
	struct buf b = BUF_INIT;
	struct writer_stats ws;
	static const char *const le[8] = { "1", "3", "7", "15", "31", "63", "127", "+Inf" };
	writer_get_stats(r->app->writer, &ws);
	metrics_render_requests(&b);
	buf_printf(&b, "# HELP motcua_writer_queue_depth Write jobs waiting for the writer.\n"
		       "# TYPE motcua_writer_queue_depth gauge\nmotcua_writer_queue_depth %d\n",
		   ws.queued);
	buf_printf(&b, "# HELP motcua_writer_jobs_total Write jobs finished.\n"
		       "# TYPE motcua_writer_jobs_total counter\nmotcua_writer_jobs_total %llu\n"
		       "motcua_writer_jobs_failed_total %llu\n",
		   (unsigned long long)ws.jobs, (unsigned long long)ws.failed);
	buf_adds(&b, "# HELP motcua_commit_batch_size Jobs per group commit.\n"
		     "# TYPE motcua_commit_batch_size histogram\n");
	uint64_t cum = 0;
	for (int i = 0; i < 8; i++) {
		cum += ws.batch_hist[i];
		buf_printf(&b, "motcua_commit_batch_size_bucket{le=\"%s\"} %llu\n", le[i],
			   (unsigned long long)cum);
	}
	buf_printf(&b, "motcua_commit_batch_size_count %llu\n", (unsigned long long)ws.batches);
	metrics_domain(r, &b);
	size_t len;
	char *text = buf_detach(&b, &len);
	http_send_owned(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}

/* The API description: the route table itself (so no endpoint can be left
 * out) merged with hand-written schemas for the main request bodies
 * (static/openapi-extra.json). */
static void openapi_operation(cJSON *paths, const struct route *rt, const cJSON *bodies)
{
	char method[8], key[200];
	size_t i;
	for (i = 0; rt->method[i] && i < sizeof(method) - 1; i++)
		method[i] = (char)(rt->method[i] | 0x20);
	method[i] = '\0';
	cJSON *path = cJSON_GetObjectItemCaseSensitive(paths, rt->pattern);
	if (!path)
		path = cJSON_AddObjectToObject(paths, rt->pattern);
	cJSON *op = cJSON_AddObjectToObject(path, method);
	cJSON_AddStringToObject(op, "summary", rt->summary);
	cJSON *params = cJSON_AddArrayToObject(op, "parameters");
	for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		if (!e)
			break;
		cJSON *pa = cJSON_CreateObject();
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)(e - p - 1), p + 1);
		cJSON_AddStringToObject(pa, "name", name);
		cJSON_AddStringToObject(pa, "in", "path");
		cJSON_AddBoolToObject(pa, "required", 1);
		cJSON_AddItemToObject(pa, "schema", cJSON_Parse("{\"type\":\"string\"}"));
		cJSON_AddItemToArray(params, pa);
	}
	if (rt->roles) {
		cJSON *roles = cJSON_AddArrayToObject(op, "x-roles");
		for (int r = 0; r < ROLE__MAX; r++)
			if (rt->roles & ROLE_BIT(r))
				cJSON_AddItemToArray(roles, cJSON_CreateString(role_name((enum role)r)));
		cJSON_AddItemToObject(op, "security",
				      cJSON_Parse("[{\"cookie\":[]},{\"bearer\":[]}]"));
	} else {
		cJSON_AddItemToObject(op, "security", cJSON_CreateArray());
	}
	snprintf(key, sizeof(key), "%s %s", rt->method, rt->pattern);
	const cJSON *schema = cJSON_GetObjectItemCaseSensitive(bodies, key);
	if (rt->body != BODY_NONE) {
		cJSON *rb = cJSON_AddObjectToObject(op, "requestBody");
		cJSON_AddBoolToObject(rb, "required", 1);
		cJSON *content = cJSON_AddObjectToObject(rb, "content");
		cJSON *media = cJSON_AddObjectToObject(content, rt->body == BODY_JSON
						       ? "application/json" : "application/octet-stream");
		char ref[160];
		if (cJSON_IsString(schema)) {
			snprintf(ref, sizeof(ref), "{\"$ref\":\"#/components/schemas/%s\"}", schema->valuestring);
			cJSON_AddItemToObject(media, "schema", cJSON_Parse(ref));
		} else {
			cJSON_AddItemToObject(media, "schema", cJSON_Parse(rt->body == BODY_JSON
				? "{\"type\":\"object\"}" : "{\"type\":\"string\",\"format\":\"binary\"}"));
		}
	}
	cJSON *resp = cJSON_AddObjectToObject(op, "responses");
	cJSON *ok = cJSON_AddObjectToObject(resp, "2XX");
	cJSON_AddStringToObject(ok, "description", "Success");
	cJSON *bad = cJSON_AddObjectToObject(resp, "default");
	cJSON_AddStringToObject(bad, "description", "Error envelope");
	cJSON_AddItemToObject(bad, "content",
		cJSON_Parse("{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Error\"}}}"));
}

void api_openapi(struct request *r)
{
	const struct embed_file *f = embed_find(embed_static, "openapi-extra.json");
	cJSON *root = f ? cJSON_ParseWithLength((const char *)f->data, f->len) : NULL;
	if (!root) {
		http_fail(r, 500, "internal_error", NULL, "The API description is not built in.");
		return;
	}
	cJSON *bodies = cJSON_DetachItemFromObjectCaseSensitive(root, "x-request-bodies");
	cJSON *paths = cJSON_AddObjectToObject(root, "paths");
	for (unsigned i = 0; i < route_count; i++)
		openapi_operation(paths, &route_table[i], bodies);
	cJSON_Delete(bodies);
	http_json(r, 200, root);
}
