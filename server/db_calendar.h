/*
 * motcua — db_calendar: the dated exceptions of the working calendar.
 *
 * Ownership: rows are plain values.
 */
#ifndef MOTCUA_DB_CALENDAR_H
#define MOTCUA_DB_CALENDAR_H

#include <stdint.h>

#include "error.h"

struct db;
struct txn;

struct calday_row {
	char day[11];		/* YYYY-MM-DD */
	int working;		/* 1 make-up working day, 0 day off */
	char note[512];
	char kind[32];
	char status[32];
	char source[1024];
	int64_t updated_at;
};

/* Rows of one year in date order; calls fn per row. */
int db_calendar_year(struct db *db, int year, void (*fn)(const struct calday_row *c, void *ctx),
		     void *ctx);
/* 1 found, 0 not, -1 error. */
int db_calendar_get(struct db *db, const char *day, struct calday_row *out);
int db_calendar_put(struct txn *t, const struct calday_row *c, struct api_error *err);
/* 1 deleted, 0 there was none, -1 error. */
int db_calendar_delete(struct txn *t, const char *day, struct api_error *err);

#endif
