/*
 * motcua — route: the table of every HTTP endpoint and the dispatcher.
 *
 * One row per endpoint: method, path pattern ({name} matches one path
 * segment and is captured into r->params in order), the handler, and who
 * may call it (0 = anyone, no login; otherwise a mask of ROLE_BIT()s). The
 * dispatcher applies, in this order: 405/404, same-origin check for
 * changes, body size and type, authentication (401), role (403), then
 * calls the handler. Agency scope is the handler's job (it comes from the
 * principal, never from the request).
 *
 * Ownership: the table is static and read-only.
 */
#ifndef MOTCUA_ROUTE_H
#define MOTCUA_ROUTE_H

struct request;

enum route_body {
	BODY_NONE,	/* no body expected (GET, DELETE…) */
	BODY_JSON,	/* application/json, capped at max_body_kib */
	BODY_FILE,	/* a raw file upload, capped at max_upload_kib */
};

struct route {
	const char *method;
	const char *pattern;
	void (*handler)(struct request *r);
	unsigned roles;		/* 0 = public, else ROLE_BIT mask */
	enum route_body body;
	const char *summary;	/* one line, for the OpenAPI check */
};

extern const struct route route_table[];
extern const unsigned route_count;

/* Match method + path; fills params. NULL if none; *wrong_method = 1 when
 * the path exists with another method. */
const struct route *route_match(const char *method, const char *path,
				char params[][160], int *wrong_method);
/* The route whose pattern matches path for any method, to size the body
 * cap before the body is read. */
const struct route *route_for_body(const char *method, const char *path);
/* Run the request through the checks and its handler. */
void route_dispatch(struct request *r);

#endif
