#include "tests.h"

int tests_run, tests_failed;

int main(void) {
    test_json();
    test_sha256();
    test_protocol();
    test_sysnames();
    printf("%d checks, %d failed\n", tests_run, tests_failed);
    return tests_failed != 0;
}
