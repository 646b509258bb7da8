// paper_draw.h - drawing shared by the printed documents of tk_paper (internal to the library).
//
//   draw_qr_code   a QR code as filled squares with its quiet zone
//   set_font       the documents' one typeface (Noto Sans) on a Pango layout
#pragma once
#include <string>

#include <cairo.h>
#include <pango/pangocairo.h>

namespace tk {

// `text` as a QR code (error correction M) filling the square x, y, size (four modules of
// quiet zone inside it), in the current source colour. Nothing is drawn when it cannot encode.
void draw_qr_code(cairo_t* cr, const std::string& text, double x, double y, double size);

// Noto Sans, regular or bold, at `size` points (an em of `size` user units) for `layout`.
void set_font(PangoLayout* layout, double size, bool bold);

} // namespace tk
