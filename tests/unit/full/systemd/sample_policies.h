// Policies and settings the systemd tests render, built in code so the golden units depend on
// the renderer alone, not on the policy loader.
#pragma once

#include <chrono>

#include "full/systemd/unit_files.h"
#include "lean/policy/policy.h"

namespace guestbackup::testing {

inline systemd::UnitSettings FixedSettings() {
  return {"/usr/local/bin/guestbackup", "/etc/guestbackup/policy.yaml", "/var/lib/guestbackup", ""};
}

inline policy::HookSpec Hook(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  policy::HookSpec hook;
  hook.argv = std::move(argv);
  hook.timeout = timeout;
  return hook;
}

// DESIGN.md's example: /etc daily at 02:00 with a fsfreeze pair around it, a database dump
// every hour without catch-up, and a job run only by hand.
inline policy::Policy PolicyWithHooks() {
  using std::chrono::seconds;
  policy::Policy p;
  p.source_path = "/etc/guestbackup/policy.yaml";
  policy::JobSpec etc;
  etc.name = "etc";
  etc.paths = {"/etc", "/srv"};
  etc.schedule = "*-*-* 02:00:00";
  etc.randomized_delay = std::chrono::minutes(30);
  etc.hooks.before = {Hook({"/usr/sbin/fsfreeze", "-f", "/srv"}, seconds(30))};
  etc.hooks.after = {Hook({"/usr/sbin/fsfreeze", "-u", "/srv"}, seconds(30))};
  p.jobs.push_back(etc);
  policy::JobSpec db;
  db.name = "db-dump";
  db.paths = {"/var/backups/db"};
  db.schedule = "hourly";
  db.catch_up = false;
  p.jobs.push_back(db);
  policy::JobSpec home;
  home.name = "home";
  home.paths = {"/home"};
  p.jobs.push_back(home);
  return p;
}

// One scheduled job, no hooks anywhere: the smallest capability set.
inline policy::Policy PolicyWithoutHooks() {
  policy::Policy p;
  p.source_path = "/etc/guestbackup/policy.yaml";
  policy::JobSpec home;
  home.name = "home";
  home.paths = {"/home"};
  home.schedule = "Mon..Fri *-*-* 12,18:30";
  home.randomized_delay = std::chrono::minutes(10);
  p.jobs.push_back(home);
  policy::JobSpec other;
  other.name = "other";
  other.paths = {"/opt"};
  p.jobs.push_back(other);
  return p;
}

}  // namespace guestbackup::testing
