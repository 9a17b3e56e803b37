// Pass 0, before yaml-cpp builds a tree: one walk over the parser's events that refuses what
// would cost the machine more than any policy needs — aliases that expand without limit (one
// anchor of 100,000 items aliased by 3,000 jobs), values beyond kMaxPolicyValues, nesting
// beyond kMaxPolicyDepth, a second document — each with its position. The walk is linear in
// the text: an alias adds its anchor's size, counted once when the anchor was read.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "lean/policy/policy_passes.h"

namespace guestbackup::policy {
namespace {

// Thrown to stop the parser at the first problem; never leaves this file.
struct OverBudget {
  YAML::Mark mark;
  std::string message;
};

class BudgetHandler : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      throw OverBudget{mark,
                       "a second YAML document (after \"---\"); a policy is one document, and "
                       "nothing after the first would be read"};
    }
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Value(mark, anchor, 1); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (++aliases_ > kMaxAliases) {
      throw OverBudget{mark, "more than " + std::to_string(kMaxAliases) + " aliases"};
    }
    const auto size = sizes_.find(anchor);
    Value(mark, YAML::NullAnchor, size != sizes_.end() ? size->second : 1);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    Value(mark, anchor, 1);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  static constexpr int kMaxAliases = 1000;

  struct Frame {
    YAML::anchor_t anchor;
    std::size_t values_before;
  };

  void Value(const YAML::Mark& mark, YAML::anchor_t anchor, std::size_t size) {
    values_ += size;
    if (values_ > kMaxPolicyValues) {
      throw OverBudget{mark, "more than " + std::to_string(kMaxPolicyValues) +
                                 " values (aliases counted as often as they are used); no "
                                 "policy needs that many"};
    }
    if (anchor != YAML::NullAnchor) sizes_[anchor] = size;
  }
  void Open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Value(mark, YAML::NullAnchor, 1);
    if (static_cast<int>(open_.size()) >= kMaxPolicyDepth) {
      throw OverBudget{mark, "nested deeper than " + std::to_string(kMaxPolicyDepth) + " levels"};
    }
    open_.push_back({anchor, values_});
  }
  void Close() {
    const Frame closed = open_.back();
    open_.pop_back();
    if (closed.anchor != YAML::NullAnchor) {
      sizes_[closed.anchor] = values_ - closed.values_before + 1;
    }
  }

  int documents_ = 0;
  int aliases_ = 0;
  std::size_t values_ = 0;
  std::vector<Frame> open_;
  std::map<YAML::anchor_t, std::size_t> sizes_;
};

}  // namespace

void CheckBudget(std::string_view text, DiagnosticSink& sink) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  BudgetHandler handler;
  try {
    while (parser.HandleNextDocument(handler)) {
    }
  } catch (const OverBudget& over) {
    sink.Add(over.mark, "", over.message);
  } catch (const YAML::DeepRecursion& e) {
    sink.Add(e.mark, "", "nested deeper than " + std::to_string(kMaxPolicyDepth) + " levels");
  } catch (const YAML::Exception& e) {
    sink.Add(e.mark, "", e.msg);  // the syntax error, reported once, here
  }
}

}  // namespace guestbackup::policy
