a = f"{name"
b = f"close}"
c = f"{x!r} {y:{w}} {{ok}}"
d = f"{d['k']"
