#include "full/kopia/connection.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lean/base/sha256.h"
#include "lean/platform/atomic_file.h"

namespace guestbackup::kopia {
namespace {

std::string RecordFor(const ServerEndpoint& s) {
  return nlohmann::json{{"url", s.url},
                        {"fingerprint", s.fingerprint},
                        {"username", s.username},
                        {"hostname", s.hostname}}
      .dump();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The kopia config at `config_file`, which must be a repository server connection (the copies
// below change only its server and cache settings).
Result<nlohmann::json> ReadServerConnection(const std::string& config_file) {
  nlohmann::json config = nlohmann::json::parse(ReadAll(config_file), nullptr, false);
  if (config.is_discarded() || !config.contains("apiServer") || !config["apiServer"].is_object()) {
    return Failed(config_file + " is not a kopia repository server connection");
  }
  return config;
}

Status MakePrivateDir(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return IoError("cannot create " + path + ": " + ec.message());
  // Its owner only on Linux; on Windows this only clears the read-only attribute, and the
  // directory keeps the ACL it inherits from the state directory.
  std::filesystem::permissions(path, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  if (ec) return IoError("cannot chmod 0700 " + path + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

ConnectionPaths ConnectionPathsFor(const std::string& state_dir, const ServerEndpoint& server) {
  // Readable prefix for people looking at the directory, hash for uniqueness.
  std::string readable = server.username + "@" + server.hostname;
  const std::string key = readable + "-" + Sha256Hex(server.url).substr(0, 12);
  ConnectionPaths p;
  p.dir = state_dir + "/kopia/" + key;
  p.config_file = p.dir + "/repository.config";
  p.cache_dir = p.dir + "/cache";
  p.log_dir = p.dir + "/logs";
  p.record_file = p.dir + "/connection.json";
  return p;
}

Status EnsureConnected(KopiaClient& client, const ServerEndpoint& server,
                       const ConnectionPaths& paths) {
  const std::string record = RecordFor(server);
  if (std::filesystem::exists(paths.config_file) && ReadAll(paths.record_file) == record) {
    return Status::Ok();
  }
  GB_RETURN_IF_ERROR(MakePrivateDir(paths.dir));
  GB_RETURN_IF_ERROR(MakePrivateDir(paths.cache_dir));
  GB_RETURN_IF_ERROR(MakePrivateDir(paths.log_dir));
  ForgetConnection(paths);
  GB_RETURN_IF_ERROR(client.ConnectServer(server, paths.cache_dir));
  return platform::WriteFileAtomically(paths.record_file, record, 0600);
}

Result<std::string> WriteRelayedConfig(const ConnectionPaths& paths, const std::string& url,
                                       const std::string& fingerprint) {
  // Fields of kopia v0.23.1's LocalConfig (repo/local_config.go, api_server_repository.go).
  // The cache directory is stored relative to the config's directory, which the copy shares.
  auto read = ReadServerConnection(paths.config_file);
  if (!read.ok()) return read.status();
  nlohmann::json config = std::move(read).value();
  config["apiServer"]["url"] = url;
  config["apiServer"]["serverCertFingerprint"] = fingerprint;
  const std::string path = paths.dir + "/repository.relayed.config";
  GB_RETURN_IF_ERROR(platform::WriteFileAtomically(path, config.dump(2), 0600));
  return path;
}

Result<std::string> WriteUncachedConfig(const std::string& config_file) {
  auto read = ReadServerConnection(config_file);
  if (!read.ok()) return read.status();
  nlohmann::json config = std::move(read).value();
  // kopia v0.23.1 opens no content cache when its size is 0 (cache.NewStorageOrNil), and
  // derives the cache's key only for a cache it opened (repo/open.go, getContentCacheOrNil).
  if (config.contains("caching") && config["caching"].is_object()) {
    config["caching"].erase("maxCacheSize");
  }
  std::string path = config_file;
  if (const std::string suffix = ".config"; path.ends_with(suffix)) {
    path.resize(path.size() - suffix.size());
  }
  path += ".uncached.config";
  const std::string content = config.dump(2);
  if (ReadAll(path) == content) return path;
  GB_RETURN_IF_ERROR(platform::WriteFileAtomically(path, content, 0600));
  return path;
}

void ForgetConnection(const ConnectionPaths& paths) {
  std::error_code ec;
  std::filesystem::remove(paths.record_file, ec);
  std::filesystem::remove(paths.config_file, ec);
}

}  // namespace guestbackup::kopia
