/*
 * motcua fuzz — the router and the static-file path check.
 *
 * Input: the first byte picks a method, the rest (up to a NUL) is a
 * decoded request path, as libmicrohttpd hands it over. Checked:
 *   - route_match: a match means the route's pattern, with the captured
 *     parameters put back, is exactly the path; every parameter is one
 *     non-empty segment shorter than 160 bytes; *wrong_method only when
 *     nothing matched; route_for_body agrees with route_match.
 *   - http_static_name: an accepted path gives a relative name with no
 *     "..", "." or empty segment, no '\', '%' or byte outside printable
 *     ASCII, so it can only ever select an entry of the compiled-in
 *     table; and every file of that table is reachable.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "http.h"
#include "route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                     \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "fuzz_route: broken promise: %s (line %d)\n", #cond, \
				__LINE__);                                              \
			abort();                                                        \
		}                                                                       \
	} while (0)

static const char *const methods[] = { "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "get" };

static void check_static_table(void)
{
	static int done;
	char path[HTTP_STATIC_PATH_MAX + 2], name[HTTP_STATIC_PATH_MAX + 16];
	if (done)
		return;
	done = 1;
	for (const struct embed_file *f = embed_static; f->name; f++) {
		snprintf(path, sizeof(path), "/%s", f->name);
		CHECK(http_static_name(path, name, sizeof(name)) == 1);
		CHECK(strcmp(name, f->name) == 0);
	}
}

static void check_route(const char *method, const char *path)
{
	char params[HTTP_MAX_PARAMS][160], rebuilt[4200];
	int wrong = -1;
	const struct route *rt = route_match(method, path, params, &wrong);
	CHECK(wrong == 0 || wrong == 1);
	CHECK(route_for_body(method, path) == rt);
	if (!rt)
		return;
	size_t w = 0, k = 0;
	for (const char *p = rt->pattern; *p; p++) {
		if (*p == '{') {
			CHECK(k < HTTP_MAX_PARAMS);
			size_t len = strlen(params[k]);
			CHECK(len > 0 && len < 160 && !strchr(params[k], '/'));
			CHECK(w + len < sizeof(rebuilt));
			memcpy(rebuilt + w, params[k], len);
			w += len;
			k++;
			p = strchr(p, '}');
			continue;
		}
		CHECK(w + 1 < sizeof(rebuilt));
		rebuilt[w++] = *p;
	}
	rebuilt[w] = '\0';
	CHECK(strcmp(rebuilt, path) == 0);
}

static void check_static(const char *path)
{
	char name[HTTP_STATIC_PATH_MAX + 16];
	if (!http_static_name(path, name, sizeof(name)))
		return;
	CHECK(path[0] == '/');
	CHECK(name[0] != '/' && name[0] != '.');
	CHECK(!strstr(name, "..") && !strstr(name, "/.") && !strstr(name, "//"));
	for (const char *p = name; *p; p++)
		CHECK(*p > 0x20 && *p < 0x7f && *p != '\\' && *p != '%');
	const struct embed_file *f = embed_find(embed_static, name);
	CHECK(!f || strcmp(f->name, name) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[4096];
	check_static_table();
	if (size == 0)
		return 0;
	const char *method = methods[data[0] % (sizeof(methods) / sizeof(methods[0]))];
	size_t n = size - 1 < sizeof(path) - 1 ? size - 1 : sizeof(path) - 1;
	memcpy(path, data + 1, n);
	path[n] = '\0';
	check_route(method, path);
	check_static(path);
	return 0;
}
