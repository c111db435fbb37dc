/*
 * motcua — rating: one-time links, recording a rating, the sums.
 */
#include "rating.h"

#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "auth.h"
#include "date.h"
#include "db.h"
#include "db_event.h"
#include "json.h"
#include "stats.h"
#include "tz.h"
#include "util.h"
#include "workflow.h"
#include "writer.h"

static int never_rated(int state)
{
	return state == WF_NOT_ACCEPTED || state == WF_STOPPED;
}

int rating_issue_token(struct txn *t, int64_t dossier_id, const char *by, int64_t now,
		       char token[AUTH_TOKEN_LEN + 1], struct api_error *err)
{
	unsigned char hash[32];
	auth_new_token(token, hash);
	return db_rating_token_insert(t, hash, dossier_id, now, by, err);
}

int rating_link_for(struct txn *t, int64_t dossier_id, const char *public_url, const char *by,
		    int64_t now, char *out, size_t n, struct api_error *err)
{
	struct dossier_row *d = xmalloc(sizeof(*d));
	struct rating_row *rr = xmalloc(sizeof(*rr));
	char token[AUTH_TOKEN_LEN + 1];
	int rc = -1, got = db_dossier_by_id(t->db, dossier_id, d);
	size_t base = strlen(public_url);
	if (got < 0) {
		api_error_set(err, 500, "database_error", NULL, "Could not read the dossier.");
		goto out;
	}
	if (got == 0) {
		api_error_set(err, 404, "not_found", NULL, "No such dossier.");
		goto out;
	}
	if (never_rated(d->state)) {
		api_error_set(err, 409, "not_ratable", NULL,
			      "A dossier that was not accepted or was stopped cannot be rated.");
		goto out;
	}
	got = db_rating_get(t->db, dossier_id, rr);
	if (got != 0) {
		if (got > 0)
			api_error_set(err, 409, "already_rated", NULL, "This dossier has been rated already.");
		else
			api_error_set(err, 500, "database_error", NULL, "Could not read the rating.");
		goto out;
	}
	if (rating_issue_token(t, dossier_id, by, now, token, err) != 0)
		goto out;
	while (base > 0 && public_url[base - 1] == '/')
		base--;
	if ((size_t)snprintf(out, n, "%.*s/rate?t=%s", (int)base, public_url, token) >= n) {
		api_error_set(err, 500, "link_too_long", NULL, "The public URL is too long for a link.");
		goto out;
	}
	rc = 0;
out:
	free(d);
	free(rr);
	return rc;
}

int rating_find(struct db *db, const char *token, struct dossier_row *d, int *rated)
{
	unsigned char hash[32];
	struct rating_row *rr;
	int64_t id = 0;
	*rated = 0;
	if (!token || strlen(token) != AUTH_TOKEN_LEN)
		return 0;
	auth_token_hash(token, hash);
	int rc = db_rating_token_dossier(db, hash, &id);
	if (rc != 1)
		return rc;
	rc = db_dossier_by_id(db, id, d);
	if (rc != 1)
		return rc;
	rr = xmalloc(sizeof(*rr));
	int got = db_rating_get(db, id, rr);
	free(rr);
	if (got < 0)
		return -1;
	*rated = got;
	return 1;
}

int rating_is_dislike(int time_score, int attitude_score, int result_score, int unofficial_payment)
{
	return time_score <= 2 || attitude_score <= 2 || result_score <= 2 || unofficial_payment != 0;
}

/* The history keeps the answers (never the comment: it may name people). */
static char *event_data(const struct rating_row *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "attitude", r->attitude_score);
	cJSON_AddBoolToObject(o, "dislike", r->dislike);
	cJSON_AddNumberToObject(o, "result", r->result_score);
	cJSON_AddNumberToObject(o, "time", r->time_score);
	cJSON_AddNumberToObject(o, "trips", r->trips);
	cJSON_AddBoolToObject(o, "unofficial_payment", r->unofficial_payment);
	char *s = json_print(o);
	cJSON_Delete(o);
	return s;
}

int rating_submit(struct txn *t, const struct rating_in *in, struct rating_row *out,
		  struct api_error *err)
{
	struct dossier_row *d = xmalloc(sizeof(*d));
	int rated, rc = -1;
	int got = rating_find(t->db, in->token, d, &rated);
	memset(out, 0, sizeof(*out));
	if (got < 0) {
		api_error_set(err, 500, "database_error", NULL, "Could not read the rating link.");
		goto out;
	}
	if (got == 0) {
		api_error_set(err, 404, "unknown_link", NULL, "This rating link is not valid.");
		goto out;
	}
	if (rated) {
		api_error_set(err, 409, "already_rated", NULL, "This dossier has been rated already.");
		goto out;
	}
	rc = rating_record(t, d, in, out, err);
out:
	free(d);
	return rc;
}

int rating_record(struct txn *t, const struct dossier_row *d, const struct rating_in *in,
		  struct rating_row *out, struct api_error *err)
{
	char *data = NULL;
	int rc = -1;
	memset(out, 0, sizeof(*out));
	if (d->state != WF_RETURNED) {
		api_error_set(err, 409, "not_returned", NULL,
			      "The dossier can be rated once its result has been returned.");
		goto out;
	}
	out->dossier_id = d->id;
	out->agency_id = d->lead_agency_id ? d->lead_agency_id : d->receiving_agency_id;
	out->receiving_agency_id = d->receiving_agency_id;
	out->rated_at = in->at;
	out->day = stats_bucket(date_day_of(tz_local(in->at)), 0);
	out->time_score = in->time_score;
	out->trips = in->trips;
	out->attitude_score = in->attitude_score;
	out->result_score = in->result_score;
	out->unofficial_payment = in->unofficial_payment ? 1 : 0;
	strlcpy_(out->comment, in->comment ? in->comment : "", sizeof(out->comment));
	out->dislike = rating_is_dislike(in->time_score, in->attitude_score, in->result_score,
					 in->unofficial_payment);
	if (db_rating_insert(t, out, err) != 0)
		goto out;
	data = event_data(out);
	struct event_rec e = {
		.at = in->at, .dossier_id = d->id, .dossier_ref = d->code[0] ? d->code : d->ref,
		.actor = "citizen", .actor_role = "citizen", .actor_agency = "",
		.action = "rate", .step = -1, .clock = "", .note = "", .data = data ? data : "",
	};
	if (db_event_append(t, &e, err) != 0)
		goto out;
	rc = 0;
out:
	free(data);
	return rc;
}

static void add_summary(int64_t agency_id, const struct rating_summary *s, void *ctx)
{
	struct rating_summary *sum = ctx;
	(void)agency_id;
	sum->ratings += s->ratings;
	sum->time_sum += s->time_sum;
	sum->trips_sum += s->trips_sum;
	sum->attitude_sum += s->attitude_sum;
	sum->result_sum += s->result_sum;
	sum->dislikes += s->dislikes;
	sum->unofficial_payments += s->unofficial_payments;
	sum->complained_dossiers += s->complained_dossiers;
}

int rating_summary(struct db *db, int64_t agency_id, int32_t from, int32_t to,
		   struct rating_summary *out)
{
	memset(out, 0, sizeof(*out));
	return db_rating_sums(db, agency_id, from, to, add_summary, out);
}

int rating_summary_each(struct db *db, int32_t from, int32_t to,
			void (*fn)(int64_t agency_id, const struct rating_summary *s, void *ctx),
			void *ctx)
{
	return db_rating_sums(db, 0, from, to, fn, ctx);
}

double rating_indicator_54(int64_t resolved, int64_t late, int64_t complained)
{
	if (resolved <= 0)
		return -1;
	double v = 100.0 - 100.0 * (double)late / (double)resolved
		   - 100.0 * (double)complained / (double)resolved;
	return v < 0 ? 0 : v;
}

/* Form 01's token: base64url of HMAC-SHA-256(secret, "motcua-rating-v1:" id),
 * the same length as a random token. */
static int form_token(struct db *db, int64_t dossier_id, char token[AUTH_TOKEN_LEN + 1],
		      unsigned char hash[32])
{
	unsigned char key[32], mac[crypto_auth_hmacsha256_BYTES];
	char msg[48];
	if (db_secret_get(db, "rating", key) != 1)
		return -1;
	int len = snprintf(msg, sizeof(msg), "motcua-rating-v1:%lld", (long long)dossier_id);
	crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (unsigned long long)len, key);
	sodium_memzero(key, sizeof(key));
	sodium_bin2base64(token, AUTH_TOKEN_LEN + 1, mac, sizeof(mac),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	auth_token_hash(token, hash);
	return 0;
}

int rating_form_record(struct txn *t, int64_t dossier_id, const char *by, int64_t now,
		       struct api_error *err)
{
	char token[AUTH_TOKEN_LEN + 1];
	unsigned char hash[32];
	if (form_token(t->db, dossier_id, token, hash) != 0)
		return api_error_set(err, 500, "no_secret", NULL, "The database has no rating secret.");
	return db_rating_token_ensure(t, hash, dossier_id, now, by, err);
}

int rating_form_link(struct db *db, int64_t dossier_id, const char *public_url, char *out, size_t n)
{
	char token[AUTH_TOKEN_LEN + 1];
	unsigned char hash[32];
	struct dossier_row *d = xmalloc(sizeof(*d));
	struct rating_row *rr = xmalloc(sizeof(*rr));
	size_t base = strlen(public_url);
	int rc = 0;
	if (form_token(db, dossier_id, token, hash) != 0 || !db_rating_token_known(db, hash))
		goto out;
	if (db_dossier_by_id(db, dossier_id, d) != 1 || never_rated(d->state)
	    || db_rating_get(db, dossier_id, rr) != 0)
		goto out;
	while (base > 0 && public_url[base - 1] == '/')
		base--;
	rc = (size_t)snprintf(out, n, "%.*s/rate?t=%s", (int)base, public_url, token) < n;
out:
	free(d);
	free(rr);
	return rc;
}
