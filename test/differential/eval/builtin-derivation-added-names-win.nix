# attributes named like the ones derivation adds are replaced in the output sets, kept in drvAttrs
let d = derivation { name = "x"; builder = "b"; system = "s"; all = 1; type = 2; outPath = 3; drvPath = 4; outputName = 5; drvAttrs = 6; };
in [ (builtins.length d.all) d.type d.outputName (builtins.isAttrs d.drvAttrs) d.drvAttrs.all d.drvAttrs.outPath d.drvAttrs.drvAttrs (builtins.attrNames d) ]
