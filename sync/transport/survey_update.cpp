// survey_update.cpp - signing, verifying and fetching survey updates (see survey_update.h).
#include "files.h"
#include "survey_update.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "record.h"
#include "survey.h"
#include "hex.h"

namespace tk {

static const char kHeader[] = "teilhabe-survey-signature/1";

static std::vector<uint8_t> message(const std::string& name, const std::string& bytes, uint8_t sha[32]) {
    crypto_hash_sha256(sha, (const uint8_t*)bytes.data(), bytes.size());
    static const char kDomain[] = "teilhabe-survey/1";
    std::vector<uint8_t> m(kDomain, kDomain + sizeof kDomain); // includes the 0 byte
    m.insert(m.end(), name.begin(), name.end());
    m.push_back(0);
    m.insert(m.end(), sha, sha + 32);
    return m;
}

std::string sign_survey_file(const std::string& name, const std::string& bytes, const uint8_t sign_sk[64]) {
    if (sodium_init() < 0) return "";
    uint8_t sha[32], pk[32], sig[64];
    std::vector<uint8_t> m = message(name, bytes, sha);
    crypto_sign_detached(sig, nullptr, m.data(), m.size(), sign_sk);
    crypto_sign_ed25519_sk_to_pk(pk, sign_sk);
    return std::string(kHeader) + "\nfile: " + name + "\nsha256: " + to_hex(sha, 32) + "\nsign_pk: " + to_hex(pk, 32) +
           "\nsignature: " + to_hex(sig, 64) + "\n";
}

bool verify_survey_signature(const std::string& name, const std::string& bytes, const std::string& sig_text,
                             const uint8_t research_sign_pk[32], std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        return false;
    };
    if (sodium_init() < 0) return fail("libsodium failed to initialise");
    std::string file, sha_hex, pk_hex, sig_hex;
    size_t pos = 0, line_no = 0;
    while (pos < sig_text.size() && line_no < 20) {
        size_t nl = sig_text.find('\n', pos);
        std::string line = sig_text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? sig_text.size() : nl + 1;
        if (++line_no == 1 && line != kHeader) return fail("signature file, line 1: not a Teilhabe survey signature");
        auto field = [&](const char* key, std::string& out) {
            std::string k = std::string(key) + ": ";
            if (line.rfind(k, 0) == 0) out = line.substr(k.size());
        };
        field("file", file);
        field("sha256", sha_hex);
        field("sign_pk", pk_hex);
        field("signature", sig_hex);
    }
    uint8_t sha_claimed[32], pk[32], sig[64], sha[32];
    if (!from_hex(sha_hex, sha_claimed, 32) || !from_hex(pk_hex, pk, 32) || !from_hex(sig_hex, sig, 64))
        return fail("signature file: sha256, sign_pk or signature missing or not hex");
    if (file != name) return fail("signature is for file '" + file + "', not '" + name + "'");
    if (sodium_memcmp(pk, research_sign_pk, 32) != 0)
        return fail("signed with another key than this kiosk's research key");
    std::vector<uint8_t> m = message(name, bytes, sha);
    if (sodium_memcmp(sha, sha_claimed, 32) != 0) return fail("file content differs from what was signed");
    if (crypto_sign_verify_detached(sig, m.data(), m.size(), pk) != 0) return fail("signature does not verify");
    return true;
}

SurveyUpdateResult fetch_survey_update(const std::string& url, const std::string& dest_dir,
                                       const ResearchPublicKey& research, const SyncOptions& opt) {
    SurveyUpdateResult out;
    HttpClient c = make_http_client(url, opt.tls, opt.timeout_s, &out.net);
    if (!c.cli) {
        out.error = net_error_text(out.net, opt.tls);
        return out;
    }
    httplib::Client& cli = *c.cli;
    auto list = cli.Get("/v1/surveys");
    if (!list) out.net = net_error_of(c, url, list.error());
    if (!list || list->status != 200) {
        out.error = list ? "server answered HTTP " + std::to_string(list->status) : net_error_text(out.net, opt.tls);
        return out;
    }
    nlohmann::json j = nlohmann::json::parse(list->body, nullptr, false);
    if (!j.is_object() || !j.contains("surveys") || !j["surveys"].is_array()) {
        out.error = "the server's survey list is not valid JSON";
        return out;
    }
    out.ok = true;
    for (const auto& e : j["surveys"]) {
        if (!e.is_object() || !e.contains("name") || !e["name"].is_string()) continue;
        std::string name = e["name"].get<std::string>();
        // Only plain file names: the list must not be able to write anywhere else.
        if (name.empty() || name[0] == '.' || name.find('/') != std::string::npos || name.size() > 128) {
            out.refused.push_back(name + ": not a plain file name");
            continue;
        }
        auto file = cli.Get(("/v1/surveys/" + name).c_str());
        auto sig = cli.Get(("/v1/surveys/" + name + ".sig").c_str());
        if (!file || file->status != 200 || !sig || sig->status != 200) {
            out.refused.push_back(name + ": could not be downloaded");
            continue;
        }
        std::string err;
        if (!verify_survey_signature(name, file->body, sig->body, research.sign_pk, &err)) {
            out.refused.push_back(name + ": " + err);
            continue;
        }
        if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0) {
            LoadResult lr = parse_survey(file->body, name);
            if (!lr.ok()) {
                out.refused.push_back(name + ": signed, but does not load: " + (lr.errors.empty() ? "" : lr.errors[0].to_string()));
                continue;
            }
        }
        std::string path = dest_dir + "/" + name, have;
        if (read_file_at_most(path, kKeyFileMax, have, nullptr) && have == file->body) {
            out.unchanged.push_back(name);
            continue;
        }
        if (!write_file_atomic(path, file->body, 0644, true, &err)) {
            out.refused.push_back(name + ": " + err);
            continue;
        }
        out.applied.push_back(name);
    }
    return out;
}

} // namespace tk
