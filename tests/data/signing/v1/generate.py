#!/usr/bin/env python3
"""Regenerates the stage files of every V1 (RPC, HMAC-SHA1) signing vector under this folder.

Independent of the C++ code (python3 hmac/hashlib/base64/urllib only), written from the rules in
api.md §5.4: every query and form parameter (except Signature) is sorted by name, each name and
value RFC 3986-encoded, joined as name=value with '&'; the string to sign is
METHOD + "&%2F&" + encode(that query); the signature is base64(HMAC-SHA1(secret + "&", it)).

Each <case>/request.json holds `method`, `query` and `form` ([name, value] pairs, decoded) and
`access_key_secret`. Stage files (exact bytes, no trailing newline):
canonical-query.txt, string-to-sign.txt, signature.txt.

Usage: python3 tests/data/signing/v1/generate.py [--check]   (--check: compare, write nothing)
"""
import base64
import hashlib
import hmac
import json
import pathlib
import sys
import urllib.parse

HERE = pathlib.Path(__file__).resolve().parent

# The classic worked example of Alibaba's RPC signature documentation (ECS DescribeRegions,
# AccessKey testid / testsecret). Generated files must agree with it.
PUBLISHED = {
    "official-describe-regions": {
        "string-to-sign.txt": "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
        "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
        "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
        "signature.txt": "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
    },
}


def enc(s: str) -> str:
    return urllib.parse.quote(s, safe="-_.~", encoding="utf-8")


def stages(case: dict) -> dict:
    params = [(k, v) for k, v in case["query"] + case["form"] if k != "Signature"]
    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params, key=lambda p: p[0].encode()))
    to_sign = case["method"] + "&" + enc("/") + "&" + enc(query)
    key = (case["access_key_secret"] + "&").encode()
    signature = base64.b64encode(hmac.new(key, to_sign.encode(), hashlib.sha1).digest()).decode()
    return {"canonical-query.txt": query, "string-to-sign.txt": to_sign, "signature.txt": signature}


def main() -> int:
    check = "--check" in sys.argv[1:]
    failed = False
    for case_dir in sorted(p for p in HERE.iterdir() if (p / "request.json").is_file()):
        files = stages(json.loads((case_dir / "request.json").read_text(encoding="utf-8")))
        for name, text in PUBLISHED.get(case_dir.name, {}).items():
            if files[name] != text:
                print(f"{case_dir.name}/{name}: differs from the published value", file=sys.stderr)
                failed = True
        for name, text in files.items():
            path = case_dir / name
            if check:
                if not path.is_file() or path.read_bytes() != text.encode():
                    print(f"{case_dir.name}/{name}: out of date", file=sys.stderr)
                    failed = True
            else:
                path.write_bytes(text.encode())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
