/*
 * motcua tests — export: masking, CSV cells (quoting, formula
 * neutralisation), JSON Lines rows, the canonical history line and the
 * period bounds.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "date.h"
#include "export.h"
#include "tests.h"
#include "util.h"

START_TEST(test_export_mask_keep4)
{
	char out[64];
	export_mask_keep4("038090001234", out, sizeof(out));
	ck_assert_str_eq(out, "********1234");
	export_mask_keep4("+84912345678", out, sizeof(out));
	ck_assert_str_eq(out, "********5678");
	export_mask_keep4("1234", out, sizeof(out));
	ck_assert_str_eq(out, "1234");
	export_mask_keep4("", out, sizeof(out));
	ck_assert_str_eq(out, "");
	/* Characters, not bytes: one star per hidden character. */
	export_mask_keep4("Nguyễn Văn", out, sizeof(out));
	ck_assert_str_eq(out, "****** Văn");
	export_mask_keep4("ễễễễễ", out, sizeof(out));
	ck_assert_str_eq(out, "*ễễễễ");
}
END_TEST

START_TEST(test_export_mask_email_and_address)
{
	char out[128];
	export_mask_email("an.nguyen@gmail.com", out, sizeof(out));
	ck_assert_str_eq(out, "a***@gmail.com");
	export_mask_email("ễ@thanhhoa.gov.vn", out, sizeof(out));
	ck_assert_str_eq(out, "ễ***@thanhhoa.gov.vn");
	export_mask_email("no-at-sign", out, sizeof(out));
	ck_assert_str_eq(out, "******sign");
	export_mask_address("12 Lê Lợi, phường Điện Biên, Thanh Hóa", out, sizeof(out));
	ck_assert_str_eq(out, "***, Thanh Hóa");
	export_mask_address("thôn 3", out, sizeof(out));
	ck_assert_str_eq(out, "***");
	export_mask_address("", out, sizeof(out));
	ck_assert_str_eq(out, "");
}
END_TEST

/* A register row with every column null except the ones set. */
static void blank_row(struct export_value *v)
{
	for (int c = 0; c < EXPORT_DOSSIER_COLS; c++) {
		v[c].null = 1;
		v[c].i = 0;
		v[c].s = "";
		v[c].len = 0;
	}
}

static int col_of(const char *key)
{
	for (int c = 0; c < EXPORT_DOSSIER_COLS; c++)
		if (!strcmp(export_dossier_cols[c].key, key))
			return c;
	ck_abort_msg("no column %s", key);
	return -1;
}

static void set_text(struct export_value *v, const char *key, const char *s)
{
	int c = col_of(key);
	v[c].null = 0;
	v[c].s = s;
	v[c].len = strlen(s);
}

static void set_int(struct export_value *v, const char *key, int64_t i)
{
	int c = col_of(key);
	v[c].null = 0;
	v[c].i = i;
}

static void sample_row(struct export_value *v)
{
	blank_row(v);
	set_text(v, "code", "000.01.01.H56-260213-0001");
	set_text(v, "applicant_name", "Trần, \"Bé\" An");
	set_text(v, "applicant_id_number", "038090001234");
	set_text(v, "applicant_phone", "+84912345678");
	set_text(v, "applicant_address", "=cmd|' /C calc'!A0, Thanh Hóa");
	set_text(v, "applicant_email", "an@example.vn");
	set_text(v, "note", "-1+2\nline two");
	set_int(v, "state_code", 2);
	set_int(v, "state", 2);
	set_int(v, "received_at", 1771000000);
	set_int(v, "result", 3);
	set_int(v, "paid_online", 1);
	set_int(v, "fee_vnd", -5);
}

/* Read one CSV text back with the project's RFC 4180 reader. */
static struct csv_reader *read_back(const char *text, FILE **f)
{
	*f = tmpfile();
	fputs(text, *f);
	rewind(*f);
	return csv_reader_open(*f);
}

START_TEST(test_export_csv_row_quotes_and_neutralises)
{
	struct export_value v[EXPORT_DOSSIER_COLS];
	struct export_fmt fmt;
	struct buf b = BUF_INIT;
	struct csv_row row;
	FILE *f;
	sample_row(v);
	export_fmt_init(&fmt, 1);
	export_csv_header(&b);
	ck_assert(memcmp(b.data, "\xEF\xBB\xBFSTT,Mã hồ sơ,", strlen("\xEF\xBB\xBFSTT,Mã hồ sơ,")) == 0);
	export_csv_row(&fmt, &b, v);
	export_csv_row(&fmt, &b, v);
	ck_assert_int_eq(fmt.rowno, 2);
	struct csv_reader *r = read_back(buf_cstr(&b), &f);
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.n, EXPORT_DOSSIER_COLS);
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_uint_eq(row.n, EXPORT_DOSSIER_COLS);
	ck_assert_str_eq(row.field[0], "1");
	ck_assert_str_eq(row.field[col_of("applicant_name")], "Trần, \"Bé\" An");
	ck_assert_str_eq(row.field[col_of("applicant_phone")], "'+84912345678");
	ck_assert_str_eq(row.field[col_of("applicant_address")], "'=cmd|' /C calc'!A0, Thanh Hóa");
	ck_assert_str_eq(row.field[col_of("note")], "'-1+2\nline two");
	ck_assert_str_eq(row.field[col_of("applicant_id_number")], "038090001234");
	/* Numbers are never altered, even negative ones. */
	ck_assert_str_eq(row.field[col_of("fee_vnd")], "-5");
	ck_assert_str_eq(row.field[col_of("state_code")], "2");
	ck_assert_str_eq(row.field[col_of("state")], "received");
	ck_assert_str_eq(row.field[col_of("result")], "late");
	ck_assert_str_eq(row.field[col_of("received_at")], "2026-02-13T23:26:40+07:00");
	ck_assert_str_eq(row.field[col_of("due_at")], "");
	ck_assert_str_eq(row.field[col_of("paid_online")], "true");
	ck_assert_int_eq(csv_read(r, &row), 1);
	ck_assert_str_eq(row.field[0], "2");
	ck_assert_int_eq(csv_read(r, &row), 0);
	csv_reader_free(r);
	fclose(f);
	/* The raw bytes: the quoted cell doubles its quotes, rows end CRLF. */
	ck_assert_ptr_nonnull(strstr(b.data, ",\"Trần, \"\"Bé\"\" An\","));
	ck_assert_ptr_nonnull(strstr(b.data, "\r\n2,"));
	buf_release(&b);
}
END_TEST

/* The fast path for plain cells writes what csv_put writes, for any text. */
START_TEST(test_export_csv_cells_match_csv_put)
{
	static const char *const alphabet[] = {
		"a", "Z", "7", " ", ",", "\"", "\r", "\n", "=", "+", "-", "@", "\t", "'", "ễ", "Đ", ";",
	};
	struct export_value v[EXPORT_DOSSIER_COLS];
	struct export_fmt fmt;
	struct buf got = BUF_INIT, want = BUF_INIT;
	char text[64];
	uint64_t rng = 88172645463325252ull;
	int note = col_of("note");
	export_fmt_init(&fmt, 1);
	for (int i = 0; i < 2000; i++) {
		size_t n = 0;
		int len = (int)(i % 9);
		text[0] = '\0';
		for (int k = 0; k < len; k++) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			const char *piece = alphabet[rng % (sizeof(alphabet) / sizeof(alphabet[0]))];
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", piece);
		}
		blank_row(v);
		set_text(v, "note", text);
		buf_reset(&got);
		buf_reset(&want);
		fmt.rowno = 0;
		export_csv_row(&fmt, &got, v);
		buf_adds(&want, "1");
		for (int c = 1; c < EXPORT_DOSSIER_COLS; c++)
			if (c == note)
				csv_put(&want, text, 0);
			else
				buf_addc(&want, ',');
		csv_end_row(&want);
		ck_assert_msg(got.len == want.len && memcmp(got.data, want.data, got.len) == 0,
			      "cell \"%s\": got %s want %s", text, got.data, want.data);
	}
	buf_release(&got);
	buf_release(&want);
}
END_TEST

START_TEST(test_export_csv_masks_without_pii)
{
	struct export_value v[EXPORT_DOSSIER_COLS];
	struct export_fmt fmt;
	struct buf b = BUF_INIT;
	sample_row(v);
	export_fmt_init(&fmt, 0);
	export_csv_row(&fmt, &b, v);
	ck_assert_ptr_nonnull(strstr(b.data, ",********1234,"));
	ck_assert_ptr_nonnull(strstr(b.data, ",********5678,"));
	ck_assert_ptr_nonnull(strstr(b.data, ",\"***, Thanh Hóa\","));
	ck_assert_ptr_nonnull(strstr(b.data, ",a***@example.vn,"));
	ck_assert_ptr_null(strstr(b.data, "038090001234"));
	ck_assert_ptr_null(strstr(b.data, "912345678"));
	ck_assert_ptr_null(strstr(b.data, "calc"));
	/* The name is shown: the register calls people by name. */
	ck_assert_ptr_nonnull(strstr(b.data, "Trần"));
	buf_release(&b);
}
END_TEST

START_TEST(test_export_jsonl_row_parses)
{
	struct export_value v[EXPORT_DOSSIER_COLS];
	struct export_fmt fmt;
	struct buf b = BUF_INIT;
	sample_row(v);
	export_fmt_init(&fmt, 0);
	export_jsonl_row(&fmt, &b, v);
	ck_assert_int_eq(b.data[b.len - 1], '\n');
	ck_assert_ptr_null(memchr(b.data, '\n', b.len - 1));
	cJSON *o = cJSON_ParseWithLength(b.data, b.len);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(cJSON_GetArraySize(o), EXPORT_DOSSIER_COLS - 1);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "applicant_name")->valuestring, "Trần, \"Bé\" An");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "applicant_id_number")->valuestring, "********1234");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "note")->valuestring, "-1+2\nline two");
	ck_assert_int_eq(cJSON_GetObjectItem(o, "state_code")->valueint, 2);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "state")->valuestring, "received");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "due_at")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "current_step")));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(o, "paid_online")));
	ck_assert_str_eq(cJSON_GetObjectItem(o, "received_at")->valuestring, "2026-02-13T23:26:40+07:00");
	cJSON_Delete(o);
	buf_release(&b);
}
END_TEST

START_TEST(test_export_json_string_escapes)
{
	struct buf b = BUF_INIT;
	export_json_string(&b, "a\"b\\c\n\t\x01\x1f/é");
	ck_assert_str_eq(buf_cstr(&b), "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f/é\"");
	buf_release(&b);
}
END_TEST

START_TEST(test_export_event_line_is_canonical)
{
	struct audit_row r;
	unsigned char h[AUDIT_HASH_LEN];
	struct buf b = BUF_INIT;
	memset(&r, 0, sizeof(r));
	r.seq = 7;
	r.at = 1771000000;
	r.dossier_id = AUDIT_NULL;
	r.dossier_ref = "";
	r.actor = "auditor";
	r.actor_role = "auditor";
	r.actor_agency = "000.00.00.H56";
	r.action = "export";
	r.from_state = AUDIT_NULL;
	r.to_state = AUDIT_NULL;
	r.step = 0;
	r.clock = NULL;
	r.due_at = AUDIT_NULL;
	r.note = "";
	r.data = "{\"k\":1}";
	memset(r.prev_hash, 0xab, AUDIT_HASH_LEN);
	memset(h, 0x01, AUDIT_HASH_LEN);
	export_event_line(&b, &r, h);
	ck_assert_str_eq(buf_cstr(&b),
		"{\"seq\":7,\"at\":1771000000,\"dossier_id\":null,\"dossier_ref\":\"\","
		"\"actor\":\"auditor\",\"actor_role\":\"auditor\",\"actor_agency\":\"000.00.00.H56\","
		"\"action\":\"export\",\"from_state\":null,\"to_state\":null,\"step\":0,\"clock\":null,"
		"\"due_at\":null,\"note\":\"\",\"data\":\"{\\\"k\\\":1}\","
		"\"prev_hash\":\"abababababababababababababababababababababababababababababababab\","
		"\"hash\":\"0101010101010101010101010101010101010101010101010101010101010101\"}\n");
	buf_reset(&b);
	export_event_trailer(&b, 5, 4, 0, NULL);
	ck_assert_str_eq(buf_cstr(&b), "{\"export\":\"motcua-events-v1\",\"from_seq\":5,\"to_seq\":4,"
				       "\"rows\":0,\"last_hash\":null}\n");
	buf_release(&b);
}
END_TEST

START_TEST(test_export_parse_bound)
{
	int64_t t;
	/* Days are office days (+07:00): from = midnight, to = next midnight. */
	ck_assert_int_eq(export_parse_bound("2026-01-01", 0, &t), 0);
	ck_assert_int_eq(t, 1767200400);
	ck_assert_int_eq(export_parse_bound("2026-01-01", 1, &t), 0);
	ck_assert_int_eq(t, 1767200400 + 86400);
	ck_assert_int_eq(export_parse_bound("2026-01-01T08:00:00Z", 0, &t), 0);
	ck_assert_int_eq(t, 1767254400);
	ck_assert_int_eq(export_parse_bound("2026-01-01T08:00:00+07:00", 1, &t), 0);
	ck_assert_int_eq(t, 1767229200);
	/* Without an offset: office time. */
	ck_assert_int_eq(export_parse_bound("2026-01-01T08:00", 0, &t), 0);
	ck_assert_int_eq(t, 1767229200);
	ck_assert_int_eq(export_parse_bound(NULL, 0, &t), 0);
	ck_assert(t == EXPORT_FROM_ANY);
	ck_assert_int_eq(export_parse_bound("", 1, &t), 0);
	ck_assert(t == EXPORT_TO_ANY);
	ck_assert_int_eq(export_parse_bound("2026-02-30", 0, &t), -1);
	ck_assert_int_eq(export_parse_bound("yesterday", 0, &t), -1);
}
END_TEST

START_TEST(test_export_names)
{
	enum export_kind k;
	enum export_format f;
	ck_assert_int_eq(export_kind_parse("events", &k), 0);
	ck_assert_int_eq(k, EXPORT_EVENTS);
	ck_assert_int_eq(export_kind_parse("event", &k), -1);
	ck_assert_int_eq(export_format_parse("xlsx", &f), 0);
	ck_assert_int_eq(f, EXPORT_XLSX);
	ck_assert_int_eq(export_format_parse("XLSX", &f), -1);
	ck_assert_str_eq(export_content_type(EXPORT_CSV), "text/csv; charset=utf-8");
	/* Every register column has a distinct key. */
	for (int i = 0; i < EXPORT_DOSSIER_COLS; i++)
		for (int j = i + 1; j < EXPORT_DOSSIER_COLS; j++)
			ck_assert_str_ne(export_dossier_cols[i].key, export_dossier_cols[j].key);
}
END_TEST

Suite *export_suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("formats");
	tcase_add_test(tc, test_export_mask_keep4);
	tcase_add_test(tc, test_export_mask_email_and_address);
	tcase_add_test(tc, test_export_csv_row_quotes_and_neutralises);
	tcase_add_test(tc, test_export_csv_cells_match_csv_put);
	tcase_add_test(tc, test_export_csv_masks_without_pii);
	tcase_add_test(tc, test_export_jsonl_row_parses);
	tcase_add_test(tc, test_export_json_string_escapes);
	tcase_add_test(tc, test_export_event_line_is_canonical);
	tcase_add_test(tc, test_export_parse_bound);
	tcase_add_test(tc, test_export_names);
	suite_add_tcase(s, tc);
	return s;
}
