/*
 * motcua tests — walbuf: the writer's gathered log writes.
 *
 * The writer connection (db_open with writer = 1) writes through the
 * walbuf VFS; readers use SQLite's own. What must hold:
 *   - every commit, small or far larger than the buffer (and than the
 *     unix VFS's 128 KiB write limit), is in the file for a reader on
 *     another connection once COMMIT returns, and survives a checkpoint
 *     and a reopen;
 *   - a reader running alongside never sees part of a commit or a page
 *     that is not yet in the file;
 *   - pages spilled to the log inside a transaction that is then rolled
 *     back (non-contiguous rewrites of the log) leave no trace.
 * And the writer checkpoints at the configured log length.
 * Losing nothing acknowledged when the process is killed is tested on the
 * real binary in check_faults.c, and a full disk there too.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "tests.h"

struct files {
	char dir[64];
	char path[96];
};

static struct db *open_pages(struct files *f, int writer, int checkpoint_pages)
{
	char err[256];
	struct db_options opt = { .path = f->path, .busy_timeout_ms = 5000,
				  .checkpoint_pages = checkpoint_pages };
	struct db *db = NULL;
	ck_assert_msg(db_open(&opt, writer, &db, err, sizeof(err)) == 0, "%s", err);
	return db;
}

static struct db *open_db(struct files *f, int writer)
{
	return open_pages(f, writer, 1000);
}

static void files_make(struct files *f)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/motcua-walbuf-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/w.db", f->dir);
}

static void files_remove(struct files *f)
{
	char p[128];
	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
}

static void exec_ok(struct db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db_handle(db), sql, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
}

/* count(*), sum(n) and the sum of the blobs' lengths of table t. */
static void totals(struct db *db, int64_t *count, int64_t *sum, int64_t *bytes)
{
	sqlite3_stmt *st = db_sql(db, "SELECT count(*), coalesce(sum(n), 0), coalesce(sum(length(b)), 0)"
				  " FROM t");
	ck_assert_int_eq(db_step(db, st), SQLITE_ROW);
	*count = db_int(st, 0);
	*sum = db_int(st, 1);
	*bytes = db_int(st, 2);
	db_reset(st);
}

static void integrity_ok(struct db *db)
{
	sqlite3_stmt *st = db_sql(db, "PRAGMA integrity_check");
	ck_assert_int_eq(db_step(db, st), SQLITE_ROW);
	ck_assert_str_eq(db_text(st, 0), "ok");
	db_reset(st);
}

/* Insert rows n = from .. from + rows - 1, each with a blob of size bytes,
 * in one transaction. */
static void insert_rows(struct db *w, int64_t from, int rows, int size)
{
	ck_assert_int_eq(db_begin(w), SQLITE_OK);
	sqlite3_stmt *st = db_sql(w, "INSERT INTO t (n, b) VALUES (?1, zeroblob(?2))");
	for (int i = 0; i < rows; i++) {
		db_bind_int(st, 1, from + i);
		db_bind_int(st, 2, size);
		ck_assert_int_eq(db_step(w, st), SQLITE_DONE);
		db_reset(st);
	}
	ck_assert_int_eq(db_commit(w), SQLITE_OK);
}

START_TEST(test_walbuf_commits_reach_other_readers)
{
	struct files f;
	int64_t count, sum, bytes, want = 0;
	files_make(&f);
	struct db *w = open_db(&f, 1);
	exec_ok(w, "CREATE TABLE t (n INTEGER PRIMARY KEY, b BLOB)");
	struct db *r = open_db(&f, 0);
	/* One small row, one page, a run just over 128 KiB, one of exactly
	 * 1.25 MiB of blobs, and one far past the 2 MiB buffer. */
	static const struct { int rows, size; } cases[] = {
		{ 1, 10 }, { 1, 4000 }, { 33, 4000 }, { 320, 4096 }, { 1500, 3000 }, { 3, 100000 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		insert_rows(w, want + 1, cases[i].rows, cases[i].size);
		want += cases[i].rows;
		totals(r, &count, &sum, &bytes);
		ck_assert_int_eq(count, want);
		ck_assert_int_eq(sum, want * (want + 1) / 2);
	}
	integrity_ok(r);
	db_close(r);
	exec_ok(w, "PRAGMA wal_checkpoint(TRUNCATE)");
	db_close(w);
	/* Reopened, through both kinds of connection. */
	r = open_db(&f, 0);
	totals(r, &count, &sum, &bytes);
	ck_assert_int_eq(count, want);
	integrity_ok(r);
	db_close(r);
	w = open_db(&f, 1);
	totals(w, &count, &sum, &bytes);
	ck_assert_int_eq(count, want);
	db_close(w);
	files_remove(&f);
}
END_TEST

struct watch {
	struct files *f;
	volatile int stop;
	int reads;
	char problem[300];
};

/* A reader on its own connection: every snapshot must hold whole commits
 * (rows 1..count, 2,000 bytes each) and pass a quick check. */
static void *watch_run(void *arg)
{
	struct watch *wt = arg;
	char err[256];
	struct db_options opt = { .path = wt->f->path, .busy_timeout_ms = 5000 };
	struct db *r = NULL;
	if (db_open(&opt, 0, &r, err, sizeof(err)) != 0) {
		snprintf(wt->problem, sizeof(wt->problem), "open: %s", err);
		return NULL;
	}
	while (!wt->stop && !wt->problem[0]) {
		sqlite3_stmt *st = db_sql(r, "SELECT count(*), coalesce(sum(n), 0),"
					  " coalesce(sum(length(b)), 0) FROM t");
		int rc = db_step(r, st);
		if (rc != SQLITE_ROW) {
			snprintf(wt->problem, sizeof(wt->problem), "read: %s", sqlite3_errmsg(db_handle(r)));
		} else {
			int64_t c = db_int(st, 0), s = db_int(st, 1), b = db_int(st, 2);
			if (c % 50 != 0 || s != c * (c + 1) / 2 || b != c * 2000)
				snprintf(wt->problem, sizeof(wt->problem),
					 "a partial commit: %lld rows, sum %lld, %lld bytes", (long long)c,
					 (long long)s, (long long)b);
		}
		db_reset(st);
		wt->reads++;
	}
	db_close(r);
	return NULL;
}

START_TEST(test_walbuf_readers_never_see_part_of_a_commit)
{
	struct files f;
	pthread_t th[2];
	files_make(&f);
	struct db *w = open_db(&f, 1);
	exec_ok(w, "CREATE TABLE t (n INTEGER PRIMARY KEY, b BLOB)");
	struct watch wt = { &f, 0, 0, "" };
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, watch_run, &wt), 0);
	/* 400 commits of 50 rows: about 100 KB each, so the log is
	 * checkpointed (every 1,000 pages) and restarted while they read. */
	for (int i = 0; i < 400 && !wt.problem[0]; i++)
		insert_rows(w, (int64_t)i * 50 + 1, 50, 2000);
	wt.stop = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	ck_assert_msg(!wt.problem[0], "%s", wt.problem);
	ck_assert_int_gt(wt.reads, 10);
	integrity_ok(w);
	db_close(w);
	files_remove(&f);
}
END_TEST

START_TEST(test_walbuf_rolled_back_spills_leave_no_trace)
{
	struct files f;
	int64_t count, sum, bytes;
	files_make(&f);
	struct db *w = open_db(&f, 1);
	/* A tiny cache makes SQLite spill pages to the log mid-transaction. */
	exec_ok(w, "CREATE TABLE t (n INTEGER PRIMARY KEY, b BLOB); PRAGMA cache_size = 10");
	insert_rows(w, 1, 100, 1000);
	for (int round = 0; round < 3; round++) {
		ck_assert_int_eq(db_begin(w), SQLITE_OK);
		exec_ok(w, "UPDATE t SET b = zeroblob(3000)");
		exec_ok(w, "INSERT INTO t (n, b) SELECT n + 1000, b FROM t");
		ck_assert_int_eq(db_rollback(w), SQLITE_OK);
		/* The next commit rewrites the same stretch of the log. */
		insert_rows(w, 101 + round * 10, 10, 1000);
	}
	struct db *r = open_db(&f, 0);
	totals(r, &count, &sum, &bytes);
	ck_assert_int_eq(count, 130);
	ck_assert_int_eq(sum, 130 * 131 / 2);
	ck_assert_int_eq(bytes, 130 * 1000);
	integrity_ok(r);
	db_close(r);
	db_close(w);
	files_remove(&f);
}
END_TEST

/* The writer checkpoints when its log reaches the configured length
 * ([database] checkpoint_pages); SQLite's own 1,000 pages when none is
 * set. */
static int autocheckpoint_of(int pages)
{
	struct files f;
	files_make(&f);
	struct db *w = open_pages(&f, 1, pages);
	sqlite3_stmt *st = db_sql(w, "PRAGMA wal_autocheckpoint");
	ck_assert_int_eq(db_step(w, st), SQLITE_ROW);
	int got = (int)db_int(st, 0);
	db_reset(st);
	db_close(w);
	files_remove(&f);
	return got;
}

START_TEST(test_walbuf_writer_checkpoint_length)
{
	ck_assert_int_eq(autocheckpoint_of(20000), 20000);
	ck_assert_int_eq(autocheckpoint_of(300), 300);
	ck_assert_int_eq(autocheckpoint_of(0), 1000);
}
END_TEST

Suite *walbuf_suite(void)
{
	Suite *s = suite_create("walbuf");
	TCase *tc = tcase_create("walbuf");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_walbuf_commits_reach_other_readers);
	tcase_add_test(tc, test_walbuf_readers_never_see_part_of_a_commit);
	tcase_add_test(tc, test_walbuf_rolled_back_spills_leave_no_trace);
	tcase_add_test(tc, test_walbuf_writer_checkpoint_length);
	suite_add_tcase(s, tc);
	return s;
}
