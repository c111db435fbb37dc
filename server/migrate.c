/*
 * motcua — migrate: apply embedded schema files above PRAGMA user_version.
 */
#include "migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "embed.h"

/* "0003_stats.sql" → 3; -1 if the name does not start with 4 digits. */
static int number_of(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (name[i] < '0' || name[i] > '9')
			return -1;
	if (name[4] != '_')
		return -1;
	return atoi(name);
}

int migrate_latest(void)
{
	int latest = 0;
	for (const struct embed_file *f = embed_schema; f->name; f++)
		if (number_of(f->name) > latest)
			latest = number_of(f->name);
	return latest;
}

static int user_version(struct db *w)
{
	sqlite3_stmt *st = db_sql(w, "PRAGMA user_version");
	int v = db_step(w, st) == SQLITE_ROW ? (int)db_int(st, 0) : -1;
	db_reset(st);
	return v;
}

static int apply(struct db *w, const struct embed_file *f, int num, char *err, size_t n)
{
	char bump[64], msg[512];
	if (db_begin(w) != SQLITE_OK) {
		snprintf(err, n, "%s: cannot start a transaction (is another process writing?)", f->name);
		return -1;
	}
	/* The version number is ours (from the file name), not user data. */
	snprintf(bump, sizeof(bump), "PRAGMA user_version=%d", num);
	if (db_exec_script(w, (const char *)f->data, msg, sizeof(msg)) != 0
	    || db_exec_script(w, bump, msg, sizeof(msg)) != 0) {
		db_rollback(w);
		snprintf(err, n, "schema/%s: %s", f->name, msg);
		return -1;
	}
	if (db_commit(w) != SQLITE_OK) {
		db_rollback(w);
		snprintf(err, n, "schema/%s: commit failed", f->name);
		return -1;
	}
	return 0;
}

int migrate_run(struct db *w, int *applied, char *err, size_t n)
{
	int have = user_version(w), count = 0;
	if (have < 0) {
		snprintf(err, n, "cannot read the schema version");
		return -1;
	}
	if (have > migrate_latest()) {
		snprintf(err, n, "the database has schema version %d, newer than this motcua (%d)",
			 have, migrate_latest());
		return -1;
	}
	for (const struct embed_file *f = embed_schema; f->name; f++) {
		int num = number_of(f->name);
		if (num < 0 || num <= have)
			continue;
		if (apply(w, f, num, err, n) != 0)
			return -1;
		have = num;
		count++;
	}
	if (applied)
		*applied = count;
	return 0;
}
