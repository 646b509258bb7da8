// paper_form.cpp - drawing the questionnaire with cairo, its text through Pango.
//
// Layout runs twice per print: once into a PDF surface that discards its bytes, to count
// the pages ("Seite 2 von 5" must be known on page 1), and once for real. Both passes use
// PDF surfaces so that text metrics - and therefore every line break - are identical.
//
// Text goes through Pango (pangocairo): it shapes (Arabic joining, ligatures), orders (the
// Unicode bidi algorithm: numbers and Latin words inside Arabic or Persian) and falls back to
// a font that has the script (Noto Sans Arabic beside Noto Sans). Lines are broken here, in
// logical order, and each line is then shaped and ordered on its own. A right-to-left
// language (text_direction.h) mirrors the whole sheet: every x the layout code computes from
// the left is taken from the right (Pen::mx), so boxes stand right of their labels, text
// aligns right and the QR code moves to the top left.
#include "paper_form.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "paper_draw.h"
#include "paper_entry.h"
#include "sheet_id.h"
#include "text_direction.h"

namespace tk {

// ---------------------------------------------------------------------------------------
// The form's own words. German is complete and the last fallback; Leichte Sprache says the
// same in shorter sentences; English for the English surveys.

static const std::map<std::string, std::map<std::string, std::string>>& form_texts() {
    static const std::map<std::string, std::map<std::string, std::string>> t = {
        {"de",
         {{"sheet", "Bogen-Nr."},
          {"delphi_code", "Ihr Code vom Einladungsschreiben (21 Zeichen): ________________________________________ "
                          "(ohne Code bleibt der Bogen anonym; in der nächsten Stufe sehen Sie dann nur das Ergebnis "
                          "der Gruppe)"},
          {"piped_answer", "[Ihre Antwort auf Frage {n}]"},
          {"piped_value", "[…]"},
          {"page", "Seite {n} von {m}"},
          {"how", "So kreuzen Sie an: Machen Sie ein Kreuz in das Kästchen. Zum Verbessern malen Sie das "
                  "falsche Kästchen ganz aus. Jede Frage ist freiwillig."},
          {"one", "Bitte kreuzen Sie ein Kästchen an."},
          {"many", "Sie können mehrere Kästchen ankreuzen."},
          {"many_max", "Sie können bis zu {x} Kästchen ankreuzen."},
          {"rank", "Schreiben Sie 1 in das Kästchen des Wichtigsten, 2 für das Zweitwichtigste und so weiter."},
          {"rank_max", "Schreiben Sie 1 in das Kästchen des Wichtigsten, 2 für das Zweitwichtigste und so "
                       "weiter – bis zu {x} Kästchen."},
          {"ranked_list", "Das Wichtigste bitte in die erste Zeile."},
          {"matrix", "Bitte kreuzen Sie in jeder Zeile ein Kästchen an."},
          {"other", "andere, und zwar:"},
          {"no_answer", "keine Antwort"},
          {"comment", "Anmerkung:"},
          {"number", "Zahl:"},
          {"date", "Datum (Tag . Monat . Jahr):"},
          {"when_ticked", "Nur beantworten, wenn Sie bei Frage {n} {opts} angekreuzt haben."},
          {"when_count", "Nur beantworten, wenn Sie bei Frage {n} mindestens {x} Kästchen angekreuzt haben."},
          {"when_other", "Nur beantworten, wenn dies zutrifft: {cond}"},
          {"part_when_ticked", "Diesen Teil nur ausfüllen, wenn Sie bei Frage {n} {opts} angekreuzt haben."},
          {"part_when_count", "Diesen Teil nur ausfüllen, wenn Sie bei Frage {n} mindestens {x} Kästchen "
                              "angekreuzt haben."},
          {"part_when_other", "Diesen Teil nur ausfüllen, wenn dies zutrifft: {cond}"},
          {"or", "oder"},
          {"skip_to", "» weiter mit Frage {n}"},
          {"skip_end", "» weiter am Ende des Bogens"},
          {"q_open", "„"},
          {"q_close", "“"},
          {"end", "Vielen Dank! Bitte geben Sie den Bogen ab."},
          {"blank", "Diese Seite bleibt leer."},
          {"continued", "Frage {n} (Fortsetzung)"}}},
        {"de-x-ls",
         {{"sheet", "Bogen-Nummer"},
          {"piped_answer", "[Ihre Antwort bei Frage {n}]"},
          {"how", "So geht es: Machen Sie ein Kreuz in das Kästchen. Sie haben sich vertan? Dann malen Sie "
                  "das Kästchen ganz aus. Sie müssen nicht jede Frage beantworten."},
          {"one", "Machen Sie 1 Kreuz."},
          {"many", "Sie können mehrere Kreuze machen."},
          {"many_max", "Sie können bis zu {x} Kreuze machen."},
          {"rank", "Was ist am wichtigsten? Schreiben Sie dort eine 1 hin. Beim Zweitwichtigsten eine 2. Und so weiter."},
          {"rank_max", "Was ist am wichtigsten? Schreiben Sie dort eine 1 hin. Beim Zweitwichtigsten eine 2. "
                       "Sie können bis zu {x} Zahlen schreiben."},
          {"matrix", "Machen Sie in jeder Zeile 1 Kreuz."},
          {"other", "Etwas anderes:"},
          {"when_ticked", "Diese Frage ist nur für Sie, wenn Sie bei Frage {n} {opts} angekreuzt haben."},
          {"when_count", "Diese Frage ist nur für Sie, wenn Sie bei Frage {n} mindestens {x} Kreuze gemacht haben."},
          {"part_when_ticked", "Dieser Teil ist nur für Sie, wenn Sie bei Frage {n} {opts} angekreuzt haben."},
          {"part_when_count", "Dieser Teil ist nur für Sie, wenn Sie bei Frage {n} mindestens {x} Kreuze "
                              "gemacht haben."},
          {"skip_to", "» Machen Sie weiter bei Frage {n}"},
          {"skip_end", "» Machen Sie weiter am Ende"},
          {"end", "Vielen Dank! Bitte geben Sie den Bogen ab."}}},
        {"en",
         {{"sheet", "Sheet no."},
          {"delphi_code", "Your code from the invitation letter (21 characters): ________________________________________ "
                          "(without a code the sheet stays anonymous; in the next round you will see the group's "
                          "result only)"},
          {"piped_answer", "[your answer to question {n}]"},
          {"piped_value", "[…]"},
          {"page", "Page {n} of {m}"},
          {"how", "How to answer: put a cross in the box. To correct, fill the wrong box in completely. "
                  "Every question is voluntary."},
          {"one", "Please tick one box."},
          {"many", "You can tick several boxes."},
          {"many_max", "You can tick up to {x} boxes."},
          {"rank", "Write 1 in the box of the most important, 2 for the second most important, and so on."},
          {"rank_max", "Write 1 in the box of the most important, 2 for the second most important, and so on "
                       "- up to {x} boxes."},
          {"ranked_list", "Most important first, please."},
          {"matrix", "Please tick one box in each row."},
          {"other", "other, namely:"},
          {"no_answer", "prefer not to say"},
          {"comment", "Comment:"},
          {"number", "Number:"},
          {"date", "Date (day . month . year):"},
          {"when_ticked", "Only answer if you ticked {opts} in question {n}."},
          {"when_count", "Only answer if you ticked at least {x} boxes in question {n}."},
          {"when_other", "Only answer if this applies: {cond}"},
          {"part_when_ticked", "Only fill in this part if you ticked {opts} in question {n}."},
          {"part_when_count", "Only fill in this part if you ticked at least {x} boxes in question {n}."},
          {"part_when_other", "Only fill in this part if this applies: {cond}"},
          {"or", "or"},
          {"skip_to", "» go on with question {n}"},
          {"skip_end", "» go on at the end of the form"},
          {"q_open", "“"},
          {"q_close", "”"},
          {"end", "Thank you! Please hand in the form."},
          {"blank", "This page is intentionally left blank."},
          {"continued", "Question {n} (continued)"}}},
        // Arabic and Persian: translations awaiting review by a native speaker, like the survey
        // texts in those languages. Quotation marks are the guillemets both scripts use.
        {"ar",
         {{"sheet", "رقم الاستمارة"},
          {"page", "الصفحة {n} من {m}"},
          {"how", "طريقة الإجابة: ضع علامة في المربع. للتصحيح، لوّن المربع الخطأ بالكامل. كل الأسئلة اختيارية."},
          {"one", "يرجى وضع علامة في مربع واحد."},
          {"many", "يمكنك وضع علامة في عدة مربعات."},
          {"many_max", "يمكنك وضع علامة في {x} مربعات كحد أقصى."},
          {"rank", "اكتب 1 في مربع الأهم، و2 للذي يليه في الأهمية، وهكذا."},
          {"rank_max", "اكتب 1 في مربع الأهم، و2 للذي يليه في الأهمية، وهكذا - حتى {x} مربعات."},
          {"ranked_list", "الأهم أولاً من فضلك."},
          {"matrix", "يرجى وضع علامة في مربع واحد في كل سطر."},
          {"other", "غير ذلك، وهو:"},
          {"no_answer", "لا إجابة"},
          {"comment", "ملاحظة:"},
          {"number", "رقم:"},
          {"date", "التاريخ (يوم . شهر . سنة):"},
          {"when_ticked", "أجب فقط إذا وضعت علامة على {opts} في السؤال {n}."},
          {"when_count", "أجب فقط إذا وضعت علامة في {x} مربعات على الأقل في السؤال {n}."},
          {"when_other", "أجب فقط إذا انطبق هذا: {cond}"},
          {"part_when_ticked", "املأ هذا الجزء فقط إذا وضعت علامة على {opts} في السؤال {n}."},
          {"part_when_count", "املأ هذا الجزء فقط إذا وضعت علامة في {x} مربعات على الأقل في السؤال {n}."},
          {"part_when_other", "املأ هذا الجزء فقط إذا انطبق هذا: {cond}"},
          {"or", "أو"},
          {"skip_to", "« تابع بالسؤال {n}"},
          {"skip_end", "« تابع في نهاية الاستمارة"},
          {"q_open", "«"},
          {"q_close", "»"},
          {"end", "شكراً لك! يرجى تسليم الاستمارة."},
          {"blank", "هذه الصفحة متروكة فارغة عمداً."},
          {"continued", "السؤال {n} (تابع)"}}},
        {"fa",
         {{"sheet", "شماره‌ی برگه"},
          {"page", "صفحه‌ی {n} از {m}"},
          {"how", "روش پاسخ: در مربع علامت بزنید. برای اصلاح، مربع اشتباه را کاملاً پر کنید. پاسخ به همه‌ی پرسش‌ها اختیاری است."},
          {"one", "لطفاً یک مربع را علامت بزنید."},
          {"many", "می‌توانید چند مربع را علامت بزنید."},
          {"many_max", "می‌توانید حداکثر {x} مربع را علامت بزنید."},
          {"rank", "در مربعِ مهم‌ترین 1 بنویسید، برای دومی 2 و به همین ترتیب."},
          {"rank_max", "در مربعِ مهم‌ترین 1 بنویسید، برای دومی 2 و به همین ترتیب - تا {x} مربع."},
          {"ranked_list", "لطفاً مهم‌ترین را اول بنویسید."},
          {"matrix", "لطفاً در هر ردیف یک مربع را علامت بزنید."},
          {"other", "سایر، یعنی:"},
          {"no_answer", "بدون پاسخ"},
          {"comment", "توضیح:"},
          {"number", "عدد:"},
          {"date", "تاریخ (روز . ماه . سال):"},
          {"when_ticked", "فقط اگر در پرسش {n} گزینه‌ی {opts} را علامت زده‌اید پاسخ دهید."},
          {"when_count", "فقط اگر در پرسش {n} دست‌کم {x} مربع را علامت زده‌اید پاسخ دهید."},
          {"when_other", "فقط اگر این صدق می‌کند پاسخ دهید: {cond}"},
          {"part_when_ticked", "این بخش را فقط اگر در پرسش {n} گزینه‌ی {opts} را علامت زده‌اید پر کنید."},
          {"part_when_count", "این بخش را فقط اگر در پرسش {n} دست‌کم {x} مربع را علامت زده‌اید پر کنید."},
          {"part_when_other", "این بخش را فقط اگر این صدق می‌کند پر کنید: {cond}"},
          {"or", "یا"},
          {"skip_to", "« ادامه با پرسش {n}"},
          {"skip_end", "« ادامه در پایان برگه"},
          {"q_open", "«"},
          {"q_close", "»"},
          {"end", "سپاسگزاریم! لطفاً برگه را تحویل دهید."},
          {"blank", "این صفحه عمداً خالی مانده است."},
          {"continued", "پرسش {n} (ادامه)"}}},
    };
    return t;
}

const std::string& form_text(const std::string& lang, const std::string& key) {
    const auto& t = form_texts();
    std::vector<std::string> chain = language_fallbacks(lang);
    chain.push_back("de");
    for (const auto& l : chain) {
        auto it = t.find(l);
        if (it == t.end()) continue;
        auto k = it->second.find(key);
        if (k != it->second.end()) return k->second;
    }
    static const std::string none;
    return none;
}

static std::string fill(std::string s, const std::string& name, const std::string& value) {
    std::string pat = "{" + name + "}";
    for (size_t p; (p = s.find(pat)) != std::string::npos;) s.replace(p, pat.size(), value);
    return s;
}

// ---------------------------------------------------------------------------------------
// Conditions in words

std::map<std::string, int> paper_question_numbers(const Survey& s) {
    std::map<std::string, int> m;
    int n = 0;
    for (const auto& ref : s.all_questions())
        if (ref.q->has_answer() && ref.q->type != QuestionType::Equation) m[ref.q->code] = ++n; // equations are not printed
    return m;
}

// A survey text as paper prints it: a piped answer ("{A2.shown}") cannot be known when the
// form is printed, so it becomes "[Ihre Antwort auf Frage 3]" (the number on this form, or
// the code of a question the form does not number), any other expression "[…]".
static std::string paper_text(const Survey& s, const LocalText& t, const std::string& lang) {
    const std::string& raw = t.get(lang, s.original_language());
    if (!may_pipe(raw)) return raw;
    auto numbers = paper_question_numbers(s);
    return render_piped_with(s.piped_text(raw), [&](const PipePart& part) {
        std::string var = piped_variable(part);
        const Question* q = nullptr; // the longest code C with var == C or var starting "C_"
        for (const auto& ref : s.all_questions()) {
            const std::string& c = ref.q->code;
            if ((var == c || (var.size() > c.size() && var.compare(0, c.size(), c) == 0 && var[c.size()] == '_')) &&
                (!q || c.size() > q->code.size()))
                q = ref.q;
        }
        if (!q) return form_text(lang, "piped_value");
        std::string n = numbers.count(q->code) ? std::to_string(numbers[q->code]) : q->code;
        std::string out = form_text(lang, "piped_answer");
        out.replace(out.find("{n}"), 3, n);
        return out;
    });
}

static std::string choice_label(const Survey& s, const Question& q, const PaperChoice& c, const std::string& lang) {
    if (c.label) return paper_text(s, *c.label, lang);
    if (c.code == kOtherCode) {
        const std::string l = paper_text(s, q.other_label, lang);
        return l.empty() ? form_text(lang, "other") : l;
    }
    return form_text(lang, "no_answer");
}

// Evaluates `cond` with the single question `q` answered `value` (and, for multiple choice,
// option `value` ticked); everything else reads as empty, as an unanswered question does.
static bool holds(const Expr& cond, const Question& q, const std::string& value, int count) {
    VarLookup lookup = [&](const std::string& name, const std::string&) -> ExprValue {
        if (name == q.code) {
            if (q.type == QuestionType::MultipleChoice || q.type == QuestionType::Ranking)
                return count > 0 ? ExprValue::of_number(count) : ExprValue::of_string("");
            return ExprValue::of_string(value);
        }
        if (q.type == QuestionType::MultipleChoice && name == q.code + "_" + value) return ExprValue::of_string("Y");
        return ExprValue::of_string("");
    };
    return evaluate_condition(cond, lookup);
}

static const Question* single_source(const Survey& s, const Expr& cond) {
    const Question* src = nullptr;
    for (const auto& name : referenced_variables(cond)) {
        const Question* q = paper_variable_question(s, name);
        if (!q || (src && src != q)) return nullptr;
        src = q;
    }
    return src;
}

std::string condition_instruction(const Survey& s, const std::string& src_text, const std::shared_ptr<const Expr>& cond,
                                  const std::string& lang, bool group) {
    if (!cond) return "";
    std::string pre = group ? "part_" : "";
    const Question* q = single_source(s, *cond);
    auto numbers = paper_question_numbers(s);
    if (q && numbers.count(q->code)) {
        std::string n = std::to_string(numbers[q->code]);
        auto choices = paper_choices(s, *q);
        if (q->type == QuestionType::SingleChoice || q->type == QuestionType::YesNo || q->type == QuestionType::Rating ||
            q->type == QuestionType::MultipleChoice) {
            bool counts_only = q->type == QuestionType::MultipleChoice;
            for (const auto& name : referenced_variables(*cond)) counts_only = counts_only && name == q->code;
            if (counts_only) {
                // "SEKTOR >= 2": the smallest number of ticks from which it holds, if it then always holds.
                int n_opts = int(q->options.size()), first = -1;
                bool monotone = true;
                for (int k = 0; k <= n_opts; ++k) {
                    bool h = holds(*cond, *q, "", k);
                    if (h && first < 0) first = k;
                    if (!h && first >= 0) monotone = false;
                }
                if (first >= 1 && monotone)
                    return fill(fill(form_text(lang, pre + "when_count"), "n", n), "x", std::to_string(first));
            } else {
                std::vector<std::string> yes;
                size_t considered = 0;
                for (const auto& c : choices) {
                    if (c.code == kNoAnswerCode) continue;
                    ++considered;
                    if (holds(*cond, *q, c.code, 1)) yes.push_back(choice_label(s, *q, c, lang));
                }
                if (!yes.empty() && yes.size() < considered) {
                    std::string opts;
                    for (size_t i = 0; i < yes.size(); ++i) {
                        if (i) opts += i + 1 == yes.size() ? " " + form_text(lang, "or") + " " : ", ";
                        opts += form_text(lang, "q_open") + yes[i] + form_text(lang, "q_close");
                    }
                    return fill(fill(form_text(lang, pre + "when_ticked"), "n", n), "opts", opts);
                }
            }
        }
    }
    return fill(form_text(lang, pre + "when_other"), "cond", src_text);
}

std::string skip_instruction(const Survey& s, const Question& q, const std::string& code, const std::string& lang) {
    auto all = s.all_questions();
    auto numbers = paper_question_numbers(s);
    size_t i = 0;
    while (i < all.size() && all[i].q != &q) ++i;
    int skipped = 0;
    for (size_t j = i + 1; j < all.size(); ++j) {
        const Question& f = *all[j].q;
        if (!f.has_answer() || f.type == QuestionType::Equation) continue;
        std::vector<const Expr*> conds;
        if (s.groups[all[j].group].condition && all[j].group != all[i].group)
            conds.push_back(s.groups[all[j].group].condition.get());
        if (f.condition) conds.push_back(f.condition.get());
        bool applies = true;
        for (const Expr* c : conds) {
            if (single_source(s, *c) != &q) return skipped ? fill(form_text(lang, "skip_to"), "n", std::to_string(numbers[f.code])) : "";
            applies = applies && holds(*c, q, code, 1);
        }
        if (applies) return skipped ? fill(form_text(lang, "skip_to"), "n", std::to_string(numbers[f.code])) : "";
        ++skipped;
    }
    return skipped ? form_text(lang, "skip_end") : "";
}

// ---------------------------------------------------------------------------------------
// Drawing

void set_font(PangoLayout* layout, double size, bool bold) {
    PangoFontDescription* d = pango_font_description_new();
    pango_font_description_set_family(d, "Noto Sans");
    pango_font_description_set_weight(d, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
    pango_layout_set_font_description(layout, d);
    pango_font_description_free(d);
}

void draw_qr_code(cairo_t* cr, const std::string& text, double x, double y, double size) {
    QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return;
    int w = qr->width;
    double m = size / (w + 8); // four modules of quiet zone on each side
    for (int r = 0; r < w; ++r)
        for (int c = 0; c < w; ++c)
            if (qr->data[r * w + c] & 1) cairo_rectangle(cr, x + (c + 4) * m, y + (r + 4) * m, m, m);
    cairo_fill(cr);
    QRcode_free(qr);
}

namespace {

struct Sizes {
    double body, small, heading, title, box, line;
};

struct Pen {
    cairo_t* cr = nullptr;
    PangoLayout* layout = nullptr; // on cr; holds the font chosen by font()
    bool rtl = false;              // the language runs right to left: the sheet mirrors
    bool draw = false;
    Sizes z{};
    double left = 48, right = 595.28 - 48, top = 40, bottom = 841.89 - 48;
    double body_top = 0; // first line below the page header
    double y = 0;
    int page = 0, pages = 0;
    int continued = 0;   // number of the question being drawn once its heading is out (0 = none)
    std::string sheet_id, lang, title, intro;
    bool large = false;
    const QuestionNotes* notes = nullptr; // PrintOptions::notes
    // Where something that spans x..x+w from the left edge goes: mirrored on a right-to-left sheet.
    double mx(double x, double w) const { return rtl ? left + right - x - w : x; }
};

// A Pango layout on the pen's cairo context, in the sheet's direction (not guessed per line:
// a Persian line that starts with "WhatsApp" is still a right-to-left line).
void open_layout(Pen& p) {
    p.layout = pango_cairo_create_layout(p.cr);
    pango_layout_set_auto_dir(p.layout, FALSE);
    PangoContext* ctx = pango_layout_get_context(p.layout);
    pango_context_set_base_dir(ctx, p.rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
    // Unhinted, unrounded metrics, as cairo's toy text API measured before: Pango's default
    // rounds every glyph to whole points, which made lines about 1 % longer and large print a
    // page longer. The PDF is scaled, not a screen: hinting buys nothing there.
    pango_context_set_round_glyph_positions(ctx, FALSE);
    cairo_font_options_t* o = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(o, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(o, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, o);
    cairo_font_options_destroy(o);
    pango_layout_context_changed(p.layout);
}

void close_layout(Pen& p) {
    if (p.layout) g_object_unref(p.layout);
    p.layout = nullptr;
}

// Noto Sans at `size` points (an em of `size` user units, as cairo_set_font_size had it).
void font(Pen& p, double size, bool bold = false) { set_font(p.layout, size, bold); }

double width_of(Pen& p, const std::string& t) {
    pango_layout_set_text(p.layout, t.c_str(), int(t.size()));
    PangoRectangle logical;
    pango_layout_get_extents(p.layout, nullptr, &logical);
    return double(logical.width) / PANGO_SCALE;
}

std::vector<std::string> wrap(Pen& p, const std::string& text, double width) {
    std::vector<std::string> lines;
    std::string line, word;
    auto flush_word = [&]() {
        if (word.empty()) return;
        std::string cand = line.empty() ? word : line + " " + word;
        if (!line.empty() && width_of(p, cand) > width) {
            lines.push_back(line);
            line = word;
        } else {
            line = cand;
        }
        word.clear();
    };
    for (char c : text) {
        if (c == '\n') {
            flush_word();
            lines.push_back(line);
            line.clear();
        } else if (c == ' ' || c == '\t') {
            flush_word();
        } else {
            word += c;
        }
    }
    flush_word();
    if (!line.empty() || lines.empty()) lines.push_back(line);
    return lines;
}

void gray(Pen& p, double g) { cairo_set_source_rgb(p.cr, g, g, g); }

// One line starting at x (from the sheet's reading edge) on `baseline`.
void text_at(Pen& p, double x, double baseline, const std::string& t) {
    if (!p.draw) return;
    double w = width_of(p, t); // also puts t into the layout
    cairo_move_to(p.cr, p.mx(x, w), baseline); // a layout line is drawn from its baseline's left end
    pango_cairo_show_layout_line(p.cr, pango_layout_get_line_readonly(p.layout, 0));
}

void draw_qr(Pen& p, const std::string& id, double x, double y, double size) {
    gray(p, 0);
    draw_qr_code(p.cr, id, p.mx(x, size), y, size);
}

// Header (title, sheet id, QR code) and footer (page, sheet id) of the current page.
void page_frame(Pen& p) {
    double qr = p.large ? 78 : 64;
    p.body_top = p.top + qr + 10;
    if (!p.draw) return;
    draw_qr(p, p.sheet_id, p.right - qr + 4, p.top - 8, qr);
    font(p, p.z.small, true);
    gray(p, 0);
    std::string sid = form_text(p.lang, "sheet") + " " + p.sheet_id;
    text_at(p, p.right - qr - 8 - width_of(p, sid), p.top + p.z.small, sid);
    font(p, p.z.small);
    gray(p, 0.25);
    double tw = p.right - qr - 16 - p.left - width_of(p, sid) - 12;
    auto tl = wrap(p, p.title, tw);
    // Page 1 shows the title large below; the header repeats it on the following pages.
    if (p.page > 1) text_at(p, p.left, p.top + p.z.small, tl.front() + (tl.size() > 1 ? " …" : ""));
    std::string foot = fill(fill(form_text(p.lang, "page"), "n", std::to_string(p.page)), "m", std::to_string(p.pages)) +
                       "   ·   " + form_text(p.lang, "sheet") + " " + p.sheet_id;
    text_at(p, p.left, p.bottom + p.z.small * 1.8, foot);
    cairo_set_line_width(p.cr, 0.5);
    cairo_move_to(p.cr, p.left, p.bottom + 4);
    cairo_line_to(p.cr, p.right, p.bottom + 4);
    cairo_stroke(p.cr);
    gray(p, 0);
}

void new_page(Pen& p) {
    if (p.page > 0 && p.draw) cairo_show_page(p.cr);
    ++p.page;
    page_frame(p);
    p.y = p.body_top;
    if (p.continued > 0) { // a question goes on from the page before
        font(p, p.z.small, true);
        gray(p, 0.35);
        if (p.draw) text_at(p, p.left, p.y + p.z.small, fill(form_text(p.lang, "continued"), "n", std::to_string(p.continued)));
        gray(p, 0);
        p.y += p.z.small * 2;
    }
}

void ensure(Pen& p, double h) {
    if (p.y + h > p.bottom && p.y > p.body_top + 1) new_page(p);
}

// Wrapped paragraph at x..right. Returns its height; breaks pages between lines.
void paragraph(Pen& p, const std::string& t, double x, double size, bool bold, double g = 0) {
    font(p, size, bold);
    double lh = size * 1.3;
    for (const auto& l : wrap(p, t, p.right - x)) {
        ensure(p, lh);
        gray(p, g);
        text_at(p, x, p.y + size, l);
        p.y += lh;
    }
    gray(p, 0);
}

void box(Pen& p, double x, double y, double w, double h) {
    if (!p.draw) return;
    cairo_set_line_width(p.cr, p.large ? 1.4 : 1.0);
    cairo_rectangle(p.cr, p.mx(x, w), y, w, h);
    cairo_stroke(p.cr);
}

void hline(Pen& p, double x0, double x1, double y, double g = 0.45) {
    if (!p.draw) return;
    gray(p, g);
    cairo_set_line_width(p.cr, 0.6);
    cairo_move_to(p.cr, p.mx(x0, 0), y);
    cairo_line_to(p.cr, p.mx(x1, 0), y);
    cairo_stroke(p.cr);
    gray(p, 0);
}

// One numbered box with its label; `suffix` (a skip instruction) follows in bold.
void choice_line(Pen& p, double x, const std::string& number, const std::string& label, const std::string& suffix,
                 bool write_line) {
    double b = p.z.box, lh = p.z.body * 1.3, box_w = b;
    font(p, p.z.small, true);
    double nx = x + box_w + 6, num_w = width_of(p, "00") + 6;
    double tx = nx + num_w;
    font(p, p.z.body);
    auto lines = wrap(p, label, p.right - tx);
    ensure(p, std::max(b, lh * lines.size()) + 4);
    double y0 = p.y;
    box(p, x, y0 + 1, box_w, b);
    font(p, p.z.small, true);
    gray(p, 0.3);
    text_at(p, nx, y0 + p.z.body, number);
    gray(p, 0);
    font(p, p.z.body);
    for (size_t i = 0; i < lines.size(); ++i) text_at(p, tx, y0 + p.z.body + i * lh, lines[i]);
    double end_x = tx + (lines.empty() ? 0 : width_of(p, lines.back())) + 8;
    p.y = y0 + std::max(b + 4, lh * lines.size());
    if (write_line) {
        hline(p, std::min(end_x, p.right - 60), p.right, p.y - 4);
    }
    if (!suffix.empty()) {
        font(p, p.z.body, true);
        if (end_x + width_of(p, suffix) > p.right) {
            ensure(p, lh);
            text_at(p, tx, p.y + p.z.body, suffix);
            p.y += lh;
        } else {
            text_at(p, end_x, y0 + p.z.body + (lines.size() - 1) * lh, suffix);
        }
    }
    p.y += p.z.body * 0.35;
}

// One box of a ranking with its label. The box takes a handwritten digit: at least 8 mm
// square (24 pt; 30 pt in large print). No option number stands beside it, since a printed
// "3" next to a written "1" is what enterers misread; ranks are typed in box order.
void rank_line(Pen& p, double x, const std::string& label) {
    double b = p.large ? 30 : 24, lh = p.z.body * 1.3;
    double tx = x + b + 10;
    font(p, p.z.body);
    auto lines = wrap(p, label, p.right - tx);
    double text_h = lh * lines.size();
    ensure(p, std::max(b, text_h) + 6);
    double y0 = p.y;
    box(p, x, y0 + 1, b, b);
    double ty = y0 + 1 + std::max(0.0, (b - text_h) / 2) + p.z.body;
    for (size_t i = 0; i < lines.size(); ++i) text_at(p, tx, ty + i * lh, lines[i]);
    p.y = y0 + std::max(b, text_h) + 6;
}

void write_lines(Pen& p, double x, int n, const std::string& prefix = "") {
    double lh = p.z.line;
    for (int i = 0; i < n; ++i) {
        ensure(p, lh);
        p.y += lh;
        double x0 = x;
        if (!prefix.empty() || n > 1) {
            font(p, p.z.body);
            std::string pre = prefix.empty() ? "" : prefix;
            if (!pre.empty()) {
                text_at(p, x, p.y - 4, pre);
                x0 = x + width_of(p, pre) + 6;
            }
        }
        hline(p, x0, p.right, p.y);
    }
    p.y += p.z.body * 0.4;
}

// A question's note (PrintOptions::notes): its lines between two rules, a gray bar on the
// reading edge beside every line; bars of a distribution start at one column, so they compare.
void note_block(Pen& p, const std::vector<NoteLine>& lines, double x) {
    double size = p.z.small + (p.large ? 0 : 0.5), lh = size * 1.35, in = p.large ? 16 : 12;
    double bar_x = x + in + (p.right - x - in) * 0.5, bar_w = (p.right - bar_x) * 0.7;
    p.y += 2;
    for (size_t i = 0; i < lines.size(); ++i) {
        const NoteLine& l = lines[i];
        if (i > 0 && !l.indent && !l.bold) p.y += lh * 0.35; // a little air before the next item
        double lx = x + in + (l.indent ? in : 0);
        font(p, size, l.bold);
        double w = (l.share >= 0 ? bar_x - 6 : p.right) - lx;
        auto wrapped = wrap(p, l.text, w);
        ensure(p, lh * wrapped.size());
        for (const auto& t : wrapped) {
            if (p.draw) {
                gray(p, 0.6);
                cairo_rectangle(p.cr, p.mx(x + 2, 2.5), p.y, 2.5, lh);
                cairo_fill(p.cr);
            }
            gray(p, 0);
            text_at(p, lx, p.y + size, t);
            p.y += lh;
        }
        if (l.share >= 0) {
            double y = p.y - lh * wrapped.size(), len = bar_w * std::min(1.0, l.share);
            if (p.draw && len > 0) {
                gray(p, l.bold ? 0.2 : 0.55);
                cairo_rectangle(p.cr, p.mx(bar_x, len), y + lh * 0.2, len, lh * 0.6);
                cairo_fill(p.cr);
            }
            gray(p, 0);
            text_at(p, bar_x + len + 5, y + size, l.value);
        }
    }
    p.y += p.z.body * 0.4;
}

void matrix_grid(Pen& p, const Survey& s, const Question& q, int scale, double x) {
    const std::string& L = p.lang;
    auto choices = paper_choices(s, q, scale);
    bool cells = q.cell != MatrixCell::Choice;
    size_t ncol = cells ? q.options.size() : choices.size();
    double label_w = (p.right - x) * (p.large ? 0.34 : 0.38);
    double avail = p.right - x - label_w;
    // Column widths: each head's longest word fits, and the rest of the width goes where a head
    // is long ("4 mache ich nicht im Internet"), so the heads wrap into as few lines as they can
    // (a row's "keine Antwort" column made five columns of large print wrap into six lines).
    font(p, p.z.small);
    std::vector<double> cw(ncol, avail / std::max<size_t>(ncol, 1));
    if (!cells && ncol > 1) {
        std::vector<double> least(ncol), full(ncol);
        double sum_least = 0, sum_more = 0;
        for (size_t c = 0; c < ncol; ++c) {
            std::string h = choices[c].number + " " + choice_label(s, q, choices[c], L);
            for (const std::string& w : split_tokens(h, " ")) least[c] = std::max(least[c], width_of(p, w) + 8);
            full[c] = std::max(least[c], width_of(p, h) + 8);
            sum_least += least[c];
            sum_more += full[c] - least[c];
        }
        double spare = avail - sum_least;
        if (spare > 0)
            for (size_t c = 0; c < ncol; ++c) {
                double more = sum_more > 0 ? std::min(spare, sum_more) * (full[c] - least[c]) / sum_more : 0;
                cw[c] = least[c] + more + (spare > sum_more ? (spare - sum_more) / double(ncol) : 0);
            }
    }
    std::vector<double> cx(ncol); // each column's centre
    double run = x + label_w;
    for (size_t c = 0; c < ncol; ++c) {
        cx[c] = run + cw[c] / 2;
        run += cw[c];
    }
    // Column heads: number and label, wrapped into the column.
    std::vector<std::vector<std::string>> heads;
    size_t head_lines = 0;
    for (size_t c = 0; c < ncol; ++c) {
        std::string h = cells ? paper_text(s, q.options[c].text, L)
                              : choices[c].number + " " + choice_label(s, q, choices[c], L);
        heads.push_back(wrap(p, h, cw[c] - 4));
        head_lines = std::max(head_lines, heads.back().size());
    }
    double slh = p.z.small * 1.25;
    auto draw_heads = [&]() {
        ensure(p, head_lines * slh + p.z.box * 2);
        font(p, p.z.small);
        for (size_t c = 0; c < ncol; ++c)
            for (size_t i = 0; i < heads[c].size(); ++i)
                text_at(p, cx[c] - width_of(p, heads[c][i]) / 2, p.y + p.z.small + i * slh, heads[c][i]);
        p.y += head_lines * slh + 4;
    };
    draw_heads();
    int page_at_head = p.page;
    for (const Row& r : q.rows) {
        font(p, p.z.body);
        auto lines = wrap(p, paper_text(s, r.text, L), label_w - 6);
        double lh = p.z.body * 1.3;
        double h = std::max(lh * lines.size(), p.z.box + 6) + 4;
        ensure(p, h);
        if (p.page != page_at_head) { // the heads again on the new page
            page_at_head = p.page;
            draw_heads();
        }
        double y0 = p.y;
        font(p, p.z.body);
        for (size_t i = 0; i < lines.size(); ++i) text_at(p, x, y0 + p.z.body + i * lh, lines[i]);
        for (size_t c = 0; c < ncol; ++c) {
            if (cells) box(p, cx[c] - cw[c] / 2 + 3, y0 + 1, cw[c] - 6, p.z.box + 4);
            else box(p, cx[c] - p.z.box / 2, y0 + 1, p.z.box, p.z.box);
        }
        p.y = y0 + h;
        hline(p, x, p.right, p.y - 2, 0.75);
    }
    p.y += p.z.body * 0.4;
}

void draw_question(Pen& p, const Survey& s, const Question& q, int number) {
    const std::string& L = p.lang;
    double x = p.left, tx = p.left + (p.large ? 36 : 26);
    // Number and code, then the question text in bold.
    font(p, p.z.heading, true);
    auto lines = wrap(p, paper_text(s, q.text, L), p.right - tx - 60);
    ensure(p, lines.size() * p.z.heading * 1.3 + p.z.box * 3);
    double y0 = p.y;
    if (number > 0) text_at(p, x, y0 + p.z.heading, std::to_string(number));
    for (size_t i = 0; i < lines.size(); ++i) text_at(p, tx, y0 + p.z.heading + i * p.z.heading * 1.3, lines[i]);
    font(p, p.z.small);
    gray(p, 0.45);
    text_at(p, p.right - width_of(p, q.code), y0 + p.z.heading, q.code);
    gray(p, 0);
    p.y = y0 + lines.size() * p.z.heading * 1.3 + 2;
    p.continued = number;
    if (!q.condition_src.empty()) paragraph(p, condition_instruction(s, q.condition_src, q.condition, L, false), tx, p.z.body, true);
    if (!q.help.empty()) paragraph(p, paper_text(s, q.help, L), tx, p.z.small, false, 0.25);
    std::string hint;
    switch (q.type) {
    case QuestionType::SingleChoice:
    case QuestionType::YesNo:
    case QuestionType::Rating: hint = form_text(L, "one"); break;
    case QuestionType::MultipleChoice:
        hint = q.max_answers > 0 ? fill(form_text(L, "many_max"), "x", std::to_string(q.max_answers)) : form_text(L, "many");
        break;
    case QuestionType::Ranking:
        hint = q.max_answers > 0 ? fill(form_text(L, "rank_max"), "x", std::to_string(q.max_answers)) : form_text(L, "rank");
        break;
    case QuestionType::RankedList: hint = form_text(L, "ranked_list"); break;
    case QuestionType::Matrix: hint = q.cell == MatrixCell::Choice ? form_text(L, "matrix") : ""; break;
    default: break;
    }
    if (!hint.empty()) paragraph(p, hint, tx, p.z.small, false, 0.25);
    if (p.notes) {
        auto n = p.notes->find(q.code);
        if (n != p.notes->end() && !n->second.empty()) note_block(p, n->second, tx);
    }
    p.y += p.z.body * 0.3;

    switch (q.type) {
    case QuestionType::SingleChoice:
    case QuestionType::YesNo:
    case QuestionType::MultipleChoice: {
        for (const auto& c : paper_choices(s, q)) {
            std::string skip = q.type == QuestionType::MultipleChoice ? "" : skip_instruction(s, q, c.code, L);
            choice_line(p, tx, c.number, choice_label(s, q, c, L), skip, c.code == kOtherCode);
        }
        break;
    }
    case QuestionType::Rating: {
        // Scale values with the end labels on the first and the last box.
        for (const auto& c : paper_choices(s, q)) {
            std::string label = c.code == kNoAnswerCode ? form_text(L, "no_answer") : "";
            if (c.code == q.options.front().code) label = paper_text(s, q.min_label, L);
            if (c.code == q.options.back().code) label = paper_text(s, q.max_label, L);
            choice_line(p, tx, c.number, label, skip_instruction(s, q, c.code, L), false);
        }
        break;
    }
    case QuestionType::Ranking:
        for (const auto& c : paper_choices(s, q)) rank_line(p, tx, choice_label(s, q, c, L));
        break;
    case QuestionType::ShortText: write_lines(p, tx, 1); break;
    case QuestionType::LongText: write_lines(p, tx, p.large ? 4 : 5); break;
    case QuestionType::Numeric: write_lines(p, tx, 1, form_text(L, "number")); break;
    case QuestionType::Date: write_lines(p, tx, 1, form_text(L, "date")); break;
    case QuestionType::RankedList: {
        int k = q.max_answers > 0 ? q.max_answers : kPaperRankedLines;
        for (int i = 1; i <= k; ++i) write_lines(p, tx, 1, std::to_string(i) + ".");
        break;
    }
    case QuestionType::MultiText:
    case QuestionType::MultiNumeric:
        for (const Row& r : q.rows) write_lines(p, tx, 1, paper_text(s, r.text, L));
        break;
    case QuestionType::Matrix:
        if (!q.options2.empty() && !q.scale_header1.empty()) paragraph(p, paper_text(s, q.scale_header1, L), tx, p.z.body, true);
        matrix_grid(p, s, q, 1, tx);
        if (!q.options2.empty()) {
            if (!q.scale_header2.empty()) paragraph(p, paper_text(s, q.scale_header2, L), tx, p.z.body, true);
            matrix_grid(p, s, q, 2, tx);
        }
        break;
    case QuestionType::Equation: // never printed: layout_sheet skips it
    case QuestionType::Info: break;
    }
    if (q.comment) {
        const std::string cl = paper_text(s, q.comment_label, L);
        write_lines(p, tx, 1, cl.empty() ? form_text(L, "comment") : cl);
    }
    p.continued = 0;
    p.y += p.z.body * 0.9;
}

// Lays out one whole sheet. With p.draw false it only counts pages.
void layout_sheet(Pen& p, const Survey& s) {
    const std::string& L = p.lang;
    p.page = 0;
    new_page(p);
    paragraph(p, paper_text(s, s.title, L), p.left, p.z.title, true);
    p.y += 4;
    if (!p.intro.empty()) {
        paragraph(p, p.intro, p.left, p.z.body, true);
        p.y += 4;
    }
    if (!s.description.empty()) paragraph(p, paper_text(s, s.description, L), p.left, p.z.body, false);
    p.y += 4;
    paragraph(p, form_text(L, "how"), p.left, p.z.small, false, 0.2);
    p.y += p.z.body;
    auto numbers = paper_question_numbers(s);
    auto measure = [&](const Question& q) {
        Pen m = p;
        m.draw = false;
        m.y = m.body_top;
        m.bottom = 1e9;
        draw_question(m, s, q, numbers[q.code]);
        return m.y - m.body_top;
    };
    for (const Group& g : s.groups) {
        // Keep a group's heading together with its first question (when that fits a page).
        double first = 0;
        for (const Question& q : g.questions)
            if (q.type != QuestionType::Info && q.type != QuestionType::Equation) {
                first = measure(q);
                break;
            }
        double head = p.z.heading * 2.6 + p.z.body * 3;
        ensure(p, head + (first + head <= p.bottom - p.body_top ? first : p.z.body * 6));
        paragraph(p, paper_text(s, g.title, L), p.left, p.z.heading + 1, true);
        if (!g.description.empty()) paragraph(p, paper_text(s, g.description, L), p.left, p.z.small, false, 0.25);
        if (!g.condition_src.empty()) paragraph(p, condition_instruction(s, g.condition_src, g.condition, L, true), p.left, p.z.body, true);
        hline(p, p.left, p.right, p.y + 2, 0.2);
        p.y += p.z.body * 0.8;
        for (const Question& q : g.questions) {
            if (q.type == QuestionType::Equation) continue; // computed, never asked on paper
            if (q.type == QuestionType::Info) {
                paragraph(p, paper_text(s, q.text, L), p.left, p.z.body, false);
                p.y += p.z.body * 0.6;
                continue;
            }
            // A question that fits on a page is not split: measure it first. Large print makes
            // questions a third to two thirds of a page, so "never split" left pages half
            // empty; a long question may start where a good part of the page is still free,
            // and its next page says "Frage n (Fortsetzung)".
            double h = measure(q), page_h = p.bottom - p.body_top, room = p.bottom - p.y;
            // ... but not for the last line or two alone on the next page.
            bool may_split = h > room && room >= page_h * 0.35 && h - room >= p.z.body * 5 &&
                             q.type != QuestionType::Matrix;
            if (h <= page_h && !may_split) ensure(p, h);
            draw_question(p, s, q, numbers[q.code]);
        }
    }
    std::string end = s.end_text.empty() ? form_text(L, "end") : paper_text(s, s.end_text, L);
    paragraph(p, end, p.left, p.z.heading, true);
}

// The back of a sheet's last page when it has an odd page count: printed double-sided, the
// next sheet's first page would otherwise land there and two respondents share one paper.
// It keeps the frame (sheet id, QR code, page number), so an enterer can still tell it apart.
void blank_page(Pen& p) {
    new_page(p);
    if (!p.draw) return;
    font(p, p.z.heading, false);
    gray(p, 0.35);
    const std::string& t = form_text(p.lang, "blank");
    text_at(p, (p.left + p.right - width_of(p, t)) / 2, (p.body_top + p.bottom) / 2, t);
    gray(p, 0);
}

cairo_status_t discard(void*, const unsigned char*, unsigned int) { return CAIRO_STATUS_SUCCESS; }

} // namespace

bool print_paper_form(const Survey& s, const PrintOptions& opt, const std::string& pdf_path, PrintResult& out) {
    out = PrintResult{};
    std::string lang = opt.lang.empty() ? s.original_language() : opt.lang;
    if (std::find(s.languages.begin(), s.languages.end(), lang) == s.languages.end()) {
        std::string known;
        for (const auto& l : s.languages) known += (known.empty() ? "" : ", ") + l;
        out.error = "survey " + s.id + " has no language '" + lang + "' (it has " + known + ")";
        return false;
    }
    if (opt.sheets < 1 || opt.sheets > 10000) {
        out.error = "--sheets must be between 1 and 10000";
        return false;
    }
    for (int i = 0; i < opt.sheets; ++i) {
        if (size_t(i) < opt.sheet_ids.size()) {
            std::string id, e;
            if (!parse_sheet_id(opt.sheet_ids[i], id, &e)) {
                out.error = e;
                return false;
            }
            out.sheet_ids.push_back(id);
        } else {
            out.sheet_ids.push_back(new_sheet_id(s.id));
        }
    }
    Pen p;
    p.large = opt.large;
    p.z = opt.large ? Sizes{16, 16, 19, 24, 17, 34} : Sizes{11, 9, 12.5, 17, 11.5, 24};
    p.lang = lang;
    p.rtl = is_rtl(lang);
    p.title = paper_text(s, s.title, lang);
    p.intro = opt.intro;
    // A Delphi round's plain form asks for the participant's code, so that a sheet sent back can
    // be entered with it (the entry file's "code" line) and paired with the other rounds.
    // Personal forms (delphi print) print the code itself in their intro instead.
    if (p.intro.empty() && s.delphi.round >= 1) p.intro = form_text(lang, "delphi_code");
    p.notes = &opt.notes;
    p.sheet_id = out.sheet_ids.front();
    const double W = 595.28, H = 841.89; // A4 in points

    cairo_surface_t* m = cairo_pdf_surface_create_for_stream(discard, nullptr, W, H);
    p.cr = cairo_create(m);
    open_layout(p);
    p.draw = false;
    layout_sheet(p, s);
    bool pad = !opt.simplex && p.page % 2 == 1;
    out.pages_per_sheet = p.page + (pad ? 1 : 0);
    out.blank_pages = pad ? 1 : 0;
    close_layout(p);
    cairo_destroy(p.cr);
    cairo_surface_destroy(m);

    cairo_surface_t* surf = cairo_pdf_surface_create(pdf_path.c_str(), W, H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        out.error = pdf_path + ": cannot write the PDF: " + cairo_status_to_string(cairo_surface_status(surf));
        cairo_surface_destroy(surf);
        return false;
    }
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, p.title.c_str());
    p.cr = cairo_create(surf);
    open_layout(p);
    p.draw = true;
    p.pages = out.pages_per_sheet;
    for (size_t i = 0; i < out.sheet_ids.size(); ++i) {
        p.sheet_id = out.sheet_ids[i];
        if (i > 0) cairo_show_page(p.cr);
        layout_sheet(p, s);
        if (pad) blank_page(p);
    }
    cairo_show_page(p.cr);
    cairo_status_t st = cairo_status(p.cr);
    close_layout(p);
    cairo_destroy(p.cr);
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        out.error = pdf_path + ": " + cairo_status_to_string(st);
        return false;
    }
    return true;
}

} // namespace tk
