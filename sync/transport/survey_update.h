// survey_update.h - survey files signed by the research team, handed out by the server,
// applied by kiosks only when the signature verifies.
//
// The research team signs a survey file with the Ed25519 key in research.key
// (`teilhabe survey sign --key research.key FILE` writes FILE.sig) and puts both into the
// server's DATA/surveys/. A kiosk fetches the list, each file and its signature, and installs a
// file only when the signature verifies against the research signing key in its own
// research.pub (and, for .json, when the file loads as a survey). The server is only a
// mailbox: a compromised server can withhold updates but cannot make a kiosk install its own.
// Kiosks that sync by USB stick get the same files in the stick's teilhabe-surveys/ folder
// and install them through the same check (install_survey_update). A Delphi round's feedback
// pack (NAME.delphi, signed the same way) travels with its survey along both paths.
//
// FILE.sig is text:
//   teilhabe-survey-signature/1
//   file: NAME            the file name the signature is for (renaming breaks it)
//   sha256: HEX           of the file's bytes
//   sign_pk: HEX          the research signing key
//   signature: HEX        Ed25519 over "teilhabe-survey/1" 0x00 NAME 0x00 sha256-bytes
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "keys.h"
#include "sync_client.h"

namespace tk {

std::string sign_survey_file(const std::string& name, const std::string& bytes, const uint8_t sign_sk[64]);
// Checks the .sig text against the file bytes, its name and the expected research key.
bool verify_survey_signature(const std::string& name, const std::string& bytes, const std::string& sig_text,
                             const uint8_t research_sign_pk[32], std::string* error);

struct SurveyUpdateResult {
    bool ok = false;                       // the list could be read (even if nothing applied)
    std::vector<std::string> applied;      // file names installed (new or changed)
    std::vector<std::string> unchanged;
    std::vector<std::string> refused;      // "NAME: reason"
    NetError net;                          // why the list did not come (kind none: it did)
    std::string error;
};

// Fetches every offered update from `url` and writes the verified ones into `dest_dir`
// (atomically; an unchanged file is left alone).
SurveyUpdateResult fetch_survey_update(const std::string& url, const std::string& dest_dir,
                                       const ResearchPublicKey& research, const SyncOptions& opt = {});

// --- the same by USB stick ---
// The folder on a stick that carries survey updates (NAME and NAME.sig side by side).
inline constexpr const char* kStickSurveyFolder = "teilhabe-surveys";
// A survey update's name: letters, digits, '-', '_', '.', no leading '.' and no "..", at most
// 128 bytes. Nothing that could walk out of a folder, on the server or on a kiosk.
bool survey_update_name_ok(const std::string& name);
// The largest file offered, fetched or installed under `name`: a Delphi feedback pack (.delphi,
// sync/delphi/delphi.h) may hold a large study's sealed answers; a survey is smaller.
size_t survey_update_max(const std::string& name);
// The files in `dir` that have a signature beside them (NAME.sig), by name, sorted: what the
// server offers from DATA/surveys and what a stick carries in kStickSurveyFolder.
std::vector<std::string> list_signed_surveys(const std::string& dir);
// The one check for an offered file, whichever way it came: a good name, the signature by the
// research key, a .json that loads as a survey, a .delphi that reads as a feedback pack; then
// installed into dest_dir (atomically).
// The name goes to out.applied, out.unchanged or out.refused ("NAME: reason").
void install_survey_update(const std::string& name, const std::string& bytes, const std::string& sig_text,
                           const std::string& dest_dir, const ResearchPublicKey& research, SurveyUpdateResult& out);
// Every signed update in STICK/teilhabe-surveys/, through install_survey_update. out.ok is
// false (with error) only when the folder cannot be read; no folder = nothing offered.
SurveyUpdateResult install_survey_updates_from_stick(const std::string& stick, const std::string& dest_dir,
                                                     const ResearchPublicKey& research);
// The coordinator's side: copies the signed updates of `surveys_dir` (the server's
// DATA/surveys) into STICK/teilhabe-surveys/ (made when missing; files written atomically).
// *copied = the names. Nothing is checked here: the kiosk checks the signature.
bool write_survey_updates_to_stick(const std::string& surveys_dir, const std::string& stick,
                                   std::vector<std::string>* copied, std::string* error);

} // namespace tk
