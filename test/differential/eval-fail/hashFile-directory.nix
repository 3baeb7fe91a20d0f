# hashFile on a directory fails on the read, so the message names no path (like readFile).
builtins.hashFile "sha256" ./.
