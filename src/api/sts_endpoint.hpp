// Which STS host a role source calls (issue 17): the central sts.aliyuncs.com, the regional
// sts.<region>.aliyuncs.com, the VPC sts-vpc.<region>.aliyuncs.com, or an override
// (--sts-endpoint / ALIBABA_CLOUD_STS_ENDPOINT) for the emulator or a private gateway.
#pragma once

#include <string>
#include <string_view>

#include "api/credential_plan.hpp"
#include "api/endpoint.hpp"

namespace provision::api {

// "sts.aliyuncs.com" without a region (vpc is then ignored, as in credentials-go), else
// "sts[-vpc].<region>.aliyuncs.com".
std::string sts_host(const StsLocation& location);

// The override when not empty (HOST[:PORT], parsed like --endpoint), else sts_host on port 443.
// Throws Error(kUsage) naming `override_origin` for a malformed override.
ServiceEndpoint sts_endpoint(const StsLocation& location, std::string_view override_value,
                             std::string_view override_origin);

}  // namespace provision::api
