// USB sticks at scale: one stick serves many kiosks (receipts of other devices are no error),
// `teilhabe-server import` takes many files and folders, signed survey updates travel by stick
// through the network path's check, and a server restored from an older backup gets the
// records it lost again from the kiosk, none counted twice.
#include <doctest/doctest.h>
#include <chrono>
#include <filesystem>
#include <sodium.h>
#include <thread>

#include "delphi.h"
#include "enrolment.h"
#include "keys.h"
#include "server_import.h"
#include "server_store.h"
#include "survey_update.h"
#include "sync_client.h"
#include "sync_server_fixture.h"
#include "sync_testutil.h"
#include "vault.h"

using namespace tk;
using namespace tk::servertest;

namespace {

// A kiosk that syncs by stick only: enrolled on `store` without a network (the pin written as
// the enrolment would write it).
struct StickKiosk {
    test::TempDir dir;
    std::unique_ptr<Vault> vault;
    DeviceIdentity id;
    StickKiosk(ServerStore& store, int n) {
        vault = drill_vault(dir.path, n, "kiosk", "Bibliothek");
        std::string err;
        bool created = false;
        REQUIRE_MESSAGE(load_or_create_device(dir / "device.key", false, id, &created, &err), err);
        std::array<uint8_t, 32> pk{};
        std::copy(id.pk, id.pk + 32, pk.begin());
        int status = 0;
        REQUIRE_MESSAGE(store.enrol(store.new_pairing_code("", 1, nullptr), pk, &status, &err), err);
        ServerPin pin;
        pin.server_pk = store.server_pk();
        pin.url = "http://127.0.0.1:1";
        REQUIRE_MESSAGE(write_server_pin(dir.path, pin, &err), err);
    }
    // "Auf USB-Stick exportieren" into `folder`; the file's path.
    std::string export_to(const std::string& folder, const std::string& name) {
        std::string path = folder + "/" + name, err;
        int64_t n = 0;
        REQUIRE_MESSAGE(export_bundle(*vault, path, &n, &err), err);
        return path;
    }
    ReceiptOutcome apply(const std::string& receipt_path) {
        std::string bytes = test::slurp(receipt_path);
        REQUIRE(!bytes.empty());
        return apply_receipt(*vault, (const uint8_t*)bytes.data(), bytes.size());
    }
    int64_t unsynced() { return vault->status().unsynced; }
};

// A receipt signed by the server in `server_dir` for any device (what its import writes).
std::vector<uint8_t> server_receipt(const std::string& server_dir, const uint8_t device_pk[32], uint64_t seq, const Hash32& hash) {
    DeviceIdentity server;
    bool created = false;
    std::string err;
    REQUIRE_MESSAGE(load_or_create_device(server_dir + "/server.key", false, server, &created, &err), err);
    Receipt r;
    std::copy(device_pk, device_pk + 32, r.device_pk.begin());
    r.acked_seq = seq;
    r.acked_hash = hash;
    r.time = (uint64_t)std::time(nullptr);
    return make_receipt(r, server.sk);
}

// The server's data folder copied while its store is closed: a backup.
void back_up(std::unique_ptr<ServerStore>& store, const std::string& srv, const std::string& backup) {
    store.reset();
    std::filesystem::copy(srv, backup, std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
    std::string err;
    store = ServerStore::open(srv, false, &err);
    REQUIRE_MESSAGE(store, err);
}

// The server's disk dies and the backup is put back. Receipts carry whole seconds: the
// restored server's next receipt is a later one than any before.
void restore(std::unique_ptr<ServerStore>& store, const std::string& srv, const std::string& backup) {
    store.reset();
    std::filesystem::remove_all(srv);
    std::filesystem::copy(backup, srv, std::filesystem::copy_options::recursive);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    std::string err;
    store = ServerStore::open(srv, false, &err);
    REQUIRE_MESSAGE(store, err);
}

} // namespace

TEST_CASE("usb: a receipt for another kiosk is skipped as such, not refused; a foreign server's is refused") {
    ServerFixture s;
    StickKiosk k(*s.store, 4);
    Device other;
    auto theirs = server_receipt(s.dir.path, other.pk, 7, Hash32{});
    ReceiptOutcome o = apply_receipt(*k.vault, theirs.data(), theirs.size());
    CHECK(o.effect == ReceiptEffect::OtherDevice);
    CHECK(o.error.find("for device " + device_id_hex(other.pka)) != std::string::npos);
    CHECK(k.unsynced() == 4);
    // `teilhabe receipt apply FILE` is given one file for this kiosk: there it is an error.
    uint64_t acked = 0;
    std::string err;
    CHECK(!apply_receipt(*k.vault, theirs.data(), theirs.size(), &acked, &err));
    CHECK(err.find("not this one") != std::string::npos);

    // This kiosk's receipt from another server: refused with the reason.
    test::TempDir elsewhere;
    auto other_store = ServerStore::open(elsewhere.path, true, &err);
    REQUIRE(other_store);
    std::vector<Record> recs;
    REQUIRE(k.vault->read_records(3, 1, recs, &err));
    auto foreign = server_receipt(elsewhere.path, k.id.pk, 4, record_hash(recs[0]));
    o = apply_receipt(*k.vault, foreign.data(), foreign.size());
    CHECK(o.effect == ReceiptEffect::Refused);
    CHECK(o.error.find("enrolled with") != std::string::npos);
    // Junk is refused, not taken for another device's.
    o = apply_receipt(*k.vault, (const uint8_t*)"junk", 4);
    CHECK(o.effect == ReceiptEffect::Refused);
    CHECK(k.unsynced() == 4);
}

TEST_CASE("usb: import takes many files and folders, reports each, and fails only for what was refused") {
    ServerFixture s;
    test::TempDir stick, loose;
    StickKiosk a(*s.store, 3), b(*s.store, 5), c(*s.store, 2);
    std::string fa = a.export_to(stick.path, "teilhabe-a.tkb");
    b.export_to(stick.path, "teilhabe-b.tkb");
    std::string fc = c.export_to(loose.path, "kiosk-c.tkb");
    test::spit(stick / "teilhabe-junk.tkb", "not a bundle");
    test::spit(stick / "notes.txt", "ignored: not a bundle name");
    std::filesystem::create_directory(stick / "old");
    test::spit(stick / "old/teilhabe-old.tkb", "in a subfolder: not taken");

    std::vector<std::string> problems;
    std::vector<std::string> files = import_paths({stick.path, fc, loose / "missing.tkb"}, &problems);
    REQUIRE(files.size() == 4);
    CHECK(files[0] == fa);                            // a folder's bundles, sorted
    CHECK(files[2] == stick / "teilhabe-junk.tkb");
    CHECK(files[3] == fc);                            // then the file given
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == loose / "missing.tkb" + ": no such file or folder");

    std::vector<ImportFile> done;
    for (const std::string& f : files) done.push_back(import_bundle_file(*s.store, f, ""));
    CHECK(done[0].ok());
    CHECK(done[1].ok());
    CHECK(!done[2].ok());
    CHECK(done[2].ingest.code == "malformed");
    CHECK(done[2].receipt.empty());
    CHECK(done[3].ok());
    CHECK(s.store->record_count() == 10); // the refused file did not stop the others
    CHECK(import_report_line(done[1]).find("5 records stored, 0 already held") != std::string::npos);
    CHECK(import_report_line(done[2]).rfind(stick / "teilhabe-junk.tkb: refused (malformed): ", 0) == 0);
    // Each receipt lies beside its bundle, and the kiosks take theirs.
    CHECK(done[0].receipt == fa + ".receipt");
    CHECK(a.apply(done[0].receipt).effect == ReceiptEffect::Advanced);
    CHECK(a.unsynced() == 0);
    CHECK(c.apply(fc + ".receipt").effect == ReceiptEffect::Advanced);

    // The same stick again: only duplicates, nothing stored twice.
    ImportFile again = import_bundle_file(*s.store, fa, "");
    CHECK(again.ok());
    CHECK(again.ingest.duplicates == 3);
    CHECK(s.store->record_count() == 10);
    // A file gone between listing and import: said, not a crash.
    ImportFile none = import_bundle_file(*s.store, loose / "missing.tkb", "");
    CHECK(!none.ok());
    CHECK(import_report_line(none).find("cannot open") != std::string::npos);
}

TEST_CASE("usb: signed survey updates travel by stick and install through the same check as the network's") {
    test::TempDir server_surveys, stick, kiosk_surveys;
    SurveySigning keys;
    const ResearchPublicKey& pub = keys.pub;
    const std::string& survey = keys.survey;
    const uint8_t* sk = keys.sk;
    std::string sdir = server_surveys.path;
    test::spit(sdir + "/good.json", survey);
    test::spit(sdir + "/good.json.sig", sign_survey_file("good.json", survey, sk));
    test::spit(sdir + "/foreign.json", survey);
    test::spit(sdir + "/foreign.json.sig", sign_survey_file("foreign.json", survey, keys.other_sk));
    test::spit(sdir + "/unsigned.json", survey);

    // The coordinator's side: the signed files, as they are, into STICK/teilhabe-surveys/.
    std::vector<std::string> copied;
    std::string err;
    REQUIRE_MESSAGE(write_survey_updates_to_stick(sdir, stick.path, &copied, &err), err);
    CHECK(copied == std::vector<std::string>{"foreign.json", "good.json"});
    std::string on_stick = stick / kStickSurveyFolder;
    CHECK(test::slurp(on_stick + "/good.json.sig") == test::slurp(sdir + "/good.json.sig"));
    CHECK(!std::filesystem::exists(on_stick + "/unsigned.json"));
    // Someone edits a file on the stick after it was signed.
    test::spit(on_stick + "/tampered.json", survey + " ");
    test::spit(on_stick + "/tampered.json.sig", sign_survey_file("tampered.json", survey, sk));

    SurveyUpdateResult r = install_survey_updates_from_stick(stick.path, kiosk_surveys.path, pub);
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.applied == std::vector<std::string>{"good.json"});
    REQUIRE(r.refused.size() == 2);
    CHECK(r.refused[0].find("foreign.json: signed with another key") == 0);
    CHECK(r.refused[1].find("tampered.json: file content differs") == 0);
    CHECK(test::slurp(kiosk_surveys / "good.json") == survey);
    CHECK(!std::filesystem::exists(kiosk_surveys / "tampered.json"));
    CHECK(!std::filesystem::exists(kiosk_surveys / "foreign.json"));
    r = install_survey_updates_from_stick(stick.path, kiosk_surveys.path, pub);
    CHECK(r.unchanged == std::vector<std::string>{"good.json"});
    // A stick without the folder offers nothing, and says nothing is wrong.
    test::TempDir bare;
    r = install_survey_updates_from_stick(bare.path, kiosk_surveys.path, pub);
    CHECK(r.ok);
    CHECK(r.applied.empty());
    CHECK(r.refused.empty());
}

TEST_CASE("usb: a Delphi feedback pack travels beside its survey and installs only when it reads") {
    test::TempDir server_surveys, stick, kiosk_surveys;
    SurveySigning keys;
    delphi::FeedbackPack pack;
    pack.study = "s";
    pack.from_round = 1;
    pack.for_survey = "round-2";
    delphi::ParticipantKeys k;
    delphi::keys_from_pseudonym("00112233445566778899aabbccddeeff", k);
    pack.entries[k.lookup] = delphi::seal_own_answers(k, {{"F1", "2"}});
    std::string good = delphi::write_feedback_pack(pack), bad = "{\"format\":\"teilhabe-delphi-feedback/1\"}";
    std::string sdir = server_surveys.path;
    test::spit(sdir + "/round-2.delphi", good);
    test::spit(sdir + "/round-2.delphi.sig", sign_survey_file("round-2.delphi", good, keys.sk));
    // Signed by the research key, but no pack: refused, so a kiosk never holds one it cannot read.
    test::spit(sdir + "/broken.delphi", bad);
    test::spit(sdir + "/broken.delphi.sig", sign_survey_file("broken.delphi", bad, keys.sk));
    std::vector<std::string> copied;
    std::string err;
    REQUIRE_MESSAGE(write_survey_updates_to_stick(sdir, stick.path, &copied, &err), err);
    CHECK(copied == std::vector<std::string>{"broken.delphi", "round-2.delphi"});
    SurveyUpdateResult r = install_survey_updates_from_stick(stick.path, kiosk_surveys.path, keys.pub);
    REQUIRE_MESSAGE(r.ok, r.error);
    CHECK(r.applied == std::vector<std::string>{"round-2.delphi"});
    REQUIRE(r.refused.size() == 1);
    CHECK_MESSAGE(r.refused[0].find("broken.delphi: signed, but does not read: feedback pack: study") == 0, r.refused[0]);
    CHECK(test::slurp(kiosk_surveys / "round-2.delphi") == good);
    CHECK(!std::filesystem::exists(kiosk_surveys / "broken.delphi"));
    // A pack may be larger than a survey file, up to its own limit, and no more.
    CHECK(survey_update_max("x.delphi") == delphi::kFeedbackPackMax);
    CHECK(survey_update_max("x.json") < delphi::kFeedbackPackMax);
    SurveyUpdateResult big;
    install_survey_update("big.delphi", std::string(delphi::kFeedbackPackMax + 1, ' '), "", kiosk_surveys.path, keys.pub, big);
    CHECK(big.refused.size() == 1);
}

TEST_CASE("usb: a server restored from an older backup asks for what it lost, and gets it once") {
    test::TempDir srv, backup, stick;
    std::string err;
    auto store = ServerStore::open(srv.path, true, &err);
    REQUIRE_MESSAGE(store, err);
    StickKiosk k(*store, 5);
    // Records 1..5 reach the server; then the server's data is backed up.
    std::string b1 = k.export_to(stick.path, "1.tkb");
    REQUIRE(import_bundle_file(*store, b1, "").ok());
    CHECK(k.apply(b1 + ".receipt").effect == ReceiptEffect::Advanced);
    back_up(store, srv.path, backup.path);
    // Records 6..20 reach it after the backup and are acknowledged.
    append_drill(*k.vault, 15, "kiosk", "Bibliothek", "later");
    std::string b2 = k.export_to(stick.path, "2.tkb");
    REQUIRE(import_bundle_file(*store, b2, "").ok());
    CHECK(k.apply(b2 + ".receipt").effect == ReceiptEffect::Advanced);
    CHECK(k.unsynced() == 0);

    // The server's disk dies; it is restored from the backup (it holds 1..5 again).
    restore(store, srv.path, backup.path);
    CHECK(store->record_count() == 5);
    append_drill(*k.vault, 3, "kiosk", "Bibliothek", "after");
    std::string b3 = k.export_to(stick.path, "3.tkb");
    ImportFile gap = import_bundle_file(*store, b3, "");
    CHECK(!gap.ok());
    CHECK(gap.ingest.code == "gap");
    REQUIRE(gap.receipt == b3 + ".receipt"); // the receipt names what the server holds
    CHECK(import_report_line(gap).find("export again") != std::string::npos);

    // The kiosk reads it: everything after 5 is unsynced again (it kept every record).
    ReceiptOutcome o = k.apply(gap.receipt);
    CHECK(o.effect == ReceiptEffect::Resend);
    CHECK(o.acked == 5);
    CHECK(o.before == 20);
    CHECK(k.unsynced() == 18);
    // An older receipt found on the stick later changes nothing (it is older news).
    CHECK(k.apply(b2 + ".receipt").effect == ReceiptEffect::NoNews);
    CHECK(k.apply(b1 + ".receipt").effect == ReceiptEffect::NoNews);
    CHECK(k.unsynced() == 18);

    // The next export carries 6..23; the server stores each once.
    std::string b4 = k.export_to(stick.path, "4.tkb");
    ImportFile back = import_bundle_file(*store, b4, "");
    REQUIRE_MESSAGE(back.ok(), import_report_line(back));
    CHECK(back.ingest.stored == 18);
    CHECK(store->record_count() == 23);
    CHECK(k.apply(back.receipt).effect == ReceiptEffect::Advanced);
    CHECK(k.unsynced() == 0);
    // The gap receipt read once more is older than the one just taken: nothing moves.
    CHECK(k.apply(gap.receipt).effect == ReceiptEffect::NoNews);
    CHECK(k.unsynced() == 0);
    // And importing every bundle of the stick again stores nothing twice.
    for (const std::string& f : import_paths({stick.path}, nullptr)) import_bundle_file(*store, f, "");
    CHECK(store->record_count() == 23);
}

TEST_CASE("usb: a kiosk with nothing waiting learns of a restored server from an empty bundle's receipt") {
    test::TempDir srv, backup, stick;
    std::string err;
    auto store = ServerStore::open(srv.path, true, &err);
    REQUIRE_MESSAGE(store, err);
    StickKiosk k(*store, 4);
    back_up(store, srv.path, backup.path); // the kiosk enrolled, none of its records yet
    std::string b1 = k.export_to(stick.path, "1.tkb");
    REQUIRE(import_bundle_file(*store, b1, "").ok());
    CHECK(k.apply(b1 + ".receipt").effect == ReceiptEffect::Advanced);
    CHECK(k.unsynced() == 0);

    restore(store, srv.path, backup.path);
    // Nothing waits on the kiosk, so its bundle holds no record; the server's receipt for it
    // says it holds nothing of this device.
    std::string b2 = k.export_to(stick.path, "2.tkb");
    ImportFile empty = import_bundle_file(*store, b2, "");
    REQUIRE_MESSAGE(empty.ok(), import_report_line(empty));
    ReceiptOutcome o = k.apply(empty.receipt);
    CHECK(o.effect == ReceiptEffect::Resend);
    CHECK(o.acked == 0);
    CHECK(k.unsynced() == 4);
    std::string b3 = k.export_to(stick.path, "3.tkb");
    ImportFile back = import_bundle_file(*store, b3, "");
    REQUIRE(back.ok());
    CHECK(back.ingest.stored == 4);
    CHECK(k.apply(back.receipt).effect == ReceiptEffect::Advanced);
    CHECK(k.unsynced() == 0);
}
