// cmd_paper.cpp - `teilhabe print`, `paper enter|diff|resolve|status`, `tally add|void`.
//
// The terminal side of paper questionnaires, for tests and for offices without a kiosk. The
// kiosk's staff screens call the same library functions (paper_registry.h, tally.h).
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <unistd.h>

#include "command.h"
#include "keys.h"
#include "paper_entry.h"
#include "paper_form.h"
#include "paper_registry.h"
#include "sheet_id.h"
#include "tally.h"
#include "vault.h"

namespace tk::cli {

static int run_print(const Args& in) {
    Args a = in;
    const char* verb = "print";
    std::string lang = take_option(a, "--lang"), out = take_option(a, "--out"), sheets = take_option(a, "--sheets", "1");
    bool large = take_flag(a, "--large"), simplex = take_flag(a, "--simplex"), force = take_flag(a, "--force");
    std::vector<std::string> ids;
    for (std::string id; !(id = take_option(a, "--sheet-id")).empty();) ids.push_back(id);
    if (a.size() != 1 || out.empty())
        return usage_error(verb, "usage: SURVEY --out FORM.pdf [--lang de] [--large] [--simplex] [--force] [--sheets N] "
                                 "[--sheet-id ID]...");
    // A printed batch's sheet ids are on its PDF only: replacing it by accident loses them.
    if (!force && ::access(out.c_str(), F_OK) == 0)
        return usage_error(verb, out + " exists already; choose another --out, or add --force to replace it");
    char* end = nullptr;
    long n = std::strtol(sheets.c_str(), &end, 10);
    if (!end || *end || n < 1) return usage_error(verb, "--sheets must be a whole number of at least 1");
    int rc = 0;
    auto s = load_survey_or_report(verb, a[0], &rc);
    if (!s) return rc;
    PrintOptions opt;
    opt.lang = lang;
    opt.large = large;
    opt.simplex = simplex;
    opt.sheets = int(std::max<long>(n, long(ids.size())));
    opt.sheet_ids = ids;
    PrintResult r;
    if (!print_paper_form(*s, opt, out, r)) return usage_error(verb, r.error);
    for (const auto& id : r.sheet_ids) std::printf("%s\n", id.c_str());
    std::fprintf(stderr, "%s: %zu sheet(s) of %d page(s)%s, %s%s\n", out.c_str(), r.sheet_ids.size(), r.pages_per_sheet,
                 r.blank_pages ? " (last one blank, for double-sided printing)" : "",
                 lang.empty() ? s->original_language().c_str() : lang.c_str(), large ? ", large print" : "");
    return 0;
}

struct Desk {
    std::shared_ptr<const Survey> survey;
    std::unique_ptr<Vault> vault;
    std::unique_ptr<PaperRegistry> reg;
    PaperPlace place;
};

// --data DIR --survey FILE [--site S] [--event E] [--demo-key]
static bool open_desk(const char* verb, Args& a, Desk& d, int* rc) {
    std::string dir = take_option(a, "--data"), survey = take_option(a, "--survey");
    d.place.site = take_option(a, "--site");
    d.place.event = take_option(a, "--event");
    bool demo = take_flag(a, "--demo-key");
    if (dir.empty() || survey.empty()) {
        *rc = usage_error(verb, "missing --data DIR or --survey FILE");
        return false;
    }
    d.survey = load_survey_or_report(verb, survey, rc);
    if (!d.survey) return false;
    VaultOpenOptions o;
    o.allow_demo_key = demo;
    std::string err;
    d.vault = Vault::open(dir, o, &err);
    if (!d.vault) {
        *rc = usage_error(verb, dir + ": " + err);
        return false;
    }
    d.reg = PaperRegistry::open(dir, &err);
    if (!d.reg) {
        *rc = usage_error(verb, err);
        return false;
    }
    d.place.now = (int64_t)std::time(nullptr);
    return true;
}

static void print_diffs(const std::vector<PaperDiff>& diffs) {
    std::printf("  %-24s %-28s %-28s\n", "field", "first entry", "second entry");
    for (const auto& df : diffs)
        std::printf("  %-24s %-28s %-28s\n", df.key.c_str(), df.first.empty() ? "(empty)" : df.first.c_str(),
                    df.second.empty() ? "(empty)" : df.second.c_str());
}

static int run_enter(const Args& in) {
    Args a = in;
    const char* verb = "paper enter";
    Desk d;
    int rc = 0;
    if (!open_desk(verb, a, d, &rc)) return rc;
    if (a.size() > 1) return usage_error(verb, "usage: --data DIR --survey FILE [--site S] [--event E] [FILE|-]");
    std::string src = a.empty() ? "-" : a[0], text, err;
    if (!read_input(src, text, &err)) return usage_error(verb, err);
    std::vector<PaperEntry> entries;
    std::vector<std::string> errors;
    if (!parse_paper_entries(*d.survey, text, src == "-" ? "stdin" : src, entries, &errors)) {
        for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.c_str());
        std::fprintf(stderr, "teilhabe paper enter: nothing entered (fix the lines above first)\n");
        return 1;
    }
    int refused = 0, differ = 0;
    for (const auto& e : entries) {
        PaperOutcome o = d.reg->submit(d.survey, e, *d.vault, d.place);
        const char* tag = o.kind == PaperOutcome::Sealed ? "sealed" : o.kind == PaperOutcome::FirstStored ? "first"
                        : o.kind == PaperOutcome::Differs ? "DIFFERS" : "REFUSED";
        std::printf("%-8s %s\n", tag, o.message.c_str());
        if (o.kind == PaperOutcome::Differs) print_diffs(o.diffs), ++differ;
        if (o.kind == PaperOutcome::Refused) ++refused;
    }
    return refused || differ ? 1 : 0;
}

static int run_diff(const Args& in) {
    Args a = in;
    const char* verb = "paper diff";
    std::string sheet = take_option(a, "--sheet");
    Desk d;
    int rc = 0;
    if (!open_desk(verb, a, d, &rc)) return rc;
    std::string id, err;
    if (!parse_sheet_id(sheet, id, &err)) return usage_error(verb, err);
    std::vector<PaperDiff> diffs;
    if (!d.reg->differences(*d.survey, id, diffs, &err)) return usage_error(verb, err);
    std::printf("sheet %s: %zu difference(s)\n", id.c_str(), diffs.size());
    print_diffs(diffs);
    return 0;
}

static int run_resolve(const Args& in) {
    Args a = in;
    const char* verb = "paper resolve";
    std::string sheet = take_option(a, "--sheet"), by = take_option(a, "--by");
    Desk d;
    int rc = 0;
    if (!open_desk(verb, a, d, &rc)) return rc;
    std::map<std::string, std::string> values;
    for (const auto& kv : a) {
        size_t eq = kv.find('=');
        if (eq == std::string::npos) return usage_error(verb, "'" + kv + "': write FIELD=VALUE (VALUE as on the paper)");
        values[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    PaperOutcome o = d.reg->resolve(d.survey, sheet, values, by, *d.vault, d.place);
    std::printf("%s %s\n", o.kind == PaperOutcome::Sealed ? "sealed " : "REFUSED", o.message.c_str());
    if (!o.diffs.empty()) print_diffs(o.diffs);
    return o.kind == PaperOutcome::Sealed ? 0 : 1;
}

static int run_status(const Args& in) {
    Args a = in;
    Desk d;
    int rc = 0;
    if (!open_desk("paper status", a, d, &rc)) return rc;
    for (const auto& [state, n] : d.reg->counts()) std::printf("%-8s %lld\n", state.c_str(), (long long)n);
    // What is waiting for someone: the sheets to check against the paper, one a line.
    for (const auto& id : d.reg->sheets_in(SheetState::Differs))
        std::printf("differs  %s  (teilhabe paper diff --sheet %s)\n", id.c_str(), id.c_str());
    return 0;
}

static int run_tally(const Args& in) {
    Args a = in;
    const char* verb = "tally add";
    std::string dir = take_option(a, "--data"), survey = take_option(a, "--survey");
    Tally t;
    t.event = take_option(a, "--event");
    t.place = take_option(a, "--place");
    t.date = take_option(a, "--date");
    t.question = take_option(a, "--question");
    t.method = take_option(a, "--method");
    t.entered_by = take_option(a, "--by");
    bool demo = take_flag(a, "--demo-key");
    if (dir.empty() || survey.empty() || a.empty())
        return usage_error(verb, "usage: --data DIR --survey FILE --event E --place P --date YYYY-MM-DD --question Q "
                                 "--method dots|hands|cards [--by NAME] OPTION=COUNT...");
    // How the count was taken decides how it may be read (dots can be given several per person).
    if (t.method.empty())
        return usage_error(verb, "--method is required: how was counted? dots (sticky dots), hands (show of hands), "
                                 "cards, or a word of your own");
    for (const auto& kv : a) {
        size_t eq = kv.rfind('=');
        char* end = nullptr;
        long long n = eq == std::string::npos ? -1 : std::strtoll(kv.c_str() + eq + 1, &end, 10);
        if (eq == std::string::npos || !end || *end || eq + 1 == kv.size())
            return usage_error(verb, "'" + kv + "': write OPTION=COUNT, e.g. 2=23");
        t.counts.push_back({kv.substr(0, eq), n});
    }
    int rc = 0;
    auto s = load_survey_or_report(verb, survey, &rc);
    if (!s) return rc;
    std::string err;
    if (!check_tally(*s, t, &err)) return usage_error(verb, err);
    VaultOpenOptions o;
    o.allow_demo_key = demo;
    auto v = Vault::open(dir, o, &err);
    if (!v) return usage_error(verb, dir + ": " + err);
    AppendResult r = seal_tally(*v, t);
    if (r.record_id.empty()) return usage_error(verb, "the vault did not take the tally: " + r.error);
    std::printf("sealed tally %s (%s, %zu option(s))%s\n", r.record_id.c_str(), t.question.c_str(), t.counts.size(),
                r.durable ? "" : " - NOT YET ON DISK");
    return r.durable ? 0 : 1;
}

// A tally entered wrongly is taken back by a sealed void record, never deleted (tally.h).
static int run_tally_void(const Args& in) {
    Args a = in;
    const char* verb = "tally void";
    std::string dir = take_option(a, "--data"), survey = take_option(a, "--survey");
    std::string id = take_option(a, "--tally"), reason = take_option(a, "--reason"), by = take_option(a, "--by");
    std::string date = take_option(a, "--date");
    bool demo = take_flag(a, "--demo-key");
    if (dir.empty() || survey.empty() || id.empty() || !a.empty())
        return usage_error(verb, "usage: --data DIR --survey FILE --tally RECORD_ID --reason TEXT [--by NAME] "
                                 "[--date YYYY-MM-DD] [--demo-key]");
    if (date.empty()) date = format_utc((int64_t)std::time(nullptr)).substr(0, 10); // today, UTC
    int rc = 0;
    auto s = load_survey_or_report(verb, survey, &rc);
    if (!s) return rc;
    std::string err;
    VaultOpenOptions o;
    o.allow_demo_key = demo;
    auto v = Vault::open(dir, o, &err);
    if (!v) return usage_error(verb, dir + ": " + err);
    Tally t;
    if (!make_tally_void(*v, *s, id, reason, by, date, t, &err)) return usage_error(verb, err);
    AppendResult r = seal_tally(*v, t);
    if (r.record_id.empty()) return usage_error(verb, "the vault did not take the void record: " + r.error);
    std::printf("sealed void record %s: tally %s is void%s\n", r.record_id.c_str(), id.c_str(),
                r.durable ? "" : " - NOT YET ON DISK");
    return r.durable ? 0 : 1;
}

static Command print_cmd("print",
                         "SURVEY --out FORM.pdf [--lang L] [--large] [--simplex] [--force] [--sheets N] [--sheet-id ID]...",
                         "print the survey as an A4 paper form (PDF), each sheet with its own id and QR code; "
                         "sheets padded to an even page count unless --simplex; --force replaces an existing PDF",
                         run_print);
static Command enter_cmd("paper enter", "--data DIR --survey FILE [--site S] [--event E] [--demo-key] [FILE|-]",
                         "double entry of paper sheets from an entry file (see sync/paper/PAPER.md)", run_enter);
static Command diff_cmd("paper diff", "--data DIR --survey FILE --sheet ID",
                        "show the differences of a sheet's two entries side by side", run_diff);
static Command resolve_cmd("paper resolve", "--data DIR --survey FILE --sheet ID --by NAME FIELD=VALUE...",
                           "resolve a sheet's differing fields against the paper and seal it", run_resolve);
static Command status_cmd("paper status", "--data DIR --survey FILE",
                          "sheets by state (first, differs, sealed), then each sheet waiting for resolution",
                          run_status);
static Command tally_cmd("tally add",
                         "--data DIR --survey FILE --event E --place P --date YYYY-MM-DD --question Q --method M [--by NAME] "
                         "OPTION=COUNT...",
                         "seal an event tally (dot voting, show of hands) with channel tally", run_tally);
static Command tally_void_cmd("tally void",
                              "--data DIR --survey FILE --tally RECORD_ID --reason TEXT [--by NAME] [--date YYYY-MM-DD] "
                              "[--demo-key]",
                              "take back a tally entered wrongly: seals a void record naming it and why; reports "
                              "leave the tally out of every count and list it as void",
                              run_tally_void);

} // namespace tk::cli
