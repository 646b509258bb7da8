// provision.cpp - kiosk data folders set up by script or from a file (see provision.h).
#include "files.h"
#include "provision.h"

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "enrolment.h"
#include "keys.h"

namespace tk {

using json = nlohmann::json;

static bool present(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

// DIR/research.pub from `given` when absent; the same key there already is fine, another is not.
static bool install_research_pub(const std::string& dir, const std::string& given, std::string* error) {
    ResearchPublicKey want, have;
    if (!load_research_public(given, want, error)) return false;
    const std::string here = dir + "/research.pub";
    if (present(here)) {
        if (!load_research_public(here, have, error)) return false;
        if (research_fingerprint(have) == research_fingerprint(want)) return true;
        if (error)
            *error = here + " already holds research key " + research_fingerprint(have) + ", not " + research_fingerprint(want) +
                     " of " + given + "; nothing was changed. Remove it first if the study really changed keys.";
        return false;
    }
    std::string text;
    ::mkdir(dir.c_str(), 0700); // Vault::open would make it too; the key file comes first
    return read_file_at_most(given, kKeyFileMax, text, error) && write_file_atomic(here, text, 0644, false, error);
}

std::unique_ptr<Vault> open_kiosk_folder(const std::string& dir, const std::string& research_pub, std::string* error) {
    if (!research_pub.empty() && !install_research_pub(dir, research_pub, error)) return nullptr;
    VaultOpenOptions o;
    o.create = !present(dir + "/vault.sqlite");
    if (o.create && !present(dir + "/research.pub")) {
        if (error)
            *error = dir + " holds no kiosk vault yet, and no research.pub: give the study's research.pub (from `teilhabe "
                           "keygen`) to set up this kiosk data folder";
        return nullptr;
    }
    std::string err;
    auto v = Vault::open(dir, o, &err);
    if (!v && error) *error = dir + ": " + err;
    return v;
}

bool read_provision(const std::string& path, Provision& out, std::string* error) {
    out = Provision{};
    std::string text;
    if (!read_file_at_most(path, 64 * 1024, text, error)) return false;
    json j = json::parse(text, nullptr, false);
    auto fail = [&](const std::string& what) {
        if (error) *error = path + ": " + what;
        return false;
    };
    if (j.is_discarded() || !j.is_object()) return fail("not a JSON object");
    std::string folder = path.find('/') == std::string::npos ? "." : path.substr(0, path.find_last_of('/'));
    struct Field { const char* name; std::string* to; bool required, file; };
    const Field fields[] = {{"server", &out.server, true, false},     {"code", &out.code, true, false},
                            {"site", &out.site, false, false},        {"research_pub", &out.research_pub, false, true},
                            {"ca", &out.ca, false, true}};
    for (const Field& f : fields) {
        if (!j.contains(f.name)) {
            if (f.required) return fail(std::string("$.") + f.name + ": required");
            continue;
        }
        if (!j[f.name].is_string()) return fail(std::string("$.") + f.name + ": a string is required");
        *f.to = j[f.name].get<std::string>();
        if (f.file && !f.to->empty() && (*f.to)[0] != '/') *f.to = folder + "/" + *f.to;
    }
    std::string normal;
    if (!normalize_pairing_code(out.code, normal)) return fail("$.code: not a pairing code (12 characters, e.g. K7QX-3MPA-9RTC)");
    if (out.server.rfind("http://", 0) != 0 && out.server.rfind("https://", 0) != 0)
        return fail("$.server: must start with https:// (or http://)");
    return true;
}

ProvisionResult apply_provision(const std::string& dir, const Provision& p, const SyncOptions& opt) {
    ProvisionResult r;
    auto v = open_kiosk_folder(dir, p.research_pub, &r.error);
    if (!v) return r;
    r.research_key = v->research_key_fingerprint();
    SyncOptions o = opt;
    if (!p.ca.empty()) {
        std::string ca = dir + "/server-ca.pem", text;
        if (!present(ca) && (!read_file_at_most(p.ca, kKeyFileMax, text, &r.error) || !write_file_atomic(ca, text, 0644, false, &r.error)))
            return r;
        o.tls = TlsTrust{ca, ""};
    } else if (o.tls.ca_file.empty() && o.tls.pin.empty()) {
        o.tls = load_saved_trust(dir); // a CA or pin put into the folder before
    }
    ServerPin pin;
    if (read_server_pin(dir, pin, nullptr)) {
        r.already_enrolled = r.ok = true;
        return r;
    }
    if (!enrol_device(*v, p.server, p.code, o, &r.enrol, &r.error)) return r;
    // The file's site stands in when the server named none for the code.
    if (r.enrol.site.empty() && !p.site.empty() && read_server_pin(dir, pin, &r.error)) {
        pin.site = p.site;
        if (!write_server_pin(dir, pin, &r.error)) return r;
        r.enrol.site = p.site;
    }
    r.ok = true;
    return r;
}

} // namespace tk
