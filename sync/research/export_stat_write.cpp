// export_stat_write.cpp - the .sav / .dta file through ReadStat, and the Markdown codebook of
// the variables (see export_stat.h).
//
//   limits            label lengths of each format, cutting UTF-8 on a character boundary
//   OutFile           temporary file next to the target, renamed when complete
//   define_variables  types, labels, value labels, declared missing values
//   write_stat_file
//   stat_codebook
#include "export_stat.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <readstat.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tk {

// Cuts `s` to at most `max` bytes without splitting a UTF-8 character.
static std::string cut_utf8(const std::string& s, size_t max) {
    if (s.size() <= max) return s;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return s.substr(0, n);
}

// Stata counts label lengths in characters (dta 118 stores up to 4 bytes each).
static std::string cut_chars(const std::string& s, size_t max_chars) {
    size_t chars = 0;
    for (size_t i = 0; i < s.size(); i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > max_chars) return s.substr(0, i);
    return s;
}

static std::string var_label(const std::string& l, StatFormat f) { return f == StatFormat::Sav ? cut_utf8(l, 255) : cut_chars(l, 80); }
static std::string value_label(const std::string& l, StatFormat f) { return f == StatFormat::Sav ? cut_utf8(l, 120) : cut_utf8(l, 32000); }

// The file is written beside its target and renamed only when ReadStat has finished, so a
// failed export never leaves half a file under the real name.
struct OutFile {
    std::string tmp;
    int fd = -1;
    bool failed = false;
};

static ssize_t write_out(const void* data, size_t len, void* ctx) {
    OutFile* o = static_cast<OutFile*>(ctx);
    const char* p = static_cast<const char*>(data);
    for (size_t done = 0; done < len;) {
        ssize_t n = ::write(o->fd, p + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            o->failed = true;
            return -1;
        }
        done += size_t(n);
    }
    return ssize_t(len);
}

// Y/N columns (yesno, multiple choice, complete) are coded 1/0 by this export, not from options.
static bool builtin_coding(const StatVariable& v) { return v.type == "yesno" || v.type == "multiple" || v.type.empty(); }

static bool define_variables(readstat_writer_t* w, const StatTable& t, StatFormat f, std::vector<readstat_variable_t*>& out,
                             std::string* error) {
    for (const StatVariable& v : t.vars) {
        readstat_variable_t* rv = nullptr;
        if (v.kind == StatKind::Text) {
            rv = readstat_add_variable(w, v.name.c_str(), READSTAT_TYPE_STRING, v.width);
            readstat_variable_set_measure(rv, READSTAT_MEASURE_NOMINAL);
        } else {
            rv = readstat_add_variable(w, v.name.c_str(), READSTAT_TYPE_DOUBLE, 0);
            readstat_label_set_t* ls = readstat_add_label_set(w, READSTAT_TYPE_DOUBLE, v.name.c_str());
            for (const StatCode& c : v.codes) {
                std::string lab = c.label;
                // With 1..k coding the original code stays visible in the label.
                if (!v.codes_are_numbers && !builtin_coding(v)) lab = c.code + " " + lab;
                readstat_label_double_value(ls, c.value, value_label(lab, f).c_str());
            }
            for (int m = 1; m <= kStatMissingCount; m++) {
                StatMissing mm = StatMissing(m);
                if (f == StatFormat::Sav) readstat_label_double_value(ls, stat_missing_value(v, mm), stat_missing_label(mm));
                else readstat_label_tagged_value(ls, stat_missing_tag(mm), stat_missing_label(mm));
            }
            readstat_variable_set_label_set(rv, ls);
            if (v.kind == StatKind::Coded) readstat_variable_set_format(rv, f == StatFormat::Sav ? "F8.0" : "%8.0g");
            if (f == StatFormat::Sav) {
                double hi = stat_missing_value(v, StatMissing::Skipped), lo = stat_missing_value(v, StatMissing::NotReached);
                readstat_error_t e = readstat_variable_add_missing_double_range(rv, lo, hi);
                if (e != READSTAT_OK) {
                    *error = v.name + ": missing values: " + readstat_error_message(e);
                    return false;
                }
            }
            readstat_variable_set_measure(rv, v.kind == StatKind::Number ? READSTAT_MEASURE_SCALE
                                                  : v.type == "rating" ? READSTAT_MEASURE_ORDINAL : READSTAT_MEASURE_NOMINAL);
        }
        if (!rv) {
            *error = v.name + ": ReadStat refused the variable";
            return false;
        }
        readstat_variable_set_label(rv, var_label(v.label.empty() ? v.heading : v.label, f).c_str());
        out.push_back(rv);
    }
    return true;
}

static readstat_error_t write_rows(readstat_writer_t* w, const StatTable& t, StatFormat f, const std::vector<readstat_variable_t*>& vars) {
    readstat_error_t e = READSTAT_OK;
    static const std::string none;
    for (const std::vector<std::string>& row : t.rows) {
        if ((e = readstat_begin_row(w)) != READSTAT_OK) return e;
        for (size_t c = 0; c < t.vars.size() && e == READSTAT_OK; c++) {
            const StatVariable& v = t.vars[c];
            const std::string& cell = c < row.size() ? row[c] : none;
            // Texts that are not a missing case go in as they are (no copy).
            if (v.kind == StatKind::Text && !cell.empty() && cell[0] != '\x1e' && cell[0] != '-') {
                e = readstat_insert_string_value(w, vars[c], cell.c_str());
                continue;
            }
            StatValue sv = stat_value(v, cell);
            if (v.kind == StatKind::Text) e = readstat_insert_string_value(w, vars[c], sv.text.c_str());
            else if (sv.unreadable) e = readstat_insert_missing_value(w, vars[c]);
            else if (sv.missing != StatMissing::None && f == StatFormat::Dta)
                e = readstat_insert_tagged_missing_value(w, vars[c], stat_missing_tag(sv.missing));
            else e = readstat_insert_double_value(w, vars[c], sv.number);
        }
        if (e != READSTAT_OK || (e = readstat_end_row(w)) != READSTAT_OK) return e;
    }
    return e;
}

bool write_stat_file(const Survey& s, const StatTable& t, StatFormat f, const std::string& path, bool overwrite,
                     std::string* error) {
    struct stat st;
    if (!overwrite && ::stat(path.c_str(), &st) == 0) {
        *error = path + ": exists already";
        return false;
    }
    OutFile o;
    o.tmp = path + ".tmp-XXXXXX";
    o.fd = mkstemp(o.tmp.data());
    if (o.fd < 0) {
        *error = path + ": cannot create a file there: " + std::strerror(errno);
        return false;
    }
    fchmod(o.fd, 0600); // the answers in plain text: the owner only
    readstat_writer_t* w = readstat_writer_init();
    readstat_set_data_writer(w, write_out);
    std::string hash_hex = s.hash.substr(s.hash.find(':') == std::string::npos ? 0 : s.hash.find(':') + 1);
    std::string label = s.id + " " + s.version + " " + hash_hex.substr(0, 12);
    readstat_writer_set_file_label(w, (f == StatFormat::Sav ? cut_utf8(label, 64) : cut_chars(label, 80)).c_str());
    // Notes: SPSS document lines hold 80 bytes each.
    std::string notes[] = {cut_utf8("survey " + s.id + " version " + s.version, 80), cut_utf8("hash " + s.hash, 80),
                           "missing: -1 skipped, -2 not shown, -3 keine Antwort, -4 illegible, -5 multiple,",
                           "-6 not reached (-99991..-99996 where negative answers are valid; Stata .a .. .f)"};
    for (const std::string& n : notes) readstat_add_note(w, n.c_str());
    std::vector<readstat_variable_t*> vars;
    bool ok = define_variables(w, t, f, vars, error);
    readstat_error_t e = READSTAT_OK;
    if (ok) {
        if (f == StatFormat::Sav) {
            readstat_writer_set_compression(w, READSTAT_COMPRESS_ROWS);
            e = readstat_begin_writing_sav(w, &o, long(t.rows.size()));
        } else {
            readstat_writer_set_file_format_version(w, 118); // Stata 14+: UTF-8 names and labels
            e = readstat_begin_writing_dta(w, &o, long(t.rows.size()));
        }
        if (e == READSTAT_OK) e = readstat_validate_metadata(w);
        for (size_t i = 0; e == READSTAT_OK && i < vars.size(); i++) {
            e = readstat_validate_variable(w, vars[i]);
            if (e != READSTAT_OK) *error = t.vars[i].name + ": ";
        }
        if (e == READSTAT_OK) e = write_rows(w, t, f, vars);
        if (e == READSTAT_OK) e = readstat_end_writing(w);
        if (e != READSTAT_OK) {
            *error = path + ": " + *error + readstat_error_message(e);
            ok = false;
        }
    }
    readstat_writer_free(w);
    if (ok && (o.failed || ::fsync(o.fd) != 0)) {
        *error = path + ": write failed: " + std::strerror(errno);
        ok = false;
    }
    ::close(o.fd);
    if (ok && ::rename(o.tmp.c_str(), path.c_str()) != 0) {
        *error = path + ": " + std::strerror(errno);
        ok = false;
    }
    if (!ok) ::unlink(o.tmp.c_str());
    return ok;
}

// ---------------------------------------------------------------------------------------
// Codebook

static std::string md(const std::string& t) {
    std::string o;
    for (char ch : t) {
        if (ch == '|') o += '\\';
        o += ch;
    }
    return o;
}

std::string stat_codebook(const Survey& s, const StatTable& t, StatFormat f) {
    const char* fmt = f == StatFormat::Sav ? "SPSS (.sav)" : "Stata (.dta)";
    std::string out = "# Codebook: " + md(s.id) + " " + md(s.version) + ", " + fmt + "\n\n";
    out += "Survey `" + s.id + "`, version " + s.version + ", hash `" + s.hash + "`; " + std::to_string(t.rows.size()) +
           " responses, " + std::to_string(t.vars.size()) + " variables (one per column of `teilhabe export csv`).\n\n";
    out += "Names: the CSV heading with `[` as `_` and `]` dropped (`A1[other]` -> `A1_other`), umlauts as ae/oe/ue/ss, "
           "other characters as `_`, `v` before a leading digit, `_` after a reserved word, at most " +
           std::string(f == StatFormat::Sav ? "64 bytes" : "32 characters") + "; a repeated name gets `_2`, `_3`, ...\n\n";
    out += "Missing values (declared";
    out += f == StatFormat::Sav ? " as SPSS user-missing range" : " as Stata extended missing values";
    out += "; text variables: skipped is empty, the others hold the code as text):\n\n| case | code | Stata |\n|---|---|---|\n";
    for (int m = 1; m <= kStatMissingCount; m++)
        out += "| " + std::string(stat_missing_label(StatMissing(m))) + " | " + std::to_string(-m) + " (or " +
               std::to_string(-99990 - m) + ") | ." + std::string(1, stat_missing_tag(StatMissing(m))) + " |\n";
    out += "\nThe codes -99991..-99996 are used where a numeric answer could itself be -1..-6 (column \"missing\").\n\n";
    out += "| name | CSV heading | label | type | values | missing |\n|---|---|---|---|---|---|\n";
    for (const StatVariable& v : t.vars) {
        std::string vals;
        if (v.kind == StatKind::Coded) {
            for (const StatCode& c : v.codes) {
                if (!vals.empty()) vals += "; ";
                bool own = c.code == stat_number_text(c.value); // the code is its own value
                vals += stat_number_text(c.value) + " = " + (own ? "" : "`" + c.code + "` ") + c.label;
            }
        } else {
            vals = v.kind == StatKind::Number ? "number" : "text (" + std::to_string(v.width) + " bytes)";
        }
        std::string miss = v.kind == StatKind::Text ? "-"
                                                    : stat_number_text(v.missing_base - (kStatMissingCount - 1)) + ".." +
                                                          stat_number_text(v.missing_base);
        out += "| `" + v.name + "` | `" + md(v.heading) + "` | " + md(v.label) + " | " + (v.type.empty() ? "fixed" : v.type) +
               " | " + md(vals) + " | " + miss + " |\n";
    }
    return out;
}

} // namespace tk
