/*
 * motcua — xlsx: one table written to an XLSX workbook (libxlsxwriter).
 *
 * The workbook is opened in constant_memory mode: each row goes to a
 * temporary file as soon as the next row starts, so memory stays flat
 * however many rows are written (the price: rows must be written in order,
 * which a table export does anyway). The first sheet gets an optional title
 * row, then a bold header row that stays frozen while scrolling, column
 * widths from the column table and an autofilter; times are real dates
 * (numbers with a dd/mm/yyyy hh:mm format), so sorting and filtering by
 * date work in Excel and LibreOffice. A sheet holds at most 1,048,576 rows
 * (Excel's limit); further rows go to "<name> (2)", "(3)"… each with its
 * own header.
 *
 * Ownership: xlsx_open gives a writer that xlsx_close finishes (writes the
 * file) and frees, whatever the outcome. Strings are copied by the library.
 */
#ifndef MOTCUA_XLSX_H
#define MOTCUA_XLSX_H

#include <stddef.h>

#include "export.h"

struct xlsx;

/* A new workbook at path with one sheet called name (at most 25
 * characters) and the columns cols[0..ncols). title: NULL or a line above
 * the header. big: use ZIP64 (needed past ~4 GiB of sheet XML). NULL with
 * a message on failure. */
struct xlsx *xlsx_open(const char *path, const char *name, const char *title,
		       const struct export_col *cols, int ncols, int big, char *err, size_t n);
/* Start the next data row. */
void xlsx_row(struct xlsx *x);
/* Cells of the current row. A text over Excel's 32,767 characters is cut. */
void xlsx_text(struct xlsx *x, int col, const char *s);
void xlsx_number(struct xlsx *x, int col, double v);
/* A date: a spreadsheet serial in local time (export_excel_time). */
void xlsx_time(struct xlsx *x, int col, double serial);
/* Write the file and free x. 0 ok, -1 with a message. */
int xlsx_close(struct xlsx *x, char *err, size_t n);

#endif
