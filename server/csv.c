/*
 * motcua — csv: RFC 4180 reading from a FILE and writing into a buf.
 */
#include "csv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* get() results besides a byte value 0..255. */
#define IN_EOF (-1)
#define IN_BAD (-2)	/* an error was recorded in r->err */

struct csv_reader {
	FILE *f;
	size_t line;		/* line of the byte get() returned last */
	int newline_seen;	/* the last byte was LF: next byte is on line+1 */
	int failed;		/* errors are sticky: a broken file stays broken */
	int at_eof;
	/* Bytes read ahead while looking for a BOM, replayed by get(). */
	unsigned char pending[3];
	size_t npending, ipending;
	/* UTF-8 validation state carried from byte to byte, so the error
	 * names the line of the offending byte even inside quoted fields. */
	int utf8_need;
	unsigned char utf8_lo, utf8_hi;
	/* The current row: fields back to back, each NUL-terminated. Offsets
	 * rather than pointers while the row grows, since the buffer moves. */
	struct buf row;
	size_t off[CSV_MAX_FIELDS];
	char *field[CSV_MAX_FIELDS];
	size_t nfields;
	size_t field_len;	/* bytes of the field being read */
	char err[160];
};

static int fail(struct csv_reader *r, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct csv_reader *r, size_t line, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, sizeof(r->err), "line %zu: %s", line, msg);
	r->failed = 1;
	return IN_BAD;
}

/*
 * Feed one byte to the UTF-8 checker (Unicode table 3-7: the allowed range
 * of the second byte depends on the first, which excludes overlong forms,
 * surrogates and code points above U+10FFFF). Returns 0 if still valid.
 */
static int utf8_step(struct csv_reader *r, unsigned char c)
{
	if (r->utf8_need > 0) {
		if (c < r->utf8_lo || c > r->utf8_hi)
			return -1;
		r->utf8_need--;
		r->utf8_lo = 0x80;
		r->utf8_hi = 0xBF;
		return 0;
	}
	r->utf8_lo = 0x80;
	r->utf8_hi = 0xBF;
	if (c < 0x80)
		return 0;
	if (c >= 0xC2 && c <= 0xDF) {
		r->utf8_need = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		r->utf8_need = 2;
		if (c == 0xE0)
			r->utf8_lo = 0xA0;
		else if (c == 0xED)
			r->utf8_hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		r->utf8_need = 3;
		if (c == 0xF0)
			r->utf8_lo = 0x90;
		else if (c == 0xF4)
			r->utf8_hi = 0x8F;
	} else {
		return -1;
	}
	return 0;
}

static int raw_get(struct csv_reader *r)
{
	if (r->ipending < r->npending)
		return r->pending[r->ipending++];
	return getc(r->f);
}

/*
 * The next input byte, checked: every byte (delimiters included) goes
 * through the UTF-8 and NUL checks, so "\xC3," is caught as truncated.
 */
static int get(struct csv_reader *r)
{
	int c;

	if (r->at_eof)
		return IN_EOF;
	c = raw_get(r);
	if (r->newline_seen) {
		r->line++;
		r->newline_seen = 0;
	}
	if (c == EOF) {
		if (ferror(r->f))
			return fail(r, r->line, "read error");
		r->at_eof = 1;
		if (r->utf8_need > 0)
			return fail(r, r->line, "truncated UTF-8 sequence");
		return IN_EOF;
	}
	if (c == '\0')
		return fail(r, r->line, "NUL byte");
	if (utf8_step(r, (unsigned char)c) != 0)
		return fail(r, r->line, "invalid UTF-8");
	if (c == '\n')
		r->newline_seen = 1;
	return c;
}

/* Skip a byte-order mark, but only as the very first bytes of the file. */
static void skip_bom(struct csv_reader *r)
{
	static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
	int c;

	while (r->npending < 3) {
		c = getc(r->f);
		if (c == EOF)
			break;
		r->pending[r->npending++] = (unsigned char)c;
		if (r->pending[r->npending - 1] != bom[r->npending - 1])
			return;
	}
	if (r->npending == 3)
		r->ipending = 3;
}

struct csv_reader *csv_reader_open(FILE *f)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));

	r->f = f;
	r->line = 1;
	skip_bom(r);
	return r;
}

const char *csv_error(const struct csv_reader *r)
{
	return r->err;
}

void csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	buf_release(&r->row);
	free(r);
}

static int field_begin(struct csv_reader *r)
{
	if (r->nfields == CSV_MAX_FIELDS)
		return fail(r, r->line, "more than %d fields", CSV_MAX_FIELDS);
	r->off[r->nfields++] = r->row.len;
	r->field_len = 0;
	return 0;
}

static int field_add(struct csv_reader *r, int c)
{
	if (++r->field_len > CSV_MAX_FIELD)
		return fail(r, r->line, "field longer than %d bytes",
			    CSV_MAX_FIELD);
	buf_addc(&r->row, (char)c);
	return 0;
}

static void field_end(struct csv_reader *r)
{
	buf_addc(&r->row, '\0');
}

/*
 * A CR outside quotes must start a CRLF; given the CR already read,
 * returns '\n' or IN_BAD.
 */
static int expect_lf(struct csv_reader *r, const char *what)
{
	size_t line = r->line;
	int c = get(r);

	if (c == IN_BAD)
		return IN_BAD;
	if (c != '\n')
		return fail(r, line, "%s", what);
	return '\n';
}

/*
 * Read a quoted field whose opening quote was just read. Returns the byte
 * after the closing quote (a comma, LF or IN_EOF), or IN_BAD.
 */
static int read_quoted(struct csv_reader *r)
{
	size_t open_line = r->line;
	int c;

	for (;;) {
		c = get(r);
		if (c == IN_BAD)
			return IN_BAD;
		if (c == IN_EOF)
			return fail(r, open_line, "unterminated quoted field");
		if (c == '"') {
			c = get(r);
			if (c != '"')
				break;
		}
		if (field_add(r, c) != 0)
			return IN_BAD;
	}
	if (c == '\r')
		return expect_lf(r, "unexpected character after closing quote");
	if (c == ',' || c == '\n' || c == IN_EOF || c == IN_BAD)
		return c;
	return fail(r, r->line, "unexpected character after closing quote");
}

/*
 * Read an unquoted field starting with c (already read). A quote inside
 * such a field is kept as data, as most spreadsheets do. Returns the
 * delimiter that ended it (comma, LF, IN_EOF) or IN_BAD.
 */
static int read_plain(struct csv_reader *r, int c)
{
	for (;;) {
		if (c == ',' || c == '\n' || c == IN_EOF || c == IN_BAD)
			return c;
		if (c == '\r')
			return expect_lf(r, "carriage return without line feed");
		if (field_add(r, c) != 0)
			return IN_BAD;
		c = get(r);
	}
}

/* The first byte of the next row, skipping empty lines; IN_EOF at end. */
static int row_start(struct csv_reader *r)
{
	int c;

	for (;;) {
		c = get(r);
		if (c == '\r')
			c = expect_lf(r, "carriage return without line feed");
		if (c != '\n')
			return c;
	}
}

static void row_publish(struct csv_reader *r, struct csv_row *row,
			size_t line)
{
	for (size_t i = 0; i < r->nfields; i++)
		r->field[i] = r->row.data + r->off[i];
	row->field = r->field;
	row->n = r->nfields;
	row->line = line;
}

int csv_read(struct csv_reader *r, struct csv_row *row)
{
	size_t line;
	int c;

	if (r->failed)
		return -1;
	buf_reset(&r->row);
	r->nfields = 0;
	c = row_start(r);
	if (c == IN_BAD)
		return -1;
	if (c == IN_EOF)
		return 0;
	line = r->line;
	for (;;) {
		if (field_begin(r) != 0)
			return -1;
		if (c == '"')
			c = read_quoted(r);
		else
			c = read_plain(r, c);
		if (c == IN_BAD)
			return -1;
		field_end(r);
		if (c != ',')
			break;
		c = get(r);
	}
	row_publish(r, row, line);
	return 1;
}

int csv_column(const struct csv_row *header, const char *name)
{
	for (size_t i = 0; i < header->n && i < CSV_MAX_FIELDS; i++)
		if (strcmp(header->field[i], name) == 0)
			return (int)i;
	return -1;
}

void csv_put_bom(struct buf *b)
{
	buf_add(b, "\xEF\xBB\xBF", 3);
}

/* Spreadsheets run a cell starting with one of these as a formula. */
static int looks_like_formula(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

void csv_put(struct buf *b, const char *s, int first)
{
	int quote;

	if (!first)
		buf_addc(b, ',');
	if (!s)
		return;
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_addc(b, '"');
	if (looks_like_formula(s))
		buf_addc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	if (quote)
		buf_addc(b, '"');
}

void csv_put_int(struct buf *b, long long v, int first)
{
	if (!first)
		buf_addc(b, ',');
	buf_printf(b, "%lld", v);
}

void csv_end_row(struct buf *b)
{
	buf_add(b, "\r\n", 2);
}
