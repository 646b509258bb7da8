// sqlite_backup.h - backups of a live SQLite store and putting one back (server store, vault).
//
//   sqlite_backup      an online, consistent copy of a database that may be in use (WAL)
//   DbFileFacts, sqlite_check
//                      a file's integrity check, application_id and user_version
//   StoreFile, restore_store
//                      a backup checked (integrity, whose file, schema version) and put in
//                      place of a store's database, the folder locked; the old files kept
//   DirLock, lock_dir  who has a data folder open: shared for every opener, exclusive to restore
//
// The copy goes through SQLite's online backup API in one read transaction: in WAL mode that
// takes a snapshot without stopping the writers (the server keeps serving), and the copy holds
// exactly one committed state. Copying the file with cp could catch a page half written or miss
// the -wal file. Written to a temp name, fsynced, checked, then renamed: a backup file that
// exists is complete. Files are mode 0600: they hold what the store holds.
#pragma once
#include <cstdint>
#include <string>

namespace tk {

// Copies the database at `db_path` to `out_path` (which must not exist). The copy is a
// self-contained file (no -wal) and passed PRAGMA integrity_check.
bool sqlite_backup(const std::string& db_path, const std::string& out_path, std::string* error);

struct DbFileFacts {
    int64_t application_id = 0;
    int64_t user_version = 0;
};
// Opens `path` read-only and runs PRAGMA integrity_check. Errors name the file.
bool sqlite_check(const std::string& path, DbFileFacts& facts, std::string* error);

// Which store a backup must belong to.
struct StoreFile {
    const char* what;         // "server store", "vault": for messages
    const char* db_name;      // "server.sqlite": the file in the data folder
    int64_t application_id;   // PRAGMA application_id of that kind of file
    int64_t max_version;      // the newest schema this program opens (PRAGMA user_version)
};
// Puts the database `backup` at DIR/db_name, after checking it (integrity, application_id,
// a schema no newer than this program's) and taking the folder's exclusive lock: refused while
// a program has the store open. What was there is renamed, never removed: DB.before-restore-STAMP
// (with its -wal); *kept says where it went ("" when there was none). The next open migrates an
// older schema as usual.
bool restore_store(const std::string& dir, const StoreFile& store, const std::string& backup, std::string* kept,
                   std::string* error);

// A flock on the data folder itself (no lock file to leave behind). Every opener of a store
// holds it shared for as long as the store is open; restore takes it exclusive, so it refuses
// while a server or kiosk has the folder open, and nothing opens the folder during a restore.
struct DirLock {
    int fd = -1;
    DirLock() = default;
    DirLock(DirLock&& o) noexcept : fd(o.fd) { o.fd = -1; }
    DirLock& operator=(DirLock&& o) noexcept;
    DirLock(const DirLock&) = delete;
    DirLock& operator=(const DirLock&) = delete;
    ~DirLock();
};
// Never waits: false with *error when the other kind of lock is held ("in use" or "being restored").
bool lock_dir(const std::string& dir, bool exclusive, DirLock& out, std::string* error);

} // namespace tk
