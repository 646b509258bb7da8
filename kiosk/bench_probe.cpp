// bench_probe.cpp - see bench_probe.h.
#include "bench_probe.h"

#include <algorithm>
#include <ctime>

namespace tk {

namespace {
constexpr int kWarmup = 5;      // frames after the switch to 300 % (atlas rebuilt in the first)
constexpr int kMeasured = 240;  // frames timed
constexpr int kPerPage = 40;    // then Weiter: several question pages, not one
} // namespace

double monotonic_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double process_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

bool bench_probe_open(BenchProbe& b, const char* path) {
    b.out = std::fopen(path, "w");
    if (!b.out) std::fprintf(stderr, "teilhabe-kiosk: TK_KIOSK_BENCH: cannot write %s\n", path);
    return b.out != nullptr;
}

bool bench_probe_busy(const BenchProbe& b) { return b.out && b.step < 3; }

void bench_probe_after_frame(BenchProbe& b, KioskApp& app, double now, double ms, double cpu_ms, const char* renderer) {
    if (!b.out || b.step >= 3) return;
    if (b.step == 0) {
        std::fprintf(b.out, "first_frame_at %.3f\nrenderer %s\n", monotonic_ms(), renderer ? renderer : "?");
        std::fflush(b.out);
        // The path a person takes: welcome -> reading aids (300 %) -> first question.
        start_survey(app, now);
        set_text_scale(app, 300);
        begin_questions(app);
        b.step = 1;
        b.count = 0;
        return;
    }
    if (b.step == 1) {
        if (b.count++ == 0) std::fprintf(b.out, "switch_ms %.3f\n", ms);
        if (b.count >= kWarmup) {
            b.step = 2;
            b.count = 0;
        }
        return;
    }
    b.frame_ms.push_back(ms);
    b.frame_cpu_ms.push_back(cpu_ms);
    if (++b.count % kPerPage == 0 && b.count < kMeasured && app.screen == Screen::Question && next(app)) ++b.pages;
    if (b.count < kMeasured) return;
    std::fprintf(b.out, "frame_ms");
    for (double v : b.frame_ms) std::fprintf(b.out, " %.3f", v);
    std::fprintf(b.out, "\nframe_cpu_ms");
    for (double v : b.frame_cpu_ms) std::fprintf(b.out, " %.3f", v);
    std::fprintf(b.out, "\npages %d\nscreen %s\nready\n", b.pages, app.screen == Screen::Question ? "question" : "other");
    std::fclose(b.out);
    b.out = nullptr;
    b.step = 3;
}

} // namespace tk
