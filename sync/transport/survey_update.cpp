// survey_update.cpp - signing, verifying and fetching survey updates (see survey_update.h).
#include "files.h"
#include "survey_update.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "delphi.h"
#include "record.h"
#include "survey.h"
#include "hex.h"

namespace tk {


size_t survey_update_max(const std::string& name) {
    return name.ends_with(delphi::kFeedbackPackExt) ? delphi::kFeedbackPackMax : kKeyFileMax;
}


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
        if (!survey_update_name_ok(name)) {
            out.refused.push_back(name + ": not a plain file name");
            continue;
        }
        auto file = cli.Get(("/v1/surveys/" + name).c_str());
        auto sig = cli.Get(("/v1/surveys/" + name + ".sig").c_str());
        if (!file || file->status != 200 || !sig || sig->status != 200) {
            out.refused.push_back(name + ": could not be downloaded");
            continue;
        }
        install_survey_update(name, file->body, sig->body, dest_dir, research, out);
    }
    return out;
}

bool survey_update_name_ok(const std::string& n) {
    if (n.empty() || n.size() > 128 || n[0] == '.') return false;
    for (char c : n)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
            return false;
    return n.find("..") == std::string::npos;
}


std::vector<std::string> list_signed_surveys(const std::string& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        std::string n = e.path().filename().string();
        if (!survey_update_name_ok(n) || n.ends_with(".sig") || !e.is_regular_file(ec)) continue;
        if (std::filesystem::is_regular_file(e.path().string() + ".sig", ec)) names.push_back(n); // unsigned: not offered
    }
    std::sort(names.begin(), names.end());
    return names;
}

void install_survey_update(const std::string& name, const std::string& bytes, const std::string& sig_text,
                           const std::string& dest_dir, const ResearchPublicKey& research, SurveyUpdateResult& out) {
    std::string err;
    if (!survey_update_name_ok(name)) {
        out.refused.push_back(name + ": not a plain file name");
        return;
    }
    if (!verify_survey_signature(name, bytes, sig_text, research.sign_pk, &err)) {
        out.refused.push_back(name + ": " + err);
        return;
    }
    if (bytes.size() > survey_update_max(name)) {
        out.refused.push_back(name + ": larger than " + std::to_string(survey_update_max(name) >> 20) + " MiB");
        return;
    }
    if (name.ends_with(".json")) {
        LoadResult lr = parse_survey(bytes, name);
        if (!lr.ok()) {
            out.refused.push_back(name + ": signed, but does not load: " + (lr.errors.empty() ? "" : lr.errors[0].to_string()));
            return;
        }
    }
    if (name.ends_with(delphi::kFeedbackPackExt)) {
        delphi::FeedbackPack pack;
        if (!delphi::read_feedback_pack(bytes, pack, &err)) {
            out.refused.push_back(name + ": signed, but does not read: " + err);
            return;
        }
    }
    std::string path = dest_dir + "/" + name, have;
    if (read_file_at_most(path, survey_update_max(name), have, nullptr) && have == bytes) {
        out.unchanged.push_back(name);
        return;
    }
    if (!write_file_atomic(path, bytes, 0644, true, &err)) {
        out.refused.push_back(name + ": " + err);
        return;
    }
    out.applied.push_back(name);
}

SurveyUpdateResult install_survey_updates_from_stick(const std::string& stick, const std::string& dest_dir,
                                                     const ResearchPublicKey& research) {
    SurveyUpdateResult out;
    std::string dir = stick + "/" + kStickSurveyFolder;
    std::error_code ec;
    if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec)) {
        out.error = dir + " is not a folder";
        return out;
    }
    out.ok = true;
    for (const std::string& name : list_signed_surveys(dir)) {
        std::string bytes, sig, err;
        if (!read_file_at_most(dir + "/" + name, survey_update_max(name), bytes, &err) ||
            !read_file_at_most(dir + "/" + name + ".sig", kKeyFileMax, sig, &err)) {
            out.refused.push_back(name + ": " + err);
            continue;
        }
        install_survey_update(name, bytes, sig, dest_dir, research, out);
    }
    return out;
}

bool write_survey_updates_to_stick(const std::string& surveys_dir, const std::string& stick,
                                   std::vector<std::string>* copied, std::string* error) {
    std::string dir = stick + "/" + kStickSurveyFolder;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        if (error) *error = "cannot make " + dir + ": " + ec.message();
        return false;
    }
    for (const std::string& name : list_signed_surveys(surveys_dir)) {
        for (const std::string& f : {name, name + ".sig"}) {
            std::string bytes;
            if (!read_file_at_most(surveys_dir + "/" + f, survey_update_max(f), bytes, error) ||
                !write_file_atomic(dir + "/" + f, bytes, 0644, true, error))
                return false;
        }
        if (copied) copied->push_back(name);
    }
    return true;
}

} // namespace tk
