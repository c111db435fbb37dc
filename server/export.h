/*
 * motcua — export: the formats of the auditor exports (pure).
 *
 * What is written, byte for byte, for each kind of export; where the rows
 * come from (db_export.h) and where the bytes go (exporter.h) is not this
 * module's business.
 *
 * The dossier register: one row per dossier, the columns of Form 06 (the
 * one-stop register, Circular 01/2018/TT-VPCP) first, then every other
 * field, as export_dossier_cols lists them. CSV is RFC 4180 in UTF-8 with
 * a byte-order mark, CRLF rows, a header row of Vietnamese labels, text
 * cells starting with = + - @ (and TAB, CR) neutralised by csv.h; times
 * are ISO 8601 with the office's offset. JSON Lines has one object per
 * dossier with the columns' keys (no STT), null for absent values.
 * Personal data (ID number, phone, e-mail, address) is masked unless the
 * formatter was made with pii = 1; the name is not personal data in the
 * register's sense (it is what the counter calls out).
 *
 * The history (events): one JSON object per line in the canonical form of
 * export_event_line — exactly the hashed fields of audit.h plus prev_hash
 * and hash in lower-case hex, no spaces, keys in a fixed order — and a
 * last line, the trailer, that states the range and the last hash, so a
 * file cut short at a line boundary is still caught. verify.c re-encodes
 * each parsed line with the same functions and requires the same bytes.
 *
 * Ownership: no allocation besides the struct buf the caller passes in;
 * struct export_value points into storage the caller owns (SQLite column
 * text) and is only read.
 */
#ifndef MOTCUA_EXPORT_H
#define MOTCUA_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "buf.h"

struct report;
struct report_row;

/* ---- what and how ------------------------------------------------------- */

enum export_kind { EXPORT_DOSSIERS, EXPORT_EVENTS, EXPORT_REPORT, EXPORT_KIND__MAX };
enum export_format { EXPORT_CSV, EXPORT_XLSX, EXPORT_JSONL, EXPORT_FORMAT__MAX };

/* "dossiers" / "csv" … → 0 ok, -1 unknown. */
int export_kind_parse(const char *s, enum export_kind *k);
int export_format_parse(const char *s, enum export_format *f);
const char *export_kind_name(enum export_kind k);
const char *export_format_name(enum export_format f);
/* MIME type and file extension of a format. */
const char *export_content_type(enum export_format f);

#define EXPORT_FROM_ANY INT64_MIN	/* no lower bound */
#define EXPORT_TO_ANY INT64_MAX		/* no upper bound */

/* A period bound: "YYYY-MM-DD" (a local day of the office: from = its
 * midnight; to = the next midnight, so the day is included) or an ISO 8601
 * instant (exact; to is exclusive). NULL or "" = unbounded. 0 ok, -1 bad. */
int export_parse_bound(const char *s, int is_to, int64_t *instant);

/* ---- the dossier register ------------------------------------------------ */

enum export_type {
	EXT_SEQNO,		/* STT: the row number, not from the database */
	EXT_TEXT,
	EXT_INT,
	EXT_TIME,		/* an instant (UTC seconds) */
	EXT_STATE,		/* a DVCQG state code, shown by name */
	EXT_RESULT,		/* 1–3: early, on_time, late */
	EXT_BOOL,		/* 0 / 1 */
	EXT_PII_KEEP4,		/* ID number, phone: last 4 characters shown */
	EXT_PII_EMAIL,		/* first character and the domain shown */
	EXT_PII_ADDRESS,	/* the part after the last comma shown */
};

struct export_col {
	const char *key;	/* JSON Lines key */
	const char *label;	/* CSV and XLSX header (Vietnamese) */
	enum export_type type;
	int width;		/* XLSX column width in characters */
};

#define EXPORT_DOSSIER_COLS 47
extern const struct export_col export_dossier_cols[EXPORT_DOSSIER_COLS];

/* One value of a row, borrowed. Column 0 (STT) is never read. */
struct export_value {
	int null;		/* SQL NULL */
	int64_t i;		/* integer columns */
	const char *s;		/* text columns: NUL-terminated */
	size_t len;
};

#define EXPORT_TZ_SLOTS 512
#define EXPORT_DAY_SLOTS 256

/* Formatting state of one export: the privacy switch, the row counter and
 * two caches — zone offsets by UTC day (tz_offset is a libc call per
 * instant otherwise) and the "YYYY-MM-DD" text of local days — since an
 * export formats a dozen instants per row, mostly on nearby days. */
struct export_fmt {
	int pii;
	int64_t rowno;			/* rows written so far */
	int64_t tz_day[EXPORT_TZ_SLOTS];
	int tz_off[EXPORT_TZ_SLOTS];
	int64_t day_key[EXPORT_DAY_SLOTS];
	char day_txt[EXPORT_DAY_SLOTS][11];
};

void export_fmt_init(struct export_fmt *f, int pii);
/* The office's offset at instant t (cached per day). */
int export_offset(struct export_fmt *f, int64_t t);
/* An instant as a spreadsheet serial date in local time (days since
 * 1899-12-30). */
double export_excel_time(struct export_fmt *f, int64_t t);

/* The text of column col of a row (masked, named or formatted as its type
 * says) in scratch or borrowed from v; NULL for a null value. *len is set.
 * Not for EXT_INT / EXT_SEQNO (numbers). scratch has room for n >= 64. */
const char *export_text(struct export_fmt *f, int col, const struct export_value *v,
			char *scratch, size_t n, size_t *len);

/* BOM and the header row. */
void export_csv_header(struct buf *b);
/* One dossier as a CSV row (counts the row). */
void export_csv_row(struct export_fmt *f, struct buf *b, const struct export_value *v);
/* One dossier as a JSON Lines line (counts the row). */
void export_jsonl_row(struct export_fmt *f, struct buf *b, const struct export_value *v);

/* Masking, exposed for the tests. out has room for n bytes. */
void export_mask_keep4(const char *s, char *out, size_t n);
void export_mask_email(const char *s, char *out, size_t n);
void export_mask_address(const char *s, char *out, size_t n);

/* ---- the periodic report ------------------------------------------------- */

#define EXPORT_REPORT_COLS 16
extern const struct export_col export_report_cols[EXPORT_REPORT_COLS];
/* Column i of a report row as a number (i >= 2), -1 for an N/A rate. */
double export_report_number(const struct report_row *r, int col);
/* The report as CSV: BOM, a title line, the header, one row per group and
 * the total. */
void export_report_csv(const struct report *rep, const char *title, struct buf *b);

/* ---- the history ------------------------------------------------------- */

#define EXPORT_EVENTS_TAG "motcua-events-v1"

/* Append a JSON string (quotes included) in the canonical escaping: \" \\
 * \b \f \n \r \t, \u00XX (lower-case hex) for other bytes below 0x20,
 * every other byte as it is. */
void export_json_string(struct buf *b, const char *s);
/* One history row, canonical, ending with '\n'. */
void export_event_line(struct buf *b, const struct audit_row *row,
		       const unsigned char hash[AUDIT_HASH_LEN]);
/* The trailer: the range [from_seq, to_seq] (to_seq = from_seq - 1 when
 * empty), the row count and the last row's hash (NULL when empty). */
void export_event_trailer(struct buf *b, int64_t from_seq, int64_t to_seq, int64_t rows,
			  const unsigned char *last_hash);

#endif
