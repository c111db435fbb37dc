/*
 * motcua tests — a dossier's legal life through the HTTP API (issue 3),
 * with time travel: the inter-agency chain, supplement (restart and pause
 * modes), payment waits, the apology and extension, classification at
 * resolution, withdrawal, refusal after appraisal, return, the history and
 * the queues; and every refused action answers 409/403 and changes nothing.
 *
 * Procedure 1.013831 (18 working days) runs NN&MT 000.00.21 (72 h) → Thuế
 * 000.00.41 (36 h) → NN&MT (36 h); `clerk` works at the receiving centre
 * 000.01.01.H56, `officer` and `manager.nnmt` at NN&MT, `officer.thue` at
 * Thuế, `manager` at the province (above all of them). Office hours are
 * 07:30–11:30 and 13:00–17:00; 2026's holidays are in calendar-vn.csv
 * (Hùng Kings Mon 27/4, 30/4–1/5).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tests.h"
#include "workflow.h"

#define CENTRE "000.01.01.H56"
#define NNMT "000.00.21.H56"
#define THUE "000.00.41.H56"
#define PROC_LAND "1.013831"

/* ---- helpers --------------------------------------------------------------- */

/* POST an action built with printf; returns the response (free it). */
static struct tu_response *actf(const char *user, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct tu_response *actf(const char *user, const char *code, const char *fmt, ...)
{
	char body[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	return tu_action(user, code, body);
}

/* An action that must succeed; returns the dossier it answers with. */
static struct tu_response *act_ok(const char *user, const char *code, const char *body)
{
	struct tu_response *r = tu_action(user, code, body);
	ck_assert_msg(r->status == 200, "%s: %s → %d %s", user, body, r->status, r->body);
	return r;
}

static void act_done(const char *user, const char *code, const char *body)
{
	tu_response_free(act_ok(user, code, body));
}

static void assert_refused(struct tu_response *r, int status, const char *code, const char *what)
{
	ck_assert_msg(r->status == status, "%s: %d, want %d: %s", what, r->status, status, r->body);
	const char *got = tu_str(r->json, "error.code");
	ck_assert_msg(got && strcmp(got, code) == 0, "%s: %s, want %s", what, got ? got : r->body, code);
	tu_response_free(r);
}

static struct tu_response *get_dossier(const char *user, const char *code)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s", code);
	return tu_expect(200, "GET", path, tu_login(user), NULL);
}

static struct tu_response *get_events(const char *code)
{
	char path[112];
	snprintf(path, sizeof(path), "/api/v1/dossiers/%s/events", code);
	return tu_expect(200, "GET", path, tu_login("manager"), NULL);
}

static int n_items(const struct tu_response *r)
{
	return cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "items"));
}

/* "state*1000 + events" of a dossier, read straight from the database:
 * one number that any write would change. */
static int64_t fingerprint(const char *code)
{
	char sql[300];
	snprintf(sql, sizeof(sql),
		 "SELECT d.state * 1000 + (SELECT count(*) FROM event e WHERE e.dossier_id = d.id)"
		 " + 1000000 * d.supplement_count + 10000000 * d.extension_count"
		 " FROM dossier d WHERE d.code = '%s'", code);
	return tu_db_int(sql);
}

/* One event of the history, field by field; NULL expects JSON null. */
static void assert_event(const struct tu_response *ev, int i, const char *action, const char *from,
			 const char *to, int step, const char *clock, const char *due, const char *at)
{
	char p[64];
	const cJSON *items = cJSON_GetObjectItem(ev->json, "items");
	const cJSON *e = cJSON_GetArrayItem(items, i);
	ck_assert_msg(e != NULL, "no event %d", i);
	ck_assert_msg(!strcmp(tu_str(e, "action"), action), "event %d: %s, want %s", i, tu_str(e, "action"),
		      action);
#define STR_OR_NULL(key, want)                                                                   \
	do {                                                                                     \
		const char *got_ = tu_str(e, key);                                               \
		snprintf(p, sizeof(p), "event %d (%s) " key, i, action);                         \
		if (want)                                                                        \
			ck_assert_msg(got_ && !strcmp(got_, want), "%s: %s, want %s", p,          \
				      got_ ? got_ : "null", (const char *)want);                 \
		else                                                                             \
			ck_assert_msg(cJSON_IsNull(cJSON_GetObjectItem(e, key)), "%s: %s, want null", \
				      p, got_ ? got_ : "?");                                     \
	} while (0)
	STR_OR_NULL("from_state", from);
	STR_OR_NULL("to_state", to);
	STR_OR_NULL("clock", clock);
	STR_OR_NULL("due_at", due);
	STR_OR_NULL("at", at);
#undef STR_OR_NULL
	ck_assert_msg((int)tu_num(e, "step") == step, "event %d (%s): step %d, want %d", i, action,
		      (int)tu_num(e, "step"), step);
}

/* Receive 1.013831 at 09:00 on Monday 2/3/2026 (due Thu 26/3 09:00) and
 * hand it to the chain at 10:00. */
static const char *land_dossier_in_chain(void)
{
	static char code[40];
	tu_set_now_local(2026, 3, 2, 9, 0);
	snprintf(code, sizeof(code), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	tu_set_now_local(2026, 3, 2, 10, 0);
	act_done("clerk", code, "{\"action\":\"transfer\"}");
	return code;
}

static int queue_has(const char *user, const char *code)
{
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/dossiers?queue=true&limit=200",
					  tu_login(user), NULL);
	const cJSON *it;
	int found = 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(r->json, "items"))
		found |= strcmp(tu_str(it, "code"), code) == 0;
	tu_response_free(r);
	return found;
}

/* ---- the "Done when" scenario ----------------------------------------- */

START_TEST(test_api_lifecycle_two_agency_story)
{
	tu_server_start(NULL);
	/* 1. Received Mon 2/3 09:00: 18 working days → Thu 26/3 09:00. */
	tu_set_now_local(2026, 3, 2, 9, 0);
	char code[40];
	snprintf(code, sizeof(code), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	/* 2. Transferred at 10:00 to NN&MT: its 72 h run to Fri 13/3 10:00. */
	tu_set_now_local(2026, 3, 2, 10, 0);
	struct tu_response *r = act_ok("clerk", code, "{\"action\":\"transfer\",\"note\":\"Chuyển hồ sơ giấy\"}");
	ck_assert_str_eq(tu_str(r->json, "state"), "in_process");
	ck_assert_int_eq((int)tu_num(r->json, "current_step"), 1);
	ck_assert_str_eq(tu_str(r->json, "current_agency.code"), NNMT);
	ck_assert_str_eq(tu_str(r->json, "chain.0.due_at"), "2026-03-13T10:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.0.status"), "current");
	tu_response_free(r);
	ck_assert(queue_has("officer", code));
	ck_assert(!queue_has("officer.thue", code));
	/* 3. Wed 4/3 14:00 NN&MT asks for a supplement, through the one-stop. */
	tu_set_now_local(2026, 3, 4, 14, 0);
	r = act_ok("officer", code,
		   "{\"action\":\"request_supplement\",\"reason\":\"Thiếu hợp đồng chuyển nhượng\","
		   "\"items\":[{\"name\":\"Hợp đồng chuyển nhượng\",\"kind\":\"certified_copy\"}]}");
	ck_assert_str_eq(tu_str(r->json, "state"), "awaiting_supplement");
	ck_assert_str_eq(tu_str(r->json, "current_agency.code"), CENTRE);
	ck_assert_str_eq(tu_str(r->json, "paused_at"), "2026-03-04T14:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "supplement_requested_at"), "2026-03-04T14:00:00+07:00");
	tu_response_free(r);
	ck_assert(!queue_has("officer", code));
	ck_assert(queue_has("clerk", code));
	/* 4. The citizen brings it on Thu 9/4 09:00: the 18 days count again
	 * from then — 10/4, 13–17, 20–24, 28, 29/4, 4–8/5 → Fri 8/5 09:00 —
	 * and so do step 1's 72 h (→ Wed 22/4 09:00). */
	tu_set_now_local(2026, 4, 9, 9, 0);
	r = act_ok("clerk", code, "{\"action\":\"supplement_received\"}");
	ck_assert_str_eq(tu_str(r->json, "state"), "in_process");
	ck_assert_str_eq(tu_str(r->json, "current_agency.code"), NNMT);
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-05-08T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "appointment_at"), "2026-05-08T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "first_due_at"), "2026-03-26T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "supplement_returned_at"), "2026-04-09T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.0.due_at"), "2026-04-22T09:00:00+07:00");
	ck_assert_ptr_null(tu_str(r->json, "paused_at"));
	/* Waited: Wed 4/3 14:00 → Thu 9/4 09:00 in working hours (3 h on 4/3,
	 * 25 working days 5/3–8/4, 1.5 h on 9/4). */
	ck_assert_double_eq(tu_num(r->json, "waited_hours"), 3 + 25 * 8 + 1.5);
	tu_response_free(r);
	/* 5. Tue 14/4 10:00 NN&MT passes it to Thuế: step 1 done early;
	 * Thuế's 36 h run to Mon 20/4 15:30. */
	tu_set_now_local(2026, 4, 14, 10, 0);
	act_done("officer", code, "{\"action\":\"transfer\"}");
	ck_assert(queue_has("officer.thue", code));
	ck_assert(!queue_has("officer", code));
	/* The previous agency can no longer act on it. */
	assert_refused(tu_action("officer", code, "{\"action\":\"request_payment\"}"), 403, "not_your_queue",
		       "NN&MT at Thuế's step");
	assert_refused(tu_action("manager.nnmt", code, "{\"action\":\"extend\",\"reason\":\"x\","
				 "\"new_appointment\":\"2026-06-01T16:00:00+07:00\"}"),
		       403, "not_your_queue", "NN&MT's head at Thuế's step");
	/* 6. Wed 22/4 09:00 Thuế passes it back, late; the last step's 36 h
	 * (Hùng Kings on 27/4) run to Wed 29/4 14:30. */
	tu_set_now_local(2026, 4, 22, 9, 0);
	act_done("officer.thue", code, "{\"action\":\"transfer\"}");
	ck_assert(queue_has("officer", code));
	ck_assert(!queue_has("officer.thue", code));
	/* 7. Tue 5/5 10:00 NN&MT's head apologises and extends to 13/5 16:00. */
	tu_set_now_local(2026, 5, 5, 10, 0);
	r = act_ok("manager.nnmt", code,
		   "{\"action\":\"extend\",\"reason\":\"Chờ kết quả đo đạc lại thửa đất\","
		   "\"new_appointment\":\"2026-05-13T16:00:00+07:00\"}");
	ck_assert_str_eq(tu_str(r->json, "appointment_at"), "2026-05-13T16:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-05-08T09:00:00+07:00");	/* unchanged */
	ck_assert_str_eq(tu_str(r->json, "extended_at"), "2026-05-05T10:00:00+07:00");
	ck_assert_int_eq((int)tu_num(r->json, "extension_count"), 1);
	tu_response_free(r);
	/* 8. Mon 11/5 10:00, after the due time but before the new
	 * appointment: resolved, and late all the same. */
	tu_set_now_local(2026, 5, 11, 10, 0);
	r = act_ok("officer", code, "{\"action\":\"resolve\",\"result\":\"Đã cập nhật biến động, cấp GCN\"}");
	ck_assert_str_eq(tu_str(r->json, "state"), "resolved");
	ck_assert_str_eq(tu_str(r->json, "result"), "late");
	ck_assert_str_eq(tu_str(r->json, "resolved_at"), "2026-05-11T10:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "current_agency.code"), CENTRE);	/* ready at the one-stop */
	tu_response_free(r);
	ck_assert(queue_has("clerk", code));
	/* 9. Tue 12/5 09:00 handed over at the counter. */
	tu_set_now_local(2026, 5, 12, 9, 0);
	r = act_ok("clerk", code, "{\"action\":\"return\",\"method\":\"counter\"}");
	ck_assert_str_eq(tu_str(r->json, "state"), "returned");
	ck_assert_str_eq(tu_str(r->json, "return_method"), "counter");
	ck_assert_str_eq(tu_str(r->json, "returned_at"), "2026-05-12T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "result"), "late");	/* frozen */
	ck_assert_ptr_null(tu_str(r->json, "current_agency.code"));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "allowed_actions")), 0);
	tu_response_free(r);

	/* The chain: each step's own start, due, end and result. */
	r = get_dossier("manager", code);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "chain")), 3);
	ck_assert_str_eq(tu_str(r->json, "chain.0.agency.code"), NNMT);
	ck_assert_str_eq(tu_str(r->json, "chain.0.started_at"), "2026-04-09T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.0.due_at"), "2026-04-22T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.0.finished_at"), "2026-04-14T10:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.0.result"), "early");
	ck_assert_str_eq(tu_str(r->json, "chain.0.status"), "done");
	ck_assert_str_eq(tu_str(r->json, "chain.1.agency.code"), THUE);
	ck_assert_str_eq(tu_str(r->json, "chain.1.started_at"), "2026-04-14T10:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.1.due_at"), "2026-04-20T15:30:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.1.finished_at"), "2026-04-22T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.1.result"), "late");
	ck_assert_str_eq(tu_str(r->json, "chain.2.agency.code"), NNMT);
	ck_assert_str_eq(tu_str(r->json, "chain.2.started_at"), "2026-04-22T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.2.due_at"), "2026-04-29T14:30:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.2.finished_at"), "2026-05-11T10:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.2.result"), "late");
	ck_assert_int_eq((int)tu_num(r->json, "supplement_count"), 1);
	ck_assert_int_eq((int)tu_num(r->json, "extension_count"), 1);
	tu_response_free(r);

	/* The history says exactly that. */
	struct tu_response *ev = get_events(code);
	ck_assert_int_eq(n_items(ev), 9);
	const char *due1 = "2026-03-26T09:00:00+07:00", *due2 = "2026-05-08T09:00:00+07:00";
	assert_event(ev, 0, "receive", NULL, "received", 0, "start", due1, "2026-03-02T09:00:00+07:00");
	assert_event(ev, 1, "transfer", "received", "in_process", 1, NULL, due1, "2026-03-02T10:00:00+07:00");
	assert_event(ev, 2, "request_supplement", "in_process", "awaiting_supplement", 1, "pause", due1,
		     "2026-03-04T14:00:00+07:00");
	assert_event(ev, 3, "supplement_received", "awaiting_supplement", "in_process", 1, "restart", due2,
		     "2026-04-09T09:00:00+07:00");
	assert_event(ev, 4, "transfer", "in_process", "in_process", 2, NULL, due2, "2026-04-14T10:00:00+07:00");
	assert_event(ev, 5, "transfer", "in_process", "in_process", 3, NULL, due2, "2026-04-22T09:00:00+07:00");
	assert_event(ev, 6, "extend", "in_process", "in_process", 3, "extend", due2, "2026-05-05T10:00:00+07:00");
	assert_event(ev, 7, "resolve", "in_process", "resolved", 3, "stop", due2, "2026-05-11T10:00:00+07:00");
	assert_event(ev, 8, "return", "resolved", "returned", 3, NULL, due2, "2026-05-12T09:00:00+07:00");
	/* Who acted, and what each event carries. */
	ck_assert_str_eq(tu_str(ev->json, "items.1.actor"), "clerk");
	ck_assert_str_eq(tu_str(ev->json, "items.1.note"), "Chuyển hồ sơ giấy");
	ck_assert_str_eq(tu_str(ev->json, "items.1.data.to_agency"), NNMT);
	ck_assert_str_eq(tu_str(ev->json, "items.2.actor"), "officer");
	ck_assert_str_eq(tu_str(ev->json, "items.2.actor_agency"), NNMT);
	ck_assert_str_eq(tu_str(ev->json, "items.2.data.reason"), "Thiếu hợp đồng chuyển nhượng");
	ck_assert_str_eq(tu_str(ev->json, "items.2.data.items.0.name"), "Hợp đồng chuyển nhượng");
	ck_assert_str_eq(tu_str(ev->json, "items.2.data.items.0.kind"), "certified_copy");
	ck_assert_str_eq(tu_str(ev->json, "items.4.data.to_agency"), THUE);
	ck_assert_int_eq((int)tu_num(ev->json, "items.4.data.step_done.seq"), 1);
	ck_assert_str_eq(tu_str(ev->json, "items.4.data.step_done.result"), "early");
	ck_assert_str_eq(tu_str(ev->json, "items.5.actor"), "officer.thue");
	ck_assert_str_eq(tu_str(ev->json, "items.5.data.step_done.result"), "late");
	ck_assert_str_eq(tu_str(ev->json, "items.6.actor"), "manager.nnmt");
	ck_assert_str_eq(tu_str(ev->json, "items.6.data.new_appointment"), "2026-05-13T16:00:00+07:00");
	ck_assert_str_eq(tu_str(ev->json, "items.6.data.reason"), "Chờ kết quả đo đạc lại thửa đất");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(
		cJSON_GetArrayItem(cJSON_GetObjectItem(ev->json, "items"), 6), "data"), "before_due")));
	ck_assert_str_eq(tu_str(ev->json, "items.7.data.result"), "late");
	ck_assert_str_eq(tu_str(ev->json, "items.7.data.summary"), "Đã cập nhật biến động, cấp GCN");
	ck_assert_str_eq(tu_str(ev->json, "items.7.data.step_done.result"), "late");
	ck_assert_str_eq(tu_str(ev->json, "items.8.data.method"), "counter");
	/* Append-only and chained: increasing sequence, distinct hashes. */
	for (int i = 1; i < 9; i++) {
		char a[32], b[32];
		snprintf(a, sizeof(a), "items.%d.seq", i - 1);
		snprintf(b, sizeof(b), "items.%d.seq", i);
		ck_assert(tu_num(ev->json, a) < tu_num(ev->json, b));
		snprintf(a, sizeof(a), "items.%d.hash", i - 1);
		snprintf(b, sizeof(b), "items.%d.hash", i);
		ck_assert_str_ne(tu_str(ev->json, a), tu_str(ev->json, b));
	}
	tu_response_free(ev);
	tu_server_stop();
}
END_TEST

/* ---- refusals change nothing ---------------------------------------------------- */

/* Who is who, by agency (independent of the server's tables). */
struct actor {
	const char *user;
	enum role role;
	const char *agency;
};

static const struct actor actors[] = {
	{ "clerk", ROLE_CLERK, CENTRE },
	{ "officer", ROLE_OFFICER, NNMT },
	{ "officer.thue", ROLE_OFFICER, THUE },
	{ "manager.nnmt", ROLE_MANAGER, NNMT },
	{ "manager", ROLE_MANAGER, "000.00.00.H56" },
};

/* Step holders of 1.013831 (0 = the one-stop). */
static const char *holder_of(int step)
{
	static const char *const holders[] = { CENTRE, NNMT, THUE, NNMT };
	return holders[step];
}

/* The facts of the state machine, as this test understands the demo:
 * the province's manager is above every agency. */
static struct wf_facts facts_for(const struct actor *a, int state, int step, int supplements,
				 int extensions)
{
	struct wf_facts f;
	memset(&f, 0, sizeof(f));
	f.state = state;
	f.step = step;
	f.n_steps = 3;
	f.supplement_count = supplements;
	f.extension_count = extensions;
	f.role = a->role;
	f.at_onestop = !strcmp(a->agency, CENTRE);
	f.at_current = !strcmp(a->agency, holder_of(step))
		       || (a->role == ROLE_MANAGER && !strcmp(a->agency, "000.00.00.H56"));
	return f;
}

/* In the dossier's present state, for every actor: the actions the API
 * offers are the ones the state machine allows, and every other action
 * answers its 403/409 and leaves the dossier and its history alone. */
static void check_refusals(const char *code, int state, int step, int supplements, int extensions)
{
	static const char *const all_inputs =
		"\"reason\":\"Lý do\",\"result\":\"Kết quả\",\"method\":\"counter\","
		"\"new_appointment\":\"2030-01-01T16:00:00+07:00\",\"items\":[{\"name\":\"Giấy tờ\"}]";
	int64_t before = fingerprint(code);
	for (size_t k = 0; k < sizeof(actors) / sizeof(actors[0]); k++) {
		const struct actor *a = &actors[k];
		struct wf_facts f = facts_for(a, state, step, supplements, extensions);
		struct tu_response *d = get_dossier(a->user, code);
		ck_assert_str_eq(tu_str(d->json, "state"), wf_state_name(state));
		const cJSON *offered = cJSON_GetObjectItem(d->json, "allowed_actions");
		for (int x = 0; x < WF_ACTION__MAX; x++) {
			struct wf_result res;
			int is_offered = 0;
			const cJSON *it;
			cJSON_ArrayForEach(it, offered)
				is_offered |= !strcmp(it->valuestring, wf_action_name((enum wf_action)x));
			/* Offered: allowed, counting an assignment at the last step. */
			struct wf_facts g = f;
			g.assign_only = x == WF_TRANSFER && state == WF_IN_PROCESS && step == 3;
			int allowed = wf_decide((enum wf_action)x, &g, &res) == 0;
			ck_assert_msg(is_offered == allowed, "%s in %s step %d: %s %s offered", a->user,
				      wf_state_name(state), step, wf_action_name((enum wf_action)x),
				      is_offered ? "is" : "is not");
			/* Asked without an assignee: refused or not? */
			if (wf_decide((enum wf_action)x, &f, &res) == 0)
				continue;
			struct tu_response *r = actf(a->user, code, "{\"action\":\"%s\",%s}",
						     wf_action_name((enum wf_action)x), all_inputs);
			char what[160];
			snprintf(what, sizeof(what), "%s asks %s in %s step %d", a->user,
				 wf_action_name((enum wf_action)x), wf_state_name(state), step);
			ck_assert_msg(r->status == res.http_status, "%s: %d, want %d %s: %s", what, r->status,
				      res.http_status, res.code, r->body);
			ck_assert_msg(!strcmp(tu_str(r->json, "error.code"), res.code), "%s: %s, want %s", what,
				      tu_str(r->json, "error.code"), res.code);
			tu_response_free(r);
			ck_assert_msg(fingerprint(code) == before, "%s changed the dossier", what);
		}
		tu_response_free(d);
	}
	/* Roles the route itself refuses. */
	static const char *const outsiders[] = { "admin", "auditor" };
	for (int i = 0; i < 2; i++) {
		struct tu_response *r = actf(outsiders[i], code, "{\"action\":\"resolve\",%s}", all_inputs);
		assert_refused(r, 403, "forbidden", outsiders[i]);
	}
	/* Out of scope: as if it did not exist. */
	assert_refused(tu_action("clerk.hacthanh", code, "{\"action\":\"return\",\"method\":\"counter\"}"),
		       404, "not_found", "commune clerk");
	ck_assert_int_eq(fingerprint(code), before);
}

START_TEST(test_api_lifecycle_refusals_change_nothing)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	char code[40], other[40];
	snprintf(code, sizeof(code), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	snprintf(other, sizeof(other), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	check_refusals(code, WF_RECEIVED, 0, 0, 0);
	act_done("clerk", code, "{\"action\":\"transfer\"}");
	check_refusals(code, WF_IN_PROCESS, 1, 0, 0);
	act_done("officer", code, "{\"action\":\"request_supplement\",\"reason\":\"Thiếu\",\"items\":[{\"name\":\"Đơn\"}]}");
	check_refusals(code, WF_AWAIT_SUPPLEMENT, 1, 1, 0);
	tu_set_now_local(2026, 3, 3, 9, 0);
	act_done("clerk", code, "{\"action\":\"supplement_received\"}");
	check_refusals(code, WF_IN_PROCESS, 1, 1, 0);	/* a second supplement is refused */
	act_done("officer", code, "{\"action\":\"transfer\"}");
	check_refusals(code, WF_IN_PROCESS, 2, 1, 0);
	act_done("officer.thue", code, "{\"action\":\"request_payment\",\"amount_vnd\":1500000}");
	check_refusals(code, WF_AWAIT_PAYMENT, 2, 1, 0);
	act_done("officer.thue", code, "{\"action\":\"payment_received\",\"method\":\"online\"}");
	act_done("officer.thue", code, "{\"action\":\"transfer\"}");
	check_refusals(code, WF_IN_PROCESS, 3, 1, 0);
	act_done("manager.nnmt", code, "{\"action\":\"extend\",\"reason\":\"Chậm\","
		 "\"new_appointment\":\"2026-04-30T16:00:00+07:00\"}");
	check_refusals(code, WF_IN_PROCESS, 3, 1, 1);	/* a second extension is refused */
	act_done("officer", code, "{\"action\":\"resolve\",\"result\":\"Xong\"}");
	check_refusals(code, WF_RESOLVED, 3, 1, 1);
	act_done("clerk", code, "{\"action\":\"return\",\"method\":\"postal\"}");
	check_refusals(code, WF_RETURNED, 3, 1, 1);
	/* The withdrawal path. */
	act_done("clerk", other, "{\"action\":\"withdraw_request\",\"reason\":\"Công dân xin rút\"}");
	check_refusals(other, WF_WITHDRAW_REQUESTED, 0, 0, 0);
	act_done("clerk", other, "{\"action\":\"withdraw_confirm\"}");
	check_refusals(other, WF_STOPPED, 0, 0, 0);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_lifecycle_bad_action_inputs)
{
	tu_server_start(NULL);
	const char *code = land_dossier_in_chain();
	int64_t before = fingerprint(code);
	static const struct { const char *user, *body; int status; const char *code, *field; } cases[] = {
		{ "officer", "{\"action\":\"approve\"}", 422, "unknown_action", "action" },
		{ "officer", "{}", 422, "missing_field", "action" },
		{ "officer", "{\"action\":\"resolve\",\"colour\":\"red\"}", 422, "unknown_field", "colour" },
		{ "officer", "{\"action\":\"refuse\"}", 422, "missing_field", "reason" },
		{ "officer", "{\"action\":\"refuse\",\"reason\":\"\"}", 422, "invalid_field", "reason" },
		{ "officer", "{\"action\":\"request_supplement\",\"reason\":\"Thiếu\"}", 422, "missing_field",
		  "items" },
		{ "officer", "{\"action\":\"request_supplement\",\"items\":[{\"name\":\"Đơn\"}]}", 422,
		  "missing_field", "reason" },
		{ "officer", "{\"action\":\"request_supplement\",\"reason\":\"x\",\"items\":[{\"kind\":\"copy\"}]}",
		  422, "missing_field", "items[0].name" },
		{ "officer", "{\"action\":\"request_supplement\",\"reason\":\"x\",\"items\":[{\"name\":\"a\","
			     "\"kind\":\"photo\"}]}", 422, "invalid_field", "items[0].kind" },
		{ "manager.nnmt", "{\"action\":\"extend\",\"new_appointment\":\"2026-04-01T16:00:00+07:00\"}", 422,
		  "missing_field", "reason" },
		{ "manager.nnmt", "{\"action\":\"extend\",\"reason\":\"x\",\"new_appointment\":\"tomorrow\"}", 422,
		  "invalid_field", "new_appointment" },
		/* Not later than the present appointment (26/3 09:00). */
		{ "manager.nnmt", "{\"action\":\"extend\",\"reason\":\"x\","
				  "\"new_appointment\":\"2026-03-26T09:00:00+07:00\"}", 422, "invalid_field",
		  "new_appointment" },
		{ "manager.nnmt", "{\"action\":\"extend\",\"reason\":\"x\"}", 422, "invalid_field",
		  "new_appointment" },
		{ "officer", "{\"action\":\"transfer\",\"assignee\":\"nobody\"}", 422, "unknown_assignee", "assignee" },
		{ "officer", "{\"action\":\"transfer\",\"assignee\":\"clerk\"}", 422, "invalid_assignee", "assignee" },
		{ "officer", "{\"action\":\"transfer\",\"assignee\":\"officer.tuphap\"}", 422, "invalid_assignee",
		  "assignee" },
		{ "officer", "{\"action\":\"request_payment\",\"amount_vnd\":-5}", 422, "invalid_field",
		  "amount_vnd" },
		{ "officer", "{\"action\":\"request_payment\",\"amount_vnd\":\"5\"}", 422, "invalid_field",
		  "amount_vnd" },
		{ "officer", "{\"action\":\"resolve\"", 400, "invalid_json", NULL },
	};
	tu_set_now_local(2026, 3, 3, 9, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tu_response *r = tu_action(cases[i].user, code, cases[i].body);
		ck_assert_msg(r->status == cases[i].status, "%s: %d %s", cases[i].body, r->status, r->body);
		ck_assert_str_eq(tu_str(r->json, "error.code"), cases[i].code);
		if (cases[i].field)
			ck_assert_str_eq(tu_str(r->json, "error.field"), cases[i].field);
		tu_response_free(r);
		ck_assert_msg(fingerprint(code) == before, "%s changed the dossier", cases[i].body);
	}
	/* Resolve without a result, at the last step. */
	act_done("officer", code, "{\"action\":\"transfer\"}");
	act_done("officer.thue", code, "{\"action\":\"transfer\"}");
	before = fingerprint(code);
	assert_refused(tu_action("officer", code, "{\"action\":\"resolve\"}"), 422, "missing_field", "no result");
	act_done("officer", code, "{\"action\":\"resolve\",\"result\":\"Xong\"}");
	assert_refused(tu_action("clerk", code, "{\"action\":\"return\",\"method\":\"courier\"}"), 422,
		       "invalid_field", "return by courier");
	assert_refused(tu_action("clerk", code, "{\"action\":\"return\"}"), 422, "invalid_field",
		       "return without method");
	tu_server_stop();
}
END_TEST

/* ---- once only ---------------------------------------------------------------------- */

START_TEST(test_api_lifecycle_second_supplement_and_extension_refused)
{
	tu_server_start(NULL);
	const char *code = land_dossier_in_chain();
	tu_set_now_local(2026, 3, 3, 9, 0);
	act_done("officer", code, "{\"action\":\"request_supplement\",\"reason\":\"Thiếu\",\"items\":[{\"name\":\"Đơn\"}]}");
	tu_set_now_local(2026, 3, 5, 9, 0);
	act_done("clerk", code, "{\"action\":\"supplement_received\"}");
	int64_t before = fingerprint(code);
	assert_refused(tu_action("officer", code, "{\"action\":\"request_supplement\",\"reason\":\"Lại thiếu\","
				 "\"items\":[{\"name\":\"Bản vẽ\"}]}"),
		       409, "supplement_already_requested", "second supplement by the agency");
	assert_refused(tu_action("clerk", code, "{\"action\":\"request_supplement\",\"reason\":\"Lại thiếu\","
				 "\"items\":[{\"name\":\"Bản vẽ\"}]}"),
		       409, "supplement_already_requested", "second supplement by the one-stop");
	ck_assert_int_eq(fingerprint(code), before);
	tu_set_now_local(2026, 3, 20, 9, 0);
	act_done("manager.nnmt", code, "{\"action\":\"extend\",\"reason\":\"Chờ xác minh\","
		 "\"new_appointment\":\"2026-04-10T16:00:00+07:00\"}");
	before = fingerprint(code);
	assert_refused(tu_action("manager.nnmt", code, "{\"action\":\"extend\",\"reason\":\"Lại chậm\","
				 "\"new_appointment\":\"2026-04-20T16:00:00+07:00\"}"),
		       409, "extension_already_used", "second extension");
	ck_assert_int_eq(fingerprint(code), before);
	struct tu_response *r = get_dossier("clerk", code);
	ck_assert_str_eq(tu_str(r->json, "appointment_at"), "2026-04-10T16:00:00+07:00");
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

/* ---- the clock ---------------------------------------------------------------------- */

START_TEST(test_api_lifecycle_pause_mode_moves_due)
{
	struct tu_options opt = { 0, 1, 0 };	/* [rules] supplement_mode = pause */
	tu_server_start(&opt);
	const char *code = land_dossier_in_chain();	/* due Thu 26/3 09:00, step 1 Fri 13/3 10:00 */
	tu_set_now_local(2026, 3, 4, 14, 0);
	act_done("officer", code, "{\"action\":\"request_supplement\",\"reason\":\"Thiếu\",\"items\":[{\"name\":\"Đơn\"}]}");
	/* Back on Mon 9/3 14:00: three working days waited (Thu, Fri, Mon to
	 * 14:00 = 24 h), so due and step due move by three working days. */
	tu_set_now_local(2026, 3, 9, 14, 0);
	struct tu_response *r = act_ok("clerk", code, "{\"action\":\"supplement_received\"}");
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-31T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "appointment_at"), "2026-03-31T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "first_due_at"), "2026-03-26T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.0.due_at"), "2026-03-18T10:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.0.started_at"), "2026-03-02T10:00:00+07:00");
	ck_assert_double_eq(tu_num(r->json, "waited_hours"), 24);
	tu_response_free(r);
	struct tu_response *ev = get_events(code);
	assert_event(ev, 3, "supplement_received", "awaiting_supplement", "in_process", 1, "resume",
		     "2026-03-31T09:00:00+07:00", "2026-03-09T14:00:00+07:00");
	tu_response_free(ev);
	/* Resolved on Mon 30/3: before the moved due date → early. */
	tu_set_now_local(2026, 3, 10, 9, 0);
	act_done("officer", code, "{\"action\":\"transfer\"}");
	act_done("officer.thue", code, "{\"action\":\"transfer\"}");
	tu_set_now_local(2026, 3, 30, 16, 0);
	r = act_ok("officer", code, "{\"action\":\"resolve\",\"result\":\"Xong\"}");
	ck_assert_str_eq(tu_str(r->json, "result"), "early");
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_lifecycle_payment_wait_pauses_clock)
{
	tu_server_start(NULL);
	/* Birth registration at the commune: immediate, due 2/3 17:00; its one
	 * step is the commune's own. */
	tu_set_now_local(2026, 3, 2, 9, 0);
	char code[40];
	snprintf(code, sizeof(code), "%s", tu_receive("clerk.hacthanh", "1.001193", "direct"));
	act_done("clerk.hacthanh", code, "{\"action\":\"transfer\"}");
	tu_set_now_local(2026, 3, 2, 10, 0);
	struct tu_response *r = act_ok("officer.hacthanh", code,
				       "{\"action\":\"request_payment\",\"amount_vnd\":8000}");
	ck_assert_str_eq(tu_str(r->json, "state"), "awaiting_payment");
	ck_assert_str_eq(tu_str(r->json, "paused_at"), "2026-03-02T10:00:00+07:00");
	tu_response_free(r);
	/* The next morning, past the due time: waiting for the citizen is not
	 * overdue. */
	tu_set_now_local(2026, 3, 3, 9, 0);
	r = get_dossier("clerk.hacthanh", code);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(r->json, "overdue")));
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/dossiers?overdue=true", tu_login("clerk.hacthanh"), NULL);
	ck_assert_int_eq(n_items(r), 0);
	tu_response_free(r);
	/* Paid at 10:00: the 5.5 working hours left at the pause (10:00 →
	 * 17:00 less lunch) count from now: due 3/3 17:00. */
	tu_set_now_local(2026, 3, 3, 10, 0);
	r = act_ok("officer.hacthanh", code, "{\"action\":\"payment_received\",\"method\":\"online\"}");
	ck_assert_str_eq(tu_str(r->json, "state"), "in_process");
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-03T17:00:00+07:00");
	ck_assert_ptr_null(tu_str(r->json, "paused_at"));
	ck_assert_double_eq(tu_num(r->json, "waited_hours"), 8);
	tu_response_free(r);
	struct tu_response *ev = get_events(code);
	assert_event(ev, 2, "request_payment", "in_process", "awaiting_payment", 1, "pause",
		     "2026-03-02T17:00:00+07:00", "2026-03-02T10:00:00+07:00");
	assert_event(ev, 3, "payment_received", "awaiting_payment", "in_process", 1, "resume",
		     "2026-03-03T17:00:00+07:00", "2026-03-03T10:00:00+07:00");
	ck_assert_int_eq((int)tu_num(ev->json, "items.2.data.amount_vnd"), 8000);
	ck_assert_str_eq(tu_str(ev->json, "items.3.data.method"), "online");
	tu_response_free(ev);
	/* One minute past the moved due time it is overdue, and listed so. */
	tu_set_now_local(2026, 3, 3, 17, 1);
	r = get_dossier("clerk.hacthanh", code);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "overdue")));
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/dossiers?overdue=true", tu_login("clerk.hacthanh"), NULL);
	ck_assert_int_eq(n_items(r), 1);
	ck_assert_str_eq(tu_str(r->json, "items.0.code"), code);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

/* Overdue: open, clock running, now past due_at. Due soon: not overdue,
 * at most one working day (8 h) of working time left. */
static void flags_at(const char *code, int d, int hh, int mm, int overdue, int soon, int listed)
{
	tu_set_now_local(2026, 3, d, hh, mm);
	struct tu_response *r = get_dossier("officer", code);
	ck_assert_msg(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "overdue")) == overdue,
		      "%d/3 %02d:%02d: overdue should be %d", d, hh, mm, overdue);
	ck_assert_msg(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "due_soon")) == soon,
		      "%d/3 %02d:%02d: due_soon should be %d", d, hh, mm, soon);
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/dossiers?overdue=true", tu_login("officer"), NULL);
	ck_assert_msg(n_items(r) == listed, "%d/3 %02d:%02d: %d listed as overdue", d, hh, mm, n_items(r));
	tu_response_free(r);
}

START_TEST(test_api_lifecycle_overdue_and_due_soon_flags)
{
	tu_server_start(NULL);
	const char *code = land_dossier_in_chain();	/* due Thu 26/3 09:00 */
	char saved[40];
	snprintf(saved, sizeof(saved), "%s", code);
	flags_at(saved, 24, 17, 0, 0, 0, 0);	/* 9.5 h left */
	flags_at(saved, 25, 8, 59, 0, 0, 0);	/* 8 h 01 min left */
	flags_at(saved, 25, 9, 0, 0, 1, 0);	/* exactly one working day */
	flags_at(saved, 25, 18, 0, 0, 1, 0);	/* after hours: 1.5 h left */
	flags_at(saved, 26, 9, 0, 0, 1, 0);	/* at the due time: not yet overdue */
	flags_at(saved, 26, 9, 1, 1, 0, 1);	/* one minute past */
	/* Waiting for the citizen: neither overdue nor due soon. */
	act_done("officer", saved,
		 "{\"action\":\"request_supplement\",\"reason\":\"Thiếu\",\"items\":[{\"name\":\"Đơn\"}]}");
	flags_at(saved, 27, 9, 0, 0, 0, 0);
	tu_server_stop();
}
END_TEST

/* ---- classification ---------------------------------------------------------------- */

START_TEST(test_api_lifecycle_classification_edges)
{
	static const struct { int d, hh, mm; const char *result; } at[] = {
		{ 25, 16, 0, "early" },		/* the day before */
		{ 26, 7, 30, "on_time" },	/* on the due date, hours before */
		{ 26, 8, 59, "on_time" },	/* one minute before */
		{ 26, 9, 0, "on_time" },	/* at the due time */
		{ 26, 9, 1, "late" },		/* one minute after */
	};
	char codes[6][40];
	tu_server_start(NULL);
	/* Six dossiers received Mon 2/3 09:00 (due Thu 26/3 09:00), all taken
	 * to the last step. */
	for (int i = 0; i < 6; i++) {
		tu_set_now_local(2026, 3, 2, 9, 0);
		snprintf(codes[i], sizeof(codes[i]), "%s", tu_receive("clerk", PROC_LAND, "direct"));
		act_done("clerk", codes[i], "{\"action\":\"transfer\"}");
		act_done("officer", codes[i], "{\"action\":\"transfer\"}");
		act_done("officer.thue", codes[i], "{\"action\":\"transfer\"}");
	}
	/* The sixth gets an apology and a new appointment on 20/3. */
	tu_set_now_local(2026, 3, 20, 9, 0);
	act_done("manager.nnmt", codes[5], "{\"action\":\"extend\",\"reason\":\"Chậm xác minh\","
		 "\"new_appointment\":\"2026-04-02T16:00:00+07:00\"}");
	for (int i = 0; i < 5; i++) {
		tu_set_now_local(2026, 3, at[i].d, at[i].hh, at[i].mm);
		struct tu_response *r = act_ok("officer", codes[i], "{\"action\":\"resolve\",\"result\":\"Xong\"}");
		ck_assert_msg(!strcmp(tu_str(r->json, "result"), at[i].result), "resolved %d/3 %02d:%02d: %s, want %s",
			      at[i].d, at[i].hh, at[i].mm, tu_str(r->json, "result"), at[i].result);
		ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-26T09:00:00+07:00");
		tu_response_free(r);
	}
	/* Extended: past the due time it is overdue all the same… */
	tu_set_now_local(2026, 3, 27, 9, 0);
	struct tu_response *r = get_dossier("officer", codes[5]);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r->json, "overdue")));
	ck_assert_str_eq(tu_str(r->json, "appointment_at"), "2026-04-02T16:00:00+07:00");
	tu_response_free(r);
	/* …and resolved before the new appointment, still late. */
	tu_set_now_local(2026, 3, 30, 10, 0);
	r = act_ok("officer", codes[5], "{\"action\":\"resolve\",\"result\":\"Xong\"}");
	ck_assert_str_eq(tu_str(r->json, "result"), "late");
	tu_response_free(r);
	/* Frozen: returning later changes nothing of it. */
	tu_set_now_local(2026, 4, 20, 9, 0);
	r = act_ok("clerk", codes[0], "{\"action\":\"return\",\"method\":\"counter\"}");
	ck_assert_str_eq(tu_str(r->json, "result"), "early");
	tu_response_free(r);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM dossier WHERE result_class = 3"), 2);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM dossier WHERE result_class = 2"), 3);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM dossier WHERE result_class = 1"), 1);
	tu_server_stop();
}
END_TEST

/* ---- the chain and its queues --------------------------------------------------------- */

START_TEST(test_api_lifecycle_only_current_step_acts)
{
	tu_server_start(NULL);
	const char *code = land_dossier_in_chain();
	tu_set_now_local(2026, 3, 3, 9, 0);
	/* Thuế cannot act before its turn. */
	assert_refused(tu_action("officer.thue", code, "{\"action\":\"transfer\"}"), 403, "not_your_queue",
		       "Thuế at NN&MT's step");
	assert_refused(tu_action("officer.thue", code, "{\"action\":\"refuse\",\"reason\":\"x\"}"), 403,
		       "not_your_queue", "Thuế refusing at NN&MT's step");
	ck_assert(queue_has("officer", code));
	ck_assert(queue_has("manager.nnmt", code));
	ck_assert(!queue_has("officer.thue", code));
	act_done("officer", code, "{\"action\":\"transfer\"}");
	ck_assert(!queue_has("officer", code));
	ck_assert(!queue_has("manager.nnmt", code));
	ck_assert(queue_has("officer.thue", code));
	/* Without queue=true NN&MT still finds it: it holds a step of the chain. */
	struct tu_response *r = tu_expect(200, "GET", "/api/v1/dossiers", tu_login("officer"), NULL);
	ck_assert_int_eq(n_items(r), 1);
	tu_response_free(r);
	/* The province's manager is above Thuế and may act for it (DESIGN). */
	assert_refused(tu_action("officer", code, "{\"action\":\"transfer\"}"), 403, "not_your_queue",
		       "NN&MT at Thuế's step");
	act_done("manager", code, "{\"action\":\"transfer\"}");
	r = get_dossier("officer", code);
	ck_assert_int_eq((int)tu_num(r->json, "current_step"), 3);
	ck_assert_str_eq(tu_str(r->json, "current_agency.code"), NNMT);
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_lifecycle_assign_officer)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	char code[40];
	snprintf(code, sizeof(code), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	/* Handed over straight to a named officer of the first step. */
	struct tu_response *r = act_ok("clerk", code, "{\"action\":\"transfer\",\"assignee\":\"officer\"}");
	ck_assert_str_eq(tu_str(r->json, "assignee"), "officer");
	ck_assert_str_eq(tu_str(r->json, "chain.0.assignee"), "officer");
	tu_response_free(r);
	r = tu_expect(200, "GET", "/api/v1/dossiers?mine=true", tu_login("officer"), NULL);
	ck_assert_int_eq(n_items(r), 1);
	tu_response_free(r);
	act_done("officer", code, "{\"action\":\"transfer\",\"assignee\":\"officer.thue\"}");
	act_done("officer.thue", code, "{\"action\":\"transfer\"}");
	/* At the last step, naming a colleague assigns without moving on. */
	r = act_ok("manager.nnmt", code, "{\"action\":\"transfer\",\"assignee\":\"officer\"}");
	ck_assert_int_eq((int)tu_num(r->json, "current_step"), 3);
	ck_assert_str_eq(tu_str(r->json, "chain.2.assignee"), "officer");
	ck_assert_str_eq(tu_str(r->json, "assignee"), "officer");
	tu_response_free(r);
	/* Without a name there is nowhere to go. */
	assert_refused(tu_action("officer", code, "{\"action\":\"transfer\"}"), 409, "no_next_step",
		       "handover at the last step");
	struct tu_response *ev = get_events(code);
	assert_event(ev, 4, "transfer", "in_process", "in_process", 3, NULL, "2026-03-26T09:00:00+07:00",
		     "2026-03-02T09:00:00+07:00");
	ck_assert_str_eq(tu_str(ev->json, "items.4.data.assignee"), "officer");
	tu_response_free(ev);
	tu_server_stop();
}
END_TEST

/* ---- the other ends: withdrawal, refusal, return ------------------------------------------ */

START_TEST(test_api_lifecycle_withdraw)
{
	tu_server_start(NULL);
	const char *code = land_dossier_in_chain();
	tu_set_now_local(2026, 3, 5, 9, 0);
	struct tu_response *r = act_ok("clerk", code,
				       "{\"action\":\"withdraw_request\",\"reason\":\"Công dân xin rút hồ sơ\"}");
	ck_assert_str_eq(tu_str(r->json, "state"), "withdraw_requested");
	ck_assert_str_eq(tu_str(r->json, "current_agency.code"), CENTRE);
	tu_response_free(r);
	ck_assert(!queue_has("officer", code));
	tu_set_now_local(2026, 3, 5, 10, 0);
	r = act_ok("clerk", code, "{\"action\":\"withdraw_confirm\"}");
	ck_assert_str_eq(tu_str(r->json, "state"), "stopped");
	ck_assert_str_eq(tu_str(r->json, "closed_at"), "2026-03-05T10:00:00+07:00");
	ck_assert_ptr_null(tu_str(r->json, "current_agency.code"));
	ck_assert_ptr_null(tu_str(r->json, "result"));
	ck_assert_str_eq(tu_str(r->json, "chain.0.finished_at"), "2026-03-05T10:00:00+07:00");
	ck_assert_ptr_null(tu_str(r->json, "chain.0.result"));	/* not judged */
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "allowed_actions")), 0);
	tu_response_free(r);
	struct tu_response *ev = get_events(code);
	ck_assert_int_eq(n_items(ev), 4);
	assert_event(ev, 2, "withdraw_request", "in_process", "withdraw_requested", 1, NULL,
		     "2026-03-26T09:00:00+07:00", "2026-03-05T09:00:00+07:00");
	ck_assert_str_eq(tu_str(ev->json, "items.2.data.reason"), "Công dân xin rút hồ sơ");
	assert_event(ev, 3, "withdraw_confirm", "withdraw_requested", "stopped", 1, "stop",
		     "2026-03-26T09:00:00+07:00", "2026-03-05T10:00:00+07:00");
	tu_response_free(ev);
	assert_refused(tu_action("clerk", code, "{\"action\":\"withdraw_request\",\"reason\":\"x\"}"), 409,
		       "invalid_state", "withdraw a stopped dossier");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_lifecycle_refuse_after_appraisal)
{
	tu_server_start(NULL);
	const char *code = land_dossier_in_chain();
	tu_set_now_local(2026, 3, 6, 15, 0);
	struct tu_response *r = act_ok("officer", code,
				       "{\"action\":\"refuse\",\"reason\":\"Thửa đất đang có tranh chấp\"}");
	ck_assert_str_eq(tu_str(r->json, "state"), "stopped");
	ck_assert_str_eq(tu_str(r->json, "closed_at"), "2026-03-06T15:00:00+07:00");
	ck_assert_ptr_null(tu_str(r->json, "result"));
	ck_assert_ptr_null(tu_str(r->json, "current_agency.code"));
	ck_assert_str_eq(tu_str(r->json, "chain.0.finished_at"), "2026-03-06T15:00:00+07:00");
	tu_response_free(r);
	struct tu_response *ev = get_events(code);
	assert_event(ev, 2, "refuse", "in_process", "stopped", 1, "stop", "2026-03-26T09:00:00+07:00",
		     "2026-03-06T15:00:00+07:00");
	ck_assert_str_eq(tu_str(ev->json, "items.2.data.reason"), "Thửa đất đang có tranh chấp");
	ck_assert_str_eq(tu_str(ev->json, "items.2.actor"), "officer");
	tu_response_free(ev);
	ck_assert(!queue_has("officer", code));
	ck_assert(!queue_has("clerk", code));
	tu_server_stop();
}
END_TEST

START_TEST(test_api_lifecycle_return_methods)
{
	static const char *const methods[] = { "counter", "postal", "online" };
	tu_server_start(NULL);
	for (int i = 0; i < 3; i++) {
		const char *code = land_dossier_in_chain();
		char saved[40];
		snprintf(saved, sizeof(saved), "%s", code);
		act_done("officer", saved, "{\"action\":\"transfer\"}");
		act_done("officer.thue", saved, "{\"action\":\"transfer\"}");
		tu_set_now_local(2026, 3, 10, 9, 0);
		act_done("officer", saved, "{\"action\":\"resolve\",\"result\":\"Xong\"}");
		/* Only the one-stop hands results over. */
		assert_refused(actf("officer", saved, "{\"action\":\"return\",\"method\":\"%s\"}", methods[i]), 403,
			       "role_not_allowed", "officer returning");
		tu_set_now_local(2026, 3, 11, 8, 0);
		struct tu_response *r = actf("clerk", saved, "{\"action\":\"return\",\"method\":\"%s\"}", methods[i]);
		ck_assert_int_eq(r->status, 200);
		ck_assert_str_eq(tu_str(r->json, "state"), "returned");
		ck_assert_str_eq(tu_str(r->json, "return_method"), methods[i]);
		ck_assert_str_eq(tu_str(r->json, "returned_at"), "2026-03-11T08:00:00+07:00");
		ck_assert_str_eq(tu_str(r->json, "result"), "early");
		tu_response_free(r);
		struct tu_response *ev = get_events(saved);
		ck_assert_int_eq(n_items(ev), 6);
		ck_assert_str_eq(tu_str(ev->json, "items.5.action"), "return");
		ck_assert_str_eq(tu_str(ev->json, "items.5.data.method"), methods[i]);
		tu_response_free(ev);
	}
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM dossier WHERE state = 10"), 3);
	tu_server_stop();
}
END_TEST

START_TEST(test_api_lifecycle_supplement_before_transfer)
{
	/* DESIGN: the one-stop may send a received dossier back before the
	 * chain starts; the supplement comes back to the one-stop (received),
	 * and the full limit counts again. */
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	char code[40];
	snprintf(code, sizeof(code), "%s", tu_receive("clerk", PROC_LAND, "direct"));
	tu_set_now_local(2026, 3, 2, 9, 30);
	act_done("clerk", code, "{\"action\":\"request_supplement\",\"reason\":\"Thiếu bản vẽ\","
		 "\"items\":[{\"name\":\"Bản vẽ thửa đất\"}]}");
	tu_set_now_local(2026, 3, 4, 9, 0);
	struct tu_response *r = act_ok("clerk", code, "{\"action\":\"supplement_received\"}");
	ck_assert_str_eq(tu_str(r->json, "state"), "received");
	ck_assert_int_eq((int)tu_num(r->json, "current_step"), 0);
	/* 18 working days from Wed 4/3 09:00 → Mon 30/3 09:00. */
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-03-30T09:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "chain.0.status"), "waiting");
	tu_response_free(r);
	act_done("clerk", code, "{\"action\":\"transfer\"}");
	r = get_dossier("officer", code);
	ck_assert_str_eq(tu_str(r->json, "chain.0.started_at"), "2026-03-04T09:00:00+07:00");
	tu_response_free(r);
	tu_server_stop();
}
END_TEST

/* A citizen's online submission (state 1, a reference but no code yet),
 * with one PDF attached; returns its reference. */
static const char *submit_online(const char *name)
{
	static char ref[40];
	char body[512], path[160];
	snprintf(body, sizeof(body),
		 "{\"procedure_code\":\"%s\",\"agency_code\":\"%s\",\"applicant\":{\"name\":\"%s\","
		 "\"id_number\":\"038090001234\",\"phone\":\"0912345678\"}}", PROC_LAND, CENTRE, name);
	struct tu_response *r = tu_expect(201, "POST", "/api/v1/public/submissions", NULL, body);
	char token[128], extra[200];
	snprintf(ref, sizeof(ref), "%s", tu_str(r->json, "ref"));
	snprintf(token, sizeof(token), "%s", tu_str(r->json, "upload_token"));
	tu_response_free(r);
	snprintf(extra, sizeof(extra), "X-Upload-Token: %s\r\n", token);
	snprintf(path, sizeof(path), "/api/v1/public/submissions/%s/files/1?name=don.pdf", ref);
	r = tu_request("PUT", path, NULL, "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n", "application/pdf", extra);
	ck_assert_msg(r->status == 201, "upload: %d %s", r->status, r->body);
	tu_response_free(r);
	snprintf(path, sizeof(path), "/api/v1/public/submissions/%s/submit", ref);
	r = tu_request("POST", path, NULL, "{}", NULL, extra);
	ck_assert_msg(r->status == 200 || r->status == 201, "submit: %d %s", r->status, r->body);
	tu_response_free(r);
	return ref;
}

START_TEST(test_api_lifecycle_accept_online_submission)
{
	tu_server_start(NULL);
	/* Submitted on Friday evening… */
	tu_set_now_local(2026, 3, 6, 20, 0);
	char ref[40];
	snprintf(ref, sizeof(ref), "%s", submit_online("Trần Thị Online"));
	struct tu_response *r = get_dossier("clerk", ref);
	ck_assert_str_eq(tu_str(r->json, "state"), "submitted_online");
	ck_assert_ptr_null(tu_str(r->json, "code"));
	ck_assert_ptr_null(tu_str(r->json, "due_at"));
	ck_assert_str_eq(tu_str(r->json, "allowed_actions.0"), "accept");
	ck_assert_str_eq(tu_str(r->json, "allowed_actions.1"), "refuse");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "allowed_actions")), 2);
	tu_response_free(r);
	/* The chain's agencies do not see it before it is received… */
	assert_refused(tu_action("officer", ref, "{\"action\":\"accept\"}"), 404, "not_found",
		       "an officer before acceptance");
	/* …and a manager who does may not accept it. */
	assert_refused(tu_action("manager", ref, "{\"action\":\"accept\"}"), 403, "role_not_allowed",
		       "a manager accepting");
	assert_refused(tu_action("clerk", ref, "{\"action\":\"transfer\"}"), 409, "invalid_state",
		       "transfer before acceptance");
	/* …accepted on Monday 08:00: the code takes the date of acceptance
	 * (not of submission) and the 18 days count from then. */
	tu_set_now_local(2026, 3, 9, 8, 0);
	r = act_ok("clerk", ref, "{\"action\":\"accept\"}");
	ck_assert_str_eq(tu_str(r->json, "state"), "received");
	ck_assert_str_eq(tu_str(r->json, "code"), CENTRE "-260309-0001");
	ck_assert_str_eq(tu_str(r->json, "received_at"), "2026-03-09T08:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "submitted_at"), "2026-03-06T20:00:00+07:00");
	ck_assert_str_eq(tu_str(r->json, "due_at"), "2026-04-02T08:00:00+07:00");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "chain")), 3);
	tu_response_free(r);
	/* The same dossier by its code and its reference; the history
	 * continues under the code. */
	struct tu_response *ev = get_events(CENTRE "-260309-0001");
	int n = n_items(ev);
	ck_assert_int_ge(n, 2);
	assert_event(ev, n - 1, "accept", "submitted_online", "received", 0, "start", "2026-04-02T08:00:00+07:00",
		     "2026-03-09T08:00:00+07:00");
	ck_assert_str_eq(tu_str(ev->json, "items.0.actor"), "citizen");
	tu_response_free(ev);
	/* A counter intake the same day takes the next number. */
	ck_assert_str_eq(tu_receive("clerk", PROC_LAND, "direct"), CENTRE "-260309-0002");
	tu_server_stop();
}
END_TEST

START_TEST(test_api_lifecycle_refuse_online_submission)
{
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 6, 10, 0);
	char ref[40];
	snprintf(ref, sizeof(ref), "%s", submit_online("Lê Văn Thiếu"));
	assert_refused(tu_action("clerk", ref, "{\"action\":\"refuse\"}"), 422, "missing_field", "no reason");
	assert_refused(tu_action("clerk.hacthanh", ref, "{\"action\":\"refuse\",\"reason\":\"x\"}"), 404,
		       "not_found", "another one-stop");
	struct tu_response *r = act_ok("clerk", ref, "{\"action\":\"refuse\",\"reason\":\"Không thuộc thẩm quyền\"}");
	ck_assert_str_eq(tu_str(r->json, "state"), "not_accepted");
	ck_assert_ptr_null(tu_str(r->json, "code"));		/* never received: no code */
	ck_assert_ptr_null(tu_str(r->json, "received_at"));
	ck_assert_str_eq(tu_str(r->json, "closed_at"), "2026-03-06T10:00:00+07:00");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r->json, "allowed_actions")), 0);
	tu_response_free(r);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM code_seq"), 0);
	assert_refused(tu_action("clerk", ref, "{\"action\":\"accept\"}"), 409, "invalid_state", "accept after refusal");
	tu_server_stop();
}
END_TEST

Suite *api_lifecycle_suite(void)
{
	Suite *s = suite_create("api_lifecycle");
	TCase *tc = tcase_create("story");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_lifecycle_two_agency_story);
	suite_add_tcase(s, tc);
	tc = tcase_create("refusals");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_lifecycle_refusals_change_nothing);
	tcase_add_test(tc, test_api_lifecycle_bad_action_inputs);
	tcase_add_test(tc, test_api_lifecycle_second_supplement_and_extension_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("clock");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_lifecycle_pause_mode_moves_due);
	tcase_add_test(tc, test_api_lifecycle_payment_wait_pauses_clock);
	tcase_add_test(tc, test_api_lifecycle_overdue_and_due_soon_flags);
	tcase_add_test(tc, test_api_lifecycle_classification_edges);
	tcase_add_test(tc, test_api_lifecycle_supplement_before_transfer);
	suite_add_tcase(s, tc);
	tc = tcase_create("chain");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_lifecycle_only_current_step_acts);
	tcase_add_test(tc, test_api_lifecycle_assign_officer);
	tcase_add_test(tc, test_api_lifecycle_withdraw);
	tcase_add_test(tc, test_api_lifecycle_refuse_after_appraisal);
	tcase_add_test(tc, test_api_lifecycle_return_methods);
	suite_add_tcase(s, tc);
	tc = tcase_create("online");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_api_lifecycle_accept_online_submission);
	tcase_add_test(tc, test_api_lifecycle_refuse_online_submission);
	suite_add_tcase(s, tc);
	return s;
}
