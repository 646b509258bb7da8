// report_page.h - the report page's inline style sheet and script (report_page.cpp), kept
// apart from the C++ that counts (report.cpp) because they change for other reasons.
#pragma once

namespace tk {

extern const char* const kReportStyle;  // screen, print and zoom
extern const char* const kReportScript; // the in-page filter: counts again by report.cpp's rules

} // namespace tk
