#include "full/restore/versions.h"

#include <filesystem>
#include <future>
#include <map>
#include <optional>

namespace guestbackup::restore {
namespace {

struct Sighting {
  const kopia::SnapshotManifest* snapshot;
  kopia::DirEntry entry;
};

// What the snapshot holds at `covered.relative`: nullopt when the path is absent there.
Result<std::optional<kopia::DirEntry>> EntryIn(kopia::KopiaClient& client,
                                               const kopia::SnapshotManifest& snapshot,
                                               const CoveredPath& covered) {
  if (covered.relative.empty()) {
    kopia::DirEntry root;
    root.name = covered.source;
    root.is_dir = true;
    root.size = snapshot.root_size;
    root.object_id = snapshot.root_object_id;
    return std::optional<kopia::DirEntry>(root);
  }
  const std::filesystem::path rel(covered.relative);
  const std::string parent = rel.parent_path().string();
  auto listing = client.ListDirectory(ObjectPath(snapshot, parent));
  if (!listing.ok()) {
    // The parent directory itself may not exist in older snapshots.
    if (listing.status().message().find("not found") != std::string::npos) {
      return std::optional<kopia::DirEntry>();
    }
    return listing.status();
  }
  const std::string name = rel.filename().string();
  for (auto& e : *listing) {
    if (e.name == name) return std::optional<kopia::DirEntry>(std::move(e));
  }
  return std::optional<kopia::DirEntry>();
}

}  // namespace

Result<VersionsResult> ListVersions(kopia::KopiaClient& client, const policy::Policy& policy,
                                    const std::string& path, int parallelism) {
  auto covered = ResolveCoveredPath(policy, path);
  if (!covered.ok()) return covered.status();
  auto snapshots = client.ListSnapshots(covered->source);
  if (!snapshots.ok()) return snapshots.status();

  VersionsResult result;
  result.covered = *covered;
  result.snapshots_examined = static_cast<int>(snapshots->size());
  std::vector<Sighting> sightings;
  const std::size_t batch = static_cast<std::size_t>(std::max(1, parallelism));
  for (std::size_t start = 0; start < snapshots->size(); start += batch) {
    std::vector<std::future<Result<std::optional<kopia::DirEntry>>>> pending;
    const std::size_t end = std::min(snapshots->size(), start + batch);
    for (std::size_t i = start; i < end; ++i) {
      pending.push_back(std::async(std::launch::async,
                                   [&, i] { return EntryIn(client, (*snapshots)[i], *covered); }));
    }
    for (std::size_t i = start; i < end; ++i) {
      auto entry = pending[i - start].get();
      if (!entry.ok()) return entry.status();
      if (*entry) sightings.push_back({&(*snapshots)[i], std::move(**entry)});
    }
  }

  std::map<std::string, std::size_t> index_by_object;
  for (const auto& s : sightings) {
    auto [it, inserted] = index_by_object.emplace(s.entry.object_id, result.versions.size());
    if (inserted) {
      PathVersion v;
      v.object_id = s.entry.object_id;
      v.is_dir = s.entry.is_dir;
      v.size = s.entry.size;
      v.mtime_ms = s.entry.mtime_ms;
      v.first_seen_ms = s.snapshot->start_ms;
      v.first_snapshot_id = s.snapshot->id;
      result.versions.push_back(v);
    }
    PathVersion& v = result.versions[it->second];
    v.last_seen_ms = s.snapshot->start_ms;
    v.last_snapshot_id = s.snapshot->id;
    ++v.snapshot_count;
  }
  if (sightings.empty()) {
    return NotFound(covered->path + " is in none of the " + std::to_string(snapshots->size()) +
                    " snapshots of " + covered->source);
  }
  return result;
}

}  // namespace guestbackup::restore
