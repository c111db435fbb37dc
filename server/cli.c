/*
 * motcua — cli: migrate, seed-demo, user, token and calendar commands.
 */
#include "cli.h"

#include <errno.h>
#include <sqlite3.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "calendar.h"
#include "db.h"
#include "db_account.h"
#include "db_catalog.h"
#include "import.h"
#include "log.h"
#include "migrate.h"
#include "seed.h"
#include "tz.h"
#include "util.h"
#include "writer.h"

/* ---- options ---------------------------------------------------------- */

struct optdef {
	const char *name;
	size_t offset;	/* into struct cli_opts */
	int flag;	/* 1: no value */
};

#define O(n, m) { n, offsetof(struct cli_opts, m), 0 }
static const struct optdef optdefs[] = {
	O("--config", config), O("--db", db), O("--listen", listen), O("--port", port),
	O("--username", username), O("--role", role), O("--agency", agency), O("--name", name),
	O("--label", label), O("--dossiers", dossiers), O("--from", from), O("--to", to),
	O("--format", format), O("--out", out), O("--head", head), O("--kind", kind),
	O("--seed", seed),
	{ "--pii", offsetof(struct cli_opts, pii), 1 },
	{ "--help", offsetof(struct cli_opts, help), 1 },
	{ "-h", offsetof(struct cli_opts, help), 1 },
};

int cli_parse(int argc, char **argv, int first, struct cli_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		const struct optdef *d = NULL;
		for (size_t k = 0; k < ARRAY_LEN(optdefs); k++)
			if (strcmp(a, optdefs[k].name) == 0)
				d = &optdefs[k];
		if (!d) {
			if (a[0] == '-' && a[1]) {
				fprintf(stderr, "motcua: unknown option %s (see --help)\n", a);
				return -1;
			}
			if (o->nargs == 4) {
				fprintf(stderr, "motcua: too many arguments\n");
				return -1;
			}
			o->args[o->nargs++] = a;
			continue;
		}
		char *base = (char *)o;
		if (d->flag) {
			*(int *)(void *)(base + d->offset) = 1;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "motcua: %s needs a value\n", a);
			return -1;
		}
		*(const char **)(void *)(base + d->offset) = argv[++i];
	}
	return 0;
}

int cli_config(const struct cli_opts *o, struct config *cfg)
{
	char err[512];
	config_defaults(cfg);
	if (o->config && config_load(cfg, o->config, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (o->db)
		strlcpy_(cfg->db_path, o->db, sizeof(cfg->db_path));
	if (o->listen)
		strlcpy_(cfg->listen, o->listen, sizeof(cfg->listen));
	if (o->port) {
		char *end;
		long p = strtol(o->port, &end, 10);
		if (*end || p < 0 || p > 65535) {
			fprintf(stderr, "motcua: --port must be 0 to 65535\n");
			return -1;
		}
		cfg->port = (int)p;
	}
	return 0;
}

int cli_init(const struct config *cfg)
{
	char err[512];
	enum log_level level = LOG_INFO;
	/* SQLite's memory statistics take a mutex on every allocation; motcua
	 * does not read them. Must precede the first use of SQLite. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	log_level_parse(cfg->log_level, &level);
	log_set_level(level);
	if (tz_init(cfg->timezone, err, sizeof(err)) != 0) {
		fprintf(stderr, "motcua: %s\n", err);
		return -1;
	}
	if (auth_init() != 0) {
		fprintf(stderr, "motcua: libsodium failed to start\n");
		return -1;
	}
	return 0;
}

/* ---- opening for writing ---------------------------------------------- */

/* Create the database's folder and any missing parents (mkdir -p): a new
 * path such as /srv/motcua/db/motcua.db used to fail when /srv/motcua did
 * not exist yet. */
static int make_parent_dir(const char *path)
{
	char *copy = xstrdup(path), *dir = dirname(copy);
	int rc = 0;
	for (char *p = dir + 1; rc == 0 && strcmp(dir, "."); p++) {
		int end = *p == '\0';
		if (*p != '/' && !end)
			continue;
		*p = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
			fprintf(stderr, "motcua: cannot create %s: %s\n", dir, strerror(errno));
			rc = -1;
		}
		if (end)
			break;
		*p = '/';
	}
	free(copy);
	return rc;
}

static int take_lock(const char *db_path)
{
	char path[1100];
	snprintf(path, sizeof(path), "%s.lock", db_path);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		fprintf(stderr, "motcua: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		fprintf(stderr, "motcua: %s is in use by another motcua (a running `motcua serve`?);"
				" stop it first, or make the change through the API\n", db_path);
		close(fd);
		return -1;
	}
	return fd;
}

static int has_schema(struct db *db)
{
	sqlite3_stmt *st = db_sql(db, "SELECT count(*) FROM sqlite_schema");
	int n = db_step(db, st) == SQLITE_ROW ? (int)db_int(st, 0) : 0;
	db_reset(st);
	return n > 0;
}

int cli_db_open(const struct config *cfg, struct cli_db *c)
{
	char err[512];
	struct db_options opt = { .path = cfg->db_path, .busy_timeout_ms = cfg->busy_timeout_ms,
				  .checkpoint_pages = cfg->checkpoint_pages };
	int applied = 0;
	memset(c, 0, sizeof(*c));
	c->lock_fd = -1;
	if (make_parent_dir(cfg->db_path) != 0 || (c->lock_fd = take_lock(cfg->db_path)) < 0)
		goto fail;
	if (db_open(&opt, 1, &c->db, err, sizeof(err)) != 0) {
		fprintf(stderr, "motcua: %s\n", err);
		goto fail;
	}
	c->created = !has_schema(c->db);
	if (migrate_run(c->db, &applied, err, sizeof(err)) != 0) {
		fprintf(stderr, "motcua: %s\n", err);
		goto fail;
	}
	if (!(c->writer = writer_new(c->db, cfg->batch_max, err, sizeof(err)))) {
		fprintf(stderr, "motcua: %s\n", err);
		goto fail;
	}
	if (calendar_reload(c->db, cfg) != 0) {
		fprintf(stderr, "motcua: cannot read the calendar\n");
		goto fail;
	}
	return 0;
fail:
	cli_db_close(c);
	return -1;
}

void cli_db_close(struct cli_db *c)
{
	writer_free(c->writer);
	db_close(c->db);
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	calendar_publish(NULL);
	memset(c, 0, sizeof(*c));
	c->lock_fd = -1;
}

/* ---- commands ----------------------------------------------------------- */

/* Parse, --help, config and init: the prologue every command shares.
 * Returns 0 to go on, 1 when help was printed, -1 on error. */
static int prologue(int argc, char **argv, int first, const char *help, int need_db,
		    struct cli_opts *o, struct config *cfg)
{
	if (cli_parse(argc, argv, first, o) != 0)
		return -1;
	if (o->help) {
		fputs(help, stdout);
		return 1;
	}
	if (need_db && !o->db && !o->config) {
		fprintf(stderr, "motcua: give --db PATH (or --config FILE); see --help\n");
		return -1;
	}
	if (cli_config(o, cfg) != 0 || cli_init(cfg) != 0)
		return -1;
	return 0;
}

static int done(int rc)
{
	return rc < 0 ? 1 : 0;
}

static const char migrate_help[] =
	"usage: motcua migrate --db PATH [--config FILE]\n\n"
	"Create the database if needed and apply every schema migration built into\n"
	"this binary (schema/NNNN_*.sql) above the database's PRAGMA user_version.\n";

int cli_migrate(int argc, char **argv)
{
	struct cli_opts o;
	struct config cfg;
	struct cli_db c;
	int rc = prologue(argc, argv, 2, migrate_help, 1, &o, &cfg);
	if (rc)
		return done(rc);
	if (cli_db_open(&cfg, &c) != 0)
		return 1;
	printf("%s: schema version %d\n", cfg.db_path, migrate_latest());
	cli_db_close(&c);
	return 0;
}

static const char seed_help[] =
	"usage: motcua seed-demo --db PATH [--dossiers N] [--seed S] [--config FILE]\n\n"
	"Load the demo province (Thanh Hóa): agencies, real procedures with their\n"
	"legal time limits, the 2025–2027 holiday calendar, demo chains, checklists\n"
	"and accounts (password \"" SEED_DEMO_PASSWORD "\"). With --dossiers N, also N\n"
	"synthetic dossiers received over the last two years, each taken through\n"
	"the real lifecycle. On a database that already has the demo, only the\n"
	"dossiers are added.\n";

static int has_demo(struct db *db)
{
	struct account_row a;
	return db_account_by_username(db, "admin", &a) == 1;
}

int cli_seed_demo(int argc, char **argv)
{
	struct cli_opts o;
	struct config cfg;
	struct cli_db c;
	char err[512];
	long n = 0;
	uint64_t seed = 20261122;
	int rc = prologue(argc, argv, 2, seed_help, 1, &o, &cfg);
	if (rc)
		return done(rc);
	if (o.dossiers) {
		char *end;
		n = strtol(o.dossiers, &end, 10);
		if (*end || n < 0 || n > 100000000) {
			fprintf(stderr, "motcua: --dossiers must be 0 to 100000000\n");
			return 1;
		}
	}
	if (o.seed)
		seed = strtoull(o.seed, NULL, 10);
	if (cli_db_open(&cfg, &c) != 0)
		return 1;
	int64_t now = util_now();
	rc = 0;
	if (!has_demo(c.db) && seed_demo(c.writer, &cfg, now, err, sizeof(err)) != 0) {
		fprintf(stderr, "motcua: %s\n", err);
		rc = 1;
	}
	if (rc == 0 && calendar_reload(c.db, &cfg) != 0)
		rc = 1;
	if (rc == 0 && n > 0 && seed_dossiers(c.writer, &cfg, now, n, seed, err, sizeof(err)) != 0) {
		fprintf(stderr, "motcua: %s\n", err);
		rc = 1;
	}
	if (rc == 0)
		printf("%s: demo province ready%s\n", cfg.db_path, n ? " with synthetic dossiers" : "");
	cli_db_close(&c);
	return rc;
}

static const char user_help[] =
	"usage: motcua user add --db PATH --username U --role ROLE --agency CODE\n"
	"                       [--name \"Full Name\"] [--pii]\n\n"
	"Create a staff account. The password is read from standard input (one\n"
	"line), so it never appears in the process list or the shell history:\n"
	"  printf '%%s\\n' \"$PASSWORD\" | motcua user add --db var/motcua.db \\\n"
	"      --username lan --role clerk --agency 000.01.01.H56\n"
	"ROLE is admin, clerk, officer, manager or auditor. CODE is the agency's\n"
	"electronic code. --pii lets an auditor export unmasked personal data.\n";

static int read_password(char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

struct add_user {
	struct account_row a;
	int64_t now;
	int64_t id;
};

static int add_user_run(struct txn *t, void *arg, struct api_error *err)
{
	struct add_user *u = arg;
	return db_account_insert(t, &u->a, u->now, &u->id, err);
}

static int user_add(const struct cli_opts *o, const struct config *cfg)
{
	struct cli_db c;
	struct add_user u;
	struct agency_row ag;
	struct api_error e;
	char password[300];
	const char *why;
	int rc = 1;
	memset(&u, 0, sizeof(u));
	if (!o->username || !o->role || !o->agency) {
		fprintf(stderr, "motcua: user add needs --username, --role and --agency\n");
		return 1;
	}
	if (role_parse(o->role, &u.a.role) != 0) {
		fprintf(stderr, "motcua: --role must be admin, clerk, officer, manager or auditor\n");
		return 1;
	}
	if (read_password(password, sizeof(password)) != 0) {
		fprintf(stderr, "motcua: no password on standard input\n");
		return 1;
	}
	if ((why = auth_password_problem(password, cfg->password_min_length))) {
		fprintf(stderr, "motcua: %s (at least %d characters)\n", why, cfg->password_min_length);
		return 1;
	}
	if (cli_db_open(cfg, &c) != 0)
		return 1;
	if (db_agency_by_code(c.db, o->agency, &ag) != 1) {
		fprintf(stderr, "motcua: no agency has the code %s\n", o->agency);
		goto out;
	}
	strlcpy_(u.a.username, o->username, sizeof(u.a.username));
	strlcpy_(u.a.full_name, o->name ? o->name : o->username, sizeof(u.a.full_name));
	u.a.agency_id = ag.id;
	u.a.pii_access = o->pii;
	u.now = util_now();
	if (auth_hash_password(password, cfg->pwhash_ops, cfg->pwhash_mem_kib, u.a.password_hash) != 0) {
		fprintf(stderr, "motcua: cannot hash the password\n");
		goto out;
	}
	if (writer_call(c.writer, add_user_run, &u, &e) != 0) {
		fprintf(stderr, "motcua: %s\n", e.message);
		goto out;
	}
	printf("account %s (%s, %s) created\n", u.a.username, role_name(u.a.role), ag.code);
	rc = 0;
out:
	memset(password, 0, sizeof(password));
	cli_db_close(&c);
	return rc;
}

int cli_user(int argc, char **argv)
{
	struct cli_opts o;
	struct config cfg;
	if (argc < 3 || strcmp(argv[2], "add") != 0) {
		if (argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
			fputs(user_help, stdout);
			return 0;
		}
		fputs(user_help, stderr);
		return 1;
	}
	int rc = prologue(argc, argv, 3, user_help, 1, &o, &cfg);
	if (rc)
		return done(rc);
	return user_add(&o, &cfg);
}

static const char token_help[] =
	"usage: motcua token create --db PATH --username U [--label TEXT]\n\n"
	"Create an API token for an account and print it. Scripts send it as\n"
	"  Authorization: Bearer TOKEN\n"
	"Only a hash of the token is stored: keep the printed value safe.\n";

struct add_token {
	unsigned char hash[32];
	int64_t account_id;
	const char *label;
	int64_t now;
};

static int add_token_run(struct txn *t, void *arg, struct api_error *err)
{
	struct add_token *k = arg;
	return db_token_insert(t, k->hash, k->account_id, k->label, k->now, err);
}

int cli_token(int argc, char **argv)
{
	struct cli_opts o;
	struct config cfg;
	struct cli_db c;
	struct account_row a;
	struct add_token k;
	struct api_error e;
	char token[AUTH_TOKEN_LEN + 1];
	if (argc < 3 || strcmp(argv[2], "create") != 0) {
		int help = argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"));
		fputs(token_help, help ? stdout : stderr);
		return help ? 0 : 1;
	}
	int rc = prologue(argc, argv, 3, token_help, 1, &o, &cfg);
	if (rc)
		return done(rc);
	if (!o.username) {
		fprintf(stderr, "motcua: token create needs --username\n");
		return 1;
	}
	if (cli_db_open(&cfg, &c) != 0)
		return 1;
	rc = 1;
	if (db_account_by_username(c.db, o.username, &a) != 1 || a.disabled) {
		fprintf(stderr, "motcua: no active account called %s\n", o.username);
		goto out;
	}
	auth_new_token(token, k.hash);
	k.account_id = a.id;
	k.label = o.label ? o.label : "";
	k.now = util_now();
	if (writer_call(c.writer, add_token_run, &k, &e) != 0) {
		fprintf(stderr, "motcua: %s\n", e.message);
		goto out;
	}
	printf("%s\n", token);
	rc = 0;
out:
	cli_db_close(&c);
	return rc;
}

static const char calendar_help[] =
	"usage: motcua calendar import --db PATH FILE.csv\n\n"
	"Import holidays and make-up working days. FILE.csv has a header row with\n"
	"at least the columns date (YYYY-MM-DD) and working (0 = day off, 1 = working\n"
	"day); note, kind, status and source are kept when present. Rows that agree\n"
	"with the weekday rule change nothing and are skipped. Existing days are\n"
	"replaced. The whole file is refused at the first bad row.\n";

struct cal_import {
	FILE *f;
	const struct config *cfg;
	struct import_count count;
};

static int cal_import_run(struct txn *t, void *arg, struct api_error *err)
{
	struct cal_import *ci = arg;
	return import_calendar(t, ci->f, ci->cfg->working_weekdays, util_now(), NULL, &ci->count, err);
}

int cli_calendar(int argc, char **argv)
{
	struct cli_opts o;
	struct config cfg;
	struct cli_db c;
	struct cal_import ci;
	struct api_error e;
	if (argc < 3 || strcmp(argv[2], "import") != 0) {
		int help = argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"));
		fputs(calendar_help, help ? stdout : stderr);
		return help ? 0 : 1;
	}
	int rc = prologue(argc, argv, 3, calendar_help, 1, &o, &cfg);
	if (rc)
		return done(rc);
	if (o.nargs != 1) {
		fprintf(stderr, "motcua: calendar import needs one FILE.csv\n");
		return 1;
	}
	memset(&ci, 0, sizeof(ci));
	ci.cfg = &cfg;
	if (!(ci.f = fopen(o.args[0], "r"))) {
		fprintf(stderr, "motcua: %s: %s\n", o.args[0], strerror(errno));
		return 1;
	}
	rc = 1;
	if (cli_db_open(&cfg, &c) != 0)
		goto out;
	if (writer_call(c.writer, cal_import_run, &ci, &e) != 0)
		fprintf(stderr, "%s: %s\n", o.args[0], e.message);
	else {
		printf("%s: %d days imported, %d rows skipped (same as the weekday rule)\n",
		       o.args[0], ci.count.rows, ci.count.skipped);
		rc = 0;
	}
	cli_db_close(&c);
out:
	fclose(ci.f);
	return rc;
}
