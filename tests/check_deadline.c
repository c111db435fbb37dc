/*
 * motcua tests — deadline: working time and due dates over the real
 * 2025–2027 Vietnamese civil-service calendar (server/deadline.c).
 *
 * Expected instants are written as wall-clock dates with L(); comments
 * give the weekday and the reasoning, so a failure reads like a calendar.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests.h"
#include "date.h"
#include "deadline.h"

#define HOUR 3600
#define WORKDAY (8 * HOUR)

/* Local seconds of a wall-clock time. */
static int64_t L(int y, int mo, int d, int h, int mi)
{
	return date_at(date_from_civil(y, mo, d), h * 60 + mi);
}

/* "Fri 13/02/2026 10:00:00" for failure messages. */
static void show(int64_t t, char out[40])
{
	static const char *const wd[7] = {
		"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
	};
	char vn[17];
	date_format_vn(t, vn);
	snprintf(out, 40, "%s %s:%02d", wd[date_weekday(date_day_of(t))], vn,
		 date_second_of_day(t) % 60);
}

#define ck_assert_at(got, exp) do { \
	int64_t got_ = (got), exp_ = (exp); \
	char gs_[40], es_[40]; \
	show(got_, gs_); \
	show(exp_, es_); \
	ck_assert_msg(got_ == exp_, "%s: got %s, expected %s", #got, gs_, es_); \
} while (0)

/* ---- the 2025–2027 calendar (schema/demo/calendar-vn.csv) ------------------ */

/* Only rows that change the Mon–Fri rule: weekday days off and make-up
 * Saturdays. Weekend days inside a break are already off; the pending
 * "Culture Day" rows (24/11, working=1 on a weekday) change nothing. */
static const struct {
	int y, m, d, working;
} vn_rows[] = {
	{ 2025, 1, 1, 0 },	/* New Year */
	{ 2025, 1, 27, 0 }, { 2025, 1, 28, 0 }, { 2025, 1, 29, 0 },
	{ 2025, 1, 30, 0 }, { 2025, 1, 31, 0 },	/* Tết Ất Tỵ */
	{ 2025, 4, 7, 0 },	/* Hùng Kings */
	{ 2025, 4, 26, 1 },	/* make-up Saturday for Fri 2/5 */
	{ 2025, 4, 30, 0 }, { 2025, 5, 1, 0 }, { 2025, 5, 2, 0 },
	{ 2025, 9, 1, 0 }, { 2025, 9, 2, 0 },	/* National Day */
	{ 2026, 1, 1, 0 }, { 2026, 1, 2, 0 },	/* New Year + bridge */
	{ 2026, 1, 10, 1 },	/* make-up Saturday for Fri 2/1 */
	{ 2026, 2, 16, 0 }, { 2026, 2, 17, 0 }, { 2026, 2, 18, 0 },
	{ 2026, 2, 19, 0 }, { 2026, 2, 20, 0 },	/* Tết Bính Ngọ */
	{ 2026, 4, 27, 0 },	/* Hùng Kings, observed (26/4 is a Sunday) */
	{ 2026, 4, 30, 0 }, { 2026, 5, 1, 0 },
	{ 2026, 8, 22, 1 },	/* make-up Saturday for Mon 31/8 */
	{ 2026, 8, 31, 0 }, { 2026, 9, 1, 0 }, { 2026, 9, 2, 0 },
	{ 2027, 1, 1, 0 },
	{ 2027, 2, 4, 0 }, { 2027, 2, 5, 0 }, { 2027, 2, 8, 0 },
	{ 2027, 2, 9, 0 }, { 2027, 2, 10, 0 },	/* Tết Đinh Mùi (provisional) */
	{ 2027, 4, 16, 0 }, { 2027, 4, 30, 0 }, { 2027, 5, 3, 0 },
	{ 2027, 9, 2, 0 }, { 2027, 9, 3, 0 },
};

#define VN_N (sizeof(vn_rows) / sizeof(vn_rows[0]))

static struct deadline_exception vn_ex[VN_N];
static const int vn_years[] = { 2025, 2026, 2027 };

/* The default office hours with the Vietnamese exceptions. */
static void vn_calendar(struct deadline_calendar *cal)
{
	deadline_calendar_default(cal);
	for (size_t i = 0; i < VN_N; i++) {
		vn_ex[i].day = date_from_civil(vn_rows[i].y, vn_rows[i].m,
					       vn_rows[i].d);
		vn_ex[i].working = vn_rows[i].working;
	}
	cal->ex = vn_ex;
	cal->n_ex = VN_N;
	cal->covered_years = vn_years;
	cal->n_covered = sizeof(vn_years) / sizeof(vn_years[0]);
}

/* deadline_compute that must succeed. */
static struct deadline_result due_of(const struct deadline_calendar *cal,
				     int64_t received, int value,
				     enum deadline_unit unit)
{
	struct deadline_result r;
	memset(&r, 0x5a, sizeof(r));
	ck_assert_int_eq(deadline_compute(cal, received, value, unit, &r), 0);
	return r;
}

static int64_t work_days_due(int64_t received, int n)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	return due_of(&cal, received, n, DEADLINE_WORK_DAYS).due;
}

static int64_t work_hours_due(int64_t received, int n)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	return due_of(&cal, received, n, DEADLINE_WORK_HOURS).due;
}

static int64_t cal_days_due(int64_t received, int n)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	return due_of(&cal, received, n, DEADLINE_CAL_DAYS).due;
}

static int64_t immediate_due(int64_t received)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	return due_of(&cal, received, 0, DEADLINE_IMMEDIATE).due;
}

static int64_t next_working(int64_t t)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	return deadline_next_working(&cal, t);
}

static int64_t between(int64_t a, int64_t b)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	return deadline_between(&cal, a, b);
}

/* ---- calendar ---------------------------------------------------------------- */

START_TEST(test_deadline_default_calendar)
{
	struct deadline_calendar cal;
	memset(&cal, 0x77, sizeof(cal));
	deadline_calendar_default(&cal);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(cal.weekday_working[i], 1);
	ck_assert_int_eq(cal.weekday_working[5], 0);
	ck_assert_int_eq(cal.weekday_working[6], 0);
	ck_assert_int_eq(cal.session[0][0], 450);
	ck_assert_int_eq(cal.session[0][1], 690);
	ck_assert_int_eq(cal.session[1][0], 780);
	ck_assert_int_eq(cal.session[1][1], 1020);
	ck_assert_int_eq(cal.cutoff_minute, 900);
	ck_assert_ptr_null(cal.ex);
	ck_assert_uint_eq(cal.n_ex, 0);
	ck_assert_ptr_null(cal.covered_years);
	ck_assert_uint_eq(cal.n_covered, 0);
	ck_assert(deadline_day_seconds(&cal) == WORKDAY);
}
END_TEST

/* The fixture itself: sorted, unique, and every row really changes the
 * weekday rule (a weekday off, or a Saturday on). */
START_TEST(test_deadline_fixture_matches_weekday_rule)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	for (size_t i = 0; i < VN_N; i++) {
		int wd = date_weekday(vn_ex[i].day);
		if (i > 0)
			ck_assert_int_lt(vn_ex[i - 1].day, vn_ex[i].day);
		if (vn_ex[i].working)
			ck_assert_int_eq(wd, 5);
		else
			ck_assert_int_lt(wd, 5);
	}
	ck_assert_uint_eq(VN_N, 39);
}
END_TEST

START_TEST(test_deadline_is_working_day_vn)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
#define WD(y, m, d) deadline_is_working_day(&cal, date_from_civil(y, m, d))
	ck_assert_int_eq(WD(2026, 2, 13), 1);	/* Fri before Tết */
	ck_assert_int_eq(WD(2026, 2, 14), 0);	/* Sat */
	ck_assert_int_eq(WD(2026, 2, 16), 0);	/* Tết */
	ck_assert_int_eq(WD(2026, 2, 20), 0);
	ck_assert_int_eq(WD(2026, 2, 23), 1);	/* back to work */
	ck_assert_int_eq(WD(2026, 1, 2), 0);	/* bridge Friday */
	ck_assert_int_eq(WD(2026, 1, 10), 1);	/* make-up Saturday */
	ck_assert_int_eq(WD(2026, 1, 11), 0);	/* the Sunday after it */
	ck_assert_int_eq(WD(2026, 1, 17), 0);	/* an ordinary Saturday */
	ck_assert_int_eq(WD(2025, 4, 26), 1);
	ck_assert_int_eq(WD(2025, 5, 2), 0);
	ck_assert_int_eq(WD(2026, 4, 27), 0);	/* Hùng Kings observed */
	ck_assert_int_eq(WD(2026, 8, 22), 1);
	ck_assert_int_eq(WD(2026, 8, 31), 0);
	ck_assert_int_eq(WD(2026, 11, 24), 1);	/* pending, still working */
	ck_assert_int_eq(WD(2027, 2, 9), 0);
	ck_assert_int_eq(WD(2028, 1, 3), 1);	/* no data: weekday rule */
	ck_assert_int_eq(WD(1969, 12, 31), 1);	/* negative day number */
	ck_assert_int_eq(WD(1970, 1, 3), 0);
#undef WD
}
END_TEST

START_TEST(test_deadline_day_seconds_normalises_sessions)
{
	struct deadline_calendar cal;
	deadline_calendar_default(&cal);
	cal.session[1][0] = cal.session[1][1] = 0;	/* morning only */
	ck_assert(deadline_day_seconds(&cal) == 4 * HOUR);
	cal.session[0][0] = cal.session[0][1] = 600;	/* none at all */
	ck_assert(deadline_day_seconds(&cal) == 0);
	deadline_calendar_default(&cal);
	cal.session[0][1] = 800;	/* 07:30–13:20 overlaps 13:00–17:00 */
	ck_assert(deadline_day_seconds(&cal) == 570 * 60);
	cal.session[0][0] = 0;		/* whole day in two touching parts */
	cal.session[0][1] = 720;
	cal.session[1][0] = 720;
	cal.session[1][1] = 1440;
	ck_assert(deadline_day_seconds(&cal) == 86400);
}
END_TEST

/* ---- start of the clock -------------------------------------------------- */

START_TEST(test_deadline_start_mid_session)
{
	ck_assert_at(next_working(L(2026, 2, 13, 10, 0)), L(2026, 2, 13, 10, 0));
	ck_assert_at(next_working(L(2026, 2, 13, 14, 17) + 9),
		     L(2026, 2, 13, 14, 17) + 9);
}
END_TEST

START_TEST(test_deadline_start_session_boundaries)
{
	/* sessions are [start, end): the start counts, the end does not */
	ck_assert_at(next_working(L(2026, 2, 12, 7, 30)), L(2026, 2, 12, 7, 30));
	ck_assert_at(next_working(L(2026, 2, 12, 7, 30) - 1),
		     L(2026, 2, 12, 7, 30));
	ck_assert_at(next_working(L(2026, 2, 12, 11, 30) - 1),
		     L(2026, 2, 12, 11, 30) - 1);
	ck_assert_at(next_working(L(2026, 2, 12, 11, 30)), L(2026, 2, 12, 13, 0));
	ck_assert_at(next_working(L(2026, 2, 12, 13, 0)), L(2026, 2, 12, 13, 0));
	ck_assert_at(next_working(L(2026, 2, 12, 17, 0) - 1),
		     L(2026, 2, 12, 17, 0) - 1);
	ck_assert_at(next_working(L(2026, 2, 12, 17, 0)), L(2026, 2, 13, 7, 30));
}
END_TEST

START_TEST(test_deadline_start_before_opening)
{
	ck_assert_at(next_working(L(2026, 2, 13, 6, 0)), L(2026, 2, 13, 7, 30));
	ck_assert_at(next_working(L(2026, 2, 13, 0, 0)), L(2026, 2, 13, 7, 30));
}
END_TEST

START_TEST(test_deadline_start_lunch_gap)
{
	ck_assert_at(next_working(L(2026, 2, 13, 12, 0)), L(2026, 2, 13, 13, 0));
	ck_assert_at(next_working(L(2026, 2, 13, 12, 59)), L(2026, 2, 13, 13, 0));
}
END_TEST

START_TEST(test_deadline_start_after_hours)
{
	/* Thu evening → Fri morning */
	ck_assert_at(next_working(L(2026, 2, 12, 18, 0)), L(2026, 2, 13, 7, 30));
	ck_assert_at(next_working(L(2026, 2, 12, 23, 59)), L(2026, 2, 13, 7, 30));
	/* Fri 13/2 evening → after Tết, Mon 23/2 */
	ck_assert_at(next_working(L(2026, 2, 13, 17, 0)), L(2026, 2, 23, 7, 30));
}
END_TEST

START_TEST(test_deadline_start_weekend)
{
	ck_assert_at(next_working(L(2026, 2, 7, 10, 0)), L(2026, 2, 9, 7, 30));
	ck_assert_at(next_working(L(2026, 2, 8, 16, 0)), L(2026, 2, 9, 7, 30));
	/* Sunday just before midnight */
	ck_assert_at(next_working(L(2026, 2, 8, 23, 59)), L(2026, 2, 9, 7, 30));
}
END_TEST

START_TEST(test_deadline_start_holiday)
{
	/* Tết: Wed 18/2/2026 → Mon 23/2 */
	ck_assert_at(next_working(L(2026, 2, 18, 9, 0)), L(2026, 2, 23, 7, 30));
	/* Hùng Kings observed Mon 27/4/2026 → Tue 28/4 */
	ck_assert_at(next_working(L(2026, 4, 27, 10, 0)), L(2026, 4, 28, 7, 30));
	/* Wed 31/12/2025 after hours: Thu 1/1 holiday, Fri 2/1 bridge,
	 * weekend → Mon 5/1/2026 */
	ck_assert_at(next_working(L(2025, 12, 31, 17, 30)), L(2026, 1, 5, 7, 30));
	/* National Day 2026: Sat 29/8 … Wed 2/9 → Thu 3/9 */
	ck_assert_at(next_working(L(2026, 8, 28, 17, 0)), L(2026, 9, 3, 7, 30));
}
END_TEST

START_TEST(test_deadline_start_makeup_saturday)
{
	/* Sat 10/1/2026 is a working day */
	ck_assert_at(next_working(L(2026, 1, 10, 9, 0)), L(2026, 1, 10, 9, 0));
	ck_assert_at(next_working(L(2026, 1, 10, 6, 0)), L(2026, 1, 10, 7, 30));
	ck_assert_at(next_working(L(2026, 1, 10, 12, 0)), L(2026, 1, 10, 13, 0));
	ck_assert_at(next_working(L(2026, 1, 9, 18, 0)), L(2026, 1, 10, 7, 30));
	/* after its close: Sunday off → Monday */
	ck_assert_at(next_working(L(2026, 1, 10, 17, 0)), L(2026, 1, 12, 7, 30));
	/* Sat 22/8/2026 too */
	ck_assert_at(next_working(L(2026, 8, 21, 20, 0)), L(2026, 8, 22, 7, 30));
}
END_TEST

START_TEST(test_deadline_compute_reports_start)
{
	struct deadline_calendar cal;
	const int64_t sat = L(2026, 2, 7, 10, 0);
	const enum deadline_unit units[] = {
		DEADLINE_NONE, DEADLINE_WORK_HOURS, DEADLINE_WORK_DAYS,
		DEADLINE_CAL_DAYS, DEADLINE_IMMEDIATE
	};
	vn_calendar(&cal);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		ck_assert_at(due_of(&cal, sat, 2, units[i]).start,
			     L(2026, 2, 9, 7, 30));
		ck_assert_at(due_of(&cal, L(2026, 2, 9, 15, 30), 2,
				    units[i]).start, L(2026, 2, 9, 15, 30));
	}
}
END_TEST

/* ---- working days ---------------------------------------------------------- */

START_TEST(test_deadline_working_days_mid_session)
{
	/* Mon 9/2/2026 10:00 + 3 → Thu 12/2 10:00 */
	ck_assert_at(work_days_due(L(2026, 2, 9, 10, 0), 3), L(2026, 2, 12, 10, 0));
	ck_assert_at(work_days_due(L(2026, 2, 9, 10, 0), 1), L(2026, 2, 10, 10, 0));
	/* afternoon receipt keeps its clock time */
	ck_assert_at(work_days_due(L(2026, 2, 9, 14, 45), 2),
		     L(2026, 2, 11, 14, 45));
}
END_TEST

START_TEST(test_deadline_working_days_after_hours)
{
	/* Mon 18:00 + 1 → Tue 17:00 (end of the first whole day), not Wed */
	ck_assert_at(work_days_due(L(2026, 2, 9, 18, 0), 1), L(2026, 2, 10, 17, 0));
	ck_assert_at(work_days_due(L(2026, 2, 9, 18, 0), 2), L(2026, 2, 11, 17, 0));
	/* exactly at the close is already after hours */
	ck_assert_at(work_days_due(L(2026, 2, 9, 17, 0), 1), L(2026, 2, 10, 17, 0));
}
END_TEST

START_TEST(test_deadline_working_days_before_opening)
{
	/* Mon 06:00 + 1 → the same Monday 17:00 */
	ck_assert_at(work_days_due(L(2026, 2, 9, 6, 0), 1), L(2026, 2, 9, 17, 0));
	ck_assert_at(work_days_due(L(2026, 2, 9, 7, 30), 1), L(2026, 2, 9, 17, 0));
	ck_assert_at(work_days_due(L(2026, 2, 9, 7, 30), 2), L(2026, 2, 10, 17, 0));
}
END_TEST

START_TEST(test_deadline_working_days_lunch_gap)
{
	/* Mon 12:00: clock starts 13:00, four hours left that day; the other
	 * four end at Tue 11:30 (the earliest instant), not Tue 13:00 */
	ck_assert_at(work_days_due(L(2026, 2, 9, 12, 0), 1), L(2026, 2, 10, 11, 30));
	ck_assert_at(work_days_due(L(2026, 2, 9, 11, 30), 1),
		     L(2026, 2, 10, 11, 30));
}
END_TEST

START_TEST(test_deadline_working_days_received_weekend)
{
	ck_assert_at(work_days_due(L(2026, 2, 7, 10, 0), 1), L(2026, 2, 9, 17, 0));
	ck_assert_at(work_days_due(L(2026, 2, 8, 10, 0), 2), L(2026, 2, 10, 17, 0));
}
END_TEST

START_TEST(test_deadline_working_days_received_holiday)
{
	/* Tue 17/2/2026 is Mùng 1 Tết: the clock starts Mon 23/2 07:30 */
	ck_assert_at(work_days_due(L(2026, 2, 17, 9, 0), 1), L(2026, 2, 23, 17, 0));
	/* Thu 1/1/2026 → Mon 5/1 */
	ck_assert_at(work_days_due(L(2026, 1, 1, 10, 0), 3), L(2026, 1, 7, 17, 0));
}
END_TEST

START_TEST(test_deadline_working_days_span_weekend)
{
	/* Thu 5/2 10:00: Fri (1), Mon (2), Tue (3) */
	ck_assert_at(work_days_due(L(2026, 2, 5, 10, 0), 3), L(2026, 2, 10, 10, 0));
	/* Fri 16:00 + 1 → Mon 16:00 */
	ck_assert_at(work_days_due(L(2026, 2, 6, 16, 0), 1), L(2026, 2, 9, 16, 0));
}
END_TEST

START_TEST(test_deadline_working_days_span_tet_2026)
{
	/* Thu 12/2 10:00: Fri 13 (1), Tết 14–22, Mon 23 (2), Tue 24 (3) */
	ck_assert_at(work_days_due(L(2026, 2, 12, 10, 0), 3), L(2026, 2, 24, 10, 0));
	ck_assert_at(work_days_due(L(2026, 2, 13, 16, 0), 1), L(2026, 2, 23, 16, 0));
	ck_assert_at(work_days_due(L(2026, 2, 9, 10, 0), 5), L(2026, 2, 23, 10, 0));
	/* Tết 2025 (Mon 27/1 – Fri 31/1): Fri 24/1/2025 10:00 + 1 → Mon 3/2 */
	ck_assert_at(work_days_due(L(2025, 1, 24, 10, 0), 1), L(2025, 2, 3, 10, 0));
}
END_TEST

START_TEST(test_deadline_working_days_count_makeup_saturday)
{
	/* Thu 8/1/2026 10:00: Fri 9 (1), Sat 10 make-up (2), Mon 12 (3) */
	ck_assert_at(work_days_due(L(2026, 1, 8, 10, 0), 2), L(2026, 1, 10, 10, 0));
	ck_assert_at(work_days_due(L(2026, 1, 8, 10, 0), 3), L(2026, 1, 12, 10, 0));
	/* the same a week later, with an ordinary Saturday */
	ck_assert_at(work_days_due(L(2026, 1, 15, 10, 0), 2), L(2026, 1, 19, 10, 0));
	/* Sat 22/8/2026 make-up day */
	ck_assert_at(work_days_due(L(2026, 8, 20, 10, 0), 2), L(2026, 8, 22, 10, 0));
	/* Sat 26/4/2025 make-up day, then 30/4, 1/5 and bridge 2/5 off:
	 * Fri 25/4/2025 10:00: Sat 26 (1), Mon 28 (2), Tue 29 (3), Mon 5/5 (4) */
	ck_assert_at(work_days_due(L(2025, 4, 25, 10, 0), 4), L(2025, 5, 5, 10, 0));
}
END_TEST

START_TEST(test_deadline_working_days_received_makeup_saturday)
{
	ck_assert_at(work_days_due(L(2026, 1, 10, 10, 0), 1), L(2026, 1, 12, 10, 0));
	ck_assert_at(work_days_due(L(2026, 1, 10, 18, 0), 1), L(2026, 1, 12, 17, 0));
	ck_assert_at(work_days_due(L(2026, 1, 10, 7, 0), 1), L(2026, 1, 10, 17, 0));
}
END_TEST

START_TEST(test_deadline_working_days_national_day_2026)
{
	/* Fri 28/8 10:00: weekend, Mon 31/8 bridge, Tue 1/9, Wed 2/9 off */
	ck_assert_at(work_days_due(L(2026, 8, 28, 10, 0), 1), L(2026, 9, 3, 10, 0));
	/* Thu 27/8 + 3 → Fri 28 (1), Thu 3/9 (2), Fri 4/9 (3) */
	ck_assert_at(work_days_due(L(2026, 8, 27, 10, 0), 3), L(2026, 9, 4, 10, 0));
}
END_TEST

START_TEST(test_deadline_working_days_cross_year)
{
	struct deadline_calendar cal;
	struct deadline_result r;
	vn_calendar(&cal);

	/* Wed 31/12/2025 10:00 + 1: Thu 1/1 and Fri 2/1 off → Mon 5/1/2026 */
	r = due_of(&cal, L(2025, 12, 31, 10, 0), 1, DEADLINE_WORK_DAYS);
	ck_assert_at(r.due, L(2026, 1, 5, 10, 0));
	ck_assert_int_eq(r.uncovered_year, 0);
	/* Wed 30/12/2026 10:00: Thu 31 (1), Fri 1/1/2027 off, Mon 4/1 (2) */
	r = due_of(&cal, L(2026, 12, 30, 10, 0), 2, DEADLINE_WORK_DAYS);
	ck_assert_at(r.due, L(2027, 1, 4, 10, 0));
	ck_assert_int_eq(r.uncovered_year, 0);
	/* Thu 31/12/2026 after hours + 1 → Mon 4/1/2027 17:00 */
	ck_assert_at(work_days_due(L(2026, 12, 31, 17, 30), 1),
		     L(2027, 1, 4, 17, 0));
}
END_TEST

START_TEST(test_deadline_working_days_month_end)
{
	/* Fri 27/2/2026 + 2 → Mon 2/3 (1), Tue 3/3 (2) */
	ck_assert_at(work_days_due(L(2026, 2, 27, 10, 0), 2), L(2026, 3, 3, 10, 0));
	/* Fri 24/4/2026: Mon 27/4 Hùng Kings off → Tue 28/4 */
	ck_assert_at(work_days_due(L(2026, 4, 24, 10, 0), 1), L(2026, 4, 28, 10, 0));
	/* + 3: Tue 28 (1), Wed 29 (2), Thu 30/4 and Fri 1/5 off, Mon 4/5 (3) */
	ck_assert_at(work_days_due(L(2026, 4, 24, 10, 0), 3), L(2026, 5, 4, 10, 0));
	/* Fri 30/1/2026 + 1 → Mon 2/2 */
	ck_assert_at(work_days_due(L(2026, 1, 30, 10, 0), 1), L(2026, 2, 2, 10, 0));
}
END_TEST

/* 60 working days from Mon 5/1/2026: make-up Sat 10/1 counts, Tết's five
 * weekdays do not. The 60th working day counting Mon 5/1 itself is
 * Thu 2/4/2026. */
START_TEST(test_deadline_working_days_sixty)
{
	ck_assert_at(work_days_due(L(2026, 1, 5, 7, 30), 60), L(2026, 4, 2, 17, 0));
	ck_assert_at(work_days_due(L(2026, 1, 5, 10, 0), 60), L(2026, 4, 3, 10, 0));
	ck_assert_at(work_days_due(L(2026, 1, 4, 20, 0), 60), L(2026, 4, 2, 17, 0));
}
END_TEST

START_TEST(test_deadline_working_days_zero_is_start)
{
	ck_assert_at(work_days_due(L(2026, 2, 9, 18, 0), 0), L(2026, 2, 10, 7, 30));
	ck_assert_at(work_days_due(L(2026, 2, 9, 10, 0), 0), L(2026, 2, 9, 10, 0));
}
END_TEST

/* ---- working hours ----------------------------------------------------------- */

START_TEST(test_deadline_working_hours_same_day)
{
	/* Mon 9/2 10:00 + 4 h: 1.5 h to 11:30, lunch, 2.5 h from 13:00 */
	ck_assert_at(work_hours_due(L(2026, 2, 9, 10, 0), 4), L(2026, 2, 9, 15, 30));
	/* 11:00 + 1 h spans lunch */
	ck_assert_at(work_hours_due(L(2026, 2, 9, 11, 0), 1), L(2026, 2, 9, 13, 30));
	/* work filling the morning ends at 11:30, not at 13:00 */
	ck_assert_at(work_hours_due(L(2026, 2, 9, 7, 30), 4), L(2026, 2, 9, 11, 30));
	ck_assert_at(work_hours_due(L(2026, 2, 9, 7, 30), 8), L(2026, 2, 9, 17, 0));
	ck_assert_at(work_hours_due(L(2026, 2, 9, 12, 15), 4), L(2026, 2, 9, 17, 0));
}
END_TEST

START_TEST(test_deadline_working_hours_next_day)
{
	/* 16:00 + 8 h: 1 h today, 7 h tomorrow → Tue 16:00 */
	ck_assert_at(work_hours_due(L(2026, 2, 9, 16, 0), 8), L(2026, 2, 10, 16, 0));
	/* after hours + 16 h → Wed 17:00 */
	ck_assert_at(work_hours_due(L(2026, 2, 9, 18, 0), 16), L(2026, 2, 11, 17, 0));
	/* Fri 13/2 16:30 + 1 h: 30 min, then Tết → Mon 23/2 08:00 */
	ck_assert_at(work_hours_due(L(2026, 2, 13, 16, 30), 1), L(2026, 2, 23, 8, 0));
	/* make-up Saturday 10/1/2026 16:00 + 2 h → Mon 12/1 08:30 */
	ck_assert_at(work_hours_due(L(2026, 1, 10, 16, 0), 2), L(2026, 1, 12, 8, 30));
	/* 0 h from the lunch gap: the clock start */
	ck_assert_at(work_hours_due(L(2026, 2, 9, 12, 0), 0), L(2026, 2, 9, 13, 0));
}
END_TEST

START_TEST(test_deadline_add_seconds_exact)
{
	struct deadline_calendar cal;
	const int64_t mon = L(2026, 2, 9, 11, 0);
	vn_calendar(&cal);
	ck_assert_at(deadline_add(&cal, mon, 0), mon);
	ck_assert_at(deadline_add(&cal, mon, 1), mon + 1);
	ck_assert_at(deadline_add(&cal, mon, 1800), L(2026, 2, 9, 11, 30));
	ck_assert_at(deadline_add(&cal, mon, 1801), L(2026, 2, 9, 13, 0) + 1);
	ck_assert_at(deadline_add(&cal, mon, -5), mon);	/* negative = 0 */
	/* a session end is reached, never skipped past */
	ck_assert_at(deadline_add(&cal, L(2026, 2, 13, 13, 0), 4 * HOUR),
		     L(2026, 2, 13, 17, 0));
	ck_assert_at(deadline_add(&cal, L(2026, 2, 13, 13, 0), 4 * HOUR + 1),
		     L(2026, 2, 23, 7, 30) + 1);
}
END_TEST

/* ---- calendar days ----------------------------------------------------------- */

START_TEST(test_deadline_calendar_days_plain)
{
	/* Mon 9/2 + 3 = Thu 12/2, due at its close */
	ck_assert_at(cal_days_due(L(2026, 2, 9, 10, 0), 3), L(2026, 2, 12, 17, 0));
	/* the time of receipt does not matter, even after hours */
	ck_assert_at(cal_days_due(L(2026, 2, 9, 20, 0), 1), L(2026, 2, 10, 17, 0));
	ck_assert_at(cal_days_due(L(2026, 2, 9, 0, 0), 1), L(2026, 2, 10, 17, 0));
	/* received on a Saturday: Sat 7/2 + 2 = Mon 9/2 */
	ck_assert_at(cal_days_due(L(2026, 2, 7, 10, 0), 2), L(2026, 2, 9, 17, 0));
	/* 0 days: the close of the same day */
	ck_assert_at(cal_days_due(L(2026, 2, 9, 10, 0), 0), L(2026, 2, 9, 17, 0));
	/* month end: Wed 28/1/2026 + 5 = Mon 2/2 */
	ck_assert_at(cal_days_due(L(2026, 1, 28, 10, 0), 5), L(2026, 2, 2, 17, 0));
}
END_TEST

START_TEST(test_deadline_calendar_days_roll_forward)
{
	/* Thu 5/2 + 3 = Sun 8/2 → Mon 9/2 */
	ck_assert_at(cal_days_due(L(2026, 2, 5, 10, 0), 3), L(2026, 2, 9, 17, 0));
	/* Sat 7/2 + 10 = Tue 17/2, Tết → Mon 23/2 */
	ck_assert_at(cal_days_due(L(2026, 2, 7, 10, 0), 10), L(2026, 2, 23, 17, 0));
	/* Fri 13/2 + 3 = Mon 16/2, Tết → Mon 23/2 */
	ck_assert_at(cal_days_due(L(2026, 2, 13, 10, 0), 3), L(2026, 2, 23, 17, 0));
	/* Mon 19/1 + 30 = Wed 18/2 (Tết) → Mon 23/2 */
	ck_assert_at(cal_days_due(L(2026, 1, 19, 10, 0), 30), L(2026, 2, 23, 17, 0));
	/* Wed 7/1 + 3 = Sat 10/1, a make-up working day: no roll */
	ck_assert_at(cal_days_due(L(2026, 1, 7, 10, 0), 3), L(2026, 1, 10, 17, 0));
	/* Wed 14/1 + 3 = Sat 17/1, an ordinary Saturday → Mon 19/1 */
	ck_assert_at(cal_days_due(L(2026, 1, 14, 10, 0), 3), L(2026, 1, 19, 17, 0));
	/* Mon 24/8 + 7 = Mon 31/8 bridge; 1/9, 2/9 off → Thu 3/9 */
	ck_assert_at(cal_days_due(L(2026, 8, 24, 10, 0), 7), L(2026, 9, 3, 17, 0));
}
END_TEST

START_TEST(test_deadline_calendar_days_cross_year)
{
	struct deadline_calendar cal;
	struct deadline_result r;
	vn_calendar(&cal);
	/* Mon 28/12/2026 + 4 = Fri 1/1/2027, holiday → Mon 4/1/2027 */
	r = due_of(&cal, L(2026, 12, 28, 10, 0), 4, DEADLINE_CAL_DAYS);
	ck_assert_at(r.due, L(2027, 1, 4, 17, 0));
	ck_assert_int_eq(r.uncovered_year, 0);
	/* 2028 is a leap year: Mon 28/2/2028... (no data, weekday rule) */
	r = due_of(&cal, L(2028, 2, 28, 10, 0), 1, DEADLINE_CAL_DAYS);
	ck_assert_at(r.due, L(2028, 2, 29, 17, 0));
	ck_assert_int_eq(r.uncovered_year, 2028);
}
END_TEST

/* ---- immediate --------------------------------------------------------------- */

START_TEST(test_deadline_immediate_cutoff)
{
	/* Mon 9/2/2026 */
	ck_assert_at(immediate_due(L(2026, 2, 9, 14, 59)), L(2026, 2, 9, 17, 0));
	ck_assert_at(immediate_due(L(2026, 2, 9, 15, 0) - 1), L(2026, 2, 9, 17, 0));
	ck_assert_at(immediate_due(L(2026, 2, 9, 15, 0)), L(2026, 2, 10, 17, 0));
	ck_assert_at(immediate_due(L(2026, 2, 9, 16, 59)), L(2026, 2, 10, 17, 0));
	ck_assert_at(immediate_due(L(2026, 2, 9, 10, 0)), L(2026, 2, 9, 17, 0));
}
END_TEST

START_TEST(test_deadline_immediate_outside_hours)
{
	ck_assert_at(immediate_due(L(2026, 2, 9, 6, 0)), L(2026, 2, 9, 17, 0));
	ck_assert_at(immediate_due(L(2026, 2, 9, 12, 0)), L(2026, 2, 9, 17, 0));
	ck_assert_at(immediate_due(L(2026, 2, 9, 17, 0)), L(2026, 2, 10, 17, 0));
	ck_assert_at(immediate_due(L(2026, 2, 9, 18, 0)), L(2026, 2, 10, 17, 0));
	/* weekend: the cut-off does not apply to a day off */
	ck_assert_at(immediate_due(L(2026, 2, 7, 10, 0)), L(2026, 2, 9, 17, 0));
	ck_assert_at(immediate_due(L(2026, 2, 8, 16, 0)), L(2026, 2, 9, 17, 0));
}
END_TEST

START_TEST(test_deadline_immediate_friday_and_holidays)
{
	/* Fri 6/2 after the cut-off → Mon 9/2 */
	ck_assert_at(immediate_due(L(2026, 2, 6, 15, 30)), L(2026, 2, 9, 17, 0));
	/* Fri 13/2, last day before Tết */
	ck_assert_at(immediate_due(L(2026, 2, 13, 14, 0)), L(2026, 2, 13, 17, 0));
	ck_assert_at(immediate_due(L(2026, 2, 13, 15, 0)), L(2026, 2, 23, 17, 0));
	/* on a holiday */
	ck_assert_at(immediate_due(L(2026, 2, 17, 9, 0)), L(2026, 2, 23, 17, 0));
	/* Wed 31/12/2025 15:00 → Mon 5/1/2026 */
	ck_assert_at(immediate_due(L(2025, 12, 31, 15, 0)), L(2026, 1, 5, 17, 0));
	/* Fri 9/1/2026 after the cut-off → make-up Sat 10/1 */
	ck_assert_at(immediate_due(L(2026, 1, 9, 15, 0)), L(2026, 1, 10, 17, 0));
	/* on the make-up Saturday itself */
	ck_assert_at(immediate_due(L(2026, 1, 10, 9, 0)), L(2026, 1, 10, 17, 0));
	ck_assert_at(immediate_due(L(2026, 1, 10, 15, 30)), L(2026, 1, 12, 17, 0));
}
END_TEST

START_TEST(test_deadline_immediate_custom_cutoff)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	cal.cutoff_minute = 16 * 60;
	ck_assert_at(due_of(&cal, L(2026, 2, 9, 15, 30), 0,
			    DEADLINE_IMMEDIATE).due, L(2026, 2, 9, 17, 0));
	ck_assert_at(due_of(&cal, L(2026, 2, 9, 16, 0), 0,
			    DEADLINE_IMMEDIATE).due, L(2026, 2, 10, 17, 0));
	/* no cut-off at all (past midnight) */
	cal.cutoff_minute = 24 * 60;
	ck_assert_at(due_of(&cal, L(2026, 2, 9, 16, 59), 0,
			    DEADLINE_IMMEDIATE).due, L(2026, 2, 9, 17, 0));
	/* the value is ignored for immediate */
	ck_assert_at(due_of(&cal, L(2026, 2, 9, 10, 0), 7,
			    DEADLINE_IMMEDIATE).due, L(2026, 2, 9, 17, 0));
}
END_TEST

/* ---- between and pause --------------------------------------------------------- */

START_TEST(test_deadline_between_within_a_day)
{
	/* 10:00–11:30 and 13:00–15:00 */
	ck_assert(between(L(2026, 2, 9, 10, 0), L(2026, 2, 9, 15, 0)) ==
		  3 * HOUR + 1800);
	ck_assert(between(L(2026, 2, 9, 11, 0), L(2026, 2, 9, 13, 30)) == HOUR);
	ck_assert(between(L(2026, 2, 9, 12, 0), L(2026, 2, 9, 12, 30)) == 0);
	ck_assert(between(L(2026, 2, 9, 11, 30), L(2026, 2, 9, 13, 0)) == 0);
	ck_assert(between(L(2026, 2, 9, 0, 0), L(2026, 2, 10, 0, 0)) == WORKDAY);
	ck_assert(between(L(2026, 2, 9, 17, 0) - 1, L(2026, 2, 9, 17, 0)) == 1);
	/* empty and reversed intervals */
	ck_assert(between(L(2026, 2, 9, 10, 0), L(2026, 2, 9, 10, 0)) == 0);
	ck_assert(between(L(2026, 2, 9, 15, 0), L(2026, 2, 9, 10, 0)) == 0);
}
END_TEST

START_TEST(test_deadline_between_across_days)
{
	ck_assert(between(L(2026, 2, 9, 10, 0), L(2026, 2, 12, 10, 0)) ==
		  3 * WORKDAY);
	ck_assert(between(L(2026, 2, 6, 10, 0), L(2026, 2, 9, 10, 0)) == WORKDAY);
	/* across Tết 2026: Fri 13/2 10:00 → Mon 23/2 10:00 is one day */
	ck_assert(between(L(2026, 2, 13, 10, 0), L(2026, 2, 23, 10, 0)) ==
		  WORKDAY);
	/* the make-up Saturday has a full day; an ordinary one has none */
	ck_assert(between(L(2026, 1, 10, 0, 0), L(2026, 1, 11, 0, 0)) == WORKDAY);
	ck_assert(between(L(2026, 1, 17, 0, 0), L(2026, 1, 18, 0, 0)) == 0);
	/* before 1970 (negative local seconds): Mon 29/12/1969 … Mon 5/1 */
	ck_assert(between(L(1969, 12, 29, 0, 0), L(1970, 1, 5, 0, 0)) ==
		  5 * WORKDAY);
	ck_assert(between(L(1969, 12, 31, 16, 0), L(1970, 1, 1, 8, 0)) ==
		  HOUR + 1800);
}
END_TEST

/* Whole years against counts made by hand from the CSV: 261 weekdays in
 * each of 2025–2027; 2025: 12 off, 1 make-up; 2026: 13 off, 2 make-up;
 * 2027: 11 off. 250 working days each. */
START_TEST(test_deadline_between_whole_years)
{
	ck_assert(between(L(2025, 1, 1, 0, 0), L(2026, 1, 1, 0, 0)) ==
		  250 * (int64_t)WORKDAY);
	ck_assert(between(L(2026, 1, 1, 0, 0), L(2027, 1, 1, 0, 0)) ==
		  250 * (int64_t)WORKDAY);
	ck_assert(between(L(2027, 1, 1, 0, 0), L(2028, 1, 1, 0, 0)) ==
		  250 * (int64_t)WORKDAY);
	/* Tết week 2026 has no working time at all */
	ck_assert(between(L(2026, 2, 14, 0, 0), L(2026, 2, 23, 0, 0)) == 0);
}
END_TEST

/* Pause mode: remaining = between(paused, due); new due = add(resumed,
 * remaining). */
START_TEST(test_deadline_pause_resume)
{
	struct deadline_calendar cal;
	int64_t due, remaining;
	vn_calendar(&cal);

	/* received Mon 9/2/2026 10:00, 5 working days → Mon 23/2 10:00 */
	due = due_of(&cal, L(2026, 2, 9, 10, 0), 5, DEADLINE_WORK_DAYS).due;
	ck_assert_at(due, L(2026, 2, 23, 10, 0));
	/* paused Wed 11/2 14:00: Wed 3 h, Thu 8 h, Fri 8 h, Mon 2.5 h */
	remaining = deadline_between(&cal, L(2026, 2, 11, 14, 0), due);
	ck_assert(remaining == 21 * HOUR + 1800);
	/* resumed Mon 2/3 09:00: Mon 6.5 h, Tue 8 h, Wed 7 h → Wed 4/3 16:00 */
	ck_assert_at(deadline_add(&cal, L(2026, 3, 2, 9, 0), remaining),
		     L(2026, 3, 4, 16, 0));

	/* paused Fri 13/2 16:00 (3.5 h left), resumed on Sat 28/2 → the
	 * clock restarts Mon 2/3 07:30 → 11:00 */
	remaining = deadline_between(&cal, L(2026, 2, 13, 16, 0), due);
	ck_assert(remaining == 3 * HOUR + 1800);
	ck_assert_at(deadline_add(&cal, L(2026, 2, 28, 10, 0), remaining),
		     L(2026, 3, 2, 11, 0));

	/* paused and resumed during the same lunch: nothing changes */
	remaining = deadline_between(&cal, L(2026, 2, 10, 12, 0), due);
	ck_assert_at(deadline_add(&cal, L(2026, 2, 10, 12, 45), remaining), due);

	/* paused during Tết, resumed after it: still the same due */
	remaining = deadline_between(&cal, L(2026, 2, 16, 9, 0), due);
	ck_assert(remaining == 2 * HOUR + 1800);
	ck_assert_at(deadline_add(&cal, L(2026, 2, 22, 9, 0), remaining), due);

	/* paused after the due: nothing remains, the new due is the start */
	remaining = deadline_between(&cal, L(2026, 2, 24, 9, 0), due);
	ck_assert(remaining == 0);
	ck_assert_at(deadline_add(&cal, L(2026, 2, 24, 18, 0), remaining),
		     L(2026, 2, 25, 7, 30));
}
END_TEST

/* ---- covered years --------------------------------------------------------------- */

START_TEST(test_deadline_uncovered_year)
{
	struct deadline_calendar cal;
	struct deadline_result r;
	static const int gap[] = { 2026, 2028 };
	vn_calendar(&cal);

	/* Mon 20/12/2027 + 15 = Tue 4/1/2028: no 2028 data */
	r = due_of(&cal, L(2027, 12, 20, 10, 0), 15, DEADLINE_CAL_DAYS);
	ck_assert_at(r.due, L(2028, 1, 4, 17, 0));
	ck_assert_int_eq(r.uncovered_year, 2028);
	/* Mon 27/12/2027 + 5 working days → Mon 3/1/2028 (which would be the
	 * compensatory day for 1/1/2028: exactly why the warning matters) */
	r = due_of(&cal, L(2027, 12, 27, 10, 0), 5, DEADLINE_WORK_DAYS);
	ck_assert_at(r.due, L(2028, 1, 3, 10, 0));
	ck_assert_int_eq(r.uncovered_year, 2028);
	/* receipt year itself uncovered */
	r = due_of(&cal, L(2024, 12, 30, 10, 0), 1, DEADLINE_WORK_DAYS);
	ck_assert_at(r.due, L(2024, 12, 31, 10, 0));
	ck_assert_int_eq(r.uncovered_year, 2024);
	r = due_of(&cal, L(2024, 12, 31, 10, 0), 1, DEADLINE_WORK_DAYS);
	ck_assert_at(r.due, L(2025, 1, 2, 10, 0));
	ck_assert_int_eq(r.uncovered_year, 2024);
	/* fully covered */
	r = due_of(&cal, L(2025, 6, 2, 10, 0), 200, DEADLINE_WORK_DAYS);
	ck_assert_int_eq(r.uncovered_year, 0);
	/* a gap in the middle of the range */
	cal.covered_years = gap;
	cal.n_covered = 2;
	r = due_of(&cal, L(2026, 12, 28, 10, 0), 400, DEADLINE_CAL_DAYS);
	ck_assert_int_eq(r.uncovered_year, 2027);
	/* no covered years at all: the receipt year */
	cal.n_covered = 0;
	r = due_of(&cal, L(2026, 3, 2, 10, 0), 1, DEADLINE_IMMEDIATE);
	ck_assert_int_eq(r.uncovered_year, 2026);
}
END_TEST

START_TEST(test_deadline_unit_none)
{
	struct deadline_calendar cal;
	struct deadline_result r;
	vn_calendar(&cal);
	cal.n_covered = 0;
	r = due_of(&cal, L(2026, 2, 7, 10, 0), 5, DEADLINE_NONE);
	ck_assert(r.due == 0);
	ck_assert_at(r.start, L(2026, 2, 9, 7, 30));
	ck_assert_int_eq(r.uncovered_year, 0);
}
END_TEST

/* ---- errors and names ------------------------------------------------------------ */

START_TEST(test_deadline_compute_rejects_bad_input)
{
	struct deadline_calendar cal;
	struct deadline_result r = { 11, 22, 33 };
	vn_calendar(&cal);
	ck_assert_int_eq(deadline_compute(&cal, L(2026, 2, 9, 10, 0), -1,
					  DEADLINE_WORK_DAYS, &r), -1);
	ck_assert_int_eq(deadline_compute(&cal, L(2026, 2, 9, 10, 0), INT_MIN,
					  DEADLINE_CAL_DAYS, &r), -1);
	ck_assert_int_eq(deadline_compute(&cal, L(2026, 2, 9, 10, 0), 1,
					  (enum deadline_unit)99, &r), -1);
	ck_assert_int_eq(deadline_compute(&cal, L(2026, 2, 9, 10, 0), 1,
					  (enum deadline_unit)-1, &r), -1);
	/* the result is left alone on error */
	ck_assert(r.start == 11 && r.due == 22 && r.uncovered_year == 33);
}
END_TEST

START_TEST(test_deadline_unit_names)
{
	static const struct {
		enum deadline_unit unit;
		const char *name;
	} units[] = {
		{ DEADLINE_NONE, "none" },
		{ DEADLINE_WORK_HOURS, "working_hours" },
		{ DEADLINE_WORK_DAYS, "working_days" },
		{ DEADLINE_CAL_DAYS, "calendar_days" },
		{ DEADLINE_IMMEDIATE, "immediate" },
	};
	enum deadline_unit u;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		ck_assert_str_eq(deadline_unit_name(units[i].unit),
				 units[i].name);
		u = (enum deadline_unit)77;
		ck_assert_int_eq(deadline_unit_parse(units[i].name, &u), 0);
		ck_assert_int_eq(u, units[i].unit);
	}
	ck_assert_ptr_null(deadline_unit_name((enum deadline_unit)99));
	u = DEADLINE_IMMEDIATE;
	ck_assert_int_eq(deadline_unit_parse("Working_days", &u), -1);
	ck_assert_int_eq(deadline_unit_parse("working_days ", &u), -1);
	ck_assert_int_eq(deadline_unit_parse("working", &u), -1);
	ck_assert_int_eq(deadline_unit_parse("", &u), -1);
	ck_assert_int_eq(deadline_unit_parse(NULL, &u), -1);
	ck_assert_int_eq(u, DEADLINE_IMMEDIATE);
}
END_TEST

/* ---- odd calendars and limits ----------------------------------------------------- */

/* No working weekday and no exception: every function must return at
 * once (Check's timeout would catch a hang) with the input unchanged. */
START_TEST(test_deadline_no_working_day_never_hangs)
{
	struct deadline_calendar cal;
	const int64_t t = L(2026, 2, 9, 10, 0);
	const enum deadline_unit units[] = {
		DEADLINE_WORK_HOURS, DEADLINE_WORK_DAYS, DEADLINE_CAL_DAYS,
		DEADLINE_IMMEDIATE
	};
	deadline_calendar_default(&cal);
	memset(cal.weekday_working, 0, sizeof(cal.weekday_working));

	ck_assert(!deadline_is_working_day(&cal, date_from_civil(2026, 2, 9)));
	ck_assert_at(deadline_next_working(&cal, t), t);
	ck_assert_at(deadline_add(&cal, t, WORKDAY), t);
	ck_assert(deadline_between(&cal, t, t + 3650 * (int64_t)86400) == 0);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		struct deadline_result r = due_of(&cal, t, 3, units[i]);
		ck_assert_at(r.start, t);
		ck_assert_at(r.due, t);
	}
}
END_TEST

/* Only one working day exists (an exception): it is found, and asking for
 * more than it holds gives the input back. */
START_TEST(test_deadline_single_working_exception)
{
	static struct deadline_exception one[1];
	struct deadline_calendar cal;
	const int64_t t = L(2026, 1, 1, 0, 0);
	deadline_calendar_default(&cal);
	memset(cal.weekday_working, 0, sizeof(cal.weekday_working));
	one[0].day = date_from_civil(2026, 1, 10);
	one[0].working = 1;
	cal.ex = one;
	cal.n_ex = 1;

	ck_assert_at(deadline_next_working(&cal, t), L(2026, 1, 10, 7, 30));
	ck_assert_at(deadline_add(&cal, t, WORKDAY), L(2026, 1, 10, 17, 0));
	ck_assert_at(deadline_add(&cal, t, WORKDAY + 1), t);
	ck_assert_at(deadline_next_working(&cal, L(2026, 1, 10, 17, 0)),
		     L(2026, 1, 10, 17, 0));
	ck_assert(deadline_between(&cal, t, L(2027, 1, 1, 0, 0)) == WORKDAY);
	ck_assert_at(due_of(&cal, t, 2, DEADLINE_CAL_DAYS).due,
		     L(2026, 1, 10, 17, 0));
	ck_assert_at(due_of(&cal, L(2026, 1, 11, 0, 0), 2,
			    DEADLINE_CAL_DAYS).due, L(2026, 1, 11, 0, 0));
}
END_TEST

START_TEST(test_deadline_no_sessions)
{
	struct deadline_calendar cal;
	const int64_t t = L(2026, 2, 9, 10, 0);
	deadline_calendar_default(&cal);
	cal.session[0][0] = cal.session[0][1] = 0;
	cal.session[1][0] = cal.session[1][1] = 600;
	ck_assert(deadline_day_seconds(&cal) == 0);
	ck_assert_at(deadline_next_working(&cal, t), t);
	ck_assert_at(deadline_add(&cal, t, HOUR), t);
	ck_assert(deadline_between(&cal, t, t + 86400 * 30) == 0);
	ck_assert_at(due_of(&cal, t, 1, DEADLINE_WORK_DAYS).due, t);
	ck_assert_at(due_of(&cal, t, 1, DEADLINE_CAL_DAYS).due, t);
	ck_assert_at(due_of(&cal, t, 1, DEADLINE_IMMEDIATE).due, t);
}
END_TEST

START_TEST(test_deadline_single_session_office)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	cal.session[0][0] = 8 * 60;	/* 08:00–12:00 only */
	cal.session[0][1] = 12 * 60;
	cal.session[1][0] = cal.session[1][1] = 0;
	ck_assert(deadline_day_seconds(&cal) == 4 * HOUR);
	/* one working day is 4 h here */
	ck_assert_at(due_of(&cal, L(2026, 2, 9, 10, 0), 1,
			    DEADLINE_WORK_DAYS).due, L(2026, 2, 10, 10, 0));
	ck_assert_at(due_of(&cal, L(2026, 2, 9, 11, 0), 2,
			    DEADLINE_WORK_HOURS).due, L(2026, 2, 10, 9, 0));
	ck_assert_at(due_of(&cal, L(2026, 2, 9, 14, 0), 1,
			    DEADLINE_WORK_DAYS).due, L(2026, 2, 10, 12, 0));
	ck_assert_at(due_of(&cal, L(2026, 2, 9, 10, 0), 2,
			    DEADLINE_CAL_DAYS).due, L(2026, 2, 11, 12, 0));
	ck_assert_at(due_of(&cal, L(2026, 2, 9, 10, 0), 0,
			    DEADLINE_IMMEDIATE).due, L(2026, 2, 9, 12, 0));
}
END_TEST

START_TEST(test_deadline_sessions_in_reverse_order)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	cal.session[0][0] = 13 * 60;
	cal.session[0][1] = 17 * 60;
	cal.session[1][0] = 7 * 60 + 30;
	cal.session[1][1] = 11 * 60 + 30;
	ck_assert_at(deadline_next_working(&cal, L(2026, 2, 9, 6, 0)),
		     L(2026, 2, 9, 7, 30));
	ck_assert_at(due_of(&cal, L(2026, 2, 9, 12, 0), 1,
			    DEADLINE_WORK_DAYS).due, L(2026, 2, 10, 11, 30));
	ck_assert_at(due_of(&cal, L(2026, 2, 12, 10, 0), 3,
			    DEADLINE_WORK_DAYS).due, L(2026, 2, 24, 10, 0));
	ck_assert_at(due_of(&cal, L(2026, 2, 9, 10, 0), 0,
			    DEADLINE_IMMEDIATE).due, L(2026, 2, 9, 17, 0));
}
END_TEST

START_TEST(test_deadline_saturday_office)
{
	struct deadline_calendar cal;
	deadline_calendar_default(&cal);
	cal.weekday_working[5] = 1;
	/* Fri 6/2 10:00 + 1 → Sat 7/2 10:00; + 2 → Mon 9/2 */
	ck_assert_at(deadline_add(&cal, L(2026, 2, 6, 10, 0), WORKDAY),
		     L(2026, 2, 7, 10, 0));
	ck_assert_at(deadline_add(&cal, L(2026, 2, 6, 10, 0), 2 * WORKDAY),
		     L(2026, 2, 9, 10, 0));
	ck_assert(deadline_between(&cal, L(2026, 2, 2, 0, 0),
				   L(2026, 2, 9, 0, 0)) == 6 * WORKDAY);
}
END_TEST

START_TEST(test_deadline_long_spans_are_exact)
{
	struct deadline_calendar cal;
	struct deadline_result r;
	const int64_t mon = L(2026, 1, 5, 7, 30);
	deadline_calendar_default(&cal);

	/* 5000 working days = 1000 full weeks: ends on a Friday's close */
	r = due_of(&cal, mon, 5000, DEADLINE_WORK_DAYS);
	ck_assert_at(r.due, date_at(date_from_civil(2026, 1, 5) + 7 * 999 + 4,
				    17 * 60));
	ck_assert(deadline_between(&cal, mon, r.due) == 5000 * (int64_t)WORKDAY);

	/* the largest value a caller can pass, over the VN calendar */
	vn_calendar(&cal);
	r = due_of(&cal, L(2026, 2, 9, 10, 0), INT_MAX, DEADLINE_WORK_DAYS);
	ck_assert(r.due > L(2026, 2, 9, 10, 0));
	ck_assert(deadline_between(&cal, r.start, r.due) ==
		  (int64_t)INT_MAX * WORKDAY);
	r = due_of(&cal, L(2026, 2, 9, 10, 0), INT_MAX, DEADLINE_WORK_HOURS);
	ck_assert(deadline_between(&cal, r.start, r.due) ==
		  (int64_t)INT_MAX * HOUR);
	r = due_of(&cal, L(2026, 2, 9, 10, 0), INT_MAX, DEADLINE_CAL_DAYS);
	ck_assert(date_day_of(r.due) >= date_from_civil(2026, 2, 9));
	ck_assert(r.due / 86400 >= (int64_t)date_from_civil(2026, 2, 9) +
		  INT_MAX);
	/* absurd arguments neither overflow nor hang */
	ck_assert(deadline_add(&cal, L(2026, 2, 9, 10, 0), INT64_MAX) >
		  L(2026, 2, 9, 10, 0));
	ck_assert(deadline_between(&cal, INT64_MIN, INT64_MAX) > 0);
	ck_assert(deadline_next_working(&cal, INT64_MAX) > 0);
}
END_TEST

/* ---- properties --------------------------------------------------------------------- */

/* xorshift64: a fixed seed keeps failures reproducible. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int64_t rng_range(int64_t lo, int64_t hi)	/* [lo, hi) */
{
	return lo + (int64_t)(rng() % (uint64_t)(hi - lo));
}

/* Random instants: mostly 2025–2027, one in four around Tết 2026. */
static int64_t rng_instant(void)
{
	if (rng() % 4 == 0)
		return rng_range(L(2026, 2, 1, 0, 0), L(2026, 3, 1, 0, 0));
	return rng_range(L(2025, 1, 1, 0, 0), L(2028, 1, 1, 0, 0));
}

START_TEST(test_deadline_between_inverts_add)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	rng_state = 0x6d6f74637561ULL;
	for (int i = 0; i < 20000; i++) {
		int64_t s = rng_instant();
		int64_t w = rng_range(0, 60 * WORKDAY);
		int64_t nw = deadline_next_working(&cal, s);
		int64_t due = deadline_add(&cal, s, w);
		ck_assert_msg(deadline_between(&cal, nw, due) == w,
			      "s=%lld w=%lld", (long long)s, (long long)w);
		ck_assert(deadline_between(&cal, s, due) == w);
		ck_assert(due >= nw);
		/* earliest: one second less is not enough */
		if (w > 0)
			ck_assert(deadline_between(&cal, s, due - 1) == w - 1);
		/* pause at any point before the due and resume at once:
		 * the due does not move */
		if (due > s) {
			int64_t p = rng_range(s, due);
			ck_assert_at(deadline_add(&cal, p,
						  deadline_between(&cal, p, due)),
				     w > 0 ? due : nw);
		}
	}
}
END_TEST

START_TEST(test_deadline_add_is_monotonic)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	rng_state = 0x1234567887654321ULL;
	for (int i = 0; i < 5000; i++) {
		int64_t s = rng_instant();
		int64_t w = rng_range(0, 20 * WORKDAY);
		int64_t d0 = deadline_add(&cal, s, w);
		int64_t d1 = deadline_add(&cal, s, w + 1);
		int64_t d2 = deadline_add(&cal, s + 1, w);
		ck_assert(d1 > d0);
		ck_assert(d2 >= d0);
		/* additivity: w in two steps equals w in one */
		ck_assert_at(deadline_add(&cal, deadline_add(&cal, s, w / 3),
					  w - w / 3), d0);
		/* between of any interval, added back, lands within it */
		{
			int64_t e = s + rng_range(0, 40 * 86400);
			int64_t b = deadline_between(&cal, s, e);
			ck_assert(deadline_add(&cal, s, b) <= e ||
				  b == 0);
		}
	}
}
END_TEST

/* An independent, deliberately naive model: walk minute by minute, looking
 * each day up by linear search. Instants and work are whole minutes. */
struct ref_model {
	const struct deadline_calendar *cal;
	int64_t day;		/* cached day and its working flag */
	int working;
};

static int ref_day_working(struct ref_model *m, int64_t day)
{
	if (day != m->day) {
		int w = m->cal->weekday_working[date_weekday((int32_t)day)];
		for (size_t i = 0; i < m->cal->n_ex; i++)
			if (m->cal->ex[i].day == day)
				w = m->cal->ex[i].working;
		m->day = day;
		m->working = w;
	}
	return m->working;
}

/* Is the minute starting at t (a multiple of 60) working time? */
static int ref_minute(struct ref_model *m, int64_t t)
{
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int minute = (int)((t - day * 86400) / 60);
	if (!ref_day_working(m, day))
		return 0;
	for (int i = 0; i < 2; i++)
		if (minute >= m->cal->session[i][0] &&
		    minute < m->cal->session[i][1])
			return 1;
	return 0;
}

static int64_t ref_add(struct ref_model *m, int64_t s, int64_t minutes)
{
	int64_t t = s;
	while (!ref_minute(m, t))
		t += 60;
	while (minutes > 0) {
		if (ref_minute(m, t))
			minutes--;
		t += 60;
	}
	return t;
}

static int64_t ref_between(struct ref_model *m, int64_t a, int64_t b)
{
	int64_t n = 0;
	for (int64_t t = a; t < b; t += 60)
		n += ref_minute(m, t);
	return n * 60;
}

START_TEST(test_deadline_matches_naive_model)
{
	struct deadline_calendar cal;
	struct ref_model m;
	vn_calendar(&cal);
	m.cal = &cal;
	m.day = INT64_MIN;
	m.working = 0;
	rng_state = 0xdeadbeefcafef00dULL;
	for (int i = 0; i < 400; i++) {
		int64_t s = rng_instant() / 60 * 60;
		int64_t minutes = rng_range(0, 12 * 8 * 60);
		int64_t e = s + rng_range(0, 20 * 86400) / 60 * 60;
		int64_t want = ref_add(&m, s, minutes);
		ck_assert_at(deadline_add(&cal, s, minutes * 60), want);
		ck_assert(deadline_between(&cal, s, e) == ref_between(&m, s, e));
	}
}
END_TEST

/* Working days and working hours agree: n days = 8n hours. */
START_TEST(test_deadline_days_equal_eight_hours)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	rng_state = 42;
	for (int i = 0; i < 2000; i++) {
		int64_t s = rng_instant();
		int n = (int)rng_range(0, 30);
		ck_assert_at(due_of(&cal, s, n, DEADLINE_WORK_DAYS).due,
			     due_of(&cal, s, 8 * n, DEADLINE_WORK_HOURS).due);
	}
}
END_TEST

/* Calendar-days and immediate dues always land on a working day's close. */
START_TEST(test_deadline_day_units_end_at_close)
{
	struct deadline_calendar cal;
	vn_calendar(&cal);
	rng_state = 7;
	for (int i = 0; i < 3000; i++) {
		int64_t s = rng_instant();
		int n = (int)rng_range(0, 40);
		int64_t cd = due_of(&cal, s, n, DEADLINE_CAL_DAYS).due;
		int64_t im = due_of(&cal, s, 0, DEADLINE_IMMEDIATE).due;
		ck_assert_int_eq(date_second_of_day(cd), 17 * 3600);
		ck_assert(deadline_is_working_day(&cal, date_day_of(cd)));
		ck_assert(date_day_of(cd) >= date_day_of(s) + n);
		ck_assert_int_eq(date_second_of_day(im), 17 * 3600);
		ck_assert(deadline_is_working_day(&cal, date_day_of(im)));
		ck_assert(im > s);
		/* no working day is skipped when rolling forward */
		ck_assert(deadline_between(&cal, date_at(date_day_of(s) + n, 0),
					   date_at(date_day_of(cd), 0)) == 0);
	}
}
END_TEST

Suite *deadline_suite(void)
{
	Suite *s = suite_create("deadline");
	TCase *tc;

	tc = tcase_create("calendar");
	tcase_add_test(tc, test_deadline_default_calendar);
	tcase_add_test(tc, test_deadline_fixture_matches_weekday_rule);
	tcase_add_test(tc, test_deadline_is_working_day_vn);
	tcase_add_test(tc, test_deadline_day_seconds_normalises_sessions);
	suite_add_tcase(s, tc);

	tc = tcase_create("start");
	tcase_add_test(tc, test_deadline_start_mid_session);
	tcase_add_test(tc, test_deadline_start_session_boundaries);
	tcase_add_test(tc, test_deadline_start_before_opening);
	tcase_add_test(tc, test_deadline_start_lunch_gap);
	tcase_add_test(tc, test_deadline_start_after_hours);
	tcase_add_test(tc, test_deadline_start_weekend);
	tcase_add_test(tc, test_deadline_start_holiday);
	tcase_add_test(tc, test_deadline_start_makeup_saturday);
	tcase_add_test(tc, test_deadline_compute_reports_start);
	suite_add_tcase(s, tc);

	tc = tcase_create("working_days");
	tcase_add_test(tc, test_deadline_working_days_mid_session);
	tcase_add_test(tc, test_deadline_working_days_after_hours);
	tcase_add_test(tc, test_deadline_working_days_before_opening);
	tcase_add_test(tc, test_deadline_working_days_lunch_gap);
	tcase_add_test(tc, test_deadline_working_days_received_weekend);
	tcase_add_test(tc, test_deadline_working_days_received_holiday);
	tcase_add_test(tc, test_deadline_working_days_span_weekend);
	tcase_add_test(tc, test_deadline_working_days_span_tet_2026);
	tcase_add_test(tc, test_deadline_working_days_count_makeup_saturday);
	tcase_add_test(tc, test_deadline_working_days_received_makeup_saturday);
	tcase_add_test(tc, test_deadline_working_days_national_day_2026);
	tcase_add_test(tc, test_deadline_working_days_cross_year);
	tcase_add_test(tc, test_deadline_working_days_month_end);
	tcase_add_test(tc, test_deadline_working_days_sixty);
	tcase_add_test(tc, test_deadline_working_days_zero_is_start);
	suite_add_tcase(s, tc);

	tc = tcase_create("working_hours");
	tcase_add_test(tc, test_deadline_working_hours_same_day);
	tcase_add_test(tc, test_deadline_working_hours_next_day);
	tcase_add_test(tc, test_deadline_add_seconds_exact);
	suite_add_tcase(s, tc);

	tc = tcase_create("calendar_days");
	tcase_add_test(tc, test_deadline_calendar_days_plain);
	tcase_add_test(tc, test_deadline_calendar_days_roll_forward);
	tcase_add_test(tc, test_deadline_calendar_days_cross_year);
	suite_add_tcase(s, tc);

	tc = tcase_create("immediate");
	tcase_add_test(tc, test_deadline_immediate_cutoff);
	tcase_add_test(tc, test_deadline_immediate_outside_hours);
	tcase_add_test(tc, test_deadline_immediate_friday_and_holidays);
	tcase_add_test(tc, test_deadline_immediate_custom_cutoff);
	suite_add_tcase(s, tc);

	tc = tcase_create("pause");
	tcase_add_test(tc, test_deadline_between_within_a_day);
	tcase_add_test(tc, test_deadline_between_across_days);
	tcase_add_test(tc, test_deadline_between_whole_years);
	tcase_add_test(tc, test_deadline_pause_resume);
	suite_add_tcase(s, tc);

	tc = tcase_create("coverage");
	tcase_add_test(tc, test_deadline_uncovered_year);
	tcase_add_test(tc, test_deadline_unit_none);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_deadline_compute_rejects_bad_input);
	tcase_add_test(tc, test_deadline_unit_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_test(tc, test_deadline_no_working_day_never_hangs);
	tcase_add_test(tc, test_deadline_single_working_exception);
	tcase_add_test(tc, test_deadline_no_sessions);
	tcase_add_test(tc, test_deadline_single_session_office);
	tcase_add_test(tc, test_deadline_sessions_in_reverse_order);
	tcase_add_test(tc, test_deadline_saturday_office);
	tcase_add_test(tc, test_deadline_long_spans_are_exact);
	suite_add_tcase(s, tc);

	tc = tcase_create("properties");
	/* the naive model and ASan make these slower than the rest */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_deadline_between_inverts_add);
	tcase_add_test(tc, test_deadline_add_is_monotonic);
	tcase_add_test(tc, test_deadline_matches_naive_model);
	tcase_add_test(tc, test_deadline_days_equal_eight_hours);
	tcase_add_test(tc, test_deadline_day_units_end_at_close);
	suite_add_tcase(s, tc);
	return s;
}
