// paper_entry.cpp - fields of a paper form, typed values, entry files, comparison, response.
#include "paper_entry.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <sstream>

#include "dates.h"
#include "delphi.h"
#include "session.h"
#include "sheet_id.h"
#include "text.h"

namespace tk {

// ---------------------------------------------------------------------------------------
// Fields

bool paper_offers_no_answer(const Survey& s, const Question& q) {
    if (!s.settings.no_answer_option || q.mandatory) return false;
    // A choice matrix has it per row: a column of the (first) grid.
    return q.type == QuestionType::SingleChoice || q.type == QuestionType::MultipleChoice ||
           q.type == QuestionType::YesNo || q.type == QuestionType::Rating ||
           (q.type == QuestionType::Matrix && q.cell == MatrixCell::Choice);
}

std::vector<PaperChoice> paper_choices(const Survey& s, const Question& q, int scale) {
    std::vector<PaperChoice> out;
    const std::vector<Option>& opts = scale == 2 ? q.options2 : q.options;
    for (size_t i = 0; i < opts.size(); ++i) {
        PaperChoice c;
        // A rating box shows its scale value, so "0" on a 0..10 scale is typed as 0.
        c.number = q.type == QuestionType::Rating ? opts[i].code : std::to_string(i + 1);
        c.code = opts[i].code;
        c.label = &opts[i].text;
        out.push_back(c);
    }
    if (scale != 1) return out;
    int next = int(opts.size()) + 1;
    if (q.type == QuestionType::Rating) next = q.scale_max + 1;
    if (q.other && (q.type == QuestionType::SingleChoice || q.type == QuestionType::MultipleChoice))
        out.push_back({std::to_string(next++), kOtherCode, nullptr});
    if (paper_offers_no_answer(s, q)) out.push_back({std::to_string(next++), kNoAnswerCode, nullptr});
    return out;
}

std::vector<PaperField> paper_fields(const Survey& s, const Question& q) {
    std::vector<PaperField> out;
    auto add = [&](const std::string& part, PaperFieldKind kind) -> PaperField& {
        PaperField f;
        f.key = part.empty() ? q.code : q.code + "." + part;
        f.question = q.code;
        f.part = part;
        f.kind = kind;
        out.push_back(std::move(f));
        return out.back();
    };
    switch (q.type) {
    case QuestionType::SingleChoice:
    case QuestionType::YesNo:
    case QuestionType::Rating:
        add("", PaperFieldKind::One).choices = paper_choices(s, q);
        break;
    case QuestionType::MultipleChoice:
        add("", PaperFieldKind::Many).choices = paper_choices(s, q);
        break;
    case QuestionType::Ranking:
        add("", PaperFieldKind::Ranks).choices = paper_choices(s, q);
        break;
    case QuestionType::ShortText:
    case QuestionType::LongText:
        add("", PaperFieldKind::Text);
        break;
    case QuestionType::Numeric:
        add("", PaperFieldKind::Text).numeric = true;
        break;
    case QuestionType::Date:
        add("", PaperFieldKind::Text).date = true;
        break;
    case QuestionType::Matrix:
        for (const Row& r : q.rows) {
            if (q.cell == MatrixCell::Choice) {
                add(r.code, PaperFieldKind::One).choices = paper_choices(s, q, 1);
                if (!q.options2.empty()) add(r.code + "#1", PaperFieldKind::One).choices = paper_choices(s, q, 2);
            } else {
                for (const Option& col : q.options)
                    add(r.code + "_" + col.code, PaperFieldKind::Text).numeric = q.cell == MatrixCell::Number;
            }
        }
        break;
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric:
        for (const Row& r : q.rows) add(r.code, PaperFieldKind::Text).numeric = q.type == QuestionType::MultiNumeric;
        break;
    case QuestionType::RankedList: {
        int k = q.max_answers > 0 ? q.max_answers : kPaperRankedLines;
        for (int i = 1; i <= k; ++i) add(std::to_string(i), PaperFieldKind::Text);
        break;
    }
    case QuestionType::Equation: // not on the form: the session computes it
    case QuestionType::Info:
        break;
    }
    if (q.other && (q.type == QuestionType::SingleChoice || q.type == QuestionType::MultipleChoice))
        add("other", PaperFieldKind::Text);
    if (q.comment) add("comment", PaperFieldKind::Text);
    return out;
}

std::vector<PaperField> paper_fields(const Survey& s) {
    std::vector<PaperField> out;
    for (const auto& ref : s.all_questions()) {
        auto f = paper_fields(s, *ref.q);
        out.insert(out.end(), f.begin(), f.end());
    }
    return out;
}

const PaperField* find_paper_field(const std::vector<PaperField>& fields, const std::string& key) {
    for (const auto& f : fields)
        if (f.key == key) return &f;
    return nullptr;
}

// ---------------------------------------------------------------------------------------
// Typed values

static std::string trim(const std::string& s) {
    size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return "";
    size_t b = s.find_last_not_of(" \t\r\n");
    return s.substr(a, b - a + 1);
}

// Box numbers are typed "1 3", "1,3" or "1;3".
static constexpr const char* kBoxSeparators = " ,;\t";

static int choice_index(const PaperField& f, const std::string& number) {
    for (size_t i = 0; i < f.choices.size(); ++i)
        if (f.choices[i].number == number) return int(i);
    return -1;
}

static std::string numbers_list(const PaperField& f) {
    if (f.choices.empty()) return "none";
    return f.choices.front().number + ".." + f.choices.back().number;
}

static bool parse_date(const std::string& t, std::string& out) {
    int d = 0, m = 0, y = 0;
    char rest = 0;
    if (std::sscanf(t.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &rest) == 3 && t.size() == 10) {
    } else if (std::sscanf(t.c_str(), "%2d.%2d.%4d%c", &d, &m, &y, &rest) == 3 && t.size() >= 8 &&
               t.size() <= 10 && t.substr(t.size() - 5, 1) == ".") {
    } else {
        return false;
    }
    if (y < 1000 || y > 9999 || !is_calendar_day(y, m, d)) return false;
    char buf[40]; // what the compiler assumes three ints can print (-Wformat-truncation)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    out = buf;
    return true;
}

bool normalise_paper_value(const PaperField& f, const std::string& typed, std::string& out, std::string* error) {
    auto fail = [&](const std::string& msg) {
        if (error) *error = f.key + ": " + msg;
        return false;
    };
    std::string t = trim(typed);
    for (unsigned char c : t)
        if (c < 0x20 || c == 0x7F) return fail("contains a control character");
    if (t.size() > 20000) return fail("longer than 20000 bytes");
    if (t.empty()) {
        out.clear();
        return true;
    }
    if (t == "?" || t == kIllegible) {
        out = kIllegible;
        return true;
    }
    if (t == "!" || t == kMultipleMarked) {
        if (f.kind == PaperFieldKind::One || f.kind == PaperFieldKind::Ranks) {
            out = kMultipleMarked;
            return true;
        }
        if (f.kind == PaperFieldKind::Many) return fail("several boxes may be crossed here: type their numbers");
        // A text field that reads "!" is text.
    }
    switch (f.kind) {
    case PaperFieldKind::One: {
        auto tok = split_tokens(t, kBoxSeparators);
        // Separators alone (";", ",") are no box number at all.
        if (tok.empty()) return fail("'" + t + "' is not a box number (boxes " + numbers_list(f) + ")");
        if (tok.size() > 1) return fail("only one box counts here; type ! (-mult-) when several are crossed");
        if (choice_index(f, tok[0]) < 0) return fail("no box numbered '" + tok[0] + "' (boxes " + numbers_list(f) + ")");
        out = tok[0];
        return true;
    }
    case PaperFieldKind::Many: {
        std::vector<int> idx;
        for (const auto& tk : split_tokens(t, kBoxSeparators)) {
            int i = choice_index(f, tk);
            if (i < 0) return fail("no box numbered '" + tk + "' (boxes " + numbers_list(f) + ")");
            if (std::find(idx.begin(), idx.end(), i) != idx.end()) return fail("box " + tk + " typed twice");
            idx.push_back(i);
        }
        std::sort(idx.begin(), idx.end());
        out.clear();
        for (int i : idx) out += (out.empty() ? "" : " ") + f.choices[i].number;
        return true;
    }
    case PaperFieldKind::Ranks: {
        auto tok = split_tokens(t, kBoxSeparators);
        if (tok.size() != f.choices.size())
            return fail("type one value per box in print order (" + std::to_string(f.choices.size()) +
                        " boxes; - for an empty box), got " + std::to_string(tok.size()));
        std::set<long> seen;
        out.clear();
        for (const auto& tk : tok) {
            if (tk != "-") {
                char* end = nullptr;
                long r = std::strtol(tk.c_str(), &end, 10);
                if (!end || *end || r < 1 || r > long(f.choices.size()))
                    return fail("'" + tk + "' is not a rank from 1 to " + std::to_string(f.choices.size()) + " or -");
                if (!seen.insert(r).second)
                    return fail("rank " + tk + " appears twice; type ! (-mult-) if the paper shows it so");
            }
            out += (out.empty() ? "" : " ") + tk;
        }
        if (seen.empty()) out.clear(); // every box empty = not answered
        return true;
    }
    case PaperFieldKind::Text:
        if (f.numeric) {
            std::string n = t;
            std::replace(n.begin(), n.end(), ',', '.');
            char* end = nullptr;
            std::strtod(n.c_str(), &end);
            if (n.empty() || !end || *end || n.find_first_not_of("+-.0123456789") != std::string::npos)
                return fail("'" + t + "' is not a number (type ? when it cannot be read)");
            out = n;
            return true;
        }
        if (f.date) {
            if (!parse_date(t, out)) return fail("'" + t + "' is not a date (DD.MM.YYYY or YYYY-MM-DD)");
            return true;
        }
        out = t;
        return true;
    }
    return fail("unknown field kind");
}

bool set_paper_value(const Survey& s, PaperEntry& e, const std::string& key, const std::string& typed,
                     std::string* error) {
    if (key == kPaperCodeKey && !s.find_question(key)) {
        if (s.delphi.round < 1) {
            if (error) *error = "'code': survey " + s.id + " is no Delphi round, its sheets carry no participant code";
            return false;
        }
        std::string c = delphi::normalize_code(typed);
        if (!typed.empty() && (c.empty() || !delphi::code_ok(c))) {
            if (error) *error = "'" + typed + "' is not a participant code: 21 letters and digits as printed on the form "
                                "(check for a mistyped or swapped symbol)";
            return false;
        }
        e.delphi_code = c;
        return true;
    }
    const Question* q = s.find_question(key.substr(0, key.find('.')));
    if (!q) {
        if (error) *error = "unknown field '" + key + "': the survey has no question " + key.substr(0, key.find('.'));
        return false;
    }
    auto fields = paper_fields(s, *q);
    const PaperField* f = find_paper_field(fields, key);
    if (!f) {
        std::string known;
        for (const auto& k : fields) known += (known.empty() ? "" : ", ") + k.key;
        if (error) *error = "unknown field '" + key + "' (question " + q->code + " has: " + known + ")";
        return false;
    }
    std::string v;
    if (!normalise_paper_value(*f, typed, v, error)) return false;
    if (v.empty()) e.values.erase(key);
    else e.values[key] = v;
    return true;
}

// ---------------------------------------------------------------------------------------
// Entry files

bool parse_paper_entries(const Survey& s, const std::string& text, const std::string& source,
                         std::vector<PaperEntry>& out, std::vector<std::string>* errors) {
    size_t before = errors ? errors->size() : 0;
    bool ok = true;
    auto err = [&](int line, const std::string& msg) {
        ok = false;
        if (errors && errors->size() < before + 200) errors->push_back(source + ":" + std::to_string(line) + ": " + msg);
    };
    std::istringstream in(text);
    std::string line;
    int n = 0;
    PaperEntry* cur = nullptr;
    std::vector<int> start_lines;
    while (std::getline(in, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        // Entry files are typed text; a line in another encoding (Latin-1 from an old editor)
        // would otherwise reach the sealed response with its bytes replaced: refused instead.
        if (!valid_utf8(line)) {
            err(n, "not valid UTF-8 (save the entry file as UTF-8)");
            continue;
        }
        std::string t = trim(line);
        if (t.empty() || t[0] == '#') continue;
        size_t sp = t.find_first_of(" \t");
        std::string key = t.substr(0, sp);
        std::string value = sp == std::string::npos ? "" : trim(t.substr(sp));
        if (key == "sheet") {
            std::string id, e;
            if (!parse_sheet_id(value, id, &e)) {
                err(n, e);
                cur = nullptr;
                continue;
            }
            out.push_back(PaperEntry{});
            start_lines.push_back(n);
            cur = &out.back();
            cur->sheet_id = id;
            continue;
        }
        if (!cur) {
            err(n, "'" + key + "' before the first 'sheet ID' line (or after a bad sheet id)");
            continue;
        }
        if (key == "enterer") {
            if (value.empty()) err(n, "enterer without a name");
            cur->enterer = value;
        } else if (key == "lang") {
            if (std::find(s.languages.begin(), s.languages.end(), value) == s.languages.end())
                err(n, "language '" + value + "' is not a language of survey " + s.id);
            else
                cur->language = value;
        } else {
            std::string e;
            if (!set_paper_value(s, *cur, key, value, &e)) err(n, e);
        }
    }
    for (size_t i = 0; i < out.size(); ++i)
        if (out[i].enterer.empty()) err(start_lines[i], "sheet " + out[i].sheet_id + ": no 'enterer NAME' line");
    return ok;
}

std::string paper_entry_to_text(const Survey& s, const PaperEntry& e) {
    std::string t = "sheet " + e.sheet_id + "\nenterer " + e.enterer + "\n";
    if (!e.language.empty()) t += "lang " + e.language + "\n";
    if (!e.delphi_code.empty()) t += std::string(kPaperCodeKey) + " " + delphi::format_code(e.delphi_code) + "\n";
    for (const auto& f : paper_fields(s)) {
        auto it = e.values.find(f.key);
        if (it != e.values.end() && !it->second.empty()) t += f.key + " " + it->second + "\n";
    }
    return t;
}

std::vector<PaperDiff> compare_paper_entries(const Survey& s, const PaperEntry& a, const PaperEntry& b) {
    std::vector<PaperDiff> out;
    auto get = [](const PaperEntry& e, const std::string& k) {
        auto it = e.values.find(k);
        return it == e.values.end() ? std::string() : it->second;
    };
    // The code first: a wrong code would give the answers to another participant.
    if (a.delphi_code != b.delphi_code)
        out.push_back({kPaperCodeKey, a.delphi_code.empty() ? "" : delphi::format_code(a.delphi_code),
                       b.delphi_code.empty() ? "" : delphi::format_code(b.delphi_code)});
    for (const auto& f : paper_fields(s)) {
        std::string x = get(a, f.key), y = get(b, f.key);
        if (x != y) out.push_back({f.key, x, y});
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// The response

static bool is_special(const std::string& v) { return v == kIllegible || v == kMultipleMarked; }

static bool has_special(const Answer& a) {
    if (is_special(a.value) || is_special(a.other)) return true;
    for (auto& v : a.values)
        if (is_special(v)) return true;
    for (auto& [k, v] : a.cells)
        if (is_special(v)) return true;
    return false;
}

// Without the unreadable parts: what conditions may read.
static Answer readable_part(const Answer& a) {
    Answer r = a;
    if (is_special(r.value)) r.value.clear();
    if (is_special(r.other)) r.other.clear();
    r.values.erase(std::remove_if(r.values.begin(), r.values.end(), is_special), r.values.end());
    for (auto it = r.cells.begin(); it != r.cells.end();)
        it = is_special(it->second) ? r.cells.erase(it) : std::next(it);
    return r;
}

static std::string code_of(const PaperField& f, const std::string& number) {
    for (const auto& c : f.choices)
        if (c.number == number) return c.code;
    return number;
}

static Answer build_answer(const Survey& s, const Question& q, const PaperEntry& e) {
    Answer a;
    auto get = [&](const std::string& key) {
        auto it = e.values.find(key);
        return it == e.values.end() ? std::string() : it->second;
    };
    auto fields = paper_fields(s, q);
    for (const auto& f : fields) {
        std::string v = get(f.key);
        if (v.empty()) continue;
        if (f.part == "other") {
            a.other = v;
            continue;
        }
        if (f.part == "comment") {
            a.comment = v;
            continue;
        }
        switch (q.type) {
        case QuestionType::SingleChoice:
        case QuestionType::YesNo:
        case QuestionType::Rating:
            a.value = is_special(v) ? v : code_of(f, v);
            break;
        case QuestionType::MultipleChoice:
            if (is_special(v)) {
                a.values.push_back(v);
                break;
            }
            for (const auto& n : split_tokens(v, kBoxSeparators)) {
                std::string c = code_of(f, n);
                if (c == kNoAnswerCode) a.no_answer = true;
                else if (c == kOtherCode) a.other = a.other.empty() ? std::string(kOtherCode) : a.other;
                else a.values.push_back(c);
            }
            break;
        case QuestionType::Ranking: {
            if (is_special(v)) {
                a.values.push_back(v);
                break;
            }
            auto tok = split_tokens(v, kBoxSeparators);
            std::vector<std::pair<long, std::string>> ranked;
            for (size_t i = 0; i < tok.size() && i < f.choices.size(); ++i)
                if (tok[i] != "-") ranked.push_back({std::strtol(tok[i].c_str(), nullptr, 10), f.choices[i].code});
            std::sort(ranked.begin(), ranked.end());
            for (auto& r : ranked) a.values.push_back(r.second);
            break;
        }
        case QuestionType::RankedList:
            a.values.push_back(v);
            break;
        case QuestionType::Matrix:
            a.cells[f.part] = (is_special(v) || q.cell != MatrixCell::Choice) ? v : code_of(f, v);
            break;
        case QuestionType::MultiText:
        case QuestionType::MultiNumeric:
            a.cells[f.part] = v;
            break;
        default:
            a.value = v;
            break;
        }
    }
    // "andere" crossed with its text written: the text is the answer. Text written without
    // the cross counts as "andere" too (the kiosk does the same).
    if (q.type == QuestionType::SingleChoice) {
        if (a.value == kNoAnswerCode) {
            a = Answer{};
            a.no_answer = true;
        } else if (a.value == kOtherCode || (a.value.empty() && !a.other.empty())) {
            a.value = kOtherCode;
        }
    }
    // A matrix row's "keine Antwort" answers the whole row: crossed together with a box of the
    // row's second scale, the paper says both.
    if (q.type == QuestionType::Matrix)
        for (const Row& r : q.rows) {
            auto na = a.cells.find(r.code);
            auto second = a.cells.find(r.code + "#1");
            if (na != a.cells.end() && na->second == kNoAnswerCode && second != a.cells.end()) {
                na->second = kMultipleMarked;
                second->second = kMultipleMarked;
            }
        }
    if ((q.type == QuestionType::YesNo || q.type == QuestionType::Rating) && a.value == kNoAnswerCode) {
        a = Answer{};
        a.no_answer = true;
    }
    if (a.no_answer && !(a.value.empty() && a.values.empty() && a.cells.empty() && a.other.empty())) {
        // "keine Antwort" crossed together with answers: the paper says both.
        a.no_answer = false;
        a.values.insert(a.values.begin(), kMultipleMarked);
    }
    if (a.no_answer) a.comment.clear();
    return a;
}

const Question* paper_variable_question(const Survey& s, const std::string& name) {
    const Question* best = nullptr;
    for (const auto& ref : s.all_questions()) {
        const std::string& c = ref.q->code;
        if ((name == c || (name.size() > c.size() && name.compare(0, c.size(), c) == 0 && name[c.size()] == '_')) &&
            (!best || c.size() > best->code.size()))
            best = ref.q;
    }
    return best;
}

bool paper_entry_to_response(const std::shared_ptr<const Survey>& sp, const PaperEntry& e,
                             const PaperSealInfo& info, Response& out, std::string* error) {
    const Survey& s = *sp;
    std::map<std::string, Answer> answers;
    for (const auto& ref : s.all_questions()) {
        if (!ref.q->has_answer()) continue;
        Answer a = build_answer(s, *ref.q, e);
        if (!a.empty()) answers[ref.q->code] = a;
    }
    for (const auto& [k, v] : e.values) {
        const Question* q = s.find_question(k.substr(0, k.find('.')));
        if (!q || !find_paper_field(paper_fields(s, *q), k)) {
            if (error) *error = "entry for sheet " + e.sheet_id + " has a field '" + k + "' the survey does not know";
            return false;
        }
    }
    // Visibility as the kiosk would decide it, from the readable answers, in survey order
    // (conditions only look back, so an earlier answer is set before it is read).
    Session sess(sp, e.language.empty() ? s.original_language() : e.language, info.time, false);
    for (const auto& ref : s.all_questions()) {
        auto it = answers.find(ref.q->code);
        if (it != answers.end()) sess.set_answer(ref.q->code, readable_part(it->second));
    }
    auto undecidable = [&](const std::shared_ptr<const Expr>& cond) {
        if (!cond) return false;
        for (const auto& name : referenced_variables(*cond)) {
            const Question* vq = paper_variable_question(s, name);
            auto it = vq ? answers.find(vq->code) : answers.end();
            if (it != answers.end() && has_special(it->second)) return true;
        }
        return false;
    };
    out = Response{};
    out.survey_id = s.id;
    out.survey_version = s.version;
    out.survey_hash = s.hash;
    out.language = e.language.empty() ? s.original_language() : e.language;
    out.channel = kChannelPaper;
    out.site = info.site;
    out.event = info.event;
    out.started = out.finished = info.time;
    out.complete = true;
    if (!e.delphi_code.empty()) {
        // The pseudonym travels inside the seal only, as from the kiosk; the code itself is
        // never stored in the response.
        delphi::ParticipantKeys k;
        if (s.delphi.round < 1 || !delphi::derive_participant_keys(e.delphi_code, s.delphi.study, k, error)) {
            if (error && error->empty()) *error = "sheet " + e.sheet_id + ": a participant code on a survey without Delphi rounds";
            return false;
        }
        out.pseudonym = k.pseudonym;
    }
    out.meta["sheet"] = e.sheet_id;
    out.meta["enterer1"] = info.first_enterer;
    out.meta["enterer2"] = info.second_enterer;
    if (!info.resolver.empty()) out.meta["resolver"] = info.resolver;
    std::string dropped;
    for (const auto& ref : s.all_questions()) {
        const Question& q = *ref.q;
        if (!q.has_answer()) continue;
        bool visible = sess.is_visible(q);
        if (!visible && (undecidable(q.condition) || undecidable(s.groups[ref.group].condition))) visible = true;
        if (q.type == QuestionType::Equation) { // not on the sheet: computed from it, as the kiosk does
            std::string v = sess.is_visible(q) ? sess.equation_value(q) : "";
            if (!visible) out.not_shown.push_back(q.code);
            else if (v.empty()) out.skipped.push_back(q.code);
            else out.answers[q.code].value = v;
            continue;
        }
        auto it = answers.find(q.code);
        if (!visible) {
            out.not_shown.push_back(q.code);
            if (it != answers.end()) dropped += (dropped.empty() ? "" : ",") + q.code;
        } else if (it != answers.end()) {
            out.answers[q.code] = it->second;
        } else {
            out.skipped.push_back(q.code);
        }
    }
    if (!dropped.empty()) out.meta["dropped"] = dropped;
    return true;
}

} // namespace tk
