/*
 * motcua tests — ratelimit: token buckets per key, time passed in.
 */
#include <stdio.h>

#include "ratelimit.h"
#include "tests.h"

#define S 1000000000LL	/* one second in ns */

START_TEST(test_ratelimit_burst_then_wait)
{
	struct ratelimit *rl = ratelimit_new(10, 64);
	int64_t t = 5 * S;
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(ratelimit_take(rl, "203.0.113.7", t), 0);
	/* Empty: one token comes back every 6 s. */
	ck_assert_int_eq(ratelimit_take(rl, "203.0.113.7", t), 6);
	ck_assert_int_eq(ratelimit_take(rl, "203.0.113.7", t + 2500000000LL), 4);
	ck_assert_int_eq(ratelimit_take(rl, "203.0.113.7", t + 6500000000LL), 0);
	ck_assert_int_eq(ratelimit_take(rl, "203.0.113.7", t + 6500000000LL), 6);
	/* After a quiet minute the bucket is full again, not fuller. */
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(ratelimit_take(rl, "203.0.113.7", t + 600 * S), 0);
	ck_assert_int_gt(ratelimit_take(rl, "203.0.113.7", t + 600 * S), 0);
	ratelimit_free(rl);
}
END_TEST

START_TEST(test_ratelimit_keys_are_separate)
{
	struct ratelimit *rl = ratelimit_new(2, 64);
	ck_assert_int_eq(ratelimit_take(rl, "a", 0), 0);
	ck_assert_int_eq(ratelimit_take(rl, "a", 0), 0);
	ck_assert_int_eq(ratelimit_take(rl, "a", 0), 30);
	ck_assert_int_eq(ratelimit_take(rl, "b", 0), 0);
	ck_assert_int_eq(ratelimit_take(rl, "", 0), 0);	/* no address: one shared key */
	ck_assert_int_eq(ratelimit_take(rl, NULL, 0), 0);
	ck_assert_int_eq(ratelimit_take(rl, "?", 0), 30);
	ck_assert_int_eq(ratelimit_per_minute(rl), 2);
	ratelimit_free(rl);
}
END_TEST

/* Many more clients than slots: memory stays fixed, the most recent
 * clients keep their buckets, and nothing crashes. */
START_TEST(test_ratelimit_bounded_table)
{
	struct ratelimit *rl = ratelimit_new(1, 64);
	char key[32];
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "10.0.%d.%d", i / 256, i % 256);
		ck_assert_int_eq(ratelimit_take(rl, key, (int64_t)i), 0);
	}
	/* The last client just used its token and is still remembered. */
	ck_assert_int_gt(ratelimit_take(rl, "10.0.39.15", 10000), 0);
	ratelimit_free(rl);
	ratelimit_free(NULL);
}
END_TEST

Suite *ratelimit_suite(void)
{
	Suite *s = suite_create("ratelimit");
	TCase *tc = tcase_create("buckets");
	tcase_add_test(tc, test_ratelimit_burst_then_wait);
	tcase_add_test(tc, test_ratelimit_keys_are_separate);
	tcase_add_test(tc, test_ratelimit_bounded_table);
	suite_add_tcase(s, tc);
	return s;
}
