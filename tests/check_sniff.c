/*
 * motcua tests — sniff: file types are judged by their bytes, never by
 * the name or the Content-Type a client claims.
 */
#include <string.h>

#include "sniff.h"
#include "tests.h"

static const char pdf_ok[] = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
static const unsigned char png_ok[40] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
	0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89,
};
static const unsigned char jpeg_ok[8] = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F' };

START_TEST(test_sniff_recognises_the_three_types)
{
	ck_assert_int_eq(sniff_type(pdf_ok, strlen(pdf_ok)), SNIFF_PDF);
	ck_assert_int_eq(sniff_type(png_ok, sizeof(png_ok)), SNIFF_PNG);
	ck_assert_int_eq(sniff_type(jpeg_ok, sizeof(jpeg_ok)), SNIFF_JPEG);
	ck_assert_str_eq(sniff_mime(SNIFF_PDF), "application/pdf");
	ck_assert_str_eq(sniff_mime(SNIFF_JPEG), "image/jpeg");
	ck_assert_str_eq(sniff_mime(SNIFF_PNG), "image/png");
	ck_assert_ptr_null(sniff_mime(SNIFF_UNKNOWN));
	ck_assert_str_eq(sniff_extension(SNIFF_JPEG), "jpg");
}
END_TEST

START_TEST(test_sniff_refuses_everything_else)
{
	static const char html[] = "<!doctype html><script>alert(1)</script>";
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
	static const unsigned char zip[] = { 'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0 };
	static const unsigned char exe[] = { 'M', 'Z', 0x90, 0, 3, 0, 0, 0 };
	ck_assert_int_eq(sniff_type(html, strlen(html)), SNIFF_UNKNOWN);
	ck_assert_int_eq(sniff_type(svg, strlen(svg)), SNIFF_UNKNOWN);
	ck_assert_int_eq(sniff_type(zip, sizeof(zip)), SNIFF_UNKNOWN);
	ck_assert_int_eq(sniff_type(exe, sizeof(exe)), SNIFF_UNKNOWN);
	ck_assert_int_eq(sniff_type("", 0), SNIFF_UNKNOWN);
	ck_assert_int_eq(sniff_type(NULL, 10), SNIFF_UNKNOWN);
}
END_TEST

START_TEST(test_sniff_edges)
{
	char buf[4096];
	/* A PDF cut short (no %%EOF) is not accepted. */
	ck_assert_int_eq(sniff_type(pdf_ok, strlen(pdf_ok) - 7), SNIFF_UNKNOWN);
	/* "%PDF-" must be at offset 0 and followed by a version. */
	ck_assert_int_eq(sniff_type(pdf_ok + 1, strlen(pdf_ok) - 1), SNIFF_UNKNOWN);
	ck_assert_int_eq(sniff_type("%PDF-x.7 padding %%EOF", 22), SNIFF_UNKNOWN);
	/* %%EOF within the last KiB is found; further back it is not. */
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "%PDF-1.4\n", 9);
	memcpy(buf + sizeof(buf) - 1024, "%%EOF", 5);
	ck_assert_int_eq(sniff_type(buf, sizeof(buf)), SNIFF_PDF);
	memcpy(buf + sizeof(buf) - 1024, "     ", 5);
	memcpy(buf + sizeof(buf) - 1030, "%%EOF", 5);
	ck_assert_int_eq(sniff_type(buf, sizeof(buf)), SNIFF_UNKNOWN);
	/* A PNG signature without its IHDR chunk, a JPEG of two bytes. */
	ck_assert_int_eq(sniff_type(png_ok, 12), SNIFF_UNKNOWN);
	ck_assert_int_eq(sniff_type(jpeg_ok, 2), SNIFF_UNKNOWN);
}
END_TEST

START_TEST(test_sniff_claims)
{
	ck_assert_int_eq(sniff_claimed_by_name("scan.PDF"), SNIFF_PDF);
	ck_assert_int_eq(sniff_claimed_by_name("a.b.jpeg"), SNIFF_JPEG);
	ck_assert_int_eq(sniff_claimed_by_name("ảnh.png"), SNIFF_PNG);
	ck_assert_int_eq(sniff_claimed_by_name("noextension"), SNIFF_UNKNOWN);
	ck_assert_int_eq(sniff_claimed_by_name("x.docx"), SNIFF_UNKNOWN);
	ck_assert_int_eq(sniff_claimed_by_name(NULL), SNIFF_UNKNOWN);
	ck_assert_int_eq(sniff_claimed_by_type("application/pdf"), SNIFF_PDF);
	ck_assert_int_eq(sniff_claimed_by_type("image/PNG; charset=binary"), SNIFF_PNG);
	ck_assert_int_eq(sniff_claimed_by_type("image/jpg"), SNIFF_JPEG);
	ck_assert_int_eq(sniff_claimed_by_type("application/octet-stream"), SNIFF_UNKNOWN);
	ck_assert_int_eq(sniff_claimed_by_type("application/pdfx"), SNIFF_UNKNOWN);
	ck_assert_int_eq(sniff_claimed_by_type(NULL), SNIFF_UNKNOWN);
}
END_TEST

Suite *sniff_suite(void)
{
	Suite *s = suite_create("sniff");
	TCase *tc = tcase_create("types");
	tcase_add_test(tc, test_sniff_recognises_the_three_types);
	tcase_add_test(tc, test_sniff_refuses_everything_else);
	tcase_add_test(tc, test_sniff_edges);
	tcase_add_test(tc, test_sniff_claims);
	suite_add_tcase(s, tc);
	return s;
}
