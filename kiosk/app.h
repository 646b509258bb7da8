// app.h - one kiosk frame, without the window: shared by main.cpp and the headless tests.
#pragma once
#include "kiosk_state.h"
#include "screens.h"
#include "speech.h"

namespace tk {

// Before ImGui::NewFrame(): rebuilds the font atlas when text size, font or DPI changed.
// Returns true when it did (the renderer's font texture must then be recreated).
bool kiosk_prepare_frame(KioskApp& app, UiState& ui);
// After draw_kiosk(): hands speech requests to espeak-ng, reaps it, reports its state to ui.
void kiosk_after_frame(KioskApp& app, UiState& ui, Speech& speech);

} // namespace tk
