// export_ddi.h - a DDI-Codebook 2.5 XML description of the variables of `export sav/dta`.
//
//   xml_escape   text for XML content and attribute values
//   export_ddi   codeBook > docDscr, stdyDscr (citation: title, IDNo = id/version/hash),
//                fileDscr (file name, cases, variables), dataDscr > var (name, labl, qstn,
//                invalrng, catgry with catValu/labl, missing="Y" for the missing cases,
//                varFormat, notes with the CSV heading)
//
// Built from the same StatTable as the data file, so names, codes and labels agree with it.
// See sync/research/RESEARCH.md.
#pragma once
#include <string>

#include "export_stat.h"

namespace tk {

// Escapes & < > " ' and replaces bytes XML 1.0 forbids (control characters other than tab,
// LF, CR; invalid UTF-8) with U+FFFD, so any answer text gives a well-formed document.
std::string xml_escape(const std::string& text);

// `data_file`: the name of the data file described (fileDscr/fileTxt/fileName), may be "".
std::string export_ddi(const Survey& s, const StatTable& t, StatFormat f, const std::string& data_file);

} // namespace tk
