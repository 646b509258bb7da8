// layout_dump.cpp - TK_KIOSK_LAYOUT: the page name, the focused control and the rectangle of
// every named control and of the parts of option rows, written after each frame for the e2e scripts (kiosk/KIOSK.md).
#include "screens.h"

#include <cstdio>

namespace tk {

bool write_layout(const UiState& ui, const std::string& path) {
    std::string tmp = path + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "w");
    if (!f) return false;
    std::fprintf(f, "@page %s\n", ui.page_name.c_str());
    if (!ui.focused.empty()) std::fprintf(f, "@focus %s %s\n", ui.focused.c_str(), ui.focused_visible ? "visible" : "hidden");
    for (const auto& [name, r] : ui.rects) std::fprintf(f, "%s %d %d %d %d\n", name.c_str(), int(r.x0), int(r.y0), int(r.x1), int(r.y1));
    for (const auto& [name, r] : ui.parts) std::fprintf(f, "%s %d %d %d %d\n", name.c_str(), int(r.x0), int(r.y0), int(r.x1), int(r.y1));
    std::fclose(f);
    return std::rename(tmp.c_str(), path.c_str()) == 0;
}

} // namespace tk
