/*
 * motcua — exporter: one export run, from its own snapshot to the bytes.
 *
 * exporter_open opens a read-only connection of its own on the database
 * file, starts one snapshot (db_export.h), resolves the range (the
 * history's seq range; the report's days) and counts the rows, so the
 * caller knows the count before anything is sent and can record the
 * export first. Then either
 *   - exporter_next, repeatedly, for CSV and JSON Lines: each call appends
 *     the next part (about EXPORTER_CHUNK bytes, whole rows) to a buffer —
 *     the HTTP layer streams those parts and the CLI writes them to a file,
 *     so memory stays flat whatever the size; or
 *   - exporter_xlsx, once, which writes the whole workbook to a file
 *     (libxlsxwriter can only write a file; it assembles the zip at the end).
 * The snapshot and the connection end with exporter_free.
 *
 * Which formats each kind has: dossiers csv, xlsx, jsonl; the history
 * jsonl (the verifiable form, verify.h); the report csv, xlsx.
 *
 * Ownership: struct export_request is copied by exporter_open (its
 * strings too). exporter_free releases everything; NULL is a no-op.
 */
#ifndef MOTCUA_EXPORTER_H
#define MOTCUA_EXPORTER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "export.h"
#include "report.h"

#define EXPORTER_CHUNK (64 * 1024)

struct export_request {
	enum export_kind kind;
	enum export_format format;
	int64_t from, to;		/* period [from, to), EXPORT_FROM_ANY / EXPORT_TO_ANY */
	int64_t agency_id;		/* 0 = every agency; else it and those below */
	const char *agency_code;	/* its code, for titles and the record */
	int pii;			/* 1: personal data unmasked */
	int64_t from_seq, to_seq;	/* history by seq: 0 = from the first / to the last */
	int by_time;			/* history: the seq span of the period instead */
	enum report_group group;	/* report rows */
	int64_t now;			/* report: "today" and default period */
};

struct exporter;

/* Open the snapshot, resolve and count. path/busy_ms: the database file.
 * 0 ok, -1 with err (422 for a format the kind does not have, 503 when
 * the database cannot be read). */
int exporter_open(const char *path, int busy_ms, const struct export_request *rq,
		  struct exporter **out, struct api_error *err);
/* Rows the export will have (dossiers, history rows, report groups). */
int64_t exporter_rows(const struct exporter *x);
/* The request as resolved: history seq range, report days. */
const struct export_request *exporter_request(const struct exporter *x);
/* Next part into out (appended). 1 more to come, 0 finished (the last
 * part may have been appended by this call), -1 database error. */
int exporter_next(struct exporter *x, struct buf *out);
/* The whole export as an XLSX file at path. 0 ok, -1 with err. */
int exporter_xlsx(struct exporter *x, const char *path, struct api_error *err);
/* A file name for the download: "motcua-dossiers-2026-01-01_2026-03-31.csv". */
void exporter_filename(const struct exporter *x, char *out, size_t n);
/* What the export is, for its record in the history: canonical JSON
 * {"kind","format","from","to" (ISO 8601, to excluded; null = open),
 * "agency" (code or null),"pii","rows", and "from_seq","to_seq" for the
 * history or "group_by" for the report}. free() it. */
char *exporter_describe(const struct exporter *x);
void exporter_free(struct exporter *x);

#endif
