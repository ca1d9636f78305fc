# Numbers, strings, prefixes and escapes.
ints = [0, 7, 1_000_000, 0x1F, 0XdeadBEEF, 0o17, 0O777, 0b1010, 0B1, 0x_ff, 00]
floats = [1.5, .5, 5., 1e10, 1E-3, 2.5e+3, 1_0.0_1, 0.0]
imaginary = [1j, 2.5J, 1e3j, 0j]
strings = ['single', "double", '''triple
single''', """triple
double""", '', ""]
escapes = ["tab\there", "newline\n", "quote\"s", 'it\'s', "back\\slash", "\x41\u00e9\101\0", "unknown \d escape"]
raw = [r"\d+\.\d*", R'\n', rb'\x00', Rb"raw", BR'bytes', br"\\"]
bytes_ = [b"abc", B'\x00\xff', b"""multi
line"""]
formatted = [f"{x}", F'{x!r:>10}', rf"\d{n}", fR'{a}', f"{{literal}}", f"{x:{width}.{precision}}"]
unicode_prefix = u"unicode", U'also'
concatenated = "implicit " 'concatenation ' """works"""
mixed_f = "plain " f"{value}" " tail"
continued = "line one \
line two"
docstring_like = """She said "hi" and left."""
