/*
 * motcua tests — access control and hostile input over real HTTP (issue 8):
 * login throttling and lockout, the same cost for unknown usernames,
 * session idle and absolute timeouts, security headers on every route and
 * every compiled-in page, changes refused from other sites or without
 * JSON, a permission matrix generated from route_table (every endpoint as
 * every role and anonymous, on its own agency's resources and another's),
 * the route masks against the policy, the static-file path check, chunked
 * bodies refused, slow-header and slow-body clients cut off, and a quick
 * storm of malformed requests (tests/storm.c; bench/storm.c sends 100,000).
 *
 * Demo province: Hạc Thành (000.00.51.H56, "A") has clerk.hacthanh,
 * officer.hacthanh and manager.hacthanh; the matrix adds the same three
 * roles at Quảng Phú (000.00.52.H56, "B"). admin and auditor sit at the
 * province and see every agency. 1.001193 (birth registration) is a
 * commune procedure worked at the receiving commune.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "buf.h"
#include "embed.h"
#include "http.h"
#include "principal.h"
#include "route.h"
#include "seed.h"
#include "storm.h"
#include "testutil.h"
#include "tests.h"
#include "util.h"

static const struct tu_options roomy = { 0, 0, 1000 };

/* POST /api/v1/session; the status, and "cookie:motcua_sid=…" in out. */
static int login(const char *username, const char *password, char *out, size_t n)
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

/* Like login(), keeping the whole answer (free it). */
static struct tu_response *login_answer(const char *username, const char *password)
{
	char body[300];
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
	return tu_request("POST", "/api/v1/session", NULL, body, NULL, NULL);
}

static double mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* ---- login --------------------------------------------------------------------- */

START_TEST(test_security_login_locks_the_account_with_a_clear_message)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	/* login_max_failures = 5: four plain refusals, the fifth locks. */
	for (int i = 1; i <= 4; i++) {
		struct tu_response *r = login_answer("clerk.hacthanh", "not the password");
		ck_assert_int_eq(r->status, 401);
		ck_assert_str_eq(tu_str(r->json, "error.code"), "invalid_credentials");
		tu_response_free(r);
	}
	struct tu_response *r = login_answer("clerk.hacthanh", "not the password");
	ck_assert_int_eq(r->status, 429);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "account_locked");
	ck_assert_ptr_nonnull(strstr(tu_str(r->json, "error.message"), "locked for 15 minutes"));
	ck_assert_str_eq(tu_header(r, "retry-after"), "900");
	tu_response_free(r);
	/* Locked: even the right password is refused, saying for how long. */
	tu_set_now_local(2026, 3, 2, 9, 5);
	r = login_answer("clerk.hacthanh", SEED_DEMO_PASSWORD);
	ck_assert_int_eq(r->status, 429);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "account_locked");
	ck_assert_ptr_nonnull(strstr(tu_str(r->json, "error.message"), "try again in 10 minutes"));
	ck_assert_str_eq(tu_header(r, "retry-after"), "600");
	tu_response_free(r);
	/* Other accounts are not affected. */
	ck_assert_int_eq(login("officer.hacthanh", SEED_DEMO_PASSWORD, NULL, 0), 201);
	/* After the lock the right password works, and the count restarts. */
	tu_set_now_local(2026, 3, 2, 9, 16);
	ck_assert_int_eq(login("clerk.hacthanh", SEED_DEMO_PASSWORD, NULL, 0), 201);
	ck_assert_int_eq(login("clerk.hacthanh", "not the password", NULL, 0), 401);
	ck_assert_int_eq(login("clerk.hacthanh", SEED_DEMO_PASSWORD, NULL, 0), 201);
	tu_server_stop();
}
END_TEST

START_TEST(test_security_login_throttled_per_address_across_accounts)
{
	struct app *app = tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	app->cfg.login_per_minute = 30;
	/* One address tries one password on many names, real or not. */
	static const char *const users[] = { "clerk", "officer", "manager", "auditor", "officer.thue",
					     "officer.tuphap" };
	char name[32];
	for (int i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "guess.%d", i);
		ck_assert_int_eq(login(i < 6 ? users[i] : name, "Summer2026!", NULL, 0), 401);
	}
	/* The next attempt is refused before any password is checked, even a
	 * right one, with a clear message and Retry-After. */
	struct tu_response *r = login_answer("clerk.hacthanh", SEED_DEMO_PASSWORD);
	ck_assert_int_eq(r->status, 429);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "too_many_attempts");
	ck_assert_ptr_nonnull(strstr(tu_str(r->json, "error.message"), "Too many login attempts"));
	const char *after = tu_header(r, "retry-after");
	ck_assert_ptr_nonnull(after);
	ck_assert_int_ge(atoi(after), 1);
	ck_assert_int_le(atoi(after), 2);
	tu_response_free(r);
	/* No account was locked by it: each saw one failure at most. */
	ck_assert_int_eq(tu_db_int("SELECT max(failed_logins) FROM account"), 1);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM account WHERE locked_until > 0"), 0);
	/* The bucket refills at 30 a minute: 2 s later one attempt is allowed,
	 * and only one. */
	usleep(2100 * 1000);
	ck_assert_int_eq(login("clerk.hacthanh", SEED_DEMO_PASSWORD, NULL, 0), 201);
	ck_assert_int_eq(login("clerk.hacthanh", SEED_DEMO_PASSWORD, NULL, 0), 429);
	tu_server_stop();
}
END_TEST

/* Median of n timed login attempts, in milliseconds. */
static double median_login_ms(const char *user, const char *password, int n, int expect)
{
	double t[16];
	for (int i = 0; i < n; i++) {
		double t0 = mono_ms();
		ck_assert_int_eq(login(user, password, NULL, 0), expect);
		t[i] = mono_ms() - t0;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp_double);
	return t[n / 2];
}

START_TEST(test_security_login_unknown_user_costs_a_password_check)
{
	struct app *app = tu_server_start(NULL);
	/* A real cost, so the difference would show: about 10–40 ms a hash. */
	app->cfg.pwhash_ops = 2;
	app->cfg.pwhash_mem_kib = 16384;
	app->cfg.login_per_minute = 1000;
	app->cfg.login_max_failures = 1000;
	struct tu_response *r = tu_expect(201, "POST", "/api/v1/users", tu_login("admin"),
		"{\"username\":\"clerk.timing\",\"full_name\":\"Thời Gian\",\"role\":\"clerk\","
		"\"agency\":\"000.00.51.H56\",\"password\":\"một mật khẩu dài 2026\"}");
	tu_response_free(r);
	/* Warm up (the dummy hash is made on first use). */
	ck_assert_int_eq(login("nobody.here", "whatever 2026", NULL, 0), 401);
	double known = median_login_ms("clerk.timing", "wrong password 2026", 7, 401);
	double unknown = median_login_ms("nobody.here", "wrong password 2026", 7, 401);
	/* Without the dummy check an unknown name answers in well under a
	 * millisecond, a known one only after the hash. */
	ck_assert_msg(known > 3.0, "a wrong password took only %.2f ms: the hash is too cheap to compare", known);
	ck_assert_msg(unknown > known * 0.5 && unknown < known * 2.0,
		      "unknown user %.2f ms vs wrong password %.2f ms: timing tells usernames apart", unknown,
		      known);
	/* The answers themselves are identical too. */
	struct tu_response *a = login_answer("clerk.timing", "wrong password 2026");
	struct tu_response *b = login_answer("nobody.here", "wrong password 2026");
	ck_assert_int_eq(a->status, b->status);
	ck_assert_str_eq(a->body, b->body);
	tu_response_free(a);
	tu_response_free(b);
	tu_server_stop();
}
END_TEST

/* ---- sessions ------------------------------------------------------------------ */

/* Move the server's clock alone. (tu_set_now also carries open sessions
 * along the jump, as if their users had been active: right for tests of
 * deadlines, wrong here, where sessions must expire.) */
static void travel(struct app *app, int64_t instant)
{
	app->clock_offset = instant - util_now();
	app->clock_fixed = instant;
}

/* Wait until the session's lazily recorded activity reaches at least t. */
static void wait_seen(int64_t t)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM session WHERE seen_at >= %lld", (long long)t);
	for (int i = 0; i < 200 && tu_db_int(sql) == 0; i++)
		usleep(10000);
	ck_assert_int_ge(tu_db_int(sql), 1);
}

static int whoami(const char *cookie)
{
	struct tu_response *r = tu_request("GET", "/api/v1/session", cookie, NULL, NULL, NULL);
	int s = r->status;
	tu_response_free(r);
	return s;
}

START_TEST(test_security_session_idle_timeout)
{
	char cookie[128];
	struct app *app = tu_server_start(NULL);
	int64_t t0 = tu_instant(2026, 3, 2, 9, 0);
	travel(app, t0);
	ck_assert_int_eq(login("clerk.hacthanh", SEED_DEMO_PASSWORD, cookie, sizeof(cookie)), 201);
	ck_assert_int_eq(whoami(cookie), 200);
	/* Activity every 29 minutes keeps it alive (idle limit: 30). */
	travel(app, t0 + 29 * 60);
	ck_assert_int_eq(whoami(cookie), 200);
	wait_seen(t0 + 29 * 60);
	travel(app, t0 + 58 * 60);
	ck_assert_int_eq(whoami(cookie), 200);
	wait_seen(t0 + 58 * 60);
	/* Just over 30 minutes without a request end it. */
	travel(app, t0 + 88 * 60 + 1);
	struct tu_response *r = tu_request("GET", "/api/v1/dossiers", cookie, NULL, NULL, NULL);
	ck_assert_int_eq(r->status, 401);
	ck_assert_str_eq(tu_str(r->json, "error.code"), "unauthenticated");
	tu_response_free(r);
	/* A new login works. */
	ck_assert_int_eq(login("clerk.hacthanh", SEED_DEMO_PASSWORD, cookie, sizeof(cookie)), 201);
	ck_assert_int_eq(whoami(cookie), 200);
	tu_server_stop();
}
END_TEST

START_TEST(test_security_session_absolute_timeout)
{
	char cookie[128];
	struct app *app = tu_server_start(NULL);
	int64_t t0 = tu_instant(2026, 3, 2, 7, 30);
	travel(app, t0);
	struct tu_response *r = login_answer("officer.hacthanh", SEED_DEMO_PASSWORD);
	ck_assert_int_eq(r->status, 201);
	const char *sc = tu_header(r, "set-cookie");
	ck_assert_ptr_nonnull(strstr(sc, "HttpOnly"));
	ck_assert_ptr_nonnull(strstr(sc, "SameSite=Strict"));
	ck_assert_ptr_nonnull(strstr(sc, "Path=/"));
	ck_assert_ptr_nonnull(strstr(sc, "Max-Age=36000"));
	snprintf(cookie, sizeof(cookie), "cookie:%.*s", (int)strcspn(sc, ";"), sc);
	tu_response_free(r);
	/* Busy all day: a request every 25 minutes for 9 h 50 min. */
	for (int m = 25; m <= 590; m += 25) {
		travel(app, t0 + m * 60);
		ck_assert_msg(whoami(cookie) == 200, "refused after %d minutes", m);
		wait_seen(t0 + m * 60);
	}
	/* Ten hours after logging in it ends, although it was used 10 minutes
	 * ago. */
	travel(app, t0 + 600 * 60);
	ck_assert_int_eq(whoami(cookie), 401);
	tu_server_stop();
}
END_TEST

START_TEST(test_security_logout_ends_the_session)
{
	char cookie[128];
	tu_server_start(NULL);
	ck_assert_int_eq(login("manager.hacthanh", SEED_DEMO_PASSWORD, cookie, sizeof(cookie)), 201);
	ck_assert_int_eq(whoami(cookie), 200);
	struct tu_response *r = tu_expect(204, "DELETE", "/api/v1/session", cookie, NULL);
	ck_assert_ptr_nonnull(strstr(tu_header(r, "set-cookie"), "Max-Age=0"));
	tu_response_free(r);
	/* Straight away, cache or not. */
	ck_assert_int_eq(whoami(cookie), 401);
	tu_server_stop();
}
END_TEST

/* ---- security headers ---------------------------------------------------------- */

static void check_headers(const struct tu_response *r, const char *what)
{
	const char *h = tu_header(r, "content-security-policy");
	ck_assert_msg(h && strstr(h, "default-src 'self'") && strstr(h, "frame-ancestors 'none'")
		      && strstr(h, "object-src 'none'") && strstr(h, "base-uri 'none'")
		      && !strstr(h, "unsafe-inline") && !strstr(h, "unsafe-eval"),
		      "%s: Content-Security-Policy %s", what, h ? h : "missing");
	h = tu_header(r, "x-content-type-options");
	ck_assert_msg(h && !strcmp(h, "nosniff"), "%s: X-Content-Type-Options %s", what, h ? h : "missing");
	h = tu_header(r, "x-frame-options");
	ck_assert_msg(h && !strcmp(h, "DENY"), "%s: X-Frame-Options %s", what, h ? h : "missing");
	h = tu_header(r, "referrer-policy");
	ck_assert_msg(h && !strcmp(h, "no-referrer"), "%s: Referrer-Policy %s", what, h ? h : "missing");
	h = tu_header(r, "cross-origin-opener-policy");
	ck_assert_msg(h && !strcmp(h, "same-origin"), "%s: COOP %s", what, h ? h : "missing");
	h = tu_header(r, "cross-origin-resource-policy");
	ck_assert_msg(h && !strcmp(h, "same-origin"), "%s: CORP %s", what, h ? h : "missing");
	ck_assert_msg(tu_header(r, "permissions-policy") != NULL, "%s: no Permissions-Policy", what);
	ck_assert_msg(tu_header(r, "cache-control") != NULL, "%s: no Cache-Control", what);
	ck_assert_msg(tu_header(r, "x-request-id") != NULL, "%s: no X-Request-Id", what);
	ck_assert_msg(tu_header(r, "access-control-allow-origin") == NULL, "%s: a CORS header", what);
	h = tu_header(r, "content-type");
	ck_assert_msg(h != NULL, "%s: no Content-Type", what);
	if (str_starts(h, "text/") || str_starts(h, "application/json"))
		ck_assert_msg(strstr(h, "charset=utf-8") != NULL, "%s: Content-Type %s without charset", what, h);
}

/* A route's path with every {param} replaced by "1". */
static void placeholder_path(const char *pattern, char *out, size_t n)
{
	size_t w = 0;
	for (const char *p = pattern; *p && w + 2 < n; p++) {
		if (*p == '{') {
			p = strchr(p, '}');
			out[w++] = '1';
			continue;
		}
		out[w++] = *p;
	}
	out[w] = '\0';
}

static int has_body(const struct route *rt)
{
	return rt->body != BODY_NONE;
}

static struct tu_response *call_route(const struct route *rt, const char *path, const char *auth,
				      const char *extra)
{
	if (rt->body == BODY_FILE)
		return tu_request(rt->method, path, auth, "%PDF-1.4\n%%EOF\n", "application/pdf", extra);
	return tu_request(rt->method, path, auth, has_body(rt) ? "{}" : NULL, NULL, extra);
}

START_TEST(test_security_headers_on_every_route_and_page)
{
	tu_server_start(&roomy);
	char admin[128], path[256], what[320];
	ck_assert_int_eq(login("admin", SEED_DEMO_PASSWORD, admin, sizeof(admin)), 201);
	int checked = 0;
	for (unsigned i = 0; i < route_count; i++) {
		const struct route *rt = &route_table[i];
		placeholder_path(rt->pattern, path, sizeof(path));
		for (int as_admin = 0; as_admin < 2; as_admin++) {
			struct tu_response *r = call_route(rt, path, as_admin ? admin : NULL, NULL);
			snprintf(what, sizeof(what), "%s %s (%s, %d)", rt->method, path,
				 as_admin ? "admin" : "anonymous", r->status);
			check_headers(r, what);
			tu_response_free(r);
			checked++;
		}
		if (!strcmp(rt->pattern, "/api/v1/session") && !strcmp(rt->method, "DELETE"))
			ck_assert_int_eq(login("admin", SEED_DEMO_PASSWORD, admin, sizeof(admin)), 201);
	}
	/* Every compiled-in page, byte for byte, with the same headers. */
	int pages = 0;
	for (const struct embed_file *f = embed_static; f->name; f++) {
		snprintf(path, sizeof(path), "/%s", f->name);
		struct tu_response *r = tu_request("GET", path, NULL, NULL, NULL, NULL);
		ck_assert_msg(r->status == 200, "GET %s: %d", path, r->status);
		ck_assert_msg(r->body_len == f->len && memcmp(r->body, f->data, f->len) == 0, "GET %s: other bytes",
			      path);
		check_headers(r, path);
		tu_response_free(r);
		pages++;
	}
	ck_assert_int_gt(pages, 10);
	/* The answers the dispatcher makes itself. */
	static const struct {
		const char *method, *path, *body, *ctype;
		int status;
	} errors[] = {
		{ "GET", "/no/such/page", NULL, NULL, 404 },
		{ "DELETE", "/healthz", NULL, NULL, 405 },
		{ "POST", "/api/v1/session", "{\"username\":", NULL, 400 },
		{ "POST", "/api/v1/session", "{}", "text/plain", 415 },
		{ "GET", "/api/v1/dossiers", NULL, NULL, 401 },
		{ "HEAD", "/", NULL, NULL, 200 },
		{ "GET", "/staff/", NULL, NULL, 200 },
	};
	for (size_t i = 0; i < ARRAY_LEN(errors); i++) {
		struct tu_response *r = tu_request(errors[i].method, errors[i].path, NULL, errors[i].body,
						   errors[i].ctype, NULL);
		snprintf(what, sizeof(what), "%s %s", errors[i].method, errors[i].path);
		ck_assert_msg(r->status == errors[i].status, "%s: %d", what, r->status);
		check_headers(r, what);
		tu_response_free(r);
	}
	/* 413 before the body is read. */
	struct tu_response *r = tu_request("POST", "/api/v1/public/feedback", NULL, NULL, NULL,
					   "Content-Type: application/json\r\nContent-Length: 99999999\r\n");
	ck_assert_int_eq(r->status, 413);
	check_headers(r, "413");
	tu_response_free(r);
	fprintf(stderr, "security headers: %d route answers and %d pages checked\n", checked, pages);
	tu_server_stop();
}
END_TEST

/* ---- same origin, JSON only ------------------------------------------------------ */

static int is_change(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

START_TEST(test_security_changes_refused_from_other_sites)
{
	tu_server_start(&roomy);
	char admin[128], path[256], extra[256], own[96];
	ck_assert_int_eq(login("admin", SEED_DEMO_PASSWORD, admin, sizeof(admin)), 201);
	snprintf(own, sizeof(own), "127.0.0.1:%d", tu_port());
	char lookalike[128], embedded[160];
	snprintf(lookalike, sizeof(lookalike), "Origin: http://%s.evil.example\r\n", own);
	snprintf(embedded, sizeof(embedded), "Origin: http://evil.example/x://%s\r\n", own);
	const char *bad[] = { "Origin: http://evil.example\r\n", "Origin: null\r\n",
			      "Sec-Fetch-Site: cross-site\r\n", "Sec-Fetch-Site: same-site\r\n", lookalike,
			      embedded, "Sec-Fetch-Site: same-origin\r\nOrigin: http://evil.example\r\n" };
	int64_t events = tu_db_int("SELECT count(*) FROM event");
	int refused = 0, changes = 0;
	for (unsigned i = 0; i < route_count; i++) {
		const struct route *rt = &route_table[i];
		if (!is_change(rt->method))
			continue;
		changes++;
		placeholder_path(rt->pattern, path, sizeof(path));
		for (size_t b = 0; b < ARRAY_LEN(bad); b++) {
			for (int as_admin = 0; as_admin < 2; as_admin++) {
				struct tu_response *r = call_route(rt, path, as_admin ? admin : NULL, bad[b]);
				ck_assert_msg(r->status == 403 && !strcmp(tu_str(r->json, "error.code"), "cross_origin"),
					      "%s %s with %.*s: %d %s", rt->method, path, (int)strcspn(bad[b], "\r"),
					      bad[b], r->status, r->body);
				tu_response_free(r);
				refused++;
			}
		}
		/* From our own pages but not JSON: 415 for every JSON route. */
		if (rt->body == BODY_JSON) {
			static const char *const ctypes[] = { "text/plain", "application/x-www-form-urlencoded",
							      "multipart/form-data; boundary=x", "application/jsonx",
							      "text/json" };
			snprintf(extra, sizeof(extra), "Origin: http://%s\r\nSec-Fetch-Site: same-origin\r\n", own);
			for (size_t c = 0; c < ARRAY_LEN(ctypes); c++) {
				struct tu_response *r = tu_request(rt->method, path, admin, "{}", ctypes[c], extra);
				ck_assert_msg(r->status == 415, "%s %s as %s: %d", rt->method, path, ctypes[c], r->status);
				tu_response_free(r);
				refused++;
			}
		}
	}
	ck_assert_int_ge(changes, 15);
	/* Nothing was written by any of them. */
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event"), events);
	/* The same requests from our own pages (or from a script, which sends
	 * neither header) go through. */
	snprintf(extra, sizeof(extra), "Origin: http://%s\r\nSec-Fetch-Site: same-origin\r\n", own);
	struct tu_response *r = tu_request("POST", "/api/v1/session", NULL,
		"{\"username\":\"clerk.hacthanh\",\"password\":\"" SEED_DEMO_PASSWORD "\"}",
		"application/json; charset=utf-8", extra);
	ck_assert_int_eq(r->status, 201);
	tu_response_free(r);
	ck_assert_int_eq(login("clerk.hacthanh", SEED_DEMO_PASSWORD, NULL, 0), 201);
	/* Reads from anywhere are fine (a bookmarked link). */
	r = tu_request("GET", "/healthz", NULL, NULL, NULL, "Sec-Fetch-Site: cross-site\r\n");
	ck_assert_int_eq(r->status, 200);
	tu_response_free(r);
	fprintf(stderr, "same-origin: %d change routes, %d refusals checked\n", changes, refused);
	tu_server_stop();
}
END_TEST

/* ---- the permission matrix -------------------------------------------------------- */

enum kind { K_DOSSIER, K_FEEDBACK, K_PROCEDURE, K_AGENCY, K_USERNAME, K_DATE, K_SUBMISSION, K_SLOT, K_FORM };

/* How to fill a path parameter, by the segment before it and its name.
 * scoped: the resource belongs to one agency, and staff of another agency
 * must not reach it (admins and auditors see every agency). A route with a
 * parameter missing here fails the test: add the kind, or a rule below. */
static const struct {
	const char *after, *name;
	enum kind kind;
	int scoped;
} param_kinds[] = {
	{ "dossiers", "code", K_DOSSIER, 1 },
	{ "forms", "code", K_DOSSIER, 1 },
	{ "feedback", "code", K_FEEDBACK, 1 },
	{ "attachments", "n", K_SLOT, 0 },	/* scoped through its dossier */
	{ "{code}", "form", K_FORM, 0 },
	/* The catalogue is the province's, not an agency's. */
	{ "procedures", "code", K_PROCEDURE, 0 },
	/* The officer directory of any agency: a dossier is forwarded along
	 * an inter-agency chain to someone there. */
	{ "agencies", "code", K_AGENCY, 0 },
	{ "users", "username", K_USERNAME, 0 },
	{ "calendar", "date", K_DATE, 0 },
	{ "submissions", "ref", K_SUBMISSION, 0 },
	{ "files", "n", K_SLOT, 0 },
};

/* Routes the generic rule does not describe, and why. Changes are sent
 * "{}" unless a probe body is given here: one that passes the handler's
 * own validation (so the scope check behind it is reached) and still
 * changes nothing. */
enum rule {
	RULE_GENERIC,		/* the generic rule, with the probe body */
	RULE_SELF_OR_ADMIN,	/* a user may act on their own account only */
};
static const struct {
	const char *method, *pattern;
	enum rule rule;
	const char *body;
} rules[] = {
	/* Anyone changes their own password; only an admin another's. */
	{ "POST", "/api/v1/users/{username}/password", RULE_SELF_OR_ADMIN, NULL },
	/* The body is checked before the item is looked up; "assign" without
	 * an assignee passes that and then stops at the missing assignee. */
	{ "POST", "/api/v1/feedback/{code}/actions", RULE_GENERIC, "{\"action\":\"assign\"}" },
};

struct site {
	const char *agency;
	const char *marker;		/* the applicant's name, only in this agency */
	const char *procedure;
	const char *date;
	char dossier[40];		/* received, with an attachment */
	char ref[40];			/* its online reference */
	char draft[40];			/* an open online submission */
	char feedback[32];
	char victim[32];		/* an account nobody logs in with */
};

struct caller {
	const char *user;		/* NULL: anonymous */
	const char *password;
	enum role role;
	int site;			/* 0, 1, or -1 for every agency */
	char cookie[128];
};

#define SELF 2				/* target: the caller's own account */

static const char matrix_password[] = "ma trận quyền 2026";
static const char pdf[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n";

static void make_account(const char *admin, const char *user, const char *role, const char *agency)
{
	char body[400];
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"full_name\":\"Tài khoản %s\",\"role\":\"%s\","
		 "\"agency\":\"%s\",\"password\":\"%s\"}", user, user, role, agency, matrix_password);
	struct tu_response *r = tu_request("POST", "/api/v1/users", admin, body, NULL, NULL);
	ck_assert_msg(r->status == 201, "create %s: %d %s", user, r->status, r->body);
	tu_response_free(r);
}

/* An online submission with a PDF, submitted, then received by the
 * agency's clerk: a dossier with a code, a ref and an attachment. */
static void make_dossier(struct site *s, const char *clerk_cookie)
{
	char body[600], path[200], extra[200], ref[40], token[64];
	snprintf(body, sizeof(body),
		 "{\"procedure_code\":\"1.001193\",\"agency_code\":\"%s\",\"applicant\":{\"name\":\"%s\","
		 "\"id_number\":\"038190004321\",\"phone\":\"0987654321\",\"address\":\"Số 7 ngõ Mai Hoa\"}}",
		 s->agency, s->marker);
	for (int k = 0; k < 2; k++) {
		struct tu_response *r = tu_expect(201, "POST", "/api/v1/public/submissions", NULL, body);
		snprintf(ref, sizeof(ref), "%s", tu_str(r->json, "ref"));
		snprintf(token, sizeof(token), "%s", tu_str(r->json, "upload_token"));
		tu_response_free(r);
		if (k == 1) {	/* the second one stays a draft */
			snprintf(s->draft, sizeof(s->draft), "%s", ref);
			break;
		}
		snprintf(path, sizeof(path), "/api/v1/public/submissions/%s/files/1?name=to-khai.pdf", ref);
		snprintf(extra, sizeof(extra), "X-Upload-Token: %s\r\n", token);
		r = tu_request("PUT", path, NULL, pdf, "application/pdf", extra);
		ck_assert_msg(r->status == 201, "upload: %d %s", r->status, r->body);
		tu_response_free(r);
		snprintf(path, sizeof(path), "/api/v1/public/submissions/%s/submit", ref);
		r = tu_request("POST", path, NULL, "{}", NULL, extra);
		ck_assert_msg(r->status == 200, "submit: %d %s", r->status, r->body);
		tu_response_free(r);
		snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions", ref);
		r = tu_request("POST", path, clerk_cookie, "{\"action\":\"accept\"}", NULL, NULL);
		ck_assert_msg(r->status == 200, "accept: %d %s", r->status, r->body);
		snprintf(s->dossier, sizeof(s->dossier), "%s", tu_str(r->json, "code"));
		snprintf(s->ref, sizeof(s->ref), "%s", ref);
		tu_response_free(r);
	}
	snprintf(body, sizeof(body), "{\"agency_code\":\"%s\",\"kind\":\"complaint\",\"subject\":\"Thái độ\","
		 "\"content\":\"Cán bộ trả lời cộc lốc.\",\"contact\":{\"name\":\"%s\",\"phone\":\"0988111222\"}}",
		 s->agency, s->marker);
	struct tu_response *r = tu_expect(201, "POST", "/api/v1/public/feedback", NULL, body);
	snprintf(s->feedback, sizeof(s->feedback), "%s", tu_str(r->json, "code"));
	tu_response_free(r);
}

/* Fill the route's path for a caller and target (0, 1 or SELF). Returns
 * 0, or -1 with the reason in why. *scoped tells whether a parameter
 * names a resource of one agency; *username whether one is an account. */
static int fill(const struct route *rt, const struct site *sites, const struct caller *c, int target,
		char *out, size_t n, int *scoped, int *username, char *why, size_t wn)
{
	const struct site *s = &sites[target == SELF ? (c->site >= 0 ? c->site : 0) : target];
	const char *p = rt->pattern;
	char prev[64] = "";
	size_t w = 0;
	*scoped = *username = 0;
	while (*p) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			char name[32];
			snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
			size_t k = 0;
			while (k < ARRAY_LEN(param_kinds)
			       && (strcmp(param_kinds[k].after, prev) || strcmp(param_kinds[k].name, name)))
				k++;
			if (k == ARRAY_LEN(param_kinds)) {
				snprintf(why, wn, "%s %s: no filler for {%s} after \"%s\" (add it to param_kinds)",
					 rt->method, rt->pattern, name, prev);
				return -1;
			}
			const char *v = "1";
			switch (param_kinds[k].kind) {
			case K_DOSSIER: v = s->dossier; break;
			case K_FEEDBACK: v = s->feedback; break;
			case K_PROCEDURE: v = s->procedure; break;
			case K_AGENCY: v = s->agency; break;
			case K_USERNAME: v = target == SELF ? c->user : s->victim; break;
			case K_DATE: v = s->date; break;
			case K_SUBMISSION: v = s->draft; break;
			case K_SLOT: v = "1"; break;
			case K_FORM: v = "01"; break;
			}
			*scoped |= param_kinds[k].scoped;
			*username |= param_kinds[k].kind == K_USERNAME;
			w += (size_t)snprintf(out + w, n - w, "%s", v);
			snprintf(prev, sizeof(prev), "{%s}", name);
			p = end + 1;
			continue;
		}
		const char *seg_end = p + strcspn(p, "/");
		if (seg_end > p)
			snprintf(prev, sizeof(prev), "%.*s", (int)(seg_end - p), p);
		size_t len = (size_t)(seg_end - p) + (*seg_end == '/');
		w += (size_t)snprintf(out + w, n - w, "%.*s", (int)len, p);
		p += len;
	}
	/* Reads that take no path parameter may still be narrowed to an
	 * agency: ask for the target's (handlers that ignore it list the
	 * caller's own). */
	if (!strchr(rt->pattern, '{') && !strcmp(rt->method, "GET"))
		snprintf(out + w, n - w, "?agency=%s", s->agency);
	return 0;
}

static const char *rule_of(const struct route *rt, enum rule *out, const char **body)
{
	*out = RULE_GENERIC;
	*body = NULL;
	for (size_t i = 0; i < ARRAY_LEN(rules); i++)
		if (!strcmp(rules[i].method, rt->method) && !strcmp(rules[i].pattern, rt->pattern)) {
			*out = rules[i].rule;
			*body = rules[i].body;
			return rules[i].pattern;
		}
	return NULL;
}

/* The same route called without its ?agency= (see fill): the answer a
 * handler that ignores the parameter gives. Freed by the caller. */
static struct tu_response *without_query(const struct route *rt, const char *path, const char *cookie)
{
	char bare[512];
	snprintf(bare, sizeof(bare), "%.*s", (int)strcspn(path, "?"), path);
	return call_route(rt, bare, cookie, NULL);
}

/* Does body hold anything of site s? */
static const char *leak_of(const char *body, const struct site *s)
{
	const char *ids[] = { s->dossier, s->ref, s->marker, s->feedback, s->draft };
	for (size_t i = 0; i < ARRAY_LEN(ids); i++)
		if (ids[i][0] && strstr(body, ids[i]))
			return ids[i];
	return NULL;
}

/* The masks themselves, for what the matrix (which reads them) cannot
 * judge: nothing is public but the citizen side and a few probes, and the
 * account, calendar, catalogue and audit routes stay with their roles. */
START_TEST(test_security_route_masks_follow_the_policy)
{
	static const char *const public_ok[] = { "GET /healthz", "GET /metrics", "GET /api/v1/openapi.json",
						 "POST /api/v1/session" };
	static const struct {
		const char *method, *prefix;
		unsigned at_most;
	} pinned[] = {
		{ "POST", "/api/v1/users", ROLE_BIT(ROLE_ADMIN) },	/* password: self, see the matrix */
		{ "GET", "/api/v1/users", ROLE_BIT(ROLE_ADMIN) },
		{ "PUT", "/api/v1/calendar/", ROLE_BIT(ROLE_ADMIN) },
		{ "DELETE", "/api/v1/calendar/", ROLE_BIT(ROLE_ADMIN) },
		{ "PUT", "/api/v1/procedures/", ROLE_BIT(ROLE_ADMIN) },
		{ "GET", "/api/v1/admin/", ROLE_BIT(ROLE_ADMIN) },
		{ "GET", "/api/v1/audit/", ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_AUDITOR) },
		{ "GET", "/api/v1/exports/events", ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_AUDITOR) },
		{ "GET", "/api/v1/exports/", ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_MANAGER) },
	};
	for (unsigned i = 0; i < route_count; i++) {
		const struct route *rt = &route_table[i];
		char name[160];
		snprintf(name, sizeof(name), "%s %s", rt->method, rt->pattern);
		if (rt->roles == 0) {
			int ok = str_starts(rt->pattern, "/api/v1/public/");
			for (size_t k = 0; k < ARRAY_LEN(public_ok); k++)
				ok |= !strcmp(name, public_ok[k]);
			ck_assert_msg(ok, "%s is open to anyone: only citizen routes may be", name);
			continue;
		}
		ck_assert_msg((rt->roles & ~ROLES_STAFF) == 0, "%s: unknown role bits", name);
		for (size_t k = 0; k < ARRAY_LEN(pinned); k++) {
			if (strcmp(rt->method, pinned[k].method) || !str_starts(rt->pattern, pinned[k].prefix)
			    || !strcmp(rt->pattern, "/api/v1/users/{username}/password"))
				continue;
			ck_assert_msg((rt->roles & ~pinned[k].at_most) == 0, "%s allows roles 0x%x beyond 0x%x", name,
				      rt->roles, pinned[k].at_most);
		}
	}
}
END_TEST

START_TEST(test_security_permission_matrix)
{
	struct app *app = tu_server_start(&roomy);
	app->cfg.login_per_minute = 100000;
	tu_set_now_local(2026, 3, 2, 9, 0);
	struct site sites[2] = {
		{ "000.00.51.H56", "Alpha Nguyễn Thị Một", "1.001193", "2026-03-10", "", "", "", "", "victim.a" },
		{ "000.00.52.H56", "Bravo Trần Văn Hai", "1.013831", "2026-03-11", "", "", "", "", "victim.b" },
	};
	struct caller callers[] = {
		{ NULL, NULL, ROLE_ADMIN, -1, "" },
		{ "admin", SEED_DEMO_PASSWORD, ROLE_ADMIN, -1, "" },
		{ "auditor", SEED_DEMO_PASSWORD, ROLE_AUDITOR, -1, "" },
		{ "clerk.hacthanh", SEED_DEMO_PASSWORD, ROLE_CLERK, 0, "" },
		{ "officer.hacthanh", SEED_DEMO_PASSWORD, ROLE_OFFICER, 0, "" },
		{ "manager.hacthanh", SEED_DEMO_PASSWORD, ROLE_MANAGER, 0, "" },
		{ "clerk.b", matrix_password, ROLE_CLERK, 1, "" },
		{ "officer.b", matrix_password, ROLE_OFFICER, 1, "" },
		{ "manager.b", matrix_password, ROLE_MANAGER, 1, "" },
	};
	const size_t nc = ARRAY_LEN(callers);
	char admin[128], clerk_b[128];
	ck_assert_int_eq(login("admin", SEED_DEMO_PASSWORD, admin, sizeof(admin)), 201);
	make_account(admin, "clerk.b", "clerk", sites[1].agency);
	make_account(admin, "officer.b", "officer", sites[1].agency);
	make_account(admin, "manager.b", "manager", sites[1].agency);
	make_account(admin, "victim.a", "clerk", sites[0].agency);
	make_account(admin, "victim.b", "clerk", sites[1].agency);
	ck_assert_int_eq(login("clerk.b", matrix_password, clerk_b, sizeof(clerk_b)), 201);
	make_dossier(&sites[0], tu_login("clerk.hacthanh"));
	make_dossier(&sites[1], clerk_b);
	ck_assert(str_starts(sites[0].dossier, "000.00.51.H56-"));
	ck_assert(str_starts(sites[1].dossier, "000.00.52.H56-"));
	for (size_t i = 1; i < nc; i++)
		ck_assert_int_eq(login(callers[i].user, callers[i].password, callers[i].cookie,
				       sizeof(callers[i].cookie)), 201);

	struct buf bad = BUF_INIT;
	int calls = 0, denied = 0, allowed = 0, public_calls = 0, problems = 0;
	for (unsigned i = 0; i < route_count; i++) {
		const struct route *rt = &route_table[i];
		enum rule rule;
		const char *probe;
		int has_rule = rule_of(rt, &rule, &probe) != NULL;
		int query = !strchr(rt->pattern, '{') && !strcmp(rt->method, "GET");
		int public_status[3] = { -1, -1, -1 };
		for (int target = 0; target < 3; target++) {
			for (size_t ci = 0; ci < nc; ci++) {
				const struct caller *c = &callers[ci];
				char path[512], why[256], what[700];
				int scoped, username;
				if (fill(rt, sites, c, target, path, sizeof(path), &scoped, &username, why,
					 sizeof(why)) != 0) {
					if (!has_rule) {
						buf_printf(&bad, "  %s\n", why);
						problems++;
					}
					goto next_route;
				}
				if (target == SELF && (!username || !c->user))
					continue;
				struct tu_response *r = probe ? tu_request(rt->method, path, c->user ? c->cookie : NULL,
									   probe, NULL, NULL)
							      : call_route(rt, path, c->user ? c->cookie : NULL, NULL);
				const char *code = tu_str(r->json, "error.code");
				int st = r->status;
				calls++;
				snprintf(what, sizeof(what), "%s %s as %s: %d %s", rt->method, path,
					 c->user ? c->user : "anonymous", st, code ? code : "");
				int expect_deny = 0, ok;
				if (st >= 500) {
					ok = 0;
				} else if (rt->roles == 0) {
					/* Public: the answer must not depend on who asks. */
					public_calls++;
					if (public_status[target] < 0)
						public_status[target] = st;
					ok = st == public_status[target];
				} else if (!c->user) {
					expect_deny = 401;
					ok = st == 401;
				} else if (!(rt->roles & ROLE_BIT(c->role))) {
					expect_deny = 403;
					ok = st == 403;
				} else if (has_rule && rule == RULE_SELF_OR_ADMIN && c->role != ROLE_ADMIN
					   && target != SELF) {
					expect_deny = 403;
					ok = st == 403;
				} else if (scoped && c->site >= 0 && target != SELF && target != c->site) {
					expect_deny = 404;
					ok = st == 404;
				} else if (query && c->site >= 0 && target != c->site) {
					/* Another agency asked for by ?agency=: refused, or
					 * ignored (the very answer given without it). */
					if (st == 403 || st == 404) {
						ok = 1;
						expect_deny = st;
					} else if (st >= 200 && st < 300) {
						struct tu_response *own = without_query(rt, path, c->cookie);
						ok = own->status == st && own->body_len == r->body_len
						     && memcmp(own->body, r->body, r->body_len) == 0;
						tu_response_free(own);
						allowed += ok;
					} else {
						ok = st >= 400;
					}
				} else {
					/* Allowed: past the role check, and its own resource found. */
					ok = st != 401 && st != 403 && !(scoped && st == 404 && code
									 && !strcmp(code, "not_found"));
					allowed += ok;
				}
				denied += ok && expect_deny;
				if (!ok) {
					buf_printf(&bad, "  %s (expected %s)\n", what,
						   expect_deny ? (expect_deny == 401 ? "401" : expect_deny == 403 ? "403"
											: "404")
						   : rt->roles == 0 ? "the same answer for everyone"
						   : query && c->site >= 0 && target != c->site
						   ? "403/404, or the answer without ?agency="
						   : "allowed");
					problems++;
				}
				/* Whatever the status: nothing of another agency in the answer. */
				if (rt->roles && c->site >= 0) {
					const char *leak = leak_of(r->body, &sites[1 - c->site]);
					if (leak) {
						buf_printf(&bad, "  %s: shows \"%s\" of the other agency\n", what, leak);
						problems++;
					}
				}
				tu_response_free(r);
			}
			/* Logging out ends the callers' sessions: log in again. */
			if (!strcmp(rt->method, "DELETE") && !strcmp(rt->pattern, "/api/v1/session"))
				for (size_t ci = 1; ci < nc; ci++)
					ck_assert_int_eq(login(callers[ci].user, callers[ci].password,
							       callers[ci].cookie, sizeof(callers[ci].cookie)), 201);
		}
next_route:;
	}
	fprintf(stderr, "permission matrix: %u routes, %d calls (%d public), %d denied as expected, "
		"%d allowed, %d unexpected\n", route_count, calls, public_calls, denied, allowed, problems);
	if (problems)
		fprintf(stderr, "permission matrix: unexpected answers:\n%s", buf_cstr(&bad));
	ck_assert_msg(problems == 0, "permission matrix: %d unexpected answers (listed above)", problems);
	ck_assert_int_gt(denied, 300);
	ck_assert_int_gt(allowed, 100);
	buf_release(&bad);
	tu_server_stop();
}
END_TEST

/* ---- slow clients --------------------------------------------------------------- */

static int connect_local(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

/* 1 if the server closed fd (end of stream or reset) within ms. */
static int closed_within(int fd, int ms)
{
	struct timeval tv = { 0, 100000 };
	char c[256];
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (int waited = 0; waited < ms; waited += 100) {
		ssize_t r = recv(fd, c, sizeof(c), 0);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			return 1;
	}
	return 0;
}

START_TEST(test_security_slow_clients_are_cut_off)
{
	char err[256];
	struct app *app = tu_server_start(NULL);
	/* Restart the listener with short limits, to keep the test quick. */
	http_stop();
	app->cfg.header_timeout = 2;
	app->cfg.connection_timeout = 4;
	if (http_start(app, err, sizeof(err)) != 0)
		ck_abort_msg("http_start: %s", err);
	/* A slowloris client: one header line every 300 ms, never idle. */
	int fd = connect_local(tu_port());
	double t0 = mono_ms();
	ck_assert_int_gt(send(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n", 32, MSG_NOSIGNAL), 0);
	int cut = 0;
	while (!cut && mono_ms() - t0 < 8000) {
		if (send(fd, "X-a: b\r\n", 8, MSG_NOSIGNAL) < 0) {
			cut = 1;
			break;
		}
		cut = closed_within(fd, 300);
	}
	double lived = mono_ms() - t0;
	close(fd);
	ck_assert_msg(cut, "a slow-header client was still connected after %.0f ms", lived);
	ck_assert_msg(lived >= 1900 && lived < 4000, "cut after %.0f ms (header_timeout 2 s)", lived);
	/* A slow body (R-U-Dead-Yet): the head at once, then ten bytes every
	 * 300 ms of a 8,000-byte body, far below 500 bytes a second. */
	fd = connect_local(tu_port());
	t0 = mono_ms();
	static const char slow_post[] = "POST /api/v1/public/feedback HTTP/1.1\r\nHost: x\r\n"
					"Content-Type: application/json\r\nContent-Length: 8000\r\n\r\n{\"a\":\"";
	ck_assert_int_gt(send(fd, slow_post, sizeof(slow_post) - 1, MSG_NOSIGNAL), 0);
	cut = 0;
	while (!cut && mono_ms() - t0 < 8000) {
		if (send(fd, "xxxxxxxxxx", 10, MSG_NOSIGNAL) < 0) {
			cut = 1;
			break;
		}
		cut = closed_within(fd, 300);
	}
	lived = mono_ms() - t0;
	close(fd);
	ck_assert_msg(cut, "a slow-body client was still connected after %.0f ms", lived);
	ck_assert_msg(lived >= 1900 && lived < 4000, "slow body cut after %.0f ms (header_timeout 2 s)", lived);
	/* A client that sends nothing at all is cut the same way. */
	fd = connect_local(tu_port());
	t0 = mono_ms();
	ck_assert(closed_within(fd, 5000));
	ck_assert_double_lt(mono_ms() - t0, 4000);
	close(fd);
	/* A normal client is served, and its kept-alive connection may wait
	 * connection_timeout (4 s), not header_timeout, for the next request. */
	fd = connect_local(tu_port());
	static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	char buf[4096];
	ck_assert_int_eq(send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL), (ssize_t)sizeof(req) - 1);
	struct timeval tv = { 5, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert(str_starts(buf, "HTTP/1.1 200"));
	usleep(3000 * 1000);	/* past header_timeout, within connection_timeout */
	ck_assert_int_eq(send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL), (ssize_t)sizeof(req) - 1);
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert(str_starts(buf, "HTTP/1.1 200"));
	close(fd);
	tu_server_stop();
}
END_TEST

/* ---- bodies without a length ----------------------------------------------------- */

/* Send raw bytes, return the status of the answer (0: none). */
static int raw_status(const char *bytes, size_t len)
{
	char buf[4096];
	int fd = connect_local(tu_port()), status = 0;
	struct timeval tv = { 5, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (size_t off = 0; off < len;) {
		ssize_t w = send(fd, bytes + off, len - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		sscanf(buf, "HTTP/1.%*d %d", &status);
	}
	close(fd);
	return status;
}

START_TEST(test_security_chunked_bodies_refused)
{
	tu_server_start(NULL);
	struct buf req = BUF_INIT;
	static const char head[] = "POST /api/v1/public/feedback HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
				   "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
	buf_adds(&req, head);
	buf_adds(&req, "2\r\n{}\r\n0\r\n\r\n");
	ck_assert_int_eq(raw_status(req.data, req.len), 411);
	/* Found by the storm: a chunk-size line longer than the connection's
	 * memory made libmicrohttpd answer 500 itself. */
	buf_reset(&req);
	buf_adds(&req, head);
	buf_adds(&req, "1;");
	for (int i = 0; i < 40000; i++)
		buf_addc(&req, 'e');
	buf_adds(&req, "\r\n{\r\n0\r\n\r\n");
	ck_assert_int_eq(raw_status(req.data, req.len), 411);
	buf_release(&req);
	/* With a length the same body is read (and refused on its merits). */
	struct tu_response *r = tu_request("POST", "/api/v1/public/feedback", NULL, "{}", NULL, NULL);
	ck_assert_int_eq(r->status, 422);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

/* ---- the static-file path check ------------------------------------------------ */

START_TEST(test_security_static_path_check)
{
	static const struct {
		const char *path, *name;	/* name NULL: refused */
	} cases[] = {
		{ "/", "index.html" },
		{ "/staff/", "staff/index.html" },
		{ "/css/base.css", "css/base.css" },
		{ "/js/staff/counter.js", "js/staff/counter.js" },
		{ "/counter", "counter" },
		{ "/a-b_c.d/e", "a-b_c.d/e" },
		{ "", NULL },
		{ "index.html", NULL },
		{ "/../etc/passwd", NULL },
		{ "/css/../../x", NULL },
		{ "/..", NULL },
		{ "/.", NULL },
		{ "/./index.html", NULL },
		{ "/.git/config", NULL },
		{ "/css/.hidden", NULL },
		{ "//etc/passwd", NULL },
		{ "/css//base.css", NULL },
		{ "/..\\..\\etc", NULL },
		{ "/%2e%2e/x", NULL },
		{ "/index.html%00.js", NULL },
		{ "/a b", NULL },
		{ "/\xc0\xaf", NULL },
		{ "/x\x7f", NULL },
		{ "/x?y", NULL },
		{ "/x#y", NULL },
		/* found by fuzz_route: ".." inside a name was let through */
		{ "/sta../st/", NULL },
		{ "/a..b", NULL },
		{ "/ok.", "ok." },
	};
	char name[HTTP_STATIC_PATH_MAX + 16], long_path[HTTP_STATIC_PATH_MAX + 8];
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int ok = http_static_name(cases[i].path, name, sizeof(name));
		ck_assert_msg(ok == (cases[i].name != NULL), "\"%s\": %s", cases[i].path, ok ? "accepted" : "refused");
		if (ok)
			ck_assert_str_eq(name, cases[i].name);
	}
	/* Every compiled-in file is reachable by its own name. */
	for (const struct embed_file *f = embed_static; f->name; f++) {
		char path[HTTP_STATIC_PATH_MAX + 2];
		snprintf(path, sizeof(path), "/%s", f->name);
		ck_assert_msg(http_static_name(path, name, sizeof(name)) == 1, "%s refused", path);
		ck_assert_str_eq(name, f->name);
	}
	/* Longer than HTTP_STATIC_PATH_MAX, or than the caller's buffer. */
	memset(long_path, 'a', sizeof(long_path));
	long_path[0] = '/';
	long_path[HTTP_STATIC_PATH_MAX + 1] = '\0';
	ck_assert_int_eq(http_static_name(long_path, name, sizeof(name)), 0);
	ck_assert_int_eq(http_static_name("/staff/", name, 8), 0);
}
END_TEST

/* ---- the storm ----------------------------------------------------------------- */

static int is_asset(const char *body, size_t len, void *ctx)
{
	(void)ctx;
	for (const struct embed_file *f = embed_static; f->name; f++)
		if (f->len == len && memcmp(f->data, body, len) == 0)
			return 1;
	return 0;
}

START_TEST(test_security_storm_of_malformed_requests)
{
	struct storm_options o;
	struct storm_stats st;
	char auth[200], what[300];
	struct app *app = tu_server_start(&roomy);
	app->cfg.login_per_minute = 100000;
	const char *code = tu_receive("clerk.hacthanh", "1.001193", "direct");
	int64_t dossiers = tu_db_int("SELECT count(*) FROM dossier");
	int64_t events = tu_db_int("SELECT count(*) FROM event");
	snprintf(auth, sizeof(auth), "Cookie: %s\r\n", tu_login("clerk.hacthanh") + 7);
	memset(&o, 0, sizeof(o));
	o.port = tu_port();
	o.count = getenv("STORM_COUNT") ? atol(getenv("STORM_COUNT")) : 5000;
	o.threads = 4;
	o.seed = 20261122;
	o.auth = auth;
	o.dossier = code;
	o.timeout_ms = 5000;
	o.is_asset = is_asset;
	ck_assert_int_eq(storm_run(&o, &st), 0);
	fprintf(stderr, "storm: %ld requests:", st.sent);
	for (int k = 0; k < STORM__MAX; k++)
		if (st.by_class[k])
			fprintf(stderr, " %s %ld,", storm_class_name((enum storm_class)k), st.by_class[k]);
	fprintf(stderr, " traversal %ld (%ld 2xx, all assets), leaks %ld\n", st.traversal, st.traversal_2xx,
		st.leaks);
	if (st.first_bad >= 0)
		storm_describe(&o, st.first_bad, what, sizeof(what));
	ck_assert_msg(st.by_class[STORM_5XX] == 0, "%ld answers 5xx, first: %s — %s", st.by_class[STORM_5XX],
		      st.first_bad_what, what);
	ck_assert_msg(st.leaks == 0, "%ld answers served bytes from outside the compiled-in files: %s — %s",
		      st.leaks, st.first_bad_what, what);
	ck_assert_msg(st.by_class[STORM_GARBLED] == 0, "garbled answer: %s — %s", st.first_bad_what, what);
	ck_assert_int_eq(st.by_class[STORM_CONNECT], 0);
	ck_assert_int_ge(st.traversal, 500);
	ck_assert_int_gt(st.by_class[STORM_4XX], st.sent * 8 / 10);
	/* Nothing malformed was accepted. */
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM dossier"), dossiers);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event"), events);
	/* And the service still works. */
	tu_response_free(tu_expect(200, "GET", "/healthz", NULL, NULL));
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	tu_response_free(tu_expect(200, "GET", path, tu_login("clerk.hacthanh"), NULL));
	tu_server_stop();
}
END_TEST

Suite *security_suite(void)
{
	Suite *s = suite_create("security");
	TCase *tc = tcase_create("login");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_security_login_locks_the_account_with_a_clear_message);
	tcase_add_test(tc, test_security_login_throttled_per_address_across_accounts);
	tcase_add_test(tc, test_security_login_unknown_user_costs_a_password_check);
	suite_add_tcase(s, tc);
	tc = tcase_create("session");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_security_session_idle_timeout);
	tcase_add_test(tc, test_security_session_absolute_timeout);
	tcase_add_test(tc, test_security_logout_ends_the_session);
	suite_add_tcase(s, tc);
	tc = tcase_create("headers");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_security_headers_on_every_route_and_page);
	tcase_add_test(tc, test_security_changes_refused_from_other_sites);
	suite_add_tcase(s, tc);
	tc = tcase_create("matrix");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_security_route_masks_follow_the_policy);
	tcase_add_test(tc, test_security_permission_matrix);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_security_static_path_check);
	tcase_add_test(tc, test_security_chunked_bodies_refused);
	tcase_add_test(tc, test_security_slow_clients_are_cut_off);
	tcase_add_test(tc, test_security_storm_of_malformed_requests);
	suite_add_tcase(s, tc);
	return s;
}
