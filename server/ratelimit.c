/*
 * motcua — ratelimit: fixed-size table of token buckets.
 */
#include "ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define PROBE 16
#define NS_PER_S 1000000000.0

struct slot {
	char key[RATELIMIT_KEY_MAX];	/* "" = free */
	double tokens;			/* at `seen` */
	int64_t seen;			/* last refill, monotonic ns */
};

struct ratelimit {
	pthread_mutex_t lock;
	int per_minute;
	double per_ns;			/* refill rate */
	size_t mask;			/* slots - 1 */
	struct slot *slots;
};

struct ratelimit *ratelimit_new(int per_minute, size_t slots)
{
	struct ratelimit *rl = xcalloc(1, sizeof(*rl));
	size_t n = 64;
	while (n < slots)
		n <<= 1;
	pthread_mutex_init(&rl->lock, NULL);
	rl->per_minute = per_minute < 1 ? 1 : per_minute;
	rl->per_ns = rl->per_minute / (60.0 * NS_PER_S);
	rl->mask = n - 1;
	rl->slots = xcalloc(n, sizeof(*rl->slots));
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->slots);
	free(rl);
}

int ratelimit_per_minute(const struct ratelimit *rl)
{
	return rl->per_minute;
}

/* FNV-1a: short keys, no adversarial flooding concern beyond eviction. */
static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot of key: its own, a free one, or the one idle longest. */
static struct slot *find(struct ratelimit *rl, const char *key, int *fresh)
{
	size_t start = (size_t)hash(key) & rl->mask;
	struct slot *free_slot = NULL, *oldest = NULL;
	for (size_t i = 0; i < PROBE; i++) {
		struct slot *s = &rl->slots[(start + i) & rl->mask];
		if (!s->key[0]) {
			if (!free_slot)
				free_slot = s;
			continue;
		}
		if (strcmp(s->key, key) == 0) {
			*fresh = 0;
			return s;
		}
		if (!oldest || s->seen < oldest->seen)
			oldest = s;
	}
	*fresh = 1;
	return free_slot ? free_slot : oldest;
}

int ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ns)
{
	char k[RATELIMIT_KEY_MAX];
	int fresh, wait = 0;
	double cap = rl->per_minute;
	strlcpy_(k, key && *key ? key : "?", sizeof(k));
	pthread_mutex_lock(&rl->lock);
	struct slot *s = find(rl, k, &fresh);
	if (fresh) {
		strlcpy_(s->key, k, sizeof(s->key));
		s->tokens = cap;
	} else if (now_ns > s->seen) {
		s->tokens += (double)(now_ns - s->seen) * rl->per_ns;
		if (s->tokens > cap)
			s->tokens = cap;
	}
	if (fresh || now_ns > s->seen)
		s->seen = now_ns;
	if (s->tokens >= 1.0) {
		s->tokens -= 1.0;
	} else {
		double secs = (1.0 - s->tokens) / (rl->per_ns * NS_PER_S);
		/* (tolerate rounding: 1 / (2/60) must be 30 s, not 31) */
		wait = (int)ceil(secs - 1e-6);
		if (wait < 1)
			wait = 1;
	}
	pthread_mutex_unlock(&rl->lock);
	return wait;
}
