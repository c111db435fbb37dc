/*
 * motcua — writer: one connection, one thread, group commit.
 *
 * The loop: wait for jobs; take up to batch_max of them; BEGIN IMMEDIATE;
 * run each inside SAVEPOINT (restoring the audit-chain head when a job is
 * rolled back); run the precommit hook; COMMIT; then call every job's
 * done callback. While one batch commits (the fsync), new requests queue
 * and form the next batch, so the batch size follows the load by itself.
 *
 * An I/O error on COMMIT is fail-stop: the database may no longer match
 * what was acknowledged, so every later job is refused (503) until the
 * process restarts.
 */
#include "writer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_stats.h"
#include "stats.h"
#include "log.h"
#include "util.h"

struct writer {
	struct db *db;
	int batch_max;
	struct txn txn;			/* chain head as committed so far */
	pthread_t thread;
	int running;			/* thread started */
	int stopping;
	int broken;			/* fail-stop after an I/O error */
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* jobs queued or stop requested */
	pthread_cond_t finished;	/* a synchronous job finished */
	struct writer_job *head, *tail;	/* queue */
	struct writer_stats stats;	/* under lock */
	int64_t committed_seq;		/* chain head after the last commit, */
	unsigned char committed_hash[AUDIT_HASH_LEN];	/* under lock */
};

static int load_head(struct writer *w, char *err, size_t n)
{
	sqlite3_stmt *st = db_sql(w->db, "SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1");
	int rc = db_step(w->db, st);
	memset(w->txn.hash, 0, sizeof(w->txn.hash));
	w->txn.seq = 0;
	if (rc == SQLITE_ROW) {
		w->txn.seq = db_int(st, 0);
		if (sqlite3_column_bytes(st, 1) == AUDIT_HASH_LEN)
			memcpy(w->txn.hash, sqlite3_column_blob(st, 1), AUDIT_HASH_LEN);
	}
	db_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		snprintf(err, n, "cannot read the history head");
		return -1;
	}
	return 0;
}

struct writer *writer_new(struct db *db, int batch_max, char *err, size_t n)
{
	struct writer *w = xcalloc(1, sizeof(*w));
	w->db = db;
	w->batch_max = batch_max > 0 ? batch_max : 1;
	w->txn.db = db;
	w->txn.stats = stats_acc_new();
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->finished, NULL);
	if (load_head(w, err, n) != 0) {
		writer_free(w);
		return NULL;
	}
	w->committed_seq = w->txn.seq;
	memcpy(w->committed_hash, w->txn.hash, AUDIT_HASH_LEN);
	return w;
}

static void hist_add(struct writer_stats *s, int n)
{
	int b = 0;
	while (b < 7 && n >= (2 << b))
		b++;
	s->batch_hist[b]++;
}

/* Run one job inside its savepoint; restore the chain head if it fails.
 * A job alone in its batch needs no savepoint: the whole transaction is
 * rolled back instead. (A savepoint around a large job — the seeder's
 * thousands of dossiers — makes SQLite's in-memory sub-journal walk a
 * growing list on every write: quadratic.) */
static void run_job(struct writer *w, struct writer_job *job, int alone)
{
	int64_t seq = w->txn.seq;
	size_t mark = stats_acc_mark(w->txn.stats);
	unsigned char hash[AUDIT_HASH_LEN];
	memcpy(hash, w->txn.hash, sizeof(hash));
	api_error_clear(&job->err);
	int rc = alone ? SQLITE_OK : db_savepoint(w->db);
	if (rc != SQLITE_OK) {
		job->rc = db_fail(w->db, rc, &job->err);
	} else {
		job->rc = job->fn(&w->txn, job->arg, &job->err);
		if (job->rc != 0 && job->err.status == 0)
			api_error_set(&job->err, 500, "internal_error", NULL, "The change failed.");
		if (!alone) {
			rc = job->rc == 0 ? db_release(w->db) : db_rollback_to(w->db);
			if (rc != SQLITE_OK && job->rc == 0)
				job->rc = db_fail(w->db, rc, &job->err);
		}
	}
	if (job->rc != 0) {
		w->txn.seq = seq;
		memcpy(w->txn.hash, hash, sizeof(hash));
		stats_acc_rewind(w->txn.stats, mark);
	}
}

static void fail_all(struct writer_job *batch, const struct api_error *e)
{
	for (struct writer_job *j = batch; j; j = j->next)
		if (j->rc == 0) {
			j->rc = -1;
			j->err = *e;
		}
}

/* Run a batch of jobs (a linked list) in one transaction. */
static void run_batch(struct writer *w, struct writer_job *batch, int count)
{
	struct api_error e;
	int64_t seq = w->txn.seq;
	unsigned char hash[AUDIT_HASH_LEN];
	int rc, committed = 0;
	memcpy(hash, w->txn.hash, sizeof(hash));
	api_error_clear(&e);

	if (w->broken) {
		api_error_set(&e, 503, "storage_error", NULL,
			      "The server stopped writing after a storage error; nothing was saved.");
		for (struct writer_job *j = batch; j; j = j->next)
			j->rc = 0;
		fail_all(batch, &e);
		return;
	}
	rc = db_begin(w->db);
	if (rc != SQLITE_OK) {
		db_fail(w->db, rc, &e);
		for (struct writer_job *j = batch; j; j = j->next)
			j->rc = 0;
		fail_all(batch, &e);
		return;
	}
	for (struct writer_job *j = batch; j; j = j->next)
		run_job(w, j, count == 1);
	if (count == 1 && batch->rc != 0) {
		/* A lone job that failed: undo the whole transaction. */
		db_rollback(w->db);
		e = batch->err;
	} else if (db_stats_flush(&w->txn, &e) != 0) {
		db_rollback(w->db);
	} else if ((rc = db_commit(w->db)) != SQLITE_OK) {
		db_fail(w->db, rc, &e);
		db_rollback(w->db);
		if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CORRUPT) {
			w->broken = 1;
			log_msg(LOG_ERROR, "writer: commit failed with an I/O error; refusing writes until restart");
		}
	} else {
		committed = 1;
		db_readers_release();
	}
	if (!committed) {
		w->txn.seq = seq;
		memcpy(w->txn.hash, hash, sizeof(hash));
		fail_all(batch, &e);
	}
	stats_acc_clear(w->txn.stats);
	pthread_mutex_lock(&w->lock);
	w->stats.batches++;
	hist_add(&w->stats, count);
	w->committed_seq = w->txn.seq;
	memcpy(w->committed_hash, w->txn.hash, AUDIT_HASH_LEN);
	pthread_mutex_unlock(&w->lock);
}

static void finish(struct writer *w, struct writer_job *batch)
{
	while (batch) {
		struct writer_job *next = batch->next;
		pthread_mutex_lock(&w->lock);
		w->stats.jobs++;
		if (batch->rc != 0)
			w->stats.failed++;
		pthread_mutex_unlock(&w->lock);
		batch->next = NULL;
		batch->done(batch);	/* may free the job: read next first */
		batch = next;
	}
}

static void *loop(void *arg)
{
	struct writer *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (!w->head && w->stopping)
			break;
		struct writer_job *batch = w->head, *last = w->head;
		int count = 1;
		while (last->next && count < w->batch_max) {
			last = last->next;
			count++;
		}
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		last->next = NULL;
		w->stats.queued -= count;
		pthread_mutex_unlock(&w->lock);
		run_batch(w, batch, count);
		finish(w, batch);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int writer_start(struct writer *w)
{
	if (pthread_create(&w->thread, NULL, loop, w) != 0)
		return -1;
	w->running = 1;
	return 0;
}

void writer_stop(struct writer *w)
{
	if (!w || !w->running)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	w->running = 0;
	w->stopping = 0;	/* it may be started again */
}

int writer_running(const struct writer *w)
{
	return w->running;
}


void writer_free(struct writer *w)
{
	if (!w)
		return;
	writer_stop(w);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->finished);
	stats_acc_free(w->txn.stats);
	free(w);
}

void writer_submit(struct writer *w, struct writer_job *job)
{
	job->next = NULL;
	job->rc = 0;
	if (!w->running) {
		run_batch(w, job, 1);
		finish(w, job);
		return;
	}
	pthread_mutex_lock(&w->lock);
	if (w->tail)
		w->tail->next = job;
	else
		w->head = job;
	w->tail = job;
	w->stats.queued++;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

struct sync_wait {
	struct writer *w;
	int done;
};

static void sync_done(struct writer_job *job)
{
	struct sync_wait *sw = job->owner;
	pthread_mutex_lock(&sw->w->lock);
	sw->done = 1;
	pthread_cond_broadcast(&sw->w->finished);
	pthread_mutex_unlock(&sw->w->lock);
}

int writer_call(struct writer *w, writer_fn fn, void *arg, struct api_error *err)
{
	struct sync_wait sw = { w, 0 };
	struct writer_job job;
	memset(&job, 0, sizeof(job));
	job.fn = fn;
	job.arg = arg;
	job.done = sync_done;
	job.owner = &sw;
	writer_submit(w, &job);
	pthread_mutex_lock(&w->lock);
	while (!sw.done)
		pthread_cond_wait(&w->finished, &w->lock);
	pthread_mutex_unlock(&w->lock);
	if (job.rc != 0 && err)
		*err = job.err;
	return job.rc;
}

void writer_get_stats(struct writer *w, struct writer_stats *out)
{
	pthread_mutex_lock(&w->lock);
	*out = w->stats;
	pthread_mutex_unlock(&w->lock);
}

void writer_head(struct writer *w, int64_t *seq, unsigned char hash[AUDIT_HASH_LEN])
{
	pthread_mutex_lock(&w->lock);
	*seq = w->committed_seq;
	memcpy(hash, w->committed_hash, AUDIT_HASH_LEN);
	pthread_mutex_unlock(&w->lock);
}
