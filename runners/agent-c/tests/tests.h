/* A minimal test harness: CHECK records a failure with its line and goes on. */
#ifndef JETCONFORM_AGENT_TESTS_H
#define JETCONFORM_AGENT_TESTS_H

#include <stdio.h>

extern int tests_run, tests_failed;
#define CHECK(cond)                                                                   \
    do {                                                                              \
        tests_run++;                                                                  \
        if (!(cond)) {                                                                \
            tests_failed++;                                                           \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                             \
    } while (0)

void test_json(void);
void test_sha256(void);
void test_protocol(void);
void test_sysnames(void);

#endif
