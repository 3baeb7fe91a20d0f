# readFile on a directory fails on the read, so the message names no path.
builtins.readFile ./.
