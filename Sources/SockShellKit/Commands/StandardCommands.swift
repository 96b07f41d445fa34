extension CommandTable {
  /// Every command sockshell knows, in the order `help` lists them.
  public static let standard = CommandTable(
    Lifecycle.commands + Transfer.commands + Multiplexing.commands + Errors.commands + Helpers.commands
      + Shell.commands)
}
