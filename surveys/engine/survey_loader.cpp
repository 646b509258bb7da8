// survey_loader.cpp - reads, validates and writes the native survey JSON format.
//
// The loader is strict on purpose: a typo in a survey file must fail loudly at check time,
// not silently change what respondents see. It collects every problem it finds (not just
// the first), each with file, line, place (question code + JSON path) and a plain message,
// so an author can fix a file in one pass. See surveys/FORMAT.md for the format itself.
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "files.h"
#include "response.h"
#include "survey.h"

namespace tk {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

constexpr const char* kFormat = "teilhabe-survey/1";
// Deeper nesting than any survey needs; the limit keeps recursive code (dump, our scanner)
// safe from stack exhaustion on hostile input.
constexpr int kMaxDepth = 64;

// ---------------------------------------------------------------------------------------
// Positions in the source text

// Deepest bracket nesting outside strings. Stops counting once past `limit`.
int nesting_depth(const std::string& s, int limit) {
    int depth = 0, deepest = 0;
    bool in_str = false;
    for (size_t i = 0; i < s.size(); i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\') i++;
            else if (c == '"') in_str = false;
            continue;
        }
        if (c == '"') in_str = true;
        else if (c == '{' || c == '[') {
            depth++;
            deepest = std::max(deepest, depth);
            if (deepest > limit) return deepest;
        } else if (c == '}' || c == ']') depth--;
    }
    return deepest;
}

// 1-based line and column of byte index `pos` (0-based).
void line_col(const std::string& s, size_t pos, int& line, int& col) {
    line = 1;
    col = 1;
    pos = std::min(pos, s.size());
    for (size_t i = 0; i < pos; i++) {
        if (s[i] == '\n') { line++; col = 1; }
        else if (!is_utf8_continuation(s[i])) col++; // count UTF-8 characters
    }
}

// nlohmann reports the position after a whole unexpected token ("version" in
// `"id": "x" "version"`); authors expect the column where that token starts.
size_t token_start(const std::string& s, size_t at) {
    if (at >= s.size()) return at;
    auto word = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '-' || c == '+';
    };
    if (s[at] == '"') {
        for (size_t i = at; i-- > 0;) {
            if (s[i] == '\n') return at; // strings never span lines: not a string token
            if (s[i] == '"') {
                size_t bs = 0;
                while (i > bs && s[i - 1 - bs] == '\\') bs++;
                if (bs % 2 == 0) return i;
            }
        }
        return at;
    }
    if (!word(s[at])) return at;
    while (at > 0 && word(s[at - 1])) at--;
    return at;
}

std::string pointer_escape(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

// Walks text that nlohmann already accepted and records the line of every key and array
// element by JSON pointer. nlohmann keeps no positions, and authors want "line 57", not
// "/groups/2/questions/1". Also finds duplicate keys, which nlohmann silently collapses.
struct LineScan {
    const std::string& s;
    std::map<std::string, int>& lines;
    std::vector<std::pair<std::string, int>> duplicates; // pointer, line
    size_t i = 0;
    int line = 1;

    LineScan(const std::string& text, std::map<std::string, int>& out) : s(text), lines(out) {}

    void ws() {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
            if (s[i] == '\n') line++;
            i++;
        }
    }
    std::string str() { // at the opening quote; returns the decoded string
        size_t start = ++i;
        bool escaped = false;
        while (i < s.size() && s[i] != '"') {
            if (s[i] == '\\') { escaped = true; i++; }
            i++;
        }
        std::string raw = s.substr(start, std::min(i, s.size()) - start);
        i++;
        if (!escaped) return raw;
        json j = json::parse("\"" + raw + "\"", nullptr, false);
        return j.is_string() ? j.get<std::string>() : raw;
    }
    void value(const std::string& path, int depth) {
        ws();
        if (path.empty()) lines[""] = line;
        if (i >= s.size() || depth > kMaxDepth) return;
        if (s[i] == '{') {
            i++;
            std::set<std::string> seen;
            for (;;) {
                ws();
                if (i >= s.size() || s[i] == '}') { i++; return; }
                if (s[i] == ',') { i++; continue; }
                if (s[i] != '"') return; // cannot happen on valid JSON
                int key_line = line;
                std::string key = str();
                std::string child = path + "/" + pointer_escape(key);
                if (!seen.insert(key).second) duplicates.push_back({child, key_line});
                else lines[child] = key_line;
                ws();
                if (i < s.size() && s[i] == ':') i++;
                value(child, depth + 1);
            }
        }
        if (s[i] == '[') {
            i++;
            size_t n = 0;
            for (;;) {
                ws();
                if (i >= s.size() || s[i] == ']') { i++; return; }
                if (s[i] == ',') { i++; continue; }
                std::string child = path + "/" + std::to_string(n++);
                lines[child] = line;
                size_t before = i;
                value(child, depth + 1);
                if (i == before) return; // no progress: give up rather than loop
            }
        }
        if (s[i] == '"') { str(); return; }
        while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' &&
               s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            i++; // number, true, false, null
    }
};

// ---------------------------------------------------------------------------------------
// Small helpers

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); j++) prev[j] = j;
    for (size_t i = 1; i <= a.size(); i++) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); j++)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// " (did you mean "options"?)" or "".
std::string suggest(const std::string& word, const std::vector<std::string>& known) {
    if (word.size() > 40) return "";
    std::string best;
    size_t best_d = 3;
    for (const std::string& k : known) {
        size_t d = edit_distance(word, k);
        if (d < best_d) { best_d = d; best = k; }
    }
    return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
}

bool all_of_chars(const std::string& s, const char* extra, bool upper) {
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  (upper && c >= 'A' && c <= 'Z') || (c != 0 && std::strchr(extra, c));
        if (!ok) return false;
    }
    return true;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Question codes are variable names in conditions: [A-Za-z][A-Za-z0-9_]*.
bool valid_question_code(const std::string& s) {
    return !s.empty() && s.size() <= 64 && is_alpha(s[0]) && all_of_chars(s, "_", true);
}
// Option and row codes appear in variable names too (Q_CODE): [A-Za-z0-9_]+.
bool valid_answer_code(const std::string& s) {
    return !s.empty() && s.size() <= 64 && all_of_chars(s, "_", true);
}
bool valid_group_code(const std::string& s) {
    return !s.empty() && s.size() <= 64 && all_of_chars(s, "_-", true);
}
bool valid_survey_id(const std::string& s) {
    return !s.empty() && s.size() <= 64 && all_of_chars(s, "-", false);
}
// "de", "en", "de-x-ls", "de-AT": 2-3 lowercase letters, then "-" separated subtags.
bool valid_language(const std::string& s) {
    size_t n = 0;
    while (n < s.size() && s[n] >= 'a' && s[n] <= 'z') n++;
    if (n < 2 || n > 3 || s.size() > 35) return false;
    size_t sub = 0;
    for (size_t i = n; i < s.size(); i++) {
        if (s[i] == '-') {
            if (i + 1 == s.size() || (i > n && sub == 0)) return false;
            sub = 0;
            continue;
        }
        if (!is_alpha(s[i]) && !(s[i] >= '0' && s[i] <= '9')) return false;
        if (++sub > 8) return false;
    }
    return s.size() == n || s[n] == '-';
}

// A date bound: a real day written YYYY-MM-DD, on the calendar of the response times.
bool valid_date(const std::string& s) { return parse_iso_date(s, nullptr); }

std::string in_quotes(const std::string& s) {
    // Keep messages one line and short even for hostile input.
    std::string v = s.size() > 60 ? s.substr(0, 57) + "..." : s;
    std::string out = "\"";
    for (char c : v) {
        if (c == '\n') out += "\\n";
        else if ((unsigned char)c < 0x20) out += '?';
        else out += c;
    }
    return out + "\"";
}

std::string num_text(double d) {
    json j = d;
    if (std::floor(d) == d && std::fabs(d) < 1e15) j = (long long)d;
    return j.dump();
}

const char* json_kind(const json& j) {
    if (j.is_null()) return "null";
    if (j.is_boolean()) return "true/false";
    if (j.is_number()) return "a number";
    if (j.is_string()) return "a string";
    if (j.is_array()) return "a list";
    return "an object";
}

bool is_comment_key(const std::string& k) { return !k.empty() && k[0] == '_'; }

const std::vector<Option>& default_yesno_options() {
    static const std::vector<Option> opts = [] {
        std::vector<Option> v(2);
        v[0].code = "Y";
        v[0].text.by_lang = {{"de", "Ja"}, {"en", "Yes"}};
        v[1].code = "N";
        v[1].text.by_lang = {{"de", "Nein"}, {"en", "No"}};
        return v;
    }();
    return opts;
}

bool same_options(const std::vector<Option>& a, const std::vector<Option>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++)
        if (a[i].code != b[i].code || a[i].text.by_lang != b[i].text.by_lang ||
            a[i].exclusive != b[i].exclusive)
            return false;
    return true;
}

std::string sha256_hex(const std::string& data) {
    static const int init = sodium_init(); // once; thread-safe static initialisation
    (void)init;
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, (const unsigned char*)data.data(), data.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

// ---------------------------------------------------------------------------------------
// Which question keys each type takes. Keys common to all types are listed separately.

const std::vector<std::string> kSurveyKeys = {"format", "id", "version", "languages", "title",
                                              "description", "end_text", "source", "settings",
                                              "groups"};
const std::vector<std::string> kSettingsKeys = {"no_answer_option", "partial_responses",
                                                "show_progress"};
const std::vector<std::string> kGroupKeys = {"code", "title", "description", "condition",
                                             "questions"};
const std::vector<std::string> kCommonQuestionKeys = {"code", "type", "text", "help",
                                                      "mandatory", "condition", "source"};
const std::vector<std::string> kTypedQuestionKeys = {
    "options", "display", "other", "other_label", "comment", "comment_label", "min", "max",
    "integer", "scale", "rows", "options2", "scale_headers", "cell", "min_answers",
    "max_answers", "max_length", "min_date", "max_date"};
const std::vector<std::string> kOptionKeys = {"code", "text", "exclusive"};
const std::vector<std::string> kRowKeys = {"code", "text", "condition"};
const std::vector<std::string> kScaleKeys = {"min", "max", "min_label", "max_label"};

bool key_applies(const std::string& k, QuestionType t) {
    using T = QuestionType;
    auto in = [t](std::initializer_list<T> l) { return std::find(l.begin(), l.end(), t) != l.end(); };
    if (k == "options") return in({T::SingleChoice, T::MultipleChoice, T::Ranking, T::Matrix, T::YesNo});
    if (k == "display") return t == T::SingleChoice;
    if (k == "other" || k == "other_label") return in({T::SingleChoice, T::MultipleChoice});
    if (k == "comment" || k == "comment_label")
        return in({T::SingleChoice, T::MultipleChoice, T::YesNo, T::Rating, T::Ranking, T::Matrix});
    if (k == "min" || k == "max" || k == "integer") return in({T::Numeric, T::MultiNumeric, T::Matrix});
    if (k == "scale") return t == T::Rating;
    if (k == "rows") return in({T::Matrix, T::MultiText, T::MultiNumeric});
    if (k == "options2" || k == "scale_headers" || k == "cell") return t == T::Matrix;
    if (k == "min_answers") return t == T::MultipleChoice;
    if (k == "max_answers") return in({T::MultipleChoice, T::Ranking, T::RankedList});
    if (k == "max_length") return in({T::ShortText, T::LongText});
    if (k == "min_date" || k == "max_date") return t == T::Date;
    return true; // common keys
}

bool needs_options(QuestionType t) {
    return t == QuestionType::SingleChoice || t == QuestionType::MultipleChoice ||
           t == QuestionType::Ranking || t == QuestionType::Matrix;
}

// ---------------------------------------------------------------------------------------
// The loader

struct PendingCondition {
    std::string path;   // JSON path of the "condition" key
    std::string code;   // owner question code for messages ("" for groups)
    std::string owner;  // "group A", "question C2", "row SQ1 of C2"
    int limit = 0;      // referenced questions must have a position < limit
    bool is_group = false;
    std::shared_ptr<const Expr> expr;
};

struct Loader {
    std::string file;
    const std::string& text;
    std::map<std::string, int> lines;
    std::vector<LoadError> errors;
    std::vector<std::string> warnings;
    std::vector<std::string> langs;
    std::string orig; // original language
    std::vector<PendingCondition> conditions;
    std::map<std::string, std::string> group_codes, question_codes; // code -> first path
    int question_count = 0;

    Loader(std::string f, const std::string& t) : file(std::move(f)), text(t) {}

    int line_of(std::string path) const {
        for (;;) {
            auto it = lines.find(path);
            if (it != lines.end()) return it->second;
            if (path.empty()) return 0;
            path = path.substr(0, path.rfind('/'));
        }
    }
    LoadError make(const std::string& path, const std::string& code, const std::string& msg) const {
        LoadError e;
        e.file = file;
        e.where = code.empty() ? path : (path.empty() ? code : code + " " + path);
        e.message = msg;
        e.line = line_of(path);
        return e;
    }
    void error(const std::string& path, const std::string& code, const std::string& msg) {
        if (errors.size() < 500) errors.push_back(make(path, code, msg));
    }
    void warn(const std::string& path, const std::string& code, const std::string& msg) {
        if (warnings.size() < 500) warnings.push_back(make(path, code, msg).to_string());
    }

    // --- keys and typed getters ---

    void check_keys(const json& obj, const std::string& path, const std::string& code,
                    const std::vector<std::string>& allowed) {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            const std::string& k = it.key();
            if (is_comment_key(k)) continue;
            if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
            error(path + "/" + pointer_escape(k), code,
                  "unknown key " + in_quotes(k) + suggest(k, allowed));
        }
    }

    const json* member(const json& obj, const char* key) {
        auto it = obj.find(key);
        return it == obj.end() ? nullptr : &*it;
    }

    bool get_string(const json& obj, const char* key, const std::string& path,
                    const std::string& code, std::string& out, bool required) {
        const json* v = member(obj, key);
        if (!v) {
            if (required) error(path, code, std::string("missing required key \"") + key + "\"");
            return false;
        }
        if (!v->is_string()) {
            error(path + "/" + key, code,
                  std::string("\"") + key + "\" must be a string, not " + json_kind(*v));
            return false;
        }
        out = v->get<std::string>();
        return true;
    }

    void get_bool(const json& obj, const char* key, const std::string& path,
                  const std::string& code, bool& out) {
        const json* v = member(obj, key);
        if (!v) return;
        if (!v->is_boolean()) {
            error(path + "/" + key, code,
                  std::string("\"") + key + "\" must be true or false, not " + json_kind(*v));
            return;
        }
        out = v->get<bool>();
    }

    // Whole number in [lo, hi]. Returns false when absent or bad.
    bool get_int(const json& obj, const char* key, const std::string& path,
                 const std::string& code, int& out, long long lo, long long hi) {
        const json* v = member(obj, key);
        if (!v) return false;
        std::string p = path + "/" + key;
        if (!v->is_number_integer()) {
            error(p, code, std::string("\"") + key + "\" must be a whole number, not " +
                               (v->is_number() ? v->dump() : json_kind(*v)));
            return false;
        }
        long long n;
        if (v->is_number_unsigned()) {
            unsigned long long u = v->get<unsigned long long>();
            n = u > (unsigned long long)hi ? hi + 1 : (long long)u;
        } else {
            n = v->get<long long>();
        }
        if (n < 0 && lo >= 0) {
            error(p, code, std::string("\"") + key + "\" must not be negative (got " + v->dump() + ")");
            return false;
        }
        if (n < lo || n > hi) {
            error(p, code, std::string("\"") + key + "\" must be between " + std::to_string(lo) +
                               " and " + std::to_string(hi) + " (got " + v->dump() + ")");
            return false;
        }
        out = (int)n;
        return true;
    }

    void get_number(const json& obj, const char* key, const std::string& path,
                    const std::string& code, std::optional<double>& out) {
        const json* v = member(obj, key);
        if (!v) return;
        if (!v->is_number()) {
            error(path + "/" + key, code,
                  std::string("\"") + key + "\" must be a number, not " + json_kind(*v));
            return;
        }
        double d = v->get<double>();
        if (!std::isfinite(d) || std::fabs(d) > 1e15) {
            error(path + "/" + key, code,
                  std::string("\"") + key + "\" is out of range (at most 1e15 either way)");
            return;
        }
        out = d;
    }

    // A text: a plain string (the original language) or {"lang": "text", ...}.
    bool get_text(const json& obj, const char* key, const std::string& path,
                  const std::string& code, LocalText& out, bool required) {
        const json* v = member(obj, key);
        std::string p = path + "/" + key;
        if (!v) {
            if (required) error(path, code, std::string("missing required key \"") + key + "\"");
            return false;
        }
        return parse_text(*v, p, code, key, out, required);
    }

    bool parse_text(const json& v, const std::string& p, const std::string& code,
                    const std::string& name, LocalText& out, bool required) {
        out.by_lang.clear();
        if (v.is_string()) {
            if (!orig.empty()) out.by_lang[orig] = v.get<std::string>();
        } else if (v.is_object()) {
            for (auto it = v.begin(); it != v.end(); ++it) {
                if (is_comment_key(it.key())) continue;
                std::string lp = p + "/" + pointer_escape(it.key());
                if (std::find(langs.begin(), langs.end(), it.key()) == langs.end()) {
                    error(lp, code, "text in language " + in_quotes(it.key()) +
                                        ", which is not in \"languages\"" + suggest(it.key(), langs));
                    continue;
                }
                if (!it.value().is_string()) {
                    error(lp, code, "text must be a string, not " + std::string(json_kind(it.value())));
                    continue;
                }
                out.by_lang[it.key()] = it.value().get<std::string>();
            }
        } else {
            error(p, code, "\"" + name + "\" must be a text: a string or an object like "
                           "{\"de\": \"...\", \"en\": \"...\"}, not " + json_kind(v));
            return false;
        }
        check_translations(out, p, code, required);
        return true;
    }

    // Required texts must exist in every listed language unless that language falls back to
    // another listed language that has it ("de-x-ls" -> "de"). Optional texts only warn.
    void check_translations(const LocalText& t, const std::string& p, const std::string& code,
                            bool required) {
        bool any = false;
        for (const auto& [lang, s] : t.by_lang) any |= !s.empty();
        if (!any) {
            if (required) error(p, code, "text is empty");
            return;
        }
        for (const std::string& lang : langs) {
            auto it = t.by_lang.find(lang);
            if (it != t.by_lang.end() && !it->second.empty()) continue;
            bool covered = false;
            std::vector<std::string> chain = language_fallbacks(lang);
            for (size_t k = 1; k < chain.size() && !covered; k++) {
                auto f = t.by_lang.find(chain[k]);
                covered = f != t.by_lang.end() && !f->second.empty() &&
                          std::find(langs.begin(), langs.end(), chain[k]) != langs.end();
            }
            if (covered) continue;
            if (required) error(p, code, "missing translation for language " + in_quotes(lang));
            else warn(p, code, "no text for language " + in_quotes(lang) + " (shows the " +
                                   in_quotes(orig) + " text instead)");
        }
    }

    std::shared_ptr<const Expr> parse_condition(const json& obj, const std::string& path,
                                                const std::string& code, std::string& src,
                                                PendingCondition pc) {
        if (!get_string(obj, "condition", path, code, src, false)) return nullptr;
        std::string trimmed = src;
        trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
        if (trimmed.empty()) { src.clear(); return nullptr; }
        ExprParse r = parse_expression(src);
        std::string p = path + "/condition";
        if (!r.expr) {
            // The parser's message names the column already ("... at column 7").
            bool has_col = r.error.find("column") != std::string::npos;
            error(p, code, "bad condition " + in_quotes(src) + ": " + r.error +
                               (r.column && !has_col ? " at column " + std::to_string(r.column) : ""));
            return nullptr;
        }
        pc.path = p;
        pc.code = code;
        pc.expr = r.expr;
        conditions.push_back(pc);
        return r.expr;
    }

    // --- options and rows ---

    // The code of an option or a row (`what`) at `at`: valid, not reserved, and not used
    // before in the same list (`seen`: code -> index of the item that has it).
    void check_item_code(const std::string& at, const std::string& qcode, const char* what, const std::string& c,
                         size_t index, std::map<std::string, size_t>& seen) {
        const std::string w = what;
        if (!valid_answer_code(c))
            error(at + "/code", qcode, "invalid " + w + " code " + in_quotes(c) + ": use letters, digits and \"_\" only");
        else if (c == "other" || c == "comment")
            error(at + "/code", qcode, w + " code " + in_quotes(c) + " is reserved (it names the other/comment field)");
        else if (seen.count(c))
            error(at + "/code", qcode, "duplicate " + w + " code " + in_quotes(c) + " (also " + w + " " +
                                           std::to_string(seen[c] + 1) + ")");
        else
            seen[c] = index;
    }

    void parse_options(const json& obj, const char* key, const std::string& path,
                       const std::string& code, std::vector<Option>& out, bool allow_exclusive) {
        const json* v = member(obj, key);
        if (!v) return;
        std::string p = path + "/" + key;
        if (!v->is_array()) {
            error(p, code, std::string("\"") + key + "\" must be a list of options, not " + json_kind(*v));
            return;
        }
        std::map<std::string, size_t> seen;
        for (size_t i = 0; i < v->size(); i++) {
            const json& jo = (*v)[i];
            std::string op = p + "/" + std::to_string(i);
            if (!jo.is_object()) {
                error(op, code, "an option must be an object {\"code\": ..., \"text\": ...}, not " +
                                    std::string(json_kind(jo)));
                continue;
            }
            check_keys(jo, op, code, kOptionKeys);
            Option o;
            if (get_string(jo, "code", op, code, o.code, true)) check_item_code(op, code, "option", o.code, i, seen);
            get_text(jo, "text", op, code, o.text, true);
            if (jo.contains("exclusive")) {
                if (allow_exclusive) get_bool(jo, "exclusive", op, code, o.exclusive);
                else error(op + "/exclusive", code,
                           "\"exclusive\" applies only to options of multiple-choice questions");
            }
            out.push_back(std::move(o));
        }
    }

    void parse_rows(const json& obj, const std::string& path, const std::string& code, int position,
                    std::vector<Row>& out) {
        const json* v = member(obj, "rows");
        if (!v) return;
        std::string p = path + "/rows";
        if (!v->is_array()) {
            error(p, code, "\"rows\" must be a list of rows, not " + std::string(json_kind(*v)));
            return;
        }
        std::map<std::string, size_t> seen;
        for (size_t i = 0; i < v->size(); i++) {
            const json& jr = (*v)[i];
            std::string rp = p + "/" + std::to_string(i);
            if (!jr.is_object()) {
                error(rp, code, "a row must be an object {\"code\": ..., \"text\": ...}, not " +
                                    std::string(json_kind(jr)));
                continue;
            }
            check_keys(jr, rp, code, kRowKeys);
            Row r;
            if (get_string(jr, "code", rp, code, r.code, true)) check_item_code(rp, code, "row", r.code, i, seen);
            get_text(jr, "text", rp, code, r.text, true);
            PendingCondition pc;
            pc.owner = "row " + r.code + " of " + code;
            pc.limit = position;
            r.condition = parse_condition(jr, rp, code, r.condition_src, pc);
            out.push_back(std::move(r));
        }
    }

    // --- questions ---

    void parse_question(const json& jq, const std::string& path, Question& q) {
        int position = question_count++; // counted even when broken, like the survey order
        if (!jq.is_object()) {
            error(path, "", "a question must be an object, not " + std::string(json_kind(jq)));
            return;
        }
        std::string code;
        if (get_string(jq, "code", path, "", q.code, true)) {
            if (!valid_question_code(q.code)) {
                error(path + "/code", "", "invalid question code " + in_quotes(q.code) +
                                              ": must start with a letter and use only letters, "
                                              "digits and \"_\" (it is a variable name in conditions)");
            } else {
                code = q.code;
                auto [it, fresh] = question_codes.insert({q.code, path});
                if (!fresh) {
                    int l = line_of(it->second + "/code");
                    error(path + "/code", code, "duplicate question code " + in_quotes(q.code) +
                                                    " (first used at " + it->second +
                                                    (l ? ", line " + std::to_string(l) : "") + ")");
                }
            }
        }
        std::string tname;
        std::optional<QuestionType> type;
        if (get_string(jq, "type", path, code, tname, true)) {
            type = type_from_name(tname);
            if (!type) {
                std::vector<std::string> names;
                for (int t = 0; t <= (int)QuestionType::Info; t++) names.push_back(type_name((QuestionType)t));
                std::string list;
                for (auto& n : names) list += (list.empty() ? "" : ", ") + n;
                error(path + "/type", code, "unknown type " + in_quotes(tname) + suggest(tname, names) +
                                                "; known types: " + list);
            }
        }
        if (type) q.type = *type;

        // Keys: common ones, type-specific ones where they apply, comments; all else is a typo.
        std::vector<std::string> all = kCommonQuestionKeys;
        all.insert(all.end(), kTypedQuestionKeys.begin(), kTypedQuestionKeys.end());
        for (auto it = jq.begin(); it != jq.end(); ++it) {
            const std::string& k = it.key();
            if (is_comment_key(k)) continue;
            std::string kp = path + "/" + pointer_escape(k);
            if (std::find(all.begin(), all.end(), k) == all.end()) {
                error(kp, code, "unknown key " + in_quotes(k) + suggest(k, all));
            } else if (type && !key_applies(k, *type)) {
                if (k == "options" && *type == QuestionType::Rating)
                    error(kp, code, "type \"rating\" takes no \"options\": its answers come from \"scale\"");
                else if (k == "options")
                    error(kp, code, "type " + in_quotes(tname) + " has no options; remove \"options\"");
                else
                    error(kp, code, in_quotes(k) + " does not apply to type " + in_quotes(tname));
            }
        }

        get_text(jq, "text", path, code, q.text, true);
        get_text(jq, "help", path, code, q.help, false);
        get_string(jq, "source", path, code, q.source_note, false);
        PendingCondition pc;
        pc.owner = "question " + code;
        pc.limit = position;
        q.condition = parse_condition(jq, path, code, q.condition_src, pc);
        if (!type) return;
        const QuestionType t = *type;
        get_bool(jq, "mandatory", path, code, q.mandatory);
        if (t == QuestionType::Info && q.mandatory) {
            error(path + "/mandatory", code, "an info question has no answer, so it cannot be mandatory");
            q.mandatory = false;
        }

        // Matrix cell kind first: it decides which other keys make sense.
        if (t == QuestionType::Matrix) {
            std::string cell;
            if (get_string(jq, "cell", path, code, cell, false)) {
                if (cell == "choice") q.cell = MatrixCell::Choice;
                else if (cell == "number") q.cell = MatrixCell::Number;
                else if (cell == "text") q.cell = MatrixCell::Text;
                else error(path + "/cell", code, "invalid \"cell\" " + in_quotes(cell) +
                                                     ": use \"choice\", \"number\" or \"text\"");
            }
            auto only = [&](const char* k, MatrixCell c, const char* cname) {
                if (jq.contains(k) && q.cell != c)
                    error(path + "/" + k, code, std::string("\"") + k + "\" applies to a matrix only with "
                                                    "\"cell\": \"" + cname + "\"");
            };
            for (const char* k : {"min", "max", "integer"}) only(k, MatrixCell::Number, "number");
            for (const char* k : {"options2", "scale_headers", "comment", "comment_label"})
                only(k, MatrixCell::Choice, "choice");
        }

        if (key_applies("options", t))
            parse_options(jq, "options", path, code, q.options, t == QuestionType::MultipleChoice);
        if (needs_options(t)) {
            const json* o = member(jq, "options");
            if (!o)
                error(path, code, "type " + in_quotes(tname) + " needs \"options\"" +
                                      (t == QuestionType::Matrix ? " (the answer columns)" : ""));
            else if (o->is_array() && o->empty())
                error(path + "/options", code, "empty option list: type " + in_quotes(tname) +
                                                   " needs at least one option");
        }
        if (t == QuestionType::YesNo) {
            if (!jq.contains("options")) {
                q.options = default_yesno_options();
            } else if (q.options.size() != 2 || !q.find_option("Y") || !q.find_option("N")) {
                error(path + "/options", code, "yesno options must be exactly the codes \"Y\" and \"N\"");
            }
        }
        if (t == QuestionType::Matrix) {
            parse_options(jq, "options2", path, code, q.options2, false);
            if (const json* o2 = member(jq, "options2"); o2 && o2->is_array() && o2->empty())
                error(path + "/options2", code, "empty option list: \"options2\" (second scale) needs "
                                                    "at least one option, or leave it out");
            if (const json* sh = member(jq, "scale_headers")) {
                std::string sp = path + "/scale_headers";
                if (!sh->is_array() || sh->size() != 2)
                    error(sp, code, "\"scale_headers\" must be a list of two texts");
                else {
                    parse_text((*sh)[0], sp + "/0", code, "scale_headers", q.scale_header1, false);
                    parse_text((*sh)[1], sp + "/1", code, "scale_headers", q.scale_header2, false);
                    if (!jq.contains("options2"))
                        error(sp, code, "\"scale_headers\" needs a second scale in \"options2\"");
                }
            }
        }

        if (key_applies("rows", t)) {
            parse_rows(jq, path, code, position, q.rows);
            const json* r = member(jq, "rows");
            if (!r || (r->is_array() && r->empty()))
                error(r ? path + "/rows" : path, code, (t == QuestionType::Matrix ? "matrix without rows: " : "") +
                          std::string("type ") + in_quotes(tname) + " needs at least one row in \"rows\"");
        }

        if (t == QuestionType::SingleChoice) {
            if (get_string(jq, "display", path, code, q.display, false) && q.display != "list" &&
                q.display != "dropdown")
                error(path + "/display", code, "invalid \"display\" " + in_quotes(q.display) +
                                                   ": use \"list\" or \"dropdown\"");
        }
        if (key_applies("other", t)) {
            get_bool(jq, "other", path, code, q.other);
            get_text(jq, "other_label", path, code, q.other_label, false);
            if (!q.other && !q.other_label.empty())
                warn(path + "/other_label", code, "\"other_label\" is unused without \"other\": true");
        }
        if (key_applies("comment", t) && q.is_closed()) {
            get_bool(jq, "comment", path, code, q.comment);
            get_text(jq, "comment_label", path, code, q.comment_label, false);
            if (!q.comment && !q.comment_label.empty())
                warn(path + "/comment_label", code, "\"comment_label\" is unused without \"comment\": true");
        }
        if (key_applies("min", t) && (t != QuestionType::Matrix || q.cell == MatrixCell::Number)) {
            get_number(jq, "min", path, code, q.min_value);
            get_number(jq, "max", path, code, q.max_value);
            get_bool(jq, "integer", path, code, q.integer_only);
            if (q.min_value && q.max_value && *q.min_value > *q.max_value)
                error(path + "/min", code, "\"min\" (" + num_text(*q.min_value) + ") is greater than \"max\" (" +
                                               num_text(*q.max_value) + ")");
        }
        if (t == QuestionType::Rating) parse_scale(jq, path, code, q);
        if (key_applies("min_answers", t)) get_int(jq, "min_answers", path, code, q.min_answers, 0, 1000000);
        if (key_applies("max_answers", t)) get_int(jq, "max_answers", path, code, q.max_answers, 0, 1000000);
        if (t == QuestionType::MultipleChoice) {
            if (q.max_answers > 0 && q.min_answers > q.max_answers)
                error(path + "/min_answers", code, "\"min_answers\" (" + std::to_string(q.min_answers) +
                                                       ") is greater than \"max_answers\" (" +
                                                       std::to_string(q.max_answers) + ")");
            else if (!q.options.empty() && q.min_answers > (int)q.options.size() + (q.other ? 1 : 0))
                error(path + "/min_answers", code, "\"min_answers\" (" + std::to_string(q.min_answers) +
                                                       ") is more than the " + std::to_string(q.options.size()) +
                                                       " options");
        }
        if ((t == QuestionType::MultipleChoice || t == QuestionType::Ranking) && !q.options.empty() &&
            q.max_answers > (int)q.options.size() + (q.other ? 1 : 0))
            warn(path + "/max_answers", code, "\"max_answers\" (" + std::to_string(q.max_answers) +
                                                  ") is more than the " + std::to_string(q.options.size()) +
                                                  " options, so it has no effect");
        if (key_applies("max_length", t)) get_int(jq, "max_length", path, code, q.max_length, 0, 1000000);
        if (t == QuestionType::Date) {
            bool lo = get_string(jq, "min_date", path, code, q.min_date, false);
            bool hi = get_string(jq, "max_date", path, code, q.max_date, false);
            if (lo && !valid_date(q.min_date))
                error(path + "/min_date", code, "\"min_date\" must be a date written YYYY-MM-DD, not " + in_quotes(q.min_date));
            if (hi && !valid_date(q.max_date))
                error(path + "/max_date", code, "\"max_date\" must be a date written YYYY-MM-DD, not " + in_quotes(q.max_date));
            if (lo && hi && valid_date(q.min_date) && valid_date(q.max_date) && q.min_date > q.max_date)
                error(path + "/min_date", code, "\"min_date\" (" + q.min_date + ") is after \"max_date\" (" +
                                                    q.max_date + ")");
            if (!valid_date(q.min_date)) q.min_date.clear();
            if (!valid_date(q.max_date)) q.max_date.clear();
        }
    }

    void parse_scale(const json& jq, const std::string& path, const std::string& code, Question& q) {
        if (const json* s = member(jq, "scale")) {
            std::string sp = path + "/scale";
            if (!s->is_object()) {
                error(sp, code, "\"scale\" must be an object like {\"min\": 1, \"max\": 5}, not " +
                                    std::string(json_kind(*s)));
            } else {
                check_keys(*s, sp, code, kScaleKeys);
                get_int(*s, "min", sp, code, q.scale_min, 0, 100);
                get_int(*s, "max", sp, code, q.scale_max, 0, 100);
                get_text(*s, "min_label", sp, code, q.min_label, false);
                get_text(*s, "max_label", sp, code, q.max_label, false);
                if (q.scale_min >= q.scale_max)
                    error(sp, code, "rating scale bounds: \"min\" (" + std::to_string(q.scale_min) +
                                        ") must be below \"max\" (" + std::to_string(q.scale_max) + ")");
                else if (q.scale_max - q.scale_min > 10)
                    error(sp, code, "rating scale bounds: " + std::to_string(q.scale_min) + ".." +
                                        std::to_string(q.scale_max) + " has " +
                                        std::to_string(q.scale_max - q.scale_min + 1) +
                                        " points; at most 11 are allowed");
            }
        }
        // The rest of the engine sees a rating as a closed question with options "1".."5".
        q.options.clear();
        if (q.scale_min < q.scale_max && q.scale_max - q.scale_min <= 10) {
            for (int v = q.scale_min; v <= q.scale_max; v++) {
                Option o;
                o.code = std::to_string(v);
                for (const std::string& l : langs) o.text.by_lang[l] = o.code;
                q.options.push_back(std::move(o));
            }
        }
    }

    // --- groups and survey ---

    void parse_group(const json& jg, const std::string& path, Group& g) {
        if (!jg.is_object()) {
            error(path, "", "a group must be an object, not " + std::string(json_kind(jg)));
            return;
        }
        check_keys(jg, path, "", kGroupKeys);
        std::string gc;
        if (get_string(jg, "code", path, "", g.code, true)) {
            if (!valid_group_code(g.code)) {
                error(path + "/code", "", "invalid group code " + in_quotes(g.code) +
                                              ": use letters, digits, \"_\" and \"-\" only");
            } else {
                gc = "group " + g.code;
                auto [it, fresh] = group_codes.insert({g.code, path});
                if (!fresh) {
                    int l = line_of(it->second + "/code");
                    error(path + "/code", gc, "duplicate group code " + in_quotes(g.code) + " (first used at " +
                                                  it->second + (l ? ", line " + std::to_string(l) : "") + ")");
                }
            }
        }
        get_text(jg, "title", path, gc, g.title, true);
        get_text(jg, "description", path, gc, g.description, false);
        PendingCondition pc;
        pc.owner = gc.empty() ? "group" : gc;
        pc.limit = question_count; // position of the group's first question
        pc.is_group = true;
        g.condition = parse_condition(jg, path, gc, g.condition_src, pc);
        const json* qs = member(jg, "questions");
        if (!qs) {
            error(path, gc, "missing required key \"questions\"");
            return;
        }
        if (!qs->is_array()) {
            error(path + "/questions", gc, "\"questions\" must be a list, not " + std::string(json_kind(*qs)));
            return;
        }
        if (qs->empty()) warn(path + "/questions", gc, "group has no questions");
        for (size_t i = 0; i < qs->size(); i++) {
            Question q;
            parse_question((*qs)[i], path + "/questions/" + std::to_string(i), q);
            g.questions.push_back(std::move(q));
        }
    }

    void parse_survey_object(const json& j, Survey& s) {
        check_keys(j, "", "", kSurveyKeys);
        get_string(j, "id", "", "", s.id, true);
        if (j.contains("id") && j["id"].is_string() && !valid_survey_id(s.id))
            error("/id", "", "invalid survey id " + in_quotes(s.id) +
                                 ": use lowercase letters, digits and \"-\" only (at most 64)");
        if (get_string(j, "version", "", "", s.version, true) && s.version.empty())
            error("/version", "", "\"version\" must not be empty");
        get_string(j, "source", "", "", s.source_note, false);

        if (const json* l = member(j, "languages")) {
            if (!l->is_array()) {
                error("/languages", "", "\"languages\" must be a list like [\"de\", \"en\"], not " +
                                            std::string(json_kind(*l)));
            } else if (l->empty()) {
                error("/languages", "", "\"languages\" is empty: list at least one language");
            } else {
                for (size_t i = 0; i < l->size(); i++) {
                    std::string p = "/languages/" + std::to_string(i);
                    const json& v = (*l)[i];
                    if (!v.is_string()) {
                        error(p, "", "a language must be a string like \"de\", not " + std::string(json_kind(v)));
                        continue;
                    }
                    std::string tag = v.get<std::string>();
                    if (!valid_language(tag))
                        error(p, "", "invalid language tag " + in_quotes(tag) + " (examples: \"de\", \"en\", \"de-x-ls\")");
                    else if (std::find(langs.begin(), langs.end(), tag) != langs.end())
                        error(p, "", "duplicate language " + in_quotes(tag));
                    else
                        langs.push_back(tag);
                }
            }
        } else {
            error("", "", "missing required key \"languages\"");
        }
        if (langs.empty()) langs.push_back("de"); // keep going so later errors still show
        orig = langs.front();
        s.languages = langs;

        get_text(j, "title", "", "", s.title, true);
        get_text(j, "description", "", "", s.description, false);
        get_text(j, "end_text", "", "", s.end_text, false);

        if (const json* st = member(j, "settings")) {
            if (!st->is_object()) {
                error("/settings", "", "\"settings\" must be an object, not " + std::string(json_kind(*st)));
            } else {
                check_keys(*st, "/settings", "", kSettingsKeys);
                get_bool(*st, "no_answer_option", "/settings", "", s.settings.no_answer_option);
                get_bool(*st, "partial_responses", "/settings", "", s.settings.partial_responses);
                get_bool(*st, "show_progress", "/settings", "", s.settings.show_progress);
            }
        }

        const json* gs = member(j, "groups");
        if (!gs) {
            error("", "", "missing required key \"groups\"");
        } else if (!gs->is_array()) {
            error("/groups", "", "\"groups\" must be a list, not " + std::string(json_kind(*gs)));
        } else {
            for (size_t i = 0; i < gs->size(); i++) {
                Group g;
                parse_group((*gs)[i], "/groups/" + std::to_string(i), g);
                s.groups.push_back(std::move(g));
            }
            if (question_count == 0) error("/groups", "", "the survey has no questions");
        }
        check_condition_references(s);
    }

    // What `rest` in "Q_rest" may name for question q; "" when fine, else the problem.
    static bool part_exists(const Question& q, const std::string& rest) {
        using T = QuestionType;
        if (rest == "other") return (q.type == T::SingleChoice || q.type == T::MultipleChoice) && q.other;
        if (rest == "comment") return q.comment;
        switch (q.type) {
        case T::MultipleChoice:
            return q.find_option(rest) != nullptr;
        case T::MultiText:
        case T::MultiNumeric:
            return q.find_row(rest) != nullptr;
        case T::Matrix:
            if (q.cell == MatrixCell::Choice) {
                if (q.find_row(rest)) return true;
                return rest.size() > 2 && rest.compare(rest.size() - 2, 2, "#1") == 0 &&
                       !q.options2.empty() && q.find_row(rest.substr(0, rest.size() - 2));
            }
            for (const Row& r : q.rows)
                if (rest.size() > r.code.size() + 1 && rest.compare(0, r.code.size(), r.code) == 0 &&
                    rest[r.code.size()] == '_' && q.find_option(rest.substr(r.code.size() + 1)))
                    return true;
            return false;
        case T::Ranking:
        case T::RankedList: {
            if (rest.empty() || rest.size() > 4 || !all_of_chars(rest, "", false) || rest[0] == '0') return false;
            for (char c : rest)
                if (c < '0' || c > '9') return false;
            int n = std::stoi(rest);
            int limit = q.type == T::Ranking ? (int)q.options.size() : 0;
            if (q.max_answers > 0 && (limit == 0 || q.max_answers < limit)) limit = q.max_answers;
            return limit == 0 || n <= limit;
        }
        default:
            return false;
        }
    }

    // A condition may only read questions strictly before the thing it belongs to, so that
    // showing or hiding never depends on answers given later (the session walks forward).
    void check_condition_references(const Survey& s) {
        std::map<std::string, int> pos;
        std::map<std::string, const Question*> by_code;
        int n = 0;
        for (const Group& g : s.groups)
            for (const Question& q : g.questions) {
                if (valid_question_code(q.code) && !pos.count(q.code)) {
                    pos[q.code] = n;
                    by_code[q.code] = &q;
                }
                n++;
            }
        for (const PendingCondition& pc : conditions) {
            std::set<std::string> reported;
            for (const std::string& name : referenced_variables(*pc.expr)) {
                if (!reported.insert(name).second) continue;
                // The question is the longest code C with name == C or name starting "C_":
                // try the whole name, then every prefix that ends before a '_'.
                std::string best;
                if (pos.count(name)) best = name;
                for (size_t k = name.size(); best.empty() && k-- > 1;)
                    if (name[k] == '_' && pos.count(name.substr(0, k))) best = name.substr(0, k);
                if (best.empty()) {
                    std::vector<std::string> codes;
                    for (const auto& [c, p] : pos) codes.push_back(c);
                    error(pc.path, pc.code, "condition refers to unknown question " + in_quotes(name) +
                                                suggest(name, codes));
                    continue;
                }
                int p = pos[best];
                if (p >= pc.limit) {
                    if (pc.is_group)
                        error(pc.path, pc.code, "condition refers to question " + best + ", which is not "
                                                    "before this group; a condition can only use earlier questions");
                    else if (p == pc.limit)
                        error(pc.path, pc.code, "condition refers to the same question " + best +
                                                    "; a condition can only use earlier questions");
                    else
                        error(pc.path, pc.code, "condition refers to later question " + best +
                                                    "; a condition can only use earlier questions");
                    continue;
                }
                const Question& target = *by_code[best];
                using T = QuestionType;
                if (name == best && (target.type == T::Matrix || target.type == T::MultiText ||
                                     target.type == T::MultiNumeric || target.type == T::Info))
                    warn(pc.path, pc.code, "condition reads " + best + ", which is always empty for type " +
                                               in_quotes(type_name(target.type)) +
                                               (target.type == T::Info ? "" : "; use " + best + "_<row code>"));
                if (name != best) {
                    std::string rest = name.substr(best.size() + 1);
                    const Question& q = target;
                    if (!part_exists(q, rest))
                        error(pc.path, pc.code, "condition refers to " + in_quotes(name) + ", but question " + best +
                                                    " (" + type_name(q.type) + ") has no option, row or part " +
                                                    in_quotes(rest));
                }
            }
        }
    }
};

// ---------------------------------------------------------------------------------------
// Writing

ojson text_json(const LocalText& t) {
    ojson o = ojson::object();
    for (const auto& [lang, s] : t.by_lang) o[lang] = s;
    return o;
}

ojson number_json(double d) {
    if (std::floor(d) == d && std::fabs(d) < 1e15) return ojson((long long)d);
    return ojson(d);
}

ojson options_json(const std::vector<Option>& opts, bool with_exclusive) {
    ojson a = ojson::array();
    for (const Option& o : opts) {
        ojson jo;
        jo["code"] = o.code;
        jo["text"] = text_json(o.text);
        if (with_exclusive && o.exclusive) jo["exclusive"] = true;
        a.push_back(std::move(jo));
    }
    return a;
}

ojson question_json(const Question& q) {
    using T = QuestionType;
    ojson j;
    j["code"] = q.code;
    j["type"] = type_name(q.type);
    j["text"] = text_json(q.text);
    if (!q.help.empty()) j["help"] = text_json(q.help);
    if (q.mandatory && q.type != T::Info) j["mandatory"] = true;
    if (!q.condition_src.empty()) j["condition"] = q.condition_src;
    if (!q.source_note.empty()) j["source"] = q.source_note;
    if (q.type == T::Matrix && q.cell != MatrixCell::Choice)
        j["cell"] = q.cell == MatrixCell::Number ? "number" : "text";
    if (q.type == T::SingleChoice && q.display != "list") j["display"] = q.display;
    bool write_options = needs_options(q.type) ||
                         (q.type == T::YesNo && !same_options(q.options, default_yesno_options()));
    if (write_options) j["options"] = options_json(q.options, q.type == T::MultipleChoice);
    if (q.type == T::Matrix && q.cell == MatrixCell::Choice) {
        if (!q.options2.empty()) j["options2"] = options_json(q.options2, false);
        if (!q.options2.empty() && (!q.scale_header1.empty() || !q.scale_header2.empty()))
            j["scale_headers"] = ojson::array({text_json(q.scale_header1), text_json(q.scale_header2)});
    }
    if (q.type == T::Rating) {
        ojson s;
        s["min"] = q.scale_min;
        s["max"] = q.scale_max;
        if (!q.min_label.empty()) s["min_label"] = text_json(q.min_label);
        if (!q.max_label.empty()) s["max_label"] = text_json(q.max_label);
        j["scale"] = std::move(s);
    }
    if (key_applies("rows", q.type)) {
        ojson rows = ojson::array();
        for (const Row& r : q.rows) {
            ojson jr;
            jr["code"] = r.code;
            jr["text"] = text_json(r.text);
            if (!r.condition_src.empty()) jr["condition"] = r.condition_src;
            rows.push_back(std::move(jr));
        }
        j["rows"] = std::move(rows);
    }
    if (key_applies("other", q.type) && q.other) {
        j["other"] = true;
        if (!q.other_label.empty()) j["other_label"] = text_json(q.other_label);
    }
    if (q.is_closed() && q.comment) {
        j["comment"] = true;
        if (!q.comment_label.empty()) j["comment_label"] = text_json(q.comment_label);
    }
    if (key_applies("min", q.type) && (q.type != T::Matrix || q.cell == MatrixCell::Number)) {
        if (q.min_value) j["min"] = number_json(*q.min_value);
        if (q.max_value) j["max"] = number_json(*q.max_value);
        if (q.integer_only) j["integer"] = true;
    }
    if (key_applies("min_answers", q.type) && q.min_answers > 0) j["min_answers"] = q.min_answers;
    if (key_applies("max_answers", q.type) && q.max_answers > 0) j["max_answers"] = q.max_answers;
    if (key_applies("max_length", q.type) && q.max_length > 0) j["max_length"] = q.max_length;
    if (q.type == T::Date) {
        if (!q.min_date.empty()) j["min_date"] = q.min_date;
        if (!q.max_date.empty()) j["max_date"] = q.max_date;
    }
    return j;
}

} // namespace

// ---------------------------------------------------------------------------------------
// Public functions. None of them throws: every failure becomes a LoadError.

LoadResult parse_survey(const std::string& json_text, const std::string& source_name) {
    LoadResult res;
    try {
        Loader L(source_name, json_text);
        int depth = nesting_depth(json_text, kMaxDepth);
        if (depth > kMaxDepth) {
            L.error("", "", "JSON nested deeper than " + std::to_string(kMaxDepth) + " levels");
            res.errors = std::move(L.errors);
            return res;
        }
        json j;
        try {
            j = json::parse(json_text);
        } catch (const json::parse_error& e) {
            // nlohmann's byte offset points just past the offending character.
            size_t at = e.byte > 0 ? e.byte - 1 : 0;
            std::string what = e.what();
            if (what.find("last read") == std::string::npos) at = token_start(json_text, at);
            LoadError err;
            err.file = source_name;
            line_col(json_text, at, err.line, err.column);
            // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: "
            // prefix: we give line and column ourselves.
            auto colon = what.find(": ");
            if (what.rfind("[json.exception", 0) == 0 && colon != std::string::npos)
                what = what.substr(colon + 2);
            err.message = "JSON syntax error: " + what;
            res.errors.push_back(std::move(err));
            return res;
        }
        LineScan scan(json_text, L.lines);
        scan.value("", 0);
        for (const auto& [path, line] : scan.duplicates) {
            LoadError e = L.make(path, "", "duplicate key " + in_quotes(path.substr(path.rfind('/') + 1)) +
                                               " in the same object (only one would be used)");
            e.line = line;
            L.errors.push_back(std::move(e));
        }
        if (!j.is_object()) {
            L.error("", "", "a survey file must contain a JSON object {...}, not " + std::string(json_kind(j)));
            res.errors = std::move(L.errors);
            return res;
        }
        std::string format;
        if (!L.get_string(j, "format", "", "", format, true) || format != kFormat) {
            if (j.contains("format") && j["format"].is_string())
                L.error("/format", "", "unsupported \"format\" " + in_quotes(format) + "; expected \"" +
                                           kFormat + "\"");
            res.errors = std::move(L.errors);
            return res; // not our format: further messages would only be noise
        }
        auto survey = std::make_shared<Survey>();
        survey->source_path = source_name;
        L.parse_survey_object(j, *survey);
        res.warnings = std::move(L.warnings);
        if (!L.errors.empty()) {
            res.errors = std::move(L.errors);
            return res;
        }
        survey->hash = "sha256:" + sha256_hex(j.dump(-1, ' ', false, json::error_handler_t::replace));
        res.survey = std::move(survey);
    } catch (const std::exception& e) {
        res.survey.reset();
        res.errors.push_back({source_name, "", std::string("internal error while loading: ") + e.what()});
    } catch (...) {
        res.survey.reset();
        res.errors.push_back({source_name, "", "internal error while loading"});
    }
    return res;
}

LoadResult load_survey(const std::string& path) {
    LoadResult res;
    try {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec)) {
            res.errors.push_back({path, "", "is a directory, not a survey file"});
            return res;
        }
        std::string text, err;
        if (!read_whole_file(path, text, &err)) {
            res.errors.push_back({path, "", err});
            return res;
        }
        res = parse_survey(text, path);
    } catch (...) {
        res.survey.reset();
        res.errors.push_back({path, "", "cannot read file"});
    }
    return res;
}

std::string survey_to_json(const Survey& s) {
    try {
        ojson j;
        j["format"] = kFormat;
        j["id"] = s.id;
        j["version"] = s.version;
        j["languages"] = s.languages;
        j["title"] = text_json(s.title);
        if (!s.description.empty()) j["description"] = text_json(s.description);
        if (!s.end_text.empty()) j["end_text"] = text_json(s.end_text);
        if (!s.source_note.empty()) j["source"] = s.source_note;
        ojson st;
        st["no_answer_option"] = s.settings.no_answer_option;
        st["partial_responses"] = s.settings.partial_responses;
        st["show_progress"] = s.settings.show_progress;
        j["settings"] = std::move(st);
        ojson groups = ojson::array();
        for (const Group& g : s.groups) {
            ojson jg;
            jg["code"] = g.code;
            jg["title"] = text_json(g.title);
            if (!g.description.empty()) jg["description"] = text_json(g.description);
            if (!g.condition_src.empty()) jg["condition"] = g.condition_src;
            ojson qs = ojson::array();
            for (const Question& q : g.questions) qs.push_back(question_json(q));
            jg["questions"] = std::move(qs);
            groups.push_back(std::move(jg));
        }
        j["groups"] = std::move(groups);
        return j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
    } catch (...) {
        return "";
    }
}

} // namespace tk
