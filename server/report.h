/*
 * motcua — report: the periodic report (Circular 01/2020 form 06/VPCP/KSTT)
 * and the Decision 766 indicators, computed from the stat aggregates.
 *
 * A period [from, to] (local days, inclusive) is cut into the fewest bucket
 * ranges of whole years, whole months and single days (report_ranges); the
 * figures are sums over those rows, and the carried-over count and the
 * overdue count at the end of the period are sums over everything before
 * (prefix ranges), so a year over ten million dossiers adds up a few
 * hundred rows and never scans a dossier.
 *
 * Per group:
 *   received      = carried + new (online, direct/postal)
 *   carried       = received before `from` and not finished by then
 *   resolved      = early + on time + late (in the period)
 *   in progress   = still open at the end of `to`; of which overdue (due
 *                   on or before `to`) and within the deadline
 *   stopped, withdrawn: left without a result in the period
 * and the invariant received = resolved + in progress + stopped + withdrawn
 * holds by construction (report_check verifies it).
 * on-time rate = (early + on time) / resolved × 100, N/A when resolved = 0.
 *
 * Ownership: struct report owns its groups (report_free). Queries borrow
 * their strings.
 */
#ifndef MOTCUA_REPORT_H
#define MOTCUA_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

struct db;

enum report_group {
	GROUP_AGENCY,
	GROUP_LEVEL,
	GROUP_FIELD,
	GROUP_PROCEDURE,
	GROUP_CHANNEL,
	GROUP_NONE,		/* one total */
	GROUP__MAX
};

/* "agency" … "none" → 0 ok, -1 unknown. */
int report_group_parse(const char *s, enum report_group *g);
const char *report_group_name(enum report_group g);

/* A range of buckets of one grain, inclusive. */
struct brange {
	int grain;		/* 0 day, 1 month, 2 year */
	int32_t from, to;	/* buckets (YYYYMMDD, YYYYMM, YYYY) */
};

#define REPORT_MAX_RANGES 8
/* The buckets covering the days [from, to] exactly, fewest first-level
 * ranges; returns the count (0 when from > to). */
int report_ranges(int32_t from, int32_t to, struct brange out[REPORT_MAX_RANGES]);

/* Counters of one group (sums of stat columns) and what derives from them. */
struct report_row {
	char key[48];			/* group key: agency code, level, field… */
	char label[256];		/* for people */
	int64_t agency_id;		/* GROUP_AGENCY, else 0 */
	int64_t procedure_id;		/* GROUP_PROCEDURE, else 0 */
	int64_t sum[SC__MAX];		/* over the period */
	int64_t before[SC__MAX];	/* over everything before the period */
	int64_t future[SC__MAX];	/* over the part of the period after today */
	int64_t by_channel[3];		/* new received per channel */
	/* derived (report_finish) */
	int64_t carried, new_online, new_direct, received;
	int64_t resolved, early, on_time, late;
	int64_t stopped, withdrawn;
	int64_t in_progress, overdue, within;
	double on_time_rate;		/* -1 = N/A */
	int64_t limit_hours;		/* GROUP_PROCEDURE: the legal limit */
};

struct report_query {
	int32_t from, to;		/* local days, inclusive */
	enum report_group group;
	int64_t agency_id;		/* 0 = all; else this agency … */
	int subtree;			/* … and, when 1, the agencies below it */
	int64_t procedure_id;		/* 0 = all */
	int32_t today;			/* local day of "now": overdue is counted
					 * at the end of min(to, today); 0 = to */
};

struct report {
	struct report_query q;
	struct report_row *rows;
	size_t n, cap;
	struct report_row total;
	int kind;			/* which stat rows were read (0, 1, 2) */
	int rows_read;			/* stat rows summed: the work done */
};

/* Build the report from the aggregates. 0 ok, -1 database error. */
int report_run(struct db *db, const struct report_query *q, struct report *out);
void report_free(struct report *r);
/* The derived figures of one row from its sums. */
void report_finish_row(struct report_row *r);
/* 1 if received = resolved + in progress + stopped + withdrawn for every
 * row and the total, and the parts are never negative. */
int report_check(const struct report *r);
/* Percentage with two decimals, or -1 (N/A) when den is 0. */
double report_rate(int64_t num, int64_t den);

#endif
