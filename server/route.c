/*
 * motcua — route: the endpoint table and the checks before a handler.
 */
#include "route.h"

#include <string.h>
#include <strings.h>

#include "api.h"
#include "api_export.h"
#include "api_forms.h"
#include "api_report.h"
#include "api_admin.h"
#include "api_public.h"
#include "app.h"
#include "db.h"
#include "http.h"
#include "util.h"

#define ANY 0u
#define STAFF ROLES_STAFF
#define R(x) ROLE_BIT(ROLE_##x)
/* Exports: admins and auditors (every agency), managers (their subtree). */
#define EXPORTERS (R(ADMIN) | R(AUDITOR) | R(MANAGER))

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
	/* statistics and dashboards */
	{ "GET", "/api/v1/reports/summary", api_report_summary, STAFF, BODY_NONE,
	  "The periodic report (form 06/VPCP/KSTT) for a period and grouping" },
	{ "GET", "/api/v1/reports/trend", api_report_trend, STAFF, BODY_NONE,
	  "Received, resolved and on-time rate month by month" },
	{ "GET", "/api/v1/reports/indicators", api_report_indicators, STAFF, BODY_NONE,
	  "Decision 766 indicators per agency, ranked" },
	{ "GET", "/api/v1/reports/procedures", api_report_procedures, STAFF, BODY_NONE,
	  "Per procedure: frequency, lateness, actual vs legal processing time" },
	{ "GET", "/api/v1/reports/overdue", api_report_overdue, STAFF, BODY_NONE,
	  "Overdue or due-soon dossiers, most urgent first" },
	{ "GET", "/api/v1/reports/overdue/summary", api_report_overdue_summary, STAFF, BODY_NONE,
	  "Overdue, apology missing and due soon per agency, now" },
	/* admin (staff web app) */
	{ "GET", "/api/v1/users", api_users_list, R(ADMIN), BODY_NONE, "List staff accounts" },
	{ "POST", "/api/v1/users", api_user_create, R(ADMIN), BODY_JSON, "Create a staff account" },
	{ "POST", "/api/v1/users/{username}/disable", api_user_disable, R(ADMIN), BODY_JSON,
	  "Disable an account (its sessions end)" },
	{ "POST", "/api/v1/users/{username}/enable", api_user_enable, R(ADMIN), BODY_JSON,
	  "Enable an account (and clear a login lock)" },
	{ "POST", "/api/v1/users/{username}/password", api_user_password, STAFF, BODY_JSON,
	  "Set a password (admin) or change one's own" },
	{ "GET", "/api/v1/admin/procedures", api_admin_procedures, R(ADMIN), BODY_NONE,
	  "Search procedures, inactive ones included" },
	{ "PUT", "/api/v1/procedures/{code}", api_procedure_put, R(ADMIN), BODY_JSON,
	  "Change a procedure's limits, fee, online level, lead agency or status" },
	{ "PUT", "/api/v1/procedures/{code}/chain", api_procedure_chain_put, R(ADMIN), BODY_JSON,
	  "Replace a procedure's inter-agency chain" },
	{ "GET", "/api/v1/agencies/{code}/officers", api_agency_officers, STAFF, BODY_NONE,
	  "The active officers and managers of an agency" },
	/* printable forms */
	{ "GET", "/forms/register", api_form_register, STAFF, BODY_NONE,
	  "Form 06: the register of dossiers received in a period (HTML, A4)" },
	{ "GET", "/forms/{code}/{form}", api_form_get, STAFF, BODY_NONE,
	  "Forms 01-05 of a dossier as a printable page (numbered when first issued)" },
	/* exports and audit */
	{ "GET", "/api/v1/exports/dossiers.csv", api_export_dossiers_csv, EXPORTERS, BODY_NONE,
	  "The dossier register of a period as CSV (managers: their agency and below)" },
	{ "GET", "/api/v1/exports/dossiers.xlsx", api_export_dossiers_xlsx, EXPORTERS, BODY_NONE,
	  "The dossier register of a period as XLSX" },
	{ "GET", "/api/v1/exports/dossiers.jsonl", api_export_dossiers_jsonl, EXPORTERS, BODY_NONE,
	  "The dossier register of a period as JSON Lines" },
	{ "GET", "/api/v1/exports/report.csv", api_export_report_csv, EXPORTERS, BODY_NONE,
	  "The periodic report as CSV" },
	{ "GET", "/api/v1/exports/report.xlsx", api_export_report_xlsx, EXPORTERS, BODY_NONE,
	  "The periodic report as XLSX" },
	{ "GET", "/api/v1/exports/events.jsonl", api_export_events_jsonl, R(ADMIN) | R(AUDITOR), BODY_NONE,
	  "The hash-chained history as JSON Lines, verifiable offline" },
	{ "GET", "/api/v1/exports/count", api_export_count, EXPORTERS, BODY_NONE,
	  "How many rows an export would have" },
	{ "GET", "/api/v1/audit/head", api_audit_head, R(ADMIN) | R(AUDITOR), BODY_NONE,
	  "The head of the audit chain: seq, hash, time" },
	/* citizen side */
	{ "GET", "/api/v1/public/dossiers/{code}", api_public_dossier, ANY, BODY_NONE,
	  "Public lookup by code (or online ref) and ?check= (last 4 digits of phone or ID)" },
	{ "GET", "/api/v1/public/procedures", api_public_procedures, ANY, BODY_NONE,
	  "Search procedures: name, code, level, limit, fee, checklist" },
	{ "GET", "/api/v1/public/procedures/{code}", api_public_procedure, ANY, BODY_NONE,
	  "One procedure with its checklist" },
	{ "GET", "/api/v1/public/agencies", api_public_agencies, ANY, BODY_NONE,
	  "Agencies (?level=: the one-stops receiving that level online)" },
	{ "POST", "/api/v1/public/submissions", api_public_submission_create, ANY, BODY_JSON,
	  "Start an online submission: a ref and an upload token" },
	{ "PUT", "/api/v1/public/submissions/{ref}/files/{n}", api_public_file_put, ANY, BODY_FILE,
	  "Attach a file (raw body; X-Upload-Token; PDF, JPEG or PNG by content)" },
	{ "DELETE", "/api/v1/public/submissions/{ref}/files/{n}", api_public_file_delete, ANY, BODY_NONE,
	  "Remove an attached file before submitting" },
	{ "POST", "/api/v1/public/submissions/{ref}/submit", api_public_submission_submit, ANY, BODY_JSON,
	  "Submit: the dossier waits as submitted online for the one-stop" },
	{ "GET", "/api/v1/public/rating", api_public_rating_get, ANY, BODY_NONE,
	  "What a one-time rating link (?t=) is about" },
	{ "POST", "/api/v1/public/rating", api_public_rating_post, ANY, BODY_JSON,
	  "Rate a returned dossier (Decree 61 Art 31 items) with its link's token" },
	{ "POST", "/api/v1/public/feedback", api_public_feedback_create, ANY, BODY_JSON,
	  "Send feedback (phản ánh, kiến nghị), anonymous or with contact" },
	{ "GET", "/api/v1/public/feedback/{code}", api_public_feedback_get, ANY, BODY_NONE,
	  "A feedback item's state and, if published, its answer" },
	{ "GET", "/api/v1/public/stats", api_public_stats, ANY, BODY_NONE,
	  "Per agency, this year and quarter: received, resolved, on-time rate" },
	{ "GET", "/api/v1/dossiers/{code}/attachments", api_dossier_attachments, STAFF, BODY_NONE,
	  "Files attached to an online submission" },
	{ "GET", "/api/v1/dossiers/{code}/attachments/{n}", api_dossier_attachment, STAFF, BODY_NONE,
	  "Download one attached file" },
	{ "GET", "/api/v1/dossiers/{code}/rating-link", api_dossier_rating_link,
	  R(CLERK) | R(OFFICER) | R(MANAGER), BODY_NONE, "A new one-time rating link for the citizen" },
	{ "GET", "/api/v1/dossiers/{code}/rating", api_dossier_rating, STAFF, BODY_NONE,
	  "The citizen's rating of a dossier" },
	{ "GET", "/api/v1/citizen/summary", api_citizen_summary, STAFF, BODY_NONE,
	  "Per agency: ratings, complaints and feedback figures of a period" },
	{ "GET", "/api/v1/feedback", api_feedback_list, STAFF, BODY_NONE, "The feedback queue" },
	{ "GET", "/api/v1/feedback/{code}/events", api_feedback_events, STAFF, BODY_NONE,
	  "A feedback item's history" },
	{ "GET", "/api/v1/feedback/{code}", api_feedback_get, STAFF, BODY_NONE,
	  "One feedback item with the actions open to the caller" },
	{ "POST", "/api/v1/feedback/{code}/actions", api_feedback_action, R(CLERK) | R(OFFICER) | R(MANAGER),
	  BODY_JSON, "Assign, answer, close or transfer a feedback item" },
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

/* Exactly application/json (any case), optionally with parameters: not
 * "application/jsonx" or "application/json-seq", which a prefix test let
 * through. */
static int json_content_type(struct request *r)
{
	const char *ct = http_req_header(r, "Content-Type");
	static const char json[] = "application/json";
	if (!ct || strncasecmp(ct, json, sizeof(json) - 1) != 0)
		return 0;
	ct += sizeof(json) - 1;
	return *ct == '\0' || *ct == ';' || *ct == ' ' || *ct == '\t';
}

static void dispatch(struct request *r, const struct route *rt);

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
	/* A read answers from one snapshot: one read transaction (and one
	 * round of file locks) for the login check and every query after it,
	 * instead of one per statement. */
	struct db *snap = is_change(r->method) ? NULL : db_reader_begin();
	dispatch(r, rt);
	if (snap)
		db_read_end(snap);
}

/* Authenticate, check the role, run the handler. */
static void dispatch(struct request *r, const struct route *rt)
{
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
