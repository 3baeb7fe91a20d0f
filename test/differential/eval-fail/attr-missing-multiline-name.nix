# An attribute name with a newline is printed verbatim, its second line indented.
{ a = 1; }.${"b\nc"}
