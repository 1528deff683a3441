"""YAML as provision reads it, rebuilt with PyYAML, for the independent schema check.

provision types plain scalars by the YAML 1.2 core schema (doc/spec-format.md, "YAML
typing"); PyYAML's SafeLoader follows YAML 1.1 (`yes` is a boolean there, `0o17` a string).
Core12Loader swaps in the 1.2 core resolvers and constructors, so both validators see the
same JSON instance. expand_environment() applies provision's `${VAR}` rules (doc/spec-format.md,
"Environment variables") to the composed nodes before construction: string values only, a
plain value re-typed after expansion, a quoted one kept a string.
"""

import math
import re

import yaml

STR = "tag:yaml.org,2002:str"


class Core12Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema instead of YAML 1.1's implicit types."""

    yaml_implicit_resolvers = {}


def _resolver(tag, pattern, first):
    Core12Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))


# Order matters within a first character: integers before floats.
_resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789")
_resolver(
    "tag:yaml.org,2002:float",
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
    "-+.0123456789",
)


def _int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _float(loader, node):
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text.endswith(".nan"):
        return math.nan
    return float(text)


def _bool(loader, node):
    return loader.construct_scalar(node).lower() == "true"


Core12Loader.add_constructor("tag:yaml.org,2002:int", _int)
Core12Loader.add_constructor("tag:yaml.org,2002:float", _float)
Core12Loader.add_constructor("tag:yaml.org,2002:bool", _bool)

_REFERENCE = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class EnvError(Exception):
    """A `${...}` that provision refuses (unset variable or bad syntax)."""


def expand_text(text, env):
    """provision's expansion of one string: ${NAME}, ${NAME:-default}, $${ -> ${."""

    def replace(match):
        if match.group(0) == "$${":
            return "${"
        name, default = match.group(1), match.group(2)
        value = env.get(name)
        if default is not None and not value:
            return default
        if value is None:
            raise EnvError(f"{name} is not set")
        return value

    out, position = [], 0
    for match in list(_REFERENCE.finditer(text)) + [None]:
        literal = text[position : match.start() if match else len(text)]
        if "${" in literal:
            raise EnvError(f"bad reference in {text!r}")
        out.append(literal)
        if match:
            out.append(replace(match))
            position = match.end()
    return "".join(out)


def expand_environment(loader, node, env, seen=None):
    """Expands every string value under `node` in place (keys are left alone)."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag == STR and "$" in node.value:
            node.value = expand_text(node.value, env)
            if node.style is None:  # plain: typed as if the text had been written there
                node.tag = loader.resolve(yaml.ScalarNode, node.value, (True, False))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            expand_environment(loader, item, env, seen)
    elif isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            expand_environment(loader, value, env, seen)


def load_documents(text, env):
    """[(first line, value)] for every non-empty document; lines are 1-based."""
    loader = Core12Loader(text)
    documents = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            expand_environment(loader, node, env)
            documents.append((node.start_mark.line + 1, loader.construct_document(node)))
    finally:
        loader.dispose()
    return documents
