/*
 * motcua tests — date: day numbers, civil dates, local seconds and the
 * ISO 8601 / Vietnamese text forms (server/date.c).
 */
#include <stdint.h>
#include <string.h>

#include "tests.h"
#include "date.h"

/* Local (or UTC) seconds of a wall-clock time, for readable expectations. */
static int64_t L(int y, int mo, int d, int h, int mi)
{
	return date_at(date_from_civil(y, mo, d), h * 60 + mi);
}

/* An independent month-length rule for the stepping oracle below. */
static int oracle_month_days(int y, int m)
{
	static const int len[13] = {
		0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int leap = (y % 400 == 0) || (y % 4 == 0 && y % 100 != 0);
	return m == 2 && leap ? 29 : len[m];
}

/* ---- civil ----------------------------------------------------------------- */

START_TEST(test_date_from_civil_known_days)
{
	ck_assert_int_eq(date_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(date_from_civil(1970, 1, 2), 1);
	ck_assert_int_eq(date_from_civil(1969, 12, 31), -1);
	ck_assert_int_eq(date_from_civil(1900, 1, 1), -25567);
	ck_assert_int_eq(date_from_civil(2000, 3, 1), 11017);
	ck_assert_int_eq(date_from_civil(2026, 2, 13), 20497);
	ck_assert_int_eq(date_from_civil(2026, 11, 22), 20779);
	ck_assert_int_eq(date_from_civil(2028, 2, 29), 21243);
	ck_assert_int_eq(date_from_civil(1, 1, 1), -719162);
	ck_assert_int_eq(date_from_civil(9999, 12, 31), 2932896);
}
END_TEST

/* Every day 1900-01-01 … 2200-12-31: to_civil agrees with a y/m/d counter
 * stepped one day at a time, and from_civil inverts it. Crosses the
 * non-leap centuries 1900 and 2100 and the leap century 2000. */
START_TEST(test_date_civil_round_trip_1900_2200)
{
	int y = 1900, m = 1, d = 1;
	int32_t first = date_from_civil(1900, 1, 1);
	int32_t last = date_from_civil(2200, 12, 31);

	ck_assert_int_eq(last - first + 1, 301 * 365 + 73);
	for (int32_t day = first; day <= last; day++) {
		int cy, cm, cd;
		date_to_civil(day, &cy, &cm, &cd);
		/* plain ifs: a Check assertion per day would dominate the
		 * run time (each one records its location) */
		if (cy != y || cm != m || cd != d)
			ck_abort_msg("day %d: got %d-%d-%d, expected %d-%d-%d",
				     (int)day, cy, cm, cd, y, m, d);
		if (date_from_civil(cy, cm, cd) != day || !date_valid(cy, cm, cd))
			ck_abort_msg("day %d: %d-%d-%d does not map back",
				     (int)day, cy, cm, cd);
		if (++d > oracle_month_days(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	ck_assert_int_eq(y, 2201);
}
END_TEST

START_TEST(test_date_to_civil_negative_and_far)
{
	int y, m, d;
	date_to_civil(-1, &y, &m, &d);
	ck_assert(y == 1969 && m == 12 && d == 31);
	date_to_civil(-719162, &y, &m, &d);
	ck_assert(y == 1 && m == 1 && d == 1);
	date_to_civil(-719163, &y, &m, &d);
	ck_assert(y == 0 && m == 12 && d == 31);
	date_to_civil(2932896, &y, &m, &d);
	ck_assert(y == 9999 && m == 12 && d == 31);
	date_to_civil(date_from_civil(1600, 2, 29), &y, &m, &d);
	ck_assert(y == 1600 && m == 2 && d == 29);
}
END_TEST

START_TEST(test_date_leap_day_2028)
{
	int32_t leap = date_from_civil(2028, 2, 29);
	int y, m, d;
	char buf[11];

	ck_assert_int_eq(leap + 1, date_from_civil(2028, 3, 1));
	ck_assert_int_eq(leap - 1, date_from_civil(2028, 2, 28));
	date_to_civil(leap + 1, &y, &m, &d);
	ck_assert(y == 2028 && m == 3 && d == 1);
	ck_assert_int_eq(date_weekday(leap), 1);	/* Tuesday */
	date_format_day(leap, buf);
	ck_assert_str_eq(buf, "2028-02-29");
	/* 2026 is not leap: 28 Feb is followed by 1 Mar. */
	ck_assert_int_eq(date_from_civil(2026, 2, 28) + 1,
			 date_from_civil(2026, 3, 1));
}
END_TEST

START_TEST(test_date_weekday_known_dates)
{
	ck_assert_int_eq(date_weekday(date_from_civil(2026, 11, 22)), 6);
	ck_assert_int_eq(date_weekday(0), 3);			/* Thu 1970-01-01 */
	ck_assert_int_eq(date_weekday(-1), 2);			/* Wed */
	ck_assert_int_eq(date_weekday(-7), 3);
	ck_assert_int_eq(date_weekday(date_from_civil(1900, 1, 1)), 0);
	ck_assert_int_eq(date_weekday(date_from_civil(2000, 1, 1)), 5);
	ck_assert_int_eq(date_weekday(date_from_civil(2026, 1, 1)), 3);
	ck_assert_int_eq(date_weekday(date_from_civil(2026, 1, 10)), 5);
	ck_assert_int_eq(date_weekday(date_from_civil(2026, 2, 16)), 0);
	ck_assert_int_eq(date_weekday(date_from_civil(2026, 2, 20)), 4);
	ck_assert_int_eq(date_weekday(date_from_civil(2027, 1, 1)), 4);
}
END_TEST

START_TEST(test_date_valid_rejects_impossible_dates)
{
	ck_assert(date_valid(2026, 2, 28));
	ck_assert(!date_valid(2026, 2, 29));
	ck_assert(date_valid(2028, 2, 29));
	ck_assert(date_valid(2000, 2, 29));
	ck_assert(!date_valid(1900, 2, 29));
	ck_assert(!date_valid(2100, 2, 29));
	ck_assert(!date_valid(2026, 4, 31));
	ck_assert(date_valid(2026, 12, 31));
	ck_assert(!date_valid(2026, 12, 32));
	ck_assert(!date_valid(2026, 0, 1));
	ck_assert(!date_valid(2026, 13, 1));
	ck_assert(!date_valid(2026, 1, 0));
	ck_assert(!date_valid(2026, 1, -1));
	ck_assert(!date_valid(0, 1, 1));
	ck_assert(!date_valid(10000, 1, 1));
	ck_assert(date_valid(1, 1, 1));
	ck_assert(date_valid(9999, 12, 31));
}
END_TEST

/* ---- local seconds --------------------------------------------------------- */

START_TEST(test_date_day_of_floors_negative_seconds)
{
	ck_assert_int_eq(date_day_of(0), 0);
	ck_assert_int_eq(date_second_of_day(0), 0);
	ck_assert_int_eq(date_day_of(86399), 0);
	ck_assert_int_eq(date_second_of_day(86399), 86399);
	ck_assert_int_eq(date_day_of(86400), 1);
	ck_assert_int_eq(date_day_of(-1), -1);
	ck_assert_int_eq(date_second_of_day(-1), 86399);
	ck_assert_int_eq(date_day_of(-86400), -1);
	ck_assert_int_eq(date_second_of_day(-86400), 0);
	ck_assert_int_eq(date_day_of(-86401), -2);
	ck_assert_int_eq(date_second_of_day(-86401), 86399);
	/* 1900-01-01 06:00 */
	ck_assert_int_eq(date_day_of(L(1900, 1, 1, 6, 0)), -25567);
	ck_assert_int_eq(date_second_of_day(L(1900, 1, 1, 6, 0)), 21600);
	ck_assert_int_eq(date_day_of(L(2026, 2, 13, 23, 59) + 59), 20497);
	ck_assert_int_eq(date_day_of(L(2026, 2, 14, 0, 0)), 20498);
}
END_TEST

START_TEST(test_date_at_minutes)
{
	ck_assert(date_at(0, 0) == 0);
	ck_assert(date_at(0, 450) == 27000);
	ck_assert(date_at(-1, 0) == -86400);
	ck_assert(date_at(-1, 1439) == -60);
	ck_assert(date_at(20497, 600) == (int64_t)20497 * 86400 + 36000);
	/* minute 1440 is the next midnight */
	ck_assert(date_at(20497, 1440) == date_at(20498, 0));
	ck_assert(date_at(2932896, 1439) == (int64_t)2932896 * 86400 + 86340);
}
END_TEST

/* ---- YYYY-MM-DD -------------------------------------------------------------- */

START_TEST(test_date_parse_day_strict)
{
	int32_t day = 12345;

	ck_assert_int_eq(date_parse_day("2026-02-13", &day), 0);
	ck_assert_int_eq(day, 20497);
	ck_assert_int_eq(date_parse_day("2028-02-29", &day), 0);
	ck_assert_int_eq(day, 21243);
	ck_assert_int_eq(date_parse_day("1969-12-31", &day), 0);
	ck_assert_int_eq(day, -1);

	day = 777;
	ck_assert_int_eq(date_parse_day("2026-02-29", &day), -1);
	ck_assert_int_eq(date_parse_day("2026-2-3", &day), -1);
	ck_assert_int_eq(date_parse_day("2026-02-3", &day), -1);
	ck_assert_int_eq(date_parse_day("2026-02-13x", &day), -1);
	ck_assert_int_eq(date_parse_day("2026-02-13 ", &day), -1);
	ck_assert_int_eq(date_parse_day(" 2026-02-13", &day), -1);
	ck_assert_int_eq(date_parse_day("2026-02-13T10:00", &day), -1);
	ck_assert_int_eq(date_parse_day("2026/02/13", &day), -1);
	ck_assert_int_eq(date_parse_day("20260213", &day), -1);
	ck_assert_int_eq(date_parse_day("2026-13-01", &day), -1);
	ck_assert_int_eq(date_parse_day("2026-00-10", &day), -1);
	ck_assert_int_eq(date_parse_day("2026-01-00", &day), -1);
	ck_assert_int_eq(date_parse_day("2026-01-32", &day), -1);
	ck_assert_int_eq(date_parse_day("0000-01-01", &day), -1);
	ck_assert_int_eq(date_parse_day("+026-01-01", &day), -1);
	ck_assert_int_eq(date_parse_day("2026-0a-01", &day), -1);
	ck_assert_int_eq(date_parse_day("2026-02", &day), -1);
	ck_assert_int_eq(date_parse_day("", &day), -1);
	ck_assert_int_eq(date_parse_day(NULL, &day), -1);
	ck_assert_int_eq(day, 777);	/* untouched on error */
}
END_TEST

START_TEST(test_date_format_day)
{
	char buf[11];

	date_format_day(20497, buf);
	ck_assert_str_eq(buf, "2026-02-13");
	date_format_day(0, buf);
	ck_assert_str_eq(buf, "1970-01-01");
	date_format_day(-1, buf);
	ck_assert_str_eq(buf, "1969-12-31");
	date_format_day(-25567, buf);
	ck_assert_str_eq(buf, "1900-01-01");
	date_format_day(date_from_civil(2026, 12, 31), buf);
	ck_assert_str_eq(buf, "2026-12-31");
	date_format_day(date_from_civil(5, 6, 7), buf);
	ck_assert_str_eq(buf, "0005-06-07");
	/* outside four-digit years: clamped, never past the buffer */
	date_format_day(INT32_MAX, buf);
	ck_assert_str_eq(buf, "9999-12-31");
	date_format_day(INT32_MIN, buf);
	ck_assert_str_eq(buf, "0001-01-01");
}
END_TEST

START_TEST(test_date_parse_format_day_round_trip)
{
	char buf[11];
	int32_t back;
	for (int32_t day = date_from_civil(1999, 1, 1);
	     day <= date_from_civil(2030, 12, 31); day++) {
		date_format_day(day, buf);
		if (date_parse_day(buf, &back) != 0 || back != day)
			ck_abort_msg("day %d: \"%s\" did not parse back",
				     (int)day, buf);
	}
}
END_TEST

/* ---- ISO 8601 instants --------------------------------------------------------- */

#define VN (7 * 3600)

START_TEST(test_date_parse_iso_offsets)
{
	int64_t t = 0;
	const int64_t utc10 = L(2026, 2, 13, 10, 0);	/* 10:00Z */

	ck_assert_int_eq(date_parse_iso("2026-02-13T10:00:00Z", VN, &t), 0);
	ck_assert(t == utc10);
	ck_assert_int_eq(date_parse_iso("2026-02-13T17:00:00+07:00", 0, &t), 0);
	ck_assert(t == utc10);
	ck_assert_int_eq(date_parse_iso("2026-02-13T17:00:00+0700", 0, &t), 0);
	ck_assert(t == utc10);
	ck_assert_int_eq(date_parse_iso("2026-02-13T04:30:00-05:30", VN, &t), 0);
	ck_assert(t == utc10);
	ck_assert_int_eq(date_parse_iso("2026-02-13T04:30:00-0530", VN, &t), 0);
	ck_assert(t == utc10);
	ck_assert_int_eq(date_parse_iso("2026-02-13T10:00:00+00:00", VN, &t), 0);
	ck_assert(t == utc10);
	ck_assert_int_eq(date_parse_iso("2026-02-13T10:00:00-00:00", VN, &t), 0);
	ck_assert(t == utc10);
	/* the offset moves the date across midnight */
	ck_assert_int_eq(date_parse_iso("2026-02-14T03:00:00+07:00", 0, &t), 0);
	ck_assert(t == L(2026, 2, 13, 20, 0));
	ck_assert_int_eq(date_parse_iso("2026-01-01T00:00:00+07:00", 0, &t), 0);
	ck_assert(t == L(2025, 12, 31, 17, 0));
}
END_TEST

START_TEST(test_date_parse_iso_forms)
{
	int64_t t = 0;
	const int64_t utc10 = L(2026, 2, 13, 10, 0);

	/* no offset: the default (Vietnam, +07:00) */
	ck_assert_int_eq(date_parse_iso("2026-02-13T17:00:00", VN, &t), 0);
	ck_assert(t == utc10);
	ck_assert_int_eq(date_parse_iso("2026-02-13T10:00:00", 0, &t), 0);
	ck_assert(t == utc10);
	/* space instead of T */
	ck_assert_int_eq(date_parse_iso("2026-02-13 17:00:00", VN, &t), 0);
	ck_assert(t == utc10);
	ck_assert_int_eq(date_parse_iso("2026-02-13 10:00Z", VN, &t), 0);
	ck_assert(t == utc10);
	/* seconds optional */
	ck_assert_int_eq(date_parse_iso("2026-02-13T17:00", VN, &t), 0);
	ck_assert(t == utc10);
	ck_assert_int_eq(date_parse_iso("2026-02-13T17:00+07:00", 0, &t), 0);
	ck_assert(t == utc10);
	/* fractions are truncated, never rounded up */
	ck_assert_int_eq(date_parse_iso("2026-02-13T10:00:05.999Z", 0, &t), 0);
	ck_assert(t == utc10 + 5);
	ck_assert_int_eq(date_parse_iso("2026-02-13T10:00:05.123456789+00:00",
					0, &t), 0);
	ck_assert(t == utc10 + 5);
	ck_assert_int_eq(date_parse_iso("2026-02-13T17:00:59.5", VN, &t), 0);
	ck_assert(t == utc10 + 59);
	/* edges of the day, leap day, before 1970 */
	ck_assert_int_eq(date_parse_iso("2026-02-13T23:59:59Z", 0, &t), 0);
	ck_assert(t == L(2026, 2, 13, 23, 59) + 59);
	ck_assert_int_eq(date_parse_iso("2028-02-29T00:00:00Z", 0, &t), 0);
	ck_assert(t == L(2028, 2, 29, 0, 0));
	ck_assert_int_eq(date_parse_iso("1969-12-31T23:59:59Z", 0, &t), 0);
	ck_assert(t == -1);
	ck_assert_int_eq(date_parse_iso("1900-01-01T07:00:00+07:00", 0, &t), 0);
	ck_assert(t == (int64_t)-25567 * 86400);
}
END_TEST

START_TEST(test_date_parse_iso_rejects_bad_input)
{
	static const char *const bad[] = {
		"2026-02-13T24:00:00Z",		/* hour 24 */
		"2026-02-13T10:60:00Z",		/* minute 60 */
		"2026-02-13T10:00:60Z",		/* second 60 */
		"2026-13-13T10:00:00Z",		/* month 13 */
		"2026-00-13T10:00:00Z",		/* month 0 */
		"2026-02-00T10:00:00Z",		/* day 0 */
		"2026-02-29T10:00:00Z",		/* not a leap year */
		"2026-02-30T10:00:00Z",
		"2026-04-31T10:00:00Z",
		"2026-02-13",			/* no time */
		"2026-02-13T",
		"2026-02-13T10",		/* no minutes */
		"2026-02-13T10:",
		"2026-02-13T1:00:00Z",
		"2026-02-13T10:0:00Z",
		"2026-02-13T10:00:0Z",
		"2026-02-13T10:00:00.Z",	/* empty fraction */
		"2026-02-13T10:00.5Z",		/* fraction without seconds */
		"2026-02-13X10:00:00Z",		/* bad separator */
		"2026-02-13t10:00:00Z",
		"2026-02-13T10:00:00 Z",
		"2026-02-13T10:00:00ZZ",	/* junk after the zone */
		"2026-02-13T10:00:00Zjunk",
		"2026-02-13T10:00:00+07",	/* incomplete offsets */
		"2026-02-13T10:00:00+7:00",
		"2026-02-13T10:00:00+07:0",
		"2026-02-13T10:00:00+07:00:00",
		"2026-02-13T10:00:00+24:00",
		"2026-02-13T10:00:00+07:60",
		"2026-02-13T10:00:00+",
		"2026-02-13T10:00:00 +07:00",
		"2026-02-13T10:00:00junk",
		"2026-2-13T10:00:00Z",
		"26-02-13T10:00:00Z",
		"T10:00:00Z",
		"junk",
		"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t t = 4242;
		ck_assert_msg(date_parse_iso(bad[i], VN, &t) == -1,
			      "accepted \"%s\"", bad[i]);
		ck_assert_msg(t == 4242, "\"%s\" wrote the output", bad[i]);
	}
	{
		int64_t t = 4242;
		ck_assert_int_eq(date_parse_iso(NULL, VN, &t), -1);
	}
}
END_TEST

START_TEST(test_date_format_iso_offsets)
{
	char buf[26];
	const int64_t utc10 = L(2026, 2, 13, 10, 0);

	date_format_iso(utc10, VN, buf);
	ck_assert_str_eq(buf, "2026-02-13T17:00:00+07:00");
	date_format_iso(utc10, 0, buf);
	ck_assert_str_eq(buf, "2026-02-13T10:00:00+00:00");
	date_format_iso(utc10, -(5 * 3600 + 30 * 60), buf);
	ck_assert_str_eq(buf, "2026-02-13T04:30:00-05:30");
	date_format_iso(utc10, 5 * 3600 + 45 * 60, buf);
	ck_assert_str_eq(buf, "2026-02-13T15:45:00+05:45");
	date_format_iso(utc10 + 17 * 3600 + 59, VN, buf);	/* next day */
	ck_assert_str_eq(buf, "2026-02-14T10:00:59+07:00");
	date_format_iso(utc10 - 15 * 3600, -10 * 3600, buf);	/* previous */
	ck_assert_str_eq(buf, "2026-02-12T09:00:00-10:00");
	date_format_iso(-1, 0, buf);
	ck_assert_str_eq(buf, "1969-12-31T23:59:59+00:00");
	date_format_iso(-1, VN, buf);
	ck_assert_str_eq(buf, "1970-01-01T06:59:59+07:00");
	date_format_iso(L(2025, 12, 31, 17, 0), VN, buf);
	ck_assert_str_eq(buf, "2026-01-01T00:00:00+07:00");
	ck_assert_uint_eq(strlen(buf), 25);
}
END_TEST

START_TEST(test_date_iso_round_trip)
{
	static const int offsets[] = { 0, VN, -(5 * 3600 + 30 * 60), 14 * 3600,
				       -12 * 3600 };
	char buf[26];
	int64_t back;
	/* a step of 102947 s (coprime with a day) over 1968 … 2031 visits
	 * every part of the day */
	for (int64_t t = L(1968, 1, 1, 0, 0); t < L(2031, 1, 1, 0, 0);
	     t += 7919 * 13) {
		for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
			date_format_iso(t, offsets[i], buf);
			if (date_parse_iso(buf, 12345, &back) != 0 || back != t)
				ck_abort_msg("%lld: \"%s\" did not parse back",
					     (long long)t, buf);
		}
	}
}
END_TEST

START_TEST(test_date_format_vn)
{
	char buf[17];

	date_format_vn(L(2026, 2, 13, 17, 0), buf);
	ck_assert_str_eq(buf, "13/02/2026 17:00");
	date_format_vn(L(2026, 2, 13, 7, 30) + 59, buf);	/* seconds dropped */
	ck_assert_str_eq(buf, "13/02/2026 07:30");
	date_format_vn(L(2028, 2, 29, 0, 0), buf);
	ck_assert_str_eq(buf, "29/02/2028 00:00");
	date_format_vn(L(2026, 12, 31, 23, 59), buf);
	ck_assert_str_eq(buf, "31/12/2026 23:59");
	date_format_vn(-60, buf);
	ck_assert_str_eq(buf, "31/12/1969 23:59");
	date_format_vn(L(1900, 1, 1, 8, 5), buf);
	ck_assert_str_eq(buf, "01/01/1900 08:05");
	ck_assert_uint_eq(strlen(buf), 16);
}
END_TEST

Suite *date_suite(void)
{
	Suite *s = suite_create("date");
	TCase *tc;

	tc = tcase_create("civil");
	tcase_add_test(tc, test_date_from_civil_known_days);
	tcase_add_test(tc, test_date_civil_round_trip_1900_2200);
	tcase_add_test(tc, test_date_to_civil_negative_and_far);
	tcase_add_test(tc, test_date_leap_day_2028);
	tcase_add_test(tc, test_date_weekday_known_dates);
	tcase_add_test(tc, test_date_valid_rejects_impossible_dates);
	suite_add_tcase(s, tc);

	tc = tcase_create("local");
	tcase_add_test(tc, test_date_day_of_floors_negative_seconds);
	tcase_add_test(tc, test_date_at_minutes);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse");
	tcase_add_test(tc, test_date_parse_day_strict);
	tcase_add_test(tc, test_date_parse_iso_offsets);
	tcase_add_test(tc, test_date_parse_iso_forms);
	tcase_add_test(tc, test_date_parse_iso_rejects_bad_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, test_date_format_day);
	tcase_add_test(tc, test_date_parse_format_day_round_trip);
	tcase_add_test(tc, test_date_format_iso_offsets);
	tcase_add_test(tc, test_date_iso_round_trip);
	tcase_add_test(tc, test_date_format_vn);
	suite_add_tcase(s, tc);
	return s;
}
