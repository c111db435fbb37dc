/*
 * motcua — api_public: the citizen side of the API (handlers for route.c).
 *
 * Public endpoints (no login) under /api/v1/public/: dossier lookup with
 * check digits, procedure and one-stop lists, online submission (draft →
 * files → submit), rating through a one-time link, feedback, and the
 * public statistics. Staff endpoints for the same data: a dossier's
 * attachments and rating, the rating link, the feedback queue and the
 * per-agency citizen summary.
 *
 * Public requests that could be used to probe or flood (lookups, new
 * drafts, feedback, ratings) go through an in-memory token bucket per
 * client address ([public] lookup_per_minute), answered 429 with
 * Retry-After when empty. Lookups and new items have separate buckets.
 *
 * Tokens travel where they are not logged: the upload token in the
 * X-Upload-Token header, the rating token and the check digits in the
 * query string (the access log records the path only).
 *
 * Ownership: handlers own nothing beyond the call (see http.h).
 */
#ifndef MOTCUA_API_PUBLIC_H
#define MOTCUA_API_PUBLIC_H

struct request;

enum api_public_bucket {
	API_PUBLIC_LOOKUP,	/* reading by code: dossiers, feedback */
	API_PUBLIC_POST,	/* creating: drafts, feedback, ratings */
	API_PUBLIC__MAX
};

/* Take a token from the caller's bucket. 1 = go on; 0 = answered 429. */
int api_public_throttle(struct request *r, enum api_public_bucket bucket);

/* ---- public (api_public.c) ---------------------------------------------- */
void api_public_dossier(struct request *r);
void api_public_procedures(struct request *r);
void api_public_procedure(struct request *r);
void api_public_agencies(struct request *r);
void api_public_submission_create(struct request *r);
void api_public_file_put(struct request *r);
void api_public_file_delete(struct request *r);
void api_public_submission_submit(struct request *r);
void api_public_rating_get(struct request *r);
void api_public_rating_post(struct request *r);
void api_public_stats(struct request *r);

/* ---- staff (api_public.c) ----------------------------------------------- */
void api_dossier_attachments(struct request *r);
void api_dossier_attachment(struct request *r);
void api_dossier_rating_link(struct request *r);
void api_dossier_rating(struct request *r);
void api_citizen_summary(struct request *r);

/* ---- feedback (api_feedback.c) ------------------------------------------ */
void api_public_feedback_create(struct request *r);
void api_public_feedback_get(struct request *r);
void api_feedback_list(struct request *r);
void api_feedback_get(struct request *r);
void api_feedback_events(struct request *r);
void api_feedback_action(struct request *r);

#endif
