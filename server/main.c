/*
 * motcua — main: the subcommand dispatcher and `motcua serve`.
 *
 * serve: read the config, open (create, migrate, seed on first start) the
 * database, start the writer and the HTTP threads, wait for SIGINT or
 * SIGTERM, then stop everything in reverse order.
 */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "app.h"
#include "calendar.h"
#include "cli.h"
#include "cli_export.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "seed.h"
#include "util.h"
#include "writer.h"

static const char usage[] =
	"motcua — dossier tracker for one-stop public-administration offices\n\n"
	"usage: motcua COMMAND [options]   (motcua COMMAND --help for details)\n\n"
	"  serve [--config FILE] [--db PATH] [--listen ADDR] [--port N]\n"
	"                      run the web service (API and pages)\n"
	"  migrate --db PATH   create or upgrade a database\n"
	"  seed-demo --db PATH [--dossiers N]\n"
	"                      load the demo province (and N synthetic dossiers)\n"
	"  user add --db PATH --username U --role ROLE --agency CODE\n"
	"                      create an account (password on standard input)\n"
	"  token create --db PATH --username U\n"
	"                      print a new API token for scripts\n"
	"  calendar import --db PATH FILE.csv\n"
	"                      import holidays and make-up working days\n"
	"  export --db PATH --kind dossiers|events|report --format csv|xlsx|jsonl ...\n"
	"                      write a register, report or history export\n"
	"  audit verify FILE [--head HASH]\n"
	"                      check an exported history offline\n"
	"  backup --db PATH --to FILE\n"
	"                      online copy of the database, checked\n"
	"  stats verify --db PATH\n"
	"                      recount every statistic from the history and compare\n";

static const char serve_help[] =
	"usage: motcua serve [--config FILE] [--db PATH] [--listen ADDR] [--port N]\n\n"
	"Serve the API under /api/v1/ and the staff and public pages. Settings come\n"
	"from FILE (see config.example.ini for every key, its default and why);\n"
	"--db, --listen and --port override it. A database that does not exist yet\n"
	"is created, migrated and, when [database] demo_on_create is true, seeded\n"
	"with the demo province. Stop with Ctrl-C (SIGINT) or SIGTERM.\n";

/* Chart.js from Debian's libjs-chart.js, served at /vendor/chart.js. */
static void load_chartjs(struct app *app)
{
	static const char *const paths[] = {
		"/usr/share/javascript/chart.js/chart.min.js",
		"/usr/share/javascript/chart.js/Chart.min.js",
	};
	for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
		FILE *f = fopen(paths[i], "rb");
		if (!f)
			continue;
		if (fseek(f, 0, SEEK_END) == 0) {
			long len = ftell(f);
			if (len > 0 && fseek(f, 0, SEEK_SET) == 0) {
				unsigned char *data = xmalloc((size_t)len);
				if (fread(data, 1, (size_t)len, f) == (size_t)len) {
					app->chartjs = data;
					app->chartjs_len = (size_t)len;
				} else {
					free(data);
				}
			}
		}
		fclose(f);
		if (app->chartjs)
			return;
	}
	log_msg(LOG_WARN, "Chart.js not found (install libjs-chart.js): dashboards will show tables only");
}

/* Every connection is a descriptor, and so are the database, its WAL and
 * each reader: a soft limit below connection_limit (1,024 is common) would
 * make accept() fail long before the configured limit. Raise the soft limit
 * as far as the hard one allows, and say so when that is still short. */
static void raise_fd_limit(const struct config *cfg)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)cfg->connection_limit + 256;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rlim_t to = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
	if (to > rl.rlim_cur) {
		rl.rlim_cur = to;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur < want)
		log_msg(LOG_WARN, "open files limited to %llu (hard limit): fewer than connection_limit %d;"
			" raise it (ulimit -Hn, LimitNOFILE=) or lower connection_limit",
			(unsigned long long)rl.rlim_cur, cfg->connection_limit);
}

static int first_start(struct app *app, struct cli_db *c)
{
	char err[512];
	if (!c->created || !app->cfg.demo_on_create)
		return 0;
	log_msg(LOG_INFO, "new database %s: loading the demo province", app->cfg.db_path);
	if (seed_demo(c->writer, &app->cfg, util_now(), err, sizeof(err)) != 0
	    || calendar_reload(c->db, &app->cfg) != 0) {
		fprintf(stderr, "motcua: demo: %s\n", err);
		return -1;
	}
	if (app->cfg.demo_dossiers > 0
	    && seed_dossiers(c->writer, &app->cfg, util_now(), app->cfg.demo_dossiers, 20261122,
			     err, sizeof(err)) != 0) {
		fprintf(stderr, "motcua: demo dossiers: %s\n", err);
		return -1;
	}
	return 0;
}

static void announce(const struct app *app)
{
	printf("motcua: serving http://%s:%d/\n", app->cfg.listen, http_port());
	printf("motcua: staff login at http://%s:%d/login; public lookup at http://%s:%d/lookup\n",
	       app->cfg.listen, http_port(), app->cfg.listen, http_port());
	printf("motcua: demo accounts (password \"%s\"): admin, clerk, clerk.hacthanh, officer,\n"
	       "        officer.thue, officer.tuphap, manager, manager.nnmt, auditor\n",
	       SEED_DEMO_PASSWORD);
	fflush(stdout);
}

static int serve(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_db c;
	struct app *app = xcalloc(1, sizeof(*app));
	char err[512];
	sigset_t sigs;
	int sig, rc = 1;
	memset(&c, 0, sizeof(c));
	c.lock_fd = -1;
	if (cli_parse(argc, argv, 2, &o) != 0)
		goto out;
	if (o.help) {
		fputs(serve_help, stdout);
		rc = 0;
		goto out;
	}
	if (cli_config(&o, &app->cfg) != 0 || cli_init(&app->cfg) != 0)
		goto out;
	/* Block the stop signals before any thread starts, then wait for them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit(&app->cfg);
	if (cli_db_open(&app->cfg, &c) != 0 || first_start(app, &c) != 0)
		goto out;
	app->wdb = c.db;
	app->writer = c.writer;
	app->started_at = util_now();
	struct db_options ropt = { .path = app->cfg.db_path,
				   .busy_timeout_ms = app->cfg.busy_timeout_ms };
	db_readers_init(&ropt);
	load_chartjs(app);
	if (writer_start(app->writer) != 0) {
		fprintf(stderr, "motcua: cannot start the writer thread\n");
		goto out;
	}
	if (http_start(app, err, sizeof(err)) != 0) {
		fprintf(stderr, "motcua: %s\n", err);
		goto out;
	}
	announce(app);
	log_kv(LOG_INFO, "started", "db", app->cfg.db_path, NULL);
	sigwait(&sigs, &sig);
	log_msg(LOG_INFO, "stopping on signal %d", sig);
	rc = 0;
out:
	http_stop();
	if (c.writer)
		writer_stop(c.writer);
	db_readers_close();
	cli_db_close(&c);
	free(unconst(app->chartjs));
	free(app);
	return rc;
}

int main(int argc, char **argv)
{
	/* Keep large buffers (statistics batches, exports) in the heap instead
	 * of mapping and unmapping them each time: the page faults cost more
	 * than the memory kept. */
	mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} commands[] = {
		{ "serve", serve },
		{ "migrate", cli_migrate },
		{ "seed-demo", cli_seed_demo },
		{ "user", cli_user },
		{ "token", cli_token },
		{ "calendar", cli_calendar },
		{ "export", cli_export }, { "audit", cli_audit },
		{ "stats", cli_stats },
		{ "backup", cli_backup },
	};
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc, argv);
	fprintf(stderr, "motcua: unknown command \"%s\"\n\n%s", argv[1], usage);
	return 2;
}
