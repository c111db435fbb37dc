/*
 * motcua — workflow: the transition table and its guards.
 */
#include "workflow.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date.h"

#define R(x) ROLE_BIT(ROLE_##x)
#define OFFICE (R(OFFICER) | R(MANAGER))

/* from:   the state the dossier must be in
 * action: what is asked
 * to:     the next state (0 = back where it was before the wait: received
 *         at the one-stop, or in process in the chain)
 * roles:  who may ask; where: from which agency
 * clock:  the effect on the legal clock */
struct rule {
	int from;
	enum wf_action action;
	int to;
	unsigned roles;
	unsigned where;
	enum wf_clock clock;
};

static const struct rule rules[] = {
	{ WF_SUBMITTED_ONLINE, WF_ACCEPT, WF_RECEIVED, R(CLERK), WF_AT_ONESTOP, WF_CLOCK_START },
	{ WF_SUBMITTED_ONLINE, WF_REFUSE, WF_NOT_ACCEPTED, R(CLERK), WF_AT_ONESTOP, WF_CLOCK_NONE },
	{ WF_RECEIVED, WF_TRANSFER, WF_IN_PROCESS, R(CLERK), WF_AT_ONESTOP, WF_CLOCK_NONE },
	{ WF_RECEIVED, WF_REQUEST_SUPPLEMENT, WF_AWAIT_SUPPLEMENT, R(CLERK), WF_AT_ONESTOP, WF_CLOCK_PAUSE },
	{ WF_RECEIVED, WF_WITHDRAW_REQUEST, WF_WITHDRAW_REQUESTED, R(CLERK), WF_AT_ONESTOP, WF_CLOCK_NONE },
	{ WF_IN_PROCESS, WF_TRANSFER, WF_IN_PROCESS, OFFICE, WF_AT_CURRENT, WF_CLOCK_NONE },
	{ WF_IN_PROCESS, WF_REFUSE, WF_STOPPED, OFFICE, WF_AT_CURRENT, WF_CLOCK_STOP },
	{ WF_IN_PROCESS, WF_REQUEST_SUPPLEMENT, WF_AWAIT_SUPPLEMENT, OFFICE | R(CLERK),
	  WF_AT_CURRENT | WF_AT_ONESTOP, WF_CLOCK_PAUSE },
	{ WF_IN_PROCESS, WF_REQUEST_PAYMENT, WF_AWAIT_PAYMENT, OFFICE, WF_AT_CURRENT, WF_CLOCK_PAUSE },
	{ WF_IN_PROCESS, WF_EXTEND, WF_IN_PROCESS, R(MANAGER), WF_AT_CURRENT, WF_CLOCK_EXTEND },
	{ WF_IN_PROCESS, WF_WITHDRAW_REQUEST, WF_WITHDRAW_REQUESTED, R(CLERK), WF_AT_ONESTOP, WF_CLOCK_NONE },
	{ WF_IN_PROCESS, WF_RESOLVE, WF_RESOLVED, OFFICE, WF_AT_CURRENT, WF_CLOCK_STOP },
	{ WF_AWAIT_SUPPLEMENT, WF_SUPPLEMENT_RECEIVED, 0, R(CLERK), WF_AT_ONESTOP, WF_CLOCK_RESTART },
	{ WF_AWAIT_SUPPLEMENT, WF_WITHDRAW_REQUEST, WF_WITHDRAW_REQUESTED, R(CLERK), WF_AT_ONESTOP, WF_CLOCK_NONE },
	{ WF_AWAIT_PAYMENT, WF_PAYMENT_RECEIVED, WF_IN_PROCESS, OFFICE | R(CLERK),
	  WF_AT_CURRENT | WF_AT_ONESTOP, WF_CLOCK_RESUME },
	{ WF_AWAIT_PAYMENT, WF_WITHDRAW_REQUEST, WF_WITHDRAW_REQUESTED, R(CLERK), WF_AT_ONESTOP, WF_CLOCK_NONE },
	{ WF_WITHDRAW_REQUESTED, WF_WITHDRAW_CONFIRM, WF_STOPPED, R(CLERK), WF_AT_ONESTOP, WF_CLOCK_STOP },
	{ WF_RESOLVED, WF_RETURN, WF_RETURNED, R(CLERK), WF_AT_ONESTOP, WF_CLOCK_NONE },
};

static const char *const state_names[WF_STATE_MAX + 1] = {
	"?", "submitted_online", "received", "not_accepted", "in_process",
	"awaiting_supplement", "awaiting_payment", "withdraw_requested", "stopped",
	"resolved", "returned",
};

static const char *const action_names[WF_ACTION__MAX] = {
	"accept", "refuse", "transfer", "request_supplement", "supplement_received",
	"request_payment", "payment_received", "extend", "withdraw_request",
	"withdraw_confirm", "resolve", "return",
};

const char *wf_state_name(int state)
{
	return state >= WF_STATE_MIN && state <= WF_STATE_MAX ? state_names[state] : "?";
}

int wf_state_parse(const char *name)
{
	for (int s = WF_STATE_MIN; s <= WF_STATE_MAX; s++)
		if (strcmp(name, state_names[s]) == 0)
			return s;
	return 0;
}

const char *wf_action_name(enum wf_action a)
{
	return a < WF_ACTION__MAX ? action_names[a] : "?";
}

int wf_action_parse(const char *name, enum wf_action *a)
{
	for (int i = 0; i < WF_ACTION__MAX; i++)
		if (strcmp(name, action_names[i]) == 0) {
			*a = (enum wf_action)i;
			return 0;
		}
	return -1;
}

const char *wf_clock_name(enum wf_clock c)
{
	static const char *const names[] = { "", "start", "pause", "resume", "restart", "stop", "extend" };
	return c <= WF_CLOCK_EXTEND ? names[c] : "";
}

const char *wf_class_name(int cls)
{
	switch (cls) {
	case WF_EARLY: return "early";
	case WF_ON_TIME: return "on_time";
	case WF_LATE: return "late";
	default: return NULL;
	}
}

int wf_terminal(int state)
{
	return state == WF_NOT_ACCEPTED || state == WF_STOPPED || state == WF_RETURNED;
}

int wf_clock_running(int state)
{
	return state == WF_RECEIVED || state == WF_IN_PROCESS || state == WF_WITHDRAW_REQUESTED;
}

int wf_open(int state)
{
	return state >= WF_STATE_MIN && state <= WF_STATE_MAX && !wf_terminal(state)
	       && state != WF_RESOLVED;
}

int wf_classify(int64_t resolved_local, int64_t due_local)
{
	if (due_local == 0)
		return WF_ON_TIME;
	if (resolved_local > due_local)
		return WF_LATE;
	if (date_day_of(resolved_local) < date_day_of(due_local))
		return WF_EARLY;
	return WF_ON_TIME;
}

static int refuse(struct wf_result *out, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int refuse(struct wf_result *out, int status, const char *code, const char *fmt, ...)
{
	va_list ap;
	out->http_status = status;
	out->code = code;
	if (out->quiet)
		return -1;
	va_start(ap, fmt);
	vsnprintf(out->message, sizeof(out->message), fmt, ap);
	va_end(ap);
	return -1;
}

static const struct rule *find(int state, enum wf_action a)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].from == state && rules[i].action == a)
			return &rules[i];
	return NULL;
}

/* The once-only rules and the chain's shape. */
static int guards(enum wf_action a, const struct wf_facts *f, struct wf_result *out)
{
	if (a == WF_REQUEST_SUPPLEMENT && f->supplement_count > 0)
		return refuse(out, 409, "supplement_already_requested",
			      "A supplement may be requested only once (Decree 61/2018 Art 19(4)).");
	if (a == WF_EXTEND && f->extension_count > 0)
		return refuse(out, 409, "extension_already_used",
			      "The appointment may be extended only once (Decree 61/2018 Art 19(9)).");
	if (a == WF_RESOLVE && f->step < f->n_steps)
		return refuse(out, 409, "not_last_step",
			      "The dossier is at a step before the last; transfer it along the chain first.");
	if (a == WF_TRANSFER && f->state == WF_IN_PROCESS && !f->assign_only && f->step >= f->n_steps)
		return refuse(out, 409, "no_next_step",
			      "This is the last step of the chain: resolve the dossier, or name an officer to assign it.");
	if (a == WF_TRANSFER && f->state == WF_RECEIVED && f->n_steps < 1)
		return refuse(out, 409, "no_chain",
			      "The procedure has no processing steps configured.");
	return 0;
}

static int decide(enum wf_action a, const struct wf_facts *f, struct wf_result *out, int quiet)
{
	memset(out, 0, sizeof(*out));
	out->quiet = quiet;
	if (a >= WF_ACTION__MAX)
		return refuse(out, 400, "unknown_action", "Unknown action.");
	const struct rule *rule = find(f->state, a);
	if (!rule)
		return refuse(out, 409, "invalid_state", "A dossier that is %s cannot be asked to %s.",
			      wf_state_name(f->state), wf_action_name(a));
	if (!(rule->roles & ROLE_BIT(f->role)))
		return refuse(out, 403, "role_not_allowed", "A %s may not %s a dossier.",
			      role_name(f->role), wf_action_name(a));
	unsigned where = (f->at_onestop ? WF_AT_ONESTOP : 0) | (f->at_current ? WF_AT_CURRENT : 0);
	/* Clerks act from the one-stop, officers from the current step: the
	 * actor's own role decides which of the rule's places counts. */
	unsigned need = rule->where;
	if (need == (WF_AT_ONESTOP | WF_AT_CURRENT))
		need = f->role == ROLE_CLERK ? WF_AT_ONESTOP : WF_AT_CURRENT;
	if (!(where & need))
		return refuse(out, 403, "not_your_queue",
			      "Only %s may %s it.",
			      need == WF_AT_ONESTOP ? "the one-stop that received the dossier"
						    : "the agency holding the dossier's current step",
			      wf_action_name(a));
	if (guards(a, f, out) != 0)
		return -1;
	out->to = rule->to ? rule->to : (f->step == 0 ? WF_RECEIVED : WF_IN_PROCESS);
	out->clock = rule->clock;
	if (a == WF_SUPPLEMENT_RECEIVED && f->supplement_pause)
		out->clock = WF_CLOCK_RESUME;
	out->advance = a == WF_TRANSFER && !(f->state == WF_IN_PROCESS && f->assign_only);
	out->closes = wf_terminal(out->to);
	return 0;
}

int wf_decide(enum wf_action a, const struct wf_facts *f, struct wf_result *out)
{
	return decide(a, f, out, 0);
}

int wf_allows(enum wf_action a, const struct wf_facts *f)
{
	struct wf_result res;
	return decide(a, f, &res, 1) == 0;
}
