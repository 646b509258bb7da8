// speech.h - reading pages aloud with espeak-ng.
//
// espeak-ng runs as a child process per utterance: starting it costs a few milliseconds,
// the kiosk stays responsive, and stopping is a signal (EN 301 549 5.1.3.5: speech stops
// when the user acts or new speech begins). The text goes in argv, never through a shell.
#pragma once
#include <string>
#include <sys/types.h>

namespace tk {

struct Speech {
    pid_t pid = -1;            // running espeak-ng, -1 = silent
    bool enabled = true;       // false when espeak-ng is missing (checked once)
    std::string program = "espeak-ng";
    std::string log_path;      // $TK_KIOSK_SPEECH_LOG: every utterance is appended (tests)
    int utterances = 0;
};

// espeak-ng voice for a language tag: "de-x-ls" -> "de", "fa-IR" -> "fa", "ar" -> "ar"; "" for a
// language espeak-ng has no voice for (then nothing is spoken, the utterance is still logged).
std::string espeak_voice(const std::string& lang);
void speech_init(Speech& s);
void speech_say(Speech& s, const std::string& lang, const std::string& text);
void speech_stop(Speech& s);
void speech_poll(Speech& s);   // reaps a finished child
bool speech_active(const Speech& s);

} // namespace tk
