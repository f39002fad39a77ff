// Shared by the JSON fuzz targets: run one input, let psp::Error through (a bad input is expected
// to be refused with one), turn anything else into a crash that libFuzzer reports.
#pragma once

#include <psp/error.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

namespace psp_fuzz {

inline std::string_view text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

template <class F>
void run(const char* what, F&& f) {
    try {
        f();
    } catch (const psp::Error&) {
        // refused with a code and a message: the contract for bad input
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: an exception other than psp::Error escaped: %s\n", what, e.what());
        std::abort();
    } catch (...) {
        std::fprintf(stderr, "%s: an unknown exception escaped\n", what);
        std::abort();
    }
}

}  // namespace psp_fuzz
