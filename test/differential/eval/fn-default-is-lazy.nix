({ a ? throw "default not needed" }: 1) { }
