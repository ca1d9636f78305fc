//! SQLite database files as bytes: open them as a real in-memory SQLite
//! connection, and turn the connection back into the bytes of a database file.
//! The page and the native CLI both go through here, so they behave alike.

use rusqlite::{Connection, MAIN_DB};

/// Opens the bytes of a database file (empty bytes: a new, empty database).
pub fn open(bytes: &[u8]) -> rusqlite::Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    if !bytes.is_empty() {
        conn.deserialize_read_exact(MAIN_DB, bytes, bytes.len(), false)?;
    }
    Ok(conn)
}

/// The bytes of the database file `conn` holds. A database nothing was ever
/// written to is an empty file, as SQLite leaves it on disk.
pub fn to_bytes(conn: &mut Connection) -> rusqlite::Result<Vec<u8>> {
    let pages: i64 = conn.query_row("PRAGMA main.page_count", [], |r| r.get(0))?;
    if pages == 0 {
        return Ok(Vec::new());
    }
    let data = conn.serialize(MAIN_DB)?;
    Ok(data.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_bytes_round_trip_to_empty_bytes() {
        let mut conn = open(&[]).unwrap();
        assert!(to_bytes(&mut conn).unwrap().is_empty());
    }

    #[test]
    fn rows_survive_a_round_trip() {
        let mut conn = open(&[]).unwrap();
        conn.execute_batch("create table t(a integer primary key, b text); insert into t values (1, 'x');")
            .unwrap();
        let bytes = to_bytes(&mut conn).unwrap();
        assert!(bytes.starts_with(b"SQLite format 3\0"));
        let conn = open(&bytes).unwrap();
        let b: String = conn.query_row("select b from t where a = 1", [], |r| r.get(0)).unwrap();
        assert_eq!(b, "x");
    }
}
