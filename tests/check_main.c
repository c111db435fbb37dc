/*
 * motcua tests — the Check runner: every suite in one run.
 *
 * Environment: CK_RUN_SUITE / CK_RUN_CASE narrow the run (Check's own
 * variables); CK_FORK=no runs in-process (for gdb or ASan).
 */
#include <stdlib.h>

#include "tests.h"

int main(void)
{
	SRunner *sr = srunner_create(NULL);
#define X(name) srunner_add_suite(sr, name());
#include "suites.h"
#undef X
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
