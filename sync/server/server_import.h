// server_import.h - `teilhabe-server import`: bundles brought on USB sticks into the store,
// any number at a time (one stick serves many kiosks).
//
//   import_paths         FILE and FOLDER arguments -> the bundle files, in a stable order
//   import_bundle_file   one file: size limit, the checks of an upload (research key too), the
//                        receipt beside it
//   import_report_line   what happened to one file, and what to do next, in one line
//
// A refused file does not stop the others; the verb reports each and fails at the end.
#pragma once
#include <string>
#include <vector>

#include "server_store.h"

namespace tk {

struct ImportFile {
    std::string file;
    std::string receipt;     // where its receipt was written ("" = none)
    IngestResult ingest;     // status 200 = stored (or all held already)
    std::string error;       // before ingest (cannot read, too large) or writing the receipt
    bool ok() const { return error.empty() && ingest.status == 200; }
};

// A file stays as it is; a folder gives its *.tkb files (not those in subfolders), sorted, so a
// kiosk's bundles (named by time) go in the order it wrote them. A path that is neither goes
// to *problems ("PATH: no such file or folder").
std::vector<std::string> import_paths(const std::vector<std::string>& args, std::vector<std::string>* problems);
// Ingests one bundle file (BundleLimits: USB) and writes the signed receipt to `receipt_path`
// ("" = FILE.receipt). A `gap` gets a receipt as well: it names the records the server
// misses, and the kiosk that reads it sends them again (sync/transport/BUNDLE.md, "Resending").
// With `research_keys` (fingerprints; empty = not checked), a bundle sealed to any other key is
// refused (409 wrong-research-key) before anything is stored.
ImportFile import_bundle_file(ServerStore& store, const std::string& file, const std::string& receipt_path,
                              const std::vector<std::string>& research_keys = {});
std::string import_report_line(const ImportFile& f);

} // namespace tk
