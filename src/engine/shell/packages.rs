//! The Python packages installed in the playground's environment — the
//! course's (`requirements.txt`: fastapi, uvicorn[standard], SQLAlchemy,
//! alembic, pydantic) and everything they need — as one table of
//! distributions with their metadata, and PEP 508 requirements as pip 23.2
//! reads them (names, extras, PEP 440 version specifiers), to tell which
//! requirements those distributions satisfy.
//!
//! The versions are the ones the rest of the engine prints (Alembic 1.20.1,
//! SQLAlchemy 2.1.9, uvicorn 0.54.0, FastAPI 0.165.0, Pydantic 2.14.3) and
//! their dependencies as pip resolved them for CPython 3.11.7 on Linux; pip
//! 23.2.1 and setuptools 65.5.0 are the ones Python 3.11.7's `venv` installs.

use std::collections::BTreeSet;
use std::fmt;

/// Where the environment's packages live, as pip prints it. The engine's
/// warnings name the environment `<VENV>` (`<VENV>/lib/python3.11/site-packages/alembic/...`).
pub const SITE_PACKAGES: &str = "<VENV>/lib/python3.11/site-packages";

/// What driftlab adds where a real machine would download a package.
pub const NO_NETWORK: &str =
    "driftlab: the playground has no network to download packages from; it has the course's packages, \
     which `pip list` shows\n";

/// The fields of a distribution's METADATA that `pip show` prints.
pub struct About {
    pub summary: &'static str,
    pub home_page: &'static str,
    pub author: &'static str,
    pub author_email: &'static str,
    pub license: &'static str,
}

/// One installed distribution, as its `*.dist-info/METADATA` describes it.
pub struct Distribution {
    /// `Name:` as written (what `pip list` shows: `SQLAlchemy`, `typing_extensions`).
    pub name: &'static str,
    pub version: &'static str,
    /// `Requires-Dist:` without an extra whose marker holds on CPython 3.11 /
    /// Linux, in order, as pip prints them (marker left out).
    pub requires: &'static [&'static str],
    /// `Provides-Extra:` in order, with what each adds when those packages
    /// are installed here (`None`: some are not).
    pub extras: &'static [(&'static str, Option<&'static [&'static str]>)],
    pub about: About,
}

/// Every distribution in the environment.
pub const INSTALLED: &[Distribution] = &[
    Distribution {
        name: "alembic",
        version: "1.20.1",
        requires: &["SQLAlchemy>=2.0", "Mako", "typing-extensions>=4.12"],
        extras: &[("tz", None)],
        about: About {
            summary: "A database migration tool for SQLAlchemy.",
            home_page: "",
            author: "",
            author_email: "Mike Bayer <mike_mp@zzzcomputing.com>",
            license: "",
        },
    },
    Distribution {
        name: "annotated-doc",
        version: "0.0.7",
        requires: &[],
        extras: &[],
        about: About {
            summary: "Document parameters, class attributes, return types, and variables inline, with Annotated.",
            home_page: "",
            author: "",
            author_email: "Sebastián Ramírez <tiangolo@gmail.com>",
            license: "",
        },
    },
    Distribution {
        name: "annotated-types",
        version: "0.8.0",
        requires: &[],
        extras: &[],
        about: About {
            summary: "Reusable constraint types to use with typing.Annotated",
            home_page: "",
            author: "",
            author_email: "Adrian Garcia Badaracco <1755071+adriangb@users.noreply.github.com>, Samuel Colvin <s@muelcolvin.com>, Zac Hatfield-Dodds <zac@zhd.dev>",
            license: "",
        },
    },
    Distribution {
        name: "anyio",
        version: "4.16.0",
        requires: &["idna>=2.8", "typing_extensions>=4.16.0"],
        extras: &[("trio", None)],
        about: About {
            summary: "High-level concurrency and networking framework on top of asyncio or Trio",
            home_page: "",
            author: "",
            author_email: "Alex Grönholm <alex.gronholm@nextday.fi>",
            license: "",
        },
    },
    Distribution {
        name: "click",
        version: "8.5.1",
        requires: &[],
        extras: &[],
        about: About {
            summary: "Composable command line interface toolkit",
            home_page: "",
            author: "",
            author_email: "",
            license: "",
        },
    },
    Distribution {
        name: "fastapi",
        version: "0.165.0",
        requires: &["starlette>=1.6.0", "anyio>=4.1.0", "pydantic>=2.9.0", "typing-extensions>=4.8.0", "typing-inspection>=0.4.2", "annotated-doc>=0.0.2", "opentelemetry-api>=1.44.0"],
        extras: &[("opentelemetry", None), ("standard", None), ("standard-no-fastapi-cloud-cli", None), ("all", None)],
        about: About {
            summary: "FastAPI framework, high performance, easy to learn, fast to code, ready for production",
            home_page: "",
            author: "",
            author_email: "Sebastián Ramírez <tiangolo@gmail.com>",
            license: "",
        },
    },
    Distribution {
        name: "h11",
        version: "0.16.0",
        requires: &[],
        extras: &[],
        about: About {
            summary: "A pure-Python, bring-your-own-I/O implementation of HTTP/1.1",
            home_page: "https://github.com/python-hyper/h11",
            author: "Nathaniel J. Smith",
            author_email: "njs@pobox.com",
            license: "MIT",
        },
    },
    Distribution {
        name: "httptools",
        version: "0.9.0",
        requires: &[],
        extras: &[],
        about: About {
            summary: "A collection of framework independent HTTP protocol utils.",
            home_page: "",
            author: "",
            author_email: "Yury Selivanov <yury@magic.io>",
            license: "",
        },
    },
    Distribution {
        name: "idna",
        version: "3.20",
        requires: &[],
        extras: &[("all", None)],
        about: About {
            summary: "Internationalized Domain Names in Applications (IDNA)",
            home_page: "",
            author: "",
            author_email: "Kim Davies <kim+pypi@gumleaf.org>",
            license: "",
        },
    },
    Distribution {
        name: "Mako",
        version: "1.4.3",
        requires: &["MarkupSafe>=2.0"],
        extras: &[("testing", None), ("babel", None), ("lingua", None)],
        about: About {
            summary: "A super-fast templating language that borrows the best ideas from the existing templating languages.",
            home_page: "",
            author: "",
            author_email: "Mike Bayer <mike@zzzcomputing.com>",
            license: "",
        },
    },
    Distribution {
        name: "MarkupSafe",
        version: "3.0.4",
        requires: &[],
        extras: &[],
        about: About {
            summary: "Safely add untrusted strings to HTML/XML markup.",
            home_page: "",
            author: "",
            author_email: "",
            license: "",
        },
    },
    Distribution {
        name: "opentelemetry-api",
        version: "1.45.2",
        requires: &["typing-extensions>=4.5.0"],
        extras: &[],
        about: About {
            summary: "OpenTelemetry Python API",
            home_page: "",
            author: "",
            author_email: "OpenTelemetry Authors <cncf-opentelemetry-contributors@lists.cncf.io>",
            license: "",
        },
    },
    Distribution {
        name: "pip",
        version: "23.2.1",
        requires: &[],
        extras: &[],
        about: About {
            summary: "The PyPA recommended tool for installing Python packages.",
            home_page: "https://pip.pypa.io/",
            author: "The pip developers",
            author_email: "distutils-sig@python.org",
            license: "MIT",
        },
    },
    Distribution {
        name: "pydantic",
        version: "2.14.3",
        requires: &["annotated-types>=0.6.0", "pydantic-core==2.50.4", "typing-extensions>=4.16.0", "typing-inspection>=0.4.4"],
        extras: &[("email", None), ("timezone", Some(&[]))],
        about: About {
            summary: "Data validation using Python type hints",
            home_page: "",
            author: "",
            author_email: "Samuel Colvin <s@muelcolvin.com>, Eric Jolibois <em.jolibois@gmail.com>, Hasan Ramezani <hasan.r67@gmail.com>, Adrian Garcia Badaracco <1755071+adriangb@users.noreply.github.com>, Terrence Dorsey <terry@pydantic.dev>, David Montague <david@pydantic.dev>, Serge Matveenko <lig@countzero.co>, Marcelo Trylesinski <marcelotryle@gmail.com>, Sydney Runkle <sydneymarierunkle@gmail.com>, David Hewitt <mail@davidhewitt.dev>, Alex Hall <alex.mojaki@gmail.com>, Victorien Plot <contact@vctrn.dev>",
            license: "",
        },
    },
    Distribution {
        name: "pydantic_core",
        version: "2.50.4",
        requires: &["typing-extensions>=4.16.0"],
        extras: &[],
        about: About {
            summary: "Core functionality for Pydantic validation and serialization",
            home_page: "https://github.com/pydantic/pydantic",
            author: "",
            author_email: "Samuel Colvin <s@muelcolvin.com>, Adrian Garcia Badaracco <1755071+adriangb@users.noreply.github.com>, David Montague <david@pydantic.dev>, David Hewitt <mail@davidhewitt.dev>, Sydney Runkle <sydneymarierunkle@gmail.com>, Victorien Plot <contact@vctrn.dev>",
            license: "",
        },
    },
    Distribution {
        name: "python-dotenv",
        version: "1.2.4",
        requires: &[],
        extras: &[("cli", Some(&["click>=5.0"]))],
        about: About {
            summary: "Read key-value pairs from a .env file and set them as environment variables",
            home_page: "",
            author: "",
            author_email: "Saurabh Kumar <me+github@saurabh-kumar.com>",
            license: "BSD-3-Clause",
        },
    },
    Distribution {
        name: "PyYAML",
        version: "6.0.3",
        requires: &[],
        extras: &[],
        about: About {
            summary: "YAML parser and emitter for Python",
            home_page: "https://pyyaml.org/",
            author: "Kirill Simonov",
            author_email: "xi@resolvent.net",
            license: "MIT",
        },
    },
    Distribution {
        name: "setuptools",
        version: "65.5.0",
        requires: &[],
        extras: &[("certs", Some(&[])), ("docs", None), ("ssl", Some(&[])), ("testing", None), ("testing-integration", None)],
        about: About {
            summary: "Easily download, build, install, upgrade, and uninstall Python packages",
            home_page: "https://github.com/pypa/setuptools",
            author: "Python Packaging Authority",
            author_email: "distutils-sig@python.org",
            license: "",
        },
    },
    Distribution {
        name: "SQLAlchemy",
        version: "2.1.9",
        requires: &["typing-extensions>=4.6.0"],
        extras: &[("asyncio", None), ("mypy", None), ("mssql", None), ("mssql-pymssql", None), ("mssql-pyodbc", None), ("mssql-python", None), ("mysql", None), ("mysql-connector", None), ("mariadb-connector", None), ("oracle", None), ("oracle-cxoracle", None), ("oracle-oracledb", None), ("postgresql", None), ("postgresql-pg8000", None), ("postgresql-asyncpg", None), ("postgresql-psycopg2binary", None), ("postgresql-psycopg2cffi", None), ("postgresql-psycopg", None), ("postgresql-psycopgbinary", None), ("pymysql", None), ("cymysql", None), ("aiomysql", None), ("aioodbc", None), ("asyncmy", None), ("aiosqlite", None), ("sqlcipher", None)],
        about: About {
            summary: "Database Abstraction Library",
            home_page: "",
            author: "",
            author_email: "Mike Bayer <mike_mp@zzzcomputing.com>",
            license: "",
        },
    },
    Distribution {
        name: "starlette",
        version: "1.10.0",
        requires: &["anyio<5,>=4.0.0", "typing-extensions>=4.10.0"],
        extras: &[("full", None)],
        about: About {
            summary: "The little ASGI library that shines.",
            home_page: "",
            author: "",
            author_email: "Tom Christie <tom@tomchristie.com>",
            license: "",
        },
    },
    Distribution {
        name: "typing_extensions",
        version: "4.16.0",
        requires: &[],
        extras: &[],
        about: About {
            summary: "Backported and Experimental Type Hints for Python 3.9+",
            home_page: "",
            author: "",
            author_email: "\"Guido van Rossum, Jukka Lehtosalo, Łukasz Langa, Michael Lee\" <levkivskyi@gmail.com>",
            license: "",
        },
    },
    Distribution {
        name: "typing-inspection",
        version: "0.4.5",
        requires: &["typing-extensions>=4.15.0"],
        extras: &[],
        about: About {
            summary: "Runtime typing introspection tools",
            home_page: "",
            author: "",
            author_email: "Victorien Plot <contact@vctrn.dev>",
            license: "",
        },
    },
    Distribution {
        name: "uvicorn",
        version: "0.54.0",
        requires: &["click>=7.0", "h11>=0.8"],
        extras: &[("standard", Some(&["httptools>=0.8.0", "python-dotenv>=0.13", "pyyaml>=5.1", "uvloop>=0.15.1", "watchfiles>=0.20", "websockets>=13.0"]))],
        about: About {
            summary: "The lightning-fast ASGI server.",
            home_page: "",
            author: "",
            author_email: "Tom Christie <tom@tomchristie.com>",
            license: "",
        },
    },
    Distribution {
        name: "uvloop",
        version: "0.23.0",
        requires: &[],
        extras: &[("test", None), ("dev", None), ("docs", None)],
        about: About {
            summary: "Fast implementation of asyncio event loop on top of libuv",
            home_page: "",
            author: "",
            author_email: "Yury Selivanov <yury@magic.io>",
            license: "MIT License",
        },
    },
    Distribution {
        name: "watchfiles",
        version: "1.3.0",
        requires: &["anyio>=3.0.0"],
        extras: &[],
        about: About {
            summary: "Simple, modern and high performance file watching and code reload in python.",
            home_page: "https://github.com/samuelcolvin/watchfiles",
            author: "",
            author_email: "Samuel Colvin <s@muelcolvin.com>",
            license: "MIT",
        },
    },
    Distribution {
        name: "websockets",
        version: "17.4",
        requires: &[],
        extras: &[],
        about: About {
            summary: "An implementation of the WebSocket Protocol (RFC 6455 & 7692)",
            home_page: "",
            author: "",
            author_email: "Aymeric Augustin <aymeric.augustin@m4x.org>",
            license: "",
        },
    },
];

/// The installed distribution `name` stands for (any case, `-`, `_` or `.`).
pub fn installed(name: &str) -> Option<&'static Distribution> {
    let wanted = canonical_name(name);
    INSTALLED.iter().find(|dist| canonical_name(dist.name) == wanted)
}

/// The installed distributions a set of requirements needs (theirs and
/// their dependencies', extras included), each once; `None` when one of
/// them isn't installed, or is but not in a version they allow.
pub fn needed(requirements: &[Requirement]) -> Option<Vec<&'static Distribution>> {
    let mut found: Vec<&'static Distribution> = Vec::new();
    let mut extras_seen: BTreeSet<(&'static str, String)> = BTreeSet::new();
    let mut queue: Vec<Requirement> = requirements.to_vec();
    while let Some(req) = queue.pop() {
        let dist = installed(&req.name).filter(|dist| req.contains(dist.version))?;
        let mut adds: Vec<&'static str> = Vec::new();
        if !found.iter().any(|seen| seen.name == dist.name) {
            found.push(dist);
            adds.extend(dist.requires);
        }
        for extra in &req.extras {
            if extras_seen.insert((dist.name, extra.clone())) {
                // An extra the distribution doesn't provide adds nothing.
                if let Some((_, provided)) =
                    dist.extras.iter().find(|(name, _)| canonical_name(name) == canonical_name(extra))
                {
                    adds.extend(provided.as_ref()?.iter());
                }
            }
        }
        for text in adds {
            queue.push(Requirement::parse(text).ok()?);
        }
    }
    Some(found)
}

/// PEP 503's normalised name: lower case, runs of `-`, `_` and `.` as one `-`.
pub fn canonical_name(name: &str) -> String {
    let mut out = String::new();
    let mut separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
            continue;
        }
        if separator && !out.is_empty() {
            out.push('-');
        }
        separator = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Why a requirement can't be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequirementError {
    /// Not PEP 508 at all (pip: `Invalid requirement: '...'`).
    Invalid,
    /// Valid, but beyond what driftlab reads: an environment marker or a URL.
    Unsupported(&'static str),
}

/// A requirement as pip reads it: `name[extra,...] SPECIFIERS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// As written.
    pub name: String,
    pub extras: Vec<String>,
    specifiers: Vec<Specifier>,
}

impl Requirement {
    pub fn parse(text: &str) -> Result<Requirement, RequirementError> {
        let text = text.trim();
        let name_end = text.find(|c: char| !is_name_char(c)).unwrap_or(text.len());
        let name = &text[..name_end];
        if !valid_name(name) {
            return Err(RequirementError::Invalid);
        }
        let mut rest = text[name_end..].trim_start();
        let mut extras = Vec::new();
        if let Some(inside) = rest.strip_prefix('[') {
            let close = inside.find(']').ok_or(RequirementError::Invalid)?;
            for extra in inside[..close].split(',').map(str::trim) {
                match extra {
                    "" if inside[..close].trim().is_empty() => {}
                    extra if valid_name(extra) => extras.push(extra.to_string()),
                    _ => return Err(RequirementError::Invalid),
                }
            }
            rest = inside[close + 1..].trim_start();
        }
        if rest.starts_with('@') {
            return Err(RequirementError::Unsupported("a requirement with a URL (`NAME @ URL`)"));
        }
        let (specs, marker) = match rest.find(';') {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        let specs = specs.trim();
        let specs = match specs.strip_prefix('(') {
            Some(inner) => inner.strip_suffix(')').ok_or(RequirementError::Invalid)?,
            None => specs,
        };
        let specifiers = if specs.trim().is_empty() {
            Vec::new()
        } else {
            specs.split(',').map(Specifier::parse).collect::<Option<Vec<_>>>().ok_or(RequirementError::Invalid)?
        };
        if marker.is_some() {
            return Err(RequirementError::Unsupported("a requirement with an environment marker (`; ...`)"));
        }
        Ok(Requirement { name: name.to_string(), extras, specifiers })
    }

    /// How pip's resolver names what it looks for: the project and its extras (`uvicorn[standard]`).
    pub fn identifier(&self) -> String {
        let name = canonical_name(&self.name);
        if self.extras.is_empty() {
            return name;
        }
        let extras: BTreeSet<&str> = self.extras.iter().map(String::as_str).collect();
        format!("{name}[{}]", extras.into_iter().collect::<Vec<_>>().join(","))
    }

    /// Whether a version is named exactly (`==`, `===`).
    pub fn is_pinned(&self) -> bool {
        self.specifiers.iter().any(|s| s.operator.starts_with("=="))
    }

    /// Whether any version will do.
    pub fn is_free(&self) -> bool {
        self.specifiers.is_empty()
    }

    /// Whether `version` satisfies every specifier.
    pub fn contains(&self, version: &str) -> bool {
        self.specifiers.iter().all(|s| s.contains(version))
    }

    /// The specifiers as written, joined as uv writes them (`>=2.0, <3`).
    pub fn specifiers_as_written(&self) -> String {
        self.specifiers.iter().map(|s| format!("{}{}", s.operator, s.version)).collect::<Vec<_>>().join(", ")
    }
}

/// As `packaging` prints it: name as written, extras sorted, specifiers sorted and joined by `,`.
impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if !self.extras.is_empty() {
            let extras: BTreeSet<&str> = self.extras.iter().map(String::as_str).collect();
            write!(f, "[{}]", extras.into_iter().collect::<Vec<_>>().join(","))?;
        }
        let specifiers: BTreeSet<String> =
            self.specifiers.iter().map(|s| format!("{}{}", s.operator, s.version)).collect();
        f.write_str(&specifiers.into_iter().collect::<Vec<_>>().join(","))
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

fn valid_name(name: &str) -> bool {
    let ends_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    name.chars().all(is_name_char) && ends_ok(name.chars().next()) && ends_ok(name.chars().last())
}

/// One PEP 440 version specifier (`>=2.0`, `==1.20.*`, `~=1.4`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Specifier {
    operator: &'static str,
    version: String,
}

impl Specifier {
    fn parse(text: &str) -> Option<Specifier> {
        let text = text.trim();
        let operator = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"].into_iter().find(|op| text.starts_with(op))?;
        let version = text[operator.len()..].trim();
        let wildcard = version.strip_suffix(".*");
        let valid = match (operator, wildcard) {
            ("===", _) => !version.is_empty() && !version.contains(char::is_whitespace),
            ("==" | "!=", Some(prefix)) => Version::parse(prefix).is_some_and(|v| v.is_release()),
            ("~=", _) => Version::parse(version).is_some_and(|v| v.release.len() >= 2),
            _ => Version::parse(version).is_some(),
        };
        valid.then(|| Specifier { operator, version: version.to_string() })
    }

    /// Whether `candidate` (a final release, as every installed version is) satisfies it.
    fn contains(&self, candidate: &str) -> bool {
        if self.operator == "===" {
            return self.version.eq_ignore_ascii_case(candidate);
        }
        let Some(have) = Version::parse(candidate) else { return false };
        if let Some(prefix) = self.version.strip_suffix(".*") {
            let prefix = Version::parse(prefix).map(|v| v.release).unwrap_or_default();
            let matches = (0..prefix.len()).all(|i| have.release.get(i).copied().unwrap_or(0) == prefix[i]);
            return matches == (self.operator == "==");
        }
        let Some(want) = Version::parse(&self.version) else { return false };
        match self.operator {
            "==" => have == want,
            "!=" => have != want,
            "<=" => have <= want,
            ">=" => have >= want,
            "<" => have < want,
            ">" => have > want,
            _ => {
                // `~=X.Y.Z`: `>=X.Y.Z` and `==X.Y.*`.
                let prefix = &want.release[..want.release.len() - 1];
                have >= want && (0..prefix.len()).all(|i| have.release.get(i).copied().unwrap_or(0) == prefix[i])
            }
        }
    }
}

/// A PEP 440 version without epoch or local part, ordered as PEP 440 orders them.
#[derive(Debug, Clone)]
struct Version {
    release: Vec<u64>,
    /// (phase: a 0, b 1, rc 2; number).
    pre: Option<(u8, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
}

impl Version {
    fn parse(text: &str) -> Option<Version> {
        let lower = text.trim().to_ascii_lowercase();
        let mut rest = lower.strip_prefix('v').unwrap_or(&lower);
        // The release runs to the first character that is not a digit or a
        // `.`, less a `.` that begins what follows (`1.0.dev1`).
        let release_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let release_text = if release_end < rest.len() { rest[..release_end].trim_end_matches('.') } else { rest };
        let release = release_text.split('.').map(|n| n.parse().ok()).collect::<Option<Vec<u64>>>()?;
        rest = &rest[release_text.len()..];
        let mut version = Version { release, pre: None, post: None, dev: None };
        // Each part may follow a `.`, `-` or `_`, and its number may too.
        let part = |rest: &mut &str, tags: &[(&str, u8)]| -> Option<Option<(u8, u64)>> {
            let trimmed = rest.trim_start_matches(['.', '-', '_']);
            let Some((tag, phase)) = tags.iter().find(|(tag, _)| trimmed.starts_with(tag)) else { return Some(None) };
            let after = trimmed[tag.len()..].trim_start_matches(['.', '-', '_']);
            let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
            let number = if digits == 0 { 0 } else { after[..digits].parse().ok()? };
            *rest = &after[digits..];
            Some(Some((*phase, number)))
        };
        let pre_tags = [("alpha", 0), ("beta", 1), ("preview", 2), ("pre", 2), ("rc", 2), ("a", 0), ("b", 1), ("c", 2)];
        version.pre = part(&mut rest, &pre_tags)?;
        version.post = part(&mut rest, &[("post", 0), ("rev", 0), ("r", 0)])?.map(|(_, n)| n);
        // The implicit post-release, `1.0-1`.
        let implicit = rest.strip_prefix('-').map_or(0, |r| r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len()));
        if version.post.is_none() && implicit > 0 {
            version.post = rest[1..=implicit].parse().ok();
            rest = &rest[1 + implicit..];
        }
        version.dev = part(&mut rest, &[("dev", 0)])?.map(|(_, n)| n);
        rest.is_empty().then_some(version)
    }

    fn is_release(&self) -> bool {
        self.pre.is_none() && self.post.is_none() && self.dev.is_none()
    }

    /// PEP 440's sort key: release (trailing zeros ignored), then a
    /// dev-only release before its pre-releases before the release itself,
    /// then post-releases, then dev releases last within each.
    fn key(&self) -> (Vec<u64>, (i8, u64), i64, (i8, u64)) {
        let mut release = self.release.clone();
        while release.len() > 1 && release.last() == Some(&0) {
            release.pop();
        }
        let pre = match (self.pre, self.post, self.dev) {
            (Some((phase, n)), _, _) => (phase as i8, n),
            (None, None, Some(_)) => (-1, 0),
            (None, _, _) => (3, 0),
        };
        let post = self.post.map_or(-1, |n| n as i64);
        let dev = self.dev.map_or((1, 0), |n| (0, n));
        (release, pre, post, dev)
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.key().cmp(&other.key()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_requirement_in_the_table_is_installed_and_satisfied() {
        // Guards the table: pip would find everything it lists already there.
        for dist in INSTALLED {
            let extras = dist.extras.iter().filter_map(|(_, added)| *added).flatten();
            for text in dist.requires.iter().chain(extras) {
                let req = Requirement::parse(text).unwrap_or_else(|e| panic!("{}: {text}: {e:?}", dist.name));
                assert_eq!(req.to_string(), *text, "{}: written as pip prints it", dist.name);
                let needed = installed(&req.name).unwrap_or_else(|| panic!("{} needs {text}", dist.name));
                assert!(req.contains(needed.version), "{}: {text} vs {}", dist.name, needed.version);
            }
        }
    }

    #[test]
    fn requirements_print_as_packaging_prints_them() {
        for (typed, printed) in [
            ("alembic", "alembic"),
            ("SQLAlchemy >= 2.0, <3", "SQLAlchemy<3,>=2.0"),
            ("uvicorn [standard]", "uvicorn[standard]"),
            ("pkg[b,a]==1.0", "pkg[a,b]==1.0"),
            ("sqlalchemy (>=2)", "sqlalchemy>=2"),
        ] {
            assert_eq!(Requirement::parse(typed).map(|r| r.to_string()), Ok(printed.to_string()), "{typed}");
        }
        for bad in ["==", "alembic[tz", "-alembic", "alembic>=", "alembic>=abc", "alembic~=1", "a b"] {
            assert_eq!(Requirement::parse(bad), Err(RequirementError::Invalid), "{bad}");
        }
        assert!(matches!(Requirement::parse("alembic; python_version<'3'"), Err(RequirementError::Unsupported(_))));
        assert_eq!(Requirement::parse("Typing_Extensions[x]").unwrap().identifier(), "typing-extensions[x]");
    }

    #[test]
    fn specifiers_follow_pep_440() {
        let cases = [
            ("x==1.20.1", "1.20.1", true),
            ("x==1.20.1.0", "1.20.1", true),
            ("x==1.20.*", "1.20.1", true),
            ("x!=1.20.*", "1.20.1", false),
            ("x~=1.20", "1.20.1", true),
            ("x~=1.19.0", "1.20.1", false),
            ("x>=2.0b1", "2.1.9", true),
            ("x<2.1.9rc1", "2.1.9", false),
            ("x>2.1.9.post1", "2.1.9", false),
            ("x>2.1.9.dev3", "2.1.9", true),
            ("x>=2.1.9-1", "2.1.9", false),
            ("x<=2.1.9-1", "2.1.9", true),
            ("x>=2.1.9_rc.1", "2.1.9", true),
            ("x<3,>=2.0", "2.1.9", true),
            ("x<2", "2.1.9", false),
            ("x===2.1.9", "2.1.9", true),
        ];
        for (req, version, expected) in cases {
            assert_eq!(Requirement::parse(req).unwrap().contains(version), expected, "{req} vs {version}");
        }
    }

    #[test]
    fn what_requirements_need_includes_their_dependencies_and_extras() {
        let needs = |texts: &[&str]| {
            let reqs: Vec<Requirement> = texts.iter().map(|t| Requirement::parse(t).unwrap()).collect();
            needed(&reqs).map(|dists| dists.len())
        };
        assert_eq!(needs(&["alembic"]), Some(5));
        assert_eq!(needs(&["alembic", "sqlalchemy>=2"]), Some(5));
        assert_eq!(needs(&["uvicorn"]), Some(3));
        assert_eq!(needs(&["uvicorn[standard]"]), Some(12));
        assert_eq!(needs(&["alembic[tz]"]), None);
        assert_eq!(needs(&["requests"]), None);
        assert_eq!(needs(&["sqlalchemy<2"]), None);
    }

    #[test]
    fn names_are_found_however_they_are_written() {
        assert_eq!(installed("Typing.Extensions").map(|d| d.name), Some("typing_extensions"));
        assert_eq!(installed("pydantic-core").map(|d| d.version), Some("2.50.4"));
        assert!(installed("requests").is_none());
        assert_eq!(canonical_name("Foo__Bar.baz"), "foo-bar-baz");
    }
}
