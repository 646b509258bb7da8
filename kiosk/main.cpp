// main.cpp - teilhabe-kiosk (placeholder until the kiosk screens land).
#include <cstdio>
int main() { std::puts("teilhabe-kiosk: not built yet"); return 2; }
