# abort quotes its message; the lines after the first are indented like any message.
abort "one\ntwo"
