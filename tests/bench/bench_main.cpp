// bench_main.cpp - runs every benchmark. Each area adds a `void bench_<area>()` in its own
// tests/bench/bench_<area>.cpp and one line here.
void bench_vault();

int main() {
    bench_vault();
    return 0;
}
