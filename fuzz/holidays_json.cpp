// Fuzz target: a holiday table as JSON (docs/holidays-json.md), psp::parse_holidays; what parses is
// written back with holidays_to_json and must parse to the same table.
#include <psp/calendar.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    psp_fuzz::run("holidays_json", [&] {
        const psp::HolidayTable table = psp::parse_holidays(psp_fuzz::text(data, size));
        const psp::HolidayTable again = psp::parse_holidays(psp::holidays_to_json(table));
        if (!(again == table)) {
            std::fprintf(stderr, "holidays_json: to_json/parse does not round-trip\n");
            std::abort();
        }
    });
    return 0;
}
