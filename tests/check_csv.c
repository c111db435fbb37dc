/*
 * motcua tests — csv: reading, rejections with line numbers, writing,
 * formula neutralisation, round trips and the shipped demo files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "tests.h"
#include "util.h"

/* A FILE holding exactly len bytes of s (tmpfile: NULs and empty inputs
 * work, which fmemopen does not guarantee). */
static FILE *mem_file(const char *s, size_t len)
{
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	if (len)
		ck_assert_uint_eq(fwrite(s, 1, len, f), len);
	rewind(f);
	return f;
}

/* Read all of s; returns the number of rows, or -1 with the error copied
 * into err. */
static int read_count(const char *s, size_t len, char *err, size_t errn)
{
	FILE *f = mem_file(s, len);
	struct csv_reader *r = csv_reader_open(f);
	struct csv_row row;
	int n = 0, rc;

	while ((rc = csv_read(r, &row)) == 1)
		n++;
	if (rc < 0) {
		strlcpy_(err, csv_error(r), errn);
		n = -1;
		/* Errors are sticky. */
		ck_assert_int_eq(csv_read(r, &row), -1);
	}
	csv_reader_free(r);
	fclose(f);
	return n;
}

static void expect_error(const char *s, size_t len, const char *want)
{
	char err[200] = "";

	ck_assert_int_eq(read_count(s, len, err, sizeof(err)), -1);
	ck_assert_str_eq(err, want);
}

#define EXPECT_ERROR(lit, want) expect_error(lit, sizeof(lit) - 1, want)

static int count_ok(const char *s, size_t len)
{
	char err[200] = "";
	int n = read_count(s, len, err, sizeof(err));

	ck_assert_msg(n >= 0, "unexpected error: %s", err);
	return n;
}

START_TEST(test_basic_rows)
{
	static const char in[] = "a,b,c\r\n1,2,3\nx,,\n";
	FILE *f = mem_file(in, sizeof(in) - 1);
	struct csv_reader *r = csv_reader_open(f);
	struct csv_row row;

	ck_assert_str_eq(csv_error(r), "");
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.n, 3);
	ck_assert_uint_eq(row.line, 1);
	ck_assert_str_eq(row.field[0], "a");
	ck_assert_str_eq(row.field[2], "c");
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.line, 2);
	ck_assert_str_eq(row.field[1], "2");
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.line, 3);
	ck_assert_uint_eq(row.n, 3);
	ck_assert_str_eq(row.field[0], "x");
	ck_assert_str_eq(row.field[1], "");
	ck_assert_str_eq(row.field[2], "");
	ck_assert_int_eq(csv_read(r, &row), 0);
	ck_assert_int_eq(csv_read(r, &row), 0);
	ck_assert_str_eq(csv_error(r), "");
	csv_reader_free(r);
	fclose(f);
}
END_TEST

START_TEST(test_last_row_without_newline)
{
	static const char in[] = "a,b\nc,d";
	FILE *f = mem_file(in, sizeof(in) - 1);
	struct csv_reader *r = csv_reader_open(f);
	struct csv_row row;

	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.n, 2);
	ck_assert_str_eq(row.field[1], "d");
	ck_assert_int_eq(csv_read(r, &row), 0);
	csv_reader_free(r);
	fclose(f);
	/* A trailing comma at EOF is an empty last field. */
	ck_assert_int_eq(count_ok("a,", 2), 1);
	ck_assert_int_eq(count_ok("", 0), 0);
}
END_TEST

START_TEST(test_quoted_fields)
{
	static const char in[] =
		"\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\",\"c1\r\nc2\"\r\n"
		"\"\",x\n"
		"next\n";
	FILE *f = mem_file(in, sizeof(in) - 1);
	struct csv_reader *r = csv_reader_open(f);
	struct csv_row row;

	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.line, 1);
	ck_assert_uint_eq(row.n, 4);
	ck_assert_str_eq(row.field[0], "a,b");
	ck_assert_str_eq(row.field[1], "say \"hi\"");
	ck_assert_str_eq(row.field[2], "l1\nl2");
	ck_assert_str_eq(row.field[3], "c1\r\nc2");
	ck_assert_int_eq(csv_read(r, &row), 1);
	/* The two quoted newlines count: this row starts on line 4. */
	ck_assert_uint_eq(row.line, 4);
	ck_assert_uint_eq(row.n, 2);
	ck_assert_str_eq(row.field[0], "");
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.line, 5);
	ck_assert_str_eq(row.field[0], "next");
	ck_assert_int_eq(csv_read(r, &row), 0);
	csv_reader_free(r);
	fclose(f);
}
END_TEST

START_TEST(test_quote_inside_plain_field_is_data)
{
	static const char in[] = "ab\"c,d\n";
	FILE *f = mem_file(in, sizeof(in) - 1);
	struct csv_reader *r = csv_reader_open(f);
	struct csv_row row;

	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.n, 2);
	ck_assert_str_eq(row.field[0], "ab\"c");
	csv_reader_free(r);
	fclose(f);
}
END_TEST

START_TEST(test_empty_lines_skipped)
{
	static const char in[] = "\n\r\na\n\n\nb,c\r\n\r\n";
	FILE *f = mem_file(in, sizeof(in) - 1);
	struct csv_reader *r = csv_reader_open(f);
	struct csv_row row;

	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.line, 3);
	ck_assert_uint_eq(row.n, 1);
	ck_assert_str_eq(row.field[0], "a");
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.line, 6);
	ck_assert_uint_eq(row.n, 2);
	ck_assert_int_eq(csv_read(r, &row), 0);
	csv_reader_free(r);
	fclose(f);
	/* A line of spaces is a row, not an empty line. */
	ck_assert_int_eq(count_ok(" \n", 2), 1);
}
END_TEST

START_TEST(test_bom)
{
	static const char with[] = "\xEF\xBB\xBFname,x\n";
	static const char middle[] = "a\n\xEF\xBB\xBF" "b\n";
	static const char twice[] = "\xEF\xBB\xBF\xEF\xBB\xBF" "a\n";
	struct csv_reader *r;
	struct csv_row row;
	FILE *f;

	f = mem_file(with, sizeof(with) - 1);
	r = csv_reader_open(f);
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_str_eq(row.field[0], "name");
	ck_assert_int_eq(csv_column(&row, "name"), 0);
	csv_reader_free(r);
	fclose(f);

	f = mem_file("name\n", 5);
	r = csv_reader_open(f);
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_str_eq(row.field[0], "name");
	csv_reader_free(r);
	fclose(f);

	/* Later in the file the BOM bytes are data (U+FEFF). */
	f = mem_file(middle, sizeof(middle) - 1);
	r = csv_reader_open(f);
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_str_eq(row.field[0], "\xEF\xBB\xBF" "b");
	csv_reader_free(r);
	fclose(f);

	/* Only one BOM is skipped. */
	f = mem_file(twice, sizeof(twice) - 1);
	r = csv_reader_open(f);
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_str_eq(row.field[0], "\xEF\xBB\xBF" "a");
	csv_reader_free(r);
	fclose(f);

	ck_assert_int_eq(count_ok("\xEF\xBB\xBF", 3), 0);
	ck_assert_int_eq(count_ok("\xEF\xBB\xBF\r\n", 5), 0);
	/* Short inputs that start like a BOM are read back as they are. */
	ck_assert_int_eq(count_ok("a", 1), 1);
	EXPECT_ERROR("\xEF\xBB", "line 1: truncated UTF-8 sequence");
	EXPECT_ERROR("\xEF\xBBx\n", "line 1: invalid UTF-8");
}
END_TEST

START_TEST(test_reject_invalid_utf8)
{
	EXPECT_ERROR("h\nb\xC0\xAF\n", "line 2: invalid UTF-8");
	EXPECT_ERROR("h\n\n\"x\",\xE0\x80\xAF\n", "line 3: invalid UTF-8");
	EXPECT_ERROR("h\nx\n\xED\xA0\x80\n", "line 3: invalid UTF-8");
	EXPECT_ERROR("\xF4\x90\x80\x80\n", "line 1: invalid UTF-8");
	EXPECT_ERROR("a,\x80\n", "line 1: invalid UTF-8");
	EXPECT_ERROR("a\n\xFF\n", "line 2: invalid UTF-8");
	EXPECT_ERROR("a\n\xF5\x80\x80\x80\n", "line 2: invalid UTF-8");
	/* Truncated: by a delimiter, by a newline, by the end of the file. */
	EXPECT_ERROR("\xC3,b\n", "line 1: invalid UTF-8");
	EXPECT_ERROR("a\nb\xE1\x80\nc\n", "line 2: invalid UTF-8");
	EXPECT_ERROR("a\nb\xF0\x9F\x98", "line 2: truncated UTF-8 sequence");
	/* Inside a multi-line quoted field the line is the byte's own. */
	EXPECT_ERROR("h\n\"x\ny\xC0\"\n", "line 3: invalid UTF-8");
}
END_TEST

START_TEST(test_accept_valid_utf8)
{
	static const char in[] =
		"Ủy ban nhân dân phường Quảng Hưng,\xF0\x9F\x98\x80,"
		"\xF4\x8F\xBF\xBF,\xEF\xBF\xBD,\xED\x9F\xBF\n";
	FILE *f = mem_file(in, sizeof(in) - 1);
	struct csv_reader *r = csv_reader_open(f);
	struct csv_row row;

	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.n, 5);
	ck_assert_str_eq(row.field[0], "Ủy ban nhân dân phường Quảng Hưng");
	ck_assert_str_eq(row.field[1], "\xF0\x9F\x98\x80");
	ck_assert_str_eq(row.field[2], "\xF4\x8F\xBF\xBF");
	csv_reader_free(r);
	fclose(f);
}
END_TEST

START_TEST(test_reject_nul)
{
	EXPECT_ERROR("a\nb\0c\n", "line 2: NUL byte");
	EXPECT_ERROR("a\n\"b\n\0\"\n", "line 3: NUL byte");
}
END_TEST

START_TEST(test_reject_unterminated_quote)
{
	EXPECT_ERROR("a\n\"abc\ndef\n", "line 2: unterminated quoted field");
	EXPECT_ERROR("x,\"", "line 1: unterminated quoted field");
	EXPECT_ERROR("a\nb,\"c\"\"\n", "line 2: unterminated quoted field");
}
END_TEST

START_TEST(test_reject_after_closing_quote)
{
	EXPECT_ERROR("a\n\"abc\"x,d\n",
		     "line 2: unexpected character after closing quote");
	EXPECT_ERROR("a\n\"abc\" ,d\n",
		     "line 2: unexpected character after closing quote");
	EXPECT_ERROR("h\n\"a\nb\"c\n",
		     "line 3: unexpected character after closing quote");
	EXPECT_ERROR("\"a\"\rb\n",
		     "line 1: unexpected character after closing quote");
}
END_TEST

START_TEST(test_reject_bare_cr)
{
	EXPECT_ERROR("a\nb\rc\n", "line 2: carriage return without line feed");
	EXPECT_ERROR("a\n\r", "line 2: carriage return without line feed");
}
END_TEST

/* s of n bytes of 'x', then the given tail. */
static char *repeat(size_t n, const char *head, const char *tail)
{
	size_t h = strlen(head), t = strlen(tail);
	char *s = xmalloc(h + n + t + 1);

	memcpy(s, head, h);
	memset(s + h, 'x', n);
	memcpy(s + h + n, tail, t + 1);
	return s;
}

START_TEST(test_field_length_limit)
{
	char *s;

	s = repeat(CSV_MAX_FIELD, "a\n", "\n");
	ck_assert_int_eq(count_ok(s, strlen(s)), 2);
	free(s);
	s = repeat(CSV_MAX_FIELD, "a\n\"", "\"\n");
	ck_assert_int_eq(count_ok(s, strlen(s)), 2);
	free(s);
	s = repeat(CSV_MAX_FIELD + 1, "a\nb\n", ",c\n");
	expect_error(s, strlen(s), "line 3: field longer than 65536 bytes");
	free(s);
	s = repeat(CSV_MAX_FIELD + 1, "a\n\"", "\"\n");
	expect_error(s, strlen(s), "line 2: field longer than 65536 bytes");
	free(s);
}
END_TEST

START_TEST(test_field_count_limit)
{
	struct buf b = BUF_INIT;
	FILE *f;
	struct csv_reader *r;
	struct csv_row row;

	buf_adds(&b, "h\n");
	for (int i = 0; i < CSV_MAX_FIELDS; i++)
		csv_put_int(&b, i, i == 0);
	buf_adds(&b, "\n");
	f = mem_file(b.data, b.len);
	r = csv_reader_open(f);
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.n, CSV_MAX_FIELDS);
	ck_assert_str_eq(row.field[255], "255");
	csv_reader_free(r);
	fclose(f);

	/* One more (an empty one after a trailing comma) is too many. */
	b.len--;
	buf_adds(&b, ",\n");
	expect_error(b.data, b.len, "line 2: more than 256 fields");
	buf_release(&b);
}
END_TEST

START_TEST(test_column)
{
	static const char in[] = "code,name,Level,parent_code\n";
	FILE *f = mem_file(in, sizeof(in) - 1);
	struct csv_reader *r = csv_reader_open(f);
	struct csv_row row;

	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_int_eq(csv_column(&row, "code"), 0);
	ck_assert_int_eq(csv_column(&row, "name"), 1);
	ck_assert_int_eq(csv_column(&row, "parent_code"), 3);
	ck_assert_int_eq(csv_column(&row, "level"), -1);
	ck_assert_int_eq(csv_column(&row, "parent"), -1);
	ck_assert_int_eq(csv_column(&row, ""), -1);
	csv_reader_free(r);
	fclose(f);
}
END_TEST

/* What csv_put writes for s as the first field. */
static void expect_put(const char *s, const char *want)
{
	struct buf b = BUF_INIT;

	csv_put(&b, s, 1);
	ck_assert_str_eq(buf_cstr(&b), want);
	buf_release(&b);
}

START_TEST(test_writer_quoting)
{
	struct buf b = BUF_INIT;

	expect_put("plain", "plain");
	expect_put("Quảng Trị", "Quảng Trị");
	expect_put("a,b", "\"a,b\"");
	expect_put("say \"hi\"", "\"say \"\"hi\"\"\"");
	expect_put("l1\nl2", "\"l1\nl2\"");
	expect_put("c\r", "\"c\r\"");
	expect_put("", "");
	expect_put(NULL, "");

	csv_put(&b, "a", 1);
	csv_put(&b, NULL, 0);
	csv_put(&b, "", 0);
	csv_put_int(&b, -42, 0);
	csv_put_int(&b, 9007199254740993LL, 0);
	csv_end_row(&b);
	csv_put_int(&b, 0, 1);
	csv_end_row(&b);
	ck_assert_str_eq(buf_cstr(&b), "a,,,-42,9007199254740993\r\n0\r\n");
	buf_reset(&b);
	csv_put_bom(&b);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(memcmp(b.data, "\xEF\xBB\xBF", 3), 0);
	buf_release(&b);
}
END_TEST

START_TEST(test_writer_formula_neutralised)
{
	expect_put("=1+2", "'=1+2");
	expect_put("+84 234", "'+84 234");
	expect_put("-5", "'-5");
	expect_put("@SUM(A1)", "'@SUM(A1)");
	expect_put("\tx", "'\tx");
	expect_put("\rx", "\"'\rx\"");
	/* Neutralised and quoted. */
	expect_put("=HYPERLINK(\"http://x\",\"y\")",
		   "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	expect_put("-1,2", "\"'-1,2\"");
	/* Only the first character matters. */
	expect_put("a=b", "a=b");
	expect_put(" =1", " =1");
	expect_put("'=1", "'=1");
}
END_TEST

START_TEST(test_writer_ints_unaltered)
{
	struct buf b = BUF_INIT;

	csv_put_int(&b, -5, 1);
	csv_put_int(&b, -9223372036854775807LL - 1, 0);
	ck_assert_str_eq(buf_cstr(&b), "-5,-9223372036854775808");
	buf_release(&b);
}
END_TEST

static const char *const trip[][4] = {
	{ "Ủy ban nhân dân phường Quảng Hưng", "Hộ tịch", "", "1" },
	{ "a,b", "say \"xin chào\"", "dòng 1\ndòng 2", "x\r\ny" },
	{ "\"", ",", "\"\"", " space " },
	{ "Đăng ký khai sinh", "\xF0\x9F\x98\x80", "\n", "ưu tiên" },
};

START_TEST(test_round_trip)
{
	struct buf b = BUF_INIT;
	struct csv_reader *r;
	struct csv_row row;
	FILE *f;

	csv_put_bom(&b);
	for (size_t i = 0; i < ARRAY_LEN(trip); i++) {
		for (size_t j = 0; j < 4; j++)
			csv_put(&b, trip[i][j], j == 0);
		csv_end_row(&b);
	}
	f = mem_file(b.data, b.len);
	r = csv_reader_open(f);
	for (size_t i = 0; i < ARRAY_LEN(trip); i++) {
		ck_assert_int_eq(csv_read(r, &row), 1);
		ck_assert_uint_eq(row.n, 4);
		for (size_t j = 0; j < 4; j++)
			ck_assert_str_eq(row.field[j], trip[i][j]);
	}
	ck_assert_int_eq(csv_read(r, &row), 0);
	ck_assert_str_eq(csv_error(r), "");
	csv_reader_free(r);
	fclose(f);
	buf_release(&b);
}
END_TEST

START_TEST(test_round_trip_long_field)
{
	struct buf b = BUF_INIT, w = BUF_INIT;
	struct csv_reader *r;
	struct csv_row row;
	FILE *f;

	/* 2-byte characters and quotes up to exactly the limit after
	 * unquoting: "ư" is 2 bytes, "\"" becomes one byte. */
	while (b.len + 3 <= CSV_MAX_FIELD)
		buf_adds(&b, "ư\"");
	while (b.len < CSV_MAX_FIELD)
		buf_addc(&b, ',');
	ck_assert_uint_eq(b.len, CSV_MAX_FIELD);
	csv_put(&w, b.data, 1);
	csv_put(&w, "tail", 0);
	csv_end_row(&w);
	f = mem_file(w.data, w.len);
	r = csv_reader_open(f);
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.n, 2);
	ck_assert_uint_eq(strlen(row.field[0]), CSV_MAX_FIELD);
	ck_assert_int_eq(memcmp(row.field[0], b.data, b.len), 0);
	ck_assert_str_eq(row.field[1], "tail");
	csv_reader_free(r);
	fclose(f);
	buf_release(&b);
	buf_release(&w);
}
END_TEST

/* Read a demo file: every row as wide as the header, the header holding
 * the named columns; returns the number of data rows. */
static int read_demo(const char *path, const char *const *cols)
{
	FILE *f = fopen(path, "rb");
	struct csv_reader *r;
	struct csv_row row;
	size_t width;
	int rows = 0, rc;

	ck_assert_msg(f != NULL, "cannot open %s (run from the repo root)",
		      path);
	r = csv_reader_open(f);
	ck_assert_int_eq(csv_read(r, &row), 1);
	width = row.n;
	for (size_t i = 0; cols[i]; i++)
		ck_assert_int_eq(csv_column(&row, cols[i]), (int)i);
	while ((rc = csv_read(r, &row)) == 1) {
		ck_assert_uint_eq(row.n, width);
		rows++;
	}
	ck_assert_msg(rc == 0, "%s: %s", path, csv_error(r));
	csv_reader_free(r);
	fclose(f);
	return rows;
}

START_TEST(test_demo_procedures)
{
	static const char *const cols[] = {
		"national_code", "name", "field", "level", "time_limit_value",
		"time_limit_unit", "fee_vnd", "online_level", "legal_basis",
		"source", "note", "dvcqg_levels", "time_limit_raw", NULL,
	};

	ck_assert_int_eq(read_demo("schema/demo/procedures.csv", cols), 113);
}
END_TEST

START_TEST(test_demo_calendar)
{
	static const char *const cols[] = {
		"date", "working", "note", "source", "weekday", "kind",
		"status", NULL,
	};

	ck_assert_int_eq(read_demo("schema/demo/calendar-vn.csv", cols), 64);
}
END_TEST

START_TEST(test_demo_agencies)
{
	static const char *const cols[] = {
		"code", "name", "level", "parent_code", "source",
		"code_status", "gso_code", "valid_from", "valid_to", "note",
		NULL,
	};

	ck_assert_int_eq(read_demo("schema/demo/agencies-demo.csv", cols), 58);
}
END_TEST

Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *read = tcase_create("read");
	TCase *reject = tcase_create("reject");
	TCase *write = tcase_create("write");
	TCase *demo = tcase_create("demo");

	tcase_add_test(read, test_basic_rows);
	tcase_add_test(read, test_last_row_without_newline);
	tcase_add_test(read, test_quoted_fields);
	tcase_add_test(read, test_quote_inside_plain_field_is_data);
	tcase_add_test(read, test_empty_lines_skipped);
	tcase_add_test(read, test_bom);
	tcase_add_test(read, test_accept_valid_utf8);
	tcase_add_test(read, test_column);
	suite_add_tcase(s, read);

	tcase_add_test(reject, test_reject_invalid_utf8);
	tcase_add_test(reject, test_reject_nul);
	tcase_add_test(reject, test_reject_unterminated_quote);
	tcase_add_test(reject, test_reject_after_closing_quote);
	tcase_add_test(reject, test_reject_bare_cr);
	tcase_add_test(reject, test_field_length_limit);
	tcase_add_test(reject, test_field_count_limit);
	suite_add_tcase(s, reject);

	tcase_add_test(write, test_writer_quoting);
	tcase_add_test(write, test_writer_formula_neutralised);
	tcase_add_test(write, test_writer_ints_unaltered);
	tcase_add_test(write, test_round_trip);
	tcase_add_test(write, test_round_trip_long_field);
	suite_add_tcase(s, write);

	tcase_add_test(demo, test_demo_procedures);
	tcase_add_test(demo, test_demo_calendar);
	tcase_add_test(demo, test_demo_agencies);
	suite_add_tcase(s, demo);
	return s;
}
