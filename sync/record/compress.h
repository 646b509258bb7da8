// compress.h - a small LZ77 codec for the plain text inside a record's seal.
//
// Canonical response JSON repeats its keys ("value", "values", question codes) many times;
// squeezing that out before sealing keeps a record smaller on disk than its plain text
// (see the benchmark). The codec is ours and tiny because the only input is our own JSON and
// the decoder must be trivially safe against hostile input (it is fuzzed).
//
// Stream: tokens until the end.
//   0x00-0x7F  literal run: (t + 1) bytes follow
//   0x80-0xFF  match: length (t & 0x7F) + 4, then a u16 little-endian distance (1..65535)
//              back into the output produced so far (may overlap the bytes being written)
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace tk {

std::string lz_compress(const std::string& in);
// Fails (returns false) on any malformed stream or when the output would exceed max_out.
bool lz_decompress(const uint8_t* in, size_t len, size_t max_out, std::string& out);

} // namespace tk
