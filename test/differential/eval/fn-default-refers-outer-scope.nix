let k = 7; in ({ a ? k }: a) { }
