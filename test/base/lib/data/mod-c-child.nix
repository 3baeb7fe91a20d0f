{ list = [ "c-child" ]; }
