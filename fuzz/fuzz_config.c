/*
 * motcua fuzz — the configuration parser (config_load_string, the same
 * code as config_load on a file).
 *
 * Checked beyond memory safety: a refusal names the file ("fuzz.ini:")
 * and says why; an accepted file leaves every string NUL-terminated inside
 * its member and every number inside the range the key table gives, with
 * at least one working weekday and some office time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "fuzz_config: broken promise: %s (line %d)\n", #cond, \
				__LINE__);                                               \
			abort();                                                         \
		}                                                                        \
	} while (0)

#define TERMINATED(m) (memchr((m), '\0', sizeof(m)) != NULL)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char err[512] = "";
	config_defaults(&cfg);
	if (config_load_string(&cfg, "fuzz.ini", (const char *)data, size, err, sizeof(err)) != 0) {
		CHECK(strncmp(err, "fuzz.ini:", 9) == 0 && strlen(err) > 10);
		return 0;
	}
	CHECK(TERMINATED(cfg.listen) && TERMINATED(cfg.public_url) && TERMINATED(cfg.db_path));
	CHECK(TERMINATED(cfg.upload_dir) && TERMINATED(cfg.timezone) && TERMINATED(cfg.log_level));
	CHECK(cfg.port >= 0 && cfg.port <= 65535);
	CHECK(cfg.threads >= 1 && cfg.threads <= 64);
	CHECK(cfg.connection_limit >= 16 && cfg.header_timeout >= 1 && cfg.connection_timeout >= 1);
	CHECK(cfg.max_body_kib >= 1 && cfg.max_body_kib <= 1024);
	CHECK(cfg.login_per_minute >= 1 && cfg.login_max_failures >= 1);
	CHECK(cfg.password_min_length >= 8 && cfg.password_min_length <= 64);
	CHECK(memchr(cfg.working_weekdays, 1, sizeof(cfg.working_weekdays)) != NULL);
	for (int s = 0; s < 2; s++)
		CHECK(cfg.session[s][0] >= 0 && cfg.session[s][1] <= 24 * 60 && cfg.session[s][0] <= cfg.session[s][1]);
	CHECK(cfg.session[0][0] < cfg.session[0][1] || cfg.session[1][0] < cfg.session[1][1]);
	CHECK(cfg.cutoff_minute >= 0 && cfg.cutoff_minute <= 24 * 60);
	CHECK(cfg.supplement_mode == SUPPLEMENT_RESTART || cfg.supplement_mode == SUPPLEMENT_PAUSE);
	return 0;
}
