// paper_desk_screen.cpp - the paper entry and tally desks (see paper_desk_screen.h).
//
// Staff words come from assets/ui-texts.json (staff_paper_*, staff_tally_*, staff_desk_*)
// through the desk's texts; box labels use the printed form's own words (form_text).
#include "paper_desk_screen.h"
#include "paper_form.h"
#include "staff_widgets.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

namespace tk {

namespace {

// The one input line. Keeps the keyboard whenever no other control is being used.
// Returns +1 on Enter, -1 on Escape, 0 otherwise.
int input_line(UiState& ui, const char* id, std::string& text, const std::string& name) {
    if (!ImGui::IsAnyItemActive()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
    bool enter = staff_input_text(id, text, ImGuiInputTextFlags_EnterReturnsTrue);
    staff_remember(ui, name);
    if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) return -1;
    return enter ? 1 : 0;
}

void message(const std::string& m, bool error) {
    staff_text(m, error ? IM_COL32(176, 0, 32, 255) : ImGui::GetColorU32(ImGuiCol_Text));
}

template <class Desk>
std::string W(const Desk& st, const std::string& key, const std::vector<std::pair<std::string, std::string>>& vars = {}) {
    return desk_text(st.texts, st.lang, key, vars);
}

// A box's label; "andere, und zwar" and "keine Antwort" in the words printed on the form.
std::string label_of(const Survey& s, const PaperChoice& c, const std::string& lang) {
    if (c.label) return c.label->get(lang, s.original_language());
    return form_text(lang, c.code == kOtherCode ? "other" : "no_answer");
}

// What the field is, in words: row text, "andere, und zwar", "Anmerkung", "Zeile 2".
std::string part_label(const PaperDesk& st, const Question& q, const PaperField& f, const std::string& lang) {
    const Survey& s = *st.survey;
    if (f.part.empty()) return "";
    if (f.part == "other") return W(st, "staff_paper_part_other");
    if (f.part == "comment") return W(st, "staff_paper_part_comment");
    std::string row = f.part.substr(0, f.part.find_first_of("#_"));
    if (const Row* r = q.find_row(row)) {
        std::string t = r->text.get(lang, s.original_language());
        if (f.part.find('#') != std::string::npos) t += " " + W(st, "staff_paper_part_scale2");
        if (size_t u = f.part.find('_'); u != std::string::npos && q.type == QuestionType::Matrix)
            if (const Option* o = q.find_option(f.part.substr(u + 1))) t += " – " + o->text.get(lang, s.original_language());
        return t;
    }
    return W(st, "staff_paper_part_row", {{"x", f.part}});
}

std::string kind_hint(const PaperDesk& st, const PaperField& f) {
    std::string boxes = f.choices.empty() ? "-" : f.choices.front().number + "–" + f.choices.back().number;
    return W(st, paper_kind_hint_key(f), {{"boxes", boxes}, {"n", std::to_string(f.choices.size())}});
}

void field_view(const PaperDesk& st, const PaperField& f) {
    const Survey& s = *st.survey;
    const Question* q = s.find_question(f.question);
    if (!q) return;
    std::string lang = st.entry.language.empty() ? s.original_language() : st.entry.language;
    auto numbers = paper_fields(s, *q);
    staff_text(q->code + "  " + q->text.get(lang, s.original_language()));
    std::string part = part_label(st, *q, f, lang);
    if (!part.empty()) staff_text("» " + part);
    for (const auto& c : f.choices) staff_text("  " + std::string(c.number.size() < 3 ? 3 - c.number.size() : 0, ' ') + c.number + "  " + label_of(s, c, lang));
    ImGui::TextDisabled("%s", kind_hint(st, f).c_str());
}

} // namespace

bool draw_paper_desk(PaperDesk& st, UiState& ui, int64_t now) {
    bool leave = false;
    ui.page_name = paper_step_name(st);
    ImGui::PushID("paper_desk");
    staff_text(W(st, "staff_paper_title", {{"x", st.survey ? st.survey->title.get(st.lang, st.survey->original_language()) : ""}}));
    std::string where = W(st, "staff_paper_where_enterer", {{"x", st.enterer.empty() ? std::string("-") : st.enterer}});
    if (!st.entry.sheet_id.empty()) where += "   ·   " + W(st, "staff_paper_where_sheet", {{"x", st.entry.sheet_id}});
    if (st.step == PaperStep::Field)
        where += "   ·   " + W(st, "staff_paper_where_field", {{"n", std::to_string(st.field + 1)}, {"m", std::to_string(st.fields.size())}});
    if (st.step == PaperStep::Resolve)
        where += "   ·   " + W(st, "staff_paper_where_diff", {{"n", std::to_string(st.diff + 1)}, {"m", std::to_string(st.diffs.size())}});
    ImGui::TextDisabled("%s", where.c_str());
    ImGui::Separator();

    switch (st.step) {
    case PaperStep::Enterer: staff_text(W(st, "staff_paper_ask_enterer")); break;
    case PaperStep::Sheet: staff_text(W(st, "staff_paper_ask_sheet")); break;
    case PaperStep::Field: field_view(st, st.fields[st.field]); break;
    case PaperStep::Summary: {
        staff_text(W(st, "staff_paper_summary"));
        ImGui::BeginChild("summary", ImVec2(0, ImGui::GetContentRegionAvail().y * 0.6f), true);
        for (const auto& f : st.fields) {
            auto it = st.entry.values.find(f.key);
            if (it != st.entry.values.end()) staff_text(f.key + std::string(f.key.size() < 16 ? 16 - f.key.size() : 0, ' ') + " " + it->second);
        }
        ImGui::EndChild();
        break;
    }
    case PaperStep::Resolver:
        staff_text(W(st, "staff_paper_ask_resolver", {{"n", std::to_string(st.diffs.size())}}));
        break;
    case PaperStep::Resolve: {
        const PaperDiff& d = st.diffs[st.diff];
        const PaperField* f = find_paper_field(st.fields, d.key);
        if (f) field_view(st, *f);
        if (ImGui::BeginTable("diff", 2, ImGuiTableFlags_Borders)) {
            ImGui::TableSetupColumn(W(st, "staff_paper_first").c_str());
            ImGui::TableSetupColumn(W(st, "staff_paper_second").c_str());
            ImGui::TableHeadersRow();
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            staff_text(d.first.empty() ? W(st, "staff_paper_empty").c_str() : d.first);
            ImGui::TableNextColumn();
            staff_text(d.second.empty() ? W(st, "staff_paper_empty").c_str() : d.second);
            ImGui::EndTable();
        }
        staff_text(W(st, "staff_paper_ask_paper"));
        break;
    }
    case PaperStep::Done: staff_text(W(st, "staff_paper_next_sheet")); break;
    }
    int key = input_line(ui, "##paper", st.input, "paper/input");
    message(st.message, st.message_is_error);
    if (ImGui::Button(W(st, "staff_desk_back").c_str())) key = -1;
    staff_remember(ui, "paper/back");
    ImGui::SameLine();
    if (ImGui::Button(W(st, "staff_desk_ok").c_str())) key = 1;
    staff_remember(ui, "paper/ok");
    ImGui::SameLine();
    if (ImGui::Button(W(st, "staff_desk_leave").c_str())) leave = true;
    staff_remember(ui, "paper/leave");
    if (key > 0) paper_enter(st, now);
    if (key < 0) paper_back(st);
    ImGui::PopID();
    return leave;
}

bool draw_tally_desk(TallyDesk& st, UiState& ui) {
    bool leave = false;
    static const char* names[] = {"TallyEvent", "TallyPlace", "TallyDate", "TallyQuestion", "TallyCount", "TallyDone"};
    ui.page_name = names[int(st.step)];
    ImGui::PushID("tally_desk");
    staff_text(W(st, "staff_tally_title"));
    staff_hint(st.tally.event + " · " + st.tally.place + " · " + st.tally.date);
    ImGui::Separator();
    const Survey* s = st.survey.get();
    switch (st.step) {
    case TallyStep::Event: staff_text(W(st, "staff_tally_ask_event")); break;
    case TallyStep::Place: staff_text(W(st, "staff_tally_ask_place")); break;
    case TallyStep::Date: staff_text(W(st, "staff_tally_ask_date")); break;
    case TallyStep::Question: staff_text(W(st, "staff_tally_ask_question")); break;
    case TallyStep::Count: {
        const Question* q = s ? s->find_question(st.tally.question) : nullptr;
        if (q) staff_text(q->code + "  " + q->text.get(st.lang, s->original_language()));
        for (const auto& c : st.tally.counts) staff_text("  " + c.option + ": " + std::to_string(c.count));
        if (st.choices.empty())
            staff_text(W(st, "staff_tally_ask_theme"));
        else if (s && st.choice < st.choices.size())
            staff_text(W(st, "staff_tally_ask_count",
                         {{"n", st.choices[st.choice].number}, {"x", label_of(*s, st.choices[st.choice], st.lang)}}));
        break;
    }
    case TallyStep::Done: staff_text(W(st, "staff_tally_next")); break;
    }
    int key = input_line(ui, "##tally", st.input, "tally/input");
    message(st.message, st.message_is_error);
    if (ImGui::Button(W(st, "staff_desk_back").c_str())) key = -1;
    staff_remember(ui, "tally/back");
    ImGui::SameLine();
    if (ImGui::Button(W(st, "staff_desk_ok").c_str())) key = 1;
    staff_remember(ui, "tally/ok");
    ImGui::SameLine();
    if (ImGui::Button(W(st, "staff_desk_leave").c_str())) leave = true;
    staff_remember(ui, "tally/leave");
    if (key > 0) tally_enter(st);
    if (key < 0) tally_back(st);
    ImGui::PopID();
    return leave;
}

} // namespace tk
