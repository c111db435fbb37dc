/*
 * motcua tests — text: folding Vietnamese names into search keys.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tests.h"
#include "text.h"

/* Fold s and compare; the buffer is released here. */
static void fold_is(const char *s, const char *want)
{
	struct buf b = BUF_INIT;
	text_fold(s, &b);
	ck_assert_msg(strcmp(buf_cstr(&b), want) == 0, "fold(\"%s\") = \"%s\", want \"%s\"",
		      s ? s : "(null)", buf_cstr(&b), want);
	buf_release(&b);
}

START_TEST(test_text_fold_names)
{
	fold_is("Nguyễn Văn Đức", "nguyen van duc");
	fold_is("TRẦN THỊ HỒNG NHUNG", "tran thi hong nhung");
	fold_is("Lê Minh Tuấn", "le minh tuan");
	fold_is("Đặng Văn Long", "dang van long");
	fold_is("Phạm Thu Hà", "pham thu ha");
	fold_is("Vũ Quang Huy", "vu quang huy");
	fold_is("Ngô Thị Thu", "ngo thi thu");
	fold_is("Ủy ban nhân dân phường Hạc Thành", "uy ban nhan dan phuong hac thanh");
	fold_is("Ưng Hoàng Phúc", "ung hoang phuc");
	fold_is("Ơn Trời", "on troi");
	fold_is("Kỹ thuật", "ky thuat");
}
END_TEST

START_TEST(test_text_fold_every_vietnamese_letter)
{
	/* Each base vowel with its six tones, lower and upper case, precomposed
	 * (U+00C0–U+01B0 and U+1EA0–U+1EF9). */
	static const struct { const char *letters; char base; } groups[] = {
		{ "aàáảãạăằắẳẵặâầấẩẫậAÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'a' },
		{ "eèéẻẽẹêềếểễệEÈÉẺẼẸÊỀẾỂỄỆ", 'e' },
		{ "iìíỉĩịIÌÍỈĨỊ", 'i' },
		{ "oòóỏõọôồốổỗộơờớởỡợOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'o' },
		{ "uùúủũụưừứửữựUÙÚỦŨỤƯỪỨỬỮỰ", 'u' },
		{ "yỳýỷỹỵYỲÝỶỸỴ", 'y' },
		{ "dđDĐ", 'd' },
	};
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		struct buf b = BUF_INIT;
		text_fold(groups[g].letters, &b);
		const char *out = buf_cstr(&b);
		ck_assert_msg(strspn(out, (char[]){ groups[g].base, 0 }) == b.len && b.len > 0,
			      "%s folds to \"%s\"", groups[g].letters, out);
		/* One ASCII letter per Vietnamese letter. */
		size_t chars = 0;
		for (const char *p = groups[g].letters; *p; p++)
			chars += ((unsigned char)*p & 0xC0) != 0x80;
		ck_assert_uint_eq(b.len, chars);
		buf_release(&b);
	}
}
END_TEST

START_TEST(test_text_fold_decomposed)
{
	/* NFD input (base letter + combining marks U+0300–U+036F), as some
	 * keyboards and macOS produce, folds the same as NFC. */
	fold_is("Nguye\xcc\x82\xcc\x83n", "nguyen");		/* e + ̂ + ̃ */
	fold_is("Tra\xcc\x80n Thi\xcc\xa3", "tran thi");
	fold_is("\xcc\x81", "");				/* a lone mark */
}
END_TEST

START_TEST(test_text_fold_spaces)
{
	fold_is("  Nguyễn   Văn\tAn \n", "nguyen van an");
	fold_is("\t\r\n ", "");
	fold_is("", "");
	fold_is(NULL, "");
	fold_is("An", "an");
}
END_TEST

START_TEST(test_text_fold_keeps_other_characters)
{
	/* Digits, punctuation and letters outside the folded blocks stay. */
	fold_is("Hồ sơ 038090001234", "ho so 038090001234");
	fold_is("Công ty TNHH A&B – Chi nhánh 2", "cong ty tnhh a&b – chi nhanh 2");
	fold_is("Müller Ñoño", "muller nono");
	fold_is("× ÷ ß Þ", "× ÷ ß Þ");
	fold_is("北京", "北京");
	fold_is("An \xf0\x9f\x98\x80", "an \xf0\x9f\x98\x80");	/* emoji kept */
}
END_TEST

START_TEST(test_text_fold_appends)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "key:");
	text_fold("Đức", &b);
	ck_assert_str_eq(buf_cstr(&b), "key:duc");
	buf_release(&b);
}
END_TEST

Suite *text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("fold");
	tcase_add_test(tc, test_text_fold_names);
	tcase_add_test(tc, test_text_fold_every_vietnamese_letter);
	tcase_add_test(tc, test_text_fold_decomposed);
	tcase_add_test(tc, test_text_fold_spaces);
	tcase_add_test(tc, test_text_fold_keeps_other_characters);
	tcase_add_test(tc, test_text_fold_appends);
	suite_add_tcase(s, tc);
	return s;
}
