/*
 * motcua tests — statistics: period decomposition, rates, and the delta
 * rules that turn a dossier's change into counter updates (pure).
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "report.h"
#include "stats.h"
#include "tests.h"

/* Days covered by a bucket range list, as a bitmap over [base, base+n). */
static void cover(const struct brange *r, int n, int32_t base, unsigned char *days, int ndays)
{
	for (int32_t d = base; d < base + ndays; d++) {
		int32_t b[3] = { stats_bucket(d, 0), 0, 0 };
		b[1] = b[0] / 100;
		b[2] = b[0] / 10000;
		for (int i = 0; i < n; i++)
			if (b[r[i].grain] >= r[i].from && b[r[i].grain] <= r[i].to)
				days[d - base]++;
	}
}

START_TEST(test_report_ranges_cover_exactly)
{
	/* Every period within 2024–2027 is covered by its ranges exactly
	 * once, and by nothing outside it. */
	int32_t base = date_from_civil(2024, 1, 1);
	int ndays = date_from_civil(2028, 1, 1) - base;
	unsigned char *days = malloc((size_t)ndays);
	unsigned seed = 12345;
	for (int iter = 0; iter < 150; iter++) {
		struct brange r[REPORT_MAX_RANGES];
		seed = seed * 1103515245 + 12345;
		int32_t from = base + (int32_t)(seed % (unsigned)ndays);
		seed = seed * 1103515245 + 12345;
		int32_t to = from + (int32_t)(seed % 800);
		if (to >= base + ndays)
			to = base + ndays - 1;
		int n = report_ranges(from, to, r);
		ck_assert_int_le(n, 5);
		memset(days, 0, (size_t)ndays);
		cover(r, n, base, days, ndays);
		for (int32_t d = base; d < base + ndays; d++)
			ck_assert_int_eq(days[d - base], d >= from && d <= to ? 1 : 0);
	}
	free(days);
}
END_TEST

START_TEST(test_report_ranges_shapes)
{
	struct brange r[REPORT_MAX_RANGES];
	/* A calendar quarter is one month range. */
	int n = report_ranges(date_from_civil(2026, 7, 1), date_from_civil(2026, 9, 30), r);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(r[0].grain, 1);
	ck_assert_int_eq(r[0].from, 202607);
	ck_assert_int_eq(r[0].to, 202609);
	/* A calendar year is one year range. */
	n = report_ranges(date_from_civil(2025, 1, 1), date_from_civil(2025, 12, 31), r);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(r[0].grain, 2);
	ck_assert_int_eq(r[0].from, 2025);
	/* Mid-month to mid-month across a year: days, months, months, days. */
	n = report_ranges(date_from_civil(2025, 11, 15), date_from_civil(2026, 2, 10), r);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(r[0].grain, 0);
	ck_assert_int_eq(r[0].from, 20251115);
	ck_assert_int_eq(r[0].to, 20251130);
	ck_assert_int_eq(r[1].grain, 1);
	ck_assert_int_eq(r[1].from, 202512);
	ck_assert_int_eq(r[1].to, 202512);
	ck_assert_int_eq(r[2].grain, 1);
	ck_assert_int_eq(r[2].from, 202601);
	ck_assert_int_eq(r[2].to, 202601);
	ck_assert_int_eq(r[3].grain, 0);
	ck_assert_int_eq(r[3].from, 20260201);
	ck_assert_int_eq(r[3].to, 20260210);
	/* One day; February of a leap year as a whole month. */
	n = report_ranges(date_from_civil(2026, 11, 22), date_from_civil(2026, 11, 22), r);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(r[0].from, 20261122);
	n = report_ranges(date_from_civil(2028, 2, 1), date_from_civil(2028, 2, 29), r);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(r[0].grain, 1);
	ck_assert_int_eq(report_ranges(10, 9, r), 0);
}
END_TEST

START_TEST(test_report_rate_two_decimals)
{
	ck_assert(report_rate(0, 0) < 0);		/* N/A */
	ck_assert_double_eq(report_rate(997, 1000), 99.7);
	ck_assert_double_eq(report_rate(1, 3), 33.33);
	ck_assert_double_eq(report_rate(2, 3), 66.67);
	/* 99.995 % rounds half up to 100.00, 99.994 % stays 99.99 */
	ck_assert_double_eq(report_rate(19999, 20000), 100.0);
	ck_assert_double_eq(report_rate(99994, 100000), 99.99);
	ck_assert_double_eq(report_rate(5, 5), 100.0);
}
END_TEST

/* ---- delta rules ---------------------------------------------------------- */

static struct stat_snap snap(int state, int paused, int32_t due_day)
{
	struct stat_snap s;
	memset(&s, 0, sizeof(s));
	s.state = state;
	s.paused = paused;
	s.due_day = due_day;
	return s;
}

/* Sum of one column over all day rows of kind 1 for a day range. */
static int64_t col(const struct stat_acc *a, enum stat_col c, int32_t day)
{
	struct stat_row *rows;
	int64_t v = 0;
	size_t n = stats_acc_rows(a, &rows);
	for (size_t i = 0; i < n; i++)
		if (rows[i].kind == 1 && rows[i].grain == 0 && rows[i].bucket == stats_bucket(day, 0))
			v += rows[i].v[c];
	free(rows);
	return v;
}

static const struct stat_key key = { 7, 11, 0 };

START_TEST(test_stats_received_counted_at_acceptance)
{
	struct stat_acc *a = stats_acc_new();
	struct stat_snap none = snap(0, 0, STAT_NO_DAY), online = snap(1, 0, STAT_NO_DAY);
	struct stat_snap recv = snap(2, 0, 100);
	stats_delta(a, &key, &none, &online, 90);	/* submitted online: not yet */
	ck_assert_int_eq(col(a, SC_RECEIVED, 90), 0);
	stats_delta(a, &key, &online, &recv, 91);	/* accepted */
	ck_assert_int_eq(col(a, SC_RECEIVED, 91), 1);
	/* Refused at intake: never received, nothing counted. */
	struct stat_snap refused = snap(3, 0, STAT_NO_DAY);
	stats_acc_clear(a);
	stats_delta(a, &key, &online, &refused, 92);
	ck_assert_int_eq(col(a, SC_RECEIVED, 92) + col(a, SC_STOPPED, 92), 0);
	stats_acc_free(a);
}
END_TEST

START_TEST(test_stats_resolution_classes_and_exits)
{
	struct stat_acc *a = stats_acc_new();
	struct stat_snap inproc = snap(4, 0, 200), res = snap(9, 0, 200);
	res.result_class = 3;
	res.work_seconds = 3600;
	stats_delta(a, &key, &inproc, &res, 210);
	ck_assert_int_eq(col(a, SC_LATE, 210), 1);
	ck_assert_int_eq(col(a, SC_WORK_SECONDS, 210), 3600);
	/* Returning after resolution changes no resolution counter. */
	struct stat_snap ret = res;
	ret.state = 10;
	stats_delta(a, &key, &res, &ret, 211);
	ck_assert_int_eq(col(a, SC_LATE, 211), 0);
	ck_assert_int_eq(col(a, SC_RETURNED, 211), 1);
	/* Stopped from a withdrawal request counts as withdrawn, else stopped. */
	struct stat_snap wreq = snap(7, 0, 200), stopped = snap(8, 0, 200);
	stats_delta(a, &key, &wreq, &stopped, 212);
	stats_delta(a, &key, &inproc, &stopped, 212);
	ck_assert_int_eq(col(a, SC_WITHDRAWN, 212), 1);
	ck_assert_int_eq(col(a, SC_STOPPED, 212), 1);
	stats_acc_free(a);
}
END_TEST

START_TEST(test_stats_overdue_intervals)
{
	struct stat_acc *a = stats_acc_new();
	struct stat_snap none = snap(0, 0, STAT_NO_DAY), recv = snap(2, 0, 100);
	/* Received on day 90, due day 100: enters the overdue count on day 100. */
	stats_delta(a, &key, &none, &recv, 90);
	ck_assert_int_eq(col(a, SC_OVD_IN, 100), 1);
	/* Resolved on day 95, before its due day: the entry is withdrawn. */
	struct stat_snap res = snap(9, 0, 100);
	res.result_class = 1;
	stats_delta(a, &key, &recv, &res, 95);
	ck_assert_int_eq(col(a, SC_OVD_IN, 100), 0);
	ck_assert_int_eq(col(a, SC_OVD_OUT, 95), 0);
	stats_acc_clear(a);
	/* Resolved on day 104 after being due on day 100: out on day 104. */
	stats_delta(a, &key, &none, &recv, 90);
	stats_delta(a, &key, &recv, &res, 104);
	ck_assert_int_eq(col(a, SC_OVD_IN, 100), 1);
	ck_assert_int_eq(col(a, SC_OVD_OUT, 104), 1);
	stats_acc_clear(a);
	/* Paused on day 103 while overdue (out), restarted on day 105 with a
	 * new due day 120 (in on 120). */
	struct stat_snap paused = snap(5, 1, 100), restarted = snap(4, 0, 120);
	stats_delta(a, &key, &recv, &paused, 103);
	stats_delta(a, &key, &paused, &restarted, 105);
	ck_assert_int_eq(col(a, SC_OVD_OUT, 103), 1);
	ck_assert_int_eq(col(a, SC_OVD_IN, 120), 1);
	stats_acc_clear(a);
	/* Resumed on day 105 already past its due day 100: in on day 105. */
	struct stat_snap resumed = snap(4, 0, 100);
	stats_delta(a, &key, &paused, &resumed, 105);
	ck_assert_int_eq(col(a, SC_OVD_IN, 105), 1);
	/* A step change that keeps the same due day changes nothing. */
	stats_acc_clear(a);
	struct stat_snap step2 = snap(4, 0, 100);
	stats_delta(a, &key, &resumed, &step2, 106);
	ck_assert_int_eq(stats_acc_mark(a), 0);
	stats_acc_free(a);
}
END_TEST

START_TEST(test_stats_rows_spread_over_kinds_and_grains)
{
	struct stat_acc *a = stats_acc_new();
	struct stat_row *rows;
	int32_t day = date_from_civil(2026, 11, 22);
	stats_add(a, &key, day, SC_RECEIVED, 1);
	stats_add(a, &key, day, SC_RECEIVED, 2);
	size_t mark = stats_acc_mark(a);
	stats_add(a, &key, day, SC_LATE, 5);
	stats_acc_rewind(a, mark);	/* a rolled-back job's deltas vanish */
	size_t n = stats_acc_rows(a, &rows);
	ck_assert_int_eq(n, 9);	/* 3 kinds × 3 grains, merged */
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(rows[i].v[SC_RECEIVED], 3);
		ck_assert_int_eq(rows[i].v[SC_LATE], 0);
		ck_assert_int_eq(rows[i].agency_id, rows[i].kind == 2 ? 0 : 7);
		ck_assert_int_eq(rows[i].procedure_id, rows[i].kind == 1 ? 0 : 11);
		ck_assert_int_eq(rows[i].bucket, rows[i].grain == 0 ? 20261122 : rows[i].grain == 1 ? 202611 : 2026);
		if (i > 0)
			ck_assert_int_lt(stats_row_cmp(&rows[i - 1], &rows[i]), 0);
	}
	free(rows);
	stats_acc_free(a);
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("ranges");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_report_ranges_cover_exactly);
	tcase_add_test(tc, test_report_ranges_shapes);
	tcase_add_test(tc, test_report_rate_two_decimals);
	suite_add_tcase(s, tc);
	tc = tcase_create("deltas");
	tcase_add_test(tc, test_stats_received_counted_at_acceptance);
	tcase_add_test(tc, test_stats_resolution_classes_and_exits);
	tcase_add_test(tc, test_stats_overdue_intervals);
	tcase_add_test(tc, test_stats_rows_spread_over_kinds_and_grains);
	suite_add_tcase(s, tc);
	return s;
}
