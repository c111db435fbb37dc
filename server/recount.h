/*
 * motcua — recount: rebuild every statistic from the history and compare
 * it with the stat table (`motcua stats verify`).
 *
 * Each dossier's history is replayed in order: every row that changes the
 * state becomes a snapshot (state, paused, due day, result, …), and the
 * difference between consecutive snapshots goes through stats_delta — the
 * very function the live path uses — into a merge table. Then the merge
 * table and the stat table are walked side by side in key order. The
 * figures the replay needs and the state alone cannot give (the result
 * class, working time, fee, attachments, a finished step's result) are in
 * the history rows' data, written when the change happened.
 *
 * Ownership: results are plain values; diffs go to a callback.
 */
#ifndef MOTCUA_RECOUNT_H
#define MOTCUA_RECOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

struct db;

struct recount_result {
	int64_t dossiers;		/* dossiers replayed */
	int64_t events;			/* history rows read */
	int64_t stored_rows;		/* non-empty rows in the stat table */
	int64_t computed_rows;		/* non-empty rows recomputed */
	int64_t differences;		/* rows that differ */
	int64_t state_kept[11];		/* dossiers per state, as kept */
	int64_t state_counted[11];	/* … and as counted in the dossier table */
	int state_differences;		/* states whose two counts differ */
};

/* One differing row: stored and recomputed (either may be all zero). */
typedef void (*recount_diff_fn)(const struct stat_row *stored, const struct stat_row *computed,
				void *ctx);

/* Replay and compare on a read connection (one snapshot for both). 0 ok
 * (differences may be > 0), -1 database error. */
int recount_run(struct db *db, struct recount_result *out, recount_diff_fn diff, void *ctx);

#endif
