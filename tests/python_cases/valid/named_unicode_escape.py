# \N{...} escapes are kept as written: resolving names needs the Unicode name table.
bullet = "\N{BULLET} item"
