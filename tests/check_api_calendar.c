/*
 * motcua tests — the calendar admin API and the deadline preview: only an
 * admin changes the calendar; a holiday or a make-up Saturday set through
 * the API moves the due time of a new dossier at once, deleting it
 * restores the weekday rule; bad dates and bodies write nothing; every
 * change is in the history; a year without calendar data is warned about.
 */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "tests.h"

/* Preview of 1.013831 (18 working days) received Mon 2/3/2026 09:00:
 * Thu 26/3 09:00 under the shipped calendar. */
#define PREVIEW "/api/v1/deadline?procedure=1.013831&channel=direct&received_at=2026-03-02T09:00:00%2B07:00"

static const char *preview_due(const char *query)
{
	static char due[40];
	struct tu_response *r = tu_expect(200, "GET", query, tu_login("clerk"), NULL);
	snprintf(due, sizeof(due), "%s", tu_str(r->json, "due_at"));
	tu_response_free(r);
	return due;
}

static void put_day(const char *day, const char *body, int status)
{
	char path[80];
	snprintf(path, sizeof(path), "/api/v1/calendar/%s", day);
	tu_response_free(tu_expect(status, "PUT", path, tu_login("admin"), body));
}

static void refused(struct tu_response *r, int status, const char *code, const char *field,
		    const char *what)
{
	ck_assert_msg(r->status == status, "%s: %d, want %d: %s", what, r->status, status, r->body);
	ck_assert_msg(tu_str(r->json, "error.code") && !strcmp(tu_str(r->json, "error.code"), code),
		      "%s: %s, want %s", what, r->body, code);
	if (field)
		ck_assert_msg(tu_str(r->json, "error.field") && !strcmp(tu_str(r->json, "error.field"), field),
			      "%s: field %s, want %s", what, r->body, field);
	tu_response_free(r);
}

START_TEST(test_api_calendar_admin_only)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 1, 9, 0);
	const char *body = "{\"working\":false,\"note\":\"Nghỉ\"}";
	int64_t events = tu_db_int("SELECT count(*) FROM event");
	refused(tu_request("PUT", "/api/v1/calendar/2026-03-10", NULL, body, NULL, NULL), 401,
		"unauthenticated", NULL, "anonymous PUT");
	refused(tu_request("DELETE", "/api/v1/calendar/2026-02-17", NULL, NULL, NULL, NULL), 401,
		"unauthenticated", NULL, "anonymous DELETE");
	static const char *const staff[] = { "clerk", "officer", "manager", "auditor" };
	for (int i = 0; i < 4; i++) {
		refused(tu_request("PUT", "/api/v1/calendar/2026-03-10", tu_login(staff[i]), body, NULL, NULL), 403,
			"forbidden", NULL, staff[i]);
		refused(tu_request("DELETE", "/api/v1/calendar/2026-02-17", tu_login(staff[i]), NULL, NULL, NULL),
			403, "forbidden", NULL, staff[i]);
	}
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM calendar_day WHERE day = '2026-03-10'"), 0);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM calendar_day WHERE day = '2026-02-17'"), 1);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event"), events);
	/* Reading it is for all staff. */
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/calendar?year=2026", tu_login("clerk"), NULL);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "covered")));
	ck_assert_int_eq((int)tu_num(r->json, "year"), 2026);
	ck_assert_str_eq(tu_str(r->json, "office_hours.0"), "07:30-11:30");
	ck_assert_str_eq(tu_str(r->json, "office_hours.1"), "13:00-17:00");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "working_weekdays")), 5);
	tu_response_free(r);
	refused(tu_request("GET", "/api/v1/calendar?year=2026", NULL, NULL, NULL, NULL), 401,
		"unauthenticated", NULL, "anonymous GET");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_calendar_holiday_moves_deadline)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	ck_assert_str_eq(preview_due(PREVIEW), "2026-03-26T09:00:00+07:00");
	/* A dossier received now keeps its due time whatever happens later. */
	const char *code = tu_receive("clerk", "1.013831", "direct");
	char saved[40];
	snprintf(saved, sizeof(saved), "%s", code);
	/* A day off on Tue 10/3 pushes the preview one working day. */
	tu_set_now_local(2026, 3, 2, 9, 30);
	struct tu_response *r = tu_expect(200, "PUT", "/api/v1/calendar/2026-03-10", tu_login("admin"),
					  "{\"working\":false,\"note\":\"Nghỉ đột xuất (bão)\"}");
	ck_assert_str_eq(tu_str(r->json, "date"), "2026-03-10");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "working")));
	ck_assert_str_eq(tu_str(r->json, "note"), "Nghỉ đột xuất (bão)");
	ck_assert_str_eq(tu_str(r->json, "kind"), "holiday");
	ck_assert_str_eq(tu_str(r->json, "source"), "set by admin");
	tu_response_free(r);
	ck_assert_str_eq(preview_due(PREVIEW), "2026-03-27T09:00:00+07:00");
	/* It shows in the year's list. */
	r = tu_expect(200, "GET", "/api/v1/calendar?year=2026", tu_login("clerk"), NULL);
	const cJSON *it;
	int found = 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(r->json, "items"))
		if (!strcmp(tu_str(it, "date"), "2026-03-10")) {
			found = 1;
			ck_assert_str_eq(tu_str(it, "note"), "Nghỉ đột xuất (bão)");
		}
	ck_assert(found);
	tu_response_free(r);
	/* Intake sees it too. */
	r = tu_expect(201, "POST", "/api/v1/dossiers", tu_login("clerk"),
		      "{\"procedure_code\":\"1.013831\",\"channel\":\"direct\",\"applicant\":{\"name\":\"An\","
		      "\"id_number\":\"038090001234\"}}");
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-27T09:30:00+07:00");
	tu_response_free(r);
	/* The earlier dossier's appointment is not recomputed. */
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", saved);
	r = tu_expect(200, "GET", path, tu_login("clerk"), NULL);
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-26T09:00:00+07:00");
	tu_response_free(r);
	/* Changing it to a working day again, then deleting it: back to the
	 * weekday rule. */
	put_day("2026-03-10", "{\"working\":true}", 200);
	ck_assert_str_eq(preview_due(PREVIEW), "2026-03-26T09:00:00+07:00");
	put_day("2026-03-10", "{\"working\":false}", 200);
	ck_assert_str_eq(preview_due(PREVIEW), "2026-03-27T09:00:00+07:00");
	tu_response_free(tu_expect(204, "DELETE", "/api/v1/calendar/2026-03-10", tu_login("admin"), NULL));
	ck_assert_str_eq(preview_due(PREVIEW), "2026-03-26T09:00:00+07:00");
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM calendar_day WHERE day = '2026-03-10'"), 0);
	/* Deleting a shipped holiday (Tết, Tue 17/2) makes it a working day. */
	const char *tet = "/api/v1/deadline?procedure=1.013831&channel=direct"
			  "&received_at=2026-02-13T16:00:00%2B07:00";
	ck_assert_str_eq(preview_due(tet), "2026-03-18T16:00:00+07:00");
	tu_response_free(tu_expect(204, "DELETE", "/api/v1/calendar/2026-02-17", tu_login("admin"), NULL));
	ck_assert_str_eq(preview_due(tet), "2026-03-17T16:00:00+07:00");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_calendar_makeup_saturday)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 1, 9, 0);
	/* Sat 7/3 made a working day: the same 18 days end a day sooner. */
	struct tu_response *r = tu_expect(200, "PUT", "/api/v1/calendar/2026-03-07", tu_login("admin"),
					  "{\"working\":true,\"note\":\"Làm bù\"}");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "working")));
	ck_assert_str_eq(tu_str(r->json, "kind"), "makeup_workday");
	tu_response_free(r);
	ck_assert_str_eq(preview_due(PREVIEW), "2026-03-25T09:00:00+07:00");
	/* Received on that Saturday, in office hours, the clock runs at once. */
	r = tu_expect(200, "GET", "/api/v1/deadline?procedure=1.013831&received_at=2026-03-07T10:00:00%2B07:00",
		      tu_login("clerk"), NULL);
	ck_assert_str_eq(tu_str(r->json, "clock_starts_at"), "2026-03-07T10:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "channel"), "direct");	/* the default */
	tu_response_free(r);
	/* An explicit kind is kept. */
	put_day("2026-03-14", "{\"working\":true,\"note\":\"Hoán đổi\",\"kind\":\"bridge_swap\"}", 200);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM calendar_day WHERE day = '2026-03-14'"
				   " AND kind = 'bridge_swap' AND working = 1"), 1);
	ck_assert_str_eq(preview_due(PREVIEW), "2026-03-24T09:00:00+07:00");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_calendar_bad_requests_write_nothing)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 1, 9, 0);
	const char *admin = tu_login("admin");
	int64_t days = tu_db_int("SELECT count(*) FROM calendar_day");
	int64_t events = tu_db_int("SELECT count(*) FROM event");
	static const struct { const char *method, *path, *body, *ctype; int status; const char *code, *field; } cases[] = {
		{ "PUT", "/api/v1/calendar/2026-02-30", "{\"working\":false}", NULL, 400, "invalid_parameter", "date" },
		{ "PUT", "/api/v1/calendar/2026-13-01", "{\"working\":false}", NULL, 400, "invalid_parameter", "date" },
		{ "PUT", "/api/v1/calendar/2026-3-10", "{\"working\":false}", NULL, 400, "invalid_parameter", "date" },
		{ "PUT", "/api/v1/calendar/20260310", "{\"working\":false}", NULL, 400, "invalid_parameter", "date" },
		{ "PUT", "/api/v1/calendar/tomorrow", "{\"working\":false}", NULL, 400, "invalid_parameter", "date" },
		{ "PUT", "/api/v1/calendar/2026-03-10", "{}", NULL, 422, "missing_field", "working" },
		{ "PUT", "/api/v1/calendar/2026-03-10", "{\"working\":\"no\"}", NULL, 422, "invalid_field", "working" },
		{ "PUT", "/api/v1/calendar/2026-03-10", "{\"working\":0}", NULL, 422, "invalid_field", "working" },
		{ "PUT", "/api/v1/calendar/2026-03-10", "{\"working\":false,\"holiday\":true}", NULL, 422,
		  "unknown_field", "holiday" },
		{ "PUT", "/api/v1/calendar/2026-03-10", "{\"working\":false,\"kind\":\"festival\"}", NULL, 422,
		  "invalid_field", "kind" },
		{ "PUT", "/api/v1/calendar/2026-03-10", "{\"working\":false,\"note\":\"a\\nb\"}", NULL, 422,
		  "invalid_field", "note" },
		{ "PUT", "/api/v1/calendar/2026-03-10", "{\"working\":false", NULL, 400, "invalid_json", NULL },
		{ "PUT", "/api/v1/calendar/2026-03-10", "[]", NULL, 400, "invalid_json", NULL },
		{ "PUT", "/api/v1/calendar/2026-03-10", "working=false", "application/x-www-form-urlencoded", 415,
		  "unsupported_media_type", NULL },
		{ "DELETE", "/api/v1/calendar/2026-03-10", NULL, NULL, 404, "not_found", NULL },
		{ "DELETE", "/api/v1/calendar/2026-02-31", NULL, NULL, 400, "invalid_parameter", "date" },
		{ "POST", "/api/v1/calendar/2026-03-10", "{\"working\":false}", NULL, 405, "method_not_allowed", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char what[160];
		snprintf(what, sizeof(what), "%s %s %s", cases[i].method, cases[i].path,
			 cases[i].body ? cases[i].body : "");
		refused(tu_request(cases[i].method, cases[i].path, admin, cases[i].body, cases[i].ctype, NULL),
			cases[i].status, cases[i].code, cases[i].field, what);
		ck_assert_msg(tu_db_int("SELECT count(*) FROM calendar_day") == days, "%s wrote a day", what);
		ck_assert_msg(tu_db_int("SELECT count(*) FROM event") == events, "%s wrote history", what);
	}
	/* A 201-character note is too long; 200 is fine. */
	char body[400], note[210];
	memset(note, 'x', 201);
	note[201] = '\0';
	snprintf(body, sizeof(body), "{\"working\":false,\"note\":\"%s\"}", note);
	refused(tu_request("PUT", "/api/v1/calendar/2026-03-10", admin, body, NULL, NULL), 422, "invalid_field",
		"note", "201-character note");
	note[200] = '\0';
	snprintf(body, sizeof(body), "{\"working\":false,\"note\":\"%s\"}", note);
	put_day("2026-03-10", body, 200);
	/* Year parameter of the list. */
	refused(tu_request("GET", "/api/v1/calendar?year=abc", admin, NULL, NULL, NULL), 400, "invalid_parameter",
		"year", "year=abc");
	refused(tu_request("GET", "/api/v1/calendar", admin, NULL, NULL, NULL), 400, "invalid_parameter", "year",
		"no year");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_calendar_changes_in_history)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 1, 9, 0);
	put_day("2026-03-10", "{\"working\":false,\"note\":\"Nghỉ đột xuất\"}", 200);
	tu_set_now_local(2026, 3, 1, 9, 5);
	tu_response_free(tu_expect(204, "DELETE", "/api/v1/calendar/2026-03-10", tu_login("admin"), NULL));
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event WHERE action = 'calendar_set'"
				   " AND note = '2026-03-10' AND actor = 'admin' AND actor_role = 'admin'"
				   " AND dossier_id IS NULL AND data LIKE '%\"working\":false%'"
				   " AND data LIKE '%Nghỉ đột xuất%'"), 1);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event WHERE action = 'calendar_delete'"
				   " AND note = '2026-03-10' AND actor = 'admin'"), 1);
	/* In order, at the instants they were made. */
	ck_assert_int_eq(tu_db_int("SELECT (SELECT seq FROM event WHERE action = 'calendar_delete')"
				   " > (SELECT seq FROM event WHERE action = 'calendar_set')"), 1);
	ck_assert_int_eq(tu_db_int("SELECT at FROM event WHERE action = 'calendar_delete'")
			 - tu_db_int("SELECT at FROM event WHERE action = 'calendar_set'"), 300);
	ck_assert_int_eq(tu_db_int("SELECT at FROM event WHERE action = 'calendar_set'"),
			 tu_instant(2026, 3, 1, 9, 0));
	tu_server_stop();
}
END_TEST

START_TEST(test_api_calendar_missing_year_warning)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	/* The shipped calendar covers 2025–2027: a 2026 preview is quiet. */
	struct tu_response *r = tu_expect(200, "GET", PREVIEW, tu_login("clerk"), NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "warnings")), 0);
	tu_response_free(r);
	/* 18 working days from 20/12/2027 run into 2028, which has no data. */
	const char *late2027 = "/api/v1/deadline?procedure=1.013831&channel=direct"
			       "&received_at=2027-12-20T09:00:00%2B07:00";
	r = tu_expect(200, "GET", late2027, tu_login("clerk"), NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "warnings")), 1);
	ck_assert_str_eq(tu_str(r->json, "warnings.0.code"), "calendar_missing_year");
	ck_assert_int_eq((int)tu_num(r->json, "warnings.0.year"), 2028);
	ck_assert_ptr_nonnull(strstr(tu_str(r->json, "warnings.0.message"), "2028"));
	ck_assert_ptr_nonnull(tu_str(r->json, "due_at"));	/* still answered */
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/calendar?year=2028", tu_login("clerk"), NULL);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "covered")));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 0);
	tu_response_free(r);
	/* The intake's answer carries the same warning. */
	tu_set_now_local(2027, 12, 20, 9, 0);
	r = tu_expect(201, "POST", "/api/v1/dossiers", tu_login("clerk"),
		      "{\"procedure_code\":\"1.013831\",\"channel\":\"direct\",\"applicant\":{\"name\":\"An\","
		      "\"id_number\":\"038090001234\"}}");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "warnings")), 1);
	ck_assert_str_eq(tu_str(r->json, "warnings.0.code"), "calendar_missing_year");
	ck_assert_int_eq((int)tu_num(r->json, "warnings.0.year"), 2028);
	tu_response_free(r);
	/* Received in the uncovered year itself. */
	r = tu_expect(200, "GET", "/api/v1/deadline?procedure=1.001193&received_at=2028-03-01T09:00:00%2B07:00",
		      tu_login("clerk"), NULL);
	ck_assert_int_eq((int)tu_num(r->json, "warnings.0.year"), 2028);
	tu_response_free(r);
	/* Once the admin enters a 2028 holiday, the year counts as covered. */
	put_day("2028-01-01", "{\"working\":false,\"note\":\"Tết Dương lịch\"}", 200);
	r = tu_expect(200, "GET", late2027, tu_login("clerk"), NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "warnings")), 0);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_calendar_preview_errors)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	const char *clerk = tu_login("clerk");
	refused(tu_request("GET", "/api/v1/deadline", clerk, NULL, NULL, NULL), 400, "missing_parameter",
		"procedure", "no procedure");
	refused(tu_request("GET", "/api/v1/deadline?procedure=9.999999", clerk, NULL, NULL, NULL), 404,
		"unknown_procedure", "procedure", "unknown procedure");
	refused(tu_request("GET", "/api/v1/deadline?procedure=1.013831&channel=fax", clerk, NULL, NULL, NULL), 400,
		"invalid_parameter", "channel", "bad channel");
	refused(tu_request("GET", "/api/v1/deadline?procedure=1.013831&received_at=2026-03-32T09:00:00%2B07:00",
			   clerk, NULL, NULL, NULL), 400, "invalid_parameter", "received_at", "bad instant");
	refused(tu_request("GET", "/api/v1/deadline?procedure=1.013831", NULL, NULL, NULL, NULL), 401,
		"unauthenticated", NULL, "anonymous preview");
	/* Without received_at: now. */
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/deadline?procedure=1.013831", clerk, NULL);
	ck_assert_str_eq(tu_str(r->json, "received_at"), "2026-03-02T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-26T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "limit.unit"), "working_days");
	ck_assert_int_eq((int)tu_num(r->json, "limit.value"), 18);
	tu_response_free(r);
	/* An instant in another offset is the same instant. */
	r = tu_expect(200, "GET", "/api/v1/deadline?procedure=1.013831&received_at=2026-03-02T02:00:00Z", clerk,
		      NULL);
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-26T09:00:00+07:00");
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

Suite *api_calendar_suite(void)
{
	Suite *s = suite_create("api_calendar");
	TCase *tc = tcase_create("admin");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_calendar_admin_only);
	tcase_add_test(tc, test_api_calendar_holiday_moves_deadline);
	tcase_add_test(tc, test_api_calendar_makeup_saturday);
	tcase_add_test(tc, test_api_calendar_bad_requests_write_nothing);
	tcase_add_test(tc, test_api_calendar_changes_in_history);
	suite_add_tcase(s, tc);
	tc = tcase_create("preview");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_calendar_missing_year_warning);
	tcase_add_test(tc, test_api_calendar_preview_errors);
	suite_add_tcase(s, tc);
	return s;
}
