/*
 * motcua — chain: verifying the history's hash chain in place.
 */
#include "chain.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_event.h"

struct walk {
	struct chain_result *res;
	int64_t expect_seq;
	unsigned char prev[AUDIT_HASH_LEN];
};

static int check_row(const struct event_row *e, void *ctx)
{
	struct walk *w = ctx;
	struct audit_row row;
	unsigned char h[AUDIT_HASH_LEN];
	w->res->rows++;
	if (e->seq != w->expect_seq) {
		w->res->first_bad = e->seq;
		snprintf(w->res->why, sizeof(w->res->why), "seq %lld follows %lld: rows are missing",
			 (long long)e->seq, (long long)(w->expect_seq - 1));
		return 1;
	}
	if (memcmp(e->prev_hash, w->prev, AUDIT_HASH_LEN) != 0) {
		w->res->first_bad = e->seq;
		snprintf(w->res->why, sizeof(w->res->why), "its prev_hash is not the hash of row %lld",
			 (long long)(e->seq - 1));
		return 1;
	}
	memset(&row, 0, sizeof(row));
	row.seq = e->seq;
	row.at = e->at;
	row.dossier_id = e->dossier_id ? e->dossier_id : AUDIT_NULL;
	row.dossier_ref = e->dossier_ref;
	row.actor = e->actor;
	row.actor_role = e->actor_role;
	row.actor_agency = e->actor_agency;
	row.action = e->action;
	row.from_state = e->from_state ? e->from_state : AUDIT_NULL;
	row.to_state = e->to_state ? e->to_state : AUDIT_NULL;
	row.step = e->step >= 0 ? e->step : AUDIT_NULL;
	row.clock = e->clock;
	row.due_at = e->due_at ? e->due_at : AUDIT_NULL;
	row.note = e->note;
	row.data = e->data;
	memcpy(row.prev_hash, w->prev, AUDIT_HASH_LEN);
	audit_hash(&row, h);
	if (memcmp(h, e->hash, AUDIT_HASH_LEN) != 0) {
		w->res->first_bad = e->seq;
		snprintf(w->res->why, sizeof(w->res->why),
			 "its content does not match its hash (the row was altered)");
		return 1;
	}
	memcpy(w->prev, h, AUDIT_HASH_LEN);
	w->expect_seq++;
	return 0;
}

int chain_verify(struct db *db, struct chain_result *out)
{
	struct walk w;
	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	w.res = out;
	w.expect_seq = 1;
	if (db_read_begin(db) != SQLITE_OK)
		return -1;
	int rc = db_event_scan(db, 0, INT64_MAX, check_row, &w);
	db_read_end(db);
	if (rc != 0)
		return -1;
	memcpy(out->head, w.prev, AUDIT_HASH_LEN);
	return out->first_bad ? 1 : 0;
}
