// speech.cpp - espeak-ng child processes.
#include "speech.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

extern char** environ;

namespace tk {

std::string espeak_voice(const std::string& lang) {
    std::string primary = lang.substr(0, lang.find('-'));
    if (primary.empty()) return "de";
    return primary; // espeak-ng knows de, en, tr, pl, uk, ru under their ISO 639-1 codes
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
    if (!s.log_path.empty()) {
        if (FILE* f = std::fopen(s.log_path.c_str(), "a")) {
            std::fprintf(f, "[%s] %s\n", lang.c_str(), text.c_str());
            std::fclose(f);
        }
    }
    if (!s.enabled) return;
    std::string voice = espeak_voice(lang);
    // A leading space keeps text that starts with '-' from being read as an option.
    std::string arg = " " + text;
    std::vector<char*> argv = {s.program.data(), const_cast<char*>("-v"), voice.data(),
                               const_cast<char*>("-s"), const_cast<char*>("140"), arg.data(), nullptr};
    pid_t pid = -1;
    if (posix_spawnp(&pid, s.program.c_str(), nullptr, nullptr, argv.data(), environ) == 0) s.pid = pid;
}

} // namespace tk
