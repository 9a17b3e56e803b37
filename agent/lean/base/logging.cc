#include "lean/base/logging.h"

#include <spdlog/details/log_msg.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "lean/base/secret_masker.h"

namespace guestbackup {
namespace {

// "%*" in a pattern: the sd-daemon priority of the message ("<3>" error ... "<7>" debug).
class JournaldPriorityFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm& /*tm*/,
              spdlog::memory_buf_t& dest) override {
    std::string_view prefix = Prefix(msg.level);
    dest.append(prefix.data(), prefix.data() + prefix.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JournaldPriorityFlag>();
  }

 private:
  static std::string_view Prefix(spdlog::level::level_enum level) {
    switch (level) {
      case spdlog::level::critical:
        return "<2>";
      case spdlog::level::err:
        return "<3>";
      case spdlog::level::warn:
        return "<4>";
      case spdlog::level::info:
        return "<6>";
      default:
        return "<7>";
    }
  }
};

// Formats each message with the real pattern, masks secrets in the whole line, then hands
// the line to `inner` as a bare payload ("%v"), so the inner sink only adds the newline: "\n"
// on every system (spdlog's default on Windows would be "\r\n").
class MaskingSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  MaskingSink(std::unique_ptr<spdlog::formatter> formatter,
              std::shared_ptr<spdlog::sinks::sink> inner)
      : base_sink(std::move(formatter)), inner_(std::move(inner)) {
    inner_->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%v", spdlog::pattern_time_type::local, /*eol=*/"\n"));
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::string masked = MaskSecrets(std::string_view(formatted.data(), formatted.size()));
    spdlog::details::log_msg line = msg;
    line.payload = masked;
    inner_->log(line);
  }
  void flush_() override { inner_->flush(); }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
};

// Passes each formatted line to a callback (LoggingOptions::write).
class CallbackSink : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  explicit CallbackSink(std::function<void(std::string_view)> write) : write_(std::move(write)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    write_(std::string_view(formatted.data(), formatted.size()));
  }
  void flush_() override {}

 private:
  std::function<void(std::string_view)> write_;
};

std::optional<spdlog::level::level_enum> ParseLevel(std::string_view name) {
  static constexpr std::pair<std::string_view, spdlog::level::level_enum> kLevels[] = {
      {"trace", spdlog::level::trace},       {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},         {"warn", spdlog::level::warn},
      {"warning", spdlog::level::warn},      {"error", spdlog::level::err},
      {"critical", spdlog::level::critical}, {"off", spdlog::level::off},
  };
  for (const auto& [level_name, level] : kLevels) {
    if (name == level_name) return level;
  }
  return std::nullopt;
}

// systemd sets JOURNAL_STREAM to "<device>:<inode>" of the stream it connected to stderr;
// comparing them keeps a child whose stderr we redirected from using the journald format.
bool StderrIsJournal() {
  const char* value = std::getenv("JOURNAL_STREAM");
  if (value == nullptr) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (std::sscanf(value, "%llu:%llu", &device, &inode) != 2) return false;
  struct stat st {};
  if (fstat(STDERR_FILENO, &st) != 0) return false;
  return st.st_dev == device && st.st_ino == inode;
}

std::unique_ptr<spdlog::formatter> MakeFormatter(bool journald) {
  if (journald) {
    spdlog::pattern_formatter::custom_flags flags;
    flags['*'] = std::make_unique<JournaldPriorityFlag>();
    return std::make_unique<spdlog::pattern_formatter>("%*%v", spdlog::pattern_time_type::local,
                                                       /*eol=*/"", std::move(flags));
  }
  return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %l %v",
                                                     spdlog::pattern_time_type::utc, /*eol=*/"");
}

}  // namespace

Status InitLogging(std::string_view level) {
  LoggingOptions options;
  options.journald = StderrIsJournal();
  return InitLogging(level, std::move(options));
}

Status InitLogging(std::string_view level, LoggingOptions options) {
  std::optional<spdlog::level::level_enum> parsed = ParseLevel(level);
  if (!parsed) {
    return InvalidArgument("unknown log level \"" + std::string(level) +
                           "\" (want trace, debug, info, warn, error, critical or off)");
  }
  try {
    std::shared_ptr<spdlog::sinks::sink> inner;
    if (options.write) {
      inner = std::make_shared<CallbackSink>(std::move(options.write));
    } else {
      inner = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    }
    auto sink = std::make_shared<MaskingSink>(MakeFormatter(options.journald), std::move(inner));
    auto logger = std::make_shared<spdlog::logger>("guestbackup", std::move(sink));
    logger->set_level(*parsed);
    // A failed log call (bad format arguments, a closed stderr) is dropped, never thrown.
    logger->set_error_handler([](const std::string& /*message*/) {});
    spdlog::set_error_handler([](const std::string& /*message*/) {});
    spdlog::set_default_logger(std::move(logger));
  } catch (const std::exception& e) {
    return Internal(std::string("cannot set up logging: ") + e.what());
  }
  return Status::Ok();
}

}  // namespace guestbackup
