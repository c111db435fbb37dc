/*
 * motcua — validate: checks of applicant data (pure).
 *
 * Ownership: nothing allocated; inputs borrowed.
 */
#ifndef MOTCUA_VALIDATE_H
#define MOTCUA_VALIDATE_H

/* A citizen ID (9-digit old CMND or 12-digit CCCD) or an enterprise tax
 * code (10 digits, optionally "-NNN" for a branch). */
int validate_id_number(const char *s);
/* A Vietnamese phone number: 0 followed by 9 or 10 digits, or +84 and
 * the same without the 0. Spaces, dots and dashes are not accepted; the
 * pages strip them before sending. */
int validate_phone(const char *s);
/* A plausible e-mail address (one @, a dot in the domain, no spaces). */
int validate_email(const char *s);

#endif
