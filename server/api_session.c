/*
 * motcua — api_session: log in, log out, who am I, and authenticating
 * every request (session cookie or bearer token).
 *
 * Authentication is on every request's path, so principals are cached for
 * a few seconds by the SHA-256 of the secret; logging out, disabling an
 * account or changing a password flushes the cache. Session activity is
 * written back lazily (at most once a minute per session) by a job the
 * request does not wait for.
 *
 * Logging in is guarded three ways: an account locks after
 * login_max_failures failures in a row (429 account_locked, with the
 * minutes left); a client address gets login_per_minute attempts a minute
 * whatever the usernames (429 too_many_attempts), so one address cannot
 * spray a password over many accounts; and an unknown or disabled username
 * costs the same Argon2id verification as a wrong password (against a
 * dummy hash made with the configured cost), so the answer's timing does
 * not tell which usernames exist.
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
#include "ratelimit.h"
#include "util.h"
#include "writer.h"

#define COOKIE "motcua_sid"
#define CACHE_SLOTS 512
#define CACHE_SECONDS 10

struct cached {
	unsigned char hash[32];
	int used;
	int64_t until;		/* monotonic seconds */
	int64_t checked_at;	/* app_now() when read from the database */
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

/* A hit must also be fresh on the service's own clock (now): session
 * expiry is judged on that clock, and a test that travels in time (or a
 * wall clock that jumps) must not be answered from before the jump. */
static int cache_get(const unsigned char hash[32], int64_t now, struct principal *out)
{
	int hit = 0;
	pthread_mutex_lock(&cache_lock);
	struct cached *c = slot(hash);
	if (c->used && c->until > mono_s() && memcmp(c->hash, hash, 32) == 0
	    && now >= c->checked_at && now - c->checked_at < CACHE_SECONDS) {
		*out = c->p;
		hit = 1;
	}
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

static void cache_put(const unsigned char hash[32], int64_t now, const struct principal *p)
{
	pthread_mutex_lock(&cache_lock);
	struct cached *c = slot(hash);
	memcpy(c->hash, hash, 32);
	c->p = *p;
	c->used = 1;
	c->until = mono_s() + CACHE_SECONDS;
	c->checked_at = now;
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
	if (!cache_get(hash, now, &r->user)) {
		int64_t idle_before = now - (int64_t)cfg->session_idle_minutes * 60;
		int rc = db_session_principal(db, hash, now, idle_before, &r->user);
		if (rc != 1)
			return rc;
		cache_put(hash, now, &r->user);
	}
	if (now - r->user.session_seen >= 60) {
		touch_later(r, hash, now);
		r->user.session_seen = now;
		cache_put(hash, now, &r->user);
	}
	return 1;
}

static int from_token(struct db *db, const char *token, int64_t now, struct principal *p)
{
	unsigned char hash[32];
	auth_token_hash(token, hash);
	if (cache_get(hash, now, p))
		return 1;
	int rc = db_token_principal(db, hash, p);
	if (rc == 1)
		cache_put(hash, now, p);
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
		rc = from_token(db, authz + 7, app_now(r->app), &r->user);
	else if (sid && strlen(sid) == AUTH_TOKEN_LEN)
		rc = from_session(r, db, sid);
	r->authed = rc == 1;
	return rc;
}

/* ---- POST /api/v1/session --------------------------------------------- */

/* Login attempts per client address: one table per running server (tests
 * start several in one process, one after another). */
static struct {
	pthread_mutex_t lock;
	const struct app *app;
	int64_t started_at;
	struct ratelimit *rl;
} attempts = { PTHREAD_MUTEX_INITIALIZER, NULL, 0, NULL };

/* 0 if the address may try now; else the seconds to wait. */
static int attempt_wait(struct request *r)
{
	struct ratelimit *rl;
	pthread_mutex_lock(&attempts.lock);
	if (attempts.app != r->app || attempts.started_at != r->app->started_at || !attempts.rl
	    || ratelimit_per_minute(attempts.rl) != r->app->cfg.login_per_minute) {
		ratelimit_free(attempts.rl);
		attempts.rl = ratelimit_new(r->app->cfg.login_per_minute, 8192);
		attempts.app = r->app;
		attempts.started_at = r->app->started_at;
	}
	rl = attempts.rl;
	pthread_mutex_unlock(&attempts.lock);
	return ratelimit_take(rl, r->client_ip, util_mono_ns());
}

/* A hash in the configured format to verify unknown usernames against;
 * made once per cost setting (the first login after start pays for it). */
static struct {
	pthread_mutex_t lock;
	int ops, mem_kib;
	char hash[AUTH_HASH_MAX];
} dummy = { PTHREAD_MUTEX_INITIALIZER, 0, 0, "" };

/* Spend the time a wrong password would cost. */
static void verify_dummy(const struct config *cfg, const char *password)
{
	char hash[AUTH_HASH_MAX] = "";
	pthread_mutex_lock(&dummy.lock);
	if (dummy.ops != cfg->pwhash_ops || dummy.mem_kib != cfg->pwhash_mem_kib || !dummy.hash[0]) {
		unsigned char digest[32];
		char secret[AUTH_TOKEN_LEN + 1];
		/* A random password nobody knows: the verification always fails. */
		auth_new_token(secret, digest);
		if (auth_hash_password(secret, cfg->pwhash_ops, cfg->pwhash_mem_kib, dummy.hash) == 0) {
			dummy.ops = cfg->pwhash_ops;
			dummy.mem_kib = cfg->pwhash_mem_kib;
		} else {
			dummy.hash[0] = '\0';
		}
	}
	memcpy(hash, dummy.hash, sizeof(hash));
	pthread_mutex_unlock(&dummy.lock);
	if (hash[0])
		(void)auth_verify_password(hash, password);
}

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
			char msg[160], after[24];
			snprintf(msg, sizeof(msg),
				 "Too many failed attempts: the account is locked for %lld minutes.",
				 (long long)(l->lock_seconds / 60));
			snprintf(after, sizeof(after), "%lld", (long long)l->lock_seconds);
			http_fail(r, 429, "account_locked", NULL, msg);
			http_header(r, "Retry-After", after);
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
	    || json_get_string(body, "username", NULL, 1, 1, 64, JSON_LINE, &username, &e) < 0
	    || json_get_string(body, "password", NULL, 1, 1, 256, JSON_LINE, &password, &e) < 0) {
		http_error(r, &e);
		goto out;
	}
	int wait = attempt_wait(r);
	if (wait) {
		char msg[200], after[16];
		snprintf(msg, sizeof(msg),
			 "Too many login attempts from your address: try again in %d second%s.",
			 wait, wait == 1 ? "" : "s");
		snprintf(after, sizeof(after), "%d", wait);
		log_kv(LOG_WARN, "login throttled", "user", username, "client", r->client_ip, NULL);
		http_fail(r, 429, "too_many_attempts", NULL, msg);
		http_header(r, "Retry-After", after);
		goto out;
	}
	l = xcalloc(1, sizeof(*l));
	l->now = app_now(r->app);
	l->max_failures = cfg->login_max_failures;
	l->lock_seconds = (int64_t)cfg->login_lockout_minutes * 60;
	if (db_account_by_username(db, username, &l->account) != 1 || l->account.disabled) {
		verify_dummy(cfg, password);
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
