/*
 * motcua — cli_export: `motcua export` and `motcua audit verify`.
 *
 * export writes the same bytes as the API's exports (exporter.h) to a file
 * and records the export in the history first, as the API does; it takes
 * the database's write lock for that record, so it runs while no
 * `motcua serve` holds the database (use the API with a token then).
 * audit verify checks a history export offline (verify.h): no database,
 * no configuration.
 *
 * Ownership: nothing kept between calls.
 */
#ifndef MOTCUA_CLI_EXPORT_H
#define MOTCUA_CLI_EXPORT_H

/* Exit status: 0 done, 1 failed, 2 usage. */
int cli_export(int argc, char **argv);
/* Exit status: 0 intact, 1 not intact (or unreadable), 2 usage. */
int cli_audit(int argc, char **argv);

#endif
