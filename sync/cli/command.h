// command.h - verbs of the `teilhabe` command line.
//
// Each verb lives in its own cmd_*.cpp and registers itself with a static Command object,
// so adding a verb never touches main.cpp. A verb gets the arguments after its name and
// returns the process exit code (0 ok, 1 the checked thing is bad, 2 usage or I/O error).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "survey.h"

namespace tk::cli {

using Args = std::vector<std::string>;
using CommandFn = int (*)(const Args& args);

struct Command {
    const char* name;     // "survey check", "keygen", ...
    const char* usage;    // "FILE...", shown in --help
    const char* summary;  // one line
    CommandFn run;
    Command(const char* name, const char* usage, const char* summary, CommandFn run);
};

const std::vector<const Command*>& commands();

// Small helpers for verbs: "--out DIR" style options.
// Returns the value after `flag`, or `fallback` when absent; removes both from `args`.
std::string take_option(Args& args, const std::string& flag, const std::string& fallback = "");
bool take_flag(Args& args, const std::string& flag);
// Reads one line from the terminal without echo (passphrases). Returns false at end of input.
bool read_secret_line(const char* prompt, std::string& out);
// The research key's passphrase: TEILHABE_PASSPHRASE for scripts, else asked once without echo.
// Returns false with *error when none was given.
bool research_passphrase(std::string& pass, std::string* error);
// Prints "teilhabe NAME: message" to stderr and returns 2.
int usage_error(const char* name, const std::string& message);

// The whole of the file at `path`, or of stdin when `path` is "-". Returns false with *error
// when the file cannot be read.
bool read_input(const std::string& path, std::string& text, std::string* error);

// The survey at `path`. When it does not load, prints every error as "teilhabe NAME: error"
// (each names the file and place), sets *rc to 2 and returns nullptr.
std::shared_ptr<const Survey> load_survey_or_report(const char* name, const std::string& path, int* rc);

} // namespace tk::cli
