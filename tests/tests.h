/*
 * motcua tests — shared declarations for the Check suites.
 *
 * Every tests/check_<module>.c defines `Suite *<module>_suite(void)`; the
 * Makefile collects those names into suites.h and check_main.c runs them
 * all. Helpers for API tests (a real server on a random port and a tiny
 * HTTP client) live in testutil.c.
 */
#ifndef MOTCUA_TESTS_H
#define MOTCUA_TESTS_H

#include <check.h>

#define X(name) Suite *name(void);
#include "suites.h"
#undef X

#endif
