/// What the parser needs to know about commands: which words name one. The command table
/// answers it; the language never sees the table itself, so a parsed line holds names only and
/// stays valid whatever table runs it.
public protocol CommandNames: AnyObject {
  /// The name to keep in the syntax tree when `word` (as typed in the line, any case) names a
  /// command: the table's own String when typed as the table spells it, so a line makes none.
  /// nil when no command has that name.
  func commandName(_ word: UnsafeBufferPointer<UInt8>) -> String?
  /// Names close to a word that names no command, for "did you mean".
  func suggestions(for name: String) -> [String]
}
