// cmd_fill_demo.cpp - `teilhabe vault fill-demo`: a drill tool that appends N made-up responses
// to a vault, so sync, USB export and the server can be rehearsed (and tested end to end)
// without anybody answering a survey. The answers are deterministic in the index, so a test
// can tell what it should find after decrypting. Never use it on a kiosk in the field: the
// records are indistinguishable from real ones except for their survey id.
#include <cstdio>
#include <cstdlib>

#include "vault.h"
#include "command.h"

using namespace tk;
using namespace tk::cli;

static int run_fill(const Args& in) {
    Args a = in;
    std::string dir = take_option(a, "--data"), count = take_option(a, "--count"), survey = take_option(a, "--survey", "drill");
    bool demo_key = take_flag(a, "--demo-key");
    long n = std::strtol(count.c_str(), nullptr, 10);
    if (dir.empty() || !a.empty() || n <= 0 || n > 10000000)
        return usage_error("vault fill-demo", "usage: --data DIR --count N (1..10000000) [--survey ID] [--demo-key]");
    VaultOpenOptions o;
    o.allow_demo_key = demo_key;
    std::string err;
    auto v = Vault::open(dir, o, &err);
    if (!v) return usage_error("vault fill-demo", dir + ": " + err);
    int64_t base = v->status().head_seq;
    // In transactions of 1000: a drill of a million responses must not hold everything in memory.
    for (long done = 0; done < n;) {
        std::vector<PlainRecord> items;
        for (long k = 0; k < 1000 && done < n; k++, done++) {
            Response r;
            int64_t i = base + done + 1;
            r.survey_id = survey;
            r.survey_version = "1";
            r.survey_hash = "sha256:drill";
            r.language = "de";
            r.site = "Drill";
            r.started = 1764000000 + i * 60;
            r.finished = r.started + 45;
            r.complete = true;
            r.answers["Q1"].value = std::to_string(1 + i % 5);
            r.answers["Q2"].values = {"A" + std::to_string(i % 3), "B"};
            r.answers["Q3"].value = "Antwort " + std::to_string(i);
            PlainRecord p;
            p.canonical_bytes = serialize_response(r);
            p.meta.survey_id = r.survey_id;
            p.meta.survey_hash = r.survey_hash;
            p.meta.channel = r.channel;
            p.meta.site = r.site;
            p.meta.time = r.finished;
            items.push_back(std::move(p));
        }
        for (const AppendResult& res : v->append_batch(items))
            if (!res.durable) {
                std::fprintf(stderr, "teilhabe vault fill-demo: not durable: %s\n", res.error.c_str());
                return 1;
            }
    }
    VaultStatus s = v->status();
    std::printf("%ld drill responses added; vault holds %lld records, %lld unsynced\n", n, (long long)s.records,
                (long long)s.unsynced);
    return 0;
}

static Command fill_cmd("vault fill-demo", "--data DIR --count N", "drill tool: append N made-up responses (survey id 'drill')", run_fill);
