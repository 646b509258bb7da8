// paper_desk.cpp - flow of the paper entry and tally screens (see paper_desk.h).
#include "paper_desk.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "sheet_id.h"

namespace tk {

std::string desk_text(const UiTexts* texts, const std::string& lang, const std::string& key,
                      const std::vector<std::pair<std::string, std::string>>& vars) {
    static const UiTexts none;
    return fill(ui_text(texts ? *texts : none, lang, key), vars);
}

// Messages are staff words (UI text keys); "" clears the message.
static void say(PaperDesk& st, const std::string& key, bool error,
                const std::vector<std::pair<std::string, std::string>>& vars = {}) {
    st.message_key = key;
    st.message = key.empty() ? "" : desk_text(st.texts, st.lang, key, vars);
    st.message_is_error = error;
}

// A typed sheet id that parse_sheet_id() refused, said in the staff's words: which of its
// checks failed is found the same way (alphabet, length, check character).
static void say_bad_sheet(PaperDesk& st, const std::string& typed) {
    std::string body;
    bool foreign = false;
    for (char c : typed) {
        if (c == '-' || c == ' ') continue;
        char u = char(std::toupper((unsigned char)c));
        if (!std::strchr(kSheetAlphabet, u) || u == 0) foreign = true;
        body += u;
    }
    const char* key = foreign ? "staff_paper_sheet_char" : body.size() != 10 ? "staff_paper_sheet_length" : "staff_paper_sheet_check";
    say(st, key, true, {{"x", typed}});
}

// The outcome of a submit or resolve in staff words (PaperOutcome::code for refusals).
static void say_outcome(PaperDesk& st, const PaperOutcome& o) {
    const std::string& id = st.entry.sheet_id;
    switch (o.kind) {
    case PaperOutcome::FirstStored: say(st, "staff_paper_first_stored", false, {{"x", id}}); return;
    case PaperOutcome::Differs: say(st, "staff_paper_differs", true, {{"x", id}, {"n", std::to_string(o.diffs.size())}}); return;
    case PaperOutcome::Sealed:
        if (o.durable) say(st, "staff_paper_sealed", false, {{"x", id}, {"r", o.record_id}});
        else say(st, "staff_paper_sealed_pending", true, {{"x", id}, {"r", o.record_id}});
        return;
    case PaperOutcome::Refused: break;
    }
    static const std::map<std::string, std::string> keys = {
        {"sealed", "staff_paper_sealed_already"},   {"sealing", "staff_paper_sealing"},
        {"differs", "staff_paper_differs_third"},   {"same_enterer", "staff_paper_same_enterer"},
        {"other_survey", "staff_paper_other_survey"}, {"wrong_survey", "staff_paper_wrong_survey"},
        {"unresolved", "staff_paper_unresolved"},    {"resolver_entered", "staff_paper_resolver_entered"}};
    auto it = keys.find(o.code);
    if (it != keys.end())
        say(st, it->second, true, {{"x", id}, {"who", o.detail}, {"survey", o.detail}, {"fields", o.detail}});
    else // storage and vault trouble: the technical detail is what the research team needs
        say(st, "staff_paper_refused", true, {{"x", id}, {"detail", o.message}});
}

const char* paper_kind_hint_key(const PaperField& f) {
    switch (f.kind) {
    case PaperFieldKind::One: return "staff_paper_hint_one";
    case PaperFieldKind::Many: return "staff_paper_hint_many";
    case PaperFieldKind::Ranks: return "staff_paper_hint_ranks";
    case PaperFieldKind::Text: return f.numeric ? "staff_paper_hint_number" : f.date ? "staff_paper_hint_date" : "staff_paper_hint_text";
    }
    return "staff_paper_hint_text";
}

// A value set_paper_value() refused: what was typed and what this field takes.
static void say_bad_value(PaperDesk& st, const PaperField& f, const std::string& typed) {
    std::string boxes = f.choices.empty() ? "-" : f.choices.front().number + "–" + f.choices.back().number;
    say(st, "staff_paper_bad_value", true,
        {{"x", typed}, {"hint", desk_text(st.texts, st.lang, paper_kind_hint_key(f), {{"boxes", boxes}, {"n", std::to_string(f.choices.size())}})}});
}

static void start_sheet(PaperDesk& st) {
    st.entry = PaperEntry{};
    st.entry.enterer = st.enterer;
    st.field = 0;
    st.diffs.clear();
    st.diff = 0;
    st.resolution.clear();
    st.resolver.clear();
    st.step = PaperStep::Sheet;
}

// Staff ids as the registry compares them: without surrounding blanks and ASCII case.
static std::string person_key(const std::string& id) {
    size_t a = id.find_first_not_of(' '), b = id.find_last_not_of(' ');
    std::string k = a == std::string::npos ? std::string() : id.substr(a, b - a + 1);
    for (char& c : k) c = char(std::tolower((unsigned char)c));
    return k;
}

void paper_desk_begin(PaperDesk& st, std::shared_ptr<const Survey> survey, PaperRegistry* registry, Vault* vault,
                      const std::string& site, const std::string& event) {
    st = PaperDesk{};
    st.survey = std::move(survey);
    st.registry = registry;
    st.vault = vault;
    st.site = site;
    st.event = event;
    if (st.survey) st.fields = paper_fields(*st.survey);
    st.step = PaperStep::Enterer;
}

const Question* paper_current_question(const PaperDesk& st) {
    if (!st.survey) return nullptr;
    if (st.step == PaperStep::Field && st.field < st.fields.size()) return st.survey->find_question(st.fields[st.field].question);
    if (st.step == PaperStep::Resolve && st.diff < st.diffs.size()) {
        const std::string& k = st.diffs[st.diff].key;
        return st.survey->find_question(k.substr(0, k.find('.')));
    }
    return nullptr;
}

std::string paper_step_name(const PaperDesk& st) {
    switch (st.step) {
    case PaperStep::Enterer: return "PaperEnterer";
    case PaperStep::Sheet: return "PaperSheet";
    case PaperStep::Field: return "PaperField " + (st.field < st.fields.size() ? st.fields[st.field].key : "");
    case PaperStep::Summary: return "PaperSummary";
    case PaperStep::Resolver: return "PaperResolver";
    case PaperStep::Resolve: return "PaperResolve " + (st.diff < st.diffs.size() ? st.diffs[st.diff].key : "");
    case PaperStep::Done: return "PaperDone";
    }
    return "Paper";
}

static void show_outcome(PaperDesk& st, const PaperOutcome& o) {
    st.outcome = o;
    if (o.kind == PaperOutcome::Differs) {
        st.diffs = o.diffs;
        st.diff = 0;
        st.resolution.clear();
        st.step = PaperStep::Resolver;
        say_outcome(st, o);
        return;
    }
    st.step = o.kind == PaperOutcome::Refused ? st.step : PaperStep::Done;
    say_outcome(st, o);
}

bool paper_enter(PaperDesk& st, int64_t now) {
    std::string in = st.input;
    st.generation++;
    if (!st.survey || !st.registry || !st.vault) {
        say(st, "staff_paper_unavailable", true);
        return false;
    }
    switch (st.step) {
    case PaperStep::Enterer: {
        size_t a = in.find_first_not_of(' '), b = in.find_last_not_of(' ');
        if (a == std::string::npos) {
            say(st, "staff_paper_enterer_missing", true);
            return false;
        }
        st.enterer = in.substr(a, b - a + 1);
        st.input.clear();
        start_sheet(st);
        say(st, "", false);
        return true;
    }
    case PaperStep::Sheet: {
        std::string id, err;
        if (!parse_sheet_id(in, id, &err)) {
            say_bad_sheet(st, in);
            return false;
        }
        if (id.substr(0, 2) != sheet_prefix(st.survey->id)) {
            say(st, "staff_paper_wrong_survey", true, {{"x", id}, {"survey", st.survey->id}});
            return false;
        }
        st.input.clear();
        SheetState ss = st.registry->state(id);
        if (ss == SheetState::Sealed || ss == SheetState::Sealing) {
            say(st, "staff_paper_sealed_already", true, {{"x", id}});
            return false;
        }
        st.entry.sheet_id = id;
        if (ss == SheetState::Differs) {
            // Straight to the resolution: the two entries are there already.
            std::vector<PaperDiff> d;
            if (!st.registry->differences(*st.survey, id, d, &err)) {
                say(st, "staff_paper_refused", true, {{"x", id}, {"detail", err}});
                return false;
            }
            st.diffs = d;
            st.diff = 0;
            st.resolution.clear();
            st.step = PaperStep::Resolver;
            say(st, "staff_paper_resolve_now", false, {{"x", id}});
            return true;
        }
        st.field = 0;
        st.step = st.fields.empty() ? PaperStep::Summary : PaperStep::Field;
        say(st, ss == SheetState::FirstEntered ? "staff_paper_second_entry" : "staff_paper_first_entry", false, {{"x", id}});
        return true;
    }
    case PaperStep::Field: {
        std::string err;
        if (!set_paper_value(*st.survey, st.entry, st.fields[st.field].key, in, &err)) {
            say_bad_value(st, st.fields[st.field], in);
            return false;
        }
        say(st, "", false);
        if (++st.field >= st.fields.size()) st.step = PaperStep::Summary;
        auto it = st.entry.values.find(st.step == PaperStep::Field ? st.fields[st.field].key : "");
        st.input = it == st.entry.values.end() ? "" : it->second; // going forward again shows what was typed
        return true;
    }
    case PaperStep::Summary: {
        st.input.clear();
        PaperOutcome o = st.registry->submit(st.survey, st.entry, *st.vault, PaperPlace{st.site, st.event, now});
        show_outcome(st, o);
        return o.kind != PaperOutcome::Refused;
    }
    case PaperStep::Resolver: {
        std::string who = in.substr(0, in.find_last_not_of(' ') + 1);
        who = who.substr(std::min(who.size(), who.find_first_not_of(' ')));
        if (who.empty()) {
            say(st, "staff_paper_resolver_missing", true);
            return false;
        }
        // The person at the desk typed one of the entries; the registry checks the other.
        if (person_key(who) == person_key(st.enterer)) {
            say(st, "staff_paper_resolver_entered", true, {{"x", st.entry.sheet_id}, {"who", who}});
            return false;
        }
        st.resolver = who;
        st.input.clear();
        st.diff = 0;
        st.step = PaperStep::Resolve;
        say(st, "", false);
        return true;
    }
    case PaperStep::Resolve: {
        const PaperDiff& d = st.diffs[st.diff];
        // The typed value must be a valid value of that field before moving on.
        PaperEntry probe;
        std::string err;
        if (!set_paper_value(*st.survey, probe, d.key, in, &err)) {
            const PaperField* f = find_paper_field(st.fields, d.key);
            if (f) say_bad_value(st, *f, in);
            else say(st, "staff_paper_refused", true, {{"x", st.entry.sheet_id}, {"detail", err}});
            return false;
        }
        st.resolution[d.key] = in;
        st.input.clear();
        if (++st.diff < st.diffs.size()) {
            say(st, "", false);
            return true;
        }
        PaperOutcome o = st.registry->resolve(st.survey, st.entry.sheet_id, st.resolution, st.resolver, *st.vault,
                                              PaperPlace{st.site, st.event, now});
        if (o.kind == PaperOutcome::Refused) {
            st.diff = 0;
            if (o.code == "resolver_entered") {
                st.step = PaperStep::Resolver;
                st.resolver.clear();
            }
            say_outcome(st, o);
            return false;
        }
        show_outcome(st, o);
        return true;
    }
    case PaperStep::Done:
        st.input.clear();
        start_sheet(st);
        say(st, "", false);
        return true;
    }
    return false;
}

void paper_back(PaperDesk& st) {
    st.generation++;
    say(st, "", false);
    switch (st.step) {
    case PaperStep::Sheet: st.step = PaperStep::Enterer; st.input = st.enterer; break;
    case PaperStep::Field:
        if (st.field == 0) {
            st.step = PaperStep::Sheet;
            st.input = st.entry.sheet_id;
        } else {
            --st.field;
        }
        break;
    case PaperStep::Summary:
        if (!st.fields.empty()) {
            st.step = PaperStep::Field;
            st.field = st.fields.size() - 1;
        }
        break;
    case PaperStep::Resolver: break;
    case PaperStep::Resolve:
        if (st.diff > 0) --st.diff;
        else st.step = PaperStep::Resolver, st.input = st.resolver;
        break;
    case PaperStep::Done: start_sheet(st); break;
    case PaperStep::Enterer: break;
    }
    if (st.step == PaperStep::Field) {
        auto it = st.entry.values.find(st.fields[st.field].key);
        st.input = it == st.entry.values.end() ? "" : it->second;
    }
    if (st.step == PaperStep::Resolve && st.diff < st.diffs.size()) {
        auto it = st.resolution.find(st.diffs[st.diff].key);
        st.input = it == st.resolution.end() ? "" : it->second;
    }
}

// ---------------------------------------------------------------------------------------

static void tsay(TallyDesk& st, const std::string& key, bool error,
                 const std::vector<std::pair<std::string, std::string>>& vars = {}) {
    st.message_key = key;
    st.message = key.empty() ? "" : desk_text(st.texts, st.lang, key, vars);
    st.message_is_error = error;
}

void tally_desk_begin(TallyDesk& st, std::shared_ptr<const Survey> survey, Vault* vault,
                      const std::string& enterer, const std::string& event, const std::string& place,
                      const std::string& date) {
    st = TallyDesk{};
    st.survey = std::move(survey);
    st.vault = vault;
    st.enterer = enterer;
    st.tally.event = event;
    st.tally.place = place;
    st.tally.date = date;
    st.tally.entered_by = enterer;
    st.step = TallyStep::Event;
    st.input = event;
}

bool tally_enter(TallyDesk& st) {
    std::string in = st.input;
    st.generation++;
    if (!st.survey || !st.vault) {
        tsay(st, "staff_paper_unavailable", true);
        return false;
    }
    auto next = [&](TallyStep s, const std::string& prefill) {
        st.step = s;
        st.input = prefill;
        tsay(st, "", false);
        return true;
    };
    switch (st.step) {
    case TallyStep::Event:
        if (in.empty()) return tsay(st, "staff_tally_event_missing", true), false;
        st.tally.event = in;
        return next(TallyStep::Place, st.tally.place);
    case TallyStep::Place:
        if (in.empty()) return tsay(st, "staff_tally_place_missing", true), false;
        st.tally.place = in;
        return next(TallyStep::Date, st.tally.date);
    case TallyStep::Date: {
        // A first check of the form; check_tally() tests the calendar before sealing.
        int y = 0, m = 0, d = 0;
        char rest = 0;
        if (in.size() != 10 || std::sscanf(in.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3 || m < 1 || m > 12 ||
            d < 1 || d > 31)
            return tsay(st, "staff_tally_bad_date", true), false;
        st.tally.date = in;
        return next(TallyStep::Question, "");
    }
    case TallyStep::Question: {
        const Question* q = st.survey->find_question(in);
        if (!q || !q->has_answer() || q->type == QuestionType::Matrix)
            return tsay(st, "staff_tally_bad_question", true, {{"x", in}}), false;
        st.tally.question = q->code;
        st.tally.counts.clear();
        st.choices.clear();
        if (q->is_closed())
            for (const auto& c : paper_choices(*st.survey, *q))
                if (c.code != kNoAnswerCode) st.choices.push_back(c);
        st.choice = 0;
        return next(TallyStep::Count, "");
    }
    case TallyStep::Count: {
        bool open = st.choices.empty();
        if (!in.empty()) {
            std::string option = open ? in.substr(0, in.rfind('=')) : st.choices[st.choice].code;
            std::string num = open ? (in.rfind('=') == std::string::npos ? "" : in.substr(in.rfind('=') + 1)) : in;
            char* end = nullptr;
            long long n = std::strtoll(num.c_str(), &end, 10);
            if (num.empty() || !end || *end || n < 0 || n > kMaxTallyCount)
                return tsay(st, open ? "staff_tally_bad_theme" : "staff_tally_bad_count", true,
                            {{"x", in}, {"max", std::to_string(kMaxTallyCount)}}), false;
            st.tally.counts.push_back({option, n});
        }
        st.input.clear();
        bool finished = open ? in.empty() : ++st.choice >= st.choices.size();
        if (!finished) return tsay(st, "", false), true;
        std::string err;
        Tally t = st.tally;
        if (t.counts.empty()) {
            st.choice = 0;
            return tsay(st, "staff_tally_no_counts", true), false;
        }
        if (!check_tally(*st.survey, t, &err)) {
            st.tally.counts.clear();
            st.choice = 0;
            return tsay(st, "staff_tally_refused", true, {{"detail", err}}), false;
        }
        AppendResult r = seal_tally(*st.vault, t);
        if (r.record_id.empty()) return tsay(st, "staff_tally_not_saved", true, {{"detail", r.error}}), false;
        st.step = TallyStep::Done;
        tsay(st, r.durable ? "staff_tally_saved" : "staff_tally_saved_pending", !r.durable,
             {{"x", t.question}, {"r", r.record_id}});
        return true;
    }
    case TallyStep::Done:
        st.tally.counts.clear();
        return next(TallyStep::Question, "");
    }
    return false;
}

void tally_back(TallyDesk& st) {
    st.generation++;
    tsay(st, "", false);
    switch (st.step) {
    case TallyStep::Place: st.step = TallyStep::Event; st.input = st.tally.event; break;
    case TallyStep::Date: st.step = TallyStep::Place; st.input = st.tally.place; break;
    case TallyStep::Question: st.step = TallyStep::Date; st.input = st.tally.date; break;
    case TallyStep::Count:
        if (st.choice > 0 && !st.tally.counts.empty() && st.tally.counts.back().option == st.choices[st.choice - 1].code)
            st.tally.counts.pop_back();
        if (st.choice > 0) --st.choice;
        else st.step = TallyStep::Question, st.input = st.tally.question;
        break;
    default: break;
    }
}

} // namespace tk
