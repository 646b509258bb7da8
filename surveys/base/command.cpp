// command.cpp - the verb registry and main() of the command-line programs (see command.h).
#include "command.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <termios.h>
#include <unistd.h>

#include "files.h"

namespace tk::cli {

static std::vector<const Command*>& registry() {
    static std::vector<const Command*> r; // function-local: safe from static-init order
    return r;
}

static const char* g_program = "teilhabe";

const char* program_name() { return g_program; }

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

int usage_error(const char* name, const std::string& message) {
    std::fprintf(stderr, "%s %s: %s\n", g_program, name, message.c_str());
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

static void print_help(const Program& p) {
    std::printf("%s\n\nUsage: %s VERB [ARGS...]\n", p.title, p.name);
    if (p.default_verb) std::printf("       %s [ARGS...]   (the same as: %s %s ...)\n", p.name, p.name, p.default_verb);
    std::printf("\nVerbs:\n");
    // Usages are long (many options), so each verb takes two lines: usage, then summary.
    for (const Command* c : commands())
        std::printf("  %s %s\n      %s\n", c->name, c->usage, c->summary);
    std::printf("\n`%s VERB --help` shows one verb; `%s --version` the version.\n", p.name, p.name);
}

// The registered verb that `args` starts with, longest name first ("survey check" before
// "survey"); *words is how many arguments its name took.
static const Command* find_verb(const Args& args, size_t* words) {
    const Command* best = nullptr;
    *words = 0;
    for (const Command* c : commands()) {
        std::string name = c->name;
        size_t n = 1 + (size_t)std::count(name.begin(), name.end(), ' ');
        if (n > args.size()) continue;
        std::string joined = args[0];
        for (size_t i = 1; i < n; i++) joined += " " + args[i];
        if (joined == name && n > *words) { best = c; *words = n; }
    }
    return best;
}

int run_program(const Program& p, int argc, char** argv) {
    g_program = p.name;
    Args args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        print_help(p);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::printf("%s %s\n", p.name, p.version);
        return 0;
    }
    size_t words = 0;
    const Command* verb = find_verb(args, &words);
    if (!verb && p.default_verb && args[0].rfind("--", 0) == 0) {
        args.insert(args.begin(), p.default_verb);
        verb = find_verb(args, &words);
    }
    if (!verb) {
        std::fprintf(stderr, "%s: unknown verb '%s' (see %s --help)\n", p.name, args[0].c_str(), p.name);
        return 2;
    }
    Args rest(args.begin() + (long)words, args.end());
    if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
        std::printf("Usage: %s %s %s\n  %s\n", p.name, verb->name, verb->usage, verb->summary);
        return 0;
    }
    return verb->run(rest);
}

} // namespace tk::cli
