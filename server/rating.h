/*
 * motcua — rating: the citizen's evaluation of a returned dossier
 * (Decree 61/2018 Art 31) through a one-time link, and the per-agency
 * sums the reports read (Decision 766 indicator 5.4).
 *
 * Links: rating_link_for() mints a fresh random token for a dossier and
 * stores only its SHA-256; the link is "{public_url}/rate?t=TOKEN". Form
 * 01 (printed at receipt) and the return counter each mint their own, so
 * a reprint never needs the token back; every token of a dossier works
 * until the dossier has been rated once ("one-time": one rating per
 * dossier). A rating is accepted only once the result has been returned
 * (state 10); before that the answer is 409.
 *
 * Items (each 1 = very dissatisfied … 5 = very satisfied, except trips and
 * the yes/no): time of return against the promise, number of trips to
 * the office, staff attitude, the result, whether anyone asked for an
 * unofficial payment, and a comment. A rating is a "dislike" when any
 * score is 1 or 2 or an unofficial payment was asked for.
 *
 * Ownership: inputs borrowed for the call; results copied into caller
 * structs.
 */
#ifndef MOTCUA_RATING_H
#define MOTCUA_RATING_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db_citizen.h"
#include "db_dossier.h"
#include "error.h"

struct txn;
struct db;

#define RATING_LINK_MAX 400

/* Mint a one-time rating link for dossier_id inside the caller's write
 * transaction (Form 01 and GET /dossiers/{code}/rating-link call this).
 * by: the username printing or showing it. Writes the link into out.
 * 0 ok; -1 with err (404 no such dossier, 409 already rated or a dossier
 * that can never be rated: not accepted or stopped). */
int rating_link_for(struct txn *t, int64_t dossier_id, const char *public_url, const char *by,
		    int64_t now, char *out, size_t n, struct api_error *err);

/* Mint a random token for dossier_id and record its hash (no checks: the
 * caller knows the dossier can be rated). token gets the token's text. */
int rating_issue_token(struct txn *t, int64_t dossier_id, const char *by, int64_t now,
		       char token[AUTH_TOKEN_LEN + 1], struct api_error *err);

/* The rating link printed on Form 01: its token is an HMAC of the dossier
 * id under the database's 'rating' secret, so every print of the form
 * shows the same link and nothing but its hash is stored (the first print
 * records it with rating_form_record, inside the issuing transaction).
 * rating_form_link writes the link into out and returns 1 when the token
 * is recorded and the dossier can still be rated, 0 when no link should
 * be printed, -1 on a database error. */
int rating_form_record(struct txn *t, int64_t dossier_id, const char *by, int64_t now,
		       struct api_error *err);
int rating_form_link(struct db *db, int64_t dossier_id, const char *public_url, char *out, size_t n);

/* The dossier a link's token belongs to. 1 found (*d filled, *rated set
 * when a rating exists), 0 unknown token, -1 database error. */
int rating_find(struct db *db, const char *token, struct dossier_row *d, int *rated);

struct rating_in {
	const char *token;
	int time_score;		/* 1–5 */
	int trips;		/* 0–20 */
	int attitude_score;	/* 1–5 */
	int result_score;	/* 1–5 */
	int unofficial_payment;	/* 0 / 1 */
	const char *comment;	/* may be NULL */
	int64_t at;
};

/* Record a rating. 0 ok (*out filled); -1 with err: 404 unknown link, 409
 * "not_returned" before the result is returned, 409 "already_rated". */
int rating_submit(struct txn *t, const struct rating_in *in, struct rating_row *out,
		  struct api_error *err);

/* Record a rating of dossier d as read (in->token is not looked at): 409
 * "not_returned" unless its result was returned. */
int rating_record(struct txn *t, const struct dossier_row *d, const struct rating_in *in,
		  struct rating_row *out, struct api_error *err);

/* 1 if these answers make the rating a dislike. */
int rating_is_dislike(int time_score, int attitude_score, int result_score, int unofficial_payment);

/* Sums for one agency (agency_id 0 = all agencies together) over local
 * days [from, to] given as YYYYMMDD, as stat buckets are. Ratings count on
 * the day they were made and belong to the dossier's statistics (lead)
 * agency, like its stat rows. 0 ok, -1 database error. */
int rating_summary(struct db *db, int64_t agency_id, int32_t from, int32_t to,
		   struct rating_summary *out);
/* The same per agency: fn once for each agency with any figure. */
int rating_summary_each(struct db *db, int32_t from, int32_t to,
			void (*fn)(int64_t agency_id, const struct rating_summary *s, void *ctx),
			void *ctx);

/* Indicator 5.4 of Decision 766/QĐ-TTg in percent: 100 − (late rate +
 * rate of dossiers with a dislike or a feedback item), both rates over
 * the dossiers resolved in the period (late = resolved late), floored at
 * 0. Returns -1 when nothing was resolved ("N/A"). */
double rating_indicator_54(int64_t resolved, int64_t late, int64_t complained);

#endif
