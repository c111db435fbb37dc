/*
 * motcua — verify: line by line, the checks listed in verify.h.
 *
 * Each line is parsed with cJSON, its values are put back into a struct
 * audit_row, and the row is re-encoded by export.c: the exporter and the
 * verifier share one encoder, so "canonical" cannot drift between them.
 */
#include "verify.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "export.h"
#include "util.h"

struct verify {
	int want_head;
	unsigned char head[AUDIT_HASH_LEN];
	long line;			/* lines seen */
	int failed;
	int trailer;			/* the trailer was read */
	int64_t rows;
	int64_t first_seq, last_seq;
	unsigned char last_hash[AUDIT_HASH_LEN];
	int64_t head_seq;
	struct buf canon;		/* the re-encoded line */
	struct verify_result res;
};

static int fail(struct verify *v, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct verify *v, int64_t seq, const char *fmt, ...)
{
	va_list ap;
	if (v->failed)
		return -1;
	v->failed = 1;
	v->res.line = v->line;
	v->res.seq = seq;
	va_start(ap, fmt);
	vsnprintf(v->res.reason, sizeof(v->res.reason), fmt, ap);
	va_end(ap);
	return -1;
}

struct verify *verify_new(const char *head_hex)
{
	struct verify *v = xcalloc(1, sizeof(*v));
	v->res.seq = -1;
	if (head_hex) {
		v->want_head = 1;
		if (audit_unhex(head_hex, v->head) != 0)
			fail(v, -1, "the head to check against is not a SHA-256 hash (64 hex digits)");
	}
	return v;
}

void verify_free(struct verify *v)
{
	if (!v)
		return;
	buf_release(&v->canon);
	free(v);
}

/* ---- reading fields -------------------------------------------------- */

/* An integer field: 1 set, 0 null (when allowed), -1 wrong. */
static int get_int(const cJSON *o, const char *key, int nullable, int64_t *out)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
	if (nullable && cJSON_IsNull(x)) {
		*out = AUDIT_NULL;
		return 0;
	}
	if (!cJSON_IsNumber(x))
		return -1;
	double d = x->valuedouble;
	if (d != floor(d) || fabs(d) > 9007199254740992.0)
		return -1;
	*out = (int64_t)d;
	return 1;
}

/* A string field (or null): 0 ok, -1 wrong. */
static int get_str(const cJSON *o, const char *key, const char **out)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
	if (cJSON_IsNull(x)) {
		*out = NULL;
		return 0;
	}
	if (!cJSON_IsString(x))
		return -1;
	*out = x->valuestring;
	return 0;
}

/* A hash field: 1 set, 0 null (when allowed), -1 wrong. */
static int get_hash(const cJSON *o, const char *key, int nullable, unsigned char out[AUDIT_HASH_LEN])
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);
	if (nullable && cJSON_IsNull(x))
		return 0;
	if (!cJSON_IsString(x) || audit_unhex(x->valuestring, out) != 0)
		return -1;
	return 1;
}

/* The line must be exactly the canonical encoding. */
static int same_bytes(const struct buf *canon, const char *line, size_t len)
{
	/* canon ends with '\n'; the line was given without it. */
	return canon->len == len + 1 && memcmp(canon->data, line, len) == 0;
}

/* ---- the trailer ------------------------------------------------------- */

static int check_trailer(struct verify *v, const cJSON *o, const char *line, size_t len)
{
	const cJSON *tag = cJSON_GetObjectItemCaseSensitive(o, "export");
	int64_t from, to, rows;
	unsigned char last[AUDIT_HASH_LEN];
	char hex[65];
	if (!cJSON_IsString(tag) || strcmp(tag->valuestring, EXPORT_EVENTS_TAG) != 0)
		return fail(v, -1, "the trailer is not a %s trailer", EXPORT_EVENTS_TAG);
	int has_last = get_hash(o, "last_hash", 1, last);
	if (get_int(o, "from_seq", 0, &from) < 0 || get_int(o, "to_seq", 0, &to) < 0
	    || get_int(o, "rows", 0, &rows) < 0 || has_last < 0)
		return fail(v, -1, "the trailer lacks from_seq, to_seq, rows or last_hash");
	buf_reset(&v->canon);
	export_event_trailer(&v->canon, from, to, rows, has_last ? last : NULL);
	if (!same_bytes(&v->canon, line, len))
		return fail(v, -1, "the trailer is not in the exported form (edited?)");
	if (rows != v->rows)
		return fail(v, -1, "the trailer counts %lld rows but the file has %lld (rows were removed or added)",
			    (long long)rows, (long long)v->rows);
	if (v->rows == 0) {
		if (to != from - 1 || has_last)
			return fail(v, -1, "the trailer describes rows the file does not have");
		v->trailer = 1;
		return 0;
	}
	if (from != v->first_seq)
		return fail(v, -1, "the trailer says the export starts at seq %lld but the first row is seq %lld"
			    " (rows were removed from the start)", (long long)from, (long long)v->first_seq);
	if (to != v->last_seq)
		return fail(v, -1, "the trailer says the export ends at seq %lld but the last row is seq %lld",
			    (long long)to, (long long)v->last_seq);
	if (!has_last || memcmp(last, v->last_hash, AUDIT_HASH_LEN) != 0) {
		audit_hex(v->last_hash, hex);
		return fail(v, -1, "the trailer's last_hash is not the hash of the last row (%s)", hex);
	}
	v->trailer = 1;
	return 0;
}

/* ---- a history row ------------------------------------------------------ */

static int check_row(struct verify *v, const cJSON *o, const char *line, size_t len)
{
	static const unsigned char zero[AUDIT_HASH_LEN];
	struct audit_row r;
	unsigned char stated[AUDIT_HASH_LEN], computed[AUDIT_HASH_LEN];
	int64_t seq = -1;
	memset(&r, 0, sizeof(r));
	if (get_int(o, "seq", 0, &r.seq) < 0 || r.seq < 1)
		return fail(v, -1, "no valid seq");
	seq = r.seq;
	if (get_int(o, "at", 0, &r.at) < 0)
		return fail(v, seq, "field at is missing or not an integer");
	static const char *const ints[] = { "dossier_id", "from_state", "to_state", "step", "due_at" };
	int64_t *int_dst[] = { &r.dossier_id, &r.from_state, &r.to_state, &r.step, &r.due_at };
	for (size_t i = 0; i < ARRAY_LEN(ints); i++)
		if (get_int(o, ints[i], 1, int_dst[i]) < 0)
			return fail(v, seq, "field %s is missing or not an integer", ints[i]);
	static const char *const strs[] = {
		"dossier_ref", "actor", "actor_role", "actor_agency", "action", "clock", "note", "data"
	};
	const char **str_dst[] = { &r.dossier_ref, &r.actor, &r.actor_role, &r.actor_agency,
				   &r.action, &r.clock, &r.note, &r.data };
	for (size_t i = 0; i < ARRAY_LEN(strs); i++)
		if (get_str(o, strs[i], str_dst[i]) < 0)
			return fail(v, seq, "field %s is missing or not a string", strs[i]);
	if (get_hash(o, "prev_hash", 0, r.prev_hash) < 0)
		return fail(v, seq, "prev_hash is missing or not a SHA-256 hash");
	if (get_hash(o, "hash", 0, stated) < 0)
		return fail(v, seq, "hash is missing or not a SHA-256 hash");
	buf_reset(&v->canon);
	export_event_line(&v->canon, &r, stated);
	if (!same_bytes(&v->canon, line, len))
		return fail(v, seq, "the line is not in the exported form (edited by hand or by a tool?)");
	if (v->rows == 0) {
		v->first_seq = r.seq;
		if (r.seq == 1 && memcmp(r.prev_hash, zero, AUDIT_HASH_LEN) != 0)
			return fail(v, seq, "the first row of the history must have a zero prev_hash");
	} else if (r.seq != v->last_seq + 1) {
		return fail(v, seq, "seq %lld follows seq %lld (a row was removed, added or moved)",
			    (long long)r.seq, (long long)v->last_seq);
	}
	audit_hash(&r, computed);
	if (memcmp(computed, stated, AUDIT_HASH_LEN) != 0)
		return fail(v, seq, "the row's content does not match its hash (the row was altered)");
	if (v->rows > 0 && memcmp(r.prev_hash, v->last_hash, AUDIT_HASH_LEN) != 0)
		return fail(v, seq, "prev_hash is not the hash of the row before (the chain is broken here)");
	if (v->want_head && !v->head_seq && memcmp(stated, v->head, AUDIT_HASH_LEN) == 0)
		v->head_seq = r.seq;
	v->rows++;
	v->last_seq = r.seq;
	memcpy(v->last_hash, stated, AUDIT_HASH_LEN);
	return 0;
}

int verify_line(struct verify *v, const char *line, size_t len, int complete)
{
	const char *end = NULL;
	cJSON *o = NULL;
	int rc;
	if (v->failed)
		return -1;
	v->line++;
	if (!complete)
		return fail(v, -1, "the line does not end (the file was cut short)");
	if (len == 0)
		return fail(v, -1, "empty line");
	if (v->trailer)
		return fail(v, -1, "content after the trailer");
	o = cJSON_ParseWithLengthOpts(line, len, &end, 0);
	if (!cJSON_IsObject(o) || end != line + len)
		rc = fail(v, -1, "not a JSON object");
	else if (cJSON_GetObjectItemCaseSensitive(o, "export"))
		rc = check_trailer(v, o, line, len);
	else
		rc = check_row(v, o, line, len);
	cJSON_Delete(o);
	return rc;
}

int verify_finish(struct verify *v, struct verify_result *out)
{
	if (!v->failed && !v->trailer) {
		v->line++;
		if (v->line == 1)
			fail(v, -1, "the file is empty");
		else
			fail(v, -1, "the file ends without its trailer line (cut short, or rows removed from the end)");
	}
	if (!v->failed && v->want_head && !v->head_seq) {
		char hex[65];
		audit_hex(v->head, hex);
		v->line = 0;
		fail(v, -1, "no row has the head hash %s: the history differs from the one whose head was"
			     " noted, or the export does not reach it", hex);
	}
	v->res.ok = !v->failed;
	v->res.rows = v->rows;
	v->res.first_seq = v->first_seq;
	v->res.last_seq = v->last_seq;
	if (v->rows)
		audit_hex(v->last_hash, v->res.last_hash);
	v->res.head_seq = v->head_seq;
	if (v->res.ok) {
		v->res.line = 0;
		v->res.seq = -1;
	}
	*out = v->res;
	return v->res.ok ? 0 : -1;
}

int verify_buffer(const char *data, size_t len, const char *head_hex, struct verify_result *out)
{
	struct verify *v = verify_new(head_hex);
	size_t pos = 0;
	while (pos < len && !v->failed) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
		verify_line(v, data + pos, n, nl != NULL);
		pos += n + 1;
	}
	int rc = verify_finish(v, out);
	verify_free(v);
	return rc;
}

int verify_file(FILE *f, const char *head_hex, struct verify_result *out)
{
	struct verify *v = verify_new(head_hex);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while (!v->failed && (n = getline(&line, &cap, f)) > 0) {
		int complete = line[n - 1] == '\n';
		verify_line(v, line, (size_t)(complete ? n - 1 : n), complete);
	}
	if (!v->failed && ferror(f)) {
		v->line = 0;
		fail(v, -1, "read error");
	}
	free(line);
	int rc = verify_finish(v, out);
	verify_free(v);
	return rc;
}
