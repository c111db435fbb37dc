/*
 * motcua tests — the admin endpoints (api_admin.c) through the real
 * server: staff accounts, procedure limits and chains, the look-ups the
 * staff pages use. Each test checks that a change takes effect where it
 * matters (a login, a deadline, a new dossier's chain), that other roles
 * are refused, that bad input names its field, and that the change left a
 * history row.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tests.h"

/* Expect an error envelope with this status, code and field. */
static void expect_error(int status, const char *method, const char *path, const char *auth,
			 const char *body, const char *code, const char *field)
{
	struct tu_response *r = tu_expect(status, method, path, auth, body);
	ck_assert_msg(r->json != NULL, "%s %s: no JSON body", method, path);
	ck_assert_str_eq(tu_str(r->json, "error.code"), code);
	if (field)
		ck_assert_str_eq(tu_str(r->json, "error.field"), field);
	tu_response_free(r);
}

/* Log in with a password; returns the status. The cookie goes to out. */
static int login_with(const char *username, const char *password, char *out, size_t n)
{
	char body[300];
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
	struct tu_response *r = tu_request("POST", "/api/v1/session", NULL, body, NULL, NULL);
	int status = r->status;
	const char *sc = tu_header(r, "set-cookie");
	if (out && n)
		snprintf(out, n, "cookie:%.*s", sc ? (int)strcspn(sc, ";") : 0, sc ? sc : "");
	tu_response_free(r);
	return status;
}

/* Rows of the history with this action and note. */
static int history_rows(const char *action, const char *note)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int n = -1;
	ck_assert_int_eq(sqlite3_open_v2(tu_db_path(), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db,
		"SELECT count(*) FROM event WHERE action = ?1 AND note = ?2", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, note, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* ---- accounts ------------------------------------------------------------ */

START_TEST(test_api_admin_users_list_and_roles)
{
	tu_server_start(NULL);
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/users", tu_login("admin"), NULL);
	int found = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(r->json, "items"))
		if (strcmp(tu_str(it, "username"), "clerk") == 0) {
			found = 1;
			ck_assert_str_eq(tu_str(it, "role"), "clerk");
			ck_assert_str_eq(tu_str(it, "agency.code"), "000.01.01.H56");
			ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(it, "disabled")));
			ck_assert_ptr_null(cJSON_GetObjectItem(it, "password_hash"));
		}
	ck_assert(found);
	tu_response_free(r);
	expect_error(403, "GET", "/api/v1/users", tu_login("manager"), NULL, "forbidden", NULL);
	expect_error(401, "GET", "/api/v1/users", NULL, NULL, "unauthenticated", NULL);
	expect_error(403, "POST", "/api/v1/users", tu_login("clerk"),
		     "{\"username\":\"x1\",\"full_name\":\"X\",\"role\":\"clerk\","
		     "\"agency\":\"000.01.01.H56\",\"password\":\"correct horse 42\"}", "forbidden", NULL);
	expect_error(403, "POST", "/api/v1/users/clerk/disable", tu_login("officer"), "{}", "forbidden", NULL);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_admin_create_user)
{
	tu_server_start(NULL);
	const char *admin = tu_login("admin");
	struct tu_response *r = tu_expect(201, "POST", "/api/v1/users", admin,
		"{\"username\":\"clerk.moi\",\"full_name\":\"Đinh Thị Mới\",\"role\":\"clerk\","
		"\"agency\":\"000.00.51.H56\",\"password\":\"mật khẩu mới 2026\"}");
	ck_assert_str_eq(tu_str(r->json, "username"), "clerk.moi");
	ck_assert_str_eq(tu_str(r->json, "full_name"), "Đinh Thị Mới");
	ck_assert_str_eq(tu_str(r->json, "agency.code"), "000.00.51.H56");
	ck_assert_str_eq(tu_header(r, "location"), "/api/v1/users/clerk.moi");
	tu_response_free(r);
	/* The new clerk works at once: logs in and receives a commune dossier. */
	char cookie[128];
	ck_assert_int_eq(login_with("clerk.moi", "mật khẩu mới 2026", cookie, sizeof(cookie)), 201);
	r = tu_expect(200, "GET", "/api/v1/session", cookie, NULL);
	ck_assert_str_eq(tu_str(r->json, "user.role"), "clerk");
	ck_assert_str_eq(tu_str(r->json, "user.agency.code"), "000.00.51.H56");
	tu_response_free(r);
	ck_assert_int_eq(history_rows("user_create", "clerk.moi"), 1);

	const char *base = "{\"full_name\":\"A\",\"role\":\"clerk\",\"agency\":\"000.01.01.H56\","
			   "\"password\":\"correct horse 42\",";
	char body[400];
	snprintf(body, sizeof(body), "%s\"username\":\"clerk.moi\"}", base);
	expect_error(409, "POST", "/api/v1/users", admin, body, "username_taken", "username");
	snprintf(body, sizeof(body), "%s\"username\":\"Có Dấu\"}", base);
	expect_error(422, "POST", "/api/v1/users", admin, body, "invalid_username", "username");
	expect_error(422, "POST", "/api/v1/users", admin,
		     "{\"username\":\"weak\",\"full_name\":\"A\",\"role\":\"clerk\","
		     "\"agency\":\"000.01.01.H56\",\"password\":\"short\"}", "weak_password", "password");
	expect_error(422, "POST", "/api/v1/users", admin,
		     "{\"username\":\"noagency\",\"full_name\":\"A\",\"role\":\"clerk\","
		     "\"agency\":\"999.99.99.H99\",\"password\":\"correct horse 42\"}", "unknown_agency", "agency");
	expect_error(422, "POST", "/api/v1/users", admin,
		     "{\"username\":\"norole\",\"full_name\":\"A\",\"role\":\"boss\","
		     "\"agency\":\"000.01.01.H56\",\"password\":\"correct horse 42\"}", "invalid_field", "role");
	snprintf(body, sizeof(body), "%s\"username\":\"extra\",\"disabled\":true}", base);
	expect_error(422, "POST", "/api/v1/users", admin, body, "unknown_field", "disabled");
	expect_error(422, "POST", "/api/v1/users", admin, "{\"username\":\"nofields\"}", "missing_field", NULL);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_admin_disable_ends_sessions)
{
	tu_server_start(NULL);
	const char *admin = tu_login("admin");
	const char *clerk = tu_login("clerk");
	tu_response_free(tu_expect(200, "GET", "/api/v1/session", clerk, NULL));
	struct tu_response *r = tu_expect(200, "POST", "/api/v1/users/clerk/disable", admin,
					  "{\"note\":\"Chuyển công tác\"}");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "disabled")));
	tu_response_free(r);
	/* The open session is gone at once, and logging in again is refused. */
	expect_error(401, "GET", "/api/v1/session", clerk, NULL, "unauthenticated", NULL);
	ck_assert_int_eq(login_with("clerk", "demo-2026", NULL, 0), 401);
	ck_assert_int_eq(history_rows("user_disable", "clerk"), 1);

	r = tu_expect(200, "POST", "/api/v1/users/clerk/enable", admin, "{}");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "disabled")));
	tu_response_free(r);
	ck_assert_int_eq(login_with("clerk", "demo-2026", NULL, 0), 201);

	expect_error(409, "POST", "/api/v1/users/admin/disable", admin, "{}", "cannot_disable_self", NULL);
	expect_error(404, "POST", "/api/v1/users/nobody/disable", admin, "{}", "not_found", NULL);
	expect_error(422, "POST", "/api/v1/users/clerk/disable", admin, "{\"why\":1}", "unknown_field", "why");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_admin_enable_clears_lock)
{
	tu_server_start(NULL);
	const char *admin = tu_login("admin");
	for (int i = 0; i < 5; i++)
		login_with("officer.thue", "wrong password", NULL, 0);
	ck_assert_int_eq(login_with("officer.thue", "demo-2026", NULL, 0), 429);
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/users", admin, NULL);
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(r->json, "items"))
		if (strcmp(tu_str(it, "username"), "officer.thue") == 0)
			ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(it, "locked")));
	tu_response_free(r);
	tu_response_free(tu_expect(200, "POST", "/api/v1/users/officer.thue/enable", admin, "{}"));
	ck_assert_int_eq(login_with("officer.thue", "demo-2026", NULL, 0), 201);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_admin_reset_password)
{
	tu_server_start(NULL);
	const char *admin = tu_login("admin");
	const char *clerk = tu_login("clerk");
	tu_response_free(tu_expect(204, "POST", "/api/v1/users/clerk/password", admin,
				   "{\"password\":\"một mật khẩu dài\"}"));
	expect_error(401, "GET", "/api/v1/session", clerk, NULL, "unauthenticated", NULL);
	ck_assert_int_eq(login_with("clerk", "demo-2026", NULL, 0), 401);
	ck_assert_int_eq(login_with("clerk", "một mật khẩu dài", NULL, 0), 201);
	ck_assert_int_eq(history_rows("user_password", "clerk"), 1);
	expect_error(422, "POST", "/api/v1/users/clerk/password", admin, "{\"password\":\"password\"}",
		     "weak_password", "password");
	expect_error(404, "POST", "/api/v1/users/nobody/password", admin,
		     "{\"password\":\"correct horse 42\"}", "not_found", NULL);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_admin_change_own_password)
{
	tu_server_start(NULL);
	char here[128], elsewhere[128];
	ck_assert_int_eq(login_with("officer", "demo-2026", here, sizeof(here)), 201);
	ck_assert_int_eq(login_with("officer", "demo-2026", elsewhere, sizeof(elsewhere)), 201);
	expect_error(422, "POST", "/api/v1/users/officer/password", here,
		     "{\"current_password\":\"guess\",\"password\":\"correct horse 42\"}",
		     "wrong_password", "current_password");
	expect_error(422, "POST", "/api/v1/users/officer/password", here,
		     "{\"password\":\"correct horse 42\"}", "missing_field", "current_password");
	expect_error(403, "POST", "/api/v1/users/clerk/password", here,
		     "{\"current_password\":\"demo-2026\",\"password\":\"correct horse 42\"}", "forbidden", NULL);
	tu_response_free(tu_expect(204, "POST", "/api/v1/users/officer/password", here,
				   "{\"current_password\":\"demo-2026\",\"password\":\"correct horse 42\"}"));
	/* The session it was changed from stays; the other one ends. */
	tu_response_free(tu_expect(200, "GET", "/api/v1/session", here, NULL));
	expect_error(401, "GET", "/api/v1/session", elsewhere, NULL, "unauthenticated", NULL);
	ck_assert_int_eq(login_with("officer", "correct horse 42", NULL, 0), 201);
	tu_server_stop();
}
END_TEST

/* ---- procedures ------------------------------------------------------------ */

static const char *due_of(const char *cookie, const char *channel)
{
	static char due[40];
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/deadline?procedure=1.013831&channel=%s", channel);
	struct tu_response *r = tu_expect(200, "GET", path, cookie, NULL);
	snprintf(due, sizeof(due), "%s", tu_str(r->json, "due_at"));
	tu_response_free(r);
	return due;
}

START_TEST(test_api_admin_procedure_limits_change_deadline)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);	/* a Monday */
	const char *admin = tu_login("admin"), *clerk = tu_login("clerk");
	struct tu_response *r = tu_expect(200, "PUT", "/api/v1/procedures/1.013831", admin,
		"{\"limit\":{\"value\":5,\"unit\":\"working_days\"},\"fee_vnd\":150000,"
		"\"online_level\":\"partial\"}");
	ck_assert_int_eq((int)tu_num(r->json, "limit.value"), 5);
	ck_assert_str_eq(tu_str(r->json, "limit.unit"), "working_days");
	ck_assert_int_eq((int)tu_num(r->json, "fee_vnd"), 150000);
	ck_assert_str_eq(tu_str(r->json, "online_level"), "partial");
	ck_assert_str_eq(tu_str(r->json, "chain.1.agency.code"), "000.00.41.H56");
	tu_response_free(r);
	ck_assert_str_eq(due_of(clerk, "direct"), "2026-03-09T09:00:00+07:00");

	tu_response_free(tu_expect(200, "PUT", "/api/v1/procedures/1.013831", admin,
		"{\"online_limit\":{\"value\":4,\"unit\":\"working_hours\"}}"));
	ck_assert_str_eq(due_of(clerk, "online"), "2026-03-02T14:30:00+07:00");
	ck_assert_str_eq(due_of(clerk, "direct"), "2026-03-09T09:00:00+07:00");
	r = tu_expect(200, "PUT", "/api/v1/procedures/1.013831", admin,
		      "{\"online_limit\":null,\"fee_vnd\":null}");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(r->json, "online_limit")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(r->json, "fee_vnd")));
	ck_assert_int_eq((int)tu_num(r->json, "limit.value"), 5);	/* left out: kept */
	tu_response_free(r);
	ck_assert_str_eq(due_of(clerk, "online"), "2026-03-09T09:00:00+07:00");
	ck_assert_int_eq(history_rows("procedure_update", "1.013831"), 3);

	const char *p = "/api/v1/procedures/1.013831";
	expect_error(422, "PUT", p, admin, "{\"limit\":{\"value\":3,\"unit\":\"weeks\"}}", "invalid_field", "limit.unit");
	expect_error(422, "PUT", p, admin, "{\"limit\":{\"value\":0,\"unit\":\"working_days\"}}",
		     "invalid_field", "limit.value");
	expect_error(422, "PUT", p, admin, "{\"online_limit\":{\"value\":0,\"unit\":\"none\"}}",
		     "invalid_field", "online_limit.unit");
	expect_error(422, "PUT", p, admin, "{\"fee_vnd\":-5}", "invalid_field", "fee_vnd");
	expect_error(422, "PUT", p, admin, "{\"agency\":\"000.99.99.H56\"}", "unknown_agency", "agency");
	expect_error(422, "PUT", p, admin, "{\"name\":\"renamed\"}", "unknown_field", "name");
	expect_error(404, "PUT", "/api/v1/procedures/9.999999", admin, "{\"active\":true}", "not_found", NULL);
	expect_error(403, "PUT", p, tu_login("manager"), "{\"active\":false}", "forbidden", NULL);
	ck_assert_int_eq(history_rows("procedure_update", "1.013831"), 3);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_admin_deactivate_hides_from_search)
{
	tu_server_start(NULL);
	const char *admin = tu_login("admin"), *clerk = tu_login("clerk.hacthanh");
	tu_response_free(tu_expect(200, "PUT", "/api/v1/procedures/1.001193", admin, "{\"active\":false}"));
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/procedures?q=1.001193", clerk, NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 0);
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/admin/procedures?q=khai%20sinh&active=false", admin, NULL);
	ck_assert_str_eq(tu_str(r->json, "items.0.code"), "1.001193");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "items"), 0),
						    "active")));
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/admin/procedures?q=1.0018&limit=2", admin, NULL);
	ck_assert_int_le(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items")), 2);
	tu_response_free(r);
	expect_error(400, "GET", "/api/v1/admin/procedures?active=maybe", admin, NULL, "invalid_parameter", "active");
	expect_error(403, "GET", "/api/v1/admin/procedures", clerk, NULL, "forbidden", NULL);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_admin_chain_applies_to_new_dossiers)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	const char *admin = tu_login("admin");
	const char *before = tu_receive("clerk", "1.013831", "direct");
	char old_code[40];
	snprintf(old_code, sizeof(old_code), "%s", before);
	struct tu_response *r = tu_expect(200, "PUT", "/api/v1/procedures/1.013831/chain", admin,
		"{\"steps\":[{\"agency\":\"000.00.21.H56\",\"task\":\"Thẩm định\",\"work_hours\":40},"
		"{\"agency\":null,\"task\":\"Trả kết quả\",\"work_hours\":8}]}");
	ck_assert_int_eq((int)tu_num(r->json, "steps"), 2);
	ck_assert_str_eq(tu_str(r->json, "chain.0.agency.code"), "000.00.21.H56");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "chain"), 1),
						   "agency")));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "warnings")), 0);
	tu_response_free(r);
	ck_assert_int_eq(history_rows("procedure_chain_set", "1.013831"), 1);

	/* A new dossier follows the new chain; the step without an agency is
	 * the receiving one-stop's. The old dossier keeps its three steps. */
	const char *code = tu_receive("clerk", "1.013831", "direct");
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	r = tu_expect(200, "GET", path, tu_login("clerk"), NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "chain")), 2);
	ck_assert_str_eq(tu_str(r->json, "chain.1.agency.code"), "000.01.01.H56");
	tu_response_free(r);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", old_code);
	r = tu_expect(200, "GET", path, tu_login("clerk"), NULL);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "chain")), 3);
	tu_response_free(r);

	/* 18 working days is 144 hours: a longer chain is saved with a warning. */
	r = tu_expect(200, "PUT", "/api/v1/procedures/1.013831/chain", admin,
		      "{\"steps\":[{\"agency\":\"000.00.21.H56\",\"task\":\"Thẩm định\",\"work_hours\":200}]}");
	ck_assert_str_eq(tu_str(r->json, "warnings.0.code"), "chain_longer_than_limit");
	tu_response_free(r);

	const char *p = "/api/v1/procedures/1.013831/chain";
	expect_error(422, "PUT", p, admin, "{\"steps\":[]}", "invalid_field", "steps");
	expect_error(422, "PUT", p, admin,
		     "{\"steps\":[{\"task\":\"a\",\"work_hours\":8},{\"agency\":\"000.77.77.H56\",\"work_hours\":8}]}",
		     "unknown_agency", "steps[1].agency");
	expect_error(422, "PUT", p, admin, "{\"steps\":[{\"task\":\"a\"}]}", "missing_field", "steps[0].work_hours");
	expect_error(422, "PUT", p, admin, "{\"steps\":[{\"work_hours\":-1}]}", "invalid_field", "steps[0].work_hours");
	expect_error(403, "PUT", p, tu_login("officer"), "{\"steps\":[{\"work_hours\":8}]}", "forbidden", NULL);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_admin_agency_officers)
{
	tu_server_start(NULL);
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/agencies/000.00.21.H56/officers",
					  tu_login("clerk"), NULL);
	int officer = 0, manager = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(r->json, "items")) {
		officer |= strcmp(tu_str(it, "username"), "officer") == 0;
		manager |= strcmp(tu_str(it, "username"), "manager.nnmt") == 0;
		ck_assert(strcmp(tu_str(it, "role"), "clerk") != 0);
	}
	ck_assert(officer && manager);
	tu_response_free(r);
	/* A disabled officer is not offered as an assignee. */
	tu_response_free(tu_expect(200, "POST", "/api/v1/users/officer/disable", tu_login("admin"), "{}"));
	r = tu_expect(200, "GET", "/api/v1/agencies/000.00.21.H56/officers", tu_login("clerk"), NULL);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(r->json, "items"))
		ck_assert_str_ne(tu_str(it, "username"), "officer");
	tu_response_free(r);
	expect_error(404, "GET", "/api/v1/agencies/000.99.99.H56/officers", tu_login("clerk"), NULL,
		     "not_found", NULL);
	tu_server_stop();
}
END_TEST

Suite *api_admin_suite(void)
{
	Suite *s = suite_create("api_admin");
	TCase *tc = tcase_create("accounts");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_admin_users_list_and_roles);
	tcase_add_test(tc, test_api_admin_create_user);
	tcase_add_test(tc, test_api_admin_disable_ends_sessions);
	tcase_add_test(tc, test_api_admin_enable_clears_lock);
	tcase_add_test(tc, test_api_admin_reset_password);
	tcase_add_test(tc, test_api_admin_change_own_password);
	suite_add_tcase(s, tc);
	tc = tcase_create("procedures");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_admin_procedure_limits_change_deadline);
	tcase_add_test(tc, test_api_admin_deactivate_hides_from_search);
	tcase_add_test(tc, test_api_admin_chain_applies_to_new_dossiers);
	tcase_add_test(tc, test_api_admin_agency_officers);
	suite_add_tcase(s, tc);
	return s;
}
