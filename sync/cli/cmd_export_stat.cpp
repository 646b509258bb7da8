// cmd_export_stat.cpp - `teilhabe export sav`, `export dta` and `export ddi`: the responses as
// an SPSS or Stata file and their DDI-Codebook 2.5 description (sync/research/export_stat.h,
// export_ddi.h). Inputs as `export csv`: the survey file and one or more responses.jsonl
// (`--in` repeated; a record id met twice is kept once). See sync/research/RESEARCH.md.
#include <cstdio>
#include <set>

#include "export_ddi.h"
#include "export_stat.h"
#include "files.h"
#include "research.h"
#include "command.h"

using namespace tk;
using namespace tk::cli;

static const char* const kUsageData = "--survey S.json --in responses.jsonl [--in more.jsonl ...] --out FILE "
                                      "[--codebook cb.md] [--allow-other-version] [--force]";
static const char* const kUsageDdi = "--survey S.json --in responses.jsonl [--in more.jsonl ...] --out codebook.xml "
                                     "[--names sav|dta] [--data-file NAME] [--allow-other-version] [--force]";

// Reads every --in, keeps the responses to this survey (a record id once), and refuses
// responses to another version of it unless allowed: their codes may mean something else.
static bool load_stat_inputs(const char* verb, const std::string& survey_path, const std::vector<std::string>& ins,
                             bool allow_other_version, std::shared_ptr<const Survey>& survey,
                             std::vector<DecryptedResponse>& rs, int* rc) {
    survey = load_survey_or_report(verb, survey_path, rc);
    if (!survey) return false;
    *rc = 0;
    size_t other = 0;
    std::set<std::string> other_ids, other_hashes;
    JsonlRead jr;
    std::string err;
    if (!read_responses_jsonl_files(ins, jr, &err)) {
        *rc = usage_error(verb, err);
        return false;
    }
    for (const std::string& e : jr.errors) std::fprintf(stderr, "teilhabe %s: %s\n", verb, e.c_str());
    if (!jr.errors.empty()) *rc = 1;
    size_t read = jr.responses.size() + jr.duplicates;
    for (DecryptedResponse& d : jr.responses) {
        if (d.response.survey_id != survey->id) {
            other++;
            other_ids.insert(d.response.survey_id);
            continue;
        }
        if (d.response.survey_hash != survey->hash) other_hashes.insert(d.response.survey_hash);
        rs.push_back(std::move(d));
    }
    if (other) {
        std::string ids;
        for (const std::string& i : other_ids) ids += (ids.empty() ? "'" : ", '") + i + "'";
        std::fprintf(stderr, "teilhabe %s: %zu responses belong to other surveys (%s) than '%s' and are left out\n", verb, other,
                     ids.c_str(), survey->id.c_str());
    }
    if (jr.duplicates)
        std::fprintf(stderr, "teilhabe %s: %zu records were in the input more than once; each is kept once\n", verb, jr.duplicates);
    if (read > 0 && rs.empty()) {
        *rc = usage_error(verb, "none of the " + std::to_string(read) + " responses belongs to survey '" + survey->id + "' (" +
                                    survey_path + "); give the survey file they were answered with");
        return false;
    }
    if (!other_hashes.empty() && !allow_other_version) {
        *rc = usage_error(verb, "responses were given to another version of '" + survey->id + "' (hash " + *other_hashes.begin() +
                                    ", the survey file " + survey_path + " has " + survey->hash +
                                    "); their codes may differ. Export each version with its own survey file, "
                                    "or give --allow-other-version to label them with this one");
        return false;
    }
    if (!other_hashes.empty())
        std::fprintf(stderr, "teilhabe %s: responses to another version of '%s' are labelled with this version's texts\n", verb,
                     survey->id.c_str());
    return true;
}

struct StatArgs {
    std::string survey, out, codebook, names = "sav", data_file;
    std::vector<std::string> ins;
    bool force = false, allow_other = false;
};

static bool take_stat_args(Args& a, StatArgs& o, bool ddi) {
    o.survey = take_option(a, "--survey");
    o.out = take_option(a, "--out");
    for (std::string in; !(in = take_option(a, "--in")).empty();) o.ins.push_back(in);
    if (ddi) {
        o.names = take_option(a, "--names", "sav");
        o.data_file = take_option(a, "--data-file");
    } else {
        o.codebook = take_option(a, "--codebook");
    }
    o.force = take_flag(a, "--force");
    o.allow_other = take_flag(a, "--allow-other-version");
    return !o.survey.empty() && !o.out.empty() && !o.ins.empty() && a.empty() && (o.names == "sav" || o.names == "dta");
}

static int run_stat(const Args& in, StatFormat f) {
    Args a = in;
    const char* verb = f == StatFormat::Sav ? "export sav" : "export dta";
    StatArgs o;
    if (!take_stat_args(a, o, false)) return usage_error(verb, std::string("usage: ") + kUsageData);
    std::shared_ptr<const Survey> s;
    std::vector<DecryptedResponse> rs;
    int rc = 0;
    if (!load_stat_inputs(verb, o.survey, o.ins, o.allow_other, s, rs, &rc)) return rc;
    StatTable t = stat_table(*s, rs, f);
    for (const std::string& w : t.warnings) std::fprintf(stderr, "teilhabe %s: warning: %s\n", verb, w.c_str());
    std::string err;
    if (!write_stat_file(*s, t, f, o.out, o.force, &err))
        return usage_error(verb, err + (err.find("exists already") != std::string::npos ? " (use --force to replace it)" : ""));
    if (!o.codebook.empty() && !write_file_atomic(o.codebook, stat_codebook(*s, t, f), 0644, o.force, &err))
        return usage_error(verb, err);
    std::printf("%zu responses, %zu variables written to %s%s\n", t.rows.size(), t.vars.size(), o.out.c_str(),
                o.codebook.empty() ? "" : (", codebook " + o.codebook).c_str());
    return rc;
}

static int run_sav(const Args& in) { return run_stat(in, StatFormat::Sav); }
static int run_dta(const Args& in) { return run_stat(in, StatFormat::Dta); }

static int run_ddi(const Args& in) {
    Args a = in;
    const char* verb = "export ddi";
    StatArgs o;
    if (!take_stat_args(a, o, true)) return usage_error(verb, std::string("usage: ") + kUsageDdi);
    StatFormat f = o.names == "dta" ? StatFormat::Dta : StatFormat::Sav;
    std::shared_ptr<const Survey> s;
    std::vector<DecryptedResponse> rs;
    int rc = 0;
    if (!load_stat_inputs(verb, o.survey, o.ins, o.allow_other, s, rs, &rc)) return rc;
    StatTable t = stat_table(*s, rs, f);
    std::string err;
    if (!write_file_atomic(o.out, export_ddi(*s, t, f, o.data_file), 0644, o.force, &err))
        return usage_error(verb, err + (o.force ? "" : " (use --force to replace an existing file)"));
    std::printf("DDI codebook of %zu variables (%zu responses) written to %s\n", t.vars.size(), t.rows.size(), o.out.c_str());
    return rc;
}

static Command sav_cmd("export sav", kUsageData, "responses as an SPSS file: labels, value labels, declared missing values",
                       run_sav);
static Command dta_cmd("export dta", kUsageData, "responses as a Stata 14 file: labels, value labels, missing .a .. .e",
                       run_dta);
static Command ddi_cmd("export ddi", kUsageDdi, "DDI-Codebook 2.5 XML of the variables of export sav / dta", run_ddi);
