// sd_notify.h - telling systemd that a service is ready, alive or stopping, without libsystemd.
//
//   NotifyTarget, notify_target_from_env   where $NOTIFY_SOCKET points (a path, or '@' abstract)
//   notify_send                            one datagram: "READY=1", "WATCHDOG=1", "STOPPING=1"
//   Watchdog, watchdog_from_env, watchdog_tick
//                                          WATCHDOG=1 at half of $WATCHDOG_USEC, from a loop
//
// The protocol is one unix datagram per message (sd_notify(3)); a dependency on libsystemd for
// that would be larger than the code. Outside systemd $NOTIFY_SOCKET is unset and every call
// does nothing. The watchdog ping must come from the loop that would hang (the server's poll
// loop, the kiosk's render loop): a thread of its own would keep pinging a dead program.
#pragma once
#include <string>
#include <sys/socket.h>
#include <sys/un.h>

namespace tk {

struct NotifyTarget {
    sockaddr_un addr{};
    socklen_t len = 0; // 0 = no target: notify_send does nothing
};

// $NOTIFY_SOCKET as an address: "/run/systemd/notify", or "@name" for an abstract socket.
// Unset, empty or too long: no target.
NotifyTarget notify_target_from_env();

// Sends `state` (e.g. "READY=1\nSTATUS=listening") as one datagram. Only socket(), sendto()
// and close(): safe in a signal handler. Returns false when there is no target or it failed.
bool notify_send(const NotifyTarget& target, const char* state);

struct Watchdog {
    NotifyTarget target;
    double interval_s = 0; // $WATCHDOG_USEC in seconds; 0 = no watchdog asked for
    double last_s = -1e18; // when WATCHDOG=1 was sent last (the caller's clock)
};

// The watchdog systemd asked for: $WATCHDOG_USEC, meant for this process unless $WATCHDOG_PID
// names another one.
Watchdog watchdog_from_env();

// Sends WATCHDOG=1 when half the interval has passed since the last one (`now_s` on any
// monotonic clock in seconds). Returns true when it sent one.
bool watchdog_tick(Watchdog& w, double now_s);

} // namespace tk
