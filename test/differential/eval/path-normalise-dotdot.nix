./foo/../bar
