/* The checks of the pure-C tests: CHECK counts and reports a failed condition with psp's last
 * error, OK a call that must succeed, FAILS a call that must fail with a code and a message
 * naming `mention`. Each test program includes this once (the counters are its own). */
#ifndef PSP_TESTS_CAPI_CHECK_H
#define PSP_TESTS_CAPI_CHECK_H

#include <stdio.h>
#include <string.h>

#include "psp/psp.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                                     \
    do {                                                                                \
        ++checks;                                                                       \
        if (!(cond)) {                                                                  \
            ++failures;                                                                 \
            fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %d %s\n", __FILE__,  \
                    __LINE__, #cond, psp_error_last()->code, psp_error_last()->message); \
        }                                                                               \
    } while (0)

/* A call that must succeed. */
#define OK(call) CHECK((call) == 0)

/* A call that must fail with code want, naming `mention` in psp_error_last(). */
#define FAILS(call, want, mention)                                                      \
    do {                                                                                \
        int rc_ = (call);                                                               \
        CHECK(rc_ == (want));                                                           \
        if (rc_ == (want)) {                                                            \
            CHECK(psp_error_last()->code == (want));                                    \
            CHECK(strstr(psp_error_last()->message, (mention)) != NULL);                \
            if (strstr(psp_error_last()->message, (mention)) == NULL)                   \
                fprintf(stderr, "  message was: %s\n", psp_error_last()->message);      \
        } else {                                                                        \
            fprintf(stderr, "  %s returned %d, expected %d\n", #call, rc_, (want));     \
        }                                                                               \
    } while (0)

#endif
