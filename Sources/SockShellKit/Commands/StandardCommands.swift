extension CommandTable {
  /// Every command sockshell knows, family by family, in the order `help` lists them.
  public static let standard = CommandTable(
    Lifecycle.commands + Transfer.commands + ScatterGather.commands + Multiplexing.commands
      + Options.commands + Errors.commands + StringFunctions.commands + ArrayFunctions.commands + ValueFunctions.commands
      + SystemFunctions.commands + Shell.commands)
}
