/*
 * motcua — json: strict request-body parsing and typed, validating getters.
 */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

/* cJSON reads a number through a 64-byte buffer; a longer one would be
 * cut short and reported as garbage, so refuse it with a clear message. */
#define JSON_MAX_NUMBER 63

/* From 2^53 on, doubles skip integers: 2^53 + 1 reads as 2^53, so only
 * magnitudes below it are taken as exact. */
#define JSON_INT_LIMIT 9007199254740992.0

/* ---- UTF-8 ---- */

/*
 * Length of the valid UTF-8 sequence at s[0..len), or 0 if it is invalid.
 * Unicode table 3-7: the range allowed for the second byte depends on the
 * first, which rules out overlong forms, surrogates and > U+10FFFF.
 */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		if (s[0] == 0xE0)
			lo = 0xA0;
		else if (s[0] == 0xED)
			hi = 0x9F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		if (s[0] == 0xF0)
			lo = 0x90;
		else if (s[0] == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

/* Offset of the first invalid sequence, or len if all is valid. */
static size_t utf8_bad_offset(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		n = utf8_seq(u + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

int json_utf8_valid(const char *s, size_t len)
{
	if (!s)
		return len == 0;
	return utf8_bad_offset(s, len) == len;
}

size_t json_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* ---- pre-scan: what cJSON would accept but we do not ---- */

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex4(const char *s, size_t len, size_t i, unsigned *out)
{
	unsigned v = 0;

	if (len - i < 4)
		return -1;
	for (size_t k = i; k < i + 4; k++) {
		char c = s[k];
		unsigned d;
		if (is_digit(c))
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		v = v * 16 + d;
	}
	*out = v;
	return 0;
}

static int bad_json(struct api_error *err, const char *what, size_t at)
{
	return api_error_set(err, 400, "invalid_json", NULL,
			     "%s at byte offset %zu", what, at);
}

/*
 * Check the \u escape at s[i] ('\\' at i, 'u' at i+1). A high surrogate
 * must be followed at once by a low one. Returns the escape's length, or
 * 0 after filling err.
 */
static size_t scan_u_escape(const char *s, size_t len, size_t i,
			    struct api_error *err)
{
	const char *why = "unpaired surrogate escape";
	unsigned cp, lo;

	if (hex4(s, len, i + 2, &cp) != 0)
		why = "invalid \\u escape";
	else if (cp == 0)
		why = "\\u0000 is not allowed";
	else if (cp < 0xD800 || cp > 0xDFFF)
		return 6;
	else if (cp <= 0xDBFF && len - i >= 12 && s[i + 6] == '\\' &&
		 s[i + 7] == 'u' && hex4(s, len, i + 8, &lo) == 0 &&
		 lo >= 0xDC00 && lo <= 0xDFFF)
		return 12;
	bad_json(err, why, i);
	return 0;
}

/*
 * Skip the string whose opening quote is at s[i], checking escapes and
 * refusing raw control characters (JSON requires them escaped; cJSON
 * would take them). Returns the offset after the closing quote, or 0.
 */
static size_t scan_string(const char *s, size_t len, size_t i,
			  struct api_error *err)
{
	size_t j = i + 1, n;

	while (j < len) {
		unsigned char c = (unsigned char)s[j];
		if (c == '"')
			return j + 1;
		if (c < 0x20) {
			bad_json(err, "control character in string", j);
			return 0;
		}
		if (c != '\\') {
			j++;
			continue;
		}
		if (j + 1 >= len)
			break;
		if (s[j + 1] == 'u') {
			n = scan_u_escape(s, len, j, err);
			if (n == 0)
				return 0;
			j += n;
		} else if (s[j + 1] && strchr("\"\\/bfnrt", s[j + 1])) {
			j += 2;
		} else {
			bad_json(err, "invalid escape", j);
			return 0;
		}
	}
	bad_json(err, "unterminated string", i);
	return 0;
}

/* 1 if s[0..n) is a number by the JSON grammar:
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number_ok(const char *s, size_t n)
{
	size_t k = 0;

	if (k < n && s[k] == '-')
		k++;
	if (k < n && s[k] == '0')
		k++;
	else if (k < n && is_digit(s[k]))
		while (k < n && is_digit(s[k]))
			k++;
	else
		return 0;
	if (k < n && s[k] == '.') {
		if (++k >= n || !is_digit(s[k]))
			return 0;
		while (k < n && is_digit(s[k]))
			k++;
	}
	if (k < n && (s[k] == 'e' || s[k] == 'E')) {
		if (++k < n && (s[k] == '+' || s[k] == '-'))
			k++;
		if (k >= n || !is_digit(s[k]))
			return 0;
		while (k < n && is_digit(s[k]))
			k++;
	}
	return k == n;
}

/* Skip the number at s[i]; returns the offset after it, or 0. */
static size_t scan_number(const char *s, size_t len, size_t i,
			  struct api_error *err)
{
	size_t j = i;

	while (j < len && s[j] && (is_digit(s[j]) || strchr("+-.eE", s[j])))
		j++;
	if (j - i > JSON_MAX_NUMBER) {
		bad_json(err, "number too long", i);
		return 0;
	}
	if (!number_ok(s + i, j - i)) {
		bad_json(err, "invalid number", i);
		return 0;
	}
	return j;
}

/*
 * One linear pass, no recursion, so a 100000-deep body costs nothing:
 * nesting depth, string escapes, numbers, and stray bytes outside strings
 * (cJSON takes any byte <= 0x20 as whitespace and skips a BOM).
 * Structure is left to cJSON.
 */
static int prescan(const char *s, size_t len, struct api_error *err)
{
	size_t i = 0, depth = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"') {
			i = scan_string(s, len, i, err);
			if (i == 0)
				return -1;
			continue;
		}
		if (c == '-' || is_digit((char)c)) {
			i = scan_number(s, len, i, err);
			if (i == 0)
				return -1;
			continue;
		}
		if (c == '{' || c == '[') {
			if (++depth > JSON_MAX_DEPTH)
				return api_error_set(err, 400, "too_complex",
						     NULL,
						     "nesting deeper than %d levels",
						     JSON_MAX_DEPTH);
		} else if (c == '}' || c == ']') {
			if (depth > 0)
				depth--;
		} else if (!is_ws((char)c) && (c < 0x21 || c > 0x7E)) {
			return bad_json(err, "unexpected byte", i);
		}
		i++;
	}
	return 0;
}

/* ---- after cJSON: size and duplicate keys ---- */

/* Count values, stopping once past the limit. Recursion is bounded by
 * the depth the pre-scan allowed. */
static size_t count_nodes(const cJSON *v, size_t n)
{
	for (const cJSON *c = v->child; c && n <= JSON_MAX_NODES; c = c->next)
		n = count_nodes(c, n);
	return n + 1;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A key present twice in obj, or NULL. Sorting keeps a 10000-member
 * object from costing 50 million comparisons.
 */
static const char *duplicate_key(const cJSON *obj)
{
	const char **keys, *dup = NULL;
	size_t n = 0, i = 0;

	for (const cJSON *c = obj->child; c; c = c->next)
		n++;
	if (n < 2)
		return NULL;
	keys = xmalloc(n * sizeof(*keys));
	for (const cJSON *c = obj->child; c; c = c->next)
		keys[i++] = c->string ? c->string : "";
	qsort(keys, n, sizeof(*keys), cmp_keys);
	for (i = 1; i < n && !dup; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0)
			dup = keys[i];
	free(keys);
	return dup;
}

/* Path of a child: "prefix.key" / "key" in objects, "prefix[i]" in arrays. */
static void child_path(char *out, size_t n, const char *prefix,
		       const cJSON *parent, const cJSON *child, size_t index)
{
	if (cJSON_IsArray(parent))
		snprintf(out, n, "%s[%zu]", prefix, index);
	else
		json_path(out, n, prefix, child->string ? child->string : "");
}

static int check_duplicates(const cJSON *v, const char *path,
			    struct api_error *err)
{
	char sub[sizeof(err->field)];
	const char *dup;
	size_t i = 0;

	if (cJSON_IsObject(v)) {
		dup = duplicate_key(v);
		if (dup) {
			json_path(sub, sizeof(sub), path, dup);
			return api_error_set(err, 400, "duplicate_key", sub,
					     "key appears more than once");
		}
	}
	for (const cJSON *c = v->child; c; c = c->next, i++) {
		child_path(sub, sizeof(sub), path, v, c, i);
		if (check_duplicates(c, sub, err) != 0)
			return -1;
	}
	return 0;
}

static int check_tree(const cJSON *root, struct api_error *err)
{
	if (!cJSON_IsObject(root))
		return api_error_set(err, 400, "invalid_json", NULL,
				     "the body must be a JSON object");
	if (count_nodes(root, 0) > JSON_MAX_NODES)
		return api_error_set(err, 400, "too_complex", NULL,
				     "more than %d values", JSON_MAX_NODES);
	return check_duplicates(root, "", err);
}

static int parse_tree(const char *body, size_t len, cJSON **out,
		      struct api_error *err)
{
	const char *end = NULL;
	size_t at;
	cJSON *root = cJSON_ParseWithLengthOpts(body, len, &end, 0);

	if (!root) {
		/* end is where cJSON stopped; cJSON_GetErrorPtr is a global. */
		at = end && end >= body && end <= body + len ?
			(size_t)(end - body) : len;
		return bad_json(err, "syntax error", at);
	}
	at = end ? (size_t)(end - body) : len;
	while (at < len && is_ws(body[at]))
		at++;
	if (at < len) {
		cJSON_Delete(root);
		return bad_json(err, "unexpected data after the value", at);
	}
	*out = root;
	return 0;
}

int json_parse(const char *body, size_t len, cJSON **out,
	       struct api_error *err)
{
	cJSON *root = NULL;
	size_t i = 0;

	*out = NULL;
	if (!body)
		len = 0;
	if (!json_utf8_valid(body, len))
		return api_error_set(err, 400, "invalid_utf8", NULL,
				     "invalid UTF-8 at byte offset %zu",
				     utf8_bad_offset(body, len));
	while (i < len && is_ws(body[i]))
		i++;
	if (i == len)
		return api_error_set(err, 400, "invalid_json", NULL,
				     "the body is empty (no value by byte offset %zu)",
				     i);
	if (prescan(body, len, err) != 0)
		return -1;
	if (parse_tree(body, len, &root, err) != 0)
		return -1;
	if (check_tree(root, err) != 0) {
		cJSON_Delete(root);
		return -1;
	}
	*out = root;
	return 0;
}

/* ---- getters ---- */

void json_path(char *out, size_t n, const char *prefix, const char *key)
{
	if (n == 0)
		return;
	if (!key)
		key = "";
	if (prefix && *prefix)
		snprintf(out, n, "%s.%s", prefix, key);
	else
		snprintf(out, n, "%s", key);
}

/* The value of key in obj; NULL when absent, JSON null, or obj is not an
 * object (a missing parent object reads as a missing member). */
static const cJSON *member(const cJSON *obj, const char *key)
{
	const cJSON *v;

	if (!cJSON_IsObject(obj))
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNull(v) ? NULL : v;
}

static int absent(int required, const char *field, struct api_error *err)
{
	if (!required)
		return 0;
	return api_error_set(err, 422, "missing_field", field, "is required");
}

static int invalid(const char *field, struct api_error *err,
		   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int invalid(const char *field, struct api_error *err,
		   const char *fmt, ...)
{
	char msg[sizeof(err->message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return api_error_set(err, 422, "invalid_field", field, "%s", msg);
}

/* "must be a string of 1 to 200 characters", stated the same way whether
 * the type or the length was wrong. */
static int bad_string(const char *field, size_t min, size_t max,
		      struct api_error *err)
{
	if (min == max)
		return invalid(field, err,
			       "must be a string of exactly %zu characters",
			       min);
	return invalid(field, err, "must be a string of %zu to %zu characters",
		       min, max);
}

/* 1 if s has a control character not allowed for kind. */
static int has_control(const char *s, enum json_text kind)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p != 0x7F)
			continue;
		if (kind == JSON_MULTILINE && (*p == '\n' || *p == '\t'))
			continue;
		return 1;
	}
	return 0;
}

int json_get_string(const cJSON *obj, const char *key, const char *path,
		    int required, size_t min_chars, size_t max_chars,
		    enum json_text kind, const char **out,
		    struct api_error *err)
{
	char field[sizeof(err->field)];
	const cJSON *v = member(obj, key);
	size_t n;

	json_path(field, sizeof(field), path, key);
	if (!v)
		return absent(required, field, err);
	if (!cJSON_IsString(v) || !v->valuestring)
		return bad_string(field, min_chars, max_chars, err);
	/* Trees built by hand did not pass json_parse's UTF-8 check. */
	if (!json_utf8_valid(v->valuestring, strlen(v->valuestring)))
		return invalid(field, err, "must be valid UTF-8");
	n = json_utf8_chars(v->valuestring);
	if (n < min_chars || n > max_chars)
		return bad_string(field, min_chars, max_chars, err);
	if (has_control(v->valuestring, kind))
		return invalid(field, err, kind == JSON_LINE ?
			       "must not contain control characters or line breaks" :
			       "must not contain control characters other than line feed and tab");
	*out = v->valuestring;
	return 1;
}

int json_get_int(const cJSON *obj, const char *key, const char *path,
		 int required, long long min, long long max, long long *out,
		 struct api_error *err)
{
	char field[sizeof(err->field)];
	const cJSON *v = member(obj, key);
	double d;
	long long n;

	json_path(field, sizeof(field), path, key);
	if (!v)
		return absent(required, field, err);
	if (!cJSON_IsNumber(v))
		goto bad;
	d = v->valuedouble;
	/* The range test also refuses NaN and infinities (1e999). */
	if (!(d > -JSON_INT_LIMIT && d < JSON_INT_LIMIT))
		goto bad;
	n = (long long)d;
	if ((double)n != d || n < min || n > max)
		goto bad;
	*out = n;
	return 1;
bad:
	return invalid(field, err, "must be an integer from %lld to %lld",
		       min, max);
}

int json_get_bool(const cJSON *obj, const char *key, const char *path,
		  int required, int *out, struct api_error *err)
{
	char field[sizeof(err->field)];
	const cJSON *v = member(obj, key);

	json_path(field, sizeof(field), path, key);
	if (!v)
		return absent(required, field, err);
	if (!cJSON_IsBool(v))
		return invalid(field, err, "must be true or false");
	*out = cJSON_IsTrue(v);
	return 1;
}

int json_get_object(const cJSON *obj, const char *key, const char *path,
		    int required, const cJSON **out, struct api_error *err)
{
	char field[sizeof(err->field)];
	const cJSON *v = member(obj, key);

	json_path(field, sizeof(field), path, key);
	if (!v)
		return absent(required, field, err);
	if (!cJSON_IsObject(v))
		return invalid(field, err, "must be an object");
	*out = v;
	return 1;
}

int json_get_array(const cJSON *obj, const char *key, const char *path,
		   int required, size_t max_items, const cJSON **out,
		   struct api_error *err)
{
	char field[sizeof(err->field)];
	const cJSON *v = member(obj, key);
	size_t n = 0;

	json_path(field, sizeof(field), path, key);
	if (!v)
		return absent(required, field, err);
	if (cJSON_IsArray(v))
		for (const cJSON *c = v->child; c; c = c->next)
			n++;
	if (!cJSON_IsArray(v) || n > max_items)
		return invalid(field, err,
			       "must be an array of at most %zu items",
			       max_items);
	*out = v;
	return 1;
}

/* "must be one of: a, b, c" (cut short by api_error if very long). */
static int bad_enum(const char *field, const char *const *names,
		    struct api_error *err)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "must be one of:");
	for (size_t i = 0; names[i]; i++)
		buf_printf(&b, "%s %s", i ? "," : "", names[i]);
	invalid(field, err, "%s", buf_cstr(&b));
	buf_release(&b);
	return -1;
}

int json_get_enum(const cJSON *obj, const char *key, const char *path,
		  int required, const char *const *names, int *index,
		  struct api_error *err)
{
	char field[sizeof(err->field)];
	const cJSON *v = member(obj, key);

	json_path(field, sizeof(field), path, key);
	if (!v)
		return absent(required, field, err);
	if (cJSON_IsString(v) && v->valuestring)
		for (int i = 0; names[i]; i++)
			if (strcmp(v->valuestring, names[i]) == 0) {
				*index = i;
				return 1;
			}
	return bad_enum(field, names, err);
}

static int allowed_key(const char *key, const char *const *allowed)
{
	for (size_t i = 0; allowed[i]; i++)
		if (strcmp(key, allowed[i]) == 0)
			return 1;
	return 0;
}

int json_only_keys(const cJSON *obj, const char *path,
		   const char *const *allowed, struct api_error *err)
{
	char field[sizeof(err->field)];

	if (!cJSON_IsObject(obj))
		return 0;
	for (const cJSON *c = obj->child; c; c = c->next) {
		if (c->string && allowed_key(c->string, allowed))
			continue;
		json_path(field, sizeof(field), path, c->string);
		return api_error_set(err, 422, "unknown_field", field,
				     "is not a known field");
	}
	return 0;
}

/* ---- printing ----------------------------------------------------------- */

/* Integral numbers become raw decimal text: this cJSON prints every number
 * with "%1.15g" and reads it back with sscanf to check it, which was most
 * of the cost of answering a dossier. The text is the same for any
 * integer below 10^15. */
static void ints_to_raw(cJSON *item)
{
	for (; item; item = item->next) {
		if (cJSON_IsNumber(item)) {
			double d = item->valuedouble;
			if (d < -9e14 || d > 9e14 || d != (double)(long long)d)
				continue;
			char num[24], *p = num + sizeof(num);
			long long v = (long long)d;
			unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
			*--p = '\0';
			do {
				*--p = (char)('0' + u % 10);
				u /= 10;
			} while (u);
			if (v < 0)
				*--p = '-';
			char *text = strdup(p);
			if (!text)
				continue;	/* printed the slow way */
			item->type = cJSON_Raw;
			item->valuestring = text;
		} else if (item->child) {
			ints_to_raw(item->child);
		}
	}
}

char *json_print(cJSON *root)
{
	if (!root)
		return NULL;
	ints_to_raw(root);
	/* One 4 KiB buffer holds a dossier; growing from cJSON's 256 bytes
	 * took four reallocations per answer. */
	return cJSON_PrintBuffered(root, 4096, 0);
}
