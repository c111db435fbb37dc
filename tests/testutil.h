/*
 * motcua tests — a real server on a random port, and a small HTTP client.
 *
 * tu_server_start() creates a temporary folder with a fresh database,
 * migrates it, loads the demo province (accounts with the password
 * "demo-2026", cheap Argon2 settings so tests stay fast), starts the writer
 * and the HTTP threads on 127.0.0.1 and an ephemeral port. One server per
 * test process (the HTTP layer and the calendar are process-wide); Check
 * forks each test by default, so each test gets its own. Under CK_FORK=no
 * a test must stop the server it started.
 *
 * tu_request() speaks HTTP/1.1 over a plain socket (libcurl is not used):
 * it sends one request and reads the whole answer.
 *
 * Time travel: tu_set_now() sets the server's "now" (app->clock_fixed), and
 * it stands still there until the next call, so deadlines, overdue and
 * classification can be tested on fixed dates down to the second; open
 * sessions move along with it.
 *
 * Ownership: struct tu_response owns its body and headers; release with
 * tu_response_free(). Strings passed in are borrowed.
 */
#ifndef MOTCUA_TESTUTIL_H
#define MOTCUA_TESTUTIL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

struct app;

struct tu_options {
	long dossiers;		/* synthetic demo dossiers to seed (0 = none) */
	int supplement_pause;	/* 1: [rules] supplement_mode = pause */
	int lookup_per_minute;	/* 0 = default */
};

/* Start the server; aborts the test on failure. Returns the app. */
struct app *tu_server_start(const struct tu_options *opt);
void tu_server_stop(void);
int tu_port(void);
const char *tu_db_path(void);
const char *tu_dir(void);

/* Set "now" to an instant (UTC seconds), or to local time in Vietnam, and
 * carry the open sessions along, as if their users had been active all
 * the while: stories span weeks with the logins of tu_login (logging in
 * again after every jump would run into the per-address login limit).
 * A test of session expiry sets app->clock_fixed itself. */
void tu_set_now(int64_t instant);
void tu_set_now_local(int y, int m, int d, int hh, int mm);
/* Local Vietnam wall time → instant. */
int64_t tu_instant(int y, int m, int d, int hh, int mm);

struct tu_response {
	int status;
	char *headers;		/* raw header block */
	char *body;
	size_t body_len;
	cJSON *json;		/* parsed body when it is JSON, else NULL */
};

/* One request. auth: NULL, "cookie:NAME=VALUE" or a bearer token. extra:
 * additional header lines ("Origin: http://x\r\n") or NULL. body: NULL for
 * none; content type application/json unless ctype is given. */
struct tu_response *tu_request(const char *method, const char *path, const char *auth,
			       const char *body, const char *ctype, const char *extra);
void tu_response_free(struct tu_response *r);
/* The motcua binary under test ($MOTCUA_BIN, set by make); aborts the
 * test when it is not set. */
const char *tu_bin(void);
/* A TCP port on 127.0.0.1 free at the time of the call. */
int tu_free_port(void);
/* Read an answer from fd to its end, close fd and parse it (chunked bodies
 * joined, JSON parsed); method and path only name it in a failure. */
struct tu_response *tu_response_read(int fd, const char *method, const char *path);
/* A bearer-token request to 127.0.0.1:port that never aborts (the server
 * may be dying or gone): the status, or 0 when there was no complete
 * answer; up to n bytes of the body go to body (may be NULL). */
int tu_raw_status(int port, const char *method, const char *path, const char *token, const char *json,
		  char *body, size_t n);
/* Send the requests to another server on 127.0.0.1 (a `motcua serve`
 * started by the test); 0 goes back to the in-process one. */
void tu_use_port(int port);
/* The value of a response header (case-insensitive name) or NULL; the
 * returned string is static storage overwritten on the next call. */
const char *tu_header(const struct tu_response *r, const char *name);

/* Log a demo account in; returns "cookie:motcua_sid=…" (static storage per
 * username, valid for the test: see tu_set_now). Aborts on failure. */
const char *tu_login(const char *username);

/* Shortcuts: request and expect a status (ck_assert), return the response. */
struct tu_response *tu_expect(int status, const char *method, const char *path,
			      const char *auth, const char *body);

/* JSON helpers: string at a dotted path ("applicant.name", "items.0.code")
 * or NULL; number (or -1e300 when absent). */
const char *tu_str(const cJSON *j, const char *path);
double tu_num(const cJSON *j, const char *path);

/* Receive a dossier through the API as `clerk` and return its code
 * (static storage, overwritten by the next call). */
const char *tu_receive(const char *clerk, const char *procedure_code, const char *channel);
/* The first column of the first row of a query on the test database
 * (its own read-only connection): counts for "nothing was written"
 * checks. Aborts on an SQL error or no row. */
int64_t tu_db_int(const char *sql);

/* POST an action; returns the response (free it). */
struct tu_response *tu_action(const char *user, const char *code, const char *json_body);

#endif
