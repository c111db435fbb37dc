/*
 * motcua — import: CSV files into the catalogue, calendar and accounts.
 */
#include "import.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "csv.h"
#include "date.h"
#include "db.h"
#include "db_account.h"
#include "db_calendar.h"
#include "db_catalog.h"
#include "db_event.h"
#include "deadline.h"
#include "principal.h"
#include "util.h"
#include "writer.h"

/* A CSV file with named columns; the header is read on open. */
struct table {
	struct csv_reader *r;
	struct csv_row header;
	char **names;		/* copies of the header names */
	size_t n;
	struct csv_row row;
};

static int bad(struct api_error *err, size_t line, const char *msg)
{
	return api_error_set(err, 422, "invalid_file", NULL, "line %zu: %s", line, msg);
}

static int table_open(struct table *t, FILE *f, const char *const *required,
		      struct api_error *err)
{
	memset(t, 0, sizeof(*t));
	t->r = csv_reader_open(f);
	int rc = csv_read(t->r, &t->header);
	if (rc != 1)
		return api_error_set(err, 422, "invalid_file", NULL, "%s",
				     rc == 0 ? "the file is empty" : csv_error(t->r));
	t->n = t->header.n;
	t->names = xcalloc(t->n, sizeof(char *));
	for (size_t i = 0; i < t->n; i++)
		t->names[i] = xstrdup(t->header.field[i]);
	for (int i = 0; required[i]; i++) {
		int found = 0;
		for (size_t j = 0; j < t->n; j++)
			found |= strcmp(t->names[j], required[i]) == 0;
		if (!found)
			return api_error_set(err, 422, "invalid_file", NULL,
					     "line 1: the header has no column \"%s\"", required[i]);
	}
	return 0;
}

static void table_close(struct table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	csv_reader_free(t->r);
}

/* 1 row, 0 end, -1 error (err filled). */
static int table_next(struct table *t, struct api_error *err)
{
	int rc = csv_read(t->r, &t->row);
	if (rc < 0)
		return api_error_set(err, 422, "invalid_file", NULL, "%s", csv_error(t->r));
	return rc;
}

/* The row's value of a column ("" when absent). */
static const char *col(const struct table *t, const char *name)
{
	for (size_t i = 0; i < t->n && i < t->row.n; i++)
		if (strcmp(t->names[i], name) == 0)
			return t->row.field[i];
	return "";
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* ---- agencies -------------------------------------------------------- */

static const char *const agency_cols[] = { "code", "name", "level", "parent_code", NULL };

static int agencies_pass(struct txn *t, FILE *f, struct import_count *c, struct api_error *err)
{
	struct table tb;
	struct agency_row a;
	int rc;
	if (table_open(&tb, f, agency_cols, err) != 0)
		goto fail;
	while ((rc = table_next(&tb, err)) == 1) {
		const char *level = col(&tb, "level");
		memset(&a, 0, sizeof(a));
		if (strcmp(level, "province") && strcmp(level, "department")
		    && strcmp(level, "district") && strcmp(level, "commune")) {
			bad(err, tb.row.line, "level must be province, department, district or commune");
			goto fail;
		}
		if (!*col(&tb, "code") || !*col(&tb, "name")) {
			bad(err, tb.row.line, "code and name are required");
			goto fail;
		}
		strlcpy_(a.code, col(&tb, "code"), sizeof(a.code));
		strlcpy_(a.name, col(&tb, "name"), sizeof(a.name));
		strlcpy_(a.level, level, sizeof(a.level));
		strlcpy_(a.parent_code, col(&tb, "parent_code"), sizeof(a.parent_code));
		strlcpy_(a.valid_from, col(&tb, "valid_from"), sizeof(a.valid_from));
		strlcpy_(a.valid_to, col(&tb, "valid_to"), sizeof(a.valid_to));
		strlcpy_(a.code_status, col(&tb, "code_status"), sizeof(a.code_status));
		strlcpy_(a.note, col(&tb, "note"), sizeof(a.note));
		if (db_agency_upsert(t, &a, err) != 0)
			goto fail;
		c->rows++;
	}
	if (rc < 0)
		goto fail;
	table_close(&tb);
	return 0;
fail:
	table_close(&tb);
	return -1;
}

int import_agencies(struct txn *t, FILE *f, struct import_count *c, struct api_error *err)
{
	struct import_count first = { 0, 0 };
	/* Twice: a parent listed after its child gets linked on the second. */
	if (agencies_pass(t, f, &first, err) != 0)
		return -1;
	rewind(f);
	return agencies_pass(t, f, c, err);
}

/* ---- procedures ------------------------------------------------------ */

static const char *const procedure_cols[] = {
	"national_code", "name", "field", "level", "time_limit_value", "time_limit_unit", NULL
};

static int read_procedure(struct table *tb, struct procedure_row *p, struct api_error *err)
{
	const char *unit = col(tb, "time_limit_unit"), *level = col(tb, "level");
	const char *online = col(tb, "online_level");
	enum deadline_unit du;
	long v = 0;
	memset(p, 0, sizeof(*p));
	if (!*col(tb, "national_code") || !*col(tb, "name") || !*col(tb, "field"))
		return bad(err, tb->row.line, "national_code, name and field are required");
	strlcpy_(p->code, col(tb, "national_code"), sizeof(p->code));
	strlcpy_(p->name, col(tb, "name"), sizeof(p->name));
	strlcpy_(p->field, col(tb, "field"), sizeof(p->field));
	if (strcmp(level, "province") && strcmp(level, "commune"))
		return bad(err, tb->row.line, "level must be province or commune");
	strlcpy_(p->level, level, sizeof(p->level));
	if (!*unit) {
		unit = "none";	/* no published limit */
	} else if (parse_int(col(tb, "time_limit_value"), 0, 100000, &v) != 0) {
		return bad(err, tb->row.line, "time_limit_value must be a whole number");
	}
	if (deadline_unit_parse(unit, &du) != 0)
		return bad(err, tb->row.line,
			   "time_limit_unit must be working_hours, working_days, calendar_days or immediate");
	p->limit_value = (int)v;
	strlcpy_(p->limit_unit, unit, sizeof(p->limit_unit));
	p->online_limit_value = -1;
	p->fee_vnd = -1;
	if (*col(tb, "fee_vnd")) {
		long fee;
		if (parse_int(col(tb, "fee_vnd"), 0, 2000000000, &fee) != 0)
			return bad(err, tb->row.line, "fee_vnd must be a whole number of đồng");
		p->fee_vnd = fee;
	}
	if (!*online)
		online = "unknown";
	if (strcmp(online, "full") && strcmp(online, "partial") && strcmp(online, "none")
	    && strcmp(online, "unknown"))
		return bad(err, tb->row.line, "online_level must be full, partial, none or unknown");
	strlcpy_(p->online_level, online, sizeof(p->online_level));
	strlcpy_(p->legal_basis, col(tb, "legal_basis"), sizeof(p->legal_basis));
	strlcpy_(p->note, col(tb, "note"), sizeof(p->note));
	p->active = 1;
	return 0;
}

int import_procedures(struct txn *t, FILE *f, struct import_count *c, struct api_error *err)
{
	struct table tb;
	struct procedure_row *p = xmalloc(sizeof(*p));
	int rc, ret = -1;
	if (table_open(&tb, f, procedure_cols, err) != 0)
		goto out;
	while ((rc = table_next(&tb, err)) == 1) {
		int64_t field_id, id;
		if (read_procedure(&tb, p, err) != 0 || db_field_ensure(t, p->field, &field_id, err) != 0
		    || db_procedure_upsert(t, p, field_id, &id, err) != 0)
			goto out;
		c->rows++;
	}
	ret = rc < 0 ? -1 : 0;
out:
	table_close(&tb);
	free(p);
	return ret;
}

/* ---- chains and checklists: rules matched per procedure --------------- */

struct rule_row {
	char match[300];
	char a[512];		/* chains: agency code; checklists: name */
	char b[300];		/* chains: task; checklists: kind */
	long n1, n2;		/* chains: seq, share; checklists: count, required */
};

struct rules {
	struct rule_row *rows;
	size_t n, cap;
};

static void rules_add(struct rules *rs, const struct rule_row *r)
{
	if (rs->n == rs->cap)
		rs->rows = xrealloc(rs->rows, (rs->cap = rs->cap ? rs->cap * 2 : 32) * sizeof(*rs->rows));
	rs->rows[rs->n++] = *r;
}

/* The procedures, collected before writing (no writes during a scan). */
struct procs {
	struct procedure_row *rows;
	size_t n, cap;
};

static void collect(const struct procedure_row *p, void *ctx)
{
	struct procs *ps = ctx;
	if (ps->n == ps->cap)
		ps->rows = xrealloc(ps->rows, (ps->cap = ps->cap ? ps->cap * 2 : 128) * sizeof(*ps->rows));
	ps->rows[ps->n++] = *p;
}

/* The most specific key that has rules for p: code, then field (province)
 * or level (commune), then the fallback key. */
static const char *pick(const struct rules *rs, const struct procedure_row *p,
			const char *fallback, char key[300])
{
	char cand[3][300];
	snprintf(cand[0], 300, "code:%s", p->code);
	if (strcmp(p->level, "commune") == 0)
		snprintf(cand[1], 300, "level:commune");
	else
		snprintf(cand[1], 300, "field:%s", p->field);
	snprintf(cand[2], 300, "%s", fallback);
	for (int i = 0; i < 3; i++)
		for (size_t j = 0; j < rs->n; j++)
			if (strcmp(rs->rows[j].match, cand[i]) == 0) {
				strlcpy_(key, cand[i], 300);
				return key;
			}
	return NULL;
}

/* The legal limit in working hours, to share among the steps. */
static long limit_hours(const struct procedure_row *p, int day_hours)
{
	long v = p->limit_value;
	if (!strcmp(p->limit_unit, "working_hours"))
		return v;
	if (!strcmp(p->limit_unit, "working_days"))
		return v * day_hours;
	if (!strcmp(p->limit_unit, "calendar_days"))
		return (v * 5 / 7 > 0 ? v * 5 / 7 : 1) * day_hours;
	if (!strcmp(p->limit_unit, "immediate"))
		return day_hours;
	return 0;
}

static int apply_chain(struct txn *t, const struct rules *rs, const struct procedure_row *p,
		       int day_hours, struct api_error *err)
{
	char key[300] = "";
	struct step_row steps[16];
	int n = 0;
	long total = limit_hours(p, day_hours);
	memset(steps, 0, sizeof(steps));
	if (!pick(rs, p, "-", key)) {
		/* No rule: one step at the receiving agency with the whole limit. */
		steps[0].work_hours = (int)total;
		strlcpy_(steps[0].task, "Thẩm định và giải quyết", sizeof(steps[0].task));
		n = 1;
	}
	for (size_t i = 0; key[0] && i < rs->n && n < 16; i++) {
		const struct rule_row *r = &rs->rows[i];
		if (strcmp(r->match, key) != 0)
			continue;
		struct step_row *s = &steps[n++];
		if (r->a[0]) {
			struct agency_row ag;
			if (db_agency_by_code(t->db, r->a, &ag) != 1)
				return api_error_set(err, 422, "invalid_file", NULL,
						     "chain step for %s names unknown agency %s", p->code, r->a);
			s->agency_id = ag.id;
		}
		strlcpy_(s->task, r->b, sizeof(s->task));
		long h = (total * r->n2 + 50) / 100;
		s->work_hours = (int)(total > 0 && h < 1 ? 1 : h);
	}
	if (db_step_replace(t, p->id, steps, n, err) != 0)
		return -1;
	return db_procedure_set_agency(t, p->id, steps[0].agency_id, err);
}

static const char *const chain_cols[] = { "match", "seq", "agency_code", "task", "share_percent", NULL };

int import_chains(struct txn *t, FILE *f, int day_hours, struct import_count *c,
		  struct api_error *err)
{
	struct table tb;
	struct rules rs = { NULL, 0, 0 };
	struct procs ps = { NULL, 0, 0 };
	struct rule_row r;
	int rc, ret = -1;
	if (table_open(&tb, f, chain_cols, err) != 0)
		goto out;
	while ((rc = table_next(&tb, err)) == 1) {
		memset(&r, 0, sizeof(r));
		strlcpy_(r.match, col(&tb, "match"), sizeof(r.match));
		strlcpy_(r.a, col(&tb, "agency_code"), sizeof(r.a));
		strlcpy_(r.b, col(&tb, "task"), sizeof(r.b));
		if (parse_int(col(&tb, "seq"), 1, 16, &r.n1) != 0
		    || parse_int(col(&tb, "share_percent"), 0, 100, &r.n2) != 0) {
			bad(err, tb.row.line, "seq must be 1–16 and share_percent 0–100");
			goto out;
		}
		rules_add(&rs, &r);
	}
	if (rc < 0 || db_procedure_each(t->db, collect, &ps) != 0)
		goto out;
	for (size_t i = 0; i < ps.n; i++) {
		if (apply_chain(t, &rs, &ps.rows[i], day_hours, err) != 0)
			goto out;
		c->rows++;
	}
	ret = 0;
out:
	table_close(&tb);
	free(rs.rows);
	free(ps.rows);
	return ret;
}

static const char *const doc_cols[] = { "match", "name", "kind", "count", "required", NULL };

int import_documents(struct txn *t, FILE *f, struct import_count *c, struct api_error *err)
{
	struct table tb;
	struct rules rs = { NULL, 0, 0 };
	struct procs ps = { NULL, 0, 0 };
	struct rule_row r;
	struct document_row *docs = xcalloc(40, sizeof(*docs));
	int rc, ret = -1;
	if (table_open(&tb, f, doc_cols, err) != 0)
		goto out;
	while ((rc = table_next(&tb, err)) == 1) {
		const char *kind = col(&tb, "kind");
		memset(&r, 0, sizeof(r));
		strlcpy_(r.match, col(&tb, "match"), sizeof(r.match));
		strlcpy_(r.a, col(&tb, "name"), sizeof(r.a));
		strlcpy_(r.b, kind, sizeof(r.b));
		if (strcmp(kind, "original") && strcmp(kind, "certified_copy") && strcmp(kind, "copy")) {
			bad(err, tb.row.line, "kind must be original, certified_copy or copy");
			goto out;
		}
		if (parse_int(col(&tb, "count"), 1, 100, &r.n1) != 0
		    || parse_int(col(&tb, "required"), 0, 1, &r.n2) != 0) {
			bad(err, tb.row.line, "count must be 1–100 and required 0 or 1");
			goto out;
		}
		rules_add(&rs, &r);
	}
	if (rc < 0 || db_procedure_each(t->db, collect, &ps) != 0)
		goto out;
	for (size_t i = 0; i < ps.n; i++) {
		char key[300];
		int n = 0;
		if (!pick(&rs, &ps.rows[i], "default", key))
			continue;
		for (size_t j = 0; j < rs.n && n < 40; j++) {
			if (strcmp(rs.rows[j].match, key) != 0)
				continue;
			strlcpy_(docs[n].name, rs.rows[j].a, sizeof(docs[n].name));
			strlcpy_(docs[n].kind, rs.rows[j].b, sizeof(docs[n].kind));
			docs[n].count = (int)rs.rows[j].n1;
			docs[n].required = (int)rs.rows[j].n2;
			n++;
		}
		if (db_document_replace(t, ps.rows[i].id, docs, n, err) != 0)
			goto out;
		c->rows++;
	}
	ret = 0;
out:
	table_close(&tb);
	free(rs.rows);
	free(ps.rows);
	free(docs);
	return ret;
}

/* ---- calendar --------------------------------------------------------- */

static const char *const calendar_cols[] = { "date", "working", NULL };

static int calendar_event(struct txn *t, int year, int count, int64_t now,
			  const struct principal *actor, struct api_error *err)
{
	char data[96], note[16];
	snprintf(data, sizeof(data), "{\"rows\":%d,\"year\":%d}", count, year);
	snprintf(note, sizeof(note), "%d", year);
	struct event_rec e = {
		.at = now, .action = "calendar_import", .step = -1, .clock = "",
		.note = note, .data = data,
	};
	if (actor) {
		db_event_actor(&e, actor);
	} else {
		e.actor = "system";
	}
	return db_event_append(t, &e, err);
}

int import_calendar(struct txn *t, FILE *f, const unsigned char weekdays[7], int64_t now,
		    const struct principal *actor, struct import_count *c, struct api_error *err)
{
	struct table tb;
	struct calday_row cd;
	int rc, ret = -1, year = 0, in_year = 0;
	if (table_open(&tb, f, calendar_cols, err) != 0)
		goto out;
	while ((rc = table_next(&tb, err)) == 1) {
		int32_t day;
		long working;
		int y, m, d;
		if (date_parse_day(col(&tb, "date"), &day) != 0) {
			bad(err, tb.row.line, "date must be YYYY-MM-DD");
			goto out;
		}
		if (parse_int(col(&tb, "working"), 0, 1, &working) != 0) {
			bad(err, tb.row.line, "working must be 0 or 1");
			goto out;
		}
		/* A row that says what the weekday rule says changes nothing. */
		if (weekdays[date_weekday(day)] == (working != 0)) {
			c->skipped++;
			continue;
		}
		date_to_civil(day, &y, &m, &d);
		if (y != year) {
			if (in_year && calendar_event(t, year, in_year, now, actor, err) != 0)
				goto out;
			year = y;
			in_year = 0;
		}
		memset(&cd, 0, sizeof(cd));
		date_format_day(day, cd.day);
		cd.working = (int)working;
		strlcpy_(cd.note, col(&tb, "note"), sizeof(cd.note));
		strlcpy_(cd.kind, col(&tb, "kind"), sizeof(cd.kind));
		strlcpy_(cd.status, col(&tb, "status"), sizeof(cd.status));
		strlcpy_(cd.source, col(&tb, "source"), sizeof(cd.source));
		cd.updated_at = now;
		if (db_calendar_put(t, &cd, err) != 0)
			goto out;
		c->rows++;
		in_year++;
	}
	if (rc < 0)
		goto out;
	if (in_year && calendar_event(t, year, in_year, now, actor, err) != 0)
		goto out;
	ret = 0;
out:
	table_close(&tb);
	return ret;
}

/* ---- demo accounts ---------------------------------------------------- */

static const char *const user_cols[] = { "username", "full_name", "role", "agency_code", NULL };

int import_users(struct txn *t, FILE *f, const char *password_hash, int64_t now,
		 struct import_count *c, struct api_error *err)
{
	struct table tb;
	struct account_row a;
	struct agency_row ag;
	int rc, ret = -1;
	if (table_open(&tb, f, user_cols, err) != 0)
		goto out;
	while ((rc = table_next(&tb, err)) == 1) {
		int64_t id;
		memset(&a, 0, sizeof(a));
		strlcpy_(a.username, col(&tb, "username"), sizeof(a.username));
		strlcpy_(a.full_name, col(&tb, "full_name"), sizeof(a.full_name));
		if (role_parse(col(&tb, "role"), &a.role) != 0) {
			bad(err, tb.row.line, "unknown role");
			goto out;
		}
		if (db_agency_by_code(t->db, col(&tb, "agency_code"), &ag) != 1) {
			bad(err, tb.row.line, "unknown agency_code");
			goto out;
		}
		a.agency_id = ag.id;
		a.pii_access = strcmp(col(&tb, "pii_access"), "1") == 0;
		strlcpy_(a.password_hash, password_hash, sizeof(a.password_hash));
		if (db_account_insert(t, &a, now, &id, err) != 0)
			goto out;
		c->rows++;
	}
	ret = rc < 0 ? -1 : 0;
out:
	table_close(&tb);
	return ret;
}
