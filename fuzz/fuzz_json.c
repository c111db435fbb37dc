/*
 * motcua fuzz — request bodies: json_parse, then every getter and the
 * applicant validators over whatever tree comes out.
 *
 * Beyond "no crash, no leak, no undefined behaviour" (ASan, UBSan), the
 * harness checks what json.h promises of an accepted body: the top is an
 * object, no object holds a key twice, nesting and size stay within
 * JSON_MAX_DEPTH and JSON_MAX_NODES, every string is valid UTF-8 with no
 * NUL inside, and a single-line string a getter returns has no control
 * character and as many code points as the limits allow. A refused body
 * carries a status and a code. Any broken promise aborts (a "crash").
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                    \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "fuzz_json: broken promise: %s (line %d)\n", #cond, \
				__LINE__);                                             \
			abort();                                                       \
		}                                                                      \
	} while (0)

static const char *const names[] = { "direct", "online", "postal", "clerk", "admin", NULL };
static const char *const allowed[] = { "procedure_code", "channel", "applicant", "name", "id_number",
				       "phone", "email", "documents", "count", "action", NULL };

static void walk(const cJSON *node, const char *path, int depth, size_t *nodes)
{
	char sub[128];
	struct api_error e;
	const cJSON *child;
	(*nodes)++;
	CHECK(depth <= JSON_MAX_DEPTH);
	if (cJSON_IsString(node)) {
		const char *s = node->valuestring;
		CHECK(s != NULL);
		CHECK(json_utf8_valid(s, strlen(s)));
		(void)validate_id_number(s);
		(void)validate_phone(s);
		(void)validate_email(s);
	}
	if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
		return;
	for (child = node->child; child; child = child->next) {
		if (cJSON_IsObject(node)) {
			CHECK(child->string != NULL);
			CHECK(json_utf8_valid(child->string, strlen(child->string)));
			/* no duplicate keys */
			for (const cJSON *o = child->next; o; o = o->next)
				CHECK(strcmp(o->string, child->string) != 0);
			/* every getter on this key */
			const char *s;
			const cJSON *obj;
			long long n;
			int b, idx;
			json_path(sub, sizeof(sub), path, child->string);
			if (json_get_string(node, child->string, path, 1, 0, 40, JSON_LINE, &s, &e) == 1) {
				CHECK(json_utf8_chars(s) <= 40);
				for (const char *p = s; *p; p++)
					CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
			} else {
				CHECK(e.status == 422 && e.code != NULL);
			}
			if (json_get_string(node, child->string, path, 0, 2, 4000, JSON_MULTILINE, &s, &e) == 1)
				CHECK(json_utf8_chars(s) >= 2 && json_utf8_chars(s) <= 4000);
			if (json_get_int(node, child->string, path, 0, -1000, 1000, &n, &e) == 1)
				CHECK(n >= -1000 && n <= 1000);
			(void)json_get_bool(node, child->string, path, 0, &b, &e);
			(void)json_get_object(node, child->string, path, 0, &obj, &e);
			if (json_get_array(node, child->string, path, 0, 8, &obj, &e) == 1)
				CHECK(cJSON_GetArraySize(obj) <= 8);
			if (json_get_enum(node, child->string, path, 0, names, &idx, &e) == 1)
				CHECK(idx >= 0 && idx < 5);
		}
		walk(child, cJSON_IsObject(node) ? sub : path, depth + 1, nodes);
	}
	if (cJSON_IsObject(node)) {
		struct api_error e2;
		if (json_only_keys(node, path, allowed, &e2) != 0)
			CHECK(e2.status == 422 && e2.code != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, not NUL-terminated: reading past the end shows. */
	char *body = malloc(size ? size : 1);
	cJSON *root = NULL;
	struct api_error e;
	size_t nodes = 0;
	memcpy(body, data, size);
	memset(&e, 0, sizeof(e));
	if (json_parse(body, size, &root, &e) != 0) {
		CHECK(root == NULL);
		CHECK(e.status == 400 || e.status == 413 || e.status == 422);
		CHECK(e.code != NULL && e.message[0]);
	} else {
		CHECK(cJSON_IsObject(root));
		walk(root, NULL, 1, &nodes);
		CHECK(nodes <= JSON_MAX_NODES);
		cJSON_Delete(root);
	}
	free(body);
	return 0;
}
