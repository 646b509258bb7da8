// sd_notify.cpp - the sd_notify protocol (see sd_notify.h).
#include "sd_notify.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace tk {

NotifyTarget notify_target_from_env() {
    NotifyTarget t;
    const char* path = std::getenv("NOTIFY_SOCKET");
    if (!path || !*path || (path[0] != '/' && path[0] != '@')) return t;
    size_t n = std::strlen(path);
    if (n >= sizeof t.addr.sun_path) return t;
    t.addr.sun_family = AF_UNIX;
    std::memcpy(t.addr.sun_path, path, n);
    // An abstract address starts with a zero byte and has exactly its own length (no terminator).
    if (path[0] == '@') t.addr.sun_path[0] = '\0';
    t.len = (socklen_t)(offsetof(sockaddr_un, sun_path) + n + (path[0] == '@' ? 0 : 1));
    return t;
}

bool notify_send(const NotifyTarget& t, const char* state) {
    if (t.len == 0) return false;
    int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    ssize_t sent = ::sendto(fd, state, std::strlen(state), MSG_NOSIGNAL, (const sockaddr*)&t.addr, t.len);
    ::close(fd);
    return sent == (ssize_t)std::strlen(state);
}

Watchdog watchdog_from_env() {
    Watchdog w;
    const char* usec = std::getenv("WATCHDOG_USEC");
    if (!usec || !*usec) return w;
    if (const char* pid = std::getenv("WATCHDOG_PID"); pid && *pid && std::strtol(pid, nullptr, 10) != (long)::getpid())
        return w;
    char* end = nullptr;
    unsigned long long us = std::strtoull(usec, &end, 10);
    if (!end || *end || us == 0) return w;
    w.target = notify_target_from_env();
    if (w.target.len) w.interval_s = (double)us / 1e6;
    return w;
}

bool watchdog_tick(Watchdog& w, double now_s) {
    if (w.interval_s <= 0 || now_s - w.last_s < w.interval_s / 2) return false;
    w.last_s = now_s;
    return notify_send(w.target, "WATCHDOG=1");
}

} // namespace tk
