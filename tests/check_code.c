/*
 * motcua tests — code: the national dossier code (Circular 01/2018 Art 19).
 */
#include <string.h>

#include "code.h"
#include "date.h"
#include "tests.h"

START_TEST(test_code_agency_shapes)
{
	/* V1V2V3.Z1Z2.Y1Y2.MX1X2 (QCVN 102:2016) */
	ck_assert_int_eq(code_agency_valid("000.17.22.H56"), 1);
	ck_assert_int_eq(code_agency_valid("000.A0.01.H26"), 1);
	ck_assert_int_eq(code_agency_valid("G09.20.AB.Z99"), 1);
	ck_assert_int_eq(code_agency_valid(""), 0);
	ck_assert_int_eq(code_agency_valid("000.17.22.h56"), 0);	/* lower case */
	ck_assert_int_eq(code_agency_valid("000.17.22.556"), 0);	/* M is a letter */
	ck_assert_int_eq(code_agency_valid("000.17.22.HA6"), 0);	/* X1X2 are digits */
	ck_assert_int_eq(code_agency_valid("000.17.22.H5"), 0);
	ck_assert_int_eq(code_agency_valid("000.17.22.H567"), 0);
	ck_assert_int_eq(code_agency_valid("000-17.22.H56"), 0);
	ck_assert_int_eq(code_agency_valid("000.17.22-H56"), 0);
	ck_assert_int_eq(code_agency_valid("00.017.22.H56"), 0);
	ck_assert_int_eq(code_agency_valid("000.17.22.H56 "), 0);
	ck_assert_int_eq(code_agency_valid("000.1 .22.H56"), 0);
	ck_assert_int_eq(code_agency_valid("000.17.2\xc3\xa9.H56"), 0);
}
END_TEST

START_TEST(test_code_format_national_examples)
{
	char out[CODE_LEN + 1];
	/* domain-rules §5: 000.17.22.H56-210531-0001, first of 31/05/2021. */
	ck_assert_int_eq(code_format("000.17.22.H56", date_from_civil(2021, 5, 31), 1, out), 0);
	ck_assert_str_eq(out, "000.17.22.H56-210531-0001");
	ck_assert_int_eq((int)strlen(out), CODE_LEN);
	ck_assert_int_eq(code_format("000.A0.01.H26", date_from_civil(2021, 2, 12), 9090, out), 0);
	ck_assert_str_eq(out, "000.A0.01.H26-210212-9090");
	ck_assert_int_eq(code_format("000.01.01.H56", date_from_civil(2026, 12, 31), 42, out), 0);
	ck_assert_str_eq(out, "000.01.01.H56-261231-0042");
	ck_assert_int_eq(code_format("000.01.01.H56", date_from_civil(2000, 1, 1), 9999, out), 0);
	ck_assert_str_eq(out, "000.01.01.H56-000101-9999");
	ck_assert_int_eq(code_format("000.01.01.H56", date_from_civil(2099, 12, 31), 1, out), 0);
	ck_assert_str_eq(out, "000.01.01.H56-991231-0001");
}
END_TEST

START_TEST(test_code_format_refuses)
{
	char out[CODE_LEN + 1] = "untouched";
	int32_t day = date_from_civil(2026, 11, 22);
	ck_assert_int_eq(code_format("000.01.01.H56", day, 0, out), -1);
	ck_assert_int_eq(code_format("000.01.01.H56", day, 10000, out), -1);
	ck_assert_int_eq(code_format("000.01.01.H56", day, -1, out), -1);
	ck_assert_int_eq(code_format("000.01.01.h56", day, 1, out), -1);
	ck_assert_int_eq(code_format("", day, 1, out), -1);
	/* YY cannot tell 1999 from 2099: only 2000–2099 are representable. */
	ck_assert_int_eq(code_format("000.01.01.H56", date_from_civil(1999, 12, 31), 1, out), -1);
	ck_assert_int_eq(code_format("000.01.01.H56", date_from_civil(2100, 1, 1), 1, out), -1);
	ck_assert_str_eq(out, "untouched");
}
END_TEST

START_TEST(test_code_parse_round_trip)
{
	char out[CODE_LEN + 1], agency[14];
	int32_t day = 0;
	int seq = 0;
	for (int y = 2000; y <= 2099; y += 7)
		for (int s = 1; s <= CODE_MAX_SEQ; s += 1111) {
			int32_t d = date_from_civil(y, 2 + y % 11, 1 + y % 28);
			ck_assert_int_eq(code_format("000.00.51.H56", d, s, out), 0);
			ck_assert_int_eq(code_parse(out, agency, &day, &seq), 1);
			ck_assert_str_eq(agency, "000.00.51.H56");
			ck_assert_int_eq(day, d);
			ck_assert_int_eq(seq, s);
		}
	/* The parts are optional. */
	ck_assert_int_eq(code_parse("000.17.22.H56-210531-0001", NULL, NULL, NULL), 1);
	/* Leap day. */
	ck_assert_int_eq(code_parse("000.17.22.H56-280229-0001", NULL, &day, NULL), 1);
	ck_assert_int_eq(day, date_from_civil(2028, 2, 29));
}
END_TEST

START_TEST(test_code_parse_refuses)
{
	static const char *const bad[] = {
		"",
		"000.17.22.H56-210531-001",	/* 3-digit sequence */
		"000.17.22.H56-210531-00001",
		"000.17.22.H56-210531-0000",	/* sequences start at 0001 */
		"000.17.22.H56-270229-0001",	/* 2027 is not a leap year */
		"000.17.22.H56-211301-0001",	/* month 13 */
		"000.17.22.H56-210532-0001",
		"000.17.22.H56-210500-0001",
		"000.17.22.H56_210531-0001",
		"000.17.22.H56-210531_0001",
		"000.17.22.h56-210531-0001",
		"000.17.22.H56-2105a1-0001",
		"000.17.22.H56-210531-00a1",
		"000.17.22.H56-210531-0001 ",
		"G09.20-20260609-0092637",	/* the 2025 sandbox shape is not ours */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(code_parse(bad[i], NULL, NULL, NULL) == 0, "accepted \"%s\"", bad[i]);
}
END_TEST

Suite *code_suite(void)
{
	Suite *s = suite_create("code");
	TCase *tc = tcase_create("format");
	tcase_add_test(tc, test_code_agency_shapes);
	tcase_add_test(tc, test_code_format_national_examples);
	tcase_add_test(tc, test_code_format_refuses);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse");
	tcase_add_test(tc, test_code_parse_round_trip);
	tcase_add_test(tc, test_code_parse_refuses);
	suite_add_tcase(s, tc);
	return s;
}
