// The `stepline` binary: the server (default), `--health-check`, `--help`,
// `--version`, and the `jsonata` subcommand.
#include <chrono>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "server/app.h"
#include "server/config.h"
#include "server/http/health_probe.h"

#if defined(STEPLINE_HAVE_JSONATA) && __has_include("engine/jsonata/cli.h")
#define STEPLINE_WITH_JSONATA_CLI 1
#include "engine/jsonata/cli.h"
#endif

#ifndef STEPLINE_VERSION
#define STEPLINE_VERSION "dev"
#endif

namespace {

using stepline::server::Command;

constexpr std::chrono::milliseconds kHealthCheckTimeout{3000};

int RunJsonata(int argc, char** argv) {
#ifdef STEPLINE_WITH_JSONATA_CLI
  return stepline::jsonata::RunJsonataCli(argc, argv);
#else
  std::cerr << "stepline: this build has no jsonata subcommand\n";
  return 2;
#endif
}

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("stepline");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(std::move(logger));
}

int HealthCheck(const stepline::server::Config& config) {
  stepline::Status status =
      stepline::http::ProbeHealth(config.host, config.port, kHealthCheckTimeout);
  if (!status.ok()) {
    std::cerr << "unhealthy: " << status.message() << "\n";
    return 1;
  }
  std::cout << "healthy\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "jsonata") return RunJsonata(argc - 1, argv + 1);
  std::vector<std::string> args(argv + 1, argv + argc);
  auto invocation = stepline::server::ParseInvocation(args, stepline::server::GetEnv);
  if (!invocation.ok()) {
    std::cerr << "stepline: " << invocation.status().message() << "\nTry 'stepline --help'.\n";
    return 2;
  }
  const stepline::server::Config& config = invocation->config;
  switch (invocation->command) {
    case Command::kHelp:
      std::cout << stepline::server::UsageText();
      return 0;
    case Command::kVersion:
      std::cout << "stepline " << STEPLINE_VERSION << "\n";
      return 0;
    case Command::kHealthCheck:
      return HealthCheck(config);
    case Command::kServe:
      break;
  }
  SetUpLogging(config.log_level);
  return stepline::server::RunServer(config);
}
