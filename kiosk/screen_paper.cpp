// screen_paper.cpp - the paper entry and tally desks (see screen_paper.h).
//
// Staff texts are German only, like the rest of the staff area.
#include "screen_paper.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

namespace tk {

namespace {

void remember(UiState& ui, const std::string& name) {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ui.rects[name] = {a.x, a.y, b.x, b.y};
}

int grow(ImGuiInputTextCallbackData* d) {
    if (d->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* s = static_cast<std::string*>(d->UserData);
        s->resize(size_t(d->BufTextLen));
        d->Buf = s->data();
    }
    return 0;
}

// The one input line. Keeps the keyboard whenever no other control is being used.
// Returns +1 on Enter, -1 on Escape, 0 otherwise.
int input_line(UiState& ui, const char* id, std::string& text, const std::string& name) {
    if (!ImGui::IsAnyItemActive()) ImGui::SetKeyboardFocusHere();
    if (text.capacity() < 64) text.reserve(64);
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
    bool enter = ImGui::InputText(id, text.data(), text.capacity() + 1,
                                  ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackResize, grow, &text);
    remember(ui, name);
    if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) return -1;
    return enter ? 1 : 0;
}

void message(const std::string& m, bool error) {
    if (m.empty()) return;
    ImGui::PushStyleColor(ImGuiCol_Text, error ? IM_COL32(176, 0, 32, 255) : ImGui::GetColorU32(ImGuiCol_Text));
    ImGui::TextWrapped("%s", m.c_str());
    ImGui::PopStyleColor();
}

std::string label_of(const Survey& s, const PaperChoice& c, const std::string& lang) {
    if (c.label) return c.label->get(lang, s.original_language());
    return c.code == kPaperOther ? "andere, und zwar" : "keine Antwort";
}

// What the field is, in words: row text, "andere, und zwar", "Anmerkung", "Zeile 2".
std::string part_label(const Survey& s, const Question& q, const PaperField& f, const std::string& lang) {
    if (f.part.empty()) return "";
    if (f.part == "other") return "Text bei „andere, und zwar“";
    if (f.part == "comment") return "Anmerkung";
    std::string row = f.part.substr(0, f.part.find_first_of("#_"));
    if (const Row* r = q.find_row(row)) {
        std::string t = r->text.get(lang, s.original_language());
        if (f.part.find('#') != std::string::npos) t += " (zweite Skala)";
        if (size_t u = f.part.find('_'); u != std::string::npos && q.type == QuestionType::Matrix)
            if (const Option* o = q.find_option(f.part.substr(u + 1))) t += " – " + o->text.get(lang, s.original_language());
        return t;
    }
    return "Zeile " + f.part;
}

const char* kind_hint(const PaperField& f) {
    switch (f.kind) {
    case PaperFieldKind::One: return "Kästchen-Nummer · ? = unleserlich · ! = mehrfach angekreuzt · leer = nichts angekreuzt";
    case PaperFieldKind::Many: return "alle angekreuzten Nummern, z. B. 1 3 5 · ? = unleserlich · leer = nichts angekreuzt";
    case PaperFieldKind::Ranks: return "die Zahl in jedem Kästchen der Reihe nach, - für leer, z. B. 2 - 1 - · ? unleserlich · ! doppelt";
    case PaperFieldKind::Text: return "so abtippen, wie es dasteht · ? = unleserlich · leer = nichts geschrieben";
    }
    return "";
}

void field_view(const PaperDeskState& st, const PaperField& f) {
    const Survey& s = *st.survey;
    const Question* q = s.find_question(f.question);
    if (!q) return;
    std::string lang = st.entry.language.empty() ? s.original_language() : st.entry.language;
    auto numbers = paper_fields(s, *q);
    ImGui::TextWrapped("%s  %s", q->code.c_str(), q->text.get(lang, s.original_language()).c_str());
    std::string part = part_label(s, *q, f, lang);
    if (!part.empty()) ImGui::TextWrapped("» %s", part.c_str());
    for (const auto& c : f.choices) ImGui::Text("  %3s  %s", c.number.c_str(), label_of(s, c, lang).c_str());
    ImGui::TextDisabled("%s", kind_hint(f));
}

} // namespace

bool draw_paper_desk(PaperDeskState& st, UiState& ui, int64_t now) {
    bool leave = false;
    ui.page_name = paper_step_name(st);
    ImGui::PushID("paper_desk");
    ImGui::TextWrapped("Papierbögen eingeben – %s", st.survey ? st.survey->title.get("de", st.survey->original_language()).c_str() : "");
    std::string where = "Eingabe: " + (st.enterer.empty() ? std::string("-") : st.enterer);
    if (!st.entry.sheet_id.empty()) where += "   ·   Bogen " + st.entry.sheet_id;
    if (st.step == PaperStep::Field) where += "   ·   Feld " + std::to_string(st.field + 1) + " von " + std::to_string(st.fields.size());
    if (st.step == PaperStep::Resolve)
        where += "   ·   Abweichung " + std::to_string(st.diff + 1) + " von " + std::to_string(st.diffs.size());
    ImGui::TextDisabled("%s", where.c_str());
    ImGui::Separator();

    switch (st.step) {
    case PaperStep::Enterer: ImGui::TextWrapped("Ihr Kürzel (wer tippt):"); break;
    case PaperStep::Sheet: ImGui::TextWrapped("Bogen-Nr. (oben rechts auf jeder Seite):"); break;
    case PaperStep::Field: field_view(st, st.fields[st.field]); break;
    case PaperStep::Summary: {
        ImGui::TextWrapped("Alle Felder eingegeben. Enter speichert, Esc geht zurück.");
        ImGui::BeginChild("summary", ImVec2(0, ImGui::GetContentRegionAvail().y * 0.6f), true);
        for (const auto& f : st.fields) {
            auto it = st.entry.values.find(f.key);
            if (it != st.entry.values.end()) ImGui::Text("%-16s %s", f.key.c_str(), it->second.c_str());
        }
        ImGui::EndChild();
        break;
    }
    case PaperStep::Resolve: {
        const PaperDiff& d = st.diffs[st.diff];
        const PaperField* f = find_paper_field(st.fields, d.key);
        if (f) field_view(st, *f);
        if (ImGui::BeginTable("diff", 2, ImGuiTableFlags_Borders)) {
            ImGui::TableSetupColumn("1. Eingabe");
            ImGui::TableSetupColumn("2. Eingabe");
            ImGui::TableHeadersRow();
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", d.first.empty() ? "(leer)" : d.first.c_str());
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", d.second.empty() ? "(leer)" : d.second.c_str());
            ImGui::EndTable();
        }
        ImGui::TextWrapped("Was steht auf dem Papier?");
        break;
    }
    case PaperStep::Done: ImGui::TextWrapped("Enter: nächster Bogen."); break;
    }
    int key = input_line(ui, "##paper", st.input, "paper/input");
    message(st.message, st.message_is_error);
    if (ImGui::Button("Zurück (Esc)")) key = -1;
    remember(ui, "paper/back");
    ImGui::SameLine();
    if (ImGui::Button("Weiter (Enter)")) key = 1;
    remember(ui, "paper/ok");
    ImGui::SameLine();
    if (ImGui::Button("Fertig")) leave = true;
    remember(ui, "paper/leave");
    if (key > 0) paper_enter(st, now);
    if (key < 0) paper_back(st);
    ImGui::PopID();
    return leave;
}

bool draw_tally_desk(TallyDeskState& st, UiState& ui) {
    bool leave = false;
    static const char* names[] = {"TallyEvent", "TallyPlace", "TallyDate", "TallyQuestion", "TallyCount", "TallyDone"};
    ui.page_name = names[int(st.step)];
    ImGui::PushID("tally_desk");
    ImGui::TextWrapped("Auszählung erfassen (Klebepunkte, Handzeichen)");
    ImGui::TextDisabled("%s · %s · %s", st.tally.event.c_str(), st.tally.place.c_str(), st.tally.date.c_str());
    ImGui::Separator();
    const Survey* s = st.survey.get();
    switch (st.step) {
    case TallyStep::Event: ImGui::TextWrapped("Veranstaltung:"); break;
    case TallyStep::Place: ImGui::TextWrapped("Ort:"); break;
    case TallyStep::Date: ImGui::TextWrapped("Datum (JJJJ-MM-TT):"); break;
    case TallyStep::Question: ImGui::TextWrapped("Fragecode (wie auf dem Bogen, z. B. ONLINE):"); break;
    case TallyStep::Count: {
        const Question* q = s ? s->find_question(st.tally.question) : nullptr;
        if (q) ImGui::TextWrapped("%s  %s", q->code.c_str(), q->text.get("de", s->original_language()).c_str());
        for (const auto& c : st.tally.counts) ImGui::Text("  %s: %lld", c.option.c_str(), (long long)c.count);
        if (st.choices.empty())
            ImGui::TextWrapped("Thema=Anzahl eingeben (z. B. Mehr Bänke=12); leere Zeile beendet.");
        else if (s && st.choice < st.choices.size())
            ImGui::TextWrapped("Anzahl für %s %s (leer = überspringen):", st.choices[st.choice].number.c_str(),
                               label_of(*s, st.choices[st.choice], s->original_language()).c_str());
        break;
    }
    case TallyStep::Done: ImGui::TextWrapped("Enter: nächste Frage dieser Veranstaltung."); break;
    }
    int key = input_line(ui, "##tally", st.input, "tally/input");
    message(st.message, st.message_is_error);
    if (ImGui::Button("Zurück (Esc)")) key = -1;
    remember(ui, "tally/back");
    ImGui::SameLine();
    if (ImGui::Button("Weiter (Enter)")) key = 1;
    remember(ui, "tally/ok");
    ImGui::SameLine();
    if (ImGui::Button("Fertig")) leave = true;
    remember(ui, "tally/leave");
    if (key > 0) tally_enter(st);
    if (key < 0) tally_back(st);
    ImGui::PopID();
    return leave;
}

} // namespace tk
