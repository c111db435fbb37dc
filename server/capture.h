/*
 * motcua — capture: the rows a batch of dossiers would write, kept in
 * memory instead (bulk seeding).
 *
 * The seeder runs the real intake and lifecycle code on one thread while
 * the writer thread stores the previous batch. While a transaction context
 * carries a capture (struct txn.cap), the dossier and history writers
 * (db_dossier.h, db_event.h, the rating writers of db_citizen.h) record
 * their rows here rather than run SQL. Dossiers get the ids they will
 * have (the batch's first id is given, the seeder being the only writer),
 * history rows their place in the audit chain (the caller hashes them,
 * db_event.c), and a later update of the same row or step replaces the
 * recorded one, so each row is stored once in its final state. The
 * writer then stores the batch (bulk.h) table by table, in the order
 * recorded.
 *
 * Code sequences are counted in a struct capture_codes shared by the
 * batches (the next batch continues the numbers while the writer still
 * stores the previous one): the first time an (agency, day) is met, the
 * caller reads its last number from the database and seeds it; each batch
 * takes the numbers it changed (capture_take_codes) for the writer to
 * store.
 *
 * Pure: no SQL, no I/O. Not thread-safe: one owner at a time (the seeder
 * fills it, then hands it to the writer until the replay is done).
 *
 * Ownership: capture_new gives a capture to release with capture_free; it
 * borrows the codes (capture_codes_new / capture_codes_free).
 * Everything recorded is copied; the pointers the iterators give are valid
 * until capture_clear or capture_free.
 */
#ifndef MOTCUA_CAPTURE_H
#define MOTCUA_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "db_citizen.h"
#include "db_dossier.h"
#include "db_event.h"

struct capture;

/* One recorded dossier: its final row and its search key. */
struct capture_dossier {
	struct dossier_row d;
	const char *name_key;
};

struct capture_step {
	int64_t dossier_id;
	struct dossier_step s;
};

/* A history row with its place in the chain. */
struct capture_event {
	struct event_rec e;
	int64_t seq;
	unsigned char prev[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN];
};

struct capture_token {
	unsigned char hash[32];
	int64_t dossier_id, created_at;
	const char *by;
};

struct capture_document {
	int64_t dossier_id;
	int seq;
	struct document_in doc;
};

struct capture_ovd {
	int64_t dossier_id;
	int32_t from_day, to_day;
};

struct capture_seq {
	int64_t agency_id;
	char day[11];
	int last;
	int touched;				/* changed in this batch */
};

struct capture_codes;

struct capture_codes *capture_codes_new(void);
void capture_codes_free(struct capture_codes *k);

struct capture *capture_new(struct capture_codes *codes);
void capture_free(struct capture *c);
/* Forget the rows and code numbers; the next dossier gets first_id. */
void capture_clear(struct capture *c, int64_t first_id);

/* Recording (called by the db_* writers). Each returns 0, or -1 when the
 * dossier is not one of the batch (a programming error the caller
 * reports). */
int64_t capture_dossier_insert(struct capture *c, const struct dossier_row *d, const char *name_key);
int capture_dossier_update(struct capture *c, const struct dossier_row *d);
int capture_document(struct capture *c, int64_t dossier_id, int seq, const struct document_in *doc);
int capture_step(struct capture *c, int64_t dossier_id, const struct dossier_step *s);
void capture_ovd(struct capture *c, int64_t dossier_id, int32_t from_day, int32_t to_day);
void capture_event(struct capture *c, const struct event_rec *e, int64_t seq,
		   const unsigned char prev[AUDIT_HASH_LEN], const unsigned char hash[AUDIT_HASH_LEN]);
int capture_rating_token(struct capture *c, const unsigned char hash[32], int64_t dossier_id,
			 int64_t created_at, const char *by);
int capture_rating(struct capture *c, const struct rating_row *r);
/* The next number of (agency, day): 1 with *seq set, 0 if the pair is new
 * (seed it with capture_seq_seed and ask again). */
int capture_next_seq(struct capture *c, int64_t agency_id, const char *day, int *seq);
void capture_seq_seed(struct capture *c, int64_t agency_id, const char *day, int last);
/* Copy the numbers changed since the last take into the batch. */
void capture_take_codes(struct capture *c);

/* Reading the batch back, in recording order. */
size_t capture_n_dossiers(const struct capture *c);
struct capture_dossier *capture_dossier_at(struct capture *c, size_t i);
size_t capture_n_documents(const struct capture *c);
const struct capture_document *capture_document_at(const struct capture *c, size_t i);
size_t capture_n_ovd(const struct capture *c);
const struct capture_ovd *capture_ovd_at(const struct capture *c, size_t i);
size_t capture_n_events(const struct capture *c);
const struct capture_event *capture_event_at(const struct capture *c, size_t i);
size_t capture_n_tokens(const struct capture *c);
const struct capture_token *capture_token_at(const struct capture *c, size_t i);
size_t capture_n_ratings(const struct capture *c);
const struct rating_row *capture_rating_at(const struct capture *c, size_t i);
size_t capture_n_steps(const struct capture *c);
const struct capture_step *capture_step_at(const struct capture *c, size_t i);
/* The batch's code numbers (after capture_take_codes). */
size_t capture_n_seqs(const struct capture *c);
const struct capture_seq *capture_seq_at(const struct capture *c, size_t i);

/* The batch's index (0-based) of a dossier id, or -1. */
long capture_index_of(const struct capture *c, int64_t id);

#endif
