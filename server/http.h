/*
 * motcua — http: libmicrohttpd glue, the request record and responses.
 *
 * A request goes: headers arrive → the body is collected (capped: a
 * Content-Length over the cap is answered 413 before the body is read; a
 * chunked body, without a Content-Length, is refused with 411) →
 * the route's handler runs → it answers at once (http_json, http_error,
 * http_send…) or hands a change to the writer with http_write(), which
 * suspends the connection until the change is durable and then calls the
 * continuation to answer. Responses are queued on a later callback than
 * the first (libmicrohttpd 0.9.75 closes keep-alive connections
 * otherwise). Every response carries the security headers.
 *
 * Ownership: struct request and everything hanging off it is freed when
 * libmicrohttpd reports the request complete. Handlers own nothing beyond
 * the call except what they attach with http_write (arg is freed with
 * arg_free after the continuation ran).
 */
#ifndef MOTCUA_HTTP_H
#define MOTCUA_HTTP_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "principal.h"
#include "error.h"
#include "writer.h"

struct app;
struct route;
struct MHD_Connection;
struct MHD_Daemon;

#define HTTP_MAX_PARAMS 4

struct request {
	struct MHD_Connection *conn;
	struct app *app;
	const char *method;	/* borrowed from libmicrohttpd */
	char *path;		/* decoded path, owned */
	struct buf body;	/* request body */
	size_t body_cap;
	int too_big;		/* body went over the cap */
	const struct route *route;
	char params[HTTP_MAX_PARAMS][160];	/* {…} parts of the path */
	int authed;
	struct principal user;
	char request_id[20];
	int64_t started_ns;
	char client_ip[64];
	/* the answer */
	int answered;
	int status;
	void *response;		/* struct MHD_Response * */
	/* a pending write */
	int waiting;		/* suspended until the job is done */
	int resumed;
	struct writer_job job;
	void (*cont)(struct request *r);
	void *arg;
	void (*arg_free)(void *arg);
};

/* Start serving on cfg listen/port. 0 ok, -1 with a message in err. */
int http_start(struct app *app, char *err, size_t n);
/* The port actually bound (useful with port 0). */
int http_port(void);
void http_stop(void);

/* ---- answering ------------------------------------------------------ */
/* JSON answer; consumes root. */
void http_json(struct request *r, int status, cJSON *root);
/* The error envelope {"error": {"code", "message", "field"}}. */
void http_error(struct request *r, const struct api_error *e);
/* Shortcut: build the error and answer it. */
void http_fail(struct request *r, int status, const char *code,
	       const char *field, const char *message);
/* Any bytes (copied). */
void http_send(struct request *r, int status, const char *content_type,
	       const void *data, size_t len);
/* Take ownership of a malloc'd body. */
void http_send_owned(struct request *r, int status, const char *content_type,
		     char *data, size_t len);
/* Add a header to the queued answer (after http_json/http_send…). */
void http_header(struct request *r, const char *name, const char *value);
/* 204 No Content. */
void http_no_content(struct request *r);

/* Hand a change to the writer: fn runs in a write transaction; when it is
 * durable, cont(r) runs on an HTTP thread and answers. If fn fails, its
 * api_error is answered and cont is not called. arg is freed with
 * arg_free (if not NULL) once the request is done. */
void http_write(struct request *r, writer_fn fn, void *arg,
		void (*arg_free)(void *), void (*cont)(struct request *r));

/* A streamed answer of unknown length: fill(cls, pos, buf, max) returns
 * bytes written, 0 is not allowed except at the end: return -1 for end of
 * stream, -2 for an error (the connection is cut). cls is freed with
 * cls_free when the response is done. */
typedef long (*http_fill_fn)(void *cls, uint64_t pos, char *buf, size_t max);
void http_stream(struct request *r, int status, const char *content_type,
		 http_fill_fn fill, void *cls, void (*cls_free)(void *));

/* Serve a page compiled in from static/ (GET). 1 answered, 0 none. */
int http_static(struct request *r);
/* The pure check in front of http_static: 1 if the (decoded) request path
 * may name an embedded file, with that name in name[n] ("/" gives
 * "index.html", "/x/" gives "x/index.html"); 0 if refused: not absolute,
 * longer than HTTP_STATIC_PATH_MAX, a byte outside printable ASCII, '\',
 * '%', '?', '#', "..", an empty segment or a segment starting with '.'. */
#define HTTP_STATIC_PATH_MAX 200
int http_static_name(const char *path, char *name, size_t n);

/* ---- reading -------------------------------------------------------- */
/* Query argument (decoded), or NULL. */
const char *http_query(struct request *r, const char *name);
/* Request header, or NULL. */
const char *http_req_header(struct request *r, const char *name);
/* Cookie value, or NULL. */
const char *http_cookie(struct request *r, const char *name);
/* Parse the body as strict JSON (json.h). 0 ok, -1 with err filled. */
int http_body_json(struct request *r, cJSON **out, struct api_error *err);

#endif
