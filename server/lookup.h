/*
 * motcua — lookup: the rules of the public dossier lookup (pure).
 *
 * A citizen looks a dossier up with its code (or an online submission's
 * ref) and four check digits: the last four digits of the applicant's
 * phone number or of their ID number. The answer must not tell an unknown
 * code from a wrong check, so the comparison takes the same steps whether
 * or not a dossier was found and whichever value matches: callers pass
 * empty strings for a dossier that does not exist and still call it.
 *
 * The plain-words state labels (Vietnamese and English) live here so the
 * API answers in words a citizen understands, not in internal names.
 *
 * Ownership: no allocation; labels are static strings.
 */
#ifndef MOTCUA_LOOKUP_H
#define MOTCUA_LOOKUP_H

/* 1 if s is exactly four ASCII digits. */
int lookup_check_valid(const char *s);
/* 1 if check (four digits) equals the last four digits of phone or of
 * id_number (characters other than digits are skipped; a value with fewer
 * than four digits never matches). Constant time in the values. */
int lookup_check_matches(const char *check, const char *phone, const char *id_number);
/* The state (DVCQG code 1–10) in plain words; english = 0 for Vietnamese.
 * "?" for an unknown state. */
const char *lookup_state_label(int state, int english);

#endif
