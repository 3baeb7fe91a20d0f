let
  tree = depth: if depth == 0 then { leaf = true; } else { left = tree (depth - 1); right = tree (depth - 1); value = depth; };
in (tree 20).left.right.left.value
