// texts.cpp - loading and looking up the kiosk's UI texts.
#include "texts.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "text.h"

namespace tk {

bool load_ui_texts(const std::string& path, UiTexts& out, std::string* error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (error) *error = path + ": cannot open file";
        return false;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(ss.str());
    } catch (const std::exception& e) {
        if (error) *error = path + ": " + e.what();
        return false;
    }
    if (!j.is_object()) {
        if (error) *error = path + ": /: expected an object of languages";
        return false;
    }
    UiTexts t;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!it.key().empty() && it.key()[0] == '_') continue;
        if (!it.value().is_object()) {
            if (error) *error = path + ": /" + it.key() + ": expected an object of texts";
            return false;
        }
        auto& dst = t.by_lang[it.key()];
        for (auto kv = it.value().begin(); kv != it.value().end(); ++kv) {
            if (!kv.value().is_string()) {
                if (error) *error = path + ": /" + it.key() + "/" + kv.key() + ": expected a string";
                return false;
            }
            if (kv.key() == "_name") t.names[it.key()] = kv.value().get<std::string>();
            else if (kv.key()[0] != '_') dst[kv.key()] = kv.value().get<std::string>();
        }
    }
    if (!t.by_lang.count("de")) {
        if (error) *error = path + ": /de: German texts are required (every other language falls back to them)";
        return false;
    }
    out = std::move(t);
    return true;
}

std::vector<std::string> missing_ui_texts(const UiTexts& t) {
    std::vector<std::string> gaps;
    auto de = t.by_lang.find("de");
    if (de == t.by_lang.end()) return {"no German texts"};
    for (const auto& [lang, keys] : t.by_lang)
        for (const auto& [key, text] : de->second)
            if (!keys.count(key)) gaps.push_back(lang + ": " + key);
    return gaps;
}

const std::string& ui_text(const UiTexts& t, const std::string& lang, const std::string& key) {
    std::vector<std::string> chain = language_fallbacks(lang);
    chain.push_back("de");
    for (const auto& l : chain) {
        auto li = t.by_lang.find(l);
        if (li == t.by_lang.end()) continue;
        auto ki = li->second.find(key);
        if (ki != li->second.end()) return ki->second;
    }
    return key;
}

std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& vars) {
    for (const auto& [name, value] : vars) {
        const std::string pat = "{" + name + "}";
        for (size_t p = text.find(pat); p != std::string::npos; p = text.find(pat, p + value.size()))
            text.replace(p, pat.size(), value);
    }
    return text;
}

std::string find_assets_dir() {
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("TK_ASSETS_DIR"); env && *env) return env;
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        fs::path p = exe.parent_path() / ".." / "share" / "teilhabe-kiosk" / "assets";
        if (fs::exists(p / "ui-texts.json", ec)) return p.lexically_normal().string();
    }
    return TK_ASSETS_DIR;
}

} // namespace tk
