/*
 * motcua — seed: the demo province.
 *
 * seed_demo loads the reference data compiled in from schema/demo/ (the
 * agencies of Thanh Hóa, real procedures with their legal limits, the
 * 2025–2027 calendar, our demo chains, checklists and accounts) in one
 * transaction, then optionally n synthetic dossiers spread over the last
 * two years, each taken through the real lifecycle (seed_dossiers).
 *
 * Ownership: borrows the writer; nothing kept.
 */
#ifndef MOTCUA_SEED_H
#define MOTCUA_SEED_H

#include <stddef.h>
#include <stdint.h>

struct writer;
struct config;

#define SEED_DEMO_PASSWORD "demo-2026"

/* 0 ok, -1 with a message in err. now: the seeding instant. */
int seed_demo(struct writer *w, const struct config *cfg, int64_t now, char *err, size_t n);
/* Add n synthetic dossiers received over the two years before now.
 * seed: for the pseudo-random choices (the same seed gives the same data).
 * Each dossier goes through the real intake and lifecycle code; this
 * thread runs it against a capture (capture.h) while the writer thread
 * (started here when it is not running) stores the previous batch
 * (bulk.h), so the two cores share the work. Feedback and the last
 * weeks' portal submissions are written directly afterwards. */
int seed_dossiers(struct writer *w, const struct config *cfg, int64_t now, long n,
		  uint64_t seed, char *err, size_t errlen);

#endif
