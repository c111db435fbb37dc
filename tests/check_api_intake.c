/*
 * motcua tests — receiving a dossier through the HTTP API (issue 2):
 * the national code, the legal due time, bad input that must write
 * nothing, agency scope, reading back by code and the filtered, cursor-
 * paginated list.
 *
 * Fixtures use the demo province: `clerk` receives at the provincial
 * centre 000.01.01.H56, `clerk.hacthanh` at the commune 000.00.51.H56.
 * 1.013831 is 18 working days (chain NN&MT → Thuế → NN&MT), 1.001193 is
 * immediate with the 15:00 cut-off (commune), 1.000689 is 3 working days
 * (commune), 3.000333 is 10 calendar days. Office hours 07:30–11:30 and
 * 13:00–17:00; the 2026 calendar is schema/demo/calendar-vn.csv.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tests.h"

/* ---- helpers -------------------------------------------------------------- */

static const char *body_for(const char *procedure, const char *channel, const char *name,
			    const char *id_number)
{
	static char body[1024];
	snprintf(body, sizeof(body),
		 "{\"procedure_code\":\"%s\",\"channel\":\"%s\",\"applicant\":{\"name\":\"%s\","
		 "\"id_number\":\"%s\",\"phone\":\"0912345678\",\"address\":\"Hạc Thành, Thanh Hóa\"},"
		 "\"documents\":[{\"name\":\"Tờ khai\",\"kind\":\"original\",\"count\":1}]}",
		 procedure, channel, name, id_number);
	return body;
}

/* Receive and return the answer (201 expected). */
static struct tu_response *receive(const char *clerk, const char *body)
{
	return tu_expect(201, "POST", "/api/v1/dossiers", tu_login(clerk), body);
}

/* Receive and return the code (static storage of tu_receive's kind). */
static const char *receive_as(const char *clerk, const char *procedure, const char *channel,
			      const char *name, const char *id_number)
{
	static char code[40];
	struct tu_response *r = receive(clerk, body_for(procedure, channel, name, id_number));
	snprintf(code, sizeof(code), "%s", tu_str(r->json, "code"));
	tu_response_free(r);
	return code;
}

/* The error envelope {"error": {"code", "message", "field"}}; field NULL
 * means JSON null. */
static void assert_envelope(const struct tu_response *r, int status, const char *code,
			    const char *field, const char *what)
{
	ck_assert_msg(r->status == status, "%s: status %d, want %d: %s", what, r->status, status, r->body);
	ck_assert_msg(r->json != NULL, "%s: not JSON: %s", what, r->body);
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(r->json, "error");
	ck_assert_msg(cJSON_IsObject(e) && cJSON_GetArraySize(r->json) == 1, "%s: no envelope: %s", what,
		      r->body);
	const char *got = tu_str(r->json, "error.code");
	ck_assert_msg(got && strcmp(got, code) == 0, "%s: code %s, want %s (%s)", what,
		      got ? got : "(none)", code, r->body);
	const char *msg = tu_str(r->json, "error.message");
	ck_assert_msg(msg && *msg, "%s: no message", what);
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "field");
	if (field)
		ck_assert_msg(cJSON_IsString(f) && strcmp(f->valuestring, field) == 0,
			      "%s: field %s, want %s", what, cJSON_IsString(f) ? f->valuestring : "(null)",
			      field);
	else
		ck_assert_msg(cJSON_IsNull(f), "%s: field should be null: %s", what, r->body);
}

struct counts {
	int64_t dossiers, events, seqs, documents, steps;
};

static struct counts counts_now(void)
{
	struct counts c = {
		tu_db_int("SELECT count(*) FROM dossier"),
		tu_db_int("SELECT count(*) FROM event"),
		tu_db_int("SELECT coalesce(sum(last), 0) FROM code_seq"),
		tu_db_int("SELECT count(*) FROM dossier_document"),
		tu_db_int("SELECT count(*) FROM dossier_step"),
	};
	return c;
}

static void assert_unchanged(const struct counts *before, const char *what)
{
	struct counts now = counts_now();
	ck_assert_msg(now.dossiers == before->dossiers && now.events == before->events
		      && now.seqs == before->seqs && now.documents == before->documents
		      && now.steps == before->steps,
		      "%s wrote something: dossiers %lld→%lld, events %lld→%lld, code numbers %lld→%lld",
		      what, (long long)before->dossiers, (long long)now.dossiers,
		      (long long)before->events, (long long)now.events, (long long)before->seqs,
		      (long long)now.seqs);
}

static const char *due_of(const char *clerk, const char *body)
{
	static char due[40];
	struct tu_response *r = receive(clerk, body);
	snprintf(due, sizeof(due), "%s", tu_str(r->json, "due_at"));
	tu_response_free(r);
	return due;
}

/* ---- the code ------------------------------------------------------------- */

START_TEST(test_api_intake_code_uses_local_date)
{
	tu_server_start(NULL);
	/* 23:30 on 31/12 in Vietnam is 16:30 UTC the same day… */
	tu_set_now_local(2026, 12, 31, 23, 30);
	struct tu_response *r = receive("clerk", body_for("1.013831", "direct", "Lê Văn Bình", "038090001234"));
	ck_assert_str_eq(tu_str(r->json, "code"), "000.01.01.H56-261231-0001");
	ck_assert_str_eq(tu_str(r->json, "state"), "received");
	ck_assert_str_eq(tu_str(r->json, "received_at"), "2026-12-31T23:30:00+07:00");
	/* After hours, then New Year's Day: the clock starts Monday 4/1. */
	ck_assert_str_eq(tu_str(r->json, "clock_started_at"), "2027-01-04T07:30:00+07:00");
	/* 18 whole working days from Mon 4/1: Wed 27/1 at the end of the day. */
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2027-01-27T17:00:00+07:00");
	ck_assert_str_eq(tu_header(r, "location"), "/api/v1/dossiers/000.01.01.H56-261231-0001");
	tu_response_free(r);
	/* …while 06:00 on 1/1/2027 in Vietnam is still 31/12 in UTC: the
	 * local date decides, and a new day restarts the sequence. */
	tu_set_now_local(2027, 1, 1, 6, 0);
	ck_assert_str_eq(receive_as("clerk", "1.013831", "direct", "Lê Văn Bình", "038090001234"),
			 "000.01.01.H56-270101-0001");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_intake_code_sequence_per_agency_and_day)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	ck_assert_str_eq(receive_as("clerk", "1.013831", "direct", "An", "038090001234"),
			 "000.01.01.H56-260302-0001");
	ck_assert_str_eq(receive_as("clerk", "3.000333", "postal", "Bình", "038090001235"),
			 "000.01.01.H56-260302-0002");
	/* Another agency the same day has its own series. */
	ck_assert_str_eq(receive_as("clerk.hacthanh", "1.001193", "direct", "Chi", "038090001236"),
			 "000.00.51.H56-260302-0001");
	ck_assert_str_eq(receive_as("clerk", "1.013831", "online", "Dũng", "038090001237"),
			 "000.01.01.H56-260302-0003");
	ck_assert_str_eq(receive_as("clerk.hacthanh", "1.001193", "direct", "Em", "038090001238"),
			 "000.00.51.H56-260302-0002");
	/* The next day starts again at 0001. */
	tu_set_now_local(2026, 3, 3, 7, 45);
	ck_assert_str_eq(receive_as("clerk", "1.013831", "direct", "Giang", "038090001239"),
			 "000.01.01.H56-260303-0001");
	/* Going back to a day already used continues its series (never reused). */
	tu_set_now_local(2026, 3, 2, 16, 0);
	ck_assert_str_eq(receive_as("clerk", "1.013831", "direct", "Hà", "038090001240"),
			 "000.01.01.H56-260302-0004");
	/* A refused intake does not burn a number. */
	struct tu_response *r = tu_request("POST", "/api/v1/dossiers", tu_login("clerk"),
		body_for("9.999999", "direct", "Ích", "038090001241"), NULL, NULL);
	assert_envelope(r, 422, "unknown_procedure", "procedure_code", "unknown procedure");
	tu_response_free(r);
	ck_assert_str_eq(receive_as("clerk", "1.013831", "direct", "Khánh", "038090001242"),
			 "000.01.01.H56-260302-0005");
	ck_assert_int_eq(tu_db_int("SELECT count(DISTINCT code) FROM dossier"), 8);
	tu_server_stop();
}
END_TEST

/* ---- the due time ----------------------------------------------------------- */

START_TEST(test_api_intake_due_working_days)
{
	tu_server_start(NULL);
	const char *body = body_for("1.013831", "direct", "An", "038090001234");
	/* In office hours: the same clock time 18 working days later. */
	tu_set_now_local(2026, 3, 2, 9, 0);	/* Monday */
	ck_assert_str_eq(due_of("clerk", body), "2026-03-26T09:00:00+07:00");
	/* Over lunch: counting starts at 13:00; 18 × 8 h end before lunch. */
	tu_set_now_local(2026, 3, 2, 12, 0);
	ck_assert_str_eq(due_of("clerk", body), "2026-03-26T11:30:00+07:00");
	/* After hours: from Tuesday 07:30, the end of the 18th working day. */
	tu_set_now_local(2026, 3, 2, 17, 30);
	struct tu_response *r = receive("clerk", body);
	ck_assert_str_eq(tu_str(r->json, "received_at"), "2026-03-02T17:30:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "clock_started_at"), "2026-03-03T07:30:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-26T17:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "appointment_at"), "2026-03-26T17:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "limit.unit"), "working_days");
	ck_assert_int_eq((int)tu_num(r->json, "limit.value"), 18);
	tu_response_free(r);
	/* On a Sunday: from Monday morning. */
	tu_set_now_local(2026, 3, 8, 10, 0);
	ck_assert_str_eq(due_of("clerk", body), "2026-04-01T17:00:00+07:00");
	/* Across Hùng Kings (Mon 27/4) and 30/4–1/5: from Thu 16/4 09:00 the
	 * working days are 17, 20–24, 28, 29/4, 4–8/5, 11–15/5 → Fri 15/5. */
	tu_set_now_local(2026, 4, 16, 9, 0);
	ck_assert_str_eq(due_of("clerk", body), "2026-05-15T09:00:00+07:00");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_intake_due_across_tet)
{
	tu_server_start(NULL);
	/* Friday before Tết 2026, 16:00: one hour on Friday, 16–20/2 off. */
	tu_set_now_local(2026, 2, 13, 16, 0);
	ck_assert_str_eq(due_of("clerk", body_for("1.013831", "direct", "An", "038090001234")),
			 "2026-03-18T16:00:00+07:00");
	/* 10 calendar days from Tue 10/2 end on Fri 20/2, a Tết day; the
	 * break runs to Sun 22/2, so the due day rolls to Mon 23/2. */
	tu_set_now_local(2026, 2, 10, 9, 0);
	ck_assert_str_eq(due_of("clerk", body_for("3.000333", "direct", "Bình", "038090001235")),
			 "2026-02-23T17:00:00+07:00");
	/* 3 working days from Thu 12/2 09:00: 13/2, 23/2, 24/2. */
	tu_set_now_local(2026, 2, 12, 9, 0);
	ck_assert_str_eq(due_of("clerk.hacthanh", body_for("1.000689", "direct", "Chi", "038090001236")),
			 "2026-02-24T09:00:00+07:00");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_intake_due_makeup_saturday)
{
	tu_server_start(NULL);
	const char *body = body_for("1.000689", "direct", "An", "038090001234");
	/* Sat 10/1/2026 is a working day (made up for Fri 2/1): from Fri 9/1
	 * 09:00, 3 working days are Sat 10, Mon 12, Tue 13. */
	tu_set_now_local(2026, 1, 9, 9, 0);
	ck_assert_str_eq(due_of("clerk.hacthanh", body), "2026-01-13T09:00:00+07:00");
	/* Received on that Saturday itself, in office hours, it counts. */
	tu_set_now_local(2026, 1, 10, 9, 0);
	struct tu_response *r = receive("clerk.hacthanh", body);
	ck_assert_str_eq(tu_str(r->json, "clock_started_at"), "2026-01-10T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-01-14T09:00:00+07:00");
	tu_response_free(r);
	/* New Year 2026: Thu 1/1 and Fri 2/1 off; from Wed 31/12/2025 10:00,
	 * 3 working days are Mon 5, Tue 6, Wed 7/1. */
	tu_set_now_local(2025, 12, 31, 10, 0);
	ck_assert_str_eq(due_of("clerk.hacthanh", body), "2026-01-07T10:00:00+07:00");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_intake_due_immediate_cutoff)
{
	tu_server_start(NULL);
	const char *body = body_for("1.001193", "direct", "An", "038090001234");
	tu_set_now_local(2026, 3, 2, 14, 59);	/* Monday, before 15:00 */
	struct tu_response *r = receive("clerk.hacthanh", body);
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-02T17:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "limit.unit"), "immediate");
	tu_response_free(r);
	tu_set_now_local(2026, 3, 2, 15, 0);	/* at the cut-off: next working day */
	ck_assert_str_eq(due_of("clerk.hacthanh", body), "2026-03-03T17:00:00+07:00");
	tu_set_now_local(2026, 3, 6, 15, 30);	/* Friday after 15:00: Monday */
	ck_assert_str_eq(due_of("clerk.hacthanh", body), "2026-03-09T17:00:00+07:00");
	tu_set_now_local(2026, 3, 7, 9, 0);	/* Saturday: the day the clock starts */
	ck_assert_str_eq(due_of("clerk.hacthanh", body), "2026-03-09T17:00:00+07:00");
	tu_set_now_local(2026, 4, 29, 16, 0);	/* Wed before 30/4–1/5: Mon 4/5 */
	ck_assert_str_eq(due_of("clerk.hacthanh", body), "2026-05-04T17:00:00+07:00");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_intake_due_matches_preview)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 8, 21, 16, 30);	/* Fri before the make-up Sat 22/8 */
	const char *clerk = tu_login("clerk");
	struct tu_response *p = tu_expect(200, "GET", "/api/v1/deadline?procedure=1.013831&channel=direct",
					  clerk, NULL);
	struct tu_response *r = receive("clerk", body_for("1.013831", "direct", "An", "038090001234"));
	ck_assert_str_eq(tu_str(p->json, "due_at"), tu_str(r->json, "due_at"));
	ck_assert_str_eq(tu_str(p->json, "received_at"), "2026-08-21T16:30:00+07:00");
	/* 18 working days after Fri 21/8: Sat 22/8 (the make-up day), 24–28/8,
	 * then 31/8–2/9 off, 3–4/9, 7–11/9, 14–18/9: Fri 18/9 at 16:30. */
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-09-18T16:30:00+07:00");
	tu_response_free(p);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

/* ---- bad input ---------------------------------------------------------------- */

struct bad_case {
	const char *what;
	const char *body;
	const char *ctype;	/* NULL: application/json */
	int status;
	const char *code;
	const char *field;	/* NULL: JSON null */
};

#define APPLICANT "\"applicant\":{\"name\":\"Nguyễn Văn An\",\"id_number\":\"038090001234\"}"
#define PROC "\"procedure_code\":\"1.013831\",\"channel\":\"direct\""

static const struct bad_case bad_cases[] = {
	{ "malformed JSON", "{\"procedure_code\":", NULL, 400, "invalid_json", NULL },
	{ "empty body", "", NULL, 400, "invalid_json", NULL },
	{ "not an object", "[1,2]", NULL, 400, "invalid_json", NULL },
	{ "trailing garbage", "{" PROC "," APPLICANT "} x", NULL, 400, "invalid_json", NULL },
	{ "procedure_code a number", "{\"procedure_code\":1013831,\"channel\":\"direct\"," APPLICANT "}", NULL,
	  422, "invalid_field", "procedure_code" },
	{ "channel a number", "{\"procedure_code\":\"1.013831\",\"channel\":1," APPLICANT "}", NULL, 422,
	  "invalid_field", "channel" },
	{ "unknown channel", "{\"procedure_code\":\"1.013831\",\"channel\":\"fax\"," APPLICANT "}", NULL, 422,
	  "invalid_field", "channel" },
	{ "applicant a string", "{" PROC ",\"applicant\":\"An\"}", NULL, 422, "invalid_field", "applicant" },
	{ "documents an object", "{" PROC "," APPLICANT ",\"documents\":{}}", NULL, 422, "invalid_field",
	  "documents" },
	{ "count a string", "{" PROC "," APPLICANT ",\"documents\":[{\"name\":\"Đơn\",\"count\":\"1\"}]}", NULL,
	  422, "invalid_field", "documents[0].count" },
	{ "count zero", "{" PROC "," APPLICANT ",\"documents\":[{\"name\":\"Đơn\",\"count\":0}]}", NULL, 422,
	  "invalid_field", "documents[0].count" },
	{ "unknown kind", "{" PROC "," APPLICANT ",\"documents\":[{\"name\":\"Đơn\",\"kind\":\"scan\"}]}", NULL,
	  422, "invalid_field", "documents[0].kind" },
	{ "document without name", "{" PROC "," APPLICANT ",\"documents\":[{\"kind\":\"copy\"}]}", NULL, 422,
	  "missing_field", "documents[0].name" },
	{ "document not an object", "{" PROC "," APPLICANT ",\"documents\":[\"Đơn\"]}", NULL, 422,
	  "invalid_field", "documents[0]" },
	{ "missing procedure_code", "{\"channel\":\"direct\"," APPLICANT "}", NULL, 422, "missing_field",
	  "procedure_code" },
	{ "missing channel", "{\"procedure_code\":\"1.013831\"," APPLICANT "}", NULL, 422, "missing_field",
	  "channel" },
	{ "missing applicant", "{" PROC "}", NULL, 422, "missing_field", "applicant" },
	{ "missing name", "{" PROC ",\"applicant\":{\"id_number\":\"038090001234\"}}", NULL, 422,
	  "missing_field", "applicant.name" },
	{ "missing id_number", "{" PROC ",\"applicant\":{\"name\":\"An\"}}", NULL, 422, "missing_field",
	  "applicant.id_number" },
	{ "null name", "{" PROC ",\"applicant\":{\"name\":null,\"id_number\":\"038090001234\"}}", NULL, 422,
	  "missing_field", "applicant.name" },
	{ "empty name", "{" PROC ",\"applicant\":{\"name\":\"\",\"id_number\":\"038090001234\"}}", NULL, 422,
	  "invalid_field", "applicant.name" },
	{ "name on two lines", "{" PROC ",\"applicant\":{\"name\":\"An\\nBình\",\"id_number\":\"038090001234\"}}",
	  NULL, 422, "invalid_field", "applicant.name" },
	{ "unknown procedure", "{\"procedure_code\":\"9.999999\",\"channel\":\"direct\"," APPLICANT "}", NULL,
	  422, "unknown_procedure", "procedure_code" },
	{ "ID of 8 digits", "{" PROC ",\"applicant\":{\"name\":\"An\",\"id_number\":\"12345678\"}}", NULL, 422,
	  "invalid_id_number", "applicant.id_number" },
	{ "ID of 11 digits", "{" PROC ",\"applicant\":{\"name\":\"An\",\"id_number\":\"12345678901\"}}", NULL,
	  422, "invalid_id_number", "applicant.id_number" },
	{ "ID with letters", "{" PROC ",\"applicant\":{\"name\":\"An\",\"id_number\":\"03809000123A\"}}", NULL,
	  422, "invalid_id_number", "applicant.id_number" },
	{ "tax code with 2-digit branch",
	  "{" PROC ",\"applicant\":{\"name\":\"An\",\"id_number\":\"0101234567-01\"}}", NULL, 422,
	  "invalid_id_number", "applicant.id_number" },
	{ "ID a number", "{" PROC ",\"applicant\":{\"name\":\"An\",\"id_number\":38090001234}}", NULL, 422,
	  "invalid_field", "applicant.id_number" },
	{ "bad phone",
	  "{" PROC ",\"applicant\":{\"name\":\"An\",\"id_number\":\"038090001234\",\"phone\":\"12345\"}}", NULL,
	  422, "invalid_phone", "applicant.phone" },
	{ "phone with spaces",
	  "{" PROC ",\"applicant\":{\"name\":\"An\",\"id_number\":\"038090001234\",\"phone\":\"0912 345 678\"}}",
	  NULL, 422, "invalid_phone", "applicant.phone" },
	{ "bad e-mail",
	  "{" PROC ",\"applicant\":{\"name\":\"An\",\"id_number\":\"038090001234\",\"email\":\"an@\"}}", NULL, 422,
	  "invalid_email", "applicant.email" },
	{ "invalid UTF-8 in the name",
	  "{" PROC ",\"applicant\":{\"name\":\"Nguy\xc3\x28n\",\"id_number\":\"038090001234\"}}", NULL, 400,
	  "invalid_utf8", NULL },
	{ "overlong UTF-8 form",
	  "{" PROC ",\"applicant\":{\"name\":\"\xc0\xaf\",\"id_number\":\"038090001234\"}}", NULL, 400,
	  "invalid_utf8", NULL },
	{ "UTF-16 surrogate as UTF-8",
	  "{" PROC ",\"applicant\":{\"name\":\"\xed\xa0\x80\",\"id_number\":\"038090001234\"}}", NULL, 400,
	  "invalid_utf8", NULL },
	{ "duplicate key", "{" PROC ",\"procedure_code\":\"1.001193\"," APPLICANT "}", NULL, 400,
	  "duplicate_key", "procedure_code" },
	{ "duplicate nested key",
	  "{" PROC ",\"applicant\":{\"name\":\"An\",\"name\":\"Bình\",\"id_number\":\"038090001234\"}}", NULL,
	  400, "duplicate_key", "applicant.name" },
	{ "\\u0000 in the name",
	  "{" PROC ",\"applicant\":{\"name\":\"An\\u0000\",\"id_number\":\"038090001234\"}}", NULL, 400,
	  "invalid_json", NULL },
	{ "unpaired surrogate escape",
	  "{" PROC ",\"applicant\":{\"name\":\"An\\ud800\",\"id_number\":\"038090001234\"}}", NULL, 400,
	  "invalid_json", NULL },
	{ "unknown field", "{" PROC "," APPLICANT ",\"priority\":1}", NULL, 422, "unknown_field", "priority" },
	{ "unknown applicant field",
	  "{" PROC ",\"applicant\":{\"name\":\"An\",\"id_number\":\"038090001234\",\"gender\":\"f\"}}", NULL,
	  422, "unknown_field", "applicant.gender" },
	{ "setting the code", "{" PROC "," APPLICANT ",\"code\":\"000.01.01.H56-260302-0001\"}", NULL, 422,
	  "unknown_field", "code" },
	{ "wrong content type", "{" PROC "," APPLICANT "}", "text/plain", 415, "unsupported_media_type",
	  NULL },
	{ "form content type", "procedure_code=1.013831", "application/x-www-form-urlencoded", 415,
	  "unsupported_media_type", NULL },
};

START_TEST(test_api_intake_bad_input_writes_nothing)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	const char *clerk = tu_login("clerk");
	/* One good dossier first, so "nothing" is measured against a real one. */
	tu_receive("clerk", "1.013831", "direct");
	struct counts before = counts_now();
	ck_assert_int_eq(before.dossiers, 1);
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct tu_response *r = tu_request("POST", "/api/v1/dossiers", clerk, c->body, c->ctype, NULL);
		assert_envelope(r, c->status, c->code, c->field, c->what);
		tu_response_free(r);
		assert_unchanged(&before, c->what);
	}
	tu_server_stop();
}
END_TEST

START_TEST(test_api_intake_overlong_fields)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	const char *clerk = tu_login("clerk");
	struct counts before = counts_now();
	static char body[8192], text[4096];
	/* 201 code points in the name (multi-byte letters count once). */
	text[0] = '\0';
	for (int i = 0; i < 201; i++)
		strcat(text, "ễ");
	snprintf(body, sizeof(body), "{" PROC ",\"applicant\":{\"name\":\"%s\",\"id_number\":\"038090001234\"}}",
		 text);
	struct tu_response *r = tu_request("POST", "/api/v1/dossiers", clerk, body, NULL, NULL);
	assert_envelope(r, 422, "invalid_field", "applicant.name", "201-letter name");
	tu_response_free(r);
	memset(text, 'x', 2001);
	text[2001] = '\0';
	snprintf(body, sizeof(body), "{" PROC "," APPLICANT ",\"note\":\"%s\"}", text);
	r = tu_request("POST", "/api/v1/dossiers", clerk, body, NULL, NULL);
	assert_envelope(r, 422, "invalid_field", "note", "2001-character note");
	tu_response_free(r);
	memset(text, '1', 33);
	text[33] = '\0';
	snprintf(body, sizeof(body), "{" PROC ",\"applicant\":{\"name\":\"An\",\"id_number\":\"%s\"}}", text);
	r = tu_request("POST", "/api/v1/dossiers", clerk, body, NULL, NULL);
	assert_envelope(r, 422, "invalid_field", "applicant.id_number", "33-digit ID");
	tu_response_free(r);
	/* 51 documents: the list is capped. */
	strcpy(body, "{" PROC "," APPLICANT ",\"documents\":[");
	for (int i = 0; i < 51; i++)
		strcat(body, i ? ",{\"name\":\"Đơn\"}" : "{\"name\":\"Đơn\"}");
	strcat(body, "]}");
	r = tu_request("POST", "/api/v1/dossiers", clerk, body, NULL, NULL);
	assert_envelope(r, 422, "invalid_field", "documents", "51 documents");
	tu_response_free(r);
	/* Exactly 200 letters is fine. */
	text[0] = '\0';
	for (int i = 0; i < 200; i++)
		strcat(text, "ễ");
	snprintf(body, sizeof(body), "{" PROC ",\"applicant\":{\"name\":\"%s\",\"id_number\":\"038090001234\"}}",
		 text);
	r = tu_expect(201, "POST", "/api/v1/dossiers", clerk, body);
	tu_response_free(r);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM dossier"), before.dossiers + 1);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_intake_body_over_64k)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	const char *clerk = tu_login("clerk");
	struct counts before = counts_now();
	size_t n = 65 * 1024;
	char *body = malloc(n + 200);
	int len = snprintf(body, 200, "{" PROC "," APPLICANT ",\"note\":\"");
	memset(body + len, 'x', n);
	strcpy(body + len + n, "\"}");
	struct tu_response *r = tu_request("POST", "/api/v1/dossiers", clerk, body, NULL, NULL);
	assert_envelope(r, 413, "body_too_large", NULL, "65 KiB body");
	tu_response_free(r);
	free(body);
	assert_unchanged(&before, "a 65 KiB body");
	/* The server is still there. */
	tu_receive("clerk", "1.013831", "direct");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_intake_accepted_id_forms)
{
	static const char *const ids[] = { "123456789", "038090001234", "0101234567", "0101234567-001" };
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	for (size_t i = 0; i < 4; i++) {
		struct tu_response *r = receive("clerk", body_for("1.013831", "direct", "Công ty An Bình", ids[i]));
		ck_assert_str_eq(tu_str(r->json, "applicant.id_number"), ids[i]);
		tu_response_free(r);
	}
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM dossier"), 4);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_intake_answer_echoes_the_dossier)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	struct tu_response *r = receive("clerk",
		"{\"procedure_code\":\"1.013831\",\"channel\":\"postal\",\"applicant\":{\"name\":\"Nguyễn Văn An\","
		"\"id_number\":\"038090001234\",\"phone\":\"+84912345678\",\"address\":\"Số 1 Lê Lợi\","
		"\"email\":\"an@example.vn\"},\"documents\":[{\"name\":\"Đơn đăng ký\",\"kind\":\"original\","
		"\"count\":2},{\"name\":\"Giấy chứng nhận\",\"kind\":\"certified_copy\"},{\"name\":\"CCCD\"}],"
		"\"note\":\"Nộp qua bưu điện\\nGhi chú dòng 2\"}");
	ck_assert_str_eq(tu_str(r->json, "procedure.code"), "1.013831");
	ck_assert_str_eq(tu_str(r->json, "receiving_agency.code"), "000.01.01.H56");
	ck_assert_str_eq(tu_str(r->json, "current_agency.code"), "000.01.01.H56");
	ck_assert_str_eq(tu_str(r->json, "channel"), "postal");
	ck_assert_int_eq((int)tu_num(r->json, "state_code"), 2);
	ck_assert_str_eq(tu_str(r->json, "applicant.name"), "Nguyễn Văn An");
	ck_assert_str_eq(tu_str(r->json, "applicant.phone"), "+84912345678");
	ck_assert_str_eq(tu_str(r->json, "applicant.address"), "Số 1 Lê Lợi");
	ck_assert_str_eq(tu_str(r->json, "applicant.email"), "an@example.vn");
	ck_assert_str_eq(tu_str(r->json, "documents.0.name"), "Đơn đăng ký");
	ck_assert_int_eq((int)tu_num(r->json, "documents.0.count"), 2);
	ck_assert_str_eq(tu_str(r->json, "documents.1.kind"), "certified_copy");
	ck_assert_int_eq((int)tu_num(r->json, "documents.1.count"), 1);	/* default */
	ck_assert_str_eq(tu_str(r->json, "documents.2.kind"), "original");	/* default */
	ck_assert_str_eq(tu_str(r->json, "note"), "Nộp qua bưu điện\nGhi chú dòng 2");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "warnings")), 0);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/events", tu_str(r->json, "code"));
	tu_response_free(r);
	/* The history has the receipt, in the same transaction. */
	r = tu_expect(200, "GET", path, tu_login("clerk"), NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
	ck_assert_str_eq(tu_str(r->json, "items.0.action"), "receive");
	ck_assert_ptr_null(tu_str(r->json, "items.0.from_state"));
	ck_assert_str_eq(tu_str(r->json, "items.0.to_state"), "received");
	ck_assert_str_eq(tu_str(r->json, "items.0.clock"), "start");
	ck_assert_str_eq(tu_str(r->json, "items.0.actor"), "clerk");
	ck_assert_str_eq(tu_str(r->json, "items.0.due_at"), "2026-03-26T09:00:00+07:00");
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

/* ---- who may receive, who may see ------------------------------------------------ */

START_TEST(test_api_intake_wrong_level)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	struct counts before = counts_now();
	struct tu_response *r = tu_request("POST", "/api/v1/dossiers", tu_login("clerk.hacthanh"),
					   body_for("1.013831", "direct", "An", "038090001234"), NULL, NULL);
	assert_envelope(r, 422, "wrong_level", "procedure_code", "commune clerk, province procedure");
	tu_response_free(r);
	r = tu_request("POST", "/api/v1/dossiers", tu_login("clerk"),
		       body_for("1.001193", "direct", "An", "038090001234"), NULL, NULL);
	assert_envelope(r, 422, "wrong_level", "procedure_code", "province clerk, commune procedure");
	tu_response_free(r);
	assert_unchanged(&before, "a wrong-level intake");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_intake_only_clerks_receive)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	const char *body = body_for("1.013831", "direct", "An", "038090001234");
	struct tu_response *r = tu_request("POST", "/api/v1/dossiers", NULL, body, NULL, NULL);
	assert_envelope(r, 401, "unauthenticated", NULL, "anonymous");
	tu_response_free(r);
	static const char *const others[] = { "officer", "manager", "admin", "auditor" };
	for (int i = 0; i < 4; i++) {
		r = tu_request("POST", "/api/v1/dossiers", tu_login(others[i]), body, NULL, NULL);
		assert_envelope(r, 403, "forbidden", NULL, others[i]);
		tu_response_free(r);
	}
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM dossier"), 0);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_intake_scope)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	char province[40], commune[40], path[128];
	snprintf(province, sizeof(province), "%s", tu_receive("clerk", "1.013831", "direct"));
	snprintf(commune, sizeof(commune), "%s", tu_receive("clerk.hacthanh", "1.001193", "direct"));
	/* A commune clerk does not see the province's dossier: 404, the same
	 * answer as for a code that does not exist. */
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", province);
	struct tu_response *r = tu_request("GET", path, tu_login("clerk.hacthanh"), NULL, NULL, NULL);
	assert_envelope(r, 404, "not_found", NULL, "commune clerk, province dossier");
	tu_response_free(r);
	r = tu_request("GET", "/api/v1/dossiers/000.01.01.H56-260302-0999", tu_login("clerk"), NULL, NULL, NULL);
	assert_envelope(r, 404, "not_found", NULL, "no such code");
	tu_response_free(r);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/events", province);
	r = tu_request("GET", path, tu_login("clerk.hacthanh"), NULL, NULL, NULL);
	assert_envelope(r, 404, "not_found", NULL, "events out of scope");
	tu_response_free(r);
	r = tu_action("clerk.hacthanh", province, "{\"action\":\"transfer\"}");
	assert_envelope(r, 404, "not_found", NULL, "action out of scope");
	tu_response_free(r);
	r = tu_request("GET", path, tu_login("manager.hacthanh"), NULL, NULL, NULL);
	assert_envelope(r, 404, "not_found", NULL, "commune manager, province dossier");
	tu_response_free(r);
	/* …nor is it in their list. */
	r = tu_expect(200, "GET", "/api/v1/dossiers", tu_login("clerk.hacthanh"), NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
	ck_assert_str_eq(tu_str(r->json, "items.0.code"), commune);
	tu_response_free(r);
	/* …nor found by its code: the search by code goes through another
	 * statement than the list, with the same scope. */
	snprintf(path, sizeof(path), "/api/v1/dossiers?q=%s", province);
	r = tu_expect(200, "GET", path, tu_login("clerk.hacthanh"), NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 0);
	tu_response_free(r);
	r = tu_expect(200, "GET", path, tu_login("auditor"), NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/dossiers", tu_login("clerk"), NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 1);
	ck_assert_str_eq(tu_str(r->json, "items.0.code"), province);
	tu_response_free(r);
	/* The province's manager, the admin and the auditor see both. */
	static const char *const all[] = { "manager", "admin", "auditor" };
	for (int i = 0; i < 3; i++) {
		r = tu_expect(200, "GET", "/api/v1/dossiers", tu_login(all[i]), NULL);
		ck_assert_msg(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")) == 2, "%s", all[i]);
		tu_response_free(r);
		snprintf(path, sizeof(path), "/api/v1/dossiers/%s", commune);
		tu_response_free(tu_expect(200, "GET", path, tu_login(all[i]), NULL));
		snprintf(path, sizeof(path), "/api/v1/dossiers/%s", province);
		tu_response_free(tu_expect(200, "GET", path, tu_login(all[i]), NULL));
	}
	/* Anonymous: 401. */
	r = tu_request("GET", path, NULL, NULL, NULL, NULL);
	assert_envelope(r, 401, "unauthenticated", NULL, "anonymous read");
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

/* ---- reading back: by code, filters, pages ------------------------------------------- */

START_TEST(test_api_intake_get_by_code)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	const char *code = tu_receive("clerk", "1.013831", "direct");
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	struct tu_response *r = tu_expect(200, "GET", path, tu_login("clerk"), NULL);
	ck_assert_str_eq(tu_str(r->json, "code"), code);
	ck_assert_str_eq(tu_str(r->json, "state"), "received");
	ck_assert_str_eq(tu_str(r->json, "received_at"), "2026-03-02T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-26T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "applicant.id_number"), "038090001234");
	ck_assert_str_eq(tu_str(r->json, "documents.0.name"), "Tờ khai");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "chain")), 3);
	ck_assert_str_eq(tu_str(r->json, "chain.0.agency.code"), "000.00.21.H56");
	ck_assert_str_eq(tu_str(r->json, "chain.1.agency.code"), "000.00.41.H56");
	ck_assert_str_eq(tu_str(r->json, "chain.2.agency.code"), "000.00.21.H56");
	ck_assert_str_eq(tu_str(r->json, "chain.0.status"), "waiting");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "overdue")));
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

#define A50 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static int list_count(const char *user, const char *query)
{
	char path[300];
	snprintf(path, sizeof(path), "/api/v1/dossiers%s", query);
	struct tu_response *r = tu_expect(200, "GET", path, tu_login(user), NULL);
	int n = cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items"));
	tu_response_free(r);
	return n;
}

START_TEST(test_api_intake_list_filters)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	char first[40];
	snprintf(first, sizeof(first), "%s",
		 receive_as("clerk", "1.013831", "direct", "Nguyễn Văn An", "038090001234"));
	receive_as("clerk", "1.013831", "online", "Nguyễn Văn Bình", "038090001235");
	tu_set_now_local(2026, 3, 3, 10, 0);
	receive_as("clerk", "3.000333", "postal", "Trần Thị Hoa", "038090001236");
	receive_as("clerk", "1.013831", "direct", "ĐẶNG VĂN ĐỨC", "0101234567-001");
	tu_set_now_local(2026, 3, 5, 14, 0);
	receive_as("clerk", "3.000333", "online", "Lê Nguyễn An", "123456789");
	/* One moves on, so states differ. */
	struct tu_response *r = tu_action("clerk", first, "{\"action\":\"transfer\"}");
	ck_assert_int_eq(r->status, 200);
	tu_response_free(r);
	ck_assert_int_eq(list_count("clerk", ""), 5);
	ck_assert_int_eq(list_count("clerk", "?state=received"), 4);
	ck_assert_int_eq(list_count("clerk", "?state=in_process"), 1);
	ck_assert_int_eq(list_count("clerk", "?state=resolved"), 0);
	ck_assert_int_eq(list_count("clerk", "?procedure=1.013831"), 3);
	ck_assert_int_eq(list_count("clerk", "?procedure=3.000333"), 2);
	ck_assert_int_eq(list_count("clerk", "?procedure=9.999999"), 0);
	ck_assert_int_eq(list_count("clerk", "?channel=online"), 2);
	ck_assert_int_eq(list_count("clerk", "?channel=postal"), 1);
	ck_assert_int_eq(list_count("clerk", "?channel=direct&procedure=1.013831"), 2);
	/* Day bounds are local dates, both inclusive. */
	ck_assert_int_eq(list_count("clerk", "?received_from=2026-03-03"), 3);
	ck_assert_int_eq(list_count("clerk", "?received_to=2026-03-02"), 2);
	ck_assert_int_eq(list_count("clerk", "?received_from=2026-03-03&received_to=2026-03-03"), 2);
	ck_assert_int_eq(list_count("clerk", "?received_from=2026-03-04&received_to=2026-03-04"), 0);
	/* Instants too (the bound is exclusive at the end). */
	ck_assert_int_eq(list_count("clerk", "?received_from=2026-03-03T10:00:00%2B07:00"), 3);
	ck_assert_int_eq(list_count("clerk", "?received_to=2026-03-03T10:00:00%2B07:00"), 2);
	/* q: the exact code, the exact ID number, a name prefix without
	 * diacritics or case. */
	char q[120];
	snprintf(q, sizeof(q), "?q=%s", first);
	ck_assert_int_eq(list_count("clerk", q), 1);
	ck_assert_int_eq(list_count("clerk", "?q=038090001236"), 1);
	ck_assert_int_eq(list_count("clerk", "?q=0101234567-001"), 1);
	ck_assert_int_eq(list_count("clerk", "?q=03809000123"), 0);	/* not a prefix search */
	ck_assert_int_eq(list_count("clerk", "?q=nguyen%20van"), 2);
	ck_assert_int_eq(list_count("clerk", "?q=Nguy%E1%BB%85n%20V%C4%83n%20B"), 1);	/* "Nguyễn Văn B" */
	ck_assert_int_eq(list_count("clerk", "?q=dang%20van%20duc"), 1);
	ck_assert_int_eq(list_count("clerk", "?q=NGUYEN"), 2);
	ck_assert_int_eq(list_count("clerk", "?q=van%20an"), 0);	/* a prefix of the name only */
	ck_assert_int_eq(list_count("clerk", "?q=tran&state=received"), 1);
	/* LIKE's wildcards in q are plain characters. */
	ck_assert_int_eq(list_count("clerk", "?q=%25"), 0);
	ck_assert_int_eq(list_count("clerk", "?q=_"), 0);
	ck_assert_int_eq(list_count("clerk", "?q=ng_yen"), 0);
	ck_assert_int_eq(list_count("clerk", "?q=%25an"), 0);
	/* Bad parameters: 400 with the parameter's name. */
	static const struct { const char *q, *field; } bad[] = {
		{ "?state=bogus", "state" }, { "?channel=fax", "channel" }, { "?limit=0", "limit" },
		{ "?limit=201", "limit" }, { "?limit=x", "limit" }, { "?cursor=abc", "cursor" },
		{ "?cursor=1.0", "cursor" }, { "?received_from=2026-13-01", "received_from" },
		{ "?received_to=yesterday", "received_to" }, { "?sort=name", "sort" },
		{ "?q=" A50 A50 A50 A50 "a", "q" },	/* 201 characters */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[512];
		snprintf(path, sizeof(path), "/api/v1/dossiers%s", bad[i].q);
		r = tu_request("GET", path, tu_login("clerk"), NULL, NULL, NULL);
		assert_envelope(r, 400, "invalid_parameter", bad[i].field, bad[i].q);
		tu_response_free(r);
	}
	tu_server_stop();
}
END_TEST

/* Walk every page of a list; check order, no duplicates, no gaps. */
static void walk_pages(const char *user, const char *query, int limit, int expect_total,
		       int by_due)
{
	char cursor[64] = "", path[300];
	char seen[64][40];
	int total = 0, pages = 0;
	char last_key[40] = "";
	for (;;) {
		snprintf(path, sizeof(path), "/api/v1/dossiers?limit=%d%s%s%s", limit, query,
			 cursor[0] ? "&cursor=" : "", cursor);
		struct tu_response *r = tu_expect(200, "GET", path, tu_login(user), NULL);
		const cJSON *items = cJSON_GetObjectItem(r->json, "items"), *it;
		int n = cJSON_GetArraySize(items);
		pages++;
		ck_assert_int_le(n, limit);
		cJSON_ArrayForEach(it, items) {
			const char *code = tu_str(it, "code");
			const char *key = tu_str(it, by_due ? "due_at" : "received_at");
			ck_assert_int_lt(total, 64);
			for (int i = 0; i < total; i++)
				ck_assert_msg(strcmp(seen[i], code) != 0, "%s listed twice", code);
			/* Same offset (+07:00) everywhere, so strings order as times. */
			if (last_key[0])
				ck_assert_msg(by_due ? strcmp(last_key, key) <= 0 : strcmp(last_key, key) >= 0,
					      "order broken at %s (%s after %s)", code, key, last_key);
			snprintf(last_key, sizeof(last_key), "%s", key);
			snprintf(seen[total++], 40, "%s", code);
		}
		const cJSON *next = cJSON_GetObjectItem(r->json, "next_cursor");
		if (cJSON_IsNull(next)) {
			tu_response_free(r);
			break;
		}
		ck_assert(cJSON_IsString(next));
		ck_assert_int_eq(n, limit);	/* only full pages have a next one */
		snprintf(cursor, sizeof(cursor), "%s", next->valuestring);
		tu_response_free(r);
		ck_assert_int_lt(pages, 50);
	}
	ck_assert_int_eq(total, expect_total);
	/* A last page that happens to be full has no next cursor either. */
	ck_assert_int_eq(pages, expect_total ? (expect_total + limit - 1) / limit : 1);
}

START_TEST(test_api_intake_list_cursor_pagination)
{
	tu_server_start(NULL);
	/* 23 dossiers: 10 received in the same second (ties broken by id),
	 * the rest spread over three days and two agencies' procedures. */
	tu_set_now_local(2026, 3, 2, 9, 0);
	for (int i = 0; i < 10; i++)
		tu_receive("clerk", i % 2 ? "1.013831" : "3.000333", "direct");
	for (int i = 0; i < 13; i++) {
		tu_set_now_local(2026, 3, 3 + i % 3, 8 + i % 8, 5 * i);
		tu_receive("clerk", i % 2 ? "1.013831" : "3.000333", i % 3 ? "direct" : "online");
	}
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM dossier"), 23);
	walk_pages("clerk", "", 7, 23, 0);
	walk_pages("clerk", "", 1, 23, 0);
	walk_pages("clerk", "", 23, 23, 0);
	walk_pages("clerk", "", 200, 23, 0);
	walk_pages("clerk", "&sort=due", 4, 23, 1);
	walk_pages("clerk", "&procedure=3.000333", 3, 12, 0);
	walk_pages("manager", "&channel=online", 2, 5, 0);
	/* The worklist (its own statement, on the queue's index) in both
	 * orders, and a few moved on so the queue is not the whole list. */
	int queued = tu_db_int("SELECT count(*) FROM dossier WHERE current_agency_id ="
			       " (SELECT agency_id FROM account WHERE username = 'clerk')");
	ck_assert_int_gt(queued, 5);
	walk_pages("clerk", "&queue=true", 4, queued, 0);
	walk_pages("clerk", "&queue=true&sort=due", 4, queued, 1);
	/* A page boundary inside the ten ties: limit 3 over the tied block. */
	walk_pages("clerk", "&received_to=2026-03-02", 3, 10, 0);
	/* Months later every dossier still held is overdue: that list has
	 * its own statement too (on dossier_running). */
	tu_set_now_local(2026, 9, 1, 9, 0);
	int overdue = tu_db_int("SELECT count(*) FROM dossier WHERE state IN (2, 4, 7)"
				" AND paused_at IS NULL AND due_at IS NOT NULL");
	ck_assert_int_gt(overdue, 5);
	walk_pages("clerk", "&overdue=true", 4, overdue, 0);
	walk_pages("clerk", "&overdue=true&sort=due", 5, overdue, 1);
	tu_server_stop();
}
END_TEST

Suite *api_intake_suite(void)
{
	Suite *s = suite_create("api_intake");
	TCase *tc = tcase_create("code");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_intake_code_uses_local_date);
	tcase_add_test(tc, test_api_intake_code_sequence_per_agency_and_day);
	suite_add_tcase(s, tc);
	tc = tcase_create("deadline");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_intake_due_working_days);
	tcase_add_test(tc, test_api_intake_due_across_tet);
	tcase_add_test(tc, test_api_intake_due_makeup_saturday);
	tcase_add_test(tc, test_api_intake_due_immediate_cutoff);
	tcase_add_test(tc, test_api_intake_due_matches_preview);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_intake_bad_input_writes_nothing);
	tcase_add_test(tc, test_api_intake_overlong_fields);
	tcase_add_test(tc, test_api_intake_body_over_64k);
	tcase_add_test(tc, test_api_intake_accepted_id_forms);
	tcase_add_test(tc, test_api_intake_answer_echoes_the_dossier);
	tcase_add_test(tc, test_api_intake_wrong_level);
	tcase_add_test(tc, test_api_intake_only_clerks_receive);
	suite_add_tcase(s, tc);
	tc = tcase_create("read");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_intake_scope);
	tcase_add_test(tc, test_api_intake_get_by_code);
	tcase_add_test(tc, test_api_intake_list_filters);
	tcase_add_test(tc, test_api_intake_list_cursor_pagination);
	suite_add_tcase(s, tc);
	return s;
}
