d = "a.auto"
e = "a.auto"
f = "a.auto"
g = "a.auto"
