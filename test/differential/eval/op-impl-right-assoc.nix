true -> false -> false
