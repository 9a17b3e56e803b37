// docs/policy.md, written from the schema table. A test compares the committed file with this
// output, so the reference cannot fall behind the code.
#include <string>

#include "lean/policy/policy_schema.h"

namespace guestbackup::policy {
namespace {

std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string Code(std::string_view text) { return text.empty() ? "" : "`" + Cell(text) + "`"; }

std::string TypeCell(const SchemaEntry& entry) {
  if (entry.kind != ValueKind::kChoice && entry.kind != ValueKind::kChoiceList) {
    return std::string(ValueKindName(entry.kind));
  }
  std::string out(ValueKindName(entry.kind));
  for (std::size_t i = 0; i < entry.choices.size(); ++i) {
    out += (i == 0 ? " " : ", ") + Code(entry.choices[i]);
  }
  return out;
}

std::string DefaultCell(const SchemaEntry& entry) {
  if (entry.default_text.empty()) return "";
  // Texts with their own markup (`defaults.hook_timeout`) or prose stay as they are; values
  // (lists included) are code.
  if (entry.default_text.find('`') != std::string::npos ||
      (entry.default_text.find(' ') != std::string::npos && !entry.default_text.starts_with('['))) {
    return Cell(entry.default_text);
  }
  return Code(entry.default_text);
}

}  // namespace

std::string GeneratePolicyDocs() {
  std::string out =
      "<!-- Generated from the schema table (agent/lean/policy/policy_schema.cc) by\n"
      "     GeneratePolicyDocs(). Do not edit: change the table, then run\n"
      "     GUESTBACKUP_UPDATE_DOCS=1 ctest -R PolicyDocs -->\n"
      "# The policy file\n"
      "\n"
      "`/etc/guestbackup/policy.yaml` says what guestbackup backs up, when, and to which kopia\n"
      "server. `guestbackup policy check` reports every problem at once, each as\n"
      "`file:line:column: key.path: message` followed by the line and a caret;\n"
      "`guestbackup policy init` prints the commented sample shown at the end.\n"
      "\n"
      "Rules beyond each key's own type:\n"
      "\n"
      "- Unknown keys and keys given twice are errors; a misspelt key gets a suggestion.\n"
      "- Every `server` key may be left out: discovery (`guestbackup discover`, "
      "docs/discovery.md)\n"
      "  fills in what the file does not give, from a KubeVirt config disk, cloud-init or DNS.\n"
      "  A command that talks to the server then needs a URL, a username, a hostname, a\n"
      "  password and `fingerprint` or a CA: the server's certificate is always verified.\n"
      "- A hook has exactly one of `run` and `shell`; hook names are unique within a job.\n"
      "- Durations are numbers with units `ms`, `s`, `m`, `h`, `d`, combinable (`1h30m`).\n"
      "- Schedules use systemd's OnCalendar syntax and are checked as systemd would; only `UTC`\n"
      "  and the local zone may be named.\n"
      "- A job's values override `defaults`; retention is merged field by field.\n"
      "\n"
      "## Keys\n"
      "\n"
      "`*` stands for a job name, `[]` for each item of a list.\n"
      "\n"
      "| Key | Type | Required | Default | Description | Example |\n"
      "| --- | --- | --- | --- | --- | --- |\n";
  for (const SchemaEntry& entry : PolicySchema()) {
    const bool names_a_key = entry.path.ends_with(".*");
    out += "| " + Code(entry.path) + " | " + TypeCell(entry) + " | " +
           (entry.required ? "yes" : "") + " | " + DefaultCell(entry) + " | " +
           Cell(entry.description) + " | " +
           (names_a_key ? "name: " + Code(entry.example) : Code(entry.example)) + " |\n";
  }
  out += "\n## Sample\n\n```yaml\n" + GenerateSamplePolicy() + "```\n";
  return out;
}

}  // namespace guestbackup::policy
