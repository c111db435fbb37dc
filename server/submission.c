/*
 * motcua — submission: drafts, files and the submit transaction.
 */
#include "submission.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "date.h"
#include "db.h"
#include "db_catalog.h"
#include "db_event.h"
#include "deadline.h"
#include "dossier.h"
#include "json.h"
#include "text.h"
#include "tz.h"
#include "upload.h"
#include "util.h"
#include "workflow.h"
#include "writer.h"

/* Characters easy to read aloud and to type: no 0/O, 1/I/L. */
static const char ref_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

void submission_new_ref(int32_t day, char out[SUBMISSION_REF_LEN + 1])
{
	int y, m, d;
	char rnd[7], text[64];
	date_to_civil(day, &y, &m, &d);
	for (int i = 0; i < 6; i++)
		rnd[i] = ref_alphabet[randombytes_uniform((uint32_t)(sizeof(ref_alphabet) - 1))];
	rnd[6] = '\0';
	snprintf(text, sizeof(text), "OL-%02d%02d%02d-%s", y % 100, m, d, rnd);
	strlcpy_(out, text, SUBMISSION_REF_LEN + 1);
}

int submission_ref_valid(const char *s)
{
	if (!s || strlen(s) != SUBMISSION_REF_LEN || strncmp(s, "OL-", 3) != 0 || s[9] != '-')
		return 0;
	for (int i = 3; i < 9; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	for (int i = 10; i < SUBMISSION_REF_LEN; i++)
		if (!strchr(ref_alphabet, s[i]) || !s[i])
			return 0;
	return 1;
}

void submission_clean_name(const char *raw, int seq, const char *ext, char *out, size_t n)
{
	const char *p = raw ? raw : "";
	const char *slash = strrchr(p, '/'), *bslash = strrchr(p, '\\');
	size_t o = 0, chars = 0;
	if (slash)
		p = slash + 1;
	if (bslash && bslash + 1 > p)
		p = bslash + 1;
	while (*p == ' ' || *p == '.')
		p++;
	for (; *p && o + 1 < n; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c & 0xC0) != 0x80) {
			/* a new character starts: stop at 200, or before a
			 * sequence that would not fit */
			size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			if (chars == 200 || o + len + 1 > n)
				break;
			chars++;
		}
		out[o++] = (c < 0x20 || c == 0x7F || c == '"' || c == '\\') ? '_' : (char)c;
	}
	out[o] = '\0';
	if (o == 0)
		snprintf(out, n, "tep-%d.%s", seq, ext ? ext : "bin");
}

/* ---- step 1 -------------------------------------------------------------- */

static int check_catalogue(struct txn *t, const struct submission_in *in, const char *today,
			   struct procedure_row *p, struct agency_row *ag, struct api_error *err)
{
	if (db_procedure_by_code(t->db, in->procedure_code, p) != 1 || !p->active)
		return api_error_set(err, 422, "unknown_procedure", "procedure_code",
				     "There is no active procedure with code \"%s\".", in->procedure_code);
	if (strcmp(p->online_level, "none") == 0)
		return api_error_set(err, 422, "not_online", "procedure_code",
				     "Procedure %s cannot be submitted online; please come to the one-stop.",
				     p->code);
	int rc = db_agency_by_code(t->db, in->agency_code, ag);
	if (rc < 0)
		return api_error_set(err, 500, "database_error", NULL, "Could not read the agency.");
	if (rc == 0 || db_citizen_is_onestop(t->db, ag->id, p->level, today) != 1)
		return api_error_set(err, 422, "wrong_agency", "agency_code",
				     "Agency \"%s\" does not receive %s-level procedures online.",
				     in->agency_code, p->level);
	return 0;
}

int submission_create(struct txn *t, const struct submission_in *in,
		      struct submission_draft *out, struct api_error *err)
{
	struct procedure_row *p = xmalloc(sizeof(*p));
	struct agency_row *ag = xmalloc(sizeof(*ag));
	struct submission_row *s = xcalloc(1, sizeof(*s));
	char today[11];
	int rc = -1;
	int32_t day = date_day_of(tz_local(in->at));
	date_format_day(day, today);
	memset(out, 0, sizeof(*out));
	if (check_catalogue(t, in, today, p, ag, err) != 0)
		goto out;
	if (submission_purge(t, in->upload_dir, in->at, 20, err) < 0)
		goto out;
	auth_new_token(out->token, s->token_hash);
	s->procedure_id = p->id;
	s->agency_id = ag->id;
	strlcpy_(s->applicant_name, in->name, sizeof(s->applicant_name));
	strlcpy_(s->applicant_id_number, in->id_number, sizeof(s->applicant_id_number));
	strlcpy_(s->applicant_phone, in->phone ? in->phone : "", sizeof(s->applicant_phone));
	strlcpy_(s->applicant_address, in->address ? in->address : "", sizeof(s->applicant_address));
	strlcpy_(s->applicant_email, in->email ? in->email : "", sizeof(s->applicant_email));
	strlcpy_(s->note, in->note ? in->note : "", sizeof(s->note));
	s->created_at = in->at;
	s->expires_at = in->at + SUBMISSION_TTL;
	/* 31^6 ≈ 887 million refs a day: a collision is rare; retry a few. */
	for (int attempt = 0;; attempt++) {
		submission_new_ref(day, s->ref);
		if (db_submission_insert(t, s, err) == 0)
			break;
		if (attempt == 4 || strcmp(err->code, "ref_taken") != 0)
			goto out;
	}
	strlcpy_(out->ref, s->ref, sizeof(out->ref));
	out->expires_at = s->expires_at;
	strlcpy_(out->procedure_code, p->code, sizeof(out->procedure_code));
	strlcpy_(out->procedure_name, p->name, sizeof(out->procedure_name));
	strlcpy_(out->agency_code, ag->code, sizeof(out->agency_code));
	strlcpy_(out->agency_name, ag->name, sizeof(out->agency_name));
	rc = 0;
out:
	if (rc != 0)
		sodium_memzero(out->token, sizeof(out->token));
	free(p);
	free(ag);
	free(s);
	return rc;
}

/* ---- the draft for its token ---------------------------------------------- */

int submission_open(struct db *db, const char *ref, const char *token, int64_t now,
		    struct submission_row *out, struct api_error *err)
{
	unsigned char hash[32];
	int rc = db_submission_by_ref(db, ref, out);
	if (rc < 0)
		return api_error_set(err, 500, "database_error", NULL, "Could not read the submission.");
	/* Hash and compare whether or not the ref exists. */
	auth_token_hash(token ? token : "", hash);
	int same = rc == 1 ? sodium_memcmp(hash, out->token_hash, 32) == 0
			   : sodium_memcmp(hash, hash, 32) != 0;
	if (rc == 0 || !same || !token || strlen(token) != AUTH_TOKEN_LEN)
		return api_error_set(err, 404, "not_found", NULL,
				     "No submission matches this reference and upload token.");
	if (out->dossier_id)
		return api_error_set(err, 409, "already_submitted", NULL,
				     "This submission has been sent already; files can no longer change.");
	if (now >= out->expires_at)
		return api_error_set(err, 410, "expired", NULL,
				     "This draft expired; please start the submission again.");
	return 1;
}

/* ---- step 2 -------------------------------------------------------------- */

/* Remove the file of a digest no row refers to any more (inside the
 * writer job, so no concurrent job can be storing the same content). */
static int drop_if_unused(struct txn *t, const char *upload_dir, const char *sha,
			  struct api_error *err)
{
	int used = db_attachment_sha_used(t->db, sha);
	if (used < 0)
		return api_error_set(err, 500, "database_error", NULL, "Could not check the file's use.");
	if (!used)
		upload_remove(upload_dir, sha);
	return 0;
}

int submission_attach(struct txn *t, const char *ref, const char *token,
		      const struct submission_file *f, int64_t now, int *replaced, int *consumed,
		      struct api_error *err)
{
	struct submission_row *s = xmalloc(sizeof(*s));
	struct attachment_row *old = xmalloc(sizeof(*old)), *a = xcalloc(1, sizeof(*a));
	int rc = -1;
	*replaced = *consumed = 0;
	if (submission_open(t->db, ref, token, now, s, err) != 1)
		goto out;
	if (f->seq < 1 || f->seq > ATTACHMENT_MAX) {
		api_error_set(err, 422, "invalid_parameter", "n", "File slots are numbered 1 to %d.",
			      ATTACHMENT_MAX);
		goto out;
	}
	int had = db_attachment_get(t->db, s->id, f->seq, old);
	if (had < 0) {
		api_error_set(err, 500, "database_error", NULL, "Could not read the attachments.");
		goto out;
	}
	*replaced = had;
	if (upload_commit(f->upload_dir, f->staged, f->sha256, err) != 0)
		goto out;
	*consumed = 1;
	a->submission_id = s->id;
	a->seq = f->seq;
	strlcpy_(a->name, f->name, sizeof(a->name));
	strlcpy_(a->label, f->label ? f->label : "", sizeof(a->label));
	strlcpy_(a->mime, f->mime, sizeof(a->mime));
	a->size = f->size;
	strlcpy_(a->sha256, f->sha256, sizeof(a->sha256));
	a->created_at = now;
	if (db_attachment_put(t, a, err) != 0)
		goto out;
	if (had && strcmp(old->sha256, f->sha256) != 0
	    && drop_if_unused(t, f->upload_dir, old->sha256, err) != 0)
		goto out;
	rc = 0;
out:
	free(s);
	free(old);
	free(a);
	return rc;
}

int submission_detach(struct txn *t, const char *ref, const char *token, int seq,
		      const char *upload_dir, int64_t now, struct api_error *err)
{
	struct submission_row *s = xmalloc(sizeof(*s));
	struct attachment_row *old = xmalloc(sizeof(*old));
	int rc = -1;
	if (submission_open(t->db, ref, token, now, s, err) != 1)
		goto out;
	int had = db_attachment_get(t->db, s->id, seq, old);
	if (had <= 0) {
		if (had < 0)
			api_error_set(err, 500, "database_error", NULL, "Could not read the attachments.");
		else
			api_error_set(err, 404, "not_found", NULL, "There is no file in slot %d.", seq);
		goto out;
	}
	if (db_attachment_delete(t, s->id, seq, err) != 0
	    || drop_if_unused(t, upload_dir, old->sha256, err) != 0)
		goto out;
	rc = 0;
out:
	free(s);
	free(old);
	return rc;
}

/* ---- step 3 -------------------------------------------------------------- */

static char *submit_event_data(const struct procedure_row *p, const struct attachment_row *files,
			       int n)
{
	cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "attachments");
	for (int i = 0; i < n; i++) {
		cJSON *a = cJSON_CreateObject();
		cJSON_AddStringToObject(a, "mime", files[i].mime);
		cJSON_AddNumberToObject(a, "n", files[i].seq);
		cJSON_AddStringToObject(a, "sha256", files[i].sha256);
		cJSON_AddNumberToObject(a, "size", (double)files[i].size);
		cJSON_AddItemToArray(arr, a);
	}
	cJSON_AddStringToObject(o, "channel", "online");
	cJSON_AddStringToObject(o, "procedure", p->code);
	char *s = json_print(o);
	cJSON_Delete(o);
	return s;
}

/* The dossier row of a submitted draft: state 1, in the one-stop's queue,
 * no code, no clock. */
static void fill_dossier(struct dossier_row *d, const struct submission_row *s,
			 const struct procedure_row *p, const struct agency_row *ag, int files,
			 int64_t now)
{
	enum deadline_unit unit;
	memset(d, 0, sizeof(*d));
	strlcpy_(d->ref, s->ref, sizeof(d->ref));
	d->procedure_id = p->id;
	strlcpy_(d->procedure_code, p->code, sizeof(d->procedure_code));
	strlcpy_(d->procedure_name, p->name, sizeof(d->procedure_name));
	d->receiving_agency_id = d->current_agency_id = ag->id;
	strlcpy_(d->receiving_agency_code, ag->code, sizeof(d->receiving_agency_code));
	strlcpy_(d->receiving_agency_name, ag->name, sizeof(d->receiving_agency_name));
	strlcpy_(d->current_agency_code, ag->code, sizeof(d->current_agency_code));
	strlcpy_(d->current_agency_name, ag->name, sizeof(d->current_agency_name));
	strlcpy_(d->channel, "online", sizeof(d->channel));
	d->state = WF_SUBMITTED_ONLINE;
	strlcpy_(d->applicant_name, s->applicant_name, sizeof(d->applicant_name));
	strlcpy_(d->applicant_id_number, s->applicant_id_number, sizeof(d->applicant_id_number));
	strlcpy_(d->applicant_phone, s->applicant_phone, sizeof(d->applicant_phone));
	strlcpy_(d->applicant_address, s->applicant_address, sizeof(d->applicant_address));
	strlcpy_(d->applicant_email, s->applicant_email, sizeof(d->applicant_email));
	strlcpy_(d->note, s->note, sizeof(d->note));
	dossier_limit(p, "online", &d->limit_value, &unit);
	strlcpy_(d->limit_unit, deadline_unit_name(unit), sizeof(d->limit_unit));
	d->submitted_at = d->created_at = now;
	d->fee_vnd = p->fee_vnd > 0 ? p->fee_vnd : -1;
	d->attachments = files;
	d->lead_agency_id = p->agency_id ? p->agency_id : ag->id;
}

int submission_submit(struct txn *t, const char *ref, const char *token, int64_t now,
		      struct dossier_state *out, struct api_error *err)
{
	struct submission_row *s = xmalloc(sizeof(*s));
	struct attachment_row *files = xmalloc(ATTACHMENT_MAX * sizeof(*files));
	struct procedure_row *p = xmalloc(sizeof(*p));
	struct agency_row *ag = xmalloc(sizeof(*ag));
	struct buf key = BUF_INIT;
	char *data = NULL;
	int rc = -1, n;
	memset(out, 0, sizeof(*out));
	if (submission_open(t->db, ref, token, now, s, err) != 1)
		goto out;
	n = db_attachment_list(t->db, s->id, 0, files, ATTACHMENT_MAX);
	if (n < 0 || db_procedure_by_id(t->db, s->procedure_id, p) != 1
	    || db_agency_by_id(t->db, s->agency_id, ag) != 1) {
		api_error_set(err, 500, "database_error", NULL, "Could not read the submission.");
		goto out;
	}
	if (n == 0) {
		api_error_set(err, 422, "no_attachments", NULL,
			      "Attach at least one file (PDF, JPEG or PNG) before submitting.");
		goto out;
	}
	fill_dossier(&out->d, s, p, ag, n, now);
	if (lifecycle_ovd_track(t, NULL, out, now, err) != 0)
		goto out;
	text_fold(s->applicant_name, &key);
	if (db_dossier_insert(t, &out->d, buf_cstr(&key), err) != 0)
		goto out;
	for (int i = 0; i < n; i++) {
		struct document_in doc = { files[i].label[0] ? files[i].label : files[i].name, "copy", 1 };
		if (db_dossier_add_document(t, out->d.id, i + 1, &doc, err) != 0)
			goto out;
	}
	if (db_attachment_link(t, s->id, out->d.id, err) != 0
	    || db_submission_mark_submitted(t, s->id, out->d.id, now, err) != 0)
		goto out;
	data = submit_event_data(p, files, n);
	struct event_rec e = {
		.at = now, .dossier_id = out->d.id, .dossier_ref = out->d.ref,
		.actor = "citizen", .actor_role = "citizen", .actor_agency = "",
		.action = "submit_online", .from_state = 0, .to_state = WF_SUBMITTED_ONLINE,
		.step = 0, .clock = "", .note = "", .data = data ? data : "",
	};
	if (db_event_append(t, &e, err) != 0)
		goto out;
	/* Nothing is counted until a clerk accepts it (stats.h). */
	lifecycle_stats(t, NULL, out, now);
	rc = 0;
out:
	buf_release(&key);
	free(data);
	free(s);
	free(files);
	free(p);
	free(ag);
	return rc;
}

/* ---- expiry -------------------------------------------------------------- */

int submission_purge(struct txn *t, const char *upload_dir, int64_t now, int max,
		     struct api_error *err)
{
	int64_t ids[64];
	struct attachment_row *files = xmalloc(ATTACHMENT_MAX * sizeof(*files));
	int done = -1;
	if (max > (int)ARRAY_LEN(ids))
		max = (int)ARRAY_LEN(ids);
	int n = db_submission_expired(t->db, now, ids, max);
	if (n < 0) {
		api_error_set(err, 500, "database_error", NULL, "Could not read expired drafts.");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		int k = db_attachment_list(t->db, ids[i], 0, files, ATTACHMENT_MAX);
		if (k < 0) {
			api_error_set(err, 500, "database_error", NULL, "Could not read a draft's files.");
			goto out;
		}
		if (db_submission_delete(t, ids[i], err) != 0)
			goto out;
		for (int j = 0; j < k; j++)
			if (drop_if_unused(t, upload_dir, files[j].sha256, err) != 0)
				goto out;
	}
	done = n;
out:
	free(files);
	return done;
}
