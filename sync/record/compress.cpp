// compress.cpp - the record codec (see compress.h for the stream format).
#include "compress.h"

#include <cstring>
#include <vector>

namespace tk {

static const size_t kMinMatch = 4, kMaxMatch = 127 + 4, kMaxDist = 65535;
static const int kHashBits = 13;

static uint32_t hash4(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return (v * 2654435761u) >> (32 - kHashBits);
}

static void flush_literals(std::string& out, const uint8_t* p, size_t n) {
    while (n > 0) {
        size_t run = n < 128 ? n : 128;
        out += (char)(uint8_t)(run - 1);
        out.append((const char*)p, run);
        p += run;
        n -= run;
    }
}

std::string lz_compress(const std::string& in_s) {
    const uint8_t* in = (const uint8_t*)in_s.data();
    size_t n = in_s.size();
    std::string out;
    out.reserve(n / 2 + 16);
    std::vector<int64_t> table((size_t)1 << kHashBits, -1); // last position of each 4-byte hash
    size_t lit_start = 0, i = 0;
    while (i + kMinMatch <= n) {
        uint32_t h = hash4(in + i);
        int64_t cand = table[h];
        table[h] = (int64_t)i;
        if (cand >= 0 && i - (size_t)cand <= kMaxDist && std::memcmp(in + cand, in + i, kMinMatch) == 0) {
            size_t len = kMinMatch;
            while (i + len < n && len < kMaxMatch && in[cand + len] == in[i + len]) len++;
            flush_literals(out, in + lit_start, i - lit_start);
            size_t dist = i - (size_t)cand;
            out += (char)(uint8_t)(0x80 | (len - kMinMatch));
            out += (char)(uint8_t)(dist & 0xFF);
            out += (char)(uint8_t)(dist >> 8);
            // Index the skipped positions too (cheap, better matches for repeated keys).
            for (size_t k = i + 1; k < i + len && k + kMinMatch <= n; k++) table[hash4(in + k)] = (int64_t)k;
            i += len;
            lit_start = i;
        } else {
            i++;
        }
    }
    flush_literals(out, in + lit_start, n - lit_start);
    return out;
}

bool lz_decompress(const uint8_t* in, size_t len, size_t max_out, std::string& out) {
    out.clear();
    size_t i = 0;
    while (i < len) {
        uint8_t t = in[i++];
        if (t < 0x80) {
            size_t run = (size_t)t + 1;
            if (run > len - i || out.size() + run > max_out) return false;
            out.append((const char*)in + i, run);
            i += run;
        } else {
            size_t mlen = (size_t)(t & 0x7F) + kMinMatch;
            if (len - i < 2) return false;
            size_t dist = (size_t)in[i] | ((size_t)in[i + 1] << 8);
            i += 2;
            if (dist == 0 || dist > out.size() || out.size() + mlen > max_out) return false;
            size_t from = out.size() - dist;
            for (size_t k = 0; k < mlen; k++) out += out[from + k]; // byte by byte: overlap is fine
        }
    }
    return true;
}

} // namespace tk
