/*
 * motcua — lifecycle: a dossier's actions inside a write transaction.
 *
 * lifecycle_load reads a dossier and its chain into a struct dossier_state;
 * lifecycle_apply asks the state machine (workflow.h) whether the actor may
 * take the action, checks the action's own inputs, applies the clock rules
 * (start, pause, resume, restart, stop, extend; domain-rules.md §4) to the
 * dossier and its steps, writes them back and appends the history row —
 * all or nothing within the caller's transaction. The state stays loaded,
 * so a caller (the demo seeder) can apply several actions in a row.
 *
 * "now" is always an argument: the API passes the wall clock, the seeder
 * and the tests pass the instant they simulate.
 *
 * Ownership: struct dossier_state is a plain value (large: keep it on the
 * heap); action inputs are borrowed for the call.
 */
#ifndef MOTCUA_LIFECYCLE_H
#define MOTCUA_LIFECYCLE_H

#include <stdint.h>

#include "config.h"
#include "db_dossier.h"
#include "error.h"
#include "workflow.h"

struct txn;
struct db;
struct principal;

struct dossier_state {
	struct dossier_row d;
	struct dossier_step steps[DOSSIER_MAX_STEPS];
	int n_steps;
	int deferred;		/* 1: keep row changes in memory until
				 * lifecycle_flush (bulk seeding); history and
				 * statistics are still written per action */
	int code_dirty;		/* 1: the code and receipt time changed
				 * (acceptance) and are not written yet */
};

#define LIFECYCLE_MAX_ITEMS 30

/* The inputs an action may carry (each action reads its own). */
struct action_input {
	enum wf_action action;
	const char *note;		/* free text for the history */
	const char *reason;		/* refuse, request_supplement, extend, withdraw */
	const char *assignee;		/* transfer: an officer's username */
	const char *result;		/* resolve: summary of the result */
	const char *method;		/* return: counter/postal/online;
					 * payment_received: online/counter */
	int64_t new_appointment;	/* extend: instant */
	int64_t amount_vnd;		/* request_payment / payment_received */
	struct {
		const char *name;
		const char *kind;	/* original, certified_copy, copy */
	} items[LIFECYCLE_MAX_ITEMS];	/* request_supplement */
	int n_items;
};

/* Rules that come from the configuration. */
struct lifecycle_rules {
	enum supplement_mode supplement_mode;
};

/* Read a dossier (by code or reference) and its steps, on any connection
 * (the writer's inside a job). 1 found, 0 not (404 in err), -1 error. */
int lifecycle_load(struct db *db, const char *key, struct dossier_state *s, struct api_error *err);
/* The rest of s once s->d is read (by a caller that checked its scope):
 * its chain. 1 ok, -1 with err. */
int lifecycle_load_steps(struct db *db, struct dossier_state *s, struct api_error *err);

/* The actions the actor may take now, as far as state, role and agency go
 * (inputs are checked when the action is taken). Returns how many were
 * written to out (at most WF_ACTION__MAX). */
int lifecycle_allowed(struct db *db, const struct dossier_state *s, const struct principal *actor,
		      const struct lifecycle_rules *rules, enum wf_action out[WF_ACTION__MAX]);

/* Take one action at instant now. 0 ok (s updated and written), -1 refused
 * or failed (err: 400/422 for bad inputs, 403/409 from the state machine). */
int lifecycle_apply(struct txn *t, struct dossier_state *s, const struct action_input *in,
		    const struct principal *actor, const struct lifecycle_rules *rules,
		    int64_t now, struct api_error *err);

/* Keep the dossier's overdue bookkeeping in step with a change from
 * before (NULL for a new dossier) to s at now: the start day of the
 * current overdue interval (s->d.ovd_from) and, when an interval ends, its
 * row in dossier_ovd. Call before the dossier row is written. */
int lifecycle_ovd_track(struct txn *t, const struct dossier_state *before, struct dossier_state *s,
			int64_t now, struct api_error *err);

/* Write the dossier row and every step (after deferred actions). */
int lifecycle_flush(struct txn *t, struct dossier_state *s, struct api_error *err);

/* Add what the change from before (NULL: nothing existed) to after means
 * for the statistics, on the local day of now (stats.h). */
void lifecycle_stats(struct txn *t, const struct dossier_state *before,
		     const struct dossier_state *after, int64_t now);

/* Create the chain steps of a freshly received dossier from its procedure
 * (a step without an agency is done by the receiving agency). */
int lifecycle_make_steps(struct txn *t, struct dossier_state *s, struct api_error *err);

#endif
