/* The test functions of tests.def: void test_NAME(void). */
#ifndef SELFTEST_TESTS_H
#define SELFTEST_TESTS_H

#define TEST(name) void test_##name(void);
#include "tests.def"
#undef TEST

#endif
