rec { true = false; x = true; }.x
