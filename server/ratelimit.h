/*
 * motcua — ratelimit: token buckets per client address, in memory.
 *
 * Each key (a client address) has a bucket of `per_minute` tokens that
 * refills continuously at per_minute/60 tokens a second; a request takes
 * one token or is refused with the number of whole seconds until one is
 * there again (for Retry-After). A new key starts with a full bucket.
 *
 * The table has a fixed number of slots, so memory is bounded whatever
 * the number of clients: a key is placed by its hash within a short probe
 * window, and when the window is full the entry seen longest ago is
 * reused. An entry idle for a minute has a full bucket anyway, so reusing
 * it loses nothing; only a flood of distinct addresses inside one minute
 * can give an address a fresh bucket early (rate limiting per address is
 * no defence against that; the per-IP connection limit and a proxy are).
 *
 * Time is passed in (monotonic nanoseconds), so the module is testable
 * without sleeping. It is thread-safe (one mutex; the critical section is
 * a hash and a few probes).
 *
 * Ownership: ratelimit_new() gives a table to release with
 * ratelimit_free(); keys are copied (at most RATELIMIT_KEY_MAX - 1 bytes).
 */
#ifndef MOTCUA_RATELIMIT_H
#define MOTCUA_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#define RATELIMIT_KEY_MAX 64

struct ratelimit;

/* per_minute >= 1; slots is rounded up to a power of two (at least 64). */
struct ratelimit *ratelimit_new(int per_minute, size_t slots);
void ratelimit_free(struct ratelimit *rl);
/* The rate the table was made with. */
int ratelimit_per_minute(const struct ratelimit *rl);
/* Take a token for key at now_ns. 0 = allowed; otherwise the request is
 * refused and the result is the seconds to wait (>= 1). */
int ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ns);

#endif
