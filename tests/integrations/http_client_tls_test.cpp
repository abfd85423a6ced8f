// HttpClient over TLS against a loopback HTTPS server whose self-signed
// certificate (for "localhost") is made here: the chain must verify
// (SSL_CERT_FILE names the trusted certificate), the certificate must name the
// host, and STEPLINE_TLS_INSECURE=1 turns both checks off. Each client reads
// the environment on its first https request.
#include <utility>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <unistd.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "integrations/http_client.h"

namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using net::ip::tcp;
using stepline::integrations::HttpClient;
using stepline::integrations::HttpRequest;
using stepline::integrations::HttpResult;

// A P-256 key and a self-signed certificate for `host`, as PEM text.
struct TestCert {
  std::string key_pem;
  std::string cert_pem;
};

std::string ToPem(int (*write)(BIO*, void*), void* object) {
  BIO* bio = BIO_new(BIO_s_mem());
  REQUIRE(write(bio, object) == 1);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(bio);
  return pem;
}

TestCert MakeCert(const std::string& host) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  REQUIRE(key);
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (std::string ext : {"subjectAltName=DNS:" + host, std::string("basicConstraints=CA:TRUE")}) {
    auto eq = ext.find('=');
    X509_EXTENSION* e =
        X509V3_EXT_conf(nullptr, &ctx, ext.substr(0, eq).c_str(), ext.substr(eq + 1).c_str());
    REQUIRE(e);
    X509_add_ext(cert, e, -1);
    X509_EXTENSION_free(e);
  }
  REQUIRE(X509_sign(cert, key, EVP_sha256()) > 0);
  TestCert out;
  out.key_pem = ToPem(
      [](BIO* b, void* k) {
        return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr,
                                        nullptr);
      },
      key);
  out.cert_pem =
      ToPem([](BIO* b, void* c) { return PEM_write_bio_X509(b, static_cast<X509*>(c)); }, cert);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

// Answers every request on every connection "200 ok" over TLS; connections
// whose handshake fails are dropped.
class TlsServer {
 public:
  explicit TlsServer(const TestCert& cert) : tls_(ssl::context::tls_server) {
    tls_.use_certificate_chain(net::buffer(cert.cert_pem));
    tls_.use_private_key(net::buffer(cert.key_pem), ssl::context::pem);
    acceptor_.open(tcp::v4());
    acceptor_.bind({net::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    Accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TlsServer() {
    io_.stop();
    thread_.join();
  }
  int port() const { return acceptor_.local_endpoint().port(); }

 private:
  using Stream = ssl::stream<tcp::socket>;
  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto stream = std::make_shared<Stream>(std::move(socket), tls_);
      stream->async_handshake(ssl::stream_base::server, [this, stream](auto hec) {
        if (!hec) Serve(stream);
      });
      Accept();
    });
  }
  void Serve(const std::shared_ptr<Stream>& stream) {
    auto buffer = std::make_shared<std::string>();
    net::async_read_until(
        *stream, net::dynamic_buffer(*buffer), "\r\n\r\n", [stream, buffer](auto ec, size_t) {
          if (ec) return;
          static const std::string kAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
          net::async_write(*stream, net::buffer(kAnswer), [stream](auto, auto) {});
        });
  }

  net::io_context io_;
  ssl::context tls_;
  tcp::acceptor acceptor_{io_};
  std::thread thread_;
};

HttpResult Get(const std::string& url) {
  HttpClient client;
  std::promise<HttpResult> result;
  HttpRequest request;
  request.url = url;
  request.timeout = std::chrono::seconds(5);
  client.Send(request, [&](HttpResult r) { result.set_value(std::move(r)); });
  return result.get_future().get();
}

// Sets (or, with nullptr, clears) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("https: a trusted certificate for the host answers; others fail the handshake") {
  TestCert cert = MakeCert("localhost");
  TlsServer server(cert);
  auto path = std::filesystem::temp_directory_path() /
              ("stepline-tls-" + std::to_string(::getpid()) + ".pem");
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    REQUIRE(f);
    std::fwrite(cert.cert_pem.data(), 1, cert.cert_pem.size(), f);
    std::fclose(f);
  }
  std::string port = std::to_string(server.port());
  ScopedEnv no_insecure("STEPLINE_TLS_INSECURE", nullptr);
  {
    ScopedEnv trusted("SSL_CERT_FILE", path.c_str());
    HttpResult ok = Get("https://localhost:" + port + "/");
    REQUIRE(ok.ok());
    CHECK(ok.response.status == 200);
    CHECK(ok.response.body == "ok");
    // Trusted, but not issued for the name asked for.
    HttpResult wrong_name = Get("https://127.0.0.1:" + port + "/");
    REQUIRE_FALSE(wrong_name.ok());
    CHECK(wrong_name.error.find("TLS handshake with 127.0.0.1 failed") != std::string::npos);
  }
  {
    ScopedEnv untrusted("SSL_CERT_FILE", "/nonexistent/stepline.pem");
    HttpResult refused = Get("https://localhost:" + port + "/");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error.find("TLS handshake with localhost failed") != std::string::npos);
    ScopedEnv insecure("STEPLINE_TLS_INSECURE", "1");
    HttpResult accepted = Get("https://127.0.0.1:" + port + "/");
    REQUIRE(accepted.ok());
    CHECK(accepted.response.body == "ok");
  }
  std::filesystem::remove(path);
}
