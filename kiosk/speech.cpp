// speech.cpp - espeak-ng child processes.
#include "speech.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <vector>

extern char** environ;

namespace tk {

std::string espeak_voice(const std::string& lang) {
    // The primary subtag decides ("de-x-ls" -> de, "fa-IR" -> fa, "AR" -> ar). Only languages
    // espeak-ng has a voice for are listed: an unknown voice would make espeak-ng read the
    // page with its English rules, which is worse than silence.
    std::string primary = lang.substr(0, lang.find_first_of("-_"));
    for (char& c : primary) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const char* const kVoices[] = {"de", "en", "tr", "uk", "ru", "ar", "fa", "pl",
                                          "fr", "es", "it", "nl", "pt"};
    for (const char* v : kVoices)
        if (primary == v) return v;
    return "";
}

void speech_init(Speech& s) {
    if (const char* log = std::getenv("TK_KIOSK_SPEECH_LOG")) s.log_path = log;
    // Look for the program once; a kiosk without espeak-ng hides nothing, it just stays quiet.
    s.enabled = false;
    const char* path = std::getenv("PATH");
    std::string p = path ? path : "/usr/bin:/bin";
    size_t start = 0;
    while (start <= p.size()) {
        size_t end = p.find(':', start);
        if (end == std::string::npos) end = p.size();
        std::string cand = p.substr(start, end - start) + "/" + s.program;
        if (access(cand.c_str(), X_OK) == 0) {
            s.enabled = true;
            break;
        }
        start = end + 1;
    }
}

void speech_stop(Speech& s) {
    if (s.pid > 0) {
        kill(s.pid, SIGTERM);
        waitpid(s.pid, nullptr, 0);
        s.pid = -1;
    }
}

void speech_poll(Speech& s) {
    if (s.pid > 0 && waitpid(s.pid, nullptr, WNOHANG) == s.pid) s.pid = -1;
}

bool speech_active(const Speech& s) { return s.pid > 0; }

void speech_say(Speech& s, const std::string& lang, const std::string& text) {
    speech_stop(s);
    if (text.empty()) return;
    ++s.utterances;
    std::string voice = espeak_voice(lang);
    if (!s.log_path.empty()) {
        // "[ar voice=ar] ...": the page's language and the voice that reads it, so tests see
        // that the voice follows the language shown ("voice=-" when none is spoken).
        if (FILE* f = std::fopen(s.log_path.c_str(), "a")) {
            std::fprintf(f, "[%s voice=%s] %s\n", lang.c_str(), voice.empty() ? "-" : voice.c_str(), text.c_str());
            std::fclose(f);
        }
    }
    if (!s.enabled || voice.empty()) return;
    // A leading space keeps text that starts with '-' from being read as an option.
    std::string arg = " " + text;
    std::vector<char*> argv = {s.program.data(), const_cast<char*>("-v"), voice.data(),
                               const_cast<char*>("-s"), const_cast<char*>("140"), arg.data(), nullptr};
    pid_t pid = -1;
    if (posix_spawnp(&pid, s.program.c_str(), nullptr, nullptr, argv.data(), environ) == 0) s.pid = pid;
}

} // namespace tk
