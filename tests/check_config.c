/*
 * motcua tests — config: the INI loader against golden files.
 *
 * tests/data/config/ holds the inputs: good-*.ini files that must load,
 * and bad-*.ini files that must be refused, each with a bad-*.err holding
 * the exact "FILE:LINE: message" expected. config.example.ini (the file
 * users copy) must load to exactly the built-in defaults, document every
 * key the loader knows and only those.
 *
 * Paths are relative to the project root, where `make unit` runs.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "tests.h"

#define DATA "tests/data/config/"
#define EXAMPLE "config.example.ini"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s (run from the project root)", path);
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			text = realloc(text, cap);
			ck_assert_ptr_nonnull(text);
		}
		memcpy(text + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!text)
		text = calloc(1, 1);
	text[len] = '\0';
	return text;
}

START_TEST(test_config_example_equals_defaults)
{
	struct config def, cfg;
	char err[512] = "";
	config_defaults(&def);
	config_defaults(&cfg);
	int rc = config_load(&cfg, EXAMPLE, err, sizeof(err));
	ck_assert_msg(rc == 0, "config.example.ini: %s", err);
	/* Both start from config_defaults' zeroed struct, so equal values
	 * mean equal bytes. */
	ck_assert_msg(memcmp(&def, &cfg, sizeof(def)) == 0,
		      "config.example.ini lists a value that differs from config_defaults()");
	/* And a few by name, so a failure says where to look. */
	ck_assert_str_eq(cfg.listen, "127.0.0.1");
	ck_assert_int_eq(cfg.port, 8080);
	ck_assert_int_eq(cfg.max_body_kib, 64);
	ck_assert_str_eq(cfg.db_path, "var/motcua.db");
	ck_assert_int_eq(cfg.session[0][0], 7 * 60 + 30);
	ck_assert_int_eq(cfg.session[0][1], 11 * 60 + 30);
	ck_assert_int_eq(cfg.session[1][0], 13 * 60);
	ck_assert_int_eq(cfg.session[1][1], 17 * 60);
	ck_assert_int_eq(cfg.cutoff_minute, 15 * 60);
	ck_assert_int_eq(cfg.supplement_mode, SUPPLEMENT_RESTART);
	static const unsigned char weekdays[7] = { 1, 1, 1, 1, 1, 0, 0 };
	ck_assert_mem_eq(cfg.working_weekdays, weekdays, 7);
}
END_TEST

/* "key = value" lines of config.example.ini as "section.key", each once. */
static int example_keys(char names[][96], int max)
{
	char *text = slurp(EXAMPLE), *save = NULL, section[48] = "";
	int n = 0;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char key[48];
		if (line[0] == '[') {
			ck_assert_int_eq(sscanf(line, "[%47[^]]]", section), 1);
			continue;
		}
		if (line[0] == ';' || line[0] == '#' || line[0] == '\0')
			continue;
		ck_assert_msg(sscanf(line, "%47[a-z_] =", key) == 1 && strchr(line, '='),
			      "config.example.ini: not a key line: %s", line);
		ck_assert_msg(section[0], "config.example.ini: %s before any section", key);
		ck_assert_int_lt(n, max);
		snprintf(names[n], 96, "%s.%s", section, key);
		for (int i = 0; i < n; i++)
			ck_assert_msg(strcmp(names[i], names[n]), "config.example.ini lists %s twice", names[n]);
		n++;
	}
	free(text);
	return n;
}

START_TEST(test_config_example_documents_every_key)
{
	static char documented[128][96];
	int n_doc = example_keys(documented, 128);
	const char *section, *name;
	int n_known = 0;
	for (size_t i = 0; config_key_at(i, &section, &name); i++) {
		char full[96];
		int found = 0;
		snprintf(full, sizeof(full), "%s.%s", section, name);
		for (int k = 0; k < n_doc; k++)
			found |= strcmp(documented[k], full) == 0;
		ck_assert_msg(found, "key %s is not documented in config.example.ini", full);
		n_known++;
	}
	/* Every documented key is one the loader knows (and so accepts). */
	for (int k = 0; k < n_doc; k++) {
		int found = 0;
		for (size_t i = 0; config_key_at(i, &section, &name); i++) {
			char full[96];
			snprintf(full, sizeof(full), "%s.%s", section, name);
			found |= strcmp(documented[k], full) == 0;
		}
		ck_assert_msg(found, "config.example.ini documents %s, which config.c does not know",
			      documented[k]);
	}
	ck_assert_int_eq(n_doc, n_known);
	ck_assert_int_ge(n_known, 33);
}
END_TEST

/* Each documented key, alone in a file with its documented value, loads. */
START_TEST(test_config_example_keys_each_accepted)
{
	char *text = slurp(EXAMPLE), *save = NULL, section[48] = "";
	char path[] = "/tmp/motcua-config-XXXXXX";
	int fd = mkstemp(path), tried = 0;
	ck_assert_int_ge(fd, 0);
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '[') {
			sscanf(line, "[%47[^]]]", section);
			continue;
		}
		if (line[0] == ';' || line[0] == '\0')
			continue;
		FILE *f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fprintf(f, "[%s]\n%s\n", section, line);
		fclose(f);
		struct config cfg;
		char err[512] = "";
		config_defaults(&cfg);
		ck_assert_msg(config_load(&cfg, path, err, sizeof(err)) == 0, "[%s] %s: %s", section, line, err);
		tried++;
	}
	unlink(path);
	free(text);
	ck_assert_int_ge(tried, 33);
}
END_TEST

START_TEST(test_config_good_custom_values)
{
	struct config cfg;
	char err[512] = "";
	config_defaults(&cfg);
	int rc = config_load(&cfg, DATA "good-custom.ini", err, sizeof(err));
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_str_eq(cfg.listen, "0.0.0.0");
	ck_assert_int_eq(cfg.port, 9090);
	ck_assert_int_eq(cfg.threads, 2);
	ck_assert_int_eq(cfg.connection_limit, 500);
	ck_assert_int_eq(cfg.per_ip_connection_limit, 0);
	ck_assert_int_eq(cfg.connection_timeout, 10);
	ck_assert_int_eq(cfg.connection_memory_kib, 16);
	ck_assert_int_eq(cfg.max_body_kib, 128);
	ck_assert_int_eq(cfg.max_upload_kib, 2048);
	ck_assert_str_eq(cfg.public_url, "https://motcua.example.gov.vn");
	ck_assert_str_eq(cfg.db_path, "/srv/motcua/motcua.db");
	ck_assert_int_eq(cfg.busy_timeout_ms, 250);
	ck_assert_int_eq(cfg.batch_max, 64);
	ck_assert_int_eq(cfg.checkpoint_pages, 5000);
	ck_assert_int_eq(cfg.demo_on_create, 0);
	ck_assert_int_eq(cfg.demo_dossiers, 0);
	ck_assert_str_eq(cfg.upload_dir, "/srv/motcua/uploads");
	ck_assert_str_eq(cfg.timezone, "+07:00");
	static const unsigned char six[7] = { 1, 1, 1, 1, 1, 1, 0 };
	ck_assert_mem_eq(cfg.working_weekdays, six, 7);
	ck_assert_int_eq(cfg.session[0][0], 8 * 60);
	ck_assert_int_eq(cfg.session[0][1], 12 * 60);
	ck_assert_int_eq(cfg.session[1][0], 0);	/* empty: no afternoon session */
	ck_assert_int_eq(cfg.session[1][1], 0);
	ck_assert_int_eq(cfg.cutoff_minute, 16 * 60 + 30);
	ck_assert_int_eq(cfg.supplement_mode, SUPPLEMENT_PAUSE);
	ck_assert_int_eq(cfg.due_soon_hours, 16);
	ck_assert_int_eq(cfg.session_idle_minutes, 15);
	ck_assert_int_eq(cfg.session_absolute_hours, 8);
	ck_assert_int_eq(cfg.cookie_secure, 1);
	ck_assert_int_eq(cfg.password_min_length, 12);
	ck_assert_int_eq(cfg.pwhash_ops, 3);
	ck_assert_int_eq(cfg.pwhash_mem_kib, 131072);
	ck_assert_int_eq(cfg.login_max_failures, 3);
	ck_assert_int_eq(cfg.login_lockout_minutes, 60);
	ck_assert_int_eq(cfg.lookup_per_minute, 30);
	ck_assert_str_eq(cfg.log_level, "debug");
}
END_TEST

/* Every bad-NAME.ini is refused with exactly the text of bad-NAME.err. */
START_TEST(test_config_bad_files_golden)
{
	DIR *d = opendir(DATA);
	struct dirent *e;
	int cases = 0;
	ck_assert_msg(d != NULL, "cannot open " DATA " (run from the project root)");
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, "bad-", 4) != 0 || len < 5 || strcmp(e->d_name + len - 4, ".ini"))
			continue;
		char ini[300], errf[300], err[512] = "";
		snprintf(ini, sizeof(ini), DATA "%s", e->d_name);
		snprintf(errf, sizeof(errf), DATA "%.*s.err", (int)(len - 4), e->d_name);
		char *want = slurp(errf);
		want[strcspn(want, "\n")] = '\0';
		struct config cfg;
		config_defaults(&cfg);
		ck_assert_msg(config_load(&cfg, ini, err, sizeof(err)) == -1, "%s was accepted", ini);
		ck_assert_msg(strcmp(err, want) == 0, "%s:\n  got  %s\n  want %s", ini, err, want);
		free(want);
		cases++;
	}
	closedir(d);
	/* unknown key and section, bad number, out of range, time range,
	 * weekday, bool, syntax … (see the folder). */
	ck_assert_int_ge(cases, 20);
}
END_TEST

START_TEST(test_config_missing_file)
{
	struct config cfg;
	char err[512] = "";
	config_defaults(&cfg);
	ck_assert_int_eq(config_load(&cfg, DATA "no-such-file.ini", err, sizeof(err)), -1);
	ck_assert_str_eq(err, DATA "no-such-file.ini: No such file or directory");
}
END_TEST

START_TEST(test_config_bool_and_range_edges)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	char path[] = "/tmp/motcua-config-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	for (int i = 0; i < 8; i++) {
		struct config cfg;
		char err[512];
		FILE *f = fopen(path, "w");
		fprintf(f, "[auth]\ncookie_secure = %s\n", i < 4 ? yes[i] : no[i - 4]);
		fclose(f);
		config_defaults(&cfg);
		cfg.cookie_secure = i < 4 ? 0 : 1;
		ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), 0);
		ck_assert_int_eq(cfg.cookie_secure, i < 4);
	}
	/* Bounds are inclusive. */
	static const struct { const char *line; int ok; } cases[] = {
		{ "threads = 1", 1 }, { "threads = 64", 1 }, { "threads = 65", 0 },
		{ "port = 0", 1 }, { "port = 65535", 1 }, { "port = 65536", 0 }, { "port = -1", 0 },
		{ "max_body_kib = 1024", 1 }, { "max_body_kib = 1025", 0 }, { "port = 8080x", 0 },
		{ "port = 0x50", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config cfg;
		char err[512];
		FILE *f = fopen(path, "w");
		fprintf(f, "[server]\n%s\n", cases[i].line);
		fclose(f);
		config_defaults(&cfg);
		ck_assert_msg((config_load(&cfg, path, err, sizeof(err)) == 0) == cases[i].ok, "%s", cases[i].line);
	}
	unlink(path);
}
END_TEST

START_TEST(test_config_time_edges)
{
	char path[] = "/tmp/motcua-config-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	static const struct { const char *line; int ok; int a, b; } cases[] = {
		{ "morning = 00:00-24:00", 1, 0, 1440 },
		{ "morning = 07:30-07:31", 1, 450, 451 },
		{ "morning = 07:30-07:30", 0, 0, 0 },	/* empty session spelled as a range */
		{ "morning = 7:30-11:30", 0, 0, 0 },
		{ "morning = 07:30 - 11:30", 0, 0, 0 },
		{ "morning = 07:60-11:30", 0, 0, 0 },
		{ "morning = 24:01-24:30", 0, 0, 0 },
		{ "morning = 07:30", 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config cfg;
		char err[512];
		FILE *f = fopen(path, "w");
		fprintf(f, "[time]\n%s\n", cases[i].line);
		fclose(f);
		config_defaults(&cfg);
		int rc = config_load(&cfg, path, err, sizeof(err));
		ck_assert_msg((rc == 0) == cases[i].ok, "%s: %s", cases[i].line, rc ? err : "accepted");
		if (cases[i].ok) {
			ck_assert_int_eq(cfg.session[0][0], cases[i].a);
			ck_assert_int_eq(cfg.session[0][1], cases[i].b);
		}
	}
	unlink(path);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("example");
	tcase_add_test(tc, test_config_example_equals_defaults);
	tcase_add_test(tc, test_config_example_documents_every_key);
	tcase_add_test(tc, test_config_example_keys_each_accepted);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse");
	tcase_add_test(tc, test_config_good_custom_values);
	tcase_add_test(tc, test_config_bool_and_range_edges);
	tcase_add_test(tc, test_config_time_edges);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, test_config_bad_files_golden);
	tcase_add_test(tc, test_config_missing_file);
	suite_add_tcase(s, tc);
	return s;
}
