# readDir on a regular file reports the failed system call, in the C library's words.
builtins.readDir ./readDir-not-a-directory.nix
