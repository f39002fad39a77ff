// Run-time library version, so a program can tell which psp it actually loaded.
#include "psp/version.hpp"

#define PSP_STR2(x) #x
#define PSP_STR(x) PSP_STR2(x)

namespace psp {
const char* version() noexcept {
    return PSP_STR(PSP_VERSION_MAJOR) "." PSP_STR(PSP_VERSION_MINOR) "." PSP_STR(PSP_VERSION_PATCH);
}
int version_number() noexcept { return PSP_VERSION_NUMBER; }
}  // namespace psp
