/*
 * motcua — writer: the single writer connection and group commit.
 *
 * Every change to the database is a job: a function that runs on the
 * writer connection inside a transaction. When the writer thread runs,
 * jobs queue up while a commit is in flight and the next batch commits
 * them together: one BEGIN IMMEDIATE, each job inside its own SAVEPOINT
 * (a job that fails is rolled back alone), one COMMIT, one fsync. Only
 * after that COMMIT returns is any job of the batch reported done, so an
 * acknowledged request is durable (synchronous=FULL).
 *
 * Without a thread (CLI commands, seeding), writer_call runs the job at
 * once on the caller's thread in a transaction of its own.
 *
 * The transaction context (struct txn) carries what every job needs: the
 * connection, the head of the audit chain and the statistics accumulator
 * (stats.h), which is written to the stat table just before each COMMIT,
 * in the same transaction. Jobs must not keep pointers to it after they
 * return.
 *
 * Ownership: writer_new borrows the connection (the caller closes it after
 * writer_free). A submitted job belongs to the caller until its done
 * callback has been called; the callback runs on the writer thread and
 * must be short (it typically resumes a suspended HTTP connection).
 */
#ifndef MOTCUA_WRITER_H
#define MOTCUA_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "error.h"

struct capture;
struct db;
struct writer;
struct stat_acc;

/* The context of one write transaction. */
struct txn {
	struct db *db;				/* the writer connection */
	int64_t seq;				/* last history seq written */
	unsigned char hash[AUDIT_HASH_LEN];	/* its hash */
	struct stat_acc *stats;		/* statistics deltas of this job */
	struct capture *cap;		/* not NULL: dossier and history rows are
					 * recorded there, not written (capture.h) */
};

/* A job: 0 on success, -1 after filling err (the job's changes are then
 * rolled back). */
typedef int (*writer_fn)(struct txn *t, void *arg, struct api_error *err);

struct writer_job {
	writer_fn fn;
	void *arg;
	void (*done)(struct writer_job *job);	/* called once, after commit */
	void *owner;				/* for the done callback */
	int rc;					/* 0 done and durable, -1 failed */
	struct api_error err;			/* why it failed */
	struct writer_job *next;		/* queue link, writer's own */
};

struct writer_stats {
	uint64_t jobs;		/* jobs finished */
	uint64_t failed;	/* jobs that failed */
	uint64_t batches;	/* commits */
	uint64_t batch_hist[8];	/* batch sizes: 1, 2–3, 4–7, … 128+ */
	int queued;		/* jobs waiting now */
};

/* A writer over an open writer connection; reads the audit chain head.
 * NULL with a message on failure. */
struct writer *writer_new(struct db *db, int batch_max, char *err, size_t n);
/* Start the writer thread. 0 ok, -1 on failure. */
int writer_start(struct writer *w);
/* Finish queued jobs and stop the thread (it may be started again). */
void writer_stop(struct writer *w);
int writer_running(const struct writer *w);
void writer_free(struct writer *w);

/* Queue a job (thread running) or run it now (no thread). */
void writer_submit(struct writer *w, struct writer_job *job);
/* Run fn and wait until it is committed. 0 ok, -1 with err filled. */
int writer_call(struct writer *w, writer_fn fn, void *arg, struct api_error *err);

void writer_get_stats(struct writer *w, struct writer_stats *out);
/* Head of the audit chain as last committed. */
void writer_head(struct writer *w, int64_t *seq, unsigned char hash[AUDIT_HASH_LEN]);


#endif
