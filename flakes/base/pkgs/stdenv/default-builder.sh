. "$stdenv/setup"
genericBuild
