// Tests for read_whole_file (surveys/base/files.h), which the survey, .lss and .lsr readers use.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "lss_import.h"
#include "files.h"
#include "survey.h"

using namespace tk;

namespace {

// A folder of its own per process, removed at the end of the test.
struct TempFolder {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("tk-read-file-test-" + std::to_string(::getpid()));
    TempFolder() { std::filesystem::create_directories(path); }
    ~TempFolder() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

} // namespace

TEST_CASE("read_whole_file: every byte, also NUL bytes and more than one read buffer") {
    TempFolder t;
    std::string bytes;
    for (int i = 0; i < 200000; i++) bytes += char(i * 7 % 256);
    std::string file = (t.path / "data.bin").string();
    std::ofstream(file, std::ios::binary) << bytes;
    std::string out = "left over", err;
    REQUIRE_MESSAGE(read_whole_file(file, out, &err), err);
    CHECK(out.size() == bytes.size());
    CHECK(out == bytes);

    std::string empty_file = (t.path / "empty").string();
    std::ofstream(empty_file).close();
    CHECK(read_whole_file(empty_file, out, &err));
    CHECK(out.empty());
}

TEST_CASE("read_whole_file: a missing file and a folder fail with the reason, not as empty text") {
    TempFolder t;
    std::string out, err;
    CHECK_FALSE(read_whole_file((t.path / "missing.json").string(), out, &err));
    CHECK(err == "cannot open file: No such file or directory");
    out = "x";
    CHECK_FALSE(read_whole_file(t.path.string(), out, &err));
    CHECK(err == "cannot read file: Is a directory");
    CHECK(out.empty());
    CHECK_FALSE(read_whole_file(t.path.string(), out, nullptr)); // no message wanted
}

TEST_CASE("read_whole_file: the survey and LimeSurvey readers name the file and the reason") {
    TempFolder t;
    std::string missing = (t.path / "gone.lss").string();
    LssImport im = import_lss_file(missing);
    CHECK_FALSE(im.ok());
    CHECK(im.error == missing + ": cannot open file: No such file or directory");
    // A folder given as .lss is unreadable, not an empty or malformed document.
    LssImport dir = import_lss_file(t.path.string());
    CHECK(dir.error == t.path.string() + ": cannot read file: Is a directory");
    LoadResult lr = load_survey((t.path / "gone.json").string());
    REQUIRE(lr.errors.size() == 1);
    CHECK(lr.errors[0].to_string() == (t.path / "gone.json").string() + ": cannot open file: No such file or directory");
}
