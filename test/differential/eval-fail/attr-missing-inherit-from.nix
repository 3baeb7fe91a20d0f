{ inherit ({ }) x; }.x
