/*
 * motcua — tz: the office's time zone (UTC instants ⇄ local seconds).
 *
 * One zone per process, chosen at start-up from the config before any
 * thread starts: an IANA name from the system's tzdata
 * ("Asia/Ho_Chi_Minh", the default) or a fixed offset ("+07:00").
 * Conversions are thread-safe afterwards.
 *
 * Ownership: no allocation visible to callers.
 */
#ifndef MOTCUA_TZ_H
#define MOTCUA_TZ_H

#include <stddef.h>
#include <stdint.h>

/* 0 ok; -1 with a message when the zone is unknown. */
int tz_init(const char *name, char *err, size_t n);
/* Seconds east of UTC in effect at instant t. */
int tz_offset(int64_t t);
/* Instant → local seconds (date.h). */
int64_t tz_local(int64_t t);
/* Local seconds → instant (the earlier one when a local time repeats). */
int64_t tz_utc(int64_t local);
/* The zone's name as configured. */
const char *tz_name(void);

#endif
