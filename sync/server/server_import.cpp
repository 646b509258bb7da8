// server_import.cpp - USB bundles into the server's store (see server_import.h).
#include "server_import.h"

#include "server_api.h"

#include <algorithm>
#include <filesystem>

#include "files.h"

namespace tk {

std::vector<std::string> import_paths(const std::vector<std::string>& args, std::vector<std::string>* problems) {
    std::vector<std::string> out;
    for (const std::string& a : args) {
        std::error_code ec;
        if (std::filesystem::is_directory(a, ec)) {
            std::vector<std::string> found;
            for (const auto& e : std::filesystem::directory_iterator(a, ec)) {
                std::string name = e.path().filename().string();
                if (name.size() > 4 && name.compare(name.size() - 4, 4, ".tkb") == 0 && e.is_regular_file(ec))
                    found.push_back(e.path().string());
            }
            if (ec && problems) problems->push_back(a + ": cannot read the folder: " + ec.message());
            std::sort(found.begin(), found.end());
            out.insert(out.end(), found.begin(), found.end());
        } else if (std::filesystem::exists(a, ec)) {
            out.push_back(a);
        } else if (problems) {
            problems->push_back(a + ": no such file or folder");
        }
    }
    return out;
}

ImportFile import_bundle_file(ServerStore& store, const std::string& file, const std::string& receipt_path,
                              const std::vector<std::string>& research_keys) {
    ImportFile f;
    f.file = file;
    f.ingest.status = 0;
    // USB bundles may be large, but a file over the limit is refused before it is read whole.
    BundleLimits limits;
    std::error_code ec;
    uintmax_t size = std::filesystem::file_size(file, ec);
    if (ec) {
        f.error = "cannot open: " + ec.message();
        return f;
    }
    if (size > limits.max_bytes) {
        f.error = std::to_string(size) + " bytes is over the limit of " + std::to_string(limits.max_bytes);
        store.log_event("reject-too-large", "", file + ": " + std::to_string(size) + " bytes [import]");
        return f;
    }
    // Not read_file_at_most(kKeyFileMax): that one is for key files and stops at 1 MiB, while a
    // stick's bundle is up to limits.max_bytes (checked above).
    std::string bytes;
    if (!read_whole_file(file, bytes, &f.error)) return f;
    // The two steps of an upload, with the research key checked between them: a kiosk sealing
    // to another study's key is refused before anything is stored (and gets no receipt).
    Bundle b;
    if (!store.check_bundle((const uint8_t*)bytes.data(), bytes.size(), limits, "import " + file, b, &f.ingest)) return f;
    if (!research_key_accepted(research_keys, b.research_key)) {
        store.log_event("reject-research-key", device_id_hex(b.device_pk), file + ": sealed to " + b.research_key + " [import]");
        f.ingest.status = 409;
        f.ingest.code = "wrong-research-key";
        f.ingest.device = device_id_hex(b.device_pk);
        f.ingest.reason = "the kiosk seals answers to research key " + b.research_key +
                          ", not the study's; copy the project's research.pub to the kiosk; nothing was stored";
        return f;
    }
    f.ingest = store.store_bundle(b, "import " + file);
    if (f.ingest.receipt.empty()) return f;
    std::string out = receipt_path.empty() ? file + ".receipt" : receipt_path, err;
    if (!write_file_atomic(out, std::string(f.ingest.receipt.begin(), f.ingest.receipt.end()), 0644, true, &err)) {
        f.error = (f.ingest.status == 200 ? "records stored, but the receipt could not be written: "
                                          : "the receipt could not be written: ") + err;
        return f;
    }
    f.receipt = out;
    return f;
}

std::string import_report_line(const ImportFile& f) {
    const IngestResult& r = f.ingest;
    if (f.ingest.status == 0) return f.file + ": " + f.error;
    if (r.status == 200) {
        std::string line = f.file + ": device " + r.device + ", " + std::to_string(r.stored) + " records stored, " +
                           std::to_string(r.duplicates) + " already held; the server holds the device up to record " +
                           std::to_string(r.server_seq);
        return line + (f.error.empty() ? "; receipt " + f.receipt + " (take it back to the kiosk)" : "; " + f.error);
    }
    std::string line = f.file + ": refused (" + r.code + "): " + r.reason;
    if (r.code == "gap")
        line += f.receipt.empty() ? "; " + f.error
                                  : ". Receipt " + f.receipt + " says so: read it at the kiosk, then export again there - the kiosk "
                                    "then sends the missing records (it keeps every record)";
    return line;
}

} // namespace tk
