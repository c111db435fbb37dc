/*
 * motcua tests — the command line, run as a user would: the built binary
 * ($MOTCUA_BIN, set by `make unit`) in a subprocess, its exit status,
 * standard output and error, and the database it leaves behind.
 *
 * A `motcua serve` subprocess (port 0, announced on standard output) lets
 * the accounts and tokens made on the command line log in through the
 * API, and holds the database lock that other writers must respect.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "testutil.h"
#include "tests.h"

/* ---- running the binary ----------------------------------------------------- */

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/motcua-cli-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	char *text = NULL;
	size_t len = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		text = realloc(text, len + n + 1);
		memcpy(text + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!text)
		text = calloc(1, 1);
	text[len] = '\0';
	return text;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

struct run {
	int status;	/* exit status, or 128 + signal */
	char *out;
	char *err;
};

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* Run motcua with the NULL-terminated arguments, `input` on standard
 * input (NULL: none), and wait for it. */
static struct run run_v(const char *input, const char *arg, va_list ap)
{
	const char *argv[32];
	int n = 0, in[2];
	char out_path[128], err_path[128];
	argv[n++] = tu_bin();
	for (; arg && n < 31; arg = va_arg(ap, const char *))
		argv[n++] = arg;
	argv[n] = NULL;
	snprintf(out_path, sizeof(out_path), "%s/stdout", dir);
	snprintf(err_path, sizeof(err_path), "%s/stderr", dir);
	ck_assert_int_eq(pipe(in), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(in[0], 0);
		dup2(o, 1);
		dup2(e, 2);
		close(in[0]);
		close(in[1]);
		execv(argv[0], (char *const *)(void *)argv);
		_exit(127);
	}
	close(in[0]);
	if (input && write(in[1], input, strlen(input)) < 0)
		fprintf(stderr, "write to child: %s\n", strerror(errno));
	close(in[1]);
	int st = 0;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	struct run r = { WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), read_file(out_path),
			 read_file(err_path) };
	return r;
}

static struct run run(const char *input, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	struct run r = run_v(input, arg, ap);
	va_end(ap);
	return r;
}

/* Run and expect an exit status; returns the run (free it). */
static struct run expect_run(int status, const char *input, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	struct run r = run_v(input, arg, ap);
	va_end(ap);
	ck_assert_msg(r.status == status, "motcua %s …: exit %d, want %d\nstdout: %s\nstderr: %s", arg,
		      r.status, status, r.out, r.err);
	return r;
}

static int64_t db_int(const char *db_path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, sqlite3_errmsg(db));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The first column of the first row as text (static storage). */
static const char *db_text(const char *db_path, const char *sql)
{
	static char text[256];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, sqlite3_errmsg(db));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(text, sizeof(text), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return text;
}

/* A config for quick Argon2 hashes and a server on any free port. */
static const char *config_for(const char *db_path)
{
	static char path[128];
	char text[512];
	snprintf(path, sizeof(path), "%s/test.ini", dir);
	snprintf(text, sizeof(text),
		 "[server]\nport = 0\nthreads = 2\n[database]\npath = %s\ndemo_on_create = false\n"
		 "[auth]\npwhash_ops = 1\npwhash_mem_kib = 8\n[log]\nlevel = warn\n", db_path);
	write_file(path, text);
	return path;
}

/* ---- a server in a subprocess ----------------------------------------------- */

struct server {
	pid_t pid;
	int port;
	FILE *out;
};

/* Start `motcua serve --config cfg` and wait for its "serving" line. */
static struct server serve(const char *cfg)
{
	int fds[2];
	struct server s = { 0, 0, NULL };
	ck_assert_int_eq(pipe(fds), 0);
	s.pid = fork();
	ck_assert_int_ge(s.pid, 0);
	if (s.pid == 0) {
		/* If the test dies on an assertion, the server goes with it. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl(tu_bin(), tu_bin(), "serve", "--config", cfg, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	s.out = fdopen(fds[0], "r");
	char line[512];
	while (fgets(line, sizeof(line), s.out))
		if (sscanf(line, "motcua: serving http://127.0.0.1:%d/", &s.port) == 1)
			break;
	ck_assert_msg(s.port > 0, "motcua serve did not announce its port");
	tu_use_port(s.port);
	return s;
}

static void serve_stop(struct server *s)
{
	int st = 0;
	tu_use_port(0);
	ck_assert_int_eq(kill(s->pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(s->pid, &st, 0), s->pid);
	fclose(s->out);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "motcua serve ended with %d", st);
}

/* ---- help ------------------------------------------------------------------ */

START_TEST(test_cli_help)
{
	struct run r = expect_run(0, NULL, "--help", NULL);
	static const char *const commands[] = { "serve", "migrate", "seed-demo", "user add", "token create",
						"calendar import" };
	ck_assert_ptr_nonnull(strstr(r.out, "usage: motcua COMMAND"));
	for (int i = 0; i < 6; i++)
		ck_assert_msg(strstr(r.out, commands[i]) != NULL, "--help does not mention %s", commands[i]);
	run_free(&r);
	/* Each command explains itself, on standard output, with status 0. */
	static const struct { const char *a, *b, *usage, *says; } helps[] = {
		{ "serve", "--help", "usage: motcua serve", "config.example.ini" },
		{ "migrate", "--help", "usage: motcua migrate --db PATH", "user_version" },
		{ "seed-demo", "--help", "usage: motcua seed-demo --db PATH", "--dossiers N" },
		{ "user", "--help", "usage: motcua user add", "standard input" },
		{ "token", "--help", "usage: motcua token create", "Authorization: Bearer" },
		{ "calendar", "--help", "usage: motcua calendar import", "working" },
		{ "user", "add", "usage: motcua user add", "ROLE is admin, clerk" },
		{ "token", "create", "usage: motcua token create", "hash" },
		{ "calendar", "import", "usage: motcua calendar import", "header row" },
	};
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
		if (i < 6)
			r = run(NULL, helps[i].a, helps[i].b, NULL);
		else
			r = run(NULL, helps[i].a, helps[i].b, "--help", NULL);
		ck_assert_msg(r.status == 0, "%s %s --help: exit %d: %s", helps[i].a, helps[i].b, r.status, r.err);
		ck_assert_msg(strncmp(r.out, helps[i].usage, strlen(helps[i].usage)) == 0, "%s %s: %s", helps[i].a,
			      helps[i].b, r.out);
		ck_assert_msg(strstr(r.out, helps[i].says) != NULL, "%s %s help lacks \"%s\"", helps[i].a,
			      helps[i].b, helps[i].says);
		run_free(&r);
	}
	/* Misuse: a non-zero status and a pointer to the help. */
	r = expect_run(2, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "usage: motcua COMMAND"));
	run_free(&r);
	r = expect_run(2, NULL, "frobnicate", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown command \"frobnicate\""));
	run_free(&r);
	r = expect_run(1, NULL, "migrate", "--colour", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown option --colour"));
	run_free(&r);
	r = expect_run(1, NULL, "migrate", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "give --db PATH"));
	run_free(&r);
	r = expect_run(1, NULL, "migrate", "--db", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "--db needs a value"));
	run_free(&r);
	r = expect_run(1, NULL, "user", "remove", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "usage: motcua user add"));
	run_free(&r);
}
END_TEST

/* ---- migrate, seed ------------------------------------------------------------- */

START_TEST(test_cli_migrate_new_path)
{
	char db[160];
	snprintf(db, sizeof(db), "%s/new/deeper/motcua.db", dir);
	struct run r = expect_run(0, NULL, "migrate", "--db", db, NULL);
	int version = 0;
	char printed[160];
	ck_assert_msg(sscanf(r.out, "%159[^:]: schema version %d", printed, &version) == 2, "%s", r.out);
	ck_assert_str_eq(printed, db);
	ck_assert_int_ge(version, 3);
	run_free(&r);
	ck_assert_int_eq(db_int(db, "PRAGMA user_version"), version);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM dossier"), 0);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM account"), 0);	/* migrate seeds nothing */
	ck_assert_str_eq(db_text(db, "PRAGMA journal_mode"), "wal");
	/* Again: nothing to do, same version. */
	r = expect_run(0, NULL, "migrate", "--db", db, NULL);
	ck_assert_int_eq(db_int(db, "PRAGMA user_version"), version);
	run_free(&r);
	/* A path that cannot be created is an error, not a crash. */
	r = expect_run(1, NULL, "migrate", "--db", "/proc/motcua/x.db", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "motcua: "));
	run_free(&r);
}
END_TEST

START_TEST(test_cli_seed_demo_dossiers_agree_with_history)
{
	char db[160], events[200];
	snprintf(db, sizeof(db), "%s/demo.db", dir);
	snprintf(events, sizeof(events), "%s/events.jsonl", dir);
	/* Batches of 300: the simulating and the storing thread take turns
	 * many times, as with millions. */
	setenv("MOTCUA_SEED_BATCH", "300", 1);
	struct run r = expect_run(0, NULL, "seed-demo", "--db", db, "--dossiers", "200", NULL);
	ck_assert_ptr_nonnull(strstr(r.out, "demo province ready"));
	run_free(&r);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM dossier"), 200);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM account WHERE username IN ('admin','clerk','officer')"), 3);
	ck_assert_int_ge(db_int(db, "SELECT count(*) FROM calendar_day"), 30);
	/* Every dossier's state is where its history's transitions lead
	 * (events without a state change, such as a rating, are skipped),
	 * the history starts with the receipt (or the online submission),
	 * and every resolution was an event. */
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM dossier d WHERE d.state IS NOT"
				    " (SELECT to_state FROM event e WHERE e.dossier_id = d.id AND e.to_state IS NOT NULL"
				    " ORDER BY seq DESC LIMIT 1)"), 0);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM dossier d WHERE coalesce("
				    " (SELECT action FROM event e WHERE e.dossier_id = d.id ORDER BY seq LIMIT 1), '')"
				    " NOT IN ('receive', 'submit_online')"), 0);
	/* A code only once received: at the counter or by accepting. */
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM dossier d WHERE (d.code IS NOT NULL) !="
				    " EXISTS (SELECT 1 FROM event e WHERE e.dossier_id = d.id"
				    " AND e.action IN ('receive', 'accept'))"), 0);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM dossier d WHERE d.result_class IS NOT NULL AND"
				    " (SELECT count(*) FROM event e WHERE e.dossier_id = d.id AND e.action = 'resolve') != 1"), 0);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM dossier d WHERE d.state IN (9, 10)"
				    " AND d.result_class IS NULL"), 0);
	/* Every transition follows from the one before. */
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM event e WHERE e.dossier_id IS NOT NULL"
				    " AND e.to_state IS NOT NULL AND e.action != 'receive'"
				    " AND e.from_state IS NOT (SELECT p.to_state FROM event p WHERE p.dossier_id = e.dossier_id"
				    " AND p.to_state IS NOT NULL AND p.seq < e.seq ORDER BY p.seq DESC LIMIT 1)"), 0);
	/* On a database with the demo, --dossiers only adds dossiers; with
	 * 2000 the share resolved in time is the realistic 97–99.7 %. */
	r = expect_run(0, NULL, "seed-demo", "--db", db, "--dossiers", "1800", NULL);
	run_free(&r);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM dossier"), 2000);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM account WHERE username = 'admin'"), 1);
	int64_t resolved = db_int(db, "SELECT count(*) FROM dossier WHERE result_class IS NOT NULL");
	int64_t in_time = db_int(db, "SELECT count(*) FROM dossier WHERE result_class IN (1, 2)");
	ck_assert_int_gt(resolved, 1500);
	double rate = 100.0 * (double)in_time / (double)resolved;
	ck_assert_msg(rate >= 96.5 && rate <= 99.7, "%.2f %% of %lld resolved in time", rate, (long long)resolved);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM dossier d WHERE d.state IS NOT"
				    " (SELECT to_state FROM event e WHERE e.dossier_id = d.id AND e.to_state IS NOT NULL"
				    " ORDER BY seq DESC LIMIT 1)"), 0);
	/* Stored in batches, it is all one: the statistics recount to the
	 * same figures, the history's chain is intact, every code was
	 * counted, each rating has its event, nothing points nowhere. */
	r = expect_run(0, NULL, "stats", "verify", "--db", db, NULL);
	ck_assert_ptr_nonnull(strstr(r.out, "0 differ; state counts match"));
	run_free(&r);
	r = expect_run(0, NULL, "export", "--db", db, "--kind", "events", "--format", "jsonl", "--out", events, NULL);
	run_free(&r);
	r = expect_run(0, NULL, "audit", "verify", events, NULL);
	ck_assert_ptr_nonnull(strstr(r.out, "chain intact"));
	run_free(&r);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM dossier WHERE code IS NOT NULL"),
			 db_int(db, "SELECT count(DISTINCT code) FROM dossier"));
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM code_seq s WHERE s.last <"
				    " (SELECT max(CAST(substr(d.code, 22) AS INTEGER)) FROM dossier d"
				    " WHERE d.receiving_agency_id = s.agency_id AND substr(d.code, 15, 6) ="
				    " substr(s.day, 3, 2) || substr(s.day, 6, 2) || substr(s.day, 9, 2))"), 0);
	ck_assert_int_gt(db_int(db, "SELECT count(*) FROM rating"), 100);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM rating"),
			 db_int(db, "SELECT count(*) FROM event WHERE action = 'rate'"));
	ck_assert_int_gt(db_int(db, "SELECT count(*) FROM dossier_step WHERE finished_at IS NOT NULL"), 1000);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	unsetenv("MOTCUA_SEED_BATCH");
	/* Bad counts are refused. */
	r = expect_run(1, NULL, "seed-demo", "--db", db, "--dossiers", "-3", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "--dossiers must be"));
	run_free(&r);
	r = expect_run(1, NULL, "seed-demo", "--db", db, "--dossiers", "many", NULL);
	run_free(&r);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM dossier"), 2000);
}
END_TEST

/* ---- accounts, tokens, the lock ------------------------------------------------- */

START_TEST(test_cli_user_token_and_lock)
{
	char db[160];
	snprintf(db, sizeof(db), "%s/demo.db", dir);
	const char *cfg = config_for(db);
	struct run r = expect_run(0, NULL, "seed-demo", "--config", cfg, NULL);
	run_free(&r);
	int64_t accounts = db_int(db, "SELECT count(*) FROM account");
	/* Weak or short passwords are refused with a reason. */
	r = expect_run(1, "short\n", "user", "add", "--config", cfg, "--username", "lan", "--role", "clerk",
		       "--agency", "000.01.01.H56", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "too short"));
	run_free(&r);
	r = expect_run(1, "password\n", "user", "add", "--config", cfg, "--username", "lan", "--role", "clerk",
		       "--agency", "000.01.01.H56", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "too common"));
	run_free(&r);
	r = expect_run(1, "", "user", "add", "--config", cfg, "--username", "lan", "--role", "clerk",
		       "--agency", "000.01.01.H56", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "no password on standard input"));
	run_free(&r);
	r = expect_run(1, "Lan-Thanh-Hoa-2026\n", "user", "add", "--config", cfg, "--username", "lan", "--role",
		       "chief", "--agency", "000.01.01.H56", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "--role must be"));
	run_free(&r);
	r = expect_run(1, "Lan-Thanh-Hoa-2026\n", "user", "add", "--config", cfg, "--username", "lan", "--role",
		       "clerk", "--agency", "999.99.99.H99", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "no agency has the code 999.99.99.H99"));
	run_free(&r);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM account"), accounts);
	/* The password comes from standard input, never the command line. */
	r = expect_run(0, "Lan-Thanh-Hoa-2026\n", "user", "add", "--config", cfg, "--username", "lan", "--role",
		       "clerk", "--agency", "000.01.01.H56", "--name", "Nguyễn Thị Lan", NULL);
	ck_assert_ptr_nonnull(strstr(r.out, "account lan (clerk, 000.01.01.H56) created"));
	ck_assert_ptr_null(strstr(r.out, "Lan-Thanh-Hoa-2026"));
	run_free(&r);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM account WHERE username = 'lan'"
				    " AND full_name = 'Nguyễn Thị Lan' AND role = 'clerk'"
				    " AND password_hash LIKE '$argon2id$%'"), 1);
	r = expect_run(1, "Another-Pass-2026\n", "user", "add", "--config", cfg, "--username", "lan", "--role",
		       "clerk", "--agency", "000.01.01.H56", NULL);
	run_free(&r);
	/* A token for scripts. */
	r = expect_run(0, NULL, "token", "create", "--config", cfg, "--username", "lan", "--label", "bench", NULL);
	char token[128];
	ck_assert_int_eq(sscanf(r.out, "%127s", token), 1);
	ck_assert_int_ge((int)strlen(token), 40);
	run_free(&r);
	r = expect_run(1, NULL, "token", "create", "--config", cfg, "--username", "nobody", NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "no active account called nobody"));
	run_free(&r);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM api_token"), 1);

	/* Through the API: the password logs in, the token authenticates. */
	struct server s = serve(cfg);
	struct tu_response *resp = tu_request("POST", "/api/v1/session", NULL,
		"{\"username\":\"lan\",\"password\":\"Lan-Thanh-Hoa-2026\"}", NULL, NULL);
	ck_assert_msg(resp->status == 201, "login: %d %s", resp->status, resp->body);
	ck_assert_str_eq(tu_str(resp->json, "user.username"), "lan");
	ck_assert_str_eq(tu_str(resp->json, "user.role"), "clerk");
	ck_assert_str_eq(tu_str(resp->json, "user.agency.code"), "000.01.01.H56");
	tu_response_free(resp);
	resp = tu_request("POST", "/api/v1/session", NULL, "{\"username\":\"lan\",\"password\":\"wrong-password\"}",
			  NULL, NULL);
	ck_assert_int_eq(resp->status, 401);
	tu_response_free(resp);
	resp = tu_request("GET", "/api/v1/session", token, NULL, NULL, NULL);
	ck_assert_msg(resp->status == 200, "bearer: %d %s", resp->status, resp->body);
	ck_assert_str_eq(tu_str(resp->json, "user.username"), "lan");
	tu_response_free(resp);
	resp = tu_request("GET", "/api/v1/session", "not-a-token", NULL, NULL, NULL);
	ck_assert_int_eq(resp->status, 401);
	tu_response_free(resp);
	/* The bearer token can receive a dossier (scripts). */
	resp = tu_request("POST", "/api/v1/dossiers", token,
			  "{\"procedure_code\":\"1.013831\",\"channel\":\"direct\",\"applicant\":{\"name\":\"An\","
			  "\"id_number\":\"038090001234\"}}", NULL, NULL);
	ck_assert_msg(resp->status == 201, "intake by token: %d %s", resp->status, resp->body);
	tu_response_free(resp);

	/* While it serves, every other writer is refused, clearly, and
	 * writes nothing. */
	int64_t events = db_int(db, "SELECT count(*) FROM event");
	char csv[160];
	snprintf(csv, sizeof(csv), "%s/cal.csv", dir);
	write_file(csv, "date,working,note\n2026-03-10,0,Nghỉ\n");
	struct run busy[5];
	busy[0] = run(NULL, "migrate", "--db", db, NULL);
	busy[1] = run("Binh-Thanh-Hoa-2026\n", "user", "add", "--db", db, "--username", "binh", "--role", "clerk",
		      "--agency", "000.01.01.H56", NULL);
	busy[2] = run(NULL, "token", "create", "--db", db, "--username", "lan", NULL);
	busy[3] = run(NULL, "calendar", "import", "--db", db, csv, NULL);
	busy[4] = run(NULL, "seed-demo", "--db", db, "--dossiers", "5", NULL);
	for (int i = 0; i < 5; i++) {
		ck_assert_msg(busy[i].status == 1, "writer %d: exit %d", i, busy[i].status);
		ck_assert_msg(strstr(busy[i].err, "is in use by another motcua") != NULL, "writer %d: %s", i,
			      busy[i].err);
		ck_assert_ptr_nonnull(strstr(busy[i].err, db));
		run_free(&busy[i]);
	}
	serve_stop(&s);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM event"), events);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM account WHERE username = 'binh'"), 0);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM api_token"), 1);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM calendar_day WHERE day = '2026-03-10'"), 0);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM dossier"), 1);
	/* Once it has stopped, the same command works. */
	r = expect_run(0, NULL, "token", "create", "--db", db, "--username", "lan", NULL);
	run_free(&r);
}
END_TEST

/* ---- calendar import -------------------------------------------------------------- */

START_TEST(test_cli_calendar_import)
{
	char db[160], csv[160];
	snprintf(db, sizeof(db), "%s/cal.db", dir);
	struct run r = expect_run(0, NULL, "migrate", "--db", db, NULL);
	run_free(&r);
	snprintf(csv, sizeof(csv), "%s/good.csv", dir);
	/* Two exceptions; a Wednesday marked working changes nothing. */
	write_file(csv, "date,working,note,kind\n"
			"2026-03-10,0,Nghỉ đột xuất,holiday\n"
			"2026-03-14,1,\"Làm bù, thứ Bảy\",makeup_workday\n"
			"2026-03-11,1,Ngày thường,\n");
	r = expect_run(0, NULL, "calendar", "import", "--db", db, csv, NULL);
	char want[300];
	snprintf(want, sizeof(want), "%s: 2 days imported, 1 rows skipped (same as the weekday rule)\n", csv);
	ck_assert_str_eq(r.out, want);
	run_free(&r);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM calendar_day"), 2);
	ck_assert_int_eq(db_int(db, "SELECT working FROM calendar_day WHERE day = '2026-03-14'"), 1);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM calendar_day WHERE day = '2026-03-14'"
				    " AND note = 'Làm bù, thứ Bảy' AND kind = 'makeup_workday'"), 1);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM calendar_day WHERE day = '2026-03-11'"), 0);
	int64_t events = db_int(db, "SELECT count(*) FROM event");
	ck_assert_int_ge(events, 1);	/* the import is in the history */
	/* Bad files: refused at the first bad row with its line, nothing
	 * written — not even the good rows before it. */
	static const struct { const char *text, *message; } bad[] = {
		{ "date,working\n2026-04-01,0\n2026-02-30,0\n", "line 3: date must be YYYY-MM-DD" },
		{ "date,working\n2026-04-01,0\n2026-04-02,2\n", "line 3: working must be 0 or 1" },
		{ "date,working\n2026-04-02,yes\n", "line 2: working must be 0 or 1" },
		{ "date,note\n2026-04-01,Nghỉ\n", "line 1: the header has no column \"working\"" },
		{ "day,working\n2026-04-01,0\n", "line 1: the header has no column \"date\"" },
		{ "date,working\n04/01/2026,0\n", "line 2: date must be YYYY-MM-DD" },
		{ "", "the file is empty" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(csv, sizeof(csv), "%s/bad%zu.csv", dir, i);
		write_file(csv, bad[i].text);
		r = expect_run(1, NULL, "calendar", "import", "--db", db, csv, NULL);
		snprintf(want, sizeof(want), "%s: %s\n", csv, bad[i].message);
		ck_assert_msg(strcmp(r.err, want) == 0, "%s:\n  got  %s  want %s", bad[i].text, r.err, want);
		ck_assert_str_eq(r.out, "");
		run_free(&r);
		ck_assert_int_eq(db_int(db, "SELECT count(*) FROM calendar_day"), 2);
		ck_assert_int_eq(db_int(db, "SELECT count(*) FROM event"), events);
	}
	snprintf(csv, sizeof(csv), "%s/missing.csv", dir);
	r = expect_run(1, NULL, "calendar", "import", "--db", db, csv, NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "No such file or directory"));
	run_free(&r);
	r = expect_run(1, NULL, "calendar", "import", "--db", db, NULL);
	ck_assert_ptr_nonnull(strstr(r.err, "needs one FILE.csv"));
	run_free(&r);
	/* Importing a row again replaces it. */
	snprintf(csv, sizeof(csv), "%s/again.csv", dir);
	write_file(csv, "date,working,note\n2026-03-10,0,Nghỉ vì bão\n");
	r = expect_run(0, NULL, "calendar", "import", "--db", db, csv, NULL);
	run_free(&r);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM calendar_day WHERE note = 'Nghỉ vì bão'"), 1);
	ck_assert_int_eq(db_int(db, "SELECT count(*) FROM calendar_day"), 2);
}
END_TEST

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("commands");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cli_help);
	tcase_add_test(tc, test_cli_migrate_new_path);
	tcase_add_test(tc, test_cli_seed_demo_dossiers_agree_with_history);
	tcase_add_test(tc, test_cli_user_token_and_lock);
	tcase_add_test(tc, test_cli_calendar_import);
	suite_add_tcase(s, tc);
	return s;
}
