// main.cpp - `teilhabe-server`, the research server that receives sealed bundles.
// The upload API, enrolment and store arrive with the sync work; today it answers
// /health on the address given, so deployments and tests can already start it.
#include <cstdio>
#include <string>
#include <vector>

#include <httplib.h>

static void usage() {
    std::printf("teilhabe-server - receives sealed answers from kiosks\n\n"
                "Usage: teilhabe-server --data DIR --listen HOST:PORT\n"
                "  Plain HTTP is allowed on loopback addresses only.\n");
}

int main(int argc, char** argv) {
    std::vector<std::string> a(argv + 1, argv + argc);
    std::string data, listen;
    for (size_t i = 0; i < a.size(); i++) {
        if (a[i] == "--help" || a[i] == "-h") { usage(); return 0; }
        if (a[i] == "--data" && i + 1 < a.size()) data = a[++i];
        else if (a[i] == "--listen" && i + 1 < a.size()) listen = a[++i];
        else { std::fprintf(stderr, "teilhabe-server: unknown argument '%s'\n", a[i].c_str()); return 2; }
    }
    if (data.empty() || listen.empty()) { usage(); return 2; }
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) { std::fprintf(stderr, "teilhabe-server: --listen wants HOST:PORT, got '%s'\n", listen.c_str()); return 2; }
    std::string host = listen.substr(0, colon);
    int port = std::atoi(listen.substr(colon + 1).c_str());
    if (host != "127.0.0.1" && host != "localhost" && host != "::1") {
        std::fprintf(stderr, "teilhabe-server: plain HTTP only on loopback; '%s' is not loopback\n", host.c_str());
        return 2;
    }
    httplib::Server srv;
    srv.Get("/health", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("{\"status\":\"ok\"}", "application/json");
    });
    std::printf("teilhabe-server listening on %s:%d, data in %s\n", host.c_str(), port, data.c_str());
    std::fflush(stdout);
    if (!srv.listen(host.c_str(), port)) {
        std::fprintf(stderr, "teilhabe-server: cannot listen on %s:%d\n", host.c_str(), port);
        return 1;
    }
    return 0;
}
