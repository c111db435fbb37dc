/*
 * motcua — cli: the subcommands other than serve, and what they share
 * with it (option parsing, opening a database for writing).
 *
 * Every command prints its own --help. Commands that write take the
 * database's lock file first, so they refuse to run while `motcua serve`
 * holds the same database (two writers would risk SQLite's WAL bug).
 *
 * Ownership: struct cli_db owns its connection, writer and lock until
 * cli_db_close.
 */
#ifndef MOTCUA_CLI_H
#define MOTCUA_CLI_H

#include <stddef.h>

#include "config.h"

struct db;
struct writer;

/* argv options: "--name value" or "--flag". */
struct cli_opts {
	const char *config;
	const char *db;
	const char *listen;
	const char *port;
	const char *username;
	const char *role;
	const char *agency;
	const char *name;
	const char *label;
	const char *dossiers;
	const char *from, *to, *format, *out, *head, *kind, *seed;
	int pii;
	int help;
	const char *args[4];	/* positional arguments */
	int nargs;
};

/* Parse argv[first..]; prints a message and returns -1 on an unknown
 * option. */
int cli_parse(int argc, char **argv, int first, struct cli_opts *o);
/* Defaults, then --config, then --db/--listen/--port. 0 ok, -1 printed. */
int cli_config(const struct cli_opts *o, struct config *cfg);
/* tz, libsodium, log level from the config. 0 ok, -1 printed. */
int cli_init(const struct config *cfg);

struct cli_db {
	struct db *db;
	struct writer *writer;
	int lock_fd;
	int created;		/* the database was new (no schema yet) */
};

/* Open cfg->db_path for writing: lock, create the folder and the file if
 * needed, migrate, load the calendar. 0 ok, -1 printed. */
int cli_db_open(const struct config *cfg, struct cli_db *c);
void cli_db_close(struct cli_db *c);

int cli_migrate(int argc, char **argv);
int cli_seed_demo(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_token(int argc, char **argv);
int cli_calendar(int argc, char **argv);
int cli_stats(int argc, char **argv);
int cli_backup(int argc, char **argv);

#endif
