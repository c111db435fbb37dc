/*
 * motcua — verify: offline check of a history export (pure; no database).
 *
 * Input: the JSON Lines file of `GET /api/v1/exports/events.jsonl` or
 * `motcua export --kind events` (format in export.h and docs/audit.md).
 * For every line, in order:
 *   1. it ends with '\n' and is not empty;
 *   2. it parses as a JSON object with the 17 fields of a history row
 *      (or is the trailer, which must be the last line);
 *   3. re-encoded canonically (export_event_line) it gives the same
 *      bytes — so any edit is caught, even one that keeps the values
 *      (a space, an upper-case hex digit, another escape);
 *   4. its seq is the previous row's seq + 1 (the first row's seq starts
 *      the range; when it is 1, prev_hash must be 32 zero bytes);
 *   5. SHA-256 over its content (audit_hash) equals its hash;
 *   6. its prev_hash equals the previous row's hash.
 * The trailer must state the first and last seq, the row count and the
 * last hash of what came before it; a file without a trailer was cut
 * short. With a head hash (noted from GET /api/v1/audit/head), some row's
 * hash must equal it: the rows up to that one are then exactly the
 * history the head was taken from.
 * The first failure stops the check and is reported with its line number
 * (1-based) and the row's seq when it could be read.
 *
 * Ownership: verify_new gives a checker to release with verify_free.
 * Lines passed in are borrowed for the call.
 */
#ifndef MOTCUA_VERIFY_H
#define MOTCUA_VERIFY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct verify_result {
	int ok;			/* 1: every check passed */
	int64_t rows;		/* history rows checked (the trailer excluded) */
	int64_t first_seq;	/* first and last seq seen (0 when none) */
	int64_t last_seq;
	char last_hash[65];	/* hex of the last row's hash, "" when none */
	int64_t head_seq;	/* the row whose hash is the head asked for, 0 */
	long line;		/* when not ok: the failing line, 0 = the file as a whole */
	int64_t seq;		/* its seq, or -1 when unknown */
	char reason[240];	/* why, for people */
};

struct verify;

/* A checker; head_hex is NULL or 64 hex digits (either case). */
struct verify *verify_new(const char *head_hex);
/* Feed one line without its '\n'; complete = 0 for a last line that had
 * no '\n'. Returns 0 while everything is fine, -1 after the first
 * failure (later calls are ignored). */
int verify_line(struct verify *v, const char *line, size_t len, int complete);
/* Finish: fill out. 0 intact, -1 not. */
int verify_finish(struct verify *v, struct verify_result *out);
void verify_free(struct verify *v);

/* The whole export in memory, or read from a FILE. 0 intact, -1 not. */
int verify_buffer(const char *data, size_t len, const char *head_hex, struct verify_result *out);
int verify_file(FILE *f, const char *head_hex, struct verify_result *out);

#endif
