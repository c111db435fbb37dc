/*
 * motcua — date: proleptic-Gregorian day numbers, local seconds and the
 * ISO 8601 / Vietnamese text forms of both. Pure: no clock, no time zone
 * database, no allocation; offsets come from the caller (tz.c).
 */
#include "date.h"

#include <limits.h>

/* Days from 0000-03-01 to 1970-01-01: the civil conversions count from a
 * March-based year so that the leap day is the last day of its year. */
#define EPOCH_SHIFT 719468
#define ERA_DAYS 146097		/* days in 400 Gregorian years */

/* The text forms have four-digit years, so formatting clamps to
 * 0001-01-01 … 9999-12-31 rather than write past the caller's buffer. */
#define DAY_MIN (-719162)
#define DAY_MAX 2932896

/* Floor division and modulo: C's operators truncate towards zero, which
 * would put 1969-12-31T23:59 on day 0 instead of day -1. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

static int is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int month_days(int year, int month)
{
	static const unsigned char len[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	if (month == 2 && is_leap(year))
		return 29;
	return len[month - 1];
}

/*
 * Howard Hinnant's days-from-civil, restated: shift the year to start on
 * 1 March, split it into 400-year eras (each exactly ERA_DAYS long), and
 * count days inside the era from the year of era and the day of year. The
 * month formula (153 * m + 2) / 5 gives the cumulative days of the
 * March-based months 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, (28|29).
 */
int32_t date_from_civil(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = floor_div(y, 400);
	int64_t year_of_era = y - era * 400;		/* 0 … 399 */
	int64_t march_month = (month + 9) % 12;	/* March = 0 */
	int64_t day_of_year = (153 * march_month + 2) / 5 + day - 1;
	int64_t day_of_era = year_of_era * 365 + year_of_era / 4 -
			     year_of_era / 100 + day_of_year;
	return (int32_t)(era * ERA_DAYS + day_of_era - EPOCH_SHIFT);
}

/* The inverse walk: era, then year of era (correcting for the leap days
 * already passed), then the March-based month from the day of year. */
void date_to_civil(int32_t day, int *year, int *month, int *mday)
{
	int64_t z = (int64_t)day + EPOCH_SHIFT;
	int64_t era = floor_div(z, ERA_DAYS);
	int64_t day_of_era = z - era * ERA_DAYS;	/* 0 … 146096 */
	int64_t year_of_era = (day_of_era - day_of_era / 1460 +
			       day_of_era / 36524 - day_of_era / 146096) / 365;
	int64_t day_of_year = day_of_era - (365 * year_of_era +
			      year_of_era / 4 - year_of_era / 100);
	int64_t march_month = (5 * day_of_year + 2) / 153;
	int64_t m = march_month < 10 ? march_month + 3 : march_month - 9;

	*mday = (int)(day_of_year - (153 * march_month + 2) / 5 + 1);
	*month = (int)m;
	*year = (int)(year_of_era + era * 400 + (m <= 2));
}

/* 1970-01-01 was a Thursday (3 when Monday is 0). */
int date_weekday(int32_t day)
{
	return (int)floor_mod((int64_t)day + 3, 7);
}

/* Years outside 1 … 9999 are rejected: every text form here has a
 * four-digit year, and a date that cannot be written cannot be valid. */
int date_valid(int year, int month, int day)
{
	if (year < 1 || year > 9999 || month < 1 || month > 12)
		return 0;
	return day >= 1 && day <= month_days(year, month);
}

int32_t date_day_of(int64_t local)
{
	int64_t day = floor_div(local, DATE_DAY_SECONDS);
	if (day < INT32_MIN)
		return INT32_MIN;
	if (day > INT32_MAX)
		return INT32_MAX;
	return (int32_t)day;
}

int date_second_of_day(int64_t local)
{
	return (int)floor_mod(local, DATE_DAY_SECONDS);
}

int64_t date_at(int32_t day, int minute)
{
	return (int64_t)day * DATE_DAY_SECONDS + (int64_t)minute * 60;
}

/* ---- text ---------------------------------------------------------------- */

/* Read exactly n decimal digits at *p; advances *p. 0 ok, -1 otherwise. */
static int read_digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

/* Consume one expected character. 0 ok, -1 otherwise. */
static int read_char(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

/* "YYYY-MM-DD" at *p, validated; advances *p past it. */
static int read_day(const char **p, int32_t *day)
{
	int y, m, d;
	if (read_digits(p, 4, &y) || read_char(p, '-') ||
	    read_digits(p, 2, &m) || read_char(p, '-') ||
	    read_digits(p, 2, &d) || !date_valid(y, m, d))
		return -1;
	*day = date_from_civil(y, m, d);
	return 0;
}

int date_parse_day(const char *s, int32_t *day)
{
	int32_t d;
	if (!s || read_day(&s, &d) || *s != '\0')
		return -1;
	*day = d;
	return 0;
}

/* Write v as exactly n digits (v is already within range). */
static char *put_digits(char *out, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return out + n;
}

static int32_t clamp_day(int64_t day)
{
	if (day < DAY_MIN)
		return DAY_MIN;
	if (day > DAY_MAX)
		return DAY_MAX;
	return (int32_t)day;
}

/* "YYYY-MM-DD" without the NUL; returns the end. */
static char *put_day(char *out, int32_t day)
{
	int y, m, d;
	date_to_civil(clamp_day(day), &y, &m, &d);
	out = put_digits(out, y, 4);
	*out++ = '-';
	out = put_digits(out, m, 2);
	*out++ = '-';
	return put_digits(out, d, 2);
}

void date_format_day(int32_t day, char out[11])
{
	*put_day(out, day) = '\0';
}

/* "HH:MM[:SS[.fraction]]" at *p; fills the seconds of the day. */
static int read_time(const char **p, int *sec_of_day)
{
	int h, m, s = 0;
	if (read_digits(p, 2, &h) || read_char(p, ':') ||
	    read_digits(p, 2, &m) || h > 23 || m > 59)
		return -1;
	if (**p == ':') {
		(*p)++;
		/* 60 (a leap second) is refused: instants here are POSIX
		 * seconds, which have no name for it. */
		if (read_digits(p, 2, &s) || s > 59)
			return -1;
		if (**p == '.') {
			(*p)++;
			if (**p < '0' || **p > '9')
				return -1;
			while (**p >= '0' && **p <= '9')
				(*p)++;	/* truncated: sub-second is noise here */
		}
	}
	*sec_of_day = h * 3600 + m * 60 + s;
	return 0;
}

/* The zone designator at *p: "", "Z", "+HH:MM", "-HH:MM", "+HHMM". Must
 * end the string. Fills the offset in seconds east of UTC. */
static int read_offset(const char **p, int default_offset, int *offset)
{
	int sign, h, m;

	if (**p == '\0') {
		*offset = default_offset;
		return 0;
	}
	if (**p == 'Z') {
		*offset = 0;
		(*p)++;
		return **p == '\0' ? 0 : -1;
	}
	if (**p != '+' && **p != '-')
		return -1;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (read_digits(p, 2, &h))
		return -1;
	if (**p == ':')
		(*p)++;
	if (read_digits(p, 2, &m) || h > 23 || m > 59 || **p != '\0')
		return -1;
	*offset = sign * (h * 3600 + m * 60);
	return 0;
}

int date_parse_iso(const char *s, int default_offset, int64_t *instant)
{
	int32_t day;
	int sec, offset;

	if (!s || read_day(&s, &day))
		return -1;
	if (*s != 'T' && *s != ' ')
		return -1;
	s++;
	if (read_time(&s, &sec) || read_offset(&s, default_offset, &offset))
		return -1;
	*instant = (int64_t)day * DATE_DAY_SECONDS + sec - offset;
	return 0;
}

/* "HH:MM" of a second of the day, without the NUL. */
static char *put_hhmm(char *out, int sec_of_day)
{
	out = put_digits(out, sec_of_day / 3600, 2);
	*out++ = ':';
	return put_digits(out, sec_of_day / 60 % 60, 2);
}

/* Local seconds bounded to the days the text forms can show, so that the
 * additions below cannot overflow for absurd inputs. */
static int64_t clamp_local(int64_t local)
{
	const int64_t lo = (int64_t)DAY_MIN * DATE_DAY_SECONDS;
	const int64_t hi = ((int64_t)DAY_MAX + 1) * DATE_DAY_SECONDS - 1;
	return local < lo ? lo : local > hi ? hi : local;
}

void date_format_iso(int64_t instant, int offset, char out[26])
{
	/* Bound the instant before adding the offset: real offsets are
	 * within a day, so a bound one day inside the range is enough. */
	const int64_t lim = ((int64_t)DAY_MAX + 2) * DATE_DAY_SECONDS;
	int64_t t = instant < -lim ? -lim : instant > lim ? lim : instant;
	int64_t local = clamp_local(t + offset);
	int sec = date_second_of_day(local);
	int64_t abs_off = offset < 0 ? -(int64_t)offset : offset;
	char *p = put_day(out, date_day_of(local));

	*p++ = 'T';
	p = put_hhmm(p, sec);
	*p++ = ':';
	p = put_digits(p, sec % 60, 2);
	*p++ = offset < 0 ? '-' : '+';
	/* Offsets are whole minutes in practice; seconds, if any, are not
	 * representable in the ±HH:MM form and are dropped. */
	if (abs_off > 23 * 3600 + 59 * 60)
		abs_off = 23 * 3600 + 59 * 60;
	p = put_hhmm(p, (int)abs_off);
	*p = '\0';
}

void date_format_vn(int64_t local, char out[17])
{
	int y, m, d;
	int64_t t = clamp_local(local);
	char *p = out;

	date_to_civil(date_day_of(t), &y, &m, &d);
	p = put_digits(p, d, 2);
	*p++ = '/';
	p = put_digits(p, m, 2);
	*p++ = '/';
	p = put_digits(p, y, 4);
	*p++ = ' ';
	p = put_hhmm(p, date_second_of_day(t));
	*p = '\0';
}
