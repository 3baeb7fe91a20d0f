# A multi-line message under a multi-line addErrorContext: the final message keeps its indentation.
builtins.addErrorContext "while doing\nsomething" ({ x = throw "outer\ninner"; }.x)
