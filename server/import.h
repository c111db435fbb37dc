/*
 * motcua — import: loading CSV files (the catalogue, the calendar, demo
 * accounts) into the database inside a write transaction.
 *
 * The formats are those of the reference data in schema/demo/ (see its
 * SOURCES.md): agencies and procedures as published, the calendar with
 * one row per dated exception, and two files of our own for the demo's
 * inter-agency chains and document checklists. Every function reads the
 * whole file, refuses the first bad row with "line N: message" (HTTP 422
 * "invalid_file" in err) and writes nothing more once it has refused: the
 * caller's transaction is rolled back.
 *
 * Ownership: the FILE is borrowed (and may be rewound); nothing is kept.
 */
#ifndef MOTCUA_IMPORT_H
#define MOTCUA_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"

struct txn;
struct principal;

struct import_count {
	int rows;	/* rows written */
	int skipped;	/* rows that changed nothing */
};

int import_agencies(struct txn *t, FILE *f, struct import_count *c, struct api_error *err);
int import_procedures(struct txn *t, FILE *f, struct import_count *c, struct api_error *err);
/* Chains: rules "code:X", "field:Y" (province procedures) or "level:L",
 * each a list of steps with a share of the legal limit; day_hours is the
 * length of a working day in hours. */
int import_chains(struct txn *t, FILE *f, int day_hours, struct import_count *c,
		  struct api_error *err);
/* Checklists: rules "code:X", "field:Y" or "default". */
int import_documents(struct txn *t, FILE *f, struct import_count *c, struct api_error *err);
/* Calendar exceptions (columns date, working; optional note, kind,
 * status, source). Rows that agree with the weekday rule are skipped.
 * Each imported year is recorded in the history as one event by actor. */
int import_calendar(struct txn *t, FILE *f, const unsigned char weekdays[7], int64_t now,
		    const struct principal *actor, struct import_count *c, struct api_error *err);
/* Demo accounts (username, full_name, role, agency_code, pii_access), all
 * with the same password hash. */
int import_users(struct txn *t, FILE *f, const char *password_hash, int64_t now,
		 struct import_count *c, struct api_error *err);

#endif
