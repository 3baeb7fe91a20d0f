builtins.functionArgs (args@{ y ? 2 }: y)
