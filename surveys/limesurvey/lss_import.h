// lss_import.h - reads a LimeSurvey survey structure file (.lss) into a tk::Survey.
//
// Research teams design surveys in LimeSurvey; the kiosk runs them offline. The importer
// keeps question, subquestion and answer codes exactly, so that exported answers map back
// onto LimeSurvey's columns. Both file layouts are read: the old one (texts inside the
// groups/questions/answers rows, one row per language) and the new one (`*_l10ns`
// sections, DBVersion >= 400). Columns are read by element name, never by position, and an
// absent element (NULL) is kept apart from an empty one.
//
// Whatever cannot run on a kiosk (file upload, equations, functions the engine does not
// know, ...) is never dropped silently: it becomes a warning naming the question and the
// thing that was left out. See surveys/LSS_IMPORT.md for the mapping table.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "survey.h"

namespace tk {

// One column of LimeSurvey's response table that the imported survey answers, e.g.
// "942944X214X3529SQ001" -> question "Q03", part "SQ001". `part` is "" for the question's
// own column, a row/option code, "ROW#1" (dual scale 2), "ROW_COL" (number/text arrays),
// "other", "comment" or a rank "1", "2", ... (ranking). Used to map answers back (VV).
struct LssColumn {
    std::string sgqa;          // response-table column name
    std::string qcode;         // LimeSurvey variable name, e.g. "Q03_SQ001"
    std::string question;      // engine question code
    std::string part;
};

struct LssImport {
    std::shared_ptr<Survey> survey;    // null when `error` is set
    std::string error;                 // "file: line 12: ..." when the file cannot be read
    std::vector<std::string> warnings; // "file: Q3: ..." one per thing left out or changed
    std::vector<LssColumn> columns;    // response-table columns, survey order
    std::string sid;                   // LimeSurvey survey id
    bool ok() const { return survey != nullptr; }
};

// Imports from the XML text. `source_name` names the file in messages.
// Conditions are stored as source text (condition_src); `condition` stays null. Run the
// result through survey_to_json + parse_survey (or use load_lss below) to get a validated,
// ready-to-run survey.
LssImport import_lss(const std::string& xml_text, const std::string& source_name);
LssImport import_lss_file(const std::string& path);

// Import + survey_to_json + parse_survey: the survey as the kiosk runs it. An import error
// becomes a LoadError; import warnings come before the loader's warnings.
LoadResult load_lss(const std::string& path);

// LimeSurvey's HTML texts as readable plain text: block elements and <br> become line
// breaks, list items get "• " or "1. ", entities are decoded, scripts and styles removed,
// runs of white space collapsed.
std::string lss_html_to_text(const std::string& html);

} // namespace tk
