// delphi_participant.cpp - a Delphi participant on the kiosk (delphi_participant.h): the code
// page and its back-off, the key derivation on its worker thread, the signed feedback pack, what
// a repeated item shows, "Antwort beibehalten", the reasons, and the wipe.
#include "delphi_participant.h"

#include "files.h"
#include "kiosk_state.h"
#include "state_helpers.h"
#include "survey_update.h"
#include "text.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace tk {

DelphiParticipant::~DelphiParticipant() { delphi_wipe(*this); }

namespace {

// An own answer as option codes: one code (single, rating, yes/no, a matrix row) or, for a
// multiple choice, the codes joined by spaces (delphi::item_value).
std::vector<std::string> split_codes(const std::string& v) { return split_tokens(v, " ,"); }

// The research signing key the kiosk checks survey updates with: research.pub, on a demo kiosk
// the demo key's public part (as the transport desk's survey updates).
bool signing_key(const KioskApp& app, ResearchPublicKey& pub) {
    std::error_code ec;
    std::string path = app.data_dir + "/research.pub";
    if (!std::filesystem::exists(path, ec)) path = app.data_dir + "/demo-research.key";
    std::string err;
    if (load_research_public(path, pub, &err)) return true;
    std::fprintf(stderr, "teilhabe-kiosk: no feedback pack can be checked: %s\n", err.c_str());
    return false;
}

const Question* item_question(const KioskApp& app, const std::string& key, std::string* row) {
    std::string code, r;
    if (!app.survey || !split_delphi_key(key, code, r)) return nullptr;
    if (row) *row = r;
    return app.survey->find_question(code);
}

// The item's answer on the page now, as one option code ("" = none; a multiple choice's codes
// joined by spaces, as delphi::item_value writes them).
std::string current_value(const KioskApp& app, const Question& q, const std::string& row) {
    const Answer* a = app.session ? app.session->answer(q.code) : nullptr;
    if (!a) return {};
    if (!row.empty()) {
        auto it = a->cells.find(row);
        return it == a->cells.end() ? "" : it->second;
    }
    if (a->no_answer) return kNoAnswerCode;
    if (q.type == QuestionType::MultipleChoice) {
        std::string s;
        for (const std::string& v : a->values) s += (s.empty() ? "" : " ") + v;
        return s;
    }
    return a->value;
}

} // namespace

// --- the code page --------------------------------------------------------------------------

bool delphi_code_page(const KioskApp& app) { return app.survey && app.survey->delphi.round >= 2; }

void delphi_enter_code_page(KioskApp& app) {
    clear_page(app);
    app.screen = Screen::DelphiCode;
    app.speak_stop = true;
    DelphiParticipant& d = app.delphi;
    if (d.pack_checked || !app.survey) return;
    d.pack_checked = true;
    ResearchPublicKey pub;
    if (!signing_key(app, pub)) return;
    std::string survey_dir = app.survey_path.empty() ? app.survey->source_path : app.survey_path;
    size_t slash = survey_dir.rfind('/');
    survey_dir = slash == std::string::npos ? std::string(".") : survey_dir.substr(0, slash);
    std::vector<std::string> dirs = {survey_dir};
    if (!app.data_dir.empty() && app.data_dir + "/surveys" != survey_dir) dirs.push_back(app.data_dir + "/surveys");
    std::vector<std::string> notes;
    d.pack = find_feedback_pack(dirs, app.survey->id, pub.sign_pk, &notes);
    for (const std::string& n : notes) std::fprintf(stderr, "teilhabe-kiosk: %s\n", n.c_str());
    if (d.pack && (d.pack->study != app.survey->delphi.study || d.pack->from_round != app.survey->delphi.round - 1)) {
        std::fprintf(stderr, "teilhabe-kiosk: feedback pack for %s is of study \"%s\" round %d, the survey is round %d of \"%s\": not shown\n",
                     app.survey->id.c_str(), d.pack->study.c_str(), d.pack->from_round, app.survey->delphi.round,
                     app.survey->delphi.study.c_str());
        d.pack.reset();
    }
}

double delphi_lock_seconds_left(const KioskApp& app, double now) {
    return std::max(0.0, app.delphi_lock.locked_until - now);
}

bool delphi_submit_code(KioskApp& app, double now) {
    DelphiParticipant& d = app.delphi;
    if (d.working || app.screen != Screen::DelphiCode || !app.survey) return false;
    app.page.focus_first = true; // whatever comes of it, the field takes the next try's keys
    if (now < app.delphi_lock.locked_until) {
        d.message_key = "delphi_code_locked";
        wipe(d.code);
        return false;
    }
    std::string n = delphi::normalize_code(d.code);
    if (d.code.empty()) {
        d.message_key = "delphi_code_missing";
        return false;
    }
    if (n.empty() || !delphi::code_ok(n)) {
        // The staff PIN's back-off: two slips are free, then the waits double.
        DelphiLock& lock = app.delphi_lock;
        ++lock.failures;
        lock.locked_until = now + staff_lock_seconds(lock.failures);
        const bool locked = lock.locked_until > now;
        d.message_key = locked ? "delphi_code_locked" : "delphi_code_wrong";
        // What was typed stays to be corrected (one wrong symbol of 21), unless the page locks.
        if (locked) wipe(d.code);
        wipe(n);
        return false;
    }
    wipe(d.code);
    d.keys_ok = d.has_own = false;
    auto job = std::make_shared<DelphiDeriveJob>();
    job->code = std::move(n);
    job->study = app.survey->delphi.study;
    d.job = job;
    d.working = true;
    d.message_key = "delphi_checking";
    d.worker = std::thread([job] {
        job->ok = delphi::derive_participant_keys(job->code, job->study, job->keys, &job->error);
        wipe(job->code);
        job->done = true;
    });
    return true;
}

void delphi_without_code(KioskApp& app) {
    if (app.screen != Screen::DelphiCode || app.delphi.working) return;
    DelphiParticipant& d = app.delphi;
    wipe(d.code);
    d.job.reset();
    d.keys_ok = d.has_own = false;
    d.without_code = true;
    d.passed = true;
    d.message_key.clear();
    begin_questions(app);
}

void delphi_poll(KioskApp& app) {
    DelphiParticipant& d = app.delphi;
    if (!d.working || !d.job || !d.job->done) return;
    d.worker.join();
    d.working = false;
    if (!d.job->ok) {
        std::fprintf(stderr, "teilhabe-kiosk: participant code not checked: %s\n", d.job->error.c_str());
        d.job.reset();
        d.message_key = "delphi_code_error";
        return;
    }
    d.keys_ok = true;
    d.without_code = false;
    d.passed = true;
    if (d.pack) d.has_own = delphi::find_own_answers(*d.pack, d.job->keys, d.own);
    if (d.has_own) app.delphi_lock.failures = 0;
    if (d.pack && !d.has_own) {
        // A code of the study, but nobody with it answered the round before (or the entry does
        // not open): the questions come without an own earlier answer, and the page says why.
        d.message_key = "delphi_no_entry";
        return;
    }
    d.message_key.clear();
    if (app.screen == Screen::DelphiCode) begin_questions(app);
}

// --- the pack -----------------------------------------------------------------------------------

std::shared_ptr<const delphi::FeedbackPack> find_feedback_pack(const std::vector<std::string>& dirs,
                                                               const std::string& survey_id,
                                                               const uint8_t signer[32],
                                                               std::vector<std::string>* notes) {
    std::shared_ptr<delphi::FeedbackPack> best;
    auto note = [notes](const std::string& s) {
        if (notes) notes->push_back(s);
    };
    for (const std::string& dir : dirs) {
        for (const std::string& name : list_signed_surveys(dir)) {
            if (!name.ends_with(delphi::kFeedbackPackExt)) continue;
            const std::string path = dir + "/" + name;
            std::string bytes, sig, err;
            if (!read_file_at_most(path, delphi::kFeedbackPackMax, bytes, &err) ||
                !read_file_at_most(path + ".sig", 64 * 1024, sig, &err)) {
                note("feedback pack " + path + " not read: " + err);
                continue;
            }
            if (!verify_survey_signature(name, bytes, sig, signer, &err)) {
                note("feedback pack " + path + " refused: " + err);
                continue;
            }
            auto pack = std::make_shared<delphi::FeedbackPack>();
            if (!delphi::read_feedback_pack(bytes, *pack, &err)) {
                note("feedback pack " + path + " refused: " + err);
                continue;
            }
            if (pack->for_survey != survey_id) continue; // another survey's pack: not ours to show
            if (!best || pack->created > best->created) best = pack;
        }
    }
    return best;
}

// --- repeated questions --------------------------------------------------------------------

std::vector<std::string> delphi_item_keys(const KioskApp& app, const Question& q) {
    std::vector<std::string> keys;
    if (!delphi_code_page(app) || !app.session) return keys;
    auto repeated = [&](const std::string& key) {
        const DelphiItem* it = app.survey->delphi.find_item(key);
        return it && !it->repeats.empty();
    };
    if (repeated(q.code)) keys.push_back(q.code);
    for (const Row& r : q.rows) {
        std::string key = q.code + "[" + r.code + "]";
        if (app.session->is_row_visible(q, r) && repeated(key)) keys.push_back(key);
    }
    return keys;
}

bool delphi_item_view(const KioskApp& app, const std::string& key, DelphiItemView& out) {
    out = DelphiItemView{};
    if (!delphi_code_page(app)) return false;
    const DelphiItem* item = app.survey->delphi.find_item(key);
    std::string row;
    const Question* q = item_question(app, key, &row);
    if (!item || item->repeats.empty() || !q) return false;
    const DelphiParticipant& d = app.delphi;
    out.key = key;
    out.item = item;
    out.stats = d.pack ? d.pack->find(key) : nullptr;
    if (d.has_own) {
        auto it = d.own.find(key);
        if (it != d.own.end()) out.own = split_codes(it->second);
    }
    out.current = current_value(app, *q, row);
    out.crossing = out.stats && out.own.size() == 1 && !out.current.empty() && out.current != out.own[0] &&
                   out.current.find(' ') == std::string::npos &&
                   delphi::crosses_consensus(*out.stats, app.survey->delphi.consensus, out.own[0], out.current);
    return true;
}

void delphi_keep(KioskApp& app, const std::string& key) {
    DelphiItemView v;
    if (!app.session || !delphi_item_view(app, key, v) || v.own.empty()) return;
    std::string row;
    const Question* q = item_question(app, key, &row);
    const std::vector<Option>* scale = delphi_item_scale(*app.survey, key);
    if (!q || !scale || app.session->current() != q) return;
    for (const std::string& c : v.own)
        if (std::none_of(scale->begin(), scale->end(), [&](const Option& o) { return o.code == c; })) return;
    if (!row.empty()) {
        choose_cell(app, *q, row, v.own[0], false);
        // The next row without an answer is the one to fill; with none left, the page is done.
        auto slots = matrix_slots(app, *q);
        const Answer* a = app.session->answer(q->code);
        for (size_t i = 0; i < slots.size(); ++i) {
            if (a && a->cells.count(slots[i])) continue;
            app.page.matrix_row = static_cast<int>(i);
            return;
        }
        next(app);
        return;
    }
    const Answer* have = app.session->answer(q->code);
    Answer a = have ? *have : Answer{};
    a.no_answer = false;
    a.other.clear();
    if (q->type == QuestionType::MultipleChoice) {
        a.value.clear();
        a.values = v.own;
    } else {
        a.values.clear();
        a.value = v.own[0];
    }
    if (!answer(app, q->code, a).ok()) return;
    next(app);
}

std::string delphi_option_text(const KioskApp& app, const std::string& key, const std::string& code) {
    if (code == kNoAnswerCode) return kiosk_text(app, "no_answer");
    const std::vector<Option>* scale = app.survey ? delphi_item_scale(*app.survey, key) : nullptr;
    if (scale)
        for (const Option& o : *scale)
            if (o.code == code) return survey_text(app, o.text);
    return code;
}

namespace {

// "2,5": decimals as the respondent's language writes them (German and most of the kiosk's
// languages with a comma; English with a point).
std::string number_text(const KioskApp& app, double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", x);
    std::string s = buf;
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    if (app.reading.language.rfind("en", 0) != 0)
        std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

std::string stage_text(const KioskApp& app) {
    return std::to_string(app.delphi.pack ? app.delphi.pack->from_round : app.survey->delphi.round - 1);
}

} // namespace

bool delphi_shows(const DelphiItemView& v, const char* what) {
    if (!v.item) return false;
    const auto& f = v.item->feedback;
    if (f.empty()) return std::string(what) == "distribution";
    return std::find(f.begin(), f.end(), what) != f.end();
}

std::string delphi_own_mark(const KioskApp& app) {
    return fill(kiosk_text(app, "delphi_own_mark"), {{"n", stage_text(app)}});
}

std::string delphi_own_line(const KioskApp& app, const DelphiItemView& v) {
    if (v.own.empty()) return {};
    std::string texts;
    for (const std::string& c : v.own) texts += (texts.empty() ? "" : "; ") + delphi_option_text(app, v.key, c);
    return fill(kiosk_text(app, "delphi_own"), {{"n", stage_text(app)}, {"text", texts}});
}

std::string delphi_group_line(const KioskApp& app, const DelphiItemView& v) {
    if (!v.stats) return {};
    return fill(kiosk_text(app, "delphi_group"), {{"n", stage_text(app)}, {"m", std::to_string(v.stats->n)}});
}

std::string delphi_category_line(const KioskApp& app, const DelphiItemView& v, size_t i) {
    if (!v.stats || i >= v.stats->distribution.size()) return {};
    const auto& [code, count] = v.stats->distribution[i];
    int pct = v.stats->n > 0 ? int(100.0 * count / v.stats->n + 0.5) : 0;
    return fill(kiosk_text(app, "delphi_category"),
                {{"text", delphi_option_text(app, v.key, code)}, {"n", std::to_string(count)}, {"x", std::to_string(pct)}});
}

std::string delphi_stats_line(const KioskApp& app, const DelphiItemView& v) {
    if (!v.stats || !v.stats->ordinal || v.stats->n == 0) return {};
    std::string s;
    auto add = [&s](const std::string& t) { s += (s.empty() ? "" : " · ") + t; };
    if (delphi_shows(v, "median")) add(fill(kiosk_text(app, "delphi_median"), {{"x", number_text(app, v.stats->median)}}));
    if (delphi_shows(v, "iqr"))
        add(fill(kiosk_text(app, "delphi_iqr"), {{"x", number_text(app, v.stats->q1)}, {"m", number_text(app, v.stats->q3)}}));
    if (delphi_shows(v, "mean")) add(fill(kiosk_text(app, "delphi_mean"), {{"x", number_text(app, v.stats->mean)}}));
    return s;
}

std::vector<std::string> delphi_item_lines(const KioskApp& app, const DelphiItemView& v) {
    std::vector<std::string> out;
    std::string row;
    const Question* q = item_question(app, v.key, &row);
    if (q && !row.empty())
        for (const Row& r : q->rows)
            if (r.code == row) out.push_back(survey_text(app, r.text));
    auto add = [&out](const std::string& s) {
        if (!s.empty()) out.push_back(s);
    };
    add(delphi_own_line(app, v));
    add(delphi_group_line(app, v));
    if (v.stats && delphi_shows(v, "distribution"))
        for (size_t i = 0; i < v.stats->distribution.size(); ++i) add(delphi_category_line(app, v, i));
    add(delphi_stats_line(app, v));
    if (v.crossing) add(kiosk_text(app, "delphi_reason"));
    return out;
}

// --- the response ----------------------------------------------------------------------------

void delphi_finish(const KioskApp& app, Response& r) {
    const DelphiParticipant& d = app.delphi;
    if (d.keys_ok && d.job) r.pseudonym = d.job->keys.pseudonym;
    for (const auto& [key, text] : d.reasons) {
        if (text.empty()) continue;
        DelphiItemView v;
        // A reason for a change that was taken back would explain an answer nobody gave.
        if (delphi_item_view(app, key, v) && v.crossing) r.meta[kDelphiReasonMeta + key] = text;
    }
}

void delphi_wipe(DelphiParticipant& d) {
    if (d.worker.joinable()) d.worker.join();
    d.job.reset(); // ParticipantKeys' destructor wipes the keys
    wipe(d.code);
    for (auto& [k, v] : d.own) wipe(v);
    d.own.clear();
    for (auto& [k, v] : d.reasons) wipe(v);
    d.reasons.clear();
    d.message_key.clear();
    d.passed = d.without_code = d.working = d.keys_ok = d.has_own = d.pack_checked = false;
    d.pack.reset();
}

std::string delphi_field_text(const KioskApp& app, const std::string& field) {
    const DelphiParticipant& d = app.delphi;
    if (field == kDelphiCodeField) return d.code;
    const std::string prefix = kDelphiReasonField;
    if (field.rfind(prefix, 0) == 0) {
        auto it = d.reasons.find(field.substr(prefix.size()));
        return it == d.reasons.end() ? "" : it->second;
    }
    return {};
}

void delphi_edit_field(KioskApp& app, const std::string& field, const std::string& text) {
    DelphiParticipant& d = app.delphi;
    if (field == kDelphiCodeField) {
        // 25 symbols with hyphens; a scanner that sends more is no code, and the page says so.
        wipe(d.code);
        d.code = text.substr(0, 64);
        if (d.message_key == "delphi_code_wrong" || d.message_key == "delphi_code_missing") d.message_key.clear();
        return;
    }
    const std::string prefix = kDelphiReasonField;
    if (field.rfind(prefix, 0) == 0) {
        const std::string key = field.substr(prefix.size());
        DelphiItemView v;
        if (delphi_item_view(app, key, v)) d.reasons[key] = text;
    }
}

} // namespace tk
