/*
 * motcua tests — the printable forms through the real HTTP server.
 *
 * The issue's two-agency story (procedure 1.013831: NN&MT → Thuế → NN&MT,
 * the timeline and due times of check_api_lifecycle.c) is played again and
 * each form is printed when it first applies: its content is checked
 * against the dossier, its number stays the same on reprint, and the
 * history gains exactly one "form_issued" row per form. Then the edges:
 * forms that do not apply (409), other agencies' dossiers (404), previews
 * for read-only roles, first issues from another site (403), numbering
 * per agency and year, and the register of a period.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tests.h"

#define CENTRE "000.01.01.H56"
#define NNMT "000.00.21.H56"
#define PROC_LAND "1.013831"

#define HAS(page, text) ck_assert_msg(strstr((page), (text)) != NULL, "missing: %s", (text))
#define LACKS(page, text) ck_assert_msg(strstr((page), (text)) == NULL, "unexpected: %s", (text))

static void act_done(const char *user, const char *code, const char *body)
{
	struct tu_response *r = tu_action(user, code, body);
	ck_assert_msg(r->status == 200, "%s: %s → %d %s", user, body, r->status, r->body);
	tu_response_free(r);
}

/* GET a form page as user and expect status; returns the response. */
static struct tu_response *form(int status, const char *user, const char *code, const char *f)
{
	char path[128];
	snprintf(path, sizeof(path), "/forms/%s/%s", code, f);
	struct tu_response *r = tu_request("GET", path, user ? tu_login(user) : NULL, NULL, NULL, NULL);
	ck_assert_msg(r->status == status, "GET %s as %s: %d, want %d: %.300s", path, user ? user : "-",
		      r->status, status, r->body ? r->body : "");
	if (status == 200) {
		const char *ct = tu_header(r, "Content-Type");
		ck_assert_msg(ct && strcmp(ct, "text/html; charset=utf-8") == 0, "content type %s", ct ? ct : "-");
	}
	return r;
}

static void not_applicable(const char *user, const char *code, const char *f)
{
	struct tu_response *r = form(409, user, code, f);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "form_not_applicable");
	ck_assert_ptr_nonnull(tu_str(r->json, "error.message"));
	tu_response_free(r);
}

static int count(const char *page, const char *text)
{
	int n = 0;
	for (const char *p = page; (p = strstr(p, text)); p += strlen(text))
		n++;
	return n;
}

/* The form_issued rows of a dossier's history, as "01:1:2026 …". */
static void issued_events(const char *code, char *out, size_t n)
{
	char path[112];
	size_t len = 0;
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/events", code);
	struct tu_response *r = tu_expect(200, "GET", path, tu_login("manager"), NULL);
	const cJSON *e;
	out[0] = '\0';
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(r->json, "items")) {
		if (strcmp(tu_str(e, "action"), "form_issued") != 0)
			continue;
		len += (size_t)snprintf(out + len, n - len, "%s%s:%d:%d", len ? " " : "", tu_str(e, "data.form"),
					(int)tu_num(e, "data.number"), (int)tu_num(e, "data.year"));
	}
	tu_response_free(r);
}

static int64_t issues_of(const char *code)
{
	char sql[200];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM form_issue f JOIN dossier d ON d.id = f.dossier_id WHERE d.code = '%s'", code);
	return tu_db_int(sql);
}

/* ---- the story ------------------------------------------------------------- */

START_TEST(test_api_forms_two_agency_story)
{
	char code[40], ev[256], want[512];
	struct tu_response *r;
	tu_server_start(NULL);
	/* Received Mon 2/3 09:00: 18 working days → Thu 26/3 09:00. */
	tu_set_now_local(2026, 3, 2, 9, 0);
	snprintf(code, sizeof(code), "%s", tu_receive("clerk", PROC_LAND, "direct"));

	r = form(200, "clerk", code, "01");
	snprintf(want, sizeof(want), "Mã hồ sơ: <strong class=\"dossier-code\">%s</strong>", code);
	HAS(r->body, want);
	HAS(r->body, "Số: <span class=\"form-number\">01</span>/TNHS");
	HAS(r->body, "ngày 02 tháng 03 năm 2026");
	HAS(r->body, "<strong class=\"applicant\">Nguyễn Văn An</strong>");
	HAS(r->body, "038090001234");
	HAS(r->body, "<td>Tờ khai</td><td class=\"k\">1</td>");
	HAS(r->body, "18 ngày làm việc");
	HAS(r->body, "<time datetime=\"2026-03-02T09:00:00+07:00\">09:00, ngày 02/03/2026</time>");
	HAS(r->body, "<strong class=\"appointment\"><time datetime=\"2026-03-26T09:00:00+07:00\">"
		     "09:00, ngày 26/03/2026</time></strong>");
	HAS(r->body, "<p class=\"agency\">Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa</p>");
	HAS(r->body, "<p class=\"name\">Nguyễn Thị Lan</p>");	/* the receiving clerk */
	/* The QR code carries the public lookup address of this dossier. */
	snprintf(want, sizeof(want), "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
	HAS(r->body, want);
	snprintf(want, sizeof(want), "aria-label=\"http://127.0.0.1:8080/lookup?code=%s\"", code);
	HAS(r->body, want);
	HAS(r->body, "Số thứ tự: <span class=\"v register-no\">1</span>");
	tu_response_free(r);
	issued_events(code, ev, sizeof(ev));
	ck_assert_str_eq(ev, "01:1:2026");
	not_applicable("clerk", code, "02");
	not_applicable("clerk", code, "03");
	not_applicable("clerk", code, "04");

	/* Transferred at 10:00; a reprint an hour later is the same form. */
	tu_set_now_local(2026, 3, 2, 10, 0);
	act_done("clerk", code, "{\"action\":\"transfer\"}");
	r = form(200, "officer", code, "01");
	HAS(r->body, "Số: <span class=\"form-number\">01</span>/TNHS");
	HAS(r->body, "ngày 02 tháng 03 năm 2026");
	tu_response_free(r);
	issued_events(code, ev, sizeof(ev));
	ck_assert_str_eq(ev, "01:1:2026");

	/* Wed 4/3 14:00 NN&MT asks for a supplement: Form 02 applies. */
	tu_set_now_local(2026, 3, 4, 14, 0);
	act_done("officer", code,
		 "{\"action\":\"request_supplement\",\"reason\":\"Thiếu hợp đồng chuyển nhượng\","
		 "\"items\":[{\"name\":\"Hợp đồng chuyển nhượng\",\"kind\":\"certified_copy\"},"
		 "{\"name\":\"Tờ khai lệ phí trước bạ\",\"kind\":\"original\"}]}");
	r = form(200, "clerk", code, "02");
	HAS(r->body, "<h1 class=\"title\">Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ</h1>");
	HAS(r->body, "Số: <span class=\"form-number\">01</span>/HDHS");
	HAS(r->body, "ngày 04 tháng 03 năm 2026");
	HAS(r->body, "<td class=\"item\">Hợp đồng chuyển nhượng</td><td class=\"kind\">Bản sao có chứng thực</td>");
	HAS(r->body, "<td class=\"item\">Tờ khai lệ phí trước bạ</td><td class=\"kind\">Bản chính</td>");
	HAS(r->body, "Lý do: <span class=\"reason\">Thiếu hợp đồng chuyển nhượng</span>");
	HAS(r->body, "tính lại từ đầu");		/* restart mode, the default */
	HAS(r->body, "<p class=\"name\">Lê Minh Tuấn</p>");	/* the officer who asked */
	tu_response_free(r);

	/* The citizen brings it Thu 9/4 09:00 (due → Fri 8/5 09:00); NN&MT
	 * passes it to Thuế Tue 14/4, Thuế back Wed 22/4 (late). */
	tu_set_now_local(2026, 4, 9, 9, 0);
	act_done("clerk", code, "{\"action\":\"supplement_received\"}");
	tu_set_now_local(2026, 4, 14, 10, 0);
	act_done("officer", code, "{\"action\":\"transfer\"}");
	tu_set_now_local(2026, 4, 22, 9, 0);
	act_done("officer.thue", code, "{\"action\":\"transfer\"}");
	not_applicable("manager.nnmt", code, "04");

	/* Tue 5/5 10:00 NN&MT's head apologises: new appointment 13/5 16:00. */
	tu_set_now_local(2026, 5, 5, 10, 0);
	act_done("manager.nnmt", code,
		 "{\"action\":\"extend\",\"reason\":\"Chờ kết quả đo đạc lại thửa đất\","
		 "\"new_appointment\":\"2026-05-13T16:00:00+07:00\"}");
	r = form(200, "manager.nnmt", code, "04");
	HAS(r->body, "<h1 class=\"title\">Phiếu xin lỗi và hẹn lại ngày trả kết quả</h1>");
	/* Issued by the agency that apologises, numbered in its own series. */
	HAS(r->body, "<p class=\"agency\">Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa</p>");
	HAS(r->body, "Số: <span class=\"form-number\">01</span>/PXL");
	HAS(r->body, "ngày 05 tháng 05 năm 2026");
	HAS(r->body, "Kính gửi: Ông/Bà <strong class=\"applicant\">Nguyễn Văn An</strong>");
	HAS(r->body, "Ngày 02/03/2026, <span class=\"v\">Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa</span>");
	HAS(r->body, "<span class=\"old-appointment\"><time datetime=\"2026-05-08T09:00:00+07:00\">");
	HAS(r->body, "Lý do: <span class=\"reason\">Chờ kết quả đo đạc lại thửa đất</span>");
	HAS(r->body, "<strong class=\"new-appointment\"><time datetime=\"2026-05-13T16:00:00+07:00\">"
		     "16:00, ngày 13/05/2026</time>");
	HAS(r->body, "<p class=\"name\">Trịnh Xuân Sơn</p>");
	tu_response_free(r);

	/* Resolved Mon 11/5 10:00 (late), returned Tue 12/5 09:00. */
	tu_set_now_local(2026, 5, 11, 10, 0);
	act_done("officer", code, "{\"action\":\"resolve\",\"result\":\"Đã cập nhật biến động, cấp GCN\"}");
	tu_set_now_local(2026, 5, 12, 9, 0);
	act_done("clerk", code, "{\"action\":\"return\",\"method\":\"counter\"}");

	/* The control sheet says exactly that, one line per handover. */
	r = form(200, "clerk", code, "05");
	const char *p = r->body;
	HAS(p, "<h1 class=\"title\">Phiếu kiểm soát quá trình giải quyết hồ sơ</h1>");
	HAS(p, "Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: <span class=\"v\">01/TNHS</span>");
	HAS(p, "Cơ quan phối hợp giải quyết: Thuế tỉnh Thanh Hóa</p>");
	const char *lines[] = {
		"Giao:</span> Nguyễn Văn An<br><span class=\"k\">Nhận:</span> Trung tâm Phục vụ hành chính công tỉnh"
		" Thanh Hóa</td><td class=\"when\">02/03/2026 09:00",
		"Nhận:</span> Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa</td><td class=\"when\">02/03/2026 10:00",
		"Nhận:</span> Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa</td><td class=\"when\">04/03/2026 14:00",
		"Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02): Thiếu hợp đồng chuyển nhượng",
		"Nhận:</span> Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa</td><td class=\"when\">09/04/2026 09:00",
		"thời hạn giải quyết tính lại từ đầu",
		"Nhận:</span> Thuế tỉnh Thanh Hóa</td><td class=\"when\">14/04/2026 10:00",
		"<td class=\"result\">Trước hạn</td>",
		"Giao:</span> Thuế tỉnh Thanh Hóa<br><span class=\"k\">Nhận:</span> Sở Nông nghiệp và Môi trường tỉnh"
		" Thanh Hóa</td><td class=\"when\">22/04/2026 09:00",
		"<td class=\"result\">Quá hạn</td>",
		"<td class=\"when\">05/05/2026 10:00",
		"Xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04): 13/05/2026 16:00",
		"Nhận:</span> Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa</td><td class=\"when\">11/05/2026 10:00",
		"<td class=\"result\">Quá hạn</td>",
		"Có kết quả giải quyết: Đã cập nhật biến động, cấp GCN",
		"Nhận:</span> Nguyễn Văn An</td><td class=\"when\">12/05/2026 09:00",
		"Trả kết quả: Trực tiếp tại Bộ phận Một cửa",
	};
	const char *at = strstr(p, "<tbody>");
	ck_assert_ptr_nonnull(at);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		const char *hit = strstr(at, lines[i]);
		ck_assert_msg(hit != NULL, "control sheet line %zu missing or out of order: %s", i, lines[i]);
		at = hit + strlen(lines[i]);
	}
	/* receive, transfer, supplement out and back, Thuế, back, apology,
	 * result, return: nine lines; the form_issued rows are not lines. */
	ck_assert_int_eq(count(strstr(p, "<tbody>"), "<tr>"), 9);
	HAS(p, "Kết quả giải quyết hồ sơ: <strong class=\"class\">Quá hạn</strong> (giải quyết lúc 11/05/2026 10:00,"
	       " hạn giải quyết 08/05/2026 09:00)");
	tu_response_free(r);
	not_applicable("clerk", code, "03");

	/* Each form issued once, in the order printed; reprints add nothing. */
	tu_response_free(form(200, "clerk", code, "02"));
	tu_response_free(form(200, "manager", code, "04"));
	tu_response_free(form(200, "clerk", code, "05"));
	issued_events(code, ev, sizeof(ev));
	ck_assert_str_eq(ev, "01:1:2026 02:1:2026 04:1:2026 05:1:2026");
	ck_assert_int_eq(issues_of(code), 4);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_forms_refusal_after_appraisal)
{
	char code[40], ev[256];
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	snprintf(code, sizeof(code), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	act_done("clerk", code, "{\"action\":\"transfer\"}");
	tu_set_now_local(2026, 3, 3, 15, 30);
	act_done("officer", code, "{\"action\":\"refuse\",\"reason\":\"Thửa đất đang có tranh chấp\"}");
	struct tu_response *r = form(200, "officer", code, "03");
	HAS(r->body, "<h1 class=\"title\">Phiếu từ chối tiếp nhận giải quyết hồ sơ</h1>");
	HAS(r->body, "<p class=\"agency\">Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa</p>");
	HAS(r->body, "Số: <span class=\"form-number\">01</span>/TCHS");
	HAS(r->body, "<span class=\"reason\">Thửa đất đang có tranh chấp</span>");
	HAS(r->body, "Ngày từ chối: 03/03/2026");
	HAS(r->body, "<strong class=\"applicant\">Nguyễn Văn An</strong>");
	HAS(r->body, "<p class=\"name\">Lê Minh Tuấn</p>");
	tu_response_free(r);
	/* The one-stop hands the same form to the citizen: a reprint. */
	tu_set_now_local(2026, 3, 4, 8, 0);
	r = form(200, "clerk", code, "03");
	HAS(r->body, "Số: <span class=\"form-number\">01</span>/TCHS");
	HAS(r->body, "ngày 03 tháng 03 năm 2026");
	tu_response_free(r);
	not_applicable("clerk", code, "02");
	not_applicable("clerk", code, "04");
	issued_events(code, ev, sizeof(ev));
	ck_assert_str_eq(ev, "03:1:2026");
	tu_server_stop();
}
END_TEST

/* Numbers run per form, issuing agency and year, in the order printed. */
START_TEST(test_api_forms_numbering)
{
	char a[40], b[40], c[40], ev[256];
	tu_server_start(NULL);
	tu_set_now_local(2026, 12, 30, 9, 0);
	snprintf(a, sizeof(a), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	snprintf(b, sizeof(b), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	struct tu_response *r = form(200, "clerk", b, "01");	/* b first */
	HAS(r->body, "Số: <span class=\"form-number\">01</span>/TNHS");
	HAS(r->body, "Số thứ tự: <span class=\"v register-no\">2</span>");	/* b was received second */
	tu_response_free(r);
	r = form(200, "clerk", a, "01");
	HAS(r->body, "Số: <span class=\"form-number\">02</span>/TNHS");
	HAS(r->body, "Số thứ tự: <span class=\"v register-no\">1</span>");
	tu_response_free(r);
	r = form(200, "clerk", a, "05");	/* another form: its own series */
	HAS(r->body, "Số: <span class=\"form-number\">01</span>/KSGQ");
	HAS(r->body, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: <span class=\"v\">02/TNHS</span>");
	tu_response_free(r);
	/* A commune one-stop numbers its own forms from 1. */
	snprintf(c, sizeof(c), "%s", tu_receive("clerk.hacthanh", "1.001193", "direct"));
	r = form(200, "clerk.hacthanh", c, "01");
	HAS(r->body, "Số: <span class=\"form-number\">01</span>/TNHS");
	tu_response_free(r);
	/* A new year starts again at 1. */
	tu_set_now_local(2027, 1, 4, 9, 0);
	snprintf(c, sizeof(c), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	r = form(200, "clerk", c, "01");
	HAS(r->body, "Số: <span class=\"form-number\">01</span>/TNHS");
	HAS(r->body, "Quyển số: <span class=\"v\">01/2027</span>, Số thứ tự: <span class=\"v register-no\">1</span>");
	tu_response_free(r);
	issued_events(c, ev, sizeof(ev));
	ck_assert_str_eq(ev, "01:1:2027");
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM form_issue"), 5);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event WHERE action = 'form_issued'"), 5);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_forms_scope_and_errors)
{
	char code[40], path[128], ev[256];
	struct tu_response *r;
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	snprintf(code, sizeof(code), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	/* Another agency's dossier does not exist for the caller. */
	r = form(404, "clerk.hacthanh", code, "01");
	ck_assert_str_eq(tu_str(r->json, "error.code"), "not_found");
	tu_response_free(r);
	tu_response_free(form(404, "clerk", "000.01.01.H56-260302-9999", "01"));
	r = form(404, "clerk", code, "06");
	ck_assert_str_eq(tu_str(r->json, "error.code"), "unknown_form");
	tu_response_free(r);
	tu_response_free(form(404, "clerk", code, "7"));
	tu_response_free(form(404, "clerk", code, "01x"));
	tu_response_free(form(401, NULL, code, "01"));
	ck_assert_int_eq(issues_of(code), 0);

	/* Auditors and admins only look: an unnumbered preview, nothing written. */
	r = form(200, "auditor", code, "01");
	HAS(r->body, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả");
	HAS(r->body, "<p class=\"number\"></p>");
	LACKS(r->body, "form-number");
	tu_response_free(r);
	tu_response_free(form(200, "admin", code, "05"));
	ck_assert_int_eq(issues_of(code), 0);

	/* A first issue asked from another site is refused, nothing written. */
	snprintf(path, sizeof(path), "/forms/%s/01", code);
	r = tu_request("GET", path, tu_login("clerk"), NULL, NULL, "Sec-Fetch-Site: cross-site\r\n");
	ck_assert_int_eq(r->status, 403);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "cross_origin");
	tu_response_free(r);
	ck_assert_int_eq(issues_of(code), 0);
	/* From our own pages it is issued; afterwards a reprint is a read and
	 * may come from anywhere (a bookmarked link). */
	r = tu_request("GET", path, tu_login("clerk"), NULL, NULL, "Sec-Fetch-Site: same-origin\r\n");
	ck_assert_int_eq(r->status, 200);
	tu_response_free(r);
	r = tu_request("GET", path, tu_login("clerk"), NULL, NULL, "Sec-Fetch-Site: cross-site\r\n");
	ck_assert_int_eq(r->status, 200);
	HAS(r->body, "Số: <span class=\"form-number\">01</span>/TNHS");
	tu_response_free(r);
	/* Now the auditor sees the issued form with its number. */
	r = form(200, "auditor", code, "01");
	HAS(r->body, "Số: <span class=\"form-number\">01</span>/TNHS");
	tu_response_free(r);
	issued_events(code, ev, sizeof(ev));
	ck_assert_str_eq(ev, "01:1:2026");
	ck_assert_int_eq(issues_of(code), 1);
	/* Security headers and no caching of personal data. */
	r = form(200, "clerk", code, "01");
	ck_assert_str_eq(tu_header(r, "Cache-Control"), "no-store");
	ck_assert_ptr_nonnull(strstr(tu_header(r, "Content-Security-Policy"), "script-src 'self'"));
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

/* ---- the register ------------------------------------------------------------ */

static struct tu_response *reg(int status, const char *user, const char *query)
{
	char path[512];
	snprintf(path, sizeof(path), "/forms/register?%s", query);
	struct tu_response *r = tu_request("GET", path, tu_login(user), NULL, NULL, NULL);
	ck_assert_msg(r->status == status, "GET %s as %s: %d, want %d: %.300s", path, user, r->status, status,
		      r->body ? r->body : "");
	return r;
}

/* The "after=" link of a page, with &amp; turned back into &. */
static void next_link(const char *page, char *out, size_t n)
{
	const char *a = strstr(page, "<a class=\"next\" href=\"/forms/register?");
	ck_assert_ptr_nonnull(a);
	a += strlen("<a class=\"next\" href=\"/forms/register?");
	size_t k = 0;
	while (*a && *a != '"' && k + 1 < n) {
		if (strncmp(a, "&amp;", 5) == 0) {
			out[k++] = '&';
			a += 5;
		} else {
			out[k++] = *a++;
		}
	}
	out[k] = '\0';
}

START_TEST(test_api_forms_register_of_a_period)
{
	char c[5][40], q[512], row[160];
	struct tu_response *r;
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 1, 16, 0);	/* Sunday: before the period */
	snprintf(c[0], sizeof(c[0]), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	tu_set_now_local(2026, 3, 2, 9, 0);
	snprintf(c[1], sizeof(c[1]), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	tu_set_now_local(2026, 3, 3, 23, 50);	/* late evening, still 3/3 locally */
	snprintf(c[2], sizeof(c[2]), "%s", tu_receive("clerk", PROC_LAND, "postal"));
	tu_set_now_local(2026, 3, 5, 10, 0);
	snprintf(c[3], sizeof(c[3]), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	tu_set_now_local(2026, 3, 6, 0, 0);	/* the day after the period */
	snprintf(c[4], sizeof(c[4]), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	char other[40];
	tu_set_now_local(2026, 3, 3, 9, 0);
	snprintf(other, sizeof(other), "%s", tu_receive("clerk.hacthanh", "1.001193", "direct"));
	tu_set_now_local(2026, 3, 20, 9, 0);

	/* The clerk's book for 2–5 March: exactly the three received then,
	 * numbered as entries 2–4 of the year (c[0] was entry 1). */
	r = reg(200, "clerk", "from=2026-03-02&to=2026-03-05");
	ck_assert_str_eq(tu_header(r, "Content-Type"), "text/html; charset=utf-8");
	HAS(r->body, "<h1 class=\"title\">Sổ theo dõi hồ sơ</h1>");
	HAS(r->body, "Từ ngày <span class=\"from\">02/03/2026</span> đến ngày <span class=\"to\">05/03/2026</span>");
	HAS(r->body, "<p class=\"agency\">Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa</p>");
	ck_assert_int_eq(count(r->body, "<tr><td class=\"n\">"), 3);
	for (int i = 1; i <= 3; i++) {
		snprintf(row, sizeof(row), "<tr><td class=\"n\">%d</td><td class=\"code\">%s</td>", i + 1, c[i]);
		HAS(r->body, row);
	}
	LACKS(r->body, c[0]);
	LACKS(r->body, c[4]);
	LACKS(r->body, other);
	HAS(r->body, "<td class=\"t\">03/03/2026<br>23:50</td>");
	HAS(r->body, "Nguyễn Văn An");
	HAS(r->body, "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa");	/* lead agency */
	LACKS(r->body, "Trang sau");
	tu_response_free(r);

	/* Two entries a page: the next page continues the numbering. */
	r = reg(200, "clerk", "from=2026-03-02&to=2026-03-05&limit=2");
	ck_assert_int_eq(count(r->body, "<tr><td class=\"n\">"), 2);
	HAS(r->body, "Trang này gồm 2 hồ sơ (số thứ tự từ 2)");
	next_link(r->body, q, sizeof(q));
	tu_response_free(r);
	r = reg(200, "clerk", q);
	ck_assert_int_eq(count(r->body, "<tr><td class=\"n\">"), 1);
	snprintf(row, sizeof(row), "<tr><td class=\"n\">4</td><td class=\"code\">%s</td>", c[3]);
	HAS(r->body, row);
	LACKS(r->body, "Trang sau");
	tu_response_free(r);

	/* The commune's clerk sees the commune's book only. */
	r = reg(200, "clerk.hacthanh", "from=2026-03-02&to=2026-03-05");
	ck_assert_int_eq(count(r->body, "<tr><td class=\"n\">"), 1);
	HAS(r->body, other);
	tu_response_free(r);
	r = reg(403, "clerk.hacthanh", "from=2026-03-02&to=2026-03-05&agency=" CENTRE);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "out_of_scope");
	tu_response_free(r);
	/* The province's manager may print a book below the province. */
	r = reg(200, "manager", "from=2026-03-02&to=2026-03-05&agency=" CENTRE);
	ck_assert_int_eq(count(r->body, "<tr><td class=\"n\">"), 3);
	tu_response_free(r);
	/* An auditor gets every agency's entries, book by book. */
	r = reg(200, "auditor", "from=2026-03-02&to=2026-03-05");
	ck_assert_int_eq(count(r->body, "<tr><td class=\"n\">"), 4);
	ck_assert_int_eq(count(r->body, "<tr class=\"group\">"), 2);
	HAS(r->body, other);
	tu_response_free(r);
	r = reg(200, "auditor", "from=2026-03-02&to=2026-03-05&limit=3");
	next_link(r->body, q, sizeof(q));
	tu_response_free(r);
	r = reg(200, "auditor", q);
	ck_assert_int_eq(count(r->body, "<tr><td class=\"n\">"), 1);
	tu_response_free(r);

	/* Bad requests. */
	r = reg(400, "clerk", "from=2026-03-02");
	ck_assert_str_eq(tu_str(r->json, "error.code"), "missing_parameter");
	tu_response_free(r);
	tu_response_free(reg(400, "clerk", "from=2026-03-32&to=2026-04-01"));
	tu_response_free(reg(400, "clerk", "from=2026-03-05&to=2026-03-02"));
	tu_response_free(reg(400, "clerk", "from=2025-01-01&to=2026-03-02"));
	tu_response_free(reg(400, "clerk", "from=2026-03-02&to=2026-03-05&limit=0"));
	tu_response_free(reg(400, "clerk", "from=2026-03-02&to=2026-03-05&after=x"));
	r = reg(404, "auditor", "from=2026-03-02&to=2026-03-05&agency=999.99.99.H99");
	ck_assert_str_eq(tu_str(r->json, "error.code"), "unknown_agency");
	tu_response_free(r);
	/* Printing the register writes nothing. */
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event WHERE action = 'form_issued'"), 0);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM form_issue"), 0);
	tu_server_stop();
}
END_TEST

Suite *api_forms_suite(void)
{
	Suite *s = suite_create("api_forms");
	TCase *tc = tcase_create("forms");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_forms_two_agency_story);
	tcase_add_test(tc, test_api_forms_refusal_after_appraisal);
	tcase_add_test(tc, test_api_forms_numbering);
	tcase_add_test(tc, test_api_forms_scope_and_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("register");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_forms_register_of_a_period);
	suite_add_tcase(s, tc);
	return s;
}
