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
	size_t len;
	char *text = buf_detach(&b, &len);
	http_send_owned(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}

void api_openapi(struct request *r)
{
	const struct embed_file *f = embed_find(embed_static, "openapi.json");
	if (!f) {
		http_fail(r, 404, "not_found", NULL, "No API description is built in.");
		return;
	}
	http_send(r, 200, "application/json; charset=utf-8", f->data, f->len);
}
