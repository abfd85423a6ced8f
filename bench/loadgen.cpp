// stepline-loadgen: a load generator for the AWS JSON 1.0 Step Functions API.
//
// Drives one or more endpoints with the same workload and prints the figures
// side by side, so each is read as a ratio, never as an absolute claim:
//   - throughput: N executions of a 3-state Pass chain started over C
//     keep-alive connections, timed until every one is SUCCEEDED (durable:
//     the server's own store decides), with StartExecution latency p50/p99;
//   - start-to-SUCCEEDED latency of single executions (start, then poll);
//   - a 6,000-item inline Map of Pass states, start to SUCCEEDED;
//   - with --parked N: N executions parked in a one-hour Wait, the time to
//     start them, and (with --server-pid) the server's RSS growth per parked
//     execution. --server-pid also prints the server's RSS when idle and after
//     the throughput run (finished executions must not stay in memory).
// `--null` adds a baseline column: a do-nothing HTTP server inside this
// process that answers every request at once (the client's own ceiling).
//
//   stepline-loadgen --endpoint http://127.0.0.1:8083 [--endpoint URL ...] [--null]
//                    [--executions 20000] [--connections 16] [--latency-samples 300]
//                    [--parked N] [--server-pid PID]
//
// Thread-safety: single-threaded; one io_context, coroutines per connection.
#include <utility>  // before asio: Boost 1.74 + g++ 12 coroutine headers need it

#include <algorithm>
#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <future>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace net = boost::asio;
using net::awaitable;
using net::use_awaitable;
using net::ip::tcp;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kRole = "arn:aws:iam::123456789012:role/bench";

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

struct Endpoint {
  std::string label;
  std::string host;
  std::string port;
};

std::optional<Endpoint> ParseEndpoint(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return std::nullopt;
  std::string rest = url.substr(scheme.size());
  rest = rest.substr(0, rest.find('/'));
  size_t colon = rest.rfind(':');
  if (colon == std::string::npos) return Endpoint{url, rest, "80"};
  return Endpoint{url, rest.substr(0, colon), rest.substr(colon + 1)};
}

// One keep-alive HTTP/1.1 connection speaking AWS JSON 1.0.
class Connection {
 public:
  explicit Connection(tcp::socket socket) : socket_(std::move(socket)) {
    socket_.set_option(tcp::no_delay(true));
  }

  static awaitable<Connection> Open(const Endpoint& ep) {
    auto ex = co_await net::this_coro::executor;
    tcp::resolver resolver(ex);
    auto results = co_await resolver.async_resolve(ep.host, ep.port, use_awaitable);
    tcp::socket socket(ex);
    co_await net::async_connect(socket, results, use_awaitable);
    co_return Connection(std::move(socket));
  }

  // Sends one action; returns the HTTP status and the parsed body.
  awaitable<std::pair<int, Json>> Call(const std::string& action, const Json& body) {
    std::string payload = body.dump();
    std::string request =
        "POST / HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: application/x-amz-json-1.0\r\n"
        "X-Amz-Target: AWSStepFunctions." +
        action + "\r\nContent-Length: " + std::to_string(payload.size()) + "\r\n\r\n" + payload;
    co_await net::async_write(socket_, net::buffer(request), use_awaitable);
    size_t header_end = co_await net::async_read_until(socket_, net::dynamic_buffer(buffer_),
                                                       "\r\n\r\n", use_awaitable);
    std::string head = buffer_.substr(0, header_end);
    buffer_.erase(0, header_end);
    int status = std::atoi(head.c_str() + head.find(' ') + 1);
    size_t length = 0;
    for (const char* name : {"Content-Length: ", "content-length: "}) {
      size_t at = head.find(name);
      if (at != std::string::npos) length = std::stoul(head.substr(at + std::strlen(name)));
    }
    if (buffer_.size() < length) {
      co_await net::async_read(socket_, net::dynamic_buffer(buffer_),
                               net::transfer_exactly(length - buffer_.size()), use_awaitable);
    }
    std::string text = buffer_.substr(0, length);
    buffer_.erase(0, length);
    co_return std::make_pair(status,
                             text.empty() ? Json::object() : Json::parse(text, nullptr, false));
  }

 private:
  tcp::socket socket_;
  std::string buffer_;
};

// ---------------------------------------------------------------- null server

awaitable<void> NullSession(tcp::socket socket) {
  std::string buffer;
  const std::string answer =
      "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}";
  try {
    while (true) {
      size_t end = co_await net::async_read_until(socket, net::dynamic_buffer(buffer), "\r\n\r\n",
                                                  use_awaitable);
      std::string head = buffer.substr(0, end);
      buffer.erase(0, end);
      size_t at = head.find("Content-Length: ");
      size_t length = at == std::string::npos ? 0 : std::stoul(head.substr(at + 16));
      if (buffer.size() < length) {
        co_await net::async_read(socket, net::dynamic_buffer(buffer),
                                 net::transfer_exactly(length - buffer.size()), use_awaitable);
      }
      buffer.erase(0, length);
      co_await net::async_write(socket, net::buffer(answer), use_awaitable);
    }
  } catch (const std::exception&) {
  }
}

awaitable<void> NullServer(tcp::acceptor acceptor) {
  while (true) {
    tcp::socket socket = co_await acceptor.async_accept(use_awaitable);
    net::co_spawn(acceptor.get_executor(), NullSession(std::move(socket)), net::detached);
  }
}

// ---------------------------------------------------------------- workload

struct Figures {
  std::optional<double> throughput;  // executions/s until all SUCCEEDED
  double start_p50 = 0, start_p99 = 0;
  double e2e_p50 = 0, e2e_p99 = 0;
  double lone_start_p50 = 0, lone_start_p99 = 0;  // StartExecution alone on one connection
  std::optional<double> map_ms;
  std::optional<double> parked_s;  // time to start the parked executions
  std::optional<double> rss_idle_kib, rss_after_run_kib, rss_parked_kib;
  std::string note;
};

struct Options {
  int executions = 20000;
  int connections = 16;
  int latency_samples = 300;
  int parked = 0;
  int server_pid = 0;
};

// VmRSS of a process in KiB (Linux /proc), or nullopt.
std::optional<double> RssKib(int pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6));
  }
  return std::nullopt;
}

Json PassChain() {
  return {{"StartAt", "A"},
          {"States",
           {{"A", {{"Type", "Pass"}, {"Next", "B"}}},
            {"B", {{"Type", "Pass"}, {"Next", "C"}}},
            {"C", {{"Type", "Pass"}, {"End", true}}}}}};
}

Json ParkedWait() {
  return {{"StartAt", "W"},
          {"States", {{"W", {{"Type", "Wait"}, {"Seconds", 3600}, {"End", true}}}}}};
}

Json PassMap() {
  return {{"StartAt", "M"},
          {"States",
           {{"M",
             {{"Type", "Map"},
              {"ItemProcessor",
               {{"StartAt", "P"}, {"States", {{"P", {{"Type", "Pass"}, {"End", true}}}}}}},
              {"End", true}}}}}};
}

awaitable<std::string> CreateMachine(Connection& c, const std::string& name, const Json& def) {
  Json request = {{"name", name}, {"definition", def.dump()}, {"roleArn", kRole}};
  auto [status, body] = co_await c.Call("CreateStateMachine", request);
  if (status != 200) throw std::runtime_error("CreateStateMachine: " + body.dump());
  co_return body.value("stateMachineArn", "");
}

awaitable<void> Starter(const Endpoint& ep, const std::string& arn, int* next, int total,
                        std::vector<double>* latencies, std::string run) {
  Connection c = co_await Connection::Open(ep);
  while (*next < total) {
    int i = (*next)++;
    auto t0 = Clock::now();
    // (A braced Json argument inside co_await trips g++ 12: build it first.)
    Json request = {
        {"stateMachineArn", arn}, {"name", run + "-" + std::to_string(i)}, {"input", "{}"}};
    auto [status, body] = co_await c.Call("StartExecution", request);
    latencies->push_back(Ms(Clock::now() - t0));
    if (status != 200) throw std::runtime_error("StartExecution: " + body.dump());
  }
}

// Runs `opt.connections` starters until `opt.executions` StartExecution
// calls have answered (a starter's failure is rethrown here).
awaitable<void> StartAll(const Endpoint& ep, const std::string& arn, const std::string& run,
                         const Options& opt, std::vector<double>* latencies) {
  auto ex = co_await net::this_coro::executor;
  int next = 0;
  std::vector<std::future<void>> done;
  for (int i = 0; i < opt.connections; ++i) {
    done.push_back(net::co_spawn(ex, Starter(ep, arn, &next, opt.executions, latencies, run),
                                 net::use_future));
  }
  net::steady_timer timer(ex);
  while (static_cast<int>(latencies->size()) < opt.executions) {
    timer.expires_after(std::chrono::milliseconds(1));
    co_await timer.async_wait(use_awaitable);
    for (auto& d : done) {
      if (d.valid() && d.wait_for(std::chrono::seconds(0)) == std::future_status::ready) d.get();
    }
  }
}

awaitable<bool> AnyRunning(Connection& c, const std::string& arn) {
  Json request = {{"stateMachineArn", arn}, {"statusFilter", "RUNNING"}, {"maxResults", 1}};
  auto [status, body] = co_await c.Call("ListExecutions", request);
  if (status != 200) throw std::runtime_error("ListExecutions: " + body.dump());
  co_return !body.value("executions", Json::array()).empty();
}

// Starts one execution and polls it until it is no longer RUNNING; returns ms.
// `poll_ms` spaces the polls (each DescribeExecution of a large execution
// costs the server a serialization of its input and output).
// `start_ms`, when given, receives the StartExecution call's own latency.
awaitable<double> StartAndWait(Connection& c, const std::string& arn, const std::string& name,
                               const std::string& input, int poll_ms = 0,
                               double* start_ms = nullptr) {
  net::steady_timer pause(co_await net::this_coro::executor);
  auto t0 = Clock::now();
  Json request = {{"stateMachineArn", arn}, {"name", name}, {"input", input}};
  auto [status, body] = co_await c.Call("StartExecution", request);
  if (status != 200) throw std::runtime_error("StartExecution: " + body.dump());
  if (start_ms) *start_ms = Ms(Clock::now() - t0);
  std::string exec = body.value("executionArn", "");
  while (true) {
    Json describe = {{"executionArn", exec}};
    auto [s, d] = co_await c.Call("DescribeExecution", describe);
    if (s != 200) throw std::runtime_error("DescribeExecution: " + d.dump());
    std::string st = d.value("status", "");
    if (st == "SUCCEEDED") co_return Ms(Clock::now() - t0);
    if (st != "RUNNING") throw std::runtime_error("execution ended " + st);
    if (poll_ms > 0) {
      pause.expires_after(std::chrono::milliseconds(poll_ms));
      co_await pause.async_wait(use_awaitable);
    }
  }
}

// Starts opt.parked executions that wait an hour; records the time and RSS.
awaitable<void> Park(const Endpoint& ep, Connection& c, const std::string& run, Options opt,
                     Figures& f) {
  std::string wait = co_await CreateMachine(c, run + "-parked", ParkedWait());
  std::optional<double> before = RssKib(opt.server_pid);
  std::vector<double> latencies;
  opt.executions = opt.parked;
  auto t0 = Clock::now();
  co_await StartAll(ep, wait, run + "-p", opt, &latencies);
  f.parked_s = Ms(Clock::now() - t0) / 1000.0;
  std::optional<double> after = RssKib(opt.server_pid);
  if (before && after) f.rss_parked_kib = *after - *before;
}

awaitable<Figures> RunStepFunctions(const Endpoint& ep, Options opt) {
  Figures f;
  f.rss_idle_kib = RssKib(opt.server_pid);
  Connection c = co_await Connection::Open(ep);
  std::string run = "b" + std::to_string(Clock::now().time_since_epoch().count() % 1000000007);
  std::string chain = co_await CreateMachine(c, run + "-chain", PassChain());
  std::string map = co_await CreateMachine(c, run + "-map", PassMap());

  // Throughput: C starters, then wait until nothing is RUNNING.
  std::vector<double> latencies;
  auto t0 = Clock::now();
  auto ex = co_await net::this_coro::executor;
  co_await StartAll(ep, chain, run, opt, &latencies);
  // `c` sat idle through the run, past the server's keep-alive idle timeout.
  c = co_await Connection::Open(ep);
  net::steady_timer timer(ex);
  while (co_await AnyRunning(c, chain)) {
    timer.expires_after(std::chrono::milliseconds(1));
    co_await timer.async_wait(use_awaitable);
  }
  f.throughput = opt.executions / (Ms(Clock::now() - t0) / 1000.0);
  f.start_p50 = Percentile(latencies, 0.5);
  f.start_p99 = Percentile(latencies, 0.99);
  f.rss_after_run_kib = RssKib(opt.server_pid);

  std::vector<double> e2e, lone_starts;
  for (int i = 0; i < opt.latency_samples; ++i) {
    double start_ms = 0;
    e2e.push_back(
        co_await StartAndWait(c, chain, run + "-l" + std::to_string(i), "{}", 0, &start_ms));
    lone_starts.push_back(start_ms);
  }
  f.e2e_p50 = Percentile(e2e, 0.5);
  f.e2e_p99 = Percentile(e2e, 0.99);
  f.lone_start_p50 = Percentile(lone_starts, 0.5);
  f.lone_start_p99 = Percentile(lone_starts, 0.99);

  Json items = Json::array();
  for (int i = 0; i < 6000; ++i) items.push_back(i);
  f.map_ms = co_await StartAndWait(c, map, run + "-map", items.dump(), 2);
  if (opt.parked > 0) co_await Park(ep, c, run, opt, f);
  co_return f;
}

// The null server answers {} to everything: only request rates mean anything.
awaitable<Figures> RunNull(const Endpoint& ep, Options opt) {
  Figures f;
  std::vector<double> latencies;
  auto t0 = Clock::now();
  co_await StartAll(ep, "x", "n", opt, &latencies);
  f.throughput = opt.executions / (Ms(Clock::now() - t0) / 1000.0);
  f.start_p50 = Percentile(latencies, 0.5);
  f.start_p99 = Percentile(latencies, 0.99);
  Connection c = co_await Connection::Open(ep);
  std::vector<double> lone;
  Json request = {{"stateMachineArn", "x"}, {"name", "n"}, {"input", "{}"}};
  for (int i = 0; i < opt.latency_samples; ++i) {
    auto t0 = Clock::now();
    co_await c.Call("StartExecution", request);
    lone.push_back(Ms(Clock::now() - t0));
  }
  f.lone_start_p50 = Percentile(lone, 0.5);
  f.lone_start_p99 = Percentile(lone, 0.99);
  f.note = "requests/s only";
  co_return f;
}

void PrintTable(const std::vector<std::pair<std::string, Figures>>& rows, const Options& opt) {
  std::printf("\n%d executions of a 3-state Pass chain over %d connections; %d latency samples\n",
              opt.executions, opt.connections, opt.latency_samples);
  std::printf("%-36s %10s %10s %10s %10s %10s %10s %10s %10s\n", "endpoint", "execs/s", "start p50",
              "start p99", "1c st p50", "1c st p99", "e2e p50", "e2e p99", "6k Map ms");
  for (const auto& [label, f] : rows) {
    std::printf("%-36s %10.0f %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f %10s  %s\n", label.c_str(),
                f.throughput.value_or(0), f.start_p50, f.start_p99, f.lone_start_p50,
                f.lone_start_p99, f.e2e_p50, f.e2e_p99,
                f.map_ms ? std::to_string(static_cast<int>(*f.map_ms)).c_str() : "-",
                f.note.c_str());
  }
  std::printf(
      "(latencies in ms; execs/s counts until every execution is SUCCEEDED; start = under the\n"
      " throughput load of all connections, 1c st = StartExecution alone on one idle connection,\n"
      " e2e = one execution started and polled until SUCCEEDED on one connection)\n");
  for (const auto& [label, f] : rows) {
    if (f.rss_idle_kib) {
      std::printf("%s: server RSS idle %.1f MiB, after the %d executions %.1f MiB\n", label.c_str(),
                  *f.rss_idle_kib / 1024, opt.executions, f.rss_after_run_kib.value_or(0) / 1024);
    }
    if (f.parked_s) {
      std::printf("%s: %d executions parked in a Wait in %.2f s (%.0f/s)", label.c_str(),
                  opt.parked, *f.parked_s, opt.parked / *f.parked_s);
      if (f.rss_parked_kib) {
        std::printf(", RSS +%.1f MiB = %.2f KiB per parked execution", *f.rss_parked_kib / 1024,
                    *f.rss_parked_kib / opt.parked);
      }
      std::printf("\n");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  std::vector<Endpoint> endpoints;
  bool with_null = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--endpoint") {
      auto ep = ParseEndpoint(value());
      if (!ep) {
        std::cerr << "--endpoint takes http://host:port\n";
        return 2;
      }
      endpoints.push_back(*ep);
    } else if (a == "--null") {
      with_null = true;
    } else if (a == "--executions") {
      opt.executions = std::stoi(value());
    } else if (a == "--connections") {
      opt.connections = std::stoi(value());
    } else if (a == "--latency-samples") {
      opt.latency_samples = std::stoi(value());
    } else if (a == "--parked") {
      opt.parked = std::stoi(value());
    } else if (a == "--server-pid") {
      opt.server_pid = std::stoi(value());
    } else {
      std::cerr << "usage: stepline-loadgen --endpoint http://host:port [--endpoint ...] [--null]"
                   " [--executions N] [--connections C] [--latency-samples S] [--parked N]"
                   " [--server-pid PID]\n";
      return 2;
    }
  }
  if (endpoints.empty() && !with_null) {
    std::cerr << "give at least one --endpoint (or --null)\n";
    return 2;
  }
  net::io_context io;
  std::optional<Endpoint> null_ep;
  if (with_null) {
    tcp::acceptor acceptor(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    null_ep = Endpoint{"null HTTP server (baseline)", "127.0.0.1",
                       std::to_string(acceptor.local_endpoint().port())};
    net::co_spawn(io, NullServer(std::move(acceptor)), net::detached);
  }
  std::vector<std::pair<std::string, Figures>> rows;
  auto all = [&]() -> awaitable<void> {
    for (const Endpoint& ep : endpoints)
      rows.emplace_back(ep.label, co_await RunStepFunctions(ep, opt));
    if (null_ep) rows.emplace_back(null_ep->label, co_await RunNull(*null_ep, opt));
    io.stop();
  };
  std::exception_ptr failure;
  net::co_spawn(io, all(), [&](std::exception_ptr e) {
    failure = e;
    io.stop();
  });
  io.run();
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      std::cerr << "loadgen: " << e.what() << "\n";
      return 1;
    }
  }
  PrintTable(rows, opt);
  return 0;
}
