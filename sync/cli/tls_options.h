// tls_options.h - the --ca / --pin options every network verb of `teilhabe` takes
// (enrol, sync, survey fetch; defined in cmd_sync.cpp).
#pragma once
#include <string>

#include "command.h"
#include "tls_trust.h"

// Takes --ca FILE or --pin PIN out of `a`; without either, the settings saved in `dir` at
// enrolment. False (usage message printed, exit code in *rc) when both are given.
bool take_tls_options(const char* verb, tk::cli::Args& a, const std::string& dir, tk::TlsTrust& out, int* rc);
