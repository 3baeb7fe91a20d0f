{ lib, ... }:
{
  options.boot.isContainer = lib.mkOption {
    type = lib.types.bool;
    default = false;
    description = "Whether the system runs in a container (no boot loader, no kernel).";
  };
}
