// server_tls.h - the server's own TLS certificate, for municipalities without a CA of their own.
//
//   self_signed_paths       DATA/tls/server.crt and DATA/tls/server.key (`serve --tls-self-signed`)
//   ensure_self_signed      makes a pair when neither file is there: a P-256 key (0600) and a
//                           certificate for it, valid 20 years, signed by itself (also
//                           `teilhabe-server make-cert` for the packaged service's /etc files)
//
// Kiosks do not check such a certificate's chain or name but pin its public key (SPKI
// SHA-256, tls_trust.h) at enrolment: `teilhabe-server pin` prints the pin. Renewing is
// deliberately not automatic: a new key would lock every enrolled kiosk out.
#pragma once
#include <string>

namespace tk {

void self_signed_paths(const std::string& data_dir, std::string& cert, std::string& key);
// Both files there: nothing to do. Neither: both are made (*created = true). Only one: an
// error, so that a lone key is never replaced behind the administrator's back.
bool ensure_self_signed(const std::string& cert, const std::string& key, bool* created, std::string* error);

} // namespace tk
