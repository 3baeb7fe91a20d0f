let
  fix = f: let x = f x; in x;
  extends = overlay: f: final: let prev = f final; in prev // overlay final prev;
  base = final: { name = "base"; greeting = "hello ${final.name}"; };
  ext = final: prev: { name = "extended"; };
in (fix (extends ext base)).greeting
