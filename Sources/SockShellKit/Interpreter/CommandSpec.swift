/// One row of the command table: everything `help`, completion, the README reference and the
/// interpreter know about a command. No other place switches over command names.
public struct CommandSpec: Sendable {
  public enum Family: String, CaseIterable, Sendable {
    case lifecycle = "Lifecycle"
    case data = "Data"
    case multiplexing = "Blocking and multiplexing"
    case errors = "Errors"
    case strings = "String functions"
    case shell = "Shell and script"
  }

  public var name: String
  /// Other names: PHP's `socket_*` name, the C name, short forms.
  public var aliases: [String]
  public var family: Family
  /// `bind HANDLE ADDRESS PORT`
  public var synopsis: String
  /// `int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);`
  public var prototype: String?
  /// `socket_bind(Socket $socket, string $address, int $port = 0): bool`
  public var php: String?
  /// `bind(2)`
  public var manPage: String?
  public var summary: String
  /// What the call does to the socket, and what to look at.
  public var notes: String
  public var example: String?
  /// The command may wait on the kernel: output is flushed before it runs.
  public var mayBlock: Bool
  /// The value is new handles, which the echo annotates with their numbers.
  public var createsHandles: Bool
  public var run: @Sendable (inout Invocation) throws(ShellError) -> Value

  public init(
    name: String, aliases: [String] = [], family: Family, synopsis: String, prototype: String? = nil,
    php: String? = nil, manPage: String? = nil, summary: String, notes: String = "", example: String? = nil,
    mayBlock: Bool = false, createsHandles: Bool = false,
    run: @escaping @Sendable (inout Invocation) throws(ShellError) -> Value
  ) {
    self.name = name
    self.aliases = aliases
    self.family = family
    self.synopsis = synopsis
    self.prototype = prototype
    self.php = php
    self.manPage = manPage
    self.summary = summary
    self.notes = notes
    self.example = example
    self.mayBlock = mayBlock
    self.createsHandles = createsHandles
    self.run = run
  }

  /// The argument part of the synopsis: `HANDLE ADDRESS PORT`.
  public var usage: String { synopsis }
}

/// The command table, looked up by any of a command's names, case-insensitively as PHP does.
public struct CommandTable: Sendable {
  public let commands: [CommandSpec]
  private let index: [String: Int]

  public init(_ commands: [CommandSpec]) {
    self.commands = commands
    var index: [String: Int] = [:]
    for (position, spec) in commands.enumerated() {
      for name in [spec.name] + spec.aliases {
        precondition(index[name.lowercased()] == nil, "command name \(name) is used twice")
        index[name.lowercased()] = position
      }
    }
    self.index = index
  }

  public func lookup(_ name: String) -> CommandSpec? {
    if let position = index[name] { return commands[position] }
    return index[name.lowercased()].map { commands[$0] }
  }

  public func contains(_ name: String) -> Bool { lookup(name) != nil }

  public var allNames: [String] { commands.flatMap { [$0.name] + $0.aliases } }

  public func suggestions(for name: String) -> [String] {
    EditDistance.closest(to: name, in: allNames).map { $0.lowercased() }
  }
}

/// sockshell's own error: bad input, an unknown handle, a usage mistake. Never a kernel result.
public struct ShellError: Error, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
}

/// An evaluated argument, with the variable it came from so a command can write back to it
/// (`select` replaces its lists with the ready subset, as PHP's by-reference arguments do).
public struct CallArgument: Sendable {
  public var value: Value
  public var variable: String?
}
