[ (let x = 1; in x) (let x = 2; in x) ]
