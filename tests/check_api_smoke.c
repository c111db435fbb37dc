/*
 * motcua tests — a first end-to-end pass through the real HTTP server:
 * log in, preview a due time, receive a dossier and find it again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tests.h"

START_TEST(test_api_smoke_receive_and_find)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 2, 13, 16, 0);	/* Friday before Tết 2026 */
	const char *clerk = tu_login("clerk");
	struct tu_response *r = tu_expect(200, "GET",
		"/api/v1/deadline?procedure=1.013831&channel=direct", clerk, NULL);
	/* 18 working days: 1 h on Friday, Tết 16–20/2 off, back Monday 23/2. */
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-18T16:00:00+07:00");
	tu_response_free(r);
	const char *code = tu_receive("clerk", "1.013831", "direct");
	ck_assert_str_eq(code, "000.01.01.H56-260213-0001");
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	r = tu_expect(200, "GET", path, clerk, NULL);
	ck_assert_str_eq(tu_str(r->json, "state"), "received");
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-18T16:00:00+07:00");
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/dossiers?q=038090001234", clerk, NULL);
	ck_assert_str_eq(tu_str(r->json, "items.0.code"), code);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

Suite *api_smoke_suite(void)
{
	Suite *s = suite_create("api_smoke");
	TCase *tc = tcase_create("smoke");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_smoke_receive_and_find);
	suite_add_tcase(s, tc);
	return s;
}
