/*
 * motcua — chain: check the hash chain of the history inside a database
 * (after a crash, a restore, or on demand), as `motcua audit verify` does
 * for an exported file.
 *
 * Ownership: plain result values.
 */
#ifndef MOTCUA_CHAIN_H
#define MOTCUA_CHAIN_H

#include <stdint.h>

#include "audit.h"

struct db;

struct chain_result {
	int64_t rows;			/* history rows checked */
	int64_t first_bad;		/* seq of the first bad row, 0 if none */
	char why[160];			/* what is wrong with it */
	unsigned char head[AUDIT_HASH_LEN];	/* hash of the last row */
};

/* Recompute every row's hash in seq order and check the links and that seq
 * has no gaps. 0 the chain holds, 1 it is broken (first_bad, why), -1 a
 * database error. */
int chain_verify(struct db *db, struct chain_result *out);

#endif
