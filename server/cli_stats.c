/*
 * motcua — cli_stats: `motcua stats verify`, the recount of every
 * aggregate from the history (recount.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "recount.h"
#include "stats.h"

static const char stats_help[] =
	"usage: motcua stats verify --db PATH [--config FILE]\n\n"
	"Recompute every statistic from the dossiers' history and compare it with\n"
	"the aggregates the reports read. Prints the first differences and exits 1\n"
	"if there are any, 0 when every figure matches. Read-only: it can run while\n"
	"the service is serving.\n";

struct shown {
	int n;
};

static void print_row(const char *what, const struct stat_row *r)
{
	printf("  %-9s kind %d agency %lld procedure %lld grain %d bucket %d channel %d:", what,
	       r->kind, (long long)r->agency_id, (long long)r->procedure_id, r->grain, r->bucket, r->channel);
	for (int c = 0; c < SC__MAX; c++)
		if (r->v[c])
			printf(" %s=%lld", stats_col_names[c], (long long)r->v[c]);
	printf("\n");
}

static void on_diff(const struct stat_row *stored, const struct stat_row *computed, void *ctx)
{
	struct shown *s = ctx;
	if (s->n++ >= 20)
		return;
	printf("difference:\n");
	print_row("stored", stored);
	print_row("recounted", computed);
}

int cli_stats(int argc, char **argv)
{
	struct cli_opts o;
	struct config cfg;
	struct recount_result res;
	struct shown shown = { 0 };
	char err[512];
	struct db *db = NULL;
	if (argc < 3 || strcmp(argv[2], "verify") != 0) {
		int help = argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"));
		fputs(stats_help, help ? stdout : stderr);
		return help ? 0 : 1;
	}
	if (cli_parse(argc, argv, 3, &o) != 0)
		return 1;
	if (o.help) {
		fputs(stats_help, stdout);
		return 0;
	}
	if (!o.db && !o.config) {
		fprintf(stderr, "motcua: give --db PATH; see --help\n");
		return 1;
	}
	if (cli_config(&o, &cfg) != 0 || cli_init(&cfg) != 0)
		return 1;
	struct db_options opt = { .path = cfg.db_path, .busy_timeout_ms = cfg.busy_timeout_ms };
	if (db_open(&opt, 0, &db, err, sizeof(err)) != 0) {
		fprintf(stderr, "motcua: %s\n", err);
		return 1;
	}
	int rc = recount_run(db, &res, on_diff, &shown);
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "motcua: cannot read the database\n");
		return 1;
	}
	for (int s = 1; s <= 10; s++)
		if (res.state_kept[s] != res.state_counted[s])
			printf("state %d: %lld kept, %lld dossiers counted\n", s,
			       (long long)res.state_kept[s], (long long)res.state_counted[s]);
	printf("%s: %lld dossiers, %lld history rows replayed; %lld aggregate rows stored, %lld recounted;"
	       " %lld differ; state counts %s\n", cfg.db_path, (long long)res.dossiers, (long long)res.events,
	       (long long)res.stored_rows, (long long)res.computed_rows, (long long)res.differences,
	       res.state_differences ? "DIFFER" : "match");
	return res.differences || res.state_differences ? 1 : 0;
}
