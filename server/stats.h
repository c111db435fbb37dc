/*
 * motcua — stats: what a change of a dossier adds to the statistics (pure),
 * and the accumulator that collects those additions until commit.
 *
 * A dossier is seen through a small snapshot (struct stat_snap). Comparing
 * the snapshot before and after a change, on the local day of the change,
 * gives the counter deltas (stats_delta): received, resolved early / on
 * time / late, stopped, withdrawn, overdue entries and exits, and so on
 * (see schema/0003_stats.sql for every counter). The same function serves
 * the live path (lifecycle, in the writing transaction) and the recount
 * from the history (`motcua stats verify`), so the two cannot disagree by
 * construction — only by a bug, which the recount exists to find.
 *
 * The accumulator keeps the deltas of one write batch; a job that rolls
 * back rewinds to the mark taken when it started; at commit the deltas are
 * spread over day, month and year and over the three kinds of rows,
 * merged, and handed to the database as rows to add.
 *
 * Ownership: stats_acc_new() gives an accumulator to release with
 * stats_acc_free(); stats_acc_rows() gives an array to free().
 */
#ifndef MOTCUA_STATS_H
#define MOTCUA_STATS_H

#include <stddef.h>
#include <stdint.h>

enum stat_col {
	SC_RECEIVED,
	SC_EARLY,
	SC_ON_TIME,
	SC_LATE,
	SC_STOPPED,
	SC_WITHDRAWN,
	SC_OVD_IN,
	SC_OVD_OUT,
	SC_WORK_SECONDS,
	SC_EXTENDED,
	SC_RETURNED,
	SC_FEE_DOSSIERS,
	SC_PAID_ONLINE,
	SC_DIGITISED,
	SC_SUPPLEMENTED,
	SC_STEP_EARLY,
	SC_STEP_ON_TIME,
	SC_STEP_LATE,
	SC__MAX
};

/* Column names in the stat table, in enum order. */
extern const char *const stats_col_names[SC__MAX];

#define STAT_NO_DAY INT32_MIN

/* What the statistics need to know about a dossier at one moment. */
struct stat_snap {
	int state;		/* DVCQG code; 0 = not yet there */
	int paused;		/* clock paused (waiting for the citizen) */
	int32_t due_day;	/* local day of the legal due time, or STAT_NO_DAY */
	int result_class;	/* 1 early, 2 on time, 3 late, 0 none */
	int extensions;
	int supplements;
	int paid_online;
	int has_fee;		/* a fee-bearing procedure */
	int digitised;		/* received with attachments */
	int64_t work_seconds;	/* working time taken, once resolved */
};

/* Which rows a dossier's figures go to. */
struct stat_key {
	int64_t agency_id;	/* lead agency */
	int64_t procedure_id;
	int channel;		/* 0 direct, 1 online, 2 postal */
};

/* The day an overdue interval starts for this snapshot (its due day) when
 * the dossier is open with its clock running; STAT_NO_DAY otherwise. */
int32_t stats_overdue_from(const struct stat_snap *s);

/* "direct" → 0, "online" → 1, "postal" → 2 (-1 if unknown). */
int stats_channel(const char *name);

struct stat_acc;

struct stat_acc *stats_acc_new(void);
void stats_acc_free(struct stat_acc *a);
/* Everything added so far; rewind(mark) forgets what came after. */
size_t stats_acc_mark(const struct stat_acc *a);
void stats_acc_rewind(struct stat_acc *a, size_t mark);
void stats_acc_clear(struct stat_acc *a);

/* Add v to one counter of key on a local day. */
void stats_add(struct stat_acc *a, const struct stat_key *k, int32_t day, enum stat_col col,
	       int64_t v);
/* The deltas of a change from before to after on local day `day`. */
void stats_delta(struct stat_acc *a, const struct stat_key *k, const struct stat_snap *before,
		 const struct stat_snap *after, int32_t day);
/* A dossier moved from state `from` to `to` (0 = none): the per-state
 * counts behind /metrics. */
void stats_state(struct stat_acc *a, int from, int to);
/* The accumulated per-state changes (index = state 1..10). */
void stats_acc_states(const struct stat_acc *a, int64_t out[11]);

/* A step of the chain finished with a result (1–3), at the step's agency. */
void stats_step(struct stat_acc *a, int64_t step_agency, int64_t procedure, int channel,
		int32_t day, int result_class);

/* One row of the stat table to add. */
struct stat_row {
	int kind;		/* 0 agency+procedure, 1 agency, 2 procedure */
	int64_t agency_id;
	int64_t procedure_id;
	int grain;		/* 0 day, 1 month, 2 year */
	int32_t bucket;		/* YYYYMMDD, YYYYMM or YYYY */
	int channel;
	int64_t v[SC__MAX];
};

/* Spread, merge and sort everything accumulated into rows. Returns the
 * number of rows (*rows is malloc'd; free it). */
size_t stats_acc_rows(const struct stat_acc *a, struct stat_row **rows);

/* A merge table: rows keyed by (kind, agency, procedure, grain, bucket,
 * channel) that accumulators are folded into (the recount folds the whole
 * history, one batch at a time). */
struct stat_merge;
struct stat_merge *stats_merge_new(void);
void stats_merge_free(struct stat_merge *m);
/* Spread a's deltas over kinds and grains and add them. */
void stats_merge_add(struct stat_merge *m, const struct stat_acc *a);
/* The rows so far, sorted in primary-key order (borrowed; valid until the
 * next add or free). */
size_t stats_merge_rows(struct stat_merge *m, const struct stat_row **rows);
/* Take out, sorted, the rows whose period ends before local day `before`
 * (they are final once no change can happen before that day); *rows is
 * the caller's to free. The rest stay to merge into. */
size_t stats_merge_take(struct stat_merge *m, int32_t before, struct stat_row **rows);
/* Compare two rows' keys (primary-key order). */
int stats_row_cmp(const struct stat_row *a, const struct stat_row *b);

/* Bucket of a day number at a grain. */
int32_t stats_bucket(int32_t day, int grain);

#endif
