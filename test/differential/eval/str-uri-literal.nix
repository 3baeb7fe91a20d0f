[ http://example.org/a?b=c&d urn:isbn:0451450523 ]
