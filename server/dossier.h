/*
 * motcua — dossier: receiving a dossier (the intake transaction) and the
 * deadline of a procedure for a channel and instant.
 *
 * These functions run inside a write transaction (struct txn) and are the
 * only way dossiers come into being: the HTTP API, the demo seeder and the
 * benchmarks all call them, so every dossier has the same code, deadline
 * and history rules.
 *
 * Ownership: inputs are borrowed for the call; results are copied into
 * caller structs.
 */
#ifndef MOTCUA_DOSSIER_H
#define MOTCUA_DOSSIER_H

#include <stdint.h>

#include "db_dossier.h"
#include "lifecycle.h"
#include "deadline.h"
#include "error.h"

struct txn;
struct db;
struct principal;
struct procedure_row;
struct calendar;

#define INTAKE_MAX_DOCUMENTS 50

struct intake {
	const char *procedure_code;
	const char *channel;		/* direct, online, postal */
	const char *name;
	const char *id_number;
	const char *phone;
	const char *address;
	const char *email;
	const char *note;
	struct document_in docs[INTAKE_MAX_DOCUMENTS];
	int n_docs;
	const struct principal *actor;	/* the receiving clerk */
	int64_t at;			/* instant of receipt */
};

/* The limit that applies to a channel: the online override when there is
 * one and the channel is online. */
void dossier_limit(const struct procedure_row *p, const char *channel, int *value,
		   enum deadline_unit *unit);
/* Deadline of procedure p received on channel at instant `at` (UTC), as
 * UTC instants in *start and *due (0 = no limit). *uncovered_year is set
 * when a year on the way has no calendar data. 0 ok, -1 error. */
int dossier_deadline(const struct calendar *cal, const struct procedure_row *p,
		     const char *channel, int64_t at, int64_t *start, int64_t *due,
		     int *uncovered_year);
/* 1 if an agency of this level may receive a procedure of that level. */
int dossier_level_can_receive(const char *agency_level, const char *procedure_level);

/* Receive a dossier at the counter (or by post): validate against the
 * catalogue, allocate its code, compute its due time, create its chain,
 * write it, its history row and its statistics. On success *out holds the
 * new dossier and *uncovered_year a year without calendar data that the
 * due time crossed (0 if none). */
int dossier_receive(struct txn *t, const struct intake *in, struct dossier_state *out,
		    int *uncovered_year, struct api_error *err);

#endif
