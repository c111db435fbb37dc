/*
 * motcua — api_forms: Forms 01–05 of a dossier and the register (06).
 *
 * Reads happen on the thread's reader inside one read transaction, so a
 * page shows one consistent state of the dossier. The only write is the
 * first issue of a form (its number and the history row), handed to the
 * writer; the page is rendered after that commit, from the reader.
 *
 * The register is a view and writes nothing: its entries are already
 * numbered per year (STT = rank in the agency's book for the year, as the
 * paper book of Circular 01/2018 Art 10(2) is numbered continuously from
 * 01), so a number per printout would add nothing, and recording every
 * view would turn page reloads into history rows.
 */
#include "api_forms.h"
#include "rating.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "api.h"
#include "app.h"
#include "date.h"
#include "db.h"
#include "db_account.h"
#include "db_catalog.h"
#include "db_dossier.h"
#include "db_event.h"
#include "db_forms.h"
#include "dossier.h"
#include "forms.h"
#include "http.h"
#include "json.h"
#include "tz.h"
#include "util.h"
#include "writer.h"

#define HTML "text/html; charset=utf-8"
#define MAX_PEOPLE 32			/* staff named on one form */
#define REGISTER_PAGE 1000		/* register entries per page (at most) */
#define REGISTER_MAX_DAYS 366		/* longest period of one request */

/* Everything one form page is drawn from (large: on the heap). */
struct page {
	struct dossier_row d;
	struct dossier_step steps[DOSSIER_MAX_STEPS];
	struct document_out docs[INTAKE_MAX_DOCUMENTS];
	struct event_row *events;
	int n_steps, n_docs, n_events;
	struct agency_row issuer, parent, lead;
	struct account_row accounts[MAX_PEOPLE];
	struct forms_person people[MAX_PEOPLE];
	int n_people;
	char url[600];
	char rating[RATING_LINK_MAX];	/* 01: the rating link */
};

static void page_free(struct page *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n_events; i++)
		db_event_row_release(&p->events[i]);
	free(p->events);
	free(p);
}

static int64_t year_start(int64_t t)
{
	int y, m, d;
	date_to_civil(date_day_of(tz_local(t)), &y, &m, &d);
	return tz_utc(date_at(date_from_civil(y, 1, 1), 0));
}

static int local_year(int64_t t)
{
	int y, m, d;
	date_to_civil(date_day_of(tz_local(t)), &y, &m, &d);
	return y;
}

/* Clerks, officers and managers act on dossiers and so issue their
 * forms; admins and auditors only look. */
static int may_issue(const struct request *r)
{
	return r->user.role == ROLE_CLERK || r->user.role == ROLE_OFFICER || r->user.role == ROLE_MANAGER;
}

/* A first issue writes, so like every change it must come from our own
 * pages (or a script): a link on another site must not number a form. */
static int cross_site(struct request *r)
{
	const char *site = http_req_header(r, "Sec-Fetch-Site");
	return site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0;
}

static void add_person(struct page *p, struct db *db, const char *username)
{
	if (!username || !*username || p->n_people == MAX_PEOPLE)
		return;
	for (int i = 0; i < p->n_people; i++)
		if (strcmp(p->people[i].username, username) == 0)
			return;
	struct account_row *a = &p->accounts[p->n_people];
	if (db_account_by_username(db, username, a) != 1)
		return;
	p->people[p->n_people].username = a->username;
	p->people[p->n_people].full_name = a->full_name;
	p->n_people++;
}

/* The actors of the history and the officers it names. */
static void collect_people(struct page *p, struct db *db)
{
	for (int i = 0; i < p->n_events; i++) {
		add_person(p, db, p->events[i].actor);
		if (strcmp(p->events[i].action, "transfer") != 0 || !p->events[i].data[0])
			continue;
		cJSON *data = cJSON_Parse(p->events[i].data);
		const cJSON *who = cJSON_GetObjectItemCaseSensitive(data, "assignee");
		if (cJSON_IsString(who))
			add_person(p, db, who->valuestring);
		cJSON_Delete(data);
	}
}

/* {public_url}/lookup?code={code}: the citizen's page for the dossier. */
static void lookup_url(const struct request *r, const char *code, char *out, size_t n)
{
	const char *base = r->app->cfg.public_url;
	size_t len = strlen(base);
	while (len > 0 && base[len - 1] == '/')
		len--;
	snprintf(out, n, "%.*s/lookup?code=%s", (int)len, base, code);
}

static int load_dossier(struct page *p, struct db *db, int64_t id)
{
	if (db_dossier_by_id(db, id, &p->d) != 1)
		return -1;
	p->n_steps = db_dossier_steps(db, id, p->steps);
	p->n_docs = db_dossier_documents(db, id, p->docs, INTAKE_MAX_DOCUMENTS);
	if (p->n_steps < 0 || p->n_docs < 0 || db_event_list(db, id, &p->events, &p->n_events) != 0)
		return -1;
	return 0;
}

static void view_of(const struct page *p, struct forms_dossier *x)
{
	x->d = &p->d;
	x->steps = p->steps;
	x->n_steps = p->n_steps;
	x->docs = p->docs;
	x->n_docs = p->n_docs;
	x->events = p->events;
	x->n_events = p->n_events;
}

/* Render form f of dossier `id` and answer. With no issue row (a preview
 * for those who do not issue), the page has no number and today's date. */
static void render(struct request *r, enum form_kind f, int64_t id)
{
	struct db *db = api_reader(r);
	struct page *p = NULL;
	struct form_issue_row issue, receipt;
	struct forms_dossier x;
	struct forms_context c;
	struct buf out = BUF_INIT;
	char why[200];
	int source, issued;
	if (!db)
		return;
	p = xcalloc(1, sizeof(*p));
	db_read_begin(db);
	if (load_dossier(p, db, id) != 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the dossier.");
		goto out;
	}
	view_of(p, &x);
	if (forms_check(f, &x, &source, why, sizeof(why)) != 0) {
		http_fail(r, 409, "form_not_applicable", NULL, why);
		goto out;
	}
	issued = db_forms_issue_get(db, id, forms_code(f), &issue);
	if (issued < 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the form's number.");
		goto out;
	}
	memset(&c, 0, sizeof(c));
	c.form = f;
	c.number = issued ? issue.number : 0;
	c.issued_at = issued ? issue.issued_at : app_now(r->app);
	c.tz_offset = tz_offset(c.issued_at);
	if (issued) {
		db_agency_by_id(db, issue.agency_id, &p->issuer);
	} else if (db_agency_by_code(db, forms_issuer_code(f, &x, source), &p->issuer) != 1) {
		db_agency_by_id(db, p->d.receiving_agency_id, &p->issuer);
	}
	if (p->issuer.parent_id)
		db_agency_by_id(db, p->issuer.parent_id, &p->parent);
	if (p->d.lead_agency_id)
		db_agency_by_id(db, p->d.lead_agency_id, &p->lead);
	c.issuer_name = p->issuer.name;
	c.issuer_parent = p->parent.name;
	c.lead_name = p->lead.name;
	if (f == FORM_RECEIPT) {
		lookup_url(r, p->d.code, p->url, sizeof(p->url));
		c.lookup_url = p->url;
		if (rating_form_link(db, id, r->app->cfg.public_url, p->rating, sizeof(p->rating)) == 1)
			c.rating_url = p->rating;
		c.register_no = db_forms_register_rank(db, p->d.receiving_agency_id,
						      year_start(p->d.received_at), p->d.received_at, id);
	}
	if (f == FORM_CONTROL && db_forms_issue_get(db, id, forms_code(FORM_RECEIPT), &receipt) == 1)
		c.receipt_number = receipt.number;
	c.supplement_restart = r->app->cfg.supplement_mode == SUPPLEMENT_RESTART;
	collect_people(p, db);
	c.people = p->people;
	c.n_people = p->n_people;
	forms_render(&out, &c, &x, source);
	size_t len;
	char *html = buf_detach(&out, &len);
	http_send_owned(r, 200, HTML, html, len);
out:
	db_read_end(db);
	buf_release(&out);
	page_free(p);
}

/* ---- GET /forms/{code}/{form} ----------------------------------------------- */

struct issue_job {
	enum form_kind form;
	int64_t dossier_id;
	char dossier_ref[40];
	int64_t agency_id;		/* the issuing agency: the number series */
	int64_t now;
	struct principal actor;
	struct form_issue_row issue;
};

static int issue_run(struct txn *t, void *arg, struct api_error *err)
{
	struct issue_job *j = arg;
	cJSON *data = NULL;
	char *text = NULL;
	int rc = -1;
	int found = db_forms_issue_get(t->db, j->dossier_id, forms_code(j->form), &j->issue);
	if (found < 0) {
		api_error_set(err, 500, "database_error", NULL, "Could not read the form's number.");
		goto out;
	}
	if (found) {
		rc = 0;		/* another first print got here first: reuse its number */
		goto out;
	}
	memset(&j->issue, 0, sizeof(j->issue));
	strlcpy_(j->issue.form, forms_code(j->form), sizeof(j->issue.form));
	j->issue.year = local_year(j->now);
	j->issue.agency_id = j->agency_id;
	j->issue.dossier_id = j->dossier_id;
	j->issue.issued_at = j->now;
	strlcpy_(j->issue.issued_by, j->actor.username, sizeof(j->issue.issued_by));
	if (db_forms_issue_insert(t, &j->issue, err) != 0)
		goto out;
	/* The receipt carries the citizen's one-time rating link (Decree 61
	 * Art 28: evaluation forms go out with Form 01). */
	if (j->form == FORM_RECEIPT
	    && rating_form_record(t, j->dossier_id, j->actor.username, j->now, err) != 0)
		goto out;
	data = cJSON_CreateObject();
	cJSON_AddStringToObject(data, "form", j->issue.form);
	cJSON_AddNumberToObject(data, "number", j->issue.number);
	cJSON_AddNumberToObject(data, "year", j->issue.year);
	text = json_print(data);
	struct event_rec e = {
		.at = j->now, .dossier_id = j->dossier_id, .dossier_ref = j->dossier_ref,
		.action = "form_issued", .step = -1, .clock = "", .note = forms_title(j->form),
		.data = text ? text : "",
	};
	db_event_actor(&e, &j->actor);
	rc = db_event_append(t, &e, err);
out:
	cJSON_Delete(data);
	free(text);
	return rc;
}

static void issue_answer(struct request *r)
{
	struct issue_job *j = r->arg;
	render(r, j->form, j->dossier_id);
}

void api_form_get(struct request *r)
{
	enum form_kind f = forms_parse(r->params[1]);
	struct db *db = NULL;
	struct page *p = NULL;
	struct issue_job *job = NULL;
	struct form_issue_row issue;
	struct agency_row issuer;
	struct forms_dossier x;
	char why[200];
	int source, issued;
	if (f == FORM_NONE || f == FORM_REGISTER) {
		http_fail(r, 404, "unknown_form", NULL,
			  "A dossier's forms are 01 to 05; the register (06) is at /forms/register.");
		return;
	}
	if (!(db = api_reader(r)))
		return;
	p = xcalloc(1, sizeof(*p));
	if (!api_dossier_find(r, db, r->params[0], &p->d))
		goto out;
	if (db_event_list(db, p->d.id, &p->events, &p->n_events) != 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the history.");
		goto out;
	}
	view_of(p, &x);
	if (forms_check(f, &x, &source, why, sizeof(why)) != 0) {
		http_fail(r, 409, "form_not_applicable", NULL, why);
		goto out;
	}
	issued = db_forms_issue_get(db, p->d.id, forms_code(f), &issue);
	if (issued < 0) {
		http_fail(r, 500, "database_error", NULL, "Could not read the form's number.");
		goto out;
	}
	/* Reprints, previews and HEAD only read. */
	if (issued || !may_issue(r) || strcmp(r->method, "GET") != 0) {
		render(r, f, p->d.id);
		goto out;
	}
	if (cross_site(r)) {
		http_fail(r, 403, "cross_origin", NULL,
			  "A form is numbered the first time it is printed, which only this site's own pages may ask for.");
		goto out;
	}
	job = xcalloc(1, sizeof(*job));
	job->form = f;
	job->dossier_id = p->d.id;
	strlcpy_(job->dossier_ref, p->d.code[0] ? p->d.code : p->d.ref, sizeof(job->dossier_ref));
	job->agency_id = db_agency_by_code(db, forms_issuer_code(f, &x, source), &issuer) == 1
			 ? issuer.id : p->d.receiving_agency_id;
	job->now = app_now(r->app);
	job->actor = r->user;
	http_write(r, issue_run, job, free, issue_answer);
out:
	page_free(p);
}

/* ---- GET /forms/register ------------------------------------------------------ */

struct reg {
	struct request *r;
	struct db *db;
	struct buf out;
	struct forms_register head;
	int all;			/* consolidated: every agency */
	int rows;
	int failed;
	int64_t agency;			/* book being written */
	int year;
	int64_t stt;
	int64_t last_agency, last_at, last_id;	/* cursor of the last row */
};

static void reg_row(const struct register_row *row, void *arg)
{
	struct reg *g = arg;
	struct register_row x = *row;
	int y = local_year(row->received_at);
	/* A new book (agency or year): its first number comes from the
	 * count of what the agency received earlier that year; after that
	 * entries follow one another. */
	if (g->rows == 0 || row->receiving_agency_id != g->agency || y != g->year) {
		if (g->all && (g->rows == 0 || row->receiving_agency_id != g->agency))
			forms_register_group(&g->out, row->receiving_agency_name);
		g->stt = db_forms_register_rank(g->db, row->receiving_agency_id, year_start(row->received_at),
						row->received_at, row->id);
		if (g->stt < 0)
			g->failed = 1;
		g->agency = row->receiving_agency_id;
		g->year = y;
	} else {
		g->stt++;
	}
	if (g->rows == 0)
		g->head.first_stt = g->stt;
	x.stt = g->stt;
	forms_register_row(&g->out, &g->head, &x);
	g->rows++;
	g->last_agency = row->receiving_agency_id;
	g->last_at = row->received_at;
	g->last_id = row->id;
}

/* The agency whose book is asked for: agency= (within the caller's
 * scope) or the caller's own; admins and auditors see every agency by
 * default (*all = 1). 0 ok, -1 answered. */
static int reg_agency(struct request *r, struct db *db, struct agency_row *ag, int *all)
{
	const char *code = http_query(r, "agency");
	int everyone = r->user.role == ROLE_ADMIN || r->user.role == ROLE_AUDITOR;
	*all = 0;
	if (!code || !*code) {
		if (everyone) {
			*all = 1;
			return 0;
		}
		code = r->user.agency_code;
	}
	int rc = db_agency_by_code(db, code, ag);
	if (rc < 0)
		return http_fail(r, 500, "database_error", NULL, "Could not read the agency."), -1;
	if (rc == 0)
		return http_fail(r, 404, "unknown_agency", "agency", "No agency has this code."), -1;
	if (everyone || ag->id == r->user.agency_id)
		return 0;
	if (r->user.role == ROLE_MANAGER && db_agency_within(db, ag->id, r->user.agency_id))
		return 0;
	http_fail(r, 403, "out_of_scope", "agency", "You may print the register of your own agency only.");
	return -1;
}

static int parse_after(const char *s, int64_t *agency, int64_t *at, int64_t *id)
{
	long long a, t, i;
	char extra;
	if (sscanf(s, "%lld.%lld.%lld%c", &a, &t, &i, &extra) != 3 || a < 0 || i <= 0)
		return -1;
	*agency = a;
	*at = t;
	*id = i;
	return 0;
}

/* Percent-encode a query value (agency codes are plain, but the address
 * is built from data, so it is encoded all the same). */
static void add_query_value(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
		    || ch == '-' || ch == '.' || ch == '_' || ch == '~')
			buf_addc(b, (char)ch);
		else
			buf_printf(b, "%%%02X", ch);
	}
}

void api_form_register(struct request *r)
{
	struct db *db = api_reader(r);
	const char *from_s = http_query(r, "from"), *to_s = http_query(r, "to"), *after = http_query(r, "after");
	struct agency_row *ag = NULL, *parent = NULL;
	struct register_query q;
	struct reg g;
	struct buf next = BUF_INIT;
	int32_t from_day, to_day;
	int more = 0, began = 0, rc;
	size_t len;
	memset(&g, 0, sizeof(g));
	memset(&q, 0, sizeof(q));
	if (!db)
		return;
	if (!from_s || !to_s) {
		http_fail(r, 400, "missing_parameter", from_s ? "to" : "from",
			  "Give the period as from=YYYY-MM-DD&to=YYYY-MM-DD.");
		goto out;
	}
	if (date_parse_day(from_s, &from_day) != 0 || date_parse_day(to_s, &to_day) != 0) {
		http_fail(r, 400, "invalid_parameter", date_parse_day(from_s, &from_day) ? "from" : "to",
			  "Dates are YYYY-MM-DD.");
		goto out;
	}
	if (to_day < from_day || to_day - from_day >= REGISTER_MAX_DAYS) {
		http_fail(r, 400, "invalid_parameter", "to",
			  "The period must end on or after its start and span at most 366 days.");
		goto out;
	}
	q.limit = api_limit(r, REGISTER_PAGE, REGISTER_PAGE);
	if (q.limit < 0) {
		http_fail(r, 400, "invalid_parameter", "limit", "limit must be 1 to 1000 entries per page.");
		goto out;
	}
	if (after && parse_after(after, &q.after_agency, &q.after_at, &q.after_id) != 0) {
		http_fail(r, 400, "invalid_parameter", "after", "The page cursor is not valid.");
		goto out;
	}
	ag = xcalloc(1, sizeof(*ag));
	parent = xcalloc(1, sizeof(*parent));
	db_read_begin(db);
	began = 1;
	if (reg_agency(r, db, ag, &g.all) != 0)
		goto out;
	if (!g.all && q.after_agency && q.after_agency != ag->id) {
		http_fail(r, 400, "invalid_parameter", "after", "The page cursor belongs to another agency.");
		goto out;
	}
	if (!g.all && ag->parent_id)
		db_agency_by_id(db, ag->parent_id, parent);
	q.agency_id = g.all ? 0 : ag->id;
	q.from = tz_utc(date_at(from_day, 0));
	q.to = tz_utc(date_at(to_day + 1, 0));
	g.r = r;
	g.db = db;
	g.head.agency_name = g.all ? NULL : ag->name;
	g.head.agency_parent = parent->name;
	g.head.from_day = from_day;
	g.head.to_day = to_day;
	g.head.now = app_now(r->app);
	g.head.tz_offset = tz_offset(g.head.now);
	forms_register_begin(&g.out, &g.head);
	rc = db_forms_register(db, &q, reg_row, &g, &more);
	if (rc != 0 || g.failed) {
		http_fail(r, 500, "database_error", NULL, "Could not read the register.");
		goto out;
	}
	if (more) {
		buf_adds(&next, "/forms/register?from=");
		add_query_value(&next, from_s);
		buf_adds(&next, "&to=");
		add_query_value(&next, to_s);
		if (!g.all) {
			buf_adds(&next, "&agency=");
			add_query_value(&next, ag->code);
		}
		if (q.limit != REGISTER_PAGE)
			buf_printf(&next, "&limit=%d", q.limit);
		buf_printf(&next, "&after=%lld.%lld.%lld", (long long)g.last_agency, (long long)g.last_at,
			   (long long)g.last_id);
		g.head.next_url = buf_cstr(&next);
	}
	forms_register_end(&g.out, &g.head, g.rows);
	char *html = buf_detach(&g.out, &len);
	http_send_owned(r, 200, HTML, html, len);
out:
	if (began)
		db_read_end(db);
	buf_release(&g.out);
	buf_release(&next);
	free(parent);
	free(ag);
}
