// cmd_import_lss.cpp - `teilhabe survey import-lss FILE.lss --out survey.json`.
//
// Converts a LimeSurvey structure file into the kiosk's survey format, checks it exactly as
// `survey check` does before writing (nothing is written when it fails), then loads the
// written file again, so a file this command writes is a file the kiosk accepts. What the
// check refuses is left out by the importer with a warning naming the question and reason. Everything the import left out or changed is printed as a warning; the
// coordinator decides whether the survey still works without it.
#include <cstdio>
#include <fstream>

#include "command.h"
#include "lss_import.h"
#include "survey.h"

namespace tk::cli {

static int run_import_lss(const Args& args_in) {
    const char* name = "survey import-lss";
    Args args = args_in;
    if (take_flag(args, "--help") || take_flag(args, "-h")) {
        std::printf("Usage: teilhabe survey import-lss FILE.lss --out survey.json [--quiet]\n\n"
                    "Imports a LimeSurvey survey structure file (.lss, old and new layout).\n"
                    "Question, subquestion and answer codes are kept, so answers export back to\n"
                    "LimeSurvey. What the kiosk cannot run is listed as a warning naming the\n"
                    "question and the reason. The result is checked as `survey check` does before\n"
                    "it is written; a file that would fail the check is never written.\n"
                    "Exit: 0 written and valid, 1 the file cannot be imported, 2 usage or I/O error.\n");
        return 0;
    }
    std::string out = take_option(args, "--out");
    bool quiet = take_flag(args, "--quiet") || take_flag(args, "-q");
    for (const std::string& a : args)
        if (a.size() > 1 && a[0] == '-') return usage_error(name, "unknown option '" + a + "'");
    if (args.size() != 1) return usage_error(name, "give exactly one .lss file (usage: teilhabe survey import-lss FILE.lss --out survey.json)");
    if (out.empty()) return usage_error(name, "--out FILE is missing (where to write the survey JSON)");

    const std::string& in = args[0];
    {
        std::ifstream probe(in, std::ios::binary);
        if (!probe) return usage_error(name, in + ": cannot open the file");
    }
    LssImport im = import_lss_file(in);
    for (const std::string& w : im.warnings)
        if (!quiet) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (!im.ok()) {
        std::fprintf(stderr, "teilhabe %s: %s\n", name, im.error.c_str());
        return 1;
    }

    std::string json = survey_to_json(*im.survey);
    // Checked before anything is written: a file this command writes passes `survey check`.
    // (The importer already leaves out, with a warning, whatever the check refuses; this
    // guards against an importer bug.)
    {
        LoadResult pre = parse_survey(json, out);
        if (!pre.ok()) {
            for (const LoadError& e : pre.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
            std::fprintf(stderr, "teilhabe %s: the imported survey does not pass the survey check; nothing written\n", name);
            return 1;
        }
    }
    {
        std::ofstream f(out, std::ios::binary | std::ios::trunc);
        if (!f) return usage_error(name, out + ": cannot write the file");
        f << json;
        f.close();
        if (!f) return usage_error(name, out + ": writing failed (disk full?)");
    }

    // The written file must load as any survey does; if not, that is an importer bug, and
    // the coordinator must not copy the file to a kiosk.
    LoadResult check = load_survey(out);
    for (const std::string& w : check.warnings)
        if (!quiet) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (!check.ok()) {
        for (const LoadError& e : check.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
        std::fprintf(stderr, "teilhabe %s: %s was written but does not load as a survey (%zu error%s); do not use it\n",
                     name, out.c_str(), check.errors.size(), check.errors.size() == 1 ? "" : "s");
        return 1;
    }
    const Survey& s = *check.survey;
    std::string langs;
    for (const std::string& l : s.languages) langs += (langs.empty() ? "" : ",") + l;
    std::printf("ok  %s -> %s  id=%s groups=%zu questions=%zu languages=%s warnings=%zu hash=%s\n", in.c_str(),
                out.c_str(), s.id.c_str(), s.groups.size(), s.all_questions().size(), langs.c_str(),
                im.warnings.size() + check.warnings.size(), s.hash.c_str());
    return 0;
}

static Command import_lss_cmd("survey import-lss", "FILE.lss --out FILE.json",
                              "import a LimeSurvey survey (.lss) for the kiosk", run_import_lss);

} // namespace tk::cli
