#!/usr/bin/env python3
"""Cross-checks the Rust reader against CPython's own parser.

Renders a file's `ast` in the same S-expression format as
`src/engine/python/dump.rs`, so that the `.expected` dumps of valid cases (or
any Python file) can be compared with what CPython parses:

    python3 tests/python_cases/cpython_dump.py FILE.py          # print the dump
    python3 tests/python_cases/cpython_dump.py --check DIR...   # compare every
        DIR/*.py that has a .expected next to it, report differences

Known, intended differences: `\\N{...}` escapes are kept as written by the Rust
reader (it has no Unicode name table).
"""
import ast
import io
import sys
import tokenize
from pathlib import Path


def quote(text):
    out = ['"']
    for c in text:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or c == "\x7f":
            out.append("\\x%02x" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


BINOPS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.MatMult: "@", ast.Div: "/",
    ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**", ast.LShift: "<<",
    ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&",
}
UNARY = {ast.Not: "not", ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}
CMPOPS = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
    ast.GtE: ">=", ast.Is: "is", ast.IsNot: "is-not", ast.In: "in", ast.NotIn: "not-in",
}


def position(node):
    return (node.lineno, node.col_offset)


class Dumper:
    def __init__(self, source):
        self.source = source
        self.lines = source.splitlines(keepends=True)

    def segment(self, node):
        return ast.get_source_segment(self.source, node)

    def module(self, module):
        out = "(module"
        for stmt in module.body:
            out += self.stmt(stmt, 1)
        return out + ")\n"

    def body(self, stmts, depth):
        return "".join(self.stmt(s, depth) for s in stmts)

    def block(self, label, stmts, depth):
        if not stmts:
            return ""
        return "\n" + "  " * depth + "(" + label + self.body(stmts, depth + 1) + ")"

    def is_elif(self, node):
        line = self.lines[node.lineno - 1]
        return line[node.col_offset:].startswith("elif")

    def aliases(self, names):
        out = ""
        for alias in names:
            if alias.asname:
                out += " (as %s %s)" % (alias.name, alias.asname)
            else:
                out += " " + alias.name
        return out

    def decorators(self, decorators, depth):
        return "".join("\n" + "  " * depth + "(@ " + self.expr(d) + ")" for d in decorators)

    def stmt(self, s, depth):
        out = "\n" + "  " * depth + "("
        e = self.expr
        if isinstance(s, ast.Import):
            out += "import" + self.aliases(s.names)
        elif isinstance(s, ast.ImportFrom):
            out += "from " + "." * s.level + (s.module or "") + self.aliases(s.names)
        elif isinstance(s, ast.Assign):
            out += "=" + "".join(" " + e(t) for t in s.targets) + " " + e(s.value)
        elif isinstance(s, ast.AugAssign):
            out += BINOPS[type(s.op)] + "= " + e(s.target) + " " + e(s.value)
        elif isinstance(s, ast.AnnAssign):
            out += "ann " + e(s.target) + " " + e(s.annotation)
            if s.value is not None:
                out += " " + e(s.value)
        elif isinstance(s, ast.Expr):
            out += "expr " + e(s.value)
        elif isinstance(s, ast.ClassDef):
            out += "class " + s.name
            arguments = self.call_arguments(s.bases, s.keywords)
            if arguments:
                out += " (bases" + arguments + ")"
            out += self.decorators(s.decorator_list, depth + 1) + self.body(s.body, depth + 1)
        elif isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out += ("async-def " if isinstance(s, ast.AsyncFunctionDef) else "def ") + s.name + " "
            out += self.parameters(s.args)
            if s.returns is not None:
                out += " -> " + e(s.returns)
            out += self.decorators(s.decorator_list, depth + 1) + self.body(s.body, depth + 1)
        elif isinstance(s, ast.If):
            out += "if " + e(s.test) + self.body(s.body, depth + 1)
            orelse = s.orelse
            while len(orelse) == 1 and isinstance(orelse[0], ast.If) and self.is_elif(orelse[0]):
                elif_ = orelse[0]
                out += "\n" + "  " * (depth + 1) + "(elif " + e(elif_.test) + self.body(elif_.body, depth + 2) + ")"
                orelse = elif_.orelse
            out += self.block("else", orelse, depth + 1)
        elif isinstance(s, (ast.For, ast.AsyncFor)):
            out += ("async-for " if isinstance(s, ast.AsyncFor) else "for ") + e(s.target) + " " + e(s.iter)
            out += self.body(s.body, depth + 1) + self.block("else", s.orelse, depth + 1)
        elif isinstance(s, ast.While):
            out += "while " + e(s.test) + self.body(s.body, depth + 1) + self.block("else", s.orelse, depth + 1)
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            out += "async-with" if isinstance(s, ast.AsyncWith) else "with"
            for item in s.items:
                if item.optional_vars is not None:
                    out += " (as " + e(item.context_expr) + " " + e(item.optional_vars) + ")"
                else:
                    out += " " + e(item.context_expr)
            out += self.body(s.body, depth + 1)
        elif isinstance(s, ast.Try) or type(s).__name__ == "TryStar":
            out += "try" + self.body(s.body, depth + 1)
            label = "(except*" if type(s).__name__ == "TryStar" else "(except"
            for handler in s.handlers:
                out += "\n" + "  " * (depth + 1) + label
                if handler.type is not None:
                    out += " " + e(handler.type)
                if handler.name:
                    out += " as " + handler.name
                out += self.body(handler.body, depth + 2) + ")"
            out += self.block("else", s.orelse, depth + 1) + self.block("finally", s.finalbody, depth + 1)
        elif isinstance(s, ast.Return):
            out += "return" + ("" if s.value is None else " " + e(s.value))
        elif isinstance(s, ast.Raise):
            out += "raise"
            if s.exc is not None:
                out += " " + e(s.exc)
            if s.cause is not None:
                out += " from " + e(s.cause)
        elif isinstance(s, ast.Assert):
            out += "assert " + e(s.test) + ("" if s.msg is None else " " + e(s.msg))
        elif isinstance(s, ast.Delete):
            out += "del" + "".join(" " + e(t) for t in s.targets)
        elif isinstance(s, ast.Global):
            out += "global" + "".join(" " + n for n in s.names)
        elif isinstance(s, ast.Nonlocal):
            out += "nonlocal" + "".join(" " + n for n in s.names)
        elif isinstance(s, ast.Pass):
            out += "pass"
        elif isinstance(s, ast.Break):
            out += "break"
        elif isinstance(s, ast.Continue):
            out += "continue"
        else:
            out += "unsupported-" + type(s).__name__
        return out + ")"

    def call_arguments(self, args, keywords):
        items = sorted(list(args) + list(keywords), key=position)
        out = ""
        for item in items:
            if isinstance(item, ast.keyword):
                if item.arg is None:
                    out += " (** " + self.expr(item.value) + ")"
                else:
                    out += " " + item.arg + "=" + self.expr(item.value)
            else:
                out += " " + self.expr(item)
        return out

    def parameter(self, arg, stars="", default=None):
        if arg.annotation is None and default is None:
            return " " + stars + arg.arg
        out = " (" + stars + arg.arg
        if arg.annotation is not None:
            out += " : " + self.expr(arg.annotation)
        if default is not None:
            out += " = " + self.expr(default)
        return out + ")"

    def parameters(self, a):
        positional = a.posonlyargs + a.args
        defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
        out = "(params"
        for index, arg in enumerate(positional):
            out += self.parameter(arg, default=defaults[index])
            if a.posonlyargs and index == len(a.posonlyargs) - 1:
                out += " /"
        if a.vararg is not None:
            out += self.parameter(a.vararg, "*")
        elif a.kwonlyargs:
            out += " *"
        for arg, default in zip(a.kwonlyargs, a.kw_defaults):
            out += self.parameter(arg, default=default)
        if a.kwarg is not None:
            out += self.parameter(a.kwarg, "**")
        return out + ")"

    def string(self, node):
        """Adjacent literals as the Rust reader keeps them: plain parts by value, f-parts raw."""
        text = self.segment(node)
        parts = []
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.STRING:
                continue
            prefix_length = len(token.string) - len(token.string.lstrip("rRbBfFuU"))
            prefix = token.string[:prefix_length]
            if "f" in prefix.lower():
                body = token.string[prefix_length:]
                quote_length = 3 if body[:3] in ('"""', "'''") else 1
                parts.append("f" + quote(body[quote_length:-quote_length]))
            else:
                parts.append(quote(ast.literal_eval(token.string)))
        return "(fstr " + " ".join(parts) + ")"

    def comprehension(self, label, elements, generators):
        out = "(" + label + "".join(" " + self.expr(x) for x in elements)
        for generator in generators:
            out += " (async-for " if generator.is_async else " (for "
            out += self.expr(generator.target) + " " + self.expr(generator.iter)
            out += "".join(" (if " + self.expr(c) + ")" for c in generator.ifs) + ")"
        return out + ")"

    def dotted(self, node):
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return None if base is None else base + "." + node.attr
        return None

    def expr(self, n):
        e = self.expr
        seq = lambda label, items: "(" + label + "".join(" " + e(x) for x in items) + ")"
        if isinstance(n, ast.Name):
            return n.id
        if isinstance(n, ast.Constant):
            v = n.value
            if v is True or v is False or v is None:
                return repr(v)
            if v is Ellipsis:
                return "..."
            if isinstance(v, str):
                return quote(v)
            if isinstance(v, bytes):
                return "b" + quote(v.decode("latin-1"))
            return self.segment(n)
        if isinstance(n, ast.JoinedStr):
            return self.string(n)
        if isinstance(n, ast.Attribute):
            dotted = self.dotted(n)
            return dotted if dotted is not None else "(. " + e(n.value) + " " + n.attr + ")"
        if isinstance(n, ast.Call):
            return "(call " + e(n.func) + self.call_arguments(n.args, n.keywords) + ")"
        if isinstance(n, ast.Subscript):
            return "(sub " + e(n.value) + " " + e(n.slice) + ")"
        if isinstance(n, ast.Slice):
            parts = [("_" if p is None else e(p)) for p in (n.lower, n.upper, n.step)]
            return "(slice " + " ".join(parts) + ")"
        if isinstance(n, ast.BinOp):
            return "(" + BINOPS[type(n.op)] + " " + e(n.left) + " " + e(n.right) + ")"
        if isinstance(n, ast.UnaryOp):
            return "(" + UNARY[type(n.op)] + " " + e(n.operand) + ")"
        if isinstance(n, ast.BoolOp):
            return seq("and" if isinstance(n.op, ast.And) else "or", n.values)
        if isinstance(n, ast.Compare):
            out = "(cmp " + e(n.left)
            for op, comparator in zip(n.ops, n.comparators):
                out += " " + CMPOPS[type(op)] + " " + e(comparator)
            return out + ")"
        if isinstance(n, ast.IfExp):
            return seq("if-exp", [n.test, n.body, n.orelse])
        if isinstance(n, ast.Lambda):
            return "(lambda " + self.parameters(n.args) + " " + e(n.body) + ")"
        if isinstance(n, ast.NamedExpr):
            return seq(":=", [n.target, n.value])
        if isinstance(n, ast.Await):
            return seq("await", [n.value])
        if isinstance(n, ast.Yield):
            return "(yield)" if n.value is None else seq("yield", [n.value])
        if isinstance(n, ast.YieldFrom):
            return seq("yield-from", [n.value])
        if isinstance(n, ast.Starred):
            return seq("*", [n.value])
        if isinstance(n, ast.Tuple):
            return seq("tuple", n.elts)
        if isinstance(n, ast.List):
            return seq("list", n.elts)
        if isinstance(n, ast.Set):
            return seq("set", n.elts)
        if isinstance(n, ast.Dict):
            out = "(dict"
            for key, value in zip(n.keys, n.values):
                out += " (** " + e(value) + ")" if key is None else " (" + e(key) + " " + e(value) + ")"
            return out + ")"
        if isinstance(n, ast.ListComp):
            return self.comprehension("list-comp", [n.elt], n.generators)
        if isinstance(n, ast.SetComp):
            return self.comprehension("set-comp", [n.elt], n.generators)
        if isinstance(n, ast.DictComp):
            return self.comprehension("dict-comp", [n.key, n.value], n.generators)
        if isinstance(n, ast.GeneratorExp):
            return self.comprehension("gen", [n.elt], n.generators)
        return "<unsupported-" + type(n).__name__ + ">"


def dump_file(path):
    source = Path(path).read_bytes().decode("utf-8-sig")
    return Dumper(source).module(ast.parse(source))


# Cases whose difference from CPython is intended (see the module docstring).
KNOWN_DIFFERENCES = {"named_unicode_escape.py"}


def main(argv):
    if len(argv) >= 2 and argv[0] == "--check":
        differences = 0
        for directory in argv[1:]:
            for path in sorted(Path(directory).glob("*.py")):
                expected = path.with_suffix(".expected")
                if not expected.exists() or path.name in KNOWN_DIFFERENCES:
                    continue
                ours, theirs = expected.read_text(), dump_file(path)
                if ours != theirs:
                    differences += 1
                    print("DIFFERENT:", path)
                    for a, b in zip(ours.splitlines(), theirs.splitlines()):
                        if a != b:
                            print("  rust:   ", a)
                            print("  cpython:", b)
                            break
        print(differences, "file(s) differ")
        return 1 if differences else 0
    for path in argv:
        sys.stdout.write(dump_file(path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
