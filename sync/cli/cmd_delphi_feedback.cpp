// cmd_delphi_feedback.cpp - `teilhabe delphi feedback` (research team): round k's decrypted
// responses -> the signed feedback pack for round k+1 (sync/delphi/DELPHI.md, "The feedback pack").
//
// The pack is written as OUT and OUT.sig, signed with research.key like a survey update, so the
// server's DATA/surveys/ or a stick's teilhabe-surveys/ carries it to the kiosks unchanged, and
// `delphi print` makes the personalised paper from the same file.
#include <cstdio>
#include <filesystem>

#include "command.h"
#include "dates.h"
#include "delphi.h"
#include "files.h"
#include "research.h"
#include "research_key.h"
#include "survey.h"
#include "survey_update.h"

using namespace tk;
using namespace tk::cli;

static const char kVerb[] = "delphi feedback";

// The file name a pack is signed and installed under.
static std::string base_name(const std::string& p) { return std::filesystem::path(p).filename().string(); }

static int run_feedback(const Args& in) {
    Args a = in;
    std::string round_text = take_option(a, "--round"), survey_path = take_option(a, "--survey"),
                next_path = take_option(a, "--next"), key = take_option(a, "--key"), out = take_option(a, "--out");
    if (round_text.empty() || survey_path.empty() || next_path.empty() || key.empty() || out.empty() || a.empty())
        return usage_error(kVerb, "usage: --round K --survey ROUNDK.json --next ROUNDK+1.json --key research.key "
                                  "--out FILE.delphi RESPONSES.jsonl...");
    // (A name that is only ".delphi" starts with a dot, which survey_update_name_ok refuses.)
    if (!out.ends_with(delphi::kFeedbackPackExt) || !survey_update_name_ok(base_name(out)))
        return usage_error(kVerb, "--out " + out + ": the pack's name must end in .delphi and be a plain file name "
                                  "(letters, digits, - _ .), as kiosks install it under that name");
    int rc = 0;
    auto round = load_survey_or_report(kVerb, survey_path, &rc);
    if (!round) return rc;
    auto next = load_survey_or_report(kVerb, next_path, &rc);
    if (!next) return rc;
    if (round_text != std::to_string(round->delphi.round))
        return usage_error(kVerb, "--round " + round_text + ", but " + survey_path + " is round " +
                                      std::to_string(round->delphi.round) + " of its study");

    JsonlRead jr;
    std::string err;
    if (!read_responses_jsonl_files(a, jr, &err)) return usage_error(kVerb, err);
    for (const std::string& e : jr.errors) std::fprintf(stderr, "teilhabe %s: %s\n", kVerb, e.c_str());
    std::vector<Response> responses;
    size_t other = 0;
    for (const DecryptedResponse& d : jr.responses) {
        if (d.response.survey_id == round->id) responses.push_back(d.response);
        else other++;
    }
    if (other) std::fprintf(stderr, "teilhabe %s: %zu responses are of other surveys and left out\n", kVerb, other);

    delphi::FeedbackPack pack;
    delphi::FeedbackSummary sum;
    if (!delphi::make_feedback_pack(*round, *next, responses, utc_now(), pack, &sum, &err)) {
        std::fprintf(stderr, "teilhabe %s: %s\n", kVerb, err.c_str());
        return 1;
    }
    std::string pass;
    if (!research_passphrase(pass, &err)) return usage_error(kVerb, err);
    ResearchSecretKey sk;
    if (!load_research_secret(key, pass, sk, &err)) {
        std::fprintf(stderr, "teilhabe %s: %s\n", kVerb, err.c_str());
        return 1;
    }
    std::string bytes = delphi::write_feedback_pack(pack);
    std::string sig = sign_survey_file(base_name(out), bytes, sk.sign_sk);
    if (!write_file_atomic(out, bytes, 0644, true, &err) || !write_file_atomic(out + ".sig", sig, 0644, true, &err)) {
        std::fprintf(stderr, "teilhabe %s: %s\n", kVerb, err.c_str());
        return 2;
    }
    int consensus = 0;
    for (const delphi::ItemStats& s : pack.items) consensus += s.consensus;
    std::printf("round %d of %s: %d responses; %d participants with a code, %d responses without one\n", round->delphi.round,
                round->id.c_str(), sum.responses, sum.participants, sum.anonymous);
    if (sum.duplicates)
        std::printf("left out, as a later response of the same participant counts: %d\n", sum.duplicates);
    for (const delphi::ItemStats& s : pack.items)
        std::printf("  %-12s from %-12s n=%-4d %s\n", s.key.c_str(), s.source_key.c_str(), s.n,
                    s.consensus ? "consensus" : (s.multiple ? "multiple choice" : "no consensus"));
    std::printf("%zu repeated items, %d in consensus; %zu sealed entries.\n", pack.items.size(), consensus, pack.entries.size());
    std::printf("%s and %s.sig written (research key %s). Put both beside %s (and its .sig) into the server's "
                "DATA/surveys/ or a stick's teilhabe-surveys/.\n",
                out.c_str(), out.c_str(), research_fingerprint(sk.pub).c_str(), base_name(next_path).c_str());
    return 0;
}

static Command feedback_cmd("delphi feedback",
                            "--round K --survey ROUNDK.json --next ROUNDK+1.json --key research.key --out FILE.delphi "
                            "RESPONSES.jsonl...",
                            "the signed feedback pack for the next Delphi round (group results, own answers sealed to each code)",
                            run_feedback);
