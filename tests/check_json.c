/*
 * motcua tests — json: every refusal of json_parse with its code, UTF-8
 * edge cases, depth and size limits, and the typed getters.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "tests.h"
#include "util.h"

/* Parse s (its strlen or an explicit length); keep the tree in *out. */
static int parse_len(const char *s, size_t len, cJSON **out,
		     struct api_error *err)
{
	api_error_clear(err);
	return json_parse(s, len, out, err);
}

/* json_parse must refuse s with status 400, code and field. */
static void refuse_len(const char *s, size_t len, const char *code,
		       const char *field)
{
	static cJSON dummy;
	struct api_error err;
	cJSON *root = &dummy;	/* json_parse must reset it */

	ck_assert_int_eq(parse_len(s, len, &root, &err), -1);
	ck_assert_ptr_null(root);
	ck_assert_int_eq(err.status, 400);
	ck_assert_ptr_nonnull(err.code);
	ck_assert_str_eq(err.code, code);
	ck_assert_str_eq(err.field, field);
	ck_assert_str_ne(err.message, "");
}

#define REFUSE(lit, code) refuse_len(lit, sizeof(lit) - 1, code, "")
#define REFUSE_AT(lit, code, field) \
	refuse_len(lit, sizeof(lit) - 1, code, field)

static cJSON *accept_len(const char *s, size_t len)
{
	struct api_error err;
	cJSON *root = NULL;
	int rc = parse_len(s, len, &root, &err);

	ck_assert_msg(rc == 0, "refused: %s %s", err.code ? err.code : "",
		      err.message);
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(err.status, 0);
	return root;
}

static cJSON *accept(const char *s)
{
	return accept_len(s, strlen(s));
}

/* The message of a refusal, for tests that check the offset. */
static void refuse_msg(const char *s, const char *code, const char *msg)
{
	struct api_error err;
	cJSON *root = NULL;

	ck_assert_int_eq(parse_len(s, strlen(s), &root, &err), -1);
	ck_assert_str_eq(err.code, code);
	ck_assert_str_eq(err.message, msg);
}

/* ---- json_parse ---- */

START_TEST(test_parse_ok)
{
	cJSON *root = accept(" \t\r\n{\"a\": 1, \"b\": [true, false, null],"
			     " \"c\": {\"d\": \"x\"}, \"e\": -0.5e-3} \n");

	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(root, "a")->valueint,
			 1);
	ck_assert_int_eq(cJSON_GetArraySize(
		cJSON_GetObjectItemCaseSensitive(root, "b")), 3);
	cJSON_Delete(root);
	root = accept("{}");
	ck_assert_ptr_null(root->child);
	cJSON_Delete(root);
	/* Numbers across the JSON grammar. */
	root = accept("{\"a\":-0,\"b\":0.0e+0,\"c\":1E-2,\"d\":10,"
		      "\"e\":-12.25E2}");
	ck_assert(cJSON_GetObjectItemCaseSensitive(root, "c")->valuedouble ==
		  0.01);
	ck_assert(cJSON_GetObjectItemCaseSensitive(root, "e")->valuedouble ==
		  -1225.0);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_parse_vietnamese)
{
	cJSON *root = accept("{\"name\": \"Ủy ban nhân dân phường Quảng Hưng\","
			     " \"emoji\": \"\xF0\x9F\x98\x80\","
			     " \"pair\": \"\\ud83d\\ude00\","
			     " \"esc\": \"\\u1ee6y \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"}");
	const cJSON *v;

	v = cJSON_GetObjectItemCaseSensitive(root, "name");
	ck_assert_str_eq(v->valuestring, "Ủy ban nhân dân phường Quảng Hưng");
	ck_assert_uint_eq(json_utf8_chars(v->valuestring), 33);
	v = cJSON_GetObjectItemCaseSensitive(root, "emoji");
	ck_assert_str_eq(v->valuestring, "\xF0\x9F\x98\x80");
	/* The escaped pair decodes to the same 4-byte character. */
	v = cJSON_GetObjectItemCaseSensitive(root, "pair");
	ck_assert_str_eq(v->valuestring, "\xF0\x9F\x98\x80");
	ck_assert_uint_eq(json_utf8_chars(v->valuestring), 1);
	v = cJSON_GetObjectItemCaseSensitive(root, "esc");
	ck_assert_str_eq(v->valuestring, "Ủy \" \\ / \b\f\n\r\t");
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_parse_explicit_length)
{
	/* Only len bytes count: the rest of the buffer is not looked at. */
	static const char s[] = "{\"a\":1}garbage";
	cJSON *root = accept_len(s, 7);

	cJSON_Delete(root);
	refuse_len(s, 8, "invalid_json", "");
}
END_TEST

/* Bodies from the network are not NUL-terminated: copy each into a heap
 * block of exactly its length so ASan sees any read past the end. */
START_TEST(test_parse_unterminated_buffer)
{
	static const char *const cut[] = {
		"{\"a\":tru", "{\"a\":nul", "{\"a\":\"x", "{\"a\":\"x\\",
		"{\"a\":\"\\u12", "{\"a\":\"\\ud83d\\u", "{\"a\":1.5",
		"{\"a\":-", "{\"a\"", "{", "{\"a\":[1,", "{\"a\":1e",
	};
	char *p;
	cJSON *root;

	for (size_t i = 0; i < ARRAY_LEN(cut); i++) {
		size_t n = strlen(cut[i]);
		p = xmalloc(n);
		memcpy(p, cut[i], n);
		refuse_len(p, n, "invalid_json", "");
		free(p);
	}
	p = xmalloc(9);
	memcpy(p, "{\"a\":1.5}", 9);
	root = accept_len(p, 9);
	ck_assert(cJSON_GetObjectItemCaseSensitive(root, "a")->valuedouble == 1.5);
	cJSON_Delete(root);
	free(p);
}
END_TEST

START_TEST(test_refuse_invalid_utf8)
{
	REFUSE("{\"a\":\"\xC0\xAF\"}", "invalid_utf8");
	REFUSE("{\"a\":\"\xE0\x80\xAF\"}", "invalid_utf8");
	REFUSE("{\"a\":\"\xED\xA0\x80\"}", "invalid_utf8");
	REFUSE("{\"a\":\"\xF4\x90\x80\x80\"}", "invalid_utf8");
	REFUSE("{\"a\":\"\xF0\x9F\x98\"}", "invalid_utf8");
	REFUSE("{\"a\":\"\x80\"}", "invalid_utf8");
	REFUSE("{\"a\":\"\xFE\"}", "invalid_utf8");
	REFUSE("{\"a\":\"x\"}\xC3", "invalid_utf8");
	refuse_msg("{\"a\":\"\xC0\xAF\"}", "invalid_utf8",
		   "invalid UTF-8 at byte offset 6");
}
END_TEST

START_TEST(test_utf8_valid)
{
	ck_assert_int_eq(json_utf8_valid("", 0), 1);
	ck_assert_int_eq(json_utf8_valid("Quảng Hưng", strlen("Quảng Hưng")), 1);
	ck_assert_int_eq(json_utf8_valid("\xF0\x9F\x98\x80", 4), 1);
	ck_assert_int_eq(json_utf8_valid("\xF4\x8F\xBF\xBF", 4), 1);
	ck_assert_int_eq(json_utf8_valid("\xED\x9F\xBF", 3), 1);
	ck_assert_int_eq(json_utf8_valid("\xEE\x80\x80", 3), 1);
	ck_assert_int_eq(json_utf8_valid("\xC2\x80", 2), 1);
	ck_assert_int_eq(json_utf8_valid("\xC0\xAF", 2), 0);
	ck_assert_int_eq(json_utf8_valid("\xC1\xBF", 2), 0);
	ck_assert_int_eq(json_utf8_valid("\xE0\x80\xAF", 3), 0);
	ck_assert_int_eq(json_utf8_valid("\xE0\x9F\xBF", 3), 0);
	ck_assert_int_eq(json_utf8_valid("\xF0\x8F\xBF\xBF", 4), 0);
	ck_assert_int_eq(json_utf8_valid("\xED\xA0\x80", 3), 0);
	ck_assert_int_eq(json_utf8_valid("\xED\xBF\xBF", 3), 0);
	ck_assert_int_eq(json_utf8_valid("\xF4\x90\x80\x80", 4), 0);
	ck_assert_int_eq(json_utf8_valid("\xF5\x80\x80\x80", 4), 0);
	ck_assert_int_eq(json_utf8_valid("\xE1\x80", 2), 0);
	ck_assert_int_eq(json_utf8_valid("\xE1\x80\x41", 3), 0);
	/* The length bounds the check: a cut sequence is truncated. */
	ck_assert_int_eq(json_utf8_valid("\xF0\x9F\x98\x80", 3), 0);
	ck_assert_uint_eq(json_utf8_chars(""), 0);
	ck_assert_uint_eq(json_utf8_chars("aư\xF0\x9F\x98\x80"), 3);
}
END_TEST

START_TEST(test_refuse_escapes)
{
	REFUSE("{\"a\":\"x\\u0000y\"}", "invalid_json");
	REFUSE("{\"\\u0000\":1}", "invalid_json");
	/* Unpaired surrogates: lone high, high then non-escape, high then
	 * high, lone low, low then high (reversed pair). */
	REFUSE("{\"a\":\"\\ud83d\"}", "invalid_json");
	REFUSE("{\"a\":\"\\uD83Dx\"}", "invalid_json");
	REFUSE("{\"a\":\"\\ud83d\\ud83d\"}", "invalid_json");
	REFUSE("{\"a\":\"\\ud83d\\n\"}", "invalid_json");
	REFUSE("{\"a\":\"\\ude00\"}", "invalid_json");
	REFUSE("{\"a\":\"\\ude00\\ud83d\"}", "invalid_json");
	REFUSE("{\"a\":\"\\ud83d\\u00e9\"}", "invalid_json");
	REFUSE("{\"a\":\"\\ud83d\"", "invalid_json");
	/* Bad escapes and raw control characters. */
	REFUSE("{\"a\":\"\\x41\"}", "invalid_json");
	REFUSE("{\"a\":\"\\u12G4\"}", "invalid_json");
	REFUSE("{\"a\":\"\\u12\"}", "invalid_json");
	REFUSE("{\"a\":\"line\nbreak\"}", "invalid_json");
	REFUSE("{\"a\":\"tab\there\"}", "invalid_json");
	refuse_len("{\"a\":\"\0\"}", 9, "invalid_json", "");
	refuse_msg("{\"a\":\"xy\\u0000\"}", "invalid_json",
		   "\\u0000 is not allowed at byte offset 8");
	refuse_msg("{\"ab\":\"\\udc00\"}", "invalid_json",
		   "unpaired surrogate escape at byte offset 7");
}
END_TEST

START_TEST(test_escaped_quotes_skipped)
{
	/* Brackets and escaped quotes inside strings do not count as
	 * structure: 20 '[' inside a string is no depth at all. */
	cJSON *root = accept("{\"a\":\"[[[[[[[[[[[[[[[[[[[[ \\\" {{{ \\\\\","
			     " \"b\\\"\":\"\\\\\"}");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "b\"");

	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v->valuestring, "\\");
	cJSON_Delete(root);
}
END_TEST

/* "{"a":" + n '[' + n ']' + "}": nesting depth n + 1. */
static char *nested(size_t n)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "{\"a\":");
	for (size_t i = 0; i < n; i++)
		buf_addc(&b, '[');
	for (size_t i = 0; i < n; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '}');
	return buf_detach(&b, NULL);
}

START_TEST(test_depth)
{
	char *s = nested(JSON_MAX_DEPTH - 1);
	cJSON *root = accept(s);

	cJSON_Delete(root);
	free(s);
	s = nested(JSON_MAX_DEPTH);
	refuse_len(s, strlen(s), "too_complex", "");
	free(s);
	/* Objects count too. */
	refuse_msg("{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"
		   "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":"
		   "{}}}}}}}}}}}}}}}}}}", "too_complex",
		   "nesting deeper than 16 levels");
}
END_TEST

START_TEST(test_deep_arrays_quick)
{
	size_t n = 100000;
	char *s = xmalloc(2 * n + 1);
	int64_t t0;

	memset(s, '[', n);
	memset(s + n, ']', n);
	s[2 * n] = '\0';
	t0 = util_mono_ns();
	refuse_len(s, 2 * n, "too_complex", "");
	/* Unbalanced too: the pre-scan stops at level 17 either way. */
	refuse_len(s, n, "too_complex", "");
	free(s);
	s = nested(n);
	refuse_len(s, strlen(s), "too_complex", "");
	free(s);
	ck_assert_int_lt(util_mono_ns() - t0, 2000000000LL);
}
END_TEST

START_TEST(test_refuse_trailing_and_empty)
{
	refuse_msg("{\"a\":1} x", "invalid_json",
		   "unexpected data after the value at byte offset 8");
	REFUSE("{}{}", "invalid_json");
	REFUSE("{},", "invalid_json");
	REFUSE("{} \x01", "invalid_json");
	REFUSE("", "invalid_json");
	REFUSE(" \r\n\t ", "invalid_json");
	refuse_len(NULL, 0, "invalid_json", "");
	/* Whitespace after the value is fine. */
	cJSON_Delete(accept("{} \r\n\t"));
}
END_TEST

START_TEST(test_refuse_syntax)
{
	REFUSE("{\"a\":}", "invalid_json");
	REFUSE("{\"a\" 1}", "invalid_json");
	REFUSE("{\"a\":1,}", "invalid_json");
	REFUSE("{a:1}", "invalid_json");
	REFUSE("{'a':1}", "invalid_json");
	REFUSE("{\"a\":tru}", "invalid_json");
	REFUSE("{\"a\":[1,2}", "invalid_json");
	REFUSE("{\"a\":1", "invalid_json");
	REFUSE("{\"a\":\"x", "invalid_json");
	/* Numbers by the JSON grammar, which cJSON alone does not enforce. */
	REFUSE("{\"a\":01}", "invalid_json");
	REFUSE("{\"a\":1.}", "invalid_json");
	REFUSE("{\"a\":.5}", "invalid_json");
	REFUSE("{\"a\":-}", "invalid_json");
	REFUSE("{\"a\":1e}", "invalid_json");
	REFUSE("{\"a\":+1}", "invalid_json");
	REFUSE("{\"a\":0x10}", "invalid_json");
	REFUSE("{\"a\":NaN}", "invalid_json");
	/* Bytes cJSON would skip as whitespace, and a BOM. */
	REFUSE("{\"a\":\x01 1}", "invalid_json");
	REFUSE("\xEF\xBB\xBF{}", "invalid_json");
	refuse_msg("{\"a\":01}", "invalid_json",
		   "invalid number at byte offset 5");
	refuse_msg("{\"a\":}", "invalid_json",
		   "syntax error at byte offset 5");
}
END_TEST

START_TEST(test_refuse_non_object)
{
	REFUSE("[]", "invalid_json");
	REFUSE("[{\"a\":1}]", "invalid_json");
	REFUSE("\"x\"", "invalid_json");
	REFUSE("1", "invalid_json");
	REFUSE("null", "invalid_json");
	REFUSE("true", "invalid_json");
}
END_TEST

START_TEST(test_huge_numbers)
{
	struct buf b = BUF_INIT;
	cJSON *root;

	buf_adds(&b, "{\"a\":");
	for (int i = 0; i < 400; i++)
		buf_addc(&b, (char)('1' + i % 9));
	buf_addc(&b, '}');
	refuse_len(b.data, b.len, "invalid_json", "");
	buf_release(&b);
	/* 63 characters is the longest number taken. */
	buf_adds(&b, "{\"a\":0.");
	for (int i = 0; i < 61; i++)
		buf_addc(&b, '5');
	buf_addc(&b, '}');
	root = accept_len(b.data, b.len);
	cJSON_Delete(root);
	b.len--;
	buf_adds(&b, "5}");
	refuse_len(b.data, b.len, "invalid_json", "");
	buf_release(&b);
	/* Out of double range: parsed, then refused by json_get_int. */
	root = accept("{\"a\":1e999,\"b\":-1e999}");
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_duplicate_keys)
{
	REFUSE_AT("{\"a\":1,\"b\":2,\"a\":3}", "duplicate_key", "a");
	REFUSE_AT("{\"x\":{\"y\":[{\"k\":1},{\"k\":1,\"k\":2}]}}",
		  "duplicate_key", "x.y[1].k");
	REFUSE_AT("{\"x\":{\"n\":{\"q\":1,\"q\":1}}}", "duplicate_key",
		  "x.n.q");
	REFUSE_AT("{\"ư\":1,\"ư\":1}", "duplicate_key", "ư");
	/* An escaped spelling of the same key is the same key. */
	REFUSE_AT("{\"a\":1,\"\\u0061\":2}", "duplicate_key", "a");
	/* Same key in different objects, and keys differing in case. */
	cJSON_Delete(accept("{\"a\":{\"k\":1},\"b\":{\"k\":1},\"K\":1,\"k\":2}"));
}
END_TEST

START_TEST(test_duplicate_keys_many)
{
	struct buf b = BUF_INIT;

	buf_addc(&b, '{');
	for (int i = 0; i < 5000; i++)
		buf_printf(&b, "%s\"k%d\":%d", i ? "," : "", i, i);
	buf_adds(&b, ",\"k4321\":0}");
	refuse_len(b.data, b.len, "duplicate_key", "k4321");
	buf_release(&b);
}
END_TEST

/* An object with n members: n + 1 values. */
static char *members(int n)
{
	struct buf b = BUF_INIT;

	buf_addc(&b, '{');
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s\"%d\":0", i ? "," : "", i);
	buf_addc(&b, '}');
	return buf_detach(&b, NULL);
}

START_TEST(test_node_limit)
{
	char *s = members(JSON_MAX_NODES - 1);
	cJSON *root = accept(s);

	ck_assert_int_eq(cJSON_GetArraySize(root), JSON_MAX_NODES - 1);
	cJSON_Delete(root);
	free(s);
	s = members(JSON_MAX_NODES);
	refuse_len(s, strlen(s), "too_complex", "");
	free(s);
	/* Nested values count as well: 1 + 1 + 10000 zeros. */
	{
		struct buf b = BUF_INIT;
		buf_adds(&b, "{\"a\":[");
		for (int i = 0; i < JSON_MAX_NODES; i++)
			buf_adds(&b, i ? ",0" : "0");
		buf_adds(&b, "]}");
		refuse_len(b.data, b.len, "too_complex", "");
		buf_release(&b);
	}
}
END_TEST

/* ---- getters ---- */

static cJSON *doc;

static void doc_setup(void)
{
	struct api_error err;
	static const char body[] =
		"{\"name\":\"Nguyễn Văn A\",\"empty\":\"\",\"nul\":null,"
		"\"n\":42,\"neg\":-7,\"frac\":1.5,\"whole\":3.0,\"big\":1e300,"
		"\"inf\":1e999,\"safe\":9007199254740991,"
		"\"unsafe\":9007199254740992,\"unsafe2\":9007199254740993,"
		"\"t\":true,\"f\":false,"
		"\"s\":\"12\",\"ml\":\"dòng 1\\ndòng 2\\tx\",\"cr\":\"a\\r\\nb\","
		"\"del\":\"a\\u007fb\",\"esc\":\"a\\u001bb\","
		"\"emoji\":\"\\ud83d\\ude00\\ud83d\\ude00\","
		"\"applicant\":{\"phone\":\"0912345678\",\"age\":\"x\","
		"\"addr\":{\"ward\":5}},"
		"\"items\":[1,2,3],\"none\":[],\"level\":\"commune\","
		"\"lvl_bad\":\"Commune\",\"obj\":{}}";

	ck_assert_int_eq(json_parse(body, sizeof(body) - 1, &doc, &err), 0);
}

static void doc_teardown(void)
{
	cJSON_Delete(doc);
	doc = NULL;
}

static void expect_err(const struct api_error *err, const char *code,
		       const char *field)
{
	ck_assert_int_eq(err->status, 422);
	ck_assert_str_eq(err->code, code);
	ck_assert_str_eq(err->field, field);
	ck_assert_str_ne(err->message, "");
}

START_TEST(test_path)
{
	char out[16];

	json_path(out, sizeof(out), NULL, "name");
	ck_assert_str_eq(out, "name");
	json_path(out, sizeof(out), "", "name");
	ck_assert_str_eq(out, "name");
	json_path(out, sizeof(out), "applicant", "phone");
	ck_assert_str_eq(out, "applicant.phone");
	json_path(out, sizeof(out), "items[2]", "name");
	ck_assert_str_eq(out, "items[2].name");
	/* Truncated, never overflowing. */
	json_path(out, sizeof(out), "applicant", "representative");
	ck_assert_str_eq(out, "applicant.repre");
}
END_TEST

START_TEST(test_get_string)
{
	struct api_error err;
	const char *s = "unchanged";

	api_error_clear(&err);
	ck_assert_int_eq(json_get_string(doc, "name", NULL, 1, 1, 200,
					 JSON_LINE, &s, &err), 1);
	ck_assert_str_eq(s, "Nguyễn Văn A");
	/* Length in code points: "Nguyễn Văn A" is 12 of them (15 bytes). */
	ck_assert_int_eq(json_get_string(doc, "name", NULL, 1, 12, 12,
					 JSON_LINE, &s, &err), 1);
	ck_assert_int_eq(json_get_string(doc, "name", NULL, 1, 1, 11,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "invalid_field", "name");
	ck_assert_str_eq(err.message, "must be a string of 1 to 11 characters");
	ck_assert_int_eq(json_get_string(doc, "name", NULL, 1, 13, 20,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "invalid_field", "name");
	ck_assert_int_eq(json_get_string(doc, "emoji", NULL, 1, 2, 2,
					 JSON_LINE, &s, &err), 1);
	ck_assert_str_eq(s, "\xF0\x9F\x98\x80\xF0\x9F\x98\x80");
	ck_assert_int_eq(json_get_string(doc, "emoji", NULL, 1, 3, 5,
					 JSON_LINE, &s, &err), -1);
	ck_assert_str_eq(err.message, "must be a string of 3 to 5 characters");
	ck_assert_int_eq(json_get_string(doc, "empty", NULL, 1, 1, 10,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "invalid_field", "empty");
	ck_assert_int_eq(json_get_string(doc, "empty", NULL, 1, 0, 10,
					 JSON_LINE, &s, &err), 1);
	ck_assert_str_eq(s, "");
}
END_TEST

START_TEST(test_get_string_absent_and_type)
{
	struct api_error err;
	const char *s = "unchanged";

	api_error_clear(&err);
	ck_assert_int_eq(json_get_string(doc, "missing", NULL, 0, 1, 10,
					 JSON_LINE, &s, &err), 0);
	ck_assert_int_eq(json_get_string(doc, "nul", NULL, 0, 1, 10,
					 JSON_LINE, &s, &err), 0);
	ck_assert_str_eq(s, "unchanged");
	ck_assert_int_eq(err.status, 0);
	ck_assert_int_eq(json_get_string(doc, "missing", NULL, 1, 1, 10,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "missing_field", "missing");
	ck_assert_int_eq(json_get_string(doc, "nul", "", 1, 1, 10,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "missing_field", "nul");
	ck_assert_int_eq(json_get_string(doc, "n", NULL, 1, 1, 200,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "invalid_field", "n");
	ck_assert_str_eq(err.message,
			 "must be a string of 1 to 200 characters");
	ck_assert_int_eq(json_get_string(doc, "t", NULL, 0, 1, 200,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "invalid_field", "t");
	ck_assert_int_eq(json_get_string(doc, "items", NULL, 0, 1, 200,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "invalid_field", "items");
	/* Key lookup is case-sensitive. */
	ck_assert_int_eq(json_get_string(doc, "Name", NULL, 1, 1, 200,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "missing_field", "Name");
	ck_assert_str_eq(s, "unchanged");
}
END_TEST

START_TEST(test_get_string_control)
{
	struct api_error err;
	const char *s = NULL;

	api_error_clear(&err);
	ck_assert_int_eq(json_get_string(doc, "ml", NULL, 1, 1, 100,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "invalid_field", "ml");
	ck_assert_int_eq(json_get_string(doc, "ml", NULL, 1, 1, 100,
					 JSON_MULTILINE, &s, &err), 1);
	ck_assert_str_eq(s, "dòng 1\ndòng 2\tx");
	/* CR, ESC and DEL are refused even in multi-line text. */
	ck_assert_int_eq(json_get_string(doc, "cr", NULL, 1, 1, 100,
					 JSON_MULTILINE, &s, &err), -1);
	expect_err(&err, "invalid_field", "cr");
	ck_assert_int_eq(json_get_string(doc, "esc", NULL, 1, 1, 100,
					 JSON_MULTILINE, &s, &err), -1);
	expect_err(&err, "invalid_field", "esc");
	ck_assert_int_eq(json_get_string(doc, "del", NULL, 1, 1, 100,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "invalid_field", "del");
	ck_assert_int_eq(json_get_string(doc, "del", NULL, 1, 1, 100,
					 JSON_MULTILINE, &s, &err), -1);
	expect_err(&err, "invalid_field", "del");
}
END_TEST

START_TEST(test_get_string_hand_built_tree)
{
	struct api_error err;
	const char *s = NULL;
	cJSON *o = cJSON_CreateObject();

	/* Not through json_parse: the getter still checks the UTF-8. */
	cJSON_AddStringToObject(o, "bad", "\xC0\xAF");
	api_error_clear(&err);
	ck_assert_int_eq(json_get_string(o, "bad", "p", 1, 0, 10, JSON_LINE,
					 &s, &err), -1);
	expect_err(&err, "invalid_field", "p.bad");
	/* A NULL or non-object parent reads as absent. */
	ck_assert_int_eq(json_get_string(NULL, "bad", "p", 0, 0, 10,
					 JSON_LINE, &s, &err), 0);
	ck_assert_int_eq(json_get_string(NULL, "bad", "p", 1, 0, 10,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "missing_field", "p.bad");
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_get_int)
{
	struct api_error err;
	long long v = 99;

	api_error_clear(&err);
	ck_assert_int_eq(json_get_int(doc, "n", NULL, 1, 0, 100, &v, &err), 1);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(json_get_int(doc, "neg", NULL, 1, -10, 10, &v, &err),
			 1);
	ck_assert_int_eq(v, -7);
	ck_assert_int_eq(json_get_int(doc, "whole", NULL, 1, 0, 10, &v, &err),
			 1);
	ck_assert_int_eq(v, 3);
	ck_assert_int_eq(json_get_int(doc, "n", NULL, 1, 42, 42, &v, &err), 1);
	ck_assert_int_eq(json_get_int(doc, "safe", NULL, 1, 0,
				      9007199254740991LL, &v, &err), 1);
	ck_assert_int_eq(v, 9007199254740991LL);

	v = 99;
	ck_assert_int_eq(json_get_int(doc, "n", NULL, 1, 0, 41, &v, &err), -1);
	expect_err(&err, "invalid_field", "n");
	ck_assert_str_eq(err.message, "must be an integer from 0 to 41");
	ck_assert_int_eq(json_get_int(doc, "n", NULL, 1, 43, 100, &v, &err),
			 -1);
	ck_assert_int_eq(json_get_int(doc, "neg", NULL, 1, 0, 10, &v, &err),
			 -1);
	expect_err(&err, "invalid_field", "neg");
	ck_assert_int_eq(json_get_int(doc, "frac", NULL, 1, 0, 10, &v, &err),
			 -1);
	expect_err(&err, "invalid_field", "frac");
	ck_assert_int_eq(json_get_int(doc, "big", NULL, 1, LLONG_MIN, LLONG_MAX,
				      &v, &err), -1);
	expect_err(&err, "invalid_field", "big");
	ck_assert_int_eq(json_get_int(doc, "inf", NULL, 1, LLONG_MIN, LLONG_MAX,
				      &v, &err), -1);
	expect_err(&err, "invalid_field", "inf");
	ck_assert_int_eq(json_get_int(doc, "unsafe", NULL, 1, LLONG_MIN,
				      LLONG_MAX, &v, &err), -1);
	expect_err(&err, "invalid_field", "unsafe");
	/* 2^53 + 1 reads as 2^53: refused, not silently rounded. */
	ck_assert_int_eq(json_get_int(doc, "unsafe2", NULL, 1, LLONG_MIN,
				      LLONG_MAX, &v, &err), -1);
	expect_err(&err, "invalid_field", "unsafe2");
	ck_assert_int_eq(json_get_int(doc, "s", NULL, 1, 0, 100, &v, &err), -1);
	expect_err(&err, "invalid_field", "s");
	ck_assert_int_eq(json_get_int(doc, "t", NULL, 1, 0, 100, &v, &err), -1);
	expect_err(&err, "invalid_field", "t");
	ck_assert_int_eq(v, 99);

	ck_assert_int_eq(json_get_int(doc, "missing", NULL, 0, 0, 1, &v, &err),
			 0);
	ck_assert_int_eq(json_get_int(doc, "nul", NULL, 0, 0, 1, &v, &err), 0);
	ck_assert_int_eq(v, 99);
	ck_assert_int_eq(json_get_int(doc, "missing", NULL, 1, 0, 1, &v, &err),
			 -1);
	expect_err(&err, "missing_field", "missing");
}
END_TEST

START_TEST(test_get_nested_paths)
{
	struct api_error err;
	const cJSON *app = NULL, *addr = NULL;
	const char *s = NULL;
	long long v = 0;

	api_error_clear(&err);
	ck_assert_int_eq(json_get_object(doc, "applicant", NULL, 1, &app, &err),
			 1);
	ck_assert_int_eq(json_get_string(app, "phone", "applicant", 1, 10, 10,
					 JSON_LINE, &s, &err), 1);
	ck_assert_str_eq(s, "0912345678");
	ck_assert_int_eq(json_get_int(app, "age", "applicant", 1, 0, 150, &v,
				      &err), -1);
	expect_err(&err, "invalid_field", "applicant.age");
	ck_assert_int_eq(json_get_string(app, "email", "applicant", 1, 3, 100,
					 JSON_LINE, &s, &err), -1);
	expect_err(&err, "missing_field", "applicant.email");
	ck_assert_int_eq(json_get_object(app, "addr", "applicant", 1, &addr,
					 &err), 1);
	ck_assert_int_eq(json_get_int(addr, "ward", "applicant.addr", 1, 6, 9,
				      &v, &err), -1);
	expect_err(&err, "invalid_field", "applicant.addr.ward");
	ck_assert_str_eq(err.message, "must be an integer from 6 to 9");
}
END_TEST

START_TEST(test_get_bool)
{
	struct api_error err;
	int b = 7;

	api_error_clear(&err);
	ck_assert_int_eq(json_get_bool(doc, "t", NULL, 1, &b, &err), 1);
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(json_get_bool(doc, "f", NULL, 1, &b, &err), 1);
	ck_assert_int_eq(b, 0);
	b = 7;
	ck_assert_int_eq(json_get_bool(doc, "missing", NULL, 0, &b, &err), 0);
	ck_assert_int_eq(json_get_bool(doc, "nul", NULL, 0, &b, &err), 0);
	ck_assert_int_eq(b, 7);
	ck_assert_int_eq(json_get_bool(doc, "missing", "x", 1, &b, &err), -1);
	expect_err(&err, "missing_field", "x.missing");
	ck_assert_int_eq(json_get_bool(doc, "n", NULL, 1, &b, &err), -1);
	expect_err(&err, "invalid_field", "n");
	ck_assert_str_eq(err.message, "must be true or false");
	ck_assert_int_eq(json_get_bool(doc, "s", NULL, 1, &b, &err), -1);
	expect_err(&err, "invalid_field", "s");
	ck_assert_int_eq(b, 7);
}
END_TEST

START_TEST(test_get_object_and_array)
{
	struct api_error err;
	const cJSON *o = NULL;

	api_error_clear(&err);
	ck_assert_int_eq(json_get_object(doc, "obj", NULL, 1, &o, &err), 1);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(json_get_object(doc, "items", NULL, 1, &o, &err), -1);
	expect_err(&err, "invalid_field", "items");
	ck_assert_str_eq(err.message, "must be an object");
	ck_assert_int_eq(json_get_object(doc, "missing", NULL, 0, &o, &err), 0);
	ck_assert_int_eq(json_get_object(doc, "nul", NULL, 1, &o, &err), -1);
	expect_err(&err, "missing_field", "nul");

	o = NULL;
	ck_assert_int_eq(json_get_array(doc, "items", NULL, 1, 3, &o, &err), 1);
	ck_assert_int_eq(cJSON_GetArraySize(o), 3);
	ck_assert_int_eq(json_get_array(doc, "none", NULL, 1, 0, &o, &err), 1);
	ck_assert_int_eq(json_get_array(doc, "items", "req", 1, 2, &o, &err),
			 -1);
	expect_err(&err, "invalid_field", "req.items");
	ck_assert_str_eq(err.message, "must be an array of at most 2 items");
	ck_assert_int_eq(json_get_array(doc, "obj", NULL, 1, 10, &o, &err), -1);
	expect_err(&err, "invalid_field", "obj");
	ck_assert_int_eq(json_get_array(doc, "missing", NULL, 0, 10, &o, &err),
			 0);
	ck_assert_int_eq(json_get_array(doc, "missing", NULL, 1, 10, &o, &err),
			 -1);
	expect_err(&err, "missing_field", "missing");
}
END_TEST

START_TEST(test_get_enum)
{
	static const char *const levels[] = {
		"province", "commune", "department", NULL,
	};
	struct api_error err;
	int i = -1;

	api_error_clear(&err);
	ck_assert_int_eq(json_get_enum(doc, "level", NULL, 1, levels, &i, &err),
			 1);
	ck_assert_int_eq(i, 1);
	i = -1;
	ck_assert_int_eq(json_get_enum(doc, "lvl_bad", NULL, 1, levels, &i,
				       &err), -1);
	expect_err(&err, "invalid_field", "lvl_bad");
	ck_assert_str_eq(err.message,
			 "must be one of: province, commune, department");
	ck_assert_int_eq(json_get_enum(doc, "n", "a", 1, levels, &i, &err), -1);
	expect_err(&err, "invalid_field", "a.n");
	ck_assert_int_eq(json_get_enum(doc, "missing", NULL, 0, levels, &i,
				       &err), 0);
	ck_assert_int_eq(json_get_enum(doc, "missing", NULL, 1, levels, &i,
				       &err), -1);
	expect_err(&err, "missing_field", "missing");
	ck_assert_int_eq(i, -1);
}
END_TEST

START_TEST(test_only_keys)
{
	static const char *const app_keys[] = { "phone", "age", "addr", NULL };
	static const char *const few[] = { "phone", "addr", NULL };
	struct api_error err;
	const cJSON *app = NULL;

	api_error_clear(&err);
	ck_assert_int_eq(json_get_object(doc, "applicant", NULL, 1, &app, &err),
			 1);
	ck_assert_int_eq(json_only_keys(app, "applicant", app_keys, &err), 0);
	ck_assert_int_eq(err.status, 0);
	ck_assert_int_eq(json_only_keys(app, "applicant", few, &err), -1);
	ck_assert_int_eq(err.status, 422);
	ck_assert_str_eq(err.code, "unknown_field");
	ck_assert_str_eq(err.field, "applicant.age");
	ck_assert_int_eq(json_only_keys(doc, NULL, few, &err), -1);
	ck_assert_str_eq(err.code, "unknown_field");
	ck_assert_str_eq(err.field, "name");
}
END_TEST

Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *parse = tcase_create("parse");
	TCase *limits = tcase_create("limits");
	TCase *get = tcase_create("getters");

	tcase_add_test(parse, test_parse_ok);
	tcase_add_test(parse, test_parse_vietnamese);
	tcase_add_test(parse, test_parse_explicit_length);
	tcase_add_test(parse, test_parse_unterminated_buffer);
	tcase_add_test(parse, test_refuse_invalid_utf8);
	tcase_add_test(parse, test_utf8_valid);
	tcase_add_test(parse, test_refuse_escapes);
	tcase_add_test(parse, test_escaped_quotes_skipped);
	tcase_add_test(parse, test_refuse_trailing_and_empty);
	tcase_add_test(parse, test_refuse_syntax);
	tcase_add_test(parse, test_refuse_non_object);
	tcase_add_test(parse, test_duplicate_keys);
	suite_add_tcase(s, parse);

	tcase_add_test(limits, test_depth);
	tcase_add_test(limits, test_deep_arrays_quick);
	tcase_add_test(limits, test_huge_numbers);
	tcase_add_test(limits, test_duplicate_keys_many);
	tcase_add_test(limits, test_node_limit);
	suite_add_tcase(s, limits);

	tcase_add_checked_fixture(get, doc_setup, doc_teardown);
	tcase_add_test(get, test_path);
	tcase_add_test(get, test_get_string);
	tcase_add_test(get, test_get_string_absent_and_type);
	tcase_add_test(get, test_get_string_control);
	tcase_add_test(get, test_get_string_hand_built_tree);
	tcase_add_test(get, test_get_int);
	tcase_add_test(get, test_get_nested_paths);
	tcase_add_test(get, test_get_bool);
	tcase_add_test(get, test_get_object_and_array);
	tcase_add_test(get, test_get_enum);
	tcase_add_test(get, test_only_keys);
	suite_add_tcase(s, get);
	return s;
}
