/*
 * motcua tests — statistics through the real server: dossiers taken
 * through randomised lifecycles (the API's actions at simulated times),
 * then the recount from the history must equal the aggregates, every report
 * must hold its invariant, every drill-down link must list exactly the
 * dossiers it counts, and the overdue list must match the running set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "recount.h"
#include "testutil.h"
#include "tests.h"

static unsigned rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 8) % n;
}

/* An action body for a name, with the inputs it needs. */
static const char *action_body(const char *name, char *buf, size_t n)
{
	if (!strcmp(name, "refuse") || !strcmp(name, "withdraw_request"))
		snprintf(buf, n, "{\"action\":\"%s\",\"reason\":\"Lý do thử nghiệm\"}", name);
	else if (!strcmp(name, "request_supplement"))
		snprintf(buf, n, "{\"action\":\"%s\",\"reason\":\"Thiếu giấy tờ\","
			 "\"items\":[{\"name\":\"Bản sao giấy tờ\",\"kind\":\"copy\"}]}", name);
	else if (!strcmp(name, "extend"))
		snprintf(buf, n, "{\"action\":\"extend\",\"reason\":\"Cần xác minh\","
			 "\"new_appointment\":\"2027-06-30T16:00:00+07:00\"}");
	else if (!strcmp(name, "resolve"))
		snprintf(buf, n, "{\"action\":\"resolve\",\"result\":\"Đã giải quyết\"}");
	else if (!strcmp(name, "return"))
		snprintf(buf, n, "{\"action\":\"return\",\"method\":\"counter\"}");
	else if (!strcmp(name, "request_payment"))
		snprintf(buf, n, "{\"action\":\"request_payment\",\"amount_vnd\":50000}");
	else if (!strcmp(name, "payment_received"))
		snprintf(buf, n, "{\"action\":\"payment_received\",\"method\":\"%s\"}",
			 rnd(2) ? "online" : "counter");
	else
		snprintf(buf, n, "{\"action\":\"%s\"}", name);
	return buf;
}

/* Who acts for each dossier: the users whose allowed_actions we read. */
static const char *const actors[] = {
	"clerk", "officer", "officer.thue", "manager.nnmt", "officer.tuphap", "officer.congan",
	"manager", "clerk.hacthanh", "officer.hacthanh", "manager.hacthanh",
};

#define ARRAY_SIZE_ACTORS (sizeof(actors) / sizeof(actors[0]))

/* Take one random allowed step; 1 if an action was taken. */
static int random_step(const char *code)
{
	char path[96], body[400];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	for (int tries = 0; tries < 12; tries++) {
		const char *user = actors[rnd(ARRAY_SIZE_ACTORS)];
		struct tu_response *r = tu_request("GET", path, tu_login(user), NULL, NULL, NULL);
		if (r->status != 200) {
			tu_response_free(r);
			continue;
		}
		const cJSON *allowed = cJSON_GetObjectItemCaseSensitive(r->json, "allowed_actions");
		int n = cJSON_GetArraySize(allowed);
		if (n == 0) {
			tu_response_free(r);
			continue;
		}
		/* Prefer progress: resolve/transfer/return more often than exits. */
		const cJSON *pick = cJSON_GetArrayItem(allowed, (int)rnd((unsigned)n));
		char name[40];
		snprintf(name, sizeof(name), "%s", pick->valuestring);
		tu_response_free(r);
		if ((!strcmp(name, "refuse") || !strcmp(name, "withdraw_request")) && rnd(4))
			continue;
		r = tu_action(user, code, action_body(name, body, sizeof(body)));
		ck_assert_msg(r->status == 200 || r->status == 409 || r->status == 422,
			      "%s %s by %s: %d %s", name, code, user, r->status, r->body);
		int ok = r->status == 200;
		tu_response_free(r);
		if (ok)
			return 1;
	}
	return 0;
}

static const char *const procedures[][2] = {
	{ "1.013831", "clerk" },	/* NN&MT → Thuế → NN&MT, 18 working days */
	{ "3.000333", "clerk" },	/* Tư pháp → Công an, 10 calendar days */
	{ "1.001193", "clerk.hacthanh" },	/* commune, immediate */
	{ "2.001583", "clerk" },	/* business registration, 3 working days, fee */
};

/* Receive dossiers over two months of simulated time and move them along
 * at random, so the aggregates see every kind of change on many days. */
static void simulate(int dossiers)
{
	char codes[64][40];
	int n = dossiers < 64 ? dossiers : 64;
	rng_state = 20261122;
	for (int i = 0; i < n; i++) {
		int day = 1 + i % 28;
		tu_set_now_local(2026, 9, day, 8 + (int)rnd(9), (int)rnd(60));
		int p = (int)rnd(4);
		snprintf(codes[i], sizeof(codes[i]), "%s",
			 tu_receive(procedures[p][1], procedures[p][0], rnd(3) ? "direct" : "online"));
	}
	/* Then, day after day, some dossiers take a step. */
	for (int step = 0; step < 40; step++) {
		int month = 10 + step / 20, day = 1 + (step % 20);
		tu_set_now_local(2026, month, day, 9 + (int)rnd(7), (int)rnd(60));
		for (int k = 0; k < 6; k++)
			random_step(codes[rnd((unsigned)n)]);
	}
	tu_set_now_local(2026, 11, 25, 10, 0);
}

static void check_recount(void)
{
	struct db *db;
	struct recount_result res;
	char err[256];
	struct db_options opt = { .path = tu_db_path(), .busy_timeout_ms = 5000 };
	ck_assert_int_eq(db_open(&opt, 0, &db, err, sizeof(err)), 0);
	ck_assert_int_eq(recount_run(db, &res, NULL, NULL), 0);
	db_close(db);
	ck_assert_int_gt(res.dossiers, 0);
	ck_assert_int_gt(res.stored_rows, 0);
	ck_assert_msg(res.differences == 0, "%lld aggregate rows differ from the history",
		      (long long)res.differences);
	ck_assert_int_eq(res.state_differences, 0);
}

/* Walk every page of a list link and count its dossiers. */
static int count_list(const char *auth, const char *link)
{
	char path[1024], cursor[64] = "";
	int total = 0;
	for (;;) {
		snprintf(path, sizeof(path), "%s&limit=200%s%s", link, cursor[0] ? "&cursor=" : "", cursor);
		struct tu_response *r = tu_expect(200, "GET", path, auth, NULL);
		total += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r->json, "items"));
		const char *next = tu_str(r->json, "next_cursor");
		snprintf(cursor, sizeof(cursor), "%s", next ? next : "");
		tu_response_free(r);
		if (!cursor[0])
			return total;
	}
}

static const char *const measures[][2] = {
	{ "received", "received.total" }, { "carried", "received.carried" }, { "new_online", "received.new_online" },
	{ "new_direct_postal", "received.new_direct_postal" }, { "early", "resolved.early" },
	{ "on_time", "resolved.on_time" }, { "late", "resolved.late" }, { "stopped", "stopped" },
	{ "withdrawn", "withdrawn" }, { "in_progress", "in_progress.total" },
	{ "overdue", "in_progress.overdue" }, { "within", "in_progress.within" },
};

/* For one report: the invariant, and each figure of each row equals the
 * length of its drill-down list. */
static void check_report(const char *auth, const char *query)
{
	char path[256], lpath[64];
	snprintf(path, sizeof(path), "/api/v1/reports/summary?%s", query);
	struct tu_response *r = tu_expect(200, "GET", path, auth, NULL);
	ck_assert_msg(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->json, "invariant_ok")), "%s", query);
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(r->json, "rows");
	int nrows = cJSON_GetArraySize(rows);
	for (int i = -1; i < nrows; i++) {
		const cJSON *row = i < 0 ? cJSON_GetObjectItemCaseSensitive(r->json, "total")
					 : cJSON_GetArrayItem(rows, i);
		double rec = tu_num(row, "received.total"), res = tu_num(row, "resolved.total");
		double prog = tu_num(row, "in_progress.total");
		ck_assert_double_eq(rec, res + prog + tu_num(row, "stopped") + tu_num(row, "withdrawn"));
		for (size_t m = 0; m < sizeof(measures) / sizeof(measures[0]); m++) {
			snprintf(lpath, sizeof(lpath), "links.%s", measures[m][0]);
			const char *link = tu_str(row, lpath);
			double want = tu_num(row, measures[m][1]);
			/* null: a figure that is zero by construction, nothing to list */
			ck_assert_msg(link || want == 0, "%s: no link for %s", query, lpath);
			int got = link ? count_list(auth, link) : 0;
			ck_assert_msg(got == (int)want, "%s %s %s: report %g, list %d (%s)", query,
				      tu_str(row, "key"), measures[m][0], want, got, link);
		}
	}
	tu_response_free(r);
}

START_TEST(test_api_report_recount_invariant_drilldown)
{
	struct tu_options opt = { .dossiers = 150 };
	tu_server_start(&opt);
	simulate(48);
	check_recount();
	const char *auth = tu_login("manager");
	check_report(auth, "from=2026-09-01&to=2026-09-30&group_by=level");
	check_report(auth, "from=2026-10-10&to=2026-11-05&group_by=channel");
	check_report(auth, "from=2025-12-15&to=2026-11-25&group_by=none");
	check_report(auth, "from=2026-09-15&to=2026-10-20&group_by=procedure&agency=000.00.21.H56");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_report_supplement_pause_mode_recount)
{
	struct tu_options opt = { .supplement_pause = 1 };
	tu_server_start(&opt);
	simulate(40);
	check_recount();
	check_report(tu_login("manager"), "from=2026-09-01&to=2026-11-30&group_by=agency");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_report_scope)
{
	tu_server_start(NULL);
	/* A department manager sees their department, not another one. */
	tu_response_free(tu_expect(200, "GET", "/api/v1/reports/summary?agency=000.00.21.H56",
				   tu_login("manager.nnmt"), NULL));
	tu_response_free(tu_expect(403, "GET", "/api/v1/reports/summary?agency=000.00.41.H56",
				   tu_login("manager.nnmt"), NULL));
	/* An officer reports on their own agency only. */
	tu_response_free(tu_expect(403, "GET", "/api/v1/reports/indicators?agency=000.00.14.H56",
				   tu_login("officer"), NULL));
	/* Bad periods and groupings are refused with the field named. */
	struct tu_response *r = tu_expect(400, "GET", "/api/v1/reports/summary?from=2026-13-01",
					  tu_login("manager"), NULL);
	ck_assert_str_eq(tu_str(r->json, "error.field"), "from");
	tu_response_free(r);
	r = tu_expect(400, "GET", "/api/v1/reports/summary?from=2026-05-01&to=2026-04-01",
		      tu_login("manager"), NULL);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "invalid_period");
	tu_response_free(r);
	tu_response_free(tu_expect(400, "GET", "/api/v1/reports/summary?group_by=weekday",
				   tu_login("manager"), NULL));
	tu_response_free(tu_expect(401, "GET", "/api/v1/reports/summary", NULL, NULL));
	tu_server_stop();
}
END_TEST

START_TEST(test_api_report_overdue_list_and_counts)
{
	tu_server_start(NULL);
	/* Two dossiers received on a Monday; one resolved in time, the other
	 * left to go overdue; then an apology for a third. */
	tu_set_now_local(2026, 10, 5, 9, 0);
	char a[40], b[40], c[40];
	/* 1.013237: one step at Sở Xây dựng, 6 working days: due Tue 13/10 09:00. */
	snprintf(a, sizeof(a), "%s", tu_receive("clerk", "1.013237", "direct"));
	snprintf(b, sizeof(b), "%s", tu_receive("clerk", "1.013237", "direct"));
	snprintf(c, sizeof(c), "%s", tu_receive("clerk", "1.013237", "direct"));
	for (int i = 0; i < 3; i++) {
		const char *code = i == 0 ? a : i == 1 ? b : c;
		tu_response_free(tu_action("clerk", code, "{\"action\":\"transfer\"}"));
	}
	tu_set_now_local(2026, 10, 6, 9, 0);
	struct tu_response *r = tu_action("officer.xaydung", a, "{\"action\":\"resolve\",\"result\":\"xong\"}");
	ck_assert_int_eq(r->status, 200);
	tu_response_free(r);
	/* The province's manager is above Sở Xây dựng and may extend. */
	r = tu_action("manager", c,
		"{\"action\":\"extend\",\"reason\":\"Xác minh\",\"new_appointment\":\"2026-10-20T16:00:00+07:00\"}");
	ck_assert_int_eq(r->status, 200);
	tu_response_free(r);
	tu_set_now_local(2026, 10, 15, 10, 0);
	const char *auth = tu_login("manager");
	r = tu_expect(200, "GET", "/api/v1/reports/overdue?agency=000.00.08.H56", auth, NULL);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(r->json, "items");
	ck_assert_int_eq(cJSON_GetArraySize(items), 2);
	for (int i = 0; i < 2; i++) {
		const cJSON *it = cJSON_GetArrayItem(items, i);
		const char *code = tu_str(it, "code");
		ck_assert(!strcmp(code, b) || !strcmp(code, c));
		ck_assert_int_eq(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "apology_issued")),
				 !strcmp(code, c));
		ck_assert_str_eq(tu_str(it, "due_at"), "2026-10-13T09:00:00+07:00");
		ck_assert_double_eq(tu_num(it, "days_overdue"), 2);
	}
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/reports/overdue/summary", auth, NULL);
	ck_assert_double_eq(tu_num(r->json, "overdue"), 2);
	ck_assert_double_eq(tu_num(r->json, "apology_missing"), 1);
	tu_response_free(r);
	/* The same count through the report's figure for today. */
	r = tu_expect(200, "GET",
		      "/api/v1/reports/summary?from=2026-10-01&to=2026-10-15&group_by=agency&agency=000.00.08.H56",
		      auth, NULL);
	ck_assert_double_eq(tu_num(r->json, "total.in_progress.overdue"), 2);
	ck_assert_double_eq(tu_num(r->json, "total.resolved.early"), 1);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

Suite *api_report_suite(void)
{
	Suite *s = suite_create("api_report");
	TCase *tc = tcase_create("report");
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, test_api_report_recount_invariant_drilldown);
	tcase_add_test(tc, test_api_report_supplement_pause_mode_recount);
	tcase_add_test(tc, test_api_report_scope);
	tcase_add_test(tc, test_api_report_overdue_list_and_counts);
	suite_add_tcase(s, tc);
	return s;
}
