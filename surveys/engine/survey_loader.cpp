// survey_loader.cpp - reads and validates the native survey JSON format (survey_writer.cpp writes it).
//
// The loader is strict on purpose: a typo in a survey file must fail loudly at check time,
// not silently change what respondents see. It collects every problem it finds (not just
// the first), each with file, line, place (question code + JSON path) and a plain message,
// so an author can fix a file in one pass. See surveys/FORMAT.md for the format itself.
//
// This file: the Loader's messages, typed getters, texts, conditions, groups and the survey
// object (languages and their meta), then parse_survey and load_survey. survey_loader_internal.h lists the other files.
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "files.h"
#include "json_positions.h"
#include "spelling.h"
#include "survey_loader_internal.h"
#include "text_direction.h"

namespace tk {
namespace loader {

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

namespace {

std::string sha256_hex(const std::string& data) {
    static const int init = sodium_init(); // once; thread-safe static initialisation
    (void)init;
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, (const unsigned char*)data.data(), data.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

} // namespace

// ---------------------------------------------------------------------------------------
// The loader

int Loader::line_of(std::string path) const {
    for (;;) {
        auto it = lines.find(path);
        if (it != lines.end()) return it->second;
        if (path.empty()) return 0;
        path = path.substr(0, path.rfind('/'));
    }
}

LoadError Loader::make(const std::string& path, const std::string& code, const std::string& msg) const {
    LoadError e;
    e.file = file;
    e.where = code.empty() ? path : (path.empty() ? code : code + " " + path);
    e.message = msg;
    e.line = line_of(path);
    return e;
}

void Loader::error(const std::string& path, const std::string& code, const std::string& msg) {
    if (errors.size() < 500) errors.push_back(make(path, code, msg));
}

void Loader::warn(const std::string& path, const std::string& code, const std::string& msg) {
    if (warnings.size() < 500) warnings.push_back(make(path, code, msg).to_string());
}

const json* Loader::member(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

bool Loader::get_string(const json& obj, const char* key, const std::string& path,
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

void Loader::get_bool(const json& obj, const char* key, const std::string& path,
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
bool Loader::get_int(const json& obj, const char* key, const std::string& path,
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

void Loader::get_number(const json& obj, const char* key, const std::string& path,
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
bool Loader::get_text(const json& obj, const char* key, const std::string& path,
              const std::string& code, LocalText& out, bool required) {
    const json* v = member(obj, key);
    std::string p = path + "/" + key;
    if (!v) {
        if (required) error(path, code, std::string("missing required key \"") + key + "\"");
        return false;
    }
    return parse_text(*v, p, code, key, out, required);
}

bool Loader::parse_text(const json& v, const std::string& p, const std::string& code,
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

std::shared_ptr<const Expr> Loader::parse_condition(const json& obj, const std::string& path,
                                            const std::string& code, std::string& src,
                                            PendingCondition pc) {
    if (!get_string(obj, "condition", path, code, src, false)) return nullptr;
    std::string trimmed = src;
    trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
    if (trimmed.empty()) { src.clear(); return nullptr; }
    // A condition is evaluated before its question is shown and may read only earlier
    // questions, so `self` has nothing to read there; `that.Q1` reaches earlier questions.
    ExprContext ctx = expr_context(nullptr);
    ctx.self_error = code.empty() || pc.is_group
                         ? "'self' stands for a question's own answers, and a group's condition belongs "
                           "to no question; name the variables or use that.<question code>"
                         : "'self' in the condition of " + code + " would read " + code +
                               " itself, but a condition can only use earlier questions; use "
                               "that.<question code> or name the variables";
    return parse_queued(src, src, ctx, path + "/condition", code, pc);
}

std::shared_ptr<const Expr> Loader::parse_queued(const std::string& src, const std::string& shown,
                                                 const ExprContext& ctx, const std::string& p,
                                                 const std::string& code, PendingCondition pc) {
    ExprParse r = parse_expression(src, ctx);
    if (!r.expr) {
        error(p, code, "bad " + pc.what + " " + in_quotes(shown) + ": " + parse_error_text(r));
        return nullptr;
    }
    pc.path = p;
    pc.code = code;
    pc.expr = r.expr;
    conditions.push_back(pc);
    return r.expr;
}

ExprContext Loader::expr_context(const Question* self) const {
    ExprContext ctx;
    ctx.unknown_note = " (only questions before this point can be named)";
    // The context is used while this Loader lives (parsing happens inside load).
    ctx.parts = [this, self](const std::string& code, std::vector<std::string>* vars) {
        if (self && code == self->code) {
            *vars = answer_variables(*self);
            return true;
        }
        auto it = answer_vars.find(code);
        if (it == answer_vars.end()) return false;
        *vars = it->second;
        return true;
    };
    if (self) ctx.self = self->code;
    return ctx;
}

void Loader::parse_group(const json& jg, const std::string& path, Group& g) {
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

// "languages": the tags, each valid, once, and in a script the kiosk can draw.
void Loader::parse_languages(const json& j, Survey& s) {
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
                else {
                    // Empty boxes instead of questions would be worse than no such language. The
                    // tag is still listed, so its texts give no second message each.
                    if (!kiosk_renders_script(language_script(tag)))
                        error(p, "", "language " + in_quotes(tag) + " is written in the script " +
                                         language_script(tag) + ", which the kiosk has no font for; "
                                         "languages in Latin, Cyrillic or Arabic script can be shown "
                                         "(a tag such as \"sr-Latn\" names the script)");
                    langs.push_back(tag);
                }
            }
        }
    } else {
        error("", "", "missing required key \"languages\"");
    }
    if (langs.empty()) langs.push_back("de"); // keep going so later errors still show
    orig = langs.front();
    s.languages = langs;
}

// "meta": {"tr": {"source_language": "de", "translated_by": "...", "reviewed": false}, ...}.
// Every unreviewed translation becomes a note, so it cannot go into the field unnoticed.
void Loader::parse_meta(const json& j, Survey& s) {
    const json* m = member(j, "meta");
    if (!m) return;
    if (!m->is_object()) {
        error("/meta", "", "\"meta\" must be an object like {\"tr\": {\"source_language\": \"de\", "
                           "\"translated_by\": \"...\", \"reviewed\": false}}, not " + std::string(json_kind(*m)));
        return;
    }
    for (auto it = m->begin(); it != m->end(); ++it) {
        const std::string& lang = it.key();
        if (is_comment_key(lang)) continue;
        std::string p = "/meta/" + pointer_escape(lang);
        if (std::find(langs.begin(), langs.end(), lang) == langs.end()) {
            error(p, "", "meta for language " + in_quotes(lang) + ", which is not in \"languages\"" +
                             suggest(lang, langs));
            continue;
        }
        if (!it.value().is_object()) {
            error(p, "", "the meta of a language must be an object, not " + std::string(json_kind(it.value())));
            continue;
        }
        const json& o = it.value();
        check_keys(o, p, "", kMetaKeys);
        LanguageMeta lm;
        bool ok = get_string(o, "source_language", p, "", lm.source_language, true);
        if (ok && lm.source_language == lang) {
            error(p + "/source_language", "", "language " + in_quotes(lang) + " cannot be translated from itself");
            ok = false;
        } else if (ok && std::find(langs.begin(), langs.end(), lm.source_language) == langs.end()) {
            error(p + "/source_language", "", "\"source_language\" " + in_quotes(lm.source_language) +
                                                  " is not in \"languages\"" + suggest(lm.source_language, langs));
            ok = false;
        }
        if (get_string(o, "translated_by", p, "", lm.translated_by, true) && lm.translated_by.empty()) {
            error(p + "/translated_by", "", "\"translated_by\" must not be empty: name who translated");
            ok = false;
        }
        if (!member(o, "reviewed")) {
            error(p, "", "missing required key \"reviewed\" (false until a native speaker has checked the texts)");
            ok = false;
        }
        get_bool(o, "reviewed", p, "", lm.reviewed);
        if (ok) s.language_meta[lang] = std::move(lm);
    }
    for (const std::string& lang : langs) { // notes in the order of "languages"
        auto it = s.language_meta.find(lang);
        if (it != s.language_meta.end() && !it->second.reviewed)
            notes.push_back(file + ": language " + in_quotes(lang) + " is a translation from " +
                            in_quotes(it->second.source_language) + " by " + it->second.translated_by +
                            ", not yet reviewed by a native speaker");
    }
}

void Loader::parse_survey_object(const json& j, Survey& s) {
    check_keys(j, "", "", kSurveyKeys);
    get_string(j, "id", "", "", s.id, true);
    if (j.contains("id") && j["id"].is_string() && !valid_survey_id(s.id))
        error("/id", "", "invalid survey id " + in_quotes(s.id) +
                             ": use lowercase letters, digits and \"-\" only (at most 64)");
    if (get_string(j, "version", "", "", s.version, true) && s.version.empty())
        error("/version", "", "\"version\" must not be empty");
    get_string(j, "source", "", "", s.source_note, false);

    parse_languages(j, s);

    get_text(j, "title", "", "", s.title, true);
    get_text(j, "description", "", "", s.description, false);
    get_text(j, "end_text", "", "", s.end_text, false);
    get_text(j, "about", "", "", s.about, false);

    // The notice is all or nothing: a half-filled notice would look complete on screen.
    if (const json* pv = member(j, "privacy")) {
        if (!pv->is_object()) {
            error("/privacy", "", "\"privacy\" must be an object with controller, purpose, stored, protection "
                                  "and contact, not " + std::string(json_kind(*pv)));
        } else {
            check_keys(*pv, "/privacy", "", kPrivacyKeys);
            PrivacyNotice& n = s.privacy;
            get_text(*pv, "controller", "/privacy", "", n.controller, true);
            get_text(*pv, "purpose", "/privacy", "", n.purpose, true);
            get_text(*pv, "stored", "/privacy", "", n.stored, true);
            get_text(*pv, "protection", "/privacy", "", n.protection, true);
            get_text(*pv, "contact", "/privacy", "", n.contact, true);
            get_bool(*pv, "consent_required", "/privacy", "", n.consent_required);
            if (n.controller.empty()) n = PrivacyNotice{};
        }
    }

    parse_meta(j, s);

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
    check_piping(s);
    check_condition_references(s);
    parse_delphi(j, s);
}

} // namespace loader

// ---------------------------------------------------------------------------------------
// Public functions. None of them throws: every failure becomes a LoadError.

using namespace loader;

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
        res.notes = std::move(L.notes);
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

} // namespace tk
