/*
 * motcua — calendar: the working calendar in effect, as a shared snapshot.
 *
 * The calendar (weekday rule and office hours from the config, dated
 * exceptions from the database) is read on every deadline computation, by
 * every HTTP thread, and changes a few times a year. So it is an immutable
 * snapshot: calendar_get() returns the current one with a reference, and
 * an admin's change builds a new one and publishes it; readers holding the
 * old one finish with it undisturbed.
 *
 * Ownership: calendar_get() gives a reference that must be returned with
 * calendar_put(). calendar_publish() takes over the snapshot passed in.
 */
#ifndef MOTCUA_CALENDAR_H
#define MOTCUA_CALENDAR_H

#include <stddef.h>

#include "deadline.h"

struct db;
struct config;

struct calendar {
	struct deadline_calendar dc;	/* points into the arrays below */
	struct deadline_exception *ex;
	size_t n_ex;
	int *years;			/* years with at least one exception */
	size_t n_years;
	int refs;
};

/* Build a snapshot from the config and the calendar_day table. NULL on a
 * database error. */
struct calendar *calendar_load(struct db *db, const struct config *cfg);
/* Make cal the current calendar. */
void calendar_publish(struct calendar *cal);
/* Reload from the database and publish. 0 ok, -1 error. */
int calendar_reload(struct db *db, const struct config *cfg);
struct calendar *calendar_get(void);
void calendar_put(struct calendar *cal);
/* 1 if the year has calendar data. */
int calendar_covers(const struct calendar *cal, int year);

#endif
