/*
 * motcua — db: connections, per-connection pragmas, the statement cache,
 * error classification and the per-thread readers.
 */
#include "db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"
#include "walbuf.h"

struct slot {
	const char *sql;	/* key: the literal's address */
	sqlite3_stmt *st;
};

struct db {
	sqlite3 *h;
	int writer;
	struct slot *slots;	/* open addressing, power-of-two size */
	size_t nslots, used;
	struct db *next_reader;	/* registry of readers, for shutdown */
	int read_depth;		/* nested db_read_begin calls */
	/* Per-thread readers keep their last read transaction open between
	 * requests while nothing has been committed since (see
	 * db_read_begin); `use` is held while the owner reads in one, and
	 * lets the writer end an idle one after a commit. */
	int reuse;
	int snap_open;
	uint64_t snap_gen;
	pthread_mutex_t use;
};

/* Commits by the writer connection so far: a snapshot taken when this
 * was N shows the latest data for as long as it is still N. */
static _Atomic uint64_t generation;

static int exec(struct db *db, const char *sql)
{
	return sqlite3_exec(db->h, sql, NULL, NULL, NULL);
}

static int configure(struct db *db, const struct db_options *opt, char *err, size_t n)
{
	int rc = SQLITE_OK;
	sqlite3_busy_timeout(db->h, opt->busy_timeout_ms);
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_limit(db->h, SQLITE_LIMIT_LENGTH, 4 * 1024 * 1024);
	if (db->writer) {
		/* WAL is a property of the file; FULL makes every commit durable
		 * against power loss; writes happen only here. */
		if ((rc = exec(db, "PRAGMA journal_mode=WAL")) == SQLITE_OK)
			rc = exec(db, "PRAGMA synchronous=FULL");
		if (rc == SQLITE_OK)
			rc = exec(db, "PRAGMA cache_size=-131072");
		/* Checkpoints stay on this connection (the WAL-reset bug of
		 * 3.40, db.h); a longer log lets a page that many commits touch
		 * be copied once. */
		if (rc == SQLITE_OK && opt->checkpoint_pages > 0)
			rc = sqlite3_wal_autocheckpoint(db->h, opt->checkpoint_pages);
	} else {
		rc = exec(db, "PRAGMA query_only=1");
		if (rc == SQLITE_OK)
			rc = exec(db, "PRAGMA cache_size=-32768");
	}
	if (rc == SQLITE_OK)
		rc = exec(db, "PRAGMA foreign_keys=ON");
	if (rc == SQLITE_OK)
		rc = exec(db, "PRAGMA temp_store=MEMORY");
	if (rc == SQLITE_OK)
		rc = exec(db, "PRAGMA mmap_size=268435456");
	if (rc != SQLITE_OK)
		snprintf(err, n, "cannot configure the database: %s", sqlite3_errmsg(db->h));
	return rc == SQLITE_OK ? 0 : -1;
}

int db_open(const struct db_options *opt, int writer, struct db **out,
	    char *err, size_t n)
{
	struct db *db = xcalloc(1, sizeof(*db));
	int flags = writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	db->writer = writer;
	db->nslots = 256;
	db->slots = xcalloc(db->nslots, sizeof(*db->slots));
	/* The writer's log writes are gathered (walbuf.h). */
	const char *vfs = writer && walbuf_register() == 0 ? WALBUF_VFS : NULL;
	if (sqlite3_open_v2(opt->path, &db->h, flags | SQLITE_OPEN_NOMUTEX, vfs) != SQLITE_OK) {
		snprintf(err, n, "cannot open %s: %s", opt->path,
			 db->h ? sqlite3_errmsg(db->h) : "out of memory");
		goto fail;
	}
	if (configure(db, opt, err, n) != 0)
		goto fail;
	*out = db;
	return 0;
fail:
	db_close(db);
	*out = NULL;
	return -1;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nslots; i++)
		if (db->slots[i].st)
			sqlite3_finalize(db->slots[i].st);
	free(db->slots);
	if (db->h && sqlite3_close(db->h) != SQLITE_OK)
		log_msg(LOG_ERROR, "database close: %s", sqlite3_errmsg(db->h));
	if (db->reuse)
		pthread_mutex_destroy(&db->use);
	free(db);
}

sqlite3 *db_handle(struct db *db)
{
	return db->h;
}

static size_t slot_of(const struct db *db, const char *sql)
{
	uintptr_t x = (uintptr_t)sql;
	x ^= x >> 17;
	x *= 0x9E3779B97F4A7C15ull;
	return (size_t)(x >> 7) & (db->nslots - 1);
}

static void grow(struct db *db)
{
	struct slot *old = db->slots;
	size_t n = db->nslots;
	db->nslots *= 2;
	db->slots = xcalloc(db->nslots, sizeof(*db->slots));
	for (size_t i = 0; i < n; i++) {
		if (!old[i].sql)
			continue;
		size_t j = slot_of(db, old[i].sql);
		while (db->slots[j].sql)
			j = (j + 1) & (db->nslots - 1);
		db->slots[j] = old[i];
	}
	free(old);
}

sqlite3_stmt *db_stmt_(struct db *db, const char *sql)
{
	size_t i = slot_of(db, sql);
	while (db->slots[i].sql) {
		if (db->slots[i].sql == sql)
			return db->slots[i].st;
		i = (i + 1) & (db->nslots - 1);
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "motcua: cannot prepare SQL (%s):\n%s\n", sqlite3_errmsg(db->h), sql);
		abort();
	}
	db->slots[i].sql = sql;
	db->slots[i].st = st;
	if (++db->used * 2 > db->nslots)
		grow(db);
	return st;
}

void db_reset(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

void db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void db_bind_int(sqlite3_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st, i, v);
}

void db_bind_null(sqlite3_stmt *st, int i)
{
	sqlite3_bind_null(st, i);
}

void db_bind_blob(sqlite3_stmt *st, int i, const void *p, size_t n)
{
	sqlite3_bind_blob(st, i, p, (int)n, SQLITE_TRANSIENT);
}

void db_bind_int_or_null(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

const char *db_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

char *db_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? xstrdup((const char *)s) : NULL;
}

int64_t db_int(sqlite3_stmt *st, int i)
{
	return sqlite3_column_int64(st, i);
}

int db_is_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL;
}

int db_step(struct db *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE && (rc & 0xff) != SQLITE_CONSTRAINT)
		log_kv(LOG_WARN, "sqlite step failed", "error", sqlite3_errmsg(db->h),
		       "sql", sqlite3_sql(st), NULL);
	return rc;
}

int db_fail(struct db *db, int rc, struct api_error *err)
{
	(void)db;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return api_error_set(err, 503, "database_busy", NULL,
				     "The database is busy; try again in a moment.");
	case SQLITE_FULL:
		return api_error_set(err, 507, "storage_full", NULL,
				     "The server's disk is full; nothing was saved.");
	case SQLITE_CONSTRAINT:
		return api_error_set(err, 409, "conflict", NULL,
				     "The change conflicts with existing data.");
	case SQLITE_IOERR:
	case SQLITE_CORRUPT:
	case SQLITE_CANTOPEN:
		return api_error_set(err, 503, "storage_error", NULL,
				     "The server cannot write to its storage; nothing was saved.");
	default:
		return api_error_set(err, 500, "database_error", NULL,
				     "Internal database error.");
	}
}

int db_captured(int rc, struct api_error *err)
{
	if (rc == 0)
		return 0;
	return api_error_set(err, 500, "internal_error", NULL, "A captured dossier is missing.");
}

int db_begin(struct db *db)
{
	return exec(db, "BEGIN IMMEDIATE");
}

int db_commit(struct db *db)
{
	int rc = exec(db, "COMMIT");
	if (rc == SQLITE_OK && db->writer)
		atomic_fetch_add(&generation, 1);
	return rc;
}

int db_rollback(struct db *db)
{
	if (sqlite3_get_autocommit(db->h))
		return SQLITE_OK;
	return exec(db, "ROLLBACK");
}

int db_savepoint(struct db *db)
{
	return exec(db, "SAVEPOINT job");
}

int db_release(struct db *db)
{
	return exec(db, "RELEASE job");
}

int db_rollback_to(struct db *db)
{
	int rc = exec(db, "ROLLBACK TO job");
	if (rc == SQLITE_OK)
		rc = exec(db, "RELEASE job");
	return rc;
}

int db_exec_script(struct db *db, const char *sql, char *err, size_t n)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, n, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* A statement with no result rows, run to its end. */
static int run_once(sqlite3_stmt *st)
{
	int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
	if (st)
		sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void end_snapshot(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h) && run_once(db_sql(db, "COMMIT")) != SQLITE_OK)
		exec(db, "ROLLBACK");
	db->snap_open = 0;
}

int db_read_begin(struct db *db)
{
	if (db->read_depth++ > 0)
		return SQLITE_OK;
	if (db->reuse)
		pthread_mutex_lock(&db->use);
	/* Read before the snapshot is taken (at the first read after BEGIN):
	 * a commit in between only makes the next request refresh early. */
	uint64_t gen = atomic_load(&generation);
	if (db->snap_open && db->snap_gen == gen && !sqlite3_get_autocommit(db->h))
		return SQLITE_OK;
	if (db->snap_open)
		end_snapshot(db);
	int rc = run_once(db_sql(db, "BEGIN"));
	if (rc != SQLITE_OK) {
		db->read_depth = 0;
		if (db->reuse)
			pthread_mutex_unlock(&db->use);
		return rc;
	}
	db->snap_open = db->reuse;
	db->snap_gen = gen;
	return SQLITE_OK;
}

void db_read_end(struct db *db)
{
	if (db->read_depth > 0 && --db->read_depth > 0)
		return;
	db->read_depth = 0;
	if (db->reuse) {
		/* Kept for the next request on this thread, unless it ended. */
		if (sqlite3_get_autocommit(db->h))
			db->snap_open = 0;
		pthread_mutex_unlock(&db->use);
		return;
	}
	end_snapshot(db);
}

void db_bulk_mode(struct db *db, int on)
{
	exec(db, on ? "PRAGMA cache_size=-1048576" : "PRAGMA cache_size=-131072");
}

int db_changes(struct db *db)
{
	return sqlite3_changes(db->h);
}

int64_t db_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

/* ---- per-thread readers -------------------------------------------- */

static pthread_mutex_t readers_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *readers;		/* every open reader */
static struct db_options reader_opt;
static char reader_path[1024];
static pthread_key_t reader_key;
static pthread_once_t reader_once = PTHREAD_ONCE_INIT;

static void unregister(struct db *db)
{
	pthread_mutex_lock(&readers_lock);
	for (struct db **p = &readers; *p; p = &(*p)->next_reader)
		if (*p == db) {
			*p = db->next_reader;
			break;
		}
	pthread_mutex_unlock(&readers_lock);
}

static void reader_destroy(void *p)
{
	unregister(p);
	db_close(p);
}

static void make_key(void)
{
	pthread_key_create(&reader_key, reader_destroy);
}

void db_readers_init(const struct db_options *opt)
{
	pthread_once(&reader_once, make_key);
	strlcpy_(reader_path, opt->path, sizeof(reader_path));
	reader_opt = *opt;
	reader_opt.path = reader_path;
}

/* The thread's reader, opened on first use. */
static struct db *thread_reader(void)
{
	char err[256];
	struct db *db = pthread_getspecific(reader_key);
	if (db)
		return db;
	if (db_open(&reader_opt, 0, &db, err, sizeof(err)) != 0) {
		log_msg(LOG_ERROR, "%s", err);
		return NULL;
	}
	db->reuse = 1;
	pthread_mutex_init(&db->use, NULL);
	pthread_setspecific(reader_key, db);
	pthread_mutex_lock(&readers_lock);
	db->next_reader = readers;
	readers = db;
	pthread_mutex_unlock(&readers_lock);
	return db;
}

struct db *db_reader(void)
{
	struct db *db = thread_reader();
	/* Outside a read transaction a caller reads the latest data: end a
	 * snapshot kept from an earlier request. */
	if (db && db->read_depth == 0 && db->snap_open) {
		pthread_mutex_lock(&db->use);
		if (db->snap_open)
			end_snapshot(db);
		pthread_mutex_unlock(&db->use);
	}
	return db;
}

struct db *db_reader_begin(void)
{
	struct db *db = thread_reader();
	if (db && db_read_begin(db) != SQLITE_OK)
		return NULL;
	return db;
}

void db_readers_release(void)
{
	pthread_mutex_lock(&readers_lock);
	for (struct db *r = readers; r; r = r->next_reader) {
		if (pthread_mutex_trylock(&r->use) != 0)
			continue;	/* reading now: it refreshes next time */
		if (r->snap_open && r->read_depth == 0)
			end_snapshot(r);
		pthread_mutex_unlock(&r->use);
	}
	pthread_mutex_unlock(&readers_lock);
}

/* Close every reader still open (at shutdown, after the HTTP threads have
 * stopped). The calling thread's key is cleared too. */
void db_readers_close(void)
{
	pthread_mutex_lock(&readers_lock);
	struct db *list = readers;
	readers = NULL;
	pthread_mutex_unlock(&readers_lock);
	while (list) {
		struct db *next = list->next_reader;
		db_close(list);
		list = next;
	}
	pthread_setspecific(reader_key, NULL);
}
