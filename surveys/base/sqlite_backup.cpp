// sqlite_backup.cpp - online backup, check and restore of SQLite stores (see sqlite_backup.h).
#include "sqlite_backup.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dates.h"
#include "sqlite_stmt.h"

namespace tk {

static bool exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

static std::string dir_of(const std::string& path) {
    size_t s = path.rfind('/');
    return s == std::string::npos ? "." : s == 0 ? "/" : path.substr(0, s);
}

static bool fsync_path(const std::string& path, bool dir) {
    int fd = ::open(path.c_str(), (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

// Copies database `src` (read in one transaction) into the new file `dst`, mode 0600.
static bool copy_database(const std::string& src, const std::string& dst, std::string* error) {
    int fd = ::open(dst.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = dst + ": cannot create: " + std::strerror(errno);
        return false;
    }
    ::close(fd);
    sqlite3 *from = nullptr, *to = nullptr;
    bool ok = sqlite3_open_v2(src.c_str(), &from, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
              sqlite3_open_v2(dst.c_str(), &to, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK;
    if (ok) {
        sqlite3_busy_timeout(from, 10000);
        sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
        // -1: every page in one step, so one read transaction sees one committed state.
        int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
        ok = b && rc == SQLITE_DONE;
        if (b) sqlite3_backup_finish(b);
        if (!ok) *error = src + ": cannot copy: " + (b ? sqlite3_errstr(rc) : sqlite3_errmsg(to));
    } else {
        *error = src + ": cannot open: " + sqlite3_errmsg(from ? from : to);
    }
    // The copy of a WAL store is a WAL file too; one file without -wal is what a backup is.
    if (ok && sqlite3_exec(to, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) != SQLITE_OK) {
        *error = dst + ": " + sqlite3_errmsg(to);
        ok = false;
    }
    sqlite3_close_v2(from);
    if (sqlite3_close_v2(to) != SQLITE_OK) ok = false;
    if (ok && !fsync_path(dst, false)) {
        *error = dst + ": cannot write: " + std::strerror(errno);
        ok = false;
    }
    if (!ok) ::unlink(dst.c_str());
    return ok;
}

bool sqlite_check(const std::string& path, DbFileFacts& facts, std::string* error) {
    if (!exists(path)) {
        *error = path + ": no such file";
        return false;
    }
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        *error = path + ": cannot open: " + sqlite3_errmsg(db);
        sqlite3_close_v2(db);
        return false;
    }
    bool ok = false;
    {
        Stmt a(db, "PRAGMA application_id"), u(db, "PRAGMA user_version");
        if (a && a.step() == SQLITE_ROW && u && u.step() == SQLITE_ROW) {
            facts.application_id = sqlite3_column_int64(a.s, 0);
            facts.user_version = sqlite3_column_int64(u.s, 0);
            Stmt ic(db, "PRAGMA integrity_check");
            std::string first = ic && ic.step() == SQLITE_ROW ? ic.col_text(0) : sqlite3_errmsg(db);
            ok = first == "ok";
            if (!ok) *error = path + ": damaged (integrity check: " + first + ")";
        } else {
            *error = path + ": not an SQLite database, or damaged: " + sqlite3_errmsg(db);
        }
    }
    sqlite3_close_v2(db);
    return ok;
}

bool sqlite_backup(const std::string& db_path, const std::string& out_path, std::string* error) {
    if (exists(out_path)) {
        *error = out_path + ": exists already, not overwritten";
        return false;
    }
    if (!exists(db_path)) {
        *error = db_path + ": no such file";
        return false;
    }
    std::string tmp = out_path + ".tmp-" + std::to_string(::getpid());
    ::unlink(tmp.c_str()); // a leftover of a backup that was killed
    if (!copy_database(db_path, tmp, error)) return false;
    DbFileFacts facts;
    if (!sqlite_check(tmp, facts, error)) {
        ::unlink(tmp.c_str());
        return false;
    }
    // link() fails when the name exists: a backup started meanwhile is not overwritten.
    int rc = ::link(tmp.c_str(), out_path.c_str());
    int saved = errno;
    ::unlink(tmp.c_str());
    if (rc != 0) {
        *error = out_path + ": cannot create: " + std::strerror(saved);
        return false;
    }
    fsync_path(dir_of(out_path), true);
    return true;
}

static bool put_in_place(const std::string& backup, const std::string& db_path, std::string* kept, std::string* error) {
    std::string tmp = db_path + ".restore-tmp";
    ::unlink(tmp.c_str());
    if (!copy_database(backup, tmp, error)) return false;
    // Run as root for a service's folder (a dynamic user's): the store stays the service's.
    struct stat owner;
    if (::geteuid() == 0 && ::stat(dir_of(db_path).c_str(), &owner) == 0 && ::chown(tmp.c_str(), owner.st_uid, owner.st_gid) != 0) {
        *error = tmp + ": cannot give it the folder's owner: " + std::strerror(errno);
        ::unlink(tmp.c_str());
        return false;
    }
    if (exists(db_path)) {
        std::string old = db_path + ".before-restore-" + utc_file_stamp((int64_t)std::time(nullptr));
        // The -wal may hold commits not yet in the main file: it moves along, under the name
        // SQLite looks for next to the kept file. The -shm is only an index and is rebuilt.
        if (::rename(db_path.c_str(), old.c_str()) != 0 ||
            (exists(db_path + "-wal") && ::rename((db_path + "-wal").c_str(), (old + "-wal").c_str()) != 0)) {
            *error = db_path + ": cannot move aside: " + std::strerror(errno);
            ::unlink(tmp.c_str());
            return false;
        }
        ::unlink((db_path + "-shm").c_str());
        *kept = old;
    }
    if (::rename(tmp.c_str(), db_path.c_str()) != 0) {
        *error = db_path + ": cannot put the backup in place: " + std::strerror(errno);
        return false;
    }
    fsync_path(dir_of(db_path), true);
    return true;
}

bool restore_store(const std::string& dir, const StoreFile& store, const std::string& backup, std::string* kept,
                   std::string* error) {
    kept->clear();
    DbFileFacts facts;
    if (!sqlite_check(backup, facts, error)) return false;
    if (facts.application_id != store.application_id) {
        *error = backup + ": not a backup of a " + store.what + " (application_id " + std::to_string(facts.application_id) + ")";
        return false;
    }
    if (facts.user_version > store.max_version) {
        *error = backup + ": schema version " + std::to_string(facts.user_version) + " is newer than this program's (" +
                 std::to_string(store.max_version) + "); restore it with the release that wrote it";
        return false;
    }
    DirLock lock;
    if (!lock_dir(dir, true, lock, error)) {
        *error += "; stop it first (nothing was changed)";
        return false;
    }
    return put_in_place(backup, dir + "/" + store.db_name, kept, error);
}

DirLock& DirLock::operator=(DirLock&& o) noexcept {
    if (this != &o) {
        if (fd >= 0) ::close(fd);
        fd = o.fd;
        o.fd = -1;
    }
    return *this;
}

DirLock::~DirLock() {
    if (fd >= 0) ::close(fd);
}

bool lock_dir(const std::string& dir, bool exclusive, DirLock& out, std::string* error) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *error = dir + ": cannot open: " + std::strerror(errno);
        return false;
    }
    if (::flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
        int saved = errno;
        ::close(fd);
        *error = saved == EWOULDBLOCK ? dir + (exclusive ? ": in use (a running program has it open)" : ": being restored just now")
                                      : dir + ": cannot lock: " + std::strerror(saved);
        return false;
    }
    DirLock l;
    l.fd = fd;
    out = std::move(l);
    return true;
}

} // namespace tk
