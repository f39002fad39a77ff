// Library version: compile time (macros) and run time (psp::version()).
#pragma once

#define PSP_VERSION_MAJOR 0
#define PSP_VERSION_MINOR 1
#define PSP_VERSION_PATCH 0
#define PSP_VERSION_NUMBER (PSP_VERSION_MAJOR * 10000 + PSP_VERSION_MINOR * 100 + PSP_VERSION_PATCH)

namespace psp {
const char* version() noexcept;   // "0.1.0"
int version_number() noexcept;    // PSP_VERSION_NUMBER of the library actually linked
}  // namespace psp
