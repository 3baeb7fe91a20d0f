{ outPath = "x"; } + "y"
