# nixosModules.notDetected, also modulesPath + "/installer/scan/not-detected.nix" as in nixpkgs:
# firmware for hardware the hardware scan could not identify. tix systems run in containers,
# with no firmware to load.
{ }
