//! The revision graph (being written).
