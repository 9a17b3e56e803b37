// Untrusted values reach messages quoted, escaped and cut: no terminal control sequence, no
// flood, and readable UTF-8 left alone.
#include "lean/base/quoted.h"

#include <gtest/gtest.h>

#include <string>

namespace guestbackup {
namespace {

TEST(Quoted, EscapesC0DelC1AndBytesOfNoUtf8) {
  EXPECT_EQ(Quoted("a\x1b[31mb"), "\"a\\x1b[31mb\"");
  EXPECT_EQ(Quoted(std::string("nul\0x", 5)), "\"nul\\x00x\"");
  EXPECT_EQ(Quoted("del\x7f"), "\"del\\x7f\"");
  EXPECT_EQ(Quoted("csi\xc2\x9b"), "\"csi\\xc2\\x9b\"");     // U+009B, a C1 control
  EXPECT_EQ(Quoted("bad\xff\xc3"), "\"bad\\xff\\xc3\"");     // no UTF-8; a sequence cut short
  EXPECT_EQ(Quoted("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");  // a surrogate is no character
  EXPECT_EQ(Quoted("Grüße, 東京 🙂"), "\"Grüße, 東京 🙂\"");
}

TEST(Quoted, CutsLongValuesAtACharacterAndSaysHowLongTheyWere) {
  EXPECT_EQ(Quoted(std::string(120, 'a')), "\"" + std::string(120, 'a') + "\"");
  EXPECT_EQ(Quoted(std::string(121, 'a')), "\"" + std::string(120, 'a') + "…\" (121 bytes)");
  // "ü" is two bytes; a cut at 3 would split the second one.
  EXPECT_EQ(Quoted("üüü", 3), "\"ü…\" (6 bytes)");
  EXPECT_EQ(EscapeControl(std::string(500, 'b')), std::string(500, 'b'));
}

}  // namespace
}  // namespace guestbackup
