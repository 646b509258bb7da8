// research_key.h - the research secret key file (research.key), research side only.
#pragma once
#include <string>

#include "keys.h"

namespace tk {

// Reads and decrypts a secret file. A wrong passphrase and a damaged file give different errors.
bool load_research_secret(const std::string& path, const std::string& passphrase,
                          ResearchSecretKey& out, std::string* error);

} // namespace tk
