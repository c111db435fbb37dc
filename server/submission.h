/*
 * motcua — submission: a citizen's online submission, from the form to a
 * dossier waiting in state 1 (submitted online) at the chosen one-stop.
 *
 * The protocol has three steps so files travel as raw bodies (no
 * multipart parsing anywhere):
 *   1. submission_create: the form (procedure, receiving one-stop,
 *      applicant) is validated against the catalogue and stored as a draft
 *      under a new ref ("OL-YYMMDD-XXXXXX": local date and six random
 *      characters from an alphabet without 0/O/1/I). The citizen gets the
 *      ref and an upload token (random, 256 bits; only its SHA-256 is
 *      kept). A draft lives SUBMISSION_TTL seconds.
 *   2. submission_attach / submission_detach: files into numbered slots
 *      1..ATTACHMENT_MAX, authorised by the token. The HTTP layer checks
 *      the content type and stages the bytes on disk (upload.h); the job
 *      here re-checks the draft, moves the file into place and records it.
 *   3. submission_submit: the dossier is created in state 1 with the same
 *      ref, no code and no clock (both come when a clerk accepts), its
 *      files and a checklist row per file; the draft's personal data is
 *      wiped; the history gets a "submit_online" row by "citizen" with the
 *      files' digests (not their names).
 * Drafts past their expiry are deleted with their files by
 * submission_purge (called when a new draft is made).
 *
 * An unknown ref and a wrong token give the same 404.
 *
 * Ownership: inputs are borrowed for the call; results are copied into
 * caller structs.
 */
#ifndef MOTCUA_SUBMISSION_H
#define MOTCUA_SUBMISSION_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db_citizen.h"
#include "error.h"
#include "lifecycle.h"

struct txn;
struct db;

#define SUBMISSION_TTL (24 * 3600)	/* seconds a draft may stay open */
#define SUBMISSION_REF_LEN 16		/* "OL-YYMMDD-XXXXXX" */

struct submission_in {
	const char *procedure_code;
	const char *agency_code;	/* the receiving one-stop */
	const char *name;
	const char *id_number;
	const char *phone;
	const char *address;
	const char *email;
	const char *note;
	const char *upload_dir;		/* for purging expired drafts */
	int64_t at;
};

struct submission_draft {
	char ref[40];
	char token[AUTH_TOKEN_LEN + 1];	/* shown once, never stored */
	int64_t expires_at;
	char procedure_code[32];
	char procedure_name[1024];
	char agency_code[32];
	char agency_name[256];
};

/* A new ref for a local day number (random part from libsodium). */
void submission_new_ref(int32_t day, char out[SUBMISSION_REF_LEN + 1]);
/* 1 if s has the shape of a submission ref. */
int submission_ref_valid(const char *s);

/* Step 1. 0 ok; -1 with err (422 unknown or inactive procedure, no
 * online service, wrong or unknown receiving agency). */
int submission_create(struct txn *t, const struct submission_in *in,
		      struct submission_draft *out, struct api_error *err);

/* The draft for ref if token is its upload token, on any connection.
 * 1 ok; -1 with err: 404 "not_found" (unknown ref or wrong token),
 * 409 "already_submitted", 410 "expired". */
int submission_open(struct db *db, const char *ref, const char *token, int64_t now,
		    struct submission_row *out, struct api_error *err);

struct submission_file {
	int seq;			/* slot 1..ATTACHMENT_MAX */
	const char *name;		/* cleaned file name */
	const char *label;		/* checklist item, or "" */
	const char *mime;		/* from the content */
	int64_t size;
	const char *sha256;		/* hex */
	const char *staged;		/* path from upload_stage */
	const char *upload_dir;
};

/* Step 2: store a staged file in its slot (replacing what was there).
 * *replaced = 1 if the slot held a file; *consumed = 1 once the staged
 * file has been moved into place (or dropped as a duplicate), so the
 * caller must not remove that path any more, even if the job fails later.
 * 0 ok, -1 with err. */
int submission_attach(struct txn *t, const char *ref, const char *token,
		      const struct submission_file *f, int64_t now, int *replaced, int *consumed,
		      struct api_error *err);
/* Empty a slot (404 if it is empty). 0 ok, -1 with err. */
int submission_detach(struct txn *t, const char *ref, const char *token, int seq,
		      const char *upload_dir, int64_t now, struct api_error *err);

/* Step 3: 0 ok (*out holds the new dossier in state 1); -1 with err
 * (422 "no_attachments" when no file is attached). */
int submission_submit(struct txn *t, const char *ref, const char *token, int64_t now,
		      struct dossier_state *out, struct api_error *err);

/* Delete up to max drafts that expired before now, with the files no
 * other row uses. Returns how many were deleted, or -1 with err. */
int submission_purge(struct txn *t, const char *upload_dir, int64_t now, int max,
		     struct api_error *err);

/* A file name fit to keep and show: the part after any '/' or '\',
 * control characters and quotes replaced by '_', at most 200 characters;
 * "tep-N.ext" when nothing is left. raw must be valid UTF-8 (or NULL). */
void submission_clean_name(const char *raw, int seq, const char *ext, char *out, size_t n);

#endif
