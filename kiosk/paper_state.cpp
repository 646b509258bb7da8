// paper_state.cpp - flow of the paper entry and tally screens (see paper_state.h).
#include "paper_state.h"

#include <cstdio>
#include <cstdlib>

#include "sheet_id.h"

namespace tk {

static void say(PaperDeskState& st, const std::string& m, bool error) {
    st.message = m;
    st.message_is_error = error;
}

static void start_sheet(PaperDeskState& st) {
    st.entry = PaperEntry{};
    st.entry.enterer = st.enterer;
    st.field = 0;
    st.diffs.clear();
    st.diff = 0;
    st.resolution.clear();
    st.step = PaperStep::Sheet;
}

void paper_desk_begin(PaperDeskState& st, std::shared_ptr<const Survey> survey, PaperRegistry* registry, Vault* vault,
                      const std::string& site, const std::string& event) {
    st = PaperDeskState{};
    st.survey = std::move(survey);
    st.registry = registry;
    st.vault = vault;
    st.site = site;
    st.event = event;
    if (st.survey) st.fields = paper_fields(*st.survey);
    st.step = PaperStep::Enterer;
}

const Question* paper_current_question(const PaperDeskState& st) {
    if (!st.survey) return nullptr;
    if (st.step == PaperStep::Field && st.field < st.fields.size()) return st.survey->find_question(st.fields[st.field].question);
    if (st.step == PaperStep::Resolve && st.diff < st.diffs.size()) {
        const std::string& k = st.diffs[st.diff].key;
        return st.survey->find_question(k.substr(0, k.find('.')));
    }
    return nullptr;
}

std::string paper_step_name(const PaperDeskState& st) {
    switch (st.step) {
    case PaperStep::Enterer: return "PaperEnterer";
    case PaperStep::Sheet: return "PaperSheet";
    case PaperStep::Field: return "PaperField " + (st.field < st.fields.size() ? st.fields[st.field].key : "");
    case PaperStep::Summary: return "PaperSummary";
    case PaperStep::Resolve: return "PaperResolve " + (st.diff < st.diffs.size() ? st.diffs[st.diff].key : "");
    case PaperStep::Done: return "PaperDone";
    }
    return "Paper";
}

static void show_outcome(PaperDeskState& st, const PaperOutcome& o) {
    st.outcome = o;
    if (o.kind == PaperOutcome::Differs) {
        st.diffs = o.diffs;
        st.diff = 0;
        st.resolution.clear();
        st.step = PaperStep::Resolve;
        say(st, o.message, true);
        return;
    }
    st.step = o.kind == PaperOutcome::Refused ? st.step : PaperStep::Done;
    say(st, o.message, o.kind == PaperOutcome::Refused);
}

bool paper_enter(PaperDeskState& st, int64_t now) {
    std::string in = st.input;
    st.generation++;
    if (!st.survey || !st.registry || !st.vault) {
        say(st, "no survey or vault for paper entry", true);
        return false;
    }
    switch (st.step) {
    case PaperStep::Enterer: {
        size_t a = in.find_first_not_of(' '), b = in.find_last_not_of(' ');
        if (a == std::string::npos) {
            say(st, "Bitte Ihr Kürzel eingeben (wer tippt).", true);
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
            say(st, err, true);
            return false;
        }
        if (id.substr(0, 2) != sheet_prefix(st.survey->id)) {
            say(st, "sheet " + id + " was not printed for survey " + st.survey->id, true);
            return false;
        }
        st.input.clear();
        SheetState ss = st.registry->state(id);
        if (ss == SheetState::Sealed || ss == SheetState::Sealing) {
            say(st, "sheet " + id + " is already entered and sealed; a sheet is entered only once", true);
            return false;
        }
        st.entry.sheet_id = id;
        if (ss == SheetState::Differs) {
            // Straight to the resolution: the two entries are there already.
            std::vector<PaperDiff> d;
            if (!st.registry->differences(*st.survey, id, d, &err)) {
                say(st, err, true);
                return false;
            }
            st.diffs = d;
            st.diff = 0;
            st.resolution.clear();
            st.step = PaperStep::Resolve;
            say(st, "sheet " + id + ": the two entries differ; check each field against the paper", false);
            return true;
        }
        st.field = 0;
        st.step = st.fields.empty() ? PaperStep::Summary : PaperStep::Field;
        say(st, ss == SheetState::FirstEntered ? "second entry of " + id : "first entry of " + id, false);
        return true;
    }
    case PaperStep::Field: {
        std::string err;
        if (!set_paper_value(*st.survey, st.entry, st.fields[st.field].key, in, &err)) {
            say(st, err, true);
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
    case PaperStep::Resolve: {
        const PaperDiff& d = st.diffs[st.diff];
        // The typed value must be a valid value of that field before moving on.
        PaperEntry probe;
        std::string err;
        if (!set_paper_value(*st.survey, probe, d.key, in, &err)) {
            say(st, err, true);
            return false;
        }
        st.resolution[d.key] = in;
        st.input.clear();
        if (++st.diff < st.diffs.size()) {
            say(st, "", false);
            return true;
        }
        PaperOutcome o = st.registry->resolve(st.survey, st.entry.sheet_id, st.resolution, st.enterer, *st.vault,
                                              PaperPlace{st.site, st.event, now});
        if (o.kind == PaperOutcome::Refused) {
            st.diff = 0;
            say(st, o.message, true);
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

void paper_back(PaperDeskState& st) {
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
    case PaperStep::Resolve:
        if (st.diff > 0) --st.diff;
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

static void tsay(TallyDeskState& st, const std::string& m, bool error) {
    st.message = m;
    st.message_is_error = error;
}

void tally_desk_begin(TallyDeskState& st, std::shared_ptr<const Survey> survey, Vault* vault,
                      const std::string& enterer, const std::string& event, const std::string& place,
                      const std::string& date) {
    st = TallyDeskState{};
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

bool tally_enter(TallyDeskState& st) {
    std::string in = st.input;
    st.generation++;
    if (!st.survey || !st.vault) {
        tsay(st, "no survey or vault for tallies", true);
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
        if (in.empty()) return tsay(st, "Bitte die Veranstaltung eingeben.", true), false;
        st.tally.event = in;
        return next(TallyStep::Place, st.tally.place);
    case TallyStep::Place:
        if (in.empty()) return tsay(st, "Bitte den Ort eingeben.", true), false;
        st.tally.place = in;
        return next(TallyStep::Date, st.tally.date);
    case TallyStep::Date: {
        // A first check of the form; check_tally() tests the calendar before sealing.
        int y = 0, m = 0, d = 0;
        char rest = 0;
        if (in.size() != 10 || std::sscanf(in.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3 || m < 1 || m > 12 ||
            d < 1 || d > 31)
            return tsay(st, "Datum bitte als JJJJ-MM-TT, z. B. 2026-06-13.", true), false;
        st.tally.date = in;
        return next(TallyStep::Question, "");
    }
    case TallyStep::Question: {
        const Question* q = st.survey->find_question(in);
        if (!q || !q->has_answer() || q->type == QuestionType::Matrix)
            return tsay(st, "Keine Frage '" + in + "' zum Auszählen (Fragecode wie auf dem Bogen).", true), false;
        st.tally.question = q->code;
        st.tally.counts.clear();
        st.choices.clear();
        if (q->is_closed())
            for (const auto& c : paper_choices(*st.survey, *q))
                if (c.code != kPaperNoAnswer) st.choices.push_back(c);
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
                return tsay(st, open ? "Bitte THEMA=ANZAHL eingeben, z. B. Mehr Bänke=12." : "Bitte eine Anzahl (0 bis 1000000) eingeben.", true), false;
            st.tally.counts.push_back({option, n});
        }
        st.input.clear();
        bool finished = open ? in.empty() : ++st.choice >= st.choices.size();
        if (!finished) return tsay(st, "", false), true;
        std::string err;
        Tally t = st.tally;
        if (!check_tally(*st.survey, t, &err)) {
            st.tally.counts.clear();
            st.choice = 0;
            return tsay(st, err, true), false;
        }
        AppendResult r = seal_tally(*st.vault, t);
        if (r.record_id.empty()) return tsay(st, "Nicht gespeichert: " + r.error, true), false;
        st.step = TallyStep::Done;
        tsay(st, "Auszählung " + t.question + " gespeichert (" + r.record_id + ")" + (r.durable ? "" : " - noch nicht auf Platte"),
             !r.durable);
        return true;
    }
    case TallyStep::Done:
        st.tally.counts.clear();
        return next(TallyStep::Question, "");
    }
    return false;
}

void tally_back(TallyDeskState& st) {
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
