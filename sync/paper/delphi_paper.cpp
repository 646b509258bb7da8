// delphi_paper.cpp - the notes of a Delphi round's paper form and printing one form per code.
//
// A note holds, per item of the question (a matrix has one per row): a line "Ergebnis der
// Gruppe in Stufe 1" with n and the measures the survey asks for (delphi.items[].feedback),
// one bar per category with its count, and on a personal form "Ihre Antwort in Stufe 1: …"
// with the category's bar marked. The words are German, like the study's questionnaires.
#include "delphi_paper.h"

#include <cstdio>
#include <map>
#include <set>

namespace tk {

static std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.2f", v);
    std::string s = b;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    for (char& c : s)
        if (c == '.') c = ','; // German decimal comma, as the study's report prints them
    return s;
}

// The words of an option code of the item's scale; the code itself when the scale lacks it.
static std::string label_of(const Survey& s, const std::vector<Option>* scale, const std::string& code,
                            const std::string& lang) {
    if (scale)
        for (const Option& o : *scale)
            if (o.code == code) {
                const std::string& t = o.text.get(lang, s.original_language());
                return t.empty() || t == code ? code : code + " " + t;
            }
    return code;
}

// An own answer: one code, or several (a multiple choice) separated by blanks or commas.
static std::vector<std::string> own_codes(const std::string& v) {
    return split_tokens(v, " ,");
}

QuestionNotes delphi_notes(const Survey& s, const delphi::FeedbackPack& pack, const delphi::OwnAnswers* own,
                           const std::string& lang) {
    const std::string L = lang.empty() ? s.original_language() : lang;
    const std::string stage = std::to_string(pack.from_round);
    QuestionNotes notes;
    for (const delphi::ItemStats& it : pack.items) {
        std::string code, row;
        if (!split_delphi_key(it.key, code, row)) continue;
        const Question* q = s.find_question(code);
        if (!q) continue;
        const std::vector<Option>* scale = delphi_item_scale(s, it.key);
        const DelphiItem* di = s.delphi.find_item(it.key);
        std::set<std::string> show;
        if (di) show.insert(di->feedback.begin(), di->feedback.end());
        if (show.empty()) show = {"distribution", "median"};
        std::vector<NoteLine>& lines = notes[code];
        std::string head = "Ergebnis der Gruppe in Stufe " + stage;
        if (!row.empty())
            for (const Row& r : q->rows)
                if (r.code == row) head += " zu „" + r.text.get(L, s.original_language()) + "“";
        head += ": n = " + std::to_string(it.n);
        if (it.multiple) head += " (mehrere Antworten möglich: die Zahlen ergeben zusammen mehr als n)";
        if (it.ordinal && it.n > 0) {
            if (show.count("median")) head += ", Median " + num(it.median);
            if (show.count("iqr")) head += ", Quartilsabstand " + num(it.iqr);
            if (show.count("mean")) head += ", Mittelwert " + num(it.mean);
        }
        NoteLine h;
        h.text = head;
        lines.push_back(h);
        std::set<std::string> mine;
        bool has_own = false;
        if (own) {
            auto a = own->find(it.key);
            if (a != own->end() && !a->second.empty()) {
                has_own = true;
                for (const auto& c : own_codes(a->second)) mine.insert(c);
            }
        }
        if (show.count("distribution"))
            for (const auto& [opt, count] : it.distribution) {
                NoteLine b;
                b.indent = true;
                b.text = label_of(s, scale, opt, L);
                b.share = it.n > 0 ? double(count) / it.n : 0;
                b.value = std::to_string(count);
                if (mine.count(opt)) {
                    b.bold = true;
                    b.value += "  ◄ Ihre Antwort";
                }
                lines.push_back(b);
            }
        if (own) {
            NoteLine o;
            o.bold = true;
            o.text = "Ihre Antwort in Stufe " + stage + ": ";
            if (!has_own) {
                o.text += "nicht beantwortet";
            } else {
                std::string words;
                for (const auto& c : own_codes(own->at(it.key)))
                    words += (words.empty() ? "" : ", ") +
                             (c == kNoAnswerCode ? std::string("keine Antwort") : label_of(s, scale, c, L));
                o.text += words;
            }
            lines.push_back(o);
        }
    }
    return notes;
}

static PrintOptions form_options(const DelphiPrintOptions& opt) {
    PrintOptions p;
    p.lang = opt.lang;
    p.large = opt.large;
    p.simplex = opt.simplex;
    return p;
}

bool print_delphi_forms(const Survey& s, const delphi::FeedbackPack& pack, const std::vector<std::string>& codes,
                        const std::string& dir, const DelphiPrintOptions& opt, DelphiPrintResult& out) {
    out = DelphiPrintResult{};
    if (pack.for_survey != s.id) {
        out.error = "the feedback pack is for survey '" + pack.for_survey + "', not for '" + s.id +
                    "': give the survey of the round the pack was made for";
        return false;
    }
    if (pack.study != s.delphi.study) {
        out.error = "the feedback pack belongs to study '" + pack.study + "', the survey to '" + s.delphi.study + "'";
        return false;
    }
    for (size_t i = 0; i < codes.size(); ++i)
        if (!delphi::code_ok(codes[i])) {
            out.error = "code " + std::to_string(i + 1) + " is not a valid participant code";
            return false;
        }
    const std::string stage = std::to_string(pack.from_round);
    PrintResult pr;
    PrintOptions none = form_options(opt);
    none.notes = delphi_notes(s, pack, nullptr, opt.lang);
    none.intro = "Fragebogen ohne persönliche Angaben: bei wiederholten Fragen steht das Ergebnis der Gruppe in Stufe " +
                 stage + ".";
    out.without_code = "ohne-code.pdf";
    if (!print_paper_form(s, none, dir + "/" + out.without_code, pr)) {
        out.error = pr.error;
        return false;
    }
    std::set<std::string> names;
    for (size_t i = 0; i < codes.size(); ++i) {
        const std::string& c = codes[i];
        delphi::ParticipantKeys k;
        std::string err;
        if (!delphi::derive_participant_keys(c, pack.study, k, &err)) {
            out.error = "code " + std::to_string(i + 1) + ": " + err;
            return false;
        }
        delphi::OwnAnswers own;
        bool found = delphi::find_own_answers(pack, k, own);
        PrintOptions po = form_options(opt);
        po.notes = delphi_notes(s, pack, &own, opt.lang);
        // The whole code, as on the letter: the returned sheet is entered with it (the entry
        // file's "code" line), so its answers carry the pseudonym. The file name has the first
        // group only, enough to find the envelope.
        std::string head = delphi::format_code(c).substr(0, 4);
        po.intro = "Persönlicher Fragebogen für Code " + delphi::format_code(c) + " – ";
        if (found) {
            ++out.personal;
            po.intro += "bei wiederholten Fragen stehen Ihre Antwort in Stufe " + stage + " und das Ergebnis der Gruppe.";
        } else {
            po.intro += "zu Ihrem Code gibt es keine Antworten aus Stufe " + stage +
                        "; bei wiederholten Fragen steht das Ergebnis der Gruppe.";
            po.notes = none.notes;
        }
        std::string name = head + ".pdf";
        for (int n = 2; names.count(name); ++n) name = head + "-" + std::to_string(n) + ".pdf";
        names.insert(name);
        if (!print_paper_form(s, po, dir + "/" + name, pr)) {
            out.error = pr.error;
            return false;
        }
        own.clear();
        out.files.push_back(name);
        if (opt.progress) opt.progress(i + 1, codes.size());
    }
    return true;
}

} // namespace tk
