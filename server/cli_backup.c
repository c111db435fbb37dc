/*
 * motcua — cli_backup: `motcua backup`, an online copy of the database
 * through SQLite's backup API, checked before it is declared good.
 *
 * It reads through a read-only connection, so it runs while `motcua serve`
 * serves (the copy is the consistent snapshot of one read transaction) and
 * never takes the writer's lock. The copy is written next to its final name
 * and renamed only after PRAGMA integrity_check and the history's hash
 * chain both pass, so a failed backup never replaces a good one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "chain.h"
#include "cli.h"
#include "db.h"

static const char backup_help[] =
	"usage: motcua backup --db PATH --to FILE [--config FILE]\n\n"
	"Copy the database online (while the service runs) with SQLite's backup\n"
	"API, check the copy (integrity check and the history's hash chain) and\n"
	"only then move it to FILE. Prints the number of history rows and the\n"
	"chain's head hash, to compare with GET /api/v1/audit/head.\n\n"
	"Restore: stop `motcua serve`, move the database and its -wal and -shm\n"
	"files aside, copy FILE to the database path, start the service again;\n"
	"then `motcua stats verify --db PATH` and the audit head confirm it.\n";

static int copy_db(const char *src_path, const char *dst_path, char *err, size_t n)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b = NULL;
	int rc = -1;
	if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, n, "cannot open %.300s: %s", src_path, sqlite3_errmsg(src));
		goto out;
	}
	sqlite3_busy_timeout(src, 5000);
	if (sqlite3_open_v2(dst_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, n, "cannot create %.300s: %s", dst_path, sqlite3_errmsg(dst));
		goto out;
	}
	if (!(b = sqlite3_backup_init(dst, "main", src, "main"))) {
		snprintf(err, n, "backup: %s", sqlite3_errmsg(dst));
		goto out;
	}
	/* All pages in one step: one read transaction, one consistent snapshot,
	 * however much the service writes meanwhile (WAL readers do not block). */
	int s = sqlite3_backup_step(b, -1);
	if (s != SQLITE_DONE) {
		snprintf(err, n, "backup: %s", sqlite3_errstr(s));
		goto out;
	}
	rc = 0;
out:
	if (b && sqlite3_backup_finish(b) != SQLITE_OK && rc == 0) {
		snprintf(err, n, "backup: %s", sqlite3_errmsg(dst));
		rc = -1;
	}
	/* The copy stands alone: no -wal file to carry around with it. */
	if (rc == 0 && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, n, "backup: cannot finish the copy: %s", sqlite3_errmsg(dst));
		rc = -1;
	}
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc;
}

static int check_copy(const char *path, struct chain_result *ch, char *err, size_t n)
{
	struct db *db = NULL;
	struct db_options opt = { .path = path, .busy_timeout_ms = 5000 };
	int rc = -1;
	if (db_open(&opt, 0, &db, err, n) != 0)
		return -1;
	sqlite3_stmt *st = db_sql(db, "PRAGMA integrity_check");
	int ok = db_step(db, st) == SQLITE_ROW && !strcmp(db_text(st, 0), "ok");
	db_reset(st);
	if (!ok) {
		snprintf(err, n, "the copy fails PRAGMA integrity_check");
		goto out;
	}
	int c = chain_verify(db, ch);
	if (c != 0) {
		snprintf(err, n, c < 0 ? "cannot read the copy's history"
				       : "the copy's history chain is broken at seq %lld: %s",
			 (long long)ch->first_bad, ch->why);
		goto out;
	}
	rc = 0;
out:
	db_close(db);
	return rc;
}

int cli_backup(int argc, char **argv)
{
	struct cli_opts o;
	struct config cfg;
	struct chain_result ch;
	char err[512], tmp[1200], head[65];
	if (cli_parse(argc, argv, 2, &o) != 0)
		return 1;
	if (o.help) {
		fputs(backup_help, stdout);
		return 0;
	}
	const char *to = o.to;
	if ((!o.db && !o.config) || !to) {
		fprintf(stderr, "motcua: backup needs --db PATH and --to FILE; see --help\n");
		return 1;
	}
	if (cli_config(&o, &cfg) != 0 || cli_init(&cfg) != 0)
		return 1;
	snprintf(tmp, sizeof(tmp), "%s.partial", to);
	unlink(tmp);
	if (copy_db(cfg.db_path, tmp, err, sizeof(err)) != 0 || check_copy(tmp, &ch, err, sizeof(err)) != 0) {
		fprintf(stderr, "motcua: %s (nothing written to %s)\n", err, to);
		unlink(tmp);
		return 1;
	}
	if (rename(tmp, to) != 0) {
		fprintf(stderr, "motcua: cannot move the backup to %s: %s\n", to, strerror(errno));
		unlink(tmp);
		return 1;
	}
	audit_hex(ch.head, head);
	printf("%s: backup of %s checked: integrity ok, %lld history rows, head %s\n", to, cfg.db_path,
	       (long long)ch.rows, head);
	return 0;
}
