/*
 * motcua — text: folding Vietnamese text for search (pure).
 *
 * text_fold lower-cases and strips diacritics so "Nguyễn Văn Đức" and
 * "nguyen van duc" compare equal: letters of the Latin-1, Latin
 * Extended-A/B and Vietnamese (U+1EA0–U+1EF9) blocks map to their ASCII
 * base letter, đ/Đ to d, combining marks (U+0300–U+036F) are dropped,
 * runs of white space become one space and the ends are trimmed. Other
 * characters are kept as they are.
 *
 * Ownership: appends to the caller's buffer.
 */
#ifndef MOTCUA_TEXT_H
#define MOTCUA_TEXT_H

#include "buf.h"

void text_fold(const char *s, struct buf *out);

#endif
