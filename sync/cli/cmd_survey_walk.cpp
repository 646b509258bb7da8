// cmd_survey_walk.cpp - `teilhabe survey walk FILE`: answer a survey in the terminal.
//
// For authors trying out a survey, and for tests that drive the engine end to end with
// answers piped in. Prompts, messages and the review page go to stderr; stdout gets only
// the canonical response JSON at the end, so `teilhabe survey walk s.json <answers >r.json`
// works. End of input finishes the walk as a partial response, like a kiosk timeout.
//
// One line of input per page:
//   (empty)      keep the answer as it is and go on (nothing entered = skipped)
//   <            back to the previous page
//   -            "keine Antwort" (when the survey offers it)
//   c:TEXT       comment on the question (when it has a comment field); stays on the page
//   !clear       remove the answer; stays on the page
//   !goto CODE   jump to a visible question
//   anything else is the answer, read by question type (see type_hint below).
//
// A Delphi round (sync/delphi/DELPHI.md) can be walked as an assisted interview: --code gives
// the participant's code, whose pseudonym goes into the response (sealed only, once added to a
// vault); --pack shows on every repeated item the group's result of the round before and, with
// the code, the participant's own earlier answer, as the kiosk does.
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "command.h"
#include "delphi.h"
#include "files.h"
#include "response.h"
#include "session.h"
#include "survey.h"
#include "text.h"

namespace tk::cli {

namespace {

struct Walk {
    std::shared_ptr<const Survey> survey;
    std::string lang;
    const Session* session = nullptr; // set once the walk starts: texts are piped through it
    const delphi::FeedbackPack* pack = nullptr; // --pack: the round before's results
    const delphi::OwnAnswers* own = nullptr;    // --code with --pack: the participant's answers
    std::string text(const LocalText& t, const Question* self = nullptr) const {
        if (session) return session->text(t, self);
        return t.get(lang, survey->original_language());
    }
};

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

// Option numbers are typed "1 3" or "1,3".
constexpr const char* kWordSeparators = " ,\t";

// Option by its 1-based position in the printed list; "" when out of range or not a number.
std::string option_at(const std::vector<Option>& opts, const std::string& word, std::string* error) {
    if (word.empty() || word.size() > 4 || word.find_first_not_of("0123456789") != std::string::npos) {
        *error = "'" + word + "' is not an option number (1-" + std::to_string(opts.size()) + ")";
        return "";
    }
    size_t n = (size_t)std::stoi(word);
    if (n < 1 || n > opts.size()) {
        *error = "there is no option " + word + " (1-" + std::to_string(opts.size()) + ")";
        return "";
    }
    return opts[n - 1].code;
}

// "1 3" -> the codes of options 1 and 3 appended to `codes`, in the order typed.
bool options_at(const std::vector<Option>& opts, const std::string& typed, std::vector<std::string>& codes,
                std::string* error) {
    for (const std::string& word : split_tokens(typed, kWordSeparators)) {
        std::string code = option_at(opts, word, error);
        if (code.empty()) return false;
        codes.push_back(code);
    }
    return true;
}

bool is_yes(const std::string& w) {
    std::string l = lower(w);
    return l == "1" || l == "j" || l == "ja" || l == "y" || l == "yes";
}
bool is_no(const std::string& w) {
    std::string l = lower(w);
    return l == "2" || l == "n" || l == "nein" || l == "no";
}

std::string problem_text(const AnswerProblem& p) {
    // Limits come from `bound` and the cell from `cell`; `detail` only where it is the
    // thing itself (what was typed, the unknown code, the row without an answer).
    const std::string& d = p.detail;
    const std::string& b = p.bound;
    const std::string in = p.cell.empty() ? "" : " (cell " + p.cell + ")";
    switch (p.kind) {
    case AnswerProblem::None: return "";
    case AnswerProblem::Required: return "an answer is required here" + (d.empty() ? "" : " (" + d + ")");
    case AnswerProblem::NotANumber: return "not a number: " + d + " (type e.g. 12 or 3.5)";
    case AnswerProblem::TooSmall: return "too small: the minimum is " + b + in;
    case AnswerProblem::TooLarge: return "too large: the maximum is " + b + in;
    case AnswerProblem::NotInteger: return "please type a whole number: " + d;
    case AnswerProblem::TooFew: return "please choose at least " + b;
    case AnswerProblem::TooMany: return "at most " + b + " allowed";
    case AnswerProblem::BadDate: return "not a date: " + d + " (type YYYY-MM-DD)";
    case AnswerProblem::UnknownOption: return "unknown choice: " + d;
    case AnswerProblem::TooLong: return "too long: at most " + b + " characters" + in;
    case AnswerProblem::OtherTextMissing: return "please type the other answer as o:TEXT";
    case AnswerProblem::Invalid: return p.tip.empty() ? "this answer is not accepted (" + d + ")" : p.tip;
    }
    return "";
}

// Rows the respondent sees now; matrix and multi_* answers are given in this order.
std::vector<const Row*> visible_rows(const Session& s, const Question& q) {
    std::vector<const Row*> out;
    for (const Row& r : q.rows)
        if (s.is_row_visible(q, r)) out.push_back(&r);
    return out;
}

std::string type_hint(const Question& q) {
    switch (q.type) {
    case QuestionType::SingleChoice:
        return std::string("type the number of one option") + (q.other ? ", or o:TEXT for another answer" : "");
    case QuestionType::MultipleChoice:
        return std::string("type the numbers of all that apply, e.g. 1 3") + (q.other ? "; add o:TEXT for another answer" : "") +
               (q.max_answers > 0 ? " (at most " + std::to_string(q.max_answers) + ")" : "");
    case QuestionType::ShortText:
    case QuestionType::LongText:
        return "type your answer (one line)";
    case QuestionType::Numeric: {
        std::string h = "type a number";
        char buf[64];
        if (q.min_value) { std::snprintf(buf, sizeof buf, "%g", *q.min_value); h += std::string(", from ") + buf; }
        if (q.max_value) { std::snprintf(buf, sizeof buf, "%g", *q.max_value); h += std::string(" up to ") + buf; }
        return h;
    }
    case QuestionType::YesNo: return "type 1 (yes) or 2 (no)";
    case QuestionType::Rating:
        return "type a value from " + std::to_string(q.scale_min) + " to " + std::to_string(q.scale_max);
    case QuestionType::Matrix:
        if (q.cell == MatrixCell::Choice)
            return q.options2.empty() ? "type one column number per row, rows separated by ';' (empty = row skipped), e.g. 1;;2"
                                      : "type A/B per row (scale 1 / scale 2 numbers), rows separated by ';', e.g. 1/2;2/1";
        return "per row the values of the columns separated by '|', rows separated by ';', e.g. 3|4;1|2";
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric: return "one value per row, separated by ';' (empty = row skipped)";
    case QuestionType::Ranking:
        return "type option numbers, most important first, e.g. 3 1" +
               (q.max_answers > 0 ? " (at most " + std::to_string(q.max_answers) + ")" : std::string());
    case QuestionType::RankedList:
        return "type entries separated by ';', most important first" +
               (q.max_answers > 0 ? " (at most " + std::to_string(q.max_answers) + ")" : std::string());
    case QuestionType::Date: return "type a date as YYYY-MM-DD";
    case QuestionType::Equation: // shown only with show_text: then like info
    case QuestionType::Info: return "press Enter to continue";
    }
    return "";
}

// Short rendering of an answer for the page and the review.
std::string render_answer(const Walk& w, const Question& q, const Answer* a) {
    if (!a || a->empty()) return "(no answer)";
    if (a->no_answer) return "keine Antwort / prefer not to say";
    auto opt_text = [&](const std::vector<Option>& opts, const std::string& code) {
        for (const Option& o : opts)
            if (o.code == code) return w.text(o.text);
        return code;
    };
    std::string out;
    switch (q.type) {
    case QuestionType::SingleChoice:
        out = a->value == kOtherCode ? "other: " + a->other : opt_text(q.options, a->value);
        break;
    case QuestionType::YesNo:
    case QuestionType::Rating:
        out = opt_text(q.options, a->value);
        break;
    case QuestionType::MultipleChoice:
    case QuestionType::Ranking:
        for (size_t i = 0; i < a->values.size(); i++) out += (i ? "; " : "") + opt_text(q.options, a->values[i]);
        if (!a->other.empty()) out += (out.empty() ? "" : "; ") + std::string("other: ") + a->other;
        break;
    case QuestionType::RankedList:
        for (size_t i = 0; i < a->values.size(); i++) out += (i ? "; " : "") + std::to_string(i + 1) + ". " + a->values[i];
        break;
    case QuestionType::Matrix:
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric:
        for (const auto& [k, v] : a->cells) out += (out.empty() ? "" : ", ") + k + "=" + v;
        break;
    default:
        out = a->value;
    }
    if (!a->comment.empty()) out += " [comment: " + a->comment + "]";
    return out;
}

// The option text of code `c` in `q`'s scale, or the code itself.
std::string option_text(const Walk& w, const Question& q, const std::string& c) {
    if (c == kNoAnswerCode) return "keine Antwort";
    for (const Option& o : q.options)
        if (o.code == c) return w.text(o.text);
    return c;
}

// Per repeated item of `q` (the question, or one of its matrix rows): the group's result of
// the round before as counts per option with the median, and the participant's own answer.
void show_feedback(const Walk& w, const Question& q) {
    for (const DelphiItem& it : w.survey->delphi.items) {
        std::string code, row;
        if (it.repeats.empty() || !split_delphi_key(it.key, code, row) || code != q.code) continue;
        const delphi::ItemStats* st = w.pack->find(it.key);
        if (!st) continue;
        std::fprintf(stderr, "  %s: Ergebnis der Gruppe in Stufe %d (n = %d):", it.key.c_str(), w.pack->from_round, st->n);
        for (const auto& [c, n] : st->distribution) std::fprintf(stderr, " %s=%d", c.c_str(), n);
        if (st->ordinal && st->n > 0) std::fprintf(stderr, "; Median %g", st->median);
        std::fprintf(stderr, "%s\n", st->consensus ? "; Konsens" : "");
        if (w.own) {
            auto a = w.own->find(it.key);
            if (a != w.own->end()) {
                std::string text;
                for (const std::string& c : split(a->second, ' ')) text += (text.empty() ? "" : ", ") + option_text(w, q, c);
                std::fprintf(stderr, "  %s: Ihre Antwort in Stufe %d: %s\n", it.key.c_str(), w.pack->from_round, text.c_str());
            }
        }
    }
}

void show_page(const Walk& w, const Session& s, const Question& q) {
    int number = 0, total = 0;
    for (const Question* v : s.visible_questions()) {
        total++;
        if (v == &q) number = total;
    }
    std::fprintf(stderr, "\n[%s] %d/%d, %d %%%s\n", q.code.c_str(), number, total, s.progress_percent(),
                 q.mandatory ? ", required" : "");
    std::fprintf(stderr, "%s\n", w.text(q.text, &q).c_str());
    if (!q.help.empty()) std::fprintf(stderr, "  (%s)\n", w.text(q.help, &q).c_str());
    if (q.type == QuestionType::SingleChoice || q.type == QuestionType::MultipleChoice ||
        q.type == QuestionType::Ranking || q.type == QuestionType::YesNo) {
        for (size_t i = 0; i < q.options.size(); i++)
            std::fprintf(stderr, "  %zu) %s\n", i + 1, w.text(q.options[i].text).c_str());
        if (q.other)
            std::fprintf(stderr, "  o) %s\n", q.other_label.empty() ? "other" : w.text(q.other_label).c_str());
    }
    if (q.type == QuestionType::Rating)
        std::fprintf(stderr, "  %d = %s ... %d = %s\n", q.scale_min, w.text(q.min_label).c_str(), q.scale_max,
                     w.text(q.max_label).c_str());
    if (q.type == QuestionType::Matrix || q.type == QuestionType::MultiText || q.type == QuestionType::MultiNumeric) {
        for (const Row* r : visible_rows(s, q)) std::fprintf(stderr, "  row %s: %s\n", r->code.c_str(), w.text(r->text).c_str());
        if (q.type == QuestionType::Matrix) {
            for (size_t i = 0; i < q.options.size(); i++)
                std::fprintf(stderr, "  column %zu) %s\n", i + 1, w.text(q.options[i].text).c_str());
            for (size_t i = 0; i < q.options2.size(); i++)
                std::fprintf(stderr, "  scale 2: %zu) %s\n", i + 1, w.text(q.options2[i].text).c_str());
        }
    }
    if (w.pack) show_feedback(w, q);
    std::string extras;
    if (w.survey->settings.no_answer_option && !q.mandatory && q.has_answer()) extras += "; - = keine Antwort";
    if (q.comment) extras += "; c:TEXT = comment";
    std::fprintf(stderr, "  [%s; Enter = %s; < = back%s]\n", type_hint(q).c_str(),
                 q.has_answer() ? "skip/keep" : "next", extras.c_str());
    const Answer* a = s.answer(q.code);
    if (a && !a->empty()) std::fprintf(stderr, "  now: %s\n", render_answer(w, q, a).c_str());
}

// Reads the answer typed for `q`. Keeps the stored comment. Returns false with *error set
// when the input cannot be read as an answer of this type.
bool parse_answer(const Session& s, const Question& q, const std::string& line, Answer* out, std::string* error) {
    Answer a;
    if (const Answer* old = s.answer(q.code)) a.comment = old->comment;
    std::string in = trim(line);
    switch (q.type) {
    case QuestionType::SingleChoice:
        if (q.other && in.rfind("o:", 0) == 0) {
            a.value = kOtherCode;
            a.other = trim(in.substr(2));
        } else {
            std::vector<std::string> ws = split_tokens(in, kWordSeparators);
            if (ws.size() != 1) { *error = "type one option number"; return false; }
            a.value = option_at(q.options, ws[0], error);
            if (a.value.empty()) return false;
        }
        break;
    case QuestionType::MultipleChoice: {
        std::string nums = in;
        size_t o = in.find("o:");
        if (q.other && o != std::string::npos) {
            a.other = trim(in.substr(o + 2));
            nums = in.substr(0, o);
        }
        if (!options_at(q.options, nums, a.values, error)) return false;
        break;
    }
    case QuestionType::Ranking:
        if (!options_at(q.options, in, a.values, error)) return false;
        break;
    case QuestionType::YesNo:
        if (is_yes(in)) a.value = "Y";
        else if (is_no(in)) a.value = "N";
        else { *error = "type 1 (yes) or 2 (no)"; return false; }
        break;
    case QuestionType::RankedList:
        for (const std::string& e : split(line, ';'))
            if (!trim(e).empty()) a.values.push_back(trim(e));
        break;
    case QuestionType::Matrix:
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric: {
        std::vector<const Row*> rows = visible_rows(s, q);
        std::vector<std::string> parts = split(line, ';');
        if (parts.size() > rows.size()) {
            *error = std::to_string(parts.size()) + " rows given, but there are " + std::to_string(rows.size());
            return false;
        }
        for (size_t i = 0; i < parts.size(); i++) {
            std::string cell = trim(parts[i]);
            if (cell.empty()) continue;
            const std::string& rc = rows[i]->code;
            if (q.type != QuestionType::Matrix) {
                a.cells[rc] = cell;
            } else if (q.cell == MatrixCell::Choice) {
                std::vector<std::string> ab = split(cell, '/');
                if (ab.size() > (q.options2.empty() ? 1u : 2u)) { *error = "row " + rc + ": too many '/'"; return false; }
                if (!trim(ab[0]).empty()) {
                    std::string c = option_at(q.options, trim(ab[0]), error);
                    if (c.empty()) { *error = "row " + rc + ": " + *error; return false; }
                    a.cells[rc] = c;
                }
                if (ab.size() == 2 && !trim(ab[1]).empty()) {
                    std::string c = option_at(q.options2, trim(ab[1]), error);
                    if (c.empty()) { *error = "row " + rc + ", scale 2: " + *error; return false; }
                    a.cells[rc + "#1"] = c;
                }
            } else {
                std::vector<std::string> cols = split(cell, '|');
                if (cols.size() > q.options.size()) { *error = "row " + rc + ": more values than columns"; return false; }
                for (size_t c = 0; c < cols.size(); c++)
                    if (!trim(cols[c]).empty()) a.cells[rc + "_" + q.options[c].code] = trim(cols[c]);
            }
        }
        break;
    }
    case QuestionType::ShortText:
    case QuestionType::LongText:
        a.value = line;
        break;
    case QuestionType::Numeric:
    case QuestionType::Rating:
    case QuestionType::Date:
        a.value = in;
        break;
    case QuestionType::Equation:
    case QuestionType::Info:
        break;
    }
    *out = a;
    return true;
}

void show_review(const Walk& w, const Session& s) {
    std::fprintf(stderr, "\n--- Review ---\n");
    for (const Question* q : s.visible_questions()) {
        if (!q->has_answer()) continue;
        std::fprintf(stderr, "  %-8s %s\n", q->code.c_str(), render_answer(w, *q, s.answer(q->code)).c_str());
    }
    std::fprintf(stderr, "  [Enter = send; CODE = change that answer; < = back]\n");
}

bool read_line(std::string* line) {
    std::fprintf(stderr, "> ");
    std::fflush(stderr);
    if (!std::getline(std::cin, *line)) return false;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    // Piped input is not echoed by a terminal: echo it so the transcript reads like a dialogue.
    if (!isatty(0)) std::fprintf(stderr, "%s\n", line->c_str());
    return true;
}

int run_walk(const Args& in_args) {
    Args args = in_args;
    std::string lang = take_option(args, "--lang");
    std::string channel = take_option(args, "--channel", kChannelKiosk);
    std::string site = take_option(args, "--site");
    std::string code_typed = take_option(args, "--code"), pack_path = take_option(args, "--pack");
    if (args.size() != 1) return usage_error("survey walk", "expects exactly one FILE (see --help)");
    for (const std::string& a : args)
        if (a.rfind("--", 0) == 0) return usage_error("survey walk", "unknown option " + a);
    if (channel != kChannelKiosk && channel != kChannelPaper && channel != kChannelAssisted && channel != kChannelTally)
        return usage_error("survey walk", "unknown channel '" + channel + "' (kiosk, paper, assisted, tally)");

    {
        std::ifstream probe(args[0]);
        if (!probe) return usage_error("survey walk", "cannot read " + args[0]);
    }
    LoadResult lr = load_survey(args[0]);
    if (!lr.ok()) {
        for (const LoadError& e : lr.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
        return 1;
    }
    Walk w;
    w.survey = lr.survey;
    w.lang = lang.empty() ? w.survey->original_language() : lang;
    bool known = false;
    std::string list;
    for (const std::string& l : w.survey->languages) {
        known = known || l == w.lang;
        list += (list.empty() ? "" : ", ") + l;
    }
    if (!known) return usage_error("survey walk", "language '" + w.lang + "' is not in the survey (" + list + ")");

    // A Delphi round: the code gives the pseudonym (Argon2id, a fraction of a second), the pack
    // the feedback. Both are refused for a survey that is no Delphi round, with what to do.
    delphi::ParticipantKeys keys;
    delphi::FeedbackPack pack;
    delphi::OwnAnswers own;
    if ((!code_typed.empty() || !pack_path.empty()) && w.survey->delphi.round < 1)
        return usage_error("survey walk", args[0] + " is no Delphi round: --code and --pack are for Delphi surveys");
    if (!code_typed.empty()) {
        std::string code = delphi::normalize_code(code_typed), err;
        if (code.empty() || !delphi::code_ok(code))
            return usage_error("survey walk", "'" + code_typed + "' is not a participant code: 21 letters and digits as on "
                                              "the invitation letter (hyphens and spaces do not matter)");
        if (!delphi::derive_participant_keys(code, w.survey->delphi.study, keys, &err)) return usage_error("survey walk", err);
    }
    if (!pack_path.empty()) {
        std::string bytes, err;
        if (!read_file_at_most(pack_path, delphi::kFeedbackPackMax, bytes, &err) || !delphi::read_feedback_pack(bytes, pack, &err))
            return usage_error("survey walk", pack_path + ": " + err);
        if (pack.for_survey != w.survey->id || pack.study != w.survey->delphi.study)
            return usage_error("survey walk", pack_path + " is the feedback for " + pack.for_survey + ", not for " + w.survey->id);
        w.pack = &pack;
        if (!keys.pseudonym.empty()) {
            if (delphi::find_own_answers(pack, keys, own)) w.own = &own;
            else std::fprintf(stderr, "(no answers of this code in round %d: the group's results only)\n", pack.from_round);
        }
    }

    Session s(w.survey, w.lang, (int64_t)std::time(nullptr));
    w.session = &s;
    std::fprintf(stderr, "%s\n", w.text(w.survey->title).c_str());
    if (!w.survey->description.empty()) std::fprintf(stderr, "%s\n", w.text(w.survey->description).c_str());
    std::fprintf(stderr, "(one line per page: the answer, Enter = skip or keep, < = back, !clear, !goto CODE;"
                         " end of input = stop with a partial response)\n");

    bool complete = false;
    const Question* shown = nullptr; // the page last printed, so a re-prompt does not repeat it
    for (;;) {
        const Question* q = s.current();
        if (!q) {
            show_review(w, s);
            shown = nullptr;
            std::string line;
            if (!read_line(&line)) break;
            line = trim(line);
            if (line.empty()) { complete = true; break; }
            if (line == "<") { s.back(); continue; }
            if (!s.go_to(line)) std::fprintf(stderr, "  ! no visible question '%s'\n", line.c_str());
            continue;
        }
        if (shown != q) show_page(w, s, *q);
        shown = q;
        std::string line;
        if (!read_line(&line)) break;
        std::string t = trim(line);
        AnswerProblem p;
        if (t.empty()) {
            p = s.next();
        } else if (t == "<") {
            if (!s.back()) std::fprintf(stderr, "  ! this is the first page\n");
            continue;
        } else if (t == "!clear") {
            s.clear_answer(q->code);
            shown = nullptr;
            continue;
        } else if (t.rfind("!goto", 0) == 0) {
            if (!s.go_to(trim(t.substr(5)))) std::fprintf(stderr, "  ! no visible question '%s'\n", trim(t.substr(5)).c_str());
            continue;
        } else if (t == "-" && w.survey->settings.no_answer_option && !q->mandatory && q->has_answer()) {
            Answer a;
            a.no_answer = true;
            s.set_answer(q->code, a);
            p = s.next();
        } else if (q->comment && t.rfind("c:", 0) == 0) {
            Answer a;
            if (const Answer* old = s.answer(q->code)) a = *old;
            a.no_answer = false;
            a.comment = trim(t.substr(2));
            p = s.set_answer(q->code, a);
            std::fprintf(stderr, "  comment %s\n", p.ok() ? "saved" : problem_text(p).c_str());
            continue;
        } else if (!q->has_answer()) {
            p = s.next();
        } else {
            Answer a;
            std::string error;
            if (!parse_answer(s, *q, line, &a, &error)) {
                std::fprintf(stderr, "  ! %s\n", error.c_str());
                continue;
            }
            p = s.set_answer(q->code, a);
            if (p.ok()) p = s.next();
        }
        if (!p.ok()) std::fprintf(stderr, "  ! %s\n", problem_text(p).c_str());
    }
    if (!complete) std::fprintf(stderr, "\n(end of input: partial response)\n");
    if (complete && !w.survey->end_text.empty()) std::fprintf(stderr, "%s\n", w.text(w.survey->end_text).c_str());
    Response r = s.finish(complete, (int64_t)std::time(nullptr), channel, site);
    r.pseudonym = keys.pseudonym;
    std::printf("%s\n", serialize_response(r).c_str());
    return 0;
}

} // namespace

static Command walk_cmd("survey walk", "FILE [--lang L] [--channel C] [--site S] [--code CODE] [--pack FILE.delphi]",
                        "answer a survey in the terminal; prints the response JSON", run_walk);

} // namespace tk::cli
