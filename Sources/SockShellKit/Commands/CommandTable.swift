/// The command table, looked up by any of a command's names, case-insensitively as PHP does.
/// A class: the parser and the interpreter share the one table without copying its arrays.
public final class CommandTable: CommandNames, Sendable {
  public let commands: [CommandSpec]
  private let index: NameIndex

  public init(_ commands: [CommandSpec]) {
    self.commands = commands
    var entries: [(name: String, value: Int)] = []
    var seen = Set<String>()
    for (position, spec) in commands.enumerated() {
      for name in [spec.name] + spec.aliases {
        precondition(seen.insert(name.lowercased()).inserted, "command name \(name) is used twice")
        entries.append((name.lowercased(), position))
      }
    }
    self.index = NameIndex(entries)
  }

  /// The command of that name (any of its names, in any case).
  public func lookup(_ name: String) -> CommandSpec? {
    // A name from a parsed line is native UTF-8, so withUTF8 copies nothing.
    var name = name
    return name.withUTF8 { bytes in
      if let position = index.find(bytes) { return commands[position] }
      return resolve(bytes).map { commands[$0.position] }
    }
  }

  public func commandName(_ word: UnsafeBufferPointer<UInt8>) -> String? { resolve(word)?.name }

  /// The command a name typed in a line stands for, and that name as a String (the table's own
  /// when it was typed as the table spells it).
  func resolve(_ name: UnsafeBufferPointer<UInt8>) -> (position: Int, name: String)? {
    if let found = index.found(name) { return (found.value, found.name) }
    guard name.contains(where: { $0 >= 65 && $0 <= 90 }) else { return nil }
    let position = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: name.count) { lower in
      for (offset, byte) in name.enumerated() { lower[offset] = byte >= 65 && byte <= 90 ? byte + 32 : byte }
      return index.find(UnsafeBufferPointer(lower))
    }
    return position.map { ($0, String(decoding: name, as: UTF8.self)) }
  }

  public var allNames: [String] { commands.flatMap { [$0.name] + $0.aliases } }

  public func suggestions(for name: String) -> [String] {
    EditDistance.closest(to: name, in: allNames).map { $0.lowercased() }
  }
}
