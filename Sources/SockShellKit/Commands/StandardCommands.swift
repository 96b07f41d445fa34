extension CommandTable {
  /// Every command sockshell knows, in the order `help` lists them.
  public static let standard = CommandTable(
    Lifecycle.commands + Pairs.commands + Transfer.commands + Messages.commands + Iovecs.commands
      + Multiplexing.commands + Options.commands + Errors.commands + Helpers.commands + Shell.commands)
}
