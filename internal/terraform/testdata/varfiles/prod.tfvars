f = "varfile"
g = "varfile"
