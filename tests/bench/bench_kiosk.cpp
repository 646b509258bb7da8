// bench_kiosk.cpp - the real teilhabe-kiosk under Xvfb at 1920x1080 (Mesa llvmpipe).
//
// Starts its own Xvfb (-displayfd picks a free display), then the kiosk with
// TK_KIOSK_BENCH=FILE (kiosk/bench_probe.h): the kiosk reports when its first frame was on
// screen and drives itself to 300 % and through question pages, timing each frame. Then it
// idles on a question page while this program reads /proc/PID/stat for 10 s (CPU) and
// /proc/PID/smaps_rollup (PSS). Targets from issue 4: idle < 1 % of one core, PSS < 100 MB,
// first frame < 500 ms, frame p99 < 16 ms.
//
// TK_BENCH_SURVEY=FILE runs another survey, TK_BENCH_LANG=TAG starts it in that language
// (through the staff default in kiosk-settings.json): an Arabic page is
//   TK_BENCH_SURVEY=tests/fixtures/rtl/rtl-survey.json TK_BENCH_LANG=ar bench kiosk
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

double mono_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// utime + stime of a process, in seconds (fields 14 and 15 of /proc/PID/stat).
double cpu_seconds(pid_t pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto close = s.rfind(')'); // the command name may hold spaces
    if (close == std::string::npos) return -1;
    std::istringstream in(s.substr(close + 2));
    std::string field;
    unsigned long long ut = 0, st = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) {
        if (i == 14) ut = std::strtoull(field.c_str(), nullptr, 10);
        if (i == 15) st = std::strtoull(field.c_str(), nullptr, 10);
    }
    return double(ut + st) / double(sysconf(_SC_CLK_TCK));
}

long pss_kb(pid_t pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("Pss:", 0) == 0) return std::strtol(line.c_str() + 4, nullptr, 10);
    return -1;
}

// Xvfb on a display it chooses itself; returns the display number or -1.
int start_xvfb(pid_t* pid) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    *pid = fork();
    if (*pid == 0) {
        close(fds[0]);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        std::string fd = std::to_string(fds[1]);
        execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "1920x1080x24", "-nolisten", "tcp",
               static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    std::string num;
    pollfd p{fds[0], POLLIN, 0};
    double until = mono_ms() + 10000;
    while (mono_ms() < until && poll(&p, 1, 200) >= 0) {
        if (!(p.revents & (POLLIN | POLLHUP))) continue;
        char c;
        ssize_t n = read(fds[0], &c, 1);
        if (n <= 0 || c == '\n') break;
        num += c;
    }
    close(fds[0]);
    if (num.empty()) {
        kill(*pid, SIGTERM);
        waitpid(*pid, nullptr, 0);
        return -1;
    }
    return std::atoi(num.c_str());
}

struct Report {
    double first_frame_at = -1, switch_ms = -1;
    std::string renderer, screen;
    std::vector<double> frames, frames_cpu;
    int pages = 0;
    bool ready = false;
};

Report read_report(const std::string& path) {
    Report r;
    std::ifstream f(path);
    std::string line;
    while (std::getline(f, line)) {
        std::istringstream in(line);
        std::string key;
        in >> key;
        if (key == "first_frame_at") in >> r.first_frame_at;
        else if (key == "switch_ms") in >> r.switch_ms;
        else if (key == "renderer") std::getline(in >> std::ws, r.renderer);
        else if (key == "screen") in >> r.screen;
        else if (key == "pages") in >> r.pages;
        else if (key == "frame_cpu_ms")
            for (double v; in >> v;) r.frames_cpu.push_back(v);
        else if (key == "ready") r.ready = true;
        else if (key == "frame_ms")
            for (double v; in >> v;) r.frames.push_back(v);
    }
    return r;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    size_t i = size_t(p * double(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

void verdict(const char* what, double value, const char* unit, double target) {
    std::printf("  %-34s %9.2f %-3s (target < %g %s: %s)\n", what, value, unit, target, unit,
                value >= 0 && value < target ? "met" : "MISSED");
}

} // namespace

void bench_kiosk() {
    namespace fs = std::filesystem;
    const std::string kiosk = std::string(TK_BUILD_DIR) + "/kiosk/teilhabe-kiosk";
    if (access(kiosk.c_str(), X_OK) != 0) {
        std::printf("  skipped: %s not built (configure with TK_KIOSK=ON and build teilhabe-kiosk)\n", kiosk.c_str());
        return;
    }
    pid_t xvfb = -1;
    int display = start_xvfb(&xvfb);
    if (display < 0) {
        std::printf("  skipped: no X display: Xvfb could not be started (is the xvfb package installed?)\n");
        return;
    }
    std::string tmpl = (fs::temp_directory_path() / "tk-bench-kiosk-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) {
        std::printf("  skipped: cannot make a temporary directory\n");
        kill(xvfb, SIGTERM);
        waitpid(xvfb, nullptr, 0);
        return;
    }
    const std::string dir = tmpl, report = dir + "/probe.txt", log = dir + "/kiosk.log";
    const char* survey_env = std::getenv("TK_BENCH_SURVEY");
    const char* lang_env = std::getenv("TK_BENCH_LANG");
    const std::string survey = survey_env && *survey_env ? std::string(survey_env)
                                                         : std::string(TK_SOURCE_DIR) + "/surveys/buerger-digital.json";
    const std::string data = dir + "/data";
    if (lang_env && *lang_env) {
        fs::create_directories(data);
        std::ofstream(data + "/kiosk-settings.json") << "{\"language\": \"" << lang_env << "\"}\n";
    }
    std::printf("  survey: %s%s%s\n", survey.c_str(), lang_env && *lang_env ? ", language " : "", lang_env ? lang_env : "");

    const double started = mono_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(out, 1);
        dup2(out, 2);
        std::string disp = ":" + std::to_string(display);
        setenv("DISPLAY", disp.c_str(), 1);
        setenv("TK_KIOSK_BENCH", report.c_str(), 1);
        execl(kiosk.c_str(), kiosk.c_str(), "--data", data.c_str(), "--survey", survey.c_str(), "--idle", "600",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    Report r;
    bool exited = false;
    for (double until = mono_ms() + 120000; mono_ms() < until;) {
        r = read_report(report);
        if (r.ready) break;
        if (waitpid(pid, nullptr, WNOHANG) == pid) {
            exited = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!r.ready) {
        std::ifstream f(log);
        std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        std::printf("  failed: the kiosk %s before its report was complete. Its output:\n%s\n",
                    exited ? "exited" : "timed out", text.c_str());
    } else {
        // A second to settle after the last driven frame, then 10 s of a person reading.
        std::this_thread::sleep_for(std::chrono::seconds(1));
        double c0 = cpu_seconds(pid), t0 = mono_ms();
        std::this_thread::sleep_for(std::chrono::seconds(10));
        double c1 = cpu_seconds(pid), t1 = mono_ms();
        long pss = pss_kb(pid);
        std::printf("  renderer: %s, 1920x1080, page shown while idle: %s\n", r.renderer.c_str(), r.screen.c_str());
        verdict("idle CPU over 10 s (% of one core)", 100.0 * (c1 - c0) / ((t1 - t0) / 1e3), "%", 1);
        verdict("memory PSS", double(pss) / 1024.0, "MB", 100);
        verdict("process start to first frame", r.first_frame_at - started, "ms", 500);
        std::printf("  frames at 300 %% text: %zu over %d question pages (wall time; CPU time of the process)\n",
                    r.frames.size(), r.pages);
        std::printf("  %-34s %9.2f ms  (CPU %.2f ms)\n", "frame time median", percentile(r.frames, 0.5),
                    percentile(r.frames_cpu, 0.5));
        verdict("frame time p99", percentile(r.frames, 0.99), "ms", 16);
        std::printf("  %-34s %9.2f ms  (CPU %.2f ms)\n", "frame time p99 in CPU time", percentile(r.frames_cpu, 0.99),
                    percentile(r.frames_cpu, 0.99));
        std::printf("  %-34s %9.2f ms\n", "frame time max", percentile(r.frames, 1.0));
        double load[3] = {0, 0, 0};
        if (getloadavg(load, 3) > 0)
            std::printf("  load average while measuring: %.2f (other programs inflate wall times)\n", load[0]);
        std::printf("  %-34s %9.2f ms\n", "switch to 300 % (atlas rebuilt)", r.switch_ms);
    }
    if (!exited) {
        kill(pid, SIGTERM);
        int st = 0;
        for (int i = 0; i < 100 && waitpid(pid, &st, WNOHANG) == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (waitpid(pid, &st, WNOHANG) == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
        }
    }
    kill(xvfb, SIGTERM);
    waitpid(xvfb, nullptr, 0);
    std::error_code ec;
    fs::remove_all(dir, ec);
}
