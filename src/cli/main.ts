// The `tix` command: dispatches to one module per subcommand.
console.log("tix: not yet implemented");
