/*
 * motcua — api_report: the periodic report, trends, Decision 766
 * indicators, procedure analytics and the overdue / due-soon lists.
 *
 * Everything here reads the stat aggregates (report.h) or the partial
 * index of running dossiers; nothing scans the dossier table. Scope: admins
 * and auditors see every agency; managers their agency and the agencies
 * below it; clerks and officers their own agency.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_report.h"
#include "app.h"
#include "buf.h"
#include "calendar.h"
#include "date.h"
#include "db.h"
#include "db_catalog.h"
#include "db_dossier.h"
#include "db_stats.h"
#include "deadline.h"
#include "feedback.h"
#include "rating.h"
#include "report.h"
#include "tz.h"
#include "util.h"
#include "workflow.h"

/* ---- parameters ---------------------------------------------------------- */

/* Which agencies the caller may report on, narrowed by ?agency=. 0 ok,
 * -1 answered. */
static int report_scope(struct request *r, struct db *db, struct report_scope *sc)
{
	const char *code = http_query(r, "agency");
	struct agency_row ag;
	const struct principal *p = &r->user;
	memset(sc, 0, sizeof(*sc));
	if (code && db_agency_by_code(db, code, &ag) != 1) {
		http_fail(r, 404, "unknown_agency", "agency", "No agency has this code.");
		return -1;
	}
	switch (p->role) {
	case ROLE_ADMIN:
	case ROLE_AUDITOR:
		if (code) {
			sc->agency_id = ag.id;
			sc->subtree = 1;
		}
		break;
	case ROLE_MANAGER:
		sc->agency_id = p->agency_id;
		sc->subtree = 1;
		if (code) {
			if (ag.id != p->agency_id && !db_agency_within(db, ag.id, p->agency_id)) {
				http_fail(r, 403, "out_of_scope", "agency",
					  "This agency is outside the agencies you manage.");
				return -1;
			}
			sc->agency_id = ag.id;
		}
		break;
	default:
		if (code && ag.id != p->agency_id) {
			http_fail(r, 403, "out_of_scope", "agency", "You can only see your own agency's figures.");
			return -1;
		}
		sc->agency_id = p->agency_id;
		sc->subtree = 0;
	}
	if (sc->agency_id && db_agency_by_id(db, sc->agency_id, &ag) == 1)
		strlcpy_(sc->agency_code, ag.code, sizeof(sc->agency_code));
	return 0;
}

/* ?from=&to= (local dates); defaults: 1 January of this year to today. */
static int report_period(struct request *r, int32_t *from, int32_t *to, int32_t *today)
{
	const char *f = http_query(r, "from"), *t = http_query(r, "to");
	int y, m, d;
	*today = date_day_of(tz_local(app_now(r->app)));
	date_to_civil(*today, &y, &m, &d);
	*from = date_from_civil(y, 1, 1);
	*to = *today;
	if ((f && date_parse_day(f, from) != 0) || (t && date_parse_day(t, to) != 0)) {
		http_fail(r, 400, "invalid_parameter", f && date_parse_day(f, from) ? "from" : "to",
			  "Dates are YYYY-MM-DD.");
		return -1;
	}
	if (*from > *to) {
		http_fail(r, 400, "invalid_period", "from", "The period starts after it ends.");
		return -1;
	}
	if (*to - *from > 366 * 20) {
		http_fail(r, 400, "invalid_period", "from", "The period is longer than twenty years.");
		return -1;
	}
	return 0;
}

static void add_rate(cJSON *o, const char *key, double rate)
{
	if (rate < 0)
		cJSON_AddStringToObject(o, key, "N/A");
	else
		cJSON_AddNumberToObject(o, key, rate);
}

static void add_day(cJSON *o, const char *key, int32_t day)
{
	char s[11];
	date_format_day(day, s);
	cJSON_AddStringToObject(o, key, s);
}

/* ---- drill-down links ------------------------------------------------------ */

/* The list address of exactly the dossiers behind one figure. */
struct links {
	const struct report_query *q;
	const struct report_scope *sc;
	const struct report_row *row;
};

static void link_base(struct buf *b, const struct links *l)
{
	buf_adds(b, "/api/v1/dossiers?");
	switch (l->q->group) {
	case GROUP_AGENCY:
		buf_printf(b, "lead_agency=%s&", l->row->key);
		break;
	case GROUP_LEVEL:
		buf_printf(b, "level=%s&", l->row->key);
		break;
	case GROUP_FIELD: {
		buf_adds(b, "field=");
		for (const unsigned char *p = (const unsigned char *)l->row->label; *p; p++) {
			if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
				buf_addc(b, (char)*p);
			else
				buf_printf(b, "%%%02X", *p);
		}
		buf_addc(b, '&');
		break;
	}
	case GROUP_PROCEDURE:
		buf_printf(b, "procedure=%s&", l->row->key);
		break;
	case GROUP_CHANNEL:
		buf_printf(b, "channel=%s&", l->row->key);
		break;
	default:
		break;
	}
	if (l->q->group != GROUP_AGENCY && l->sc->agency_id)
		buf_printf(b, "lead_agency=%s&lead_subtree=%s&", l->sc->agency_code,
			   l->sc->subtree ? "true" : "false");
	if (l->q->procedure_id && l->q->group != GROUP_PROCEDURE)
		buf_printf(b, "procedure_id=%lld&", (long long)l->q->procedure_id);
}

static void add_link(cJSON *links, const char *name, const struct links *l, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_link(cJSON *links, const char *name, const struct links *l, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	link_base(&b, l);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(links, name, buf_cstr(&b));
	buf_release(&b);
}

static void add_links(cJSON *o, const struct links *l)
{
	char f[11], t[11], e[11];
	date_format_day(l->q->from, f);
	date_format_day(l->q->to, t);
	int32_t end = l->q->today && l->q->today < l->q->to ? l->q->today : l->q->to;
	date_format_day(end, e);
	cJSON *x = cJSON_AddObjectToObject(o, "links");
	/* received in the report = carried over ∪ new: received by the end of
	 * the period and not finished before it began */
	add_link(x, "received", l, "received_to=%s&active_from=%s", t, f);
	add_link(x, "carried", l, "open_at=%s&received_to=%s", f, f);
	add_link(x, "new", l, "received_from=%s&received_to=%s", f, t);
	if (l->q->group == GROUP_CHANNEL) {
		/* The row is one channel already: the other channel's figure is
		 * zero by construction and has nothing to list. */
		int online = !strcmp(l->row->key, "online");
		if (online)
			add_link(x, "new_online", l, "received_from=%s&received_to=%s", f, t);
		else
			cJSON_AddNullToObject(x, "new_online");
		if (!online && strcmp(l->row->key, "total"))
			add_link(x, "new_direct_postal", l, "received_from=%s&received_to=%s", f, t);
		else
			cJSON_AddNullToObject(x, "new_direct_postal");
	} else {
		add_link(x, "new_online", l, "received_from=%s&received_to=%s&channel=online", f, t);
		add_link(x, "new_direct_postal", l, "received_from=%s&received_to=%s&channel=offline", f, t);
	}
	add_link(x, "resolved", l, "resolved_from=%s&resolved_to=%s", f, t);
	add_link(x, "early", l, "resolved_from=%s&resolved_to=%s&result=early", f, t);
	add_link(x, "on_time", l, "resolved_from=%s&resolved_to=%s&result=on_time", f, t);
	add_link(x, "late", l, "resolved_from=%s&resolved_to=%s&result=late", f, t);
	add_link(x, "stopped", l, "closed_from=%s&closed_to=%s&close_reason=refused", f, t);
	add_link(x, "withdrawn", l, "closed_from=%s&closed_to=%s&close_reason=withdrawn", f, t);
	/* open at the end of the period = open at the start of the next day */
	int32_t next = end + 1;
	char n[11];
	date_format_day(next, n);
	add_link(x, "in_progress", l, "open_at=%s", n);
	add_link(x, "overdue", l, "overdue_at=%s", e);
	add_link(x, "within", l, "within_at=%s", e);
}

/* ---- GET /api/v1/reports/summary --------------------------------------------- */

static cJSON *row_json(const struct report_row *x, const struct links *l)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "key", x->key);
	cJSON_AddStringToObject(o, "label", x->label);
	cJSON *rc = cJSON_AddObjectToObject(o, "received");
	cJSON_AddNumberToObject(rc, "total", (double)x->received);
	cJSON_AddNumberToObject(rc, "carried", (double)x->carried);
	cJSON_AddNumberToObject(rc, "new_online", (double)x->new_online);
	cJSON_AddNumberToObject(rc, "new_direct_postal", (double)x->new_direct);
	cJSON *rs = cJSON_AddObjectToObject(o, "resolved");
	cJSON_AddNumberToObject(rs, "total", (double)x->resolved);
	cJSON_AddNumberToObject(rs, "early", (double)x->early);
	cJSON_AddNumberToObject(rs, "on_time", (double)x->on_time);
	cJSON_AddNumberToObject(rs, "late", (double)x->late);
	cJSON *ip = cJSON_AddObjectToObject(o, "in_progress");
	cJSON_AddNumberToObject(ip, "total", (double)x->in_progress);
	cJSON_AddNumberToObject(ip, "within", (double)x->within);
	cJSON_AddNumberToObject(ip, "overdue", (double)x->overdue);
	cJSON_AddNumberToObject(o, "stopped", (double)x->stopped);
	cJSON_AddNumberToObject(o, "withdrawn", (double)x->withdrawn);
	add_rate(o, "on_time_rate", x->on_time_rate);
	add_rate(o, "overdue_rate", report_rate(x->late, x->resolved));
	if (l)
		add_links(o, l);
	return o;
}

int api_report_build(struct request *r, struct db *db, enum report_group group,
		     struct report *rep, struct report_scope *out)
{
	struct report_query q;
	struct report_scope sc;
	memset(&q, 0, sizeof(q));
	if (report_scope(r, db, &sc) != 0 || report_period(r, &q.from, &q.to, &q.today) != 0)
		return -1;
	const char *pcode = http_query(r, "procedure");
	if (pcode) {
		struct procedure_row *p = xmalloc(sizeof(*p));
		int found = db_procedure_by_code(db, pcode, p) == 1;
		q.procedure_id = found ? p->id : 0;
		free(p);
		if (!found) {
			http_fail(r, 404, "unknown_procedure", "procedure", "No procedure has this code.");
			return -1;
		}
	}
	q.group = group;
	q.agency_id = sc.agency_id;
	q.subtree = sc.subtree;
	if (report_run(db, &q, rep) != 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the statistics.");
		return -1;
	}
	if (out)
		*out = sc;
	return 0;
}

void api_report_summary(struct request *r)
{
	struct db *db = api_reader(r);
	struct report rep;
	struct report_scope sc;
	enum report_group group = GROUP_AGENCY;
	const char *g = http_query(r, "group_by");
	if (!db)
		return;
	if (g && report_group_parse(g, &group) != 0) {
		http_fail(r, 400, "invalid_parameter", "group_by",
			  "group_by is agency, level, field, procedure, channel or none.");
		return;
	}
	memset(&rep, 0, sizeof(rep));
	if (api_report_build(r, db, group, &rep, &sc) != 0)
		return;
	cJSON *root = cJSON_CreateObject();
	add_day(root, "from", rep.q.from);
	add_day(root, "to", rep.q.to);
	cJSON_AddStringToObject(root, "group_by", report_group_name(group));
	if (sc.agency_code[0])
		cJSON_AddStringToObject(root, "agency", sc.agency_code);
	else
		cJSON_AddNullToObject(root, "agency");
	api_add_time(root, "as_of", app_now(r->app));
	cJSON *rows = cJSON_AddArrayToObject(root, "rows");
	for (size_t i = 0; i < rep.n; i++) {
		struct links l = { &rep.q, &sc, &rep.rows[i] };
		cJSON_AddItemToArray(rows, row_json(&rep.rows[i], &l));
	}
	struct report_row total = rep.total;
	struct links lt = { &rep.q, &sc, &total };
	struct report_query tq = rep.q;
	tq.group = GROUP_NONE;
	lt.q = &tq;
	cJSON_AddItemToObject(root, "total", row_json(&total, &lt));
	cJSON_AddBoolToObject(root, "invariant_ok", report_check(&rep));
	cJSON_AddNumberToObject(root, "stat_rows_read", rep.rows_read);
	report_free(&rep);
	http_json(r, 200, root);
}

/* ---- GET /api/v1/reports/trend: month by month ------------------------------ */

static int api_report_subtree_months(struct db *db, int64_t root, int32_t from, int32_t to,
				     void (*fn)(const struct stat_row *s, void *ctx), void *ctx);

struct trend {
	int32_t first;		/* first month bucket YYYYMM */
	int months;
	int64_t (*v)[SC__MAX];
};

static int month_index(int32_t first, int32_t bucket)
{
	return (bucket / 100 - first / 100) * 12 + (bucket % 100 - first % 100);
}

static void add_month(const struct stat_row *s, void *ctx)
{
	struct trend *t = ctx;
	int i = month_index(t->first, s->bucket);
	if (i < 0 || i >= t->months)
		return;
	for (int c = 0; c < SC__MAX; c++)
		t->v[i][c] += s->v[c];
}

void api_report_trend(struct request *r)
{
	struct db *db = api_reader(r);
	struct report_scope sc;
	struct trend t;
	int32_t from, to, today;
	int y1, m1, d1, y2, m2, d2;
	if (!db || report_scope(r, db, &sc) != 0 || report_period(r, &from, &to, &today) != 0)
		return;
	date_to_civil(from, &y1, &m1, &d1);
	date_to_civil(to, &y2, &m2, &d2);
	t.first = y1 * 100 + m1;
	t.months = (y2 - y1) * 12 + (m2 - m1) + 1;
	if (t.months > 240) {
		http_fail(r, 400, "invalid_period", "from", "A trend covers at most 240 months.");
		return;
	}
	t.v = xcalloc((size_t)t.months, sizeof(*t.v));
	int rc = 0;
	if (!sc.agency_id) {
		rc = db_stats_range(db, 1, 1, t.first, y2 * 100 + m2, 0, 0, add_month, &t);
	} else {
		/* the agency and, for managers, the agencies below it */
		rc = db_stats_range(db, 1, 1, t.first, y2 * 100 + m2, sc.agency_id, 0, add_month, &t);
		if (rc == 0 && sc.subtree)
			rc = api_report_subtree_months(db, sc.agency_id, t.first, y2 * 100 + m2, add_month, &t);
	}
	if (rc != 0) {
		free(t.v);
		http_fail(r, 500, "database_error", NULL, "Could not read the statistics.");
		return;
	}
	cJSON *root = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(root, "months");
	for (int i = 0; i < t.months; i++) {
		char month[24];
		int64_t *v = t.v[i];
		int mm = m1 - 1 + i;
		snprintf(month, sizeof(month), "%04d-%02d", y1 + mm / 12, mm % 12 + 1);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "month", month);
		cJSON_AddNumberToObject(o, "received", (double)v[SC_RECEIVED]);
		int64_t resolved = v[SC_EARLY] + v[SC_ON_TIME] + v[SC_LATE];
		cJSON_AddNumberToObject(o, "resolved", (double)resolved);
		cJSON_AddNumberToObject(o, "late", (double)v[SC_LATE]);
		add_rate(o, "on_time_rate", report_rate(v[SC_EARLY] + v[SC_ON_TIME], resolved));
		cJSON_AddItemToArray(items, o);
	}
	free(t.v);
	http_json(r, 200, root);
}

struct subtree_ctx {
	struct db *db;
	int64_t root;
	int32_t from, to;
	void (*fn)(const struct stat_row *s, void *ctx);
	void *ctx;
	int rc;
};

static void sum_child(const struct agency_row *a, void *arg)
{
	struct subtree_ctx *c = arg;
	if (c->rc || a->id == c->root || !db_agency_within(c->db, a->id, c->root))
		return;
	c->rc = db_stats_range(c->db, 1, 1, c->from, c->to, a->id, 0, c->fn, c->ctx);
}

static int api_report_subtree_months(struct db *db, int64_t root, int32_t from, int32_t to,
				     void (*fn)(const struct stat_row *s, void *ctx), void *ctx)
{
	struct subtree_ctx c = { db, root, from, to, fn, ctx, 0 };
	if (db_agency_each(db, sum_child, &c) != 0)
		return -1;
	return c.rc;
}

/* ---- GET /api/v1/reports/indicators ------------------------------------------ */

/* The citizen's side of the indicators, per agency (0 = the total). */
struct voice {
	int64_t agency_id;
	struct rating_summary rating;
	struct feedback_summary feedback;
};

struct voices {
	struct voice *v;
	size_t n;
};

static struct voice *voice_for(struct voices *vs, int64_t agency_id)
{
	for (size_t i = 0; i < vs->n; i++)
		if (vs->v[i].agency_id == agency_id)
			return &vs->v[i];
	vs->v = xrealloc(vs->v, (vs->n + 1) * sizeof(*vs->v));
	memset(&vs->v[vs->n], 0, sizeof(vs->v[0]));
	vs->v[vs->n].agency_id = agency_id;
	return &vs->v[vs->n++];
}

static void add_rating(int64_t agency_id, const struct rating_summary *s, void *ctx)
{
	if (agency_id)
		voice_for(ctx, agency_id)->rating = *s;
}

static void add_feedback(int64_t agency_id, const struct feedback_summary *s, void *ctx)
{
	if (agency_id)
		voice_for(ctx, agency_id)->feedback = *s;
}

/* The total over the agencies the report shows (its scope), as agency 0. */
static void total_voice(struct voices *vs, const struct report *rep)
{
	struct voice t;
	memset(&t, 0, sizeof(t));
	for (size_t i = 0; i < rep->n; i++) {
		const struct voice *v = NULL;
		for (size_t j = 0; j < vs->n && !v; j++)
			if (vs->v[j].agency_id == rep->rows[i].agency_id)
				v = &vs->v[j];
		if (!v)
			continue;
		t.rating.ratings += v->rating.ratings;
		t.rating.time_sum += v->rating.time_sum;
		t.rating.attitude_sum += v->rating.attitude_sum;
		t.rating.result_sum += v->rating.result_sum;
		t.rating.dislikes += v->rating.dislikes;
		t.rating.unofficial_payments += v->rating.unofficial_payments;
		t.rating.complained_dossiers += v->rating.complained_dossiers;
		t.feedback.received += v->feedback.received;
		t.feedback.answered_on_time += v->feedback.answered_on_time;
		t.feedback.answered_late += v->feedback.answered_late;
		t.feedback.open_overdue += v->feedback.open_overdue;
	}
	*voice_for(vs, 0) = t;
}

static double average(int64_t sum, int64_t n)
{
	return n > 0 ? (double)((sum * 100 + n / 2) / n) / 100.0 : -1;
}

/* Indicator 5.4 and the satisfaction and feedback figures (the ratings
 * and feedback of the period, by the dossier's lead agency). */
static void add_voice(cJSON *o, const struct voices *vs, int64_t agency_id, const struct report_row *x)
{
	struct voice none;
	const struct voice *v = NULL;
	memset(&none, 0, sizeof(none));
	for (size_t i = 0; i < vs->n && !v; i++)
		if (vs->v[i].agency_id == agency_id)
			v = &vs->v[i];
	if (!v)
		v = &none;
	const struct rating_summary *rt = &v->rating;
	const struct feedback_summary *fb = &v->feedback;
	add_rate(o, "satisfaction_54", rating_indicator_54(x->resolved, x->late, rt->complained_dossiers));
	cJSON *s = cJSON_AddObjectToObject(o, "satisfaction");
	cJSON_AddNumberToObject(s, "ratings", (double)rt->ratings);
	add_rate(s, "avg_time", average(rt->time_sum, rt->ratings));
	add_rate(s, "avg_attitude", average(rt->attitude_sum, rt->ratings));
	add_rate(s, "avg_result", average(rt->result_sum, rt->ratings));
	cJSON_AddNumberToObject(s, "dislikes", (double)rt->dislikes);
	cJSON_AddNumberToObject(s, "unofficial_payments", (double)rt->unofficial_payments);
	cJSON *f = cJSON_AddObjectToObject(o, "feedback");
	cJSON_AddNumberToObject(f, "received", (double)fb->received);
	cJSON_AddNumberToObject(f, "answered_on_time", (double)fb->answered_on_time);
	cJSON_AddNumberToObject(f, "answered_late", (double)fb->answered_late);
	cJSON_AddNumberToObject(f, "open_overdue", (double)fb->open_overdue);
	add_rate(f, "on_time_share", report_rate(fb->answered_on_time, fb->answered_on_time + fb->answered_late));
}

struct ranked {
	const struct report_row *row;
	double score;
};

static int by_score(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(x->row->key, y->row->key);
}

/* Decision 766 indicators the data supports, for one agency's row. */
static cJSON *indicators_json(const struct report_row *x, const struct report_query *q)
{
	cJSON *o = cJSON_CreateObject();
	const int64_t *s = x->sum;
	int64_t new_received = s[SC_RECEIVED];
	int64_t steps = s[SC_STEP_EARLY] + s[SC_STEP_ON_TIME] + s[SC_STEP_LATE];
	cJSON_AddStringToObject(o, "agency", x->key);
	cJSON_AddStringToObject(o, "name", x->label);
	cJSON_AddNumberToObject(o, "received", (double)x->received);
	cJSON_AddNumberToObject(o, "resolved", (double)x->resolved);
	add_rate(o, "on_time_rate", x->on_time_rate);
	/* 2.1: (resolved in time + in progress within the deadline) / received */
	add_rate(o, "on_time_766", report_rate(x->early + x->on_time + x->within, x->received));
	if (x->resolved)
		cJSON_AddNumberToObject(o, "avg_processing_hours",
					(double)(s[SC_WORK_SECONDS] / x->resolved) / 3600.0);
	else
		cJSON_AddStringToObject(o, "avg_processing_hours", "N/A");
	add_rate(o, "online_share", report_rate(x->new_online, new_received));
	add_rate(o, "online_payment_share", report_rate(s[SC_PAID_ONLINE], s[SC_FEE_DOSSIERS]));
	add_rate(o, "digitisation", report_rate(s[SC_DIGITISED], new_received));
	add_rate(o, "steps_on_time", report_rate(s[SC_STEP_EARLY] + s[SC_STEP_ON_TIME], steps));
	cJSON_AddNumberToObject(o, "late", (double)x->late);
	cJSON_AddNumberToObject(o, "apologies", (double)s[SC_EXTENDED]);
	cJSON_AddNumberToObject(o, "overdue_now", (double)x->overdue);
	if (x->agency_id) {
		char f[11], t[11], link[200];
		date_format_day(q->from, f);
		date_format_day(q->to, t);
		cJSON *links = cJSON_AddObjectToObject(o, "links");
		snprintf(link, sizeof(link), "/api/v1/dossiers?lead_agency=%s&extended_from=%s&extended_to=%s",
			 x->key, f, t);
		cJSON_AddStringToObject(links, "apologies", link);
		snprintf(link, sizeof(link), "/api/v1/dossiers?lead_agency=%s&resolved_from=%s&resolved_to=%s&result=late",
			 x->key, f, t);
		cJSON_AddStringToObject(links, "late", link);
	}
	return o;
}

void api_report_indicators(struct request *r)
{
	struct db *db = api_reader(r);
	struct report rep;
	memset(&rep, 0, sizeof(rep));
	if (!db || api_report_build(r, db, GROUP_AGENCY, &rep, NULL) != 0)
		return;
	struct ranked *rk = xcalloc(rep.n ? rep.n : 1, sizeof(*rk));
	for (size_t i = 0; i < rep.n; i++) {
		rk[i].row = &rep.rows[i];
		double rate = report_rate(rep.rows[i].early + rep.rows[i].on_time + rep.rows[i].within,
					  rep.rows[i].received);
		rk[i].score = rate < 0 ? -1 : rate;
	}
	qsort(rk, rep.n, sizeof(*rk), by_score);
	struct voices vs = { NULL, 0 };
	int32_t bf = stats_bucket(rep.q.from, 0), bt = stats_bucket(rep.q.to, 0);
	int64_t at = tz_utc(date_at(rep.q.to + 1, 0));
	if (at > app_now(r->app) + 1)
		at = app_now(r->app) + 1;
	if (rating_summary_each(db, bf, bt, add_rating, &vs) != 0
	    || feedback_summary_each(db, bf, bt, at, add_feedback, &vs) != 0) {
		free(rk);
		free(vs.v);
		report_free(&rep);
		http_fail(r, 500, "database_error", NULL, "Could not read the ratings and feedback.");
		return;
	}
	total_voice(&vs, &rep);
	cJSON *root = cJSON_CreateObject();
	add_day(root, "from", rep.q.from);
	add_day(root, "to", rep.q.to);
	cJSON_AddStringToObject(root, "ranked_by", "on_time_766");
	cJSON *items = cJSON_AddArrayToObject(root, "items");
	for (size_t i = 0; i < rep.n; i++) {
		cJSON *o = indicators_json(rk[i].row, &rep.q);
		cJSON_AddNumberToObject(o, "rank", (double)(i + 1));
		add_voice(o, &vs, rk[i].row->agency_id, rk[i].row);
		cJSON_AddItemToArray(items, o);
	}
	cJSON *total = indicators_json(&rep.total, &rep.q);
	add_voice(total, &vs, 0, &rep.total);
	free(vs.v);
	cJSON_AddItemToObject(root, "total", total);
	free(rk);
	report_free(&rep);
	http_json(r, 200, root);
}

/* ---- GET /api/v1/reports/procedures ------------------------------------------- */

void api_report_procedures(struct request *r)
{
	struct db *db = api_reader(r);
	struct report rep;
	struct report_scope sc;
	memset(&rep, 0, sizeof(rep));
	if (!db || api_report_build(r, db, GROUP_PROCEDURE, &rep, &sc) != 0)
		return;
	cJSON *root = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(root, "items");
	add_day(root, "from", rep.q.from);
	add_day(root, "to", rep.q.to);
	for (size_t i = 0; i < rep.n; i++) {
		const struct report_row *x = &rep.rows[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "procedure", x->key);
		cJSON_AddStringToObject(o, "name", x->label);
		cJSON_AddNumberToObject(o, "received", (double)x->sum[SC_RECEIVED]);
		cJSON_AddNumberToObject(o, "resolved", (double)x->resolved);
		cJSON_AddNumberToObject(o, "late", (double)x->late);
		add_rate(o, "late_share", report_rate(x->late, x->resolved));
		add_rate(o, "on_time_rate", x->on_time_rate);
		cJSON_AddNumberToObject(o, "legal_limit_hours", (double)x->limit_hours);
		if (x->resolved) {
			double avg = (double)(x->sum[SC_WORK_SECONDS] / x->resolved) / 3600.0;
			cJSON_AddNumberToObject(o, "avg_processing_hours", avg);
			if (x->limit_hours > 0)
				cJSON_AddNumberToObject(o, "used_share",
					(double)((int64_t)(avg * 10000 / (double)x->limit_hours + 0.5)) / 100.0);
		} else {
			cJSON_AddStringToObject(o, "avg_processing_hours", "N/A");
		}
		cJSON_AddNumberToObject(o, "supplements", (double)x->sum[SC_SUPPLEMENTED]);
		struct links l = { &rep.q, &sc, x };
		add_links(o, &l);
		cJSON_AddItemToArray(items, o);
	}
	report_free(&rep);
	http_json(r, 200, root);
}

/* ---- GET /api/v1/reports/overdue ------------------------------------------------ */

struct list_ctx {
	struct request *r;
	cJSON *items;
	int64_t now;
	int64_t last_due, last_id;
};

static void add_running(const struct dossier_row *d, void *arg)
{
	struct list_ctx *c = arg;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", d->code);
	cJSON *p = cJSON_AddObjectToObject(o, "procedure");
	cJSON_AddStringToObject(p, "code", d->procedure_code);
	cJSON_AddStringToObject(p, "name", d->procedure_name);
	cJSON *h = cJSON_AddObjectToObject(o, "held_by");
	cJSON_AddStringToObject(h, "code", d->current_agency_code);
	cJSON_AddStringToObject(h, "name", d->current_agency_name);
	if (d->assignee[0])
		cJSON_AddStringToObject(o, "assignee", d->assignee);
	else
		cJSON_AddNullToObject(o, "assignee");
	cJSON_AddStringToObject(o, "applicant", d->applicant_name);
	cJSON_AddStringToObject(o, "state", wf_state_name(d->state));
	api_add_time(o, "received_at", d->received_at);
	api_add_time(o, "due_at", d->due_at);
	api_add_time(o, "appointment_at", d->appointment_at);
	int64_t late = c->now - d->due_at;
	cJSON_AddNumberToObject(o, "days_overdue", late > 0 ? (double)(late / 86400) : 0);
	struct calendar *cal = calendar_get();
	if (cal) {
		int64_t w = late > 0 ? deadline_between(&cal->dc, tz_local(d->due_at), tz_local(c->now))
				     : -deadline_between(&cal->dc, tz_local(c->now), tz_local(d->due_at));
		cJSON_AddNumberToObject(o, "working_hours_overdue", (double)(w / 360) / 10.0);
		calendar_put(cal);
	}
	cJSON_AddBoolToObject(o, "apology_issued", d->extension_count > 0);
	api_add_time(o, "apology_at", d->extended_at);
	cJSON_AddItemToArray(c->items, o);
	c->last_due = d->due_at;
	c->last_id = d->id;
}

void api_report_overdue(struct request *r)
{
	struct db *db = api_reader(r);
	struct report_scope sc;
	struct list_ctx c;
	const char *kind = http_query(r, "kind"), *cursor = http_query(r, "cursor");
	int limit = api_limit(r, 50, 200), more = 0, soon_kind;
	long long key = 0, id = 0;
	if (!db || report_scope(r, db, &sc) != 0)
		return;
	if (limit < 0) {
		http_fail(r, 400, "invalid_parameter", "limit", "limit must be 1 to 200.");
		return;
	}
	soon_kind = kind && !strcmp(kind, "due_soon");
	if (kind && !soon_kind && strcmp(kind, "overdue")) {
		http_fail(r, 400, "invalid_parameter", "kind", "kind is overdue or due_soon.");
		return;
	}
	if (cursor && sscanf(cursor, "%lld.%lld", &key, &id) != 2) {
		http_fail(r, 400, "invalid_parameter", "cursor", "The cursor is not valid.");
		return;
	}
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.now = app_now(r->app);
	int64_t from = 0, to = c.now;
	if (soon_kind) {
		struct calendar *cal = calendar_get();
		from = c.now;
		to = cal ? tz_utc(deadline_add(&cal->dc, tz_local(c.now),
					       (int64_t)r->app->cfg.due_soon_hours * 3600)) : c.now;
		calendar_put(cal);
	}
	cJSON *root = cJSON_CreateObject();
	c.items = cJSON_AddArrayToObject(root, "items");
	/* ?agency= names one holder: its page comes straight off the index.
	 * Without it a manager sees the agencies below theirs too. */
	int subtree = !http_query(r, "agency") && sc.subtree;
	if (db_dossier_running(db, sc.agency_id, subtree, from, to, key, id, limit, add_running,
			       &c, &more) != 0) {
		cJSON_Delete(root);
		http_fail(r, 500, "database_error", NULL, "Could not read the list.");
		return;
	}
	cJSON_AddStringToObject(root, "kind", soon_kind ? "due_soon" : "overdue");
	if (more) {
		char next[48];
		snprintf(next, sizeof(next), "%lld.%lld", (long long)c.last_due, (long long)c.last_id);
		cJSON_AddStringToObject(root, "next_cursor", next);
	} else {
		cJSON_AddNullToObject(root, "next_cursor");
	}
	http_json(r, 200, root);
}

/* ---- GET /api/v1/reports/overdue/summary --------------------------------------- */

struct count_ctx {
	struct db *db;
	struct report_scope *sc;
	cJSON *items;
	int64_t overdue, missing, soon;
};

static void add_count(const struct running_count *rc, void *arg)
{
	struct count_ctx *c = arg;
	struct agency_row ag;
	if (c->sc->agency_id && rc->agency_id != c->sc->agency_id
	    && !(c->sc->subtree && db_agency_within(c->db, rc->agency_id, c->sc->agency_id)))
		return;
	if (db_agency_by_id(c->db, rc->agency_id, &ag) != 1)
		return;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "agency", ag.code);
	cJSON_AddStringToObject(o, "name", ag.name);
	cJSON_AddNumberToObject(o, "overdue", (double)rc->overdue);
	cJSON_AddNumberToObject(o, "apology_missing", (double)rc->apology_missing);
	cJSON_AddNumberToObject(o, "due_soon", (double)rc->due_soon);
	cJSON_AddItemToArray(c->items, o);
	c->overdue += rc->overdue;
	c->missing += rc->apology_missing;
	c->soon += rc->due_soon;
}

void api_report_overdue_summary(struct request *r)
{
	struct db *db = api_reader(r);
	struct report_scope sc;
	if (!db || report_scope(r, db, &sc) != 0)
		return;
	int64_t now = app_now(r->app), soon = now;
	struct calendar *cal = calendar_get();
	if (cal)
		soon = tz_utc(deadline_add(&cal->dc, tz_local(now), (int64_t)r->app->cfg.due_soon_hours * 3600));
	calendar_put(cal);
	cJSON *root = cJSON_CreateObject();
	struct count_ctx c = { db, &sc, cJSON_AddArrayToObject(root, "items"), 0, 0, 0 };
	if (db_dossier_running_counts(db, now, soon, add_count, &c) != 0) {
		cJSON_Delete(root);
		http_fail(r, 500, "database_error", NULL, "Could not count.");
		return;
	}
	cJSON_AddNumberToObject(root, "overdue", (double)c.overdue);
	cJSON_AddNumberToObject(root, "apology_missing", (double)c.missing);
	cJSON_AddNumberToObject(root, "due_soon", (double)c.soon);
	api_add_time(root, "as_of", now);
	http_json(r, 200, root);
}
