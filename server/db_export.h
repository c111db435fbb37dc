/*
 * motcua — db_export: the long reads behind the auditor exports.
 *
 * An export reads on a connection of its own (never a thread's shared
 * reader: a statement that stays open for a minute would pin an old
 * snapshot for every other request on that thread). db_export_begin
 * tunes that connection for one long sequential read — no memory map and
 * a small page cache, so the process stays small however large the
 * database — and opens a read transaction: the count, the rows and the
 * history head then all come from one snapshot, so the row count sent
 * ahead (X-Total-Rows) is exact.
 *
 * Rows are read with cursors that step one prepared statement. The
 * register's period is by received_at and uses the dossier_received index
 * in order, so a period streams in one pass without sorting; an agency
 * scope keeps the dossiers received by, or led by, that agency or one
 * below it.
 *
 * Ownership: a cursor borrows its connection; close it (db_export_close)
 * before opening another of the same kind or closing the connection.
 * Values and strings a cursor fills point into SQLite's row (or the
 * cursor's name tables) and are valid until the next call on the cursor.
 */
#ifndef MOTCUA_DB_EXPORT_H
#define MOTCUA_DB_EXPORT_H

#include <stdint.h>

#include "audit.h"
#include "export.h"

struct db;
struct db_export_cur;

/* Prepare the connection for a long read and open the snapshot. 0 ok,
 * -1 on a database error. */
int db_export_begin(struct db *db);
/* End the snapshot (closing the connection does it too). */
void db_export_end(struct db *db);

/* Dossiers received in [from, to), all (agency 0) or of that agency and
 * below. 0 ok (n set), -1 error. */
int db_export_dossier_count(struct db *db, int64_t from, int64_t to, int64_t agency,
			    int64_t *n);
/* The same dossiers in order of receipt; NULL on a database error. The
 * names of agencies, procedures and accounts are read into the cursor
 * first (a few thousand rows) and looked up per dossier. */
struct db_export_cur *db_export_dossier_open(struct db *db, int64_t from, int64_t to,
					     int64_t agency);
/* The next dossier into v[1 .. EXPORT_DOSSIER_COLS-1] (v[0], STT, is left
 * alone). 1 a row, 0 the end, -1 a database error. */
int db_export_dossier_next(struct db_export_cur *c, struct export_value *v);

/* The last seq of the history (0 when empty). 0 ok, -1 error. */
int db_export_event_last(struct db *db, int64_t *seq);
/* The smallest seq range holding every event with at in [from, to):
 * 1 found (first, last set), 0 none, -1 error. */
int db_export_event_span(struct db *db, int64_t from, int64_t to, int64_t *first,
			 int64_t *last);
/* The instant of one event: 1 found, 0 none, -1 error. */
int db_export_event_at(struct db *db, int64_t seq, int64_t *at);
/* History rows with seq in [from_seq, to_seq], in order. */
struct db_export_cur *db_export_event_open(struct db *db, int64_t from_seq, int64_t to_seq);
/* The next row as hashed (NULLs as AUDIT_NULL / NULL strings) and its
 * stored hash. 1 a row, 0 the end, -1 error. */
int db_export_event_next(struct db_export_cur *c, struct audit_row *row,
			 unsigned char hash[AUDIT_HASH_LEN]);

/* Reset the cursor's statement and free the cursor; NULL is a no-op. */
void db_export_close(struct db_export_cur *c);

#endif
