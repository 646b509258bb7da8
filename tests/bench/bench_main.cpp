// bench_main.cpp - runs every benchmark, or the ones named on the command line:
//   bench                  all of them
//   bench vault sync       only those
// Each area adds a `void bench_<area>()` in its own tests/bench/bench_<area>.cpp and one
// line in the table below. Benchmarks print figures; they never pass or fail.
#include <cstdio>
#include <cstring>

void bench_vault();
void bench_sync();
void bench_research();
void bench_kiosk();
void bench_stat();

struct Bench { const char* name; void (*run)(); };
static const Bench kBenches[] = {
    {"vault", bench_vault},
    {"sync", bench_sync},
    {"research", bench_research},
    {"kiosk", bench_kiosk},
    {"stat", bench_stat},
};

int main(int argc, char** argv) {
    int ran = 0;
    for (const Bench& b : kBenches) {
        bool wanted = argc < 2;
        for (int i = 1; i < argc; i++) wanted |= std::strcmp(argv[i], b.name) == 0;
        if (!wanted) continue;
        std::printf("== %s ==\n", b.name);
        std::fflush(stdout);
        b.run();
        ran++;
    }
    if (ran == 0) {
        std::fprintf(stderr, "bench: nothing matched; known:");
        for (const Bench& b : kBenches) std::fprintf(stderr, " %s", b.name);
        std::fprintf(stderr, "\n");
        return 2;
    }
    return 0;
}
