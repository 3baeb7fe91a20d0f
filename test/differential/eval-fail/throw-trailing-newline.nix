# Trailing newlines of a thrown message are not printed.
throw "done\n\n"
