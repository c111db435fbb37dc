/*
 * motcua tests — verify: an intact history export passes; 10,000 random
 * tamperings (a changed byte, a changed field with or without its hash
 * recomputed, a row deleted, inserted, duplicated or moved, the file cut
 * anywhere) are every one detected, and a changed byte or field is
 * reported at the line that was touched.
 *
 * The export is built once in memory with the exporter's own encoder and
 * audit_hash; every tampering works on a copy. Deterministic seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "export.h"
#include "tests.h"
#include "util.h"
#include "verify.h"

#define ROWS 40
#define TAMPERS 10000

struct fixture {
	struct audit_row row[ROWS + 1];		/* 1-based by seq */
	unsigned char hash[ROWS + 1][AUDIT_HASH_LEN];
	char text[ROWS + 1][8][96];		/* string storage */
	struct buf file;			/* the export: ROWS lines + trailer */
	size_t line_start[ROWS + 2];		/* offset of line k (1-based) */
};

static struct fixture fx;

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next_rand(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1Dull;
}

static size_t pick(size_t n)
{
	return (size_t)(next_rand() % n);
}

/* Varied rows: nulls, Vietnamese, quotes, backslashes, control bytes,
 * JSON in data, long and empty strings. */
static void make_row(int seq)
{
	static const char *const actions[] = { "receive", "transfer", "resolve", "export", "return" };
	static const char *const notes[] = {
		"", "Thiếu bản sao \"sổ hộ khẩu\"", "a\\b\tc\nd", "\x01\x1f control", "=1+2 (không phải công thức)",
		"Người dân rút hồ sơ; đã trả lại bản gốc",
	};
	struct audit_row *r = &fx.row[seq];
	char (*t)[96] = fx.text[seq];
	memset(r, 0, sizeof(*r));
	r->seq = seq;
	r->at = 1760000000 + seq * 97;
	r->dossier_id = seq % 5 == 0 ? AUDIT_NULL : 1000 + seq / 3;
	snprintf(t[0], 96, "000.01.01.H56-2611%02d-%04d", seq % 28 + 1, seq);
	r->dossier_ref = r->dossier_id == AUDIT_NULL ? "" : t[0];
	snprintf(t[1], 96, "user%d", seq % 7);
	r->actor = t[1];
	r->actor_role = seq % 2 ? "officer" : "clerk";
	r->actor_agency = "000.00.21.H56";
	r->action = actions[seq % 5];
	r->from_state = seq % 3 == 0 ? AUDIT_NULL : 2 + seq % 3;
	r->to_state = seq % 4 == 0 ? AUDIT_NULL : 4 + seq % 5;
	r->step = seq % 6 == 0 ? AUDIT_NULL : seq % 3;
	r->clock = seq % 2 ? "start" : "";
	r->due_at = seq % 7 == 0 ? AUDIT_NULL : 1761000000 + seq;
	r->note = notes[seq % 6];
	snprintf(t[2], 96, "{\"step\":%d,\"to_agency\":\"000.00.%02d.H56\",\"tên\":\"Lê\"}", seq % 3, seq % 60);
	r->data = seq % 4 == 1 ? "" : t[2];
	if (seq == 1)
		memset(r->prev_hash, 0, AUDIT_HASH_LEN);
	else
		memcpy(r->prev_hash, fx.hash[seq - 1], AUDIT_HASH_LEN);
	audit_hash(r, fx.hash[seq]);
}

static void build(void)
{
	memset(&fx, 0, sizeof(fx));
	for (int s = 1; s <= ROWS; s++) {
		make_row(s);
		fx.line_start[s] = fx.file.len;
		export_event_line(&fx.file, &fx.row[s], fx.hash[s]);
	}
	fx.line_start[ROWS + 1] = fx.file.len;
	export_event_trailer(&fx.file, 1, ROWS, ROWS, fx.hash[ROWS]);
}

static void release(void)
{
	buf_release(&fx.file);
}

/* The 1-based line holding byte pos (its '\n' included). */
static long line_of(size_t pos)
{
	long k = 1;
	while (k <= ROWS && fx.line_start[k + 1] <= pos)
		k++;
	return k;
}

static size_t line_len(long k)
{
	size_t end = k <= ROWS ? fx.line_start[k + 1] : fx.file.len;
	return end - fx.line_start[k];
}

/* The file with line k replaced by text (k in 1..ROWS+1). */
static void replace_line(struct buf *out, long k, const char *text, size_t n)
{
	buf_add(out, fx.file.data, fx.line_start[k]);
	buf_add(out, text, n);
	size_t end = fx.line_start[k] + line_len(k);
	buf_add(out, fx.file.data + end, fx.file.len - end);
}

/* ---- intact files ------------------------------------------------------ */

START_TEST(test_verify_intact_export_passes)
{
	struct verify_result res;
	char hex[65];
	build();
	ck_assert_int_eq(verify_buffer(fx.file.data, fx.file.len, NULL, &res), 0);
	ck_assert_int_eq(res.ok, 1);
	ck_assert_int_eq(res.rows, ROWS);
	ck_assert_int_eq(res.first_seq, 1);
	ck_assert_int_eq(res.last_seq, ROWS);
	audit_hex(fx.hash[ROWS], hex);
	ck_assert_str_eq(res.last_hash, hex);
	/* The noted head: the last row, or an earlier one (the history grew). */
	ck_assert_int_eq(verify_buffer(fx.file.data, fx.file.len, hex, &res), 0);
	ck_assert_int_eq(res.head_seq, ROWS);
	audit_hex(fx.hash[17], hex);
	hex[0] = (char)(hex[0] >= 'a' ? hex[0] - 32 : hex[0]);	/* either case */
	ck_assert_int_eq(verify_buffer(fx.file.data, fx.file.len, hex, &res), 0);
	ck_assert_int_eq(res.head_seq, 17);
	/* A head that is no row's hash fails. */
	hex[63] = hex[63] == '0' ? '1' : '0';
	ck_assert_int_eq(verify_buffer(fx.file.data, fx.file.len, hex, &res), -1);
	ck_assert_ptr_nonnull(strstr(res.reason, "head"));
	ck_assert_int_eq(verify_buffer(fx.file.data, fx.file.len, "not-a-hash", &res), -1);
	release();
}
END_TEST

START_TEST(test_verify_range_and_empty_exports_pass)
{
	struct verify_result res;
	struct buf part = BUF_INIT;
	build();
	/* seq 11..30: the first prev_hash is taken as the anchor. */
	buf_add(&part, fx.file.data + fx.line_start[11], fx.line_start[31] - fx.line_start[11]);
	export_event_trailer(&part, 11, 30, 20, fx.hash[30]);
	ck_assert_int_eq(verify_buffer(part.data, part.len, NULL, &res), 0);
	ck_assert_int_eq(res.first_seq, 11);
	ck_assert_int_eq(res.rows, 20);
	buf_reset(&part);
	export_event_trailer(&part, 41, 40, 0, NULL);
	ck_assert_int_eq(verify_buffer(part.data, part.len, NULL, &res), 0);
	ck_assert_int_eq(res.rows, 0);
	/* A first row of the whole history must start from the zero hash. */
	buf_reset(&part);
	struct audit_row r = fx.row[1];
	unsigned char h[AUDIT_HASH_LEN];
	memset(r.prev_hash, 7, AUDIT_HASH_LEN);
	audit_hash(&r, h);
	export_event_line(&part, &r, h);
	export_event_trailer(&part, 1, 1, 1, h);
	ck_assert_int_eq(verify_buffer(part.data, part.len, NULL, &res), -1);
	ck_assert_int_eq(res.line, 1);
	/* Empty input is not an export. */
	ck_assert_int_eq(verify_buffer("", 0, NULL, &res), -1);
	ck_assert_ptr_nonnull(strstr(res.reason, "empty"));
	buf_release(&part);
	release();
}
END_TEST

START_TEST(test_verify_file_reader)
{
	struct verify_result res;
	FILE *f;
	build();
	f = tmpfile();
	fwrite(fx.file.data, 1, fx.file.len, f);
	rewind(f);
	ck_assert_int_eq(verify_file(f, NULL, &res), 0);
	ck_assert_int_eq(res.rows, ROWS);
	fclose(f);
	/* Cut inside the last row: that line has no end. */
	f = tmpfile();
	fwrite(fx.file.data, 1, fx.line_start[ROWS] + 10, f);
	rewind(f);
	ck_assert_int_eq(verify_file(f, NULL, &res), -1);
	ck_assert_int_eq(res.line, ROWS);
	fclose(f);
	release();
}
END_TEST

/* ---- tampering ----------------------------------------------------------- */

enum tamper {
	T_BYTE,		/* one byte changed anywhere */
	T_FIELD,	/* one field changed, line kept canonical */
	T_FIELD_REHASH,	/* … and the row's own hash recomputed */
	T_CASE,		/* a hash written in upper case (same value) */
	T_DELETE,	/* a line removed (the trailer included) */
	T_INSERT_COPY,	/* a copy of one line inserted elsewhere */
	T_INSERT_FAKE,	/* a self-consistent forged row inserted */
	T_DUPLICATE,	/* a row repeated right after itself */
	T_SWAP,		/* two lines exchanged */
	T_TRUNCATE,	/* the file cut at any byte */
	T_TRUNCATE_LINES,	/* the last lines removed */
	T__MAX
};

/* Change one field of a row (different value, same types). Returns 1
 * when the field changed was prev_hash. */
static int mutate_field(struct audit_row *r, char *scratch, size_t n)
{
	switch (pick(10)) {
	case 0:
		r->at += 1 + (int64_t)pick(1000);
		break;
	case 1:
		r->dossier_id = r->dossier_id == AUDIT_NULL ? 5 : AUDIT_NULL;
		break;
	case 2:
		snprintf(scratch, n, "%sX", r->actor ? r->actor : "");
		r->actor = scratch;
		break;
	case 3:
		r->action = strcmp(r->action, "resolve") ? "resolve" : "return";
		break;
	case 4:
		r->to_state = r->to_state == AUDIT_NULL ? 9 : r->to_state + 1;
		break;
	case 5:
		r->step = r->step == AUDIT_NULL ? 0 : AUDIT_NULL;
		break;
	case 6:
		snprintf(scratch, n, "%s.", r->note ? r->note : "");
		r->note = scratch;
		break;
	case 7:
		r->data = r->data && *r->data ? "" : "{\"result\":\"on_time\"}";
		break;
	case 8:
		r->due_at = r->due_at == AUDIT_NULL ? 1 : r->due_at - 3600;
		break;
	default:
		r->prev_hash[pick(AUDIT_HASH_LEN)] ^= (unsigned char)(1 + pick(255));
		return 1;
	}
	return 0;
}

/* Apply tampering t to a copy of the file; expect_line gets the line the
 * failure must name (0 = any). */
static void tamper(enum tamper t, struct buf *out, long *expect_line)
{
	char scratch[256];
	struct buf line = BUF_INIT;
	struct audit_row r;
	unsigned char h[AUDIT_HASH_LEN];
	long k, j;
	size_t pos;
	int relinked;
	*expect_line = 0;
	switch (t) {
	case T_BYTE: {
		pos = pick(fx.file.len);
		unsigned char b = (unsigned char)(1 + pick(255));
		buf_add(out, fx.file.data, fx.file.len);
		out->data[pos] = (char)((unsigned char)out->data[pos] ^ b);
		*expect_line = line_of(pos);
		break;
	}
	case T_FIELD:
	case T_FIELD_REHASH:
		k = 1 + (long)pick(ROWS);
		r = fx.row[k];
		relinked = mutate_field(&r, scratch, sizeof(scratch));
		memcpy(h, fx.hash[k], AUDIT_HASH_LEN);
		if (t == T_FIELD_REHASH)
			audit_hash(&r, h);
		export_event_line(&line, &r, h);
		replace_line(out, k, line.data, line.len);
		/* The forger who fixes the row's hash is caught one line on,
		 * where the next row (or the trailer) still names the old one —
		 * unless it was the row's own link that changed. */
		*expect_line = t == T_FIELD || relinked ? k : k + 1;
		break;
	case T_CASE: {
		k = 1 + (long)pick(ROWS);
		buf_add(out, fx.file.data, fx.file.len);
		char *hp = strstr(out->data + fx.line_start[k], "\"hash\":\"") + 8;
		size_t i = 0;
		while (i < 64 && !(hp[i] >= 'a' && hp[i] <= 'f'))
			i++;
		if (i == 64) {	/* all digits: change the case of prev_hash's instead */
			hp = strstr(out->data + fx.line_start[k], "\"prev_hash\":\"") + 13;
			i = 0;
			while (i < 64 && !(hp[i] >= 'a' && hp[i] <= 'f'))
				i++;
		}
		ck_assert_uint_lt(i, 64);
		hp[i] = (char)(hp[i] - 32);
		*expect_line = k;
		break;
	}
	case T_DELETE:
		k = 1 + (long)pick(ROWS + 1);
		replace_line(out, k, "", 0);
		break;
	case T_INSERT_COPY:
		k = 1 + (long)pick(ROWS + 1);
		j = 1 + (long)pick(ROWS + 2);	/* insert before line j (ROWS+2 = at the end) */
		if (j <= ROWS + 1) {
			buf_add(out, fx.file.data, fx.line_start[j]);
			buf_add(out, fx.file.data + fx.line_start[k], line_len(k));
			buf_add(out, fx.file.data + fx.line_start[j], fx.file.len - fx.line_start[j]);
		} else {
			buf_add(out, fx.file.data, fx.file.len);
			buf_add(out, fx.file.data + fx.line_start[k], line_len(k));
		}
		break;
	case T_INSERT_FAKE:
		k = 1 + (long)pick(ROWS);
		r = fx.row[k];
		r.seq = 1 + (int64_t)pick(ROWS + 1);
		r.note = "forged";
		audit_hash(&r, h);
		export_event_line(&line, &r, h);
		j = 1 + (long)pick(ROWS + 1);
		buf_add(out, fx.file.data, fx.line_start[j]);
		buf_add(out, line.data, line.len);
		buf_add(out, fx.file.data + fx.line_start[j], fx.file.len - fx.line_start[j]);
		break;
	case T_DUPLICATE:
		k = 1 + (long)pick(ROWS);
		buf_add(out, fx.file.data, fx.line_start[k] + line_len(k));
		buf_add(out, fx.file.data + fx.line_start[k], fx.file.len - fx.line_start[k]);
		*expect_line = k + 1;
		break;
	case T_SWAP:
		k = 1 + (long)pick(ROWS + 1);
		do
			j = 1 + (long)pick(ROWS + 1);
		while (j == k);
		if (j < k) {
			long x = j;
			j = k;
			k = x;
		}
		buf_add(out, fx.file.data, fx.line_start[k]);
		buf_add(out, fx.file.data + fx.line_start[j], line_len(j));
		buf_add(out, fx.file.data + fx.line_start[k] + line_len(k),
			fx.line_start[j] - (fx.line_start[k] + line_len(k)));
		buf_add(out, fx.file.data + fx.line_start[k], line_len(k));
		buf_add(out, fx.file.data + fx.line_start[j] + line_len(j),
			fx.file.len - (fx.line_start[j] + line_len(j)));
		/* A row moved to the top starts the range (any seq may): the
		 * break shows on the next line. */
		*expect_line = k == 1 && j <= ROWS ? 2 : k;
		break;
	case T_TRUNCATE:
		buf_add(out, fx.file.data, pick(fx.file.len));
		break;
	default:
		k = 1 + (long)pick(ROWS + 1);	/* keep lines before k */
		buf_add(out, fx.file.data, fx.line_start[k]);
		break;
	}
	buf_release(&line);
}

START_TEST(test_verify_detects_every_tampering)
{
	static const char *const names[T__MAX] = {
		"byte", "field", "field+rehash", "hex case", "delete", "insert copy", "insert forged",
		"duplicate", "swap", "truncate", "truncate lines",
	};
	int count[T__MAX] = { 0 };
	struct buf copy = BUF_INIT;
	struct verify_result res;
	build();
	rng = 20261122;
	for (int i = 0; i < TAMPERS; i++) {
		enum tamper t = (enum tamper)pick(T__MAX);
		long expect;
		buf_reset(&copy);
		tamper(t, &copy, &expect);
		/* Every tampering changes the bytes (else it is no tampering). */
		ck_assert(copy.len != fx.file.len || memcmp(copy.data, fx.file.data, copy.len) != 0);
		int rc = verify_buffer(copy.len ? copy.data : "", copy.len, NULL, &res);
		ck_assert_msg(rc == -1 && !res.ok, "tampering #%d (%s) was not detected", i, names[t]);
		ck_assert_msg(res.reason[0] != '\0', "tampering #%d (%s): no reason given", i, names[t]);
		if (expect)
			ck_assert_msg(res.line == expect, "tampering #%d (%s): reported line %ld, touched %ld: %s",
				      i, names[t], res.line, expect, res.reason);
		count[t]++;
	}
	for (int t = 0; t < T__MAX; t++)
		ck_assert_msg(count[t] > TAMPERS / T__MAX / 2, "%s tried only %d times", names[t], count[t]);
	buf_release(&copy);
	release();
}
END_TEST

START_TEST(test_verify_names_the_row)
{
	struct verify_result res;
	struct buf copy = BUF_INIT;
	build();
	/* The "actor" of seq 23 edited by hand. */
	buf_add(&copy, fx.file.data, fx.file.len);
	char *p = strstr(copy.data + fx.line_start[23], "\"actor\":\"user") + 13;
	*p = 'U';
	ck_assert_int_eq(verify_buffer(copy.data, copy.len, NULL, &res), -1);
	ck_assert_int_eq(res.line, 23);
	ck_assert_int_eq(res.seq, 23);
	ck_assert_ptr_nonnull(strstr(res.reason, "altered"));
	/* Row 23 removed: row 24 is the first out of place. */
	buf_reset(&copy);
	replace_line(&copy, 23, "", 0);
	ck_assert_int_eq(verify_buffer(copy.data, copy.len, NULL, &res), -1);
	ck_assert_int_eq(res.line, 23);
	ck_assert_int_eq(res.seq, 24);
	ck_assert_ptr_nonnull(strstr(res.reason, "follows"));
	/* The trailer removed. */
	buf_reset(&copy);
	buf_add(&copy, fx.file.data, fx.line_start[ROWS + 1]);
	ck_assert_int_eq(verify_buffer(copy.data, copy.len, NULL, &res), -1);
	ck_assert_int_eq(res.line, ROWS + 1);
	ck_assert_ptr_nonnull(strstr(res.reason, "trailer"));
	buf_release(&copy);
	release();
}
END_TEST

Suite *verify_suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("chain");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_verify_intact_export_passes);
	tcase_add_test(tc, test_verify_range_and_empty_exports_pass);
	tcase_add_test(tc, test_verify_file_reader);
	tcase_add_test(tc, test_verify_names_the_row);
	tcase_add_test(tc, test_verify_detects_every_tampering);
	suite_add_tcase(s, tc);
	return s;
}
