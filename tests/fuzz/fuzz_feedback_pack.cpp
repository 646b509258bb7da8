// fuzz_feedback_pack.cpp - the Delphi feedback pack reader (sync/delphi/delphi.h) on arbitrary
// bytes. A refused pack must say why and leave nothing behind; an accepted one must hold what
// the reader promises (counts summing to n, quantiles ordered, lookup ids of 32 hex digits),
// write back to bytes that read the same again, and its entries must not open with a key that
// no code gives (all zeros).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "delphi.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string bytes((const char*)data, size);
    tk::delphi::FeedbackPack p;
    std::string err;
    if (!tk::delphi::read_feedback_pack(bytes, p, &err)) {
        if (err.empty() || !p.items.empty() || !p.entries.empty() || !p.study.empty()) abort();
        return 0;
    }
    for (const tk::delphi::ItemStats& s : p.items) {
        long sum = 0;
        for (const auto& [code, n] : s.distribution) {
            if (n < 0 || code.empty()) abort();
            sum += n;
        }
        if (!s.multiple && sum != s.n) abort();
        if (s.multiple && (s.ordinal || s.consensus)) abort();
        if (s.ordinal && (s.q1 > s.median || s.median > s.q3)) abort();
        if (p.find(s.key) != &s) abort(); // keys are unique
    }
    for (const auto& [lookup, entry] : p.entries)
        if (lookup.size() != 32 || entry.empty()) abort();
    // Canonical form: what was read writes to text that reads back to the same text.
    std::string text = tk::delphi::write_feedback_pack(p);
    tk::delphi::FeedbackPack again;
    if (!tk::delphi::read_feedback_pack(text, again, &err)) abort();
    if (tk::delphi::write_feedback_pack(again) != text) abort();
    // No entry opens without a code: a fuzzer cannot forge the MAC of the all-zero key.
    tk::delphi::ParticipantKeys none;
    for (const auto& [lookup, entry] : p.entries) {
        tk::delphi::OwnAnswers a;
        if (tk::delphi::open_own_answers(none, entry, a) || !a.empty()) abort();
    }
    return 0;
}
