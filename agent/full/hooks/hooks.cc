#include "full/hooks/hooks.h"

#include <spdlog/spdlog.h>

#include "lean/base/secret_masker.h"
#include "lean/process/process.h"

namespace guestbackup::hooks {
namespace {

// Keeps the last few lines of a hook's output for the log and the history message.
std::string Tail(const std::string& text, std::size_t max_bytes = 400) {
  std::string t = text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  return MaskSecrets(t);
}

HookResult RunOne(const policy::HookSpec& hook, const HookEnv& env,
                  const std::atomic<bool>* cancel) {
  HookResult r;
  r.name = hook.name;
  process::ProcessSpec spec;
  spec.argv = hook.argv;
  spec.extra_env = env;
  spec.timeout = hook.timeout;
  spec.stdout_limit = std::size_t{16} * 1024;
  spec.stderr_limit = std::size_t{16} * 1024;
  spec.cancel = cancel;
  spdlog::info("hook {}: {}", hook.name, process::FormatCommandLine(hook.argv));
  auto ran = process::Run(spec);
  if (!ran.ok()) {
    r.detail = ran.status().message();
  } else {
    r.ok = ran->Succeeded();
    r.detail = ran->Describe();
    r.output_tail = Tail(ran->stderr_data.empty() ? ran->stdout_data : ran->stderr_data);
  }
  if (!r.ok) {
    r.ignored_failure = hook.on_failure == policy::HookFailureMode::kContinue;
    spdlog::log(r.ignored_failure ? spdlog::level::warn : spdlog::level::err,
                "hook {} failed: {}{}{}", hook.name, r.detail, r.output_tail.empty() ? "" : ": ",
                r.output_tail);
  }
  return r;
}

Status FailureStatus(const char* phase, const HookResult& r) {
  return Failed(std::string(phase) + " hook \"" + r.name + "\" failed: " + r.detail +
                (r.output_tail.empty() ? "" : " (" + r.output_tail + ")"));
}

}  // namespace

BeforeHooksResult RunBeforeHooks(const policy::HooksSpec& hooks, const HookEnv& env,
                                 const std::atomic<bool>* cancel) {
  BeforeHooksResult out;
  for (const auto& hook : hooks.before) {
    if (cancel != nullptr && cancel->load()) {
      out.status = Interrupted("interrupted before hook \"" + hook.name + "\"");
      return out;
    }
    ++out.started;
    out.results.push_back(RunOne(hook, env, cancel));
    const HookResult& r = out.results.back();
    if (cancel != nullptr && cancel->load()) {
      out.status = Interrupted("interrupted during before hook \"" + hook.name + "\"");
      return out;
    }
    if (!r.ok && !r.ignored_failure) {
      out.status = FailureStatus("before", r);
      return out;
    }
  }
  return out;
}

std::vector<std::size_t> AfterHookOrder(std::size_t before_count, std::size_t after_count,
                                        std::size_t before_started) {
  std::vector<std::size_t> order;
  const std::size_t paired = std::min(before_count, after_count);
  for (std::size_t i = std::min(before_started, paired); i > 0; --i) order.push_back(i - 1);
  for (std::size_t i = before_count; i < after_count; ++i) order.push_back(i);
  return order;
}

Status RunAfterHooks(const policy::HooksSpec& hooks, std::size_t before_started, const HookEnv& env,
                     std::vector<HookResult>* results) {
  Status first_failure;
  for (const std::size_t i :
       AfterHookOrder(hooks.before.size(), hooks.after.size(), before_started)) {
    HookResult r = RunOne(hooks.after[i], env, nullptr);
    if (!r.ok && !r.ignored_failure && first_failure.ok())
      first_failure = FailureStatus("after", r);
    if (results != nullptr) results->push_back(std::move(r));
  }
  return first_failure;
}

}  // namespace guestbackup::hooks
