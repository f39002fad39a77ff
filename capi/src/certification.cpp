// C ABI: certification of demonstration platforms (§4.1): the standards and panel rules, platform
// records, application cases scored by experts and decided by the office, recognitions and their
// reviews, all as JSON (docs/certification-json.md).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arguments.hpp"
#include "capi.hpp"
#include "json/certification_json.hpp"
#include "psp/certification.hpp"

using namespace psp::capi;
using nlohmann::json;

namespace {

// A platform id argument: positive (the database answers PSP_ENOTFOUND for an unknown one).
psp::PlatformId platform_arg(int64_t id, const char* name) {
    if (id <= 0) invalid(std::string(name) + ": ids are positive, got " + std::to_string(id));
    return psp::PlatformId(id);
}

psp::CertificationCaseId case_arg(int64_t id, const char* name) {
    if (id <= 0) invalid(std::string(name) + ": ids are positive, got " + std::to_string(id));
    return psp::CertificationCaseId(id);
}

json recognitions_json(const std::vector<psp::Recognition>& terms) {
    json out = json::array();
    for (const auto& t : terms) out.push_back(psp::json::to_json(t));
    return out;
}

}  // namespace

extern "C" {

PSP_EXTERN(int) psp_certification_standards_set_json(psp_db* db, const psp_actor* actor, const char* standards_json) {
    return guard("psp_certification_standards_set_json", [&] {
        auto& h = handle(db);
        const auto a = actor_from_c(actor);
        const auto j = json_arg(standards_json, "standards_json");
        const auto setting = at_argument("standards_json", [&] { return psp::json::standards_from_json(j, ""); });
        std::lock_guard lock(h.mu);
        // The database checks the pass marks against the panel's range: named as the argument too.
        return at_argument("standards_json", [&] {
            h.db.set_certification_standards(a, setting.first, setting.second);
            return 0;
        });
    });
}

PSP_EXTERN(int) psp_certification_standards_json(char** out, psp_db* db) {
    return text_out("psp_certification_standards_json", out, db, [](const psp::Database& d) {
        return psp::json::standards_to_json(d.certification_standards(), d.panel_rules()).dump();
    });
}

PSP_EXTERN(int) psp_platform_record_json(char** out, psp_db* db, int64_t platform, const char* date) {
    return text_out("psp_platform_record_json", out, db, [&](const psp::Database& d) {
        const auto p = platform_arg(platform, "platform");
        const auto on = date_arg(date, "date");
        return psp::json::to_json(d.platform_record(p, on)).dump();
    });
}

PSP_EXTERN(int) psp_certification_apply_json(int64_t* out_id, psp_db* db, const psp_actor* actor,
                                             const char* application_json) {
    return guard("psp_certification_apply_json", [&] {
        require(out_id, "out_id");
        auto& h = handle(db);
        const auto a = actor_from_c(actor);
        const auto j = json_arg(application_json, "application_json");
        const auto application =
            at_argument("application_json", [&] { return psp::json::application_from_json(j, ""); });
        psp::CertificationCaseId id;
        {
            std::lock_guard lock(h.mu);
            id = h.db.apply_for_certification(a, application);
        }
        *out_id = id.value;
        return 0;
    });
}

PSP_EXTERN(int) psp_certification_score(psp_db* db, const psp_actor* actor, int64_t case_id, int score) {
    return guard("psp_certification_score", [&] {
        auto& h = handle(db);
        const auto a = actor_from_c(actor);
        const auto id = case_arg(case_id, "case_id");
        std::lock_guard lock(h.mu);
        h.db.score_certification(a, id, score);
        return 0;
    });
}

PSP_EXTERN(int) psp_certification_decide_json(char** out, psp_db* db, const psp_actor* actor, int64_t case_id,
                                              const char* date) {
    return text_out("psp_certification_decide_json", out, db, [&](psp::Database& d) {
        const auto a = actor_from_c(actor);
        const auto id = case_arg(case_id, "case_id");
        const auto on = date_arg(date, "date");
        return psp::json::to_json(d.decide_certification(a, id, on)).dump();
    });
}

PSP_EXTERN(int) psp_certification_case_json(char** out, psp_db* db, int64_t case_id) {
    return text_out("psp_certification_case_json", out, db, [&](const psp::Database& d) {
        return psp::json::to_json(d.certification_case(case_arg(case_id, "case_id"))).dump();
    });
}

PSP_EXTERN(int) psp_certification_cases_json(char** out, psp_db* db) {
    return text_out("psp_certification_cases_json", out, db, [](const psp::Database& d) {
        json array = json::array();
        for (const auto& c : d.certification_cases()) array.push_back(psp::json::to_json(c));
        return array.dump();
    });
}

PSP_EXTERN(int) psp_recognition_review_json(char** out, psp_db* db, const psp_actor* actor, const char* record_json,
                                            const char* date) {
    return text_out("psp_recognition_review_json", out, db, [&](psp::Database& d) {
        const auto a = actor_from_c(actor);
        const auto j = json_arg(record_json, "record_json");
        const auto record = at_argument("record_json", [&] { return psp::json::platform_record_from_json(j, ""); });
        const auto on = date_arg(date, "date");
        return psp::json::to_json(d.review_recognition(a, record, on)).dump();
    });
}

PSP_EXTERN(int) psp_recognitions_json(char** out, psp_db* db, int64_t platform) {
    return text_out("psp_recognitions_json", out, db, [&](const psp::Database& d) {
        if (platform < 0) invalid("platform: ids are positive (0 = every platform), got " + std::to_string(platform));
        return recognitions_json(d.recognitions(psp::PlatformId(platform))).dump();
    });
}

PSP_EXTERN(int) psp_recognition_json(char** out, psp_db* db, int64_t platform, const char* date) {
    return text_out("psp_recognition_json", out, db, [&](const psp::Database& d) {
        const auto p = platform_arg(platform, "platform");
        const auto on = date_arg(date, "date");
        const auto term = d.recognition(p, on);
        return (term ? psp::json::to_json(*term) : json(nullptr)).dump();
    });
}

PSP_EXTERN(int) psp_recognitions_due_json(char** out, psp_db* db, const char* date) {
    return text_out("psp_recognitions_due_json", out, db, [&](const psp::Database& d) {
        return recognitions_json(d.recognitions_due(date_arg(date, "date"))).dump();
    });
}

}  // extern "C"
