/*
 * motcua — stats: delta rules and the per-batch accumulator.
 */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "util.h"

const char *const stats_col_names[SC__MAX] = {
	"received", "resolved_early", "resolved_on_time", "resolved_late", "stopped",
	"withdrawn", "ovd_in", "ovd_out", "work_seconds", "extended", "returned",
	"fee_dossiers", "paid_online", "digitised", "supplemented", "step_early",
	"step_on_time", "step_late",
};

/* One recorded addition. */
struct delta {
	struct stat_key key;
	int32_t day;
	int col;
	int64_t v;
};

struct stat_acc {
	struct delta *d;
	size_t n, cap;
};

int stats_channel(const char *name)
{
	if (!strcmp(name, "direct"))
		return 0;
	if (!strcmp(name, "online"))
		return 1;
	if (!strcmp(name, "postal"))
		return 2;
	return -1;
}

struct stat_acc *stats_acc_new(void)
{
	return xcalloc(1, sizeof(struct stat_acc));
}

void stats_acc_free(struct stat_acc *a)
{
	if (!a)
		return;
	free(a->d);
	free(a);
}

size_t stats_acc_mark(const struct stat_acc *a)
{
	return a->n;
}

void stats_acc_rewind(struct stat_acc *a, size_t mark)
{
	if (mark < a->n)
		a->n = mark;
}

void stats_acc_clear(struct stat_acc *a)
{
	a->n = 0;
}

void stats_add(struct stat_acc *a, const struct stat_key *k, int32_t day, enum stat_col col,
	       int64_t v)
{
	if (v == 0 || day == STAT_NO_DAY)
		return;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 256;
		a->d = xrealloc(a->d, a->cap * sizeof(*a->d));
	}
	a->d[a->n].key = *k;
	a->d[a->n].day = day;
	a->d[a->n].col = col;
	a->d[a->n].v = v;
	a->n++;
}

/* Counted as received: accepted into the counts (not an online
 * submission still waiting, not refused at intake). */
static int counted(int state)
{
	return state >= 2 && state != 3;
}

/* Left the work in progress: resolved (9, then returned 10) or stopped (8). */
static int finished(int state)
{
	return state == 8 || state == 9 || state == 10;
}

/* The day an overdue interval starts, when the dossier is open with its
 * clock running; STAT_NO_DAY otherwise. */
int32_t stats_overdue_from(const struct stat_snap *s)
{
	int running = s->state == 2 || s->state == 4 || s->state == 7;
	return running && !s->paused ? s->due_day : STAT_NO_DAY;
}

static void delta_overdue(struct stat_acc *a, const struct stat_key *k, const struct stat_snap *b,
			  const struct stat_snap *n, int32_t day)
{
	int32_t from_b = stats_overdue_from(b), from_a = stats_overdue_from(n);
	if (from_b == from_a)
		return;
	if (from_b != STAT_NO_DAY) {
		if (day > from_b)
			stats_add(a, k, day, SC_OVD_OUT, 1);	/* it was overdue until today */
		else
			stats_add(a, k, from_b, SC_OVD_IN, -1);	/* it never got there */
	}
	if (from_a != STAT_NO_DAY)
		stats_add(a, k, from_a > day ? from_a : day, SC_OVD_IN, 1);
}

void stats_delta(struct stat_acc *a, const struct stat_key *k, const struct stat_snap *b,
		 const struct stat_snap *n, int32_t day)
{
	if (!counted(b->state) && counted(n->state)) {
		stats_add(a, k, day, SC_RECEIVED, 1);
		stats_add(a, k, day, SC_FEE_DOSSIERS, n->has_fee ? 1 : 0);
		stats_add(a, k, day, SC_DIGITISED, n->digitised ? 1 : 0);
	}
	if (counted(n->state) && !finished(b->state) && finished(n->state)) {
		if (n->state == 8) {
			stats_add(a, k, day, b->state == 7 ? SC_WITHDRAWN : SC_STOPPED, 1);
		} else {
			static const enum stat_col cls[4] = { SC_ON_TIME, SC_EARLY, SC_ON_TIME, SC_LATE };
			stats_add(a, k, day, cls[n->result_class >= 1 && n->result_class <= 3 ? n->result_class : 2], 1);
			stats_add(a, k, day, SC_WORK_SECONDS, n->work_seconds);
		}
	}
	if (b->state != 10 && n->state == 10)
		stats_add(a, k, day, SC_RETURNED, 1);
	if (n->extensions > b->extensions)
		stats_add(a, k, day, SC_EXTENDED, n->extensions - b->extensions);
	if (n->supplements > b->supplements)
		stats_add(a, k, day, SC_SUPPLEMENTED, n->supplements - b->supplements);
	if (n->paid_online && !b->paid_online)
		stats_add(a, k, day, SC_PAID_ONLINE, 1);
	delta_overdue(a, k, b, n, day);
}

/* State changes ride in the same delta list (so a rolled-back job rewinds
 * them too) under a column past the stat columns. */
#define STATE_COL SC__MAX

void stats_state(struct stat_acc *a, int from, int to)
{
	struct stat_key k = { 0, 0, 0 };
	if (from == to)
		return;
	for (int i = 0; i < 2; i++) {
		int s = i ? to : from;
		if (s < 1 || s > 10)
			continue;
		if (a->n == a->cap) {
			a->cap = a->cap ? a->cap * 2 : 256;
			a->d = xrealloc(a->d, a->cap * sizeof(*a->d));
		}
		k.agency_id = s;
		a->d[a->n].key = k;
		a->d[a->n].day = 0;
		a->d[a->n].col = STATE_COL;
		a->d[a->n].v = i ? 1 : -1;
		a->n++;
	}
}

void stats_acc_states(const struct stat_acc *a, int64_t out[11])
{
	memset(out, 0, 11 * sizeof(*out));
	for (size_t i = 0; i < a->n; i++)
		if (a->d[i].col == STATE_COL)
			out[a->d[i].key.agency_id] += a->d[i].v;
}

void stats_step(struct stat_acc *a, int64_t step_agency, int64_t procedure, int channel,
		int32_t day, int result_class)
{
	static const enum stat_col cls[4] = { SC_STEP_ON_TIME, SC_STEP_EARLY, SC_STEP_ON_TIME, SC_STEP_LATE };
	struct stat_key k = { step_agency, procedure, channel };
	if (result_class >= 1 && result_class <= 3)
		stats_add(a, &k, day, cls[result_class], 1);
}

int32_t stats_bucket(int32_t day, int grain)
{
	int y, m, d;
	date_to_civil(day, &y, &m, &d);
	switch (grain) {
	case 0: return y * 10000 + m * 100 + d;
	case 1: return y * 100 + m;
	default: return y;
	}
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct stat_row *a = pa, *b = pb;
#define CMP(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
	CMP(kind);
	CMP(agency_id);
	CMP(procedure_id);
	CMP(grain);
	CMP(bucket);
	CMP(channel);
#undef CMP
	return 0;
}

/* Merge the deltas into rows with an open-addressing table keyed by the
 * row's identity, then sort the distinct rows (upserts in key order touch
 * the B-tree sequentially). */
struct merge {
	struct stat_row *rows;
	size_t n, cap;
	uint32_t *slot;		/* index + 1 into rows, 0 = empty */
	size_t nslot;
};

/* splitmix64's finaliser: every input bit affects the low bits the table
 * masks with, so near-identical keys do not cluster. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xBF58476D1CE4E5B9ull;
	x ^= x >> 27;
	x *= 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

static uint64_t row_hash(int kind, int64_t agency, int64_t proc, int grain, int32_t bucket, int channel)
{
	uint64_t h = mix((uint64_t)(uint32_t)bucket << 8 | (uint64_t)grain << 4 | (uint64_t)kind << 2
			 | (uint64_t)channel);
	h = mix(h ^ (uint64_t)agency);
	return mix(h ^ (uint64_t)proc);
}

static void merge_grow(struct merge *m)
{
	size_t nslot = m->nslot ? m->nslot * 2 : 1024;
	while (nslot < (m->n + 1) * 2)
		nslot *= 2;
	uint32_t *slot = xcalloc(nslot, sizeof(*slot));
	for (size_t i = 0; i < m->n; i++) {
		const struct stat_row *r = &m->rows[i];
		size_t j = row_hash(r->kind, r->agency_id, r->procedure_id, r->grain, r->bucket, r->channel)
			   & (nslot - 1);
		while (slot[j])
			j = (j + 1) & (nslot - 1);
		slot[j] = (uint32_t)(i + 1);
	}
	free(m->slot);
	m->slot = slot;
	m->nslot = nslot;
}

static void merge_add(struct merge *m, int kind, int64_t agency, int64_t proc, int grain,
		      int32_t bucket, int channel, int col, int64_t v)
{
	if ((m->n + 1) * 2 > m->nslot)
		merge_grow(m);
	size_t j = row_hash(kind, agency, proc, grain, bucket, channel) & (m->nslot - 1);
	while (m->slot[j]) {
		struct stat_row *r = &m->rows[m->slot[j] - 1];
		if (r->kind == kind && r->agency_id == agency && r->procedure_id == proc
		    && r->grain == grain && r->bucket == bucket && r->channel == channel) {
			r->v[col] += v;
			return;
		}
		j = (j + 1) & (m->nslot - 1);
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->rows = xrealloc(m->rows, m->cap * sizeof(*m->rows));
	}
	struct stat_row *r = &m->rows[m->n];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->agency_id = agency;
	r->procedure_id = proc;
	r->grain = grain;
	r->bucket = bucket;
	r->channel = channel;
	r->v[col] = v;
	m->slot[j] = (uint32_t)++m->n;
}

static void merge_acc(struct merge *m, const struct stat_acc *a)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct delta *d = &a->d[i];
		if (d->col == STATE_COL)
			continue;
		int32_t buckets[3] = { stats_bucket(d->day, 0), 0, 0 };
		buckets[1] = buckets[0] / 100;
		buckets[2] = buckets[0] / 10000;
		/* Each delta counts in 3 kinds × 3 grains. */
		for (int kind = 0; kind < 3; kind++)
			for (int grain = 0; grain < 3; grain++)
				merge_add(m, kind, kind == 2 ? 0 : d->key.agency_id,
					  kind == 1 ? 0 : d->key.procedure_id, grain, buckets[grain],
					  d->key.channel, d->col, d->v);
	}
}

size_t stats_acc_rows(const struct stat_acc *a, struct stat_row **rows)
{
	struct merge m = { NULL, 0, 0, NULL, 0 };
	merge_acc(&m, a);
	free(m.slot);
	if (m.n)
		qsort(m.rows, m.n, sizeof(*m.rows), row_cmp);
	*rows = m.rows ? m.rows : xcalloc(1, sizeof(**rows));
	return m.n;
}

struct stat_merge {
	struct merge m;
	int sorted;
};

struct stat_merge *stats_merge_new(void)
{
	return xcalloc(1, sizeof(struct stat_merge));
}

void stats_merge_free(struct stat_merge *sm)
{
	if (!sm)
		return;
	free(sm->m.rows);
	free(sm->m.slot);
	free(sm);
}

void stats_merge_add(struct stat_merge *sm, const struct stat_acc *a)
{
	if (sm->sorted) {
		/* Sorting moved the rows: rebuild the index over them. */
		free(sm->m.slot);
		sm->m.slot = NULL;
		sm->m.nslot = 0;
		merge_grow(&sm->m);
		sm->sorted = 0;
	}
	merge_acc(&sm->m, a);
}

size_t stats_merge_rows(struct stat_merge *sm, const struct stat_row **rows)
{
	if (!sm->sorted && sm->m.n)
		qsort(sm->m.rows, sm->m.n, sizeof(*sm->m.rows), row_cmp);
	sm->sorted = 1;
	*rows = sm->m.rows;
	return sm->m.n;
}

/* 1 if the row's day, month or year ends before the day with bucket
 * YYYYMMDD `day`. */
static int ends_before(const struct stat_row *r, int32_t day)
{
	switch (r->grain) {
	case 0: return r->bucket < day;
	case 1: return r->bucket < day / 100;
	default: return r->bucket < day / 10000;
	}
}

size_t stats_merge_take(struct stat_merge *sm, int32_t before, struct stat_row **rows)
{
	struct merge *m = &sm->m;
	int32_t day = stats_bucket(before, 0);
	size_t n = 0, kept = 0;
	*rows = xmalloc((m->n + 1) * sizeof(**rows));
	for (size_t i = 0; i < m->n; i++) {
		if (ends_before(&m->rows[i], day))
			(*rows)[n++] = m->rows[i];
		else
			m->rows[kept++] = m->rows[i];
	}
	m->n = kept;
	/* Rows moved: index the ones kept afresh. */
	free(m->slot);
	m->slot = NULL;
	m->nslot = 0;
	merge_grow(m);
	sm->sorted = 0;
	if (n)
		qsort(*rows, n, sizeof(**rows), row_cmp);
	return n;
}

int stats_row_cmp(const struct stat_row *a, const struct stat_row *b)
{
	return row_cmp(a, b);
}
