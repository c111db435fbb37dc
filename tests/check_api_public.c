/*
 * motcua tests — the citizen side over real HTTP (issue 7): public
 * lookup (same answer for an unknown code and a wrong check, rate limit,
 * no personal data), online submission (files judged by content, 413
 * before the body, digests on disk, the queue, accept and refuse),
 * ratings (once, only after return), public statistics from the
 * aggregates, and the public catalogue.
 *
 * Fixtures use the demo province: `clerk.hacthanh` receives commune
 * procedures at 000.00.51.H56, `clerk` province ones at 000.01.01.H56;
 * 1.001193 (birth registration) is a commune procedure with a one-step
 * chain at the receiving commune, worked by officer.hacthanh.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "buf.h"
#include "testutil.h"
#include "tests.h"
#include "upload.h"
#include "util.h"

/* ---- helpers -------------------------------------------------------------- */

static const char pdf[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n";
static const char pdf2[] = "%PDF-1.5\n% another document\ntrailer\n<< >>\n%%EOF\n";
static const unsigned char png[40] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
	0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89,
};

/* One request with a binary body (tu_request sends C strings). With
 * send_body 0 only the headers go out (a client announcing a big body). */
static struct tu_response *raw(const char *method, const char *path, const char *headers,
			       const void *body, size_t len, size_t announce, int send_body)
{
	struct buf req = BUF_INIT;
	struct sockaddr_in a;
	struct timeval tv = { 10, 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)tu_port());
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	buf_printf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s"
		   "Content-Length: %zu\r\n\r\n", method, path, tu_port(), headers ? headers : "",
		   announce ? announce : len);
	if (send_body && len)
		buf_add(&req, body, len);
	for (size_t off = 0; off < req.len;) {
		ssize_t w = send(fd, req.data + off, req.len - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	buf_release(&req);
	return tu_response_read(fd, method, path);
}

struct draft {
	char ref[40];
	char token[64];
};

static void make_draft(struct draft *d, const char *procedure, const char *agency, const char *phone,
		       const char *id_number)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"procedure_code\":\"%s\",\"agency_code\":\"%s\",\"applicant\":{\"name\":\"Đinh Thị Mai\","
		 "\"id_number\":\"%s\",\"phone\":\"%s\",\"address\":\"Số 7 ngõ Mai Hoa\","
		 "\"email\":\"mai@example.vn\"},\"note\":\"Xin nhận kết quả qua bưu điện\"}",
		 procedure, agency, id_number, phone);
	struct tu_response *r = tu_expect(201, "POST", "/api/v1/public/submissions", NULL, body);
	snprintf(d->ref, sizeof(d->ref), "%s", tu_str(r->json, "ref"));
	snprintf(d->token, sizeof(d->token), "%s", tu_str(r->json, "upload_token"));
	tu_response_free(r);
}

/* PUT a file into slot n; name goes in ?name=, ctype as Content-Type. */
static struct tu_response *put_file(const struct draft *d, const char *token, int n, const char *name,
				    const char *ctype, const void *data, size_t len)
{
	char path[256], headers[256];
	snprintf(path, sizeof(path), "/api/v1/public/submissions/%s/files/%d%s%s", d->ref, n,
		 name ? "?name=" : "", name ? name : "");
	snprintf(headers, sizeof(headers), "%s%s%sContent-Type: %s\r\n", token ? "X-Upload-Token: " : "",
		 token ? token : "", token ? "\r\n" : "", ctype);
	return raw("PUT", path, headers, data, len, 0, 1);
}

static struct tu_response *submit(const struct draft *d)
{
	char path[128], extra[128];
	snprintf(path, sizeof(path), "/api/v1/public/submissions/%s/submit", d->ref);
	snprintf(extra, sizeof(extra), "X-Upload-Token: %s\r\n", d->token);
	return tu_request("POST", path, NULL, "{}", NULL, extra);
}

/* A commune dossier submitted online with one PDF; returns its ref. */
static const char *online_dossier(struct draft *d, const char *phone)
{
	make_draft(d, "1.001193", "000.00.51.H56", phone, "038190004321");
	struct tu_response *r = put_file(d, d->token, 1, "to-khai.pdf", "application/pdf", pdf, strlen(pdf));
	ck_assert_msg(r->status == 201, "upload: %d %s", r->status, r->body);
	tu_response_free(r);
	r = submit(d);
	ck_assert_msg(r->status == 200, "submit: %d %s", r->status, r->body);
	tu_response_free(r);
	return d->ref;
}

static struct tu_response *lookup(const char *key, const char *check)
{
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/public/dossiers/%s?check=%s", key, check);
	return tu_request("GET", path, NULL, NULL, NULL, NULL);
}

static void act_ok(const char *user, const char *key, const char *body)
{
	struct tu_response *r = tu_action(user, key, body);
	ck_assert_msg(r->status == 200, "%s by %s: %d %s", body, user, r->status, r->body);
	tu_response_free(r);
}

static const struct tu_options roomy = { 0, 0, 1000 };

static int64_t stat_sum(const char *col)
{
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT coalesce(sum(%s), 0) FROM stat WHERE kind = 1 AND grain = 2", col);
	return tu_db_int(sql);
}

/* ---- lookup ----------------------------------------------------------------- */

START_TEST(test_api_public_lookup_same_answer_for_unknown_and_wrong)
{
	tu_server_start(&roomy);
	const char *code = tu_receive("clerk.hacthanh", "1.001193", "direct");
	char known[40];
	snprintf(known, sizeof(known), "%s", code);
	struct tu_response *ok = lookup(known, "5678");	/* phone 0912345678 */
	ck_assert_int_eq(ok->status, 200);
	ck_assert_str_eq(tu_str(ok->json, "code"), known);
	ck_assert_str_eq(tu_str(ok->json, "state"), "received");
	ck_assert_str_eq(tu_str(ok->json, "state_label.vi"), "Đã tiếp nhận");
	ck_assert_str_eq(tu_str(ok->json, "state_label.en"), "Received");
	ck_assert_ptr_nonnull(tu_str(ok->json, "appointment_at"));
	tu_response_free(ok);
	ok = lookup(known, "1234");	/* ID number 038090001234 */
	ck_assert_int_eq(ok->status, 200);
	tu_response_free(ok);

	struct tu_response *wrong = lookup(known, "5679");
	char unknown[40];
	snprintf(unknown, sizeof(unknown), "%.*s9999", (int)strlen(known) - 4, known);
	struct tu_response *absent = lookup(unknown, "5678");
	struct tu_response *junk = lookup("NOT-A-CODE", "5678");
	ck_assert_int_eq(wrong->status, 404);
	ck_assert_int_eq(absent->status, 404);
	ck_assert_int_eq(junk->status, 404);
	ck_assert_str_eq(wrong->body, absent->body);
	ck_assert_str_eq(wrong->body, junk->body);
	ck_assert_str_eq(tu_header(wrong, "content-type"), "application/json; charset=utf-8");
	tu_response_free(wrong);
	tu_response_free(absent);
	tu_response_free(junk);

	/* A malformed check is a client error whatever the code. */
	struct tu_response *bad = lookup(known, "56a8");
	struct tu_response *bad2 = lookup(unknown, "567");
	ck_assert_int_eq(bad->status, 400);
	ck_assert_str_eq(bad->body, bad2->body);
	tu_response_free(bad);
	tu_response_free(bad2);
	bad = tu_request("GET", "/api/v1/public/dossiers/x", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(bad->status, 400);
	tu_response_free(bad);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_public_lookup_has_no_personal_data)
{
	tu_server_start(&roomy);
	struct tu_response *r = tu_expect(201, "POST", "/api/v1/dossiers", tu_login("clerk.hacthanh"),
		"{\"procedure_code\":\"1.001193\",\"channel\":\"direct\",\"applicant\":{\"name\":\"Vương Thị Kiều\","
		"\"id_number\":\"038199012345\",\"phone\":\"0977001122\",\"address\":\"Số 9 phố Lê Hoàn\","
		"\"email\":\"kieu@example.vn\"},\"note\":\"Ghi chú nội bộ XYZ\"}");
	char code[40];
	snprintf(code, sizeof(code), "%s", tu_str(r->json, "code"));
	tu_response_free(r);
	act_ok("clerk.hacthanh", code, "{\"action\":\"transfer\",\"assignee\":\"officer.hacthanh\"}");
	r = lookup(code, "1122");
	ck_assert_int_eq(r->status, 200);
	static const char *const secrets[] = {
		"Vương Thị Kiều", "038199012345", "0977001122", "Lê Hoàn", "kieu@example.vn", "XYZ",
		"officer.hacthanh", "Ngô Thị Thu", "clerk.hacthanh", NULL
	};
	for (int i = 0; secrets[i]; i++)
		ck_assert_msg(!strstr(r->body, secrets[i]), "the public answer shows \"%s\": %s", secrets[i], r->body);
	static const char *const keys[] = { "applicant", "assignee", "note", "current_agency", NULL };
	for (int i = 0; keys[i]; i++)
		ck_assert_msg(!cJSON_GetObjectItemCaseSensitive(r->json, keys[i]), "key %s present", keys[i]);
	/* the step in progress, with its agency and start, no officer */
	ck_assert_str_eq(tu_str(r->json, "steps.0.agency.code"), "000.00.51.H56");
	ck_assert_str_eq(tu_str(r->json, "steps.0.status"), "current");
	ck_assert_ptr_nonnull(tu_str(r->json, "steps.0.started_at"));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(
		cJSON_GetObjectItemCaseSensitive(r->json, "steps"), 0), "assignee"));
	ck_assert_int_eq(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(r->json, "ready_to_collect")), 1);
	tu_response_free(r);
	act_ok("officer.hacthanh", code, "{\"action\":\"resolve\",\"result\":\"Đã cấp\"}");
	r = lookup(code, "1122");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->json, "ready_to_collect")));
	ck_assert_str_eq(tu_str(r->json, "steps.0.status"), "done");
	ck_assert_str_eq(tu_str(r->json, "state_label.en"), "Result ready to collect");
	ck_assert_str_eq(tu_header(r, "cache-control"), "no-store");
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_public_lookup_rate_limited)
{
	struct tu_options opt = { 0, 0, 3 };
	tu_server_start(&opt);
	const char *code = tu_receive("clerk.hacthanh", "1.001193", "direct");
	char known[40];
	snprintf(known, sizeof(known), "%s", code);
	for (int i = 0; i < 3; i++) {
		struct tu_response *r = lookup(known, i == 1 ? "0000" : "5678");
		ck_assert_int_eq(r->status, i == 1 ? 404 : 200);
		tu_response_free(r);
	}
	struct tu_response *r = lookup(known, "5678");
	ck_assert_int_eq(r->status, 429);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "too_many_requests");
	const char *ra = tu_header(r, "retry-after");
	ck_assert_ptr_nonnull(ra);
	int secs = atoi(ra);
	ck_assert_msg(secs >= 1 && secs <= 20, "Retry-After %s (one token per 20 s)", ra);
	tu_response_free(r);
	/* Feedback codes are looked up from the same bucket. */
	r = tu_request("GET", "/api/v1/public/feedback/PAKN-260101-0001", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 429);
	tu_response_free(r);
	/* Creating is limited separately; staff are not limited. */
	struct draft d;
	make_draft(&d, "1.001193", "000.00.51.H56", "0987654321", "038190004321");
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", known);
	r = tu_expect(200, "GET", path, tu_login("clerk.hacthanh"), NULL);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

/* ---- uploads ------------------------------------------------------------------ */

START_TEST(test_api_public_upload_judged_by_content)
{
	tu_server_start(&roomy);
	struct draft d;
	make_draft(&d, "1.001193", "000.00.51.H56", "0987654321", "038190004321");
	/* A PNG called .pdf and sent as a PDF: refused by its content. */
	struct tu_response *r = put_file(&d, d.token, 1, "scan.pdf", "application/pdf", png, sizeof(png));
	ck_assert_int_eq(r->status, 415);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "file_type_mismatch");
	tu_response_free(r);
	/* A PNG named .png but sent as a PDF: the claim still contradicts. */
	r = put_file(&d, d.token, 1, "scan.png", "application/pdf", png, sizeof(png));
	ck_assert_int_eq(r->status, 415);
	tu_response_free(r);
	/* HTML under any name is not a document. */
	r = put_file(&d, d.token, 1, "scan.pdf", "application/pdf", "<html><script>x</script></html>", 31);
	ck_assert_int_eq(r->status, 415);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "unsupported_file_type");
	tu_response_free(r);
	/* The same PNG named .png with no usable type: accepted as a PNG. */
	r = put_file(&d, d.token, 1, "scan.png", "application/octet-stream", png, sizeof(png));
	ck_assert_int_eq(r->status, 201);
	ck_assert_str_eq(tu_str(r->json, "type"), "image/png");
	ck_assert_str_eq(tu_str(r->json, "name"), "scan.png");
	tu_response_free(r);
	/* Wrong or missing token, a slot out of range, an empty file. */
	r = put_file(&d, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 2, "a.pdf", "application/pdf", pdf, strlen(pdf));
	ck_assert_int_eq(r->status, 404);
	tu_response_free(r);
	r = put_file(&d, NULL, 2, "a.pdf", "application/pdf", pdf, strlen(pdf));
	ck_assert_int_eq(r->status, 404);
	tu_response_free(r);
	r = put_file(&d, d.token, 21, "a.pdf", "application/pdf", pdf, strlen(pdf));
	ck_assert_int_eq(r->status, 404);
	tu_response_free(r);
	r = put_file(&d, d.token, 2, "a.pdf", "application/pdf", "", 0);
	ck_assert_int_eq(r->status, 400);
	tu_response_free(r);
	/* Only the accepted file was recorded; nothing left half-staged. */
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM attachment"), 1);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s/uploads/tmp')\"", tu_dir());
	ck_assert_msg(system(cmd) == 0, "staged files were left behind");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_public_upload_too_big_is_refused_before_the_body)
{
	tu_server_start(&roomy);
	struct draft d;
	make_draft(&d, "1.001193", "000.00.51.H56", "0987654321", "038190004321");
	char path[128], headers[128];
	snprintf(path, sizeof(path), "/api/v1/public/submissions/%s/files/1?name=big.pdf", d.ref);
	snprintf(headers, sizeof(headers), "X-Upload-Token: %s\r\nContent-Type: application/pdf\r\n", d.token);
	/* Announce one byte over the cap (10240 KiB) and send nothing: the
	 * answer must come without waiting for the body. */
	struct tu_response *r = raw("PUT", path, headers, pdf, strlen(pdf), 10240 * 1024 + 1, 0);
	ck_assert_int_eq(r->status, 413);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "body_too_large");
	tu_response_free(r);
	/* A JSON route keeps its small cap. */
	r = raw("POST", "/api/v1/public/submissions", "Content-Type: application/json\r\n", "{}", 2,
		65 * 1024, 0);
	ck_assert_int_eq(r->status, 413);
	tu_response_free(r);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM attachment"), 0);
	tu_server_stop();
}
END_TEST

static int file_exists(const char *sha)
{
	char path[600];
	struct stat sb;
	snprintf(path, sizeof(path), "%s/uploads/%.2s/%s", tu_dir(), sha, sha);
	return stat(path, &sb) == 0;
}

START_TEST(test_api_public_upload_stores_the_digest)
{
	tu_server_start(&roomy);
	struct draft d;
	char want[UPLOAD_SHA_HEX], want2[UPLOAD_SHA_HEX], sql[200];
	upload_sha256(pdf, strlen(pdf), want);
	upload_sha256(pdf2, strlen(pdf2), want2);
	make_draft(&d, "1.001193", "000.00.51.H56", "0987654321", "038190004321");
	struct tu_response *r = put_file(&d, d.token, 1, "t%E1%BB%9D-khai.pdf", "application/pdf", pdf, strlen(pdf));
	ck_assert_int_eq(r->status, 201);
	ck_assert_str_eq(tu_str(r->json, "sha256"), want);
	ck_assert_str_eq(tu_str(r->json, "name"), "tờ-khai.pdf");
	ck_assert_int_eq((int)tu_num(r->json, "size"), (int)strlen(pdf));
	tu_response_free(r);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM attachment WHERE sha256 = '%s' AND size = %zu"
		 " AND mime = 'application/pdf'", want, strlen(pdf));
	ck_assert_int_eq(tu_db_int(sql), 1);
	/* On disk under its digest, the same bytes. */
	char *data = NULL, dir[600];
	size_t len = 0;
	snprintf(dir, sizeof(dir), "%s/uploads", tu_dir());
	ck_assert_int_eq(upload_read(dir, want, strlen(pdf), &data, &len), 1);
	ck_assert(len == strlen(pdf) && memcmp(data, pdf, len) == 0);
	free(data);
	/* The same content in another slot is stored once. */
	r = put_file(&d, d.token, 2, "copy.pdf&label=T%E1%BB%9D%20khai%20%2F%20%C4%90%C6%A1n", "application/pdf",
		     pdf, strlen(pdf));
	ck_assert_int_eq(r->status, 201);
	ck_assert_str_eq(tu_str(r->json, "label"), "Tờ khai / Đơn");	/* a label keeps its slash */
	tu_response_free(r);
	/* Replacing slot 1 keeps the file (slot 2 still uses it); replacing
	 * slot 2 too, and removing, drops what nothing uses. */
	r = put_file(&d, d.token, 1, "v2.pdf", "application/pdf", pdf2, strlen(pdf2));
	ck_assert_int_eq(r->status, 200);
	tu_response_free(r);
	ck_assert(file_exists(want));
	char path[160], extra[128];
	snprintf(path, sizeof(path), "/api/v1/public/submissions/%s/files/2", d.ref);
	snprintf(extra, sizeof(extra), "X-Upload-Token: %s\r\n", d.token);
	r = tu_request("DELETE", path, NULL, NULL, NULL, extra);
	ck_assert_int_eq(r->status, 204);
	tu_response_free(r);
	ck_assert(!file_exists(want));
	ck_assert(file_exists(want2));
	r = tu_request("DELETE", path, NULL, NULL, NULL, extra);
	ck_assert_int_eq(r->status, 404);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

/* ---- submit, accept, refuse ------------------------------------------------------ */

START_TEST(test_api_public_submit_and_accept)
{
	tu_server_start(&roomy);
	struct draft d;
	char ref[40], path[160], sql[300];
	int64_t received = stat_sum("received"), digitised = stat_sum("digitised");
	snprintf(ref, sizeof(ref), "%s", online_dossier(&d, "0987654321"));
	/* Waiting as submitted online: no code, nothing counted, the
	 * personal data moved from the draft to the dossier. */
	snprintf(sql, sizeof(sql), "SELECT state * 100 + attachments FROM dossier WHERE ref = '%s' AND code IS NULL"
		 " AND channel = 'online' AND applicant_phone = '0987654321'", ref);
	ck_assert_int_eq(tu_db_int(sql), 101);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM submission WHERE ref = '%s' AND applicant_name = ''"
		 " AND applicant_phone = '' AND dossier_id IS NOT NULL", ref);
	ck_assert_int_eq(tu_db_int(sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM event WHERE dossier_ref = '%s' AND action = 'submit_online'"
		 " AND actor = 'citizen' AND to_state = 1 AND data LIKE '%%sha256%%'", ref);
	ck_assert_int_eq(tu_db_int(sql), 1);
	ck_assert_int_eq(stat_sum("received"), received);
	/* Each file is a line of the dossier's checklist (Form 01). */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM dossier_document c JOIN dossier x ON x.id = c.dossier_id"
		 " WHERE x.ref = '%s' AND c.name = 'to-khai.pdf' AND c.kind = 'copy'", ref);
	ck_assert_int_eq(tu_db_int(sql), 1);
	struct tu_response *r = submit(&d);
	ck_assert_int_eq(r->status, 409);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "already_submitted");
	tu_response_free(r);

	/* In the receiving commune's queue, not in the provincial centre's. */
	r = tu_expect(200, "GET", "/api/v1/dossiers?state=submitted_online&queue=true",
		      tu_login("clerk.hacthanh"), NULL);
	ck_assert_str_eq(tu_str(r->json, "items.0.ref"), ref);
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/dossiers?state=submitted_online&queue=true", tu_login("clerk"), NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r->json, "items")), 0);
	tu_response_free(r);

	/* Staff in scope read and download the file; others do not see it. */
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/attachments", ref);
	r = tu_expect(200, "GET", path, tu_login("clerk.hacthanh"), NULL);
	ck_assert_str_eq(tu_str(r->json, "items.0.type"), "application/pdf");
	ck_assert_str_eq(tu_str(r->json, "items.0.name"), "to-khai.pdf");
	tu_response_free(r);
	r = tu_expect(404, "GET", path, tu_login("clerk"), NULL);
	tu_response_free(r);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/attachments/1", ref);
	r = tu_expect(200, "GET", path, tu_login("clerk.hacthanh"), NULL);
	ck_assert(r->body_len == strlen(pdf) && memcmp(r->body, pdf, r->body_len) == 0);
	ck_assert_str_eq(tu_header(r, "content-type"), "application/pdf");
	ck_assert_str_eq(tu_header(r, "x-content-type-options"), "nosniff");
	ck_assert_msg(str_starts(tu_header(r, "content-disposition"), "attachment; filename=\"to-khai.pdf\""),
		      "%s", tu_header(r, "content-disposition"));
	tu_response_free(r);
	r = tu_expect(404, "GET", path, tu_login("clerk"), NULL);
	tu_response_free(r);

	/* Only the receiving one-stop's clerk accepts it. */
	r = tu_action("clerk", ref, "{\"action\":\"accept\"}");
	ck_assert_int_eq(r->status, 404);
	tu_response_free(r);
	r = tu_action("clerk.hacthanh", ref, "{\"action\":\"accept\"}");
	ck_assert_int_eq(r->status, 200);
	char code[40];
	snprintf(code, sizeof(code), "%s", tu_str(r->json, "code"));
	ck_assert(str_starts(code, "000.00.51.H56-"));
	ck_assert_ptr_nonnull(tu_str(r->json, "appointment_at"));
	tu_response_free(r);
	ck_assert_int_eq(stat_sum("received"), received + 1);
	ck_assert_int_eq(stat_sum("digitised"), digitised + 1);
	/* Lookup by the new code or by the ref, with the phone's digits. */
	r = lookup(code, "4321");	/* the ID number's digits work too */
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(tu_str(r->json, "state"), "received");
	ck_assert_str_eq(tu_str(r->json, "ref"), ref);
	tu_response_free(r);
	r = lookup(ref, "4321");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(tu_str(r->json, "code"), code);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_public_refused_submission_shows_reason)
{
	tu_server_start(&roomy);
	struct draft d;
	char ref[40];
	int64_t received = stat_sum("received");
	snprintf(ref, sizeof(ref), "%s", online_dossier(&d, "0903002468"));
	struct tu_response *r = lookup(ref, "2468");
	ck_assert_str_eq(tu_str(r->json, "state"), "submitted_online");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r->json, "code")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r->json, "refusal_reason")));
	tu_response_free(r);
	r = tu_action("clerk.hacthanh", ref, "{\"action\":\"refuse\"}");
	ck_assert_int_eq(r->status, 422);	/* a reason is required */
	tu_response_free(r);
	act_ok("clerk.hacthanh", ref, "{\"action\":\"refuse\",\"reason\":\"Giấy chứng sinh phải là bản chính.\"}");
	r = lookup(ref, "2468");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(tu_str(r->json, "state"), "not_accepted");
	ck_assert_str_eq(tu_str(r->json, "state_label.vi"), "Không được tiếp nhận");
	ck_assert_str_eq(tu_str(r->json, "refusal_reason"), "Giấy chứng sinh phải là bản chính.");
	tu_response_free(r);
	ck_assert_int_eq(stat_sum("received"), received);
	/* A refused dossier can never be rated. */
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/rating-link", ref);
	r = tu_expect(409, "GET", path, tu_login("clerk.hacthanh"), NULL);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "not_ratable");
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_public_submission_checks)
{
	tu_server_start(&roomy);
	static const struct { const char *body; int status; const char *code; } cases[] = {
		{ "{\"procedure_code\":\"1.001193\",\"agency_code\":\"000.00.51.H56\",\"applicant\":{\"name\":\"A\","
		  "\"id_number\":\"038190004321\",\"phone\":\"12345\"}}", 422, "invalid_phone" },
		{ "{\"procedure_code\":\"1.001193\",\"agency_code\":\"000.00.51.H56\",\"applicant\":{\"name\":\"A\","
		  "\"id_number\":\"038190004321\",\"phone\":\"1234567890\"}}", 422, "invalid_phone" },
		{ "{\"procedure_code\":\"1.001193\",\"agency_code\":\"000.00.51.H56\",\"applicant\":{\"name\":\"A\","
		  "\"id_number\":\"03819000432\",\"phone\":\"0987654321\"}}", 422, "invalid_id_number" },
		{ "{\"procedure_code\":\"1.001193\",\"agency_code\":\"000.00.51.H56\",\"applicant\":{\"name\":\"A\","
		  "\"id_number\":\"038190004321\"}}", 422, "missing_field" },
		/* the provincial centre does not receive commune procedures */
		{ "{\"procedure_code\":\"1.001193\",\"agency_code\":\"000.01.01.H56\",\"applicant\":{\"name\":\"A\","
		  "\"id_number\":\"038190004321\",\"phone\":\"0987654321\"}}", 422, "wrong_agency" },
		/* a commune that no longer exists (merged 1/7/2025) */
		{ "{\"procedure_code\":\"1.001193\",\"agency_code\":\"000.17.22.H56\",\"applicant\":{\"name\":\"A\","
		  "\"id_number\":\"038190004321\",\"phone\":\"0987654321\"}}", 422, "wrong_agency" },
		/* no online service for this one */
		{ "{\"procedure_code\":\"1.000419\",\"agency_code\":\"000.00.51.H56\",\"applicant\":{\"name\":\"A\","
		  "\"id_number\":\"038190004321\",\"phone\":\"0987654321\"}}", 422, "not_online" },
		{ "{\"procedure_code\":\"9.999999\",\"agency_code\":\"000.00.51.H56\",\"applicant\":{\"name\":\"A\","
		  "\"id_number\":\"038190004321\",\"phone\":\"0987654321\"}}", 422, "unknown_procedure" },
		{ "{\"procedure_code\":\"1.001193\",\"agency_code\":\"000.00.51.H56\",\"state\":9,\"applicant\":{\"name\":\"A\","
		  "\"id_number\":\"038190004321\",\"phone\":\"0987654321\"}}", 422, "unknown_field" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tu_response *r = tu_request("POST", "/api/v1/public/submissions", NULL, cases[i].body, NULL, NULL);
		ck_assert_msg(r->status == cases[i].status, "case %zu: %d %s", i, r->status, r->body);
		ck_assert_msg(!strcmp(tu_str(r->json, "error.code"), cases[i].code), "case %zu: %s", i, r->body);
		tu_response_free(r);
	}
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM submission"), 0);
	/* Submitting with no file is refused; a province procedure goes to
	 * the provincial centre. */
	struct draft d;
	make_draft(&d, "1.001193", "000.00.51.H56", "0987654321", "038190004321");
	struct tu_response *r = submit(&d);
	ck_assert_int_eq(r->status, 422);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "no_attachments");
	tu_response_free(r);
	make_draft(&d, "1.013831", "000.01.01.H56", "0987654321", "038190004321");
	ck_assert(str_starts(d.ref, "OL-"));
	/* An expired draft is gone, with its files, once a new one is made. */
	make_draft(&d, "1.001193", "000.00.51.H56", "0987654321", "038190004321");
	r = put_file(&d, d.token, 1, "a.pdf", "application/pdf", pdf2, strlen(pdf2));
	ck_assert_int_eq(r->status, 201);
	char sha[UPLOAD_SHA_HEX];
	snprintf(sha, sizeof(sha), "%s", tu_str(r->json, "sha256"));
	tu_response_free(r);
	ck_assert(file_exists(sha));
	tu_set_now(util_now() + 2 * 24 * 3600);
	r = put_file(&d, d.token, 2, "b.pdf", "application/pdf", pdf, strlen(pdf));
	ck_assert_int_eq(r->status, 410);
	tu_response_free(r);
	struct draft e;
	make_draft(&e, "1.001193", "000.00.51.H56", "0987654321", "038190004321");
	ck_assert(!file_exists(sha));
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM submission"), 1);
	tu_server_stop();
}
END_TEST

/* ---- ratings ------------------------------------------------------------------- */

static struct tu_response *rate(const char *token, int attitude)
{
	char body[300];
	snprintf(body, sizeof(body), "{\"token\":\"%s\",\"time_score\":4,\"trips\":1,\"attitude_score\":%d,"
		 "\"result_score\":5,\"unofficial_payment\":false,\"comment\":\"Tận tình\"}", token, attitude);
	return tu_request("POST", "/api/v1/public/rating", NULL, body, NULL, NULL);
}

static void link_token(const char *code, char token[64])
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/rating-link", code);
	struct tu_response *r = tu_expect(201, "GET", path, tu_login("clerk.hacthanh"), NULL);
	const char *url = tu_str(r->json, "url");
	ck_assert_ptr_nonnull(strstr(url, "/rate?t="));
	snprintf(token, 64, "%s", strstr(url, "t=") + 2);
	tu_response_free(r);
}

START_TEST(test_api_public_rating_once_after_return)
{
	tu_server_start(&roomy);
	char code[40], token[64], token2[64], path[160];
	snprintf(code, sizeof(code), "%s", tu_receive("clerk.hacthanh", "1.001193", "direct"));
	link_token(code, token);
	/* Before the return: the link works, rating does not. */
	snprintf(path, sizeof(path), "/api/v1/public/rating?t=%s", token);
	struct tu_response *r = tu_expect(200, "GET", path, NULL, NULL);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(r->json, "can_rate")));
	ck_assert_str_eq(tu_str(r->json, "why_not"), "not_returned");
	ck_assert_str_eq(tu_str(r->json, "code"), code);
	ck_assert(!strstr(r->body, "Nguyễn Văn An") && !strstr(r->body, "0912345678"));
	tu_response_free(r);
	r = rate(token, 2);
	ck_assert_int_eq(r->status, 409);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "not_returned");
	tu_response_free(r);
	act_ok("clerk.hacthanh", code, "{\"action\":\"transfer\"}");
	act_ok("officer.hacthanh", code, "{\"action\":\"resolve\",\"result\":\"Đã cấp\"}");
	r = rate(token, 2);
	ck_assert_int_eq(r->status, 409);	/* resolved is not returned yet */
	tu_response_free(r);
	act_ok("clerk.hacthanh", code, "{\"action\":\"return\",\"method\":\"counter\"}");
	/* Bad answers are refused before anything is recorded. */
	r = tu_request("POST", "/api/v1/public/rating", NULL, "{\"token\":\"x\",\"time_score\":6}", NULL, NULL);
	ck_assert_int_eq(r->status, 422);
	tu_response_free(r);
	r = rate("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 5);
	ck_assert_int_eq(r->status, 404);
	tu_response_free(r);
	r = rate(token, 2);
	ck_assert_int_eq(r->status, 201);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->json, "dislike")));
	tu_response_free(r);
	/* Once per dossier, whichever link. */
	r = rate(token, 5);
	ck_assert_int_eq(r->status, 409);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "already_rated");
	tu_response_free(r);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/rating-link", code);
	r = tu_expect(409, "GET", path, tu_login("clerk.hacthanh"), NULL);
	tu_response_free(r);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM rating"), 1);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event WHERE action = 'rate' AND actor = 'citizen'"), 1);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event WHERE data LIKE '%Tận tình%'"), 0);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/rating", code);
	r = tu_expect(200, "GET", path, tu_login("manager"), NULL);
	ck_assert_int_eq((int)tu_num(r->json, "attitude_score"), 2);
	ck_assert_str_eq(tu_str(r->json, "comment"), "Tận tình");
	tu_response_free(r);
	/* Per agency for the reports. */
	r = tu_expect(200, "GET", "/api/v1/citizen/summary?agency=000.00.51.H56", tu_login("manager"), NULL);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.ratings.count"), 1);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.ratings.dislikes"), 1);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.complained_dossiers"), 1);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.ratings.avg_attitude"), 2);
	tu_response_free(r);
	/* A second dossier, a second link minted earlier: only tokens of
	 * that dossier work for it. */
	snprintf(code, sizeof(code), "%s", tu_receive("clerk.hacthanh", "1.001193", "direct"));
	link_token(code, token2);
	ck_assert_str_ne(token, token2);
	r = rate(token2, 5);
	ck_assert_int_eq(r->status, 409);
	tu_response_free(r);
	/* The commune's clerk is out of scope for a summary of another agency. */
	r = tu_expect(404, "GET", "/api/v1/citizen/summary?agency=000.01.01.H56", tu_login("clerk.hacthanh"), NULL);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

/* ---- statistics and catalogue ---------------------------------------------------- */

START_TEST(test_api_public_stats_from_the_aggregates)
{
	struct tu_options opt = { 300, 0, 1000 };
	tu_server_start(&opt);
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/public/stats", NULL, NULL);
	int year = (int)tu_num(r->json, "year"), quarter = (int)tu_num(r->json, "quarter");
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT coalesce(sum(received), 0) FROM stat WHERE kind = 1 AND grain = 2 AND bucket = %d", year);
	int64_t received = tu_db_int(sql);
	ck_assert_int_gt(received, 0);
	ck_assert_int_eq((int64_t)tu_num(r->json, "total.year.received"), received);
	snprintf(sql, sizeof(sql), "SELECT coalesce(sum(received), 0) FROM stat WHERE kind = 1 AND grain = 1"
		 " AND bucket BETWEEN %d AND %d", year * 100 + quarter * 3 - 2, year * 100 + quarter * 3);
	ck_assert_int_eq((int64_t)tu_num(r->json, "total.quarter.received"), tu_db_int(sql));
	/* Each agency: rate = on time / resolved to 2 decimals, null if none. */
	const cJSON *a;
	int checked = 0;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(r->json, "agencies")) {
		for (int k = 0; k < 2; k++) {
			const cJSON *f = cJSON_GetObjectItemCaseSensitive(a, k ? "quarter" : "year");
			double resolved = cJSON_GetObjectItemCaseSensitive(f, "resolved")->valuedouble;
			double on_time = cJSON_GetObjectItemCaseSensitive(f, "on_time")->valuedouble;
			const cJSON *rate_ = cJSON_GetObjectItemCaseSensitive(f, "on_time_rate");
			if (resolved == 0) {
				ck_assert(cJSON_IsNull(rate_));
			} else {
				double want = (double)(long long)(100.0 * on_time / resolved * 100.0 + 0.5) / 100.0;
				ck_assert_msg(rate_->valuedouble == want, "%s: %g vs %g",
					      cJSON_GetObjectItemCaseSensitive(a, "code")->valuestring, rate_->valuedouble, want);
				checked++;
			}
		}
	}
	ck_assert_int_gt(checked, 0);
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/public/stats?year=2020", NULL, NULL);
	ck_assert_int_eq((int)tu_num(r->json, "quarter"), 4);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r->json, "total"), "year"),
		"on_time_rate")));
	tu_response_free(r);
	r = tu_expect(400, "GET", "/api/v1/public/stats?year=1999", NULL, NULL);
	tu_response_free(r);
	r = tu_expect(400, "GET", "/api/v1/public/stats?quarter=5", NULL, NULL);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_public_catalogue)
{
	tu_server_start(&roomy);
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/public/procedures?q=1.001193", NULL, NULL);
	const cJSON *p = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r->json, "items"), 0);
	static const char *const allowed[] = {
		"code", "name", "field", "level", "limit", "online_limit", "fee_vnd", "online_level", "online",
		"documents", NULL
	};
	const cJSON *k;
	cJSON_ArrayForEach(k, p) {
		int ok = 0;
		for (int i = 0; allowed[i]; i++)
			ok |= strcmp(k->string, allowed[i]) == 0;
		ck_assert_msg(ok, "unexpected key %s", k->string);
	}
	ck_assert_str_eq(tu_str(p, "code"), "1.001193");
	ck_assert_ptr_nonnull(tu_str(p, "documents.0.name"));
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/public/procedures?online=1&limit=50", NULL, NULL);
	cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(r->json, "items"))
		ck_assert_str_ne(tu_str(k, "online_level"), "none");
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/public/procedures/1.001193", NULL, NULL);
	ck_assert_str_eq(tu_str(r->json, "level"), "commune");
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/public/agencies?level=commune", NULL, NULL);
	ck_assert_ptr_nonnull(strstr(r->body, "000.00.51.H56"));
	ck_assert_ptr_null(strstr(r->body, "000.17.22.H56"));	/* merged away */
	ck_assert_ptr_null(strstr(r->body, "000.01.01.H56"));
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/public/agencies?level=province", NULL, NULL);
	ck_assert_str_eq(tu_str(r->json, "items.0.code"), "000.01.01.H56");
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/public/agencies", NULL, NULL);
	ck_assert_int_gt(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r->json, "items")), 20);
	tu_response_free(r);
	r = tu_expect(400, "GET", "/api/v1/public/agencies?level=district", NULL, NULL);
	tu_response_free(r);
	/* Staff endpoints stay closed to the public. */
	r = tu_expect(401, "GET", "/api/v1/feedback", NULL, NULL);
	tu_response_free(r);
	r = tu_expect(401, "GET", "/api/v1/citizen/summary", NULL, NULL);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

Suite *api_public_suite(void)
{
	Suite *s = suite_create("api_public");
	TCase *lk = tcase_create("lookup");
	tcase_set_timeout(lk, 60);
	tcase_add_test(lk, test_api_public_lookup_same_answer_for_unknown_and_wrong);
	tcase_add_test(lk, test_api_public_lookup_has_no_personal_data);
	tcase_add_test(lk, test_api_public_lookup_rate_limited);
	suite_add_tcase(s, lk);
	TCase *up = tcase_create("uploads");
	tcase_set_timeout(up, 60);
	tcase_add_test(up, test_api_public_upload_judged_by_content);
	tcase_add_test(up, test_api_public_upload_too_big_is_refused_before_the_body);
	tcase_add_test(up, test_api_public_upload_stores_the_digest);
	suite_add_tcase(s, up);
	TCase *sb = tcase_create("submission");
	tcase_set_timeout(sb, 60);
	tcase_add_test(sb, test_api_public_submit_and_accept);
	tcase_add_test(sb, test_api_public_refused_submission_shows_reason);
	tcase_add_test(sb, test_api_public_submission_checks);
	suite_add_tcase(s, sb);
	TCase *rt = tcase_create("rating");
	tcase_set_timeout(rt, 60);
	tcase_add_test(rt, test_api_public_rating_once_after_return);
	suite_add_tcase(s, rt);
	TCase *st = tcase_create("public data");
	tcase_set_timeout(st, 120);
	tcase_add_test(st, test_api_public_stats_from_the_aggregates);
	tcase_add_test(st, test_api_public_catalogue);
	suite_add_tcase(s, st);
	return s;
}
