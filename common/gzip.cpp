#include "common/gzip.h"

#include <zlib.h>

#include <cstdint>
#include <memory>

namespace stepline {

bool LooksGzipped(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1F &&
         static_cast<unsigned char>(bytes[1]) == 0x8B;
}

Result<std::string> Gunzip(std::string_view bytes, size_t max_bytes) {
  if (bytes.size() > UINT32_MAX) return Status(ErrorCode::kValidation, "the object is too large");
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {  // 16: gzip framing only
    return Status(ErrorCode::kInternal, "zlib could not start");
  }
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char chunk[16384];
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    int rc = inflate(&zs, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - zs.avail_out);
    if (out.size() > max_bytes) {
      return Status(ErrorCode::kValidation, "the decompressed object is larger than " +
                                                std::to_string(max_bytes) + " bytes");
    }
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) return out;
      if (inflateReset(&zs) != Z_OK) break;  // the next member
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {  // no progress: the input is spent
      return Status(ErrorCode::kValidation, "the gzip data ends early");
    }
    if (rc != Z_OK) break;
  }
  return Status(ErrorCode::kValidation, std::string("the gzip data is corrupt: ") +
                                            (zs.msg != nullptr ? zs.msg : "inflate failed"));
}

}  // namespace stepline
