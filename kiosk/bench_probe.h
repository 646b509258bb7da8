// bench_probe.h - TK_KIOSK_BENCH=FILE: the kiosk measures itself for `bench kiosk`.
//
// The benchmark (tests/bench/bench_kiosk.cpp) starts the real teilhabe-kiosk under Xvfb with
// this variable set. The probe then writes, into FILE:
//   first_frame_at MS   CLOCK_MONOTONIC when the first frame was on screen (the bench
//                       subtracts the moment it started the process)
//   renderer NAME       GL_RENDERER (llvmpipe expected under Xvfb)
//   switch_ms MS        the frame that rebuilt the font atlas for 300 %
//   frame_ms MS MS ...  frames at 300 % on question pages, Weiter every 40 frames (wall time)
//   frame_cpu_ms MS ... the same frames in CPU time of the whole process (llvmpipe renders
//                       on worker threads): a figure that other load on the machine does not inflate
//   ready               the kiosk now idles on a question page (the bench measures CPU, PSS)
// Without the variable none of this runs. The driving uses the same actions as a person.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "kiosk_state.h"

namespace tk {

struct BenchProbe {
    FILE* out = nullptr;
    int step = 0;   // 0 first frame, 1 warm-up at 300 %, 2 measuring, 3 done
    int count = 0;  // frames in this step
    std::vector<double> frame_ms, frame_cpu_ms;
    int pages = 1;  // question pages the measured frames were on
};

double monotonic_ms();
double process_cpu_ms();
bool bench_probe_open(BenchProbe& b, const char* path);
// True while the probe still needs frames drawn (the loop must not sleep).
bool bench_probe_busy(const BenchProbe& b);
// After a frame is on screen; `ms` is how long the frame took, from input to swap.
void bench_probe_after_frame(BenchProbe& b, KioskApp& app, double now, double ms, double cpu_ms, const char* renderer);

} // namespace tk
