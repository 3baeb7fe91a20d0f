let null = "not null"; in null
