# Identifiers may contain combining marks after the first character.
नमस्ते = "hello"
value·2 = 1
