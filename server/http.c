/*
 * motcua — http: the libmicrohttpd daemon, request records, responses,
 * security headers, suspended writes and the embedded static files.
 *
 * Threading: libmicrohttpd runs a pool of cfg.threads threads with epoll;
 * each connection stays on one thread, so a request is only ever touched
 * by that thread and, for a pending write, by the writer thread through
 * the job's done callback (which only sets a flag and resumes).
 */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app.h"
#include "embed.h"
#include "json.h"
#include "log.h"
#include "metrics.h"
#include "route.h"
#include "util.h"

static struct MHD_Daemon *daemon_;
static int bound_port;
static atomic_int suspended;		/* requests waiting for the writer */
static atomic_uint_fast64_t request_counter;
static int access_log = 1;

/* ---- responses ------------------------------------------------------ */

static void add_security_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Security-Policy",
		"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

static void set_response(struct request *r, int status, struct MHD_Response *resp,
			 const char *content_type, int cacheable)
{
	if (r->response)
		MHD_destroy_response(r->response);
	r->response = resp;
	r->status = status;
	r->answered = 1;
	MHD_add_response_header(resp, "Content-Type", content_type);
	MHD_add_response_header(resp, "Cache-Control", cacheable ? "public, max-age=300" : "no-store");
	MHD_add_response_header(resp, "X-Request-Id", r->request_id);
	add_security_headers(resp);
}

void http_send_owned(struct request *r, int status, const char *content_type,
		     char *data, size_t len)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	set_response(r, status, resp, content_type, 0);
}

void http_send(struct request *r, int status, const char *content_type,
	       const void *data, size_t len)
{
	char *copy = xmalloc(len + 1);
	memcpy(copy, data, len);
	http_send_owned(r, status, content_type, copy, len);
}

void http_json(struct request *r, int status, cJSON *root)
{
	char *text = root ? cJSON_PrintUnformatted(root) : NULL;
	cJSON_Delete(root);
	if (!text) {
		http_fail(r, 500, "internal_error", NULL, "Could not build the answer.");
		return;
	}
	/* cJSON allocates with malloc (the default hooks), so MUST_FREE is safe. */
	http_send_owned(r, status, "application/json; charset=utf-8", text, strlen(text));
}

void http_error(struct request *r, const struct api_error *e)
{
	cJSON *root = cJSON_CreateObject(), *err = cJSON_AddObjectToObject(root, "error");
	int status = e->status ? e->status : 500;
	cJSON_AddStringToObject(err, "code", e->code ? e->code : "internal_error");
	cJSON_AddStringToObject(err, "message", e->message);
	if (e->field[0])
		cJSON_AddStringToObject(err, "field", e->field);
	else
		cJSON_AddNullToObject(err, "field");
	http_json(r, status, root);
	if (status == 503)
		http_header(r, "Retry-After", "1");
	if (status == 401)
		http_header(r, "WWW-Authenticate", "Bearer realm=\"motcua\"");
}

void http_fail(struct request *r, int status, const char *code,
	       const char *field, const char *message)
{
	struct api_error e;
	api_error_set(&e, status, code, field, "%s", message);
	http_error(r, &e);
}

void http_header(struct request *r, const char *name, const char *value)
{
	if (r->response)
		MHD_add_response_header(r->response, name, value);
}

void http_no_content(struct request *r)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(0, unconst(""), MHD_RESPMEM_PERSISTENT);
	set_response(r, 204, resp, "application/json; charset=utf-8", 0);
}

struct stream {
	http_fill_fn fill;
	void *cls;
	void (*cls_free)(void *);
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	long n = s->fill(s->cls, pos, buf, max);
	if (n == -1)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (n < 0)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	struct stream *s = cls;
	if (s->cls_free)
		s->cls_free(s->cls);
	free(s);
}

void http_stream(struct request *r, int status, const char *content_type,
		 http_fill_fn fill, void *cls, void (*cls_free)(void *))
{
	struct stream *s = xmalloc(sizeof(*s));
	s->fill = fill;
	s->cls = cls;
	s->cls_free = cls_free;
	struct MHD_Response *resp = MHD_create_response_from_callback(
		MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, s, stream_free);
	set_response(r, status, resp, content_type, 0);
}

/* ---- reading -------------------------------------------------------- */

const char *http_query(struct request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_req_header(struct request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(struct request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int http_body_json(struct request *r, cJSON **out, struct api_error *err)
{
	return json_parse(buf_cstr(&r->body), r->body.len, out, err);
}

/* ---- pending writes ------------------------------------------------- */

static void write_done(struct writer_job *job)
{
	struct request *r = job->owner;
	r->resumed = 1;
	MHD_resume_connection(r->conn);
}

void http_write(struct request *r, writer_fn fn, void *arg,
		void (*arg_free)(void *), void (*cont)(struct request *r))
{
	memset(&r->job, 0, sizeof(r->job));
	r->job.fn = fn;
	r->job.arg = arg;
	r->job.done = write_done;
	r->job.owner = r;
	r->arg = arg;
	r->arg_free = arg_free;
	r->cont = cont;
	r->waiting = 1;
	r->resumed = 0;
	atomic_fetch_add(&suspended, 1);
	MHD_suspend_connection(r->conn);
	writer_submit(r->app->writer, &r->job);
}

static void finish_write(struct request *r)
{
	r->waiting = 0;
	atomic_fetch_sub(&suspended, 1);
	if (r->job.rc != 0)
		http_error(r, &r->job.err);
	else
		r->cont(r);
}

/* ---- static files --------------------------------------------------- */

static const char *mime_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	for (size_t i = 0; dot && i < ARRAY_LEN(types); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* Serve an embedded page: "/" is index.html, "/x/" is x/index.html. The
 * path only ever selects an entry of a compiled-in table, so no request
 * can reach the file system. 1 answered, 0 no such file. */
int http_static(struct request *r)
{
	char name[256];
	const char *p = r->path;
	if (strcmp(p, "/vendor/chart.js") == 0 && r->app->chartjs) {
		struct MHD_Response *resp = MHD_create_response_from_buffer(
			r->app->chartjs_len, unconst(r->app->chartjs), MHD_RESPMEM_PERSISTENT);
		set_response(r, 200, resp, "text/javascript; charset=utf-8", 1);
		return 1;
	}
	if (*p != '/' || strstr(p, "..") || strchr(p, '\\') || strlen(p) > 200)
		return 0;
	snprintf(name, sizeof(name), "%s%s", p + 1, p[strlen(p) - 1] == '/' ? "index.html" : "");
	const struct embed_file *f = embed_find(embed_static, name);
	if (!f && !strchr(p + 1, '.')) {
		/* "/counter" → "counter.html" */
		snprintf(name, sizeof(name), "%s.html", p + 1);
		f = embed_find(embed_static, name);
	}
	if (!f)
		return 0;
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		f->len, unconst(f->data), MHD_RESPMEM_PERSISTENT);
	set_response(r, 200, resp, mime_of(f->name), 0);
	return 1;
}

/* ---- the daemon callbacks ------------------------------------------- */

static void client_address(struct request *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	strlcpy_(r->client_ip, "?", sizeof(r->client_ip));
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
			  r->client_ip, sizeof(r->client_ip));
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr,
			  r->client_ip, sizeof(r->client_ip));
}

static struct request *request_new(struct app *app, struct MHD_Connection *c,
				   const char *url, const char *method)
{
	struct request *r = xcalloc(1, sizeof(*r));
	uint64_t n = atomic_fetch_add(&request_counter, 1) + 1;
	r->conn = c;
	r->app = app;
	r->method = method;
	r->path = xstrdup(url);
	r->started_ns = util_mono_ns();
	snprintf(r->request_id, sizeof(r->request_id), "%08x%08llx",
		 (unsigned)(app->started_at & 0xffffffff), (unsigned long long)n);
	client_address(r);
	const struct route *rt = route_for_body(method, url);
	r->body_cap = (size_t)((rt && rt->body == BODY_FILE) ? app->cfg.max_upload_kib
							     : app->cfg.max_body_kib) * 1024;
	return r;
}

static enum MHD_Result queue(struct request *r)
{
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, r->response);
	MHD_destroy_response(r->response);
	r->response = NULL;
	return ret;
}

static int content_length_too_big(struct request *r)
{
	const char *cl = http_req_header(r, "Content-Length");
	if (!cl)
		return 0;
	char *end;
	unsigned long long v = strtoull(cl, &end, 10);
	return *end != '\0' || v > r->body_cap;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
				 const char *method, const char *version,
				 const char *upload, size_t *upload_size, void **con_cls)
{
	struct request *r = *con_cls;
	(void)version;
	if (!r) {
		r = request_new(cls, c, url, method);
		*con_cls = r;
		if (content_length_too_big(r)) {
			/* Answer before reading the body; the library then closes. */
			r->too_big = 1;
			http_fail(r, 413, "body_too_large", NULL,
				  "The request body is larger than this server accepts.");
			return queue(r);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_big && r->body.len + *upload_size > r->body_cap) {
			r->too_big = 1;
			buf_release(&r->body);
		}
		if (!r->too_big)
			buf_add(&r->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->waiting) {
		if (!r->resumed)
			return MHD_YES;
		finish_write(r);
		return queue(r);
	}
	if (r->answered)
		return queue(r);
	route_dispatch(r);
	if (r->waiting)
		return MHD_YES;
	if (!r->answered)
		http_fail(r, 500, "internal_error", NULL, "The request was not answered.");
	return queue(r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct request *r = *con_cls;
	(void)cls;
	(void)c;
	if (!r)
		return;
	if (r->waiting) {
		/* The connection died while its write was pending: the writer
		 * still holds the job, so the record must outlive it. This only
		 * happens at shutdown, after writer_stop has run every job. */
		atomic_fetch_sub(&suspended, 1);
	}
	int64_t us = (util_mono_ns() - r->started_ns) / 1000;
	metrics_request(r->route ? r->route->pattern : "other", r->status, us);
	if (access_log) {
		char status[8], micros[24];
		snprintf(status, sizeof(status), "%d", r->status);
		snprintf(micros, sizeof(micros), "%lld", (long long)us);
		log_kv(LOG_INFO, "request", "id", r->request_id, "method", r->method,
		       "path", r->path, "status", status, "us", micros,
		       "user", r->authed ? r->user.username : "",
		       "client", r->client_ip,
		       "end", toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "ok" : "aborted", NULL);
	}
	if (r->response)
		MHD_destroy_response(r->response);
	if (r->arg_free && r->arg)
		r->arg_free(r->arg);
	buf_release(&r->body);
	free(r->path);
	free(r);
	*con_cls = NULL;
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	(void)cls;
	buf_vprintf(&b, fmt, ap);
	while (b.len && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	log_kv(LOG_DEBUG, "libmicrohttpd", "detail", buf_cstr(&b), NULL);
	buf_release(&b);
}

int http_start(struct app *app, char *err, size_t n)
{
	struct sockaddr_in addr;
	const struct config *cfg = &app->cfg;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->listen, &addr.sin_addr) != 1) {
		snprintf(err, n, "listen address \"%s\" is not an IPv4 address", cfg->listen);
		return -1;
	}
	access_log = getenv("MOTCUA_NO_ACCESS_LOG") == NULL;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL
		       | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	daemon_ = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, on_access, app,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->connection_limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_connection_limit,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)cfg->connection_memory_kib * 1024,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 4096u,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
		MHD_OPTION_END);
	if (!daemon_) {
		snprintf(err, n, "cannot listen on %s:%d (in use, or not allowed)", cfg->listen, cfg->port);
		return -1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
	bound_port = info ? info->port : cfg->port;
	return 0;
}

int http_port(void)
{
	return bound_port;
}

void http_stop(void)
{
	if (!daemon_)
		return;
	/* Stop accepting, let suspended requests finish their writes. */
	MHD_quiesce_daemon(daemon_);
	for (int i = 0; i < 500 && atomic_load(&suspended) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(daemon_);
	daemon_ = NULL;
}
