// The register of recognitions (授牌, §4.1): grants, reviews at term end or on demand, demotion to the
// highest level still met, and the history (include/psp/certification.hpp).
#include <algorithm>
#include <array>
#include <map>
#include <string>

#include <boost/date_time/gregorian/gregorian.hpp>

#include "certification/text.hpp"
#include "psp/certification.hpp"
#include "psp/error.hpp"

namespace psp {
namespace {

namespace greg = boost::gregorian;
using certification::cat;
using certification::date_text;
using certification::invalid;

[[noreturn]] void refused(const std::string& message) { throw Error(ErrorCode::refused, message); }

// The last day the term was in force + 1: its `until`, or earlier when it was closed early.
greg::date effective_end(const Recognition& r) { return r.ended && *r.ended < r.until ? *r.ended : r.until; }

bool in_force(const Recognition& r, greg::date on) { return r.from <= on && on < effective_end(r); }

std::string joined(const std::vector<std::string>& parts) {
    std::string s;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) s.append("; ");
        s.append(parts[i]);
    }
    return s;
}

}  // namespace

const char* to_string(RecognitionEnd v) {
    switch (v) {
        case RecognitionEnd::open: return "open";
        case RecognitionEnd::renewed: return "renewed";
        case RecognitionEnd::demoted: return "demoted";
        case RecognitionEnd::withdrawn: return "withdrawn";
        case RecognitionEnd::superseded: return "superseded";
    }
    return "?";
}

const char* to_string(RecognitionReviewKind v) {
    switch (v) {
        case RecognitionReviewKind::confirmed: return "confirmed";
        case RecognitionReviewKind::renewed: return "renewed";
        case RecognitionReviewKind::demoted: return "demoted";
        case RecognitionReviewKind::withdrawn: return "withdrawn";
    }
    return "?";
}

int full_years(greg::date from, greg::date on) {
    if (from.is_special() || on.is_special()) invalid("full_years: not a date");
    const auto f = from.year_month_day(), o = on.year_month_day();
    int years = o.year - f.year;
    const auto before = [](unsigned m1, unsigned d1, unsigned m2, unsigned d2) { return m1 != m2 ? m1 < m2 : d1 < d2; };
    if (years > 0 && before(o.month, o.day, f.month, f.day)) --years;
    if (years < 0 && before(f.month, f.day, o.month, o.day)) ++years;
    return years;
}

greg::date add_years(greg::date d, int years) {
    if (d.is_special()) invalid("add_years: not a date");
    const auto ymd = d.year_month_day();
    const int y = static_cast<int>(ymd.year) + years;
    if (y < 1401 || y > 9999) invalid(cat("add_years: year ", y, " is outside 1401..9999"));
    unsigned short day = ymd.day;
    if (ymd.month == 2 && day == 29 && !greg::gregorian_calendar::is_leap_year(static_cast<unsigned short>(y))) day = 28;
    return {static_cast<unsigned short>(y), ymd.month, day};
}

RecognitionRegister::RecognitionRegister(std::vector<Recognition> history) : terms_(std::move(history)) {
    std::sort(terms_.begin(), terms_.end(), [](const Recognition& a, const Recognition& b) { return a.number < b.number; });
    std::map<PlatformId, std::int64_t> open;
    for (std::size_t i = 0; i < terms_.size(); ++i) {
        const auto& r = terms_[i];
        const auto bad = [&](const std::string& problem) { invalid(cat("recognition ", r.number, ": ", problem)); };
        if (r.number <= 0) bad("number is not positive");
        if (i > 0 && terms_[i - 1].number == r.number) bad("number used twice");
        if (r.platform.value <= 0) bad("platform id is not positive");
        if (static_cast<int>(r.level) < 0 || static_cast<int>(r.level) >= demo_level_count) bad("level is not a level");
        if (r.from.is_special() || r.until.is_special()) bad("from or until is not a date");
        if (r.until <= r.from) bad(cat("until ", date_text(r.until), " is not after from ", date_text(r.from)));
        if ((r.end == RecognitionEnd::open) != !r.ended.has_value()) bad("an open term has no end date, a closed one has");
        if (r.ended && (r.ended->is_special() || *r.ended < r.from)) bad("ended before it started");
        if (r.end == RecognitionEnd::open) {
            if (!open.emplace(r.platform, r.number).second) {
                bad(cat("platform ", r.platform.value, " already has open term ", open[r.platform]));
            }
        }
    }
    next_number_ = terms_.empty() ? 1 : terms_.back().number + 1;
}

const Recognition& RecognitionRegister::grant(const CertificationDecision& d, const CertificationStandard& s, greg::date on) {
    validate(s);
    if (on.is_special()) invalid("grant: not a date");
    if (s.level != d.check.level) {
        invalid(cat("grant: decision at level ", to_string(d.check.level), " with the ", to_string(s.level), " standard"));
    }
    const PlatformId p = d.check.platform;
    if (p.value <= 0) invalid(cat("grant: platform id ", p.value, " is not positive"));
    if (!d.approved) {
        refused(cat("grant: platform ", p.value, " was not approved at ", to_string(s.level), " level: ", joined(d.reasons)));
    }
    std::optional<std::size_t> lower;
    for (std::size_t i = 0; i < terms_.size(); ++i) {
        const auto& r = terms_[i];
        if (r.platform != p || r.end != RecognitionEnd::open) continue;
        if (r.level >= s.level) {
            refused(cat("grant: platform ", p.value, " already holds ", to_string(r.level), " recognition ", r.number,
                        " (", date_text(r.from), " to ", date_text(r.until), "); a review renews it"));
        }
        if (on < r.from) invalid(cat("grant: ", date_text(on), " is before the start of its open term ", r.number));
        lower = i;
    }
    const greg::date until = add_years(on, s.validity_years);
    Recognition term{next_number_, p, s.level, on, until,
                     cat("application approved at ", to_string(s.level), " level, expert score ",
                         score_text(d.panel.score, d.panel.decimals)),
                     RecognitionEnd::open, std::nullopt, {}};
    std::string superseded = cat("superseded by ", to_string(s.level), " recognition ", next_number_);
    terms_.reserve(terms_.size() + 1);   // nothing throws after the first change
    if (lower) {
        auto& r = terms_[*lower];
        r.end = RecognitionEnd::superseded;
        r.ended = on;
        r.end_reason = std::move(superseded);
    }
    terms_.push_back(std::move(term));
    ++next_number_;
    return terms_.back();
}

RecognitionReview RecognitionRegister::review(const PlatformRecord& record,
                                              std::span<const CertificationStandard> standards, greg::date on) {
    validate(standards);
    validate(record);
    if (on.is_special()) invalid("review: not a date");
    const auto it = std::find_if(terms_.begin(), terms_.end(), [&](const Recognition& r) {
        return r.platform == record.platform && r.end == RecognitionEnd::open;
    });
    if (it == terms_.end()) {
        throw Error(ErrorCode::not_found, cat("review: platform ", record.platform.value, " holds no open recognition"));
    }
    const Recognition term = *it;
    if (on < term.from) invalid(cat("review: ", date_text(on), " is before the term's start ", date_text(term.from)));

    std::array<const CertificationStandard*, demo_level_count> by_level{};
    for (const auto& s : standards) by_level[static_cast<std::size_t>(s.level)] = &s;
    if (by_level[static_cast<std::size_t>(term.level)] == nullptr) {
        invalid(cat("review: no standard for the term's level ", to_string(term.level)));
    }

    RecognitionReview out;
    out.platform = record.platform;
    out.from_level = term.level;
    std::array<bool, demo_level_count> meets{};
    for (std::size_t l = 0; l < by_level.size(); ++l) {
        if (by_level[l] == nullptr) continue;
        out.checks.push_back(check(record, *by_level[l]));
        meets[l] = out.checks.back().passed();
    }
    const auto own = static_cast<std::size_t>(term.level);
    for (std::size_t l = demo_level_count; l-- > own + 1;) {
        if (meets[l]) {
            out.eligible_higher = static_cast<DemoLevel>(l);
            break;
        }
    }
    const bool term_end = on >= term.until;
    std::vector<std::string> failed;
    for (const auto& c : out.checks) {
        if (c.level == term.level) failed = c.failures();
    }

    if (meets[own]) {
        out.to_level = term.level;
        std::string reason = cat("meets the ", to_string(term.level), " standard");
        if (out.eligible_higher) {
            reason.append(cat("; meets the ", to_string(*out.eligible_higher), " thresholds and may apply for that level"));
        }
        if (!term_end) {
            out.kind = RecognitionReviewKind::confirmed;
            out.reason = cat("confirmed at ", to_string(term.level), " level: ", reason);
            return out;
        }
        out.kind = RecognitionReviewKind::renewed;
        out.reason = cat("renewed at ", to_string(term.level), " level: ", reason);
        out.next = Recognition{next_number_, record.platform, term.level, on,
                               add_years(on, by_level[own]->validity_years), cat("renewed on review: ", reason),
                               RecognitionEnd::open, std::nullopt, {}};
    } else {
        std::optional<std::size_t> lower;
        for (std::size_t l = own; l-- > 0;) {
            if (meets[l]) {
                lower = l;
                break;
            }
        }
        const std::string why = cat("no longer meets the ", to_string(term.level), " standard: ", joined(failed));
        if (lower) {
            const auto level = static_cast<DemoLevel>(*lower);
            out.kind = RecognitionReviewKind::demoted;
            out.to_level = level;
            out.reason = cat("demoted from ", to_string(term.level), " to ", to_string(level), ": ", why);
            const greg::date until = term_end ? add_years(on, by_level[*lower]->validity_years) : term.until;
            out.next = Recognition{next_number_, record.platform, level, on, until,
                                   cat("demoted on review from ", to_string(term.level), ": ", why), RecognitionEnd::open,
                                   std::nullopt, {}};
        } else {
            out.kind = RecognitionReviewKind::withdrawn;
            out.reason = cat("withdrawn: ", why);
            if (own > 0) out.reason.append("; meets no lower level's standard given");
        }
    }

    // Commit: copies and capacity first, so that nothing throws once the old term is changed.
    std::string end_reason = out.reason;
    std::optional<Recognition> next = out.next;
    terms_.reserve(terms_.size() + 1);
    auto& old = *std::find_if(terms_.begin(), terms_.end(), [&](const Recognition& r) { return r.number == term.number; });
    old.end = out.kind == RecognitionReviewKind::renewed   ? RecognitionEnd::renewed
              : out.kind == RecognitionReviewKind::demoted ? RecognitionEnd::demoted
                                                           : RecognitionEnd::withdrawn;
    old.ended = on;
    old.end_reason = std::move(end_reason);
    if (next) {
        terms_.push_back(std::move(*next));
        ++next_number_;
    }
    return out;
}

std::optional<Recognition> RecognitionRegister::current(PlatformId p, greg::date on) const {
    for (const auto& r : terms_) {
        if (r.platform == p && in_force(r, on)) return r;
    }
    return std::nullopt;
}

std::vector<Recognition> RecognitionRegister::history(PlatformId p) const {
    std::vector<Recognition> out;
    for (const auto& r : terms_) {
        if (r.platform == p) out.push_back(r);
    }
    return out;
}

std::vector<Recognition> RecognitionRegister::due_for_review(greg::date on) const {
    std::vector<Recognition> out;
    for (const auto& r : terms_) {
        if (r.end == RecognitionEnd::open && r.until <= on) out.push_back(r);
    }
    std::stable_sort(out.begin(), out.end(), [](const Recognition& a, const Recognition& b) { return a.until < b.until; });
    return out;
}

int RecognitionRegister::years_recognised(PlatformId p, DemoLevel level, greg::date on) const {
    const auto at_level = [&](const Recognition& r) { return r.platform == p && r.level >= level; };
    const Recognition* run = nullptr;
    for (const auto& r : terms_) {
        if (at_level(r) && in_force(r, on)) run = &r;
    }
    if (run == nullptr) return 0;
    // Walk back through terms that end on the day the run's first term starts.
    for (bool extended = true; extended;) {
        extended = false;
        for (const auto& r : terms_) {
            if (&r != run && at_level(r) && r.from < run->from && effective_end(r) == run->from) {
                run = &r;
                extended = true;
                break;
            }
        }
    }
    return full_years(run->from, on);
}

}  // namespace psp
