/*
 * motcua — workflow: the dossier state machine (pure).
 *
 * One table says, for each (state, action), the next state, who may act
 * (roles), from where (the receiving one-stop, or the agency holding the
 * current step of the chain) and the effect on the clock. wf_decide()
 * applies the table and the once-only guards, and explains a refusal with
 * a stable code: 409 when the state does not allow the action, 403 when
 * the role or agency does not.
 *
 * States carry the national portal (DVCQG) codes 1–10.
 *
 * Ownership: no allocation; names are static strings.
 */
#ifndef MOTCUA_WORKFLOW_H
#define MOTCUA_WORKFLOW_H

#include <stdint.h>

#include "principal.h"

enum wf_state {
	WF_SUBMITTED_ONLINE = 1,
	WF_RECEIVED = 2,
	WF_NOT_ACCEPTED = 3,
	WF_IN_PROCESS = 4,
	WF_AWAIT_SUPPLEMENT = 5,
	WF_AWAIT_PAYMENT = 6,
	WF_WITHDRAW_REQUESTED = 7,
	WF_STOPPED = 8,
	WF_RESOLVED = 9,
	WF_RETURNED = 10,
};
#define WF_STATE_MIN 1
#define WF_STATE_MAX 10

enum wf_action {
	WF_ACCEPT,
	WF_REFUSE,
	WF_TRANSFER,
	WF_REQUEST_SUPPLEMENT,
	WF_SUPPLEMENT_RECEIVED,
	WF_REQUEST_PAYMENT,
	WF_PAYMENT_RECEIVED,
	WF_EXTEND,
	WF_WITHDRAW_REQUEST,
	WF_WITHDRAW_CONFIRM,
	WF_RESOLVE,
	WF_RETURN,
	WF_ACTION__MAX
};

enum wf_clock {
	WF_CLOCK_NONE,
	WF_CLOCK_START,		/* the legal clock starts (acceptance) */
	WF_CLOCK_PAUSE,		/* waiting for the citizen */
	WF_CLOCK_RESUME,	/* waiting over: due moves by the time waited */
	WF_CLOCK_RESTART,	/* waiting over: the full limit counts again */
	WF_CLOCK_STOP,		/* resolved, stopped or refused */
	WF_CLOCK_EXTEND,	/* new appointment for the citizen (Form 04) */
};

/* Where the actor must sit. */
enum wf_where {
	WF_AT_ONESTOP = 1,	/* the receiving one-stop */
	WF_AT_CURRENT = 2,	/* the agency holding the current step */
};

/* Result classification, frozen at resolution. */
enum wf_class { WF_CLASS_NONE = 0, WF_EARLY = 1, WF_ON_TIME = 2, WF_LATE = 3 };

/* What the decision needs to know about the dossier and the actor. */
struct wf_facts {
	int state;
	int step;		/* 0 = at the one-stop, 1..n_steps in the chain */
	int n_steps;
	int supplement_count;
	int extension_count;
	enum role role;
	int at_onestop;		/* actor's agency is the receiving agency */
	int at_current;		/* actor's agency holds (or, for a manager,
				 * is above) the current step */
	int assign_only;	/* transfer names an officer, no handover */
	int supplement_pause;	/* supplement mode is "pause" (not restart) */
};

struct wf_result {
	int to;			/* next state */
	enum wf_clock clock;
	int advance;		/* 1: the dossier moves to the next step */
	int closes;		/* 1: leaves every queue (terminal) */
	int http_status;	/* 0 allowed; 403 or 409 refused */
	const char *code;	/* refusal code */
	char message[200];	/* refusal, in English */
	int quiet;		/* internal: no message wanted */
};

/* 0 allowed (out->to, clock… set), -1 refused (status, code, message). */
int wf_decide(enum wf_action a, const struct wf_facts *f, struct wf_result *out);
/* 1 if wf_decide would allow it (without composing a refusal's message:
 * listing the actions open to someone asks about every one). */
int wf_allows(enum wf_action a, const struct wf_facts *f);

const char *wf_state_name(int state);		/* "received"; "?" if unknown */
int wf_state_parse(const char *name);		/* 0 if unknown */
const char *wf_action_name(enum wf_action a);	/* "request_supplement" */
int wf_action_parse(const char *name, enum wf_action *a);
const char *wf_clock_name(enum wf_clock c);	/* "" for none */
const char *wf_class_name(int cls);		/* "early", "on_time", "late", NULL */

/* 1 for states that can no longer change (3, 8, 10). */
int wf_terminal(int state);
/* 1 while the legal clock runs (2, 4, 7). */
int wf_clock_running(int state);
/* 1 for states counted as open work (not 3, 8, 9, 10). */
int wf_open(int state);

/* Classify a resolution against the due time, both in local seconds:
 * late if after due; early if on an earlier local date; else on time.
 * due == 0 (no published limit) counts as on time. */
int wf_classify(int64_t resolved_local, int64_t due_local);

#endif
