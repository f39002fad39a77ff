// Names of statistics subjects and period kinds, as the JSON, the C ABI and Python spell them.
#include <array>

#include "core/enum_names.hpp"
#include "psp/statistics.hpp"

namespace psp {
namespace {
using detail::find_name;
using detail::name_at;
constexpr std::array<const char*, stat_subject_count> subject_names{"equipment", "platform", "zone", "district", "alliance", "city"};
constexpr std::array<const char*, series_period_count> period_names{"day", "week", "month", "quarter", "year"};
}  // namespace

const char* to_string(StatSubject v) { return name_at(subject_names, static_cast<int>(v)); }
template <> std::optional<StatSubject> parse_enum(std::string_view s) { return find_name<StatSubject>(subject_names, s); }
const char* to_string(SeriesPeriod v) { return name_at(period_names, static_cast<int>(v)); }
template <> std::optional<SeriesPeriod> parse_enum(std::string_view s) { return find_name<SeriesPeriod>(period_names, s); }

}  // namespace psp
