// command.h - verbs of the command-line programs (`teilhabe`, `teilhabe-server`).
//
//   Command, commands()       the registry: each verb registers itself with a static Command
//   Program, run_program      main() of a program: --help (every verb with its options),
//                             --version, VERB --help, and dispatch by the longest verb name
//   take_option, take_flag, usage_error, read_secret_line, read_input
//                             small helpers for verbs
//   research_passphrase, load_survey_or_report
//                             for `teilhabe`'s verbs only (defined in sync/cli/main.cpp)
//
// Each verb lives in its own cmd_*.cpp (teilhabe) or in main.cpp (teilhabe-server) and
// registers itself with a static Command object, so adding a verb never touches the dispatch.
// A verb gets the arguments after its name and returns the process exit code (0 ok, 1 the
// checked thing is bad, 2 usage or I/O error). A program links only its own verbs, so the one
// registry holds the verbs of the program that runs.
#pragma once
#include <memory>
#include <string>
#include <vector>

namespace tk {
struct Survey;
}

namespace tk::cli {

using Args = std::vector<std::string>;
using CommandFn = int (*)(const Args& args);

struct Command {
    const char* name;     // "survey check", "keygen", ...
    const char* usage;    // "FILE... [--out DIR]": every option, shown in --help
    const char* summary;  // one line
    CommandFn run;
    Command(const char* name, const char* usage, const char* summary, CommandFn run);
};

const std::vector<const Command*>& commands();

struct Program {
    const char* name;          // "teilhabe-server"
    const char* title;         // first line of --help
    const char* version;       // printed by --version
    // The verb run when the first argument is an option (teilhabe-server --data ... serves);
    // nullptr = none: such a call is a usage error.
    const char* default_verb = nullptr;
};

// main() of a program over the registered verbs. No arguments: --help, exit code 2.
int run_program(const Program& program, int argc, char** argv);
// The running program's name for messages ("teilhabe" until run_program says otherwise).
const char* program_name();

// Small helpers for verbs: "--out DIR" style options.
// Returns the value after `flag`, or `fallback` when absent; removes both from `args`.
std::string take_option(Args& args, const std::string& flag, const std::string& fallback = "");
bool take_flag(Args& args, const std::string& flag);
// Reads one line from the terminal without echo (passphrases). Returns false at end of input.
bool read_secret_line(const char* prompt, std::string& out);
// Prints "PROGRAM NAME: message" to stderr and returns 2.
int usage_error(const char* name, const std::string& message);

// The whole of the file at `path`, or of stdin when `path` is "-". Returns false with *error
// when the file cannot be read.
bool read_input(const std::string& path, std::string& text, std::string* error);

// For `teilhabe`'s verbs (defined with them, in sync/cli/main.cpp).
// The research key's passphrase: TEILHABE_PASSPHRASE for scripts, else asked once without echo.
// Returns false with *error when none was given.
bool research_passphrase(std::string& pass, std::string* error);
// The survey at `path`. When it does not load, prints every error as "teilhabe NAME: error"
// (each names the file and place), sets *rc to 2 and returns nullptr.
std::shared_ptr<const Survey> load_survey_or_report(const char* name, const std::string& path, int* rc);

} // namespace tk::cli
