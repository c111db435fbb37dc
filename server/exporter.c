/*
 * motcua — exporter: snapshot, count, then parts or a workbook.
 */
#include "exporter.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "db_export.h"
#include "json.h"
#include "tz.h"
#include "util.h"
#include "xlsx.h"

/* Above this many rows a workbook is written with ZIP64, since its sheet
 * XML may pass the 4 GiB of a plain zip entry. */
#define XLSX_ZIP64_ROWS 200000

enum stage { STAGE_START, STAGE_ROWS, STAGE_DONE };

struct exporter {
	struct db *db;			/* own read-only connection */
	struct export_request rq;	/* as resolved */
	char agency_code[32];
	int64_t rows;
	enum stage stage;
	struct db_export_cur *cur;
	struct export_fmt fmt;
	struct export_value vals[EXPORT_DOSSIER_COLS];
	/* history */
	int64_t streamed;
	unsigned char last_hash[AUDIT_HASH_LEN];
	/* report */
	struct report rep;
	int have_report;
	int32_t from_day, to_day;	/* local days, inclusive */
};

static int supported(enum export_kind k, enum export_format f)
{
	switch (k) {
	case EXPORT_DOSSIERS:
		return 1;
	case EXPORT_EVENTS:
		return f == EXPORT_JSONL;
	case EXPORT_REPORT:
		return f == EXPORT_CSV || f == EXPORT_XLSX;
	default:
		return 0;
	}
}

static int32_t local_day(int64_t t)
{
	return date_day_of(tz_local(t));
}

/* The history's seq range: by seq or by the period's span. */
static int resolve_events(struct exporter *x)
{
	struct export_request *rq = &x->rq;
	int64_t last, first_at, last_at;
	if (db_export_event_last(x->db, &last) != 0)
		return -1;
	if (rq->by_time) {
		int rc = db_export_event_span(x->db, rq->from, rq->to, &first_at, &last_at);
		if (rc < 0)
			return -1;
		rq->from_seq = rc ? first_at : last + 1;
		rq->to_seq = rc ? last_at : last;
	} else {
		if (rq->from_seq < 1)
			rq->from_seq = 1;
		if (rq->to_seq < 1 || rq->to_seq > last)
			rq->to_seq = last;
	}
	if (rq->to_seq < rq->from_seq)
		rq->to_seq = rq->from_seq - 1;
	x->rows = rq->to_seq - rq->from_seq + 1;
	return 0;
}

/* The report's days: the period as local days, by default this year to
 * today. */
static int resolve_report(struct exporter *x, struct api_error *err)
{
	struct export_request *rq = &x->rq;
	int32_t today = local_day(rq->now);
	int y, m, d;
	date_to_civil(today, &y, &m, &d);
	x->from_day = rq->from == EXPORT_FROM_ANY ? date_from_civil(y, 1, 1) : local_day(rq->from);
	x->to_day = rq->to == EXPORT_TO_ANY ? today : local_day(rq->to - 1);
	if (x->from_day > x->to_day)
		return api_error_set(err, 422, "invalid_field", "from", "The period ends before it starts.");
	struct report_query q = {
		.from = x->from_day, .to = x->to_day, .group = rq->group,
		.agency_id = rq->agency_id, .subtree = 1, .procedure_id = 0, .today = today,
	};
	if (report_run(x->db, &q, &x->rep) != 0)
		return api_error_set(err, 503, "database_error", NULL, "The report could not be read.");
	x->have_report = 1;
	x->rows = (int64_t)x->rep.n;
	return 0;
}

int exporter_open(const char *path, int busy_ms, const struct export_request *rq,
		  struct exporter **out, struct api_error *err)
{
	struct db_options opt = { .path = path, .busy_timeout_ms = busy_ms };
	struct exporter *x = xcalloc(1, sizeof(*x));
	char msg[256];
	int rc = -1;
	*out = NULL;
	x->rq = *rq;
	strlcpy_(x->agency_code, rq->agency_code ? rq->agency_code : "", sizeof(x->agency_code));
	x->rq.agency_code = x->agency_code;
	export_fmt_init(&x->fmt, rq->pii);
	if (!supported(rq->kind, rq->format)) {
		api_error_set(err, 422, "unsupported_format", "format", "The %s export has no %s format.",
			      export_kind_name(rq->kind), export_format_name(rq->format));
		goto out;
	}
	if (rq->from != EXPORT_FROM_ANY && rq->to != EXPORT_TO_ANY && rq->from >= rq->to) {
		api_error_set(err, 422, "invalid_field", "from", "The period ends before it starts.");
		goto out;
	}
	if (db_open(&opt, 0, &x->db, msg, sizeof(msg)) != 0 || db_export_begin(x->db) != 0) {
		api_error_set(err, 503, "database_unavailable", NULL, "The database cannot be read now.");
		goto out;
	}
	switch (rq->kind) {
	case EXPORT_DOSSIERS:
		if (db_export_dossier_count(x->db, rq->from, rq->to, rq->agency_id, &x->rows) != 0) {
			api_error_set(err, 503, "database_error", NULL, "The dossiers could not be counted.");
			goto out;
		}
		break;
	case EXPORT_EVENTS:
		if (resolve_events(x) != 0) {
			api_error_set(err, 503, "database_error", NULL, "The history could not be read.");
			goto out;
		}
		break;
	default:
		if (resolve_report(x, err) != 0)
			goto out;
	}
	*out = x;
	x = NULL;
	rc = 0;
out:
	exporter_free(x);
	return rc;
}

int64_t exporter_rows(const struct exporter *x)
{
	return x->rows;
}

const struct export_request *exporter_request(const struct exporter *x)
{
	return &x->rq;
}

void exporter_free(struct exporter *x)
{
	if (!x)
		return;
	db_export_close(x->cur);
	if (x->have_report)
		report_free(&x->rep);
	if (x->db) {
		db_export_end(x->db);
		db_close(x->db);
	}
	free(x);
}

/* ---- parts ------------------------------------------------------------- */

static int next_dossiers(struct exporter *x, struct buf *out)
{
	size_t start = out->len;
	if (x->stage == STAGE_START) {
		if (x->rq.format == EXPORT_CSV)
			export_csv_header(out);
		x->cur = db_export_dossier_open(x->db, x->rq.from, x->rq.to, x->rq.agency_id);
		x->stage = STAGE_ROWS;
		if (!x->cur)
			return -1;
	}
	while (out->len - start < EXPORTER_CHUNK) {
		int rc = db_export_dossier_next(x->cur, x->vals);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			x->stage = STAGE_DONE;
			return 0;
		}
		if (x->rq.format == EXPORT_CSV)
			export_csv_row(&x->fmt, out, x->vals);
		else
			export_jsonl_row(&x->fmt, out, x->vals);
	}
	return 1;
}

static int next_events(struct exporter *x, struct buf *out)
{
	struct audit_row row;
	unsigned char hash[AUDIT_HASH_LEN];
	size_t start = out->len;
	if (x->stage == STAGE_START) {
		x->cur = db_export_event_open(x->db, x->rq.from_seq, x->rq.to_seq);
		x->stage = STAGE_ROWS;
	}
	while (out->len - start < EXPORTER_CHUNK) {
		int rc = db_export_event_next(x->cur, &row, hash);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			/* The trailer states what was actually sent: a gap in the
			 * table shows up in verification, not hidden here. */
			export_event_trailer(out, x->rq.from_seq, x->rq.to_seq, x->streamed,
					     x->streamed ? x->last_hash : NULL);
			x->stage = STAGE_DONE;
			return 0;
		}
		export_event_line(out, &row, hash);
		memcpy(x->last_hash, hash, AUDIT_HASH_LEN);
		x->streamed++;
	}
	return 1;
}

static void day_text(int32_t day, char out[11])
{
	date_format_day(day, out);
}

/* "dd/mm/yyyy", the way Vietnamese documents write a day. */
static void vn_day(int32_t day, char *out, size_t n)
{
	int y, m, d;
	date_to_civil(day, &y, &m, &d);
	snprintf(out, n, "%02d/%02d/%04d", d, m, y);
}

static void report_title(const struct exporter *x, char *out, size_t n)
{
	/* The grouping as the title says it, in report_group order. */
	static const char *const by[GROUP__MAX] = {
		"theo cơ quan", "theo cấp", "theo lĩnh vực", "theo thủ tục", "theo hình thức nộp",
		"tổng hợp",
	};
	char from[24], to[24];
	vn_day(x->from_day, from, sizeof(from));
	vn_day(x->to_day, to, sizeof(to));
	snprintf(out, n, "Tình hình, kết quả giải quyết thủ tục hành chính từ ngày %s đến ngày %s"
		 "%s%s (%s)", from, to, x->agency_code[0] ? ", cơ quan " : "", x->agency_code,
		 x->rq.group < GROUP__MAX ? by[x->rq.group] : "");
}

int exporter_next(struct exporter *x, struct buf *out)
{
	char title[400];
	if (x->stage == STAGE_DONE)
		return 0;
	switch (x->rq.kind) {
	case EXPORT_DOSSIERS:
		return next_dossiers(x, out);
	case EXPORT_EVENTS:
		return next_events(x, out);
	default:
		report_title(x, title, sizeof(title));
		export_report_csv(&x->rep, title, out);
		x->stage = STAGE_DONE;
		return 0;
	}
}

/* ---- workbooks ---------------------------------------------------------- */

static int xlsx_dossiers(struct exporter *x, struct xlsx *w)
{
	char scratch[600];
	size_t len;
	struct db_export_cur *cur = db_export_dossier_open(x->db, x->rq.from, x->rq.to, x->rq.agency_id);
	int rc = cur ? 1 : -1;
	while (cur && (rc = db_export_dossier_next(cur, x->vals)) == 1) {
		xlsx_row(w);
		x->fmt.rowno++;
		xlsx_number(w, 0, (double)x->fmt.rowno);
		for (int c = 1; c < EXPORT_DOSSIER_COLS; c++) {
			const struct export_value *v = &x->vals[c];
			if (v->null)
				continue;
			switch (export_dossier_cols[c].type) {
			case EXT_INT:
				xlsx_number(w, c, (double)v->i);
				break;
			case EXT_TIME:
				xlsx_time(w, c, export_excel_time(&x->fmt, v->i));
				break;
			default:
				xlsx_text(w, c, export_text(&x->fmt, c, v, scratch, sizeof(scratch), &len));
			}
		}
	}
	db_export_close(cur);
	return rc == 0 ? 0 : -1;
}

static void xlsx_report_row(struct xlsx *w, const char *key, const char *label,
			    const struct report_row *r)
{
	xlsx_row(w);
	xlsx_text(w, 0, key);
	xlsx_text(w, 1, label);
	for (int c = 2; c < EXPORT_REPORT_COLS; c++) {
		double v = export_report_number(r, c);
		if (c == EXPORT_REPORT_COLS - 1 && v < 0)
			continue;	/* N/A: nothing resolved */
		xlsx_number(w, c, v);
	}
}

int exporter_xlsx(struct exporter *x, const char *path, struct api_error *err)
{
	char msg[256], title[400];
	struct xlsx *w;
	int rc = 0;
	if (x->rq.format != EXPORT_XLSX)
		return api_error_set(err, 422, "unsupported_format", "format", "Not an XLSX export.");
	if (x->rq.kind == EXPORT_DOSSIERS) {
		w = xlsx_open(path, "Sổ theo dõi hồ sơ", NULL, export_dossier_cols, EXPORT_DOSSIER_COLS,
			      x->rows > XLSX_ZIP64_ROWS, msg, sizeof(msg));
		if (!w)
			return api_error_set(err, 500, "export_failed", NULL, "%s", msg);
		rc = xlsx_dossiers(x, w);
	} else {
		report_title(x, title, sizeof(title));
		w = xlsx_open(path, "Báo cáo", title, export_report_cols, EXPORT_REPORT_COLS, 0,
			      msg, sizeof(msg));
		if (!w)
			return api_error_set(err, 500, "export_failed", NULL, "%s", msg);
		for (size_t i = 0; i < x->rep.n; i++)
			xlsx_report_row(w, x->rep.rows[i].key, x->rep.rows[i].label, &x->rep.rows[i]);
		xlsx_report_row(w, "", "Tổng cộng", &x->rep.total);
	}
	x->stage = STAGE_DONE;
	if (xlsx_close(w, msg, sizeof(msg)) != 0)
		return api_error_set(err, 500, "export_failed", NULL, "%s", msg);
	if (rc != 0)
		return api_error_set(err, 503, "database_error", NULL, "The dossiers could not be read.");
	return 0;
}

void exporter_filename(const struct exporter *x, char *out, size_t n)
{
	char from[11] = "start", to[11] = "now";
	const struct export_request *rq = &x->rq;
	const char *ext = export_format_name(rq->format);
	if (rq->kind == EXPORT_EVENTS) {
		snprintf(out, n, "motcua-events-%lld-%lld.%s", (long long)rq->from_seq,
			 (long long)rq->to_seq, ext);
		return;
	}
	if (rq->kind == EXPORT_REPORT) {
		day_text(x->from_day, from);
		day_text(x->to_day, to);
	} else {
		if (rq->from != EXPORT_FROM_ANY)
			day_text(local_day(rq->from), from);
		if (rq->to != EXPORT_TO_ANY)
			day_text(local_day(rq->to - 1), to);
	}
	snprintf(out, n, "motcua-%s-%s_%s%s%s.%s", export_kind_name(rq->kind), from, to,
		 x->agency_code[0] ? "-" : "", x->agency_code, ext);
}

static void add_instant(cJSON *o, const char *key, int64_t t, int64_t none)
{
	char iso[26];
	if (t == none) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	date_format_iso(t, tz_offset(t), iso);
	cJSON_AddStringToObject(o, key, iso);
}

char *exporter_describe(const struct exporter *x)
{
	const struct export_request *rq = &x->rq;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kind", export_kind_name(rq->kind));
	cJSON_AddStringToObject(o, "format", export_format_name(rq->format));
	add_instant(o, "from", rq->from, EXPORT_FROM_ANY);
	add_instant(o, "to", rq->to, EXPORT_TO_ANY);
	if (x->agency_code[0])
		cJSON_AddStringToObject(o, "agency", x->agency_code);
	else
		cJSON_AddNullToObject(o, "agency");
	cJSON_AddBoolToObject(o, "pii", rq->pii);
	cJSON_AddNumberToObject(o, "rows", (double)x->rows);
	if (rq->kind == EXPORT_EVENTS) {
		cJSON_AddNumberToObject(o, "from_seq", (double)rq->from_seq);
		cJSON_AddNumberToObject(o, "to_seq", (double)rq->to_seq);
	}
	if (rq->kind == EXPORT_REPORT)
		cJSON_AddStringToObject(o, "group_by", report_group_name(rq->group));
	char *s = json_print(o);
	cJSON_Delete(o);
	return s ? s : xstrdup("{}");
}
