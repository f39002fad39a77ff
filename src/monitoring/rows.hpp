// Private pieces shared by the monitoring sources: error text naming subjects and periods, values
// formatted for alert messages, and the checks every function makes of the rows it is given.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "psp/error.hpp"
#include "psp/monitoring.hpp"

namespace psp::monitoring {

[[noreturn]] inline void invalid(const std::string& message) { throw Error(ErrorCode::invalid, message); }

// "platform 12", or "city" for the city.
std::string subject_label(StatSubject, std::int64_t id);

// "2025-03-01"
std::string iso(boost::gregorian::date);

// "3 months", "1 quarter".
std::string count_of(SeriesPeriod, std::size_t n);

// A number as given, up to 10 significant digits: "0.3", "-0.001", "1e+300".
std::string number(double);

// A metric's name for people: "voucher spend".
std::string metric_label(StatMetric);

// A value for people: shares as percentages ("12.5 %"), hours ("1.5 h"), money in yuan ("120.00
// yuan"), counts as plain numbers.
std::string format_value(StatMetric, double);

// The rows ordered by subject kind, id and period start. Throws Error(invalid), prefixed with
// `context`, when the same row (kind, id, period kind, start) is given twice.
std::vector<const StatRow*> sorted_rows(std::span<const StatRow>, const std::string& context);

// Throws Error(invalid), prefixed with `context`, when the rows hold more than one period kind,
// naming a row of each.
void require_one_period_kind(std::span<const StatRow>, const std::string& context);

}  // namespace psp::monitoring
