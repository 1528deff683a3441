#!/usr/bin/python3
"""A second validator agrees with provision on every schema-level case.

Runs every spec under tests/data/spec/{valid,invalid} through Python `jsonschema` on
schemas/raycluster.schema.json and through the real `provision validate --output json`,
then compares, document by document, the schema-level findings: provision's
`spec.schema.*` diagnostics against jsonschema's errors, as (JSON pointer, code) lists.
Both sides see the golden environment of tests/data/spec/README.md for `${VAR}`.

The cases provision refuses for reasons outside the schema are listed in OUTSIDE_SCHEMA with
the codes provision must report; the cross-field rules among them must also pass the schema
(doc/spec-format.md lists the same rules). The schema itself must declare draft-07 and use
only draft-07 keywords.

usage: independent_validator_test.py --provision BIN --schema FILE --data DIR
Debian: /usr/bin/python3 with python3-jsonschema and python3-yaml (scripts/install-deps.sh).
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys

try:
    import jsonschema
    import yaml
except ImportError as missing:  # a failure, not a skip: install-deps.sh installs both
    sys.exit(f"independent_validator_test: {missing}; run scripts/install-deps.sh")

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import yaml12_loader  # noqa: E402

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

# Every keyword of draft-07 (validation and core vocabularies, plus its annotations).
DRAFT_07_KEYWORDS = {
    "$schema", "$id", "$ref", "$comment", "title", "description", "default", "readOnly",
    "writeOnly", "examples", "definitions", "type", "enum", "const", "multipleOf", "maximum",
    "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
    "items", "additionalItems", "maxItems", "minItems", "uniqueItems", "contains",
    "maxProperties", "minProperties", "required", "properties", "patternProperties",
    "additionalProperties", "dependencies", "propertyNames", "if", "then", "else", "allOf",
    "anyOf", "oneOf", "not", "format", "contentEncoding", "contentMediaType",
}

# The golden environment (tests/data/spec/README.md); SPEC_TEST_UNSET stays unset.
GOLDEN_ENV = {
    "SPEC_TEST_NAME": "from-env",
    "SPEC_TEST_WORKERS": "3",
    "SPEC_TEST_EMPTY": "",
    "SPEC_TEST_SECRET": "s3cr3t-from-env",
}

# jsonschema keyword -> provision's code suffix (doc/spec-format.md, Diagnostics).
CODES = {
    "type": "type", "minimum": "minimum", "maximum": "maximum", "minLength": "min_length",
    "maxLength": "max_length", "pattern": "pattern", "enum": "enum", "const": "const",
    "maxItems": "max_items", "required": "required", "additionalProperties": "unknown_key",
}

# Invalid cases with findings outside the schema: the non-schema codes provision must report
# (exactly), and whether both validators still judge the rest ("judged": their schema-level
# findings must agree, often none), or how the second side must agree when provision refuses
# the input before schema validation: "not-an-object" (jsonschema must refuse it too),
# "env" (the Python ${VAR} expansion must refuse it too) or "before" (not judged: PyYAML
# would hang on, crash on or read differently what provision refuses). Any other case must
# have schema-level findings only.
OUTSIDE_SCHEMA = {
    # Cross-field rules (doc/spec-format.md lists the same): the schema cannot express them.
    "min_gt_max": ({"spec.min_gt_max"}, "judged"),
    "duplicate_group_name": ({"spec.duplicate_group_name"}, "judged"),
    "extra_param_not_json": ({"spec.extra_param_json"}, "judged"),
    "duplicate_cluster": ({"spec.duplicate_cluster"}, "judged"),
    # Duplicate YAML keys: the schema sees parsed data (PyYAML keeps the last value).
    "duplicate_keys": ({"spec.duplicate_key"}, "judged"),
    # Refused before the schema: raw text, YAML structure, limits, ${VAR} errors.
    "alias_bomb": ({"spec.alias_limit"}, "before"),
    "alias_cycle": ({"spec.depth_limit"}, "before"),
    "comments_only": ({"spec.empty"}, "before"),
    "empty_file": ({"spec.empty"}, "before"),
    "control_character": ({"spec.control_character"}, "before"),
    "invalid_utf8": ({"spec.invalid_utf8"}, "before"),
    "tab_indentation": ({"spec.tab_indent"}, "before"),
    "deep_block_nesting": ({"spec.depth_limit"}, "before"),
    "deep_flow_nesting": ({"spec.depth_limit"}, "before"),
    "malformed_yaml": ({"spec.yaml_syntax"}, "before"),
    "stray_flow_indicator": ({"spec.yaml_syntax"}, "before"),
    "document_is_list": ({"spec.not_mapping"}, "not-an-object"),
    "document_is_scalar": ({"spec.not_mapping"}, "not-an-object"),
    "env_syntax": ({"spec.env_syntax"}, "env"),
    "env_unset": ({"spec.env_unset"}, "env"),
}


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def schema_keywords(node, where="#"):
    """(location, keyword) for every keyword used in a schema object and its subschemas."""
    found = []
    if not isinstance(node, dict):
        return found
    for key, value in node.items():
        found.append((where, key))
        if key in ("properties", "patternProperties", "definitions"):
            for name, sub in value.items():
                found += schema_keywords(sub, f"{where}/{key}/{name}")
        elif key in ("items", "additionalProperties", "not", "if", "then", "else", "contains") and isinstance(
            value, dict
        ):
            found += schema_keywords(value, f"{where}/{key}")
        elif key in ("allOf", "anyOf", "oneOf", "items") and isinstance(value, list):
            for i, sub in enumerate(value):
                found += schema_keywords(sub, f"{where}/{key}/{i}")
    return found


def jsonschema_findings(validator, document):
    """Sorted (pointer, code) of jsonschema's errors, one per unknown or missing key."""
    findings = []
    for error in validator.iter_errors(document):
        where = pointer(error.absolute_path)
        if error.validator == "additionalProperties":
            known = error.schema.get("properties", {})
            findings += [(f"{where}/{k}", "spec.schema.unknown_key") for k in error.instance if k not in known]
        else:
            findings.append((where, "spec.schema." + CODES.get(error.validator, error.validator)))
    return sorted(findings)


def provision_diagnostics(binary, path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPEC_TEST_")}
    env.update(GOLDEN_ENV)
    run = subprocess.run([os.path.abspath(binary), "validate", "--output", "json", path.name], cwd=path.parent,
                         env=env, capture_output=True, text=True, errors="replace", timeout=120)
    diagnostics = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    return run.returncode, diagnostics


def document_of(line, starts):
    """Index of the document holding 1-based `line` (0, the whole file, counts as the first)."""
    index = 0
    for i, start in enumerate(starts):
        if start <= max(line, 1):
            index = i
    return index


class Checker:
    def __init__(self, args):
        self.args = args
        self.failures = []
        with open(args.schema, encoding="utf-8") as f:
            self.schema = json.load(f)
        self.validator = jsonschema.Draft7Validator(self.schema)

    def fail(self, case, message):
        self.failures.append(f"{case}: {message}")

    def check_schema(self):
        if self.schema.get("$schema") != DRAFT_07:
            self.fail("schema", f"$schema is {self.schema.get('$schema')!r}, expected {DRAFT_07!r}")
        if jsonschema.validators.validator_for(self.schema) is not jsonschema.Draft7Validator:
            self.fail("schema", "jsonschema does not read it as draft-07")
        try:
            jsonschema.Draft7Validator.check_schema(self.schema)
        except jsonschema.SchemaError as e:
            self.fail("schema", f"not a valid draft-07 schema: {e.message}")
        for where, key in schema_keywords(self.schema):
            if key not in DRAFT_07_KEYWORDS:
                self.fail("schema", f"{where}: '{key}' is not a draft-07 keyword")

    def check_case(self, path, valid):
        case = path.stem
        code, diagnostics = provision_diagnostics(self.args.provision, path)
        other = {d["code"] for d in diagnostics if not d["code"].startswith("spec.schema.")}
        expected, kind = OUTSIDE_SCHEMA.get(case, (set(), "judged"))
        if valid and (code != 0 or diagnostics):
            return self.fail(case, f"provision refuses a valid case (exit {code}): {diagnostics}")
        if not valid and code != 4:
            return self.fail(case, f"provision exit {code}, expected 4")
        if other != expected:
            return self.fail(case, f"codes outside the schema: provision reports {sorted(other)}, "
                                   f"OUTSIDE_SCHEMA lists {sorted(expected)}")
        if kind == "before":
            return f"not judged by jsonschema: provision refuses it before the schema ({', '.join(sorted(other))})"
        text = path.read_text(encoding="utf-8")
        if kind == "env":
            try:
                yaml12_loader.load_documents(text, GOLDEN_ENV)
            except yaml12_loader.EnvError as e:
                return f"both refuse the ${{VAR}} reference ({e})"
            return self.fail(case, "provision refuses a ${VAR} reference that the Python expansion accepts")
        documents = yaml12_loader.load_documents(text, GOLDEN_ENV)
        if kind == "not-an-object":
            if not documents or not all(jsonschema_findings(self.validator, d) for _, d in documents):
                return self.fail(case, "provision refuses a document that is not a mapping; jsonschema does not")
            return "both refuse a document that is not a mapping"
        starts = [start for start, _ in documents]
        ours = [[] for _ in documents]
        for d in diagnostics:
            if d["code"].startswith("spec.schema."):
                ours[document_of(d["line"], starts)].append((d["pointer"], d["code"]))
        for index, (_, document) in enumerate(documents):
            theirs = jsonschema_findings(self.validator, document)
            if sorted(ours[index]) != theirs:
                self.fail(case, f"document {index + 1}: provision {sorted(ours[index])} != jsonschema {theirs}")
        if not valid and not other and not any(ours):
            self.fail(case, "an invalid case without any finding")
        return f"{len(documents)} document(s), {sum(len(o) for o in ours)} schema finding(s), agreed"

    def run(self):
        self.check_schema()
        data = pathlib.Path(self.args.data)
        seen = set()
        for folder, valid in (("valid", True), ("invalid", False)):
            files = sorted((data / folder).glob("*.yaml"))
            if len(files) < 5:
                self.fail(folder, f"only {len(files)} cases found in {data / folder}")
            for path in files:
                seen.add(path.stem)
                verdict = self.check_case(path, valid)
                print(f"{folder}/{path.name}: {verdict or 'FAILED'}")
        for case in sorted(set(OUTSIDE_SCHEMA) - seen):
            self.fail(case, "listed in OUTSIDE_SCHEMA but there is no such case")
        for failure in self.failures:
            print(f"FAIL {failure}", file=sys.stderr)
        print(f"independent_validator_test: {len(self.failures)} failure(s)")
        return 1 if self.failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provision", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--data", required=True, help="tests/data/spec")
    return Checker(parser.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
