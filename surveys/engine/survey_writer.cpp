// survey_writer.cpp - survey_to_json: a Survey as the native JSON format, keys in the order
// of surveys/FORMAT.md, defaults left out, so that loading the output gives the same survey.
#include <cmath>

#include <nlohmann/json.hpp>

#include "survey_loader_internal.h"

namespace tk {

using ojson = nlohmann::ordered_json;
using namespace loader;

namespace {

bool same_options(const std::vector<Option>& a, const std::vector<Option>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++)
        if (a[i].code != b[i].code || a[i].text.by_lang != b[i].text.by_lang ||
            a[i].exclusive != b[i].exclusive || a[i].source_code != b[i].source_code)
            return false;
    return true;
}

ojson text_json(const LocalText& t) {
    ojson o = ojson::object();
    for (const auto& [lang, s] : t.by_lang) o[lang] = s;
    return o;
}

ojson number_json(double d) {
    if (std::floor(d) == d && std::fabs(d) < 1e15) return ojson((long long)d);
    return ojson(d);
}

ojson options_json(const std::vector<Option>& opts, bool with_exclusive) {
    ojson a = ojson::array();
    for (const Option& o : opts) {
        ojson jo;
        jo["code"] = o.code;
        jo["text"] = text_json(o.text);
        if (with_exclusive && o.exclusive) jo["exclusive"] = true;
        if (!o.source_code.empty()) jo["source_code"] = o.source_code;
        a.push_back(std::move(jo));
    }
    return a;
}

ojson question_json(const Question& q) {
    using T = QuestionType;
    ojson j;
    j["code"] = q.code;
    j["type"] = type_name(q.type);
    if (q.type != T::Equation || !q.text.empty()) j["text"] = text_json(q.text);
    if (!q.help.empty()) j["help"] = text_json(q.help);
    if (q.mandatory && q.type != T::Info) j["mandatory"] = true;
    if (!q.condition_src.empty()) j["condition"] = q.condition_src;
    if (!q.source_note.empty()) j["source"] = q.source_note;
    if (!q.random_group.empty() && q.type != T::Info) j["random_group"] = q.random_group;
    if (!q.option_order.empty() && key_applies("option_order", q.type)) j["option_order"] = q.option_order;
    if (q.type == T::Matrix && q.cell != MatrixCell::Choice)
        j["cell"] = q.cell == MatrixCell::Number ? "number" : "text";
    if (q.type == T::SingleChoice && q.display != "list") j["display"] = q.display;
    bool write_options = needs_options(q.type) ||
                         (q.type == T::YesNo && !same_options(q.options, default_yesno_options()));
    if (write_options) j["options"] = options_json(q.options, q.type == T::MultipleChoice);
    if (q.type == T::Matrix && q.cell == MatrixCell::Choice) {
        if (!q.options2.empty()) j["options2"] = options_json(q.options2, false);
        if (!q.options2.empty() && (!q.scale_header1.empty() || !q.scale_header2.empty()))
            j["scale_headers"] = ojson::array({text_json(q.scale_header1), text_json(q.scale_header2)});
    }
    if (q.type == T::Rating) {
        ojson s;
        s["min"] = q.scale_min;
        s["max"] = q.scale_max;
        if (!q.min_label.empty()) s["min_label"] = text_json(q.min_label);
        if (!q.max_label.empty()) s["max_label"] = text_json(q.max_label);
        j["scale"] = std::move(s);
    }
    if (key_applies("rows", q.type)) {
        ojson rows = ojson::array();
        for (const Row& r : q.rows) {
            ojson jr;
            jr["code"] = r.code;
            jr["text"] = text_json(r.text);
            if (!r.condition_src.empty()) jr["condition"] = r.condition_src;
            if (!r.source_code.empty()) jr["source_code"] = r.source_code;
            rows.push_back(std::move(jr));
        }
        j["rows"] = std::move(rows);
    }
    if (key_applies("other", q.type) && q.other) {
        j["other"] = true;
        if (!q.other_label.empty()) j["other_label"] = text_json(q.other_label);
    }
    if (q.is_closed() && q.comment) {
        j["comment"] = true;
        if (!q.comment_label.empty()) j["comment_label"] = text_json(q.comment_label);
    }
    if (key_applies("min", q.type) && (q.type != T::Matrix || q.cell == MatrixCell::Number)) {
        if (q.min_value) j["min"] = number_json(*q.min_value);
        if (q.max_value) j["max"] = number_json(*q.max_value);
        if (q.integer_only) j["integer"] = true;
    }
    if (key_applies("min_answers", q.type) && q.min_answers > 0) j["min_answers"] = q.min_answers;
    if (key_applies("max_answers", q.type) && q.max_answers > 0) j["max_answers"] = q.max_answers;
    if (key_applies("max_length", q.type) && q.max_length > 0) j["max_length"] = q.max_length;
    if (q.type == T::Date) {
        if (!q.min_date.empty()) j["min_date"] = q.min_date;
        if (!q.max_date.empty()) j["max_date"] = q.max_date;
    }
    if (q.type == T::Equation) {
        j["equation"] = q.equation;
        if (q.show_text) j["show_text"] = true;
    }
    if (key_applies("default", q.type)) {
        // A literal answer as its type writes it; else default_src, the expression "{...}"
        // (which is what the LimeSurvey importer sets).
        const Answer& d = q.default_answer;
        if (!d.cells.empty()) j["default"] = d.cells;
        else if (!d.values.empty()) j["default"] = d.values;
        else if (!d.value.empty()) j["default"] = d.value;
        else if (!q.default_src.empty()) j["default"] = q.default_src;
    }
    if (key_applies("validation", q.type) && !q.validation_src.empty()) {
        j["validation"] = q.validation_src;
        if (!q.validation_tip.empty()) j["validation_tip"] = text_json(q.validation_tip);
    }
    if (key_applies("row_validation", q.type) && !q.row_validation_src.empty()) {
        j["row_validation"] = q.row_validation_src;
        if (!q.row_validation_tip.empty()) j["row_validation_tip"] = text_json(q.row_validation_tip);
    }
    return j;
}

} // namespace

std::string survey_to_json(const Survey& s) {
    try {
        ojson j;
        j["format"] = kFormat;
        j["id"] = s.id;
        j["version"] = s.version;
        j["languages"] = s.languages;
        j["title"] = text_json(s.title);
        if (!s.description.empty()) j["description"] = text_json(s.description);
        if (!s.end_text.empty()) j["end_text"] = text_json(s.end_text);
        if (!s.about.empty()) j["about"] = text_json(s.about);
        if (!s.privacy.empty()) {
            ojson p;
            p["controller"] = text_json(s.privacy.controller);
            p["purpose"] = text_json(s.privacy.purpose);
            p["stored"] = text_json(s.privacy.stored);
            p["protection"] = text_json(s.privacy.protection);
            p["contact"] = text_json(s.privacy.contact);
            p["consent_required"] = s.privacy.consent_required;
            j["privacy"] = std::move(p);
        }
        if (!s.source_note.empty()) j["source"] = s.source_note;
        if (!s.language_meta.empty()) {
            ojson meta = ojson::object();
            for (const std::string& lang : s.languages) { // in the order of "languages"
                auto it = s.language_meta.find(lang);
                if (it == s.language_meta.end()) continue;
                ojson m;
                m["source_language"] = it->second.source_language;
                m["translated_by"] = it->second.translated_by;
                m["reviewed"] = it->second.reviewed;
                meta[lang] = std::move(m);
            }
            j["meta"] = std::move(meta);
        }
        ojson st;
        st["no_answer_option"] = s.settings.no_answer_option;
        st["partial_responses"] = s.settings.partial_responses;
        st["show_progress"] = s.settings.show_progress;
        j["settings"] = std::move(st);
        ojson groups = ojson::array();
        for (const Group& g : s.groups) {
            ojson jg;
            jg["code"] = g.code;
            jg["title"] = text_json(g.title);
            if (!g.description.empty()) jg["description"] = text_json(g.description);
            if (!g.condition_src.empty()) jg["condition"] = g.condition_src;
            ojson qs = ojson::array();
            for (const Question& q : g.questions) qs.push_back(question_json(q));
            jg["questions"] = std::move(qs);
            groups.push_back(std::move(jg));
        }
        j["groups"] = std::move(groups);
        if (s.delphi.round > 0) {
            const DelphiRound& d = s.delphi;
            ojson jd;
            jd["study"] = d.study;
            jd["round"] = d.round;
            ojson c;
            c["kind"] = d.consensus.kind;
            c["threshold"] = number_json(d.consensus.threshold);
            if (d.consensus.kind == "top_share") c["top"] = d.consensus.top;
            jd["consensus"] = std::move(c);
            if (d.drop_on_consensus) jd["drop_on_consensus"] = true;
            if (!d.expert_levels.empty()) jd["expert_levels"] = d.expert_levels;
            ojson items = ojson::array();
            for (const DelphiItem& it : d.items) {
                ojson ji;
                ji["key"] = it.key;
                if (!it.repeats.empty()) ji["repeats"] = it.repeats;
                if (!it.feedback.empty()) ji["feedback"] = it.feedback;
                if (!it.expertise.empty()) ji["expertise"] = it.expertise;
                items.push_back(std::move(ji));
            }
            jd["items"] = std::move(items);
            j["delphi"] = std::move(jd);
        }
        return j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
    } catch (...) {
        return "";
    }
}

} // namespace tk
