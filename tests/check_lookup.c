/*
 * motcua tests — lookup: check digits and state labels of the public
 * lookup; submission refs and cleaned file names; feedback codes.
 */
#include <string.h>

#include "date.h"
#include "feedback.h"
#include "lookup.h"
#include "rating.h"
#include "submission.h"
#include "tests.h"

START_TEST(test_lookup_check_digits)
{
	ck_assert(lookup_check_valid("0123"));
	ck_assert(!lookup_check_valid("123"));
	ck_assert(!lookup_check_valid("12345"));
	ck_assert(!lookup_check_valid("12a4"));
	ck_assert(!lookup_check_valid(NULL));
	/* phone or ID number, whichever matches */
	ck_assert(lookup_check_matches("5678", "0912345678", "038090001234"));
	ck_assert(lookup_check_matches("1234", "0912345678", "038090001234"));
	ck_assert(!lookup_check_matches("1235", "0912345678", "038090001234"));
	/* characters other than digits do not count */
	ck_assert(lookup_check_matches("5678", "+84 912-345.678", ""));
	ck_assert(lookup_check_matches("6012", "", "0100109106-012"));
	/* fewer than four digits never match, nor do empty values */
	ck_assert(!lookup_check_matches("0012", "12", ""));
	ck_assert(!lookup_check_matches("0000", "", ""));
	/* a malformed check never matches */
	ck_assert(!lookup_check_matches("678", "0912345678", ""));
	ck_assert(!lookup_check_matches(NULL, "0912345678", ""));
}
END_TEST

START_TEST(test_lookup_labels)
{
	ck_assert_str_eq(lookup_state_label(1, 0), "Đã nộp trực tuyến, chờ tiếp nhận");
	ck_assert_str_eq(lookup_state_label(9, 1), "Result ready to collect");
	ck_assert_str_eq(lookup_state_label(3, 1), "Not accepted");
	ck_assert_str_eq(lookup_state_label(0, 0), "?");
	ck_assert_str_eq(lookup_state_label(11, 1), "?");
}
END_TEST

START_TEST(test_submission_refs_and_names)
{
	char ref[SUBMISSION_REF_LEN + 1], other[SUBMISSION_REF_LEN + 1], name[64];
	int32_t day = date_from_civil(2026, 11, 20);
	submission_new_ref(day, ref);
	submission_new_ref(day, other);
	ck_assert_int_eq((int)strlen(ref), SUBMISSION_REF_LEN);
	ck_assert(strncmp(ref, "OL-261120-", 10) == 0);
	ck_assert(submission_ref_valid(ref));
	ck_assert_str_ne(ref, other);
	ck_assert(!submission_ref_valid("OL-261120-0OI1LX"));
	ck_assert(!submission_ref_valid("000.01.01.H56-261120-0001"));
	submission_clean_name("C:\\Users\\an\\scan \"CCCD\".pdf", 1, "pdf", name, sizeof(name));
	ck_assert_str_eq(name, "scan _CCCD_.pdf");
	submission_clean_name("../../etc/passwd", 2, "png", name, sizeof(name));
	ck_assert_str_eq(name, "passwd");
	submission_clean_name("a\x01\x1f" "b.png", 2, "png", name, sizeof(name));
	ck_assert_str_eq(name, "a__b.png");
	submission_clean_name("/", 3, "jpg", name, sizeof(name));
	ck_assert_str_eq(name, "tep-3.jpg");
	/* A long Vietnamese name is cut between characters, never inside one. */
	submission_clean_name("ảnhảnhảnhảnhảnhảnhảnhảnhảnhảnhảnhảnhảnhảnhảnhảnhảnhảnhảnhảnhảnhảnh.png", 4,
			      "png", name, 16);
	ck_assert_str_eq(name, "ảnhảnhảnh");
}
END_TEST

START_TEST(test_feedback_codes)
{
	char code[FEEDBACK_CODE_MAX];
	feedback_format_code(date_from_civil(2026, 4, 20), 7, code);
	ck_assert_str_eq(code, "PAKN-260420-0007");
	ck_assert(feedback_code_valid(code));
	feedback_format_code(date_from_civil(2026, 4, 20), 10000, code);
	ck_assert_str_eq(code, "PAKN-260420-10000");
	ck_assert(feedback_code_valid(code));
	ck_assert(!feedback_code_valid("PAKN-26042-0007"));
	ck_assert(!feedback_code_valid("PAKN-260420-00a7"));
	ck_assert(!feedback_code_valid("000.01.01.H56-260420-0001"));
	ck_assert(!feedback_code_valid(NULL));
}
END_TEST

START_TEST(test_rating_rules)
{
	ck_assert(!rating_is_dislike(3, 3, 3, 0));
	ck_assert(rating_is_dislike(2, 5, 5, 0));
	ck_assert(rating_is_dislike(5, 1, 5, 0));
	ck_assert(rating_is_dislike(5, 5, 2, 0));
	ck_assert(rating_is_dislike(5, 5, 5, 1));
	ck_assert(rating_indicator_54(0, 0, 0) < 0);	/* N/A */
	ck_assert(rating_indicator_54(200, 10, 10) > 89.99 && rating_indicator_54(200, 10, 10) < 90.01);
	ck_assert(rating_indicator_54(10, 8, 8) == 0);	/* floored */
}
END_TEST

Suite *lookup_suite(void)
{
	Suite *s = suite_create("lookup");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, test_lookup_check_digits);
	tcase_add_test(tc, test_lookup_labels);
	tcase_add_test(tc, test_submission_refs_and_names);
	tcase_add_test(tc, test_feedback_codes);
	tcase_add_test(tc, test_rating_rules);
	suite_add_tcase(s, tc);
	return s;
}
