// Rows of major projects and their supervision decisions (schema migration 4), and the documents of
// certification and plans (migration 5).
#include "store/store.hpp"

namespace psp::store {

void Store::put_project(std::int64_t id, const std::string& json) {
    cached("INSERT INTO projects(id, project) VALUES(?1, ?2) ON CONFLICT(id) DO UPDATE SET project=excluded.project")
        .bind(1, id).bind(2, json).run();
}

std::vector<std::pair<std::int64_t, std::string>> Store::load_projects() {
    std::vector<std::pair<std::int64_t, std::string>> out;
    auto st = conn_->prepare("SELECT id, project FROM projects ORDER BY id");
    while (st.step()) out.emplace_back(st.int64(0), st.text(1));
    return out;
}

void Store::insert_decision(std::int64_t project, const std::string& json) {
    cached("INSERT INTO supervision_decisions(project, decision) VALUES(?1, ?2)").bind(1, project).bind(2, json).run();
}

std::vector<std::string> Store::load_decisions() {
    std::vector<std::string> out;
    auto st = conn_->prepare("SELECT decision FROM supervision_decisions ORDER BY seq");
    while (st.step()) out.push_back(st.text(0));
    return out;
}

void Store::put_document(const char* kind, std::int64_t id, const std::string& json) {
    cached("INSERT INTO documents(kind, id, body) VALUES(?1, ?2, ?3) ON CONFLICT(kind, id) DO UPDATE SET body=excluded.body")
        .bind(1, std::string(kind)).bind(2, id).bind(3, json).run();
}

std::vector<std::pair<std::int64_t, std::string>> Store::load_documents(const char* kind) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    auto st = conn_->prepare("SELECT id, body FROM documents WHERE kind = ?1 ORDER BY id");
    st.bind(1, std::string(kind));
    while (st.step()) out.emplace_back(st.int64(0), st.text(1));
    return out;
}

}  // namespace psp::store
