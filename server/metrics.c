/*
 * motcua — metrics: lock-free request counters keyed by route pattern.
 *
 * The table is a fixed open-addressing array keyed by the pattern's
 * address (patterns are literals from the route table, so equal routes
 * share one address); a slot is claimed with a compare-and-swap.
 */
#include "metrics.h"

#include <stdatomic.h>
#include <stddef.h>

#include "util.h"

#define SLOTS 256
#define STATUS_CLASSES 6	/* 1xx … 5xx, other */
#define BUCKETS 12

static const int64_t bucket_us[BUCKETS] = {
	250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000
};

struct slot {
	_Atomic(const char *) route;
	atomic_uint_fast64_t by_status[STATUS_CLASSES];
	atomic_uint_fast64_t bucket[BUCKETS + 1];	/* last = +Inf */
	atomic_uint_fast64_t sum_us;
};

static struct slot slots[SLOTS];

static struct slot *slot_for(const char *route)
{
	size_t i = ((uintptr_t)route >> 4) % SLOTS;
	for (size_t probes = 0; probes < SLOTS; probes++, i = (i + 1) % SLOTS) {
		const char *cur = atomic_load(&slots[i].route);
		if (cur == route)
			return &slots[i];
		if (cur == NULL) {
			const char *expected = NULL;
			if (atomic_compare_exchange_strong(&slots[i].route, &expected, route)
			    || expected == route)
				return &slots[i];
		}
	}
	return NULL;
}

void metrics_request(const char *route, int status, int64_t micros)
{
	struct slot *s = slot_for(route);
	if (!s)
		return;
	int cls = status >= 100 && status < 600 ? status / 100 - 1 : 5;
	atomic_fetch_add(&s->by_status[cls], 1);
	int b = 0;
	while (b < BUCKETS && micros > bucket_us[b])
		b++;
	atomic_fetch_add(&s->bucket[b], 1);
	atomic_fetch_add(&s->sum_us, (uint64_t)(micros > 0 ? micros : 0));
}

void metrics_render_requests(struct buf *out)
{
	static const char *const cls[STATUS_CLASSES] = { "1xx", "2xx", "3xx", "4xx", "5xx", "other" };
	buf_adds(out, "# HELP motcua_http_requests_total HTTP requests by route and status class.\n"
		      "# TYPE motcua_http_requests_total counter\n");
	for (size_t i = 0; i < SLOTS; i++) {
		const char *route = atomic_load(&slots[i].route);
		for (int c = 0; route && c < STATUS_CLASSES; c++) {
			uint64_t v = atomic_load(&slots[i].by_status[c]);
			if (v)
				buf_printf(out, "motcua_http_requests_total{route=\"%s\",status=\"%s\"} %llu\n",
					   route, cls[c], (unsigned long long)v);
		}
	}
	buf_adds(out, "# HELP motcua_http_request_duration_seconds Time to answer, by route.\n"
		      "# TYPE motcua_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < SLOTS; i++) {
		const char *route = atomic_load(&slots[i].route);
		if (!route)
			continue;
		uint64_t cum = 0;
		for (int b = 0; b <= BUCKETS; b++) {
			cum += atomic_load(&slots[i].bucket[b]);
			if (b < BUCKETS)
				buf_printf(out, "motcua_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
					   route, (double)bucket_us[b] / 1e6, (unsigned long long)cum);
			else
				buf_printf(out, "motcua_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
					   route, (unsigned long long)cum);
		}
		buf_printf(out, "motcua_http_request_duration_seconds_sum{route=\"%s\"} %g\n",
			   route, (double)atomic_load(&slots[i].sum_us) / 1e6);
		buf_printf(out, "motcua_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
			   route, (unsigned long long)cum);
	}
}
