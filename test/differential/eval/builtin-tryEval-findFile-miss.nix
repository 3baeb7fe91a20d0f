builtins.tryEval <surely-not-on-the-search-path>
