// C ABI: major projects (issue 6, §6): projects filed and updated as JSON, the rolling pipeline,
// supervision and its report, all answered as JSON (docs/projects-json.md).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arguments.hpp"
#include "capi.hpp"
#include "json/projects_json.hpp"
#include "json/reader.hpp"
#include "psp/projects.hpp"

using namespace psp::capi;
using nlohmann::json;
using psp::json::ObjectReader;

namespace {

// The project object of docs/projects-json.md. With allow_new, an absent id or id 0 reads as 0
// (the next id); the placeholder used to validate it is not named in messages.
psp::Project project_arg(const char* s, const char* name, bool allow_new) {
    auto j = json_arg(s, name);
    bool placeholder = false;
    if (allow_new && j.is_object()) {
        const auto it = j.find("id");
        if (it == j.end() || (it->is_number_integer() && it->get<std::int64_t>() == 0)) {
            j["id"] = 1;
            placeholder = true;
        }
    }
    try {
        auto p = at_argument(name, [&] { return psp::json::project_from_json(j, ""); });
        if (placeholder) p.id = psp::ProjectId();
        return p;
    } catch (const psp::Error& e) {
        if (!placeholder) throw;
        std::string message = e.what();
        if (const auto at = message.find("project 1 "); at != std::string::npos) message.replace(at, 10, "new project ");
        throw psp::Error(e.code(), message);
    }
}

psp::PipelineTargets targets_arg(const char* s, const char* name) {
    psp::PipelineTargets t;
    if (s == nullptr) return t;
    const auto j = json_arg(s, name);
    return at_argument(name, [&] {
        ObjectReader r(j, "");
        t.planned = r.small_integer_or("planned", t.planned);
        t.reserved = r.small_integer_or("reserved", t.reserved);
        t.building = r.small_integer_or("building", t.building);
        if (const json* g = r.find("government_per_year"); g && !g->is_null()) t.government_per_year = r.integer("government_per_year");
        r.finish();
        psp::validate(t);
        return t;
    });
}

psp::SupervisionThresholds thresholds_arg(const char* s, const char* name) {
    psp::SupervisionThresholds t;
    if (s == nullptr) return t;
    const auto j = json_arg(s, name);
    return at_argument(name, [&] {
        ObjectReader r(j, "");
        const auto read = [&](const char* key, int& field) { field = r.small_integer_or(key, field); };
        read("behind_warning_bp", t.behind_warning_bp);
        read("behind_rectify_bp", t.behind_rectify_bp);
        read("spending_ahead_warning_bp", t.spending_ahead_warning_bp);
        read("spending_ahead_rectify_bp", t.spending_ahead_rectify_bp);
        read("idle_after_days", t.idle_after_days);
        read("idle_warning_bp", t.idle_warning_bp);
        read("idle_rectify_bp", t.idle_rectify_bp);
        read("target_warning_bp", t.target_warning_bp);
        read("target_rectify_bp", t.target_rectify_bp);
        read("overdue_warning_days", t.overdue_warning_days);
        read("overdue_rectify_days", t.overdue_rectify_days);
        read("rectify_days", t.rectify_days);
        read("suspend_days", t.suspend_days);
        r.finish();
        psp::validate(t);
        return t;
    });
}

json decisions_json(const std::vector<psp::SupervisionDecision>& ds) {
    json out = json::array();
    for (const auto& d : ds) out.push_back(psp::json::to_json(d));
    return out;
}

psp::SupervisionReport report(const psp::Database& d, const char* office, const char* label, const char* first_date,
                              const char* last_date) {
    const auto o = std::string(require_str(office, "office"));
    psp::ReportPeriod period{std::string(require_str(label, "label")), date_arg(first_date, "first_date"),
                             date_arg(last_date, "last_date")};
    return d.supervision_report(o, period);
}

}  // namespace

extern "C" {

PSP_EXTERN(int) psp_project_add_json(int64_t* out_id, psp_db* db, const psp_actor* actor, const char* project_json) {
    return guard("psp_project_add_json", [&] {
        require(out_id, "out_id");
        auto& h = handle(db);
        const auto a = actor_from_c(actor);
        auto p = project_arg(project_json, "project_json", true);
        psp::ProjectId id;
        {
            std::lock_guard lock(h.mu);
            id = h.db.add_project(a, std::move(p));
        }
        *out_id = id.value;
        return 0;
    });
}

PSP_EXTERN(int) psp_project_update_json(psp_db* db, const psp_actor* actor, const char* project_json) {
    return guard("psp_project_update_json", [&] {
        auto& h = handle(db);
        const auto a = actor_from_c(actor);
        const auto p = project_arg(project_json, "project_json", false);
        std::lock_guard lock(h.mu);
        h.db.update_project(a, p);
        return 0;
    });
}

PSP_EXTERN(int) psp_project_get_json(char** out, psp_db* db, int64_t id) {
    return text_out("psp_project_get_json", out, db,
                    [&](const psp::Database& d) { return psp::json::to_json(d.project(psp::ProjectId(id))).dump(); });
}

PSP_EXTERN(int) psp_projects_json(char** out, psp_db* db) {
    return text_out("psp_projects_json", out, db, [](const psp::Database& d) {
        json array = json::array();
        for (const auto& p : d.projects()) array.push_back(psp::json::to_json(p));
        return array.dump();
    });
}

PSP_EXTERN(int) psp_pipeline_advance_json(char** out, psp_db* db, const psp_actor* actor, const char* targets_json,
                                          const int64_t* ranking, size_t ranking_count, const char* date) {
    return text_out("psp_pipeline_advance_json", out, db, [&](psp::Database& d) {
        const auto a = actor_from_c(actor);
        const auto targets = targets_arg(targets_json, "targets_json");
        if (ranking_count > 0) require(ranking, "ranking");
        psp::Ranking order;
        for (std::size_t i = 0; i < ranking_count; ++i) order.order.push_back(psp::ProjectId(ranking[i]));
        const auto on = date_arg(date, "date");
        return psp::json::to_json(d.advance_pipeline(a, targets, order, on)).dump();
    });
}

PSP_EXTERN(int) psp_supervise_json(char** out, psp_db* db, const psp_actor* actor, const char* thresholds_json,
                                   const char* date) {
    return text_out("psp_supervise_json", out, db, [&](psp::Database& d) {
        const auto a = actor_from_c(actor);
        const auto thresholds = thresholds_arg(thresholds_json, "thresholds_json");
        const auto on = date_arg(date, "date");
        return decisions_json(d.supervise(a, thresholds, on)).dump();
    });
}

PSP_EXTERN(int) psp_supervision_decisions_json(char** out, psp_db* db, int64_t project) {
    return text_out("psp_supervision_decisions_json", out, db, [&](const psp::Database& d) {
        if (project < 0) invalid("project: ids are positive (0 = every project), got " + std::to_string(project));
        return decisions_json(d.supervision_decisions(psp::ProjectId(project))).dump();
    });
}

PSP_EXTERN(int) psp_supervision_report_json(char** out, psp_db* db, const char* office, const char* label,
                                            const char* first_date, const char* last_date) {
    return text_out("psp_supervision_report_json", out, db, [&](const psp::Database& d) {
        return psp::json::to_json(report(d, office, label, first_date, last_date)).dump();
    });
}

PSP_EXTERN(int) psp_supervision_report_text(char** out, psp_db* db, const char* office, const char* label,
                                            const char* first_date, const char* last_date) {
    return text_out("psp_supervision_report_text", out, db, [&](const psp::Database& d) {
        return psp::supervision_report_text(report(d, office, label, first_date, last_date));
    });
}

}  // extern "C"
