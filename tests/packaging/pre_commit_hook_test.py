#!/usr/bin/env python3
"""Runs the provision-validate hook of .pre-commit-hooks.yaml as pre-commit would: the
entry split like a shell word list, the changed files that match `files` appended, with
the provision under test first on the PATH. Valid specs pass; an invalid one fails (4)."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml


def main() -> int:
    provision, source = sys.argv[1], sys.argv[2]
    hooks = yaml.safe_load(open(os.path.join(source, ".pre-commit-hooks.yaml")))
    hook = next((h for h in hooks if h.get("id") == "provision-validate"), None)
    if hook is None:
        print("FAIL: no provision-validate hook")
        return 1
    for key in ("name", "entry", "language", "files"):
        if key not in hook:
            print(f"FAIL: the hook has no '{key}'")
            return 1
    if hook["language"] != "system":
        print(f"FAIL: expected language: system, got {hook['language']}")
        return 1
    files_re = re.compile(hook["files"])
    with tempfile.TemporaryDirectory() as work:
        os.mkdir(os.path.join(work, "bin"))
        os.symlink(os.path.abspath(provision), os.path.join(work, "bin", "provision"))
        env = dict(os.environ, PATH=os.path.join(work, "bin") + os.pathsep + os.environ["PATH"])
        specs = os.path.join(work, "repo")
        shutil.copytree(os.path.join(source, "specs", "examples"), os.path.join(specs, "clusters"))
        with open(os.path.join(specs, "README.md"), "w") as f:
            f.write("not a spec\n")

        def run_hook(changed):
            matched = [p for p in changed if files_re.search(p)]
            argv = shlex.split(hook["entry"]) + list(hook.get("args", [])) + matched
            return subprocess.run(argv, cwd=specs, env=env, capture_output=True, text=True), matched

        changed = sorted(os.path.join("clusters", n) for n in os.listdir(os.path.join(specs, "clusters")))
        result, matched = run_hook(changed + ["README.md"])
        if "README.md" in matched or len(matched) != len(changed):
            print(f"FAIL: 'files' matched {matched}")
            return 1
        if result.returncode != 0:
            print(f"FAIL: valid specs: exit {result.returncode}\n{result.stdout}{result.stderr}")
            return 1
        with open(os.path.join(specs, "clusters", "broken.yaml"), "w") as f:
            f.write("apiVersion: provision/v1\nkind: RayCluster\nmetadata: {}\n")
        result, _ = run_hook(["clusters/broken.yaml"])
        if result.returncode != 4 or "broken.yaml:" not in result.stdout + result.stderr:
            print(f"FAIL: an invalid spec: exit {result.returncode}\n{result.stdout}{result.stderr}")
            return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
