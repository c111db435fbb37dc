/*
 * motcua tests — in-process server and HTTP client for API tests.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sqlite3.h>

#include "app.h"
#include "buf.h"
#include "calendar.h"
#include "cli.h"
#include "date.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "seed.h"
#include "tz.h"
#include "util.h"
#include "writer.h"

static struct app *app;
static struct cli_db cdb;
static char dir[256];
static char db_path[300];

struct app *tu_server_start(const struct tu_options *opt)
{
	char err[512];
	struct tu_options none = { 0, 0, 0 };
	if (!opt)
		opt = &none;
	snprintf(dir, sizeof(dir), "/tmp/motcua-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db_path, sizeof(db_path), "%s/test.db", dir);
	app = xcalloc(1, sizeof(*app));
	config_defaults(&app->cfg);
	strlcpy_(app->cfg.db_path, db_path, sizeof(app->cfg.db_path));
	snprintf(app->cfg.upload_dir, sizeof(app->cfg.upload_dir), "%s/uploads", dir);
	app->cfg.port = 0;
	app->cfg.threads = 2;
	app->cfg.pwhash_ops = 1;
	app->cfg.pwhash_mem_kib = 8;
	app->cfg.demo_dossiers = 0;
	if (opt->supplement_pause)
		app->cfg.supplement_mode = SUPPLEMENT_PAUSE;
	if (opt->lookup_per_minute)
		app->cfg.lookup_per_minute = opt->lookup_per_minute;
	strlcpy_(app->cfg.log_level, "warn", sizeof(app->cfg.log_level));
	setenv("MOTCUA_NO_ACCESS_LOG", "1", 1);
	ck_assert_int_eq(cli_init(&app->cfg), 0);
	ck_assert_int_eq(cli_db_open(&app->cfg, &cdb), 0);
	if (seed_demo(cdb.writer, &app->cfg, util_now(), err, sizeof(err)) != 0)
		ck_abort_msg("seed_demo: %s", err);
	ck_assert_int_eq(calendar_reload(cdb.db, &app->cfg), 0);
	if (opt->dossiers > 0
	    && seed_dossiers(cdb.writer, &app->cfg, util_now(), opt->dossiers, 7, err, sizeof(err)) != 0)
		ck_abort_msg("seed_dossiers: %s", err);
	app->wdb = cdb.db;
	app->writer = cdb.writer;
	app->started_at = util_now();
	struct db_options ro = { .path = app->cfg.db_path,
				 .busy_timeout_ms = app->cfg.busy_timeout_ms };
	db_readers_init(&ro);
	ck_assert_int_eq(writer_start(app->writer), 0);
	if (http_start(app, err, sizeof(err)) != 0)
		ck_abort_msg("http_start: %s", err);
	return app;
}

void tu_server_stop(void)
{
	char cmd[300];
	if (!app)
		return;
	http_stop();
	writer_stop(cdb.writer);
	db_readers_close();
	cli_db_close(&cdb);
	free(app);
	app = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

int tu_port(void)
{
	return http_port();
}

const char *tu_db_path(void)
{
	return db_path;
}

const char *tu_dir(void)
{
	return dir;
}

int64_t tu_instant(int y, int m, int d, int hh, int mm)
{
	return tz_utc(date_at(date_from_civil(y, m, d), hh * 60 + mm));
}

/* Carry the open sessions along a jump in time, as if their users had
 * been active all along: sessions expire on the server's clock (idle and
 * absolute limits), and logging everyone in again after every jump would
 * run into the per-address login limit. */
static int keep_sessions(struct txn *t, void *arg, struct api_error *err)
{
	const int64_t *now = arg;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db_handle(t->db),
		"UPDATE session SET seen_at = ?1, expires_at = max(expires_at, ?1 + ?2)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, *now);
		sqlite3_bind_int64(st, 2, (int64_t)app->cfg.session_absolute_hours * 3600);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : api_error_set(err, 500, "test_sessions", NULL, "could not move sessions");
}

void tu_set_now(int64_t instant)
{
	struct api_error e;
	app->clock_offset = instant - util_now();
	app->clock_fixed = instant;	/* "now" stands still until the next call */
	ck_assert_msg(writer_call(app->writer, keep_sessions, &instant, &e) == 0, "%s", e.message);
}

void tu_set_now_local(int y, int m, int d, int hh, int mm)
{
	tu_set_now(tu_instant(y, m, d, hh, mm));
}

/* ---- HTTP client ---------------------------------------------------- */

static int target_port;		/* 0: the in-process server */

void tu_use_port(int port)
{
	target_port = port;
}

static int server_port(void)
{
	return target_port ? target_port : http_port();
}

static int connect_server(void)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)server_port());
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		ck_abort_msg("connect: %s", strerror(errno));
	return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;	/* the server may close early (413) */
		p += w;
		n -= (size_t)w;
	}
}

static void dechunk(struct tu_response *r)
{
	struct buf out = BUF_INIT;
	const char *p = r->body, *end = r->body + r->body_len;
	while (p < end) {
		char *q;
		unsigned long n = strtoul(p, &q, 16);
		const char *line = strstr(q, "\r\n");
		if (!line || n == 0)
			break;
		p = line + 2;
		if (p + n > end)
			n = (unsigned long)(end - p);
		buf_add(&out, p, n);
		p += n + 2;
	}
	free(r->body);
	r->body = buf_detach(&out, &r->body_len);
}

struct tu_response *tu_request(const char *method, const char *path, const char *auth,
			       const char *body, const char *ctype, const char *extra)
{
	struct buf req = BUF_INIT;
	int fd = connect_server();
	buf_printf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n", method, path,
		   server_port());
	if (auth && str_starts(auth, "cookie:"))
		buf_printf(&req, "Cookie: %s\r\n", auth + 7);
	else if (auth)
		buf_printf(&req, "Authorization: Bearer %s\r\n", auth);
	if (extra)
		buf_adds(&req, extra);
	if (body)
		buf_printf(&req, "Content-Type: %s\r\nContent-Length: %zu\r\n",
			   ctype ? ctype : "application/json", strlen(body));
	buf_adds(&req, "\r\n");
	if (body)
		buf_adds(&req, body);
	send_all(fd, req.data, req.len);
	buf_release(&req);
	return tu_response_read(fd, method, path);
}

const char *tu_bin(void)
{
	const char *b = getenv("MOTCUA_BIN");
	if (!b || !*b)
		ck_abort_msg("MOTCUA_BIN is not set: run the tests through `make unit`");
	return b;
}

int tu_free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	close(fd);
	return ntohs(a.sin_port);
}

struct tu_response *tu_response_read(int fd, const char *method, const char *path)
{
	struct buf in = BUF_INIT;
	struct tu_response *r = xcalloc(1, sizeof(*r));
	char chunk[16384];
	for (;;) {
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
		if (n <= 0)
			break;
		buf_add(&in, chunk, (size_t)n);
	}
	close(fd);
	const char *text = buf_cstr(&in);
	const char *sep = strstr(text, "\r\n\r\n");
	ck_assert_msg(sep != NULL, "no HTTP answer to %s %s", method, path);
	sscanf(text, "HTTP/1.%*d %d", &r->status);
	r->headers = xstrndup(text, (size_t)(sep - text + 2));
	r->body_len = in.len - (size_t)(sep + 4 - text);
	r->body = xmalloc(r->body_len + 1);
	memcpy(r->body, sep + 4, r->body_len);
	r->body[r->body_len] = '\0';
	buf_release(&in);
	const char *te = tu_header(r, "transfer-encoding");
	if (te && strstr(te, "chunked"))
		dechunk(r);
	const char *ct = tu_header(r, "content-type");
	if (ct && strstr(ct, "json"))
		r->json = cJSON_ParseWithLength(r->body, r->body_len);
	return r;
}

int tu_raw_status(int port, const char *method, const char *path, const char *token, const char *json,
		  char *body, size_t n)
{
	struct sockaddr_in a;
	char req[4096], buf[16384];
	size_t got = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0), status = 0;
	if (fd < 0)
		return 0;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		goto out;
	int len = snprintf(req, sizeof(req),
		"%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
		"Authorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
		method, path, token, json ? strlen(json) : 0, json ? json : "");
	if (send(fd, req, (size_t)len, MSG_NOSIGNAL) != len)
		goto out;
	for (;;) {
		ssize_t r = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got == sizeof(buf) - 1)
			break;
	}
	buf[got] = '\0';
	const char *sep = strstr(buf, "\r\n\r\n");
	if (!sep || sscanf(buf, "HTTP/1.%*d %d", &status) != 1) {
		status = 0;
		goto out;
	}
	if (body)
		snprintf(body, n, "%s", sep + 4);
out:
	close(fd);
	return status;
}

void tu_response_free(struct tu_response *r)
{
	if (!r)
		return;
	cJSON_Delete(r->json);
	free(r->headers);
	free(r->body);
	free(r);
}

const char *tu_header(const struct tu_response *r, const char *name)
{
	static char value[4096];
	char key[128];
	snprintf(key, sizeof(key), "\r\n%s:", name);
	const char *p = strcasestr(r->headers, key);
	if (!p)
		return NULL;
	p += strlen(key);
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, "\r\n");
	if (n >= sizeof(value))
		n = sizeof(value) - 1;
	memcpy(value, p, n);
	value[n] = '\0';
	return value;
}

struct login {
	char user[64];
	char cookie[128];
};

const char *tu_login(const char *username)
{
	static struct login cache[32];
	for (int i = 0; i < 32; i++)
		if (!strcmp(cache[i].user, username))
			return cache[i].cookie;
	char body[200];
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}", username,
		 SEED_DEMO_PASSWORD);
	struct tu_response *r = tu_request("POST", "/api/v1/session", NULL, body, NULL, NULL);
	ck_assert_msg(r->status == 201, "login %s: %d %s", username, r->status, r->body);
	const char *sc = tu_header(r, "set-cookie");
	ck_assert_ptr_nonnull(sc);
	for (int i = 0; i < 32; i++)
		if (!cache[i].user[0]) {
			strlcpy_(cache[i].user, username, sizeof(cache[i].user));
			snprintf(cache[i].cookie, sizeof(cache[i].cookie), "cookie:%.*s", (int)strcspn(sc, ";"), sc);
			tu_response_free(r);
			return cache[i].cookie;
		}
	ck_abort_msg("too many logins");
	return NULL;
}

struct tu_response *tu_expect(int status, const char *method, const char *path,
			      const char *auth, const char *body)
{
	struct tu_response *r = tu_request(method, path, auth, body, NULL, NULL);
	ck_assert_msg(r->status == status, "%s %s: expected %d, got %d: %s", method, path, status,
		      r->status, r->body);
	return r;
}

static const cJSON *walk(const cJSON *j, const char *path)
{
	char part[64];
	while (j && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		if (cJSON_IsArray(j) && isdigit((unsigned char)part[0]))
			j = cJSON_GetArrayItem(j, atoi(part));
		else
			j = cJSON_GetObjectItemCaseSensitive(j, part);
		path += n;
		if (*path == '.')
			path++;
	}
	return j;
}

const char *tu_str(const cJSON *j, const char *path)
{
	const cJSON *x = walk(j, path);
	return cJSON_IsString(x) ? x->valuestring : NULL;
}

double tu_num(const cJSON *j, const char *path)
{
	const cJSON *x = walk(j, path);
	return cJSON_IsNumber(x) ? x->valuedouble : -1e300;
}

const char *tu_receive(const char *clerk, const char *procedure_code, const char *channel)
{
	static char code[40];
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"procedure_code\":\"%s\",\"channel\":\"%s\",\"applicant\":{\"name\":\"Nguyễn Văn An\","
		 "\"id_number\":\"038090001234\",\"phone\":\"0912345678\",\"address\":\"Thanh Hóa\"},"
		 "\"documents\":[{\"name\":\"Tờ khai\",\"kind\":\"original\",\"count\":1}]}",
		 procedure_code, channel ? channel : "direct");
	struct tu_response *r = tu_expect(201, "POST", "/api/v1/dossiers", tu_login(clerk), body);
	strlcpy_(code, tu_str(r->json, "code"), sizeof(code));
	tu_response_free(r);
	return code;
}

int64_t tu_db_int(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v = -1;
	ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, sqlite3_errmsg(db));
	int rc = sqlite3_step(st);
	ck_assert_msg(rc == SQLITE_ROW, "%s: no row", sql);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

struct tu_response *tu_action(const char *user, const char *code, const char *json_body)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/actions", code);
	return tu_request("POST", path, tu_login(user), json_body, NULL, NULL);
}
