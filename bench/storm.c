/*
 * motcua bench — storm: send malformed requests to a running server and
 * print what came back (the generator is tests/storm.c, the same one a
 * Check test runs 5,000 of in `make test`).
 *
 *   storm --port N [--count 100000] [--threads 4] [--seed S]
 *         [--token T] [--dossier CODE] [--pid PID]
 *
 * --token sends "Authorization: Bearer T" to the staff routes, so their
 * body validators are reached; --pid names the server process, whose
 * resident memory is read before and after and which must still be alive
 * at the end. Exit status 0 only with no 5xx, no garbled answer, no byte
 * from outside the compiled-in files, and the server alive.
 *
 * Built by bench/http.sh: cc -O2 -pthread bench/storm.c tests/storm.c.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/storm.h"

/* A "Name: N kB" line of /proc/PID/status in KiB, or -1. */
static long status_kib(long pid, const char *name)
{
	char path[64], line[256];
	size_t len = strlen(name);
	long kib = -1;
	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, name, len) == 0 && line[len] == ':') {
			kib = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kib;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct storm_options o;
	struct storm_stats st;
	char auth[256] = "";
	long pid = 0;
	memset(&o, 0, sizeof(o));
	o.count = 100000;
	o.threads = 4;
	o.seed = 20261122;
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--port") && v)
			o.port = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--count") && v)
			o.count = atol(argv[++i]);
		else if (!strcmp(argv[i], "--threads") && v)
			o.threads = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && v)
			o.seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--token") && v)
			snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", argv[++i]);
		else if (!strcmp(argv[i], "--dossier") && v)
			o.dossier = argv[++i];
		else if (!strcmp(argv[i], "--pid") && v)
			pid = atol(argv[++i]);
		else {
			fprintf(stderr, "usage: storm --port N [--count N] [--threads N] [--seed S] "
					"[--token T] [--dossier CODE] [--pid PID]\n");
			return 2;
		}
	}
	if (o.port <= 0) {
		fprintf(stderr, "storm: --port is required\n");
		return 2;
	}
	o.auth = auth[0] ? auth : NULL;
	long rss0 = pid ? status_kib(pid, "VmRSS") : -1, anon0 = pid ? status_kib(pid, "RssAnon") : -1;
	double t0 = now_s();
	if (storm_run(&o, &st) != 0) {
		fprintf(stderr, "storm: could not reach 127.0.0.1:%d\n", o.port);
		return 1;
	}
	double secs = now_s() - t0;
	long rss1 = pid ? status_kib(pid, "VmRSS") : -1, anon1 = pid ? status_kib(pid, "RssAnon") : -1;
	int alive = !pid || kill((pid_t)pid, 0) == 0;
	printf("storm: %ld malformed requests in %.1f s (%.0f/s), %d senders, seed %llu\n", st.sent, secs,
	       (double)st.sent / secs, o.threads, (unsigned long long)o.seed);
	printf("  answers:");
	for (int k = 0; k < STORM__MAX; k++)
		if (st.by_class[k])
			printf(" %s %ld,", storm_class_name((enum storm_class)k), st.by_class[k]);
	printf("\n  5xx: %ld   garbled: %ld   path traversal: %ld sent, %ld answered 2xx (asset bytes only), "
	       "%ld leaks\n", st.by_class[STORM_5XX], st.by_class[STORM_GARBLED], st.traversal, st.traversal_2xx,
	       st.leaks);
	/* RssAnon is the process's own memory; the rest of RSS is mapped
	 * files (the database pages SQLite reads, shared libraries). */
	if (pid)
		printf("  server: %s, RSS %ld MiB before, %ld MiB after (growth %+ld MiB, of which "
		       "anonymous %+ld MiB, the rest file pages)\n", alive ? "alive" : "DEAD", rss0 / 1024,
		       rss1 / 1024, (rss1 - rss0) / 1024, (anon1 - anon0) / 1024);
	if (st.first_bad >= 0) {
		char what[256];
		storm_describe(&o, st.first_bad, what, sizeof(what));
		printf("  first bad answer: %s\n    request %s\n", st.first_bad_what, what);
	}
	int ok = alive && st.by_class[STORM_5XX] == 0 && st.by_class[STORM_GARBLED] == 0 && st.leaks == 0
		 && st.by_class[STORM_CONNECT] == 0;
	printf("  verdict: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
