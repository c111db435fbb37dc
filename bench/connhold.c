/*
 * motcua bench — connhold: hold many connections open, or probe latency.
 *
 *   connhold hold --port P [--conns 10000] [--ips 40] [--seconds 40]
 *                 [--path /healthz] [--ready FILE]
 *       Opens --conns connections to 127.0.0.1:P, spread evenly over the
 *       source addresses 127.0.0.2 … 127.0.0.(1+ips) (so a per-address
 *       limit of the server still applies: 10,000 over 40 addresses is 250
 *       each). Each connection sends a keep-alive GET of --path and reads
 *       the answer, then stays open; every 20 s it asks again, as a browser
 *       with a kept-alive connection would, so the server's idle timeout
 *       does not close it. When all are open (or failed) it writes the
 *       counts to --ready, holds until --seconds have passed since start,
 *       and prints: opened, refused, answered, closed by the server, open
 *       at the end.
 *
 *   connhold probe --port P [--seconds 10] [--rate 20] [--path /healthz]
 *                  [--token T]
 *       A legitimate client: --rate requests a second, each on a new
 *       connection from 127.0.0.1 (so a full accept queue would show),
 *       and prints count, failures, p50, p99 and max latency in ms.
 *
 * Loopback only; every loop is bounded in time. Built by bench/http.sh.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct opts {
	int port, conns, ips, rate;
	double seconds;
	const char *path, *token, *ready;
};

/* ---- hold ------------------------------------------------------------------- */

enum cstate { C_CONNECTING, C_WAITING, C_IDLE, C_DEAD };

struct conn {
	int fd;
	enum cstate st;
	double last;		/* last request sent */
	int answered;		/* got at least one complete status line */
};

static int connect_from(int ip_index, int port)
{
	struct sockaddr_in src, dst;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(0x7f000002u + (unsigned)ip_index);
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0) {
		close(fd);
		return -1;
	}
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)port);
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) != 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_request(struct conn *c, const struct opts *o)
{
	char req[512];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", o->path, o->port);
	c->last = now_s();
	return send(c->fd, req, (size_t)n, MSG_NOSIGNAL) == n ? 0 : -1;
}

static int hold(const struct opts *o)
{
	struct conn *cs = calloc((size_t)o->conns, sizeof(*cs));
	struct epoll_event ev, evs[1024];
	int ep = epoll_create1(0), opened = 0, refused = 0, closed = 0, pending = 0;
	double start = now_s(), all_open_at = 0;
	int next = 0, ready_written = 0;
	if (!cs || ep < 0)
		return 1;
	while (now_s() - start < o->seconds) {
		/* Open more, keeping at most 1,000 connects in flight (the
		 * server's accept queue is 4,096). */
		while (next < o->conns && pending < 1000) {
			struct conn *c = &cs[next];
			c->fd = connect_from(next % o->ips, o->port);
			if (c->fd < 0) {
				c->st = C_DEAD;
				refused++;
			} else {
				c->st = C_CONNECTING;
				ev.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP;
				ev.data.u32 = (uint32_t)next;
				epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
				pending++;
			}
			next++;
		}
		if (!ready_written && next == o->conns && pending == 0) {
			all_open_at = now_s() - start;
			if (o->ready) {
				FILE *f = fopen(o->ready, "w");
				if (f) {
					fprintf(f, "%d %d %.1f\n", opened, refused, all_open_at);
					fclose(f);
				}
			}
			ready_written = 1;
		}
		int n = epoll_wait(ep, evs, 1024, 200);
		for (int i = 0; i < n; i++) {
			struct conn *c = &cs[evs[i].data.u32];
			if (c->st == C_DEAD)
				continue;
			if (c->st == C_CONNECTING) {
				int err = 0;
				socklen_t len = sizeof(err);
				getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
				pending--;
				if (err || !(evs[i].events & EPOLLOUT)) {
					refused++;
					c->st = C_DEAD;
					epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
					close(c->fd);
					continue;
				}
				opened++;
				ev.events = EPOLLIN | EPOLLRDHUP;
				ev.data.u32 = evs[i].data.u32;
				epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
				c->st = send_request(c, o) == 0 ? C_WAITING : C_DEAD;
				continue;
			}
			if (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
				char buf[4096];
				ssize_t r = recv(c->fd, buf, sizeof(buf), 0);
				if (r <= 0) {
					closed++;
					c->st = C_DEAD;
					epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
					close(c->fd);
					continue;
				}
				if (r >= 12 && memcmp(buf, "HTTP/1.1 ", 9) == 0) {
					c->answered = 1;
					c->st = C_IDLE;
				}
			}
		}
		/* Keep them alive: a new request after 20 s of quiet. */
		double t = now_s();
		for (int i = 0; i < next; i++)
			if (cs[i].st == C_IDLE && t - cs[i].last > 20.0 && send_request(&cs[i], o) != 0) {
				cs[i].st = C_DEAD;
				closed++;
				close(cs[i].fd);
			}
	}
	int open_now = 0, answered = 0;
	for (int i = 0; i < next; i++) {
		answered += cs[i].answered;
		if (cs[i].st != C_DEAD) {
			open_now++;
			close(cs[i].fd);
		}
	}
	printf("connhold: %d connections asked from %d addresses: %d opened (all by %.1f s), %d refused, "
	       "%d answered, %d closed by the server, %d open after %.0f s\n",
	       o->conns, o->ips, opened, all_open_at, refused, answered, closed, open_now, o->seconds);
	free(cs);
	close(ep);
	return refused == 0 && open_now == o->conns ? 0 : 1;
}

/* ---- probe ------------------------------------------------------------------- */

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* One request on a new connection; its latency in ms, or -1. */
static double one(const struct opts *o)
{
	struct sockaddr_in a;
	struct timeval tv = { 5, 0 };
	char req[1024], buf[16384];
	double t0 = now_s();
	int fd = socket(AF_INET, SOCK_STREAM, 0), status = 0;
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)o->port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s%s%s\r\n",
			 o->path, o->port, o->token ? "Authorization: Bearer " : "", o->token ? o->token : "",
			 o->token ? "\r\n" : "");
	if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
		close(fd);
		return -1;
	}
	size_t got = 0;
	for (;;) {
		ssize_t r = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got == sizeof(buf) - 1)
			got = 12;	/* keep the status line, drop the rest */
	}
	close(fd);
	buf[got] = '\0';
	if (got < 12 || sscanf(buf, "HTTP/1.%*d %d", &status) != 1 || status != 200)
		return -1;
	return (now_s() - t0) * 1000.0;
}

static int probe(const struct opts *o)
{
	size_t cap = (size_t)(o->seconds * o->rate) + 16, n = 0;
	double *lat = calloc(cap, sizeof(*lat));
	int failures = 0;
	double start = now_s(), gap = 1.0 / o->rate;
	if (!lat)
		return 1;
	for (size_t i = 0; now_s() - start < o->seconds && n < cap; i++) {
		double due = start + (double)i * gap, t = now_s();
		if (due > t)
			usleep((useconds_t)((due - t) * 1e6));
		double ms = one(o);
		if (ms < 0)
			failures++;
		else
			lat[n++] = ms;
	}
	qsort(lat, n, sizeof(*lat), cmp);
	double p50 = n ? lat[n / 2] : -1, p99 = n ? lat[(size_t)((double)(n - 1) * 0.99)] : -1,
	       max = n ? lat[n - 1] : -1;
	printf("probe: %zu requests to %s (%d a second, each a new connection): %d failed, "
	       "p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", n + (size_t)failures, o->path, o->rate, failures, p50,
	       p99, max);
	free(lat);
	return failures == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct opts o = { 0, 10000, 40, 20, 40.0, "/healthz", NULL, NULL };
	if (argc < 2 || (strcmp(argv[1], "hold") && strcmp(argv[1], "probe"))) {
		fprintf(stderr, "usage: connhold hold|probe --port P [options] (see bench/connhold.c)\n");
		return 2;
	}
	for (int i = 2; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (!strcmp(k, "--port"))
			o.port = atoi(v);
		else if (!strcmp(k, "--conns"))
			o.conns = atoi(v);
		else if (!strcmp(k, "--ips"))
			o.ips = atoi(v);
		else if (!strcmp(k, "--seconds"))
			o.seconds = atof(v);
		else if (!strcmp(k, "--rate"))
			o.rate = atoi(v);
		else if (!strcmp(k, "--path"))
			o.path = v;
		else if (!strcmp(k, "--token"))
			o.token = v;
		else if (!strcmp(k, "--ready"))
			o.ready = v;
		else {
			fprintf(stderr, "connhold: unknown option %s\n", k);
			return 2;
		}
	}
	if (o.port <= 0 || o.conns < 1 || o.ips < 1 || o.ips > 250 || o.rate < 1 || o.seconds <= 0) {
		fprintf(stderr, "connhold: bad options\n");
		return 2;
	}
	return strcmp(argv[1], "hold") == 0 ? hold(&o) : probe(&o);
}
