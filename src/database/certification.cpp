// Certification in the Database (§4.1): the published standards, application cases scored by experts
// and decided by the office, the register of recognitions and its reviews; every change written
// through as a JSON document and journaled (the rules themselves are src/certification/).
#include <algorithm>
#include <set>

#include "calendar/days.hpp"
#include "database/impl.hpp"
#include "json/certification_json.hpp"
#include "json/dates.hpp"

namespace psp {
namespace {

constexpr const char* settings_doc = "certification_settings";
constexpr const char* case_doc = "certification_case";
constexpr const char* recognition_doc = "recognition";

std::string case_name(CertificationCaseId id) { return "certification case " + std::to_string(id.value); }

// Midnight starting `d` in China Standard Time.
Time china_midnight(boost::gregorian::date d) { return calendar_detail::china_day_start(calendar_detail::days_from_date(d)); }

void require_date(boost::gregorian::date d, const char* what) {
    if (d.is_special()) throw Error(ErrorCode::invalid, std::string(what) + ": is not a date");
}

}  // namespace

void Database::Impl::load_certification() {
    for (const auto& [id, text] : store.load_documents(settings_doc)) {
        auto [list, rules] = json::standards_from_json(json::parse_document(text), "/certification_settings");
        standards = std::move(list);
        panel = rules;
    }
    for (const auto& [id, text] : store.load_documents(case_doc)) {
        cases[id] = json::case_from_json(json::parse_document(text), "/certification_cases/" + std::to_string(id));
    }
    std::vector<Recognition> terms;
    for (const auto& [id, text] : store.load_documents(recognition_doc)) {
        terms.push_back(json::recognition_from_json(json::parse_document(text), "/recognitions/" + std::to_string(id)));
    }
    recognitions = RecognitionRegister(std::move(terms));
}

void Database::set_certification_standards(const Actor& actor, const std::vector<CertificationStandard>& list,
                                           const PanelRules& rules) {
    Impl::require_permission(actor, Action::certify, false, "the certification standards");
    validate(std::span<const CertificationStandard>(list));
    validate(rules);
    for (const auto& s : list) {
        if (s.min_expert_score < rules.min_score || s.min_expert_score > rules.max_score) {
            throw Error(ErrorCode::invalid, std::string("certification standard ") + to_string(s.level) +
                                                " min_expert_score: " + std::to_string(s.min_expert_score) +
                                                " is outside the panel's range " + std::to_string(rules.min_score) +
                                                ".." + std::to_string(rules.max_score));
        }
    }
    auto sorted = list;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.level < b.level; });
    const auto text = json::standards_to_json(sorted, rules);
    impl_->commit_ledger(
        [&] {
            impl_->store.put_document(settings_doc, 1, text.dump());
            impl_->journal(impl_->store, actor, "set", EntityKind::certification, 0, text);
        },
        [&] {
            impl_->standards = sorted;
            impl_->panel = rules;
        });
}

std::vector<CertificationStandard> Database::certification_standards() const { return impl_->standards; }

PanelRules Database::panel_rules() const { return impl_->panel; }

PlatformRecord Database::platform_record(PlatformId platform, boost::gregorian::date on) const {
    impl_->require_exists(platform);
    require_date(on, "platform record date");
    PlatformRecord r;
    r.platform = platform;
    const Period last_year{china_midnight(on - boost::gregorian::days(365)), china_midnight(on)};
    std::set<std::int64_t> enterprises;
    for (const auto& b : bookings_of(platform, last_year)) {
        if (b.status == BookingStatus::cancelled || b.status == BookingStatus::rejected ||
            b.status == BookingStatus::no_show) {
            continue;
        }
        enterprises.insert(b.enterprise.value);
    }
    r.enterprises_served = static_cast<std::int64_t>(enterprises.size());
    const auto use = utilisation(platform, last_year);
    r.utilisation_bp = use.open_seconds == 0 ? 0
                                             : static_cast<int>(std::min<Time>(basis_points, use.booked_seconds * basis_points / use.open_seconds));
    for (const auto& [id, p] : impl_->projects) {
        if (p.stage == ProjectStage::revoked && std::find(p.platforms.begin(), p.platforms.end(), platform) != p.platforms.end()) {
            ++r.revoked_projects;
        }
    }
    for (int level = 0; level < demo_level_count; ++level) {
        r.years_recognised[static_cast<std::size_t>(level)] =
            impl_->recognitions.years_recognised(platform, static_cast<DemoLevel>(level), on);
    }
    // The grade of the latest evaluation run that covered the platform and ended by `on`.
    for (auto it = impl_->evaluations.rbegin(); it != impl_->evaluations.rend() && !r.grade; ++it) {
        if (it->second.to > on) continue;
        for (const auto& result : it->second.run.results) {
            if (result.platform == platform) r.grade = result.grade;
        }
    }
    return r;
}

namespace {

const CertificationStandard& standard_for(const std::vector<CertificationStandard>& list, DemoLevel level) {
    for (const auto& s : list) {
        if (s.level == level) return s;
    }
    throw Error(ErrorCode::refused, std::string("no certification standard for the ") + to_string(level) +
                                        " level: the office has not published one");
}

}  // namespace

CertificationCaseId Database::apply_for_certification(const Actor& actor, const CertificationApplication& a) {
    impl_->require_exists(a.platform);
    Impl::require_permission(actor, Action::apply_certification,
                             actor.role == Role::platform_operator && actor.platform == a.platform,
                             "a certification application of " + detail::describe(impl_->state, a.platform));
    require_date(a.filed, "application filed");
    const auto& standard = standard_for(impl_->standards, a.level);
    (void)check(a, standard);   // validates the record and that it is the applicant's
    for (const auto& [id, c] : impl_->cases) {
        if (!c.decided && c.application.platform == a.platform && c.application.level == a.level) {
            throw Error(ErrorCode::exists, detail::describe(impl_->state, a.platform) + " already has an open application at the " +
                                               to_string(a.level) + " level: " + case_name(c.id));
        }
    }
    CertificationCase c;
    c.id = CertificationCaseId(impl_->cases.empty() ? 1 : impl_->cases.rbegin()->first + 1);
    c.application = a;
    const auto text = json::to_json(c);
    impl_->commit_ledger(
        [&] {
            impl_->store.put_document(case_doc, c.id.value, text.dump());
            impl_->journal(impl_->store, actor, "apply", EntityKind::certification, c.id.value, text);
        },
        [&] { impl_->cases[c.id.value] = c; });
    return c.id;
}

void Database::score_certification(const Actor& actor, CertificationCaseId id, int score) {
    auto it = impl_->cases.find(id.value);
    if (it == impl_->cases.end()) throw Error(ErrorCode::not_found, "no " + case_name(id));
    Impl::require_permission(actor, Action::score_certification, false, case_name(id));
    if (actor.name.empty()) throw Error(ErrorCode::invalid, "an expert's score needs the expert's name (actor name is empty)");
    if (!detail::valid_utf8(actor.name)) throw Error(ErrorCode::invalid, "actor name: is not valid UTF-8");
    const CertificationCase& old = it->second;
    if (old.decided) {
        throw Error(ErrorCode::refused, case_name(id) + " was decided on " + json::iso(*old.decided) + ": no more scores");
    }
    for (const auto& s : old.scores) {
        if (s.expert == actor.name) throw Error(ErrorCode::invalid, "expert " + actor.name + " has already scored " + case_name(id));
    }
    if (score < impl_->panel.min_score || score > impl_->panel.max_score) {
        throw Error(ErrorCode::invalid, "expert " + actor.name + " score " + std::to_string(score) + " is outside " +
                                            std::to_string(impl_->panel.min_score) + ".." + std::to_string(impl_->panel.max_score));
    }
    CertificationCase c = old;
    c.scores.push_back({actor.name, score});
    const auto text = json::to_json(c);
    impl_->commit_ledger(
        [&] {
            impl_->store.put_document(case_doc, c.id.value, text.dump());
            impl_->journal(impl_->store, actor, "score", EntityKind::certification, c.id.value,
                           nlohmann::json{{"case", c.id.value}, {"expert", actor.name}, {"score", score}});
        },
        [&] { impl_->cases[c.id.value] = std::move(c); });
}

namespace {

// Writes the terms of `platform` that differ between the register before and after a change.
void write_terms(store::Store& s, const RecognitionRegister& before, const RecognitionRegister& after) {
    const auto& old_terms = before.all();
    for (const auto& t : after.all()) {
        const auto match = std::find_if(old_terms.begin(), old_terms.end(), [&](const Recognition& o) { return o.number == t.number; });
        if (match == old_terms.end() || !(*match == t)) s.put_document(recognition_doc, t.number, json::to_json(t).dump());
    }
}

}  // namespace

CertificationCase Database::decide_certification(const Actor& actor, CertificationCaseId id, boost::gregorian::date on) {
    auto it = impl_->cases.find(id.value);
    if (it == impl_->cases.end()) throw Error(ErrorCode::not_found, "no " + case_name(id));
    Impl::require_permission(actor, Action::certify, false, case_name(id));
    require_date(on, "decision date");
    CertificationCase c = it->second;
    if (c.decided) throw Error(ErrorCode::refused, case_name(id) + " was already decided on " + json::iso(*c.decided));
    if (on < c.application.filed) {
        throw Error(ErrorCode::invalid, "decision date " + json::iso(on) + " is before the application was filed (" +
                                            json::iso(c.application.filed) + ")");
    }
    const auto& standard = standard_for(impl_->standards, c.application.level);
    c.decision = decide(c.application, standard, c.scores, impl_->panel);
    c.decided = on;
    RecognitionRegister next = impl_->recognitions;
    if (c.decision->approved) c.certificate = next.grant(*c.decision, standard, on).number;
    const auto text = json::to_json(c);
    impl_->commit_ledger(
        [&] {
            impl_->store.put_document(case_doc, c.id.value, text.dump());
            impl_->journal(impl_->store, actor, "decide", EntityKind::certification, c.id.value, text);
            write_terms(impl_->store, impl_->recognitions, next);
            if (c.certificate) {
                const auto& term = next.all().back();
                impl_->journal(impl_->store, actor, "grant", EntityKind::recognition, term.number, json::to_json(term));
            }
        },
        [&] {
            impl_->cases[c.id.value] = c;
            impl_->recognitions = std::move(next);
        });
    return c;
}

CertificationCase Database::certification_case(CertificationCaseId id) const {
    auto it = impl_->cases.find(id.value);
    if (it == impl_->cases.end()) throw Error(ErrorCode::not_found, "no " + case_name(id));
    return it->second;
}

std::vector<CertificationCase> Database::certification_cases() const {
    std::vector<CertificationCase> out;
    for (const auto& [id, c] : impl_->cases) out.push_back(c);
    return out;
}

RecognitionReview Database::review_recognition(const Actor& actor, const PlatformRecord& record, boost::gregorian::date on) {
    impl_->require_exists(record.platform);
    Impl::require_permission(actor, Action::certify, false, "the recognition of " + detail::describe(impl_->state, record.platform));
    require_date(on, "review date");
    RecognitionRegister next = impl_->recognitions;
    const auto review = next.review(record, impl_->standards, on);
    const auto details = json::to_json(review);
    impl_->commit_ledger(
        [&] {
            write_terms(impl_->store, impl_->recognitions, next);
            impl_->journal(impl_->store, actor, "review", EntityKind::recognition, record.platform.value, details);
        },
        [&] { impl_->recognitions = std::move(next); });
    return review;
}

std::vector<Recognition> Database::recognitions(PlatformId platform) const {
    if (!platform) return impl_->recognitions.all();
    impl_->require_exists(platform);
    return impl_->recognitions.history(platform);
}

std::optional<Recognition> Database::recognition(PlatformId platform, boost::gregorian::date on) const {
    impl_->require_exists(platform);
    require_date(on, "date");
    return impl_->recognitions.current(platform, on);
}

std::vector<Recognition> Database::recognitions_due(boost::gregorian::date on) const {
    require_date(on, "date");
    return impl_->recognitions.due_for_review(on);
}

}  // namespace psp
