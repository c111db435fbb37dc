/*
 * motcua fuzz — the CSV reader and writer.
 *
 * The first byte chooses:
 *   even: the rest is a CSV file for the reader (as `motcua calendar
 *         import` and the demo loader read them). Every row it returns has
 *         at most CSV_MAX_FIELDS fields of valid UTF-8, each at most
 *         CSV_MAX_FIELD bytes; a refusal says why, with a line number.
 *   odd:  the rest is a table of strings (0x1E ends a row, 0x1F a field);
 *         the writer turns it into CSV the way exports do (a BOM first),
 *         and the reader must give back exactly the same table: a cell
 *         that starts with = + - @ TAB or CR comes back with the ' the
 *         writer puts in front (CSV injection), and a row of one empty
 *         cell is an empty line, which the reader skips. Cells that are
 *         not valid UTF-8 are left out (exports hold database text).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "fuzz_csv: broken promise: %s (line %d)\n", #cond, \
				__LINE__);                                            \
			abort();                                                      \
		}                                                                     \
	} while (0)

static void read_only(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)(uintptr_t)(size ? data : (const uint8_t *)""), size ? size : 1, "r");
	struct csv_row row;
	int rc, rows = 0;
	if (!f)
		return;
	struct csv_reader *r = csv_reader_open(f);
	while ((rc = csv_read(r, &row)) == 1 && rows++ < 100000) {
		CHECK(row.n >= 1 && row.n <= CSV_MAX_FIELDS);
		for (size_t i = 0; i < row.n; i++) {
			size_t len = strlen(row.field[i]);
			CHECK(len <= CSV_MAX_FIELD);
			CHECK(json_utf8_valid(row.field[i], len));
		}
	}
	if (rc < 0)
		CHECK(strncmp(csv_error(r), "line ", 5) == 0);
	csv_reader_free(r);
	fclose(f);
}

static int formula(const char *s)
{
	return *s && strchr("=+-@\t\r", *s);
}

static void round_trip(const uint8_t *data, size_t size)
{
	/* Split into rows of cells. */
	enum { MAX_ROWS = 64, MAX_CELLS = 32 };
	char *copy = malloc(size + 1);
	char *cells[MAX_ROWS][MAX_CELLS];
	size_t ncells[MAX_ROWS] = { 0 }, nrows = 0;
	struct buf out = BUF_INIT;
	memcpy(copy, data, size);
	copy[size] = '\0';
	char *p = copy, *end = copy + size;
	while (p <= end && nrows < MAX_ROWS) {
		char *row_end = memchr(p, 0x1E, (size_t)(end - p));
		if (!row_end)
			row_end = end;
		*row_end = '\0';
		size_t n = 0;
		for (char *c = p; n < MAX_CELLS;) {
			char *cell_end = strchr(c, 0x1F);
			if (cell_end)
				*cell_end = '\0';
			if (json_utf8_valid(c, strlen(c)))
				cells[nrows][n++] = c;
			if (!cell_end)
				break;
			c = cell_end + 1;
		}
		/* A row of one empty cell is an empty line: skipped on reading. */
		if (n > 0 && !(n == 1 && cells[nrows][0][0] == '\0'))
			ncells[nrows++] = n;
		p = row_end + 1;
	}
	/* Write as an export does. */
	csv_put_bom(&out);
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < ncells[r]; c++)
			csv_put(&out, cells[r][c], c == 0);
		csv_end_row(&out);
	}
	/* Read it back. */
	FILE *f = fmemopen(out.len ? out.data : (char *)"", out.len ? out.len : 1, "r");
	CHECK(f != NULL);
	struct csv_reader *rd = csv_reader_open(f);
	struct csv_row row;
	for (size_t r = 0; r < nrows; r++) {
		int rc = csv_read(rd, &row);
		if (rc != 1)
			fprintf(stderr, "row %zu: %d %s\n", r, rc, csv_error(rd));
		CHECK(rc == 1);
		CHECK(row.n == ncells[r]);
		for (size_t c = 0; c < ncells[r]; c++) {
			const char *want = cells[r][c], *got = row.field[c];
			if (formula(want)) {
				CHECK(got[0] == '\'');
				got++;
			}
			CHECK(strcmp(got, want) == 0);
		}
	}
	CHECK(csv_read(rd, &row) == 0);
	csv_reader_free(rd);
	fclose(f);
	buf_release(&out);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		round_trip(data + 1, size - 1);
	else
		read_only(data + 1, size - 1);
	return 0;
}
