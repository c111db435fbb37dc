/*
 * motcua — report: sums over the stat aggregates, grouped and finished.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db_catalog.h"
#include "db_stats.h"
#include "deadline.h"
#include "util.h"

static const char *const group_names[GROUP__MAX] = {
	"agency", "level", "field", "procedure", "channel", "none"
};

int report_group_parse(const char *s, enum report_group *g)
{
	for (int i = 0; i < GROUP__MAX; i++)
		if (strcmp(s, group_names[i]) == 0) {
			*g = (enum report_group)i;
			return 0;
		}
	return -1;
}

const char *report_group_name(enum report_group g)
{
	return g < GROUP__MAX ? group_names[g] : "?";
}

double report_rate(int64_t num, int64_t den)
{
	if (den <= 0)
		return -1;
	/* Two decimals, rounded half up, computed in integers so 99.995 %
	 * cannot become 100.00 by floating-point accident. */
	int64_t x = (num * 100000 / den + 5) / 10;
	return (double)x / 100.0;
}

/* ---- period decomposition --------------------------------------------- */

static int32_t month_end(int y, int m)
{
	return m == 12 ? date_from_civil(y + 1, 1, 1) - 1 : date_from_civil(y, m + 1, 1) - 1;
}

int report_ranges(int32_t from, int32_t to, struct brange out[REPORT_MAX_RANGES])
{
	int n = 0;
	int32_t d = from;
	while (d <= to && n < REPORT_MAX_RANGES) {
		int y, m, dd;
		date_to_civil(d, &y, &m, &dd);
		if (m == 1 && dd == 1 && date_from_civil(y, 12, 31) <= to) {
			int y2 = y;
			while (date_from_civil(y2 + 1, 12, 31) <= to)
				y2++;
			out[n++] = (struct brange){ 2, y, y2 };
			d = date_from_civil(y2 + 1, 1, 1);
		} else if (dd == 1 && month_end(y, m) <= to) {
			int m2 = m;
			while (m2 < 12 && month_end(y, m2 + 1) <= to)
				m2++;
			out[n++] = (struct brange){ 1, y * 100 + m, y * 100 + m2 };
			d = month_end(y, m2) + 1;
		} else {
			int32_t end = month_end(y, m) < to ? month_end(y, m) : to;
			out[n++] = (struct brange){ 0, stats_bucket(d, 0), stats_bucket(end, 0) };
			d = end + 1;
		}
	}
	return n;
}

/* ---- catalogue metadata ------------------------------------------------ */

struct meta_agency {
	int64_t id, parent;
	char code[32];
	char name[256];
	char level[16];
};

struct meta_proc {
	int64_t id;
	char code[32];
	char name[256];
	char field[256];
	int64_t limit_hours;
};

struct meta {
	struct meta_agency *ag;
	size_t n_ag;
	struct meta_proc *pr;
	size_t n_pr;
	char (*fields)[256];	/* distinct field names */
	size_t n_fields;
};

static void meta_add_agency(const struct agency_row *a, void *ctx)
{
	struct meta *m = ctx;
	m->ag = xrealloc(m->ag, (m->n_ag + 1) * sizeof(*m->ag));
	struct meta_agency *x = &m->ag[m->n_ag++];
	x->id = a->id;
	x->parent = a->parent_id;
	strlcpy_(x->code, a->code, sizeof(x->code));
	strlcpy_(x->name, a->name, sizeof(x->name));
	strlcpy_(x->level, a->level, sizeof(x->level));
}

/* The legal limit in working hours (8 h days), for comparing the actual
 * processing time with it. */
static int64_t hours_of(const struct procedure_row *p)
{
	enum deadline_unit u;
	if (deadline_unit_parse(p->limit_unit, &u) != 0)
		return 0;
	switch (u) {
	case DEADLINE_WORK_HOURS: return p->limit_value;
	case DEADLINE_WORK_DAYS: return (int64_t)p->limit_value * 8;
	case DEADLINE_CAL_DAYS: return (int64_t)p->limit_value * 8 * 5 / 7;
	case DEADLINE_IMMEDIATE: return 8;
	default: return 0;
	}
}

static void meta_add_proc(const struct procedure_row *p, void *ctx)
{
	struct meta *m = ctx;
	m->pr = xrealloc(m->pr, (m->n_pr + 1) * sizeof(*m->pr));
	struct meta_proc *x = &m->pr[m->n_pr++];
	x->id = p->id;
	strlcpy_(x->code, p->code, sizeof(x->code));
	strlcpy_(x->name, p->name, sizeof(x->name));
	strlcpy_(x->field, p->field, sizeof(x->field));
	x->limit_hours = hours_of(p);
	for (size_t i = 0; i < m->n_fields; i++)
		if (!strcmp(m->fields[i], p->field))
			return;
	m->fields = xrealloc(m->fields, (m->n_fields + 1) * sizeof(*m->fields));
	strlcpy_(m->fields[m->n_fields++], p->field, 256);
}

static const struct meta_agency *agency_of(const struct meta *m, int64_t id)
{
	for (size_t i = 0; i < m->n_ag; i++)
		if (m->ag[i].id == id)
			return &m->ag[i];
	return NULL;
}

static const struct meta_proc *proc_of(const struct meta *m, int64_t id)
{
	for (size_t i = 0; i < m->n_pr; i++)
		if (m->pr[i].id == id)
			return &m->pr[i];
	return NULL;
}

static int in_subtree(const struct meta *m, int64_t id, int64_t root)
{
	for (int hops = 0; id && hops < 16; hops++) {
		if (id == root)
			return 1;
		const struct meta_agency *a = agency_of(m, id);
		id = a ? a->parent : 0;
	}
	return 0;
}

/* ---- accumulation ------------------------------------------------------- */

struct run {
	struct report *rep;
	const struct meta *meta;
	int mode;		/* 0 the period, 1 the prefix, 2 after today */
};

static const char *const level_labels[][2] = {
	{ "province", "Cấp tỉnh" }, { "department", "Sở, ban, ngành" },
	{ "district", "Cấp huyện (đến 30/6/2025)" }, { "commune", "Cấp xã" },
};
static const char *const channel_labels[3][2] = {
	{ "direct", "Trực tiếp" }, { "online", "Trực tuyến" }, { "postal", "Bưu chính công ích" },
};

/* The group a stat row belongs to: its key and label. 0 to skip. */
static int group_of(const struct run *rn, const struct stat_row *s, char key[48],
		    char label[256], int64_t *agency_id, int64_t *procedure_id)
{
	const struct meta_agency *a = s->agency_id ? agency_of(rn->meta, s->agency_id) : NULL;
	const struct meta_proc *p = s->procedure_id ? proc_of(rn->meta, s->procedure_id) : NULL;
	*agency_id = *procedure_id = 0;
	switch (rn->rep->q.group) {
	case GROUP_AGENCY:
		if (!a)
			return 0;
		strlcpy_(key, a->code, 48);
		strlcpy_(label, a->name, 256);
		*agency_id = a->id;
		return 1;
	case GROUP_LEVEL:
		if (!a)
			return 0;
		strlcpy_(key, a->level, 48);
		strlcpy_(label, a->level, 256);
		for (size_t i = 0; i < ARRAY_LEN(level_labels); i++)
			if (!strcmp(a->level, level_labels[i][0]))
				strlcpy_(label, level_labels[i][1], 256);
		return 1;
	case GROUP_FIELD:
		if (!p)
			return 0;
		for (size_t i = 0; i < rn->meta->n_fields; i++)
			if (!strcmp(rn->meta->fields[i], p->field))
				snprintf(key, 48, "F%zu", i + 1);
		strlcpy_(label, p->field, 256);
		return 1;
	case GROUP_PROCEDURE:
		if (!p)
			return 0;
		strlcpy_(key, p->code, 48);
		strlcpy_(label, p->name, 256);
		*procedure_id = p->id;
		return 1;
	case GROUP_CHANNEL:
		if (s->channel < 0 || s->channel > 2)
			return 0;
		strlcpy_(key, channel_labels[s->channel][0], 48);
		strlcpy_(label, channel_labels[s->channel][1], 256);
		return 1;
	default:
		strlcpy_(key, "total", 48);
		strlcpy_(label, "Tổng cộng", 256);
		return 1;
	}
}

static struct report_row *row_for(struct report *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->rows[i].key, key))
			return &r->rows[i];
	if (r->n == r->cap)
		r->rows = xrealloc(r->rows, (r->cap = r->cap ? r->cap * 2 : 64) * sizeof(*r->rows));
	struct report_row *x = &r->rows[r->n++];
	memset(x, 0, sizeof(*x));
	strlcpy_(x->key, key, sizeof(x->key));
	return x;
}

static void add_row(const struct stat_row *s, void *ctx)
{
	struct run *rn = ctx;
	char key[48], label[256];
	int64_t agency_id, procedure_id;
	rn->rep->rows_read++;
	if (!group_of(rn, s, key, label, &agency_id, &procedure_id))
		return;
	struct report_row *r = row_for(rn->rep, key);
	strlcpy_(r->label, label, sizeof(r->label));
	r->agency_id = agency_id;
	r->procedure_id = procedure_id;
	int64_t *dst = rn->mode == 1 ? r->before : rn->mode == 2 ? r->future : r->sum;
	for (int c = 0; c < SC__MAX; c++)
		dst[c] += s->v[c];
	if (rn->mode == 0 && s->channel >= 0 && s->channel <= 2)
		r->by_channel[s->channel] += s->v[SC_RECEIVED];
}

void report_finish_row(struct report_row *r)
{
	const int64_t *b = r->before, *s = r->sum;
	int64_t finished_before = b[SC_EARLY] + b[SC_ON_TIME] + b[SC_LATE] + b[SC_STOPPED] + b[SC_WITHDRAWN];
	r->carried = b[SC_RECEIVED] - finished_before;
	r->new_online = r->by_channel[1];
	r->new_direct = r->by_channel[0] + r->by_channel[2];
	r->received = r->carried + s[SC_RECEIVED];
	r->early = s[SC_EARLY];
	r->on_time = s[SC_ON_TIME];
	r->late = s[SC_LATE];
	r->resolved = r->early + r->on_time + r->late;
	r->stopped = s[SC_STOPPED];
	r->withdrawn = s[SC_WITHDRAWN];
	r->in_progress = r->received - r->resolved - r->stopped - r->withdrawn;
	/* Entries after today are due dates still ahead: not overdue yet. */
	r->overdue = (b[SC_OVD_IN] - b[SC_OVD_OUT]) + (s[SC_OVD_IN] - s[SC_OVD_OUT])
		     - (r->future[SC_OVD_IN] - r->future[SC_OVD_OUT]);
	r->within = r->in_progress - r->overdue;
	r->on_time_rate = report_rate(r->early + r->on_time, r->resolved);
}

int report_check(const struct report *r)
{
	for (size_t i = 0; i <= r->n; i++) {
		const struct report_row *x = i < r->n ? &r->rows[i] : &r->total;
		if (x->received != x->resolved + x->in_progress + x->stopped + x->withdrawn)
			return 0;
		if (x->carried < 0 || x->in_progress < 0 || x->overdue < 0 || x->within < 0)
			return 0;
	}
	return 1;
}

/* ---- running ------------------------------------------------------------ */

/* Which stat rows answer the query: per agency (1), per procedure (2), or
 * per agency and procedure (0). */
static int kind_for(const struct report_query *q)
{
	int by_procedure = q->group == GROUP_PROCEDURE || q->group == GROUP_FIELD;
	if (q->procedure_id)
		return 0;
	if (by_procedure)
		return q->agency_id ? 0 : 2;
	return 1;
}

static int sum_ranges(struct db *db, struct run *rn, int kind, int64_t agency,
		      const struct brange *rg, int n)
{
	for (int i = 0; i < n; i++)
		if (db_stats_range(db, kind, rg[i].grain, rg[i].from, rg[i].to, agency,
				   rn->rep->q.procedure_id, add_row, rn) != 0)
			return -1;
	return 0;
}

/* The prefix (everything before `from`) and the period, for one agency
 * (or all with agency 0). */
static int sum_agency(struct db *db, struct run *rn, int kind, int64_t agency)
{
	struct brange pre[REPORT_MAX_RANGES], per[REPORT_MAX_RANGES];
	int npre = report_ranges(date_from_civil(2000, 1, 1), rn->rep->q.from - 1, pre);
	int nper = report_ranges(rn->rep->q.from, rn->rep->q.to, per);
	rn->mode = 1;
	if (sum_ranges(db, rn, kind, agency, pre, npre) != 0)
		return -1;
	rn->mode = 0;
	if (sum_ranges(db, rn, kind, agency, per, nper) != 0)
		return -1;
	if (rn->rep->q.today && rn->rep->q.today < rn->rep->q.to) {
		struct brange fut[REPORT_MAX_RANGES];
		int nfut = report_ranges(rn->rep->q.today + 1, rn->rep->q.to, fut);
		rn->mode = 2;
		return sum_ranges(db, rn, kind, agency, fut, nfut);
	}
	return 0;
}

static void meta_free(struct meta *m)
{
	free(m->ag);
	free(m->pr);
	free(m->fields);
}

int report_run(struct db *db, const struct report_query *q, struct report *out)
{
	struct meta m;
	struct run rn;
	int rc = -1;
	memset(&m, 0, sizeof(m));
	memset(out, 0, sizeof(*out));
	out->q = *q;
	out->kind = kind_for(q);
	if (db_agency_each(db, meta_add_agency, &m) != 0 || db_procedure_each(db, meta_add_proc, &m) != 0)
		goto done;
	rn.rep = out;
	rn.meta = &m;
	if (!q->agency_id) {
		if (sum_agency(db, &rn, out->kind, 0) != 0)
			goto done;
	} else {
		for (size_t i = 0; i < m.n_ag; i++) {
			int in = q->subtree ? in_subtree(&m, m.ag[i].id, q->agency_id) : m.ag[i].id == q->agency_id;
			if (in && sum_agency(db, &rn, out->kind, m.ag[i].id) != 0)
				goto done;
		}
	}
	for (size_t i = 0; i < out->n; i++) {
		struct report_row *r = &out->rows[i];
		report_finish_row(r);
		if (r->procedure_id) {
			const struct meta_proc *p = proc_of(&m, r->procedure_id);
			r->limit_hours = p ? p->limit_hours : 0;
		}
		for (int c = 0; c < SC__MAX; c++) {
			out->total.sum[c] += r->sum[c];
			out->total.before[c] += r->before[c];
			out->total.future[c] += r->future[c];
		}
		for (int c = 0; c < 3; c++)
			out->total.by_channel[c] += r->by_channel[c];
	}
	strlcpy_(out->total.key, "total", sizeof(out->total.key));
	strlcpy_(out->total.label, "Tổng cộng", sizeof(out->total.label));
	report_finish_row(&out->total);
	rc = 0;
done:
	meta_free(&m);
	return rc;
}

void report_free(struct report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->n = r->cap = 0;
}
