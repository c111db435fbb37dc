/*
 * motcua — deadline: working-time arithmetic over an office calendar (pure).
 *
 * All instants here are local seconds (see date.h): the caller converts
 * from and to UTC with tz.h. Nothing reads a clock: "now" is an argument.
 *
 * The working calendar is a weekday pattern (Mon–Fri by default), a sorted
 * list of dated exceptions (a holiday on a weekday, or a make-up working
 * Saturday) and up to two office sessions a day (07:30–11:30, 13:00–17:00
 * by default). Working time exists only inside sessions of working days.
 *
 * Rules (see README "Deadlines" and ../shared/reference/domain-rules.md §4):
 *  - The clock starts at the first working instant at or after receipt
 *    (receipt outside office hours counts from the next working session).
 *  - Working hours / working days add working time from that start; one
 *    working day is the total length of a day's sessions (8 h by default).
 *    The due instant is the earliest instant at which that much working
 *    time has elapsed: received Mon 10:00 + 3 working days = Thu 10:00;
 *    received after hours Mon 18:00 + 1 working day = Tue 17:00 (the end
 *    of the first whole working day), never "Wed 07:30".
 *  - Calendar days: the period starts the day after receipt and ends on
 *    the receipt date + N (Civil Code Art 147–148); a last day that is not
 *    a working day rolls forward to the next working day; the due instant
 *    is the end of that day's last session.
 *  - Immediate: the same working day, due at the end of its last session;
 *    received on a working day at or after the cut-off (15:00), the next
 *    working day. Received outside working days/hours: the day the clock
 *    starts.
 *
 * Ownership: struct deadline_calendar borrows its arrays; the caller keeps
 * them alive, sorted and unique while the calendar is in use.
 */
#ifndef MOTCUA_DEADLINE_H
#define MOTCUA_DEADLINE_H

#include <stddef.h>
#include <stdint.h>

struct deadline_exception {
	int32_t day;	/* day number (date.h) */
	int working;	/* 1 = make-up working day, 0 = day off */
};

struct deadline_calendar {
	unsigned char weekday_working[7];	/* 0 = Monday … 6 = Sunday */
	int session[2][2];	/* {start, end} minutes after midnight; a
				 * session with start == end is unused */
	int cutoff_minute;	/* same-day cut-off for immediate, 900 = 15:00 */
	const struct deadline_exception *ex;	/* sorted by day, unique */
	size_t n_ex;
	const int *covered_years;	/* years with calendar data, sorted */
	size_t n_covered;
};

enum deadline_unit {
	DEADLINE_NONE,		/* no published limit: no due time */
	DEADLINE_WORK_HOURS,
	DEADLINE_WORK_DAYS,
	DEADLINE_CAL_DAYS,
	DEADLINE_IMMEDIATE,
};

struct deadline_result {
	int64_t start;		/* when the clock starts (local seconds) */
	int64_t due;		/* due instant (local seconds); 0 for NONE */
	int uncovered_year;	/* first year between receipt and due with no
				 * calendar data (not in covered_years), else 0 */
};

/* Fill cal with the defaults: Mon–Fri, 07:30–11:30 and 13:00–17:00,
 * cut-off 15:00, no exceptions, no covered years. */
void deadline_calendar_default(struct deadline_calendar *cal);

/* 1 if day is a working day (exception first, then the weekday rule). */
int deadline_is_working_day(const struct deadline_calendar *cal, int32_t day);

/* Working seconds in one working day (sum of the sessions). */
int64_t deadline_day_seconds(const struct deadline_calendar *cal);

/* The first working instant >= t: t itself when inside a session of a
 * working day, else the start of the next session. */
int64_t deadline_next_working(const struct deadline_calendar *cal, int64_t t);

/* The earliest instant at which `work` seconds of working time have
 * elapsed since start (work >= 0; work == 0 gives next_working(start)). */
int64_t deadline_add(const struct deadline_calendar *cal, int64_t start,
		     int64_t work);

/* Working seconds inside [a, b); 0 when b <= a. */
int64_t deadline_between(const struct deadline_calendar *cal, int64_t a,
			 int64_t b);

/* The due instant for a limit of `value` units received at `received`.
 * 0 ok, -1 for a negative value or an unknown unit. */
int deadline_compute(const struct deadline_calendar *cal, int64_t received,
		     int value, enum deadline_unit unit,
		     struct deadline_result *out);

/* Names used in the database, the API and the CSV files:
 * "none", "working_hours", "working_days", "calendar_days", "immediate". */
const char *deadline_unit_name(enum deadline_unit unit);
/* 0 ok, -1 unknown name. */
int deadline_unit_parse(const char *name, enum deadline_unit *unit);

#endif
