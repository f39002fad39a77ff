// Copying a PostgreSQL database into an in-memory SQLite one, table by table (a scratch copy
// for simulations; SQLite-to-SQLite copies use SQLite's online backup instead).
#include <string>
#include <vector>

#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace psp::store {

void Store::copy_tables(Connection& from, SqliteConnection& to) {
    // The tables and columns come from the fresh SQLite schema psp itself just created, in
    // creation order; both engines' migrations give every table the same columns.
    std::vector<std::string> tables;
    auto list = to.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY rowid");
    while (list.step()) tables.push_back(list.text(0));
    // One snapshot of the source, unless the source is inside a transaction of its own already.
    struct Snapshot {
        Connection& conn;
        bool mine;
        explicit Snapshot(Connection& c) : conn(c), mine(!c.in_transaction()) {
            if (mine) conn.begin_snapshot();
        }
        Snapshot(const Snapshot&) = delete;
        Snapshot& operator=(const Snapshot&) = delete;
        ~Snapshot() {
            if (mine) conn.rollback();   // it only read
        }
    } read(from);
    Transaction write(to);
    to.defer_foreign_keys();   // platforms refer to parents with larger ids
    for (const auto& table : tables) {
        std::vector<std::string> columns;
        auto info = to.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
        info.bind(1, table);
        while (info.step()) columns.push_back(info.text(0));
        std::string select = "SELECT ", insert = "INSERT INTO \"" + table + "\" VALUES(";
        for (std::size_t i = 0; i < columns.size(); ++i) {
            select += (i ? ", \"" : "\"") + columns[i] + "\"";
            insert += (i ? ", ?" : "?") + std::to_string(i + 1);
        }
        select += " FROM \"" + table + "\"";
        insert += ")";
        auto rows = from.prepare(select);
        auto put = to.prepare(insert);
        while (rows.step()) {
            for (int c = 0; c < static_cast<int>(columns.size()); ++c) {
                // Text into SQLite's typed columns: INTEGER and REAL affinity store numbers.
                if (rows.is_null(c)) put.bind_null(c + 1); else put.bind(c + 1, rows.text(c));
            }
            put.run();
        }
    }
    write.commit();
}

}  // namespace psp::store
