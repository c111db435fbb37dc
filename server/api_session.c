/*
 * motcua — api_session: log in, log out, who am I, and authenticating
 * every request (session cookie or bearer token).
 *
 * Authentication is on every request's path, so principals are cached for
 * a few seconds by the SHA-256 of the secret; logging out, disabling an
 * account or changing a password flushes the cache. Session activity is
 * written back lazily (at most once a minute per session) by a job the
 * request does not wait for.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "auth.h"
#include "db.h"
#include "db_account.h"
#include "json.h"
#include "log.h"
#include "util.h"
#include "writer.h"

#define COOKIE "motcua_sid"
#define CACHE_SLOTS 512
#define CACHE_SECONDS 10

struct cached {
	unsigned char hash[32];
	int used;
	int64_t until;		/* monotonic seconds */
	struct principal p;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cached cache[CACHE_SLOTS];

static int64_t mono_s(void)
{
	return util_mono_ns() / 1000000000;
}

static struct cached *slot(const unsigned char hash[32])
{
	unsigned idx = ((unsigned)hash[0] | (unsigned)hash[1] << 8) % CACHE_SLOTS;
	return &cache[idx];
}

static int cache_get(const unsigned char hash[32], struct principal *out)
{
	int hit = 0;
	pthread_mutex_lock(&cache_lock);
	struct cached *c = slot(hash);
	if (c->used && c->until > mono_s() && memcmp(c->hash, hash, 32) == 0) {
		*out = c->p;
		hit = 1;
	}
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

static void cache_put(const unsigned char hash[32], const struct principal *p)
{
	pthread_mutex_lock(&cache_lock);
	struct cached *c = slot(hash);
	memcpy(c->hash, hash, 32);
	c->p = *p;
	c->used = 1;
	c->until = mono_s() + CACHE_SECONDS;
	pthread_mutex_unlock(&cache_lock);
}

void api_session_flush_cache(void)
{
	pthread_mutex_lock(&cache_lock);
	memset(cache, 0, sizeof(cache));
	pthread_mutex_unlock(&cache_lock);
}

/* ---- lazy activity write-back --------------------------------------- */

struct touch {
	struct writer_job job;
	unsigned char hash[32];
	int64_t now;
};

static int touch_run(struct txn *t, void *arg, struct api_error *err)
{
	struct touch *x = arg;
	return db_session_touch(t, x->hash, x->now, err);
}

static void touch_done(struct writer_job *job)
{
	free(job->owner);
}

static void touch_later(struct request *r, const unsigned char hash[32], int64_t now)
{
	struct touch *x = xcalloc(1, sizeof(*x));
	memcpy(x->hash, hash, 32);
	x->now = now;
	x->job.fn = touch_run;
	x->job.arg = x;
	x->job.done = touch_done;
	x->job.owner = x;
	writer_submit(r->app->writer, &x->job);
}

/* ---- authentication -------------------------------------------------- */

static int from_session(struct request *r, struct db *db, const char *token)
{
	unsigned char hash[32];
	const struct config *cfg = &r->app->cfg;
	int64_t now = app_now(r->app);
	auth_token_hash(token, hash);
	if (!cache_get(hash, &r->user)) {
		int64_t idle_before = now - (int64_t)cfg->session_idle_minutes * 60;
		int rc = db_session_principal(db, hash, now, idle_before, &r->user);
		if (rc != 1)
			return rc;
		cache_put(hash, &r->user);
	}
	if (now - r->user.session_seen >= 60) {
		touch_later(r, hash, now);
		r->user.session_seen = now;
		cache_put(hash, &r->user);
	}
	return 1;
}

static int from_token(struct db *db, const char *token, struct principal *p)
{
	unsigned char hash[32];
	auth_token_hash(token, hash);
	if (cache_get(hash, p))
		return 1;
	int rc = db_token_principal(db, hash, p);
	if (rc == 1)
		cache_put(hash, p);
	return rc;
}

int api_session_authenticate(struct request *r)
{
	const char *authz = http_req_header(r, "Authorization");
	const char *sid = http_cookie(r, COOKIE);
	struct db *db = db_reader();
	int rc = 0;
	if (!db)
		return -1;
	if (authz && strncmp(authz, "Bearer ", 7) == 0 && strlen(authz + 7) == AUTH_TOKEN_LEN)
		rc = from_token(db, authz + 7, &r->user);
	else if (sid && strlen(sid) == AUTH_TOKEN_LEN)
		rc = from_session(r, db, sid);
	r->authed = rc == 1;
	return rc;
}

/* ---- POST /api/v1/session --------------------------------------------- */

struct login {
	struct account_row account;
	int ok;				/* password matched */
	unsigned char hash[32];		/* new session */
	char token[AUTH_TOKEN_LEN + 1];
	int64_t now, expires;
	int max_failures;
	int64_t lock_seconds;
};

static int login_run(struct txn *t, void *arg, struct api_error *err)
{
	struct login *l = arg;
	if (db_account_login_result(t, l->account.id, l->ok, l->now, l->max_failures,
				    l->lock_seconds, err) != 0)
		return -1;
	if (!l->ok)
		return 0;
	return db_session_insert(t, l->hash, l->account.id, l->now, l->expires, err);
}

static cJSON *user_json(const char *username, const char *full_name, enum role role,
			const char *agency_code, const char *agency_name)
{
	cJSON *u = cJSON_CreateObject();
	cJSON_AddStringToObject(u, "username", username);
	cJSON_AddStringToObject(u, "full_name", full_name);
	cJSON_AddStringToObject(u, "role", role_name(role));
	cJSON *a = cJSON_AddObjectToObject(u, "agency");
	cJSON_AddStringToObject(a, "code", agency_code);
	cJSON_AddStringToObject(a, "name", agency_name);
	return u;
}

static void login_answer(struct request *r)
{
	struct login *l = r->arg;
	char cookie[256];
	if (!l->ok) {
		int left = l->max_failures - (l->account.failed_logins + 1);
		if (left <= 0) {
			char msg[160];
			snprintf(msg, sizeof(msg),
				 "Too many failed attempts: the account is locked for %lld minutes.",
				 (long long)(l->lock_seconds / 60));
			http_fail(r, 429, "account_locked", NULL, msg);
			return;
		}
		http_fail(r, 401, "invalid_credentials", NULL, "Wrong username or password.");
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON_AddItemToObject(root, "user", user_json(l->account.username, l->account.full_name,
				l->account.role, l->account.agency_code, l->account.agency_name));
	api_add_time(root, "expires_at", l->expires);
	http_json(r, 201, root);
	snprintf(cookie, sizeof(cookie), COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
		 l->token, (long long)(l->expires - l->now), r->app->cfg.cookie_secure ? "; Secure" : "");
	http_header(r, "Set-Cookie", cookie);
	log_kv(LOG_INFO, "login", "user", l->account.username, "client", r->client_ip, NULL);
}

static const char *const login_keys[] = { "username", "password", NULL };

void api_session_create(struct request *r)
{
	struct api_error e;
	const char *username = NULL, *password = NULL;
	struct db *db = api_reader(r);
	cJSON *body = db ? api_body(r) : NULL;
	struct login *l = NULL;
	const struct config *cfg = &r->app->cfg;
	if (!body)
		return;
	if (json_only_keys(body, NULL, login_keys, &e) != 0
	    || json_get_string(body, "username", "username", 1, 1, 64, JSON_LINE, &username, &e) < 0
	    || json_get_string(body, "password", "password", 1, 1, 256, JSON_LINE, &password, &e) < 0) {
		http_error(r, &e);
		goto out;
	}
	l = xcalloc(1, sizeof(*l));
	l->now = app_now(r->app);
	l->max_failures = cfg->login_max_failures;
	l->lock_seconds = (int64_t)cfg->login_lockout_minutes * 60;
	if (db_account_by_username(db, username, &l->account) != 1 || l->account.disabled) {
		log_kv(LOG_WARN, "login refused", "user", username, "client", r->client_ip, NULL);
		http_fail(r, 401, "invalid_credentials", NULL, "Wrong username or password.");
		goto out;
	}
	if (l->account.locked_until > l->now) {
		char msg[160], after[16];
		long long minutes = (l->account.locked_until - l->now + 59) / 60;
		snprintf(msg, sizeof(msg),
			 "Too many failed attempts: the account is locked; try again in %lld minute%s.",
			 minutes, minutes == 1 ? "" : "s");
		snprintf(after, sizeof(after), "%lld", (long long)(l->account.locked_until - l->now));
		http_fail(r, 429, "account_locked", NULL, msg);
		http_header(r, "Retry-After", after);
		goto out;
	}
	l->ok = auth_verify_password(l->account.password_hash, password);
	if (!l->ok)
		log_kv(LOG_WARN, "login refused", "user", username, "client", r->client_ip, NULL);
	auth_new_token(l->token, l->hash);
	l->expires = l->now + (int64_t)cfg->session_absolute_hours * 3600;
	http_write(r, login_run, l, free, login_answer);
	l = NULL;
out:
	free(l);
	cJSON_Delete(body);
}

/* ---- DELETE /api/v1/session ------------------------------------------- */

struct logout {
	unsigned char hash[32];
};

static int logout_run(struct txn *t, void *arg, struct api_error *err)
{
	struct logout *l = arg;
	return db_session_delete(t, l->hash, err);
}

static void logout_answer(struct request *r)
{
	char cookie[160];
	api_session_flush_cache();
	http_no_content(r);
	snprintf(cookie, sizeof(cookie), COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
		 r->app->cfg.cookie_secure ? "; Secure" : "");
	http_header(r, "Set-Cookie", cookie);
}

void api_session_delete(struct request *r)
{
	const char *sid = http_cookie(r, COOKIE);
	struct logout *l = xcalloc(1, sizeof(*l));
	if (r->user.via_token || !sid) {
		free(l);
		http_fail(r, 400, "no_session", NULL, "This request has no session cookie to end.");
		return;
	}
	auth_token_hash(sid, l->hash);
	http_write(r, logout_run, l, free, logout_answer);
}

/* ---- GET /api/v1/session ---------------------------------------------- */

void api_session_get(struct request *r)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddItemToObject(root, "user", user_json(r->user.username, r->user.full_name,
				r->user.role, r->user.agency_code, r->user.agency_name));
	cJSON_AddBoolToObject(root, "via_token", r->user.via_token);
	http_json(r, 200, root);
}
