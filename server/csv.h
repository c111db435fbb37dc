/*
 * motcua — csv: an RFC 4180 reader and writer (pure, no I/O of its own
 * beyond reading the FILE it is given).
 *
 * Reader: UTF-8 text, comma-separated, fields optionally quoted with
 * double quotes ("" inside quotes is one quote; quoted fields may hold
 * commas, CR and LF). Rows end with CRLF or LF. A UTF-8 byte-order mark at
 * the very start is skipped. Rejected with a message and the line number:
 * invalid UTF-8, a NUL byte, an unterminated quoted field, a character
 * after a closing quote other than a comma or the end of the row, a field
 * longer than CSV_MAX_FIELD bytes, more than CSV_MAX_FIELDS fields.
 * A completely empty line is skipped (not a row of one empty field).
 *
 * Writer: appends to a struct buf. Fields containing a comma, a quote, CR
 * or LF are quoted. A text cell that starts with '=', '+', '-', '@', TAB
 * or CR is neutralised by prefixing a single quote (') so spreadsheets do
 * not run it as a formula (OWASP "CSV injection"); numbers are written
 * with csv_put_int and are never altered.
 *
 * Ownership: csv_reader_open borrows the FILE (the caller closes it);
 * csv_reader_free releases the reader. The strings in a struct csv_row
 * belong to the reader and stay valid until the next csv_read or
 * csv_reader_free.
 */
#ifndef MOTCUA_CSV_H
#define MOTCUA_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"

#define CSV_MAX_FIELD 65536
#define CSV_MAX_FIELDS 256

struct csv_reader;

struct csv_row {
	char **field;	/* n NUL-terminated fields */
	size_t n;
	size_t line;	/* line number (1-based) where the row starts */
};

struct csv_reader *csv_reader_open(FILE *f);
/* Read the next row: 1 a row, 0 end of input, -1 error (csv_error()). */
int csv_read(struct csv_reader *r, struct csv_row *row);
/* The last error as "line N: message", or "" if none. */
const char *csv_error(const struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);

/* Index of the column called name in a header row, or -1. */
int csv_column(const struct csv_row *header, const char *name);

/* Writer. first != 0 for the first field of a row (no comma before it). */
void csv_put_bom(struct buf *b);
void csv_put(struct buf *b, const char *s, int first);	/* NULL = empty */
void csv_put_int(struct buf *b, long long v, int first);
void csv_end_row(struct buf *b);	/* "\r\n" */

#endif
