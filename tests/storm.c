/*
 * motcua tests — the malformed-request storm (see storm.h).
 *
 * Each request is built from a splitmix64 stream seeded by (seed, index):
 * first a family (JSON body, HTTP framing, path traversal, query and
 * credentials), then a case within it, then the case's random details.
 * Requests that are incomplete on purpose (a body shorter than its
 * Content-Length, HTTP/0.9, raw bytes) half-close the socket after
 * sending, so the server sees the end and need not wait for its timeout.
 */
#include "storm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* ---- small tools ------------------------------------------------------------ */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static unsigned pick(struct rng *r, unsigned n)
{
	return (unsigned)(rnd(r) % n);
}

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const void *d, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			abort();
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_adds(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		sb_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void sb_rep(struct sbuf *b, const char *s, size_t times)
{
	for (size_t i = 0; i < times; i++)
		sb_adds(b, s);
}

/* ---- the request being built ---------------------------------------------- */

struct req {
	struct sbuf out;	/* the bytes sent */
	const char *name;	/* case name, for reports */
	int traversal;		/* a path traversal attempt */
	int half_close;		/* incomplete on purpose: shut down writing */
	size_t send_max;	/* send at most this much (0 = all) */
};

struct ctx {
	const struct storm_options *o;
	struct rng r;
	struct req q;
};

static const char valid_intake[] =
	"{\"procedure_code\":\"1.001193\",\"channel\":\"direct\",\"applicant\":{\"name\":\"Nguyen Van An\","
	"\"id_number\":\"038090001234\",\"phone\":\"0912345678\",\"address\":\"Thanh Hoa\"},"
	"\"documents\":[{\"name\":\"To khai\",\"kind\":\"original\",\"count\":1}]}";

/* JSON routes; auth 1 = send the staff credentials. The bodies are always
 * refused, so the storm writes nothing. */
static const struct {
	const char *method, *path;
	int auth;
} json_routes[] = {
	{ "POST", "/api/v1/dossiers", 1 },
	{ "POST", "/api/v1/session", 0 },
	{ "POST", "/api/v1/public/feedback", 0 },
	{ "POST", "/api/v1/public/submissions", 0 },
	{ "POST", "/api/v1/public/rating", 0 },
	{ "POST", "/api/v1/dossiers/{code}/actions", 1 },
	{ "POST", "/api/v1/feedback/PAKN-260302-0001/actions", 1 },
	{ "PUT", "/api/v1/calendar/2026-03-10", 1 },
	{ "POST", "/api/v1/users", 1 },
};

static void path_of(struct ctx *c, const char *pattern, struct sbuf *out)
{
	const char *code = c->o->dossier ? c->o->dossier : "000.00.51.H56-260302-0001";
	const char *at = strstr(pattern, "{code}");
	if (!at) {
		sb_adds(out, pattern);
		return;
	}
	sb_add(out, pattern, (size_t)(at - pattern));
	sb_adds(out, code);
	sb_adds(out, at + 6);
}

/* Wrap a JSON body into a request to one of the JSON routes. */
static void json_request(struct ctx *c, const char *body, size_t len, const char *ctype)
{
	unsigned i = pick(&c->r, (unsigned)(sizeof(json_routes) / sizeof(json_routes[0])));
	struct sbuf path = { NULL, 0, 0 };
	path_of(c, json_routes[i].path, &path);
	sb_printf(&c->q.out, "%s ", json_routes[i].method);
	sb_add(&c->q.out, path.p, path.len);
	sb_printf(&c->q.out, " HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n", c->o->port);
	if (json_routes[i].auth && c->o->auth)
		sb_adds(&c->q.out, c->o->auth);
	sb_printf(&c->q.out, "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n", ctype, len);
	sb_add(&c->q.out, body, len);
	free(path.p);
}

/* ---- family 1: JSON bodies --------------------------------------------------- */

static const char *const overlong[] = {
	"\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xE0\x9F\xBF", "\xF0\x80\x80\xAF", "\xF0\x8F\xBF\xBF",
	"\xF8\x88\x80\x80\x80", "\xFC\x84\x80\x80\x80\x80", "\xE2\x82", "\x80", "\xBF\xBF", "\xFE",
	"\xFF", "\xF4\x90\x80\x80", "\xC3", "\xED\xA0\x80", "\xED\xBF\xBF", "\xED\xA0\x80\xED\xB0\x80",
};

static const char *const bad_escapes[] = {
	"\\uD800", "\\uDC00", "\\uDBFF\\uDBFF", "\\uD800\\u0041", "\\uDFFF", "\\u0000", "x\\u0000y",
	"\\u00", "\\uZZZZ", "\\x41", "\\", "\\U0001F600", "\\ud83d", "\\u0000\\u0000",
};

static const char *const keys[] = {
	"procedure_code", "channel", "applicant", "name", "username", "password", "action", "agency_code",
	"kind", "content", "documents", "note", "t", "phone", "id_number",
};

static const char *const wrong_values[] = {
	"1", "-1", "1.5", "true", "false", "null", "[]", "{}", "[1,2,3]", "{\"a\":{}}", "\"\"",
	"\"x\"", "[{}]", "[null]", "1e308", "-0", "[[[]]]",
};

static const char *const numbers[] = {
	"1e999999", "-1e999999", "1e-999999", "123456789012345678901234567890123456789012345678901234567890123456",
	"0.000000000000000000000000000000000000000000000000000000000000000000001", "00012", "0x10", "NaN",
	"Infinity", "-Infinity", "1.", ".5", "1e", "1e+", "--1", "+1", "9223372036854775808",
	"-9223372036854775809", "18446744073709551616", "1E400", "4.9e-324", "1.7976931348623157e309",
};

/* Byte strings with their length (some hold NUL bytes). */
struct bytes {
	const char *p;
	size_t len;
};
#define B(lit) { lit, sizeof(lit) - 1 }

static const struct bytes junk_bodies[] = {
	B(""), B(" "), B("\n\t "), B("{"), B("}"), B("["), B("{\"a\""), B("{\"a\":"), B("{\"a\":1"),
	B("{\"a\":1,}"), B("{,}"), B("{}x"), B("{}{}"), B("[]"), B("\"str\""), B("42"), B("null"), B("true"),
	B("{'a':1}"), B("{a:1}"), B("{\"a\":1 /* c */}"), B("// c\n{}"), B("\xEF\xBB\xBF{}"),
	B("{\"a\":\"\n\"}"), B("{\"a\":\"\t\"}"), B("{\"a\":\"\x01\"}"), B("{\"\":1}"), B("{\"a\":[1,2,]}"),
	B("{\"a\" 1}"), B("{\"a\"::1}"), B("{\"a\":01}"), B("{\"a\":tru}"), B("{\"a\":nul}"),
	B("{\"a\":\"unterminated}"), B("\0{}"), B("{}\0"), B("{\"a\":\"b\"}\0\0\0"),
};

static void body_string_with(struct ctx *c, struct sbuf *b, const char *inner, size_t inner_len)
{
	const char *k = keys[pick(&c->r, (unsigned)(sizeof(keys) / sizeof(keys[0])))];
	sb_printf(b, "{\"%s\":\"ab", k);
	sb_add(b, inner, inner_len);
	sb_adds(b, "cd\"}");
}

static void family_json(struct ctx *c)
{
	struct sbuf b = { NULL, 0, 0 };
	const char *ctype = "application/json";
	unsigned n;
	switch (pick(&c->r, 14)) {
	case 0:
		c->q.name = "json overlong or invalid UTF-8";
		n = pick(&c->r, (unsigned)(sizeof(overlong) / sizeof(overlong[0])));
		if (pick(&c->r, 2))
			body_string_with(c, &b, overlong[n], strlen(overlong[n]));
		else {	/* as a key */
			sb_adds(&b, "{\"");
			sb_adds(&b, overlong[n]);
			sb_adds(&b, "\":1}");
		}
		break;
	case 1:
		c->q.name = "json bad escape or lone surrogate";
		n = pick(&c->r, (unsigned)(sizeof(bad_escapes) / sizeof(bad_escapes[0])));
		body_string_with(c, &b, bad_escapes[n], strlen(bad_escapes[n]));
		break;
	case 2:
		c->q.name = "json NUL byte";
		body_string_with(c, &b, "x\0y", 3);
		if (pick(&c->r, 2))
			sb_add(&b, "\0", 1);
		break;
	case 3: {
		c->q.name = "json deep nesting";
		static const unsigned depths[] = { 17, 64, 1000, 5000, 20000 };
		unsigned d = depths[pick(&c->r, 5)];
		int obj = (int)pick(&c->r, 2), close = (int)pick(&c->r, 2);
		for (unsigned i = 0; i < d; i++)
			sb_adds(&b, obj ? "{\"a\":" : "[");
		sb_adds(&b, "1");
		for (unsigned i = 0; close && i < d; i++)
			sb_adds(&b, obj ? "}" : "]");
		break;
	}
	case 4: {
		/* Over the cap: Content-Length says so, and the server must
		 * answer 413 without reading; only a little is sent. Sometimes
		 * the body really comes, chunked, and must be counted. */
		c->q.name = "json huge body";
		unsigned i = pick(&c->r, (unsigned)(sizeof(json_routes) / sizeof(json_routes[0])));
		struct sbuf path = { NULL, 0, 0 };
		path_of(c, json_routes[i].path, &path);
		sb_printf(&c->q.out, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
			  "Content-Type: application/json\r\n%s", json_routes[i].method, path.p, c->o->port,
			  json_routes[i].auth && c->o->auth ? c->o->auth : "");
		free(path.p);
		if (pick(&c->r, 20)) {
			static const char *const sizes[] = { "10485760", "65537", "1073741824",
							     "18446744073709551615" };
			sb_printf(&c->q.out, "Content-Length: %s\r\n\r\n[", sizes[pick(&c->r, 4)]);
			sb_rep(&c->q.out, "1,", 512);
			c->q.half_close = 1;
		} else {
			c->q.name = "json huge chunked body";
			sb_adds(&c->q.out, "Transfer-Encoding: chunked\r\n\r\n");
			for (int k = 0; k < 24; k++) {
				sb_adds(&c->q.out, "4000\r\n");
				sb_rep(&c->q.out, "[1,2,3,4,5,6,7,8]", 16384 / 17);
				sb_rep(&c->q.out, " ", 16384 - (16384 / 17) * 17);
				sb_adds(&c->q.out, "\r\n");
			}
			sb_adds(&c->q.out, "0\r\n\r\n");
		}
		free(b.p);
		return;
	}
	case 5: {
		c->q.name = "json many keys";
		static const unsigned counts[] = { 100, 5000, 6000, 100000 };
		unsigned k = counts[pick(&c->r, 4)];
		sb_adds(&b, "{");
		for (unsigned i = 0; i < k; i++)
			sb_printf(&b, "%s\"k%u\":%s", i ? "," : "", i, k == 6000 ? "[0]" : "0");
		sb_adds(&b, "}");
		break;
	}
	case 6:
		c->q.name = "json duplicate keys";
		n = pick(&c->r, (unsigned)(sizeof(keys) / sizeof(keys[0])));
		if (pick(&c->r, 2))
			sb_printf(&b, "{\"%s\":\"a\",\"%s\":\"b\"}", keys[n], keys[n]);
		else
			sb_printf(&b, "{\"applicant\":{\"name\":\"A\",\"name\":\"B\"},\"procedure_code\":\"1.001193\"}");
		break;
	case 7:
	case 8: {
		/* An intake with one value of the wrong type ('@'), and an unknown
		 * key, so that nothing is ever accepted. */
		c->q.name = "json wrong type";
		static const char *const tmpl[] = {
			"{\"procedure_code\":@,\"channel\":\"direct\",\"applicant\":{\"name\":\"A\"},\"zz\":1}",
			"{\"procedure_code\":\"1.001193\",\"channel\":@,\"applicant\":{\"name\":\"A\"},\"zz\":1}",
			"{\"procedure_code\":\"1.001193\",\"channel\":\"direct\",\"applicant\":@,\"zz\":1}",
			"{\"procedure_code\":\"1.001193\",\"applicant\":{\"name\":@,\"phone\":@},\"zz\":1}",
			"{\"procedure_code\":\"1.001193\",\"documents\":@,\"zz\":1}",
			"{\"documents\":[{\"name\":\"x\",\"kind\":@,\"count\":@}],\"zz\":1}",
			"{\"username\":@,\"password\":@}", "{\"action\":@,\"note\":@}",
			"{\"agency_code\":@,\"kind\":@,\"content\":@}",
		};
		const char *t = tmpl[pick(&c->r, (unsigned)(sizeof(tmpl) / sizeof(tmpl[0])))];
		for (; *t; t++) {
			if (*t == '@')
				sb_adds(&b, wrong_values[pick(&c->r, (unsigned)(sizeof(wrong_values)
								       / sizeof(wrong_values[0])))]);
			else
				sb_add(&b, t, 1);
		}
		break;
	}
	case 9:
		c->q.name = "json long number";
		sb_printf(&b, "{\"count\":%s,\"limit\":%s}", numbers[pick(&c->r, 22)], numbers[pick(&c->r, 22)]);
		break;
	case 10: {
		c->q.name = "json field over its limit";
		static const size_t lens[] = { 65, 257, 2000, 20000, 60000 };
		size_t len = lens[pick(&c->r, 5)];
		sb_printf(&b, "{\"procedure_code\":\"1.001193\",\"channel\":\"direct\",\"applicant\":{\"name\":\"");
		for (size_t i = 0; i < len; i++)
			sb_adds(&b, pick(&c->r, 4) ? "a" : "\xE1\xBA\xA1");
		sb_adds(&b, "\",\"id_number\":\"038090001234\"},\"extra\":1}");
		break;
	}
	case 11:
		c->q.name = "json structural junk";
		n = pick(&c->r, (unsigned)(sizeof(junk_bodies) / sizeof(junk_bodies[0])));
		sb_add(&b, junk_bodies[n].p, junk_bodies[n].len);
		break;
	case 12: {
		/* Random byte flips of a valid intake, always with an unknown key
		 * in front, so even a flip that stays valid is refused. */
		c->q.name = "json random mutation";
		sb_adds(&b, "{\"zz_unknown\":1,");
		sb_adds(&b, valid_intake + 1);
		unsigned flips = 1 + pick(&c->r, 8);
		for (unsigned i = 0; i < flips; i++)
			b.p[16 + pick(&c->r, (unsigned)(b.len - 16))] = (char)rnd(&c->r);
		break;
	}
	default:
		c->q.name = "json wrong content type";
		sb_adds(&b, valid_intake);
		static const char *const ctypes[] = { "text/plain", "application/x-www-form-urlencoded",
						      "multipart/form-data; boundary=x", "application/jsonx",
						      "", "application/json; charset=latin1\x01" };
		ctype = ctypes[pick(&c->r, 6)];
		b.p[1] = 'Z';	/* and refused even if taken for JSON */
		break;
	}
	json_request(c, b.p ? b.p : "", b.len, ctype);
	free(b.p);
}

/* ---- family 2: HTTP framing --------------------------------------------------- */

static void head_line(struct ctx *c, const char *method, const char *path)
{
	sb_printf(&c->q.out, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n", method, path,
		  c->o->port);
}

static void family_http(struct ctx *c)
{
	struct sbuf *o = &c->q.out;
	switch (pick(&c->r, 14)) {
	case 0: {
		c->q.name = "http bad Content-Length";
		static const char *const v[] = { "abc", "-1", "1e3", " 2", "2 ", "0x2", "+2", "",
						 "99999999999999999999999999", "2, 2", "2;", "\t2", "２" };
		head_line(c, "POST", "/api/v1/session");
		sb_printf(o, "Content-Type: application/json\r\nContent-Length: %s\r\n\r\n{}",
			  v[pick(&c->r, (unsigned)(sizeof(v) / sizeof(v[0])))]);
		c->q.half_close = 1;
		break;
	}
	case 1:
		c->q.name = "http duplicate Content-Length";
		head_line(c, "POST", "/api/v1/public/feedback");
		sb_printf(o, "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: %s\r\n\r\n{}",
			  pick(&c->r, 2) ? "2" : "7");
		c->q.half_close = 1;
		break;
	case 2:
		c->q.name = "http Content-Length with chunked";
		head_line(c, "POST", "/api/v1/public/feedback");
		sb_adds(o, "Content-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
			   "2\r\n{}\r\n0\r\n\r\n");
		c->q.half_close = 1;
		break;
	case 3: {
		c->q.name = "http chunked abuse";
		static const char *const bodies[] = {
			"ffffffffffffffff\r\n{}\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n", "zz\r\n{}\r\n0\r\n\r\n",
			"2\r\n{}0\r\n\r\n", "5\r\n{}\r\n0\r\n\r\n", "2;ext=1\r\n{}\r\n0\r\n\r\n",
			"2\r\n{}\r\n0\r\nX-Trailer: a\r\n\r\n", "0x2\r\n{}\r\n0\r\n\r\n", "2\n{}\n0\n\n",
			"10000000000000000000000\r\n", "2\r\n{}\r\n", " 2\r\n{}\r\n0\r\n\r\n",
		};
		head_line(c, "POST", "/api/v1/public/feedback");
		sb_adds(o, "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
		if (pick(&c->r, 6) == 0) {
			sb_adds(o, "1;");	/* a 20 KiB chunk extension */
			sb_rep(o, "e", 20000);
			sb_adds(o, "\r\n{\r\n0\r\n\r\n");
		} else if (pick(&c->r, 6) == 0) {
			for (int i = 0; i < 3000; i++)	/* thousands of one-byte chunks */
				sb_adds(o, "1\r\n \r\n");
			sb_adds(o, "1\r\n{\r\n1\r\n}\r\n0\r\n\r\n");
		} else {
			sb_adds(o, bodies[pick(&c->r, (unsigned)(sizeof(bodies) / sizeof(bodies[0])))]);
		}
		c->q.half_close = 1;
		break;
	}
	case 4:
		c->q.name = "http 64 KiB header";
		head_line(c, "GET", "/healthz");
		sb_adds(o, "X-Big: ");
		sb_rep(o, pick(&c->r, 2) ? "a" : "\xC3\xA9", 65536);
		sb_adds(o, "\r\n\r\n");
		break;
	case 5:
		c->q.name = "http many headers";
		head_line(c, "GET", "/healthz");
		for (int i = 0; i < 3000; i++)
			sb_printf(o, "X-H%d: v\r\n", i);
		sb_adds(o, "\r\n");
		break;
	case 6: {
		c->q.name = "http/0.9 and bad versions";
		static const char *const lines[] = {
			"GET /\r\n", "GET /index.html\r\n\r\n", "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
			"GET / HTTP/1.1x\r\nHost: x\r\n\r\n", "GET / HTTP/\r\nHost: x\r\n\r\n",
			"GET / http/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.10\r\nHost: x\r\n\r\n",
			"GET / HTTP/01.1\r\nHost: x\r\n\r\n", "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
			"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "GET / HTTP/1.0\r\n\r\n", "GET  /  HTTP/1.1\r\nHost: x\r\n\r\n",
			"\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.1\r\n\r\n",
		};
		sb_adds(o, lines[pick(&c->r, (unsigned)(sizeof(lines) / sizeof(lines[0])))]);
		c->q.half_close = 1;
		break;
	}
	case 7: {
		c->q.name = "http odd methods";
		static const char *const m[] = { "TRACE", "CONNECT", "OPTIONS", "PROPFIND", "get", "BREW", "PATCH",
						 "G\x01T", "DELETE", "PUT", "HEAD", "MKCOL" };
		static const char *const p[] = { "/", "/api/v1/dossiers", "/api/v1/session", "/index.html",
						 "/api/v1/calendar/2026-03-10", "/healthz" };
		if (pick(&c->r, 8) == 0) {
			struct sbuf big = { NULL, 0, 0 };
			sb_rep(&big, "X", 10000);
			head_line(c, big.p, "/");
			free(big.p);
		} else {
			head_line(c, m[pick(&c->r, (unsigned)(sizeof(m) / sizeof(m[0])))],
				  p[pick(&c->r, (unsigned)(sizeof(p) / sizeof(p[0])))]);
		}
		sb_adds(o, "\r\n");
		break;
	}
	case 8: {
		c->q.name = "http odd request target";
		static const char *const t[] = { "*", "http://evil.example/", "http://127.0.0.1/index.html", "//x",
						 "", "/a b", "?", "#", "/index.html#frag", "%", "/%", "/%zz",
						 "/%u0041", "/\x7f", "/\xff\xfe" };
		if (pick(&c->r, 8) == 0) {
			struct sbuf big = { NULL, 0, 0 };
			sb_adds(&big, "/");
			sb_rep(&big, "a", 100000);
			head_line(c, "GET", big.p);
			free(big.p);
		} else {
			head_line(c, "GET", t[pick(&c->r, (unsigned)(sizeof(t) / sizeof(t[0])))]);
		}
		sb_adds(o, "\r\n");
		break;
	}
	case 9: {
		c->q.name = "http odd header syntax";
		static const struct bytes h[] = {
			B("GET / HTTP/1.1\nHost: x\n\n"), B("GET / HTTP/1.1\rHost: x\r\r"),
			B("GET / HTTP/1.1\r\nHost x\r\n\r\n"), B("GET / HTTP/1.1\r\nHost: x\r\n continued\r\n\r\n"),
			B("GET / HTTP/1.1\r\nHost : x\r\n\r\n"), B("GET / HTTP/1.1\r\n: x\r\nHost: x\r\n\r\n"),
			B("GET / HTTP/1.1\r\nHost: x\r\nX-A: \x01\x02\r\n\r\n"), B("GET / HTTP/1.1\r\nHost: \xC0\xAF\r\n\r\n"),
			B("GET / HTTP/1.1\r\nHost: x\r\nX:\r\n\r\n"), B("GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"),
			B("GET / HTTP/1.1\r\nHo\0st: x\r\n\r\n"), B("GET /\0/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"),
			B("GET /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\nGET /../../etc/passwd HTTP/1.1\r\n\r\n"),
		};
		unsigned i = pick(&c->r, (unsigned)(sizeof(h) / sizeof(h[0])));
		sb_add(o, h[i].p, h[i].len);
		c->q.half_close = 1;
		break;
	}
	case 10: {
		c->q.name = "http raw bytes";
		unsigned n = 1 + pick(&c->r, 2048);
		for (unsigned i = 0; i < n; i++) {
			char ch = (char)rnd(&c->r);
			sb_add(o, &ch, 1);
		}
		c->q.half_close = 1;
		break;
	}
	case 11:
		c->q.name = "http expect 100-continue over the cap";
		head_line(c, "POST", "/api/v1/public/feedback");
		sb_adds(o, "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 99999999\r\n\r\n");
		c->q.half_close = 1;
		break;
	case 12: {
		c->q.name = "http odd Expect and Connection";
		static const char *const e[] = { "Expect: 100-continue\r\n", "Expect: 200-ok\r\n", "Connection: upgrade\r\n"
						 "Upgrade: websocket\r\n", "Connection: keep-alive, close\r\n",
						 "Transfer-Encoding: gzip\r\n", "Transfer-Encoding: chunked, identity\r\n" };
		head_line(c, "POST", "/api/v1/public/feedback");
		sb_adds(o, e[pick(&c->r, 5)]);
		sb_adds(o, "Content-Type: application/json\r\nContent-Length: 3\r\n\r\n{x}");
		c->q.half_close = 1;
		break;
	}
	default:
		c->q.name = "http body on a GET";
		head_line(c, "GET", pick(&c->r, 2) ? "/api/v1/dossiers" : "/healthz");
		if (c->o->auth)
			sb_adds(o, c->o->auth);
		sb_adds(o, "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
		break;
	}
}

/* ---- family 3: path traversal ------------------------------------------------- */

static const char *const up[] = {
	"../", "..%2f", "%2e%2e/", "%2e%2e%2f", "..%252f", "%252e%252e/", "..%c0%af", "..%c1%9c", "..\\",
	"..%5c", "%2e%2e%5c", ".%2e/", "%2e./", "....//", "..;/", "..%00/", "..%u2215", ".%00./",
	"%c0%ae%c0%ae/", "%e0%80%ae%e0%80%ae/", "..%ef%bc%8f", "%%32%65%%32%65/", "..%2F", "..%5C",
	"/..", "..\\/",
};

static const char *const prefixes[] = {
	"/", "/css/", "/js/staff/", "/staff/", "/vendor/", "/api/v1/", "/static/", "/index.html/",
	"/api/v1/public/procedures/", "/forms/",
};

static const char *const targets[] = {
	"etc/passwd", "proc/self/environ", "proc/self/cmdline", "etc/shadow", "config.example.ini", "Makefile",
	"server/http.c", "var/motcua.db", "static/index.html", ".git/config", "", "tmp/",
};

static const char *const fixed_paths[] = {
	"/etc/passwd", "//etc/passwd", "/%2fetc%2fpasswd", "/..", "/.", "/./index.html", "/index.html%00.css",
	"/INDEX.HTML", "/index.html.", "/index.html/", "/index.html::$DATA", "/css/base.css%20", "/.%2e/",
	"/%2e", "/%2e%2e", "/...", "/.env", "/.git/HEAD", "/~root", "/index.html%2f..%2f..%2fetc%2fpasswd",
	"/static/../../../etc/passwd", "/vendor/chart.js/../../../etc/passwd", "/%00", "/\\etc\\passwd",
	"/C:\\Windows\\win.ini", "/file:///etc/passwd", "/%0a%0dSet-Cookie:x=1", "/css/%2e%2e/%2e%2e/Makefile",
};

static void family_traversal(struct ctx *c)
{
	struct sbuf p = { NULL, 0, 0 };
	c->q.traversal = 1;
	switch (pick(&c->r, 4)) {
	case 0:
		c->q.name = "traversal fixed";
		sb_adds(&p, fixed_paths[pick(&c->r, (unsigned)(sizeof(fixed_paths) / sizeof(fixed_paths[0])))]);
		break;
	case 1: {
		c->q.name = "traversal long path";
		unsigned n = 10 + pick(&c->r, 4000);
		sb_adds(&p, "/");
		for (unsigned i = 0; i < n; i++)
			sb_adds(&p, pick(&c->r, 3) ? "./" : "a/../");
		sb_adds(&p, "etc/passwd");
		break;
	}
	default: {
		c->q.name = "traversal encoded";
		sb_adds(&p, prefixes[pick(&c->r, (unsigned)(sizeof(prefixes) / sizeof(prefixes[0])))]);
		unsigned depth = 1 + pick(&c->r, 8);
		const char *u = up[pick(&c->r, (unsigned)(sizeof(up) / sizeof(up[0])))];
		for (unsigned i = 0; i < depth; i++)
			sb_adds(&p, u);
		sb_adds(&p, targets[pick(&c->r, (unsigned)(sizeof(targets) / sizeof(targets[0])))]);
		break;
	}
	}
	head_line(c, pick(&c->r, 8) ? "GET" : "HEAD", p.p);
	sb_adds(&c->q.out, "\r\n");
	free(p.p);
}

/* ---- family 4: queries and credentials --------------------------------------- */

static void family_query(struct ctx *c)
{
	static const char *const q[] = {
		"/api/v1/dossiers?limit=-1", "/api/v1/dossiers?limit=99999999999999999999", "/api/v1/dossiers?limit=abc",
		"/api/v1/dossiers?from=2026-02-30", "/api/v1/dossiers?cursor=%00%ff", "/api/v1/dossiers?state=%zz",
		"/api/v1/dossiers?q=%c0%af", "/api/v1/dossiers?limit=1&limit=2&limit=3",
		"/api/v1/reports/summary?from=9999-99-99&to=0000-00-00", "/api/v1/reports/summary?group_by=%00",
		"/api/v1/deadline?procedure=1.001193&received_at=garbage", "/api/v1/reports/overdue?agency=../../x",
		"/api/v1/exports/dossiers.csv?from=2026-01-01&to=2025-01-01",
		"/api/v1/public/dossiers/%00?check=1234", "/api/v1/public/procedures?q=%ed%a0%80&limit=0",
		"/api/v1/public/stats?year=-1", "/api/v1/calendar?year=99999999999", "/api/v1/public/rating?t=%ff",
		"/forms/register?from=x&to=y", "/api/v1/exports/events.jsonl?from_seq=-5&to_seq=1e99",
	};
	struct sbuf p = { NULL, 0, 0 };
	unsigned k = pick(&c->r, 6);
	if (k < 3) {
		c->q.name = "query abuse";
		sb_adds(&p, q[pick(&c->r, (unsigned)(sizeof(q) / sizeof(q[0])))]);
		if (pick(&c->r, 10) == 0) {
			sb_adds(&p, "&pad=");
			sb_rep(&p, "%41", 3000);
		}
		head_line(c, "GET", p.p);
		if (c->o->auth)
			sb_adds(&c->q.out, c->o->auth);
		sb_adds(&c->q.out, "\r\n");
	} else {
		c->q.name = "credentials abuse";
		head_line(c, "GET", pick(&c->r, 2) ? "/api/v1/session" : "/api/v1/dossiers");
		switch (k) {
		case 3:
			sb_adds(&c->q.out, "Authorization: Bearer ");
			for (int i = 0; i < 43; i++)
				sb_printf(&c->q.out, "%c", "ABCxyz019-_+/=%\x01"[pick(&c->r, 16)]);
			sb_adds(&c->q.out, "\r\n");
			break;
		case 4: {
			static const char *const a[] = { "Basic Og==", "Bearer", "Bearer ", "bearer x", "Digest x",
							 "Bearer \xC0\xAF", "Negotiate" };
			sb_printf(&c->q.out, "Authorization: %s\r\n", a[pick(&c->r, 7)]);
			if (pick(&c->r, 4) == 0) {
				sb_adds(&c->q.out, "Authorization: Bearer ");
				sb_rep(&c->q.out, "Z", 10000);
				sb_adds(&c->q.out, "\r\n");
			}
			break;
		}
		default:
			sb_adds(&c->q.out, "Cookie: ");
			for (int i = 0; i < 500; i++)
				sb_printf(&c->q.out, "%smotcua_sid=%08llx", i ? "; " : "",
					  (unsigned long long)(rnd(&c->r) & 0xffffffffULL));
			sb_adds(&c->q.out, "; =; ;;motcua_sid\r\n");
			break;
		}
		sb_adds(&c->q.out, "\r\n");
	}
	free(p.p);
}

static void build(const struct storm_options *o, long i, struct ctx *c)
{
	memset(&c->q, 0, sizeof(c->q));
	c->o = o;
	c->r.s = o->seed ^ ((uint64_t)i * 0xD1B54A32D192ED03ULL);
	(void)rnd(&c->r);
	unsigned f = pick(&c->r, 100);
	if (f < 40)
		family_json(c);
	else if (f < 70)
		family_http(c);
	else if (f < 92)
		family_traversal(c);
	else
		family_query(c);
}

void storm_describe(const struct storm_options *o, long i, char *out, size_t n)
{
	struct ctx c;
	build(o, i, &c);
	size_t len = c.q.out.len < 60 ? c.q.out.len : 60;
	size_t w = (size_t)snprintf(out, n, "#%ld %s: ", i, c.q.name);
	for (size_t k = 0; k < len && w + 5 < n; k++) {
		unsigned char ch = (unsigned char)c.q.out.p[k];
		w += (size_t)snprintf(out + w, n - w, ch >= 0x20 && ch < 0x7f ? "%c" : "\\x%02x", ch);
	}
	free(c.q.out.p);
}

const char *storm_class_name(enum storm_class k)
{
	static const char *const names[STORM__MAX] = { "no answer", "1xx", "2xx", "3xx", "4xx", "5xx",
						       "505 version refused", "timeout", "garbled",
						       "connect failed" };
	return names[k];
}

/* ---- sending ------------------------------------------------------------------ */

/* Bytes that must never reach a client: system files, the database, the
 * configuration, source code. */
static int leaked(const char *p, size_t n)
{
	static const char *const markers[] = { "root:x:0:0", "SQLite format 3", "[database]",
					       "#include <", "busy_timeout_ms", "PRIVATE KEY" };
	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
		if (memmem(p, n, markers[i], strlen(markers[i])))
			return 1;
	return 0;
}

struct shared {
	const struct storm_options *o;
	pthread_mutex_t lock;
	long next;
	struct storm_stats st;
	int any_sent;
};

static int connect_to(int port, int timeout_ms)
{
	struct sockaddr_in a;
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void note_bad(struct shared *s, long i, const char *what)
{
	if (s->st.first_bad >= 0)
		return;
	s->st.first_bad = i;
	snprintf(s->st.first_bad_what, sizeof(s->st.first_bad_what), "%s", what);
}

static void one(struct shared *s, long i, struct sbuf *in)
{
	const struct storm_options *o = s->o;
	struct ctx c;
	int timeout = o->timeout_ms > 0 ? o->timeout_ms : 3000;
	enum storm_class k = STORM_NONE;
	int timed_out = 0, leak = 0;
	build(o, i, &c);
	/* An incomplete request may rightly get no answer until the server's
	 * own deadline: do not wait that long for it. */
	if (c.q.half_close && timeout > 1000)
		timeout = 1000;
	in->len = 0;
	struct timeval t0, t1;
	gettimeofday(&t0, NULL);
	int fd = -1;
	for (int attempt = 0; attempt < 50 && fd < 0; attempt++) {
		fd = connect_to(o->port, timeout);
		if (fd < 0)
			usleep(20000);	/* the backlog may be full for a moment */
	}
	if (fd < 0) {
		k = STORM_CONNECT;
		goto out;
	}
	for (size_t off = 0; off < c.q.out.len;) {
		ssize_t w = send(fd, c.q.out.p + off, c.q.out.len - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;	/* the server answered early and closed (413) */
		off += (size_t)w;
	}
	if (c.q.half_close)
		shutdown(fd, SHUT_WR);
	for (;;) {
		char chunk[65536];
		ssize_t r = recv(fd, chunk, sizeof(chunk), 0);
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			timed_out = 1;
			break;
		}
		if (r <= 0)
			break;
		if (in->len < (16u << 20))
			sb_add(in, chunk, (size_t)r);
	}
	close(fd);
	gettimeofday(&t1, NULL);
	if (getenv("STORM_TRACE") && (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_usec - t0.tv_usec) / 1000 > 500) {
		char what[200];
		storm_describe(o, i, what, sizeof(what));
		fprintf(stderr, "storm: slow (%ld ms): %s\n",
			(long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_usec - t0.tv_usec) / 1000), what);
	}
	int status = 0;
	const char *ans = in->p;
	size_t left = in->len;
	/* Interim answers (100 Continue) come before the final one. */
	while (left >= 12 && memcmp(ans, "HTTP/1.1 100 ", 13) == 0) {
		const char *end = memmem(ans, left, "\r\n\r\n", 4);
		if (!end)
			break;
		left -= (size_t)(end + 4 - ans);
		ans = end + 4;
	}
	if (left >= 12 && memcmp(ans, "HTTP/1.", 7) == 0 && sscanf(ans + 9, "%3d", &status) == 1
	    && status >= 100 && status < 600)
		k = status == 505 ? STORM_505 : (enum storm_class)(STORM_1XX + status / 100 - 1);
	else if (in->len > 0)
		k = STORM_GARBLED;
	else if (timed_out)
		k = STORM_TIMEOUT;
	if (getenv("STORM_TRACE") && c.q.traversal && k == STORM_2XX) {
		char what[200];
		storm_describe(o, i, what, sizeof(what));
		fprintf(stderr, "storm: traversal answered 2xx: %s\n", what);
	}
	leak = in->len && leaked(in->p, in->len);
	if (!leak && c.q.traversal && k == STORM_2XX && o->is_asset) {
		const char *body = memmem(in->p, in->len, "\r\n\r\n", 4);
		/* HEAD answers have no body to compare */
		if (body && memcmp(c.q.out.p, "HEAD", 4) != 0) {
			body += 4;
			leak = !o->is_asset(body, in->len - (size_t)(body - in->p), o->ctx);
		}
	}
out:
	pthread_mutex_lock(&s->lock);
	s->st.sent++;
	s->st.by_class[k]++;
	s->st.traversal += c.q.traversal;
	s->st.traversal_2xx += c.q.traversal && k == STORM_2XX;
	s->st.leaks += leak;
	s->any_sent |= k != STORM_CONNECT;
	if (k == STORM_5XX || k == STORM_GARBLED || leak) {
		char what[160];
		snprintf(what, sizeof(what), "%s (answer: %.60s)", leak ? "leak" : storm_class_name(k),
			 in->len ? in->p : "");
		note_bad(s, i, what);
	}
	pthread_mutex_unlock(&s->lock);
	free(c.q.out.p);
}

static void *sender(void *arg)
{
	struct shared *s = arg;
	struct sbuf in = { NULL, 0, 0 };
	for (;;) {
		pthread_mutex_lock(&s->lock);
		long i = s->next < s->o->count ? s->next++ : -1;
		pthread_mutex_unlock(&s->lock);
		if (i < 0)
			break;
		one(s, i, &in);
	}
	free(in.p);
	return NULL;
}

int storm_run(const struct storm_options *o, struct storm_stats *st)
{
	struct shared s;
	int threads = o->threads > 0 ? o->threads : 1;
	pthread_t *th = calloc((size_t)threads, sizeof(*th));
	if (!th)
		return -1;
	memset(&s, 0, sizeof(s));
	s.o = o;
	s.st.first_bad = -1;
	pthread_mutex_init(&s.lock, NULL);
	for (int i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, sender, &s);
	for (int i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&s.lock);
	free(th);
	*st = s.st;
	return s.any_sent ? 0 : -1;
}
