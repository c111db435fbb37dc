/*
 * motcua tests — workflow: the dossier state machine, exhaustively.
 *
 * The expected behaviour is written here from the law, not copied from
 * workflow.c: `law` below transcribes ../shared/reference/domain-rules.md
 * §3.3 (T2–T14) row by row, naming for each transition who may take it
 * and from where ("clerk@onestop", "officer@current" …). Every state (1–10)
 * × action × role × place (at the receiving one-stop, at the agency of the
 * current step, neither) is then asked of wf_decide and compared with what
 * the law row says, including the refusal's HTTP status and code.
 *
 * Refusals are explained in this order: the state does not allow the
 * action at all (409 invalid_state); the role may never take it (403
 * role_not_allowed); the role may, but not from where the actor sits (403
 * not_your_queue); a once-only rule or the chain's shape forbids it now
 * (409 with its own code).
 */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "tests.h"
#include "workflow.h"

/* ---- the law, transcribed ---------------------------------------------- */

/* to = 0: back where the dossier was before the wait (received at the
 * one-stop when the wait began at step 0, else in process). */
struct law {
	const char *ref;	/* domain-rules.md §3.3 row */
	int from;
	enum wf_action action;
	int to;
	const char *actors;	/* space-separated role@place */
	enum wf_clock clock;
};

static const struct law law[] = {
	/* T2: the clerk accepts a complete online submission: code, clock. */
	{ "T2", WF_SUBMITTED_ONLINE, WF_ACCEPT, WF_RECEIVED, "clerk@onestop", WF_CLOCK_START },
	/* T4: the clerk refuses an online submission (Form 03), never received. */
	{ "T4", WF_SUBMITTED_ONLINE, WF_REFUSE, WF_NOT_ACCEPTED, "clerk@onestop", WF_CLOCK_NONE },
	/* T6: the one-stop hands the dossier to the processing agency. */
	{ "T6", WF_RECEIVED, WF_TRANSFER, WF_IN_PROCESS, "clerk@onestop", WF_CLOCK_NONE },
	/* DESIGN (not a row of §3.3): the one-stop may send a received
	 * dossier back for a supplement before handing it over (Form 02 is
	 * issued by the clerk, Art 15(3)); same once-only rule as T7. */
	{ "T7*", WF_RECEIVED, WF_REQUEST_SUPPLEMENT, WF_AWAIT_SUPPLEMENT, "clerk@onestop",
	  WF_CLOCK_PAUSE },
	/* T12: the citizen asks to withdraw; the one-stop records it. */
	{ "T12", WF_RECEIVED, WF_WITHDRAW_REQUEST, WF_WITHDRAW_REQUESTED, "clerk@onestop",
	  WF_CLOCK_NONE },
	/* Art 19(6)-(7): each agency of the chain passes the dossier on. */
	{ "T6'", WF_IN_PROCESS, WF_TRANSFER, WF_IN_PROCESS, "officer@current manager@current",
	  WF_CLOCK_NONE },
	/* T11: ineligible after appraisal: stop, Form 03. */
	{ "T11", WF_IN_PROCESS, WF_REFUSE, WF_STOPPED, "officer@current manager@current",
	  WF_CLOCK_STOP },
	/* T7: incomplete: notice through the one-stop, once, clock waits. */
	{ "T7", WF_IN_PROCESS, WF_REQUEST_SUPPLEMENT, WF_AWAIT_SUPPLEMENT,
	  "officer@current manager@current clerk@onestop", WF_CLOCK_PAUSE },
	/* T9: fee or tax notice: the clock waits. */
	{ "T9", WF_IN_PROCESS, WF_REQUEST_PAYMENT, WF_AWAIT_PAYMENT, "officer@current manager@current",
	  WF_CLOCK_PAUSE },
	/* T10: apology and new appointment, signed by the agency head. */
	{ "T10", WF_IN_PROCESS, WF_EXTEND, WF_IN_PROCESS, "manager@current", WF_CLOCK_EXTEND },
	{ "T12", WF_IN_PROCESS, WF_WITHDRAW_REQUEST, WF_WITHDRAW_REQUESTED, "clerk@onestop",
	  WF_CLOCK_NONE },
	/* T13: the result is signed: stop, classify. */
	{ "T13", WF_IN_PROCESS, WF_RESOLVE, WF_RESOLVED, "officer@current manager@current",
	  WF_CLOCK_STOP },
	/* T8: the citizen brings the documents to the one-stop: the limit
	 * counts again from zero (Art 19(4)). */
	{ "T8", WF_AWAIT_SUPPLEMENT, WF_SUPPLEMENT_RECEIVED, 0, "clerk@onestop", WF_CLOCK_RESTART },
	{ "T12", WF_AWAIT_SUPPLEMENT, WF_WITHDRAW_REQUEST, WF_WITHDRAW_REQUESTED, "clerk@onestop",
	  WF_CLOCK_NONE },
	/* T9: payment confirmed, at the agency or at the one-stop's counter. */
	{ "T9'", WF_AWAIT_PAYMENT, WF_PAYMENT_RECEIVED, WF_IN_PROCESS,
	  "officer@current manager@current clerk@onestop", WF_CLOCK_RESUME },
	{ "T12", WF_AWAIT_PAYMENT, WF_WITHDRAW_REQUEST, WF_WITHDRAW_REQUESTED, "clerk@onestop",
	  WF_CLOCK_NONE },
	/* T12: the one-stop confirms the withdrawal: stopped. */
	{ "T12'", WF_WITHDRAW_REQUESTED, WF_WITHDRAW_CONFIRM, WF_STOPPED, "clerk@onestop",
	  WF_CLOCK_STOP },
	/* T14: the result is handed over. */
	{ "T14", WF_RESOLVED, WF_RETURN, WF_RETURNED, "clerk@onestop", WF_CLOCK_NONE },
	/* DESIGN, kept as built: T12 says "any non-terminal", but a
	 * submission not yet received (1) is refused instead (T4), and a
	 * resolved dossier (9) has its result: neither takes withdraw_request. */
};

enum place { AT_ONESTOP, AT_CURRENT, AT_NEITHER, PLACE__MAX };
static const char *const place_names[PLACE__MAX] = { "onestop", "current", "neither" };

static const struct law *law_row(int state, enum wf_action a)
{
	for (size_t i = 0; i < sizeof(law) / sizeof(law[0]); i++)
		if (law[i].from == state && law[i].action == a)
			return &law[i];
	return NULL;
}

/* 1 if "role@place" is among the row's actors. */
static int law_allows(const struct law *l, enum role r, enum place p)
{
	char want[40];
	snprintf(want, sizeof(want), "%s@%s", role_name(r), place_names[p]);
	const char *s = l->actors;
	size_t n = strlen(want);
	while ((s = strstr(s, want)) != NULL) {
		if ((s == l->actors || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
			return 1;
		s += n;
	}
	return 0;
}

static int law_role(const struct law *l, enum role r)
{
	for (int p = 0; p < PLACE__MAX; p++)
		if (law_allows(l, r, (enum place)p))
			return 1;
	return 0;
}

/* ---- asking the state machine ------------------------------------------ */

struct expect {
	int status;		/* 0 allowed */
	const char *code;
	int to;
	enum wf_clock clock;
};

/* Facts for a dossier of a three-step chain, at step `step`. */
static struct wf_facts facts(int state, int step, enum role r, enum place p)
{
	struct wf_facts f;
	memset(&f, 0, sizeof(f));
	f.state = state;
	f.step = step;
	f.n_steps = 3;
	f.role = r;
	f.at_onestop = p == AT_ONESTOP;
	f.at_current = p == AT_CURRENT;
	return f;
}

/* What the law says for this state, action, actor and chain position. */
static struct expect expected(int state, enum wf_action a, enum role r, enum place p, int step)
{
	struct expect e = { 0, NULL, 0, WF_CLOCK_NONE };
	const struct law *l = law_row(state, a);
	if (!l)
		return (struct expect){ 409, "invalid_state", 0, WF_CLOCK_NONE };
	if (!law_role(l, r))
		return (struct expect){ 403, "role_not_allowed", 0, WF_CLOCK_NONE };
	if (!law_allows(l, r, p))
		return (struct expect){ 403, "not_your_queue", 0, WF_CLOCK_NONE };
	if (a == WF_RESOLVE && step < 3)
		return (struct expect){ 409, "not_last_step", 0, WF_CLOCK_NONE };
	if (a == WF_TRANSFER && state == WF_IN_PROCESS && step == 3)
		return (struct expect){ 409, "no_next_step", 0, WF_CLOCK_NONE };
	e.to = l->to ? l->to : (step == 0 ? WF_RECEIVED : WF_IN_PROCESS);
	e.clock = l->clock;
	return e;
}

/* The chain position a state is realistically met at: before the chain
 * (0) for states 1–2, else `mid_or_last` (1 = a middle step, 3 = the
 * last). A wait that began at the one-stop is covered by its own test. */
static int step_for(int state, int mid_or_last)
{
	return state <= WF_RECEIVED ? 0 : mid_or_last;
}

static void check_all(int mid_or_last, int *allowed_count)
{
	for (int s = WF_STATE_MIN; s <= WF_STATE_MAX; s++)
		for (int a = 0; a < WF_ACTION__MAX; a++)
			for (int r = 0; r < ROLE__MAX; r++)
				for (int p = 0; p < PLACE__MAX; p++) {
					int step = step_for(s, mid_or_last);
					struct wf_facts f = facts(s, step, (enum role)r, (enum place)p);
					struct wf_result res;
					struct expect e = expected(s, (enum wf_action)a, (enum role)r,
								   (enum place)p, step);
					int rc = wf_decide((enum wf_action)a, &f, &res);
					char what[160];
					snprintf(what, sizeof(what), "state %s, %s by %s at %s, step %d/3",
						 wf_state_name(s), wf_action_name((enum wf_action)a),
						 role_name((enum role)r), place_names[p], step);
					if (e.status == 0) {
						ck_assert_msg(rc == 0, "%s: refused %d %s (%s), law allows it",
							      what, res.http_status, res.code, res.message);
						ck_assert_msg(res.to == e.to, "%s: to %s, expected %s", what,
							      wf_state_name(res.to), wf_state_name(e.to));
						ck_assert_msg(res.clock == e.clock, "%s: clock \"%s\", expected \"%s\"",
							      what, wf_clock_name(res.clock), wf_clock_name(e.clock));
						ck_assert_int_eq(res.http_status, 0);
						ck_assert_int_eq(res.closes, wf_terminal(e.to));
						(*allowed_count)++;
					} else {
						ck_assert_msg(rc == -1, "%s: allowed (to %s), law says %d %s", what,
							      wf_state_name(res.to), e.status, e.code);
						ck_assert_msg(res.http_status == e.status && res.code
							      && strcmp(res.code, e.code) == 0,
							      "%s: %d %s, expected %d %s", what, res.http_status,
							      res.code ? res.code : "(null)", e.status, e.code);
						ck_assert_msg(res.message[0] != '\0', "%s: no message", what);
					}
				}
}

START_TEST(test_workflow_every_transition_at_a_middle_step)
{
	int allowed = 0;
	check_all(1, &allowed);
	/* Allowed (state, action, actor) triples in the law table: states 1–2:
	 * 5; state 4: transfer 2, refuse 2, supplement 3, payment 2, extend 1,
	 * withdraw 1 (resolve is refused before the last step); state 5: 2;
	 * state 6: 3 + 1; state 7: 1; state 9: 1. */
	ck_assert_int_eq(allowed, 24);
}
END_TEST

START_TEST(test_workflow_every_transition_at_the_last_step)
{
	int allowed = 0;
	check_all(3, &allowed);
	/* At the last step the handover (2 actors) is refused, resolve (2)
	 * allowed: the same count. */
	ck_assert_int_eq(allowed, 24);
}
END_TEST

/* Spot checks that spell out the table above on the cases the issue names,
 * so a reader need not run the loop in their head. */
START_TEST(test_workflow_named_refusals)
{
	struct wf_result res;
	struct wf_facts f = facts(WF_RESOLVED, 3, ROLE_OFFICER, AT_CURRENT);
	ck_assert_int_eq(wf_decide(WF_EXTEND, &f, &res), -1);
	ck_assert_int_eq(res.http_status, 409);
	ck_assert_str_eq(res.code, "invalid_state");
	f = facts(WF_IN_PROCESS, 3, ROLE_OFFICER, AT_CURRENT);
	ck_assert_int_eq(wf_decide(WF_EXTEND, &f, &res), -1);	/* only the head signs Form 04 */
	ck_assert_int_eq(res.http_status, 403);
	ck_assert_str_eq(res.code, "role_not_allowed");
	f = facts(WF_IN_PROCESS, 2, ROLE_MANAGER, AT_NEITHER);
	ck_assert_int_eq(wf_decide(WF_EXTEND, &f, &res), -1);
	ck_assert_int_eq(res.http_status, 403);
	ck_assert_str_eq(res.code, "not_your_queue");
	f = facts(WF_IN_PROCESS, 2, ROLE_CLERK, AT_CURRENT);	/* a clerk acts from the one-stop */
	ck_assert_int_eq(wf_decide(WF_REQUEST_SUPPLEMENT, &f, &res), -1);
	ck_assert_str_eq(res.code, "not_your_queue");
	f = facts(WF_IN_PROCESS, 2, ROLE_OFFICER, AT_ONESTOP);	/* an officer from the step */
	ck_assert_int_eq(wf_decide(WF_REQUEST_SUPPLEMENT, &f, &res), -1);
	ck_assert_str_eq(res.code, "not_your_queue");
	f = facts(WF_RETURNED, 3, ROLE_ADMIN, AT_ONESTOP);
	ck_assert_int_eq(wf_decide(WF_RETURN, &f, &res), -1);
	ck_assert_str_eq(res.code, "invalid_state");
	f = facts(WF_RESOLVED, 3, ROLE_AUDITOR, AT_ONESTOP);
	ck_assert_int_eq(wf_decide(WF_RETURN, &f, &res), -1);
	ck_assert_str_eq(res.code, "role_not_allowed");
}
END_TEST

START_TEST(test_workflow_unknown_action)
{
	struct wf_result res;
	struct wf_facts f = facts(WF_IN_PROCESS, 1, ROLE_OFFICER, AT_CURRENT);
	ck_assert_int_eq(wf_decide(WF_ACTION__MAX, &f, &res), -1);
	ck_assert_int_eq(res.http_status, 400);
	ck_assert_str_eq(res.code, "unknown_action");
}
END_TEST

/* ---- guards ------------------------------------------------------------- */

START_TEST(test_workflow_second_supplement_refused)
{
	struct wf_result res;
	struct wf_facts f = facts(WF_IN_PROCESS, 2, ROLE_OFFICER, AT_CURRENT);
	ck_assert_int_eq(wf_decide(WF_REQUEST_SUPPLEMENT, &f, &res), 0);
	f.supplement_count = 1;
	ck_assert_int_eq(wf_decide(WF_REQUEST_SUPPLEMENT, &f, &res), -1);
	ck_assert_int_eq(res.http_status, 409);
	ck_assert_str_eq(res.code, "supplement_already_requested");
	/* Whoever asks, and from the one-stop before the chain too. */
	f = facts(WF_IN_PROCESS, 2, ROLE_CLERK, AT_ONESTOP);
	f.supplement_count = 1;
	ck_assert_int_eq(wf_decide(WF_REQUEST_SUPPLEMENT, &f, &res), -1);
	ck_assert_str_eq(res.code, "supplement_already_requested");
	f = facts(WF_RECEIVED, 0, ROLE_CLERK, AT_ONESTOP);
	f.supplement_count = 1;
	ck_assert_int_eq(wf_decide(WF_REQUEST_SUPPLEMENT, &f, &res), -1);
	ck_assert_str_eq(res.code, "supplement_already_requested");
	/* The place is checked before the once-only rule. */
	f = facts(WF_IN_PROCESS, 2, ROLE_OFFICER, AT_NEITHER);
	f.supplement_count = 1;
	ck_assert_int_eq(wf_decide(WF_REQUEST_SUPPLEMENT, &f, &res), -1);
	ck_assert_str_eq(res.code, "not_your_queue");
}
END_TEST

START_TEST(test_workflow_second_extension_refused)
{
	struct wf_result res;
	struct wf_facts f = facts(WF_IN_PROCESS, 3, ROLE_MANAGER, AT_CURRENT);
	ck_assert_int_eq(wf_decide(WF_EXTEND, &f, &res), 0);
	ck_assert_int_eq(res.clock, WF_CLOCK_EXTEND);
	ck_assert_int_eq(res.to, WF_IN_PROCESS);
	f.extension_count = 1;
	ck_assert_int_eq(wf_decide(WF_EXTEND, &f, &res), -1);
	ck_assert_int_eq(res.http_status, 409);
	ck_assert_str_eq(res.code, "extension_already_used");
}
END_TEST

START_TEST(test_workflow_resolve_only_at_last_step)
{
	struct wf_result res;
	for (int step = 1; step <= 3; step++) {
		struct wf_facts f = facts(WF_IN_PROCESS, step, ROLE_OFFICER, AT_CURRENT);
		int rc = wf_decide(WF_RESOLVE, &f, &res);
		if (step < 3) {
			ck_assert_int_eq(rc, -1);
			ck_assert_int_eq(res.http_status, 409);
			ck_assert_str_eq(res.code, "not_last_step");
		} else {
			ck_assert_int_eq(rc, 0);
			ck_assert_int_eq(res.to, WF_RESOLVED);
			ck_assert_int_eq(res.clock, WF_CLOCK_STOP);
			ck_assert_int_eq(res.closes, 0);	/* resolved still waits for return */
		}
	}
	/* A one-step chain: its only step is the last. */
	struct wf_facts f = facts(WF_IN_PROCESS, 1, ROLE_OFFICER, AT_CURRENT);
	f.n_steps = 1;
	ck_assert_int_eq(wf_decide(WF_RESOLVE, &f, &res), 0);
}
END_TEST

START_TEST(test_workflow_transfer_along_the_chain)
{
	struct wf_result res;
	/* From the one-stop into step 1. */
	struct wf_facts f = facts(WF_RECEIVED, 0, ROLE_CLERK, AT_ONESTOP);
	ck_assert_int_eq(wf_decide(WF_TRANSFER, &f, &res), 0);
	ck_assert_int_eq(res.to, WF_IN_PROCESS);
	ck_assert_int_eq(res.advance, 1);
	ck_assert_int_eq(res.clock, WF_CLOCK_NONE);
	/* A procedure without steps cannot be handed over. */
	f.n_steps = 0;
	ck_assert_int_eq(wf_decide(WF_TRANSFER, &f, &res), -1);
	ck_assert_int_eq(res.http_status, 409);
	ck_assert_str_eq(res.code, "no_chain");
	/* Step 2 → 3. */
	f = facts(WF_IN_PROCESS, 2, ROLE_OFFICER, AT_CURRENT);
	ck_assert_int_eq(wf_decide(WF_TRANSFER, &f, &res), 0);
	ck_assert_int_eq(res.advance, 1);
	/* At the last step a handover has nowhere to go… */
	f = facts(WF_IN_PROCESS, 3, ROLE_OFFICER, AT_CURRENT);
	ck_assert_int_eq(wf_decide(WF_TRANSFER, &f, &res), -1);
	ck_assert_int_eq(res.http_status, 409);
	ck_assert_str_eq(res.code, "no_next_step");
	/* …but naming an officer of the same agency assigns it in place. */
	f.assign_only = 1;
	ck_assert_int_eq(wf_decide(WF_TRANSFER, &f, &res), 0);
	ck_assert_int_eq(res.to, WF_IN_PROCESS);
	ck_assert_int_eq(res.advance, 0);
	ck_assert_int_eq(res.clock, WF_CLOCK_NONE);
	/* An assignment in a middle step does not advance either. */
	f = facts(WF_IN_PROCESS, 1, ROLE_MANAGER, AT_CURRENT);
	f.assign_only = 1;
	ck_assert_int_eq(wf_decide(WF_TRANSFER, &f, &res), 0);
	ck_assert_int_eq(res.advance, 0);
}
END_TEST

START_TEST(test_workflow_supplement_received_restart_or_resume)
{
	struct wf_result res;
	struct wf_facts f = facts(WF_AWAIT_SUPPLEMENT, 2, ROLE_CLERK, AT_ONESTOP);
	ck_assert_int_eq(wf_decide(WF_SUPPLEMENT_RECEIVED, &f, &res), 0);
	ck_assert_int_eq(res.clock, WF_CLOCK_RESTART);
	ck_assert_int_eq(res.to, WF_IN_PROCESS);
	f.supplement_pause = 1;
	ck_assert_int_eq(wf_decide(WF_SUPPLEMENT_RECEIVED, &f, &res), 0);
	ck_assert_int_eq(res.clock, WF_CLOCK_RESUME);
	ck_assert_int_eq(res.to, WF_IN_PROCESS);
	/* A wait that began at the one-stop, before the chain, returns there. */
	f = facts(WF_AWAIT_SUPPLEMENT, 0, ROLE_CLERK, AT_ONESTOP);
	ck_assert_int_eq(wf_decide(WF_SUPPLEMENT_RECEIVED, &f, &res), 0);
	ck_assert_int_eq(res.to, WF_RECEIVED);
	ck_assert_int_eq(res.clock, WF_CLOCK_RESTART);
	/* Payment waits always resume (the mode is about supplements). */
	f = facts(WF_AWAIT_PAYMENT, 2, ROLE_OFFICER, AT_CURRENT);
	ck_assert_int_eq(wf_decide(WF_PAYMENT_RECEIVED, &f, &res), 0);
	ck_assert_int_eq(res.clock, WF_CLOCK_RESUME);
	f.supplement_pause = 1;
	ck_assert_int_eq(wf_decide(WF_PAYMENT_RECEIVED, &f, &res), 0);
	ck_assert_int_eq(res.clock, WF_CLOCK_RESUME);
}
END_TEST

/* A commune procedure: the receiving one-stop is also the step's agency. */
START_TEST(test_workflow_onestop_holding_the_step)
{
	struct wf_result res;
	struct wf_facts f = facts(WF_IN_PROCESS, 1, ROLE_OFFICER, AT_CURRENT);
	f.n_steps = 1;
	f.at_onestop = 1;
	ck_assert_int_eq(wf_decide(WF_RESOLVE, &f, &res), 0);
	f.role = ROLE_CLERK;
	ck_assert_int_eq(wf_decide(WF_RESOLVE, &f, &res), -1);
	ck_assert_str_eq(res.code, "role_not_allowed");
	ck_assert_int_eq(wf_decide(WF_WITHDRAW_REQUEST, &f, &res), 0);
	ck_assert_int_eq(res.to, WF_WITHDRAW_REQUESTED);
}
END_TEST

/* ---- names and state predicates ------------------------------------------ */

START_TEST(test_workflow_names_round_trip)
{
	static const char *const states[] = { NULL, "submitted_online", "received", "not_accepted",
		"in_process", "awaiting_supplement", "awaiting_payment", "withdraw_requested",
		"stopped", "resolved", "returned" };
	for (int s = WF_STATE_MIN; s <= WF_STATE_MAX; s++) {
		ck_assert_str_eq(wf_state_name(s), states[s]);
		ck_assert_int_eq(wf_state_parse(states[s]), s);
	}
	ck_assert_str_eq(wf_state_name(0), "?");
	ck_assert_str_eq(wf_state_name(11), "?");
	ck_assert_int_eq(wf_state_parse("Received"), 0);
	ck_assert_int_eq(wf_state_parse(""), 0);
	static const char *const actions[WF_ACTION__MAX] = { "accept", "refuse", "transfer",
		"request_supplement", "supplement_received", "request_payment", "payment_received",
		"extend", "withdraw_request", "withdraw_confirm", "resolve", "return" };
	for (int a = 0; a < WF_ACTION__MAX; a++) {
		enum wf_action x = WF_ACTION__MAX;
		ck_assert_str_eq(wf_action_name((enum wf_action)a), actions[a]);
		ck_assert_int_eq(wf_action_parse(actions[a], &x), 0);
		ck_assert_int_eq(x, a);
	}
	enum wf_action x = WF_ACCEPT;
	ck_assert_int_eq(wf_action_parse("approve", &x), -1);
	ck_assert_str_eq(wf_clock_name(WF_CLOCK_NONE), "");
	ck_assert_str_eq(wf_clock_name(WF_CLOCK_START), "start");
	ck_assert_str_eq(wf_clock_name(WF_CLOCK_PAUSE), "pause");
	ck_assert_str_eq(wf_clock_name(WF_CLOCK_RESUME), "resume");
	ck_assert_str_eq(wf_clock_name(WF_CLOCK_RESTART), "restart");
	ck_assert_str_eq(wf_clock_name(WF_CLOCK_STOP), "stop");
	ck_assert_str_eq(wf_clock_name(WF_CLOCK_EXTEND), "extend");
	ck_assert_str_eq(wf_class_name(WF_EARLY), "early");
	ck_assert_str_eq(wf_class_name(WF_ON_TIME), "on_time");
	ck_assert_str_eq(wf_class_name(WF_LATE), "late");
	ck_assert_ptr_null(wf_class_name(WF_CLASS_NONE));
}
END_TEST

START_TEST(test_workflow_state_predicates)
{
	/* §3.2: terminal 3, 8, 10; clock runs in 2, 4 and 7 (until decided);
	 * open work is everything not terminal and not resolved. */
	static const int terminal[11] = { 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1 };
	static const int running[11] = { 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0 };
	static const int open[11] = { 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0 };
	for (int s = WF_STATE_MIN; s <= WF_STATE_MAX; s++) {
		ck_assert_msg(wf_terminal(s) == terminal[s], "terminal(%d)", s);
		ck_assert_msg(wf_clock_running(s) == running[s], "running(%d)", s);
		ck_assert_msg(wf_open(s) == open[s], "open(%d)", s);
	}
	ck_assert_int_eq(wf_open(0), 0);
	ck_assert_int_eq(wf_open(11), 0);
}
END_TEST

/* ---- classification ---------------------------------------------------- */

static int64_t local(int y, int m, int d, int hh, int mm)
{
	return date_at(date_from_civil(y, m, d), hh * 60 + mm);
}

START_TEST(test_workflow_classify_edges)
{
	int64_t due = local(2026, 3, 26, 9, 0);
	ck_assert_int_eq(wf_classify(local(2026, 3, 26, 8, 59), due), WF_ON_TIME);
	ck_assert_int_eq(wf_classify(due, due), WF_ON_TIME);
	ck_assert_int_eq(wf_classify(local(2026, 3, 26, 9, 1), due), WF_LATE);
	ck_assert_int_eq(wf_classify(due + 1, due), WF_LATE);	/* one second is late */
	ck_assert_int_eq(wf_classify(local(2026, 3, 26, 0, 0), due), WF_ON_TIME);
	ck_assert_int_eq(wf_classify(local(2026, 3, 25, 23, 59), due), WF_EARLY);
	ck_assert_int_eq(wf_classify(local(2026, 3, 25, 16, 0), due), WF_EARLY);
	ck_assert_int_eq(wf_classify(local(2026, 2, 1, 8, 0), due), WF_EARLY);
	ck_assert_int_eq(wf_classify(local(2026, 3, 27, 7, 30), due), WF_LATE);
}
END_TEST

START_TEST(test_workflow_classify_due_at_midnight)
{
	/* The local date decides "early", not the 24 hours before due. */
	int64_t due = local(2026, 3, 26, 0, 0);
	ck_assert_int_eq(wf_classify(local(2026, 3, 25, 23, 59), due), WF_EARLY);
	ck_assert_int_eq(wf_classify(due, due), WF_ON_TIME);
	ck_assert_int_eq(wf_classify(local(2026, 3, 26, 0, 1), due), WF_LATE);
	/* Due at the end of an afternoon session. */
	due = local(2026, 3, 26, 17, 0);
	ck_assert_int_eq(wf_classify(local(2026, 3, 26, 7, 30), due), WF_ON_TIME);
	ck_assert_int_eq(wf_classify(local(2026, 3, 26, 17, 0), due), WF_ON_TIME);
	ck_assert_int_eq(wf_classify(local(2026, 3, 26, 17, 1), due), WF_LATE);
}
END_TEST

START_TEST(test_workflow_classify_without_due)
{
	/* No published limit: never late, never early. */
	ck_assert_int_eq(wf_classify(local(2026, 3, 26, 9, 0), 0), WF_ON_TIME);
	ck_assert_int_eq(wf_classify(local(2099, 1, 1, 0, 0), 0), WF_ON_TIME);
	ck_assert_int_eq(wf_classify(local(2000, 1, 1, 0, 0), 0), WF_ON_TIME);
}
END_TEST

Suite *workflow_suite(void)
{
	Suite *s = suite_create("workflow");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, test_workflow_every_transition_at_a_middle_step);
	tcase_add_test(tc, test_workflow_every_transition_at_the_last_step);
	tcase_add_test(tc, test_workflow_named_refusals);
	tcase_add_test(tc, test_workflow_unknown_action);
	tcase_add_test(tc, test_workflow_onestop_holding_the_step);
	suite_add_tcase(s, tc);
	tc = tcase_create("guards");
	tcase_add_test(tc, test_workflow_second_supplement_refused);
	tcase_add_test(tc, test_workflow_second_extension_refused);
	tcase_add_test(tc, test_workflow_resolve_only_at_last_step);
	tcase_add_test(tc, test_workflow_transfer_along_the_chain);
	tcase_add_test(tc, test_workflow_supplement_received_restart_or_resume);
	suite_add_tcase(s, tc);
	tc = tcase_create("names");
	tcase_add_test(tc, test_workflow_names_round_trip);
	tcase_add_test(tc, test_workflow_state_predicates);
	suite_add_tcase(s, tc);
	tc = tcase_create("classify");
	tcase_add_test(tc, test_workflow_classify_edges);
	tcase_add_test(tc, test_workflow_classify_due_at_midnight);
	tcase_add_test(tc, test_workflow_classify_without_due);
	suite_add_tcase(s, tc);
	return s;
}
