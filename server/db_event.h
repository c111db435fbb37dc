/*
 * motcua — db_event: appending to the hash-chained history, and reading it.
 *
 * db_event_append is the only way a history row is written: it takes the
 * next seq and the previous hash from the transaction (struct txn),
 * computes this row's hash (audit.h) and inserts it, all inside the
 * caller's write transaction, so the row commits with the change it
 * records or not at all.
 *
 * Ownership: strings in struct event_rec are borrowed for the call.
 * Rows read back (struct event_row) own their strings; release them with
 * db_event_row_release.
 */
#ifndef MOTCUA_DB_EVENT_H
#define MOTCUA_DB_EVENT_H

#include <stdint.h>

#include "audit.h"
#include "error.h"

struct txn;
struct db;
struct principal;

struct event_rec {
	int64_t at;			/* instant of the change */
	int64_t dossier_id;		/* 0 = not about a dossier */
	const char *dossier_ref;	/* code (or ref) of the dossier */
	const char *actor;		/* username, "citizen", "system" */
	const char *actor_role;
	const char *actor_agency;	/* agency code */
	const char *action;
	int from_state;			/* 0 = none */
	int to_state;			/* 0 = none */
	int step;			/* -1 = none */
	const char *clock;		/* clock effect, "" if none */
	int64_t due_at;			/* 0 = none */
	const char *note;
	const char *data;		/* canonical JSON, "" if none */
};

/* Fill the actor fields from a principal (strings borrowed from it). */
void db_event_actor(struct event_rec *e, const struct principal *p);
/* Append one row. 0 ok, -1 with err. */
int db_event_append(struct txn *t, const struct event_rec *e, struct api_error *err);
/* Store a row chained earlier (a captured batch, capture.h): seq and prev
 * must follow t's head. 0 ok, -1 with err. */
int db_event_store(struct txn *t, const struct event_rec *e, int64_t seq,
		   const unsigned char prev[AUDIT_HASH_LEN], const unsigned char hash[AUDIT_HASH_LEN],
		   struct api_error *err);

struct event_row {
	int64_t seq, at, dossier_id, due_at;
	int from_state, to_state, step;	/* 0 / -1 when NULL */
	char *dossier_ref, *actor, *actor_role, *actor_agency, *action;
	char *clock, *note, *data;
	unsigned char prev_hash[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN];
};

void db_event_row_release(struct event_row *row);
/* All events of a dossier in order. 0 ok (rows/count set, free each row
 * and the array), -1 on a database error. */
int db_event_list(struct db *db, int64_t dossier_id, struct event_row **rows,
		  int *count);
/* History rows that are not about a dossier, by their reference (a
 * feedback item's code), in order. Same ownership as db_event_list. */
int db_event_list_ref(struct db *db, const char *ref, struct event_row **rows, int *count);

/* Iterate the whole history from seq > after, in order: calls fn for
 * each row until it returns non-zero. 0 ok, -1 database error. */
int db_event_scan(struct db *db, int64_t after, int64_t until,
		  int (*fn)(const struct event_row *row, void *ctx), void *ctx);

/* A history row with the dossier attributes the statistics are keyed by,
 * for replaying the history dossier by dossier (the recount). */
struct event_replay {
	int64_t dossier_id, seq, at, due_at;
	int to_state;			/* 0 when the row is not a transition */
	const char *action, *clock, *data;
	int64_t lead_agency_id, receiving_agency_id, procedure_id;
	const char *channel;
};
/* Every dossier event in (dossier, seq) order; fn returns non-zero to stop.
 * Strings are valid during the call only. 0 ok, -1 database error. */
int db_event_replay(struct db *db, int (*fn)(const struct event_replay *e, void *ctx), void *ctx);

#endif
