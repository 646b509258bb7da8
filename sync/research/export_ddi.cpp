// export_ddi.cpp - DDI-Codebook 2.5 XML (see export_ddi.h).
//
//   xml_escape
//   var_xml      one dataDscr/var
//   export_ddi   the document
#include "export_ddi.h"

#include <ctime>

namespace tk {

// Length of the valid UTF-8 sequence at s[i] (XML 1.0 characters only), 0 when invalid.
static size_t utf8_len(const std::string& s, size_t i) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
    size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    unsigned cp = c & (0xFF >> (n + 1));
    for (size_t k = 1; k < n; k++) {
        unsigned char d = (unsigned char)s[i + k];
        if ((d & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (d & 0x3F);
    }
    static const unsigned min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
    return n;
}

std::string xml_escape(const std::string& t) {
    std::string o;
    o.reserve(t.size());
    for (size_t i = 0; i < t.size();) {
        size_t n = utf8_len(t, i);
        if (n == 0) {
            o += "\xEF\xBF\xBD"; // U+FFFD for a byte XML cannot carry
            i++;
            continue;
        }
        switch (t[i]) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '"': o += "&quot;"; break;
        case '\'': o += "&apos;"; break;
        case '\r': o += "&#13;"; break; // kept as written (a raw CR would be normalised away)
        default: o.append(t, i, n);
        }
        i += n;
    }
    return o;
}

static std::string catgry(const std::string& value, const std::string& label, bool missing, const std::string& code) {
    std::string o = std::string("      <catgry") + (missing ? " missing=\"Y\"" : "") + ">\n";
    o += "        <catValu>" + xml_escape(value) + "</catValu>\n";
    o += "        <labl>" + xml_escape(label) + "</labl>\n";
    if (!code.empty()) o += "        <txt>code " + xml_escape(code) + "</txt>\n";
    return o + "      </catgry>\n";
}

static std::string var_xml(const Survey& s, const StatVariable& v, StatFormat f, size_t index) {
    const std::string& L = s.original_language();
    bool numeric = v.kind != StatKind::Text;
    std::string o = "    <var ID=\"V" + std::to_string(index + 1) + "\" name=\"" + xml_escape(v.name) + "\" files=\"F1\"";
    o += std::string(" intrvl=\"") + (v.kind == StatKind::Number ? "contin" : "discrete") + "\">\n";
    o += "      <labl>" + xml_escape(v.label.empty() ? v.heading : v.label) + "</labl>\n";
    if (const Question* q = v.question.empty() ? nullptr : s.find_question(v.question))
        o += "      <qstn><qstnLit>" + xml_escape(q->text.get(L, L)) + "</qstnLit></qstn>\n";
    if (numeric) {
        std::string lo = stat_number_text(v.missing_base - (kStatMissingCount - 1)), hi = stat_number_text(v.missing_base);
        o += "      <invalrng><range min=\"" + lo + "\" max=\"" + hi + "\"/></invalrng>\n";
    }
    for (const StatCode& c : v.codes)
        o += catgry(stat_number_text(c.value), c.label, false, c.code == stat_number_text(c.value) ? "" : c.code);
    for (int m = 1; m <= kStatMissingCount; m++) {
        StatMissing mm = StatMissing(m);
        std::string value = numeric ? (f == StatFormat::Dta ? "." + std::string(1, stat_missing_tag(mm)) : stat_number_text(stat_missing_value(v, mm)))
                                    : (mm == StatMissing::Skipped ? "" : stat_number_text(stat_missing_value(v, mm)));
        o += catgry(value, stat_missing_label(mm), true, "");
    }
    o += std::string("      <varFormat type=\"") + (numeric ? "numeric" : "character") + "\" schema=\"other\"/>\n";
    o += "      <notes>CSV column " + xml_escape(v.heading) + (v.type.empty() ? "" : "; question type " + xml_escape(v.type)) +
         (v.kind == StatKind::Coded && !v.codes_are_numbers && v.codes.size() && v.codes[0].code != "Y"
              ? "; option codes coded 1..k in option order" : "") +
         (v.kind == StatKind::Text ? "; longest value " + std::to_string(v.width) + " bytes" : "") + "</notes>\n";
    return o + "    </var>\n";
}

std::string export_ddi(const Survey& s, const StatTable& t, StatFormat f, const std::string& data_file) {
    const std::string& L = s.original_language();
    std::string id = s.id + "/" + s.version + "/" + s.hash;
    char date[32];
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
    std::string o = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    o += "<codeBook xmlns=\"ddi:codebook:2_5\" version=\"2.5\" ID=\"" + xml_escape(s.id) + "\">\n";
    o += "  <docDscr><citation><titlStmt><titl>" + xml_escape(s.title.get(L, L)) + " - Codebook</titl></titlStmt>"
         "<prodStmt><prodDate date=\"" + std::string(date) + "\">" + date + "</prodDate>"
         "<software>teilhabe export ddi</software></prodStmt></citation></docDscr>\n";
    o += "  <stdyDscr>\n    <citation>\n      <titlStmt>\n";
    o += "        <titl>" + xml_escape(s.title.get(L, L)) + "</titl>\n";
    o += "        <IDNo agency=\"teilhabe\">" + xml_escape(id) + "</IDNo>\n";
    o += "      </titlStmt>\n      <verStmt><version>" + xml_escape(s.version) + "</version></verStmt>\n    </citation>\n";
    o += "    <stdyInfo><abstract>" + xml_escape(s.description.get(L, L)) + "</abstract></stdyInfo>\n";
    o += "    <notes>survey id " + xml_escape(s.id) + ", version " + xml_escape(s.version) + ", hash " + xml_escape(s.hash) + "</notes>\n";
    o += "  </stdyDscr>\n";
    o += "  <fileDscr ID=\"F1\">\n    <fileTxt>\n";
    if (!data_file.empty()) o += "      <fileName>" + xml_escape(data_file) + "</fileName>\n";
    o += "      <dimensns><caseQnty>" + std::to_string(t.rows.size()) + "</caseQnty><varQnty>" + std::to_string(t.vars.size()) +
         "</varQnty></dimensns>\n";
    o += std::string("      <fileType>") + (f == StatFormat::Sav ? "SPSS system file" : "Stata 14 data file (dta 118)") + "</fileType>\n";
    o += "    </fileTxt>\n";
    o += "    <notes>Missing cases: -1 (.a) skipped, -2 (.b) not shown, -3 (.c) keine Antwort, -4 (.d) illegible on paper, "
         "-5 (.e) several boxes marked on paper, -6 (.f) not reached (a partial response ended before it); "
         "-99991..-99996 where a numeric answer could be -1..-6. Text variables: "
         "skipped is empty, the other cases hold the code as text.</notes>\n";
    o += "  </fileDscr>\n  <dataDscr>\n";
    for (size_t i = 0; i < t.vars.size(); i++) o += var_xml(s, t.vars[i], f, i);
    o += "  </dataDscr>\n</codeBook>\n";
    return o;
}

} // namespace tk
