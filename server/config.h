/*
 * motcua — config: the settings of one motcua instance.
 *
 * config_defaults() fills every key with its documented default (the same
 * values config.example.ini lists); config_load() then applies an INI file
 * (parsed by inih). An unknown section or key, or a value out of range,
 * stops with "FILE:LINE: message" in err. After loading, the struct is
 * read-only and passed explicitly to whoever needs it.
 *
 * Ownership: all strings live inside the struct (fixed-size arrays); no
 * allocation, nothing to free.
 */
#ifndef MOTCUA_CONFIG_H
#define MOTCUA_CONFIG_H

#include <stddef.h>

enum supplement_mode {
	SUPPLEMENT_RESTART,	/* Decree 61/2018 Art 19(4): full limit again */
	SUPPLEMENT_PAUSE,	/* due time extended by the time spent waiting */
};

struct config {
	/* [server] */
	char listen[64];		/* address to bind */
	int port;			/* TCP port; 0 = any free port */
	int threads;			/* HTTP worker threads */
	int connection_limit;		/* simultaneous connections */
	int per_ip_connection_limit;	/* per client address; 0 = off */
	int connection_timeout;		/* idle seconds before closing */
	int header_timeout;		/* seconds a new connection has to
					 * send its request head, and a body
					 * to start (slow clients, http.c) */
	int connection_memory_kib;	/* per-connection header memory */
	int max_body_kib;		/* JSON body cap (413 above) */
	int max_upload_kib;		/* file upload cap (413 above) */
	char public_url[256];		/* base URL printed on forms / QR */
	/* [database] */
	char db_path[1024];
	int busy_timeout_ms;
	int batch_max;			/* write requests per group commit */
	int checkpoint_pages;		/* WAL pages before a checkpoint */
	int demo_on_create;		/* seed the demo when the db is new */
	int demo_dossiers;		/* synthetic dossiers in that demo */
	char upload_dir[1024];		/* attachments (online submission) */
	/* [time] */
	char timezone[64];
	unsigned char working_weekdays[7];	/* 0 = Monday … 6 = Sunday */
	int session[2][2];		/* office sessions, minutes of day */
	int cutoff_minute;		/* same-day cut-off */
	/* [rules] */
	enum supplement_mode supplement_mode;
	int due_soon_hours;		/* "due soon" = at most this much
					 * working time left */
	/* [auth] */
	int session_idle_minutes;
	int session_absolute_hours;
	int cookie_secure;
	int password_min_length;
	int pwhash_ops;			/* Argon2id passes */
	int pwhash_mem_kib;		/* Argon2id memory */
	int login_max_failures;
	int login_lockout_minutes;
	int login_per_minute;		/* login attempts per client address */
	/* [public] */
	int lookup_per_minute;		/* public lookups per client address */
	/* [log] */
	char log_level[16];
};

void config_defaults(struct config *cfg);
/* 0 ok; -1 with "path:line: message" (or "path: message") in err. */
int config_load(struct config *cfg, const char *path, char *err, size_t n);
/* The same over len bytes of text in memory (the fuzzer's entry, and for
 * tests); name stands for the path in messages. */
int config_load_string(struct config *cfg, const char *name, const char *text, size_t len,
		       char *err, size_t n);
/* The i-th key config_load accepts, for the check that config.example.ini
 * documents every key: 1 with its section and name (static strings), 0
 * past the last. */
int config_key_at(size_t i, const char **section, const char **name);

#endif
