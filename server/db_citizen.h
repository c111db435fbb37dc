/*
 * motcua — db_citizen: the tables of the citizen side (schema 0004):
 * online submission drafts and their attachments, rating tokens and
 * ratings, feedback and its code sequence, and the sums the reports read.
 *
 * Writes take the transaction (struct txn) and fill an api_error; reads
 * take any connection. Lookups return 1 found, 0 absent, -1 on a database
 * error; lists return a count or -1.
 *
 * Ownership: row structs are plain values (fixed-size text); the feedback
 * row is large (~40 KiB): keep it on the heap. Callbacks get rows owned
 * by the call.
 */
#ifndef MOTCUA_DB_CITIZEN_H
#define MOTCUA_DB_CITIZEN_H

#include <stdint.h>

#include "db_dossier.h"
#include "error.h"

struct db;
struct txn;

/* ---- online submissions ------------------------------------------------ */

struct submission_row {
	int64_t id;
	char ref[40];
	unsigned char token_hash[32];
	int64_t procedure_id;
	int64_t agency_id;
	char applicant_name[256];
	char applicant_id_number[32];
	char applicant_phone[32];
	char applicant_address[512];
	char applicant_email[256];
	char note[2048];
	int64_t created_at, expires_at;
	int64_t submitted_at;		/* 0 while a draft */
	int64_t dossier_id;		/* 0 while a draft */
};

/* Insert a draft (id set). A taken ref gives 409 "ref_taken". */
int db_submission_insert(struct txn *t, struct submission_row *s, struct api_error *err);
int db_submission_by_ref(struct db *db, const char *ref, struct submission_row *out);
/* Mark a draft submitted as dossier_id and wipe its personal data. */
int db_submission_mark_submitted(struct txn *t, int64_t id, int64_t dossier_id, int64_t now,
				 struct api_error *err);
/* Ids of up to max drafts expired before now. Count or -1. */
int db_submission_expired(struct db *db, int64_t now, int64_t *ids, int max);
/* Delete a draft and (cascade) its attachment rows. */
int db_submission_delete(struct txn *t, int64_t id, struct api_error *err);

#define ATTACHMENT_MAX 20

struct attachment_row {
	int64_t submission_id;
	int seq;			/* 1..ATTACHMENT_MAX */
	int64_t dossier_id;		/* 0 while a draft */
	char name[1024];
	char label[1024];
	char mime[32];
	int64_t size;
	char sha256[65];
	int64_t created_at;
};

/* Insert or replace the file in (submission_id, seq). */
int db_attachment_put(struct txn *t, const struct attachment_row *a, struct api_error *err);
int db_attachment_delete(struct txn *t, int64_t submission_id, int seq, struct api_error *err);
int db_attachment_get(struct db *db, int64_t submission_id, int seq, struct attachment_row *out);
int db_attachment_of_dossier(struct db *db, int64_t dossier_id, int seq, struct attachment_row *out);
/* Up to max rows in seq order, of a submission (dossier_id 0) or of a
 * dossier (submission_id 0). Count or -1. */
int db_attachment_list(struct db *db, int64_t submission_id, int64_t dossier_id,
		       struct attachment_row *out, int max);
/* Attach the submission's files to its dossier. */
int db_attachment_link(struct txn *t, int64_t submission_id, int64_t dossier_id,
		       struct api_error *err);
/* 1 if any row still refers to the file with this digest, 0 if none, -1. */
int db_attachment_sha_used(struct db *db, const char *sha256);

/* ---- ratings ----------------------------------------------------------- */

int db_rating_token_insert(struct txn *t, const unsigned char hash[32], int64_t dossier_id,
			   int64_t now, const char *by, struct api_error *err);
/* The dossier a token hash belongs to. */
int db_rating_token_dossier(struct db *db, const unsigned char hash[32], int64_t *dossier_id);

struct rating_row {
	int64_t dossier_id;
	int64_t agency_id;		/* statistics (lead) agency */
	int64_t receiving_agency_id;
	int64_t rated_at;
	int32_t day;			/* YYYYMMDD */
	int time_score, trips, attitude_score, result_score;
	int unofficial_payment;
	char comment[4096];
	int dislike;
};

/* Insert; a dossier rated already gives 409 "already_rated". */
int db_rating_insert(struct txn *t, const struct rating_row *r, struct api_error *err);
int db_rating_get(struct db *db, int64_t dossier_id, struct rating_row *out);

/* Sums of one agency's ratings over days [from, to] (YYYYMMDD). */
struct rating_summary {
	int64_t ratings;		/* ratings recorded in the period */
	int64_t time_sum;		/* sum of time scores (1–5 each) */
	int64_t trips_sum;		/* sum of trips reported */
	int64_t attitude_sum;		/* sum of staff-attitude scores */
	int64_t result_sum;		/* sum of result scores */
	int64_t dislikes;		/* ratings counted as a dislike */
	int64_t unofficial_payments;	/* ratings reporting a request for money */
	int64_t complained_dossiers;	/* distinct dossiers with a dislike or a
					 * feedback item in the period (766 ind. 5.4) */
};

/* Per agency (agency_id 0 = every agency): fn once per agency with any
 * figure. Ratings count by rating day, feedback by received day; both
 * belong to the dossier's statistics agency. 0 ok, -1 error. */
int db_rating_sums(struct db *db, int64_t agency_id, int32_t from, int32_t to,
		   void (*fn)(int64_t agency_id, const struct rating_summary *s, void *ctx), void *ctx);

/* ---- feedback ---------------------------------------------------------- */

struct feedback_row {
	int64_t id;
	char code[24];
	int64_t agency_id;
	char agency_code[32];
	char agency_name[256];
	int64_t dossier_id;		/* 0 = none */
	char dossier_code[40];		/* its code (or ref) */
	char kind[16];			/* complaint, suggestion */
	char subject[1024];
	char content[16384];
	char contact_name[256];
	char contact_phone[32];
	char contact_email[256];
	int64_t received_at;
	int32_t received_day;		/* YYYYMMDD */
	int64_t due_at;
	char state[16];			/* received, in_progress, answered, closed */
	int64_t assignee_id;
	char assignee[64];
	char answer[16384];
	int answer_public;
	int64_t answered_at;
	int32_t answered_day;		/* 0 = not answered */
	int64_t answered_by_id;
	char answered_by[64];
	int on_time;			/* -1 not answered, 0 late, 1 on time */
	int64_t closed_at;
	char close_reason[2048];
	int64_t updated_at;
};

/* The next number of a local day ("2026-11-22") in the caller's txn. */
int db_feedback_next_seq(struct txn *t, const char *day, int *seq, struct api_error *err);
int db_feedback_insert(struct txn *t, struct feedback_row *f, struct api_error *err);
/* Write back agency, state, assignee, answer and closing columns. */
int db_feedback_update(struct txn *t, const struct feedback_row *f, struct api_error *err);
int db_feedback_by_code(struct db *db, const char *code, struct feedback_row *out);

struct feedback_filter {
	enum scope_kind scope;		/* as for dossiers */
	int64_t agency_id;		/* for SCOPE_AGENCY / SCOPE_SUBTREE */
	const char *state;		/* NULL = any; "open" = received or in progress */
	int overdue;			/* 1: open and due before now */
	int64_t now;
	int64_t assignee_id;		/* 0 = any */
	const char *q;			/* code, or words of the subject */
	/* drill-down from the report (0 = no condition), instants */
	int64_t received_from, received_to;	/* to exclusive */
	int64_t answered_from, answered_to;
	int answered;			/* 1 answered on time, 2 late */
	int64_t open_overdue_at;	/* open and past due just before it */
	int64_t after_due, after_id;	/* cursor */
	int limit;
};

/* Rows by due time, then id. *more = 1 when another page exists. */
int db_feedback_list(struct db *db, const struct feedback_filter *f,
		     void (*fn)(const struct feedback_row *r, void *ctx), void *ctx, int *more);

/* Feedback figures of one agency over days [from, to] (YYYYMMDD). */
struct feedback_summary {
	int64_t received;		/* received in the period */
	int64_t answered_on_time;	/* answered in the period by the due time */
	int64_t answered_late;		/* answered in the period after it */
	int64_t open_overdue;		/* just before the instant `at`: received,
					 * past due, neither answered nor closed */
};

/* Per agency (agency_id 0 = every agency): fn once per agency with any
 * figure. at: the exclusive end "open overdue" is judged at (the first
 * instant after the period, or now + 1 if earlier). 0 ok, -1 error. */
int db_feedback_sums(struct db *db, int64_t agency_id, int32_t from, int32_t to, int64_t at,
		     void (*fn)(int64_t agency_id, const struct feedback_summary *s, void *ctx),
		     void *ctx);

/* ---- agencies the public may choose ------------------------------------ */

/* Agencies existing on `today` ("YYYY-MM-DD"). With onestop_level
 * "province" or "commune": only those that receive procedures of that
 * level and have an active clerk (a one-stop that can accept online
 * dossiers); with NULL: every agency. In name order. 0 ok, -1 error. */
int db_citizen_agencies(struct db *db, const char *today, const char *onestop_level,
			void (*fn)(int64_t id, const char *code, const char *name,
				   const char *level, void *ctx), void *ctx);
/* 1 if agency_id is such a one-stop for procedure level `level` today. */
int db_citizen_is_onestop(struct db *db, int64_t agency_id, const char *level, const char *today);

/* The database's secret called name (at least 32 bytes; the first 32 go
 * to out). 1 found, 0 not, -1 error. */
int db_secret_get(struct db *db, const char *name, unsigned char out[32]);
/* Record a rating token's hash unless it is there already. */
int db_rating_token_ensure(struct txn *t, const unsigned char hash[32], int64_t dossier_id,
			   int64_t now, const char *by, struct api_error *err);
/* 1 if the token hash is recorded. */
int db_rating_token_known(struct db *db, const unsigned char hash[32]);

#endif
