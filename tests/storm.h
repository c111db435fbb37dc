/*
 * motcua tests — a storm of malformed HTTP requests over real sockets.
 *
 * storm_run() sends o->count requests to 127.0.0.1:o->port, each on its
 * own connection, from o->threads threads. Request i is made from
 * (o->seed, i) alone, so a run is reproducible and storm_describe() can
 * rebuild any request for a report. The cases (see storm.c) cover broken
 * JSON bodies (overlong UTF-8, lone surrogates, NUL bytes, "\u0000", deep
 * nesting, huge bodies, 10^5 keys, duplicate keys, wrong types, long
 * numbers, fields far over their limits), broken HTTP (bad and duplicate
 * Content-Length, chunked abuse, 64 KiB headers, HTTP/0.9, bad request
 * lines, raw bytes) and path traversal against the static files.
 *
 * Every answer is classified by its status (1xx…5xx, 505 apart), or as none (the
 * server closed without answering, which is right for a request it cannot
 * parse) or a timeout. Every answer body is searched for bytes that must
 * never be served (/etc/passwd, a SQLite file, the config, C source); for
 * a traversal request answered 2xx, o->is_asset (when set) must also
 * recognise the body as exactly one of the compiled-in files.
 *
 * The module is self-contained (no server code), so bench/storm.c builds
 * it on its own. Ownership: nothing kept between calls; strings passed
 * in are borrowed.
 */
#ifndef MOTCUA_STORM_H
#define MOTCUA_STORM_H

#include <stddef.h>
#include <stdint.h>

struct storm_options {
	int port;			/* 127.0.0.1:port */
	long count;			/* requests to send */
	int threads;			/* senders at once (>= 1) */
	uint64_t seed;
	const char *auth;		/* header lines for staff routes, e.g.
					 * "Authorization: Bearer …\r\n" or NULL */
	const char *dossier;		/* a real dossier code for paths */
	int timeout_ms;			/* per answer (0 = 3000) */
	/* 1 if body[0..len) is exactly one compiled-in file (NULL: only the
	 * marker search is done). Called from the sender threads. */
	int (*is_asset)(const char *body, size_t len, void *ctx);
	void *ctx;
};

enum storm_class {
	STORM_NONE,		/* closed without an answer */
	STORM_1XX, STORM_2XX, STORM_3XX, STORM_4XX,
	STORM_5XX,		/* a server error: must never happen */
	STORM_505,		/* "HTTP Version Not Supported": libmicrohttpd's
				 * own answer to a request line with a version
				 * it does not speak (HTTP/9.9, HTTP/2.0); the
				 * right status (RFC 9110 15.6.6), so kept apart */
	STORM_TIMEOUT,		/* no answer within timeout_ms */
	STORM_GARBLED,		/* bytes that are not an HTTP status line */
	STORM_CONNECT,		/* could not connect */
	STORM__MAX
};

struct storm_stats {
	long sent;
	long by_class[STORM__MAX];
	long traversal;		/* path traversal requests */
	long traversal_2xx;	/* of which answered 2xx (must be assets) */
	long leaks;		/* answers with bytes from outside the assets */
	long first_bad;		/* index of the first 5xx/leak/garbled, or -1 */
	char first_bad_what[160];
};

/* Run the storm; 0 when it ran (whatever the answers), -1 if no request
 * could be sent at all. */
int storm_run(const struct storm_options *o, struct storm_stats *st);
/* A one-line description of request i (its case name and start). */
void storm_describe(const struct storm_options *o, long i, char *out, size_t n);
/* "2xx" … for reports. */
const char *storm_class_name(enum storm_class c);

#endif
