/*
 * motcua — route: the endpoint table and the checks before a handler.
 */
#include "route.h"

#include <string.h>

#include "api.h"
#include "app.h"
#include "http.h"
#include "util.h"

#define ANY 0u
#define STAFF ROLES_STAFF
#define R(x) ROLE_BIT(ROLE_##x)

/* method, pattern:  what is matched ({x} = one path segment)
 * handler:          who answers
 * roles:            0 = public, else who may call (403 for others)
 * body:             what body is accepted
 * summary:          one line (the OpenAPI document must list each route) */
const struct route route_table[] = {
	{ "GET", "/healthz", api_healthz, ANY, BODY_NONE, "Liveness and database check" },
	{ "GET", "/metrics", api_metrics, ANY, BODY_NONE, "Prometheus metrics" },
	{ "GET", "/api/v1/openapi.json", api_openapi, ANY, BODY_NONE, "This API, described" },
	{ "POST", "/api/v1/session", api_session_create, ANY, BODY_JSON, "Log in" },
	{ "GET", "/api/v1/session", api_session_get, STAFF, BODY_NONE, "Who is logged in" },
	{ "DELETE", "/api/v1/session", api_session_delete, STAFF, BODY_NONE, "Log out" },
	{ "GET", "/api/v1/agencies", api_agencies_list, STAFF, BODY_NONE, "List agencies" },
	{ "GET", "/api/v1/procedures", api_procedures_list, STAFF, BODY_NONE, "Search procedures" },
	{ "GET", "/api/v1/procedures/{code}", api_procedure_get, STAFF, BODY_NONE,
	  "A procedure with its chain and checklist" },
	{ "GET", "/api/v1/calendar", api_calendar_get, STAFF, BODY_NONE, "Calendar exceptions of a year" },
	{ "PUT", "/api/v1/calendar/{date}", api_calendar_put, R(ADMIN), BODY_JSON,
	  "Set a holiday or make-up working day" },
	{ "DELETE", "/api/v1/calendar/{date}", api_calendar_delete, R(ADMIN), BODY_NONE,
	  "Remove an exception (back to the weekday rule)" },
	{ "GET", "/api/v1/deadline", api_deadline_get, STAFF, BODY_NONE, "Preview a due time" },
	{ "POST", "/api/v1/dossiers", api_dossier_create, R(CLERK), BODY_JSON, "Receive a dossier" },
	{ "GET", "/api/v1/dossiers", api_dossiers_list, STAFF, BODY_NONE, "List and search dossiers" },
	{ "GET", "/api/v1/dossiers/{code}", api_dossier_get, STAFF, BODY_NONE,
	  "One dossier with its chain and the actions open to the caller" },
	{ "POST", "/api/v1/dossiers/{code}/actions", api_dossier_action, R(CLERK) | R(OFFICER) | R(MANAGER),
	  BODY_JSON, "Take an action on a dossier" },
	{ "GET", "/api/v1/dossiers/{code}/events", api_dossier_events, STAFF, BODY_NONE,
	  "A dossier's history" },
};
const unsigned route_count = sizeof(route_table) / sizeof(route_table[0]);

/* Match pattern against path, capturing {…} segments. */
static int match(const char *pattern, const char *path, char params[][160])
{
	int n = 0;
	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *pend = strchr(pattern, '}');
			size_t len = strcspn(path, "/");
			if (!pend || len == 0 || len >= 160 || n >= HTTP_MAX_PARAMS)
				return 0;
			if (params) {
				memcpy(params[n], path, len);
				params[n][len] = '\0';
			}
			n++;
			pattern = pend + 1;
			path += len;
			continue;
		}
		if (*pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	return *pattern == '\0' && *path == '\0';
}

static int same_method(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0
	       || (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

const struct route *route_match(const char *method, const char *path,
				char params[][160], int *wrong_method)
{
	*wrong_method = 0;
	for (unsigned i = 0; i < route_count; i++) {
		if (!match(route_table[i].pattern, path, NULL))
			continue;
		if (!same_method(route_table[i].method, method)) {
			*wrong_method = 1;
			continue;
		}
		match(route_table[i].pattern, path, params);
		return &route_table[i];
	}
	return NULL;
}

const struct route *route_for_body(const char *method, const char *path)
{
	int wrong;
	return route_match(method, path, NULL, &wrong);
}

static int is_change(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS");
}

/* Browsers say where a request comes from; a change must come from our own
 * pages. Scripts (curl, bearer tokens) send neither header. */
static int cross_origin(struct request *r)
{
	const char *site = http_req_header(r, "Sec-Fetch-Site");
	const char *origin = http_req_header(r, "Origin");
	const char *host = http_req_header(r, "Host");
	if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
		return 1;
	if (origin && strcmp(origin, "null") != 0) {
		const char *p = strstr(origin, "://");
		if (!p || !host || strcmp(p + 3, host) != 0)
			return 1;
	} else if (origin) {
		return 1;
	}
	return 0;
}

static int json_content_type(struct request *r)
{
	const char *ct = http_req_header(r, "Content-Type");
	return ct && str_starts(ct, "application/json");
}

void route_dispatch(struct request *r)
{
	int wrong_method;
	const struct route *rt = route_match(r->method, r->path, r->params, &wrong_method);
	r->route = rt;
	if (!rt) {
		if (wrong_method)
			http_fail(r, 405, "method_not_allowed", NULL, "This address does not accept that method.");
		else if (!(strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) || !http_static(r))
			http_fail(r, 404, "not_found", NULL, "There is nothing at this address.");
		return;
	}
	if (is_change(r->method) && cross_origin(r)) {
		http_fail(r, 403, "cross_origin", NULL, "Changes are only accepted from this site's own pages.");
		return;
	}
	if (r->too_big) {
		http_fail(r, 413, "body_too_large", NULL, "The request body is larger than this server accepts.");
		return;
	}
	if (rt->body == BODY_NONE && r->body.len > 0) {
		http_fail(r, 400, "unexpected_body", NULL, "This request takes no body.");
		return;
	}
	if (rt->body == BODY_JSON && !json_content_type(r)) {
		http_fail(r, 415, "unsupported_media_type", NULL, "Send the body as application/json.");
		return;
	}
	if (rt->roles) {
		int rc = api_session_authenticate(r);
		if (rc < 0) {
			http_fail(r, 503, "database_unavailable", NULL, "Cannot check the login now.");
			return;
		}
		if (rc == 0) {
			http_fail(r, 401, "unauthenticated", NULL, "Log in first (or send a bearer token).");
			return;
		}
		if (!(rt->roles & ROLE_BIT(r->user.role))) {
			http_fail(r, 403, "forbidden", NULL, "Your role may not do this.");
			return;
		}
	}
	rt->handler(r);
}
