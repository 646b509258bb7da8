// surveys_sd_notify_test.cpp - sd_notify over a real unix datagram socket, as systemd listens:
// a socket path and an abstract '@' name, the watchdog's interval and whose it is.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sd_notify.h"

namespace {

// A datagram socket bound to `name` ("/path", or "@abstract"), the way systemd's is.
struct Listener {
    int fd = -1;
    std::string path;
    explicit Listener(const std::string& name) {
        fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd >= 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        REQUIRE(name.size() < sizeof a.sun_path);
        std::memcpy(a.sun_path, name.data(), name.size());
        socklen_t len = (socklen_t)(offsetof(sockaddr_un, sun_path) + name.size());
        if (name[0] == '@') a.sun_path[0] = '\0';
        else path = name;
        REQUIRE(::bind(fd, (sockaddr*)&a, len) == 0);
        timeval tv{2, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~Listener() {
        ::close(fd);
        if (!path.empty()) ::unlink(path.c_str());
    }
    std::string receive() const {
        char buf[512];
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, (size_t)n) : std::string();
    }
    bool nothing_waiting() const {
        char buf[64];
        return ::recv(fd, buf, sizeof buf, MSG_DONTWAIT) < 0;
    }
};

std::string temp_socket_path() {
    char dir[] = "/tmp/tk-notify-XXXXXX";
    REQUIRE(::mkdtemp(dir));
    return std::string(dir) + "/notify";
}

} // namespace

TEST_CASE("sd_notify: READY=1 reaches the socket named in NOTIFY_SOCKET") {
    std::string path = temp_socket_path();
    Listener l(path);
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    tk::NotifyTarget t = tk::notify_target_from_env();
    CHECK(t.len > 0);
    CHECK(tk::notify_send(t, "READY=1\nSTATUS=listening"));
    CHECK(l.receive() == "READY=1\nSTATUS=listening");
    ::unsetenv("NOTIFY_SOCKET");
    ::rmdir(path.substr(0, path.rfind('/')).c_str());
}

TEST_CASE("sd_notify: an abstract socket '@name'") {
    std::string name = "@tk-notify-test-" + std::to_string(::getpid());
    Listener l(name);
    ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
    CHECK(tk::notify_send(tk::notify_target_from_env(), "STOPPING=1"));
    CHECK(l.receive() == "STOPPING=1");
    ::unsetenv("NOTIFY_SOCKET");
}

TEST_CASE("sd_notify: outside systemd nothing is sent and nothing fails") {
    ::unsetenv("NOTIFY_SOCKET");
    CHECK(tk::notify_target_from_env().len == 0);
    CHECK_FALSE(tk::notify_send(tk::notify_target_from_env(), "READY=1"));
    ::setenv("NOTIFY_SOCKET", "relative/path", 1); // neither '/' nor '@': not a socket systemd gives
    CHECK(tk::notify_target_from_env().len == 0);
    ::unsetenv("NOTIFY_SOCKET");
}

TEST_CASE("sd_notify: the watchdog pings at half its interval, and only its own process") {
    std::string name = "@tk-watchdog-test-" + std::to_string(::getpid());
    Listener l(name);
    ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
    ::setenv("WATCHDOG_USEC", "10000000", 1); // 10 s
    ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
    tk::Watchdog w = tk::watchdog_from_env();
    CHECK(w.interval_s == doctest::Approx(10.0));
    CHECK(tk::watchdog_tick(w, 100.0)); // the first turn of the loop pings at once
    CHECK(l.receive() == "WATCHDOG=1");
    CHECK_FALSE(tk::watchdog_tick(w, 104.9));
    CHECK(l.nothing_waiting());
    CHECK(tk::watchdog_tick(w, 105.0));
    CHECK(l.receive() == "WATCHDOG=1");

    // Meant for another process (cage, the session's main process): not ours to answer.
    ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
    tk::Watchdog other = tk::watchdog_from_env();
    CHECK(other.interval_s == 0);
    CHECK_FALSE(tk::watchdog_tick(other, 1000.0));
    CHECK(l.nothing_waiting());
    ::unsetenv("WATCHDOG_PID");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("NOTIFY_SOCKET");
}
