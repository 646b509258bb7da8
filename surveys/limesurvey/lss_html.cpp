// lss_html.cpp - LimeSurvey's HTML question texts as readable plain text.
//
// A kiosk shows plain text in large type; LimeSurvey authors write HTML in a rich-text
// editor. We keep the structure a reader needs (paragraphs, line breaks, list items) and
// drop the rest. No HTML parser library: LimeSurvey texts are fragments, often not
// well-formed, and a forgiving scanner is enough.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "lss_import.h"
#include "text.h"

namespace tk {

struct NamedEntity { const char* name; uint32_t cp; };
// The entities LimeSurvey's editor writes for European languages; others stay as written.
static const NamedEntity kEntities[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", ' '},
    {"auml", 0xE4}, {"ouml", 0xF6}, {"uuml", 0xFC}, {"Auml", 0xC4}, {"Ouml", 0xD6},
    {"Uuml", 0xDC}, {"szlig", 0xDF}, {"eacute", 0xE9}, {"egrave", 0xE8}, {"ecirc", 0xEA},
    {"euml", 0xEB}, {"Eacute", 0xC9}, {"agrave", 0xE0}, {"aacute", 0xE1}, {"acirc", 0xE2},
    {"atilde", 0xE3}, {"ccedil", 0xE7}, {"Ccedil", 0xC7}, {"iacute", 0xED}, {"igrave", 0xEC},
    {"icirc", 0xEE}, {"iuml", 0xEF}, {"oacute", 0xF3}, {"ograve", 0xF2}, {"ocirc", 0xF4},
    {"otilde", 0xF5}, {"uacute", 0xFA}, {"ugrave", 0xF9}, {"ucirc", 0xFB}, {"ntilde", 0xF1},
    {"Ntilde", 0xD1}, {"oslash", 0xF8}, {"aring", 0xE5}, {"aelig", 0xE6}, {"euro", 0x20AC},
    {"copy", 0xA9}, {"reg", 0xAE}, {"deg", 0xB0}, {"middot", 0xB7}, {"bull", 0x2022},
    {"hellip", 0x2026}, {"ndash", 0x2013}, {"mdash", 0x2014}, {"laquo", 0xAB},
    {"raquo", 0xBB}, {"bdquo", 0x201E}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"sbquo", 0x201A}, {"iquest", 0xBF},
    {"iexcl", 0xA1}, {"sect", 0xA7}, {"para", 0xB6}, {"times", 0xD7}, {"divide", 0xF7},
    {"shy", 0xAD}, {"thinsp", ' '}, {"ensp", ' '}, {"emsp", ' '},
};

// Decodes the entity starting at s[i] == '&'. Returns the number of bytes consumed (0 when
// it is not an entity we know; the '&' is then literal).
static size_t decode_entity(const std::string& s, size_t i, std::string& out) {
    size_t end = s.find(';', i);
    if (end == std::string::npos || end - i > 12) return 0;
    std::string name = s.substr(i + 1, end - i - 1);
    if (name.size() >= 2 && name[0] == '#') {
        uint32_t cp = 0;
        bool hex = name[1] == 'x' || name[1] == 'X';
        size_t k = hex ? 2 : 1;
        if (k >= name.size()) return 0;
        for (; k < name.size(); k++) {
            char c = name[k];
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else return 0;
            cp = cp * (hex ? 16 : 10) + uint32_t(d);
            if (cp > 0x10FFFF) return 0;
        }
        if (cp == 0xA0) cp = ' ';
        append_utf8(out, cp);
        return end - i + 1;
    }
    for (const NamedEntity& e : kEntities)
        if (name == e.name) {
            if (e.cp != 0xAD) append_utf8(out, e.cp); // soft hyphen: invisible
            return end - i + 1;
        }
    return 0;
}

static std::string lower_ascii(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return s;
}

// Output with pending separators, so that nested blocks do not stack up blank lines.
struct TextOut {
    std::string out;
    int pending_break = 0; // 0 none, 1 line break, 2 paragraph break
    bool pending_space = false;

    void brk(int level) {
        if (level > pending_break) pending_break = level;
        pending_space = false;
    }
    void space() { pending_space = true; }
    void text(const std::string& t) {
        if (t.empty()) return;
        if (!out.empty()) {
            if (pending_break == 2) out += "\n\n";
            else if (pending_break == 1) out += "\n";
            else if (pending_space && out.back() != '\n' && out.back() != ' ') out += ' ';
        }
        pending_break = 0;
        pending_space = false;
        out += t;
    }
};

std::string lss_html_to_text(const std::string& html) {
    TextOut o;
    std::vector<int> lists; // 0 = <ul>, n > 0 = <ol> with next number n
    size_t i = 0, n = html.size();
    std::string word;
    auto flush = [&]() {
        o.text(word);
        word.clear();
    };
    while (i < n) {
        char c = html[i];
        if (c == '<') {
            // Comment
            if (html.compare(i, 4, "<!--") == 0) {
                size_t e = html.find("-->", i + 4);
                flush();
                i = e == std::string::npos ? n : e + 3;
                continue;
            }
            size_t e = html.find('>', i + 1);
            size_t j = i + 1;
            bool closing = j < n && html[j] == '/';
            if (closing) j++;
            size_t k = j;
            while (k < n && ((html[k] >= 'a' && html[k] <= 'z') || (html[k] >= 'A' && html[k] <= 'Z') ||
                             (html[k] >= '0' && html[k] <= '9')))
                k++;
            if (e == std::string::npos || k == j) { // not a tag: a literal '<'
                word += c;
                i++;
                continue;
            }
            flush();
            std::string tag = lower_ascii(html.substr(j, k - j));
            std::string attrs = html.substr(k, e - k);
            i = e + 1;
            if (!closing && (tag == "script" || tag == "style")) {
                std::string close = "</" + tag;
                size_t f = i;
                while (true) { // case-insensitive search for the closing tag
                    f = html.find("</", f);
                    if (f == std::string::npos || lower_ascii(html.substr(f, close.size())) == close) break;
                    f += 2;
                }
                if (f == std::string::npos) { i = n; continue; }
                size_t g = html.find('>', f);
                i = g == std::string::npos ? n : g + 1;
                continue;
            }
            if (tag == "br") {
                o.brk(1);
            } else if (tag == "p" || tag == "h1" || tag == "h2" || tag == "h3" || tag == "h4" ||
                       tag == "h5" || tag == "h6" || tag == "table" || tag == "blockquote" ||
                       tag == "pre" || tag == "hr") {
                o.brk(2);
            } else if (tag == "ul" || tag == "ol") {
                if (!closing) lists.push_back(tag == "ol" ? 1 : 0);
                else if (!lists.empty()) lists.pop_back();
                o.brk(lists.empty() ? 2 : 1);
            } else if (tag == "li") {
                o.brk(1);
                if (!closing) {
                    if (!lists.empty() && lists.back() > 0) o.text(std::to_string(lists.back()++) + ". ");
                    else o.text("• ");
                    o.pending_space = false;
                    o.out.pop_back(); // the space is re-added before the item text
                    o.space();
                }
            } else if (tag == "div" || tag == "tr" || tag == "section" || tag == "article" ||
                       tag == "header" || tag == "footer" || tag == "dd" || tag == "dt") {
                o.brk(1);
            } else if (tag == "td" || tag == "th") {
                o.space();
            } else if (tag == "img" && !closing) {
                // The picture cannot be shown on the kiosk; its alt text says what it was.
                size_t a = lower_ascii(attrs).find("alt=");
                if (a != std::string::npos && a + 4 < attrs.size()) {
                    char q = attrs[a + 4];
                    if (q == '"' || q == '\'') {
                        size_t z = attrs.find(q, a + 5);
                        if (z != std::string::npos) {
                            std::string alt = lss_html_to_text(attrs.substr(a + 5, z - a - 5));
                            if (!alt.empty()) { o.space(); o.text(alt); o.space(); }
                        }
                    }
                }
            }
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            flush();
            o.space();
            i++;
            continue;
        }
        if (c == '&') {
            std::string dec;
            size_t used = decode_entity(html, i, dec);
            if (used) {
                if (dec == " ") {
                    flush();
                    o.space();
                } else {
                    word += dec;
                }
                i += used;
                continue;
            }
        }
        // UTF-8 no-break space (C2 A0) reads as a space too.
        if ((unsigned char)c == 0xC2 && i + 1 < n && (unsigned char)html[i + 1] == 0xA0) {
            flush();
            o.space();
            i += 2;
            continue;
        }
        word += c;
        i++;
    }
    flush();
    return o.out;
}

} // namespace tk
