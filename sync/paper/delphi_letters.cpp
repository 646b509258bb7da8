// delphi_letters.cpp - drawing the invitation letters with cairo, the text through Pango.
//
// A letter is a few paragraphs, so Pango breaks the lines itself (pango_layout_set_width);
// the questionnaire's own line breaking (paper_form.cpp) exists for its mirrored, measured
// layout and is not needed here. The letters are German only, like the study's.
#include "delphi_letters.h"

#include <map>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "delphi.h"
#include "paper_draw.h"
#include "text.h"

namespace tk {

const std::string& letter_text(const std::string& key) {
    static const std::map<std::string, std::string> t = {
        {"title", "Delphi-Befragung"},
        {"invitation",
         "Sehr geehrte Damen und Herren,\n\n"
         "wir laden Sie herzlich ein, an unserer Delphi-Befragung teilzunehmen. Die Befragung hat mehrere "
         "Stufen. Wenn eine Frage in der nächsten Stufe wiederholt wird, sehen Sie dort das Ergebnis der "
         "Gruppe und Ihre eigene frühere Antwort, und Sie können Ihre Einschätzung beibehalten oder ändern.\n\n"
         "Dafür brauchen Sie Ihren persönlichen Code. Er steht unten auf diesem Brief."},
        {"code", "Ihr persönlicher Code"},
        {"qr", "Diesen QR-Code kann der Kiosk einlesen: Sie müssen den Code dann nicht eintippen."},
        {"how", "So nehmen Sie teil"},
        {"kiosk", "Am Kiosk: Wählen Sie die Delphi-Befragung. Wenn der Kiosk nach Ihrem Code fragt, tippen Sie ihn "
                  "ein oder halten Sie den QR-Code vor den Scanner. Groß- und Kleinschreibung und die Bindestriche "
                  "spielen keine Rolle."},
        {"paper", "Auf Papier: Sie können auch auf Papier antworten. In der nächsten Stufe bekommen Sie dann einen "
                  "Fragebogen, auf dem bei jeder wiederholten Frage Ihre eigene frühere Antwort und das Ergebnis "
                  "der Gruppe stehen."},
        {"privacy", "Ihr Code ersetzt Ihren Namen. Das Forschungsteam speichert nicht, wer welchen Code erhalten "
                    "hat. Ihre Antworten werden verschlüsselt gespeichert, und Ihre eigenen früheren Antworten "
                    "lassen sich nur mit Ihrem Code wieder öffnen."},
        {"keep", "Bitte bewahren Sie diesen Brief auf und geben Sie den Code nicht weiter. Ohne den Code kann "
                 "niemand Ihnen Ihre früheren Antworten zeigen – auch das Forschungsteam nicht."},
    };
    static const std::string none;
    auto it = t.find(key);
    return it == t.end() ? none : it->second;
}

namespace {

struct Page {
    cairo_t* cr = nullptr;
    PangoLayout* layout = nullptr;
    double left = 64, right = 595.28 - 64, y = 0;
};

// Draws `text` from the left margin (plus `indent`) at p.y, broken into lines of the width
// left (or `width`; < 0: one line, unbroken), and moves p.y below it. Returns its height.
double block(Page& p, const std::string& text, double size, bool bold, double indent = 0, double width = 0) {
    set_font(p.layout, size, bold);
    double w = width != 0 ? width : p.right - p.left - indent;
    pango_layout_set_width(p.layout, w < 0 ? -1 : int(w * PANGO_SCALE)); // < 0: one line
    pango_layout_set_wrap(p.layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_spacing(p.layout, int(size * 0.3 * PANGO_SCALE));
    pango_layout_set_text(p.layout, text.c_str(), int(text.size()));
    cairo_move_to(p.cr, p.left + indent, p.y);
    pango_cairo_show_layout(p.cr, p.layout);
    PangoRectangle logical;
    pango_layout_get_extents(p.layout, nullptr, &logical);
    double h = double(logical.height) / PANGO_SCALE;
    p.y += h;
    return h;
}

// The team's own text: paragraphs by blank lines, a '#' line bold.
void own_text(Page& p, const std::string& text) {
    std::string para;
    bool bold = false;
    auto flush = [&]() {
        if (para.empty()) return;
        block(p, para, 11.5, bold);
        p.y += 8;
        para.clear();
        bold = false;
    };
    size_t at = 0;
    while (at <= text.size()) {
        size_t nl = text.find('\n', at);
        if (nl == std::string::npos) nl = text.size();
        std::string line = text.substr(at, nl - at);
        at = nl + 1;
        size_t a = line.find_first_not_of(" \t\r"), b = line.find_last_not_of(" \t\r");
        line = a == std::string::npos ? "" : line.substr(a, b - a + 1);
        if (line.empty()) {
            flush();
        } else if (line[0] == '#') {
            flush();
            size_t i = line.find_first_not_of("# ");
            para = i == std::string::npos ? "" : line.substr(i);
            bold = true;
            flush();
        } else {
            para += (para.empty() ? "" : " ") + line;
        }
    }
    flush();
}

void letter(Page& p, const std::string& code, const LetterOptions& opt) {
    p.y = 64;
    cairo_set_source_rgb(p.cr, 0, 0, 0);
    block(p, opt.title.empty() ? letter_text("title") : opt.title, 19, true);
    p.y += 18;
    if (opt.text.empty()) {
        block(p, letter_text("invitation"), 11.5, false);
        p.y += 8;
    } else {
        own_text(p, opt.text);
    }
    // The code: a framed box, the code large on one line (never broken at its hyphens), the
    // QR code under it with a word on what it is for.
    p.y += 10;
    double qr = 120, top = p.y, inner = p.right - p.left - 32;
    p.y = top + 14;
    block(p, letter_text("code") + ":", 12, true, 16);
    p.y += 6;
    block(p, delphi::format_code(code), 24, true, 16, -1);
    p.y += 4;
    draw_qr_code(p.cr, code, p.left + 8, p.y, qr);
    double qr_top = p.y;
    p.y += qr * 0.35;
    block(p, letter_text("qr"), 10.5, false, qr + 20, inner - qr - 8);
    p.y = qr_top + qr + 8;
    cairo_set_line_width(p.cr, 1.2);
    cairo_rectangle(p.cr, p.left, top, p.right - p.left, p.y - top);
    cairo_stroke(p.cr);
    p.y += 22;
    block(p, letter_text("how"), 13, true);
    p.y += 6;
    block(p, letter_text("kiosk"), 11.5, false);
    p.y += 8;
    block(p, letter_text("paper"), 11.5, false);
    p.y += 20;
    block(p, letter_text("privacy"), 11.5, true);
    p.y += 8;
    block(p, letter_text("keep"), 11.5, false);
}

cairo_status_t no_bytes(void*, const unsigned char*, unsigned int) { return CAIRO_STATUS_SUCCESS; }

} // namespace

bool print_delphi_letters(const std::vector<std::string>& codes, const LetterOptions& opt, const std::string& pdf_path,
                          std::string* error) {
    for (size_t i = 0; i < codes.size(); ++i)
        if (!delphi::code_ok(codes[i])) {
            *error = "code " + std::to_string(i + 1) + " ('" + codes[i] + "') is not a valid participant code";
            return false;
        }
    if (codes.empty()) {
        *error = "no codes to print";
        return false;
    }
    if (!valid_utf8(opt.title) || !valid_utf8(opt.text)) {
        *error = "the letter's text is not UTF-8 (save it as UTF-8 and try again)";
        return false;
    }
    const double W = 595.28, H = 841.89; // A4 in points
    cairo_surface_t* surf = pdf_path.empty() ? cairo_pdf_surface_create_for_stream(no_bytes, nullptr, W, H)
                                             : cairo_pdf_surface_create(pdf_path.c_str(), W, H);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        *error = pdf_path + ": cannot write the PDF: " + cairo_status_to_string(cairo_surface_status(surf));
        cairo_surface_destroy(surf);
        return false;
    }
    const std::string title = opt.title.empty() ? letter_text("title") : opt.title;
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, title.c_str());
    Page p;
    p.cr = cairo_create(surf);
    p.layout = pango_cairo_create_layout(p.cr);
    for (const std::string& c : codes) {
        letter(p, c, opt);
        cairo_show_page(p.cr);
    }
    cairo_status_t st = cairo_status(p.cr);
    g_object_unref(p.layout);
    cairo_destroy(p.cr);
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        *error = pdf_path + ": " + cairo_status_to_string(st);
        return false;
    }
    return true;
}

} // namespace tk
