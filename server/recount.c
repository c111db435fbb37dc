/*
 * motcua — recount: replaying the history into statistics.
 */
#include "recount.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "date.h"
#include "db.h"
#include "db_dossier.h"
#include "db_event.h"
#include "db_stats.h"
#include "tz.h"
#include "util.h"
#include "workflow.h"

struct replay {
	struct db *db;
	struct stat_acc *acc;
	struct stat_merge *merge;
	int64_t dossier;		/* current dossier */
	struct stat_snap snap;		/* its state so far */
	struct stat_key key;
	struct dossier_step steps[DOSSIER_MAX_STEPS];
	int n_steps;			/* -1 = not loaded yet */
	struct recount_result *res;
};

static int class_of(const char *name)
{
	if (!name)
		return 0;
	return !strcmp(name, "early") ? WF_EARLY : !strcmp(name, "on_time") ? WF_ON_TIME
	       : !strcmp(name, "late") ? WF_LATE : 0;
}

static int64_t step_agency(struct replay *rp, int seq)
{
	if (rp->n_steps < 0)
		rp->n_steps = db_dossier_steps(rp->db, rp->dossier, rp->steps);
	for (int i = 0; i < rp->n_steps; i++)
		if (rp->steps[i].seq == seq)
			return rp->steps[i].agency_id;
	return 0;
}

/* Fold the figures carried in a row's data into the next snapshot. */
static void apply_data(struct replay *rp, const struct event_replay *e, struct stat_snap *n,
		       int32_t day)
{
	cJSON *d = e->data[0] ? cJSON_Parse(e->data) : NULL;
	const cJSON *x;
	if (!d)
		return;
	if (!strcmp(e->action, "receive") || !strcmp(e->action, "accept")) {
		n->has_fee = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "fee"));
		x = cJSON_GetObjectItemCaseSensitive(d, "attachments");
		n->digitised = cJSON_IsNumber(x) && x->valuedouble > 0;
	}
	if (!strcmp(e->action, "resolve")) {
		x = cJSON_GetObjectItemCaseSensitive(d, "result");
		n->result_class = class_of(cJSON_IsString(x) ? x->valuestring : NULL);
		x = cJSON_GetObjectItemCaseSensitive(d, "work_seconds");
		n->work_seconds = cJSON_IsNumber(x) ? (int64_t)x->valuedouble : 0;
	}
	if (!strcmp(e->action, "payment_received")) {
		x = cJSON_GetObjectItemCaseSensitive(d, "method");
		if (cJSON_IsString(x) && !strcmp(x->valuestring, "online"))
			n->paid_online = 1;
	}
	const cJSON *sd = cJSON_GetObjectItemCaseSensitive(d, "step_done");
	if (cJSON_IsObject(sd)) {
		const cJSON *seq = cJSON_GetObjectItemCaseSensitive(sd, "seq");
		const cJSON *res = cJSON_GetObjectItemCaseSensitive(sd, "result");
		int cls = class_of(cJSON_IsString(res) ? res->valuestring : NULL);
		if (cJSON_IsNumber(seq) && cls)
			stats_step(rp->acc, step_agency(rp, (int)seq->valuedouble), rp->key.procedure_id,
				   rp->key.channel, day, cls);
	}
	cJSON_Delete(d);
}

static void start_dossier(struct replay *rp, const struct event_replay *e)
{
	rp->dossier = e->dossier_id;
	memset(&rp->snap, 0, sizeof(rp->snap));
	rp->snap.due_day = STAT_NO_DAY;
	rp->key.agency_id = e->lead_agency_id ? e->lead_agency_id : e->receiving_agency_id;
	rp->key.procedure_id = e->procedure_id;
	rp->key.channel = stats_channel(e->channel);
	rp->n_steps = -1;
	rp->res->dossiers++;
}

static int on_event(const struct event_replay *e, void *ctx)
{
	struct replay *rp = ctx;
	struct stat_snap n;
	rp->res->events++;
	if (e->dossier_id != rp->dossier)
		start_dossier(rp, e);
	if (!e->to_state)
		return 0;	/* not a transition (a printed form…) */
	int32_t day = date_day_of(tz_local(e->at));
	n = rp->snap;
	n.state = e->to_state;
	n.due_day = e->due_at ? date_day_of(tz_local(e->due_at)) : STAT_NO_DAY;
	if (!strcmp(e->clock, "pause"))
		n.paused = 1;
	else if (e->clock[0])
		n.paused = 0;	/* start, resume, restart, stop */
	if (!strcmp(e->action, "extend"))
		n.extensions++;
	if (!strcmp(e->action, "request_supplement"))
		n.supplements++;
	apply_data(rp, e, &n, day);
	stats_delta(rp->acc, &rp->key, &rp->snap, &n, day);
	rp->snap = n;
	/* Fold in batches so the delta list stays small. */
	if (stats_acc_mark(rp->acc) > 200000) {
		stats_merge_add(rp->merge, rp->acc);
		stats_acc_clear(rp->acc);
	}
	return 0;
}

/* Walk the stored rows beside the recomputed ones (both in key order). */
struct compare {
	const struct stat_row *rows;
	size_t n, i;
	struct recount_result *res;
	recount_diff_fn diff;
	void *ctx;
};

static int empty(const struct stat_row *r)
{
	for (int c = 0; c < SC__MAX; c++)
		if (r->v[c])
			return 0;
	return 1;
}

static void report_diff(struct compare *c, const struct stat_row *stored, const struct stat_row *computed)
{
	c->res->differences++;
	if (c->diff)
		c->diff(stored, computed, c->ctx);
}

/* Recomputed rows before `upto` (or all, with NULL) that the table lacks. */
static void drain(struct compare *c, const struct stat_row *upto)
{
	while (c->i < c->n && (!upto || stats_row_cmp(&c->rows[c->i], upto) < 0)) {
		const struct stat_row *x = &c->rows[c->i++];
		if (empty(x))
			continue;
		struct stat_row zero = *x;
		memset(zero.v, 0, sizeof(zero.v));
		c->res->computed_rows++;
		report_diff(c, &zero, x);
	}
}

static void on_stored(const struct stat_row *s, void *ctx)
{
	struct compare *c = ctx;
	drain(c, s);
	if (!empty(s))
		c->res->stored_rows++;
	if (c->i < c->n && stats_row_cmp(&c->rows[c->i], s) == 0) {
		const struct stat_row *x = &c->rows[c->i++];
		if (!empty(x))
			c->res->computed_rows++;
		if (memcmp(x->v, s->v, sizeof(s->v)) != 0)
			report_diff(c, s, x);
		return;
	}
	if (!empty(s)) {
		struct stat_row zero = *s;
		memset(zero.v, 0, sizeof(zero.v));
		report_diff(c, s, &zero);
	}
}

int recount_run(struct db *db, struct recount_result *out, recount_diff_fn diff, void *ctx)
{
	struct replay rp;
	struct compare cmp;
	int rc = -1;
	memset(out, 0, sizeof(*out));
	memset(&rp, 0, sizeof(rp));
	rp.db = db;
	rp.acc = stats_acc_new();
	rp.merge = stats_merge_new();
	rp.res = out;
	rp.n_steps = -1;
	if (db_read_begin(db) != SQLITE_OK)
		goto done;
	if (db_event_replay(db, on_event, &rp) != 0)
		goto done;
	stats_merge_add(rp.merge, rp.acc);
	memset(&cmp, 0, sizeof(cmp));
	cmp.n = stats_merge_rows(rp.merge, &cmp.rows);
	cmp.res = out;
	cmp.diff = diff;
	cmp.ctx = ctx;
	if (db_stats_all(db, on_stored, &cmp) != 0)
		goto done;
	drain(&cmp, NULL);
	if (db_stats_states(db, out->state_kept) != 0 || db_stats_states_counted(db, out->state_counted) != 0)
		goto done;
	for (int s = 1; s <= 10; s++)
		out->state_differences += out->state_kept[s] != out->state_counted[s];
	rc = 0;
done:
	db_read_end(db);
	stats_acc_free(rp.acc);
	stats_merge_free(rp.merge);
	return rc;
}
