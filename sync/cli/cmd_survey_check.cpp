// cmd_survey_check.cpp - `teilhabe survey check FILE...`: validates survey files.
//
// Prints one "ok" line per good file (with id, version, hash, size and languages, so a
// coordinator can compare a kiosk's survey with the research server's), or every error of
// a bad file, one per line in the usual "file:line: where: message" form. A round of a Delphi
// study gets a second line with its round and consensus rule. Warnings and notes
// (a translation not yet reviewed by a native speaker) go to stderr and never fail a file.
#include <cstdio>

#include "command.h"
#include "survey.h"
#include "text_direction.h"

namespace tk::cli {

static int run_survey_check(const Args& args_in) {
    Args args = args_in;
    bool quiet = take_flag(args, "--quiet") || take_flag(args, "-q");
    if (args.empty()) return usage_error("survey check", "no survey file given (usage: teilhabe survey check FILE...)");
    for (const std::string& a : args)
        if (a.size() > 1 && a[0] == '-') return usage_error("survey check", "unknown option '" + a + "'");

    int bad = 0;
    for (const std::string& path : args) {
        LoadResult r = load_survey(path);
        for (const std::string& w : r.warnings)
            if (!quiet) std::fprintf(stderr, "warning: %s\n", w.c_str());
        for (const std::string& n : r.notes)
            if (!quiet) std::fprintf(stderr, "note: %s\n", n.c_str());
        if (!r.ok()) {
            for (const LoadError& e : r.errors) std::printf("%s\n", e.to_string().c_str());
            std::printf("FAIL  %s  (%zu error%s)\n", path.c_str(), r.errors.size(),
                        r.errors.size() == 1 ? "" : "s");
            bad++;
            continue;
        }
        const Survey& s = *r.survey;
        std::string langs, rtl;
        for (const std::string& l : s.languages) {
            langs += (langs.empty() ? "" : ",") + l;
            if (is_rtl(l)) rtl += (rtl.empty() ? "" : ",") + l;
        }
        // The right-to-left languages are named so that whoever prints or sets up a kiosk knows
        // which pages come mirrored.
        std::printf("ok  %s  id=%s version=%s hash=%s questions=%zu languages=%s%s\n", path.c_str(),
                    s.id.c_str(), s.version.c_str(), s.hash.c_str(), s.all_questions().size(),
                    langs.c_str(), rtl.empty() ? "" : (" rtl=" + rtl).c_str());
        // A Delphi round names its rule in words, so that whoever prepares the next round sees
        // that it is the same rule as in round 1.
        if (s.delphi.round > 0) {
            size_t repeated = 0;
            for (const DelphiItem& it : s.delphi.items) repeated += !it.repeats.empty();
            std::printf("delphi  study=%s round=%d items=%zu repeated=%zu%s consensus: %s\n", s.delphi.study.c_str(),
                        s.delphi.round, s.delphi.items.size(), repeated,
                        s.delphi.drop_on_consensus ? " drop_on_consensus" : "",
                        consensus_rule_text(s.delphi.consensus).c_str());
        }
    }
    return bad ? 1 : 0;
}

static Command survey_check("survey check", "[--quiet] FILE...",
                            "validate survey files (exit 1 when any is bad)", run_survey_check);

} // namespace tk::cli
