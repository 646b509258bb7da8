// response.cpp - canonical JSON of a response, and its strict reader (see RESPONSE.md).
//
// The canonical bytes are what the vault seals and the server stores, so they must not
// depend on the order answers were given or on the library's formatting: nlohmann's object
// type is a std::map (keys sorted by byte), dump() without indent has no whitespace, and
// every field is always written except answer fields that hold their default.
#include "response.h"

#include <nlohmann/json.hpp>

namespace tk {

using nlohmann::json;

static const char* kResponseFormat = "teilhabe-response/1";

bool Response::operator==(const Response& o) const {
    return survey_id == o.survey_id && survey_version == o.survey_version &&
           survey_hash == o.survey_hash && language == o.language && channel == o.channel &&
           site == o.site && event == o.event && meta == o.meta && started == o.started &&
           finished == o.finished && complete == o.complete && answers == o.answers &&
           skipped == o.skipped && not_shown == o.not_shown && pseudonym == o.pseudonym;
}

// ---------------------------------------------------------------------------------------
// Writing

static json answer_to_json(const Answer& a) {
    json j = json::object();
    if (!a.value.empty()) j["value"] = a.value;
    if (!a.values.empty()) j["values"] = a.values;
    if (!a.cells.empty()) j["cells"] = a.cells;
    if (!a.other.empty()) j["other"] = a.other;
    if (!a.comment.empty()) j["comment"] = a.comment;
    if (a.no_answer) j["no_answer"] = true;
    return j;
}

std::string serialize_response(const Response& r) {
    json j = json::object();
    j["format"] = kResponseFormat;
    j["survey_id"] = r.survey_id;
    j["survey_version"] = r.survey_version;
    j["survey_hash"] = r.survey_hash;
    j["language"] = r.language;
    j["channel"] = r.channel;
    j["site"] = r.site;
    j["event"] = r.event;
    j["meta"] = r.meta;
    j["started"] = format_utc(r.started);
    j["finished"] = format_utc(r.finished);
    j["complete"] = r.complete;
    json answers = json::object();
    for (const auto& [code, a] : r.answers) answers[code] = answer_to_json(a);
    j["answers"] = std::move(answers);
    j["skipped"] = r.skipped;
    j["not_shown"] = r.not_shown;
    if (!r.pseudonym.empty()) j["pseudonym"] = r.pseudonym;
    // Invalid UTF-8 (which no input widget produces) becomes U+FFFD rather than an
    // exception: a response must always serialise.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// ---------------------------------------------------------------------------------------
// Reading

namespace {

// JSON Pointer escaping for keys in messages ("a/b" -> "a~1b").
std::string pointer_key(const std::string& k) {
    std::string out;
    for (char c : k) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

struct Reader {
    std::string error;

    bool fail(const std::string& path, const std::string& msg) {
        if (error.empty()) error = (path.empty() ? "/" : path) + ": " + msg;
        return false;
    }
    bool string_at(const json& j, const std::string& path, std::string& out) {
        if (!j.is_string()) return fail(path, "expected a string");
        out = j.get<std::string>();
        return true;
    }
    bool strings_at(const json& j, const std::string& path, std::vector<std::string>& out) {
        if (!j.is_array()) return fail(path, "expected an array of strings");
        out.clear();
        for (size_t i = 0; i < j.size(); i++) {
            out.emplace_back();
            if (!string_at(j[i], path + "/" + std::to_string(i), out.back())) return false;
        }
        return true;
    }
    bool string_map_at(const json& j, const std::string& path, std::map<std::string, std::string>& out) {
        if (!j.is_object()) return fail(path, "expected an object of strings");
        out.clear();
        for (const auto& [k, v] : j.items()) {
            if (!string_at(v, path + "/" + pointer_key(k), out[k])) return false;
        }
        return true;
    }
    bool time_at(const json& j, const std::string& path, int64_t& out) {
        std::string s;
        if (!string_at(j, path, s)) return false;
        if (!parse_utc(s, &out)) return fail(path, "expected a UTC time like \"2026-11-25T16:03:00Z\", got \"" + s + "\"");
        return true;
    }

    bool answer_at(const json& j, const std::string& path, Answer& a) {
        if (!j.is_object()) return fail(path, "expected an answer object");
        for (const auto& [k, v] : j.items()) {
            std::string p = path + "/" + pointer_key(k);
            bool ok = true;
            if (k == "value") ok = string_at(v, p, a.value);
            else if (k == "values") ok = strings_at(v, p, a.values);
            else if (k == "cells") ok = string_map_at(v, p, a.cells);
            else if (k == "other") ok = string_at(v, p, a.other);
            else if (k == "comment") ok = string_at(v, p, a.comment);
            else if (k == "no_answer") {
                if (!v.is_boolean()) return fail(p, "expected true or false");
                a.no_answer = v.get<bool>();
            } else return fail(p, "unknown answer field");
            if (!ok) return false;
        }
        if (a.no_answer && (!a.value.empty() || !a.values.empty() || !a.cells.empty() ||
                            !a.other.empty() || !a.comment.empty()))
            return fail(path, "\"no_answer\" excludes every other field");
        return true;
    }

    bool response_at(const json& j, Response& r) {
        if (!j.is_object()) return fail("", "expected a response object");
        static const char* required[] = {"format", "survey_id", "survey_version", "survey_hash",
                                         "language", "channel", "site", "started", "finished",
                                         "complete", "answers", "skipped", "not_shown"};
        for (const char* k : required)
            if (!j.contains(k)) return fail("/" + std::string(k), "missing");
        for (const auto& [k, v] : j.items()) {
            std::string p = "/" + pointer_key(k);
            bool ok = true;
            if (k == "format") {
                std::string f;
                if (!string_at(v, p, f)) return false;
                if (f != kResponseFormat)
                    return fail(p, "unknown format \"" + f + "\" (expected \"" + kResponseFormat + "\")");
            } else if (k == "survey_id") ok = string_at(v, p, r.survey_id);
            else if (k == "survey_version") ok = string_at(v, p, r.survey_version);
            else if (k == "survey_hash") ok = string_at(v, p, r.survey_hash);
            else if (k == "language") ok = string_at(v, p, r.language);
            else if (k == "channel") {
                if (!string_at(v, p, r.channel)) return false;
                if (r.channel != kChannelKiosk && r.channel != kChannelPaper &&
                    r.channel != kChannelAssisted && r.channel != kChannelTally)
                    return fail(p, "unknown channel \"" + r.channel + "\"");
            } else if (k == "site") ok = string_at(v, p, r.site);
            else if (k == "pseudonym") ok = string_at(v, p, r.pseudonym);
            else if (k == "event") ok = string_at(v, p, r.event);
            else if (k == "meta") ok = string_map_at(v, p, r.meta);
            else if (k == "started") ok = time_at(v, p, r.started);
            else if (k == "finished") ok = time_at(v, p, r.finished);
            else if (k == "complete") {
                if (!v.is_boolean()) return fail(p, "expected true or false");
                r.complete = v.get<bool>();
            } else if (k == "answers") {
                if (!v.is_object()) return fail(p, "expected an object of answers by question code");
                for (const auto& [code, a] : v.items()) {
                    if (code.empty()) return fail(p, "empty question code");
                    if (!answer_at(a, p + "/" + pointer_key(code), r.answers[code])) return false;
                }
            } else if (k == "skipped") ok = strings_at(v, p, r.skipped);
            else if (k == "not_shown") ok = strings_at(v, p, r.not_shown);
            else return fail(p, "unknown field");
            if (!ok) return false;
        }
        // A question is answered, skipped or not shown: never two of these at once.
        std::map<std::string, std::string> where;
        for (const auto& [code, a] : r.answers) where[code] = "/answers";
        const std::pair<const char*, const std::vector<std::string>*> lists[] = {
            {"/skipped", &r.skipped}, {"/not_shown", &r.not_shown}};
        for (const auto& [name, list] : lists) {
            for (size_t i = 0; i < list->size(); i++) {
                const std::string& code = (*list)[i];
                std::string p = std::string(name) + "/" + std::to_string(i);
                if (code.empty()) return fail(p, "empty question code");
                auto it = where.find(code);
                if (it != where.end())
                    return fail(p, "question \"" + code + "\" is also listed in " + it->second);
                where[code] = name;
            }
        }
        return true;
    }
};

} // namespace

bool parse_response(const std::string& json_text, Response& out, std::string* error) {
    try {
        json j;
        try {
            j = json::parse(json_text);
        } catch (const json::parse_error& e) {
            // "[json.exception.parse_error.101] parse error at line 1, column 3: ..." -> keep
            // the part a person can act on.
            std::string msg = e.what();
            auto close = msg.find("] ");
            if (close != std::string::npos) msg = msg.substr(close + 2);
            if (error) *error = "not valid JSON: " + msg;
            return false;
        }
        Reader rd;
        Response r;
        if (!rd.response_at(j, r)) {
            if (error) *error = rd.error;
            return false;
        }
        out = std::move(r);
        return true;
    } catch (const std::exception& e) { // out of memory
        if (error) *error = std::string("cannot read response: ") + e.what();
        return false;
    }
}

} // namespace tk
