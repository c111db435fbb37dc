/*
 * motcua — db_stats: the stat table — adding a batch's rows at commit,
 * and reading sums over bucket ranges for the reports.
 *
 * Ownership: rows are plain values passed to callbacks.
 */
#ifndef MOTCUA_DB_STATS_H
#define MOTCUA_DB_STATS_H

#include <stdint.h>

#include "error.h"
#include "stats.h"

struct txn;
struct db;

/* Add everything accumulated in t->stats to the stat table (inside the
 * transaction). 0 ok, -1 with err. */
int db_stats_flush(struct txn *t, struct api_error *err);

/* Rows of one kind, grain and bucket range, optionally for one agency
 * (kind 0 and 1) or one procedure (kind 0 and 2); 0 = any. fn gets each
 * row. 0 ok, -1 error. */
int db_stats_range(struct db *db, int kind, int grain, int32_t from, int32_t to,
		   int64_t agency_id, int64_t procedure_id,
		   void (*fn)(const struct stat_row *r, void *ctx), void *ctx);

/* Dossiers per state (index 1..10) from the kept counts, or counted from
 * the dossier table (a scan: for the recount only). */
int db_stats_states(struct db *db, int64_t out[11]);
int db_stats_states_counted(struct db *db, int64_t out[11]);

/* Every row of the stat table in primary-key order. */
int db_stats_all(struct db *db, void (*fn)(const struct stat_row *r, void *ctx), void *ctx);

/* Replace the whole table with rows (the recount's repair). */
int db_stats_clear(struct txn *t, struct api_error *err);
int db_stats_put(struct txn *t, const struct stat_row *r, struct api_error *err);
/* Add to the per-state counts (index 1–10; the bulk seeder's totals). */
int db_stats_add_states(struct txn *t, const int64_t d[11], struct api_error *err);

#endif
