/*
 * motcua tests — feedback (phản ánh, kiến nghị) over real HTTP: codes
 * and the 15-working-day deadline across a holiday, staff scope, the
 * actions and their rules, the public view, linking a dossier with its
 * check digits, and the per-agency figures for the reports.
 *
 * Demo: Hạc Thành (000.00.51.H56, a commune under the province
 * 000.00.00.H56) has clerk.hacthanh, officer.hacthanh and
 * manager.hacthanh; the provincial centre (000.01.01.H56) has `clerk`;
 * `manager` sits at the province, manager.nnmt at a department.
 * Hùng Kings' day 2026 is observed Mon 27/4; 30/4 and 1/5 are holidays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tests.h"

static const struct tu_options roomy = { 0, 0, 1000 };

/* Send feedback; returns the answer (free it). */
static struct tu_response *send_fb(const char *body)
{
	return tu_request("POST", "/api/v1/public/feedback", NULL, body, NULL, NULL);
}

static void new_item(const char *agency, char code[32])
{
	char body[400];
	snprintf(body, sizeof(body), "{\"agency_code\":\"%s\",\"kind\":\"complaint\",\"subject\":\"Thái độ\","
		 "\"content\":\"Cán bộ trả lời cộc lốc.\",\"contact\":{\"name\":\"Hà Văn Tú\","
		 "\"phone\":\"0988111222\"}}", agency);
	struct tu_response *r = send_fb(body);
	ck_assert_msg(r->status == 201, "feedback: %d %s", r->status, r->body);
	snprintf(code, 32, "%s", tu_str(r->json, "code"));
	tu_response_free(r);
}

static struct tu_response *fb_action(const char *user, const char *code, const char *body)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/feedback/%s/actions", code);
	return tu_request("POST", path, tu_login(user), body, NULL, NULL);
}

static int status_of(const char *user, const char *method, const char *code, const char *body)
{
	char path[96];
	struct tu_response *r;
	if (body) {
		r = fb_action(user, code, body);
	} else {
		snprintf(path, sizeof(path), "/api/v1/feedback/%s", code);
		r = tu_request(method, path, tu_login(user), NULL, NULL, NULL);
	}
	int s = r->status;
	tu_response_free(r);
	return s;
}

/* 1 if user's queue lists code. */
static int in_queue(const char *user, const char *code)
{
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/feedback?state=open", tu_login(user), NULL);
	int found = strstr(r->body, code) != NULL;
	tu_response_free(r);
	return found;
}

START_TEST(test_api_feedback_deadline_across_a_holiday)
{
	tu_server_start(&roomy);
	tu_set_now_local(2026, 4, 20, 10, 0);	/* Monday */
	char code[32], code2[32];
	new_item("000.00.51.H56", code);
	ck_assert_str_eq(code, "PAKN-260420-0001");
	new_item("000.01.01.H56", code2);
	ck_assert_str_eq(code2, "PAKN-260420-0002");	/* one sequence per day */
	char path[80];
	snprintf(path, sizeof(path), "/api/v1/public/feedback/%s", code);
	struct tu_response *r = tu_expect(200, "GET", path, NULL, NULL);
	/* 15 working days from Mon 20/4 10:00 skip 25–27/4 and 30/4–3/5:
	 * Thu 14/5 10:00 (without the holidays it would be Mon 11/5). */
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-05-14T10:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "received_at"), "2026-04-20T10:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "state"), "received");
	tu_response_free(r);
	/* Received after hours: the days count from the next working session. */
	tu_set_now_local(2026, 4, 29, 18, 30);	/* Wed evening; Thu/Fri off */
	new_item("000.00.51.H56", code);
	ck_assert_str_eq(code, "PAKN-260429-0001");
	snprintf(path, sizeof(path), "/api/v1/public/feedback/%s", code);
	r = tu_expect(200, "GET", path, NULL, NULL);
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-05-22T17:00:00+07:00");
	tu_response_free(r);
	/* Every receipt is in the history, without the texts or the contact. */
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event WHERE action = 'feedback_receive'"
				   " AND actor = 'citizen' AND dossier_id IS NULL AND dossier_ref LIKE 'PAKN-%'"), 3);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event WHERE data LIKE '%0988111222%'"
				   " OR data LIKE '%cộc lốc%' OR note LIKE '%Hà Văn Tú%'"), 0);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_feedback_staff_scope)
{
	tu_server_start(&roomy);
	char code[32];
	new_item("000.00.51.H56", code);
	/* Who sees it in their queue. */
	ck_assert(in_queue("clerk.hacthanh", code));
	ck_assert(in_queue("officer.hacthanh", code));
	ck_assert(in_queue("manager.hacthanh", code));
	ck_assert(in_queue("manager", code));		/* province: all below */
	ck_assert(in_queue("auditor", code));
	ck_assert(in_queue("admin", code));
	ck_assert(!in_queue("clerk", code));		/* another one-stop */
	ck_assert(!in_queue("officer", code));
	ck_assert(!in_queue("manager.nnmt", code));	/* a department */
	/* Out of scope answers like absent. */
	ck_assert_int_eq(status_of("clerk", "GET", code, NULL), 404);
	ck_assert_int_eq(status_of("manager.nnmt", "GET", code, NULL), 404);
	ck_assert_int_eq(status_of("officer.hacthanh", "GET", code, NULL), 200);
	ck_assert_int_eq(status_of("clerk", NULL, code, "{\"action\":\"answer\",\"answer\":\"x\"}"), 404);
	/* Readers do not act. */
	ck_assert_int_eq(status_of("auditor", NULL, code, "{\"action\":\"answer\",\"answer\":\"x\"}"), 403);
	ck_assert_int_eq(status_of("admin", NULL, code, "{\"action\":\"answer\",\"answer\":\"x\"}"), 403);
	/* The contact is shown to staff in scope only. */
	char path[80];
	snprintf(path, sizeof(path), "/api/v1/feedback/%s", code);
	struct tu_response *r = tu_expect(200, "GET", path, tu_login("manager"), NULL);
	ck_assert_str_eq(tu_str(r->json, "contact.phone"), "0988111222");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(r->json, "anonymous")));
	tu_response_free(r);
	/* A transfer moves it to the other agency's queue. */
	r = fb_action("manager.hacthanh", code, "{\"action\":\"transfer\",\"agency_code\":\"000.01.01.H56\","
		      "\"reason\":\"Thuộc trung tâm\"}");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(tu_str(r->json, "agency.code"), "000.01.01.H56");
	tu_response_free(r);
	ck_assert(in_queue("clerk", code));
	ck_assert(!in_queue("clerk.hacthanh", code));
	ck_assert_int_eq(status_of("manager.hacthanh", "GET", code, NULL), 404);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_feedback_actions)
{
	tu_server_start(&roomy);
	char code[32], pub[32], path[80];
	new_item("000.00.51.H56", code);
	struct tu_response *r = fb_action("clerk.hacthanh", code, "{\"action\":\"assign\",\"assignee\":\"officer.thue\"}");
	ck_assert_int_eq(r->status, 422);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "invalid_assignee");
	tu_response_free(r);
	r = fb_action("clerk.hacthanh", code, "{\"action\":\"assign\",\"assignee\":\"officer.hacthanh\"}");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(tu_str(r->json, "state"), "in_progress");
	ck_assert_str_eq(tu_str(r->json, "assignee"), "officer.hacthanh");
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/feedback?mine=true", tu_login("officer.hacthanh"), NULL);
	ck_assert_str_eq(tu_str(r->json, "items.0.code"), code);
	tu_response_free(r);
	r = fb_action("officer.hacthanh", code, "{\"action\":\"close\"}");
	ck_assert_int_eq(r->status, 422);	/* no answer, no reason */
	tu_response_free(r);
	r = fb_action("officer.hacthanh", code, "{\"action\":\"answer\"}");
	ck_assert_int_eq(r->status, 422);
	tu_response_free(r);
	r = fb_action("officer.hacthanh", code, "{\"action\":\"answer\",\"answer\":\"Đã nhắc nhở cán bộ.\"}");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(tu_str(r->json, "state"), "answered");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->json, "on_time")));
	ck_assert_str_eq(tu_str(r->json, "answered_by"), "officer.hacthanh");
	ck_assert_str_eq(tu_str(r->json, "allowed_actions.0"), "close");
	tu_response_free(r);
	r = fb_action("officer.hacthanh", code, "{\"action\":\"answer\",\"answer\":\"again\"}");
	ck_assert_int_eq(r->status, 409);
	tu_response_free(r);
	/* A private answer: the public view shows the state, not the texts. */
	snprintf(path, sizeof(path), "/api/v1/public/feedback/%s", code);
	r = tu_expect(200, "GET", path, NULL, NULL);
	ck_assert_str_eq(tu_str(r->json, "state"), "answered");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r->json, "answer")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(r->json, "content")));
	ck_assert_ptr_null(strstr(r->body, "0988111222"));
	ck_assert_ptr_null(strstr(r->body, "Hà Văn Tú"));
	tu_response_free(r);
	r = fb_action("manager.hacthanh", code, "{\"action\":\"close\"}");
	ck_assert_int_eq(r->status, 200);
	ck_assert_str_eq(tu_str(r->json, "state"), "closed");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r->json, "allowed_actions")), 0);
	tu_response_free(r);
	r = fb_action("manager.hacthanh", code, "{\"action\":\"assign\",\"assignee\":\"officer.hacthanh\"}");
	ck_assert_int_eq(r->status, 409);
	tu_response_free(r);
	/* A public answer shows question and answer to everyone. */
	new_item("000.00.51.H56", pub);
	r = fb_action("clerk.hacthanh", pub, "{\"action\":\"answer\",\"answer\":\"Đã khắc phục.\",\"public\":true}");
	ck_assert_int_eq(r->status, 200);
	tu_response_free(r);
	snprintf(path, sizeof(path), "/api/v1/public/feedback/%s", pub);
	r = tu_expect(200, "GET", path, NULL, NULL);
	ck_assert_str_eq(tu_str(r->json, "answer"), "Đã khắc phục.");
	ck_assert_str_eq(tu_str(r->json, "content"), "Cán bộ trả lời cộc lốc.");
	ck_assert_ptr_null(strstr(r->body, "0988111222"));
	tu_response_free(r);
	/* Closing an unanswered item needs a reason. */
	new_item("000.00.51.H56", pub);
	r = fb_action("clerk.hacthanh", pub, "{\"action\":\"close\",\"reason\":\"Trùng PAKN khác\"}");
	ck_assert_int_eq(r->status, 200);
	tu_response_free(r);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event WHERE action LIKE 'feedback_%'"), 8);
	r = tu_expect(404, "GET", "/api/v1/public/feedback/PAKN-990101-0001", NULL, NULL);
	tu_response_free(r);
	r = tu_expect(404, "GET", "/api/v1/public/feedback/not-a-code", NULL, NULL);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_feedback_about_a_dossier)
{
	tu_server_start(&roomy);
	char code[40], body[400];
	snprintf(code, sizeof(code), "%s", tu_receive("clerk.hacthanh", "1.001193", "direct"));
	/* Wrong check digits and an unknown code: the same refusal. */
	snprintf(body, sizeof(body), "{\"kind\":\"complaint\",\"subject\":\"Chậm\",\"content\":\"Quá hẹn\","
		 "\"dossier_code\":\"%s\",\"check\":\"0000\"}", code);
	struct tu_response *wrong = send_fb(body);
	snprintf(body, sizeof(body), "{\"kind\":\"complaint\",\"subject\":\"Chậm\",\"content\":\"Quá hẹn\","
		 "\"dossier_code\":\"%.*s9999\",\"check\":\"5678\"}", (int)strlen(code) - 4, code);
	struct tu_response *absent = send_fb(body);
	ck_assert_int_eq(wrong->status, 422);
	ck_assert_str_eq(tu_str(wrong->json, "error.code"), "dossier_not_verified");
	ck_assert_str_eq(wrong->body, absent->body);
	tu_response_free(wrong);
	tu_response_free(absent);
	/* Right digits: linked, and the agency defaults to the receiving one. */
	snprintf(body, sizeof(body), "{\"kind\":\"complaint\",\"subject\":\"Chậm\",\"content\":\"Quá hẹn\","
		 "\"dossier_code\":\"%s\",\"check\":\"5678\"}", code);
	struct tu_response *r = send_fb(body);
	ck_assert_int_eq(r->status, 201);
	ck_assert_str_eq(tu_str(r->json, "agency.code"), "000.00.51.H56");
	char fb[32], path[80];
	snprintf(fb, sizeof(fb), "%s", tu_str(r->json, "code"));
	tu_response_free(r);
	snprintf(path, sizeof(path), "/api/v1/feedback/%s", fb);
	r = tu_expect(200, "GET", path, tu_login("clerk.hacthanh"), NULL);
	ck_assert_str_eq(tu_str(r->json, "dossier"), code);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->json, "anonymous")));
	tu_response_free(r);
	/* The dossier now counts for indicator 5.4. */
	r = tu_expect(200, "GET", "/api/v1/citizen/summary?agency=000.00.51.H56", tu_login("manager.hacthanh"), NULL);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.complained_dossiers"), 1);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_feedback_figures_for_the_reports)
{
	tu_server_start(&roomy);
	char a[32], b[32], c[32];
	tu_set_now_local(2026, 4, 20, 10, 0);
	new_item("000.00.51.H56", a);
	new_item("000.00.51.H56", b);
	new_item("000.00.51.H56", c);
	struct tu_response *r = fb_action("officer.hacthanh", a, "{\"action\":\"answer\",\"answer\":\"Xong\"}");
	ck_assert_int_eq(r->status, 200);
	tu_response_free(r);
	tu_set_now_local(2026, 5, 20, 9, 0);	/* past the due time, 14/5 10:00 */
	r = fb_action("officer.hacthanh", b, "{\"action\":\"answer\",\"answer\":\"Muộn\"}");
	ck_assert_int_eq(r->status, 200);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(r->json, "on_time")));
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/feedback?overdue=true", tu_login("clerk.hacthanh"), NULL);
	ck_assert_str_eq(tu_str(r->json, "items.0.code"), c);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r->json, "items")), 1);
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/citizen/summary?from=2026-04-01&to=2026-05-31&agency=000.00.51.H56",
		      tu_login("manager"), NULL);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.feedback.received"), 3);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.feedback.answered_on_time"), 1);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.feedback.answered_late"), 1);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.feedback.open_overdue"), 1);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.feedback.on_time_rate"), 50);
	tu_response_free(r);
	/* Judged at the end of an earlier period: nothing was overdue yet,
	 * and nothing answered in it but the first. */
	r = tu_expect(200, "GET", "/api/v1/citizen/summary?from=2026-04-01&to=2026-05-10&agency=000.00.51.H56",
		      tu_login("manager"), NULL);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.feedback.open_overdue"), 0);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.feedback.answered_on_time"), 1);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.feedback.answered_late"), 0);
	tu_response_free(r);
	/* After the due time, in the period containing it: b and c were late. */
	r = tu_expect(200, "GET", "/api/v1/citizen/summary?from=2026-04-01&to=2026-05-15&agency=000.00.51.H56",
		      tu_login("manager"), NULL);
	ck_assert_int_eq((int)tu_num(r->json, "items.0.feedback.open_overdue"), 2);
	tu_response_free(r);
	r = tu_expect(400, "GET", "/api/v1/citizen/summary?from=2026-05-01&to=2026-04-01", tu_login("manager"), NULL);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_feedback_checks)
{
	tu_server_start(&roomy);
	static const struct { const char *body; const char *code; } cases[] = {
		{ "{\"agency_code\":\"000.00.51.H56\",\"kind\":\"complaint\",\"content\":\"x\"}", "missing_field" },
		{ "{\"agency_code\":\"000.00.51.H56\",\"kind\":\"praise\",\"subject\":\"s\",\"content\":\"x\"}", "invalid_field" },
		{ "{\"agency_code\":\"000.00.51.H56\",\"kind\":\"complaint\",\"subject\":\"s\",\"content\":\"x\","
		  "\"contact\":{\"phone\":\"12\"}}", "invalid_phone" },
		{ "{\"agency_code\":\"000.00.51.H56\",\"kind\":\"complaint\",\"subject\":\"s\",\"content\":\"x\","
		  "\"contact\":{\"email\":\"a@b\"}}", "invalid_email" },
		{ "{\"agency_code\":\"000.99.99.H56\",\"kind\":\"complaint\",\"subject\":\"s\",\"content\":\"x\"}", "unknown_agency" },
		{ "{\"agency_code\":\"000.17.22.H56\",\"kind\":\"complaint\",\"subject\":\"s\",\"content\":\"x\"}", "unknown_agency" },
		{ "{\"kind\":\"complaint\",\"subject\":\"s\",\"content\":\"x\"}", "missing_field" },
		{ "{\"kind\":\"complaint\",\"subject\":\"s\",\"content\":\"x\",\"dossier_code\":\"X\"}", "missing_field" },
		{ "{\"agency_code\":\"000.00.51.H56\",\"kind\":\"complaint\",\"subject\":\"s\",\"content\":\"x\",\"state\":\"answered\"}",
		  "unknown_field" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tu_response *r = send_fb(cases[i].body);
		ck_assert_msg(r->status == 422 && !strcmp(tu_str(r->json, "error.code"), cases[i].code),
			      "case %zu: %d %s", i, r->status, r->body);
		tu_response_free(r);
	}
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM feedback"), 0);
	tu_server_stop();
}
END_TEST

Suite *api_feedback_suite(void)
{
	Suite *s = suite_create("api_feedback");
	TCase *tc = tcase_create("feedback");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_feedback_deadline_across_a_holiday);
	tcase_add_test(tc, test_api_feedback_staff_scope);
	tcase_add_test(tc, test_api_feedback_actions);
	tcase_add_test(tc, test_api_feedback_about_a_dossier);
	tcase_add_test(tc, test_api_feedback_figures_for_the_reports);
	tcase_add_test(tc, test_api_feedback_checks);
	suite_add_tcase(s, tc);
	return s;
}
