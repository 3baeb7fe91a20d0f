# modern (2.21+): a store path name may start with a period but may not be "." or "..";
# 2.8 accepted both.
builtins.toFile ".." "x"
