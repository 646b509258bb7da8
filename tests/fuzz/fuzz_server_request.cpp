// fuzz_server_request.cpp - every request parser of the server API on arbitrary bytes,
// through the same handlers the HTTP routes call, against a real store in a temporary folder.
// First byte selects: 0 enrolment JSON, 1 upload as it is, 2 upload re-signed with the
// enrolled fuzz device's key (reaches the store's chain logic: duplicates, gaps, conflicts),
// 3 survey file name. The answer must always be JSON with a status the API documents, and
// a refusal must carry an error code and a reason.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sodium.h>
#include <string>
#include <unistd.h>

#include "server_api.h"
#include "server_store.h"

namespace {
struct Fixture {
    std::string dir;
    std::unique_ptr<tk::ServerStore> store;
    std::unique_ptr<tk::ServerApi> api;
    uint8_t pk[32], sk[64];
    Fixture() {
        if (sodium_init() < 0) abort();
        char tmpl[] = "/tmp/tk-fuzz-server-XXXXXX";
        if (!mkdtemp(tmpl)) abort();
        dir = tmpl;
        std::string err;
        store = tk::ServerStore::open(dir, true, &err);
        if (!store) abort();
        uint8_t seed[32];
        std::memset(seed, 0x42, sizeof seed); // the same key as fuzz_bundle's corpus
        crypto_sign_seed_keypair(pk, sk, seed);
        std::array<uint8_t, 32> a;
        std::memcpy(a.data(), pk, 32);
        int status = 0;
        if (!store->enrol(store->new_pairing_code("", 1, nullptr), a, &status, &err)) abort();
        tk::ServerConfig cfg;
        cfg.rate_per_s = 1e9;
        cfg.rate_burst = 1e9;
        cfg.peer_fail_rate_per_s = 1e9; // else every refused input after the 30th is a cheap 429
        cfg.peer_fail_burst = 1e9;
        cfg.limits = tk::BundleLimits{1u << 20, 64};
        cfg.surveys_dir = dir + "/surveys";
        cfg.log = [](const std::string&) {};
        api = std::make_unique<tk::ServerApi>(*store, cfg);
    }
    ~Fixture() {
        api.reset();
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Fixture fx;
    if (size < 1) return 0;
    std::string body((const char*)data + 1, size - 1);
    tk::ApiReply r;
    switch (data[0] % 4) {
    case 0: r = fx.api->handle_enrol(body, "fuzz"); break;
    case 1: r = fx.api->handle_upload(body, "fuzz"); break;
    case 2:
        if (body.size() >= 40 + 64) {
            std::memcpy(&body[8], fx.pk, 32);
            crypto_sign_detached((uint8_t*)&body[body.size() - 64], nullptr, (const uint8_t*)body.data(), body.size() - 64, fx.sk);
        }
        r = fx.api->handle_upload(body, "fuzz");
        break;
    default: r = fx.api->handle_survey_file(body); break;
    }
    static const std::set<int> documented = {200, 400, 403, 404, 408, 409, 413, 422, 429, 503};
    if (!documented.count(r.status)) abort();
    if (r.status != 200) {
        nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
        if (!j.is_object() || !j.contains("error") || !j.contains("reason") || j["reason"].get<std::string>().empty()) abort();
    }
    return 0;
}
