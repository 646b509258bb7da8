// cmd_research.cpp - the researchers' verbs: decrypt, export csv, export vv, report; and
// `vault add`, which puts response files (from `survey walk`, or typed in from paper) into a
// vault as sealed records. See sync/research/RESEARCH.md.
#include <cstdio>
#include <cstdlib>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include "files.h"
#include "export_csv.h"
#include "lss_responses.h"
#include "report.h"
#include "research.h"
#include "vault.h"
#include "command.h"

using namespace tk;
using namespace tk::cli;

static const char* const kDecryptUsage =
    "--key research.key (--store DIR | --bundle FILE | --vault DIR)... --out responses.jsonl [--tallies F] [--force]";

static int run_decrypt(const Args& in) {
    Args a = in;
    const char* verb = "decrypt";
    std::string key_path = take_option(a, "--key"), out = take_option(a, "--out"), tallies_out = take_option(a, "--tallies");
    // Each source option may be given several times (two USB bundles, the store and a bundle);
    // a record held by more than one is read once.
    std::vector<RecordSource> sources;
    for (auto [flag, kind] : {std::pair{"--store", RecordSourceKind::Store}, std::pair{"--bundle", RecordSourceKind::Bundle},
                              std::pair{"--vault", RecordSourceKind::Vault}})
        for (std::string p; !(p = take_option(a, flag)).empty();) sources.push_back({kind, p});
    bool force = take_flag(a, "--force");
    if (key_path.empty() || out.empty() || sources.empty() || !a.empty())
        return usage_error(verb, std::string("usage: ") + kDecryptUsage);
    std::string pass, err;
    if (!research_passphrase(pass, &err)) return usage_error(verb, err);
    ResearchSecretKey key;
    bool loaded = load_research_key(key_path, pass, key, &err);
    sodium_memzero(pass.data(), pass.size());
    if (!loaded) return usage_error(verb, err);

    DecryptResult r = decrypt_sources(sources, key);
    for (const std::string& w : r.warnings) std::fprintf(stderr, "teilhabe decrypt: warning: %s\n", w.c_str());
    if (!r.ok()) return usage_error(verb, r.error);
    for (const RecordProblem& p : r.problems)
        std::fprintf(stderr, "teilhabe decrypt: record %s: %s\n", p.record_id.empty() ? "(unreadable)" : p.record_id.c_str(),
                     p.message.c_str());

    std::string text;
    for (const DecryptedResponse& d : r.responses) text += responses_jsonl_line(d) + "\n";
    // Event tallies go to a file of their own beside the responses ("x.jsonl" -> "x.tallies.jsonl"),
    // so that the exports, which read responses.jsonl, never meet them.
    if (tallies_out.empty()) {
        std::string stem = out.size() > 6 && out.compare(out.size() - 6, 6, ".jsonl") == 0 ? out.substr(0, out.size() - 6) : out;
        tallies_out = stem + ".tallies.jsonl";
    }
    std::string tally_text;
    for (const DecryptedTally& t : r.tallies) tally_text += tallies_jsonl_line(t) + "\n";
    // The answers are in plain text from here on: readable by the owner only.
    if (!write_file_atomic(out, text, 0600, force, &err))
        return usage_error(verb, err + (force ? "" : " (use --force to replace an existing file)"));
    if (!r.tallies.empty() && !write_file_atomic(tallies_out, tally_text, 0600, force, &err))
        return usage_error(verb, err + (force ? "" : " (use --force to replace an existing file)"));
    std::printf("%lld records read, %zu responses written to %s, %zu records could not be opened\n",
                (long long)r.records_seen, r.responses.size(), out.c_str(), r.problems.size());
    if (!r.tallies.empty()) std::printf("%zu event tallies written to %s\n", r.tallies.size(), tallies_out.c_str());
    if (r.duplicates_across_devices)
        std::printf("%lld records carried an answer already read under another record id (see the warnings); "
                    "each answer was written once\n", (long long)r.duplicates_across_devices);
    if (r.duplicates_across_sources)
        std::printf("%lld records were in more than one input; each was read once\n", (long long)r.duplicates_across_sources);
    return r.problems.empty() ? 0 : 1;
}

// Loads the survey and the responses of every file in `ins` (a record read twice is kept once,
// and said so); keeps only responses to this survey and says so.
static bool load_inputs(const char* verb, const std::string& survey_path, const std::vector<std::string>& ins,
                        std::shared_ptr<const Survey>& survey, std::vector<DecryptedResponse>& rs, int* rc) {
    survey = load_survey_or_report(verb, survey_path, rc);
    if (!survey) return false;
    JsonlRead jr;
    std::string err;
    if (!read_responses_jsonl_files(ins, jr, &err)) {
        *rc = usage_error(verb, err);
        return false;
    }
    for (const std::string& e : jr.errors) std::fprintf(stderr, "teilhabe %s: %s\n", verb, e.c_str());
    if (jr.duplicates)
        std::fprintf(stderr, "teilhabe %s: %zu records were in the input more than once; each is kept once\n", verb, jr.duplicates);
    size_t other = 0, other_version = 0;
    for (DecryptedResponse& d : jr.responses) {
        if (d.response.survey_id != survey->id) {
            other++;
            continue;
        }
        if (d.response.survey_hash != survey->hash) other_version++;
        rs.push_back(std::move(d));
    }
    if (other)
        std::fprintf(stderr, "teilhabe %s: %zu responses belong to another survey than '%s' and are left out\n", verb, other,
                     survey->id.c_str());
    if (other_version)
        std::fprintf(stderr, "teilhabe %s: %zu responses were given to another version of '%s' (different hash); "
                     "they are included, check the codebook against that version\n", verb, other_version, survey->id.c_str());
    *rc = jr.errors.empty() ? 0 : 1;
    return true;
}
static bool load_inputs(const char* verb, const std::string& survey_path, const std::string& in_path,
                        std::shared_ptr<const Survey>& survey, std::vector<DecryptedResponse>& rs, int* rc) {
    return load_inputs(verb, survey_path, std::vector<std::string>{in_path}, survey, rs, rc);
}

static const char* const kCsvUsage =
    "--survey S.json --in responses.jsonl [--in more.jsonl ...] --out data.csv [--codebook cb.md|cb.csv] "
    "[--sep ,|;|tab] [--bom] [--excel-de] [--skipped X] [--not-shown X] [--not-reached X] [--no-answer X] "
    "[--illegible X] [--multiple X] [--force]";

static int run_export_csv(const Args& in) {
    Args a = in;
    const char* verb = "export csv";
    std::string survey_path = take_option(a, "--survey"), out = take_option(a, "--out");
    std::vector<std::string> ins;
    for (std::string p; !(p = take_option(a, "--in")).empty();) ins.push_back(p);
    std::string codebook = take_option(a, "--codebook"), sep = take_option(a, "--sep");
    CsvOptions opt;
    if (take_flag(a, "--excel-de")) set_excel_de(opt); // first: the options below override it
    opt.bom = take_flag(a, "--bom") || opt.bom;
    opt.skipped = take_option(a, "--skipped", opt.skipped);
    opt.not_shown = take_option(a, "--not-shown", opt.not_shown);
    opt.not_reached = take_option(a, "--not-reached", opt.not_reached);
    opt.no_answer = take_option(a, "--no-answer", opt.no_answer);
    opt.illegible = take_option(a, "--illegible", opt.illegible);
    opt.multiple = take_option(a, "--multiple", opt.multiple);
    bool force = take_flag(a, "--force");
    if (sep == "tab" || sep == "\\t") sep = "\t";
    if (survey_path.empty() || ins.empty() || out.empty() || !a.empty())
        return usage_error(verb, std::string("usage: ") + kCsvUsage);
    if (!sep.empty() && sep != "," && sep != ";" && sep != "\t")
        return usage_error(verb, "--sep '" + sep + "': the separator is one of , ; tab");
    if (!sep.empty()) opt.separator = sep[0];
    std::shared_ptr<const Survey> s;
    std::vector<DecryptedResponse> rs;
    int rc = 0;
    if (!load_inputs(verb, survey_path, ins, s, rs, &rc)) return rc;
    std::string err;
    if (!write_file_atomic(out, export_csv(*s, rs, opt), 0600, force, &err)) return usage_error(verb, err);
    if (!codebook.empty()) {
        bool md = codebook.size() < 4 || codebook.compare(codebook.size() - 4, 4, ".csv") != 0;
        if (!write_file_atomic(codebook, export_codebook(*s, opt, md), 0644, force, &err)) return usage_error(verb, err);
    }
    std::printf("%zu responses written to %s%s\n", rs.size(), out.c_str(), codebook.empty() ? "" : (", codebook " + codebook).c_str());
    return rc;
}

static int run_export_vv(const Args& in) {
    Args a = in;
    const char* verb = "export vv";
    std::string survey_path = take_option(a, "--survey"), in_path = take_option(a, "--in"), out = take_option(a, "--out");
    bool force = take_flag(a, "--force");
    if (survey_path.empty() || in_path.empty() || out.empty() || !a.empty())
        return usage_error(verb, "usage: --survey S.json --in responses.jsonl --out data.vv [--force]");
    std::shared_ptr<const Survey> s;
    std::vector<DecryptedResponse> rs;
    int rc = 0;
    if (!load_inputs(verb, survey_path, in_path, s, rs, &rc)) return rc;
    std::vector<Response> plain;
    for (const DecryptedResponse& d : rs) plain.push_back(d.response);
    std::string err;
    if (!write_file_atomic(out, export_vv(responses_to_vv(*s, plain)), 0600, force, &err)) return usage_error(verb, err);
    std::printf("%zu responses written to %s (LimeSurvey: Responses > Import > VV survey file)\n", rs.size(), out.c_str());
    return rc;
}

static int run_report(const Args& in) {
    Args a = in;
    const char* verb = "report";
    std::string survey_path = take_option(a, "--survey"), in_path = take_option(a, "--in"), out = take_option(a, "--out");
    std::string tallies_path = take_option(a, "--tallies");
    ReportOptions opt;
    opt.channel = take_option(a, "--channel");
    opt.site = take_option(a, "--site");
    opt.language = take_option(a, "--lang");
    opt.event = take_option(a, "--event");
    opt.status = take_flag(a, "--complete") ? "complete" : "";
    if (take_flag(a, "--partial")) opt.status = opt.status.empty() ? "partial" : "both";
    opt.title = take_option(a, "--title");
    std::vector<std::string> crosstabs;
    for (std::string x; !(x = take_option(a, "--crosstab")).empty();) crosstabs.push_back(x);
    for (std::string x; !(x = take_option(a, "--by")).empty();) {
        if (x != "site" && x != "channel" && x != "event" && x != "language" && x != "status")
            return usage_error(verb, "--by '" + x + "': break down by site, channel, event, language or status");
        opt.by.push_back(x);
    }
    bool force = take_flag(a, "--force");
    if (survey_path.empty() || in_path.empty() || out.empty() || !a.empty() || opt.status == "both")
        return usage_error(verb, "usage: --survey S.json --in responses.jsonl [--tallies tallies.jsonl] --out report.html "
                                 "[--channel C] [--site S] [--lang L] [--event E] [--complete | --partial] "
                                 "[--crosstab Q1,Q2]... [--by site|channel|event|language]... [--title T] [--force]");
    std::shared_ptr<const Survey> s;
    std::vector<DecryptedResponse> rs;
    int rc = 0;
    if (!load_inputs(verb, survey_path, in_path, s, rs, &rc)) return rc;
    for (const std::string& x : crosstabs) {
        size_t comma = x.find(',');
        std::string rows = x.substr(0, comma), cols = comma == std::string::npos ? "" : x.substr(comma + 1);
        if (rows.empty() || cols.empty() || cols.find(',') != std::string::npos)
            return usage_error(verb, "--crosstab '" + x + "': give two questions as ROWS,COLUMNS, e.g. --crosstab C1,G3");
        for (const std::string& id : {rows, cols}) {
            std::string why = report_crosstab_problem(*s, id);
            if (!why.empty())
                return usage_error(verb, "--crosstab " + x + ": " + why +
                                             " (single choice, yes/no, rating, ranking ranks and matrix rows can be crossed, "
                                             "and with channel, site, language, event or status)");
        }
        opt.crosstabs.push_back({rows, cols});
    }
    std::string err;
    std::vector<DecryptedTally> ts;
    if (!tallies_path.empty()) {
        TallyJsonlRead tr;
        if (!read_tallies_jsonl(tallies_path, tr, &err)) return usage_error(verb, err);
        for (const std::string& e : tr.errors) std::fprintf(stderr, "teilhabe %s: %s\n", verb, e.c_str());
        if (!tr.errors.empty()) rc = 1;
        size_t other = 0;
        for (DecryptedTally& t : tr.tallies) {
            if (t.tally.survey_id != s->id) other++;
            else ts.push_back(std::move(t));
        }
        if (other)
            std::fprintf(stderr, "teilhabe %s: %zu tallies belong to another survey than '%s' and are left out\n", verb, other,
                         s->id.c_str());
    }
    // A filter that keeps nothing is a typing error far more often than a finding: say so, and
    // write no page of zeros that could be taken for a result.
    size_t kept = 0;
    for (const DecryptedResponse& d : rs) kept += report_keeps(d.response, opt);
    if (report_filtered(opt) && kept == 0) {
        std::fprintf(stderr,
                     "teilhabe %s: no response of %zu in %s matches the filter (--channel '%s' --site '%s' --lang '%s' "
                     "--event '%s'%s); check the spelling against the data (e.g. with export csv); %s not written\n",
                     verb, rs.size(), in_path.c_str(), opt.channel.c_str(), opt.site.c_str(), opt.language.c_str(),
                     opt.event.c_str(), opt.status.empty() ? "" : (" --" + opt.status).c_str(), out.c_str());
        return 1;
    }
    if (!write_file_atomic(out, render_report(*s, rs, ts, opt), 0600, force, &err)) return usage_error(verb, err);
    std::printf("report of %zu responses%s written to %s\n", kept,
                ts.empty() ? "" : (" and " + std::to_string(ts.size()) + " event tallies").c_str(), out.c_str());
    return rc;
}

// `vault add --data DIR FILE...`: each FILE holds one response as JSON ("-" = stdin).
static int run_vault_add(const Args& in) {
    Args a = in;
    const char* verb = "vault add";
    std::string dir = take_option(a, "--data");
    if (dir.empty() || a.empty()) return usage_error(verb, "usage: --data DIR FILE... (one response JSON per file, - = stdin)");
    std::vector<Response> rs;
    for (const std::string& f : a) {
        std::string text, err;
        if (!read_input(f, text, &err)) return usage_error(verb, err);
        Response r;
        if (!parse_response(text, r, &err)) return usage_error(verb, (f == "-" ? "stdin" : f) + ": " + err);
        rs.push_back(std::move(r));
    }
    // Everything is read and checked before the first record is written. The directory must
    // be a kiosk's: a vault, or at least the research team's research.pub placed there, so a
    // typo in --data never starts a stray vault with its own device key.
    std::string err;
    if (access((dir + "/vault.sqlite").c_str(), F_OK) != 0 && access((dir + "/research.pub").c_str(), F_OK) != 0)
        return usage_error(verb, dir + ": neither a vault nor a research.pub here");
    auto v = Vault::open(dir, VaultOpenOptions{}, &err);
    if (!v) return usage_error(verb, dir + ": " + err);
    for (const Response& r : rs) {
        AppendResult res = v->append_response(r);
        if (!res.durable) {
            std::fprintf(stderr, "teilhabe vault add: %s: not durable: %s\n", res.record_id.c_str(), res.error.c_str());
            return 1;
        }
        std::printf("%s\n", res.record_id.c_str());
    }
    return 0;
}

static Command decrypt_cmd("decrypt", kDecryptUsage,
                           "open sealed records with the research key (sources repeatable, a record read once); "
                           "bad records are listed, the rest still opened", run_decrypt);
static Command csv_cmd("export csv", kCsvUsage,
                       "responses as CSV (LimeSurvey-style headings) with a codebook; --excel-de = --sep ';' --bom and "
                       "decimal comma; missing codes: skipped \"\", not shown (hidden by a condition) NA, not reached "
                       "(a partial response ended before it) NR, keine Antwort KA, illegible -ill-, multiple -mult-",
                       run_export_csv);
static Command vv_cmd("export vv", "--survey S.json --in responses.jsonl --out data.vv",
                      "responses as a LimeSurvey VV file for 'Import a VV survey file'", run_export_vv);
static Command report_cmd("report",
                          "--survey S.json --in responses.jsonl [--tallies F] --out report.html [--channel C --site S --lang L "
                          "--event E --complete|--partial --crosstab Q1,Q2 --by site|channel|event|language --title T --force]",
                          "one self-contained HTML page: n, counts, % with 95 % intervals and bars per question, "
                          "free texts, cross-tables with chi² (also by channel, site, language, event, status); --by SIDE: "
                          "every closed question broken down by it (counts, column % with intervals)",
                          run_report);
static Command add_cmd("vault add", "--data DIR FILE...", "seal response files (survey walk, paper entry) into a kiosk's vault",
                       run_vault_add);
