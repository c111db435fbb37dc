/*
 * motcua — config: defaults and the INI loader (inih underneath).
 *
 * One table lists every key: its section, name, how to parse it and where
 * it goes. Adding a setting means one struct member, one default and one
 * table row (and a line in config.example.ini, which a test compares
 * against this table).
 */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum kind { K_STR, K_INT, K_BOOL, K_CUSTOM };

struct key;
typedef int (*custom_fn)(struct config *cfg, const char *value, char *msg,
			 size_t n);

/* section, name: where the key lives in the file
 * kind:          how the value is parsed
 * offset, size:  the struct member (size for strings)
 * min, max:      bounds for integers
 * fn:            parser for K_CUSTOM */
struct key {
	const char *section, *name;
	enum kind kind;
	size_t offset, size;
	long min, max;
	custom_fn fn;
};

static int parse_weekdays(struct config *cfg, const char *v, char *msg, size_t n);
static int parse_morning(struct config *cfg, const char *v, char *msg, size_t n);
static int parse_afternoon(struct config *cfg, const char *v, char *msg, size_t n);
static int parse_cutoff(struct config *cfg, const char *v, char *msg, size_t n);
static int parse_supplement(struct config *cfg, const char *v, char *msg, size_t n);
static int parse_log_level(struct config *cfg, const char *v, char *msg, size_t n);

#define S(sec, name, m) { sec, name, K_STR, offsetof(struct config, m), sizeof(((struct config *)0)->m), 0, 0, NULL }
#define I(sec, name, m, lo, hi) { sec, name, K_INT, offsetof(struct config, m), 0, lo, hi, NULL }
#define B(sec, name, m) { sec, name, K_BOOL, offsetof(struct config, m), 0, 0, 1, NULL }
#define C(sec, name, f) { sec, name, K_CUSTOM, 0, 0, 0, 0, f }

static const struct key keys[] = {
	S("server", "listen", listen),
	I("server", "port", port, 0, 65535),
	I("server", "threads", threads, 1, 64),
	I("server", "connection_limit", connection_limit, 16, 1000000),
	I("server", "per_ip_connection_limit", per_ip_connection_limit, 0, 100000),
	I("server", "connection_timeout", connection_timeout, 1, 3600),
	I("server", "header_timeout", header_timeout, 1, 3600),
	I("server", "connection_memory_kib", connection_memory_kib, 8, 1024),
	I("server", "max_body_kib", max_body_kib, 1, 1024),
	I("server", "max_upload_kib", max_upload_kib, 64, 65536),
	S("server", "public_url", public_url),
	S("database", "path", db_path),
	I("database", "busy_timeout_ms", busy_timeout_ms, 0, 600000),
	I("database", "batch_max", batch_max, 1, 100000),
	I("database", "checkpoint_pages", checkpoint_pages, 100, 1000000),
	B("database", "demo_on_create", demo_on_create),
	I("database", "demo_dossiers", demo_dossiers, 0, 100000000),
	S("database", "upload_dir", upload_dir),
	S("time", "timezone", timezone),
	C("time", "working_weekdays", parse_weekdays),
	C("time", "morning", parse_morning),
	C("time", "afternoon", parse_afternoon),
	C("time", "cutoff", parse_cutoff),
	C("rules", "supplement_mode", parse_supplement),
	I("rules", "due_soon_hours", due_soon_hours, 0, 1000),
	I("auth", "session_idle_minutes", session_idle_minutes, 1, 100000),
	I("auth", "session_absolute_hours", session_absolute_hours, 1, 10000),
	B("auth", "cookie_secure", cookie_secure),
	I("auth", "password_min_length", password_min_length, 8, 64),
	I("auth", "pwhash_ops", pwhash_ops, 1, 20),
	I("auth", "pwhash_mem_kib", pwhash_mem_kib, 8, 1048576),
	I("auth", "login_max_failures", login_max_failures, 1, 1000),
	I("auth", "login_lockout_minutes", login_lockout_minutes, 1, 10000),
	I("auth", "login_per_minute", login_per_minute, 1, 100000),
	I("public", "lookup_per_minute", lookup_per_minute, 1, 100000),
	C("log", "level", parse_log_level),
};

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strlcpy_(cfg->listen, "127.0.0.1", sizeof(cfg->listen));
	cfg->port = 8080;
	cfg->threads = 4;
	cfg->connection_limit = 12000;
	cfg->per_ip_connection_limit = 256;
	cfg->connection_timeout = 30;
	cfg->header_timeout = 15;
	/* Each open connection holds this much (measured: RSS grows by the
	 * whole pool per connection), so 16 KiB keeps 10,000 connections at
	 * about 180 MB where 32 took 340. */
	cfg->connection_memory_kib = 16;
	cfg->max_body_kib = 64;
	cfg->max_upload_kib = 10240;
	strlcpy_(cfg->public_url, "http://127.0.0.1:8080", sizeof(cfg->public_url));
	strlcpy_(cfg->db_path, "var/motcua.db", sizeof(cfg->db_path));
	cfg->busy_timeout_ms = 5000;
	cfg->batch_max = 512;
	cfg->checkpoint_pages = 20000;
	cfg->demo_on_create = 1;
	cfg->demo_dossiers = 3000;
	strlcpy_(cfg->upload_dir, "var/uploads", sizeof(cfg->upload_dir));
	strlcpy_(cfg->timezone, "Asia/Ho_Chi_Minh", sizeof(cfg->timezone));
	for (int d = 0; d < 7; d++)
		cfg->working_weekdays[d] = d < 5;
	cfg->session[0][0] = 7 * 60 + 30;
	cfg->session[0][1] = 11 * 60 + 30;
	cfg->session[1][0] = 13 * 60;
	cfg->session[1][1] = 17 * 60;
	cfg->cutoff_minute = 15 * 60;
	cfg->supplement_mode = SUPPLEMENT_RESTART;
	cfg->due_soon_hours = 8;
	cfg->session_idle_minutes = 30;
	cfg->session_absolute_hours = 10;
	cfg->cookie_secure = 0;
	cfg->password_min_length = 8;
	cfg->pwhash_ops = 2;
	cfg->pwhash_mem_kib = 65536;
	cfg->login_max_failures = 5;
	cfg->login_lockout_minutes = 15;
	cfg->login_per_minute = 30;
	cfg->lookup_per_minute = 10;
	strlcpy_(cfg->log_level, "info", sizeof(cfg->log_level));
}

/* "HH:MM" → minutes of the day; -1 if malformed. */
static int parse_hhmm(const char *s, size_t len)
{
	if (len != 5 || s[2] != ':')
		return -1;
	for (size_t i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	int m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

/* "07:30-11:30" (or empty for no session) into out[2]. */
static int parse_range(const char *v, int out[2], char *msg, size_t n)
{
	if (*v == '\0') {
		out[0] = out[1] = 0;
		return 0;
	}
	const char *dash = strchr(v, '-');
	int a = dash ? parse_hhmm(v, (size_t)(dash - v)) : -1;
	int b = dash ? parse_hhmm(dash + 1, strlen(dash + 1)) : -1;
	if (a < 0 || b < 0 || b <= a) {
		snprintf(msg, n, "expected HH:MM-HH:MM with the end after the start, got \"%s\"", v);
		return -1;
	}
	out[0] = a;
	out[1] = b;
	return 0;
}

static int parse_morning(struct config *cfg, const char *v, char *msg, size_t n)
{
	return parse_range(v, cfg->session[0], msg, n);
}

static int parse_afternoon(struct config *cfg, const char *v, char *msg, size_t n)
{
	return parse_range(v, cfg->session[1], msg, n);
}

static int parse_cutoff(struct config *cfg, const char *v, char *msg, size_t n)
{
	int m = parse_hhmm(v, strlen(v));
	if (m < 0) {
		snprintf(msg, n, "expected HH:MM, got \"%s\"", v);
		return -1;
	}
	cfg->cutoff_minute = m;
	return 0;
}

static int parse_weekdays(struct config *cfg, const char *v, char *msg, size_t n)
{
	static const char *const names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	unsigned char days[7] = { 0 };
	const char *p = v;
	while (*p) {
		size_t len = strcspn(p, ", ");
		int found = 0;
		for (int d = 0; d < 7 && len; d++)
			if (len == 3 && strncmp(p, names[d], 3) == 0) {
				days[d] = 1;
				found = 1;
			}
		if (len && !found) {
			snprintf(msg, n, "unknown weekday \"%.*s\" (use mon,tue,wed,thu,fri,sat,sun)", (int)len, p);
			return -1;
		}
		p += len;
		p += strspn(p, ", ");
	}
	/* With no working weekday every deadline would fall on the day of
	 * receipt: refuse it rather than start with a calendar of nothing. */
	if (memchr(days, 1, sizeof(days)) == NULL) {
		snprintf(msg, n, "at least one working weekday is needed");
		return -1;
	}
	memcpy(cfg->working_weekdays, days, sizeof(days));
	return 0;
}

static int parse_supplement(struct config *cfg, const char *v, char *msg, size_t n)
{
	if (strcmp(v, "restart") == 0)
		cfg->supplement_mode = SUPPLEMENT_RESTART;
	else if (strcmp(v, "pause") == 0)
		cfg->supplement_mode = SUPPLEMENT_PAUSE;
	else {
		snprintf(msg, n, "expected restart or pause, got \"%s\"", v);
		return -1;
	}
	return 0;
}

static int parse_log_level(struct config *cfg, const char *v, char *msg, size_t n)
{
	if (strcmp(v, "debug") && strcmp(v, "info") && strcmp(v, "warn") && strcmp(v, "error")) {
		snprintf(msg, n, "expected debug, info, warn or error, got \"%s\"", v);
		return -1;
	}
	strlcpy_(cfg->log_level, v, sizeof(cfg->log_level));
	return 0;
}

static int parse_int(const char *v, long lo, long hi, long *out, char *msg, size_t n)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (errno || end == v || *end != '\0') {
		snprintf(msg, n, "expected a whole number, got \"%s\"", v);
		return -1;
	}
	if (x < lo || x > hi) {
		snprintf(msg, n, "%ld is out of range (%ld to %ld)", x, lo, hi);
		return -1;
	}
	*out = x;
	return 0;
}

static int parse_bool(const char *v, int *out, char *msg, size_t n)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "0"))
		*out = 0;
	else {
		snprintf(msg, n, "expected true or false, got \"%s\"", v);
		return -1;
	}
	return 0;
}

static int apply(struct config *cfg, const struct key *k, const char *v, char *msg, size_t n)
{
	char *base = (char *)cfg;
	long x;
	switch (k->kind) {
	case K_STR:
		if (strlen(v) >= k->size) {
			snprintf(msg, n, "value too long (at most %zu bytes)", k->size - 1);
			return -1;
		}
		strlcpy_(base + k->offset, v, k->size);
		return 0;
	case K_INT:
		if (parse_int(v, k->min, k->max, &x, msg, n) != 0)
			return -1;
		*(int *)(void *)(base + k->offset) = (int)x;
		return 0;
	case K_BOOL:
		return parse_bool(v, (int *)(void *)(base + k->offset), msg, n);
	case K_CUSTOM:
		return k->fn(cfg, v, msg, n);
	}
	return -1;
}

/* inih is built without line numbers for handlers, so the line reader
 * counts lines itself; the first handler error is remembered with its
 * line, and inih's own return value names the first error of any kind. */
struct load_ctx {
	struct config *cfg;
	FILE *f;
	int line;		/* line the reader returned last */
	int err_line;		/* line of the first refused key, 0 if none */
	char msg[256];		/* its message */
};

static void first_error(struct load_ctx *ctx, const char *msg)
{
	if (ctx->err_line)
		return;
	ctx->err_line = ctx->line;
	strlcpy_(ctx->msg, msg, sizeof(ctx->msg));
}

static char *read_line(char *str, int num, void *stream)
{
	struct load_ctx *ctx = stream;
	char *s = fgets(str, num, ctx->f);
	if (!s)
		return NULL;
	ctx->line++;
	size_t len = strlen(s);
	if (num > 1 && len == (size_t)num - 1 && s[len - 1] != '\n') {
		/* Longer than inih's line buffer: inih would take the rest for a
		 * line of its own, so a long value (a database path) was cut
		 * short and the error named a line that is not in the file.
		 * Skip the rest of the physical line and report this one. */
		int c = getc(ctx->f);
		if (c != '\n' && c != EOF) {
			const char *p = s + strspn(s, " \t");
			char msg[64];
			while ((c = getc(ctx->f)) != EOF && c != '\n')
				;
			snprintf(msg, sizeof(msg), "line longer than %d characters", num - 1);
			if (*p != ';' && *p != '#')	/* a long comment is harmless */
				first_error(ctx, msg);
		}
	}
	return s;
}

/* Is any key in this section? (to tell a misspelt section from a key) */
static int known_section(const char *section)
{
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (strcmp(keys[i].section, section) == 0)
			return 1;
	return 0;
}

/* inih callback: 1 to continue, 0 to stop with this line's number. */
static int on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx *ctx = user;
	if (ctx->err_line)
		return 0;
	ctx->err_line = ctx->line;
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		if (strcmp(keys[i].section, section) || strcmp(keys[i].name, name))
			continue;
		char msg[200];
		if (apply(ctx->cfg, &keys[i], value, msg, sizeof(msg)) != 0) {
			snprintf(ctx->msg, sizeof(ctx->msg), "[%s] %s: %s", section, name, msg);
			return 0;
		}
		ctx->err_line = 0;
		return 1;
	}
	if (!*section)
		snprintf(ctx->msg, sizeof(ctx->msg), "key \"%s\" is outside any [section]", name);
	else if (!known_section(section))
		snprintf(ctx->msg, sizeof(ctx->msg), "unknown section [%s]", section);
	else
		snprintf(ctx->msg, sizeof(ctx->msg), "unknown key \"%s\" in section [%s]", name, section);
	return 0;
}

int config_key_at(size_t i, const char **section, const char **name)
{
	if (i >= ARRAY_LEN(keys))
		return 0;
	*section = keys[i].section;
	*name = keys[i].name;
	return 1;
}

/* Parse an open stream (closed here); path names it in messages. */
static int load_stream(struct config *cfg, FILE *f, const char *path, char *err, size_t n)
{
	struct load_ctx ctx = { cfg, f, 0, 0, "" };
	int line = ini_parse_stream(read_line, &ctx, on_pair, &ctx);
	fclose(ctx.f);
	/* inih's line is the first error of any kind; ours (a refused key,
	 * an overlong line inih may not notice) wins unless inih saw a
	 * syntax error before it. */
	if (ctx.err_line && (line <= 0 || line >= ctx.err_line)) {
		snprintf(err, n, "%s:%d: %s", path, ctx.err_line, ctx.msg);
		return -1;
	}
	if (line > 0) {
		snprintf(err, n, "%s:%d: syntax error (expected key = value or [section])", path, line);
		return -1;
	}
	if (line < 0) {
		snprintf(err, n, "%s: cannot read the file", path);
		return -1;
	}
	if (cfg->session[0][0] == cfg->session[0][1] && cfg->session[1][0] == cfg->session[1][1]) {
		snprintf(err, n, "%s: [time] morning and afternoon are both empty: there would be no working time",
			 path);
		return -1;
	}
	return 0;
}

int config_load(struct config *cfg, const char *path, char *err, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	return load_stream(cfg, f, path, err, n);
}

int config_load_string(struct config *cfg, const char *name, const char *text, size_t len,
		       char *err, size_t n)
{
	/* fmemopen refuses a zero-length buffer: an empty text is an empty
	 * file, which changes nothing but is checked like any other. */
	FILE *f = fmemopen(unconst(len ? text : "\n"), len ? len : 1, "r");
	if (!f) {
		snprintf(err, n, "%s: %s", name, strerror(errno));
		return -1;
	}
	return load_stream(cfg, f, name, err, n);
}
