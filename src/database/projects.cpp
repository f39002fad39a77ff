// Major projects in the Database: filed and updated with permission checks, advanced through the
// rolling pipeline and supervised on a date; every project change and decision written through and
// journaled (the rules themselves are src/projects/).
#include <algorithm>

#include "database/impl.hpp"
#include "json/projects_json.hpp"
#include "json/reader.hpp"

namespace psp {

void Database::Impl::load_projects() {
    for (const auto& [id, text] : store.load_projects()) {
        auto p = json::project_from_json(json::parse_document(text), "/projects/" + std::to_string(id));
        projects[id] = std::move(p);
    }
    for (const auto& text : store.load_decisions()) decisions.push_back(json::decision_from_json(json::parse_document(text)));
}

void Database::Impl::save_project(const Actor& actor, const char* verb, const Project& p) {
    validate(p);
    for (auto owner : p.platforms) require_exists(owner);
    const auto text = json::to_json(p);
    commit_ledger(
        [&] {
            store.put_project(p.id.value, text.dump());
            journal(store, actor, verb, EntityKind::project, p.id.value, text);
        },
        [&] { projects[p.id.value] = p; });
}

namespace {

bool owns(const Actor& actor, const Project& p) {
    return actor.role == Role::platform_operator &&
           std::find(p.platforms.begin(), p.platforms.end(), actor.platform) != p.platforms.end();
}

}  // namespace

ProjectId Database::add_project(const Actor& actor, Project p) {
    Impl::require_permission(actor, Action::manage_projects, false, "a new project");
    if (p.id.value < 0) throw Error(ErrorCode::invalid, "project id: ids are positive, got " + std::to_string(p.id.value));
    if (!p.id) p.id = ProjectId(impl_->projects.empty() ? 1 : impl_->projects.rbegin()->first + 1);
    if (impl_->projects.contains(p.id.value)) {
        throw Error(ErrorCode::exists, "project " + std::to_string(p.id.value) + " already exists");
    }
    impl_->save_project(actor, "add", p);
    return p.id;
}

void Database::update_project(const Actor& actor, const Project& p) {
    auto it = impl_->projects.find(p.id.value);
    if (it == impl_->projects.end()) throw Error(ErrorCode::not_found, "no project with id " + std::to_string(p.id.value));
    Impl::require_permission(actor, Action::manage_projects, owns(actor, it->second),
                             "project " + std::to_string(p.id.value));
    if (p.stage != it->second.stage || p.approved != it->second.approved) {
        throw Error(ErrorCode::refused, "project " + std::to_string(p.id.value) +
                                            ": its stage moves only through the pipeline or a supervision decision");
    }
    impl_->save_project(actor, "update", p);
}

Project Database::project(ProjectId id) const {
    auto it = impl_->projects.find(id.value);
    if (it == impl_->projects.end()) throw Error(ErrorCode::not_found, "no project with id " + std::to_string(id.value));
    return it->second;
}

std::vector<Project> Database::projects() const {
    std::vector<Project> out;
    out.reserve(impl_->projects.size());
    for (const auto& [id, p] : impl_->projects) out.push_back(p);
    return out;
}

PipelineAdvance Database::advance_pipeline(const Actor& actor, const PipelineTargets& targets, const Ranking& ranking,
                                           boost::gregorian::date on) {
    Impl::require_permission(actor, Action::manage_projects, false, "the project pipeline");
    std::vector<Project> all = projects();
    const auto result = advance(all, targets, ranking, on);
    apply(all, result);
    std::vector<const Project*> changed;
    for (const auto& p : all) {
        if (p != impl_->projects.at(p.id.value)) changed.push_back(&p);
    }
    impl_->commit_ledger(
        [&] {
            for (const Project* p : changed) impl_->store.put_project(p->id.value, json::to_json(*p).dump());
            impl_->journal(impl_->store, actor, "advance", EntityKind::project, 0, json::to_json(result));
        },
        [&] {
            for (const Project* p : changed) impl_->projects[p->id.value] = *p;
        });
    return result;
}

std::vector<SupervisionDecision> Database::supervise(const Actor& actor, const SupervisionThresholds& thresholds,
                                                     boost::gregorian::date on) {
    Impl::require_permission(actor, Action::supervise_projects, false, "the supervision of projects");
    const std::vector<Project> all = projects();
    auto made = psp::supervise(all, impl_->decisions, thresholds, on);
    std::vector<Project> revoked;
    for (const auto& d : made) {
        const Project& p = impl_->projects.at(d.project.value);
        if (d.verdict == Verdict::revoke && p.stage != ProjectStage::revoked) {
            revoked.push_back(p);
            revoked.back().stage = ProjectStage::revoked;
        }
    }
    impl_->commit_ledger(
        [&] {
            for (const auto& d : made) {
                const auto text = json::to_json(d);
                impl_->store.insert_decision(d.project.value, text.dump());
                impl_->journal(impl_->store, actor, "supervise", EntityKind::supervision, d.project.value, text);
            }
            for (const auto& p : revoked) {
                impl_->store.put_project(p.id.value, json::to_json(p).dump());
                impl_->journal(impl_->store, actor, "revoke", EntityKind::project, p.id.value, json::to_json(p));
            }
        },
        [&] {
            impl_->decisions.insert(impl_->decisions.end(), made.begin(), made.end());
            for (const auto& p : revoked) impl_->projects[p.id.value] = p;
        });
    return made;
}

std::vector<SupervisionDecision> Database::supervision_decisions(ProjectId id) const {
    if (id && !impl_->projects.contains(id.value)) throw Error(ErrorCode::not_found, "no project with id " + std::to_string(id.value));
    std::vector<SupervisionDecision> out;
    for (const auto& d : impl_->decisions) {
        if (!id || d.project == id) out.push_back(d);
    }
    return out;
}

SupervisionReport Database::supervision_report(const std::string& office, const ReportPeriod& period) const {
    if (!detail::valid_utf8(office)) throw Error(ErrorCode::invalid, "office: is not valid UTF-8");
    return psp::supervision_report(projects(), impl_->decisions, office, period);
}

}  // namespace psp
