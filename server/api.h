/*
 * motcua — api: helpers shared by the api_* handlers, and every handler's
 * declaration (the route table in route.c refers to them).
 *
 * Handlers take the request and answer it (http.h). They validate input,
 * call db_* (reads, on the thread's reader) or hand a job to the writer,
 * and build JSON. They never contain SQL and never touch libmicrohttpd.
 *
 * Ownership: JSON helpers add to a parent cJSON object (the parent owns
 * what is added).
 */
#ifndef MOTCUA_API_H
#define MOTCUA_API_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "db_dossier.h"
#include "http.h"

struct db;

/* Add an instant as ISO 8601 with the office offset, or null for 0. */
void api_add_time(cJSON *obj, const char *key, int64_t t);
/* Add a local date "YYYY-MM-DD" of an instant, or null for 0. */
void api_add_date(cJSON *obj, const char *key, int64_t t);
/* The reader connection of this thread, or answer 503 and return NULL. */
struct db *api_reader(struct request *r);
/* Parse the JSON body or answer the error; NULL when answered. */
cJSON *api_body(struct request *r);
/* The list scope of the logged-in user (see db_dossier.h). */
void api_scope(struct request *r, struct dossier_filter *f);
/* 1 if the logged-in user may see this dossier. */
int api_can_see(struct request *r, struct db *db, const struct dossier_row *d);
/* Parse a positive page size (default def, at most max); -1 if bad. */
int api_limit(struct request *r, int def, int max);

/* ---- handlers -------------------------------------------------------- */
void api_session_create(struct request *r);
void api_session_delete(struct request *r);
void api_session_get(struct request *r);
/* Identify the caller from the session cookie or bearer token. 1 when
 * authenticated (r->user filled), 0 when not, -1 on a database error. */
int api_session_authenticate(struct request *r);
/* Forget cached principals (after an account or token changes). */
void api_session_flush_cache(void);

void api_agencies_list(struct request *r);
void api_procedures_list(struct request *r);
void api_procedure_get(struct request *r);

void api_calendar_get(struct request *r);
void api_calendar_put(struct request *r);
void api_calendar_delete(struct request *r);
void api_deadline_get(struct request *r);

void api_dossier_create(struct request *r);
void api_dossier_get(struct request *r);
void api_dossiers_list(struct request *r);
void api_dossier_action(struct request *r);
void api_dossier_events(struct request *r);
/* Add the dossier's documents to o as "documents". */
void api_add_documents(struct db *db, cJSON *o, int64_t dossier_id);
struct event_row;
/* One history row as JSON. */
cJSON *api_event_json(const struct event_row *ev);
/* The dossier as JSON; personal data included when pii is 1. */
cJSON *api_dossier_json(struct request *r, const struct dossier_row *d, int pii);
/* Find a dossier by code (or reference) and check the caller's scope;
 * answers 404 (or 500) and returns 0 otherwise, 1 when found. */
int api_dossier_find(struct request *r, struct db *db, const char *key, struct dossier_row *d);

void api_healthz(struct request *r);
void api_metrics(struct request *r);
void api_openapi(struct request *r);

#endif
