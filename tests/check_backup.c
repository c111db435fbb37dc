/*
 * motcua tests — backup and restore (issue 8, item 5), against the real
 * binary ($MOTCUA_BIN) in child processes, the way README.md tells an
 * operator to do it:
 *
 *   1. `motcua backup --db DB --to FILE` while `motcua serve` takes a
 *      stream of intakes from four clients;
 *   2. restore FILE into a fresh path and start `motcua serve` on it;
 *   3. every dossier acknowledged before the backup started is there, none
 *      sent after it ended is, PRAGMA integrity_check is ok, the history's
 *      hash chain holds, `motcua stats verify` agrees, and the audit head
 *      the restored service reports is the one the backup printed;
 *   4. the restored service takes new intakes and its chain still holds.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit.h"
#include "chain.h"
#include "db.h"
#include "testutil.h"
#include "tests.h"

struct server {
	pid_t pid;
	int port;
	char dir[256];
	char cfg[300];
	char db[300];
};

/* Run `motcua ARGS`; the first line of its standard output in out. */
static int run(const char *args, char *out, size_t n)
{
	char cmd[1200], sink[256];
	snprintf(cmd, sizeof(cmd), "'%s' %s 2>&1", tu_bin(), args);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	if (out && n) {
		out[0] = '\0';
		if (fgets(out, (int)n, p))
			out[strcspn(out, "\n")] = '\0';
	}
	while (fread(sink, 1, sizeof(sink), p) > 0)
		;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_config(struct server *s)
{
	FILE *f = fopen(s->cfg, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "[server]\nthreads = 2\nper_ip_connection_limit = 0\n[database]\ndemo_on_create = false\n"
		   "[auth]\npwhash_ops = 1\npwhash_mem_kib = 8\n[log]\nlevel = error\n");
	fclose(f);
}

static void start(struct server *s)
{
	char port[16], log[320];
	s->port = tu_free_port();
	snprintf(port, sizeof(port), "%d", s->port);
	snprintf(log, sizeof(log), "%s/serve.log", s->dir);
	s->pid = fork();
	ck_assert_int_ge(s->pid, 0);
	if (s->pid == 0) {
		if (!freopen(log, "a", stderr) || !freopen("/dev/null", "w", stdout))
			_exit(126);
		setenv("MOTCUA_NO_ACCESS_LOG", "1", 1);
		execl(tu_bin(), tu_bin(), "serve", "--config", s->cfg, "--db", s->db, "--port", port, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 300; i++) {
		int st;
		if (tu_raw_status(s->port, "GET", "/healthz", "-", NULL, NULL, 0) == 200)
			return;
		ck_assert_msg(waitpid(s->pid, &st, WNOHANG) == 0, "serve exited early (see %s)", log);
		usleep(20000);
	}
	ck_abort_msg("serve did not answer /healthz (see %s)", log);
}

static void stop(struct server *s)
{
	int st;
	if (!s->pid)
		return;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, &st, 0);
	s->pid = 0;
}

static const char intake[] =
	"{\"procedure_code\":\"1.013831\",\"channel\":\"direct\",\"applicant\":{\"name\":\"Lê Thị Sao Lưu\","
	"\"id_number\":\"038090001234\"},\"documents\":[{\"name\":\"Đơn\",\"kind\":\"original\",\"count\":1}]}";

/* The load: intakes from four clients, each code recorded with the phase
 * its request was sent in and the phase its answer came back in. */
enum phase { BEFORE, DURING, AFTER };

struct ack {
	char code[32];
	enum phase sent, acked;
};

struct load {
	pthread_mutex_t lock;
	struct ack *acks;
	size_t n, cap;
	int port;
	const char *token;
	atomic_int stop;
	atomic_int phase;		/* enum phase */
	int errors;
};

static void *client(void *arg)
{
	struct load *l = arg;
	char body[8192];
	while (!atomic_load(&l->stop)) {
		enum phase sent = (enum phase)atomic_load(&l->phase);
		int st = tu_raw_status(l->port, "POST", "/api/v1/dossiers", l->token, intake, body, sizeof(body));
		enum phase acked = (enum phase)atomic_load(&l->phase);
		const char *p = strstr(body, "\"code\":\"");
		pthread_mutex_lock(&l->lock);
		if (st == 201 && p) {
			if (l->n == l->cap) {
				l->cap = l->cap ? l->cap * 2 : 512;
				l->acks = realloc(l->acks, l->cap * sizeof(*l->acks));
			}
			snprintf(l->acks[l->n].code, sizeof(l->acks[l->n].code), "%.*s", (int)strcspn(p + 8, "\""),
				 p + 8);
			l->acks[l->n].sent = sent;
			l->acks[l->n++].acked = acked;
		} else {
			l->errors++;
		}
		pthread_mutex_unlock(&l->lock);
	}
	return NULL;
}

static size_t acked(struct load *l)
{
	pthread_mutex_lock(&l->lock);
	size_t n = l->n;
	pthread_mutex_unlock(&l->lock);
	return n;
}

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	size_t n;
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
}

/* integrity_check and the hash chain of the database at path; the chain's
 * row count and head go to ch. */
static void check_file(const char *path, struct chain_result *ch)
{
	struct db *db;
	char err[256];
	struct db_options opt = { .path = path, .busy_timeout_ms = 5000 };
	ck_assert_int_eq(db_open(&opt, 0, &db, err, sizeof(err)), 0);
	sqlite3_stmt *st = db_sql(db, "PRAGMA integrity_check");
	ck_assert_int_eq(db_step(db, st), SQLITE_ROW);
	ck_assert_str_eq(db_text(st, 0), "ok");
	db_reset(st);
	ck_assert_msg(chain_verify(db, ch) == 0, "chain broken at %lld: %s", (long long)ch->first_bad, ch->why);
	db_close(db);
}

static void remove_dir(const char *dir)
{
	char cmd[320];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

START_TEST(test_backup_restore_while_serving)
{
	struct server live, restored;
	struct load l;
	struct chain_result ch;
	char dir[64], args[1200], line[512], clerk[64], auditor[64], backup[320], body[8192], path[400];
	pthread_t th[4];
	memset(&live, 0, sizeof(live));
	memset(&restored, 0, sizeof(restored));
	memset(&l, 0, sizeof(l));
	pthread_mutex_init(&l.lock, NULL);
	snprintf(dir, sizeof(dir), "/tmp/motcua-backup-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(live.dir, sizeof(live.dir), "%s", dir);
	snprintf(live.cfg, sizeof(live.cfg), "%s/m.ini", dir);
	snprintf(live.db, sizeof(live.db), "%s/live.db", dir);
	snprintf(backup, sizeof(backup), "%s/nightly.db", dir);
	write_config(&live);
	snprintf(args, sizeof(args), "seed-demo --config '%s' --db '%s'", live.cfg, live.db);
	ck_assert_int_eq(run(args, NULL, 0), 0);
	snprintf(args, sizeof(args), "token create --config '%s' --db '%s' --username clerk", live.cfg, live.db);
	ck_assert_int_eq(run(args, clerk, sizeof(clerk)), 0);
	snprintf(args, sizeof(args), "token create --config '%s' --db '%s' --username auditor", live.cfg, live.db);
	ck_assert_int_eq(run(args, auditor, sizeof(auditor)), 0);
	ck_assert_int_eq(strlen(clerk), 43);

	/* Serve, under load. */
	start(&live);
	l.port = live.port;
	l.token = clerk;
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, client, &l);
	while (acked(&l) < 100)
		usleep(10000);
	atomic_store(&l.phase, DURING);
	snprintf(args, sizeof(args), "backup --config '%s' --db '%s' --to '%s'", live.cfg, live.db, backup);
	ck_assert_int_eq(run(args, line, sizeof(line)), 0);
	atomic_store(&l.phase, AFTER);
	size_t during = acked(&l);
	while (acked(&l) < during + 50)
		usleep(10000);
	atomic_store(&l.stop, 1);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	stop(&live);
	ck_assert_int_eq(l.errors, 0);
	/* "FILE: backup of DB checked: integrity ok, N history rows, head HEX" */
	const char *rows_at = strstr(line, "integrity ok, ");
	const char *head_at = strstr(line, ", head ");
	ck_assert_msg(rows_at && head_at, "backup printed: %s", line);
	long long rows = atoll(rows_at + 14);
	char head[65];
	snprintf(head, sizeof(head), "%.64s", head_at + 7);
	ck_assert_int_eq(strlen(head), 64);
	ck_assert_int_gt(rows, 100);
	/* The copy stands alone (no -wal to carry) and checks out as printed. */
	snprintf(path, sizeof(path), "%s-wal", backup);
	ck_assert_int_ne(access(path, F_OK), 0);
	check_file(backup, &ch);
	ck_assert_int_eq(ch.rows, rows);

	/* Restore into a fresh folder and serve from it. */
	snprintf(restored.dir, sizeof(restored.dir), "%s/restore", dir);
	ck_assert_int_eq(mkdir(restored.dir, 0700), 0);
	snprintf(restored.cfg, sizeof(restored.cfg), "%s", live.cfg);
	snprintf(restored.db, sizeof(restored.db), "%s/restore/motcua.db", dir);
	copy_file(backup, restored.db);
	start(&restored);
	size_t before = 0, after = 0, present_after = 0;
	for (size_t i = 0; i < l.n; i++) {
		snprintf(path, sizeof(path), "/api/v1/dossiers/%s", l.acks[i].code);
		int st = tu_raw_status(restored.port, "GET", path, clerk, NULL, NULL, 0);
		ck_assert_msg(st == 200 || st == 404, "GET %s: %d", path, st);
		if (l.acks[i].acked == BEFORE) {
			ck_assert_msg(st == 200, "dossier %s, acknowledged before the backup, is missing", l.acks[i].code);
			before++;
		} else if (l.acks[i].sent == AFTER) {
			present_after += st == 200;
			after++;
		}
	}
	/* Sent after the backup ended: committed after its snapshot. */
	ck_assert_msg(present_after == 0, "%zu dossiers sent after the backup are in it", present_after);
	ck_assert_int_ge(before, 100);
	ck_assert_int_ge(after, 50);
	fprintf(stderr, "backup: %zu intakes acknowledged before it (all restored), %zu during, %zu after (none "
		"restored); %lld history rows, head %.16s…\n", before, l.n - before - after, after, rows, head);
	/* The restored service's audit head is the one the backup printed. */
	ck_assert_int_eq(tu_raw_status(restored.port, "GET", "/api/v1/audit/head", auditor, NULL, body, sizeof(body)), 200);
	char want[128];
	snprintf(want, sizeof(want), "\"hash\":\"%s\"", head);
	ck_assert_msg(strstr(body, want) != NULL, "audit head %s, backup printed %s", body, head);
	snprintf(want, sizeof(want), "\"seq\":%lld,", rows);
	ck_assert_msg(strstr(body, want) != NULL, "audit head %s, backup printed %lld rows", body, rows);
	/* It takes new work, and the chain goes on from the restored head. */
	ck_assert_int_eq(tu_raw_status(restored.port, "POST", "/api/v1/dossiers", clerk, intake, NULL, 0), 201);
	stop(&restored);
	snprintf(args, sizeof(args), "stats verify --config '%s' --db '%s'", restored.cfg, restored.db);
	ck_assert_msg(run(args, line, sizeof(line)) == 0, "stats verify on the restored database: %s", line);
	check_file(restored.db, &ch);
	ck_assert_int_gt(ch.rows, rows);
	free(l.acks);
	pthread_mutex_destroy(&l.lock);
	remove_dir(dir);
}
END_TEST

START_TEST(test_backup_refuses_a_bad_target_and_keeps_the_old_copy)
{
	char dir[64], cfg[300], db[300], args[1200], out[512], good[320];
	snprintf(dir, sizeof(dir), "/tmp/motcua-backup-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	struct server s;
	memset(&s, 0, sizeof(s));
	snprintf(cfg, sizeof(cfg), "%s/m.ini", dir);
	snprintf(db, sizeof(db), "%s/live.db", dir);
	snprintf(s.cfg, sizeof(s.cfg), "%s", cfg);
	write_config(&s);
	snprintf(args, sizeof(args), "seed-demo --config '%s' --db '%s'", cfg, db);
	ck_assert_int_eq(run(args, NULL, 0), 0);
	snprintf(good, sizeof(good), "%s/nightly.db", dir);
	snprintf(args, sizeof(args), "backup --config '%s' --db '%s' --to '%s'", cfg, db, good);
	ck_assert_int_eq(run(args, out, sizeof(out)), 0);
	/* Not a database: refused, and the good copy is untouched. */
	char junk[320];
	snprintf(junk, sizeof(junk), "%s/junk.db", dir);
	FILE *f = fopen(junk, "w");
	ck_assert_ptr_nonnull(f);
	fputs("this is not a database, whatever its name says\n", f);
	fclose(f);
	snprintf(args, sizeof(args), "backup --config '%s' --db '%s' --to '%s'", cfg, junk, good);
	ck_assert_int_ne(run(args, out, sizeof(out)), 0);
	struct chain_result ch;
	check_file(good, &ch);
	ck_assert_int_gt(ch.rows, 0);
	/* A folder that does not exist: refused, nothing left behind. */
	snprintf(args, sizeof(args), "backup --config '%s' --db '%s' --to '%s/no/such/dir/x.db'", cfg, db, dir);
	ck_assert_int_ne(run(args, out, sizeof(out)), 0);
	remove_dir(dir);
}
END_TEST

Suite *backup_suite(void)
{
	Suite *s = suite_create("backup");
	TCase *tc = tcase_create("backup");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_backup_restore_while_serving);
	tcase_add_test(tc, test_backup_refuses_a_bad_target_and_keeps_the_old_copy);
	suite_add_tcase(s, tc);
	return s;
}
