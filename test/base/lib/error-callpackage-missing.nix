# callPackageWith names a required argument that neither the scope nor the call gives.
let lib = import ../../../flakes/base/lib; in
(lib.callPackageWith { present = 1; } ({ present, absent, optional ? 2 }: present) { }).out
