/*
 * motcua — capture: a batch's rows kept in memory (see capture.h).
 */
#include "capture.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Strings live in big blocks freed together. */
struct block {
	struct block *next;
	size_t used, cap;
	char data[];
};

struct capture {
	struct capture_dossier **dossiers;	/* records kept for reuse */
	size_t n_dossiers, cap_dossiers, alloc_dossiers;
	struct capture_step *steps;
	size_t n_steps, cap_steps;
	struct capture_document *docs;
	size_t n_docs, cap_docs;
	struct capture_ovd *ovd;
	size_t n_ovd, cap_ovd;
	struct capture_event *events;
	size_t n_events, cap_events;
	struct capture_token *tokens;
	size_t n_tokens, cap_tokens;
	struct rating_row *ratings;
	size_t n_ratings, cap_ratings;
	int64_t first_id;
	struct block *blocks;
	struct capture_seq *seqs;		/* numbers taken for this batch */
	size_t n_seqs, cap_seqs;
	struct capture_codes *codes;		/* borrowed */
};

#define BLOCK_SIZE (1u << 20)

static const char *keep(struct capture *c, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	struct block *b = c->blocks;
	if (!b || b->used + n > b->cap) {
		size_t cap = n > BLOCK_SIZE ? n : BLOCK_SIZE;
		b = xmalloc(sizeof(*b) + cap);
		b->next = c->blocks;
		b->used = 0;
		b->cap = cap;
		c->blocks = b;
	}
	char *p = b->data + b->used;
	memcpy(p, s, n);
	b->used += n;
	return p;
}

struct capture *capture_new(struct capture_codes *codes)
{
	struct capture *c = xcalloc(1, sizeof(struct capture));
	c->codes = codes;
	return c;
}

static void free_blocks(struct capture *c)
{
	while (c->blocks) {
		struct block *next = c->blocks->next;
		free(c->blocks);
		c->blocks = next;
	}
}

void capture_clear(struct capture *c, int64_t first_id)
{
	c->n_dossiers = c->n_steps = c->n_docs = c->n_ovd = c->n_events = c->n_seqs = 0;
	c->n_tokens = c->n_ratings = 0;
	c->first_id = first_id;
	free_blocks(c);
}

void capture_free(struct capture *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->alloc_dossiers; i++)
		free(c->dossiers[i]);
	free(c->dossiers);
	free(c->steps);
	free(c->docs);
	free(c->ovd);
	free(c->events);
	free(c->tokens);
	free(c->ratings);
	free_blocks(c);
	free(c->seqs);
	free(c);
}

long capture_index_of(const struct capture *c, int64_t id)
{
	return id >= c->first_id && id - c->first_id < (int64_t)c->n_dossiers ? (long)(id - c->first_id) : -1;
}

static struct capture_dossier *record_of(struct capture *c, int64_t id)
{
	long i = capture_index_of(c, id);
	return i >= 0 ? c->dossiers[i] : NULL;
}

int64_t capture_dossier_insert(struct capture *c, const struct dossier_row *d, const char *name_key)
{
	if (c->n_dossiers == c->alloc_dossiers) {
		c->dossiers = xgrow(c->dossiers, &c->cap_dossiers, c->alloc_dossiers + 1,
				   sizeof(*c->dossiers));
		c->dossiers[c->alloc_dossiers++] = xmalloc(sizeof(struct capture_dossier));
	}
	struct capture_dossier *r = c->dossiers[c->n_dossiers];
	int64_t id = c->first_id + (int64_t)c->n_dossiers++;
	r->d = *d;
	r->d.id = id;
	r->name_key = keep(c, name_key);
	return id;
}

int capture_dossier_update(struct capture *c, const struct dossier_row *d)
{
	struct capture_dossier *r = record_of(c, d->id);
	if (!r)
		return -1;
	r->d = *d;
	return 0;
}

int capture_document(struct capture *c, int64_t dossier_id, int seq, const struct document_in *doc)
{
	if (!record_of(c, dossier_id))
		return -1;
	c->docs = xgrow(c->docs, &c->cap_docs, c->n_docs + 1, sizeof(*c->docs));
	struct capture_document *x = &c->docs[c->n_docs++];
	x->dossier_id = dossier_id;
	x->seq = seq;
	x->doc.name = keep(c, doc->name);
	x->doc.kind = keep(c, doc->kind);
	x->doc.count = doc->count;
	return 0;
}

int capture_step(struct capture *c, int64_t dossier_id, const struct dossier_step *s)
{
	if (!record_of(c, dossier_id))
		return -1;
	/* The latest dossiers' steps are at the end. */
	for (size_t i = c->n_steps; i-- > 0 && c->steps[i].dossier_id == dossier_id;)
		if (c->steps[i].s.seq == s->seq) {
			c->steps[i].s = *s;
			return 0;
		}
	c->steps = xgrow(c->steps, &c->cap_steps, c->n_steps + 1, sizeof(*c->steps));
	c->steps[c->n_steps].dossier_id = dossier_id;
	c->steps[c->n_steps].s = *s;
	c->n_steps++;
	return 0;
}

void capture_ovd(struct capture *c, int64_t dossier_id, int32_t from_day, int32_t to_day)
{
	for (size_t i = c->n_ovd; i-- > 0 && c->ovd[i].dossier_id == dossier_id;)
		if (c->ovd[i].from_day == from_day) {
			c->ovd[i].to_day = to_day;
			return;
		}
	c->ovd = xgrow(c->ovd, &c->cap_ovd, c->n_ovd + 1, sizeof(*c->ovd));
	c->ovd[c->n_ovd].dossier_id = dossier_id;
	c->ovd[c->n_ovd].from_day = from_day;
	c->ovd[c->n_ovd].to_day = to_day;
	c->n_ovd++;
}

void capture_event(struct capture *c, const struct event_rec *e, int64_t seq,
		   const unsigned char prev[AUDIT_HASH_LEN], const unsigned char hash[AUDIT_HASH_LEN])
{
	c->events = xgrow(c->events, &c->cap_events, c->n_events + 1, sizeof(*c->events));
	struct capture_event *ce = &c->events[c->n_events++];
	struct event_rec *x = &ce->e;
	ce->seq = seq;
	memcpy(ce->prev, prev, AUDIT_HASH_LEN);
	memcpy(ce->hash, hash, AUDIT_HASH_LEN);
	*x = *e;
	x->dossier_ref = keep(c, e->dossier_ref);
	x->actor = keep(c, e->actor);
	x->actor_role = keep(c, e->actor_role);
	x->actor_agency = keep(c, e->actor_agency);
	x->action = keep(c, e->action);
	x->clock = keep(c, e->clock);
	x->note = keep(c, e->note);
	x->data = keep(c, e->data);
}

int capture_rating_token(struct capture *c, const unsigned char hash[32], int64_t dossier_id,
			 int64_t created_at, const char *by)
{
	if (!record_of(c, dossier_id))
		return -1;
	c->tokens = xgrow(c->tokens, &c->cap_tokens, c->n_tokens + 1, sizeof(*c->tokens));
	struct capture_token *x = &c->tokens[c->n_tokens++];
	memcpy(x->hash, hash, sizeof(x->hash));
	x->dossier_id = dossier_id;
	x->created_at = created_at;
	x->by = keep(c, by ? by : "");
	return 0;
}

int capture_rating(struct capture *c, const struct rating_row *r)
{
	if (!record_of(c, r->dossier_id))
		return -1;
	c->ratings = xgrow(c->ratings, &c->cap_ratings, c->n_ratings + 1, sizeof(*c->ratings));
	c->ratings[c->n_ratings++] = *r;
	return 0;
}

/* ---- code sequences ------------------------------------------------------ */

struct capture_codes {
	struct capture_seq *tab;		/* open addressing */
	size_t n, cap;
	size_t *touched;			/* slots changed since the last take */
	size_t n_touched, cap_touched;
};

struct capture_codes *capture_codes_new(void)
{
	return xcalloc(1, sizeof(struct capture_codes));
}

void capture_codes_free(struct capture_codes *k)
{
	if (!k)
		return;
	free(k->tab);
	free(k->touched);
	free(k);
}

static size_t seq_hash(int64_t agency_id, const char *day)
{
	uint64_t h = (uint64_t)agency_id * 0x9E3779B97F4A7C15ull;
	for (const char *p = day; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001B3ull;
	return (size_t)(h ^ (h >> 29));
}

static struct capture_seq *seq_find(struct capture_codes *k, int64_t agency_id, const char *day)
{
	if (!k->cap)
		return NULL;
	size_t j = seq_hash(agency_id, day) & (k->cap - 1);
	while (k->tab[j].day[0]) {
		if (k->tab[j].agency_id == agency_id && strcmp(k->tab[j].day, day) == 0)
			return &k->tab[j];
		j = (j + 1) & (k->cap - 1);
	}
	return NULL;
}

static size_t seq_place(struct capture_seq *tab, size_t cap, const struct capture_seq *s)
{
	size_t j = seq_hash(s->agency_id, s->day) & (cap - 1);
	while (tab[j].day[0])
		j = (j + 1) & (cap - 1);
	tab[j] = *s;
	return j;
}

static void touch(struct capture_codes *k, size_t slot)
{
	k->touched = xgrow(k->touched, &k->cap_touched, k->n_touched + 1, sizeof(*k->touched));
	k->touched[k->n_touched++] = slot;
}

static void seq_grow(struct capture_codes *k)
{
	size_t cap = k->cap ? k->cap * 2 : 1024;
	struct capture_seq *tab = xcalloc(cap, sizeof(*tab));
	k->n_touched = 0;	/* slots move: the list is rebuilt from the flags */
	for (size_t i = 0; i < k->cap; i++)
		if (k->tab[i].day[0]) {
			size_t j = seq_place(tab, cap, &k->tab[i]);
			if (tab[j].touched)
				touch(k, j);
		}
	free(k->tab);
	k->tab = tab;
	k->cap = cap;
}

void capture_seq_seed(struct capture *c, int64_t agency_id, const char *day, int last)
{
	struct capture_codes *k = c->codes;
	struct capture_seq s;
	if (seq_find(k, agency_id, day))
		return;
	if ((k->n + 1) * 2 > k->cap)
		seq_grow(k);
	memset(&s, 0, sizeof(s));
	s.agency_id = agency_id;
	strlcpy_(s.day, day, sizeof(s.day));
	s.last = last;
	seq_place(k->tab, k->cap, &s);
	k->n++;
}

int capture_next_seq(struct capture *c, int64_t agency_id, const char *day, int *seq)
{
	struct capture_codes *k = c->codes;
	struct capture_seq *s = seq_find(k, agency_id, day);
	if (!s)
		return 0;
	*seq = ++s->last;
	if (!s->touched) {
		s->touched = 1;
		touch(k, (size_t)(s - k->tab));
	}
	return 1;
}

void capture_take_codes(struct capture *c)
{
	struct capture_codes *k = c->codes;
	c->seqs = xgrow(c->seqs, &c->cap_seqs, c->n_seqs + k->n_touched + 1, sizeof(*c->seqs));
	for (size_t i = 0; i < k->n_touched; i++) {
		struct capture_seq *s = &k->tab[k->touched[i]];
		s->touched = 0;
		c->seqs[c->n_seqs++] = *s;
	}
	k->n_touched = 0;
}

size_t capture_n_seqs(const struct capture *c)
{
	return c->n_seqs;
}

const struct capture_seq *capture_seq_at(const struct capture *c, size_t i)
{
	return &c->seqs[i];
}

size_t capture_n_steps(const struct capture *c)
{
	return c->n_steps;
}

const struct capture_step *capture_step_at(const struct capture *c, size_t i)
{
	return &c->steps[i];
}

/* ---- reading back ---------------------------------------------------------- */

size_t capture_n_dossiers(const struct capture *c)
{
	return c->n_dossiers;
}

struct capture_dossier *capture_dossier_at(struct capture *c, size_t i)
{
	return c->dossiers[i];
}

size_t capture_n_documents(const struct capture *c)
{
	return c->n_docs;
}

const struct capture_document *capture_document_at(const struct capture *c, size_t i)
{
	return &c->docs[i];
}

size_t capture_n_ovd(const struct capture *c)
{
	return c->n_ovd;
}

const struct capture_ovd *capture_ovd_at(const struct capture *c, size_t i)
{
	return &c->ovd[i];
}

size_t capture_n_events(const struct capture *c)
{
	return c->n_events;
}

const struct capture_event *capture_event_at(const struct capture *c, size_t i)
{
	return &c->events[i];
}

size_t capture_n_tokens(const struct capture *c)
{
	return c->n_tokens;
}

const struct capture_token *capture_token_at(const struct capture *c, size_t i)
{
	return &c->tokens[i];
}

size_t capture_n_ratings(const struct capture *c)
{
	return c->n_ratings;
}

const struct rating_row *capture_rating_at(const struct capture *c, size_t i)
{
	return &c->ratings[i];
}
