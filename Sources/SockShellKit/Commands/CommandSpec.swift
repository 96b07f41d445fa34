/// One row of the command table: everything `help`, completion, the README reference and the
/// interpreter know about a command. No other place switches over command names. A class, so a
/// lookup hands out a reference instead of copying every field.
public final class CommandSpec: Sendable {
  public enum Family: String, CaseIterable, Sendable {
    case lifecycle = "Lifecycle"
    case data = "Data"
    case multiplexing = "Blocking and multiplexing"
    case errors = "Errors"
    case options = "Options"
    case iovecs = "Scatter and gather"
    case strings = "String functions"
    case arrays = "Array functions"
    case system = "Names, time and settings"
    case values = "Values and output"
    case shell = "Shell and script"

    /// A bare call shows its value (`=> "cba"`), as a REPL does for an expression. Socket commands
    /// show themselves through their echo, shell commands through their own report.
    public var showsValueOfBareCall: Bool {
      switch self {
      case .strings, .arrays, .values, .system: true
      default: false
      }
    }
  }

  public let name: String
  /// Other names: PHP's `socket_*` name, the C name, short forms.
  public let aliases: [String]
  public let family: Family
  /// `bind HANDLE ADDRESS PORT`
  public let synopsis: String
  /// `int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);`
  public let prototype: String?
  /// `socket_bind(Socket $socket, string $address, int $port = 0): bool`
  public let php: String?
  /// `bind(2)`
  public let manPage: String?
  public let summary: String
  /// What the call does to the socket, and what to look at.
  public let notes: String
  /// What the call does to the socket's state: `created → bound`.
  public let effect: String?
  /// The errors a learner is likely to meet, each with a one-line reason.
  public let errors: [LikelyError]
  public let example: String?
  /// The command may wait on the kernel: output is flushed before it runs.
  public let mayBlock: Bool
  /// The value is new handles, which the echo annotates with their numbers.
  public let createsHandles: Bool
  /// Argument positions PHP passes by reference (`socket_recv($s, $buf, ...)`): a variable there
  /// may be unset, since the command fills it.
  public let outArguments: [Int]
  public let run: @Sendable (inout Invocation) throws(ShellError) -> Value

  public init(
    name: String, aliases: [String] = [], family: Family, synopsis: String, prototype: String? = nil,
    php: String? = nil, manPage: String? = nil, summary: String, notes: String = "", effect: String? = nil,
    errors: [LikelyError] = [],
    example: String? = nil,
    mayBlock: Bool = false, createsHandles: Bool = false, outArguments: [Int] = [],
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
    self.effect = effect
    self.errors = errors
    self.example = example
    self.mayBlock = mayBlock
    self.createsHandles = createsHandles
    self.outArguments = outArguments
    self.run = run
  }

  /// The argument part of the synopsis: `HANDLE ADDRESS PORT`.
  public var usage: String { synopsis }

  /// What each argument position takes, read from the synopsis, so completion and help never
  /// disagree with it: `shutdown HANDLE [rd|wr|rdwr]` → a handle, then one of three words.
  public var argumentSlots: [ArgumentSlot] { ArgumentSlot.parse(synopsis: synopsis) }

  /// The call form: `socket_bind(HANDLE, ADDRESS [, PORT])`, under the PHP name when there is one.
  public var callForm: String {
    if synopsis.contains("(") { return synopsis }
    var text = (aliases.first { $0.hasPrefix("socket_") } ?? name) + "("
    var first = true
    for part in synopsis.split(separator: " ").dropFirst() {
      let optional = part.hasPrefix("[")
      let bare = part.trimmingCharacters(in: "[]")
      text += optional ? (first ? "[" : " [, ") + bare + "]" : (first ? "" : ", ") + bare
      first = false
    }
    return text + ")"
  }
}

/// An errno a command is likely to give, and why: `EADDRINUSE`, "another socket has the port".
public struct LikelyError: Sendable {
  public let name: String
  public let reason: String
  public init(_ name: String, _ reason: String) {
    self.name = name
    self.reason = reason
  }
}

/// One argument position of a command, as its synopsis names it.
public enum ArgumentSlot: Equatable, Sendable {
  /// A placeholder in capitals: `HANDLE`, `DOMAIN`, `ADDRESS`.
  case placeholder(String)
  /// One of the words written out: `rd|wr|rdwr`, `PHP_BINARY_READ|PHP_NORMAL_READ`.
  case words([String])

  static func parse(synopsis: String) -> [ArgumentSlot] {
    // Call-form synopses (`substr(STRING, OFFSET)`) describe PHP functions: no command arguments.
    guard !synopsis.contains("(") else { return [] }
    return synopsis.split(separator: " ").dropFirst().map { part in
      let bare = part.trimmingCharacters(in: "[]")
      let isPlaceholder = bare.allSatisfy { $0.isUppercase || $0 == "_" } && !bare.contains("|")
      if isPlaceholder && !bare.hasPrefix("PHP_") && !bare.hasPrefix("SHUT_") { return .placeholder(bare) }
      return .words(bare.split(separator: "|").map(String.init))
    }
  }
}
