builtins.functionArgs ({ }: 1)
