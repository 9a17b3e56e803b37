// Fuzzes the policy loader (LoadPolicyText: YAML, schema, cross-field checks; not the local
// files a policy names). Beyond no crash: a policy comes back exactly when there is no
// diagnostic, at most kMaxDiagnostics are kept, in file order, and a file that does not look
// like a policy never has a line of it shown (it may be a password file given by mistake).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "lean/policy/policy_loader.h"

namespace policy = guestbackup::policy;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const policy::LoadResult result = policy::LoadPolicyText(text, "policy.yaml");

  FUZZ_CHECK(result.policy.has_value() == result.diagnostics.empty());
  FUZZ_CHECK(result.diagnostics.size() <= policy::kMaxDiagnostics);
  FUZZ_CHECK(result.more == 0 || result.diagnostics.size() == policy::kMaxDiagnostics);
  for (std::size_t i = 0; i < result.diagnostics.size(); ++i) {
    const policy::Diagnostic& d = result.diagnostics[i];
    if (d.source_hidden) FUZZ_CHECK(d.source_line.empty());
    if (i == 0) continue;
    const policy::Diagnostic& before = result.diagnostics[i - 1];
    FUZZ_CHECK(before.line < d.line || (before.line == d.line && before.column <= d.column));
  }
  (void)policy::FormatDiagnostics(result);
  return 0;
}
