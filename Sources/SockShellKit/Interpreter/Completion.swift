import Glibc

/// What Tab offers: the word being completed starts at `start` (a byte offset in the line) and
/// may become any of `candidates`.
public struct Completion: Equatable, Sendable {
  public var start: Int
  public var candidates: [String]

  public init(start: Int, candidates: [String]) {
    self.start = start
    self.candidates = candidates
  }
}

/// Tab completion that knows the language, as a pure function of the line and the session:
/// command names at the start of a statement; after a command, what that argument position
/// takes according to the command's synopsis. The terminal only displays the result.
public struct Completer {
  /// Characters that end a word; the line editor is told the same set.
  public static let wordBreaks = " \t\n\"'(,;=[]|"

  public let table: CommandTable
  public let variables: [String: Value]
  /// Open handles: number and domain.
  public let handles: [(number: Int, domain: Int32)]
  /// Live iovec numbers.
  public let iovecs: [Int]
  public let lessons: () -> [String]
  public let files: (String) -> [String]

  public init(
    table: CommandTable, variables: [String: Value], handles: [(number: Int, domain: Int32)],
    iovecs: [Int] = [], lessons: @escaping () -> [String] = { [] },
    files: @escaping (String) -> [String] = Completer.listFiles
  ) {
    self.table = table
    self.variables = variables
    self.handles = handles
    self.iovecs = iovecs
    self.lessons = lessons
    self.files = files
  }

  /// The session's commands, variables and handles; lessons from whoever knows where they are.
  public init(interpreter: Interpreter, lessons: @escaping () -> [String] = { [] }) {
    self.init(
      table: interpreter.table, variables: interpreter.variables,
      handles: interpreter.handles.open.map { ($0.number, $0.domain) },
      iovecs: interpreter.iovecs.live.map(\.number), lessons: lessons)
  }

  public func complete(_ line: String, cursor: Int? = nil) -> Completion {
    let bytes = Array(line.utf8)
    let end = min(cursor ?? bytes.count, bytes.count)
    var start = end
    while start > 0, !Completer.wordBreaks.utf8.contains(bytes[start - 1]) { start -= 1 }
    let word = String(decoding: bytes[start..<end], as: UTF8.self)
    let context = Completer.context(of: Array(bytes[..<start]))
    return Completion(start: start, candidates: matching(word, candidates(for: context, word: word)))
  }

  // MARK: - Where the cursor is

  /// The position being completed: the start of a statement, or an argument of a command.
  enum Context: Equatable {
    case statementStart
    /// Argument `index` of `command`; `inList` when inside `[...]` (select's handle lists);
    /// `first` is the first argument as typed, when the cursor is past it (`$s` in `bind $s `).
    case argument(command: String, index: Int, inList: Bool, first: String? = nil)
    /// Inside a string, or after something completion does not understand.
    case none
  }

  /// Reads the line up to the word being completed with the language's own lexer, forgiving:
  /// the line is unfinished by nature.
  static func context(of prefix: [UInt8]) -> Context {
    let line = Lexer.tokenizeUnfinished(prefix)
    // Where the word being completed starts, as far as the tokens go.
    var end = prefix.count
    if let openString = line.openString {
      // A string opened just before the word is the argument being typed (`bind $s "/tmp/s`);
      // a word further inside a string is text.
      guard openString == prefix.count - 1 else { return .none }
      end = openString
    } else if let last = line.tokens.last, last.column - 1 < prefix.count {
      // The lexer stopped before the word: a comment holds it.
      return .none
    }
    // The current statement starts after the last `;`, `{` or `}`, and after the head of a
    // control statement: `else`, `do`, `if (…)`, `while (…)`, `for (…)`, `foreach (…)`.
    var statement = line.tokens.filter { $0.tag != .end }
    var statementStart = 0
    if let boundary = statement.lastIndex(where: { [.semicolon, .leftBrace, .rightBrace].contains($0.tag) }) {
      statementStart = statement[boundary].column
      statement.removeSubrange(...boundary)
    }
    while let head = controlHead(statement) {
      // Inside the parentheses of `if (` the position takes an expression, as a statement does.
      guard head < statement.count else { return .statementStart }
      statementStart = statement[head].column - 1
      statement.removeSubrange(..<head)
    }
    // A byte the language does not have leaves the statement beyond understanding.
    if let rejected = line.lastRejected, rejected >= statementStart { return .none }
    statement = droppingAssignment(statement, in: prefix)
    if statement.isEmpty { return .statementStart }
    let blankBeforeWord = end > 0 && isBlank(prefix[end - 1])

    // Frames of open parentheses (calls) and brackets (lists).
    struct Frame {
      var command: String?
      var isList: Bool
      var commas = 0
      /// Where the frame's contents start, and where its first comma is: offsets in the line.
      var start: Int
      var firstComma: Int?
    }
    var frames: [Frame] = []
    // Command form: the first name outside any frame that a blank follows, and where each of its
    // arguments starts (a blank outside any frame separates them).
    var commandWord: Token?
    var argumentStarts: [Int] = []
    for (index, token) in statement.enumerated() {
      let offset = token.column - 1
      if commandWord != nil && frames.isEmpty && token.spaceBefore { argumentStarts.append(offset) }
      switch token.tag {
      case .leftParen:
        var name: String?
        if index > 0, case .word(let word) = statement[index - 1].kind { name = word }
        frames.append(Frame(command: name, isList: false, start: offset + 1))
      case .leftBracket:
        frames.append(Frame(command: nil, isList: true, start: offset + 1))
      case .rightParen, .rightBracket:
        if !frames.isEmpty { frames.removeLast() }
      case .comma:
        if !frames.isEmpty {
          if frames[frames.count - 1].commas == 0 { frames[frames.count - 1].firstComma = offset }
          frames[frames.count - 1].commas += 1
        }
      case .word, .variable, .handle, .iovec, .int, .double:
        let blankAfter = index + 1 < statement.count ? statement[index + 1].spaceBefore : blankBeforeWord
        if commandWord == nil && frames.isEmpty && blankAfter { commandWord = token }
      default:
        break
      }
    }
    // The innermost call decides; a list inside it keeps that call's argument position.
    var inList = false
    for frame in frames.reversed() {
      if frame.isList {
        inList = true
        continue
      }
      guard let command = frame.command else { return .none }
      let first = frame.firstComma.map { trimmed(prefix[frame.start..<$0]) }
      return .argument(command: command, index: frame.commas, inList: inList, first: first)
    }
    guard let commandWord else { return .statementStart }
    guard case .word(let command) = commandWord.kind else { return .none }
    // Every argument but the last is finished; the last is too once a blank follows it.
    var index = max(0, argumentStarts.count - 1)
    if !argumentStarts.isEmpty && frames.isEmpty && blankBeforeWord { index += 1 }
    var first: String?
    if index >= 1 {
      let firstEnd = argumentStarts.count > 1 ? argumentStarts[1] : end
      first = trimmed(prefix[argumentStarts[0]..<firstEnd])
    }
    return .argument(command: command, index: index, inList: inList, first: first)
  }

  private static func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 }

  /// The words that start or continue a statement of the language, offered where a statement starts.
  static let keywords = [
    "if", "else", "elseif", "while", "do", "for", "foreach", "as", "switch", "case", "default", "break",
    "continue", "function", "return", "global", "echo", "print", "isset", "unset", "empty",
  ]

  /// Where the statement after a control statement's head starts (`else `, `do `, `if (…) `):
  /// the index of its first token, `statement.count` while the head's parentheses are still
  /// open; nil when the statement has no such head.
  static func controlHead(_ statement: [Token]) -> Int? {
    guard case .word(let word)? = statement.first?.kind else { return nil }
    switch word.lowercased() {
    case "else", "do":
      return 1
    case "if", "elseif", "while", "for", "foreach", "switch":
      guard statement.count > 1, statement[1].tag == .leftParen else { return nil }
      var depth = 0
      for index in 1..<statement.count {
        switch statement[index].tag {
        case .leftParen: depth += 1
        case .rightParen:
          depth -= 1
          if depth == 0 { return index + 1 }
        default: break
        }
      }
      return statement.count
    default:
      return nil
    }
  }

  private static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
    var bytes = bytes.drop(while: isBlank)
    while let last = bytes.last, isBlank(last) { bytes.removeLast() }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// `$x = `, `$x ??= `, `[$a, $b] = ` and `list($a, $b) = ` before the command.
  static func droppingAssignment(_ statement: [Token], in line: [UInt8]) -> [Token] {
    var depth = 0
    for (index, token) in statement.enumerated() {
      switch token.tag {
      case .leftParen, .leftBracket: depth += 1
      case .rightParen, .rightBracket: depth -= 1
      case .coalesceAssign where depth == 0: return Array(statement[(index + 1)...])
      case .assign where depth == 0:
        // `==`, typed from habit, is two `=` tokens and no assignment.
        let at = token.column - 1
        let next = at + 1 < line.count ? line[at + 1] : 0
        let previous = at > 0 ? line[at - 1] : 0
        guard next != UInt8(ascii: "="), previous != UInt8(ascii: "=") else { continue }
        return Array(statement[(index + 1)...])
      default: break
      }
    }
    return statement
  }

  // MARK: - What fits there

  func candidates(for context: Context, word: String) -> [String] {
    switch context {
    case .none:
      return []
    case .statementStart:
      if word.hasPrefix("$") { return variableNames { _ in true } }
      return table.allNames + Completer.keywords
    case .argument(let name, let index, let inList, let first):
      guard let spec = table.lookup(name) else { return [] }
      let slots = spec.argumentSlots
      guard index < slots.count else { return [] }
      return candidates(for: slots[index], inList: inList, word: word, first: first)
    }
  }

  func candidates(for slot: ArgumentSlot, inList: Bool, word: String, first: String? = nil) -> [String] {
    let placeholder: String
    switch slot {
    case .words(let words): return words
    case .placeholder(let name): placeholder = name
    }
    let openHandles = Set(handles.map(\.number))
    let holdsHandle: (Value) -> Bool = { value in
      if case .handle(let number) = value { return openHandles.contains(number) }
      return false
    }
    let handleWords = handles.map { "#\($0.number)" }
    switch placeholder {
    case "HANDLE":
      return handleWords + variableNames(holdsHandle)
    case "READ", "WRITE", "EXCEPT":
      if inList { return handleWords + variableNames(holdsHandle) }
      return ["null"]
        + variableNames { value in
          if case .array = value { return true }
          return holdsHandle(value)
        }
    case "IOVEC":
      let live = Set(iovecs)
      return iovecs.map { "%\($0)" }
        + variableNames { value in
          if case .iovec(let number) = value { return live.contains(number) }
          return false
        }
    case "HOW":
      return ["rd", "wr", "rdwr"] + SocketNames.shutdownHows.map(\.name)
    case "DOMAIN":
      return SocketNames.domains.prefix(3).map(\.name) + ["inet", "inet6", "unix"]
    case "TYPE":
      return SocketNames.types.prefix(4).map(\.name) + ["stream", "dgram", "seqpacket", "raw"]
    case "PROTOCOL":
      return ["0"] + SocketNames.protocols.map(\.name)
    case "ADDRESS", "PATH":
      // A Unix socket's address is a path; so is a word that starts like one.
      if placeholder == "PATH" || domain(of: first) == AF_UNIX || word.hasPrefix("/") || word.hasPrefix(".")
        || word.hasPrefix("~")
      {
        return files(word)
      }
      return ["127.0.0.1", "::1", "localhost"] + variableNames { _ in true }
    case "COMMAND":
      return table.allNames
    case "LESSON":
      return lessons()
    case "ERRNO":
      return Errno.numbersByName.keys.sorted()
    case "LEVEL":
      return ["SOL_SOCKET", "SOL_TCP", "SOL_UDP", "IPPROTO_TCP", "IPPROTO_IP", "IPPROTO_IPV6"]
    case "OPTION", "NAME":
      return Constants.table.keys.filter { ["SO_", "TCP_", "IP_", "IPV6_"].contains(where: $0.hasPrefix) }
        .sorted()
    case "FLAGS":
      return Constants.table.keys.filter { $0.hasPrefix("MSG_") }.sorted()
    default:
      return variableNames { _ in true }
    }
  }

  /// The domain of the handle an argument names: `#3`, `3` or a variable holding it.
  func domain(of argument: String?) -> Int32? {
    guard let argument else { return nil }
    var number: Int?
    if argument.hasPrefix("$"), case .handle(let n)? = variables[String(argument.dropFirst())] {
      number = n
    } else {
      number = Int(argument.hasPrefix("#") ? String(argument.dropFirst()) : argument)
    }
    return handles.first { $0.number == number }?.domain
  }

  private func variableNames(_ accept: (Value) -> Bool) -> [String] {
    variables.filter { accept($0.value) }.keys.sorted().map { "$" + $0 }
  }

  /// Candidates that start with the word: exactly first; if none, ignoring case (`af_` finds
  /// `AF_INET`). A word starting with `$` or `#` matches only variables or handles.
  func matching(_ word: String, _ candidates: [String]) -> [String] {
    var seen = Set<String>()
    let unique = candidates.filter { seen.insert($0).inserted }
    let exact = unique.filter { $0.hasPrefix(word) }
    if !exact.isEmpty || word.isEmpty { return word.isEmpty ? unique : exact }
    let lower = word.lowercased()
    return unique.filter { $0.lowercased().hasPrefix(lower) }
  }

  /// Paths that start with `prefix`, directories ending in `/`: what an AF_UNIX address may be.
  public static func listFiles(_ prefix: String) -> [String] {
    var expanded = prefix
    var home: String?
    if prefix.hasPrefix("~"), let value = getenv("HOME") {
      home = String(cString: value)
      expanded = home! + prefix.dropFirst()
    }
    let slash = expanded.lastIndex(of: "/")
    let directory = slash.map { String(expanded[...$0]) } ?? ""
    let stem = slash.map { String(expanded[expanded.index(after: $0)...]) } ?? expanded
    guard let handle = opendir(directory.isEmpty ? "." : directory) else { return [] }
    defer { closedir(handle) }
    var found: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      guard name != "." && name != "..", name.hasPrefix(stem), !name.hasPrefix(".") || stem.hasPrefix(".")
      else { continue }
      var path = directory + name
      var info = stat()
      if stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR { path += "/" }
      if let home { path = "~" + path.dropFirst(home.count) }
      found.append(path)
    }
    return found.sorted()
  }
}
