/*
 * motcua — audit: the hash chain over the history (pure).
 *
 * Every history row's hash is SHA-256 over
 *     "motcua-event-v1" ‖ prev_hash (32 bytes) ‖ field_1 ‖ … ‖ field_15
 * where each field is its text (integers in decimal, strings as stored,
 * UTF-8) preceded by its length as a 4-byte big-endian number, and an SQL
 * NULL is the length 0xFFFFFFFF with no bytes. Fields, in order: seq, at,
 * dossier_id, dossier_ref, actor, actor_role, actor_agency, action,
 * from_state, to_state, step, clock, due_at, note, data. The first row's
 * prev_hash is 32 zero bytes. Length prefixes make the encoding
 * unambiguous without any JSON canonicalisation. README "Audit chain"
 * documents this for independent verifiers.
 *
 * Ownership: no allocation; strings are borrowed.
 */
#ifndef MOTCUA_AUDIT_H
#define MOTCUA_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#define AUDIT_NULL INT64_MIN	/* an integer field that is SQL NULL */
#define AUDIT_HASH_LEN 32

struct audit_row {
	int64_t seq;
	int64_t at;
	int64_t dossier_id;	/* AUDIT_NULL when not about a dossier */
	const char *dossier_ref;
	const char *actor;
	const char *actor_role;
	const char *actor_agency;
	const char *action;
	int64_t from_state;	/* AUDIT_NULL when none */
	int64_t to_state;
	int64_t step;
	const char *clock;
	int64_t due_at;
	const char *note;
	const char *data;
	unsigned char prev_hash[AUDIT_HASH_LEN];
};

/* Compute the row's hash. Strings that are NULL count as SQL NULL. */
void audit_hash(const struct audit_row *row, unsigned char out[AUDIT_HASH_LEN]);
/* Lower-case hex, 65 bytes with the NUL. */
void audit_hex(const unsigned char h[AUDIT_HASH_LEN], char out[65]);
/* 0 ok, -1 if s is not 64 hex digits. */
int audit_unhex(const char *s, unsigned char out[AUDIT_HASH_LEN]);

#endif
