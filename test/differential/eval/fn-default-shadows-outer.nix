let b = 10; in ({ a ? b, b ? 3 }: a) { }
