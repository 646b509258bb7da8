// Tests of the on-device vault: durability, failure handling, no plain text on disk.
#include <doctest/doctest.h>
#include <cstring>
#include <dirent.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "keys.h"
#include "response.h"
#include "sample_response.h"
#include "sync_testutil.h"
#include "vault.h"
#include "hex.h"
#include "open_record.h"
#include "research_key.h"

using namespace tk;
using tk::test::TempDir;
using tk::test::sql;

namespace {

RecordMeta meta(const std::string& survey = "buerger-digital", const std::string& channel = "kiosk",
                const std::string& site = "Stadtbibliothek") {
    RecordMeta m;
    m.survey_id = survey;
    m.survey_hash = "sha256:feed";
    m.channel = channel;
    m.site = site;
    m.time = 1764086583;
    return m;
}

std::string random_text(size_t n, uint32_t seed) {
    std::string s(n, '\0');
    randombytes_buf_deterministic(s.data(), n, std::array<uint8_t, 32>{(uint8_t)seed, (uint8_t)(seed >> 8)}.data());
    return s;
}

std::unique_ptr<Vault> open_demo(const std::string& dir) {
    std::string err;
    auto v = Vault::open(dir, true, &err);
    REQUIRE_MESSAGE(v, err);
    return v;
}

bool has_alarm(const VaultStatus& s, const std::string& word) {
    for (auto& a : s.alarms)
        if (a.find(word) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("vault: append, reopen, status counts, verify and opening records with the research key") {
    TempDir d;
    std::vector<std::string> plains;
    {
        auto v = open_demo(d.path);
        CHECK(v->status().demo_key);
        for (int i = 0; i < 5; i++) {
            plains.push_back("{\"answers\":{\"A1\":{\"value\":\"Antwort " + std::to_string(i) + "\"}}}");
            AppendResult r = v->append_plain(plains.back(), meta(i < 3 ? "buerger-digital" : "bedarfe-akteure",
                                                                 i == 4 ? "paper" : "kiosk"));
            CHECK_MESSAGE(r.durable, r.error);
            CHECK(r.record_id.size() == 23);
        }
    }
    auto v = open_demo(d.path); // reopen continues the chain
    CHECK(v->append_plain("{}", meta()).durable);
    VaultStatus s = v->status();
    CHECK(s.records == 6);
    CHECK(s.unsynced == 6);
    CHECK(s.pending_in_memory == 0);
    CHECK(s.by_survey["buerger-digital"] == 4);
    CHECK(s.by_survey["bedarfe-akteure"] == 2);
    CHECK(s.by_channel["paper"] == 1);
    CHECK(s.by_site["Stadtbibliothek"] == 6);
    CHECK(s.head_seq == 6);
    CHECK(s.chain_head.size() == 64);
    CHECK(s.alarms.empty());
    CHECK(s.schema_version == Vault::kSchemaVersion);
    VerifyReport rep = v->verify();
    CHECK_MESSAGE(rep.ok, (rep.problems.empty() ? "" : rep.problems[0]));
    CHECK(rep.records_checked == 6);

    // The research side (here: the demo key) opens what the kiosk cannot.
    ResearchSecretKey sk;
    std::string err;
    REQUIRE(load_research_secret(d / "demo-research.key", kDemoPassphrase, sk, &err));
    std::vector<Record> recs;
    REQUIRE(v->read_records(0, 100, recs, &err));
    REQUIRE(recs.size() == 6);
    Hash32 prev{};
    for (size_t i = 0; i < recs.size(); i++) {
        CHECK(recs[i].seq == i + 1);
        CHECK(verify_record(recs[i], &prev, &err));
        prev = record_hash(recs[i]);
        std::string plain;
        REQUIRE(open_record(recs[i], sk.pub.box_pk, sk.box_sk, plain, &err));
        CHECK(plain == (i < 5 ? plains[i] : std::string("{}")));
    }
    CHECK(to_hex(prev.data(), 32) == s.chain_head);

    // Reading batch after batch (as sync does) gives the same records as one read.
    std::vector<Record> batch, joined;
    for (uint64_t after = 0; v->read_records(after, 2, batch, &err) && !batch.empty(); after = batch.back().seq)
        joined.insert(joined.end(), batch.begin(), batch.end());
    REQUIRE(joined.size() == recs.size());
    for (size_t i = 0; i < recs.size(); i++) CHECK(serialize_record(joined[i]) == serialize_record(recs[i]));
    REQUIRE(v->read_records(3, 1, batch, &err)); // and going back works too
    REQUIRE(batch.size() == 1);
    CHECK(serialize_record(batch[0]) == serialize_record(recs[3]));

    REQUIRE(v->mark_synced(4, &err));
    CHECK(v->status().unsynced == 2);
    CHECK_FALSE(v->status().last_sync.empty());
    REQUIRE(v->read_records(4, 100, recs, &err));
    CHECK(recs.size() == 2);
    CHECK(recs[0].seq == 5);
}

TEST_CASE("vault: batch append is one transaction and keeps the chain") {
    TempDir d;
    auto v = open_demo(d.path);
    std::vector<PlainRecord> items(200);
    for (size_t i = 0; i < items.size(); i++) {
        items[i].canonical_bytes = "{\"sheet\":" + std::to_string(i) + "}";
        items[i].meta = meta("bedarfe-akteure", "paper", i % 2 ? "Rathaus" : "Stadtteilfest");
    }
    items[7].meta.channel = ""; // a bad item is reported, the others go in
    auto res = v->append_batch(items);
    int durable = 0;
    for (auto& r : res) durable += r.durable;
    CHECK(durable == 199);
    CHECK_FALSE(res[7].durable);
    CHECK(res[7].error.find("channel") != std::string::npos);
    CHECK(v->status().by_site["Rathaus"] == 99); // item 7 (odd) was the bad one
    CHECK(v->status().by_site["Stadtteilfest"] == 100);
    CHECK(v->verify().ok);
}

TEST_CASE("vault: disk full keeps answers in memory, raises the alarm, damages nothing, and resumes") {
    TempDir d;
    auto v = open_demo(d.path);
    for (int i = 0; i < 3; i++) REQUIRE(v->append_plain(random_text(2000, i), meta()).durable);
    v->set_max_page_count(1); // SQLite clamps to the current size: no page can be added
    AppendResult r;
    int tries = 0;
    do {
        r = v->append_plain(random_text(3000, 100 + tries), meta());
    } while (r.durable && ++tries < 20);
    REQUIRE_FALSE(r.durable);
    CHECK(r.error.find("Speicher voll") != std::string::npos);
    CHECK_FALSE(r.record_id.empty());
    int64_t stored = v->status().records;
    AppendResult r2 = v->append_plain(random_text(3000, 999), meta());
    CHECK_FALSE(r2.durable);
    VaultStatus s = v->status();
    CHECK(s.pending_in_memory == 2);
    CHECK(has_alarm(s, "Speicher voll: 2 Antworten nur im Arbeitsspeicher"));
    CHECK(s.records == stored);
    CHECK(v->verify().ok); // what was stored is intact

    // Another process (`teilhabe vault status`) sees the alarm through the alarm file.
    {
        VaultOpenOptions ro;
        ro.create = false;
        std::string err;
        auto other = Vault::open(d.path, ro, &err);
        REQUIRE_MESSAGE(other, err);
        CHECK(has_alarm(other->status(), "Kiosk meldet: Speicher voll"));
    }

    CHECK(v->retry_pending() == 0); // still full
    v->set_max_page_count(0);       // space is back
    CHECK(v->retry_pending() == 2);
    s = v->status();
    CHECK(s.pending_in_memory == 0);
    CHECK(s.alarms.empty());
    CHECK(s.records == stored + 2);
    CHECK(v->append_plain("{}", meta()).durable);
    CHECK(v->verify().ok);
    v.reset();
    auto again = open_demo(d.path);
    CHECK(again->status().records == stored + 3);
    CHECK(again->verify().ok);
    CHECK(again->status().alarms.empty());
}

TEST_CASE("vault: a read-only medium keeps answers in memory until writing works again") {
    TempDir d;
    auto v = open_demo(d.path);
    REQUIRE(v->append_plain("{\"a\":1}", meta()).durable);
    v->set_simulated_read_only(true);
    AppendResult r = v->append_plain("{\"a\":2}", meta());
    CHECK_FALSE(r.durable);
    CHECK(r.error.find("schreibgeschützt") != std::string::npos);
    // A later append queues behind the pending one: order of the chain is kept.
    CHECK_FALSE(v->append_plain("{\"a\":3}", meta()).durable);
    CHECK(has_alarm(v->status(), "schreibgeschützt: 2 Antworten"));
    v->set_simulated_read_only(false);
    AppendResult r3 = v->append_plain("{\"a\":4}", meta());
    CHECK(r3.durable); // flushes the two before it first
    CHECK(v->status().records == 4);
    CHECK(v->status().pending_in_memory == 0);
    CHECK(v->verify().ok);
}

TEST_CASE("vault: answers lost with a pending alarm are reported after restart") {
    TempDir d;
    {
        auto v = open_demo(d.path);
        v->set_simulated_read_only(true);
        CHECK_FALSE(v->append_plain("{}", meta()).durable);
    } // the kiosk is switched off with a pending record
    auto v = open_demo(d.path);
    CHECK(has_alarm(v->status(), "Beim letzten Lauf"));
    CHECK(v->status().records == 0);
    CHECK(v->append_plain("{}", meta()).durable);
    CHECK(v->verify().ok);
}

TEST_CASE("vault: a damaged or foreign database file is reported and left untouched") {
    TempDir d;
    {
        auto v = open_demo(d.path);
        REQUIRE(v->append_plain("{}", meta()).durable);
    }
    std::string err;
    // Garbage where the database should be.
    std::string garbage = random_text(8192, 7);
    tk::test::spit(d / "vault.sqlite", garbage);
    ::unlink((d / "vault.sqlite-wal").c_str());
    ::unlink((d / "vault.sqlite-shm").c_str());
    CHECK_FALSE(Vault::open(d.path, true, &err));
    CHECK(err.find("vault.sqlite") != std::string::npos);
    CHECK(err.find("untouched") != std::string::npos);
    CHECK(tk::test::slurp(d / "vault.sqlite") == garbage);

    // Some other program's SQLite database.
    ::unlink((d / "vault.sqlite").c_str());
    sql(d / "vault.sqlite", "CREATE TABLE books(title TEXT); INSERT INTO books VALUES('Momo');");
    std::string before = tk::test::slurp(d / "vault.sqlite");
    CHECK_FALSE(Vault::open(d.path, true, &err));
    CHECK(err.find("another program") != std::string::npos);
    CHECK(tk::test::slurp(d / "vault.sqlite") == before);

    // A vault from a newer program version.
    TempDir d2;
    { open_demo(d2.path); }
    sql(d2 / "vault.sqlite", "UPDATE schema_version SET version = 99");
    CHECK_FALSE(Vault::open(d2.path, true, &err));
    CHECK(err.find("newer") != std::string::npos);
}

TEST_CASE("vault: missing or wrong key files stop the vault with a clear message and change nothing") {
    TempDir d;
    std::string err;
    CHECK_FALSE(Vault::open(d.path, false, &err)); // no research.pub, no demo allowed
    CHECK(err.find("research.pub") != std::string::npos);

    {
        auto v = open_demo(d.path);
        REQUIRE(v->append_plain("{}", meta()).durable);
    }
    std::string device = tk::test::slurp(d / "device.key");
    ::unlink((d / "device.key").c_str());
    CHECK_FALSE(Vault::open(d.path, true, &err));
    CHECK(err.find("device.key") != std::string::npos);
    CHECK_FALSE(tk::test::TempDir().path.empty());
    struct stat st;
    CHECK(stat((d / "device.key").c_str(), &st) != 0); // no new identity was made

    // Another device's key file.
    DeviceIdentity other;
    bool created;
    REQUIRE(load_or_create_device(d / "device.key", true, other, &created, &err));
    std::string other_text = tk::test::slurp(d / "device.key");
    CHECK_FALSE(Vault::open(d.path, true, &err));
    CHECK(err.find("belongs to device") != std::string::npos);
    CHECK(tk::test::slurp(d / "device.key") == other_text);
    tk::test::spit(d / "device.key", device);

    // A damaged research.pub.
    tk::test::spit(d / "research.pub", "teilhabe-research-public/1\nbox: 12\n");
    CHECK_FALSE(Vault::open(d.path, true, &err));
    CHECK(err.find("research.pub:2") != std::string::npos);

    // A real research key replaces the demo key; after that a swapped key is refused.
    ::unlink((d / "research.pub").c_str());
    REQUIRE(write_research_key_files(d / "k1.key", d / "research.pub", "passphrase one", KdfStrength::Minimum, nullptr, &err));
    {
        auto v = open_demo(d.path);
        CHECK_FALSE(v->status().demo_key);
        CHECK(v->append_plain("{}", meta()).durable);
    }
    ::unlink((d / "research.pub").c_str());
    REQUIRE(write_research_key_files(d / "k2.key", d / "research.pub", "passphrase two", KdfStrength::Minimum, nullptr, &err));
    CHECK_FALSE(Vault::open(d.path, true, &err));
    CHECK(err.find("pinned") != std::string::npos);
    VaultOpenOptions repin;
    repin.accept_new_research_key = true;
    CHECK(Vault::open(d.path, repin, &err));
}

TEST_CASE("vault: verify finds altered, removed and reordered records") {
    TempDir d;
    {
        auto v = open_demo(d.path);
        for (int i = 0; i < 6; i++) REQUIRE(v->append_plain("{\"n\":" + std::to_string(i) + "}", meta()).durable);
    }
    VaultOpenOptions ro;
    ro.create = false;
    std::string err;
    auto check_problem = [&](const std::string& word) {
        auto v = Vault::open(d.path, ro, &err);
        REQUIRE_MESSAGE(v, err);
        VerifyReport r = v->verify();
        CHECK_FALSE(r.ok);
        bool found = false;
        for (auto& p : r.problems) found = found || p.find(word) != std::string::npos;
        CHECK_MESSAGE(found, word);
    };
    // One byte of one sealed body.
    sql(d / "vault.sqlite", "UPDATE records SET body = X'00' || substr(body, 2) WHERE seq = 3");
    check_problem("signature does not match");
    // A record removed from the middle.
    sql(d / "vault.sqlite", "DELETE FROM records WHERE seq = 3");
    check_problem("missing from the chain");
    // The last record removed.
    TempDir d2;
    {
        auto v = open_demo(d2.path);
        for (int i = 0; i < 3; i++) REQUIRE(v->append_plain("{}", meta()).durable);
    }
    sql(d2 / "vault.sqlite", "DELETE FROM records WHERE seq = 3");
    auto v2 = Vault::open(d2.path, ro, &err);
    REQUIRE(v2);
    VerifyReport r2 = v2->verify();
    CHECK_FALSE(r2.ok);
    CHECK(r2.problems.at(0).find("removed at the end") != std::string::npos);
    // The writer refuses to continue a chain whose head disappeared.
    CHECK_FALSE(Vault::open(d2.path, true, &err));
    CHECK(err.find("chain head") != std::string::npos);
}

// Every file in the directory, byte for byte, must not contain what the respondent typed.
static void scan_for(const std::string& dir, const std::vector<std::string>& secrets, int* files_scanned) {
    DIR* dh = opendir(dir.c_str());
    REQUIRE(dh);
    while (dirent* e = readdir(dh)) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        std::string content = tk::test::slurp(dir + "/" + name);
        (*files_scanned)++;
        for (auto& s : secrets) CHECK_MESSAGE(content.find(s) == std::string::npos, std::string(name + " contains " + s));
    }
    closedir(dh);
}

TEST_CASE("vault: no answer string appears in any file of the data directory") {
    TempDir d;
    std::vector<std::string> secrets = {"Zebrastreifen-Geheimnis-4711", "Mein Enkel hilft mir nie",
                                        "Oma-Kennwort-Quokka"};
    Response r = tk::test::finished_response(1764086000, 583);
    r.answers["A1"].value = secrets[0];
    r.answers["A2"].values = {"A1", "A3"};
    r.answers["A2"].other = secrets[1];
    r.answers["A3"].cells["SQ001"] = secrets[2];
    r.answers["A4"].comment = secrets[0] + " " + secrets[2];
    // The test itself must be able to see the strings in the canonical bytes.
    std::string canonical = serialize_response(r);
    for (auto& s : secrets) REQUIRE(canonical.find(s) != std::string::npos);

    int scanned = 0;
    {
        auto v = open_demo(d.path);
        for (int i = 0; i < 50; i++) REQUIRE(v->append_response(r).durable);
        std::vector<PlainRecord> batch(20, PlainRecord{canonical, meta()});
        for (auto& res : v->append_batch(batch)) CHECK(res.durable);
        v->set_max_page_count(1); // also a failed commit: nothing of it may reach the files
        int appended = 0;
        while (appended++ < 500 && v->append_response(r).durable) {}
        REQUIRE(v->status().pending_in_memory > 0);
        scan_for(d.path, secrets, &scanned); // while open: -wal and -shm exist
        v->set_max_page_count(0);
        CHECK(v->retry_pending() > 0);
        scan_for(d.path, secrets, &scanned);
    }
    scan_for(d.path, secrets, &scanned); // after close (WAL checkpointed into the main file)
    CHECK(scanned >= 8);
}
