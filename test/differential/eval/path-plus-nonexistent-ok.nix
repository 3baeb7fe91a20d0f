./does/not/exist + "/really"
