/*
 * motcua — code: the national dossier code (pure).
 *
 * Circular 01/2018/TT-VPCP Art 19: AGENCY-YYMMDD-NNNN, where AGENCY is the
 * receiving agency's QCVN 102:2016 identifier (V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g.
 * 000.17.22.H56), YYMMDD the local date of receipt and NNNN the 4-digit
 * sequence of that agency's day, from 0001.
 *
 * Ownership: output buffers are the caller's.
 */
#ifndef MOTCUA_CODE_H
#define MOTCUA_CODE_H

#include <stdint.h>

#define CODE_LEN 25		/* characters in a dossier code */
#define CODE_MAX_SEQ 9999

/* 1 if s is a well-formed agency identifier (3.2.2.3 characters: digits
 * or upper-case letters, the last group a letter and two digits). */
int code_agency_valid(const char *s);
/* Write the dossier code for agency, local day and sequence into out
 * (CODE_LEN + 1 bytes). 0 ok, -1 if the agency code is malformed or seq
 * is outside 1..9999. */
int code_format(const char *agency, int32_t day, int seq, char out[CODE_LEN + 1]);
/* 1 if s is a well-formed dossier code; on success the parts are written
 * to agency (14 bytes), *day and *seq when those are not NULL. */
int code_parse(const char *s, char agency[14], int32_t *day, int *seq);

#endif
