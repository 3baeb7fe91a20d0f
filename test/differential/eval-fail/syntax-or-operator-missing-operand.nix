true || || false
