// piping.cpp - splitting texts into literal and expression parts, and showing them
// (see piping.h for the rules).
//
// Contents: the scanner (find the '}' that closes an expression, skipping quoted strings),
// parse_piped, render_piped, render_piped_with, piped_variable.
#include "piping.h"

namespace tk {

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool may_pipe(const std::string& text) {
    return text.find_first_of("{\\") != std::string::npos;
}

bool PipedText::has_expressions() const {
    for (const PipePart& p : parts)
        if (p.is_expr) return true;
    return false;
}

// The '}' closing the expression that starts after `open`, or npos. Quoted strings may hold
// braces ("{if(A1 == '}', 1, 2)}"); a backslash escapes the next character inside them,
// as the expression parser reads strings.
static size_t closing_brace(const std::string& s, size_t open) {
    char quote = 0;
    for (size_t i = open + 1; i < s.size(); i++) {
        char c = s[i];
        if (quote) {
            if (c == '\\') i++;
            else if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '}') {
            return i;
        } else if (c == '{') {
            return std::string::npos; // a new '{' before the close: the first one is text
        }
    }
    return std::string::npos;
}

PipedText parse_piped(const std::string& text) {
    PipedText out;
    std::string lit;
    size_t lit_at = 0;
    auto flush = [&](size_t next_at) {
        if (!lit.empty()) {
            PipePart p;
            p.text = std::move(lit);
            p.offset = lit_at;
            out.parts.push_back(std::move(p));
        }
        lit.clear();
        lit_at = next_at;
    };
    size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '{' || text[i + 1] == '}')) {
            if (lit.empty()) lit_at = i;
            lit += text[i + 1];
            i += 2;
            continue;
        }
        if (c != '{' || i + 1 >= text.size() || is_space(text[i + 1]) || text[i + 1] == '}') {
            if (lit.empty()) lit_at = i;
            lit += c;
            i++;
            continue;
        }
        size_t close = closing_brace(text, i);
        if (close == std::string::npos) {
            PipeProblem w;
            w.offset = i;
            w.error = false;
            w.message = "\"{\" at character " + std::to_string(i + 1) +
                        " has no closing \"}\": it is shown as written (write \\{ for a brace)";
            out.problems.push_back(std::move(w));
            if (lit.empty()) lit_at = i;
            lit += c;
            i++;
            continue;
        }
        std::string inner = text.substr(i + 1, close - i - 1);
        if (is_space(inner.back())) { // "{a }": LimeSurvey leaves it as text
            if (lit.empty()) lit_at = i;
            lit += text.substr(i, close - i + 1);
            i = close + 1;
            continue;
        }
        flush(i);
        PipePart p;
        p.is_expr = true;
        p.offset = i;
        p.text = inner;
        std::string src = inner;
        const std::string ins = "INSERTANS:";
        if (inner.compare(0, ins.size(), ins) == 0) src = inner.substr(ins.size()) + ".shown";
        ExprParse r = parse_expression(src, self_variable_context()); // `self`: resolved when evaluated
        if (r.expr) {
            p.expr = r.expr;
        } else {
            PipeProblem e;
            e.offset = i;
            e.message = "bad expression \"{" + (inner.size() > 60 ? inner.substr(0, 57) + "..." : inner) +
                        "}\": " + parse_error_text(r);
            out.problems.push_back(std::move(e));
        }
        out.parts.push_back(std::move(p));
        i = close + 1;
        lit_at = i;
    }
    flush(text.size());
    return out;
}

std::string render_piped_with(const PipedText& p,
                              const std::function<std::string(const PipePart&)>& placeholder) {
    std::string out;
    for (const PipePart& part : p.parts) out += part.is_expr ? placeholder(part) : part.text;
    return out;
}

std::string render_piped(const PipedText& p, const VarLookup& lookup) {
    return render_piped_with(p, [&lookup](const PipePart& part) -> std::string {
        if (!part.expr) return ""; // reported at load time; never shown raw
        try {
            return evaluate(*part.expr, lookup).text;
        } catch (...) {
            return ""; // evaluation does not throw; a text on screen must never take the page down
        }
    });
}

static bool name_char(char c, bool first) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (!first && ((c >= '0' && c <= '9') || c == '#'));
}

std::string piped_variable(const PipePart& part) {
    if (!part.is_expr || !part.expr) return "";
    std::string s = part.text;
    const std::string ins = "INSERTANS:";
    if (s.compare(0, ins.size(), ins) == 0) s = s.substr(ins.size());
    size_t n = 0;
    while (n < s.size() && name_char(s[n], n == 0)) n++;
    if (n == 0) return "";
    if (n < s.size()) {
        if (s[n] != '.') return "";
        for (size_t k = n + 1; k < s.size(); k++)
            if (!name_char(s[k], false)) return "";
    }
    return s.substr(0, n);
}

} // namespace tk
