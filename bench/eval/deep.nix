# Deep non-tail recursion: each call waits on the result of the next, to depth 9000 (under the
# 10000 call-depth limit). Repeated for 40 starting depths, plus a variant that wraps each
# level's result in an attribute set and a mutually recursive pair.
let
  down = n: if n == 0 then 0 else 1 + down (n - 1);
  wrapped = n: if n == 0 then { depth = 0; } else let r = wrapped (n - 1); in { depth = r.depth + 1; };
  ping = n: if n == 0 then 0 else 2 + pong (n - 1);
  pong = n: if n == 0 then 1 else 3 * 0 + ping (n - 1) - 1;
  depths = builtins.genList (i: 9000 - i) 40;
in
{
  total = builtins.foldl' (acc: d: acc + down d) 0 depths;
  wrapped = (wrapped 9000).depth;
  pingPong = ping 9000;
}
