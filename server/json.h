/*
 * motcua — json: strict parsing of request bodies and typed getters over
 * cJSON, filling a struct api_error on every refusal.
 *
 * json_parse is the only way a request body becomes a cJSON tree. It
 * refuses (HTTP 400 unless noted), before or after cJSON parses:
 *   - a body over the caller's cap (413 "body_too_large", checked by http.c);
 *   - invalid UTF-8 anywhere: overlong forms, UTF-16 surrogates, code points
 *     above U+10FFFF, truncated sequences ("invalid_utf8");
 *   - "\u0000" and unpaired "\uD800"-style surrogate escapes
 *     ("invalid_json");
 *   - nesting deeper than JSON_MAX_DEPTH, more than JSON_MAX_NODES values
 *     ("too_complex");
 *   - anything but whitespace after the value, or an empty body
 *     ("invalid_json", the message names the byte offset);
 *   - the same key twice in one object ("duplicate_key", field = the key's
 *     path);
 *   - a top-level value that is not an object ("invalid_json").
 * cJSON_GetErrorPtr is never used (it is not thread-safe).
 *
 * Getters look a key up case-sensitively in an object and validate it.
 * They return 1 when the value is present and valid, 0 when it is absent
 * (or JSON null) and not required, and -1 after filling err with 422
 * "missing_field" or "invalid_field" and field = path.key, where path is
 * the path of obj itself (NULL at the top level): key "phone" in the
 * object at path "applicant" gives "applicant.phone" (json_path). String
 * lengths are counted in Unicode code points.
 * Single-line strings refuse control characters (U+0000–U+001F, U+007F);
 * multi-line ones allow only LF and TAB among them.
 *
 * Ownership: json_parse gives the caller a tree to cJSON_Delete. Getters
 * return borrowed pointers into the tree.
 */
#ifndef MOTCUA_JSON_H
#define MOTCUA_JSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "error.h"

#define JSON_MAX_DEPTH 16
#define JSON_MAX_NODES 10000

int json_parse(const char *body, size_t len, cJSON **out,
	       struct api_error *err);

enum json_text {
	JSON_LINE,	/* single line: no control characters */
	JSON_MULTILINE,	/* LF and TAB allowed */
};

/* Build "prefix.key" (or "key" when prefix is NULL/empty) into out. */
void json_path(char *out, size_t n, const char *prefix, const char *key);

int json_get_string(const cJSON *obj, const char *key, const char *path,
		    int required, size_t min_chars, size_t max_chars,
		    enum json_text kind, const char **out,
		    struct api_error *err);
int json_get_int(const cJSON *obj, const char *key, const char *path,
		 int required, long long min, long long max, long long *out,
		 struct api_error *err);
int json_get_bool(const cJSON *obj, const char *key, const char *path,
		  int required, int *out, struct api_error *err);
int json_get_object(const cJSON *obj, const char *key, const char *path,
		    int required, const cJSON **out, struct api_error *err);
int json_get_array(const cJSON *obj, const char *key, const char *path,
		   int required, size_t max_items, const cJSON **out,
		   struct api_error *err);
/* The value of key must be one of the NULL-terminated names; *index gets
 * its position. */
int json_get_enum(const cJSON *obj, const char *key, const char *path,
		  int required, const char *const *names, int *index,
		  struct api_error *err);
/* Refuse (422 "unknown_field") any key of obj not in the NULL-terminated
 * allowed list: clients cannot set fields we did not mean to accept. */
int json_only_keys(const cJSON *obj, const char *path,
		   const char *const *allowed, struct api_error *err);

/* Number of Unicode code points in valid UTF-8 s. */
size_t json_utf8_chars(const char *s);
/* 1 if s[0..len) is valid UTF-8 by the rules above, else 0. */
int json_utf8_valid(const char *s, size_t len);

/* Compact text of root (malloc'd, caller frees; NULL on failure). Use it
 * rather than cJSON_PrintUnformatted: it prints integers fast (and marks
 * them raw in root, which is printed, not read, afterwards). */
char *json_print(cJSON *root);

#endif
