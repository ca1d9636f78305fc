//! A compact S-expression rendering of the syntax tree, for tests and debugging:
//! one statement per line, nested blocks indented, expressions inline.
//!
//! The format mirrors Python's own syntax where it can (`sa.Column`,
//! `nullable=False`, `(+ a b)`), so expected files read like the source.

use std::fmt::Write;

use super::ast::*;

/// Renders `module`; the result ends with a newline.
pub fn dump(module: &Module) -> String {
    let mut dumper = Dumper { out: String::from("(module") };
    for stmt in &module.body {
        dumper.stmt(stmt, 1);
    }
    dumper.out.push_str(")\n");
    dumper.out
}

/// Renders one expression on one line.
pub fn dump_expr(expr: &Expr) -> String {
    let mut dumper = Dumper { out: String::new() };
    dumper.expr(expr);
    dumper.out
}

struct Dumper {
    out: String,
}

impl Dumper {
    fn line(&mut self, depth: usize) {
        self.out.push('\n');
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    fn block(&mut self, label: &str, body: &[Stmt], depth: usize) {
        if body.is_empty() {
            return;
        }
        self.line(depth);
        self.out.push('(');
        self.out.push_str(label);
        self.body(body, depth + 1);
        self.out.push(')');
    }

    fn body(&mut self, body: &[Stmt], depth: usize) {
        for stmt in body {
            self.stmt(stmt, depth);
        }
    }

    fn stmt(&mut self, stmt: &Stmt, depth: usize) {
        self.line(depth);
        self.out.push('(');
        match &stmt.kind {
            StmtKind::Import { names } => {
                self.out.push_str("import");
                self.aliases(names);
            }
            StmtKind::ImportFrom { level, module, names } => {
                self.out.push_str("from ");
                self.out.push_str(&".".repeat(*level));
                if let Some(module) = module {
                    self.out.push_str(&module.name);
                }
                self.aliases(names);
            }
            StmtKind::Assign { targets, value } => {
                self.out.push('=');
                for target in targets {
                    self.space_expr(target);
                }
                self.space_expr(value);
            }
            StmtKind::AugAssign { target, op, value } => {
                self.out.push_str(op.as_str());
                self.out.push('=');
                self.space_expr(target);
                self.space_expr(value);
            }
            StmtKind::AnnAssign { target, annotation, value } => {
                self.out.push_str("ann");
                self.space_expr(target);
                self.space_expr(annotation);
                if let Some(value) = value {
                    self.space_expr(value);
                }
            }
            StmtKind::Expr(expr) => {
                self.out.push_str("expr");
                self.space_expr(expr);
            }
            StmtKind::ClassDef { name, decorators, arguments, body } => {
                self.out.push_str("class ");
                self.out.push_str(&name.name);
                if !arguments.is_empty() {
                    self.out.push_str(" (bases");
                    self.arguments(arguments);
                    self.out.push(')');
                }
                self.decorators(decorators, depth + 1);
                self.body(body, depth + 1);
            }
            StmtKind::FunctionDef { is_async, name, decorators, parameters, returns, body } => {
                self.out.push_str(if *is_async { "async-def " } else { "def " });
                self.out.push_str(&name.name);
                self.out.push(' ');
                self.parameters(parameters);
                if let Some(returns) = returns {
                    self.out.push_str(" ->");
                    self.space_expr(returns);
                }
                self.decorators(decorators, depth + 1);
                self.body(body, depth + 1);
            }
            StmtKind::If { test, body, elifs, orelse } => {
                self.out.push_str("if");
                self.space_expr(test);
                self.body(body, depth + 1);
                for elif in elifs {
                    self.line(depth + 1);
                    self.out.push_str("(elif");
                    self.space_expr(&elif.test);
                    self.body(&elif.body, depth + 2);
                    self.out.push(')');
                }
                self.block("else", orelse, depth + 1);
            }
            StmtKind::For { is_async, target, iter, body, orelse } => {
                self.out.push_str(if *is_async { "async-for" } else { "for" });
                self.space_expr(target);
                self.space_expr(iter);
                self.body(body, depth + 1);
                self.block("else", orelse, depth + 1);
            }
            StmtKind::While { test, body, orelse } => {
                self.out.push_str("while");
                self.space_expr(test);
                self.body(body, depth + 1);
                self.block("else", orelse, depth + 1);
            }
            StmtKind::With { is_async, items, body } => {
                self.out.push_str(if *is_async { "async-with" } else { "with" });
                for item in items {
                    match &item.target {
                        Some(target) => {
                            self.out.push_str(" (as");
                            self.space_expr(&item.context);
                            self.space_expr(target);
                            self.out.push(')');
                        }
                        None => self.space_expr(&item.context),
                    }
                }
                self.body(body, depth + 1);
            }
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                self.out.push_str("try");
                self.body(body, depth + 1);
                for handler in handlers {
                    self.line(depth + 1);
                    self.out.push_str(if handler.is_star { "(except*" } else { "(except" });
                    if let Some(type_) = &handler.type_ {
                        self.space_expr(type_);
                    }
                    if let Some(name) = &handler.name {
                        self.out.push_str(" as ");
                        self.out.push_str(&name.name);
                    }
                    self.body(&handler.body, depth + 2);
                    self.out.push(')');
                }
                self.block("else", orelse, depth + 1);
                self.block("finally", finalbody, depth + 1);
            }
            StmtKind::Return(value) => {
                self.out.push_str("return");
                if let Some(value) = value {
                    self.space_expr(value);
                }
            }
            StmtKind::Raise { exc, cause } => {
                self.out.push_str("raise");
                if let Some(exc) = exc {
                    self.space_expr(exc);
                }
                if let Some(cause) = cause {
                    self.out.push_str(" from");
                    self.space_expr(cause);
                }
            }
            StmtKind::Assert { test, msg } => {
                self.out.push_str("assert");
                self.space_expr(test);
                if let Some(msg) = msg {
                    self.space_expr(msg);
                }
            }
            StmtKind::Delete(targets) => {
                self.out.push_str("del");
                for target in targets {
                    self.space_expr(target);
                }
            }
            StmtKind::Global(names) | StmtKind::Nonlocal(names) => {
                let keyword = if matches!(stmt.kind, StmtKind::Global(_)) { "global" } else { "nonlocal" };
                self.out.push_str(keyword);
                for name in names {
                    self.out.push(' ');
                    self.out.push_str(&name.name);
                }
            }
            StmtKind::Pass => self.out.push_str("pass"),
            StmtKind::Break => self.out.push_str("break"),
            StmtKind::Continue => self.out.push_str("continue"),
            StmtKind::Error { body } => {
                self.out.push_str("error");
                self.body(body, depth + 1);
            }
        }
        self.out.push(')');
    }

    fn aliases(&mut self, names: &[Alias]) {
        for alias in names {
            match &alias.asname {
                Some(asname) => {
                    let _ = write!(self.out, " (as {} {})", alias.name.name, asname.name);
                }
                None => {
                    self.out.push(' ');
                    self.out.push_str(&alias.name.name);
                }
            }
        }
    }

    fn decorators(&mut self, decorators: &[Expr], depth: usize) {
        for decorator in decorators {
            self.line(depth);
            self.out.push_str("(@");
            self.space_expr(decorator);
            self.out.push(')');
        }
    }

    /// `(params a (b : int = 1) / * (c = 2) *args **kw)`, mirroring `def` syntax.
    fn parameters(&mut self, parameters: &[Parameter]) {
        self.out.push_str("(params");
        let has_var_positional = parameters.iter().any(|p| p.kind == ParameterKind::VarPositional);
        let mut previous_kind = None;
        for parameter in parameters {
            if previous_kind == Some(ParameterKind::PositionalOnly) && parameter.kind != ParameterKind::PositionalOnly {
                self.out.push_str(" /");
            }
            if parameter.kind == ParameterKind::KeywordOnly
                && !has_var_positional
                && previous_kind != Some(ParameterKind::KeywordOnly)
            {
                self.out.push_str(" *");
            }
            let stars = match parameter.kind {
                ParameterKind::VarPositional => "*",
                ParameterKind::VarKeyword => "**",
                _ => "",
            };
            self.out.push(' ');
            let decorated = parameter.annotation.is_some() || parameter.default.is_some();
            if decorated {
                self.out.push('(');
            }
            self.out.push_str(stars);
            self.out.push_str(&parameter.name.name);
            if let Some(annotation) = &parameter.annotation {
                self.out.push_str(" :");
                self.space_expr(annotation);
            }
            if let Some(default) = &parameter.default {
                self.out.push_str(" =");
                self.space_expr(default);
            }
            if decorated {
                self.out.push(')');
            }
            previous_kind = Some(parameter.kind);
        }
        if previous_kind == Some(ParameterKind::PositionalOnly) {
            self.out.push_str(" /");
        }
        self.out.push(')');
    }

    fn arguments(&mut self, arguments: &[Argument]) {
        for argument in arguments {
            self.out.push(' ');
            match &argument.kind {
                ArgumentKind::Positional(value) => self.expr(value),
                ArgumentKind::Keyword { name, value } => {
                    self.out.push_str(&name.name);
                    self.out.push('=');
                    self.expr(value);
                }
                ArgumentKind::Unpack(value) => self.prefixed("*", value),
                ArgumentKind::UnpackMapping(value) => self.prefixed("**", value),
            }
        }
    }

    fn space_expr(&mut self, expr: &Expr) {
        self.out.push(' ');
        self.expr(expr);
    }

    /// `(label e1 e2 ...)`
    fn node(&mut self, label: &str, children: &[&Expr]) {
        self.out.push('(');
        self.out.push_str(label);
        for child in children {
            self.space_expr(child);
        }
        self.out.push(')');
    }

    fn prefixed(&mut self, label: &str, expr: &Expr) {
        self.node(label, &[expr]);
    }

    fn sequence(&mut self, label: &str, elements: &[Expr]) {
        let children: Vec<&Expr> = elements.iter().collect();
        self.node(label, &children);
    }

    fn expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Name(name) => self.out.push_str(name),
            ExprKind::Str(literal) => self.string(literal),
            ExprKind::Number(number) => self.out.push_str(&number.text),
            ExprKind::Bool(value) => self.out.push_str(if *value { "True" } else { "False" }),
            ExprKind::None => self.out.push_str("None"),
            ExprKind::Ellipsis => self.out.push_str("..."),
            ExprKind::Attribute { value, attr } => match expr.dotted_name() {
                Some(dotted) => self.out.push_str(&dotted),
                None => {
                    self.out.push_str("(.");
                    self.space_expr(value);
                    self.out.push(' ');
                    self.out.push_str(&attr.name);
                    self.out.push(')');
                }
            },
            ExprKind::Call { func, arguments } => {
                self.out.push_str("(call");
                self.space_expr(func);
                self.arguments(arguments);
                self.out.push(')');
            }
            ExprKind::Subscript { value, index } => self.node("sub", &[value, index]),
            ExprKind::Slice { lower, upper, step } => {
                self.out.push_str("(slice");
                for part in [lower, upper, step] {
                    match part {
                        Some(part) => self.space_expr(part),
                        None => self.out.push_str(" _"),
                    }
                }
                self.out.push(')');
            }
            ExprKind::BinOp { left, op, right } => self.node(op.as_str(), &[left, right]),
            ExprKind::UnaryOp { op, operand } => {
                let label = match op {
                    UnaryOp::Not => "not",
                    UnaryOp::Neg => "-",
                    UnaryOp::Pos => "+",
                    UnaryOp::Invert => "~",
                };
                self.prefixed(label, operand);
            }
            ExprKind::BoolOp { op, values } => {
                self.sequence(if *op == BoolOp::And { "and" } else { "or" }, values);
            }
            ExprKind::Compare { left, ops, comparators } => {
                self.out.push_str("(cmp");
                self.space_expr(left);
                for (op, comparator) in ops.iter().zip(comparators) {
                    self.out.push(' ');
                    self.out.push_str(&op.as_str().replace(' ', "-"));
                    self.space_expr(comparator);
                }
                self.out.push(')');
            }
            ExprKind::IfExp { test, body, orelse } => self.node("if-exp", &[test, body, orelse]),
            ExprKind::Lambda { parameters, body } => {
                self.out.push_str("(lambda ");
                self.parameters(parameters);
                self.space_expr(body);
                self.out.push(')');
            }
            ExprKind::NamedExpr { target, value } => self.node(":=", &[target, value]),
            ExprKind::Await(value) => self.prefixed("await", value),
            ExprKind::Yield(value) => match value {
                Some(value) => self.prefixed("yield", value),
                None => self.out.push_str("(yield)"),
            },
            ExprKind::YieldFrom(value) => self.prefixed("yield-from", value),
            ExprKind::Starred(value) => self.prefixed("*", value),
            ExprKind::Tuple { elements, .. } => self.sequence("tuple", elements),
            ExprKind::List(elements) => self.sequence("list", elements),
            ExprKind::Set(elements) => self.sequence("set", elements),
            ExprKind::Dict(items) => {
                self.out.push_str("(dict");
                for item in items {
                    self.out.push(' ');
                    match &item.key {
                        Some(key) => {
                            self.out.push('(');
                            self.expr(key);
                            self.space_expr(&item.value);
                            self.out.push(')');
                        }
                        None => self.prefixed("**", &item.value),
                    }
                }
                self.out.push(')');
            }
            ExprKind::ListComp { element, generators } => self.comprehension("list-comp", &[element], generators),
            ExprKind::SetComp { element, generators } => self.comprehension("set-comp", &[element], generators),
            ExprKind::DictComp { key, value, generators } => self.comprehension("dict-comp", &[key, value], generators),
            ExprKind::GeneratorExp { element, generators } => self.comprehension("gen", &[element], generators),
            ExprKind::Error => self.out.push_str("<error>"),
        }
    }

    fn comprehension(&mut self, label: &str, elements: &[&Expr], generators: &[Comprehension]) {
        self.out.push('(');
        self.out.push_str(label);
        for element in elements {
            self.space_expr(element);
        }
        for generator in generators {
            self.out.push_str(if generator.is_async { " (async-for" } else { " (for" });
            self.space_expr(&generator.target);
            self.space_expr(&generator.iter);
            for condition in &generator.ifs {
                self.out.push_str(" (if");
                self.space_expr(condition);
                self.out.push(')');
            }
            self.out.push(')');
        }
        self.out.push(')');
    }

    /// `"value"`, `b"value"`, or `(fstr "plain" f"{raw}")` when f-strings take part.
    fn string(&mut self, literal: &StringLiteral) {
        if !literal.is_format() {
            if literal.is_bytes() {
                self.out.push('b');
            }
            quote_into(&mut self.out, &literal.value());
            return;
        }
        self.out.push_str("(fstr");
        for part in &literal.parts {
            self.out.push(' ');
            match &part.value {
                Some(value) => quote_into(&mut self.out, value),
                None => {
                    self.out.push('f');
                    quote_into(&mut self.out, &part.raw_body);
                }
            }
        }
        self.out.push(')');
    }
}

/// Double-quoted with `\\`, `\"`, `\n`, `\r`, `\t` and `\xNN` for other control characters.
fn quote_into(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
