/*
 * motcua — bulk: storing a captured batch (capture.h) on the writer.
 *
 * bulk_store runs inside a writer job: it inserts the batch's dossiers in
 * their final state with the ids they were given, then their documents,
 * steps, overdue intervals, rating links and ratings, then their history
 * rows, chained and hashed already (each must follow the writer's head),
 * raises the code sequences the batch used and adds its statistics. A
 * failure leaves the job to be rolled back whole.
 *
 * Ownership: the batch and everything in it stay the caller's.
 */
#ifndef MOTCUA_BULK_H
#define MOTCUA_BULK_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct capture;
struct stat_row;
struct txn;

struct bulk_batch {
	struct capture *cap;
	const struct stat_row *stats;	/* merged deltas (stats_acc_rows) */
	size_t n_stats;
	int64_t states[11];		/* per-state count changes */
};

int bulk_store(struct txn *t, struct bulk_batch *b, struct api_error *err);

#endif
