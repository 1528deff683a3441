#!/usr/bin/env python3
"""The Python peer of `provision validate`: PyYAML + jsonschema (draft-07).

Loads every YAML document of every file given and validates each against the
same schema file provision embeds. Uses libyaml's CSafeLoader when PyYAML has
it (the faster loader, so the ratio against provision is conservative).
Exit 0 when every document is valid, 1 otherwise (errors on stderr).

usage: peer_validate.py SCHEMA FILE...
"""

import json
import sys

import jsonschema
import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema)
    documents = errors = 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            for index, doc in enumerate(yaml.load_all(f, Loader=Loader)):
                if doc is None:
                    continue
                documents += 1
                for error in validator.iter_errors(doc):
                    errors += 1
                    where = "/".join(str(p) for p in error.absolute_path)
                    print(f"{path}: document {index + 1}: /{where}: {error.message}", file=sys.stderr)
    if errors:
        print(f"peer: {errors} errors in {documents} documents", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
