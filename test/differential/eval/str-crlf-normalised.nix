# The literal below contains a raw CR LF line break, normalised to LF in "..." strings.
"a
b"
