// provision.h - setting up a kiosk data folder by script or from a file, without the GUI.
//
//   open_kiosk_folder   the vault of a kiosk data folder, made as the kiosk makes it when new
//   read_provision      teilhabe-provision.json: server, pairing code, site, research.pub, CA
//   apply_provision     research key and CA into the folder, then enrolment (once)
//
// `teilhabe enrol` and `teilhabe provision` use these, and so does the kiosk for a file in
// /etc/teilhabe-kiosk/ or on a USB stick (sync_desk.h). The file (packaging/DEPLOY.md):
//   {"server": "https://research.example:8443", "code": "K7QX-3MPA-9RTC",
//    "site": "Stadtbibliothek", "research_pub": "research.pub", "ca": "server-ca.pem"}
// "server" and "code" are required; the others may be left out. File names are relative to
// the provisioning file's folder, so a USB stick carries the file with what it names.
#pragma once
#include <memory>
#include <string>

#include "sync_client.h"
#include "vault.h"

namespace tk {

inline constexpr const char* kProvisionFileName = "teilhabe-provision.json";
// Where the appliance's kiosk looks at every start (the environment's TK_PROVISION_FILE instead).
inline constexpr const char* kEtcProvisionFile = "/etc/teilhabe-kiosk/teilhabe-provision.json";

// An existing vault in `dir` as it is (opened without `create`, as `teilhabe sync` does); in a
// folder no kiosk has opened yet, a new one made by Vault::open as the kiosk makes it (vault,
// device key, the pinned research key) - never with a demo key. `research_pub` (may be "")
// is copied to DIR/research.pub when that is absent; a different key already there is refused
// and nothing is changed. Null with *error otherwise.
std::unique_ptr<Vault> open_kiosk_folder(const std::string& dir, const std::string& research_pub, std::string* error);

struct Provision {
    std::string server, code, site; // site: used when the server names none for the code
    std::string research_pub, ca;   // full paths ("" = none)
};

// Reads and checks a provisioning file (at most 64 KiB). False with *error naming the file
// and the field.
bool read_provision(const std::string& path, Provision& out, std::string* error);

struct ProvisionResult {
    bool ok = false;
    bool already_enrolled = false;  // DIR/server.pub was there: nothing was sent (a code is single-use)
    EnrolResult enrol;
    std::string research_key;       // what the folder's vault seals to
    std::string error;
};

// Puts the research key (open_kiosk_folder) and the CA (DIR/server-ca.pem, when absent) into
// `dir`, then enrols with the code unless the folder is enrolled already. Safe to repeat.
ProvisionResult apply_provision(const std::string& dir, const Provision& p, const SyncOptions& opt);

} // namespace tk
