/*
 * motcua tests — the one-time rating link printed on Form 01: the same
 * link on every reprint, recorded by the first print, refused before the
 * result is returned, accepted once after it, and gone from the form once
 * used.
 */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "tests.h"

/* The rating link on a printed Form 01, copied into out ("" if none). */
static void form_link(const char *code, char *out, size_t n)
{
	char path[96];
	snprintf(path, sizeof(path), "/forms/%s/01", code);
	struct tu_response *r = tu_expect(200, "GET", path, tu_login("clerk"), NULL);
	const char *p = strstr(r->body, "class=\"rating-url\">");
	out[0] = '\0';
	if (p) {
		p += strlen("class=\"rating-url\">");
		snprintf(out, n, "%.*s", (int)strcspn(p, "<"), p);
	}
	tu_response_free(r);
}

static struct tu_response *rate(const char *token)
{
	char body[300];
	snprintf(body, sizeof(body), "{\"token\":\"%s\",\"time_score\":5,\"trips\":1,\"attitude_score\":4,"
		 "\"result_score\":5,\"unofficial_payment\":false,\"comment\":\"Tốt\"}", token);
	return tu_request("POST", "/api/v1/public/rating", NULL, body, NULL, NULL);
}

START_TEST(test_api_rating_form_link_is_stable_and_one_time)
{
	char first[400], again[400];
	tu_server_start(NULL);
	tu_set_now_local(2026, 10, 5, 9, 0);
	const char *code = tu_receive("clerk", "1.013237", "direct");
	char c[40];
	snprintf(c, sizeof(c), "%s", code);
	form_link(c, first, sizeof(first));
	ck_assert_msg(strstr(first, "/rate?t=") != NULL, "Form 01 prints a rating link: '%s'", first);
	form_link(c, again, sizeof(again));
	ck_assert_str_eq(first, again);	/* reprints show the same link */
	const char *token = strstr(first, "t=") + 2;
	/* Before the result is returned the link is refused. */
	struct tu_response *r = rate(token);
	ck_assert_int_eq(r->status, 409);
	tu_response_free(r);
	const char *steps[] = { "{\"action\":\"transfer\"}", "{\"action\":\"resolve\",\"result\":\"xong\"}",
				"{\"action\":\"return\",\"method\":\"counter\"}" };
	const char *who[] = { "clerk", "officer.xaydung", "clerk" };
	for (int i = 0; i < 3; i++) {
		r = tu_action(who[i], c, steps[i]);
		ck_assert_msg(r->status == 200, "%s: %s", steps[i], r->body);
		tu_response_free(r);
	}
	r = rate(token);
	ck_assert_msg(r->status == 200 || r->status == 201, "rating: %d %s", r->status, r->body);
	tu_response_free(r);
	r = rate(token);
	ck_assert_int_eq(r->status, 409);	/* once only */
	tu_response_free(r);
	form_link(c, again, sizeof(again));
	ck_assert_str_eq(again, "");		/* a used link is no longer printed */
	/* The rating shows in the manager's indicators for the lead agency. */
	r = tu_expect(200, "GET", "/api/v1/reports/indicators?from=2026-10-01&to=2026-10-31",
		      tu_login("manager"), NULL);
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(r->json, "items"), *it;
	int seen = 0;
	cJSON_ArrayForEach(it, items) {
		if (strcmp(tu_str(it, "agency"), "000.00.08.H56"))
			continue;
		seen = 1;
		ck_assert_double_eq(tu_num(it, "satisfaction.ratings"), 1);
		ck_assert_double_eq(tu_num(it, "satisfaction.avg_attitude"), 4);
		ck_assert_double_eq(tu_num(it, "satisfaction_54"), 100);
	}
	ck_assert(seen);
	ck_assert_double_eq(tu_num(r->json, "total.satisfaction.ratings"), 1);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

Suite *api_rating_form_suite(void)
{
	Suite *s = suite_create("api_rating_form");
	TCase *tc = tcase_create("rating_form");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_rating_form_link_is_stable_and_one_time);
	suite_add_tcase(s, tc);
	return s;
}
