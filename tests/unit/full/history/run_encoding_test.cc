#include "full/history/run_encoding.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace guestbackup::history {
namespace {

TEST(RunStatusTest, NamesRoundTrip) {
  const std::vector<std::pair<RunStatus, std::string>> table = {
      {RunStatus::kRunning, "running"}, {RunStatus::kSucceeded, "succeeded"},
      {RunStatus::kPartial, "partial"}, {RunStatus::kFailed, "failed"},
      {RunStatus::kSkipped, "skipped"}, {RunStatus::kInterrupted, "interrupted"},
  };
  for (const auto& [status, name] : table) {
    EXPECT_EQ(RunStatusName(status), name);
    EXPECT_EQ(contract::ParseRunStatus(name), status);
  }
  EXPECT_FALSE(contract::ParseRunStatus("Running").has_value());
  EXPECT_FALSE(contract::ParseRunStatus("").has_value());
}

TEST(OneLineTest, LineBreaksAndControlCharactersBecomeSpaces) {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"plain", "plain"},
      {"a\nb", "a b"},
      {"a\r\nb", "a b"},
      {"a\rb", "a b"},
      {"a\n\nb", "a  b"},
      {"tab\tkept", "tab\tkept"},
      {std::string("nul\0byte", 8), "nul byte"},
      {"bell\a\x7f", "bell  "},
      {"caf\xc3\xa9 \xe2\x9c\x93", "caf\xc3\xa9 \xe2\x9c\x93"},
      {"", ""},
  };
  for (const auto& [in, out] : table) EXPECT_EQ(OneLine(in), out) << in;
}

TEST(OneLineTest, CapsLengthWithAnEllipsis) {
  EXPECT_EQ(OneLine(std::string(2000, 'a')), std::string(2000, 'a'));
  const std::string cut = OneLine(std::string(2001, 'a'));
  EXPECT_EQ(cut, std::string(1997, 'a') + "...");
  EXPECT_EQ(OneLine("abcdefgh", 6), "abc...");
}

TEST(OneLineTest, NeverCutsInsideAUtf8Character) {
  // "é" is two bytes; 1997 bytes of them would end half way through one.
  std::string text;
  for (int i = 0; i < 1500; ++i) text += "\xc3\xa9";
  const std::string cut = OneLine(text);
  EXPECT_LE(cut.size(), 2000u);
  ASSERT_EQ(cut.substr(cut.size() - 3), "...");
  const std::string kept = cut.substr(0, cut.size() - 3);
  EXPECT_EQ(kept.size() % 2, 0u);
  EXPECT_EQ(kept, text.substr(0, kept.size()));

  // A 3-byte character straddling the limit is dropped whole.
  EXPECT_EQ(OneLine("ab\xe2\x9c\x93zzzz", 7), "ab...");
}

TEST(RunEncodingTest, SnapshotIdsRoundTrip) {
  const std::vector<std::string> ids = {"k123", "k\"quoted\"", ""};
  const std::string json = EncodeSnapshotIds(ids);
  EXPECT_EQ(json, R"(["k123","k\"quoted\"",""])");
  EXPECT_EQ(DecodeSnapshotIds(json).value(), ids);
  EXPECT_EQ(EncodeSnapshotIds({}), "[]");
  EXPECT_TRUE(DecodeSnapshotIds("[]").value().empty());
}

TEST(RunEncodingTest, FileErrorsRoundTrip) {
  const std::string json = EncodeFileErrors({{"/etc/a", "denied"}, {"/b\nc", "gone"}});
  EXPECT_EQ(json, R"([{"error":"denied","path":"/etc/a"},{"error":"gone","path":"/b\nc"}])");
  const std::vector<FileError> decoded = DecodeFileErrors(json).value();
  ASSERT_EQ(decoded.size(), 2u);
  EXPECT_EQ(decoded[1].path, "/b\nc");  // paths are kept exactly; only messages are flattened
  EXPECT_EQ(decoded[1].error, "gone");
}

TEST(RunEncodingTest, FileErrorsAreCapped) {
  std::vector<FileError> many(kMaxFileErrors + 5, FileError{"/p", "e\nf"});
  const std::vector<FileError> decoded = DecodeFileErrors(EncodeFileErrors(many)).value();
  ASSERT_EQ(decoded.size(), kMaxFileErrors);
  EXPECT_EQ(decoded[0].error, "e f");
}

TEST(RunEncodingTest, MalformedColumnsAreErrors) {
  for (const char* bad : {"", "not json", "{}", "[1]", "[null]"}) {
    Result<std::vector<std::string>> ids = DecodeSnapshotIds(bad);
    ASSERT_FALSE(ids.ok()) << bad;
    EXPECT_EQ(ids.status().code(), StatusCode::kIo);
  }
  for (const char* bad : {"[1]", R"([{"path":"/a"}])", R"([{"path":1,"error":"x"}])", "[[]]"}) {
    Result<std::vector<FileError>> errors = DecodeFileErrors(bad);
    ASSERT_FALSE(errors.ok()) << bad;
    EXPECT_EQ(errors.status().code(), StatusCode::kIo);
  }
}

}  // namespace
}  // namespace guestbackup::history
