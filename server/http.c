/*
 * motcua — http: the libmicrohttpd daemon, request records, responses,
 * security headers, suspended writes and the embedded static files.
 *
 * Threading: libmicrohttpd runs a pool of cfg.threads threads with epoll;
 * each connection stays on one thread, so a request is only ever touched
 * by that thread and, for a pending write, by the writer thread through
 * the job's done callback (which only sets a flag and resumes). One more
 * thread, the reaper, cuts connections whose request head is too slow
 * (see "slow clients").
 */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
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
	char *text = root ? json_print(root) : NULL;
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

int http_static_name(const char *path, char *name, size_t n)
{
	size_t len = strlen(path);
	if (len == 0 || path[0] != '/' || len > HTTP_STATIC_PATH_MAX)
		return 0;
	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		/* Plain printable ASCII only: no controls, spaces or bytes of
		 * UTF-8 sequences; no backslash (a Windows separator), no '%'
		 * (libmicrohttpd decoded once already: a '%' left over means a
		 * double-encoded "%252e"), no query or fragment characters. */
		if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '%' || c == '?' || c == '#')
			return 0;
		/* No empty segment ("//"), no segment starting with a dot (".",
		 * "..", dotfiles), and no ".." anywhere, even inside a name
		 * ("a../b"): nothing compiled in needs one. */
		if ((c == '/' && (p[1] == '/' || p[1] == '.')) || (c == '.' && p[1] == '.'))
			return 0;
	}
	int w = snprintf(name, n, "%s%s", path + 1, path[len - 1] == '/' ? "index.html" : "");
	return w >= 0 && (size_t)w < n;
}

/* Serve an embedded page: "/" is index.html, "/x/" is x/index.html. The
 * path only ever selects an entry of a compiled-in table, so no request
 * can reach the file system. 1 answered, 0 no such file. */
int http_static(struct request *r)
{
	char name[HTTP_STATIC_PATH_MAX + 16];
	const char *p = r->path;
	if (strcmp(p, "/vendor/chart.js") == 0 && r->app->chartjs) {
		struct MHD_Response *resp = MHD_create_response_from_buffer(
			r->app->chartjs_len, unconst(r->app->chartjs), MHD_RESPMEM_PERSISTENT);
		set_response(r, 200, resp, "text/javascript; charset=utf-8", 1);
		return 1;
	}
	if (!http_static_name(p, name, sizeof(name)))
		return 0;
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

/* ---- slow clients ---------------------------------------------------- */

/* libmicrohttpd's connection timeout is an idle timeout: a client that
 * sends one header line every few seconds (slowloris), or one byte of its
 * body (R-U-Dead-Yet), is never idle and would hold its socket, and a slot
 * of the connection limit, for ever. So each connection also has
 * deadlines: the first request's head must be complete header_timeout
 * seconds after the connection opened, a later one's connection_timeout
 * seconds after the previous answer (what a kept-alive browser already
 * lives with); then its body gets header_timeout seconds plus one second
 * for every BODY_MIN_RATE bytes received (a 10 MiB upload over a slow
 * line is fine, a trickle is not). While the handler works, or waits for
 * the writer, there is no deadline. A reaper thread shuts down the
 * sockets that miss one; libmicrohttpd then reads the end of stream and
 * closes the connection itself.
 *
 * The list changes only when a connection opens or closes (under
 * watch_lock); libmicrohttpd reports a connection closed before it closes
 * the descriptor, so the reaper, which also holds the lock, never shuts
 * down a descriptor that another connection reuses. The per-request
 * fields are atomics written by the connection's own thread. */
#define BODY_MIN_RATE 500		/* bytes a second, after the grace */

enum watch_phase {
	WATCH_HEAD,			/* waiting for the request head */
	WATCH_BODY,			/* reading the body */
	WATCH_ANSWER,			/* the handler has it: no deadline */
};

struct watch {
	struct watch *prev, *next;
	int fd;
	int cut;			/* shut down by the reaper */
	atomic_int phase;		/* enum watch_phase */
	atomic_int served;		/* answered a request already */
	atomic_int_fast64_t since_ns;	/* the current phase began */
	atomic_int_fast64_t body;	/* body bytes received so far */
};

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_wake = PTHREAD_COND_INITIALIZER;
static struct watch *watch_head;
static pthread_t reaper;
static int reaper_running, reaper_stop;
static int64_t first_deadline_ns, next_deadline_ns;

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct watch *w = *socket_context;
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!ci)
			return;
		w = xcalloc(1, sizeof(*w));
		w->fd = ci->connect_fd;
		atomic_store(&w->since_ns, util_mono_ns());
		pthread_mutex_lock(&watch_lock);
		w->next = watch_head;
		if (watch_head)
			watch_head->prev = w;
		watch_head = w;
		pthread_mutex_unlock(&watch_lock);
		*socket_context = w;
		return;
	}
	if (!w)
		return;
	pthread_mutex_lock(&watch_lock);
	if (w->prev)
		w->prev->next = w->next;
	else
		watch_head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&watch_lock);
	free(w);
	*socket_context = NULL;
}

static struct watch *watch_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static void *reap(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&watch_lock);
	while (!reaper_stop) {
		int64_t now = util_mono_ns();
		unsigned cut = 0;
		for (struct watch *w = watch_head; w; w = w->next) {
			int phase = atomic_load(&w->phase);
			int64_t limit = first_deadline_ns;
			if (phase == WATCH_HEAD && atomic_load(&w->served))
				limit = next_deadline_ns;
			else if (phase == WATCH_BODY)
				limit += atomic_load(&w->body) / BODY_MIN_RATE * 1000000000;
			if (w->cut || phase == WATCH_ANSWER || now - atomic_load(&w->since_ns) < limit)
				continue;
			shutdown(w->fd, SHUT_RDWR);
			w->cut = 1;
			cut++;
		}
		if (cut) {
			char n[16];
			snprintf(n, sizeof(n), "%u", cut);
			log_kv(LOG_INFO, "slow clients cut", "connections", n, NULL);
		}
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 500000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&watch_wake, &watch_lock, &until);
	}
	pthread_mutex_unlock(&watch_lock);
	return NULL;
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

/* One spare request per thread: a request is larger than glibc's small
 * sizes, and allocating one per request made it sweep its free lists
 * every time. The spare is freed when its thread exits. */
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

static void make_spare_key(void)
{
	pthread_key_create(&spare_key, free);
}

static void request_release(struct request *r)
{
	pthread_once(&spare_once, make_spare_key);
	if (!pthread_getspecific(spare_key) && pthread_setspecific(spare_key, r) == 0)
		return;
	free(r);
}

static struct request *request_new(struct app *app, struct MHD_Connection *c,
				   const char *url, const char *method)
{
	pthread_once(&spare_once, make_spare_key);
	struct request *r = pthread_getspecific(spare_key);
	if (r) {
		pthread_setspecific(spare_key, NULL);
		memset(r, 0, sizeof(*r));
	} else {
		r = xcalloc(1, sizeof(*r));
	}
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
	struct watch *w = watch_of(c);
	if (!r) {
		if (w) {
			/* The head is complete; the body's clock starts. */
			atomic_store(&w->body, 0);
			atomic_store(&w->since_ns, util_mono_ns());
			atomic_store(&w->phase, WATCH_BODY);
		}
		r = request_new(cls, c, url, method);
		*con_cls = r;
		if (http_req_header(r, "Transfer-Encoding")) {
			/* Bodies must say their length. libmicrohttpd 0.9.75 answers
			 * a chunk-size line longer than the connection's memory with
			 * its own 500, and nothing here needs chunked uploads (pages
			 * and curl send Content-Length), so refuse them all before
			 * a byte of the body is parsed (RFC 9112 allows 411). */
			http_fail(r, 411, "length_required", NULL,
				  "Send the body with a Content-Length; chunked bodies are not accepted.");
			return queue(r);
		}
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
		if (w)
			atomic_fetch_add(&w->body, (int_fast64_t)*upload_size);
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
	if (w)
		atomic_store(&w->phase, WATCH_ANSWER);	/* the body is complete */
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
	struct watch *w = watch_of(c);
	(void)cls;
	if (w) {
		/* The next request on this connection starts its clock now. */
		atomic_store(&w->since_ns, util_mono_ns());
		atomic_store(&w->served, 1);
		atomic_store(&w->phase, WATCH_HEAD);
	}
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
	request_release(r);
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
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
		MHD_OPTION_END);
	if (!daemon_) {
		snprintf(err, n, "cannot listen on %s:%d (in use, or not allowed)", cfg->listen, cfg->port);
		return -1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
	bound_port = info ? info->port : cfg->port;
	first_deadline_ns = (int64_t)cfg->header_timeout * 1000000000;
	next_deadline_ns = (int64_t)cfg->connection_timeout * 1000000000;
	reaper_stop = 0;
	if (pthread_create(&reaper, NULL, reap, NULL) != 0) {
		MHD_stop_daemon(daemon_);
		daemon_ = NULL;
		snprintf(err, n, "cannot start the slow-client reaper thread");
		return -1;
	}
	reaper_running = 1;
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
	if (reaper_running) {
		pthread_mutex_lock(&watch_lock);
		reaper_stop = 1;
		pthread_cond_signal(&watch_wake);
		pthread_mutex_unlock(&watch_lock);
		pthread_join(reaper, NULL);
		reaper_running = 0;
	}
	/* Stop accepting, let suspended requests finish their writes. */
	MHD_quiesce_daemon(daemon_);
	for (int i = 0; i < 500 && atomic_load(&suspended) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(daemon_);
	daemon_ = NULL;
}
