/*
 * motcua — embed: files compiled into the binary by tools/embed.c.
 *
 * embed_schema holds schema/NNNN_*.sql in name order, embed_static the
 * pages under static/, embed_demo the demo data under schema/demo/. Each
 * table ends with an entry whose name is NULL. The bytes are followed by a
 * NUL, so text files can be used as C strings. Everything is read-only and
 * lives for the whole process.
 */
#ifndef MOTCUA_EMBED_H
#define MOTCUA_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *name;		/* path below the embedded folder */
	const unsigned char *data;	/* bytes, NUL-terminated */
	size_t len;			/* length without the NUL */
};

extern const struct embed_file embed_schema[];
extern const struct embed_file embed_static[];
extern const struct embed_file embed_demo[];

/* The file called name in table, or NULL. */
const struct embed_file *embed_find(const struct embed_file *table,
				    const char *name);

#endif
