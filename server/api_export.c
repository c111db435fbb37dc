/*
 * motcua — api_export: parsing and scoping export requests, recording
 * them, then streaming the export from its own snapshot.
 *
 * Statuses: 200 (the export, or JSON for count and head); 401 without a
 * login; 403 forbidden (role), agency_out_of_scope, pii_not_allowed;
 * 422 invalid_field, unknown_agency, unsupported_format; 500
 * export_failed; 503 database_unavailable / database_busy.
 */
#include "api_export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "app.h"
#include "date.h"
#include "db.h"
#include "db_catalog.h"
#include "db_event.h"
#include "db_export.h"
#include "exporter.h"
#include "log.h"
#include "tz.h"
#include "util.h"
#include "writer.h"

/* ---- the request ----------------------------------------------------- */

static int parse_flag(const char *s, int *out)
{
	if (!s || !strcmp(s, "false") || !strcmp(s, "0") || !*s) {
		*out = 0;
		return 0;
	}
	if (!strcmp(s, "true") || !strcmp(s, "1")) {
		*out = 1;
		return 0;
	}
	return -1;
}

static int parse_seq(const char *s, int64_t *out)
{
	char *end;
	if (!s || !*s) {
		*out = 0;
		return 0;
	}
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno || v < 1)
		return -1;
	*out = v;
	return 0;
}

static int is_privileged(const struct principal *p)
{
	return p->role == ROLE_ADMIN || p->role == ROLE_AUDITOR;
}

/* Fill rq from the query and the caller's scope. ag receives the agency
 * (its code is what rq->agency_code points to). 0 ok, -1 with e. */
static int parse_request(struct request *r, enum export_kind kind, enum export_format fmt,
			 struct export_request *rq, struct agency_row *ag, struct api_error *e)
{
	const char *from = http_query(r, "from"), *to = http_query(r, "to");
	const char *agency = http_query(r, "agency"), *group = http_query(r, "group_by");
	const char *from_seq = http_query(r, "from_seq"), *to_seq = http_query(r, "to_seq");
	struct db *db = db_reader();
	memset(rq, 0, sizeof(*rq));
	memset(ag, 0, sizeof(*ag));
	rq->kind = kind;
	rq->format = fmt;
	rq->now = app_now(r->app);
	rq->group = GROUP_AGENCY;
	if (!db)
		return api_error_set(e, 503, "database_unavailable", NULL, "The database cannot be opened.");
	if (export_parse_bound(from, 0, &rq->from) != 0)
		return api_error_set(e, 422, "invalid_field", "from",
				     "Give a day (YYYY-MM-DD) or an ISO 8601 time.");
	if (export_parse_bound(to, 1, &rq->to) != 0)
		return api_error_set(e, 422, "invalid_field", "to",
				     "Give a day (YYYY-MM-DD) or an ISO 8601 time.");
	if (parse_flag(http_query(r, "pii"), &rq->pii) != 0)
		return api_error_set(e, 422, "invalid_field", "pii", "pii is true or false.");
	if (parse_seq(from_seq, &rq->from_seq) != 0)
		return api_error_set(e, 422, "invalid_field", "from_seq", "A positive sequence number.");
	if (parse_seq(to_seq, &rq->to_seq) != 0)
		return api_error_set(e, 422, "invalid_field", "to_seq", "A positive sequence number.");
	if (kind == EXPORT_EVENTS) {
		rq->by_time = (from && *from) || (to && *to);
		if (rq->by_time && (rq->from_seq || rq->to_seq))
			return api_error_set(e, 422, "invalid_field", "from_seq",
					     "Give either from_seq/to_seq or from/to, not both.");
		rq->pii = 0;	/* the history holds no register data to mask */
	}
	if (kind == EXPORT_REPORT && group && report_group_parse(group, &rq->group) != 0)
		return api_error_set(e, 422, "invalid_field", "group_by",
				     "group_by is agency, level, field, procedure, channel or none.");
	if (rq->pii && !r->user.pii_access)
		return api_error_set(e, 403, "pii_not_allowed", "pii",
				     "Your account may not export unmasked personal data.");
	if (agency && *agency) {
		int rc = db_agency_by_code(db, agency, ag);
		if (rc < 0)
			return api_error_set(e, 503, "database_error", NULL, "Could not read the agencies.");
		if (rc == 0)
			return api_error_set(e, 422, "unknown_agency", "agency",
					     "There is no agency with the code \"%s\".", agency);
	}
	if (!is_privileged(&r->user)) {
		/* Managers: their own agency by default, nothing outside it. */
		if (!ag->id) {
			ag->id = r->user.agency_id;
			strlcpy_(ag->code, r->user.agency_code, sizeof(ag->code));
		} else if (!db_agency_within(db, ag->id, r->user.agency_id)) {
			return api_error_set(e, 403, "agency_out_of_scope", "agency",
					     "You may only export your agency and the agencies below it.");
		}
	}
	rq->agency_id = ag->id;
	rq->agency_code = ag->code;
	return 0;
}

/* ---- the record -------------------------------------------------------- */

struct job {
	struct exporter *x;		/* moved to the stream on success */
	struct principal user;
	int64_t now;
	char *data;			/* the record's canonical JSON */
	int64_t event_seq;		/* seq of the record, once written */
};

static void job_free(void *p)
{
	struct job *j = p;
	exporter_free(j->x);
	free(j->data);
	free(j);
}

static int record_run(struct txn *t, void *arg, struct api_error *err)
{
	struct job *j = arg;
	struct event_rec e = {
		.at = j->now, .dossier_id = 0, .dossier_ref = "", .action = "export",
		.from_state = 0, .to_state = 0, .step = -1, .clock = "", .due_at = 0,
		.note = "", .data = j->data,
	};
	db_event_actor(&e, &j->user);
	if (db_event_append(t, &e, err) != 0)
		return -1;
	j->event_seq = t->seq;
	return 0;
}

/* ---- streaming ----------------------------------------------------------- */

struct stream {
	struct exporter *x;	/* CSV, JSON Lines: parts made on demand */
	struct buf buf;
	size_t off;		/* bytes of buf already sent */
	int ended;
	int fd;			/* XLSX: the finished file, unlinked; -1 */
};

static void stream_free(void *p)
{
	struct stream *s = p;
	exporter_free(s->x);
	buf_release(&s->buf);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

static long fill_parts(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *s = cls;
	(void)pos;
	while (s->buf.len - s->off < max && !s->ended) {
		if (s->off) {
			/* Keep the unsent tail at the start, then append. */
			memmove(s->buf.data, s->buf.data + s->off, s->buf.len - s->off);
			s->buf.len -= s->off;
			s->buf.data[s->buf.len] = '\0';
			s->off = 0;
		}
		int rc = exporter_next(s->x, &s->buf);
		if (rc < 0) {
			log_msg(LOG_ERROR, "export: reading the database failed; the download is cut");
			return -2;
		}
		if (rc == 0)
			s->ended = 1;
	}
	size_t n = s->buf.len - s->off;
	if (n == 0)
		return -1;
	if (n > max)
		n = max;
	memcpy(out, s->buf.data + s->off, n);
	s->off += n;
	return (long)n;
}

static long fill_file(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *s = cls;
	ssize_t n;
	(void)pos;
	do
		n = read(s->fd, out, max);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -2;
	return n == 0 ? -1 : (long)n;
}

/* Build the workbook into an unlinked temporary file: fd ready to read,
 * or -1 with e. The build holds this HTTP thread (libxlsxwriter writes
 * the zip's directory at the end, so nothing can be sent before). */
static int build_xlsx(struct exporter *x, int64_t *size, struct api_error *e)
{
	const char *dir = getenv("TMPDIR");
	char path[600];
	struct stat st;
	int fd;
	snprintf(path, sizeof(path), "%s/motcua-export-XXXXXX.xlsx", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemps(path, 5)) < 0)
		return api_error_set(e, 500, "export_failed", NULL, "No room for a temporary file.");
	close(fd);
	if (exporter_xlsx(x, path, e) != 0) {
		unlink(path);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	unlink(path);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return api_error_set(e, 500, "export_failed", NULL, "The workbook could not be read back.");
	}
	*size = st.st_size;
	return fd;
}

static void answer(struct request *r)
{
	struct job *j = r->arg;
	enum export_format fmt = exporter_request(j->x)->format;
	struct stream *s = xcalloc(1, sizeof(*s));
	struct api_error e;
	char name[200], disp[260], num[32];
	int64_t size = -1;
	s->fd = -1;
	exporter_filename(j->x, name, sizeof(name));
	snprintf(num, sizeof(num), "%lld", (long long)exporter_rows(j->x));
	if (fmt == EXPORT_XLSX) {
		s->fd = build_xlsx(j->x, &size, &e);
		/* The file is complete: the snapshot is no longer needed. */
		exporter_free(j->x);
		j->x = NULL;
		if (s->fd < 0) {
			free(s);
			http_error(r, &e);
			return;
		}
		http_stream(r, 200, export_content_type(fmt), fill_file, s, stream_free);
	} else {
		s->x = j->x;
		j->x = NULL;
		http_stream(r, 200, export_content_type(fmt), fill_parts, s, stream_free);
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	http_header(r, "Content-Disposition", disp);
	http_header(r, "X-Total-Rows", num);
	if (size >= 0) {
		snprintf(num, sizeof(num), "%lld", (long long)size);
		http_header(r, "X-Total-Bytes", num);
	}
	snprintf(num, sizeof(num), "%lld", (long long)j->event_seq);
	http_header(r, "X-Export-Event", num);
}

/* Parse, scope, open the snapshot and count, record, then answer(). */
static void start(struct request *r, enum export_kind kind, enum export_format fmt)
{
	struct export_request rq;
	struct agency_row *ag = xmalloc(sizeof(*ag));
	struct api_error e;
	struct exporter *x = NULL;
	struct job *j = NULL;
	if (parse_request(r, kind, fmt, &rq, ag, &e) != 0
	    || exporter_open(r->app->cfg.db_path, r->app->cfg.busy_timeout_ms, &rq, &x, &e) != 0) {
		http_error(r, &e);
		goto out;
	}
	j = xcalloc(1, sizeof(*j));
	j->x = x;
	j->user = r->user;
	j->now = rq.now;
	j->data = exporter_describe(x);
	http_write(r, record_run, j, job_free, answer);
out:
	free(ag);
}

void api_export_dossiers_csv(struct request *r)
{
	start(r, EXPORT_DOSSIERS, EXPORT_CSV);
}

void api_export_dossiers_xlsx(struct request *r)
{
	start(r, EXPORT_DOSSIERS, EXPORT_XLSX);
}

void api_export_dossiers_jsonl(struct request *r)
{
	start(r, EXPORT_DOSSIERS, EXPORT_JSONL);
}

void api_export_report_csv(struct request *r)
{
	start(r, EXPORT_REPORT, EXPORT_CSV);
}

void api_export_report_xlsx(struct request *r)
{
	start(r, EXPORT_REPORT, EXPORT_XLSX);
}

void api_export_events_jsonl(struct request *r)
{
	start(r, EXPORT_EVENTS, EXPORT_JSONL);
}

/* ---- GET /api/v1/exports/count ------------------------------------------ */

void api_export_count(struct request *r)
{
	static const enum export_format natural[EXPORT_KIND__MAX] = { EXPORT_CSV, EXPORT_JSONL, EXPORT_CSV };
	struct export_request rq;
	struct agency_row *ag = xmalloc(sizeof(*ag));
	struct api_error e;
	struct exporter *x = NULL;
	const struct export_request *res;
	cJSON *o;
	enum export_kind kind = EXPORT_DOSSIERS;
	const char *k = http_query(r, "kind");
	if (k && *k && export_kind_parse(k, &kind) != 0) {
		http_fail(r, 422, "invalid_field", "kind", "kind is dossiers, events or report.");
		goto out;
	}
	if (kind == EXPORT_EVENTS && !is_privileged(&r->user)) {
		http_fail(r, 403, "forbidden", NULL, "Your role may not do this.");
		goto out;
	}
	if (parse_request(r, kind, natural[kind], &rq, ag, &e) != 0
	    || exporter_open(r->app->cfg.db_path, r->app->cfg.busy_timeout_ms, &rq, &x, &e) != 0) {
		http_error(r, &e);
		goto out;
	}
	res = exporter_request(x);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kind", export_kind_name(kind));
	cJSON_AddNumberToObject(o, "rows", (double)exporter_rows(x));
	if (ag->code[0])
		cJSON_AddStringToObject(o, "agency", ag->code);
	else
		cJSON_AddNullToObject(o, "agency");
	if (kind == EXPORT_EVENTS) {
		cJSON_AddNumberToObject(o, "from_seq", (double)res->from_seq);
		cJSON_AddNumberToObject(o, "to_seq", (double)res->to_seq);
	}
	cJSON_AddBoolToObject(o, "pii_allowed", r->user.pii_access);
	http_json(r, 200, o);
out:
	exporter_free(x);
	free(ag);
}

/* ---- GET /api/v1/audit/head ---------------------------------------------- */

void api_audit_head(struct request *r)
{
	unsigned char hash[AUDIT_HASH_LEN];
	char hex[65];
	int64_t seq, at = 0;
	struct db *db = api_reader(r);
	if (!db)
		return;
	writer_head(r->app->writer, &seq, hash);
	if (seq > 0 && db_export_event_at(db, seq, &at) < 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the history.");
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "seq", (double)seq);
	cJSON_AddNumberToObject(o, "count", (double)seq);
	if (seq > 0) {
		audit_hex(hash, hex);
		cJSON_AddStringToObject(o, "hash", hex);
	} else {
		cJSON_AddNullToObject(o, "hash");
	}
	api_add_time(o, "at", at);
	api_add_time(o, "as_of", app_now(r->app));
	cJSON_AddStringToObject(o, "algorithm", "motcua-event-v1 (SHA-256 chain, docs/audit.md)");
	http_json(r, 200, o);
}
