// kiosk_rtl.cpp - Arabic and Persian on the kiosk: shaping and order (bidi_text.h) checked
// against HarfBuzz and FriBidi run here in the test, line wrapping, and the mirrored page
// (markers right of the text, "Weiter" left of "Zurück", progress from the right, the Arabic
// and Persian on-screen keyboards) read from the layout dump.
#include <doctest/doctest.h>

#include "bidi_text.h"
#include "kiosk_harness.h"
#include "text.h"

#include <fribidi.h>
#include <hb.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using tkt::Harness;

namespace {

const std::string kRtlSurvey = std::string(TK_SOURCE_DIR) + "/tests/fixtures/rtl/rtl-survey.json";

std::vector<uint32_t> codepoints(const std::string& s) {
    std::vector<uint32_t> out;
    for (size_t i = 0; i < s.size();) {
        uint32_t cp = 0;
        size_t n = tk::next_codepoint(s, i, &cp);
        REQUIRE(n > 0);
        out.push_back(cp);
        i += n;
    }
    return out;
}

struct HbFont {
    hb_blob_t* blob = nullptr;
    hb_face_t* face = nullptr;
    hb_font_t* font = nullptr;
    explicit HbFont(const std::string& path) {
        blob = hb_blob_create_from_file(path.c_str());
        face = hb_face_create(blob, 0);
        font = hb_font_create(face);
    }
    ~HbFont() {
        hb_font_destroy(font);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
    }
    // Two glyphs draw the same when they are one glyph or have the same advance and outline box:
    // the font holds the isolated letter twice, as U+0627 and as its presentation form U+FE8D.
    bool same_drawing(hb_codepoint_t a, hb_codepoint_t b) const {
        if (a == b) return true;
        hb_glyph_extents_t ea{}, eb{};
        hb_font_get_glyph_extents(font, a, &ea);
        hb_font_get_glyph_extents(font, b, &eb);
        return hb_font_get_glyph_h_advance(font, a) == hb_font_get_glyph_h_advance(font, b) &&
               ea.x_bearing == eb.x_bearing && ea.y_bearing == eb.y_bearing && ea.width == eb.width &&
               ea.height == eb.height;
    }
    std::string name(hb_codepoint_t g) const {
        char buf[64] = {0};
        hb_font_get_glyph_name(font, g, buf, sizeof buf);
        return buf;
    }
};

// HarfBuzz's glyphs for one right-to-left run, left to right as drawn. The optional ligatures
// are off: a renderer of code points has only the lam-alef ligature (required, 'rlig').
std::vector<hb_codepoint_t> harfbuzz_glyphs(const HbFont& f, const std::string& s, const char* lang) {
    hb_buffer_t* b = hb_buffer_create();
    hb_buffer_add_utf8(b, s.c_str(), -1, 0, -1);
    hb_buffer_set_direction(b, HB_DIRECTION_RTL);
    hb_buffer_set_script(b, HB_SCRIPT_ARABIC);
    hb_buffer_set_language(b, hb_language_from_string(lang, -1));
    std::vector<hb_feature_t> features;
    for (const char* t : {"-liga", "-dlig", "-calt", "-clig"}) {
        hb_feature_t ft;
        REQUIRE(hb_feature_from_string(t, -1, &ft));
        features.push_back(ft);
    }
    hb_shape(f.font, b, features.data(), unsigned(features.size()));
    unsigned n = 0;
    hb_glyph_info_t* info = hb_buffer_get_glyph_infos(b, &n);
    std::vector<hb_codepoint_t> out;
    // A zero-width non-joiner only steers joining: HarfBuzz keeps a blank glyph for it, the
    // kiosk draws nothing.
    for (unsigned i = 0; i < n; ++i)
        if (s.compare(info[i].cluster, 3, "\u200C") != 0) out.push_back(info[i].codepoint);
    hb_buffer_destroy(b);
    return out;
}

// FriBidi's own one-call answer for a line (fribidi_log2vis), its ligature filler dropped.
std::string fribidi_visual(const std::string& s, bool rtl) {
    std::vector<uint32_t> in = codepoints(s);
    std::vector<FriBidiChar> out(in.size() + 1);
    FriBidiParType base = rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    REQUIRE(fribidi_log2vis(in.data(), FriBidiStrIndex(in.size()), &base, out.data(), nullptr, nullptr, nullptr) != 0);
    std::string v;
    for (size_t i = 0; i < in.size(); ++i)
        if (out[i] != FRIBIDI_CHAR_FILL && out[i] != 0x200C && out[i] != 0x200D) tk::append_utf8(v, out[i]);
    return v;
}

std::map<std::string, tk::Rect> read_layout(const Harness& h) {
    std::string path = h.dir + "/layout.txt";
    REQUIRE(tk::write_layout(h.ui, path));
    std::ifstream in(path);
    std::map<std::string, tk::Rect> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '@') continue;
        std::istringstream ls(line);
        std::string name;
        tk::Rect r;
        ls >> name >> r.x0 >> r.y0 >> r.x1 >> r.y1;
        out[name] = r;
    }
    return out;
}

void choose_language(Harness& h, const std::string& lang) {
    h.key(GLFW_KEY_ENTER); // welcome -> language page
    REQUIRE(h.app.screen == tk::Screen::Language);
    h.click("lang/" + lang);
    REQUIRE(h.app.reading.language == lang);
}

} // namespace

TEST_CASE("a shaped Arabic or Persian line draws HarfBuzz's glyphs in HarfBuzz's order") {
    std::string path = tk::find_font("NotoSansArabic-Regular.ttf");
    REQUIRE_MESSAGE(!path.empty(), "Noto Sans Arabic (fonts-noto-core) is needed");
    HbFont f(path);
    const std::pair<const char*, const char*> lines[] = {
        {"ar", "استطلاع المكتبة"},
        {"ar", "كم مرة تستخدم الإنترنت في المكتبة؟"},
        {"ar", "لا أستخدمه أبدا في الأسبوع"}, // lam-alef, alef with hamza
        {"ar", "الحاسوب في المكتبة"},
        {"fa", "نظرسنجی کتابخانه"},
        {"fa", "چه چیزی در کتابخانه کم دارید؟"},
        {"fa", "گوشی هوشمند"},
        {"fa", "هرگز استفاده نمی‌کنم"}, // the zero-width non-joiner keeps می apart
    };
    for (const auto& [lang, text] : lines) {
        const std::string s = text;
        CAPTURE(s);
        std::string visual = tk::shape_line(s, true);
        std::vector<hb_codepoint_t> mine;
        for (uint32_t cp : codepoints(visual)) {
            hb_codepoint_t g = 0;
            CHECK_MESSAGE(hb_font_get_nominal_glyph(f.font, cp, &g), "no glyph for U+", std::hex, cp);
            mine.push_back(g);
        }
        std::vector<hb_codepoint_t> theirs = harfbuzz_glyphs(f, s, lang);
        REQUIRE(mine.size() == theirs.size());
        for (size_t i = 0; i < mine.size(); ++i) {
            CAPTURE(i);
            CAPTURE(f.name(mine[i]));
            CAPTURE(f.name(theirs[i]));
            CHECK(f.same_drawing(mine[i], theirs[i]));
        }
    }
}

TEST_CASE("numbers and Latin words inside right-to-left text keep their order, as FriBidi orders them") {
    const std::string s = "ما الذي تستخدمه؟ (مثل WhatsApp أو 25 مرة)";
    std::string v = tk::shape_line(s, true);
    CHECK(v == fribidi_visual(s, true));
    // What a reader checks: the Latin word and the number read left to right, the first word
    // of the sentence is at the right end, and the brackets still open towards the inside.
    CHECK(v.find("WhatsApp") != std::string::npos);
    CHECK(v.find("25") != std::string::npos);
    CHECK(v.find("52") == std::string::npos);
    std::vector<uint32_t> cps = codepoints(v);
    CHECK(cps.front() == uint32_t('('));          // the closing bracket, mirrored, at the left end
    CHECK(v.substr(v.size() - tk::shape_line("ما", true).size()) == tk::shape_line("ما", true));
    // German stays as it is (no shaping, no reordering) on a left-to-right page.
    CHECK(tk::shape_line("Weiter (25 %)", false) == "Weiter (25 %)");
    CHECK_FALSE(tk::has_rtl_chars("Zurück – Straße, Київ"));
    CHECK(tk::has_rtl_chars("Deutsch · العربية"));
}

TEST_CASE("a paragraph wraps in logical order, then each line is reordered") {
    std::string path = tk::find_font("NotoSansArabic-Regular.ttf");
    REQUIRE(!path.empty());
    HbFont f(path);
    auto advance = [&](char32_t c) {
        hb_codepoint_t g = 0;
        hb_font_get_nominal_glyph(f.font, c, &g);
        return float(hb_font_get_glyph_h_advance(f.font, g)) / 64.0f;
    };
    const std::string s = "يستغرق هذا الاستطلاع حوالي 5 دقائق. إجاباتك مجهولة الهوية ولا تحفظ باسمك في المكتبة.";
    const float width = tk::bidi_lines(s, true, 0, advance).front().width * 0.3f;
    std::vector<tk::BidiLine> lines = tk::bidi_lines(s, true, width, advance);
    REQUIRE(lines.size() >= 3);
    size_t at = 0;
    for (const tk::BidiLine& l : lines) {
        CAPTURE(l.visual);
        CHECK(l.width <= width);
        CHECK(l.width > 0);
        // Lines follow each other in the source, only the spaces between them left out...
        CHECK(l.begin >= at);
        CHECK(s.substr(at, l.begin - at).find_first_not_of(' ') == std::string::npos);
        at = l.end;
        // ... and each one is that piece of text reordered on its own.
        CHECK(l.visual == fribidi_visual(s.substr(l.begin, l.end - l.begin), true));
    }
    CHECK(at == s.size());
    // The first line holds the first words: reordering the whole paragraph before cutting it
    // would start with the last.
    CHECK(lines.front().begin == 0);
    CHECK(s.compare(0, lines.front().end, s.substr(0, lines.front().end)) == 0);
    CHECK(lines.front().visual.find(tk::shape_line("يستغرق", true)) != std::string::npos);
    // Paragraphs stay paragraphs; broken bytes become U+FFFD instead of ending the text.
    auto two = tk::bidi_lines("سطر\nline", true, 0, advance);
    REQUIRE(two.size() == 2);
    CHECK(two[1].visual == "line");
    auto broken = tk::bidi_lines("\xD8 ab \xFF", true, 0, advance);
    REQUIRE(broken.size() == 1);
    CHECK(broken[0].visual.find("\xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("an Arabic page mirrors: marker right of the text, Weiter left of Zurück, progress from the right") {
    Harness h(kRtlSurvey);
    choose_language(h, "ar");
    h.enter_until("S1");
    h.key(GLFW_KEY_2); // number keys choose as before
    REQUIRE(h.app.session->answer("S1"));
    CHECK(h.app.session->answer("S1")->value == "2");
    auto l = read_layout(h);
    for (int i = 1; i <= 4; ++i) {
        std::string o = "option/" + std::to_string(i);
        CAPTURE(o);
        REQUIRE(l.count(o + "/marker"));
        REQUIRE(l.count(o + "/text"));
        CHECK(l[o + "/marker"].x0 > l[o + "/text"].x1);
        CHECK(l[o + "/marker"].x1 <= l[o].x1);
        CHECK(l[o + "/marker"].x0 > l[o].cx());
    }
    REQUIRE(l.count("next"));
    REQUIRE(l.count("back"));
    CHECK(l["next"].x1 < l["back"].x0);
    REQUIRE(l.count("progress/fill"));
    CHECK(l["progress/fill"].x1 > 1300.0f);
    CHECK(l["progress/fill"].x0 > 100.0f);
    // Persian mirrors the same way; German, the control, does not.
    Harness de(kRtlSurvey);
    choose_language(de, "de");
    de.enter_until("S1");
    auto ld = read_layout(de);
    CHECK(ld["option/1/marker"].x1 < ld["option/1/text"].x0);
    CHECK(ld["back"].x1 < ld["next"].x0);
    CHECK(ld["progress/fill"].x0 < 100.0f);
    Harness fa(kRtlSurvey);
    choose_language(fa, "fa");
    fa.enter_until("M1");
    fa.key(GLFW_KEY_3);
    REQUIRE(fa.app.session->answer("M1"));
    const auto& chosen = fa.app.session->answer("M1")->values;
    CHECK(std::find(chosen.begin(), chosen.end(), "3") != chosen.end());
    auto lf = read_layout(fa);
    CHECK(lf["option/3/marker"].x0 > lf["option/3/text"].x1);
    CHECK(lf["next"].x1 < lf["back"].x0);
}

TEST_CASE("the on-screen keyboard types in the script of the language; digits stay 0-9") {
    Harness h(kRtlSurvey);
    choose_language(h, "ar");
    h.enter_until("T1");
    h.click("keyboard/T1|value");
    REQUIRE(h.app.page.osk_field == "T1|value");
    CHECK(h.has("osk/ض"));
    CHECK(h.has("osk/1"));
    CHECK_FALSE(h.has("osk/q"));
    for (const char* k : {"osk/ك", "osk/ت", "osk/ا", "osk/ب"}) h.click(k);
    h.click("osk/space");
    h.click("osk/2");
    h.click("osk/done");
    CHECK(h.app.session->answer("T1")->value == "كتاب 2");
    Harness fa(kRtlSurvey);
    choose_language(fa, "fa");
    fa.enter_until("T1");
    fa.click("keyboard/T1|value");
    CHECK(fa.has("osk/گ"));
    CHECK(fa.has("osk/پ"));
    fa.click("osk/shift");
    CHECK(fa.has("osk/۱"));
}
