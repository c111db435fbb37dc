/*
 * motcua — metrics: counters for /metrics (Prometheus text format).
 *
 * Requests are counted per route pattern and status, with a latency
 * histogram; other modules add their gauges when the page is rendered.
 * Counters are atomics: cheap on the request path, no locks.
 *
 * Ownership: route patterns are borrowed string literals (the route
 * table); nothing is allocated after metrics_init.
 */
#ifndef MOTCUA_METRICS_H
#define MOTCUA_METRICS_H

#include <stdint.h>

#include "buf.h"

/* Count one finished request. */
void metrics_request(const char *route, int status, int64_t micros);
/* Append the request counters and histogram in Prometheus text format. */
void metrics_render_requests(struct buf *out);

#endif
