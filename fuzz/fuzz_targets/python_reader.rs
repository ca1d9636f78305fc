//! Fuzz target: any bytes, read as (lossy) UTF-8 Python source, must tokenize and
//! parse without panicking, with every token and error position inside the text.
#![no_main]

use driftlab::engine::python::{dump, parse_module, tokenize, LineIndex};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    let src = src.as_ref();

    let (tokens, token_errors) = tokenize(src);
    let mut previous_end = 0;
    for token in &tokens {
        assert!(token.span.start >= previous_end && token.span.end <= src.len());
        assert!(src.is_char_boundary(token.span.start) && src.is_char_boundary(token.span.end));
        previous_end = token.span.end;
    }

    let result = parse_module(src);
    let index = LineIndex::new(src);
    for error in token_errors.iter().chain(&result.errors) {
        assert!(error.offset <= src.len());
        let position = index.line_col(error.offset);
        assert_eq!((error.line, error.col), (position.line, position.col));
    }
    let _ = dump(&result.module);
});
