// V1 canonicalisation: the parameters are the signed content; headers and path are not.
#include "api/signing/rpc_signature.hpp"

#include <algorithm>
#include <vector>

#include "api/signing/digest.hpp"
#include "core/percent_encoding.hpp"

namespace provision::api {

std::string rpc_canonical_query(const NameValueList& params) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  for (const auto& p : params)
    if (p.first != "Signature") sorted.push_back(&p);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto* a, const auto* b) { return a->first < b->first; });
  std::string out;
  for (const auto* p : sorted) {
    if (!out.empty()) out += '&';
    out += percent_encode(p->first);
    out += '=';
    out += percent_encode(p->second);
  }
  return out;
}

std::string rpc_string_to_sign(std::string_view method, const NameValueList& params) {
  return std::string(method) + "&%2F&" + percent_encode(rpc_canonical_query(params));
}

std::string rpc_signature(std::string_view access_key_secret, std::string_view string_to_sign) {
  return base64_hmac_sha1(std::string(access_key_secret) + "&", string_to_sign);
}

bool rpc_signature_matches(std::string_view method, const NameValueList& params,
                           std::string_view access_key_secret, std::string_view signature) {
  return constant_time_equal(rpc_signature(access_key_secret, rpc_string_to_sign(method, params)), signature);
}

}  // namespace provision::api
