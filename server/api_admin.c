/*
 * motcua — api_admin: staff accounts, procedure limits and chains.
 *
 * Changes re-read their row inside the writer job, so two admins saving
 * at once cannot lose each other's fields, and "a key left out keeps its
 * value" is decided against the committed row. Passwords are hashed and
 * checked here on the HTTP thread, never in the job: Argon2 is slow on
 * purpose and the writer serves every request. Account changes flush the
 * principal cache once they are durable, so a disabled account or a reset
 * password takes effect on the very next request.
 */
#include "api_admin.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "app.h"
#include "auth.h"
#include "buf.h"
#include "db.h"
#include "db_account.h"
#include "db_catalog.h"
#include "db_dossier.h"
#include "db_event.h"
#include "json.h"
#include "text.h"
#include "util.h"
#include "writer.h"

/* Append one history row about the catalogue or an account (no dossier);
 * data is a cJSON object, consumed. */
static int admin_event(struct txn *t, const struct principal *actor, int64_t at,
		       const char *action, const char *note, cJSON *data, struct api_error *err)
{
	char *text = json_print(data);
	struct event_rec e = {
		.at = at, .action = action, .step = -1, .clock = "", .note = note,
		.data = text ? text : "",
	};
	db_event_actor(&e, actor);
	int rc = db_event_append(t, &e, err);
	free(text);
	cJSON_Delete(data);
	return rc;
}

/* ==== staff accounts ===================================================== */

static cJSON *user_json(const struct account_row *a, int64_t now)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "username", a->username);
	cJSON_AddStringToObject(o, "full_name", a->full_name);
	cJSON_AddStringToObject(o, "role", role_name(a->role));
	cJSON *g = cJSON_AddObjectToObject(o, "agency");
	cJSON_AddStringToObject(g, "code", a->agency_code);
	cJSON_AddStringToObject(g, "name", a->agency_name);
	cJSON_AddBoolToObject(o, "disabled", a->disabled);
	cJSON_AddBoolToObject(o, "locked", a->locked_until > now);
	api_add_time(o, "locked_until", a->locked_until > now ? a->locked_until : 0);
	cJSON_AddBoolToObject(o, "pii_access", a->pii_access);
	api_add_time(o, "created_at", a->created_at);
	return o;
}

struct user_list {
	cJSON *items;
	int64_t now;
};

static void add_user(const struct account_row *a, void *ctx)
{
	struct user_list *l = ctx;
	cJSON_AddItemToArray(l->items, user_json(a, l->now));
}

void api_users_list(struct request *r)
{
	struct db *db = api_reader(r);
	if (!db)
		return;
	cJSON *root = cJSON_CreateObject();
	struct user_list l = { cJSON_AddArrayToObject(root, "items"), app_now(r->app) };
	if (db_account_each(db, add_user, &l) != 0) {
		cJSON_Delete(root);
		http_fail(r, 500, "database_error", NULL, "Could not read the accounts.");
		return;
	}
	http_json(r, 200, root);
}

enum user_op { USER_CREATE, USER_DISABLE, USER_ENABLE, USER_PASSWORD };

static const char *const user_actions[] = { "user_create", "user_disable", "user_enable",
					    "user_password" };

struct user_change {
	enum user_op op;
	struct account_row a;		/* create: the new account; else the
					 * target, as read in the job */
	char username[64];		/* the target */
	char hash[AUTH_HASH_MAX];	/* password: the new hash */
	char note[2048];		/* disable/enable: why (may be "") */
	int keep_session;		/* password: the actor's own session stays */
	unsigned char keep[32];
	int self;			/* password: the user changed their own */
	struct principal actor;
	int64_t now;
};

static int user_change_run(struct txn *t, void *arg, struct api_error *err)
{
	struct user_change *c = arg;
	cJSON *data = cJSON_CreateObject();
	int rc = -1;
	if (c->op == USER_CREATE) {
		if (db_account_insert(t, &c->a, c->now, &c->a.id, err) != 0)
			goto out;
		cJSON_AddStringToObject(data, "full_name", c->a.full_name);
		cJSON_AddStringToObject(data, "role", role_name(c->a.role));
		cJSON_AddStringToObject(data, "agency", c->a.agency_code);
		cJSON_AddBoolToObject(data, "pii_access", c->a.pii_access);
	} else {
		int found = db_account_by_username(t->db, c->username, &c->a);
		if (found < 0) {
			api_error_set(err, 500, "database_error", NULL, "Could not read the account.");
			goto out;
		}
		if (found == 0) {
			api_error_set(err, 404, "not_found", NULL, "No account is called \"%s\".", c->username);
			goto out;
		}
		switch (c->op) {
		case USER_DISABLE:
			if (db_account_set_disabled(t, c->a.id, 1, err) != 0
			    || db_session_delete_account(t, c->a.id, err) != 0)
				goto out;
			break;
		case USER_ENABLE:
			if (db_account_set_disabled(t, c->a.id, 0, err) != 0
			    || db_account_unlock(t, c->a.id, err) != 0)
				goto out;
			break;
		default:
			if (db_account_set_password(t, c->a.id, c->hash, err) != 0)
				goto out;
			/* Whoever knew the old password is logged out everywhere,
			 * except the user in the session they changed it from. */
			if (c->keep_session ? db_session_delete_others(t, c->a.id, c->keep, err)
					    : db_session_delete_account(t, c->a.id, err))
				goto out;
			cJSON_AddBoolToObject(data, "by_self", c->self);
			break;
		}
		if (c->note[0])
			cJSON_AddStringToObject(data, "note", c->note);
	}
	cJSON_AddStringToObject(data, "username", c->a.username);
	rc = admin_event(t, &c->actor, c->now, user_actions[c->op], c->a.username, data, err);
	data = NULL;
out:
	cJSON_Delete(data);
	return rc;
}

static void user_change_free(void *p)
{
	struct user_change *c = p;
	sodium_memzero(c, sizeof(*c));
	free(c);
}

static void user_change_answer(struct request *r)
{
	struct user_change *c = r->arg;
	struct db *db = db_reader();
	struct account_row *fresh = xmalloc(sizeof(*fresh));
	char location[128];
	api_session_flush_cache();
	if (c->op == USER_PASSWORD) {
		http_no_content(r);
		goto out;
	}
	if (db && db_account_by_username(db, c->a.username, fresh) == 1)
		c->a = *fresh;
	http_json(r, c->op == USER_CREATE ? 201 : 200, user_json(&c->a, app_now(r->app)));
	if (c->op == USER_CREATE) {
		snprintf(location, sizeof(location), "/api/v1/users/%s", c->a.username);
		http_header(r, "Location", location);
	}
out:
	free(fresh);
}

/* Lower-case ASCII letters, digits, ".", "_" and "-", starting with a
 * letter or digit: safe in paths, logs and the history. */
static int username_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 63 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!(islower(ch) || isdigit(ch) || ch == '.' || ch == '_' || ch == '-'))
			return 0;
	}
	return 1;
}

/* Refuse a weak password with its reason; 0 if acceptable. */
static int password_refused(struct request *r, const char *password, const char *field)
{
	const char *why = auth_password_problem(password, r->app->cfg.password_min_length);
	char msg[200];
	if (!why)
		return 0;
	snprintf(msg, sizeof(msg), "%c%s (at least %d characters, not a common password).",
		 toupper((unsigned char)why[0]), why + 1, r->app->cfg.password_min_length);
	http_fail(r, 422, "weak_password", field, msg);
	return 1;
}

static int hash_into(struct request *r, const char *password, char out[AUTH_HASH_MAX])
{
	const struct config *cfg = &r->app->cfg;
	if (auth_hash_password(password, cfg->pwhash_ops, cfg->pwhash_mem_kib, out) != 0) {
		http_fail(r, 500, "hash_failed", NULL, "Could not hash the password (out of memory).");
		return -1;
	}
	return 0;
}

static const char *const create_keys[] = { "username", "full_name", "role", "agency", "password",
					   "pii_access", NULL };
static const char *const role_names[] = { "admin", "clerk", "officer", "manager", "auditor", NULL };

void api_user_create(struct request *r)
{
	struct api_error e;
	struct db *db = api_reader(r);
	cJSON *body = NULL;
	struct user_change *c = NULL;
	struct agency_row *ag = xmalloc(sizeof(*ag));
	const char *username = NULL, *full_name = NULL, *agency = NULL, *password = NULL;
	int role = 0, pii = 0;
	if (!db || !(body = api_body(r)))
		goto out;
	if (json_only_keys(body, NULL, create_keys, &e) != 0
	    || json_get_string(body, "username", NULL, 1, 2, 63, JSON_LINE, &username, &e) < 0
	    || json_get_string(body, "full_name", NULL, 1, 1, 100, JSON_LINE, &full_name, &e) < 0
	    || json_get_enum(body, "role", NULL, 1, role_names, &role, &e) < 0
	    || json_get_string(body, "agency", NULL, 1, 1, 31, JSON_LINE, &agency, &e) < 0
	    || json_get_string(body, "password", NULL, 1, 1, 256, JSON_LINE, &password, &e) < 0
	    || json_get_bool(body, "pii_access", NULL, 0, &pii, &e) < 0) {
		http_error(r, &e);
		goto out;
	}
	if (!username_ok(username)) {
		http_fail(r, 422, "invalid_username", "username",
			  "A username is 2 to 63 lower-case letters, digits, dots, dashes or underscores.");
		goto out;
	}
	if (strlen(full_name) >= sizeof(c->a.full_name)) {
		http_fail(r, 422, "invalid_field", "full_name", "The full name is too long.");
		goto out;
	}
	if (db_agency_by_code(db, agency, ag) != 1) {
		http_fail(r, 422, "unknown_agency", "agency", "No agency has this code.");
		goto out;
	}
	if (password_refused(r, password, "password"))
		goto out;
	c = xcalloc(1, sizeof(*c));
	c->op = USER_CREATE;
	strlcpy_(c->a.username, username, sizeof(c->a.username));
	strlcpy_(c->a.full_name, full_name, sizeof(c->a.full_name));
	role_parse(role_names[role], &c->a.role);
	c->a.agency_id = ag->id;
	strlcpy_(c->a.agency_code, ag->code, sizeof(c->a.agency_code));
	strlcpy_(c->a.agency_name, ag->name, sizeof(c->a.agency_name));
	c->a.pii_access = pii;
	if (hash_into(r, password, c->a.password_hash) != 0)
		goto out;
	c->actor = r->user;
	c->now = app_now(r->app);
	http_write(r, user_change_run, c, user_change_free, user_change_answer);
	c = NULL;
out:
	if (c)
		user_change_free(c);
	free(ag);
	cJSON_Delete(body);
}

static const char *const note_keys[] = { "note", NULL };

static void user_flag(struct request *r, enum user_op op)
{
	struct api_error e;
	const char *note = NULL;
	cJSON *body = api_body(r);
	if (!body)
		return;
	if (json_only_keys(body, NULL, note_keys, &e) != 0
	    || json_get_string(body, "note", NULL, 0, 0, 500, JSON_MULTILINE, &note, &e) < 0) {
		http_error(r, &e);
		goto out;
	}
	/* An admin who disables themself may leave nobody able to undo it. */
	if (op == USER_DISABLE && strcmp(r->params[0], r->user.username) == 0) {
		http_fail(r, 409, "cannot_disable_self", NULL, "You cannot disable your own account.");
		goto out;
	}
	struct user_change *c = xcalloc(1, sizeof(*c));
	c->op = op;
	strlcpy_(c->username, r->params[0], sizeof(c->username));
	strlcpy_(c->note, note ? note : "", sizeof(c->note));
	c->actor = r->user;
	c->now = app_now(r->app);
	http_write(r, user_change_run, c, user_change_free, user_change_answer);
out:
	cJSON_Delete(body);
}

void api_user_disable(struct request *r)
{
	user_flag(r, USER_DISABLE);
}

void api_user_enable(struct request *r)
{
	user_flag(r, USER_ENABLE);
}

static const char *const password_keys[] = { "password", "current_password", NULL };

void api_user_password(struct request *r)
{
	struct api_error e;
	struct db *db = api_reader(r);
	cJSON *body = NULL;
	struct account_row *a = xmalloc(sizeof(*a));
	struct user_change *c = NULL;
	const char *password = NULL, *current = NULL;
	int self = strcmp(r->params[0], r->user.username) == 0;
	if (!db)
		goto out;
	if (!self && r->user.role != ROLE_ADMIN) {
		http_fail(r, 403, "forbidden", NULL, "Only an admin may set another user's password.");
		goto out;
	}
	if (!(body = api_body(r)))
		goto out;
	if (json_only_keys(body, NULL, password_keys, &e) != 0
	    || json_get_string(body, "password", NULL, 1, 1, 256, JSON_LINE, &password, &e) < 0
	    || json_get_string(body, "current_password", NULL, self, 1, 256, JSON_LINE,
			       &current, &e) < 0) {
		http_error(r, &e);
		goto out;
	}
	if (db_account_by_username(db, r->params[0], a) != 1) {
		http_fail(r, 404, "not_found", NULL, "No account is called that.");
		goto out;
	}
	/* Someone at an unlocked screen must not take the account over. */
	if (self && !auth_verify_password(a->password_hash, current)) {
		http_fail(r, 422, "wrong_password", "current_password", "The current password is not right.");
		goto out;
	}
	if (password_refused(r, password, "password"))
		goto out;
	c = xcalloc(1, sizeof(*c));
	c->op = USER_PASSWORD;
	c->self = self;
	strlcpy_(c->username, a->username, sizeof(c->username));
	if (hash_into(r, password, c->hash) != 0)
		goto out;
	c->keep_session = self && !r->user.via_token;
	memcpy(c->keep, r->user.session, sizeof(c->keep));
	c->actor = r->user;
	c->now = app_now(r->app);
	http_write(r, user_change_run, c, user_change_free, user_change_answer);
	c = NULL;
out:
	if (c)
		user_change_free(c);
	free(a);
	cJSON_Delete(body);
}

/* ==== procedures ========================================================= */

static void add_limit(cJSON *o, const char *key, int value, const char *unit)
{
	cJSON *l = cJSON_AddObjectToObject(o, key);
	cJSON_AddNumberToObject(l, "value", value);
	cJSON_AddStringToObject(l, "unit", unit);
}

static void add_agency_ref(cJSON *o, const char *key, const char *code, const char *name)
{
	if (!code[0]) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	cJSON *a = cJSON_AddObjectToObject(o, key);
	cJSON_AddStringToObject(a, "code", code);
	cJSON_AddStringToObject(a, "name", name);
}

/* The procedure as the admin pages show it; with its chain when db is
 * given. */
static cJSON *proc_json(struct db *db, const struct procedure_row *p)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", p->code);
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "field", p->field);
	cJSON_AddStringToObject(o, "level", p->level);
	add_agency_ref(o, "agency", p->agency_code, p->agency_name);
	add_limit(o, "limit", p->limit_value, p->limit_unit);
	if (p->online_limit_value >= 0)
		add_limit(o, "online_limit", p->online_limit_value, p->online_limit_unit);
	else
		cJSON_AddNullToObject(o, "online_limit");
	if (p->fee_vnd >= 0)
		cJSON_AddNumberToObject(o, "fee_vnd", (double)p->fee_vnd);
	else
		cJSON_AddNullToObject(o, "fee_vnd");
	cJSON_AddStringToObject(o, "online_level", p->online_level);
	cJSON_AddBoolToObject(o, "active", p->active);
	cJSON_AddNumberToObject(o, "steps", p->steps);
	if (!db)
		return o;
	struct step_row *steps = xmalloc(DOSSIER_MAX_STEPS * sizeof(*steps));
	cJSON *chain = cJSON_AddArrayToObject(o, "chain");
	int n = db_step_list(db, p->id, steps, DOSSIER_MAX_STEPS);
	for (int i = 0; i < n; i++) {
		cJSON *s = cJSON_CreateObject();
		cJSON_AddNumberToObject(s, "seq", steps[i].seq);
		add_agency_ref(s, "agency", steps[i].agency_code, steps[i].agency_name);
		cJSON_AddStringToObject(s, "task", steps[i].task);
		cJSON_AddNumberToObject(s, "work_hours", steps[i].work_hours);
		cJSON_AddItemToArray(chain, s);
	}
	free(steps);
	return o;
}

/* ---- GET /api/v1/admin/procedures ---------------------------------------- */

struct proc_list {
	cJSON *items;
	const char *key;	/* folded query */
	int active;		/* -1 any, else 0/1 */
	int limit;
	int matched;
	struct buf fold;
};

/* 1 if every word of the folded query occurs in the folded name. */
static int all_words_in(const char *name, const char *query)
{
	char word[128];
	const char *q = query;
	while (*q) {
		size_t len = strcspn(q, " ");
		if (len && len < sizeof(word)) {
			memcpy(word, q, len);
			word[len] = '\0';
			if (!strstr(name, word))
				return 0;
		}
		q += len;
		q += strspn(q, " ");
	}
	return 1;
}

static void maybe_add_proc(const struct procedure_row *p, void *ctx)
{
	struct proc_list *l = ctx;
	if (l->active >= 0 && p->active != l->active)
		return;
	if (*l->key && !str_starts(p->code, l->key)) {
		buf_reset(&l->fold);
		text_fold(p->name, &l->fold);
		if (!all_words_in(buf_cstr(&l->fold), l->key))
			return;
	}
	if (l->matched++ < l->limit)
		cJSON_AddItemToArray(l->items, proc_json(NULL, p));
}

void api_admin_procedures(struct request *r)
{
	struct db *db = api_reader(r);
	const char *q = http_query(r, "q"), *active = http_query(r, "active");
	struct buf key = BUF_INIT;
	struct proc_list l;
	if (!db)
		return;
	memset(&l, 0, sizeof(l));
	l.limit = api_limit(r, 100, 1000);
	if (l.limit < 0) {
		http_fail(r, 400, "invalid_parameter", "limit", "limit must be a number from 1 to 1000.");
		return;
	}
	if (q && strlen(q) > 200) {
		http_fail(r, 400, "invalid_parameter", "q", "q is longer than 200 characters.");
		return;
	}
	l.active = -1;
	if (active && strcmp(active, "true") == 0)
		l.active = 1;
	else if (active && strcmp(active, "false") == 0)
		l.active = 0;
	else if (active) {
		http_fail(r, 400, "invalid_parameter", "active", "active must be true or false.");
		return;
	}
	text_fold(q ? q : "", &key);
	l.key = buf_cstr(&key);
	cJSON *root = cJSON_CreateObject();
	l.items = cJSON_AddArrayToObject(root, "items");
	int rc = db_procedure_each(db, maybe_add_proc, &l);
	buf_release(&l.fold);
	buf_release(&key);
	if (rc != 0) {
		cJSON_Delete(root);
		http_fail(r, 500, "database_error", NULL, "Could not read the procedures.");
		return;
	}
	cJSON_AddNumberToObject(root, "matched", l.matched);
	cJSON_AddBoolToObject(root, "truncated", l.matched > l.limit);
	http_json(r, 200, root);
}

/* ---- PUT /api/v1/procedures/{code} and …/chain --------------------------- */

enum change_op { KEEP, SET, CLEAR };

struct proc_change {
	char code[32];
	enum change_op limit_op, online_op, fee_op, level_op, active_op, agency_op;
	int limit_value, online_value;
	char limit_unit[16], online_unit[16], online_level[16];
	int64_t fee;
	int active;
	int64_t agency_id;
	char agency_code[32];
	int chain;			/* 1: replace the chain with steps */
	struct step_row steps[DOSSIER_MAX_STEPS];
	int n_steps;
	struct principal actor;
	int64_t now;
	struct procedure_row p;		/* the row as written */
};

static cJSON *limit_obj(int value, const char *unit)
{
	cJSON *l = cJSON_CreateObject();
	cJSON_AddNumberToObject(l, "value", value);
	cJSON_AddStringToObject(l, "unit", unit);
	return l;
}

/* What the history keeps: only the settings this request changed. */
static cJSON *proc_change_data(const struct proc_change *c)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", c->code);
	if (c->chain) {
		cJSON *steps = cJSON_AddArrayToObject(o, "steps");
		for (int i = 0; i < c->n_steps; i++) {
			cJSON *s = cJSON_CreateObject();
			if (c->steps[i].agency_id)
				cJSON_AddStringToObject(s, "agency", c->steps[i].agency_code);
			else
				cJSON_AddNullToObject(s, "agency");
			cJSON_AddStringToObject(s, "task", c->steps[i].task);
			cJSON_AddNumberToObject(s, "work_hours", c->steps[i].work_hours);
			cJSON_AddItemToArray(steps, s);
		}
		return o;
	}
	if (c->limit_op == SET)
		cJSON_AddItemToObject(o, "limit", limit_obj(c->limit_value, c->limit_unit));
	if (c->online_op == SET)
		cJSON_AddItemToObject(o, "online_limit", limit_obj(c->online_value, c->online_unit));
	else if (c->online_op == CLEAR)
		cJSON_AddNullToObject(o, "online_limit");
	if (c->fee_op == SET)
		cJSON_AddNumberToObject(o, "fee_vnd", (double)c->fee);
	else if (c->fee_op == CLEAR)
		cJSON_AddNullToObject(o, "fee_vnd");
	if (c->level_op == SET)
		cJSON_AddStringToObject(o, "online_level", c->online_level);
	if (c->active_op == SET)
		cJSON_AddBoolToObject(o, "active", c->active);
	if (c->agency_op == SET)
		cJSON_AddStringToObject(o, "agency", c->agency_code);
	else if (c->agency_op == CLEAR)
		cJSON_AddNullToObject(o, "agency");
	return o;
}

static int proc_change_run(struct txn *t, void *arg, struct api_error *err)
{
	struct proc_change *c = arg;
	struct procedure_row *p = &c->p;
	int found = db_procedure_by_code(t->db, c->code, p);
	if (found < 0)
		return api_error_set(err, 500, "database_error", NULL, "Could not read the procedure.");
	if (found == 0)
		return api_error_set(err, 404, "not_found", NULL, "No procedure has this code.");
	if (c->chain) {
		if (db_step_replace(t, p->id, c->steps, c->n_steps, err) != 0)
			return -1;
		p->steps = c->n_steps;
	} else {
		if (c->limit_op == SET) {
			p->limit_value = c->limit_value;
			strlcpy_(p->limit_unit, c->limit_unit, sizeof(p->limit_unit));
		}
		if (c->online_op != KEEP) {
			p->online_limit_value = c->online_op == SET ? c->online_value : -1;
			strlcpy_(p->online_limit_unit, c->online_op == SET ? c->online_unit : "",
				 sizeof(p->online_limit_unit));
		}
		if (c->fee_op != KEEP)
			p->fee_vnd = c->fee_op == SET ? c->fee : -1;
		if (c->level_op == SET)
			strlcpy_(p->online_level, c->online_level, sizeof(p->online_level));
		if (c->active_op == SET)
			p->active = c->active;
		if (db_procedure_set_limits(t, p, err) != 0)
			return -1;
		if (c->agency_op != KEEP
		    && db_procedure_set_agency(t, p->id, c->agency_op == SET ? c->agency_id : 0, err) != 0)
			return -1;
	}
	return admin_event(t, &c->actor, c->now, c->chain ? "procedure_chain_set" : "procedure_update",
			   c->code, proc_change_data(c), err);
}

/* Working hours in one working day, from the office sessions. */
static int day_hours(const struct config *cfg)
{
	int minutes = 0;
	for (int s = 0; s < 2; s++)
		if (cfg->session[s][1] > cfg->session[s][0])
			minutes += cfg->session[s][1] - cfg->session[s][0];
	return minutes / 60;
}

/* A chain longer than the procedure's own limit cannot be finished on
 * time even when every agency keeps its share: say so, without refusing
 * (the published limit and the local chain are set by different acts). */
static void chain_warnings(struct request *r, const struct procedure_row *p, struct db *db,
			   cJSON *arr)
{
	struct step_row *steps = xmalloc(DOSSIER_MAX_STEPS * sizeof(*steps));
	int n = db_step_list(db, p->id, steps, DOSSIER_MAX_STEPS), sum = 0, limit_h = -1;
	for (int i = 0; i < n; i++)
		sum += steps[i].work_hours;
	if (strcmp(p->limit_unit, "working_hours") == 0)
		limit_h = p->limit_value;
	else if (strcmp(p->limit_unit, "working_days") == 0)
		limit_h = p->limit_value * day_hours(&r->app->cfg);
	if (limit_h >= 0 && sum > limit_h) {
		char msg[200];
		cJSON *w = cJSON_CreateObject();
		snprintf(msg, sizeof(msg),
			 "The steps take %d working hours together, more than the procedure's limit of %d.",
			 sum, limit_h);
		cJSON_AddStringToObject(w, "code", "chain_longer_than_limit");
		cJSON_AddNumberToObject(w, "chain_hours", sum);
		cJSON_AddNumberToObject(w, "limit_hours", limit_h);
		cJSON_AddStringToObject(w, "message", msg);
		cJSON_AddItemToArray(arr, w);
	}
	free(steps);
}

static void proc_change_answer(struct request *r)
{
	struct proc_change *c = r->arg;
	struct db *db = db_reader();
	struct procedure_row *p = xmalloc(sizeof(*p));
	if (!db || db_procedure_by_code(db, c->code, p) != 1) {
		http_fail(r, 503, "database_unavailable", NULL, "The change was saved but cannot be read back.");
		goto out;
	}
	cJSON *o = proc_json(db, p);
	chain_warnings(r, p, db, cJSON_AddArrayToObject(o, "warnings"));
	http_json(r, 200, o);
out:
	free(p);
}

static const char *const units[] = { "none", "working_hours", "working_days", "calendar_days",
				     "immediate", NULL };
static const char *const online_levels[] = { "full", "partial", "none", "unknown", NULL };
static const char *const proc_keys[] = { "limit", "online_limit", "fee_vnd", "online_level",
					 "active", "agency", NULL };
static const char *const limit_keys[] = { "value", "unit", NULL };

/* {value, unit}: counting units need a value of at least 1 (a limit of
 * zero days is no limit at all); "none" and "immediate" take 0 or
 * nothing. An online override cannot be "none". */
static int parse_limit(const cJSON *o, const char *path, int online, int *value, char unit[16],
		       struct api_error *e)
{
	static const long long max[] = { 0, 20000, 2500, 3650, 0 };
	char upath[48];
	long long v = 0;
	int u = 0;
	json_path(upath, sizeof(upath), path, "unit");
	if (json_only_keys(o, path, limit_keys, e) != 0
	    || json_get_enum(o, "unit", path, 1, units, &u, e) < 0)
		return -1;
	if (online && u == 0)
		return api_error_set(e, 422, "invalid_field", upath,
				     "An online override needs a unit; send null to remove the override.");
	if (json_get_int(o, "value", path, max[u] > 0, max[u] > 0 ? 1 : 0, max[u], &v, e) < 0)
		return -1;
	*value = (int)v;
	strlcpy_(unit, units[u], 16);
	return 0;
}

static int parse_proc_change(struct db *db, const cJSON *body, struct proc_change *c,
			     struct api_error *e)
{
	const cJSON *lim = NULL, *item;
	long long fee = 0;
	int level = 0, active = 0, got;
	if (json_only_keys(body, NULL, proc_keys, e) != 0)
		return -1;
	if ((got = json_get_object(body, "limit", NULL, 0, &lim, e)) < 0)
		return -1;
	if (got && parse_limit(lim, "limit", 0, &c->limit_value, c->limit_unit, e) != 0)
		return -1;
	c->limit_op = got ? SET : KEEP;
	/* null is meaningful here ("remove"), so look before the getters,
	 * which treat null as absent. */
	item = cJSON_GetObjectItemCaseSensitive(body, "online_limit");
	if (cJSON_IsNull(item)) {
		c->online_op = CLEAR;
	} else if (item) {
		if (json_get_object(body, "online_limit", NULL, 1, &lim, e) < 0
		    || parse_limit(lim, "online_limit", 1, &c->online_value, c->online_unit, e) != 0)
			return -1;
		c->online_op = SET;
	}
	item = cJSON_GetObjectItemCaseSensitive(body, "fee_vnd");
	if (cJSON_IsNull(item)) {
		c->fee_op = CLEAR;
	} else if (item) {
		if (json_get_int(body, "fee_vnd", NULL, 1, 0, 1000000000000LL, &fee, e) < 0)
			return -1;
		c->fee = fee;
		c->fee_op = SET;
	}
	if ((got = json_get_enum(body, "online_level", NULL, 0, online_levels, &level, e)) < 0)
		return -1;
	if (got) {
		strlcpy_(c->online_level, online_levels[level], sizeof(c->online_level));
		c->level_op = SET;
	}
	if ((got = json_get_bool(body, "active", NULL, 0, &active, e)) < 0)
		return -1;
	c->active = active;
	c->active_op = got ? SET : KEEP;
	item = cJSON_GetObjectItemCaseSensitive(body, "agency");
	if (cJSON_IsNull(item)) {
		c->agency_op = CLEAR;
	} else if (item) {
		const char *code = NULL;
		struct agency_row *ag = xmalloc(sizeof(*ag));
		int found = json_get_string(body, "agency", NULL, 1, 1, 31, JSON_LINE, &code, e) == 1
			    && db_agency_by_code(db, code, ag) == 1;
		if (found) {
			c->agency_id = ag->id;
			strlcpy_(c->agency_code, ag->code, sizeof(c->agency_code));
		}
		free(ag);
		if (!found)
			return code ? api_error_set(e, 422, "unknown_agency", "agency", "No agency has this code.")
				    : -1;
		c->agency_op = SET;
	}
	return 0;
}

void api_procedure_put(struct request *r)
{
	struct api_error e;
	struct db *db = api_reader(r);
	cJSON *body = NULL;
	struct proc_change *c = xcalloc(1, sizeof(*c));
	if (!db || !(body = api_body(r)))
		goto fail;
	if (parse_proc_change(db, body, c, &e) != 0) {
		http_error(r, &e);
		goto fail;
	}
	strlcpy_(c->code, r->params[0], sizeof(c->code));
	c->actor = r->user;
	c->now = app_now(r->app);
	cJSON_Delete(body);
	http_write(r, proc_change_run, c, free, proc_change_answer);
	return;
fail:
	cJSON_Delete(body);
	free(c);
}

static const char *const chain_keys[] = { "steps", NULL };
static const char *const step_keys[] = { "agency", "task", "work_hours", NULL };

static int parse_steps(struct db *db, const cJSON *arr, struct proc_change *c, struct api_error *e)
{
	const cJSON *it;
	struct agency_row *ag = xmalloc(sizeof(*ag));
	int i = 0, rc = -1;
	cJSON_ArrayForEach(it, arr) {
		char path[32], fpath[48];
		const char *agency = NULL, *task = NULL;
		long long hours = 0;
		struct step_row *s = &c->steps[i];
		snprintf(path, sizeof(path), "steps[%d]", i);
		if (!cJSON_IsObject(it)) {
			api_error_set(e, 422, "invalid_field", path, "must be an object");
			goto out;
		}
		if (json_only_keys(it, path, step_keys, e) != 0)
			goto out;
		snprintf(fpath, sizeof(fpath), "%s.agency", path);
		if (json_get_string(it, "agency", path, 0, 1, 31, JSON_LINE, &agency, e) < 0)
			goto out;
		if (agency) {
			if (db_agency_by_code(db, agency, ag) != 1) {
				api_error_set(e, 422, "unknown_agency", fpath, "No agency has the code %s.", agency);
				goto out;
			}
			s->agency_id = ag->id;
			strlcpy_(s->agency_code, ag->code, sizeof(s->agency_code));
			strlcpy_(s->agency_name, ag->name, sizeof(s->agency_name));
		}
		snprintf(fpath, sizeof(fpath), "%s.task", path);
		if (json_get_string(it, "task", path, 0, 0, 80, JSON_LINE, &task, e) < 0)
			goto out;
		if (task && strlen(task) >= sizeof(s->task)) {
			api_error_set(e, 422, "invalid_field", fpath, "The task is too long.");
			goto out;
		}
		strlcpy_(s->task, task ? task : "", sizeof(s->task));
		if (json_get_int(it, "work_hours", path, 1, 0, 20000, &hours, e) < 0)
			goto out;
		s->work_hours = (int)hours;
		s->seq = ++i;
	}
	c->n_steps = i;
	rc = 0;
out:
	free(ag);
	return rc;
}

void api_procedure_chain_put(struct request *r)
{
	struct api_error e;
	struct db *db = api_reader(r);
	cJSON *body = NULL;
	const cJSON *steps = NULL;
	struct proc_change *c = xcalloc(1, sizeof(*c));
	if (!db || !(body = api_body(r)))
		goto fail;
	if (json_only_keys(body, NULL, chain_keys, &e) != 0
	    || json_get_array(body, "steps", NULL, 1, DOSSIER_MAX_STEPS, &steps, &e) < 0
	    || parse_steps(db, steps, c, &e) != 0) {
		http_error(r, &e);
		goto fail;
	}
	/* Without a step nobody could take the dossier from the one-stop. */
	if (c->n_steps == 0) {
		http_fail(r, 422, "invalid_field", "steps", "A chain needs at least one step.");
		goto fail;
	}
	c->chain = 1;
	strlcpy_(c->code, r->params[0], sizeof(c->code));
	c->actor = r->user;
	c->now = app_now(r->app);
	cJSON_Delete(body);
	http_write(r, proc_change_run, c, free, proc_change_answer);
	return;
fail:
	cJSON_Delete(body);
	free(c);
}

/* ==== GET /api/v1/agencies/{code}/officers ================================ */

static void add_officer(const struct account_row *a, void *ctx)
{
	if (a->disabled || (a->role != ROLE_OFFICER && a->role != ROLE_MANAGER))
		return;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "username", a->username);
	cJSON_AddStringToObject(o, "full_name", a->full_name);
	cJSON_AddStringToObject(o, "role", role_name(a->role));
	cJSON_AddItemToArray(ctx, o);
}

void api_agency_officers(struct request *r)
{
	struct db *db = api_reader(r);
	struct agency_row *ag = xmalloc(sizeof(*ag));
	if (!db)
		goto out;
	if (db_agency_by_code(db, r->params[0], ag) != 1) {
		http_fail(r, 404, "not_found", NULL, "No agency has this code.");
		goto out;
	}
	cJSON *root = cJSON_CreateObject();
	add_agency_ref(root, "agency", ag->code, ag->name);
	if (db_account_each_at(db, ag->id, add_officer, cJSON_AddArrayToObject(root, "items")) != 0) {
		cJSON_Delete(root);
		http_fail(r, 500, "database_error", NULL, "Could not read the accounts.");
		goto out;
	}
	http_json(r, 200, root);
out:
	free(ag);
}
