// cmd_keygen.cpp - `teilhabe keygen --out DIR`: the research team's key pairs.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sodium.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "command.h"
#include "keys.h"

namespace tk::cli {

// The passphrase: TEILHABE_PASSPHRASE for scripts, otherwise asked twice without echo.
static bool get_passphrase(std::string& pass, std::string* error) {
    if (const char* env = std::getenv("TEILHABE_PASSPHRASE")) {
        pass = env;
        return true;
    }
    std::string again;
    if (!read_secret_line("Passphrase for the research secret key: ", pass) ||
        !read_secret_line("Same passphrase again: ", again)) {
        *error = "no passphrase given (set TEILHABE_PASSPHRASE or type it at the prompt)";
        return false;
    }
    bool same = pass == again;
    sodium_memzero(again.data(), again.size());
    if (!same) {
        *error = "the two passphrases differ";
        return false;
    }
    return true;
}

static int run_keygen(const Args& args_in) {
    Args args = args_in;
    std::string out = take_option(args, "--out");
    if (out.empty()) return usage_error("keygen", "missing --out DIR");
    if (!args.empty()) return usage_error("keygen", "unexpected argument '" + args[0] + "'");
    struct stat st;
    if (::stat(out.c_str(), &st) != 0 && ::mkdir(out.c_str(), 0700) != 0)
        return usage_error("keygen", out + ": cannot create directory: " + std::strerror(errno));
    for (const char* f : {"/research.key", "/research.pub"})
        if (::stat((out + f).c_str(), &st) == 0)
            return usage_error("keygen", out + f + ": exists already, not overwritten");
    std::string pass, error;
    if (!get_passphrase(pass, &error)) return usage_error("keygen", error);
    ResearchPublicKey pub;
    std::fprintf(stderr, "Deriving the key from the passphrase (Argon2id, about a second)...\n");
    bool ok = generate_research_keys(out, pass, &pub, &error);
    sodium_memzero(pass.data(), pass.size());
    if (!ok) return usage_error("keygen", error);
    std::printf("research.pub  %s/research.pub   (public: copy to every kiosk)\n", out.c_str());
    std::printf("research.key  %s/research.key   (SECRET, passphrase-encrypted: keep offline, back it up)\n",
                out.c_str());
    std::printf("fingerprint   %s\n", research_fingerprint(pub).c_str());
    std::printf("Compare the fingerprint aloud with the one each kiosk shows.\n");
    return 0;
}

static Command keygen_cmd("keygen", "--out DIR",
                          "make the research key pairs (passphrase from TEILHABE_PASSPHRASE or a prompt)",
                          run_keygen);

} // namespace tk::cli
