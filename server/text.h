/*
 * motcua — text: folding Vietnamese text for search (pure).
 *
 * text_fold lower-cases and strips diacritics so "Nguyễn Văn Đức" and
 * "nguyen van duc" compare equal: accented Latin-1 letters, the
 * Vietnamese letters of Latin Extended-A/B (Ă Đ Ĩ Ũ Ơ Ư) and the
 * Vietnamese block (U+1EA0–U+1EF9) map to their ASCII base letter (đ/Đ
 * to d), combining marks (U+0300–U+036F) are dropped, runs of white space
 * become one space and the ends are trimmed. Other characters (ß, Ł,
 * digits, punctuation, other scripts) are kept as they are.
 *
 * Ownership: appends to the caller's buffer.
 */
#ifndef MOTCUA_TEXT_H
#define MOTCUA_TEXT_H

#include "buf.h"

void text_fold(const char *s, struct buf *out);

#endif
