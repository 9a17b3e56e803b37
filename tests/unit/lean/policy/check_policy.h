// Loads policy text and returns every diagnostic formatted, for exact-text tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "lean/policy/policy_loader.h"

namespace guestbackup::policy {

// A valid policy around the lines under test, so each case shows only its own error.
inline constexpr const char* kHead = "version: 1\njobs:\n  etc:\n    paths: [/etc]\n";

// All diagnostics of `text`, formatted, one after another.
inline std::string Check(const std::string& text) {
  const LoadResult result = LoadPolicyText(text, "policy.yaml");
  EXPECT_EQ(result.policy.has_value(), result.diagnostics.empty());
  std::string out;
  for (const Diagnostic& d : result.diagnostics) out += FormatDiagnostic(d) + "\n";
  return out;
}

}  // namespace guestbackup::policy
