// main.cpp - `teilhabe`, the command line for coordinators and researchers.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <termios.h>
#include <unistd.h>

#include "command.h"
#include "keys.h"
#include "files.h"

namespace tk::cli {

static std::vector<const Command*>& registry() {
    static std::vector<const Command*> r; // function-local: safe from static-init order
    return r;
}

Command::Command(const char* n, const char* u, const char* s, CommandFn r)
    : name(n), usage(u), summary(s), run(r) {
    registry().push_back(this);
}

const std::vector<const Command*>& commands() {
    auto& r = registry();
    std::sort(r.begin(), r.end(), [](const Command* a, const Command* b) {
        return std::strcmp(a->name, b->name) < 0;
    });
    return r;
}

std::string take_option(Args& args, const std::string& flag, const std::string& fallback) {
    for (size_t i = 0; i < args.size(); i++) {
        if (args[i] == flag && i + 1 < args.size()) {
            std::string v = args[i + 1];
            args.erase(args.begin() + i, args.begin() + i + 2);
            return v;
        }
        if (args[i].rfind(flag + "=", 0) == 0) {
            std::string v = args[i].substr(flag.size() + 1);
            args.erase(args.begin() + i);
            return v;
        }
    }
    return fallback;
}

bool take_flag(Args& args, const std::string& flag) {
    auto it = std::find(args.begin(), args.end(), flag);
    if (it == args.end()) return false;
    args.erase(it);
    return true;
}

bool read_secret_line(const char* prompt, std::string& out) {
    std::fprintf(stderr, "%s", prompt);
    std::fflush(stderr);
    termios old{};
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    bool ok = (bool)std::getline(std::cin, out);
    if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    std::fprintf(stderr, "\n");
    return ok;
}

bool research_passphrase(std::string& pass, std::string* error) {
    if (const char* env = std::getenv("TEILHABE_PASSPHRASE")) {
        pass = env;
        return true;
    }
    if (read_secret_line("Passphrase of the research secret key: ", pass) && !pass.empty()) return true;
    *error = "no passphrase given (set TEILHABE_PASSPHRASE or type it at the prompt)";
    return false;
}

int usage_error(const char* name, const std::string& message) {
    std::fprintf(stderr, "teilhabe %s: %s\n", name, message.c_str());
    return 2;
}

bool read_input(const std::string& path, std::string& text, std::string* error) {
    // Any size, like stdin: read_small_file is for key files and stops at 1 MiB.
    if (path != "-") {
        if (read_whole_file(path, text, error)) return true;
        *error = path + ": " + *error;
        return false;
    }
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
}

std::shared_ptr<const Survey> load_survey_or_report(const char* name, const std::string& path, int* rc) {
    LoadResult lr = load_survey(path);
    if (!lr.ok()) {
        for (const LoadError& e : lr.errors) std::fprintf(stderr, "teilhabe %s: %s\n", name, e.to_string().c_str());
        *rc = 2;
        return nullptr;
    }
    return lr.survey;
}

static void print_help() {
    std::printf("teilhabe - Teilhabe Kiosk tools for coordinators and researchers\n\n"
                "Usage: teilhabe VERB [ARGS...]\n\nVerbs:\n");
    // Usages are long (many options), so each verb takes two lines: usage, then summary.
    for (const Command* c : commands())
        std::printf("  %s %s\n      %s\n", c->name, c->usage, c->summary);
    std::printf("\n`teilhabe VERB --help` shows the verb's options.\n");
}

} // namespace tk::cli

int main(int argc, char** argv) {
    using namespace tk::cli;
    Args args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        print_help();
        return args.empty() ? 2 : 0;
    }
    // Longest match first: "survey check" before "survey".
    const Command* best = nullptr;
    size_t best_words = 0;
    for (const Command* c : commands()) {
        std::string name = c->name;
        size_t words = 1 + std::count(name.begin(), name.end(), ' ');
        if (words > args.size()) continue;
        std::string joined = args[0];
        for (size_t i = 1; i < words; i++) joined += " " + args[i];
        if (joined == name && words > best_words) { best = c; best_words = words; }
    }
    if (!best) {
        std::fprintf(stderr, "teilhabe: unknown verb '%s' (see teilhabe --help)\n", args[0].c_str());
        return 2;
    }
    Args rest(args.begin() + best_words, args.end());
    if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
        std::printf("Usage: teilhabe %s %s\n  %s\n", best->name, best->usage, best->summary);
        return 0;
    }
    return best->run(rest);
}
