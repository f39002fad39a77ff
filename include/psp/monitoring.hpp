// Daily monitoring on statistics rows (policy §4.2 建立常态化统计制度…开展平台间、城市间的比较…日常
// 监测预测; DESIGN.md §4 "Monitoring and evaluation", issue 7): one figure (a metric) read from the
// rows of psp/statistics.hpp, its period-over-period change, rankings of the subjects of one period,
// comparison tables between subjects (platforms…) and between cities (another city's statistics
// imported as JSON), and alert rules ("utilisation below 30 % for 3 months running"). Pure and
// deterministic functions on rows; no database.
//
// Rows as given: every function takes rows in any order and reads each subject's rows in period
// order. Rows are identified by (subject kind, id, period start); the same row given twice is
// Error(invalid). A period's value is metric_value(row.figures, metric).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "psp/forecast.hpp"
#include "psp/model.hpp"
#include "psp/statistics.hpp"

namespace psp {

// One figure of a statistics row. Values are part of the stable C ABI: never renumber, only append.
enum class StatMetric : int {
    bookings = 0,
    cancellations = 1,
    no_shows = 2,
    rejections = 3,
    booked_hours = 4,        // booked_seconds / 3600
    used_hours = 5,
    external_hours = 6,
    open_hours = 7,
    utilisation = 8,         // 0..1, StatFigures::utilisation()
    external_share = 9,      // 0..1, StatFigures::external_share()
    revenue = 10,            // fen
    voucher_spend = 11,      // fen
    requests_received = 12,
    requests_served = 13,
    referred_in = 14,
    referred_out = 15,
    unmet = 16,
    enterprises_served = 17,
    new_enterprises = 18,
    fulfilment_rate = 19,    // requests_served / requests_received, 0 when none received
};
inline constexpr int stat_metric_count = 20;
const char* to_string(StatMetric);   // the enumerator's name: "booked_hours", "fulfilment_rate", …
template <> std::optional<StatMetric> parse_enum(std::string_view);

// True for the metrics that are shares in 0..1 (utilisation, external_share, fulfilment_rate).
bool is_share(StatMetric);

// The metric's value in a row's figures. Throws Error(invalid) for a value outside the enum.
double metric_value(const StatFigures&, StatMetric);

// --- Period over period.
struct PeriodChange {
    StatSubject subject = StatSubject::platform;
    std::int64_t id = 0;
    SeriesPeriod period = SeriesPeriod::month;
    boost::gregorian::date start;
    boost::gregorian::date end;
    double value = 0;
    std::optional<double> previous;       // the value of the period ending where this one starts
    std::optional<double> change;         // value − previous
    std::optional<double> change_ratio;   // change / previous; nullopt when previous is 0 or absent
    friend bool operator==(const PeriodChange&, const PeriodChange&) = default;
};

// One change per row, ordered by subject kind, id and period start. The previous period of a row is
// the row of the same subject whose end is this row's start; none given (the first period, or a gap)
// leaves previous, change and change_ratio empty. Throws Error(invalid) for rows of more than one
// period kind, or the same row twice.
std::vector<PeriodChange> period_over_period(std::span<const StatRow>, StatMetric);

// --- Ranking.
struct RankEntry {
    int rank = 0;                         // competition ranking: equal values share a rank (1, 1, 3)
    StatSubject subject = StatSubject::platform;
    std::int64_t id = 0;
    double value = 0;
    friend bool operator==(const RankEntry&, const RankEntry&) = default;
};

// Ranks the rows of one period (the same kind, start and end) and one subject kind by the metric,
// largest first (descending) or smallest first; equal values share the rank of the first of them
// and are listed by id. No rows, no entries. Throws Error(invalid) for rows of different periods or
// subject kinds (the message names both), or the same subject twice.
std::vector<RankEntry> rank(std::span<const StatRow>, StatMetric, bool descending = true);

// --- Comparison tables: one column per subject or city, one row per period.
struct ComparisonRow {
    boost::gregorian::date start;
    boost::gregorian::date end;
    std::vector<std::optional<double>> values;   // one per column; nullopt: no row for that period
    friend bool operator==(const ComparisonRow&, const ComparisonRow&) = default;
};

struct SubjectComparison {
    StatMetric metric = StatMetric::bookings;
    StatSubject subject = StatSubject::platform;
    SeriesPeriod period = SeriesPeriod::month;
    std::vector<std::int64_t> ids;        // the columns, ascending
    std::vector<ComparisonRow> rows;      // every period start any subject has, ascending
    friend bool operator==(const SubjectComparison&, const SubjectComparison&) = default;
};

// Subjects of one kind side by side (platforms, districts…). No rows: an empty table (subject and
// period left at their defaults). Throws Error(invalid) for rows of more than one subject kind or
// period kind, or the same row twice.
SubjectComparison compare_subjects(std::span<const StatRow>, StatMetric);

// A city's statistics table: its own rows or rows imported as JSON from another city's database.
struct CityStatistics {
    std::string city;                     // unique among the cities compared, not empty, UTF-8
    std::vector<StatRow> rows;
    friend bool operator==(const CityStatistics&, const CityStatistics&) = default;
};

struct CityComparison {
    StatMetric metric = StatMetric::bookings;
    SeriesPeriod period = SeriesPeriod::month;
    std::vector<std::string> cities;      // the columns, in the order given
    std::vector<StatSubject> sources;     // per city: city (its city rows) or platform (summed)
    std::vector<ComparisonRow> rows;      // every period start any city has, ascending
    friend bool operator==(const CityComparison&, const CityComparison&) = default;
};

// Cities side by side. Each city's figures per period are its city-level rows (subject city); a table
// with no city rows is summed from its platform rows, period by period, figure by figure, and the
// metric read from the sum (so utilisation is Σ booked / Σ open, not a mean of shares; the sum of
// enterprises_served counts an enterprise once per platform, an upper bound of the city's figure).
// Other subject kinds in a table are ignored. Throws Error(invalid), naming the cities, for: fewer
// than 2 cities, an empty, non-UTF-8 or duplicate name, a city with neither city nor platform rows,
// a city whose rows mix period kinds, cities with different period kinds ("city 'A' has month rows,
// city 'B' quarter rows"), or the same row twice in a city.
CityComparison compare_cities(std::span<const CityStatistics>, StatMetric);

// --- Alerts.
// Values are part of the stable C ABI: never renumber, only append.
enum class AlertKind : int {
    below_for = 0,     // the metric < threshold in each of the last `periods` periods
    above_for = 1,     // the metric > threshold in each of the last `periods` periods
    rising_for = 2,    // the metric rose strictly `periods` times running: the last periods + 1 values
    total_above = 3,   // the sum of the metric over every row given for the subject > threshold
};
inline constexpr int alert_kind_count = 4;
const char* to_string(AlertKind);   // "below_for", "above_for", "rising_for", "total_above"
template <> std::optional<AlertKind> parse_enum(std::string_view);

struct AlertRule {
    std::string name;                     // not empty, UTF-8, unique among the rules evaluated
    AlertKind kind = AlertKind::below_for;
    StatMetric metric = StatMetric::utilisation;
    double threshold = 0;                 // finite; 0..1 for shares (is_share); ignored by rising_for
    int periods = 1;                      // N, 1..120; ignored by total_above
    std::optional<StatSubject> subject;   // only rows of this kind; nullopt: every row
    friend bool operator==(const AlertRule&, const AlertRule&) = default;
};

inline constexpr int max_alert_periods = 120;

// Throws Error(invalid) naming the rule for: an empty or non-UTF-8 name, periods outside
// 1..max_alert_periods, a kind, metric or subject outside its enum, a threshold that is not finite,
// or outside 0..1 for a share. The list form also refuses a name given twice.
void validate(const AlertRule&);
void validate(std::span<const AlertRule>);

struct Alert {
    std::string rule;                     // the rule's name
    AlertKind kind = AlertKind::below_for;
    StatMetric metric = StatMetric::utilisation;
    StatSubject subject = StatSubject::platform;
    std::int64_t id = 0;
    boost::gregorian::date from;          // start of the first period the figures cover
    boost::gregorian::date to;            // end (the day after) of the last
    std::vector<double> figures;          // the values, oldest first: N (below/above), N + 1
                                          // (rising), every period given (total_above)
    double threshold = 0;
    std::string message;                  // e.g. "platform 12: utilisation below 30 % for 3 months
                                          // running (12 %, 18 %, 25 %)"
    friend bool operator==(const Alert&, const Alert&) = default;
};

// Evaluates every rule on every subject (kind and id) of the rows, each subject's rows in period
// order; "the last N periods" are the N most recent rows given for the subject, and they must follow
// one another (each ending where the next starts): a gap breaks a run. A subject with fewer rows
// than the rule needs raises nothing. At most one alert per rule and subject; ordered by rule (in the
// order given), then subject kind, then id. Throws Error(invalid) for invalid rules (validate), rows
// of more than one period kind, or the same row twice.
std::vector<Alert> evaluate_alerts(std::span<const StatRow>, std::span<const AlertRule>);

}  // namespace psp
