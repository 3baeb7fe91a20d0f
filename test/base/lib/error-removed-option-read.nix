# Reading a removed option.
let lib = import ../../../flakes/base/lib; in
(lib.evalModules { modules = [ (lib.mkRemovedOptionModule [ "services" "old" ] "It was replaced by services.new.") ]; }).config.services.old
