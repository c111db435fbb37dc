/*
 * motcua — feedback: citizens' phản ánh, kiến nghị (complaints and
 * suggestions) from receipt to answer.
 *
 * Codes: PAKN-YYMMDD-NNNN — the local date of receipt and the number of
 * that day for the whole instance (one province), from 0001 (a 10,000th
 * item of a day gets five digits). The code does not name the agency:
 * an item may be transferred, and the code the citizen holds stays true.
 *
 * Deadline: 15 working days from receipt on the working calendar (the
 * same arithmetic as dossier deadlines: received after hours counts from
 * the next working session). Answered by then = on time; the judgement is
 * frozen when the answer is recorded.
 *
 * States and actions (feedback_decide):
 *   received     --assign-->   in_progress   (an officer of the agency)
 *   received,    --answer-->   answered      (answer text, public or not)
 *   in_progress  --close-->    closed        (needs a reason: duplicate…)
 *                --transfer--> received      (another agency's queue)
 *   answered     --close-->    closed
 * Who: clerks and officers of the item's agency, managers of that agency
 * or above. Admins and auditors read but do not act.
 *
 * Every change appends a history row (event) without personal data or
 * the texts: the code goes in dossier_ref ("PAKN-…", dossier_id NULL).
 *
 * Ownership: inputs borrowed for the call; rows copied into caller
 * structs (struct feedback_row is large: keep it on the heap).
 */
#ifndef MOTCUA_FEEDBACK_H
#define MOTCUA_FEEDBACK_H

#include <stdint.h>

#include "db_citizen.h"
#include "error.h"
#include "principal.h"

struct txn;
struct db;
struct deadline_calendar;

#define FEEDBACK_WORKING_DAYS 15
#define FEEDBACK_CODE_MAX 24

/* "PAKN-YYMMDD-NNNN" for a day number and sequence (>= 1). */
void feedback_format_code(int32_t day, int seq, char out[FEEDBACK_CODE_MAX]);
/* 1 if s looks like a feedback code. */
int feedback_code_valid(const char *s);
/* Due instant (UTC) of an item received at `at` (UTC). 0 ok, -1 error. */
int feedback_due(const struct deadline_calendar *cal, int64_t at, int64_t *due);

struct feedback_in {
	const char *agency_code;	/* NULL: the dossier's receiving agency */
	const char *dossier_code;	/* optional: code or ref … */
	const char *check;		/* … with its four check digits */
	const char *kind;		/* complaint, suggestion */
	const char *subject;
	const char *content;
	const char *contact_name;	/* all three NULL or "" = anonymous */
	const char *contact_phone;
	const char *contact_email;
	int64_t at;
};

/* Receive an item. 0 ok (*out filled); -1 with err (422 unknown agency,
 * 422 "dossier_not_verified" when the dossier code and check digits do not
 * match — the same for an unknown code and a wrong check). */
int feedback_create(struct txn *t, const struct feedback_in *in, struct feedback_row *out,
		    struct api_error *err);

enum feedback_action {
	FB_ASSIGN,
	FB_ANSWER,
	FB_CLOSE,
	FB_TRANSFER,
	FB_ACTION__MAX
};

const char *feedback_action_name(enum feedback_action a);
int feedback_action_parse(const char *s, enum feedback_action *a);

/* The state machine (pure): 0 allowed (*to = next state), -1 refused with
 * err (409 wrong state, 403 role). state is the current state's name. */
int feedback_decide(const char *state, enum feedback_action a, enum role role, const char **to,
		    struct api_error *err);

/* 1 if the principal may see the item (staff scope): admins and auditors
 * all; managers their agency and below; others their own agency. */
int feedback_in_scope(struct db *db, const struct feedback_row *f, const struct principal *p);

struct feedback_action_in {
	enum feedback_action action;
	const char *assignee;		/* assign: a username of the agency */
	const char *answer;		/* answer */
	int answer_public;		/* answer: publish question and answer */
	const char *reason;		/* close before an answer; transfer */
	const char *agency_code;	/* transfer */
};

/* Apply an action at `now` (scope is checked: out of scope is 404).
 * 0 ok (*out is the item after), -1 with err. */
int feedback_apply(struct txn *t, const char *code, const struct feedback_action_in *in,
		   const struct principal *actor, int64_t now, struct feedback_row *out,
		   struct api_error *err);

/* Figures for one agency (0 = all together) over local days [from, to]
 * (YYYYMMDD): received, answered on time, answered late, and open overdue
 * judged just before the instant `at` (pass the first instant after the
 * period, or now + 1 if that is earlier). Items count for the agency that
 * holds them. 0 ok, -1 error. */
int feedback_summary(struct db *db, int64_t agency_id, int32_t from, int32_t to, int64_t at,
		     struct feedback_summary *out);
/* The same per agency: fn once for each agency with any figure. */
int feedback_summary_each(struct db *db, int32_t from, int32_t to, int64_t at,
			  void (*fn)(int64_t agency_id, const struct feedback_summary *s, void *ctx),
			  void *ctx);

#endif
