"ab" + "" + "cd"
