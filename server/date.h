/*
 * motcua — date: civil-calendar arithmetic and ISO 8601 text (pure).
 *
 * Three representations are used across motcua:
 *   - an instant: int64_t seconds since 1970-01-01T00:00:00Z (UTC);
 *   - local seconds: int64_t seconds since 1970-01-01T00:00 on the office's
 *     wall clock, i.e. instant + zone offset (see tz.h for the offset);
 *   - a day number: int32_t days since 1970-01-01 (may be negative).
 * Nothing here reads a clock or a time zone; offsets are passed in.
 *
 * Ownership: no allocation; output buffers are the caller's.
 */
#ifndef MOTCUA_DATE_H
#define MOTCUA_DATE_H

#include <stdint.h>

#define DATE_DAY_SECONDS 86400

/* Day number of a proleptic-Gregorian date (month 1–12, day 1–31). */
int32_t date_from_civil(int year, int month, int day);
/* Inverse of date_from_civil. */
void date_to_civil(int32_t day, int *year, int *month, int *mday);
/* Weekday of a day number: 0 = Monday … 6 = Sunday. */
int date_weekday(int32_t day);
/* 1 if year/month/day is a real date (e.g. 2026-02-29 is not). */
int date_valid(int year, int month, int day);
/* Day number containing local seconds t (floor division). */
int32_t date_day_of(int64_t local);
/* Seconds since local midnight, 0 … 86399. */
int date_second_of_day(int64_t local);
/* Local seconds of a day number at a minute of the day. */
int64_t date_at(int32_t day, int minute);

/* Parse "YYYY-MM-DD" exactly (no trailing characters). 0 ok, -1 bad. */
int date_parse_day(const char *s, int32_t *day);
/* Format a day number as "YYYY-MM-DD" (11 bytes with the NUL). */
void date_format_day(int32_t day, char out[11]);

/* Parse an ISO 8601 instant: "YYYY-MM-DDTHH:MM[:SS[.fraction]]" followed by
 * "Z" or "+HH:MM" / "-HH:MM" (also "+HHMM"). A space instead of 'T' is
 * accepted. Fractions are truncated. Without an offset the text is taken as
 * local time at default_offset seconds east of UTC. 0 ok, -1 bad (including
 * out-of-range fields such as month 13, hour 24, 2026-02-30). */
int date_parse_iso(const char *s, int default_offset, int64_t *instant);
/* Format an instant as "YYYY-MM-DDTHH:MM:SS+07:00" for an offset in
 * seconds east of UTC ("Z" is never used; +00:00 instead). out has room
 * for 26 bytes including the NUL. */
void date_format_iso(int64_t instant, int offset, char out[26]);
/* Format local seconds as "dd/mm/yyyy hh:mm" (17 bytes with the NUL), the
 * way Vietnamese forms print times. */
void date_format_vn(int64_t local, char out[17]);

#endif
