{ lib, ... }: { list = [ "a" ]; }
