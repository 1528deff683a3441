#!/usr/bin/env python3
"""Regenerates the stage files of every ACS3 signing vector under tests/data/signing/.

An implementation independent of the C++ one (python3 hashlib/hmac/urllib only), written from the
rules in api.md §3.2. Each <case>/request.json holds the inputs; this script writes one file per
stage (exact bytes, no trailing newline added). Cases that reproduce published vectors are also
checked against the published values below, so a rule mistake here cannot slip into the data.

Usage: python3 tests/data/signing/generate.py [--check]   (--check: compare, write nothing)
"""
import hashlib
import hmac
import json
import pathlib
import sys
import urllib.parse

HERE = pathlib.Path(__file__).resolve().parent
ALGORITHM = "ACS3-HMAC-SHA256"

# Published values (api.md §3.3, §3.4, §3.5 C). Generated files must agree with them.
PUBLISHED = {
    "official": {
        "canonical-request.txt": "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\nhost:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\nhost;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "string-to-sign.txt": "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
        "signature.txt": "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
        "authorization.txt": "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
    },
    "sdk-go": {
        "canonical-request.txt": "\n/\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
        "string-to-sign.txt": "ACS3-HMAC-SHA256\nde5b11a1e2e756c1d859871395fe0b6d47f2564e88a5477eb586c03c6fc105ff",
        "authorization.txt": "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3",
    },
    "create-ray-cluster": {
        "hashed-payload.txt": "fe14b6b76280129ea46e5e4142846615b0c955c17bc17037919e28a134b331ef",
        "canonical-request.txt": "POST\n/api/v1/workspaces/w-d2d82aa09155/rayCluster\n\ncontent-type:application/json; charset=utf-8\nhost:emr-serverless-spark.cn-hangzhou.aliyuncs.com\nx-acs-action:CreateRayCluster\nx-acs-content-sha256:fe14b6b76280129ea46e5e4142846615b0c955c17bc17037919e28a134b331ef\nx-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2023-08-08\n\ncontent-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\nfe14b6b76280129ea46e5e4142846615b0c955c17bc17037919e28a134b331ef",
        "string-to-sign.txt": "ACS3-HMAC-SHA256\n6e92c5841c85f686fba059c8a4ef6eb315e816bb38427c7de49b3725324769cd",
        "signature.txt": "a6d9867a422a53c2cf12c2bab4ee3ab3aa336e2cb1dfad6808049b158efe1931",
        "authorization.txt": "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=a6d9867a422a53c2cf12c2bab4ee3ab3aa336e2cb1dfad6808049b158efe1931",
    },
}


def enc(s: str) -> str:
    return urllib.parse.quote(s, safe="-_.~", encoding="utf-8")


def canonical_uri(path: str) -> str:
    if path == "":
        return "/"
    return "/".join(enc(urllib.parse.unquote(seg, errors="strict")) for seg in path.split("/"))


def canonical_query(query) -> str:
    return "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted((k, v) for k, v in query))


def signed_groups(headers):
    groups = {}
    for name, value in headers:
        low = name.lower()
        if low in ("host", "content-type") or low.startswith("x-acs-"):
            groups.setdefault(low, []).append(value.strip())
    return {k: sorted(v) for k, v in sorted(groups.items())}


def stages(case: dict) -> dict:
    headers = [list(h) for h in case["headers"]]
    if case["mode"] == "sign_request":
        payload = hashlib.sha256(case["body"].encode("utf-8")).hexdigest()
        headers += [["x-acs-date", case["date"]], ["x-acs-signature-nonce", case["nonce"]],
                    ["x-acs-content-sha256", payload]]
        if case.get("security_token"):
            headers += [["x-acs-accesskey-id", case["access_key_id"]],
                        ["x-acs-security-token", case["security_token"]]]
    else:
        payload = case["hashed_payload"]
    groups = signed_groups(headers)
    out = {
        "canonical-uri.txt": canonical_uri(case["path"]),
        "canonical-query.txt": canonical_query(case["query"]),
        "canonical-headers.txt": "".join(f"{k}:{','.join(v)}\n" for k, v in groups.items()),
        "signed-headers.txt": ";".join(groups),
        "hashed-payload.txt": payload,
    }
    out["canonical-request.txt"] = "\n".join([
        case["method"], out["canonical-uri.txt"], out["canonical-query.txt"], out["canonical-headers.txt"],
        out["signed-headers.txt"], payload])
    out["string-to-sign.txt"] = ALGORITHM + "\n" + hashlib.sha256(
        out["canonical-request.txt"].encode("utf-8")).hexdigest()
    out["signature.txt"] = hmac.new(case["access_key_secret"].encode("utf-8"),
                                    out["string-to-sign.txt"].encode("utf-8"), hashlib.sha256).hexdigest()
    out["authorization.txt"] = (f"{ALGORITHM} Credential={case['access_key_id']},"
                                f"SignedHeaders={out['signed-headers.txt']},Signature={out['signature.txt']}")
    return out


def main() -> int:
    check_only = "--check" in sys.argv[1:]
    failures = 0
    for case_dir in sorted(p for p in HERE.iterdir() if (p / "request.json").is_file()):
        case = json.loads((case_dir / "request.json").read_text(encoding="utf-8"))
        computed = stages(case)
        for name, value in PUBLISHED.get(case_dir.name, {}).items():
            if computed[name] != value:
                print(f"{case_dir.name}/{name}: differs from the published value", file=sys.stderr)
                failures += 1
        for name, value in computed.items():
            target = case_dir / name
            if check_only:
                if not target.is_file() or target.read_bytes() != value.encode("utf-8"):
                    print(f"{case_dir.name}/{name}: stale", file=sys.stderr)
                    failures += 1
            else:
                target.write_bytes(value.encode("utf-8"))
        print(f"{case_dir.name}: {'checked' if check_only else 'written'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
