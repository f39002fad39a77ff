// C ABI: many changes in one transaction (psp::Database::begin_transaction and friends), and
// catching up on other connections' commits (refresh, reload, changed_elsewhere).
#include "capi.hpp"

using namespace psp::capi;

extern "C" {

PSP_EXTERN(int) psp_db_begin(psp_db* db) {
    return guard("psp_db_begin", [&] {
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        h.db.begin_transaction();
        return 0;
    });
}

PSP_EXTERN(int) psp_db_commit(psp_db* db) {
    return guard("psp_db_commit", [&] {
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        h.db.commit_transaction();
        return 0;
    });
}

PSP_EXTERN(int) psp_db_rollback(psp_db* db) {
    return guard("psp_db_rollback", [&] {
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        h.db.rollback_transaction();
        return 0;
    });
}

PSP_EXTERN(int) psp_db_reload(psp_db* db) {
    return guard("psp_db_reload", [&] {
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        h.db.reload();
        return 0;
    });
}

PSP_EXTERN(int) psp_db_refresh(int64_t* out_journal_rows, int* out_reloaded, psp_db* db) {
    return guard("psp_db_refresh", [&] {
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        const auto caught = h.db.refresh();
        if (out_journal_rows != nullptr) *out_journal_rows = static_cast<int64_t>(caught.journal_rows);
        if (out_reloaded != nullptr) *out_reloaded = caught.reloaded ? 1 : 0;
        return 0;
    });
}

PSP_EXTERN(int) psp_db_changed_elsewhere(int* out, psp_db* db) {
    return guard("psp_db_changed_elsewhere", [&] {
        auto& o = require(out, "out");
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        o = h.db.changed_elsewhere() ? 1 : 0;
        return 0;
    });
}

PSP_EXTERN(int) psp_db_in_transaction(int* out, psp_db* db) {
    return guard("psp_db_in_transaction", [&] {
        auto& o = require(out, "out");
        auto& h = handle(db);
        std::lock_guard lock(h.mu);
        o = h.db.in_transaction() ? 1 : 0;
        return 0;
    });
}

}  // extern "C"
