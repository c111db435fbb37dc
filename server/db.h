/*
 * motcua — db: SQLite connections, the statement cache and error mapping.
 *
 * Two kinds of connection exist. The single writer connection (opened with
 * writer = 1) is used only by the writer thread (writer.h) or, in CLI
 * commands, by the main thread; SQLite allows one writer, and Debian's
 * 3.40 has a WAL-reset bug when two connections write. Readers are opened
 * read-only, one per thread (db_reader()), and never write or checkpoint.
 *
 * SQL is only ever a string literal: db_sql(db, "SELECT …") refuses
 * anything else at compile time. Statements are prepared once per
 * connection (keyed by the literal's address) and reused; after use call
 * db_reset(st). Values are always bound, never formatted into SQL.
 *
 * Ownership: db_open gives a connection to release with db_close (which
 * finalizes every cached statement). db_reader() connections belong to
 * their thread and are closed when it exits or at db_readers_close().
 * Text from db_text() is valid until the statement is stepped, reset or
 * finalized: copy it (db_dup) to keep it.
 */
#ifndef MOTCUA_DB_H
#define MOTCUA_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct db;

struct db_options {
	const char *path;
	int busy_timeout_ms;
	/* Writer only: pages the write-ahead log grows to before a commit
	 * copies it back into the database file (0: SQLite's 1,000). */
	int checkpoint_pages;
};

/* Open a connection. writer = 1: read-write, creates the file, WAL,
 * synchronous=FULL, its log writes gathered by the walbuf VFS (walbuf.h).
 * 0 ok, -1 with a message in err. */
int db_open(const struct db_options *opt, int writer, struct db **out,
	    char *err, size_t n);
void db_close(struct db *db);
sqlite3 *db_handle(struct db *db);

/* Readers: one per thread, opened on first use with the options given to
 * db_readers_init(). NULL (and a log line) if the database cannot be
 * opened. */
void db_readers_init(const struct db_options *opt);
struct db *db_reader(void);
/* The thread's reader inside a read transaction (db_read_end it): the
 * snapshot of the previous request is reused when nothing was committed
 * since, which spares the file locking of a new one. NULL on failure. */
struct db *db_reader_begin(void);
void db_readers_close(void);
/* After a commit (writer thread): end the snapshots idle readers keep, so
 * the next request reads the new data and the log can be checkpointed. */
void db_readers_release(void);

/* The cached statement for a literal SQL text. Aborts on a prepare error:
 * SQL is fixed at compile time, so a failure is a programming error that
 * the tests catch. */
sqlite3_stmt *db_stmt_(struct db *db, const char *sql);
#define db_sql(db, sql) db_stmt_((db), "" sql "")
void db_reset(sqlite3_stmt *st);

/* Binding helpers: a NULL string binds SQL NULL. */
void db_bind_text(sqlite3_stmt *st, int i, const char *s);
void db_bind_int(sqlite3_stmt *st, int i, int64_t v);
void db_bind_null(sqlite3_stmt *st, int i);
void db_bind_blob(sqlite3_stmt *st, int i, const void *p, size_t n);
/* Bind v, or NULL when v == 0 (for optional instants and ids). */
void db_bind_int_or_null(sqlite3_stmt *st, int i, int64_t v);

/* Column helpers: db_text gives "" for NULL; db_dup a malloc'd copy or
 * NULL for SQL NULL; db_int 0 for NULL. */
const char *db_text(sqlite3_stmt *st, int i);
char *db_dup(sqlite3_stmt *st, int i);
int64_t db_int(sqlite3_stmt *st, int i);
int db_is_null(sqlite3_stmt *st, int i);

/* Step once. Returns SQLITE_ROW, SQLITE_DONE, or another result code after
 * logging it; db_fail() turns that code into an api_error. */
int db_step(struct db *db, sqlite3_stmt *st);
/* Map a SQLite result code to an API error: BUSY/LOCKED → 503
 * "database_busy" (Retry-After), FULL → 507 "storage_full", CONSTRAINT →
 * 409 "conflict", anything else → 500 "database_error". Returns -1. */
int db_fail(struct db *db, int rc, struct api_error *err);

/* A row recorded by a capture (capture.h; rc 0) or refused: a dossier
 * outside the batch is a programming error, 500. Returns 0 or -1. */
int db_captured(int rc, struct api_error *err);

/* Transactions on the writer: BEGIN IMMEDIATE (never DEFERRED: a deferred
 * read that later writes gets SQLITE_BUSY without waiting). Savepoints
 * let one request in a group commit fail alone. All return a SQLite
 * result code (SQLITE_OK on success). */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
int db_savepoint(struct db *db);
int db_release(struct db *db);
int db_rollback_to(struct db *db);

/* Run a whole script (migrations only: embedded files, never user data). */
int db_exec_script(struct db *db, const char *sql, char *err, size_t n);

/* Reader transactions: a consistent snapshot across several statements.
 * They nest: only the outermost begin and end touch SQLite (a request's
 * whole read runs in one, and the handlers' own snapshots join it). */
int db_read_begin(struct db *db);
void db_read_end(struct db *db);

/* Bulk loading on the writer: a 1 GiB page cache while on. */
void db_bulk_mode(struct db *db, int on);

/* Number of rows changed by the last statement. */
int db_changes(struct db *db);
int64_t db_last_id(struct db *db);

#endif
