/*
 * motcua — api_forms: the printable forms (Circular 01/2018 Forms 01–06)
 * served as HTML pages.
 *
 * GET /forms/{code}/{form}: form 01–05 of a dossier the caller may see
 * (404 otherwise, as for the dossier itself). The first time a form is
 * printed by a clerk, officer or manager it gets the next number of its
 * (form, year, issuing agency) series and a "form_issued" row is appended
 * to the dossier's history, both in one write transaction; reprints show
 * the same number and write nothing. Admins and auditors, who never act
 * on dossiers, see an unnumbered preview of a form not issued yet.
 *
 * GET /forms/register?from=YYYY-MM-DD&to=YYYY-MM-DD[&agency=CODE]: the
 * register (Sổ theo dõi hồ sơ) of the dossiers an agency received in the
 * period, numbered as entries of that year's book. A page holds at most
 * 1000 entries (limit= asks for fewer); a longer register says so on the
 * page and links the next one (after=, a keyset cursor). It is a view:
 * printing it writes nothing (see api_forms.c for why).
 *
 * Ownership: handlers answer the request; nothing outlives it.
 */
#ifndef MOTCUA_API_FORMS_H
#define MOTCUA_API_FORMS_H

struct request;

/* 200 page; 404 unknown dossier or form; 409 form_not_applicable; 403
 * cross_origin when a first issue is asked from another site. */
void api_form_get(struct request *r);
/* 200 page; 400 bad period or cursor; 403 agency out of scope; 404
 * unknown agency. */
void api_form_register(struct request *r);

#endif
