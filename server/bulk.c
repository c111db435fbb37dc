/*
 * motcua — bulk: storing a captured batch on the writer (see bulk.h).
 */
#include "bulk.h"

#include "capture.h"
#include "db_citizen.h"
#include "db_dossier.h"
#include "db_event.h"
#include "db_stats.h"
#include "writer.h"

static int store_dossiers(struct txn *t, struct bulk_batch *b, struct api_error *err)
{
	size_t n = capture_n_dossiers(b->cap);
	for (size_t i = 0; i < n; i++) {
		struct capture_dossier *r = capture_dossier_at(b->cap, i);
		if (db_dossier_insert(t, &r->d, r->name_key, err) != 0)
			return -1;
	}
	return 0;
}

static int store_parts(struct txn *t, struct bulk_batch *b, struct api_error *err)
{
	for (size_t i = 0; i < capture_n_documents(b->cap); i++) {
		const struct capture_document *x = capture_document_at(b->cap, i);
		if (db_dossier_add_document(t, x->dossier_id, x->seq, &x->doc, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < capture_n_steps(b->cap); i++) {
		const struct capture_step *x = capture_step_at(b->cap, i);
		if (db_dossier_step_insert(t, x->dossier_id, &x->s, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < capture_n_ovd(b->cap); i++) {
		const struct capture_ovd *x = capture_ovd_at(b->cap, i);
		if (db_dossier_ovd_insert(t, x->dossier_id, x->from_day, x->to_day, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < capture_n_tokens(b->cap); i++) {
		const struct capture_token *x = capture_token_at(b->cap, i);
		if (db_rating_token_insert(t, x->hash, x->dossier_id, x->created_at, x->by, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < capture_n_ratings(b->cap); i++)
		if (db_rating_insert(t, capture_rating_at(b->cap, i), err) != 0)
			return -1;
	return 0;
}

static int store_history(struct txn *t, struct bulk_batch *b, struct api_error *err)
{
	for (size_t i = 0; i < capture_n_events(b->cap); i++) {
		const struct capture_event *x = capture_event_at(b->cap, i);
		if (db_event_store(t, &x->e, x->seq, x->prev, x->hash, err) != 0)
			return -1;
	}
	return 0;
}

static int store_counts(struct txn *t, struct bulk_batch *b, struct api_error *err)
{
	for (size_t i = 0; i < capture_n_seqs(b->cap); i++) {
		const struct capture_seq *x = capture_seq_at(b->cap, i);
		if (db_dossier_seq_raise(t, x->agency_id, x->day, x->last, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < b->n_stats; i++)
		if (db_stats_put(t, &b->stats[i], err) != 0)
			return -1;
	return db_stats_add_states(t, b->states, err);
}

int bulk_store(struct txn *t, struct bulk_batch *b, struct api_error *err)
{
	if (store_dossiers(t, b, err) != 0 || store_parts(t, b, err) != 0
	    || store_history(t, b, err) != 0 || store_counts(t, b, err) != 0)
		return -1;
	return 0;
}
