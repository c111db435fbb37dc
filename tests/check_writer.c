/*
 * motcua tests — writer: group commit under concurrent intake.
 *
 * 64 clients receive a dossier at the same moment. Each must get its 201
 * (answered only once its transaction is durable) with a code of its own,
 * every dossier must be there afterwards, and the writer must have
 * committed some of them together: /metrics' batch-size histogram then
 * has commits above its first bucket (le="1").
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tests.h"

#define CLIENTS 64

struct client {
	int index;
	const char *cookie;
	pthread_barrier_t *start;
	int status;
	char code[40];
};

static void *client_run(void *arg)
{
	struct client *c = arg;
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"procedure_code\":\"1.013831\",\"channel\":\"direct\",\"applicant\":{\"name\":\"Khách %d\","
		 "\"id_number\":\"0380900%05d\"}}", c->index, c->index);
	pthread_barrier_wait(c->start);
	struct tu_response *r = tu_request("POST", "/api/v1/dossiers", c->cookie, body, NULL, NULL);
	c->status = r->status;
	const char *code = tu_str(r->json, "code");
	snprintf(c->code, sizeof(c->code), "%s", code ? code : "");
	tu_response_free(r);
	return NULL;
}

/* The value of a metric line "name value" in the /metrics text. */
static long long metric(const char *text, const char *name)
{
	const char *p = text;
	size_t n = strlen(name);
	while ((p = strstr(p, name)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return atoll(p + n + 1);
		p += n;
	}
	ck_abort_msg("no metric %s", name);
	return -1;
}

START_TEST(test_writer_group_commit_concurrent_intake)
{
	struct client clients[CLIENTS];
	pthread_t threads[CLIENTS];
	pthread_barrier_t start;
	tu_server_start(NULL);
	tu_set_now_local(2026, 3, 2, 9, 0);
	const char *cookie = tu_login("clerk");
	/* Settle the login's own writes (session) before counting. */
	tu_response_free(tu_expect(200, "GET", "/api/v1/session", cookie, NULL));
	struct tu_response *m = tu_expect(200, "GET", "/metrics", NULL, NULL);
	long long batches_before = metric(m->body, "motcua_commit_batch_size_count");
	long long singles_before = metric(m->body, "motcua_commit_batch_size_bucket{le=\"1\"}");
	tu_response_free(m);
	ck_assert_int_eq(pthread_barrier_init(&start, NULL, CLIENTS), 0);
	for (int i = 0; i < CLIENTS; i++) {
		clients[i] = (struct client){ i, cookie, &start, 0, "" };
		ck_assert_int_eq(pthread_create(&threads[i], NULL, client_run, &clients[i]), 0);
	}
	for (int i = 0; i < CLIENTS; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < CLIENTS; i++) {
		ck_assert_msg(clients[i].status == 201, "client %d: %d", i, clients[i].status);
		ck_assert_msg(strncmp(clients[i].code, "000.01.01.H56-260302-", 21) == 0, "client %d: %s", i,
			      clients[i].code);
		for (int j = 0; j < i; j++)
			ck_assert_msg(strcmp(clients[i].code, clients[j].code) != 0, "code %s given twice",
				      clients[i].code);
	}
	/* Every one is there, numbered 0001–0064 without a gap, each with its
	 * history row. */
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM dossier"), CLIENTS);
	ck_assert_int_eq(tu_db_int("SELECT count(DISTINCT code) FROM dossier"), CLIENTS);
	ck_assert_int_eq(tu_db_int("SELECT max(substr(code, 22)) FROM dossier"), CLIENTS);
	ck_assert_int_eq(tu_db_int("SELECT count(*) FROM event WHERE action = 'receive'"), CLIENTS);
	m = tu_expect(200, "GET", "/metrics", NULL, NULL);
	long long batches = metric(m->body, "motcua_commit_batch_size_count") - batches_before;
	long long singles = metric(m->body, "motcua_commit_batch_size_bucket{le=\"1\"}") - singles_before;
	tu_response_free(m);
	/* Fewer commits than requests, and at least one of more than one. */
	ck_assert_msg(batches < CLIENTS, "%lld commits for %d intakes: no grouping", batches, CLIENTS);
	ck_assert_msg(singles < batches, "every one of %lld commits held one job", batches);
	tu_server_stop();
}
END_TEST

Suite *writer_suite(void)
{
	Suite *s = suite_create("writer");
	TCase *tc = tcase_create("group_commit");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_writer_group_commit_concurrent_intake);
	suite_add_tcase(s, tc);
	return s;
}
