// main.cpp - `teilhabe`, the command line for coordinators and researchers.
// The verbs are the cmd_*.cpp beside it; the registry and dispatch are tk_base's (command.h).
#include <cstdio>
#include <cstdlib>

#include "command.h"
#include "survey.h"
#include "version.h"

namespace tk::cli {

bool research_passphrase(std::string& pass, std::string* error) {
    if (const char* env = std::getenv("TEILHABE_PASSPHRASE")) {
        pass = env;
        return true;
    }
    if (read_secret_line("Passphrase of the research secret key: ", pass) && !pass.empty()) return true;
    *error = "no passphrase given (set TEILHABE_PASSPHRASE or type it at the prompt)";
    return false;
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

} // namespace tk::cli

int main(int argc, char** argv) {
    tk::cli::Program p{"teilhabe", "teilhabe - Teilhabe Kiosk tools for coordinators and researchers", TK_VERSION};
    return tk::cli::run_program(p, argc, argv);
}
