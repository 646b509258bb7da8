// spelling.cpp - "did you mean" suggestions (see spelling.h).
#include "spelling.h"

#include <algorithm>

namespace tk::loader {

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); j++) prev[j] = j;
    for (size_t i = 1; i <= a.size(); i++) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); j++)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// " (did you mean "options"?)" or "".
std::string suggest(const std::string& word, const std::vector<std::string>& known) {
    if (word.size() > 40) return "";
    std::string best;
    size_t best_d = 3;
    for (const std::string& k : known) {
        size_t d = edit_distance(word, k);
        if (d < best_d) { best_d = d; best = k; }
    }
    return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
}

} // namespace tk::loader
