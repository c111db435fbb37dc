/*
 * motcua — xlsx: tables through libxlsxwriter in constant_memory mode.
 */
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "util.h"

#define XLSX_MAX_CHARS 32767	/* Excel's limit for one cell */

struct xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *date, *bold;
	const struct export_col *cols;
	int ncols;
	char name[32];
	int sheets;		/* sheets opened so far */
	lxw_row_t row;		/* current row of the current sheet */
	lxw_row_t first_data;	/* first data row of the current sheet */
	int error;		/* the first libxlsxwriter error */
};

static void note(struct xlsx *x, lxw_error e)
{
	if (e != LXW_NO_ERROR && !x->error)
		x->error = (int)e;
}

/* A sheet with its header (and the title on the first). */
static void new_sheet(struct xlsx *x, const char *title)
{
	char name[64];
	x->sheets++;
	if (x->sheets == 1)
		snprintf(name, sizeof(name), "%s", x->name);
	else
		snprintf(name, sizeof(name), "%s (%d)", x->name, x->sheets);
	x->ws = workbook_add_worksheet(x->wb, name);
	if (!x->ws) {
		note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (int c = 0; c < x->ncols; c++)
		note(x, worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, x->cols[c].width, NULL));
	x->row = 0;
	if (title) {
		note(x, worksheet_write_string(x->ws, 0, 0, title, x->bold));
		x->row = 1;
	}
	note(x, worksheet_set_row(x->ws, x->row, 30, NULL));
	for (int c = 0; c < x->ncols; c++)
		note(x, worksheet_write_string(x->ws, x->row, (lxw_col_t)c, x->cols[c].label, x->head));
	worksheet_freeze_panes(x->ws, x->row + 1, 0);
	x->first_data = x->row + 1;
}

/* Close a sheet's table: a filter over the header and the rows written. */
static void end_sheet(struct xlsx *x)
{
	if (x->ws)
		note(x, worksheet_autofilter(x->ws, x->first_data - 1, 0,
					     x->row >= x->first_data ? x->row : x->first_data - 1,
					     (lxw_col_t)(x->ncols - 1)));
}

struct xlsx *xlsx_open(const char *path, const char *name, const char *title,
		       const struct export_col *cols, int ncols, int big, char *err, size_t n)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = NULL,
				     .use_zip64 = big ? LXW_TRUE : LXW_FALSE };
	struct xlsx *x = xcalloc(1, sizeof(*x));
	x->cols = cols;
	x->ncols = ncols;
	strlcpy_(x->name, name, sizeof(x->name));
	x->wb = workbook_new_opt(path, &opt);
	if (!x->wb) {
		snprintf(err, n, "cannot create the workbook %s", path);
		free(x);
		return NULL;
	}
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_text_wrap(x->head);
	format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);
	format_set_bg_color(x->head, 0xDDE7F2);
	format_set_border(x->head, LXW_BORDER_THIN);
	x->bold = workbook_add_format(x->wb);
	format_set_bold(x->bold);
	x->date = workbook_add_format(x->wb);
	format_set_num_format(x->date, "dd/mm/yyyy hh:mm");
	new_sheet(x, title);
	return x;
}

void xlsx_row(struct xlsx *x)
{
	if (!x->ws)
		return;
	if (x->row + 1 >= LXW_ROW_MAX) {
		end_sheet(x);
		new_sheet(x, NULL);
	}
	x->row++;
}

void xlsx_text(struct xlsx *x, int col, const char *s)
{
	if (!x->ws || !s || !*s)
		return;
	lxw_error e = worksheet_write_string(x->ws, x->row, (lxw_col_t)col, s, NULL);
	if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
		/* Keep the first 32,767 characters (UTF-8 lead bytes). */
		size_t i = 0, chars = 0;
		while (s[i] && chars < XLSX_MAX_CHARS) {
			i++;
			while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80)
				i++;
			chars++;
		}
		char *cut = xstrndup(s, i);
		e = worksheet_write_string(x->ws, x->row, (lxw_col_t)col, cut, NULL);
		free(cut);
	}
	note(x, e);
}

void xlsx_number(struct xlsx *x, int col, double v)
{
	if (x->ws)
		note(x, worksheet_write_number(x->ws, x->row, (lxw_col_t)col, v, NULL));
}

void xlsx_time(struct xlsx *x, int col, double serial)
{
	if (x->ws)
		note(x, worksheet_write_number(x->ws, x->row, (lxw_col_t)col, serial, x->date));
}

int xlsx_close(struct xlsx *x, char *err, size_t n)
{
	int rc = 0;
	if (!x)
		return 0;
	end_sheet(x);
	lxw_error e = workbook_close(x->wb);
	if (x->error || e != LXW_NO_ERROR) {
		snprintf(err, n, "cannot write the workbook: %s",
			 lxw_strerror(x->error ? (lxw_error)x->error : e));
		rc = -1;
	}
	free(x);
	return rc;
}
