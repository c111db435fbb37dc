/*
 * motcua tests — capture: a batch's rows kept in memory for the bulk
 * seeder (ids given in order, updates replacing the recorded row, code
 * numbers continued across batches, copies independent of the caller's).
 */
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "tests.h"

static void row(struct dossier_row *d, const char *name, int state)
{
	memset(d, 0, sizeof(*d));
	strcpy(d->applicant_name, name);
	d->state = state;
}

START_TEST(test_capture_ids_updates_and_parts)
{
	struct capture_codes *k = capture_codes_new();
	struct capture *c = capture_new(k);
	struct dossier_row *d = calloc(1, sizeof(*d));
	struct dossier_step st;
	struct document_in doc = { "Tờ khai", "original", 1 };
	char key[16] = "nguyen van an";
	capture_clear(c, 101);
	row(d, "Nguyễn Văn An", 2);
	ck_assert_int_eq(capture_dossier_insert(c, d, key), 101);
	row(d, "Trần Thị Bình", 2);
	d->id = capture_dossier_insert(c, d, "tran thi binh");
	ck_assert_int_eq(d->id, 102);
	strcpy(key, "changed");	/* copied, not borrowed */
	ck_assert_str_eq(capture_dossier_at(c, 0)->name_key, "nguyen van an");
	/* An update replaces the row; a dossier of no batch is refused. */
	d->state = 10;
	ck_assert_int_eq(capture_dossier_update(c, d), 0);
	ck_assert_int_eq(capture_dossier_at(c, 1)->d.state, 10);
	ck_assert_int_eq(capture_n_dossiers(c), 2);
	d->id = 103;
	ck_assert_int_eq(capture_dossier_update(c, d), -1);
	ck_assert_int_eq(capture_document(c, 99, 1, &doc), -1);
	ck_assert_int_eq(capture_index_of(c, 100), -1);
	ck_assert_int_eq(capture_index_of(c, 102), 1);
	/* A step recorded twice is stored once, as last recorded. */
	memset(&st, 0, sizeof(st));
	st.seq = 1;
	st.started_at = 10;
	ck_assert_int_eq(capture_step(c, 102, &st), 0);
	st.finished_at = 20;
	ck_assert_int_eq(capture_step(c, 102, &st), 0);
	st.seq = 2;
	ck_assert_int_eq(capture_step(c, 102, &st), 0);
	ck_assert_int_eq(capture_n_steps(c), 2);
	ck_assert_int_eq(capture_step_at(c, 0)->s.finished_at, 20);
	ck_assert_int_eq(capture_document(c, 101, 1, &doc), 0);
	ck_assert_str_eq(capture_document_at(c, 0)->doc.name, "Tờ khai");
	/* An overdue interval closed later replaces the open one. */
	capture_ovd(c, 101, 5, 6);
	capture_ovd(c, 101, 5, 9);
	ck_assert_int_eq(capture_n_ovd(c), 1);
	ck_assert_int_eq(capture_ovd_at(c, 0)->to_day, 9);
	/* The next batch starts empty at its own first id. */
	capture_clear(c, 103);
	ck_assert_int_eq(capture_n_dossiers(c), 0);
	ck_assert_int_eq(capture_n_steps(c), 0);
	ck_assert_int_eq(capture_dossier_insert(c, d, ""), 103);
	free(d);
	capture_free(c);
	capture_codes_free(k);
}
END_TEST

START_TEST(test_capture_codes_continue_across_batches)
{
	struct capture_codes *k = capture_codes_new();
	struct capture *a = capture_new(k), *b = capture_new(k);
	int seq = 0;
	capture_clear(a, 1);
	capture_clear(b, 1);
	/* Unknown until seeded from the database's last number. */
	ck_assert_int_eq(capture_next_seq(a, 7, "2026-11-20", &seq), 0);
	capture_seq_seed(a, 7, "2026-11-20", 41);
	ck_assert_int_eq(capture_next_seq(a, 7, "2026-11-20", &seq), 1);
	ck_assert_int_eq(seq, 42);
	capture_seq_seed(a, 7, "2026-11-20", 0);	/* seeding twice changes nothing */
	ck_assert_int_eq(capture_next_seq(a, 7, "2026-11-20", &seq), 1);
	ck_assert_int_eq(seq, 43);
	/* Many pairs: the table grows and keeps every count. */
	for (int ag = 100; ag < 1300; ag++) {
		capture_seq_seed(a, ag, "2026-11-21", 0);
		ck_assert_int_eq(capture_next_seq(a, ag, "2026-11-21", &seq), 1);
		ck_assert_int_eq(seq, 1);
	}
	ck_assert_int_eq(capture_next_seq(a, 7, "2026-11-20", &seq), 1);
	ck_assert_int_eq(seq, 44);
	capture_take_codes(a);
	ck_assert_int_eq(capture_n_seqs(a), 1201);
	int found = 0;
	for (size_t i = 0; i < capture_n_seqs(a); i++)
		if (capture_seq_at(a, i)->agency_id == 7) {
			ck_assert_str_eq(capture_seq_at(a, i)->day, "2026-11-20");
			ck_assert_int_eq(capture_seq_at(a, i)->last, 44);
			found++;
		}
	ck_assert_int_eq(found, 1);
	/* The other batch continues the numbers and takes only its own. */
	ck_assert_int_eq(capture_next_seq(b, 7, "2026-11-20", &seq), 1);
	ck_assert_int_eq(seq, 45);
	capture_take_codes(b);
	ck_assert_int_eq(capture_n_seqs(b), 1);
	ck_assert_int_eq(capture_seq_at(b, 0)->last, 45);
	capture_clear(a, 1);
	ck_assert_int_eq(capture_n_seqs(a), 0);
	capture_free(a);
	capture_free(b);
	capture_codes_free(k);
}
END_TEST

START_TEST(test_capture_history_is_copied)
{
	struct capture_codes *k = capture_codes_new();
	struct capture *c = capture_new(k);
	unsigned char prev[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN];
	char data[32] = "{\"a\":1}";
	struct event_rec e = { .at = 5, .dossier_id = 1, .dossier_ref = "X", .actor = "clerk",
			       .actor_role = "clerk", .actor_agency = "A", .action = "receive",
			       .step = 0, .clock = "start", .note = "", .data = data };
	memset(prev, 1, sizeof(prev));
	memset(hash, 2, sizeof(hash));
	capture_clear(c, 1);
	capture_event(c, &e, 9, prev, hash);
	strcpy(data, "gone");
	ck_assert_int_eq(capture_n_events(c), 1);
	ck_assert_str_eq(capture_event_at(c, 0)->e.data, "{\"a\":1}");
	ck_assert_int_eq(capture_event_at(c, 0)->seq, 9);
	ck_assert_int_eq(capture_event_at(c, 0)->prev[0], 1);
	ck_assert_int_eq(capture_event_at(c, 0)->hash[31], 2);
	capture_free(c);
	capture_codes_free(k);
}
END_TEST

Suite *capture_suite(void)
{
	Suite *s = suite_create("capture");
	TCase *tc = tcase_create("capture");
	tcase_add_test(tc, test_capture_ids_updates_and_parts);
	tcase_add_test(tc, test_capture_codes_continue_across_batches);
	tcase_add_test(tc, test_capture_history_is_copied);
	suite_add_tcase(s, tc);
	return s;
}
