/*
 * motcua tests — exports and the audit chain through real HTTP: the
 * register as CSV (BOM, header, one row per dossier of the period, RFC
 * 4180 quoting, neutralised formulas, masking), XLSX (a zip; converted by
 * LibreOffice when it is installed), JSON Lines, the periodic report, who
 * may export what, the export recorded in the history (also when the
 * download is cut), the history export verified in-process and by
 * `motcua audit verify` as a subprocess, and `motcua export` itself.
 */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "auth.h"
#include "buf.h"
#include "csv.h"
#include "date.h"
#include "db.h"
#include "db_account.h"
#include "export.h"
#include "testutil.h"
#include "tests.h"
#include "tz.h"
#include "util.h"
#include "verify.h"
#include "writer.h"

static struct app *app;

static void start(void)
{
	app = tu_server_start(&(struct tu_options){ .dossiers = 300 });
}

static void stop(void)
{
	tu_server_stop();
	app = NULL;
}

/* Today, as the office sees it ("2026-11-22"). */
static void today(char out[11])
{
	date_format_day(date_day_of(tz_local(app_now(app))), out);
}

/* Receive a dossier whose applicant data exercises quoting and formulas. */
static char *receive_tricky(void)
{
	static char code[40];
	const char *body =
		"{\"procedure_code\":\"1.013831\",\"channel\":\"direct\",\"applicant\":{"
		"\"name\":\"Trần, \\\"Bé\\\" An\",\"id_number\":\"038090009999\","
		"\"phone\":\"+84912000111\",\"address\":\"=cmd|' /C calc'!A0, Thanh Hóa\","
		"\"email\":\"be.an@example.vn\"},\"note\":\"=1+1\","
		"\"documents\":[{\"name\":\"Tờ khai\",\"kind\":\"original\",\"count\":1}]}";
	struct tu_response *r = tu_expect(201, "POST", "/api/v1/dossiers", tu_login("clerk"), body);
	strlcpy_(code, tu_str(r->json, "code"), sizeof(code));
	tu_response_free(r);
	return code;
}

/* An independent count straight from a database file. */
static long long sql_count_in(const char *db, const char *sql, int64_t a, int64_t b)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;
	ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static long long sql_count(const char *sql, int64_t a, int64_t b)
{
	return sql_count_in(tu_db_path(), sql, a, b);
}

/* Parse a CSV body: rows (header included) into a list of field arrays. */
struct table {
	int rows;
	int *n;		/* fields of each row */
	char ***cell;
};

static void table_read(struct table *t, const char *body, size_t len)
{
	FILE *f = tmpfile();
	struct csv_row row;
	int rc;
	fwrite(body, 1, len, f);
	rewind(f);
	struct csv_reader *r = csv_reader_open(f);
	memset(t, 0, sizeof(*t));
	while ((rc = csv_read(r, &row)) == 1) {
		t->cell = xrealloc(t->cell, (size_t)(t->rows + 1) * sizeof(*t->cell));
		t->n = xrealloc(t->n, (size_t)(t->rows + 1) * sizeof(*t->n));
		t->cell[t->rows] = xcalloc(row.n + 1, sizeof(char *));
		for (size_t i = 0; i < row.n; i++)
			t->cell[t->rows][i] = xstrdup(row.field[i]);
		t->n[t->rows] = (int)row.n;
		t->rows++;
	}
	ck_assert_msg(rc == 0, "CSV: %s", csv_error(r));
	csv_reader_free(r);
	fclose(f);
}

static void table_free(struct table *t)
{
	for (int i = 0; i < t->rows; i++) {
		for (int j = 0; t->cell[i][j]; j++)
			free(t->cell[i][j]);
		free(t->cell[i]);
	}
	free(t->cell);
	free(t->n);
}

/* Every row has the register's columns. */
static void register_shape(const struct table *t)
{
	for (int i = 0; i < t->rows; i++)
		ck_assert_msg(t->n[i] == EXPORT_DOSSIER_COLS, "row %d has %d fields", i, t->n[i]);
}

static int col(const char *key)
{
	for (int c = 0; c < EXPORT_DOSSIER_COLS; c++)
		if (!strcmp(export_dossier_cols[c].key, key))
			return c;
	ck_abort_msg("no column %s", key);
	return -1;
}

/* The row whose code is code, or -1. */
static int find_code(const struct table *t, const char *code)
{
	for (int i = 1; i < t->rows; i++)
		if (!strcmp(t->cell[i][col("code")], code))
			return i;
	return -1;
}

static long header_num(const struct tu_response *r, const char *name)
{
	const char *v = tu_header(r, name);
	ck_assert_msg(v != NULL, "no %s header", name);
	return atol(v);
}

/* ---- the register ------------------------------------------------------ */

START_TEST(test_api_export_csv_register)
{
	char day[11], path[200];
	struct table t;
	start();
	const char *code = receive_tricky();
	const char *auditor = tu_login("auditor");
	today(day);

	snprintf(path, sizeof(path), "/api/v1/exports/dossiers.csv?from=%s&to=%s", day, day);
	struct tu_response *r = tu_expect(200, "GET", path, auditor, NULL);
	ck_assert_str_eq(tu_header(r, "content-type"), "text/csv; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(tu_header(r, "content-disposition"), "attachment; filename=\"motcua-dossiers-"));
	ck_assert(memcmp(r->body, "\xEF\xBB\xBF" "STT,Mã hồ sơ,Mã tham chiếu,Mã thủ tục,", 3 + 43) == 0);
	table_read(&t, r->body, r->body_len);
	register_shape(&t);
	ck_assert_str_eq(t.cell[0][col("received_at")], "Ngày nhận hồ sơ");
	/* One row per dossier received today, as the database counts them. */
	int64_t from, to;
	ck_assert_int_eq(export_parse_bound(day, 0, &from), 0);
	ck_assert_int_eq(export_parse_bound(day, 1, &to), 0);
	long long want = sql_count("SELECT count(*) FROM dossier WHERE received_at >= ?1 AND received_at < ?2",
				   from, to);
	ck_assert_int_ge(want, 1);
	ck_assert_int_eq(t.rows - 1, want);
	ck_assert_int_eq(header_num(r, "x-total-rows"), want);
	for (int i = 1; i < t.rows; i++) {
		ck_assert_int_eq(atoi(t.cell[i][0]), i);	/* STT */
		ck_assert(str_starts(t.cell[i][col("received_at")], day));
	}
	int i = find_code(&t, code);
	ck_assert_int_gt(i, 0);
	/* RFC 4180 round trip, formulas neutralised, personal data masked. */
	ck_assert_str_eq(t.cell[i][col("applicant_name")], "Trần, \"Bé\" An");
	ck_assert_str_eq(t.cell[i][col("applicant_id_number")], "********9999");
	ck_assert_str_eq(t.cell[i][col("applicant_phone")], "********0111");
	ck_assert_str_eq(t.cell[i][col("applicant_address")], "***, Thanh Hóa");
	ck_assert_str_eq(t.cell[i][col("applicant_email")], "b***@example.vn");
	ck_assert_str_eq(t.cell[i][col("note")], "'=1+1");
	ck_assert_str_eq(t.cell[i][col("procedure_code")], "1.013831");
	ck_assert_str_eq(t.cell[i][col("state")], "received");
	ck_assert_ptr_null(strstr(r->body, "038090009999"));
	ck_assert_ptr_nonnull(strstr(r->body, ",\"Trần, \"\"Bé\"\" An\","));
	table_free(&t);
	tu_response_free(r);

	/* The whole register: every received dossier, oldest first. */
	r = tu_expect(200, "GET", "/api/v1/exports/dossiers.csv", auditor, NULL);
	table_read(&t, r->body, r->body_len);
	want = sql_count("SELECT count(*) FROM dossier WHERE received_at >= ?1 AND received_at < ?2",
			 INT64_MIN, INT64_MAX);
	ck_assert_int_gt(want, 250);
	ck_assert_int_eq(t.rows - 1, want);
	for (int k = 2; k < t.rows; k++)
		ck_assert_str_le(t.cell[k - 1][col("received_at")], t.cell[k][col("received_at")]);
	table_free(&t);
	tu_response_free(r);
	stop();
}
END_TEST

START_TEST(test_api_export_pii_and_scope)
{
	char day[11], path[200];
	struct table t;
	start();
	const char *code = receive_tricky();
	today(day);
	snprintf(path, sizeof(path), "/api/v1/exports/dossiers.csv?from=%s&to=%s&pii=true", day, day);
	/* An auditor with the right sees personal data, formulas still neutralised. */
	struct tu_response *r = tu_expect(200, "GET", path, tu_login("auditor"), NULL);
	table_read(&t, r->body, r->body_len);
	int i = find_code(&t, code);
	ck_assert_int_gt(i, 0);
	ck_assert_str_eq(t.cell[i][col("applicant_id_number")], "038090009999");
	ck_assert_str_eq(t.cell[i][col("applicant_phone")], "'+84912000111");
	ck_assert_str_eq(t.cell[i][col("applicant_address")], "'=cmd|' /C calc'!A0, Thanh Hóa");
	ck_assert_str_eq(t.cell[i][col("applicant_email")], "be.an@example.vn");
	table_free(&t);
	tu_response_free(r);
	/* Without the right: refused with its own code; masked is fine. */
	r = tu_expect(403, "GET", path, tu_login("auditor.readonly"), NULL);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "pii_not_allowed");
	tu_response_free(r);
	snprintf(path, sizeof(path), "/api/v1/exports/dossiers.csv?from=%s&to=%s", day, day);
	tu_response_free(tu_expect(200, "GET", path, tu_login("auditor.readonly"), NULL));
	/* Not logged in; a role that does not export; a bad parameter. */
	r = tu_expect(401, "GET", path, NULL, NULL);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "unauthenticated");
	tu_response_free(r);
	tu_response_free(tu_expect(403, "GET", path, tu_login("clerk"), NULL));
	r = tu_expect(422, "GET", "/api/v1/exports/dossiers.csv?from=2026-13-01", tu_login("auditor"), NULL);
	ck_assert_str_eq(tu_str(r->json, "error.field"), "from");
	tu_response_free(r);
	r = tu_expect(422, "GET", "/api/v1/exports/dossiers.csv?agency=999.99.99.H56", tu_login("auditor"), NULL);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "unknown_agency");
	tu_response_free(r);
	/* A manager: their subtree by default and on request, nothing else. */
	r = tu_expect(403, "GET", "/api/v1/exports/dossiers.csv?agency=000.00.21.H56",
		      tu_login("manager.hacthanh"), NULL);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "agency_out_of_scope");
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/exports/dossiers.csv", tu_login("manager.hacthanh"), NULL);
	table_read(&t, r->body, r->body_len);
	long long all = sql_count("SELECT count(*) FROM dossier WHERE received_at >= ?1 AND received_at < ?2",
				  INT64_MIN, INT64_MAX);
	ck_assert_int_eq(t.rows - 1, header_num(r, "x-total-rows"));
	ck_assert_int_lt(t.rows - 1, all);
	long long mine = sql_count(
		"WITH RECURSIVE sub(id) AS (SELECT id FROM agency WHERE code = '000.00.51.H56' UNION ALL"
		" SELECT a.id FROM agency a JOIN sub ON a.parent_id = sub.id)"
		" SELECT count(*) FROM dossier WHERE received_at >= ?1 AND received_at < ?2"
		" AND (receiving_agency_id IN sub OR lead_agency_id IN sub)", INT64_MIN, INT64_MAX);
	ck_assert_int_gt(mine, 0);
	ck_assert_int_eq(t.rows - 1, mine);
	table_free(&t);
	tu_response_free(r);
	/* Managers do not export the history. */
	tu_response_free(tu_expect(403, "GET", "/api/v1/exports/events.jsonl", tu_login("manager"), NULL));
	stop();
}
END_TEST

/* A bearer token for a demo account, made through the writer. */
struct token_job {
	unsigned char hash[32];
	int64_t account_id;
};

static int token_run(struct txn *t, void *arg, struct api_error *err)
{
	struct token_job *k = arg;
	return db_token_insert(t, k->hash, k->account_id, "test", util_now(), err);
}

START_TEST(test_api_export_bearer_token_and_count)
{
	char token[AUTH_TOKEN_LEN + 1];
	struct token_job k;
	struct account_row a;
	struct api_error e;
	start();
	ck_assert_int_eq(db_account_by_username(db_reader(), "auditor", &a), 1);
	auth_new_token(token, k.hash);
	k.account_id = a.id;
	ck_assert_int_eq(writer_call(app->writer, token_run, &k, &e), 0);
	struct tu_response *c = tu_expect(200, "GET", "/api/v1/exports/count?from=2025-01-01&to=2025-12-31",
					  token, NULL);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(c->json, "pii_allowed")));
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/exports/dossiers.jsonl?from=2025-01-01&to=2025-12-31",
					  token, NULL);
	ck_assert_str_eq(tu_header(r, "content-type"), "application/x-ndjson; charset=utf-8");
	long rows = header_num(r, "x-total-rows");
	ck_assert_int_eq((long)tu_num(c->json, "rows"), rows);
	ck_assert_int_gt(rows, 50);
	/* Every line is a JSON object; as many lines as announced. */
	long lines = 0;
	for (char *p = r->body, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		cJSON *o = cJSON_ParseWithLength(p, (size_t)(nl - p));
		ck_assert_ptr_nonnull(o);
		ck_assert(cJSON_IsString(cJSON_GetObjectItem(o, "code")));
		const char *idn = cJSON_GetObjectItem(o, "applicant_id_number")->valuestring;
		ck_assert_msg(str_starts(idn, "****"), "unmasked ID number %s", idn);
		ck_assert(str_starts(cJSON_GetObjectItem(o, "received_at")->valuestring, "2025-"));
		cJSON_Delete(o);
		lines++;
	}
	ck_assert_int_eq(lines, rows);
	tu_response_free(r);
	tu_response_free(c);
	c = tu_expect(200, "GET", "/api/v1/exports/count", tu_login("auditor.readonly"), NULL);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(c->json, "pii_allowed")));
	tu_response_free(c);
	stop();
}
END_TEST

/* ---- spreadsheets --------------------------------------------------------- */

static void save(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

static int have_libreoffice(void)
{
	return system("command -v libreoffice >/dev/null 2>&1") == 0;
}

/* LibreOffice's CSV of path (first sheet, UTF-8), or NULL when it failed. */
static char *libreoffice_csv(const char *xlsx, const char *name)
{
	char cmd[1400], out[600];
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && HOME='%s' timeout 180 libreoffice --headless --norestore "
		 "--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir '%s' '%s' >/dev/null 2>&1",
		 tu_dir(), tu_dir(), tu_dir(), xlsx);
	if (system(cmd) != 0)
		return NULL;
	snprintf(out, sizeof(out), "%s/%s.csv", tu_dir(), name);
	FILE *f = fopen(out, "rb");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

START_TEST(test_api_export_xlsx)
{
	char path[600];
	start();
	receive_tricky();
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/exports/dossiers.xlsx?from=2025-06-01",
					  tu_login("auditor"), NULL);
	ck_assert_str_eq(tu_header(r, "content-type"),
			 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	ck_assert_uint_gt(r->body_len, 1000);
	ck_assert(memcmp(r->body, "PK\x03\x04", 4) == 0);
	ck_assert_int_eq(header_num(r, "x-total-bytes"), (long)r->body_len);
	long rows = header_num(r, "x-total-rows");
	ck_assert_int_gt(rows, 10);
	snprintf(path, sizeof(path), "%s/register.xlsx", tu_dir());
	save(path, r->body, r->body_len);
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/exports/report.xlsx?from=2025-01-01", tu_login("auditor"), NULL);
	ck_assert(memcmp(r->body, "PK\x03\x04", 4) == 0);
	tu_response_free(r);
	if (!have_libreoffice()) {
		fprintf(stderr, "check_api_export: libreoffice not installed: conversion not checked\n");
		stop();
		return;
	}
	/* LibreOffice opens it: a header, one line per dossier, real dates
	 * shown with the dd/mm/yyyy hh:mm format. */
	char *csv = libreoffice_csv(path, "register");
	ck_assert_msg(csv != NULL, "libreoffice could not convert the workbook");
	struct table t;
	table_read(&t, csv, strlen(csv));
	ck_assert_int_eq(t.rows, rows + 1);
	register_shape(&t);
	ck_assert_str_eq(t.cell[0][col("code")], "Mã hồ sơ");
	ck_assert_str_eq(t.cell[1][0], "1");
	const char *when = t.cell[1][col("received_at")];
	ck_assert_msg(strlen(when) == 16 && when[2] == '/' && when[5] == '/' && when[10] == ' ',
		      "received_at shown as \"%s\"", when);
	ck_assert_ptr_nonnull(strstr(csv, "Trần, \"\"Bé\"\" An"));
	table_free(&t);
	free(csv);
	stop();
}
END_TEST

START_TEST(test_api_export_report_csv)
{
	start();
	const char *auditor = tu_login("auditor");
	struct tu_response *r = tu_expect(200, "GET",
		"/api/v1/exports/report.csv?from=2025-01-01&to=2025-12-31&group_by=agency", auditor, NULL);
	struct tu_response *s = tu_expect(200, "GET",
		"/api/v1/reports/summary?from=2025-01-01&to=2025-12-31&group_by=agency", auditor, NULL);
	ck_assert(memcmp(r->body, "\xEF\xBB\xBF", 3) == 0);
	struct table t;
	table_read(&t, r->body, r->body_len);
	ck_assert_ptr_nonnull(strstr(t.cell[0][0], "01/01/2025"));
	ck_assert_str_eq(t.cell[1][2], "Số hồ sơ nhận giải quyết: tổng số");
	/* One line per group, then the total, equal to the summary's. */
	cJSON *rows = cJSON_GetObjectItem(s->json, "rows");
	ck_assert_int_eq(t.rows, 2 + cJSON_GetArraySize(rows) + 1);
	ck_assert_int_eq(header_num(r, "x-total-rows"), cJSON_GetArraySize(rows));
	char **total = t.cell[t.rows - 1];
	ck_assert_str_eq(total[1], "Tổng cộng");
	ck_assert_int_eq(atol(total[2]), (long)tu_num(s->json, "total.received.total"));
	ck_assert_int_eq(atol(total[6]), (long)tu_num(s->json, "total.resolved.total"));
	ck_assert_int_eq(atol(total[10]), (long)tu_num(s->json, "total.in_progress.total"));
	ck_assert_int_gt(atol(total[2]), 0);
	table_free(&t);
	tu_response_free(s);
	tu_response_free(r);
	stop();
}
END_TEST

/* ---- the history ----------------------------------------------------------- */

/* The history export as a string; fills the head noted just before. */
static struct tu_response *events(const char *query, char head[65], long *head_seq)
{
	char path[200];
	if (head) {
		struct tu_response *h = tu_expect(200, "GET", "/api/v1/audit/head", tu_login("auditor"), NULL);
		strlcpy_(head, tu_str(h->json, "hash"), 65);
		*head_seq = (long)tu_num(h->json, "seq");
		ck_assert_int_eq(*head_seq, (long)tu_num(h->json, "count"));
		ck_assert_ptr_nonnull(tu_str(h->json, "at"));
		tu_response_free(h);
	}
	snprintf(path, sizeof(path), "/api/v1/exports/events.jsonl%s", query ? query : "");
	return tu_expect(200, "GET", path, tu_login("auditor"), NULL);
}

/* Count the lines of a history export that record an export of kind. */
static int export_records(const char *body, const char *actor, const char *kind)
{
	char want_actor[96], want_kind[96];
	int n = 0;
	snprintf(want_actor, sizeof(want_actor), "\"actor\":\"%s\"", actor);
	snprintf(want_kind, sizeof(want_kind), "\\\"kind\\\":\\\"%s\\\"", kind);
	for (const char *p = body, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		size_t len = (size_t)(nl - p);
		char *line = xstrndup(p, len);
		if (strstr(line, "\"action\":\"export\"") && strstr(line, want_actor) && strstr(line, want_kind))
			n++;
		free(line);
	}
	return n;
}

START_TEST(test_api_export_events_verify)
{
	struct verify_result res;
	char head[65];
	long head_seq;
	start();
	/* An export first: it must be in the history that follows. */
	tu_response_free(tu_expect(200, "GET", "/api/v1/exports/dossiers.csv?from=2026-01-01&pii=true",
				   tu_login("auditor"), NULL));
	struct tu_response *r = events(NULL, head, &head_seq);
	ck_assert_int_eq(verify_buffer(r->body, r->body_len, head, &res), 0);
	ck_assert_int_eq(res.first_seq, 1);
	ck_assert_int_eq(res.last_seq, head_seq);	/* the snapshot ends at the head */
	ck_assert_int_eq(res.head_seq, head_seq);
	ck_assert_int_eq(header_num(r, "x-total-rows"), res.rows);
	ck_assert_int_eq(export_records(r->body, "auditor", "dossiers"), 1);
	ck_assert_ptr_nonnull(strstr(r->body, "\\\"pii\\\":true"));
	/* One changed byte in row 10's actor: the verifier names row 10. */
	char *copy = xstrndup(r->body, r->body_len);
	char *line10 = copy;
	for (int i = 1; i < 10; i++)
		line10 = strchr(line10, '\n') + 1;
	char *p = strstr(line10, "\"actor\":\"") + 9;
	*p = *p == 'x' ? 'y' : 'x';
	ck_assert_int_eq(verify_buffer(copy, r->body_len, NULL, &res), -1);
	ck_assert_int_eq(res.line, 10);
	ck_assert_int_eq(res.seq, 10);
	free(copy);
	tu_response_free(r);
	/* A range by seq verifies on its own. */
	r = events("?from_seq=5&to_seq=20", NULL, NULL);
	ck_assert_int_eq(verify_buffer(r->body, r->body_len, NULL, &res), 0);
	ck_assert_int_eq(res.first_seq, 5);
	ck_assert_int_eq(res.rows, 16);
	tu_response_free(r);
	r = events("?from=2026-01-01", NULL, NULL);
	ck_assert_int_eq(verify_buffer(r->body, r->body_len, NULL, &res), 0);
	tu_response_free(r);
	r = tu_expect(422, "GET", "/api/v1/exports/events.jsonl?from_seq=0", tu_login("auditor"), NULL);
	tu_response_free(r);
	stop();
}
END_TEST

/* A download cut after its first bytes is still on record. */
START_TEST(test_api_export_recorded_before_streaming)
{
	struct sockaddr_in a;
	char req[512], chunk[64];
	start();
	const char *cookie = tu_login("auditor");
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)tu_port());
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	snprintf(req, sizeof(req), "GET /api/v1/exports/dossiers.jsonl HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n\r\n",
		 cookie + 7);
	ck_assert_int_eq(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
	ck_assert_int_gt(recv(fd, chunk, sizeof(chunk), 0), 0);
	close(fd);
	struct tu_response *r = events(NULL, NULL, NULL);
	ck_assert_int_eq(export_records(r->body, "auditor", "dossiers"), 1);
	tu_response_free(r);
	stop();
}
END_TEST

/* ---- the command line -------------------------------------------------------- */

/* Run a shell command; exit status, output (stdout and stderr) in out. */
static int run(struct buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int run(struct buf *out, const char *fmt, ...)
{
	char cmd[2048], chunk[4096];
	va_list ap;
	size_t n;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	buf_reset(out);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(out, chunk, n);
	int st = pclose(p);
	buf_cstr(out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

START_TEST(test_api_export_audit_verify_subprocess)
{
	char file[600], head[65];
	long head_seq;
	struct buf out = BUF_INIT;
	start();
	struct tu_response *r = events(NULL, head, &head_seq);
	snprintf(file, sizeof(file), "%s/history.jsonl", tu_dir());
	save(file, r->body, r->body_len);
	ck_assert_int_eq(run(&out, "'%s' audit verify '%s' --head %s", tu_bin(), file, head), 0);
	ck_assert_msg(strstr(out.data, ": OK: ") && strstr(out.data, "found at seq"), "%s", out.data);
	/* Row 3 edited: exit 1, the line and seq named. */
	char *copy = xstrndup(r->body, r->body_len);
	char *line3 = strchr(strchr(copy, '\n') + 1, '\n') + 1;
	char *p = strstr(line3, "\"at\":") + 5;
	*p = *p == '1' ? '2' : '1';
	save(file, copy, r->body_len);
	ck_assert_int_eq(run(&out, "'%s' audit verify '%s'", tu_bin(), file), 1);
	ck_assert_msg(strstr(out.data, "FAILED at line 3 (seq 3)"), "%s", out.data);
	/* Cut short: the missing trailer is reported. */
	save(file, r->body, (size_t)(strrchr(r->body, '{') - r->body));
	ck_assert_int_eq(run(&out, "'%s' audit verify '%s'", tu_bin(), file), 1);
	ck_assert_msg(strstr(out.data, "trailer"), "%s", out.data);
	ck_assert_int_eq(run(&out, "'%s' audit verify", tu_bin()), 2);
	/* The CLI export waits for the lock the running server holds. */
	snprintf(file, sizeof(file), "%s/x.csv", tu_dir());
	ck_assert_int_eq(run(&out, "'%s' export --db '%s' --kind dossiers --format csv --out '%s'", tu_bin(),
			     tu_db_path(), file), 1);
	ck_assert_msg(strstr(out.data, "in use"), "%s", out.data);
	free(copy);
	tu_response_free(r);
	buf_release(&out);
	stop();
}
END_TEST

START_TEST(test_cli_export_and_verify)
{
	char dir[64];
	struct buf out = BUF_INIT;
	snprintf(dir, sizeof(dir), "/tmp/motcua-export-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(run(&out, "'%s' seed-demo --db '%s/m.db' --dossiers 120", tu_bin(), dir), 0);
	ck_assert_int_eq(run(&out, "'%s' export --db '%s/m.db' --kind dossiers --format csv --from 2020-01-01 "
			     "--out '%s/d.csv'", tu_bin(), dir, dir), 0);
	char db[128], want[64];
	snprintf(db, sizeof(db), "%s/m.db", dir);
	snprintf(want, sizeof(want), "wrote %lld rows",
		 sql_count_in(db, "SELECT count(*) FROM dossier WHERE received_at >= ?1 AND received_at < ?2",
			      INT64_MIN, INT64_MAX));
	ck_assert_msg(strstr(out.data, want), "want \"%s\": %s", want, out.data);
	ck_assert_int_eq(run(&out, "'%s' export --db '%s/m.db' --kind dossiers --format xlsx --out '%s/d.xlsx'",
			     tu_bin(), dir, dir), 0);
	ck_assert_int_eq(run(&out, "head -c 4 '%s/d.xlsx' | od -c | head -1", dir), 0);
	ck_assert_msg(strstr(out.data, "P   K 003 004"), "%s", out.data);
	ck_assert_int_eq(run(&out, "'%s' export --db '%s/m.db' --kind report --format csv --out '%s/r.csv'",
			     tu_bin(), dir, dir), 0);
	ck_assert_int_eq(run(&out, "'%s' export --db '%s/m.db' --kind events --format jsonl --out '%s/e.jsonl'",
			     tu_bin(), dir, dir), 0);
	/* Both dossier exports and the report export are on record. */
	ck_assert_int_eq(run(&out, "'%s' audit verify '%s/e.jsonl'", tu_bin(), dir), 0);
	ck_assert_msg(strstr(out.data, "chain intact"), "%s", out.data);
	ck_assert_int_eq(run(&out, "grep -c 'cli:' '%s/e.jsonl'", dir), 0);
	ck_assert_int_eq(atoi(out.data), 3);
	/* Unknown kind, a workbook of the history: usage errors. */
	ck_assert_int_eq(run(&out, "'%s' export --db '%s/m.db' --kind all --format csv --out x", tu_bin(), dir), 2);
	ck_assert_int_eq(run(&out, "'%s' export --db '%s/m.db' --kind events --format xlsx --out '%s/e.xlsx'",
			     tu_bin(), dir, dir), 1);
	ck_assert_msg(strstr(out.data, "no xlsx format"), "%s", out.data);
	run(&out, "rm -rf '%s'", dir);
	buf_release(&out);
}
END_TEST

Suite *api_export_suite(void)
{
	Suite *s = suite_create("api_export");
	TCase *tc = tcase_create("exports");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_api_export_csv_register);
	tcase_add_test(tc, test_api_export_pii_and_scope);
	tcase_add_test(tc, test_api_export_bearer_token_and_count);
	tcase_add_test(tc, test_api_export_xlsx);
	tcase_add_test(tc, test_api_export_report_csv);
	tcase_add_test(tc, test_api_export_events_verify);
	tcase_add_test(tc, test_api_export_recorded_before_streaming);
	tcase_add_test(tc, test_api_export_audit_verify_subprocess);
	tcase_add_test(tc, test_cli_export_and_verify);
	suite_add_tcase(s, tc);
	return s;
}
