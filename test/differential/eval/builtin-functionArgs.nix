builtins.functionArgs ({ a, b ? 1, c ? a }: a)
