{ config, lib, ... }: lib.mkIf (config.n > 0) { list = [ "from-file-mkif" ]; }
