/*
 * motcua tests — validate: applicant ID numbers, phones and e-mails.
 */
#include <string.h>

#include "tests.h"
#include "validate.h"

START_TEST(test_validate_id_number_accepted)
{
	ck_assert_int_eq(validate_id_number("123456789"), 1);		/* old CMND, 9 digits */
	ck_assert_int_eq(validate_id_number("038090001234"), 1);	/* CCCD, 12 digits */
	ck_assert_int_eq(validate_id_number("0101234567"), 1);		/* tax code, 10 digits */
	ck_assert_int_eq(validate_id_number("0101234567-001"), 1);	/* branch tax code */
	ck_assert_int_eq(validate_id_number("000000000"), 1);
}
END_TEST

START_TEST(test_validate_id_number_refused)
{
	static const char *const bad[] = {
		"", "12345678",		/* 8 digits */
		"12345678901",		/* 11 digits */
		"1234567890123",	/* 13 digits */
		"12345678A", "03809000123X", "038 090 001 234", " 123456789", "123456789 ",
		"0101234567-01", "0101234567-0001", "0101234567/001", "0101234567-", "-0101234567",
		"010123456-001", "0101234567-00A", "+84123456789", "１２３４５６７８９",	/* full-width */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(validate_id_number(bad[i]) == 0, "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(test_validate_phone)
{
	ck_assert_int_eq(validate_phone("0912345678"), 1);	/* mobile, 10 digits */
	ck_assert_int_eq(validate_phone("02373851234"), 1);	/* landline, 11 digits */
	ck_assert_int_eq(validate_phone("+84912345678"), 1);
	ck_assert_int_eq(validate_phone("+842373851234"), 1);
	static const char *const bad[] = {
		"", "0", "091234567", "091234567890", "912345678", "+840912345678", "+8491234567",
		"+84", "0912 345 678", "0912.345.678", "0912-345-678", "84912345678", "+85912345678",
		"09123456a8",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(validate_phone(bad[i]) == 0, "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(test_validate_email)
{
	ck_assert_int_eq(validate_email("an.nguyen@thanhhoa.gov.vn"), 1);
	ck_assert_int_eq(validate_email("a@b.c"), 1);
	ck_assert_int_eq(validate_email("first+tag@example.com"), 1);
	static const char *const bad[] = {
		"", "@example.com", "an@", "an@example", "an@.vn", "an@example.", "an@@example.com",
		"an@ex@ample.com", "an nguyen@example.com", "an@exam ple.com", "an@example.com\t",
		"plainaddress",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(validate_email(bad[i]) == 0, "accepted \"%s\"", bad[i]);
	/* 254 characters at most (RFC 5321 path limit). */
	char longest[300];
	memset(longest, 'a', sizeof(longest));
	memcpy(longest + 254 - 6, "@b.com", 7);
	ck_assert_int_eq(validate_email(longest), 1);
	memset(longest, 'a', sizeof(longest));
	memcpy(longest + 255 - 6, "@b.com", 7);
	ck_assert_int_eq(validate_email(longest), 0);
}
END_TEST

Suite *validate_suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("applicant");
	tcase_add_test(tc, test_validate_id_number_accepted);
	tcase_add_test(tc, test_validate_id_number_refused);
	tcase_add_test(tc, test_validate_phone);
	tcase_add_test(tc, test_validate_email);
	suite_add_tcase(s, tc);
	return s;
}
