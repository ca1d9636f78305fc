a = b"bytes" "str"
b = "str" b"bytes"
c = b"café"
