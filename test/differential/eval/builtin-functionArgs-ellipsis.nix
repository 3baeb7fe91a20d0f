builtins.functionArgs ({ x, ... }: x)
