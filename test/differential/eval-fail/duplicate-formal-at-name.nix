x@{ x }: x
